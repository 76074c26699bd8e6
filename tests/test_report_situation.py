"""Situation reports over the sample corpus: per area and per party against the previous period,
every row cited, the verification workflow reflected, and the HTML rendered in real Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES
from test_brief_browser import ARGS, CHROMIUM, decode_png
from trucewatch import agree, pipeline
from trucewatch.cli import cli
from trucewatch.errors import ConfigError
from trucewatch.fuse import build_export
from trucewatch.report.situation import build_situation, period_bounds, render_situation
from trucewatch.settings import Settings
from trucewatch.store import open_store

DAY = "2026-03-26"  # the sample corpus's first alleged violation: shelling near Chong Chom


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp("sitrep") / "s.db"))
    store = open_store(settings)
    pipeline.ingest([str(EXAMPLES)], settings, store)
    pipeline.analyze(settings, store)
    pipeline.fuse(settings, store)
    yield settings, store
    store.close()


@pytest.mark.parametrize(("period", "day", "now", "before"), [
    ("day", "2026-03-26", ("2026-03-26", "2026-03-26"), ("2026-03-25", "2026-03-25")),
    ("week", "2026-03-26", ("2026-03-23", "2026-03-29"), ("2026-03-16", "2026-03-22")),
    ("week", "2026-03-23", ("2026-03-23", "2026-03-29"), ("2026-03-16", "2026-03-22")),
], ids=["day", "week-from-thursday", "week-from-monday"])
def test_periods_and_the_period_before(period, day, now, before):
    assert period_bounds(period, day) == (now, before)


def test_a_bad_period_or_date_is_a_clear_error():
    with pytest.raises(ConfigError, match="ISO date"):
        period_bounds("day", "26/03/2026")
    with pytest.raises(ConfigError, match="day or week"):
        period_bounds("month", DAY)


def test_the_day_report_lists_its_events_each_cited_with_exact_words(sample):
    _settings, store = sample
    doc = build_export(store)
    rep = build_situation(doc, "day", DAY)
    assert rep["events"] and all(e["date"] == DAY for e in rep["events"])
    shelling = next(e for e in rep["events"] if e["type"] == "shelling")
    assert shelling["violations"] and shelling["violations"][0]["verification"] == "reported"
    text = {a["id"]: a["text"] for a in doc["articles"]}
    labels = {s["label"] for s in rep["sources"]}
    for e in rep["events"]:
        assert e["sources"] and set(e["sources"]) <= labels
    for s in rep["sources"]:
        assert s["quote"] and s["quote"] == text[s["article_id"]][s["start"]:s["end"]].strip()
    annex = {e["label"] for e in rep["events"]}
    for row in (*rep["areas"], *rep["parties"], *rep["disputes"]):
        assert row["events"] and set(row["events"]) <= annex
    assert rep["counts"]["violations"] >= 1


def test_counts_are_compared_with_the_previous_period(sample):
    _settings, store = sample
    doc = build_export(store)
    day = build_situation(doc, "day", DAY)
    before = build_situation(doc, "day", "2026-03-25")
    assert day["counts"]["incidents_previous"] == before["counts"]["incidents"]
    week = build_situation(doc, "week", DAY)
    assert week["counts"]["incidents"] >= day["counts"]["incidents"]
    for r in week["areas"]:
        assert r["change"] == r["incidents"] - r["incidents_previous"]


def test_the_report_shows_each_step_of_the_verification_workflow(sample):
    settings, store = sample
    vio = next(v for v in store.fused("violation") if v["date"] == DAY)
    party = vio["accused"][0]
    for action, value in (("investigate", None), ("verify", party)):
        agree.apply_review(store, agree.make_review("violation", vio["id"], action, value=value, reason="site visit",
                                                    reviewer="M. Dara"))
    rep = build_situation(build_export(store), "day", DAY)
    event = next(e for e in rep["events"] if any(v["id"] == vio["id"] for v in e["violations"]))
    assert event["violations"][0]["verification"] == "verified" and event["violations"][0]["attributed_to"] == party
    assert next(p for p in rep["parties"] if p["party"] == party)["verified"] == 1
    assert f"verified ({party})" in render_situation(rep, "md")


def test_cli_report_writes_markdown_html_and_json(sample, tmp_path):
    settings, _store = sample
    run = lambda *a: CliRunner().invoke(cli, ["--db", settings.db, "report", *a], catch_exceptions=False)  # noqa: E731
    r = run("--period", "day", "--date", DAY)
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"# Situation report, day of {DAY}") and "## Annex: every event of the period" in r.output
    r = run("--period", "week", "--date", DAY, "-o", str(tmp_path / "week.html"))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "week.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    r = run("--date", DAY, "--format", "json")
    assert json.loads(r.output)["period"] == {"kind": "day", "start": DAY, "end": DAY}
    r = CliRunner().invoke(cli, ["--db", settings.db, "report", "--date", "soon"])
    assert r.exit_code != 0 and "ISO date" in r.output


@pytest.mark.browser
def test_the_html_report_renders_in_chromium_with_its_map_and_annex(sample, tmp_path):
    from playwright.sync_api import sync_playwright

    _settings, store = sample
    doc = build_export(store)
    rep = build_situation(doc, "week", DAY)
    path = tmp_path / "sitrep.html"
    path.write_text(render_situation(rep, "html", doc), encoding="utf-8")
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: run `make system-deps` (apt-get install chromium)"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        box = page.locator("svg#map").bounding_box()
        assert box and box["width"] > 400 and box["height"] > 200
        located = page.locator("svg#map circle.incident").count()
        assert 1 <= located <= len(rep["events"])
        assert page.locator("svg#map path.country").count() >= 3
        land = page.eval_on_selector("svg#map path.country", "e => getComputedStyle(e).fill")
        assert land == "rgb(244, 241, 234)"  # the brief's map style, not the default black
        assert page.locator("tr[id^=event-E]").count() == len(rep["events"])
        shot = tmp_path / "sitrep.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    width, height, rows = decode_png(shot.read_bytes())
    colours = {rows[y][x: x + 3] for y in range(0, height, 9) for x in range(0, 3 * width, 3 * 9)}
    assert width == 1200 and len(colours) > 20, "the report screenshot is (nearly) blank"


def test_the_web_app_serves_one_report_page_per_period_with_previous_and_next(sample):
    from trucewatch.web.server import get_path

    settings, store = sample
    status, _ctype, body = get_path(settings, f"/reports/day/{DAY}", store)
    html = body.decode()
    assert status == 200 and f"Situation report, day of {DAY}" in html
    assert "href='/reports/day/2026-03-25' rel='previous'" in html and "href='/reports/day/2026-03-27' rel='next'" in html
    assert "<style>" not in html and "href='/reports/situation.css'" in html  # the CSP allows no inline style
    status, ctype, css = get_path(settings, "/reports/situation.css", store)
    assert status == 200 and ctype.startswith("text/css") and b"svg .country" in css
    assert get_path(settings, "/reports/month/2026-03-26", store)[0] == 400
    assert get_path(settings, "/reports/day/26-03-2026", store)[0] == 400
