"""`trucewatch demo` end to end on the sample corpus, `trucewatch brief`, `export --format csv|geojson`, packaging."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT

from trucewatch.cli import cli
from trucewatch.report import validate_geojson

pytestmark = pytest.mark.slow

OUTPUTS = ("brief.html", "brief.md", "incidents.csv", "incidents.geojson", "trucewatch.json")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One real run of `trucewatch --db DB demo --out OUT examples/sample-corpus` (ingest, analyze, fuse, reports)."""
    tmp = tmp_path_factory.mktemp("demo")
    db, out = tmp / "out" / "demo.db", tmp / "out"
    result = CliRunner().invoke(cli, ["--db", str(db), "demo", "--out", str(out), str(EXAMPLES)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {"db": db, "out": out, "output": result.output}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_demo_writes_every_report_and_prints_a_summary(demo):
    for name in OUTPUTS:
        path = demo["out"] / name
        assert path.is_file() and path.stat().st_size > 200, name
        assert str(path) in demo["output"]
    doc = json.loads((demo["out"] / "trucewatch.json").read_text(encoding="utf-8"))
    first = [line for line in demo["output"].splitlines() if " incidents (" in line][0]
    assert first.startswith(f"{len(doc['incidents'])} incidents (")
    assert f"{len(doc['disputes'])} disputes" in first
    n_outlets = len({a["outlet"] for a in doc["articles"] if a["outlet"]})
    assert f"{len(doc['articles'])} articles from {n_outlets} named outlets, " in first
    assert len(doc["articles"]) >= 12 and doc["incidents"]


def test_demo_brief_citations_resolve_against_the_exported_articles(demo, tmp_path):
    doc = json.loads((demo["out"] / "trucewatch.json").read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    code, _ = run("--db", str(demo["db"]), "brief", "--format", "json", "-o", str(tmp_path / "b.json"))
    assert code == 0
    brief = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert brief["citations"]
    for c in brief["citations"]:
        assert texts[c["article_id"]][c["start"] : c["end"]] == c["quote"]
    bottom = next(s for s in brief["sections"] if s["key"] == "bottom_line")
    assert all(sent["cites"] for g in bottom["groups"] for sent in g["sentences"])
    disputes = next(s for s in brief["sections"] if s["key"] == "disputes")
    assert bool(disputes["groups"]) == bool(doc["disputes"])


def test_demo_csv_and_geojson_match_the_json(demo):
    doc = json.loads((demo["out"] / "trucewatch.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((demo["out"] / "incidents.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(doc["incidents"])
    assert {r["event_id_cnty"].split("-", 1)[1] for r in rows} == {i["id"] for i in doc["incidents"]}
    gj = json.loads((demo["out"] / "incidents.geojson").read_text(encoding="utf-8"))
    validate_geojson(gj)
    assert len(gj["features"]) + gj["unlocated"] == len(doc["incidents"])
    assert len(gj["features"]) == sum(1 for r in rows if r["latitude"])


def test_demo_html_brief_is_self_contained_with_map_and_timeline(demo):
    html = (demo["out"] / "brief.html").read_text(encoding="utf-8")
    assert '<svg id="map"' in html and '<svg id="timeline"' in html
    assert "<script" not in html and "<link" not in html
    assert html.count('class="incident') >= 2


def test_rerunning_the_demo_adds_nothing_twice(demo):
    code, output = run("--db", str(demo["db"]), "demo", "--out", str(demo["out"]), str(EXAMPLES))
    assert code == 0, output
    assert "0 added" in output and "0 skipped" in output
    assert (demo["out"] / "brief.html").is_file()


def test_brief_command_formats_and_suffix_inference(demo, tmp_path):
    code, md = run("--db", str(demo["db"]), "brief")
    assert code == 0 and md.startswith("# ") and "## Bottom line" in md and "[^c1]:" in md
    code, _ = run("--db", str(demo["db"]), "brief", "-o", str(tmp_path / "brief.html"))
    assert code == 0 and (tmp_path / "brief.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, _ = run("--db", str(demo["db"]), "brief", "--since", "2026-03-20", "-o", str(tmp_path / "recent.md"))
    assert code == 0 and "since 2026-03-20" in (tmp_path / "recent.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [(["brief", "--story", "no-such-story"], "No story 'no-such-story'"),
     (["brief", "--since", "yesterday"], "ISO date")],
    ids=["unknown-story", "bad-date"],
)
def test_brief_command_errors_are_one_clear_line(demo, args, message):
    result = CliRunner().invoke(cli, ["--db", str(demo["db"]), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_brief_on_an_empty_store_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "empty.db"), "brief"])
    assert result.exit_code == 1 and "trucewatch add" in result.output


def test_export_command_writes_csv_and_geojson(demo, tmp_path):
    code, _ = run("--db", str(demo["db"]), "export", "--format", "csv", "-o", str(tmp_path / "i.csv"))
    assert code == 0
    header = (tmp_path / "i.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,")
    code, out = run("--db", str(demo["db"]), "export", "--format", "geojson")
    assert code == 0
    validate_geojson(json.loads(out))


def test_makefile_demo_target_runs_the_documented_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(VENV)/bin/trucewatch --db out/demo.db demo --out out examples/sample-corpus" in makefile


def test_wheel_build_ships_the_sample_corpus_and_demo_finds_it(tmp_path):
    """setup.py's build_py hook copies examples/sample-corpus into the package; demo falls back to that copy."""
    build_lib = tmp_path / "site"
    script = (
        "import sys; sys.argv=['setup.py']; import runpy; g = runpy.run_path('setup.py', run_name='not_main');"
        "from setuptools import Distribution, find_packages;"
        "d = Distribution({'name': 'trucewatch', 'packages': find_packages('src'), 'package_dir': {'': 'src'},"
        " 'cmdclass': {'build_py': g['BuildPyWithSampleCorpus']}}); d.script_name = 'setup.py';"
        f"cmd = d.get_command_obj('build_py'); cmd.build_lib = {str(build_lib)!r}; cmd.ensure_finalized(); cmd.run()"
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    shipped = sorted(p.name for p in (build_lib / "trucewatch" / "data" / "sample-corpus").iterdir())
    assert shipped == sorted(p.name for p in EXAMPLES.iterdir())
    # From the built copy (no examples/ beside it), demo's corpus lookup lands on the shipped data.
    r = subprocess.run(
        [sys.executable, "-c", "import trucewatch.cli.report as r; print(r.sample_corpus())"],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(build_lib), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()) == build_lib / "trucewatch" / "data" / "sample-corpus"


@pytest.mark.browser
def test_demo_brief_draws_every_located_and_dated_incident_in_chromium(demo):
    from playwright.sync_api import sync_playwright

    gj = json.loads((demo["out"] / "incidents.geojson").read_text(encoding="utf-8"))
    doc = json.loads((demo["out"] / "trucewatch.json").read_text(encoding="utf-8"))
    dated = sum(1 for i in doc["incidents"] if i.get("date_start"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((demo["out"] / "brief.html").as_uri())
            assert page.locator("svg#map circle.incident").count() == len(gj["features"])
            assert page.locator("svg#timeline rect.incident").count() == dated
            box = page.locator("svg#map").bounding_box()
            for i in range(page.locator("svg#map circle.incident").count()):
                c = page.locator("svg#map circle.incident").nth(i).bounding_box()
                assert c["width"] > 0 and box["x"] <= c["x"] <= box["x"] + box["width"]
        finally:
            browser.close()


def test_make_demo_runs_from_the_makefile():
    """The exact `make demo` line, through the installed console script (the venv is already installed)."""
    r = subprocess.run(["make", "-o", ".venv/.installed-stamp", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "incidents (" in r.stdout and "out/brief.html" in r.stdout
    for name in OUTPUTS:
        assert (ROOT / "out" / name).is_file()
