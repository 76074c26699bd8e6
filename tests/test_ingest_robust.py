"""Ingest never loses the rest of a batch: fuzz findings as regression inputs, a property test over
arbitrary inputs, implausible dates, symlinks, an empty argument, and the internal-error safety net."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st

from trucewatch import pipeline
from trucewatch.cli import cli
from trucewatch.errors import IngestError
from trucewatch.ingest.decode import SURROGATE_NOTE
from trucewatch.settings import Settings
from trucewatch.store import open_store

GOOD = {
    "good-one.txt": (
        "Harbour talks resume\n\nVELDRA, 4 March 2025 - Delegates from both coastal provinces met again on Tuesday "
        "to settle the fishing truce, a mediator said. They agreed to keep patrol boats two miles apart and to "
        "meet once more next week to write down the terms of the exchange of detained crews."
    ),
    "good-two.txt": (
        "Border crossing reopens\n\nTOLMAR, 6 March 2025 - Traders queued from dawn as the mountain crossing opened "
        "for the first time in a month, customs officers said. Lorries carrying flour and fuel were waved through "
        "after both sides withdrew the extra guards posted at the gate during the winter dispute."
    ),
}
BODY = "Relief convoys reached the valley towns on Friday after the ceasefire held for a third night, aid staff said. " * 3


def _warc_record(uri: str | None, body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\n" % abs(hash((uri, body)))
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    return head.encode() + http + b"\r\n\r\n"


def _page(words: str) -> bytes:
    return f"<html><head><title>Page</title></head><body><article><p>{words}</p></article></body></html>".encode()


def _write_good(folder: Path) -> None:
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")


def _good_stored(store) -> set[str]:
    return {Path(a.source_path).name for a in store.articles() if Path(a.source_path or "").name in GOOD}


def _reasons(report) -> dict[str, str]:
    return {Path(s.source).name: s.reason for s in report.skipped}


# --------------------------------------------------------------------------- the five fuzz findings


def test_lone_surrogates_in_json_become_replacement_characters_with_a_warning(settings, store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    esc = "\\ud800"  # written as a JSON escape: valid JSON, not valid Unicode
    record = '{"title": "Ferry %s service", "outlet": "Coast %s Radio", "text": "%s %s end"}' % (esc, "\\udfff", BODY, esc)
    (d / "object.json").write_text(record)
    (d / "array.json").write_text("[" + record.replace("Ferry", "Barge").replace("end", "fin") + "]")
    (d / "lines.jsonl").write_text(record.replace("Ferry", "Tug").replace("end", "stop") + "\n" + json.dumps({"text": BODY + " two"}) + "\n")
    _write_good(d)
    report = pipeline.ingest([str(d)], settings, store)
    assert not report.skipped, report.skipped
    assert len(report.added) == 6
    by_title = {a.title: a for a in store.articles() if a.title}
    for word in ("Ferry", "Barge", "Tug"):
        a = by_title[f"{word} \ufffd service"]
        assert a.outlet == "Coast \ufffd Radio" and a.text.endswith("\ufffd " + {"Ferry": "end", "Barge": "fin", "Tug": "stop"}[word])
        assert SURROGATE_NOTE in a.warnings
    assert _good_stored(store) == set(GOOD)


def test_deeply_nested_json_is_a_skip_and_the_batch_goes_on(settings, store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "arrays.json").write_text("[" * 100_000)
    (d / "objects.json").write_text('{"a":' * 100_000)
    (d / "deep-line.jsonl").write_text('{"text": ' + "[" * 100_000 + "\n" + json.dumps({"text": BODY}) + "\n")
    _write_good(d)
    report = pipeline.ingest([str(d)], settings, store)
    reasons = _reasons(report)
    assert reasons["arrays.json"] == reasons["objects.json"] == "not usable JSON: nested too deeply"
    assert reasons["deep-line.jsonl:1"] == "not usable JSON: nested too deeply"
    assert "deep-line.jsonl:2" in {Path(s).name for s, _ in report.added}  # the next line of the same file
    assert _good_stored(store) == set(GOOD)


def test_a_malformed_url_leaves_the_outlet_unknown(settings, store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad-url.json").write_text(json.dumps({"title": "Night curfew lifted", "url": "http://[::1", "text": BODY}))
    report = pipeline.ingest([str(d / "bad-url.json")], settings, store)
    a = store.article(report.added_ids[0])
    assert a.url == "http://[::1" and a.outlet is None
    assert "no outlet found (give one with --outlet)" in a.warnings


def test_warc_response_without_target_uri_is_read_with_a_warning(settings, store, tmp_path):
    p = tmp_path / "no-uri.warc"
    p.write_bytes(_warc_record(None, _page(BODY)) + _warc_record("https://news.example/two", _page(BODY + " Second page.")))
    report = pipeline.ingest([str(p)], settings, store)
    assert not report.skipped and len(report.added) == 2
    first = store.article(dict(report.added)[f"{p}#1"])
    assert first.url is None
    assert any("no WARC-Target-URI" in w for w in first.warnings)


def _two_record_warc(gz: bool) -> bytes:
    records = [_warc_record(f"https://news.example/{i}", _page(f"Story number {i}. " + BODY)) for i in (1, 2)]
    return b"".join(gzip.compress(r) for r in records) if gz else b"".join(records)


@pytest.mark.parametrize("gz", [True, False])
def test_a_cut_warc_keeps_its_complete_record_and_reports_the_cut(settings, store, tmp_path, gz):
    whole = _two_record_warc(gz)
    p = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    p.write_bytes(whole[: len(whole) - 120])  # the file ends inside the second record
    report = pipeline.ingest([str(p)], settings, store)
    assert [s for s, _ in report.added] == [f"{p}#https://news.example/1"]
    assert all("Story number 2" not in a.text for a in store.articles())  # no silent partial article
    reasons = {s.source: s.reason for s in report.skipped}
    if gz:
        assert "cut short" in reasons[str(p)] and "the 1 complete HTML record(s)" in reasons[str(p)]
    else:
        assert "cut short" in reasons[f"{p}#https://news.example/2"]


def test_a_gzip_warc_cut_before_its_first_record_ends_is_unreadable(settings, store, tmp_path):
    p = tmp_path / "stub.warc.gz"
    p.write_bytes(_two_record_warc(True)[:150])
    report = pipeline.ingest([str(p)], settings, store)
    assert not report.added
    assert any(s.source == str(p) and "cut short" in s.reason for s in report.skipped)


def test_a_feed_with_a_surrogate_character_reference_is_read(settings, store, tmp_path):
    p = tmp_path / "odd.rss"
    p.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Wire</title><item><title>Aid &#xD800; arrives</title>'
        b"<description>" + BODY.encode() + b" &#55296;</description></item></channel></rss>"
    )
    report = pipeline.ingest([str(p)], settings, store)
    assert not report.skipped and len(report.added) == 1
    assert store.article(report.added_ids[0]).title == "Aid \ufffd arrives"


# --------------------------------------------------------------------------- dates out of range


@pytest.mark.parametrize(
    ("value", "year"),
    [("9999-12-31", 9999), ("Fri, 31 Dec 9999 23:59:59 GMT", 9999), ("Mon, 01 Jan 0001 00:00:00 GMT", 1), ("1850-06-01", 1850)],
)
def test_an_implausible_published_date_is_ignored_with_a_warning(settings, store, tmp_path, value, year):
    p = tmp_path / "dated.json"
    p.write_text(json.dumps({"title": "Old or new", "published": value, "text": BODY}))
    a = store.article(pipeline.ingest([str(p)], settings, store).added_ids[0])
    assert a.published is None or not a.published.startswith(("9999", "0001", "2001", "1850"))
    assert f"ignored the date {value!r}: year {year} is not a plausible publication year (1900-2099)" in a.warnings


def test_a_published_date_after_today_is_ignored_for_the_dateline(settings, store, tmp_path):
    p = tmp_path / "future.json"
    p.write_text(json.dumps({"title": "Ahead", "published": "2098-01-01", "text": "KORVA, May 3, 2024 - " + BODY}))
    a = store.article(pipeline.ingest([str(p)], settings, store).added_ids[0])
    assert any(w.startswith("ignored the date '2098-01-01': it lies after today") for w in a.warnings)
    assert a.published == "2024-05-03" and a.published_origin == "dateline"


# --------------------------------------------------------------------------- paths and arguments


def test_symlink_loops_broken_links_and_linked_folders_are_named(settings, store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _write_good(d)
    os.symlink("loop.txt", d / "loop.txt")
    os.symlink("missing.txt", d / "broken.txt")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", d / "linked")
    os.symlink("self", tmp_path / "self")
    report = pipeline.ingest([str(d), str(tmp_path / "self")], settings, store)
    reasons = _reasons(report)
    assert reasons["loop.txt"] == reasons["self"] == "a symbolic link loop (the link leads back to itself)"
    assert reasons["broken.txt"] == "a broken symbolic link (it points to missing.txt, which does not exist)"
    assert reasons["linked"].startswith("a symbolic link to a directory, not followed")
    assert _good_stored(store) == set(GOOD)


def test_a_file_name_that_is_not_utf8_is_read_and_shown_with_a_replacement_character(settings, store, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (Path(os.fsdecode(bytes(d) + b"/caf\xe9.txt"))).write_text(GOOD["good-one.txt"])
    report = pipeline.ingest([str(d)], settings, store)
    assert [Path(s).name for s, _ in report.added] == ["caf\ufffd.txt"]


def test_a_path_the_system_cannot_take_is_a_skip(settings, store, tmp_path):
    good = tmp_path / "good-one.txt"
    good.write_text(GOOD["good-one.txt"])
    report = pipeline.ingest(["x" * 5000, "bad\x00name.txt", str(good)], settings, store)
    reasons = {s.source: s.reason for s in report.skipped}
    assert reasons["x" * 5000] == "cannot use this path: File name too long"
    assert reasons["bad\x00name.txt"] == "cannot use this path: embedded null byte"
    assert len(report.added) == 1


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_argument_is_an_error_and_reads_nothing(settings, store, tmp_path, monkeypatch, empty):
    _write_good(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IngestError, match="empty string"):
        pipeline.ingest([str(tmp_path / "good-one.txt"), empty], settings, store)
    assert store.count("article") == 0
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "cli.db"), "add", empty], env={"TRUCEWATCH_DB": ""})
    assert r.exit_code == 1 and "empty string" in r.output and "Traceback" not in r.output


# --------------------------------------------------------------------------- the safety net


def test_an_unexpected_error_in_one_input_is_an_internal_error_skip_and_the_batch_goes_on(settings, store, tmp_path, monkeypatch):
    """A bug no input triggers any more is put in by hand: the safety net must still hold."""
    d = tmp_path / "in"
    d.mkdir()
    _write_good(d)
    (d / "trigger.txt").write_text("This text makes the extractor fail. " * 10)
    (d / "reader.jsonl").write_text(json.dumps({"text": BODY}) + "\n" + json.dumps({"text": BODY + " again"}) + "\n")
    real_extract = pipeline.extract

    def failing_extract(raw, *args, **kwargs):
        if raw.source.endswith("trigger.txt"):
            raise KeyError("a planted bug")
        return real_extract(raw, *args, **kwargs)

    from trucewatch.ingest import files

    real_split = files._split_json

    def failing_reader(data, src, fmt):
        it = real_split(data, src, fmt)
        yield next(it)
        raise RuntimeError("reader broke after one record")

    monkeypatch.setattr(pipeline, "extract", failing_extract)
    monkeypatch.setattr(files, "_split_json", failing_reader)
    report = pipeline.ingest([str(d)], settings, store)
    reasons = _reasons(report)
    assert reasons["trigger.txt"].startswith("internal error while extracting or storing this input (KeyError: 'a planted bug')")
    assert "please report it" in reasons["trigger.txt"]
    assert reasons["reader.jsonl"].startswith("internal error while reading this input after its first 1 record(s) (RuntimeError")
    assert _good_stored(store) == set(GOOD)
    assert "reader.jsonl:1" in {Path(s).name for s, _ in report.added}
    raw = (d / "trigger.txt").read_bytes()
    import hashlib

    assert store.raw_bytes(hashlib.sha256(raw).hexdigest()) == raw  # the failed input's bytes are kept


def test_cli_add_of_the_findings_folder_prints_the_summary_and_exits_zero(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _write_good(d)
    (d / "deep.json").write_text("[" * 50_000)
    (d / "surrogate.jsonl").write_text('{"title": "x\\ud800", "text": "%s"}\n' % BODY)
    (d / "url.json").write_text(json.dumps({"url": "http://[::1", "text": BODY + " url"}))
    (d / "no-uri.warc").write_bytes(_warc_record(None, _page(BODY + " warc")))
    (d / "cut.warc.gz").write_bytes(_two_record_warc(True)[:-100])
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "add", str(d)], env={"TRUCEWATCH_DB": "", "COLUMNS": "200"},
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    assert "6 added, 0 duplicate(s), 3 skipped." in r.output  # deep.json, the cut record, the cut file
    assert "nested too deeply" in r.output and "cut short" in r.output


# --------------------------------------------------------------------------- property test

_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)  # any code point, surrogates too
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(["text", "title", "url", "published", "outlet", "html", "x"]) | _TEXT, kids, max_size=5),
    max_leaves=12,
)
_FIELD = st.sampled_from(["", "2025-03-04", "9999-99-99", "Mon, 01 Jan 0001 00:00:00 GMT", "http://[::1", "http://127.0.0.1:9/x", "\\ud800", "&#xD800;"]) | _TEXT


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()  # surrogates travel as \\uXXXX escapes


@st.composite
def _inputs(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["bytes", "html", "json", "jsonl", "warc", "warc.gz", "feed", "txt", "deep"]))
    words = draw(_TEXT) + " " + " ".join(draw(st.lists(st.sampled_from(["truce", "talks", "shelling", "2025", "March 3"]), max_size=30)))
    if kind == "bytes":
        return draw(st.sampled_from(["txt", "html", "json", "jsonl", "warc", "rss", "xml"])), draw(st.binary(max_size=600))
    if kind == "html":
        return "html", f"<html><head><title>{draw(_FIELD)}</title><meta name='date' content='{draw(_FIELD)}'></head><body><p>{words}</p></body></html>".encode("utf-8", "surrogatepass")
    if kind in ("json", "jsonl"):
        records = draw(st.lists(st.one_of(_JSON, st.fixed_dictionaries({"text": st.just(words), "title": _FIELD, "url": _FIELD, "published": _FIELD})), min_size=1, max_size=3))
        if kind == "json":
            return "json", _json_bytes(records if len(records) > 1 else records[0])
        return "jsonl", b"\n".join(_json_bytes(r) for r in records)
    if kind in ("warc", "warc.gz"):
        rec = _warc_record(draw(st.sampled_from([None, "https://news.example/a", "dns:x", ""])), words.encode("utf-8", "surrogatepass"))
        rec = rec[: draw(st.integers(min_value=0, max_value=len(rec)))]
        return kind, gzip.compress(rec) if kind == "warc.gz" else rec
    if kind == "feed":
        link = draw(st.sampled_from(["", "<link>http://127.0.0.1:9/item</link>", "<link>http://[::1</link>"]))
        item = f"<item><title>{draw(_FIELD)}</title>{link}<pubDate>{draw(_FIELD)}</pubDate><description>{words}</description></item>"
        return "rss", f"<?xml version='1.0'?><rss version='2.0'><channel><title>{draw(_FIELD)}</title>{item}</channel></rss>".encode("utf-8", "surrogatepass")
    if kind == "deep":
        return "json", draw(st.sampled_from([b"[", b'{"a":', b'{"text":['])) * draw(st.integers(min_value=900, max_value=5000))
    return "txt", words.encode("utf-8", "surrogatepass")


# The five causes the first fuzzing found, always tried first.
FINDINGS = [
    ("json", b'[{"title": "Dock \\ud800 strike", "text": "' + BODY.encode() + b'"}]'),
    ("json", b"[" * 100_000),
    ("json", json.dumps({"url": "http://[::1", "text": BODY}).encode()),
    ("warc", _warc_record(None, _page(BODY))),
    ("warc.gz", _two_record_warc(True)[:-60]),
]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_inputs(), min_size=1, max_size=4))
@example(FINDINGS)
def test_any_inputs_beside_two_good_files_store_the_good_files_and_exit_cleanly(files):
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "in"
        d.mkdir()
        _write_good(d)
        for i, (ext, data) in enumerate(files):
            (d / f"fuzz{i}.{ext}").write_bytes(data)
        db = str(Path(tmp) / "t.db")
        r = CliRunner().invoke(cli, ["--db", db, "add", str(d)], env={"TRUCEWATCH_DB": "", "COLUMNS": "200"}, catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert "Traceback" not in r.output and "internal error" not in r.output, r.output
        assert "added," in r.output  # the summary line
        with open_store(Settings.from_env(env={}, db=db)) as store:
            assert _good_stored(store) == set(GOOD)
