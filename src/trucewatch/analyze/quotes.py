"""Quotes: direct quotes (any quote marks) and indirect speech, each with its speaker and cue verb.

:func:`find_quote_marks` scans the text for quoted regions: curly or straight
double marks, curly single marks, partial quotes inside a sentence, and
quotes that run over several paragraphs (a paragraph that opens a quote
without closing it continues into the next paragraph when that one opens
with a quote mark). :func:`quotes_from` attributes each region to a speaker
found in the same sentence (the subject of a speech verb such as "said",
"warned", "told"; a possessor of "statement"), else the previous quote's
speaker when the quote continues it, else the previous or next sentence.
"He"/"she" resolve to the most recent person subject. Indirect speech
("X said that ...", "X told a news agency that ...") is kept with
``direct=False``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..records import Quote, stable_id
from .actors import ActorIndex, Ent, _org_kind, government_name, is_headline
from .components import Lexicon, doc_text, ent_at, sent_at, sentences

__all__ = ["find_quote_marks", "quotes_from", "speaker_of_verb"]

_OPEN = {"“": "”", "«": "»", "„": "“", "‘": "’"}
_STRAIGHT = '"'
# Tuned together on the golden set: shortest quote kept without a speaker, longest speaker phrase.
MIN_WORDS_UNATTRIBUTED = 3
MAX_SPEAKER_TOKENS = 9
MIN_INDIRECT_TOKENS = 4


def find_quote_marks(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted words (marks excluded), in order.

    >>> t = 'He said “we are ready,” and left.'
    >>> [t[s:e] for s, e in find_quote_marks(t)]
    ['we are ready']
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    open_at: int | None = None  # index after the opening mark
    closer = ""
    while i < n:
        c = text[i]
        if open_at is None:
            if c in _OPEN and (c != "‘" or i == 0 or not text[i - 1].isalnum()):
                open_at, closer = i + 1, _OPEN[c]
            elif c == _STRAIGHT and (i == 0 or not text[i - 1].isalnum()):
                open_at, closer = i + 1, _STRAIGHT
            elif (c == "'" and (i == 0 or text[i - 1] in " \t\n(—–") and i + 1 < n and text[i + 1].isalnum()
                  and _single_quote_closes(text, i + 1)):
                open_at, closer = i + 1, "'"  # British style 'single quotes'; apostrophes never open one
        else:
            if c == closer or (closer == "”" and c == _STRAIGHT) or (closer == _STRAIGHT and c == "”"):
                if closer == "'" and (i + 1 < n and text[i + 1].isalnum() or text[i - 1].isspace()):
                    i += 1  # an apostrophe ("don't", "soldiers' ") inside a single-quoted phrase
                    continue
                if closer == "’" and i + 1 < n and text[i + 1].isalpha():
                    i += 1  # an apostrophe inside a single-quoted phrase ("don’t")
                    continue
                _add(spans, text, open_at, i)
                open_at = None
            elif c == "\n":
                # Paragraph end inside a quote: continue if the next paragraph opens with a quote mark.
                j = i
                while j < n and text[j] in "\n \t\r":
                    j += 1
                if j < n and (text[j] in _OPEN or text[j] == _STRAIGHT) and closer != "’":
                    i = j + 1
                    continue
                # An unclosed quote at the end of a paragraph: keep it when it is long enough.
                if len(text[open_at:i].split()) >= MIN_WORDS_UNATTRIBUTED:
                    _add(spans, text, open_at, i)
                open_at = None
        i += 1
    if open_at is not None and len(text[open_at:].split()) >= MIN_WORDS_UNATTRIBUTED:
        _add(spans, text, open_at, n)
    return spans


def _single_quote_closes(text: str, start: int) -> bool:
    """A straight single quote at ``start - 1`` opens a quote only if a closing one follows in the same paragraph
    (a ' followed by a space or punctuation, after at least two words)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for m in re.finditer(r"(?<=[^\s])'(?=[\s,.;:!?)—–-]|$)", text[start:end]):
        if len(text[start:start + m.start()].split()) >= 2 and not text[start + m.start() - 1] == "s" or \
                len(text[start:start + m.start()].split()) >= 3:
            return True
    return False


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    if e - s >= 2 and any(ch.isalnum() for ch in text[s:e]):
        spans.append((s, e))


