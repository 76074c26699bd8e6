"""Victims counted from noun phrases, as a careful coder counts them.

News tells a toll in words as often as in numbers: "a 23-year-old man was shot and
killed" is one killed, "a woman and her two sons were wounded" three injured, "no one
was hurt" none. :func:`with_victims` finds the harm predicates of a parsed article
(kill, wound, die, "was pronounced dead", "in critical condition", and "shot" or
"stabbed" with the fate unsaid), the noun phrase of their victim (the object or the
passive subject; the subject of "died" or "is dead"; shared across "shot and killed")
and counts it: a numeral, "both", a person ("a man", "the victim", a name, "he") is
one, conjuncts add up, "no one" and "nobody" are zero.

Within one article:

* the same victim told again ("the victim", "he") is not counted again: the figure of a
  singular victim is the running count of victims of that fate so far, and a new one
  ("another man", "a second victim") counts on;
* people struck whose fate is not said are injured only beyond the killed told
  elsewhere in the article ("two people were shot. One died." is 1 killed, 1 injured),
  or beyond a part of themselves ("two people were shot, one fatally");
* harm that is negated, hypothetical, future or only intended ("was not hurt", "could
  have been killed", "threatened to shoot", "tried to kill") is not counted.

A numeric claim (claims.py) already found at the same number keeps its id, claimant and
hedge and takes the fate as its category. New claims are attributed like numeric ones.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..records import Article, Claim, Quote, stable_id
from .actors import ActorIndex, is_headline
from .claims import attribute, outlet_of, parse_number
from .components import Lexicon, doc_text, sent_at

__all__ = ["is_tally", "tallies", "victim_mentions", "with_victims"]

#: Characters after a figure in which a tally cue ("in separate shootings across the city") is looked for.
TALLY_REACH = 80

_RANK = {"hit": 0, "injured": 1, "killed": 2}
_MODALS = {"could", "would", "might", "may", "will", "shall", "should", "must", "can", "'d", "'ll", "wo", "ca"}
_INTENT = {"try", "attempt", "threaten", "plan", "want", "vow", "seek", "intend", "aim", "conspire", "plot", "hope",
           "order", "urge", "ask", "tell", "fear", "risk"}
_BE = {"be", "remain", "lie", "stay"}
_STATE = {"pronounce", "find", "leave", "declare", "confirm", "list", "report"}
_ONE = {"he", "she", "him", "her", "himself", "herself", "i", "me", "myself"}
_ZERO = {"nobody", "none", "no-one", "noone"}


@dataclass(frozen=True, slots=True)
class VictimMention:
    """One victim noun phrase and its fate: ``count`` people (None: not countable), killed | injured | hit."""

    head: Token
    pred: Token
    fate: str
    count: float
    numeral: Token | None  # the number token the count came from
    singular: bool  # a person named without a number ("a man", "he", "John Doe")
    new: bool  # "another", "a second": not one told before
    partitive: bool  # "one fatally", "one of them": part of victims told in the same sentence


def _fatal(pred: Token) -> bool:
    """'fatally shot', 'shot to death', 'shot dead'."""
    for c in pred.children:
        if c.dep_ == "advmod" and c.lower_ in ("fatally", "mortally"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
        if c.dep_ in ("oprd", "acomp", "advmod", "xcomp") and c.lower_ == "dead":
            return True
    return False


def _passive(pred: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in pred.children)


def _fate(pred: Token, vx) -> tuple[str, str] | None:
    """(fate, role) of a predicate: role "obj" (the victim is its object or passive subject) or "subj"."""
    lemma = pred.lemma_.lower()
    if pred.pos_ == "NOUN" and lemma in vx["harm_nouns"]:
        if any(c.lower_ in ("attempted", "attempt", "planned", "alleged") for c in pred.children):
            return None
        return vx["harm_nouns"][lemma], "of"  # "the death of Tiffany Doe", "the shooting of two teens"
    if pred.pos_ not in ("VERB", "AUX"):
        return None
    if lemma in vx["harm_verbs"]:
        if lemma == "gun" and not any(c.lower_ == "down" for c in pred.children):
            return None
        fate = vx["harm_verbs"][lemma]
        return ("killed" if fate == "hit" and _fatal(pred) else fate), "obj"
    if lemma in vx["die_verbs"]:
        return vx["die_verbs"][lemma], "subj"
    if lemma in _BE or lemma in _STATE:
        for c in pred.children:
            if c.dep_ in ("acomp", "oprd", "attr") and c.lower_ in vx["fate_words"]:
                return vx["fate_words"][c.lower_], ("subj" if lemma in _BE or _passive(pred) else "obj")
            if lemma in _BE and c.dep_ == "prep" and c.lower_ == "in":
                if any(g.lower_ == "condition" and any(a.lower_ in vx["condition_words"] for a in g.children)
                       for g in c.children):
                    return "injured", "subj"
    return None


def _irrealis(pred: Token) -> bool:
    """Negated, modal, conditional or intended harm."""
    node = pred
    for _ in range(3):
        for c in node.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) or (c.dep_ == "mark" and c.lower_ in ("if", "unless")):
                return True
        if node.dep_ in ("xcomp", "conj") and node.head is not node:
            if node.dep_ == "xcomp" and node.head.lemma_.lower() in _INTENT:
                return True
            node = node.head
            continue
        break
    return False


def _victim_heads(pred: Token, role: str, vx) -> list[Token]:
    if role == "of":
        return [g for c in pred.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    deps = ("nsubjpass", "dobj") if role == "obj" else ("nsubj", "nsubjpass")
    own = [c for c in pred.children if c.dep_ in deps]
    if own:
        return [pred.head if c.tag_ in ("WP", "WDT") and pred.dep_ == "relcl" else c for c in own]
    node = pred
    while node.dep_ == "conj" and node.head is not node:  # "was shot and killed": the first verb's subject
        node = node.head
        shared = [c for c in node.children if c.dep_ in ("nsubjpass",) + (("nsubj",) if role == "subj" else ())]
        if shared:
            return shared
    if role == "obj":
        for c in pred.children:  # "shot and killed two people": the object of the second verb
            if c.dep_ == "conj" and c.lemma_.lower() in vx["harm_verbs"]:
                objs = [g for g in c.children if g.dep_ == "dobj"]
                if objs:
                    return objs
        if pred.tag_ == "VBN" and pred.dep_ == "acl" and pred.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [pred.head]  # "a man shot in the leg"
        if pred.tag_ == "VBN" and pred.dep_ in ("ccomp", "xcomp", "oprd"):
            return [c for c in pred.children if c.dep_ == "nsubj"]  # "found a man shot dead"
    return []


def _count_one(tok: Token, lex: Lexicon, fate: str) -> tuple[float | None, Token | None, bool]:
    """(people, numeral token, singular) of one conjunct; people None when it is not a countable person."""
    vx = lex.victims
    low = tok.lower_
    if low in _ZERO or (low == "one" and any(c.lower_ == "no" for c in tok.children)):
        return 0.0, None, False
    num = next((c for c in tok.children if c.dep_ == "nummod" and c.like_num), None)
    if num is None and tok.like_num:
        num = tok
    if num is not None:
        v = parse_number(num.text)
        if v is None and num.lower_ in lex.vague_quantities:
            v = lex.vague_quantities[num.lower_][0]
        return v, num, False
    if low == "both" or any(c.lower_ == "both" and c.dep_ in ("det", "predet", "preconj") for c in tok.children):
        return 2.0, None, False
    if tok.pos_ == "PRON":
        return (1.0, None, True) if low in _ONE else (None, None, False)
    if _aged(tok):
        return 1.0, None, True  # "Reyes, 52,", "a 31-year-old cook": an age makes a person
    if tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "ORG", "FAC", "NORP", "DATE")):
        return 1.0, None, True
    if tok.tag_ in ("NN", "JJ") and (low in vx["person_nouns"] or low in lex.role_nouns
                                     or (fate != "hit" and _AGENT.search(low))):
        return 1.0, None, True  # a person noun; with a fate other than "struck", also an agent noun ("a welder")
    return None, None, False


_AGENT = re.compile(r"..(?:er|or|ist|ian|ant|ent)$")


def _aged(tok: Token) -> bool:
    """A noun with an age: an appositive number ("Reyes, 52,") or an N-year-old modifier."""
    for c in tok.children:
        if c.dep_ == "appos" and c.is_digit and 0 < int(c.text) <= 110:
            return True
        if c.dep_ == "amod" and c.lower_ in ("old", "year-old") and any(g.lower_ in ("year", "years") for g in c.children):
            return True
    return False


def _count(head: Token, lex: Lexicon, fate: str) -> tuple[float | None, Token | None, bool, bool]:
    """(people, numeral, singular, new) of a victim noun phrase with its conjuncts."""
    parts = [head, *head.conjuncts] if head.dep_ != "conj" else [head]
    if len(parts) > 1 and (sum(any(c.dep_ == "nummod" for c in p.children) or p.like_num for p in parts) > 1
                           or any(p.lower_ in lex.armed_group_cues for p in parts)):
        return None, None, False, False  # "five soldiers and 25 militants": figures of their own, never one sum
    total, numeral, singular = 0.0, None, len(parts) == 1
    for p in parts:
        if any(c.lower_ in ("else", "other") for c in p.children):
            return None, None, False, False  # "no one else was hurt": says nothing of the whole
        v, num, one = _count_one(p, lex, fate)
        if v is None:
            return None, None, False, False
        total += v
        numeral = numeral or num
        singular = singular and one
    new = any(c.lower_ in lex.victims["another"] for p in parts for c in [*p.children, p] if c.dep_ in ("det", "amod") or c is p)
    return total, numeral, singular, new


def victim_mentions(doc: Doc, lex: Lexicon) -> list[VictimMention]:
    """Every victim noun phrase of ``doc`` with its strongest fate, in text order (headlines left out)."""
    vx = lex.victims
    found: dict[int, VictimMention] = {}
    for pred in doc:
        got = _fate(pred, vx)
        if got is None or _irrealis(pred):
            continue
        fate, role = got
        for head in _victim_heads(pred, role, vx):
            if is_headline(sent_at(doc, head.i)):
                continue
            count, numeral, singular, new = _count(head, lex, fate)
            if count is None:
                continue
            part = numeral is head and head.dep_ in ("npadvmod", "appos", "nsubj", "advcl") or any(
                c.lower_ == "of" and any(g.lower_ in ("them", "whom", "those") for g in c.children) for c in head.children)
            m = VictimMention(head, pred, fate, count, numeral, singular, new, bool(part))
            old = found.get(head.i)
            if old is None or _RANK[fate] > _RANK[old.fate]:
                found[head.i] = m
    for tok in doc:
        if not tok.like_num or tok.i in found or is_headline(sent_at(doc, tok.i)):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        v = parse_number(tok.text)
        if v is None or nxt is None:
            continue
        if tok.dep_ in ("npadvmod", "appos", "conj") and any(c.lower_ in ("fatally", "mortally") for c in tok.children):
            # "two people were shot, one fatally": the numeral hangs on the verb, not on a noun.
            found[tok.i] = VictimMention(tok, tok.head, "killed", v, tok, False, False, True)
        elif nxt.lower_ in vx["fate_words"] and (after is None or after.pos_ not in ("NOUN", "PROPN")) and v < 1000:
            # "one dead and two wounded", "there is one deceased": a numeral with a fate word for its noun.
            found[tok.i] = VictimMention(tok, nxt, vx["fate_words"][nxt.lower_], v, tok, False, False, False)
    return [found[i] for i in sorted(found)]


def _counted(m: VictimMention) -> str:
    """What the claim counts: the victims' noun ("men", "officer"), else "people"."""
    h = m.head
    if h.pos_ == "NOUN" and h.lower_ not in ("old", "year-old") and not h.like_num:
        return h.lower_
    return "people"


