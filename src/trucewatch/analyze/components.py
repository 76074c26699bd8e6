"""Custom spaCy components and registered word lists; each declares what it reads and writes.

* ``trucewatch_line_breaks`` (before the parser): a line break ends a sentence,
  so headlines and list items never run into the next paragraph's sentence.
  Assigns ``token.is_sent_start``.
* ``trucewatch_quote_spans`` (anywhere): the direct-quote regions found by
  :func:`trucewatch.analyze.quotes.find_quote_marks` as ``doc.spans["tw_quotes"]``.
* ``trucewatch_attribute_ruler`` and ``trucewatch_lemmatizer`` take the place of
  the model's own ``attribute_ruler`` and rule ``lemmatizer`` (same names, same
  output, token for token): they remember each result by the token attributes it
  depends on, so most tokens cost a dictionary look-up instead of 179 pattern
  tests and a Python lemmatizer call (see docs/analysis.md, "Speed").

The word lists live in ``data/analyze/lexicon.yaml`` and are registered as
``trucewatch.lexicon.v1``; when their meaning changes, register ``.v2`` and keep
``.v1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import yaml
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import registry

from .aliases import LEXICON_FILE

__all__ = ["Lexicon", "MemoAttributeRuler", "MemoLemmatizer", "SpanIndex", "add_components", "doc_text", "ent_at", "entities",
           "lexicon", "sent_at", "sent_ents", "sentences"]


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


# --------------------------------------------------------------------------- faster stand-ins, same output

#: Remembered results per component; cleared when full, so memory stays bounded on any input.
MEMO_LIMIT = 200_000


class MemoAttributeRuler:
    """The model's ``attribute_ruler`` with its result remembered per token signature.

    A one-token pattern's match depends only on the token attributes the patterns
    read (in the English models: TAG, LOWER, DEP, IS_SPACE), so the merged
    attributes to set are looked up by those values and computed once, by the
    ruler's own patterns on that token. Patterns of several tokens (8 in the
    small English model) run through a :class:`~spacy.matcher.Matcher` of their
    own. Matches apply in the ruler's order (by rule number, later ones win), as
    ``AttributeRuler.set_annotations`` does. A ruler this cannot mirror (patterns
    with operators or extension attributes) is simply called.
    """

    def __init__(self) -> None:
        self.ruler: Any = None
        self.memo: dict[tuple, dict | None] = {}

    def bind(self, ruler: Any) -> None:
        self.ruler = ruler
        vocab = ruler.vocab
        self.single = Matcher(vocab)
        self.multi = Matcher(vocab)
        self.n_multi = 0
        keys: set[str] = set()
        self.fast = True
        for aid in range(len(ruler.attrs)):
            patterns = ruler.matcher.get(str(aid))[1]
            for pattern in patterns:
                if any("OP" in t or "_" in t for t in pattern) or any(k.upper() not in IDS for t in pattern for k in t):
                    self.fast = False
                if len(pattern) == 1 and ruler.indices[aid] in (0, -1):
                    self.single.add(str(aid), [pattern])
                    keys.update(k.upper() for k in pattern[0])
                else:
                    self.multi.add(str(aid), [pattern])
                    self.n_multi += 1
        self.key_attrs = [ORTH if k == "TEXT" else IDS[k] for k in sorted(keys)] or [ORTH]
        self.memo.clear()

    def _merged(self, aids: list[int]) -> dict | None:
        if not aids:
            return None
        merged: dict = {}
        for aid in sorted(aids):
            merged.update(self.ruler.attrs[aid])
        return merged

    def __call__(self, doc: Doc) -> Doc:
        ruler = self.ruler
        if not self.fast:
            return ruler(doc)
        strings = doc.vocab.strings
        extra: dict[int, list[int]] = {}
        if self.n_multi:
            for m_id, s, e in self.multi(doc, allow_missing=True, as_spans=False):
                aid = int(strings[m_id])
                index = ruler.indices[aid]
                i = s + index if index >= 0 else e + index
                if not s <= i < e:
                    return ruler(doc)  # the ruler raises its own error for a bad index
                extra.setdefault(i, []).append(aid)
        memo = self.memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        rows = doc.to_array(self.key_attrs).tolist() if len(doc) else []
        for i, row in enumerate(rows):
            key = tuple(row)
            if key in memo:
                attrs = memo[key]
            else:
                found = self.single(doc[i:i + 1], allow_missing=True, as_spans=False)
                attrs = memo[key] = self._merged([int(strings[m]) for m, _, _ in found])
            if i in extra:
                found = self.single(doc[i:i + 1], allow_missing=True, as_spans=False)
                attrs = self._merged([int(strings[m]) for m, _, _ in found] + extra[i])
            if attrs:
                set_token_attrs(doc[i], attrs)
        return doc


class MemoLemmatizer:
    """The model's rule ``lemmatizer`` with each lemma remembered by (ORTH, POS, MORPH).

    spaCy's rule lemmatizer is a function of exactly those (it caches on them
    itself); this reads them for the whole Doc as one array, asks the lemmatizer
    only for combinations not seen yet, and writes the lemmas back as one array.
    Tokens that already have a lemma (set by the attribute ruler) keep it, as
    with ``overwrite = False``. Other modes or ``overwrite`` call the lemmatizer.
    """

    def __init__(self) -> None:
        self.lemmatizer: Any = None
        self.memo: dict[tuple[int, int, int], int] = {}

    def bind(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.fast = getattr(lemmatizer, "mode", None) == "rule" and not getattr(lemmatizer, "overwrite", True)
        self.memo.clear()

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if not self.fast or not len(doc):
            return lem(doc)
        if not getattr(lem, "_validated", False):
            return lem(doc)  # the lemmatizer checks its tables (and raises) on first use
        memo = self.memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        strings = doc.vocab.strings
        arr = doc.to_array([LEMMA, ORTH, POS, MORPH])
        lemmas = arr[:, 0].copy()
        for i, (lemma, orth, pos, morph) in enumerate(arr.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            h = memo.get(key)
            if h is None:
                h = memo[key] = strings.add(lem.lemmatize(doc[i])[0])
            lemmas[i] = h
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


@Language.factory("trucewatch_attribute_ruler", requires=["token.tag"],
                  assigns=["token.pos", "token.tag", "token.morph", "token.lemma"])
def make_attribute_ruler(nlp: Language, name: str) -> MemoAttributeRuler:
    return MemoAttributeRuler()


@Language.factory("trucewatch_lemmatizer", requires=["token.pos"], assigns=["token.lemma"])
def make_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer()


def _swap(nlp: Language, name: str, stock: type, factory: str) -> None:
    """Put ``factory``'s component in the place (and under the name) of pipe ``name`` when that is spaCy's own
    ``stock`` component, wrapping it (already wrapped or another component: left alone)."""
    old = nlp.get_pipe(name) if name in nlp.pipe_names else None
    if isinstance(old, stock):
        nlp.replace_pipe(name, factory).bind(old)


def add_components(nlp: Language) -> Language:
    """Add the trucewatch components to a loaded pipeline (idempotent).

    The model's ``attribute_ruler`` and rule ``lemmatizer`` are wrapped by
    :class:`MemoAttributeRuler` and :class:`MemoLemmatizer` (same output, faster).
    """
    from spacy.pipeline import AttributeRuler, Lemmatizer

    _swap(nlp, "attribute_ruler", AttributeRuler, "trucewatch_attribute_ruler")
    _swap(nlp, "lemmatizer", Lemmatizer, "trucewatch_lemmatizer")
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
