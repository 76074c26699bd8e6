"""Status of talks/ceasefire mentions and the relations between event mentions (used by :mod:`.events`).

* :func:`status` reads cue words near a talks or ceasefire trigger
  (:data:`STATUS_CUES`), nearest syntactic neighbourhood first.
* :func:`with_relations` adds "in retaliation for X", "after X", "following
  X" and "X triggered Y" links, pointing at the event mention inside X.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import EventMention, Relation, TimeExpr
from .components import doc_text

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

__all__ = ["STATUS_CUES", "governor", "status", "with_relations"]

CAUSE_VERBS = frozenset("trigger spark prompt provoke cause precede".split())
#: "X followed Y": X comes after Y (the reverse of :data:`CAUSE_VERBS`).
FOLLOW_VERBS = frozenset("follow".split())
#: Verbs relating two events: a time hanging from one of them dates its object ("the talks followed a ceasefire
#: on October 19"), not its subject.
SEQUENCE_VERBS = CAUSE_VERBS | FOLLOW_VERBS
#: Verbs of an event's end or duration: "the exchanges eased after the ceasefire", "fighting ended after the
#: talks" date the end, so the event itself began before that other event, not after it.
END_VERBS = frozenset("ease end stop subside cease halt calm abate diminish decline slow die fade wane quieten quiet "
                      "continue last persist linger drag rage".split())
WISH_VERBS = frozenset("urge call ask demand want hope seek try push press encourage invite wish plead appeal".split())
# Prepositions whose object describes the talks/ceasefire itself ("in place", "to an end", "under strain",
# "without agreement"); "despite/after/amid the breakdown" name another event and are not read.
STATUS_PREPS = frozenset("in into to without at under on".split())

#: status -> cue lemmas (single lemmas, or "lemma particle" pairs such as "break down"). Checked near the trigger;
#: earlier statuses win when several cues are equally close.
STATUS_CUES: dict[str, frozenset[str]] = {
    "collapsed": frozenset("collapse breakdown fail failure deadlock unravel abandon scrap end over "
                           "break_down fall_apart fall_through walk_out".split()),
    "suspended": frozenset("suspend suspension pause halt postpone standstill freeze stall hiatus".split()),
    "resumed": frozenset("resume resumption restart reconvene revive renew".split()),
    "agreed": frozenset("agree sign reach broker seal conclude announce declare strike finalise finalize clinch".split()),
    "holds": frozenset("hold remain observe respect maintain continue survive effect force place".split()),
    "strained": frozenset("violate violation breach strain fragile shaky tenuous tenuously risk threaten jeopardise "
                          "jeopardize undermine brink verge edge precarious".split()),
    "scheduled": frozenset("schedule plan expect due upcoming".split()),
}
_STATUS_ORDER = tuple(STATUS_CUES)


def governor(tok: Token) -> Token:
    """The verb a trigger is an argument of: itself for a verb; for a noun its verb when it is the subject or
    object ("Pakistan conducted airstrikes") or in a prepositional phrase of it ("responded with attacks");
    else the noun itself ("in retaliation for the attack" does not belong to the main verb)."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    cur = tok
    if cur.dep_ == "conj" and cur.head.pos_ in ("NOUN", "PROPN"):
        cur = cur.head  # "clashes and airstrikes killed": share the first conjunct's verb
    head = cur.head
    if cur.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative") and head.pos_ in ("VERB", "AUX"):
        return head
    if cur.dep_ in ("pobj", "pcomp") and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return tok


