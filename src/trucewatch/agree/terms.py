"""Terms and conditions of an agreement, read sentence by sentence from its articles.

See docs/agreements.md ("How agreements are found") for the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz

from ..records import Actor, Analysis, Article, SourceSpan
from . import _cues as cues
from ._text import countries_in, country_name, party_of_actor, sentences

__all__ = ["Owner", "conditions_of", "terms_of"]


class Owner:
    """Whether a sentence of an article belongs to agreement ``index`` (its nearest agreement mention)."""

    def __init__(self, anchors: Mapping[str, list[tuple[int, int]]], index: int):
        self.anchors = anchors
        self.index = index

    def __call__(self, article_id: str, pos: int) -> bool:
        marks = self.anchors.get(article_id)
        if not marks or len({i for _, i in marks}) < 2:
            return True
        return min(marks, key=lambda m: (abs(m[0] - pos), m[1]))[1] == self.index


# ---------------------------------------------------------------------------- terms


def _clean(clause: str, limit: int = 200) -> str:
    clause = re.sub(r"\s+", " ", clause).strip(" \t-–—•*;,.:")
    clause = re.sub(r"(?:;|,)?\s+and$", "", clause).strip()
    return clause if len(clause) <= limit else clause[: limit - 1].rsplit(" ", 1)[0] + "…"


def terms_of(article_ids: list[str], articles: Mapping[str, Article], owns: Owner) -> tuple[tuple[str, ...], tuple[SourceSpan, ...]]:
    found: dict[str, SourceSpan] = {}
    generic: list[tuple[str, SourceSpan]] = []
    for aid in article_ids:
        text = articles[aid].text
        spans = list(sentences(text))
        in_list = False
        for s0, s1 in spans:
            if not owns(aid, s0):
                in_list = False
                continue
            sent = text[s0:s1]
            # Items of a list after "agreed to:" start with a bullet, a number or a lower-case word;
            # the list ends at the first line that does not, or after an item ending with a full stop.
            listed = in_list and len(sent) < 400 and bool(cues.LIST_ITEM.match(sent))
            in_list = listed and not sent.rstrip().endswith(".")
            if cues.TERM_LIST_INTRO.search(sent):
                in_list = True
                continue
            if not listed and not cues.TERM_CONTEXT.search(sent):
                continue
            matched = False
            for label, rx in cues.TERM_PATTERNS:
                if rx.search(sent):
                    matched = True
                    found.setdefault(label, SourceSpan(aid, s0, s1))
            if matched:
                continue
            if listed:
                generic.append((_clean(sent), SourceSpan(aid, s0, s1)))
            elif (m := cues.AGREED_TO.search(sent)) and not cues.CONDITION_CUES.search(sent):
                clause = _clean(cues.CONDITION_END.split(m.group("clause"))[0])
                if cues.GENERIC_TERM.match(clause):
                    generic.append((clause, SourceSpan(aid, s0 + m.start("clause"), s1)))
    labels = [lbl for lbl, _ in cues.TERM_PATTERNS if lbl in found]
    terms = [(lbl, found[lbl]) for lbl in labels]
    for text_, span in generic:
        if len(text_) < 8 or any(fuzz.token_set_ratio(text_, t) >= 80 for t, _ in terms):
            continue
        terms.append((text_, span))
    return tuple(t for t, _ in terms), tuple(s for _, s in terms)


# ---------------------------------------------------------------------------- conditions


def conditions_of(
    article_ids: list[str], analyses: Mapping[str, Analysis], articles: Mapping[str, Article], parties: frozenset[str],
    owns: Owner,
) -> tuple[tuple[tuple[str, str], ...], tuple[SourceSpan, ...]]:
    out: list[tuple[str, str, SourceSpan]] = []
    for aid in article_ids:
        text = articles[aid].text
        an = analyses[aid]
        actors = {a.id: a for a in an.actors}
        for s0, s1 in sentences(text):
            if not owns(aid, s0):
                continue
            sent = text[s0:s1]
            for m in cues.CONDITION_CUES.finditer(sent):
                # The clause runs from the verb before the cue ("will hold only ...") to its end.
                head = re.search(r"(?:\b(?:will|would|can|could)\s+)?\b\w+\s*$", sent[: m.start()])
                c0 = head.start() if head and m.group(0).lower().startswith("only") else m.start()
                tail = cues.CONDITION_END.search(sent, m.end())
                c1 = tail.start() if tail else len(sent)
                clause = _clean(sent[c0:c1])
                if len(clause) < 12:
                    continue
                party = _condition_party(text, an, actors, s0, s1, s0 + c0, s0 + c1, parties)
                if party is None:
                    continue
                name = country_name(party) or party
                if any(p == name and fuzz.token_set_ratio(clause, c) >= 75 for p, c, _ in out):
                    continue
                out.append((name, clause, SourceSpan(aid, s0, s1)))
    return tuple((p, c) for p, c, _ in out), tuple(s for _, _, s in out)


def _condition_party(
    text: str, an: Analysis, actors: Mapping[str, Actor], s0: int, s1: int, c0: int, c1: int, parties: frozenset[str]
) -> str | None:
    """Which party states a condition: the speaker of the quote it is in, else the nearest party
    actor or country before it in the sentence, else one named after it ("..., the Thai minister said")."""
    for q in an.quotes:
        if q.start <= c0 < max(q.end, q.start + 1) or (c0 <= q.start < c1):
            code = party_of_actor(actors.get(q.speaker_actor_id or ""))
            if code is None and q.speaker:
                code = _code_from_name(q.speaker, actors)
            if code in parties:
                return code
    best: tuple[int, str] | None = None
    for a in actors.values():
        code = party_of_actor(a)
        if code not in parties:
            continue
        for st, en in a.mentions:
            if s0 <= st and en <= c0 and (best is None or st > best[0]):
                best = (st, code)
    for c in countries_in(text[s0:c0], s0):
        if not c.locative and c.code in parties and (best is None or c.start > best[0]):
            best = (c.start, c.code)
    if best:
        return best[1]
    for a in actors.values():
        code = party_of_actor(a)
        if code in parties and any(c1 <= st < s1 for st, _ in a.mentions):
            return code
    for c in countries_in(text[c1:s1], c1):
        if not c.locative and c.code in parties:
            return c.code
    return None


def _code_from_name(name: str, actors: Mapping[str, Actor]) -> str | None:
    for a in actors.values():
        if a.name == name or name in a.aliases:
            if code := party_of_actor(a):
                return code
    for c in countries_in(name):
        return c.code
    return None
