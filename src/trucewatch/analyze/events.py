"""Event mentions: typed happenings found by lemma and dependency triggers, with who, where, when and how sure.

:func:`events_from` walks each sentence of a parsed article once:

1. **Triggers** come from the taxonomy lexicon (:mod:`.taxonomy`): verb lemmas
   on VERB tokens, noun lemmas on NOUN tokens, multi-word lemma phrases ("air
   strike", "exchange fire"). Ambiguous words pass a syntactic check: "strike"
   needs air/drone/military wording (or becomes an agreement in "strike a
   deal"), "fire" needs a military sentence and is typed by what was fired and
   where (mortar -> shelling, across a border -> cross-border fire),
   "close"/"reopen" need a border word as object or subject, "reject" needs an
   accusation or claim as object.
2. **Hypothetical** violent events ("would trigger deep strikes", "if they
   attack") are skipped: the threat is the event.
3. **Actors** (acting / target) come from the dependency roles of the trigger
   (subject, object, "by", "on"/"against", possessive, nationality modifier)
   matched to the other engineer's Actor mention spans.
4. **Places** are the geocoded places of the sentence (not those naming an
   actor; countries dropped when something more precise is there).
5. **Time** is the resolved TimeExpr in the trigger's clause, else the nearest
   resolved one in the sentence, else none (fusion uses the publication date).
6. **Negation** ("did not", "denied that ...") and **hedging** ("allegedly",
   "reportedly", "accused X of ...") are flags; talks and ceasefire mentions get
   a **status** from cue words near the trigger.
7. **Relations**: "in retaliation for X", "in response to X", "after X",
   "following X", "X triggered Y" link to the event mention inside X.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from ..records import Actor, Article, Claim, EventMention, Place, Quote, TimeExpr, stable_id
from ._event_links import SEQUENCE_VERBS, STATUS_CUES, governor, with_relations
from ._event_links import status as status_of
from .realis import realis_of, role_of
from .timex import before_publication, said_by
from .taxonomy import MILITARY_CONTEXT, STATUS_TYPES, TAXONOMY, EventType, Lexicon, lexicon
from .components import SpanIndex

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

__all__ = ["STATUS_CUES", "events_from"]

BORDER_WORDS = frozenset("border borders crossing crossings checkpoint checkpoints frontier gate gates pass airspace port".split())
HEAVY_WEAPONS = frozenset("mortar artillery shell rocket howitzer missile cannon".split())
AIR_WORDS = frozenset("air drone missile aerial jet warplane aircraft precision retaliatory military israeli helicopter".split())
LABOUR_STRIKE = frozenset("hunger general labour labor worker teacher transport doctor nurse union".split())
DEAL_WORDS = frozenset("deal agreement accord pact bargain truce ceasefire".split())
ACCUSATION_OBJECTS = frozenset("allegation accusation claim charge report involvement responsibility blame suggestion assertion "
                               "account version figure toll".split())
PLAN_VERBS = frozenset("plan plot prepare intend threaten vow".split())  # planned attacks have not happened
HEDGE_WORDS = frozenset("allegedly reportedly purportedly apparently supposedly seemingly".split())
HEDGE_AMODS = frozenset("alleged suspected reported purported apparent possible".split())
HEDGE_GOVERNORS = frozenset("accuse allege claim blame report suspect".split())
MODALS = frozenset("would could might may will shall 'd 'll wo".split())
THREAT_VERBS = frozenset("threaten warn vow".split())
#: Words that put a shooting inside a war (armed forces or groups), where it is an armed clash, not a gun attack.
ARMED_FORCES = frozenset("army military troop troops soldier soldiers militant militants militia fighter fighters insurgent "
                         "insurgents rebel rebels taliban forces battalion brigade regiment artillery attack assault ambush "
                         "raid checkpoint".split())
#: What air defences shoot down: an interception, not a shooting of people.
AIRBORNE = frozenset("drone drones plane planes jet jets aircraft helicopter helicopters missile missiles rocket rockets "
                     "balloon balloons uav uavs".split())
#: Words of a criminal charge or trial: "charged with murder", "guilty of manslaughter" name an offence, not a new event.
LEGAL_WORDS = frozenset("charge convict guilty acquit sentence plead indict count trial jury prosecute attempt "
                        "attempted degree".split())
FIRED_PERSON = frozenset("official minister employee staff coach manager chief worker director".split())
SPEECH_LEMMAS = frozenset("say tell add state claim announce declare confirm report note stress insist allege".split())
DENY_VERBS = frozenset("deny reject dismiss refute".split())
#: Prepositions whose object is where something happens ("in", "near", "along the border").
LOC_PREPS = frozenset("in at near along across inside into within outside around throughout over off beyond toward "
                      "towards through onto upon nearby".split())
#: Nouns a place may own or modify and still be a location ("Afghanistan's Kandahar province").
PLACE_NOUNS = frozenset("province district region area city town village border borders crossing crossings territory "
                        "soil side capital valley frontier outskirts state county zone airspace mountain mountains "
                        "countryside airport base outpost post posts camp neighbourhood neighborhood suburb tehsil "
                        "agency division governorate prefecture municipality belt corridor line".split())
#: People nouns: "officials in Kabul" says where the officials are, not where the event was.
PERSON_NOUNS = frozenset("official officials spokesman spokeswoman spokesperson minister leader leadership government "
                         "authority authorities diplomat diplomats envoy ambassador embassy source sources "
                         "correspondent reporter journalist analyst analysts resident residents".split())


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return lexicon(TAXONOMY)


def events_from(doc: Doc, article: Article, actors: Sequence[Actor], places: Sequence[Place], times: Sequence[TimeExpr],
                claims: Sequence[Claim], quotes: Sequence[Quote], *, taxonomy: Mapping[str, EventType] | None = None,
                event_lexicon: Lexicon | None = None) -> list[EventMention]:
    """Event mentions of ``doc`` (a parse of ``article.text``), sorted by position, with relations resolved.

    ``actors``, ``places``, ``times``, ``claims`` and ``quotes`` are the records
    already found in the same article; mentions point at them (actor ids, claim
    ids, quote ids) or embed them (places, time). ``taxonomy`` defaults to
    :data:`~trucewatch.analyze.taxonomy.TAXONOMY`; ``event_lexicon`` is its lexicon when the caller built it
    once (:func:`~trucewatch.analyze.taxonomy.lexicon`) for many articles.
    """
    tax = TAXONOMY if taxonomy is None else taxonomy
    lex = event_lexicon or (_default_lexicon() if taxonomy is None else lexicon(taxonomy))
    actor_spans = sorted((s, e, a.id) for a in actors for s, e in a.mentions)
    anchor = article.published[:10] if article.published else None
    found: list[tuple[EventMention, Token]] = []
    place_starts = {p.start for p in places if p.feature not in (None, "country")}
    table = _table(doc)
    text = article.text
    dl = (article.dateline or "").strip()
    dateline_end = len(dl) if dl and text.startswith(dl) else 0  # "ISLAMABAD / KABUL –" places the report, not events
    # by position, so each sentence looks only at its own records (a scan of all per sentence grows with the square)
    times_ix, places_ix, claims_ix, quotes_ix = SpanIndex(times), SpanIndex(places), SpanIndex(claims), SpanIndex(quotes)
    actors_ix = SpanIndex(actor_spans, span=lambda x: (x[0], x[1]))
    for sent in _segments(doc, table):
        lemmas = set(table.lemma[sent.start:sent.end])
        military = bool(lemmas & MILITARY_CONTEXT)
        border_cue = bool(lemmas & {"border", "frontier", "cross"}) or "across the border" in sent.text.lower()
        trigs = []
        for key, tokens, head in _triggers(sent, table, lex, military, border_cue, set()):
            if key in tax and tax[key].violent and _hypothetical(head):
                continue  # a threatened or conditional attack is no event at all
            if key == "accusation" and head.pos_ == "NOUN" and head.head.lemma_.lower() in DENY_VERBS:
                continue  # "rejected those allegations": the denial is the event
            trigs.append((key, tokens, head, governor(head)))
        objects = _relation_objects(sent)
        if objects and not military:
            # "recalled its envoy after the raid on its embassy": the earlier event is named as a noun; read the
            # ambiguous words there as the violent sense a sequence speaks of.
            used = {i for _, idx, _, _ in trigs for i in idx}
            for key, tokens, head in _triggers(sent, table, lex, True, border_cue, used):
                if head.i in objects and head.pos_ == "NOUN":
                    trigs.append((key, tokens, head, governor(head)))
        trigs = _merge_same_type(trigs)
        if not trigs:
            continue
        sc, ec = sent.start_char, sent.end_char
        sent_times = [t for t in times_ix.starting_in(sc, ec) if sc <= t.start and t.end <= ec and t.reason != "duration"]
        seg_spans = [x for x in actors_ix.starting_in(sc, ec) if sc <= x[0] and x[1] <= ec]
        sent_claims = [c for c in claims_ix.starting_in(sc, ec) if sc <= c.start < ec]
        sent_quotes = [q for q in quotes_ix.overlapping(sc, ec) if q.start < ec and q.end > sc]
        near_spans = actors_ix.overlapping(sc, ec)  # the actor mentions that can overlap this sentence's places
        trig_toks = {i for _, idx, _, _ in trigs for i in idx}
        sent_places, place_roles = [], []
        for p in places_ix.starting_in(sc, ec):
            if sent.start_char <= p.start and p.end <= sent.end_char and p.start >= dateline_end:
                role = _place_role(doc, p, trig_toks, seg_spans)
                if role is not None:
                    sent_places.append(p)
                    place_roles.append(role)
        time_owner = _owners(doc, trigs, [(t.start, t.end) for t in sent_times], statements=True)
        place_owner = _owners(doc, trigs, [(p.start, p.end) for p in sent_places], statements=True)
        for n, (key, tokens, head, gov) in enumerate(trigs):
            trig = doc[tokens[0]:tokens[-1] + 1]
            acting, target = _roles(head, gov, key, seg_spans, [x[0] for x in seg_spans], place_starts)
            negated = _negated(head, gov, key)
            hedged = _hedged(head, gov)
            time = _pick_time(n, sent_times, time_owner, head)
            if head.tag_ in ("VBD", "VBN") or (key in tax and tax[key].violent and not _hypothetical(head)):
                time = before_publication(time, article.published)  # a reported past event
            status = status_of(head, gov, key, negated, time, anchor) if key in STATUS_TYPES else None
            violent = key in tax and tax[key].violent
            own_places = [p for p, o, r in zip(sent_places, place_owner, place_roles)
                          if (o is None or n in o) and (r == "loc" or violent)]
            anchored = bool((time is not None and time.date_start and time.precision == "day") or any(
                p.feature not in (None, "country") and o is not None and n in o
                for p, o in zip(sent_places, place_owner)) or any(c.category in ("killed", "injured") for c in sent_claims))
            em = EventMention(
                id=stable_id(article.id, "event", key, trig.start_char, trig.end_char, prefix="ev_"),
                article_id=article.id, type=key, trigger=trig.text, start=trig.start_char, end=trig.end_char,
                sentence_start=sent.start_char, sentence_end=sent.end_char,
                acting=acting, target=target,
                places=_places_for(own_places, near_spans, acting + target),
                time=time, negated=negated, hedged=hedged, status=status,
                claim_ids=tuple(c.id for c in sent_claims),
                quote_ids=tuple(q.id for q in sent_quotes),
                realis=realis_of(head, negated=negated, hypothetical=_hypothetical(head), anchored=anchored),
                role=role_of(sent, time.date_start if time is not None else None, article.published),
            )
            found.append((em, head))
    return with_relations(found, frozenset(k for k, t in tax.items() if t.violent))


def _relation_objects(sent: Span) -> set[int]:
    """Token indices inside the object of "after", "following", "in retaliation/response to/for"."""
    out: set[int] = set()
    for t in sent:
        if t.dep_ != "prep":
            continue
        low = t.lower_
        if low in ("after", "following") or (low in ("for", "to", "against") and t.head.lemma_.lower() in
                                             ("retaliation", "response", "revenge", "reprisal")):
            for g in t.children:
                if g.dep_ in ("pobj", "pcomp"):
                    out.update(x.i for x in g.subtree)
    return out


@dataclass(frozen=True, slots=True)
class _Table:
    """Per-token strings read once: spaCy builds a Token object on every access, which dominates the cost."""

    lemma: list[str]
    lower: list[str]
    pos: list[str]
    cuts: list[int]  # token indices where a segment starts


def _table(doc: Doc) -> _Table:
    lemma, lower, pos, cuts = [], [], [], [0]
    for t in doc:
        lemma.append(t.lemma_.lower())
        lower.append(t.lower_)
        pos.append(t.pos_)
        if t.i and t.is_sent_start:
            cuts.append(t.i)
        if t.is_space and "\n" in t.text:
            cuts.append(t.i)
            cuts.append(t.i + 1)
    return _Table(lemma, lower, pos, sorted(set(cuts)))


def _segments(doc: Doc, table: _Table) -> Iterable[Span]:
    """Sentences, split again at line breaks: headlines and paragraphs never share a sentence."""
    bounds = table.cuts + [len(doc)]
    for a, b in zip(bounds, bounds[1:]):
        while a < b and table.pos[a] == "SPACE":
            a += 1
        if a < b:
            yield doc[a:b]


# --------------------------------------------------------------------------- triggers


def _triggers(sent: Span, table: _Table, lex: Lexicon, military: bool, border_cue: bool, used: set[int]
              ) -> Iterable[tuple[str, list[int], Token]]:
    """(type key, token indices, syntactic head token) for each trigger in ``sent``; phrases first."""
    doc = sent.doc
    out: list[tuple[str, list[int], Token]] = []
    lem, low, pos = table.lemma, table.lower, table.pos
    a, b = sent.start, sent.end
    words = [doc[i].text for i in range(a, b) if pos[i] not in ("PUNCT", "SPACE", "DET", "ADP", "CCONJ")]
    headline = (len(words) <= 20 and low[b - 1] not in (".", "!", "?")  # headlines carry no final stop
                and sum(w[:1].isupper() for w in words) >= 0.7 * max(len(words), 1))
    for k in range(a, b):
        for phrase, key in lex.phrases.get(lem[k], ()):
            n = len(phrase)
            if k + n <= b and (tuple(lem[k:k + n]) == phrase or tuple(low[k:k + n]) == phrase):
                idx = list(range(k, k + n))
                if any(i in used for i in idx):
                    continue
                head = _phrase_head(doc, idx)
                key = _refine(key, head, military, border_cue)
                if key is None:
                    continue
                used.update(idx)
                out.append((key, idx, head))
                break
    for k in range(a, b):
        if k in used:
            continue
        lemma, lower, p = lem[k], low[k], pos[k]
        keys: tuple[str, ...] = ()
        if p == "VERB" or (p == "ADJ" and lemma in ("shut", "closed", "close")):
            keys = lex.verbs.get(lemma, ()) or lex.verbs.get("close" if lemma == "closed" else "", ())
        elif p == "NOUN" or (p == "PROPN" and lower in lex.nouns):
            keys = lex.nouns.get(lower, ()) or lex.nouns.get(lemma, ())
        if not keys:
            continue
        tok = doc[k]
        if p == "PROPN" and not headline and tok.ent_type_ in ("ORG", "FAC") and (
                tok.ent_iob_ == "I" or (k + 1 < b and doc[k + 1].ent_iob_ == "I")):
            continue  # part of a name: "the Joint Ceasefire Verification Mechanism" (but not a Title Case headline)
        for key in keys:
            refined = _refine(key, tok, military, border_cue)
            if refined == key and lemma in lex.needs_context.get(key, ()) and not military:
                continue
            if refined is not None:
                used.add(k)
                out.append((refined, [k], tok))
                break
    out.sort(key=lambda x: x[1][0])
    return out


def _phrase_head(doc: Doc, idx: list[int]) -> Token:
    inside = set(idx)
    for i in idx:
        if doc[i].head.i not in inside or doc[i].head.i == i:
            return doc[i]
    return doc[idx[-1]]


def _dep_lemmas(tok: Token, deps: Iterable[str]) -> set[str]:
    deps = set(deps)
    out = set()
    for c in tok.children:
        if c.dep_ in deps:
            out.add(c.lemma_.lower())
            out.update(g.lemma_.lower() for g in c.children if g.dep_ in ("compound", "amod"))
    return out


def _refine(key: str, tok: Token, military: bool, border_cue: bool) -> str | None:
    """Check an ambiguous trigger in context; return the (possibly corrected) type key or None to drop it."""
    lemma = tok.lemma_.lower()
    mods = _dep_lemmas(tok, ("compound", "amod", "nmod", "npadvmod"))
    if key == "airstrike" and lemma == "strike":
        if tok.pos_ == "VERB":
            if _dep_lemmas(tok, ("dobj",)) & DEAL_WORDS:
                return "ceasefire"
            return key if military else None
        if mods & LABOUR_STRIKE or (tok.head.lemma_.lower() == "on" and tok.dep_ == "pobj"):
            return "protest"
        if mods & AIR_WORDS or military:
            return key
        return None
    if key == "ceasefire" and lemma == "deal" and (mods & {"great", "good"} or tok.pos_ != "NOUN"):
        return None
    if key == "ceasefire" and lemma == "agreement" and tok.head.lower_ == "in" and tok.dep_ == "pobj":
        return None  # "in agreement with"
    if key == "ceasefire" and tok.dep_ == "pobj" and tok.head.lower_ == "without":
        return None  # "ended without agreement": no agreement happened (the talks' status says so)
    if key == "killing" and tok.pos_ == "NOUN":
        cur, near = tok, set(_dep_lemmas(tok, ("amod", "compound")))
        for _ in range(4):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            near.add(cur.lemma_.lower())
        if near & LEGAL_WORDS:
            return None  # the charge or the verdict, told about an earlier killing
    if key == "shooting":
        if lemma == "gun" and tok.pos_ != "VERB":
            return None
        if lemma in ("shoot", "drive") and tok.pos_ == "VERB" and _dep_lemmas(tok, ("dobj",)) & {
                "video", "film", "photo", "picture", "scene", "movie", "episode", "hoop", "basket", "ball"}:
            return None  # filming, sport
        if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children) and \
                _dep_lemmas(tok, ("dobj", "nsubjpass")) & AIRBORNE:
            return None  # "air defences shot down four drones": an interception
        sent_words = {t.lemma_.lower() for t in tok.sent}
        if border_cue and sent_words & ARMED_FORCES:
            return "cross_border_fire"
        if sent_words & ARMED_FORCES:
            return "armed_clash"
        return key
    if key in ("cross_border_fire", "armed_clash") and lemma in ("fire", "firing", "gunfire", "shooting", "exchange", "open", "return", "trade"):
        if lemma == "fire" and (mods & {"house", "forest", "wild", "bush", "camp"} or tok.head.lemma_.lower() == "catch"
                                or (tok.pos_ == "NOUN" and tok.lower_ == "fires")):
            return None  # blazes: gunfire is uncountable, "fires" burn
        if lemma == "fire" and tok.pos_ == "VERB":
            obj = [c for c in tok.children if c.dep_ == "dobj"]
            if obj and (obj[0].ent_type_ == "PERSON" or obj[0].lemma_.lower() in FIRED_PERSON):
                return None
        if not military:
            return None
        subtree = {t.lemma_.lower() for t in tok.subtree} | {tok.head.lemma_.lower()}
        if subtree & HEAVY_WEAPONS:
            return "shelling"
        if key == "cross_border_fire" and lemma in ("fire", "firing", "gunfire", "shooting") and not border_cue:
            return "armed_clash"
        if key == "armed_clash" and border_cue and lemma in ("exchange", "trade", "open", "return", "fire"):
            return "cross_border_fire"
        return key
    if key in ("border_closure", "border_reopening"):
        if tok.pos_ == "NOUN":
            near = {t.lower_ for t in tok.doc[max(tok.i - 4, 0):tok.i + 5]}
            return key if near & BORDER_WORDS else None
        args = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "nsubj", "attr")]
        if tok.dep_ in ("acl", "relcl", "amod"):
            args.append(tok.head)  # "the border crossing reopened on Monday" (parsed as a reduced clause)
        for a in args:
            words = {a.lower_, a.lemma_.lower()} | {g.lower_ for g in a.children if g.dep_ in ("compound", "amod")}
            if words & BORDER_WORDS:
                return key
        return None
    if key == "denial" and lemma in ("reject", "dismiss", "refute"):
        objs = _dep_lemmas(tok, ("dobj", "nsubjpass"))
        if objs & ACCUSATION_OBJECTS or any(c.dep_ == "ccomp" for c in tok.children):
            return key
        return None
    if key == "accusation" and lemma == "allege" and (tok.dep_ == "amod" or not any(
            c.dep_ in ("ccomp", "nsubj", "nsubjpass") for c in tok.children)):
        return None  # "alleged hideouts" is a hedge, not an accusation
    if key == "attack" and (mods & {"heart", "panic", "asthma", "cyber"}):
        return None
    if key == "attack" and lemma == "raid" and {t.lemma_.lower() for t in tok.sent} & {"arrest", "detain", "seize", "search"}:
        return None  # police raids that arrest people are part of the arrest event
    if key == "protest" and lemma == "march" and (military or not tok.text.islower()):
        return None  # troops marching, or the month
    if key == "talks" and tok.pos_ != "NOUN" and tok.lower_ == "talks":
        return None
    if key == "displacement" and tok.pos_ == "VERB" and tok.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "conj") \
            and any(c.dep_ == "det" for c in tok.children):
        return None  # "the displaced" are people, not an event
    if key == "threat" and lemma == "vow":
        x = _dep_lemmas(tok, ("xcomp",))
        return key if x & {"retaliate", "respond", "avenge", "fight", "attack", "strike", "hit", "punish", "defend", "revenge"} else None
    if key == "protest" and lemma == "protest" and tok.pos_ == "VERB" and tok.dep_ in ("ccomp", "xcomp") and not military:
        return key
    return key


# --------------------------------------------------------------------------- syntax helpers


def _hypothetical(tok: Token) -> bool:
    gov = governor(tok)
    for t in {tok, gov}:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in MODALS:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                return True
    if gov.dep_ in ("xcomp", "ccomp") and gov.head.lemma_.lower() in THREAT_VERBS:
        return True
    if gov is not tok and gov.lemma_.lower() in PLAN_VERBS and tok.dep_ in ("dobj", "xcomp"):
        return True  # "were planning attacks"
    return gov.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in gov.children)


def _negated(tok: Token, gov: Token, key: str) -> bool:
    """"did not attack", "no talks were held", "denied that its troops had fired"; not "the talks did not produce"."""
    if any(c.dep_ == "neg" for c in tok.children) or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    if gov is not tok and tok.dep_ in ("dobj", "nsubjpass") and gov.lemma_.lower() not in SPEECH_LEMMAS \
            and any(c.dep_ == "neg" for c in gov.children):
        return True
    if tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and _no_one(c) for c in tok.children):
        return True  # "not a single soldier fired", "no troops crossed", "none of our units opened fire"
    if key == "denial":
        return False
    cur = gov
    for _ in range(3):
        if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "xcomp", "pcomp", "dobj", "pobj", "prep", "csubj"):
            break
        cur = cur.head
        if cur.lemma_.lower() in ("deny", "refute"):
            return True
    return False


def _no_one(subject: Token) -> bool:
    """A subject that says nobody: "no troops", "not a single soldier", "none (of our units)", "nobody"."""
    if subject.lower_ in ("none", "nobody", "noone", "no-one"):
        return True
    words = [t.lower_ for t in subject.subtree if t.i < subject.i]
    return bool(words) and (words[0] == "no" or words[:3] == ["not", "a", "single"] or words[:2] == ["not", "one"])


def _hedged(tok: Token, gov: Token) -> bool:
    for t in (tok, gov):
        for c in t.children:
            if c.lower_ in HEDGE_WORDS or (c.dep_ == "amod" and c.lower_ in HEDGE_AMODS):
                return True
    cur = gov
    for _ in range(3):  # "accused X of firing", "reports emerged of strikes", "claimed to have killed"
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.lemma_.lower() in HEDGE_GOVERNORS:
            return True
    return False


def _actors_in(tokens: Iterable[Token], spans: list[tuple[int, int, str]], starts: list[int]) -> list[str]:
    out: list[str] = []
    for t in tokens:
        a, b = t.idx, t.idx + len(t.text)
        j = bisect.bisect_right(starts, a) - 1
        while j >= 0 and j < len(spans):
            s, e, aid = spans[j]
            if s <= a < e or (s < b <= e):
                if aid not in out:
                    out.append(aid)
                break
            if e <= a:
                break
            j -= 1
    return out


def _subtree_no_clauses(tok: Token) -> list[Token]:
    """Tokens of a noun phrase without relative clauses ("the army, which said ...")."""
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "ccomp", "advcl", "appos", "punct")
                     and not (c.dep_ == "prep" and c.lower_ not in ("of", "from")))
    return out


def _roles(tok: Token, gov: Token, key: str, spans: list[tuple[int, int, str]], starts: list[int],
           place_starts: set[int] = frozenset()) -> tuple[tuple[str, ...], tuple[str, ...]]:  # type: ignore[assignment]
    if not spans:
        return (), ()
    acting: list[str] = []
    target: list[str] = []

    def take(into: list[str], toks: Iterable[Token]) -> None:
        for aid in _actors_in(toks, spans, starts):
            if aid not in into:
                into.append(aid)

    if tok.pos_ == "VERB" or tok is gov and tok.pos_ in ("VERB", "ADJ"):
        verb = tok
        for c in verb.children:
            if c.dep_ in ("nsubj",):
                take(acting, _subtree_no_clauses(c))
            elif c.dep_ in ("nsubjpass", "dobj"):
                take(target, _subtree_no_clauses(c))
            elif c.dep_ == "agent":
                for g in c.children:
                    take(acting, _subtree_no_clauses(g))
            elif c.dep_ == "prep" and c.lower_ in ("on", "against", "at"):
                for g in c.children:
                    take(target, _subtree_no_clauses(g))
        if not acting:  # "accused X of firing": the accused is the actor of the embedded act
            up = verb.head
            if verb.dep_ == "pcomp" and up.dep_ == "prep" and up.head.lemma_.lower() in HEDGE_GOVERNORS | {"deny"}:
                for c in up.head.children:
                    if c.dep_ == "dobj":
                        take(acting, _subtree_no_clauses(c))
            elif verb.dep_ == "pcomp" and up.dep_ == "prep" and up.head.dep_ == "dobj" and \
                    up.head.head.lemma_.lower() in HEDGE_GOVERNORS:
                take(acting, _subtree_no_clauses(up.head))  # "accused [troops of firing]" parsed inside the object
            elif verb.dep_ in ("xcomp", "conj", "advcl", "pcomp"):
                for c in (up.head if up.dep_ == "prep" else up).children:
                    if c.dep_ == "nsubj":
                        take(acting, _subtree_no_clauses(c))
    else:
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                mod = [c, *[g for g in c.children if g.dep_ in ("compound", "conj", "amod")]]
                if c.dep_ != "poss" and any(m.left_edge.idx in place_starts or m.idx in place_starts for m in mod):
                    continue  # "the Istanbul talks", "Kabul explosions": a venue, not a party
                take(acting, mod)
            elif c.dep_ == "prep" and c.lower_ == "by":
                for g in c.children:
                    take(acting, _subtree_no_clauses(g))
            elif c.dep_ == "prep" and c.lower_ in ("on", "against"):
                for g in c.children:
                    take(target, _subtree_no_clauses(g))
            elif c.dep_ == "prep" and c.lower_ == "between":
                for g in c.children:
                    take(acting, _subtree_no_clauses(g))
        if not acting and tok.dep_ in ("dobj", "attr") and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() not in DENY_VERBS:
            for c in tok.head.children:  # "Pakistan conducted airstrikes", "Qatar brokered a ceasefire"
                if c.dep_ == "nsubj":
                    take(acting, _subtree_no_clauses(c))
        for c in tok.children:  # "the ceasefire that X and Y signed", "a truce brokered by Z"
            if not acting and c.dep_ in ("relcl", "acl") and c.pos_ == "VERB":
                for g in c.children:
                    if g.dep_ == "nsubj" and g.lemma_.lower() not in ("that", "which", "who"):
                        take(acting, _subtree_no_clauses(g))
                    elif g.dep_ == "agent":
                        for h in g.children:
                            take(acting, _subtree_no_clauses(h))
        if not acting and tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ == "VERB":
            for c in tok.head.head.children:  # "the Taliban responded with attacks"
                if c.dep_ == "nsubj":
                    take(acting, _subtree_no_clauses(c))
    target = [t for t in target if t not in acting]
    return tuple(acting), tuple(target)


def _places_for(inside: Sequence[Place], spans: list[tuple[int, int, str]], role_ids: tuple[str, ...]) -> tuple[Place, ...]:
    """The event's places: not those naming one of its actors; countries only when nothing more precise is there."""
    role_spans = [(s, e) for s, e, aid in spans if aid in role_ids]
    inside = [p for p in inside if not any(s < p.end and p.start < e for s, e in role_spans)]
    if any(p.feature not in ("country", None) for p in inside):
        inside = [p for p in inside if p.feature != "country"]
    seen: set[tuple[str | None, str]] = set()
    out = []
    for p in inside:
        k = (p.gazetteer_id, p.name)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return tuple(out)