def status(tok: Token, gov: Token, key: str, negated: bool, time: TimeExpr | None, anchor: str | None) -> str | None:
    """Status of a talks/ceasefire mention from cue lemmas, nearest syntactic neighbourhood first."""
    if key == "talks" and time is not None and anchor and time.date_start and time.date_start > anchor:
        return "scheduled"
    if gov.dep_ == "xcomp" and gov.head.lemma_.lower() in WISH_VERBS:
        return None  # "urged both sides to resume dialogue": wished for, not reported
    rings: list[list[Token]] = []
    pred: list[Token] = []
    if gov is not tok:
        pred.append(gov)
        if gov.dep_ == "xcomp":
            pred.append(gov.head)  # "agreed to extend the truce", "decided to suspend talks"
        pred.extend(c for c in gov.children if c.dep_ in ("prt", "acomp", "advmod", "attr", "xcomp", "dobj", "neg", "aux", "auxpass")
                    or (c.dep_ == "prep" and c.lower_ in STATUS_PREPS))
        pred.extend(g for c in gov.children if c.dep_ == "prep" and c.lower_ in STATUS_PREPS for g in c.children)
        pred.extend(g for c in gov.children if c.dep_ == "xcomp" for g in c.children if g.dep_ in ("dobj", "prt", "prep"))
    pred.extend(c for c in tok.children if c.dep_ in ("prt", "acomp", "advmod"))
    rings.append(pred)
    up = [tok.head] if tok.dep_ == "pobj" else []
    if up and up[0].dep_ == "prep":
        up.append(up[0].head)  # "the collapse of the talks"
    if tok.dep_ in ("nsubj", "dobj", "nsubjpass", "compound") and tok.head is not gov:
        up.append(tok.head)
    rings.append(up)
    # "two days of peace talks ended without agreement", "the latest round of negotiations has broken down":
    # the talks are inside the subject of the predicate that carries the status.
    if gov is tok and up and up[-1].pos_ in ("NOUN", "PROPN") and up[-1].dep_ in ("nsubj", "nsubjpass") \
            and up[-1].head.pos_ in ("VERB", "AUX"):
        v = up[-1].head
        rings.append([v, *(c for c in v.children if c.dep_ in ("prt", "acomp", "advmod", "attr", "neg", "aux")
                            or (c.dep_ == "prep" and c.lower_ in STATUS_PREPS)),
                      *(g for c in v.children if c.dep_ == "prep" and c.lower_ in STATUS_PREPS for g in c.children)])
    rings.append([c for c in tok.children if c.dep_ in ("amod", "acl", "relcl", "compound")]
                 + [g for c in tok.children if c.dep_ in ("acl", "relcl") for g in c.children if g.dep_ in ("prt", "advmod", "dobj")])
    for ring in rings:
        lemmas = {t.lemma_.lower() for t in ring}
        for t in ring:
            for c in t.children:
                if c.dep_ == "prt":
                    lemmas.add(f"{t.lemma_.lower()}_{c.lower_}")
        if "without" in {t.lower_ for t in ring} and "end" in lemmas:
            return "collapsed"
        if lemmas & {"edge", "brink", "verge"}:
            return "strained"
        for status in _STATUS_ORDER:
            if lemmas & STATUS_CUES[status]:
                if status == "holds" and key == "talks":
                    continue  # "held talks", "talks took place": the talks happened, which is no status
                if status == "holds" and lemmas & {"place", "effect", "force"} and not lemmas & {"remain", "take", "in", "come"}:
                    continue
                if negated and status in ("holds", "agreed"):
                    return "collapsed" if status == "holds" else None
                if status == "strained" and key == "talks" and not lemmas & {"stall", "strain"}:
                    continue
                return status
    future = any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in (*gov.children, *tok.children))
    if key == "talks" and (future or (time is not None and anchor and time.date_start and time.date_start > anchor)):
        return "scheduled"
    return None


# --------------------------------------------------------------------------- relations


RESPONSE_NOUNS = frozenset("retaliation response revenge reprisal".split())
#: Nouns that refer back to a violent event told before ("Following the violence, ...").
#: At most this many characters between the antecedent's sentence and the sentence that refers back to it.
MAX_GAP = 400
ANAPHORS = frozenset("violence incident incidents escalation unrest flare-up provocation aggression".split())


def with_relations(found: list[tuple[EventMention, Token]], violent: frozenset[str] = frozenset()) -> list[EventMention]:
    """Mentions with their relations; a bare "In retaliation," or an anaphor ("after the violence") points at the
    last ``violent`` mention before it in the same sentence or the previous sentence that has mentions (at most
    :data:`MAX_GAP` characters back)."""
    trig_tokens: dict[int, EventMention] = {}
    for em, head in found:
        trig_tokens[head.i] = em
    order = sorted({em.sentence_start for em, _ in found})
    sent_no = {s: k for k, s in enumerate(order)}
    out = []
    for em, head in found:
        rels = _relations(head, em, trig_tokens)
        if rels and violent:
            rels = tuple(_antecedent(r, em, found, sent_no, violent) for r in rels)
        out.append(replace(em, relations=rels) if rels else em)
    # "X triggered Y": Y follows from X; "X followed Y": X comes after Y.
    final = {e.id: e for e in out}
    for em, head in found:
        gov = head.head if head.dep_ in ("nsubj",) else None
        if gov is not None and gov.lemma_.lower() in SEQUENCE_VERBS:
            for c in gov.children:
                if c.dep_ == "dobj":
                    other = _event_in(c, trig_tokens)
                    if other is None or other.id == em.id:
                        continue
                    if gov.lemma_.lower() in FOLLOW_VERBS:
                        later, earlier, words = em, other, (gov, c)
                    else:
                        later, earlier, words = other, em, (head, gov)
                    rel = Relation(kind="after", target_event_id=earlier.id, text=f"{words[0].text} {words[1].text}",
                                   start=min(t.idx for t in words), end=max(t.idx + len(t.text) for t in words))
                    cur = final[later.id]
                    if not any(r.kind == "after" and r.target_event_id == earlier.id for r in cur.relations):
                        final[later.id] = replace(cur, relations=cur.relations + (rel,))
    return sorted(final.values(), key=lambda e: (e.start, e.end, e.type))