def _span(m: VictimMention, text: str) -> tuple[int, int, str]:
    np_start, np_end = m.head.left_edge.idx, m.head.right_edge.idx + len(m.head.right_edge.text)
    if np_end - np_start > 80:
        np_start, np_end = m.head.idx, m.head.idx + len(m.head.text)
    pred_end = m.pred.idx + len(m.pred.text)
    return min(np_start, m.pred.idx), max(np_end, pred_end), text[np_start:np_end]


def _values(doc: Doc, mentions: list[VictimMention], claims: list[Claim]) -> list[tuple[VictimMention, str, float, str]]:
    """(mention, fate, figure) after the article-level rules: running counts of singular victims, and victims
    struck with their fate unsaid counted as injured only beyond the killed told elsewhere (or as their part)."""
    sent_of = {m.head.i: sent_at(doc, m.head.i).start for m in mentions}
    running = {"dead": 0.0, "alive": 0.0}  # singular victims told so far: the killed, the injured or struck
    valued = []
    for m in mentions:
        v = m.count
        if m.singular:
            k = "dead" if m.fate == "killed" else "alive"
            running[k] = running[k] + 1 if m.new else max(running[k], 1.0)
            v = running[k]
        valued.append((m, v))
    numerals = {m.numeral.idx for m in mentions if m.numeral is not None}
    sent_starts = [s.start_char for s in doc.sents]
    other_killed = [(sent_starts[bisect.bisect_right(sent_starts, c.start) - 1], c.value, False) for c in claims
                    if c.category == "killed" and c.value and not any(c.start <= n < c.end for n in numerals)]
    killed = [(doc[sent_of[m.head.i]].idx, v, m.partitive) for m, v in valued if m.fate == "killed"] + other_killed
    out = []
    for m, v in valued:
        fate, predicate = m.fate, m.pred.text.lower()
        if fate == "hit":
            own = doc[sent_of[m.head.i]].idx
            parts = [k for s, k, part in killed if s == own and part]  # "nine were shot, one fatally"
            # "a boy is dead after he was shot": a pronoun is a victim told before, in this sentence or another
            dead = max(parts or [k for s, k, _ in killed if s != own or m.head.pos_ == "PRON"], default=0.0)
            if v <= dead:
                continue
            fate, v = "injured", v - dead
            predicate += ", not killed" if dead else ""
        out.append((m, fate, v, predicate))
    return out