Trig = tuple[str, list[int], "Token", "Token"]  # key, token indices, head, governing verb


def _merge_same_type(trigs: list[Trig]) -> list[Trig]:
    """One mention per happening: "firing four mortar rounds" is one shelling, not two."""
    out: list[Trig] = []
    for t in trigs:
        key, idx, head, gov = t
        dup = None
        for k, o in enumerate(out):
            if o[0] != key:
                continue
            oh = o[2]
            if oh.i in _up(head, 2) or head.i in _up(oh, 2):
                dup = k
                break
        if dup is None:
            out.append(t)
        elif head.i in _up(out[dup][2], 2):
            out[dup] = t  # keep the governing trigger
    return out


def _up(tok: Token, n: int) -> set[int]:
    """Indices of the ``n`` nearest ancestors of ``tok``."""
    out = set()
    for _ in range(n):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out.add(tok.i)
    return out


def _place_role(doc: Doc, p: Place, trig_toks: set[int], actor_spans: list[tuple[int, int, str]]) -> str | None:
    """How a place is used in its sentence: "loc" where something happens ("in Kandahar province", "near the
    Chaman crossing", "the Kabul blasts"), "obj" for the object of a verb or of "on"/"against" ("struck Kabul",
    "attacks on Kabul": a place only for violent events), None when it names an actor or something else
    ("Islamabad said", "Pakistan's minister", "the government in Kabul", a dateline)."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return None
    cur = span.root
    for _ in range(8):
        if cur.i in trig_toks:
            return "loc"
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            return None
        if dep in ("compound", "amod", "nmod", "appos", "conj", "npadvmod") and cur.i != head.i:
            if head.i in trig_toks and dep != "conj":
                return "loc"  # "the Kabul blasts", "Istanbul talks"
            if dep == "npadvmod" and head.pos_ not in ("NOUN", "PROPN"):
                # "a Doha-brokered truce": where the trigger was brokered; else no place of an event
                return "loc" if head.dep_ in ("amod", "acl") and head.head.i in trig_toks else None
            cur = head  # "Kandahar province", "Istanbul, Turkey", "Khost and Kurram"
            continue
        if dep == "poss":
            if head.lemma_.lower() in PLACE_NOUNS or head.i in trig_toks:
                cur = head  # "Afghanistan's Kandahar province"
                continue
            return None  # "Pakistan's interior minister"
        if dep == "pobj" and head.dep_ == "prep":
            prep = head.lower_
            owner = head.head
            if owner.i not in trig_toks and any(s <= owner.idx < e for s, e, _ in actor_spans):
                return None  # "the Taliban-led government in Kabul": where the actor is, not the event
            if owner.lemma_.lower() in PERSON_NOUNS:
                return None  # "officials in Kabul"
            before = doc[head.i - 1] if head.i > 0 else None
            if owner.pos_ == "VERB" and before is not None and before.lemma_.lower() in PERSON_NOUNS \
                    and before.dep_ in ("dobj", "pobj") and before.head.i == owner.i:
                return None  # "accused the government in Kabul of ...", attached to the verb by the parser
            if prep in LOC_PREPS:
                return "loc"
            return "obj" if prep in ("on", "against") else None
        if dep == "dobj" and head.pos_ == "VERB":
            return "obj"
        return None
    return None


def _owners(doc: Doc, trigs: list[Trig], spans: list[tuple[int, int]], statements: bool = False
            ) -> list[set[int] | None]:
    """For each char span, the triggers whose clause it hangs from (nearest up the tree); None = the whole sentence.

    With ``statements``, a span hanging from a speech verb that is no trigger ("X said in Islamabad that ...")
    belongs to the statement, so to no event of the sentence."""
    tok_owner: dict[int, int] = {}
    gov_owner: dict[int, set[int]] = {}
    for n, (_, idx, head, gov) in enumerate(trigs):
        for i in idx:
            tok_owner[i] = n
        gov_owner.setdefault(gov.i, set()).add(n)
    out: list[set[int] | None] = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        owner: set[int] | None = None
        if span is not None:
            cur = span.root
            for _ in range(12):
                if cur.i in tok_owner:
                    owner = {tok_owner[cur.i]}
                    break
                if cur.i in gov_owner:
                    owner = set(gov_owner[cur.i])
                    if statements and cur.pos_ == "VERB" and cur.lemma_.lower() in SPEECH_LEMMAS:
                        # "confirmed on October 28 that the talks had failed": the day of the statement; only
                        # what is announced itself ("announced a ceasefire on Monday") takes it
                        owner = {k for k in owner if trigs[k][2].dep_ == "dobj" and trigs[k][2].head.i == cur.i} or {STATEMENT}
                        break
                    if cur.lemma_.lower() in SEQUENCE_VERBS and len(owner) > 1:
                        # "the talks followed a ceasefire on October 19": the date is the object's
                        objects = {k for k in owner if trigs[k][2].dep_ != "nsubj"}
                        owner = objects or owner
                    break
                if statements and cur.pos_ == "VERB" and cur.lemma_.lower() in SPEECH_LEMMAS:
                    owner = {STATEMENT}
                    break
                if cur.head.i == cur.i:
                    break
                if cur.dep_ in ("advcl", "relcl", "acl", "csubj") and cur.pos_ in ("VERB", "AUX"):
                    # A clause on a trigger ("the ceasefire signed on March 23") belongs to it; any other clause
                    # is about something else ("since the Taliban took power in 2021").
                    owner = {tok_owner[cur.head.i]} if cur.dep_ in ("relcl", "acl") and cur.head.i in tok_owner else set()
                    break
                cur = cur.head
        out.append(owner)
    return out


STATEMENT = -1  # owner of a time that dates the statement ("..., the agency said on Tuesday"), not an event


def _pick_time(n: int, times: Sequence[TimeExpr], owner: list[set[int] | None], head: Token) -> TimeExpr | None:
    """The event's own resolved time, else a resolved time of the whole sentence, else its own unresolved one,
    else the days up to the statement that tells it."""
    own = [t for t, o in zip(times, owner) if o is not None and n in o]
    # A noun inside a prepositional phrase ("held Thursday on charges of murder", "a hearing Monday in the
    # shooting") is an earlier event named in passing: the sentence's time is the other verb's.
    nested = head.pos_ in ("NOUN", "PROPN") and (head.dep_ == "pobj" or (head.dep_ in ("compound", "amod", "conj")
                                                                         and head.head.dep_ == "pobj"))
    free = [] if nested else [t for t, o in zip(times, owner) if o is None]
    if nested:  # only a time inside its own phrase ("in the shooting on Saturday") is its own
        lo, hi = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
        own = [t for t in own if lo <= t.start and t.end <= hi]
    for pool in ([t for t in own if t.date_start], [t for t in free if t.date_start], own):
        if pool:
            return min(pool, key=lambda t: abs(t.start - head.idx))
    said = [t for t, o in zip(times, owner) if o is not None and STATEMENT in o and t.date_start]
    return said_by(min(said, key=lambda t: abs(t.start - head.idx))) if said else None
