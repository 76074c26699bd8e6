"""The brief built from a hand-made export document: sections, citations, templates, filters, renderers."""

from __future__ import annotations

import json
import re

import pytest
from report_fixture import TEXT, build_doc

from trucewatch.errors import ConfigError, NotFoundError
from trucewatch.report import build_brief, render_json, render_markdown
from trucewatch.report.model import Brief

SECTIONS = ("bottom_line", "timeline", "casualties", "disputes", "quotes", "sources", "agreements", "method")


@pytest.fixture
def doc() -> dict:
    return build_doc()


@pytest.fixture
def brief(doc) -> Brief:
    return build_brief(doc)


def all_cited_items(brief: Brief):
    """(section key, text, cites) for every sentence and table row outside the method note."""
    for s in brief.sections:
        if s.key == "method":
            continue
        for g in s.groups:
            for sent in g.sentences:
                yield s.key, sent.text, sent.cites
            for t in g.tables:
                for row in t.rows:
                    yield s.key, " | ".join(row.cells), row.cites


def test_every_section_is_present_in_order(brief):
    assert tuple(s.key for s in brief.sections) == SECTIONS
    for key in SECTIONS:
        assert brief.section(key).groups, f"section {key} is empty on a fixture that has data for it"


def test_every_citation_is_an_exact_span_of_a_real_article(doc, brief):
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    assert brief.citations
    for c in brief.citations:
        assert c.article_id in texts
        text = texts[c.article_id]
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.quote
        assert c.start <= c.focus_start < c.focus_end <= c.end
        assert c.outlet == next(a["outlet"] for a in doc["articles"] if a["id"] == c.article_id)


def test_every_sentence_and_row_cites_a_known_citation(brief):
    ids = {c.id for c in brief.citations}
    n = 0
    for key, text, cites in all_cited_items(brief):
        assert cites, f"uncited in {key}: {text}"
        assert set(cites) <= ids, f"unknown citation in {key}: {text}"
        n += 1
    assert n > 30


def test_no_bottom_line_sentence_without_a_citation(brief):
    sentences = [s for g in brief.section("bottom_line").groups for s in g.sentences]
    assert len(sentences) >= 8
    assert all(s.cites for s in sentences)


def test_bottom_line_separates_established_single_source_and_disputed(brief):
    groups = {g.heading.split(" ")[0]: g for g in brief.section("bottom_line").groups}
    assert set(groups) == {"Established", "Single-source", "Disputed"}
    established = " ".join(s.text for s in groups["Established"].sentences)
    assert "Vorukh" in established and "2 independent sources" in established
    single = " ".join(s.text for s in groups["Single-source"].sentences)
    assert "reported only by Highland Post" in single
    disputed = " ".join(s.text for s in groups["Disputed"].sentences)
    assert "6 killed" in disputed and "2 killed" in disputed


def test_established_incident_cites_each_independent_report_once(brief):
    """The clash is in a1, its copy a2, and a3: two independent reports, so two citations, not three."""
    sent = next(s for g in brief.section("bottom_line").groups for s in g.sentences if "Vorukh" in s.text and s.tag == "established")
    articles = [brief.citation(c).article_id for c in sent.cites]
    assert len(articles) == 2
    assert "a3" in articles and len({"a1", "a2"} & set(articles)) == 1


def test_bottom_line_states_only_figures_present_in_the_records(doc, brief):
    """Template sentences may only use numbers that are in the fused records (no invented figures)."""
    allowed = set()
    for inc in doc["incidents"]:
        allowed.add(str(inc["independent_sources"]))
        for e in inc["casualties"]:
            for k in ("low", "best", "high"):
                allowed.add(str(e[k]))
        for d in (inc["date_start"], inc["date_end"]):
            allowed.update(str(int(x)) for x in d.split("-"))
        for k in ("low", "best", "high"):
            vals = [e[k] for e in inc["casualties"] if e["category"] == "killed"]
            if vals:
                allowed.add(str(sum(vals)))
    for d in doc["disputes"]:
        for side in d["sides"]:
            allowed.update(re.findall(r"\d+", side["value"]))
    allowed.update(str(n) for n in range(1, 20))  # incident labels I1..In and claimant counts
    for g in brief.section("bottom_line").groups:
        for s in g.sentences:
            for number in re.findall(r"\d+", s.text):
                assert number in allowed, f"{number!r} is not in the records: {s.text}"