def with_victims(doc: Doc, article: Article, actors: ActorIndex, quotes: list[Quote], claims: list[Claim]) -> list[Claim]:
    """``claims`` with the victims of ``doc`` counted: numeric claims of a victim take its fate as their category,
    victims named without a number become claims of their own; in text order."""
    lex = actors.lex
    mentions = victim_mentions(doc, lex)
    if not mentions:
        return claims
    text = doc_text(doc)
    quote_spans = doc.user_data.get("tw_quote_chars") or []
    direct = sorted(((q.start, q.end, q) for q in quotes if q.direct), key=lambda d: (d[0], d[1]))
    starts = [d[0] for d in direct]
    outlet = outlet_of(article)
    by_id = {c.id: c for c in claims}
    added: list[Claim] = []
    for m, fate, value, predicate in _values(doc, mentions, claims):
        at = m.numeral.idx if m.numeral is not None else None
        old = next((c for c in claims if at is not None and c.start <= at < c.end), None)
        if old is not None:
            old = by_id[old.id]
            if old.category in ("killed", "injured") and not (old.category == "injured" and fate == "killed") and (
                    old.category != fate or value <= (old.value or 0)):
                continue  # already a casualty figure ("two sons" alone is 2; "a woman and her two sons" is 3)
            if value == old.value:
                by_id[old.id] = dataclasses.replace(old, category=fate, predicate=predicate, counted=old.counted or "people")
                continue
            start, end, original = _span(m, text)  # the figure is the phrase's, not the number's
            by_id[old.id] = dataclasses.replace(old, category=fate, predicate=predicate, value=value, low=value,
                                                high=value, original=original, start=start, end=end,
                                                counted=old.counted or "people")
            continue
        start, end, original = _span(m, text)
        claimant, claimant_id, hedge = attribute(doc, m.pred, doc[m.head.left_edge.i], actors, quote_spans, direct,
                                                 starts, lex, outlet)
        added.append(Claim(
            id=stable_id(article.id, "victims", start, end), article_id=article.id, value=value, low=value,
            high=value, original=original, category=fate, counted=_counted(m), predicate=predicate,
            side=None, claimant=claimant, claimant_actor_id=claimant_id, hedge=hedge, start=start, end=end))
    return sorted([*by_id.values(), *added], key=lambda c: (c.start, c.end, c.id))


