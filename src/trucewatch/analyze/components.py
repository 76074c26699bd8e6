"""Custom spaCy components and registered word lists; each declares what it reads and writes.

* ``trucewatch_line_breaks`` (before the parser): a line break ends a sentence,
  so headlines and list items never run into the next paragraph's sentence.
  Assigns ``token.is_sent_start``.
* ``trucewatch_quote_spans`` (anywhere): the direct-quote regions found by
  :func:`trucewatch.analyze.quotes.find_quote_marks` as ``doc.spans["tw_quotes"]``.

The word lists live in ``data/analyze/lexicon.yaml`` and are registered as
``trucewatch.lexicon.v1``; when their meaning changes, register ``.v2`` and keep
``.v1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import yaml
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .aliases import LEXICON_FILE

__all__ = ["Lexicon", "add_components", "doc_text", "ent_at", "entities", "lexicon", "sent_at", "sent_ents", "sentences", "SpanIndex"]


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy joins every token on each access)."""
    text = doc.user_data.get("tw_text")
    if text is None:
        text = doc.text
        doc.user_data["tw_text"] = text
    return text


def sentences(doc: Doc) -> list:
    """``list(doc.sents)``, computed once per Doc (``Token.sent`` rescans the whole Doc on every call)."""
    cached = doc.user_data.get("tw_sents")
    if cached is None:
        cached = list(doc.sents)
        doc.user_data["tw_sents"] = cached
        doc.user_data["tw_sent_starts"] = [s.start for s in cached]
    return cached


def sent_at(doc: Doc, i: int):
    """The sentence holding token ``i`` (bisect over the cached sentence starts)."""
    import bisect

    sents = sentences(doc)
    k = bisect.bisect_right(doc.user_data["tw_sent_starts"], i) - 1
    return sents[max(0, k)]


def entities(doc: Doc) -> tuple:
    """``doc.ents``, computed once per Doc (spaCy builds a new tuple of spans over the whole Doc on each access).

    Valid while the Doc's entities do not change; the analyze steps read them and never set them.
    """
    cached = doc.user_data.get("tw_ents")
    if cached is None:
        cached = tuple(doc.ents)
        doc.user_data["tw_ents"] = cached
        doc.user_data["tw_ent_starts"] = [e.start for e in cached]
    return cached


def ent_at(doc: Doc, i: int):
    """The entity holding token ``i``, or None (bisect over the cached entity starts)."""
    import bisect

    ents = entities(doc)
    k = bisect.bisect_right(doc.user_data["tw_ent_starts"], i) - 1
    return ents[k] if k >= 0 and i < ents[k].end else None


def sent_ents(doc: Doc, sent) -> list:
    """``sent.ents`` (the entities wholly inside sentence ``sent``) without rescanning the Doc's entities."""
    import bisect

    ents = entities(doc)
    k = bisect.bisect_left(doc.user_data["tw_ent_starts"], sent.start)
    out = []
    while k < len(ents) and ents[k].end <= sent.end:
        out.append(ents[k])
        k += 1
    return out