# --------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _Attribution:
    speaker: str | None
    ent: Ent | None
    cue: str | None
    start: int | None
    end: int | None


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (pos, 10**12)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[s, e)`` overlaps one of ``spans`` (sorted, not overlapping each other: the last one starting
    before ``e`` reaches furthest)."""
    i = bisect.bisect_left(spans, (e,)) - 1
    return i >= 0 and spans[i][1] > s


def _subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, climbing through "adding", "saying", "warning that" to the main clause."""
    v = verb
    for _ in range(4):
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in {"that", "which", "who"}:
                return child
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head is not v.head:
            v = v.head.head  # "was quoted as saying", "after saying": the verb the phrase hangs on
            continue
        if v.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl", "relcl", "pcomp") and v.head is not v:
            if v.dep_ == "relcl":
                return None
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
                noun = v.head
                # "a statement saying ...": the statement's author, else whoever issued it.
                for child in noun.children:
                    if child.dep_ in ("poss", "compound") and child.pos_ in ("PROPN", "NOUN"):
                        return child
                if noun.dep_ in ("dobj", "pobj") and noun.head is not noun:
                    v = noun.head if noun.dep_ == "dobj" else noun.head.head
                    continue
                return noun
            v = v.head
            continue
        break
    return None


def _phrase(tok: Token, quote_spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``tok`` (no relative clauses, no quotes)."""
    left = tok.left_edge.i
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat", "appos", "prep", "pobj", "nummod", "amod") and child.i - tok.i < MAX_SPEAKER_TOKENS:
            if child.dep_ == "prep" and child.lower_ not in {"of", "from", "for", "in", "at", "with"}:
                break
            right = max(right, child.right_edge.i if child.dep_ != "appos" else child.i)
            if child.dep_ in ("prep", "appos"):
                break
    doc = tok.doc
    while left < tok.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > tok.i and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    if right - left >= MAX_SPEAKER_TOKENS:
        left = max(left, tok.i - MAX_SPEAKER_TOKENS + 1)
    s = doc[left].idx
    e = doc[right].idx + len(doc[right].text)
    return s, e


def speaker_of_verb(verb: Token, actors: ActorIndex, quote_spans: list[tuple[int, int]]) -> _Attribution | None:
    """Who speaks through ``verb`` (its subject as an actor or a group label), or None."""
    subj = _subject_of(verb)
    if subj is None:
        return None
    if _inside(subj.idx, quote_spans):
        return None
    cue = subj.lower_ if subj.lower_ in actors.lex.speech_nouns else verb.text.lower()
    return _attribution_of_noun(subj, cue, actors, quote_spans)


def _attribution_of_noun(subj: Token, cue: str, actors: ActorIndex, quote_spans: list[tuple[int, int]]) -> _Attribution | None:
    text = doc_text(subj.doc)
    low = subj.lower_
    if low in ("he", "she", "him", "her"):
        ent = actors.person_before(subj.idx)
        if ent is None:
            return None
        return _Attribution(ent.name, ent, cue, subj.idx, subj.idx + len(subj.text))
    if low in ("it", "they", "we", "i", "who", "which", "this", "that", "there", "you"):
        if low in ("it", "they"):
            ent = actors.actor_before(subj.idx, {"government", "organization", "armed_group", "country", "group"})
            if ent is not None and low == "it" and ent.kind != "group":
                return _Attribution(ent.name, ent, cue, subj.idx, subj.idx + len(subj.text))
        return None
    if subj.lower_ in actors.lex.speech_nouns:
        # "a statement from the aid agency": the author after "from"/"by".
        for prep in subj.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                author = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if author is not None and author.lower_ not in actors.lex.speech_nouns:
                    att = _attribution_of_noun(author, cue, actors, quote_spans)
                    if att is not None:
                        return att
        # "a foreign ministry statement said": the words before the noun name the speaker.
        mods = [c for c in subj.children if c.dep_ in ("compound", "amod", "poss") and c.i < subj.i]
        if mods and not any(c.dep_ == "poss" for c in mods):
            first = min(m.left_edge.i for m in mods)
            s, e = subj.doc[first].idx, subj.idx - 1
            while e > s and text[e - 1] == " ":
                e -= 1
            hit = actors.overlapping(s, e)
            if hit:
                return _Attribution(hit[0][2].name, hit[0][2], cue, hit[0][0], hit[0][1])
            label = text[s:e].strip()
            if label and label.lower() not in ("the", "a", "an"):
                ent = actors.group(_normalise_label(label, actors), s, e, None)
                return _Attribution(ent.name, ent, cue, s, e)
    if (subj.pos_ == "PROPN" and subj.ent_type_ not in ("GPE", "ORG", "LOC", "FAC", "NORP", "DATE", "TIME", "CARDINAL")
            and not actors.overlapping(subj.idx, subj.idx + len(subj.text))):
        att = _new_person(subj, cue, actors)
        if att is not None:
            return att
    s, e = _phrase(subj, quote_spans)
    # A person named in the phrase wins ("Pakistan's Interior Minister, X,"), then the actor at the head.
    hits = actors.overlapping(s, e)
    people = [h for h in hits if h[2].kind == "person"]
    if people:
        # The person at the head or in apposition to it, else the last one named ("Arland's Prime Minister, X").
        ps, pe, ent = next((h for h in people if h[0] <= subj.idx < h[1]), people[-1])
        return _Attribution(ent.name, ent, cue, ps, pe)
    head_hit = actors.at(subj.idx, subj.idx + len(subj.text))
    if head_hit is None and subj.pos_ == "PROPN":
        # A country or a capital (for its government) the actor pass did not keep at this spot.
        ent_span = ent_at(subj.doc, subj.i)
        if ent_span is None or ent_span.label_ not in ("GPE", "ORG", "PERSON", "NORP"):
            ent_span = subj.doc[subj.i:subj.i + 1]
        name = ent_span.text
        code = actors.countries.country(name)
        if code:
            head_hit = actors.get_or_new(actors.countries.names[code], "country", code)
        elif actors.countries.capital_code(name):
            code = actors.countries.capital_code(name)
            head_hit = actors.get_or_new(government_name(actors.countries.names[code]), "government", code)
            head_hit.aliases.add(name)
        elif (subj.ent_type_ == "ORG" or (subj.text.isupper() and len(subj.text) > 1)) and len(ent_span) <= 6:
            # An organisation the actor pass did not keep ("Hamas said"): an organisation, not a group.
            head_hit = actors.find(name) or actors.new(name, "organization")
            head_hit.votes.update(_org_kind(ent_span, actors.lex))
            if head_hit.votes.get("armed_group", 0) >= max(1, head_hit.votes.get("media", 0)):
                head_hit.kind = "armed_group"
            elif head_hit.votes.get("media"):
                head_hit.kind = "media"
        if head_hit is not None and ent_span is not None:
            actors.add_mention(head_hit, ent_span.start_char, ent_span.end_char)
            return _Attribution(head_hit.name, head_hit, cue, ent_span.start_char, ent_span.end_char)
    if head_hit is None and subj.pos_ == "PROPN":
        # A surname the model did not tag: the person whose name contains it.
        person = next((p for p in reversed(actors.ents) if p.kind == "person" and subj.lower_ in p.name.lower().split()), None)
        if person is not None:
            actors.add_mention(person, subj.idx, subj.idx + len(subj.text))
            return _Attribution(person.name, person, cue, subj.idx, subj.idx + len(subj.text))
    if head_hit is not None and head_hit.kind != "group":
        return _Attribution(head_hit.name, head_hit, cue, s, e)
    if subj.pos_ in ("NOUN", "PROPN") or subj.lower_ in actors.lex.group_speaker_nouns:
        label = text[s:e].strip()
        if subj.pos_ == "NOUN" and subj.lower_ in _NOT_SPEAKERS and not hits:
            return None  # "the talks said"? an event or a thing, not a source
        if hits and head_hit is None:
            # "A statement from Turkey": the actor inside the phrase speaks.
            hs, he, ent = hits[0]
            if subj.lower_ in actors.lex.speech_nouns:
                return _Attribution(ent.name, ent, cue, hs, he)
        country = None
        for t in subj.subtree:
            code = actors.countries.any_code(t.text) if t.text[:1].isupper() else None
            if code:
                country = code
                break
        ent = actors.group(_normalise_label(label, actors), s, e, country)
        return _Attribution(ent.name, ent, cue, s, e)
    return None


def _new_person(subj: Token, cue: str, actors: ActorIndex) -> _Attribution | None:
    """A speaker the model did not tag ("Lawyer Sofia Marin said"): title words become the role."""
    toks = [c for c in subj.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"] + [subj]
    toks = [t for t in toks if t.i >= subj.i - 4]
    for child in subj.children:
        if child.dep_ == "appos" and child.lower_ in actors.lex.role_nouns:
            appos_role = " ".join(t.lower_ for t in child.subtree if t.i <= child.i and t.dep_ not in ("det", "punct", "case", "poss") and t.i > child.left_edge.i - 1)
            break
    else:
        appos_role = None
    toks = [t for t in toks if t.i >= subj.i - 4]
    role = []
    from .actors import _PORTFOLIOS

    def titular(t: Token) -> bool:
        return t.lower_ in actors.lex.role_nouns or t.lower_.rstrip(".") in actors.lex.title_words or t.lower_ in _PORTFOLIOS

    while toks and titular(toks[0]):
        role.append(toks.pop(0).lower_)
    if not toks or not all(t.text[:1].isupper() and t.is_alpha and not titular(t) for t in toks):
        return None
    if actors.countries.any_code(subj.text) or actors.countries.capital_code(subj.text):
        return None  # a country or a capital, not a person
    existing = next((p for p in reversed(actors.ents) if p.kind == "person" and subj.lower_ in p.name.lower().split()), None)
    doc = subj.doc
    name = doc_text(doc)[toks[0].idx:subj.idx + len(subj.text)]
    if len(name.split()) > 4:
        return None
    ent = existing or actors.new(name, "person")
    if role and " ".join(role) not in ent.roles:
        ent.roles.append(" ".join(role))
    if appos_role and appos_role not in ent.roles:
        ent.roles.append(appos_role)
    s, e = toks[0].idx, subj.idx + len(subj.text)
    actors.add_mention(ent, s, e)
    actors.person_subjects.append((s, ent))
    actors.person_subjects.sort(key=lambda x: x[0])
    return _Attribution(ent.name, ent, cue, s, e)


def _normalise_label(label: str, actors: ActorIndex) -> str:
    """"Pakistan's military" -> "Pakistani military"; leading articles and possessive pronouns dropped."""
    label = re.sub(r"^(?:the|a|an|its|their|his|her|our)\s+", "", label, flags=re.I)
    m = re.match(r"^([A-Z][\w\-]*)['’]s\s+(.+)$", label)
    if m:
        code = actors.countries.country(m.group(1))
        if code and code in actors.countries.demonym:
            label = f"{actors.countries.demonym[code]} {m.group(2)}"
    return label


def _cue_tokens(sent: Span, quote_spans: list[tuple[int, int]], lex: Lexicon) -> list[Token]:
    out = []
    for t in sent:
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lex.speech_verbs and not _inside(t.idx, quote_spans):
            out.append(t)
    return out


def _noun_cue(sent: Span, quote_spans: list[tuple[int, int]], actors: ActorIndex) -> _Attribution | None:
    """"X's declaration that ...", "a Foreign Ministry statement described ...": a speech noun with a possessor."""
    for t in sent:
        if t.lower_ in actors.lex.speech_nouns and not _inside(t.idx, quote_spans):
            for child in t.children:
                if child.dep_ in ("poss", "compound") and not _inside(child.idx, quote_spans):
                    att = _attribution_of_noun(child, t.lower_, actors, quote_spans)
                    if att and att.ent is not None:
                        return att
            if t.dep_ in ("nsubj", "nsubjpass"):
                att = _attribution_of_noun(t, t.lower_, actors, quote_spans)
                if att:
                    return att
    return None


def according_to(sent: Span, actors: ActorIndex, quote_spans: list[tuple[int, int]]) -> _Attribution | None:
    """The source named by "according to X" in ``sent``."""
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            to = t.doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                pobj = next((c for c in t.children for c in c.children if c.dep_ == "pobj"), None)
            if pobj is not None and not _inside(pobj.idx, quote_spans):
                att = _attribution_of_noun(pobj, "according to", actors, quote_spans)
                if att is None and pobj.lower_ in ("reports", "report", "media"):
                    return None
                return att
    return None


def _attribute(sents: list[Span], qs: int, qe: int, quote_spans: list[tuple[int, int]], actors: ActorIndex) -> _Attribution | None:
    cues: list[Token] = []
    for sent in sents:
        cues.extend(_cue_tokens(sent, quote_spans, actors.lex))
    # A cue whose clause holds the quote ("X said that the “...”") first, the smallest such clause;
    # then "according to X"; then the cue nearest to the quote.
    covering = [c for c in cues if c.left_edge.idx <= qs and c.right_edge.idx >= qe - 1]
    covering.sort(key=lambda c: c.right_edge.i - c.left_edge.i)
    for cue in covering:
        att = speaker_of_verb(cue, actors, quote_spans)
        if att is not None:
            return att
    for sent in sents:
        att = according_to(sent, actors, quote_spans)
        if att is not None:
            return att
    cues.sort(key=lambda t: min(abs(t.idx - qe), abs(t.idx - qs)))
    for cue in cues:
        att = speaker_of_verb(cue, actors, quote_spans)
        if att is not None:
            return att
    for sent in sents:
        att = _noun_cue(sent, quote_spans, actors)
        if att is not None:
            return att
    return None


def quotes_from(doc: Doc, article_id: str, actors: ActorIndex) -> list[Quote]:
    """Direct and indirect quotes of one parsed article, in text order."""
    text = doc_text(doc)
    # The exact character spans found by the trucewatch_quote_spans component (token spans may be wider).
    spans = doc.user_data.get("tw_quote_chars")
    if spans is None:
        spans = find_quote_marks(text)
    sents = sentences(doc)
    starts = [s.start_char for s in sents]

    def sent_index(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    out: list[Quote] = []
    prev: tuple[int, _Attribution | None] | None = None  # (last sentence index, attribution)
    for qs, qe in spans:
        a, b = sent_index(qs), sent_index(max(qs, qe - 1))
        frame = sents[a:b + 1]
        att = _attribute(frame, qs, qe, spans, actors)
        if att is None and prev is not None and prev[1] is not None and a - prev[0] <= 1:
            att = prev[1]  # the quote continues the previous speaker's words
        if att is None and a > 0 and not _quote_only(sents[a - 1], spans) :
            att = _attribute([sents[a - 1]], qs, qe, spans, actors)
        if att is None and b + 1 < len(sents):
            nxt = sents[b + 1]
            if len(nxt) <= 8:  # a short attribution sentence after the quote ("He added.")
                att = _attribute([nxt], qs, qe, spans, actors)
        words = len(text[qs:qe].split())
        if att is None and words < MIN_WORDS_UNATTRIBUTED:
            prev = (b, None)
            continue
        if words < 6 and _looks_like_name(text[qs:qe]):
            continue  # a quoted name or term ("Fitna al-Khawarij"), not words someone said
        out.append(Quote(
            id=stable_id(article_id, "quote", qs, qe),
            article_id=article_id,
            text=text[qs:qe],
            speaker=att.speaker if att else None,
            speaker_actor_id=actors.id_of(att.ent) if att else None,
            cue=att.cue if att else None,
            direct=True,
            start=qs,
            end=qe,
            speaker_start=att.start if att else None,
            speaker_end=att.end if att else None,
        ))
        prev = (b, att)
    out.extend(_indirect(doc, article_id, actors, spans))
    out.sort(key=lambda q: (q.start, q.end))
    return out


def _quote_only(sent: Span, spans: list[tuple[int, int]]) -> bool:
    inside = sum(1 for t in sent if _inside(t.idx, spans))
    return inside >= max(1, len(sent) - 3)


def _looks_like_name(s: str) -> bool:
    words = s.split()
    return bool(words) and all(w[:1].isupper() or w.lower() in {"al", "of", "the", "e", "i"} for w in re.split(r"[\s\-]+", s) if w)


_DATELINE_PREFIX = re.compile(
    r"[A-Z][A-Z.'’/ -]{2,40}?(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([\w .]+\)\s*)?[—–-]{1,2}\s*")
# Subjects of "said" that are not sources (the verb is then not speech: "the talks said to ...").
_NOT_SPEAKERS = {"talks", "fighting", "attack", "attacks", "clashes", "violence", "ceasefire", "truce", "deal",
                 "agreement", "war", "conflict", "situation", "crisis", "it", "this", "that"}
# Verbs that report a clause placed before them ("..., officials said."); "a charge X denied" is not one.
_PREPOSED_VERBS = {"say", "tell", "add", "report", "claim", "allege", "confirm", "announce", "warn", "insist", "state",
                   "write", "note", "estimate", "believe"}
_INDIRECT_VERBS = {"say", "tell", "warn", "claim", "allege", "insist", "deny", "confirm", "announce", "stress",
                   "add", "state", "note", "argue", "reiterate", "maintain", "assert", "explain", "emphasize",
                   "emphasise", "report", "acknowledge", "admit", "believe", "vow", "threaten", "declare", "predict"}


def _indirect(doc: Doc, article_id: str, actors: ActorIndex, spans: list[tuple[int, int]]) -> list[Quote]:
    text = doc_text(doc)
    out = []
    for verb in doc:
        if verb.lemma_.lower() not in _INDIRECT_VERBS or verb.pos_ not in ("VERB", "AUX") or _inside(verb.idx, spans):
            continue
        if verb.dep_ == "relcl" or any(c.lower_ in ("which", "who", "that") and c.dep_.startswith("nsubj") for c in verb.children):
            continue
        comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        if comp is None:
            # "Soldiers exchanged fire, officials said.": the reported clause comes first.
            comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
            if verb.lemma_.lower() not in _PREPOSED_VERBS:
                comp = None
            if comp is None or verb.i + 1 < len(doc) and not (doc[verb.i + 1].is_punct or doc[verb.i + 1].lower_ in ("on", "in", "at", "late", "early", "this", "last", "after", "before", "during", "yesterday", "today")):
                continue
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in comp.children):
            continue  # a clause without a subject is a misparse, not reported speech
        toks = [t for t in comp.subtree]
        first = toks[0]
        while first.dep_ == "mark" or first.is_punct or first.is_space:
            toks = toks[1:]
            if not toks:
                break
            first = toks[0]
        if len(toks) < MIN_INDIRECT_TOKENS:
            continue
        last = toks[-1]
        while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text not in (")", "]"):
            toks = toks[:-1]
        if len(toks) < MIN_INDIRECT_TOKENS:
            continue
        if toks[0].lower_ == "that" and len(toks) > MIN_INDIRECT_TOKENS:
            toks = toks[1:]
        if is_headline(sent_at(doc, verb.i)):
            continue  # a headline repeats the story's lead
        s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        dl = _DATELINE_PREFIX.match(text, s, e)
        if dl:
            s = dl.end()  # "SURIN — Thai forces ...": the dateline is not part of what was said
        # Direct quotes inside the clause are reported as direct quotes instead.
        if _overlaps(s, e, spans) or "\n" in text[s:e]:
            continue
        att = speaker_of_verb(verb, actors, spans)
        if att is None:
            continue
        del last
        out.append(Quote(
            id=stable_id(article_id, "quote", s, e),
            article_id=article_id,
            text=text[s:e],
            speaker=att.speaker,
            speaker_actor_id=actors.id_of(att.ent),
            cue=verb.text.lower(),
            direct=False,
            start=s,
            end=e,
            speaker_start=att.start,
            speaker_end=att.end,
        ))
    return out