def test_timeline_lists_incidents_in_date_order_with_precision_and_sequence(brief):
    table = brief.section("timeline").groups[0].tables[0]
    labels = [r.cells[0] for r in table.rows]
    assert labels == [f"I{n}" for n in range(1, len(labels) + 1)]
    precisions = {r.cells[3]: r.cells[2] for r in table.rows}
    assert precisions["Mortar fire"] == "week" and precisions["Talks"] == "month" and precisions["Shelling"] == "day"
    follows = [s.text for g in brief.section("timeline").groups[1:] for s in g.sentences]
    assert any("Armed clash" in t and "followed I1 (Shelling" in t for t in follows)


def test_casualty_table_keeps_each_claimant_and_side_with_low_best_high(brief):
    groups = brief.section("casualties").groups
    clash = next(g for g in groups if "Vorukh" in g.heading)
    rows = clash.tables[0].rows
    claims = [r for r in rows if r.tag == "claim"]
    estimates = [r for r in rows if r.tag == "estimate"]
    assert {r.cells[1] for r in claims} == {"Kyrgyz border service", "Rustam Nazarov"}
    assert {r.cells[4] for r in claims} == {"Valley Courier", "Central Asia Wire", "Dushanbe Evening"}
    sides = {r.cells[0]: r.cells[5:] for r in estimates}
    assert sides["killed — Kyrgyz border guards"] == ("2", "6", "6")
    assert sides["killed — Tajik soldiers"] == ("3", "3", "3")
    assert any(r.cells[3] == "no more than" for r in claims)


def test_disputes_show_each_side_with_claimant_and_source(brief):
    groups = brief.section("disputes").groups
    assert len(groups) == 4
    fig = next(g for g in groups if g.flag == "figure")
    sides = [s for s in fig.sentences if s.tag == "side"]
    assert [s.text.split(":")[0] for s in sides] == ["Kyrgyz border service", "Rustam Nazarov"]
    assert "Dushanbe Evening" in sides[1].text
    speaker = next(g for g in groups if g.flag == "speaker")
    cited_articles = {brief.citation(c).article_id for s in speaker.sentences for c in s.cites}
    assert {"a3"} <= cited_articles and cited_articles & {"a1", "a2"}


def test_same_quote_cluster_is_shown_once_with_all_outlets_and_speaker_flag(brief):
    quotes = brief.section("quotes")
    texts = [s.text for g in quotes.groups for s in g.sentences]
    hits = [t for t in texts if "We responded only to fire" in t]
    assert len(hits) == 1
    assert "Valley Courier" in hits[0] and "Central Asia Wire" in hits[0] and "Dushanbe Evening" in hits[0]
    assert "Attributed to different speakers" in hits[0]
    assert quotes.groups[0].flag == "speaker"


def test_attributions_fusion_found_compatible_are_not_shown_as_a_speaker_dispute(doc):
    """Without fusion's speaker dispute (a minister and the country he speaks for), the cluster is filed under
    the person named, saying who else it is attributed to."""
    doc["disputes"] = [d for d in doc["disputes"] if d["kind"] != "speaker"]
    quotes = build_brief(doc).section("quotes")
    texts = [s.text for g in quotes.groups for s in g.sentences]
    hit = next(t for t in texts if "We responded only to fire" in t)
    assert "Attributed to different speakers" not in hit and "Also attributed to" in hit
    assert all(g.flag != "speaker" for g in quotes.groups)


