"""Articles over the model's max_length: paragraph-aligned parts, offsets into the whole text, progress."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_batch
from trucewatch.analyze.chunks import paragraph_chunks, parse_in_chunks
from trucewatch.records import Analysis
from trucewatch.settings import Settings

_piece = st.one_of(st.sampled_from(["\n\n", "\n", " ", ". ", "\n \n\n", "word", "Another sentence here."]),
                   st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))


@settings(max_examples=400, deadline=None)
@given(st.lists(_piece, max_size=60).map("".join), st.integers(min_value=1, max_value=120))
def test_chunks_cover_the_text_in_order_and_keep_to_the_limit(text, limit):
    spans = paragraph_chunks(text, limit)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(0 < e - s <= limit for s, e in spans) or text == ""
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc .,", min_size=1, max_size=40).map(str.strip).filter(bool), min_size=1, max_size=30),
       st.integers(min_value=45, max_value=300))
def test_chunks_end_at_paragraph_breaks_when_the_paragraphs_fit(paragraphs, limit):
    text = "\n\n".join(paragraphs)
    for s, e in paragraph_chunks(text, limit)[:-1]:
        assert text[s:e].endswith("\n\n")  # a break after every part but the last: no paragraph is cut


PARAGRAPHS = [
    "Talks between the river councils of Veldor and Kastamar broke down on Monday, officials said, after a "
    "week of argument over the ferry tolls that both towns collect at the crossing.",
    "The Veldor council said its negotiators had offered to halve the toll for farm lorries. Kastamar rejected "
    "the offer and closed the bridge to all traffic from the west bank late in the evening.",
    "Traders waiting on the approach road said the queue of vehicles had grown through the night. Several "
    "drivers told reporters they had been turned back twice by guards at the barrier.",
    "Mayor Ilse Brandt of Kastamar said the closure would last until Veldor withdrew new charges on grain barges. "
    "“We will not pay twice for the same river,” Brandt told reporters outside the town hall.",
]
LAST = ("Health officials in Miraval said 37 people were killed when shells struck the market on Tuesday, "
        "and that 12 others were wounded.")


def test_a_text_over_the_model_limit_is_analyzed_in_parts_with_offsets_into_the_whole_text(monkeypatch):
    res = resources()
    text = "\n\n".join(PARAGRAPHS * 4 + [LAST])
    monkeypatch.setattr(res.nlp, "max_length", 1500)  # this test's text is over three times that
    parts: list[tuple[int, int]] = []
    [result] = analyze_batch([article(text)], Settings.from_env(env={}), res,
                             on_part=lambda a, done, total: parts.append((done, total)))
    assert isinstance(result, Analysis), result
    total = len(paragraph_chunks(text, 1500))
    assert total >= 3 and parts == [(k, total) for k in range(1, total + 1)]
    for c in result.claims:
        assert c.original in text[c.start:c.end]
    for q in result.quotes:
        assert text[q.start:q.end] == q.text
    for p in result.places:
        assert text[p.start:p.end] == p.name
    for t in result.times:
        assert text[t.start:t.end] == t.text
    for ev in result.events:
        assert text[ev.start:ev.end] == ev.trigger
    # the last part is analyzed too, at its place in the whole text
    killed = [c for c in result.claims if c.value == 37]
    assert killed and killed[0].category == "killed" and killed[0].start > len(text) - len(LAST)
    assert sum(q.text.startswith("We will not pay twice") for q in result.quotes) == 4


def test_joined_parts_are_one_doc_of_the_whole_text(monkeypatch):
    res = resources()
    text = "\n\n".join(PARAGRAPHS * 2)
    doc = parse_in_chunks(res.nlp, text, limit=400)
    assert doc.text == text and len(paragraph_chunks(text, 400)) > 2
    assert len(doc.user_data["tw_quote_chars"]) == 2 and len(doc.spans["tw_quotes"]) == 2
    assert any(e.label_ in ("GPE", "PERSON") for e in doc.ents)


def test_an_article_skipped_as_too_long_by_an_earlier_version_is_analyzed_now(settings, store):
    from trucewatch import pipeline
    from trucewatch.records import RawInput

    art = article("\n\n".join(PARAGRAPHS), article_id="long1")
    store.add_article(art, RawInput("long.txt", "txt", art.text.encode()))
    store.set_states({pipeline.SKIP_STATE + "long1": "the text is longer than the model's limit of 1000000 characters"})
    report = pipeline.analyze(settings, store)
    assert report.analyzed == 1 and report.skipped_before == 0 and store.analysis("long1").quotes