class SpanIndex:
    """Records with character offsets, found by position in O(log n + hits) instead of a scan of all of them.

    ``span(item)`` gives ``(start, end)``. Results keep the order of the items given, so a scan that this
    replaces returns the same list.
    """

    def __init__(self, items, span=lambda x: (x.start, x.end)) -> None:
        import itertools

        self._items = list(items)
        keyed = sorted((span(x)[0], span(x)[1], k) for k, x in enumerate(self._items))
        self._starts = [s for s, _, _ in keyed]
        self._keys = [k for _, _, k in keyed]
        self._reach = list(itertools.accumulate((e for _, e, _ in keyed), max))  # furthest end so far

    def starting_in(self, lo: int, hi: int) -> list:
        """Items whose start is in ``[lo, hi]``."""
        import bisect

        a, b = bisect.bisect_left(self._starts, lo), bisect.bisect_right(self._starts, hi)
        return [self._items[k] for k in sorted(self._keys[a:b])]

    def overlapping(self, lo: int, hi: int) -> list:
        """Items that may overlap ``[lo, hi)``: every one starting before ``hi`` and ending after ``lo`` is
        among them (the caller applies its exact test)."""
        import bisect

        b = bisect.bisect_left(self._starts, hi)
        a = bisect.bisect_right(self._reach, lo, 0, b)  # before a, nothing reaches past lo
        return [self._items[k] for k in sorted(self._keys[a:b])]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The general word lists of lexicon.yaml, as frozensets and dicts."""

    role_nouns: frozenset[str]
    title_words: frozenset[str]
    armed_group_cues: frozenset[str]
    media_cues: frozenset[str]
    group_speaker_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    claim_verbs: Mapping[str, str]
    quantifier_hedges: Mapping[str, Mapping[str, str]]
    vague_quantities: Mapping[str, tuple[float | None, float | None, float | None]]
    category_of: Mapping[str, str]  # predicate word or lemma -> category
    units: Mapping[str, str]
    victims: Mapping[str, Any]  # victim counting: harm verbs, fate words, person nouns (analyze/victims.py)


@registry.misc("trucewatch.lexicon.v1")
def lexicon() -> Lexicon:
    """The bundled word lists (cached; read once per process)."""
    return _lexicon()


@lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    data: dict[str, Any] = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    category_of: dict[str, str] = {}
    for cat, words in data["categories"].items():
        for w in words:
            category_of.setdefault(w, cat)
    return Lexicon(
        role_nouns=frozenset(data["role_nouns"]),
        title_words=frozenset(data["title_words"]),
        armed_group_cues=frozenset(data["armed_group_cues"]),
        media_cues=frozenset(data["media_cues"]),
        group_speaker_nouns=frozenset(data["group_speaker_nouns"]),
        speech_verbs=frozenset(data["speech_verbs"]),
        speech_nouns=frozenset(data["speech_nouns"]),
        claim_verbs=dict(data["claim_verbs"]),
        quantifier_hedges={k: dict(v) for k, v in data["quantifier_hedges"].items()},
        vague_quantities={k: tuple(v) for k, v in data["vague_quantities"].items()},
        category_of=category_of,
        units=dict(data["units"]),
        victims={k: (frozenset(v) if isinstance(v, list) else dict(v)) for k, v in data["victims"].items()},
    )


# --------------------------------------------------------------------------- components


class LineBreaks:
    """Start a sentence after every token that contains a line break (or is followed by one)."""

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                nxt = doc[tok.i + 1]
                if not nxt.is_space:
                    nxt.is_sent_start = True
        return doc


@Language.factory("trucewatch_line_breaks", requires=[], assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str) -> LineBreaks:
    return LineBreaks()


class QuoteSpans:
    """Direct-quote regions as ``doc.spans["tw_quotes"]`` (token spans covering the quoted words)."""

    def __call__(self, doc: Doc) -> Doc:
        from .quotes import find_quote_marks  # quotes imports this module's Lexicon; import here avoids a cycle

        spans = []
        chars = find_quote_marks(doc_text(doc))
        doc.user_data["tw_quote_chars"] = chars
        for qs, qe in chars:
            span = doc.char_span(qs, qe, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["tw_quotes"] = spans
        return doc


@Language.factory("trucewatch_quote_spans", requires=[], assigns=["doc.spans", "doc.user_data"])
def make_quote_spans(nlp: Language, name: str) -> QuoteSpans:
    return QuoteSpans()


def add_components(nlp: Language) -> Language:
    """Add the trucewatch components to a loaded pipeline (idempotent)."""
    if "trucewatch_line_breaks" not in nlp.pipe_names:
        before = next((n for n in ("parser", "senter", "sentencizer") if n in nlp.pipe_names), None)
        if before:
            nlp.add_pipe("trucewatch_line_breaks", before=before)
        else:
            nlp.add_pipe("trucewatch_line_breaks", first=True)
    if "trucewatch_quote_spans" not in nlp.pipe_names:
        nlp.add_pipe("trucewatch_quote_spans", last=True)
    if not any(n in nlp.pipe_names for n in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer", after="trucewatch_line_breaks")
    return nlp