def test_quotes_are_grouped_by_speaker_with_role(doc):
    doc["quotes"].append(
        {"id": "q9", "article_id": "a3", "text": "no more than two Kyrgyz guards died in the exchange",
         "speaker": "Nazarov", "speaker_actor_id": "act-nazarov", "cue": "said", "direct": False,
         "start": TEXT["a3"].index("no more than two"), "end": TEXT["a3"].index("no more than two") + 51, "cluster_id": None}
    )
    brief = build_brief(doc)
    g = next(g for g in brief.section("quotes").groups if g.heading.startswith("Rustam Nazarov"))
    assert g.heading == "Rustam Nazarov (defence ministry spokesman)"
    assert "(indirect)" in g.sentences[0].text


def test_sources_section_marks_copies_and_counts_independent_reports(brief):
    s = brief.section("sources")
    rows = s.groups[0].tables[0].rows
    copy_row = next(r for r in rows if r.cells[0] == "Central Asia Wire")
    assert copy_row.cells[3].startswith("copy of Valley Courier")
    assert "(inferred)" in next(r for r in rows if r.cells[0] == "Highland Post").cells[2]
    assert "4 independent reports" in s.note
    assert brief.counts["independent_reports"] == 4 and brief.counts["outlets"] == 5


def test_agreement_section_shows_terms_status_history_violations_and_ledger(brief):
    s = brief.section("agreements")
    headings = [g.heading for g in s.groups]
    assert headings == ["A1 · Ceasefire", "Alleged violations", "Ledger by accused party"]
    ag = s.groups[0]
    assert any(t.text == "Term: set up a joint monitoring commission." for t in ag.sentences)
    statuses = [r.cells[1] for r in ag.tables[0].rows]
    assert statuses == ["agreed", "in force", "collapsed"]
    ledger = s.groups[2].tables[0].rows
    assert ledger[0].cells[:4] == ("Tajikistan", "1", "0", "1")


def test_term_citation_highlights_the_term_itself(brief):
    ag = brief.section("agreements").groups[0]
    term = next(t for t in ag.sentences if t.text.startswith("Term: set up"))
    c = brief.citation(term.cites[0])
    text = TEXT[c.article_id]
    assert text[c.focus_start : c.focus_end] == "set up a joint monitoring commission"


def test_empty_ledger_hook_says_so(doc):
    doc["agreements"], doc["violations"] = [], []
    s = build_brief(doc).section("agreements")
    assert not s.groups and "No agreements" in s.note


def test_story_and_since_filters(doc):
    recent = build_brief(doc, since="2026-04-04")
    labels = {m.title for m in recent.incidents}
    assert "Armed clash, Vorukh" not in labels and "Drone strike, Batken" in labels
    assert {c.article_id for c in recent.citations} <= {"a4", "a5"}
    assert recent.since == "2026-04-04"
    story = build_brief(doc, story_id="st")
    assert story.counts["incidents"] == len(doc["incidents"])
    assert story.title == "Brief: Kyrgyz-Tajik border fighting, April 2026"
    assert build_brief(doc).title == "trucewatch brief"


def test_unknown_story_and_bad_date_are_clear_errors(doc):
    with pytest.raises(NotFoundError, match="No story 'nope'"):
        build_brief(doc, story_id="nope")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        build_brief(doc, since="last week")


def test_a_span_outside_the_text_is_never_cited(doc):
    doc["incidents"][1]["mentions"].insert(0, {"article_id": "a1", "event_id": "x", "start": 10_000, "end": 10_010})
    doc["incidents"][1]["mentions"].insert(0, {"article_id": "missing", "event_id": "y", "start": 0, "end": 5})
    brief = build_brief(doc)
    for c in brief.citations:
        assert TEXT[c.article_id][c.start : c.end] == c.quote


def test_empty_document_gives_a_brief_that_says_there_is_nothing(doc):
    empty = {k: [] for k in doc}
    brief = build_brief(empty)
    assert brief.section("bottom_line").note.startswith("No incidents")
    assert "No articles" in brief.section("sources").note
    assert render_markdown(brief).startswith("# trucewatch brief")