def is_tally(text: str, claim: Claim, sentence_end: int, lex: Lexicon) -> bool:
    """Whether ``claim`` counts over many incidents ("at least 35 others have been wounded in shootings across
    Chicago since Friday", "in separate attacks", "so far this year"): such a figure is no one incident's toll.
    A border is not a scope: "killed in attacks across the border" is one incident's."""
    tail = text[claim.end:min(sentence_end, claim.end + TALLY_REACH)]
    return bool(_tally_rx(lex).search(tail))


def tallies(doc: Doc, claims: list[Claim], lex: Lexicon) -> set[str]:
    """Ids of the casualty ``claims`` of ``doc`` that are tallies (:func:`is_tally`)."""
    from .components import sentences

    ends = [(s.start_char, s.end_char) for s in sentences(doc)]
    starts = [a for a, _ in ends]
    text = doc_text(doc)
    out = set()
    for c in claims:
        if c.category not in ("killed", "injured", "casualties"):
            continue
        k = bisect.bisect_right(starts, c.start) - 1
        end = ends[k][1] if k >= 0 else len(text)
        if is_tally(text, c, end, lex):
            out.add(c.id)
    return out


_TALLY: dict[int, re.Pattern] = {}


def _tally_rx(lex: Lexicon) -> re.Pattern:
    rx = _TALLY.get(id(lex))
    if rx is None:
        v = lex.victims
        alt = lambda ws: "|".join(sorted(map(re.escape, ws)))  # noqa: E731
        rx = re.compile(
            rf"\b(?:in|during)\s+(?:\w+\s+)?(?:{alt(v['tally_spread'])})\s+(?:\w+\s+)?(?:{alt(v['tally_events'])})\b"
            rf"|\bin\s+(?:{alt(v['tally_events'])})\s+across\b(?!\s+(?:the\s+)?(?:border|frontier|line)\b)"
            rf"|\bacross\s+(?:the\s+)?(?:{alt(v['tally_scopes'])})\b"
            rf"|\b(?:so\s+far\s+)?this\s+(?:{alt(v['tally_periods'])})\b"
            r"|\b(?:citywide|statewide|nationwide)\b",
            re.I)
        _TALLY[id(lex)] = rx
    return rx