def _antecedent(rel: Relation, em: EventMention, found: list[tuple[EventMention, Token]], sent_no: dict[int, int],
                violent: frozenset[str]) -> Relation:
    if rel.target_event_id is not None:
        return rel
    words = rel.text.lower().replace(",", " ").split()
    if len(words) > 2 and not (ANAPHORS & set(words) and words[1] in ("the", "this", "that", "these", "those", "such")):
        return rel  # "in retaliation for the killing of ...": about something we did not type, not an anaphor
    k = sent_no[em.sentence_start]
    prior = [o for o, _ in found if o.type in violent and o.id != em.id and o.end <= rel.start
             and k - 1 <= sent_no[o.sentence_start] <= k and em.sentence_start - o.sentence_end <= MAX_GAP]
    return replace(rel, target_event_id=prior[-1].id) if prior else rel


def _event_in(root: Token, trig_tokens: dict[int, EventMention]) -> EventMention | None:
    for t in sorted(root.subtree, key=lambda t: t.i):
        if t.i in trig_tokens:
            return trig_tokens[t.i]
    return None


def _relations(head: Token, em: EventMention, trig_tokens: dict[int, EventMention]) -> tuple[Relation, ...]:
    gov = governor(head)
    rels: list[Relation] = []
    anchors = {head, gov} | {c for c in head.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"}
    if gov.pos_ in ("VERB", "AUX"):
        anchors |= {c for c in gov.children if c.dep_ in ("dobj", "attr")}  # "shut the crossing in response to ..." 
    for anchor in sorted(anchors, key=lambda t: t.i):
        if anchor is not head and anchor.pos_ in ("VERB", "AUX") and anchor.lemma_.lower() in END_VERBS:
            continue  # "exchanges that only eased after the ceasefire": the easing came after, not the exchanges
        for c in anchor.children:
            low = c.lower_
            kind = None
            obj: Token | None = None
            if c.dep_ == "prep" and low in ("after", "following"):
                kind = "after"
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            elif c.dep_ == "prep" and low in ("to", "for") and anchor is not head and anchor.dep_ == "attr" \
                    and anchor.lemma_.lower() in RESPONSE_NOUNS:
                kind = "retaliation"  # "the strikes were a response to attacks on its posts"
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            elif c.dep_ == "prep" and low == "in":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() in RESPONSE_NOUNS:
                    kind = "retaliation"
                    inner = next((g for g in pobj.children if g.dep_ == "prep" and g.lower_ in ("for", "to", "against")), None)
                    obj = next((g for g in inner.children if g.dep_ in ("pobj", "pcomp")), None) if inner is not None else None
                    if obj is None:
                        obj = pobj
            elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "after" for m in c.children):
                kind, obj = "after", c
            elif c.dep_ == "amod" and c.lemma_.lower() in ("retaliatory", "punitive") and anchor is head:
                rels.append(Relation("retaliation", None, c.text, c.idx, c.idx + len(c.text)))
                continue
            if kind is None or obj is None or obj.ent_type_ in ("DATE", "TIME"):
                continue  # "after 11am" is a time, not an earlier event
            sub = sorted(obj.subtree, key=lambda t: t.i)
            if sub[0].idx < em.sentence_start or c.idx < em.sentence_start or sub[-1].idx >= em.sentence_end:
                continue  # the parse ran over a line break (a headline): not part of this sentence
            start = min(c.idx, sub[0].idx)
            end = max(sub[-1].idx + len(sub[-1].text), c.idx + len(c.text))
            if start <= em.start < end:
                continue  # the phrase is the event itself ("in retaliation for the attack" is not about itself)
            target = _event_in(obj, trig_tokens)
            doc = head.doc
            text = doc_text(doc)[start:end]
            rels.append(Relation(kind, target.id if target is not None and target.id != em.id else None, text, start, end))
    rels.sort(key=lambda r: (r.start, r.kind))
    return tuple(rels)