def test_markdown_has_every_section_and_resolving_footnotes(brief):
    md = render_markdown(brief)
    for s in brief.sections:
        assert f"\n## {s.title}\n" in md
    used = set(re.findall(r"\[\^(c\d+)\](?!:)", md))
    defined = set(re.findall(r"^\[\^(c\d+)\]:", md, re.M))
    assert used and used == defined == {c.id for c in brief.citations}


def test_markdown_escapes_source_text(doc):
    doc["articles"][0]["title"] = "A | B *bold* <b>tag</b>"
    md = render_markdown(build_brief(doc))
    assert "A \\| B \\*bold\\* \\<b\\>tag\\</b\\>" in md


def test_json_rendering_round_trips_the_structure(brief):
    data = json.loads(render_json(brief))
    assert [s["key"] for s in data["sections"]] == list(SECTIONS)
    assert len(data["citations"]) == len(brief.citations)
    assert data["citations"][0]["quote"] == brief.citations[0].quote
    assert {m["label"] for m in data["incidents"]} == {f"I{n}" for n in range(1, 7)}


def test_the_fixture_follows_the_published_export_schema(doc):
    """Keeps the hand-made document honest: the report is tested on the shape fusion really exports."""
    from trucewatch.fuse import validate_export

    validate_export(doc)


def test_violation_table_shows_killed_and_injured_apart(doc):
    doc["violations"].append(dict(doc["violations"][0], id="v2", incident_id="inc-drone", date="2026-04-04", casualties=7.0))
    s = build_brief(doc).section("agreements")
    table = next(g for g in s.groups if g.heading == "Alleged violations").tables[0]
    assert table.columns[-2:] == ("Killed", "Injured")
    drone = next(r for r in table.rows if r.cells[-1] != "—")
    assert drone.cells[-2:] == ("2", "5")
    mortar = next(r for r in table.rows if r is not drone)
    assert mortar.cells[-2:] == ("—", "—")


def test_a_reviewed_speaker_is_shown_with_the_review(doc):
    start = TEXT["a3"].index("no more than two")
    doc["quotes"].append(
        {"id": "q9", "article_id": "a3", "text": "no more than two Kyrgyz guards died in the exchange",
         "speaker": "Nazarov", "speaker_actor_id": None, "cue": "said", "direct": True, "start": start,
         "end": start + 51, "cluster_id": None,
         "review": {"action": "set-speaker", "value": "Nazarov", "before": "Someone Else", "reviewer": "qa",
                    "reason": "checked", "at": "2026-04-10T00:00:00+00:00"}}
    )
    texts = [s.text for g in build_brief(doc).section("quotes").groups for s in g.sentences]
    assert any("Speaker set by review (qa); the outlet named Someone Else." in t for t in texts), texts


def test_actor_lists_name_a_country_once_not_also_its_government():
    from trucewatch.report._index import DocIndex

    doc = {"actors": [
        {"id": "g", "name": "Government of Norland", "kind": "government", "country": "NL"},
        {"id": "c", "name": "Norland", "kind": "country", "country": "NL"},
        {"id": "e", "name": "Government of Estavia", "kind": "government", "country": "EV"},
        {"id": "p", "name": "Mira Holm", "kind": "person", "country": "NL"},
    ]}
    index = DocIndex(doc)
    assert index.actor_names(["g", "c", "e", "p", "c"]) == ["Norland", "Government of Estavia", "Mira Holm"]
    assert index.actor_names(["g"]) == ["Government of Norland"]
    assert index.actor_names(["unknown-id"]) == ["unknown-id"]


def test_a_story_brief_states_the_days_and_places_of_the_story():
    doc = build_doc()
    doc["stories"][0].update(date_start="2026-04-10", date_end="2026-04-14", places=["Vorukh", "Batken"])
    brief = build_brief(doc, story_id="st1")
    assert "the story's reports are about" in brief.scope and "Vorukh, Batken" in brief.scope
    assert "the story's reports" not in build_brief(doc).scope  # only a brief of one story says so
