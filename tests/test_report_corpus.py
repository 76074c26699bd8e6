"""The brief over the shared real corpus (skipped when ../shared/corpus is absent): general invariants only."""

from __future__ import annotations

import csv
import io
import json

import pytest

from trucewatch import pipeline, report
from trucewatch.fuse import build_export

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_brief_over_the_shared_corpus(shared_corpus, settings, store, tmp_path):
    ingested = pipeline.ingest([str(shared_corpus)], settings, store)
    assert ingested.added
    pipeline.analyze(settings, store)
    pipeline.fuse(settings, store)
    doc = build_export(store)
    paths = report.write_reports(doc, tmp_path / "out")
    for path in paths.values():
        assert path.is_file() and path.stat().st_size > 100

    brief = report.build_brief(doc)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for c in brief.citations:
        assert texts[c.article_id][c.start : c.end] == c.quote
    for s in brief.sections:
        if s.key == "method":
            continue
        for g in s.groups:
            assert all(sent.cites for sent in g.sentences), s.key
            assert all(row.cites for t in g.tables for row in t.rows), s.key
    if doc["disputes"]:
        assert brief.section("disputes").groups
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8"))))
    assert len(rows) == len(doc["incidents"])
    report.validate_geojson(json.loads(paths["geojson"].read_text(encoding="utf-8")))
    html = paths["html"].read_text(encoding="utf-8")
    assert '<svg id="map"' in html and '<svg id="timeline"' in html

    # for people to read (pytest -s)
    print(f"\n{brief.scope}")
    for g in brief.section("bottom_line").groups:
        print(f"-- {g.heading}")
        for sent in g.sentences:
            print(f"   {sent.text} {list(sent.cites)}")
