"""Property tests: whatever span a record points at, a citation is an exact, bounded passage around it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trucewatch.report._index import MAX_PASSAGE, CitationBook, DocIndex, sentence_bounds

WORDS = st.sampled_from(["Gen.", "Dr.", "said", "fire", "posts", "U.S.", "12", "“We", "left.”", "Mr", "attack", "border", "."])
SEPS = st.sampled_from([" ", " ", " ", ". ", "\n", "\n\n", "? ", "! "])


@st.composite
def text_and_span(draw):
    parts = draw(st.lists(st.tuples(WORDS, SEPS), min_size=1, max_size=120))
    text = "".join(w + s for w, s in parts).strip() or "x"
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300, deadline=None)
@given(text_and_span())
def test_sentence_bounds_contain_the_span_and_stay_short(case):
    text, start, end = case
    s, e = sentence_bounds(text, start, end)
    assert 0 <= s <= start < end <= e <= len(text)
    assert e - s <= max(MAX_PASSAGE, end - start)
    assert "\n" not in text[s:start] and "\n" not in text[end:e]


@settings(max_examples=200, deadline=None)
@given(text_and_span())
def test_a_citation_quotes_its_article_exactly(case):
    text, start, end = case
    book = CitationBook(DocIndex({"articles": [{"id": "a", "outlet": "O", "published": None, "text": text}]}))
    cid = book.span("a", start, end)
    if not text[start:end].strip():
        assert cid is None  # whitespace is never cited
        return
    (c,) = book.all()
    assert c.id == cid and text[c.start : c.end] == c.quote
    assert (c.focus_start, c.focus_end) == (start, end)
    assert book.span("a", start, end) == cid  # same span, same citation
    assert book.span("a", end, start) is None and book.span("a", 0, len(text) + 1) is None


def test_report_public_api_is_sorted_and_importable():
    import trucewatch.report as report

    assert report.__all__ == sorted(report.__all__)
    for name in report.__all__:
        assert getattr(report, name) is not None
