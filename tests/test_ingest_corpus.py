"""Ingest on real and sample corpora: everything goes in, no debris survives, metadata is recovered.

Run with ``pytest -s`` to see what was recovered from each article.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from trucewatch import pipeline
from trucewatch.cli import cli
from trucewatch.ingest.clean import classify_line, is_heading_like
from trucewatch.ingest.dates import find_dates

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sample-corpus"

# General debris checks, written independently of the cleaner's own rules: no clean line may match these.
DEBRIS_CHECKS = [
    re.compile(r"^\d[\d.,]*[kKmM]?$"),  # bare counters
    re.compile(r"(?i)^\d[\d.,]*\s*(shares?|likes?|comments?|views?)\b"),
    re.compile(r"(?i)^(share( on)?|tweet|whatsapp|facebook|telegram|email|print|copy link)\b\W*(\w+\W*){0,3}$"),
    re.compile(r"(?i)^(also read|read more|related( \w+)?)\s*[:»|]"),
    re.compile(r"(?i)^(leave a (reply|comment)|post a comment|comment as|comments?\s*\(\d+\))"),
    re.compile(r"(?i)^please enter your"),
    re.compile(r"(?i)^subscribe\b|newsletter"),
    re.compile(r"(?i)\bcookies?\b.*\b(accept|consent|policy|browse|browsing|experience)\b"),
    re.compile(r"(?i)^(©|\(c\))|all rights reserved"),
    re.compile(r"(?i)^(date|published|updated)\s*:?\s*\d{4}-\d\d-\d\d"),
]


def assert_no_debris(text: str, where: str) -> None:
    heads: set[str] = set()
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        assert classify_line(s) is None, f"{where}: debris left in clean text: {s!r}"
        for rx in DEBRIS_CHECKS:
            assert not rx.search(s), f"{where}: line matches {rx.pattern!r}: {s!r}"
        if is_heading_like(s):
            key = s.casefold()
            assert key not in heads, f"{where}: heading repeated: {s!r}"
            heads.add(key)


def _first_line(raw: str) -> str:
    first = next(ln.strip() for ln in raw.split("\n") if ln.strip())
    return re.sub(r"(?i)^date\s+\d{4}-\d\d-\d\d\s*", "", first)


def test_shared_corpus_all_ingest_cleanly_with_metadata(shared_corpus, settings, store):
    files = sorted(shared_corpus.glob("*.txt"))
    assert len(files) == 5
    report = pipeline.ingest([str(shared_corpus)], settings, store)
    assert len(report.added) == 5, report.skipped
    assert not report.skipped and not report.duplicates
    by_source = {a.source_path: a for a in store.articles()}
    for f in files:
        a = by_source[str(f)]
        raw = f.read_text(encoding="utf-8")
        print(f"\n{f.name}: title={a.title!r}\n  dateline={a.dateline!r} published={a.published} "
              f"origin={a.published_origin} precision={a.published_precision} range={a.published_range} "
              f"lang={a.language} debris={len(a.debris)} words={len(a.text.split())}\n  warnings={list(a.warnings)}")
        for d in a.debris:
            print(f"    - line {d.line}: {d.reason}: {d.text[:60]!r}")
        assert_no_debris(a.text, f.name)
        assert a.language == "en"
        # nothing real was dropped: the clean text keeps most of the words
        assert len(a.text.split()) >= 0.8 * len(raw.split()) - 60
        # title: the first line, when it reads like a headline
        first = _first_line(raw)
        if is_heading_like(first):
            assert a.title == first
        # dateline: a wire-style opening in the first lines is found
        opening = [ln.strip() for ln in raw.split("\n") if ln.strip()][:6]
        if any(re.match(r"^[A-Z]{3,}(?: [A-Z]{2,})*(?: / [A-Z]{3,}(?: [A-Z]{2,})*)*\s*[—–:-]", ln) for ln in opening):
            assert a.dateline, f"{f.name}: dateline not found"
        # dates: a labelled date wins; a dateline month-day is used; otherwise an inferred, bounded range
        m = re.match(r"\s*date\s+(\d{4}-\d\d-\d\d)", raw)
        if m:
            assert (a.published, a.published_origin) == (m.group(1), "metadata")
        elif a.dateline and find_dates(a.dateline):
            d = find_dates(a.dateline)[0]
            assert a.published_origin == "dateline"
            assert a.published[5:] == f"{d.month:02d}-{d.day:02d}"
        elif any(d.day for d in find_dates(a.text)):
            assert a.published_inferred and a.published_origin == "inferred"
            lo, hi = map(date.fromisoformat, a.published_range)
            assert 0 <= (hi - lo).days <= 31 and a.published == a.published_range[0]
            assert any("inferred" in w for w in a.warnings)
        else:
            assert a.published is None and "no publication date found" in a.warnings


def test_shared_corpus_second_run_adds_nothing(shared_corpus, settings, store):
    pipeline.ingest([str(shared_corpus)], settings, store)
    again = pipeline.ingest([str(shared_corpus)], settings, store)
    assert not again.added and len(again.duplicates) == 5 and again.ok


def test_sample_corpus_ingests_cleanly_through_the_cli(tmp_path):
    assert EXAMPLES.is_dir(), "examples/sample-corpus is part of the repository"
    runner = CliRunner()
    db = str(tmp_path / "sample.db")
    r = runner.invoke(cli, ["--db", db, "add", str(EXAMPLES)], env={"TRUCEWATCH_DB": ""}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    m = re.search(r"(\d+) added, (\d+) duplicate\(s\), (\d+) skipped\.", r.output)
    assert m and int(m.group(1)) >= 8 and m.group(2) == "0" and m.group(3) == "0", r.output
    items = json.loads(runner.invoke(cli, ["--db", db, "articles", "--json"], env={"TRUCEWATCH_DB": ""}).output)
    assert len(items) == int(m.group(1))
    outlets = {i["outlet"] for i in items}
    assert None not in outlets and len(outlets) >= 5
    for i in items:
        print(f"\n{Path(i['source_path']).name}: {i['title']!r} | {i['outlet']} | {i['dateline']} | "
              f"{i['published']} ({i['published_origin']}{', inferred' if i['published_inferred'] else ''})")
        assert i["title"], i["source_path"]
        assert i["published"], i["source_path"]
        assert i["language"] == "en"
        assert_no_debris(i["text"], i["source_path"])
    assert any(i["published_inferred"] for i in items) and any(not i["published_inferred"] for i in items)
    fmts = {Path(i["source_path"].split(":")[0]).suffix for i in items}
    assert {".txt", ".html", ".jsonl"} <= fmts
