"""Ingest from files: every format, directories, globs, stdin, duplicates, and each bad-input case."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from trucewatch import pipeline
from trucewatch.errors import IngestError
from trucewatch.ingest import extract, read_path, read_stream
from trucewatch.records import RawInput, Skip

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _copy(tmp_path: Path, *names: str) -> Path:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(FIXTURES / n, d / n)
    return d


def test_txt_with_debris_is_cleaned_and_stored(settings, store):
    report = pipeline.ingest([str(FIXTURES / "debris-article.txt")], settings, store)
    assert len(report.added) == 1 and not report.skipped
    a = store.article(report.added_ids[0])
    assert a.fmt == "txt"
    assert a.title == "Miraval patrol boats seize Elaran trawlers near Tessel sandbank"
    assert a.outlet == "The Coastal Courier"
    assert a.dateline == "PORT ELARA / MIRAVAL — Feb 14"
    assert (a.published, a.published_origin, a.published_precision) == ("2024-02-15", "metadata", "day")
    assert not a.published_inferred
    assert a.language == "en"
    assert "Share on Facebook" not in a.text and "Leave a comment" not in a.text
    assert a.text.startswith("PORT ELARA / MIRAVAL — Feb 14:")  # the dateline stays in the body
    assert {d.reason for d in a.debris} >= {"share counter", "comment prompt", "also-read teaser"}
    # the raw bytes are kept, compressed, beside the article
    assert store.raw_bytes(a.raw_sha256) == (FIXTURES / "debris-article.txt").read_bytes()


def test_html_page_metadata_from_trafilatura(settings, store):
    report = pipeline.ingest([str(FIXTURES / "article.html")], settings, store)
    a = store.article(report.added_ids[0])
    assert a.fmt == "html"
    assert a.title == "Bridge toll dispute closes Veldor crossing"
    assert a.outlet == "Northern Ledger"
    assert a.published == "2024-05-02" and a.published_origin == "metadata"
    assert a.dateline == "VELDOR"
    assert "Home" not in a.text.split("\n")[0]
    assert "300 lorries" in a.text
    assert a.url == "https://www.northernledger.example/region/bridge-toll-dispute"


def test_jsonl_records_and_broken_line_named_by_file_and_line(settings, store):
    path = FIXTURES / "records.jsonl"
    report = pipeline.ingest([str(path)], settings, store)
    assert len(report.added) == 2
    reasons = {s.source: s.reason for s in report.skipped}
    assert reasons[f"{path}:3"].startswith("not valid JSON")
    assert "no text or html field" in reasons[f"{path}:4"]
    by_title = {a.title: a for a in store.articles()}
    wire = by_title["Grain barges wait at Kastamar lock as inspectors strike"]
    assert wire.outlet == "River Wire" and wire.url == "https://riverwire.example/2024/06/03/barges"
    assert wire.published == "2024-06-03" and wire.dateline == "KASTAMAR, June 3 (River Wire)"
    html_rec = by_title["Kastamar lock reopens after pay deal"]
    assert html_rec.outlet == "Valley Gazette" and html_rec.fmt == "jsonl"


def test_json_array_and_single_object(settings, store, tmp_path):
    path = FIXTURES / "records.json"
    report = pipeline.ingest([str(path)], settings, store)
    assert len(report.added) == 2
    assert [s.source for s in report.skipped] == [f"{path}#3"]
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": "Ferry timetable changes", "text": "PORT ELARA — The ferry operator said on Monday "
                                  "that the first morning crossing would leave half an hour later from next week.",
                                  "outlet": "Coastal Courier", "published": "2024-08-01"}))
    report = pipeline.ingest([str(single)], settings, store)
    assert len(report.added) == 1
    assert store.article(report.added_ids[0]).title == "Ferry timetable changes"


def _warc(path: Path, compress: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    html = (FIXTURES / "article.html").read_bytes()
    for uri, ctype, body in (
        ("https://northernledger.example/bridge", "text/html; charset=utf-8", html),
        ("https://northernledger.example/style.css", "text/css", b"body{color:red}"),
    ):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    path.write_bytes(buf.getvalue())


@pytest.mark.parametrize("name, compress", [("pages.warc", False), ("pages.warc.gz", True)], ids=["warc", "warc.gz"])
def test_warc_html_responses_only(settings, store, tmp_path, name, compress):
    path = tmp_path / name
    _warc(path, compress)
    report = pipeline.ingest([str(path)], settings, store)
    assert len(report.added) == 1 and not report.skipped
    a = store.article(report.added_ids[0])
    assert a.fmt == "warc" and a.url == "https://northernledger.example/bridge"
    assert a.title == "Bridge toll dispute closes Veldor crossing"


def test_directory_recursive_and_glob(settings, store, tmp_path):
    d = _copy(tmp_path, "debris-article.txt", "article.html")
    sub = d / "deeper"
    sub.mkdir()
    shutil.copy(FIXTURES / "undated.txt", sub / "undated.txt")
    (d / ".hidden.txt").write_text("ignored")
    (d / "notes.pdf").write_bytes(b"%PDF-1.4")
    report = pipeline.ingest([str(d)], settings, store)
    assert len(report.added) == 3
    assert [s.reason.split(";")[0] for s in report.skipped] == ["unsupported file type .pdf"]
    report = pipeline.ingest([str(tmp_path / "in" / "**" / "*.txt")], settings, store)
    assert len(report.duplicates) == 2 and not report.added
    report = pipeline.ingest([str(tmp_path / "nothing-*.txt")], settings, store)
    assert report.skipped[0].reason == "no files match this pattern"


def test_stdin_stream_is_sniffed(settings):
    text = (FIXTURES / "undated.txt").read_bytes()
    (raw,) = list(read_stream(io.BytesIO(text), "-", settings))
    assert raw.fmt == "stdin" and raw.fields["content_type"] == "txt"
    html = (FIXTURES / "article.html").read_bytes()
    (raw,) = list(read_stream(io.BytesIO(html), "-", settings))
    assert raw.fields["content_type"] == "html"
    a = extract(raw, settings)
    assert a.title == "Bridge toll dispute closes Veldor crossing"
    items = list(read_stream(io.BytesIO((FIXTURES / "records.jsonl").read_bytes()), "-", settings))
    assert [i.source for i in items] == ["-:1", "-:2", "-:3", "-:4"]


def test_same_content_twice_is_a_duplicate(settings, store, tmp_path):
    first = pipeline.ingest([str(FIXTURES / "undated.txt")], settings, store)
    again = pipeline.ingest([str(FIXTURES / "undated.txt")], settings, store)
    assert len(first.added) == 1 and not again.added
    assert again.duplicates == [(str(FIXTURES / "undated.txt"), first.added_ids[0])]
    # different bytes, same clean text (extra debris and whitespace) -> same id, duplicate
    copy = tmp_path / "copy.txt"
    copy.write_text("12 Shares\n" + (FIXTURES / "undated.txt").read_text().replace("\n\n", "\n\n\n") + "\nLeave a comment\n")
    third = pipeline.ingest([str(copy)], settings, store)
    assert third.duplicates and third.duplicates[0][1] == first.added_ids[0]
    assert store.count() == 1


def test_non_english_is_stored_and_flagged(settings, store):
    report = pipeline.ingest([str(FIXTURES / "french.txt")], settings, store)
    a = store.article(report.added_ids[0])
    assert a.language == "fr"
    assert "not English (fr)" in a.warnings


def test_undated_text_gets_a_flagged_bounded_range(settings, store):
    report = pipeline.ingest([str(FIXTURES / "undated.txt")], settings, store)
    a = store.article(report.added_ids[0])
    assert a.published_inferred and a.published_origin == "inferred" and a.published_precision == "range"
    # "three days after the round opened on February 3": not before Feb 6; the Feb 9 meeting is only a possibility: ignored
    assert a.published_range == ("2024-02-06", "2024-03-07")
    assert a.published == "2024-02-06"


# ----------------------------------------------------------------------------- bad input


def _skips(settings, store, *paths) -> dict[str, str]:
    report = pipeline.ingest([str(p) for p in paths], settings, store)
    return {s.source: s.reason for s in report.skipped}


def test_each_bad_input_is_a_skip_and_the_batch_goes_on(settings, store, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 400)
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('{"title": "x", ')
    missing = tmp_path / "missing.txt"
    good = FIXTURES / "undated.txt"
    small = settings.replace(max_bytes=1500)
    reasons = _skips(small, store, empty, binary, big, broken_json, missing, FIXTURES / "nobody.html", good)
    assert reasons[str(empty)] == "empty file"
    assert reasons[str(binary)].startswith("cannot read as text: binary data")
    assert "larger than the limit of 1,500" in reasons[str(big)]
    assert reasons[str(broken_json)].startswith("not valid JSON")
    assert reasons[str(missing)] == "no such file or directory"
    assert reasons[str(FIXTURES / "nobody.html")] == "no article text found in the HTML page"
    assert store.count() == 1  # the good file still went in


def test_unreadable_file(settings, store, tmp_path):
    p = tmp_path / "locked.txt"
    p.write_text("text")
    p.chmod(0)
    if os.geteuid() != 0:
        assert _skips(settings, store, p)[str(p)] == "cannot read the file: permission denied"
        return
    # root reads every file whatever its mode: use a file the kernel refuses to read from offset 0 instead
    mem = Path("/proc/self/mem")
    assert mem.is_file()
    assert _skips(settings, store, mem)[str(mem)].startswith("cannot read the file: ")


def test_special_file_is_not_read(settings, store, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _skips(settings, store, fifo)[str(fifo)] == "not a regular file"


def test_oversized_file_is_refused_before_reading(settings, tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # a sparse file: reading it whole would be slow and wasteful
        fh.seek(50_000_000)
        fh.write(b"x")
    (skip,) = list(read_path(str(big), settings.replace(max_bytes=10_000_000)))
    assert isinstance(skip, Skip) and "50,000,001 bytes" in skip.reason


def test_mis_encoded_text_is_decoded_with_a_warning(settings):
    body = ("Les pêcheurs de Port Élara ont refusé de sortir en mer mardi matin, deux jours après la saisie "
            "de deux chalutiers près du banc de sable contesté, a indiqué le syndicat des marins.")
    raw = RawInput("latin.txt", "txt", body.encode("cp1252"))
    a = extract(raw, settings)
    assert "pêcheurs" in a.text and "Élara" in a.text
    assert any(w.startswith("not valid UTF-8; decoded as") for w in a.warnings)
    raw16 = RawInput("utf16.txt", "txt", body.encode("utf-16"))
    a16 = extract(raw16, settings)
    assert a16.text == body and not any("UTF-8" in w for w in a16.warnings)


def test_empty_text_after_cleaning_is_a_skip(settings):
    raw = RawInput("junk.txt", "txt", b"12 Shares\nShare on Facebook\nLeave a comment\n")
    skip = extract(raw, settings)
    assert isinstance(skip, Skip) and skip.reason == "no article text left after removing page debris"


def test_nothing_given_is_an_error(settings, store):
    with pytest.raises(IngestError):
        pipeline.ingest([], settings, store)


def test_skipped_raw_bytes_are_kept(settings, store):
    report = pipeline.ingest([str(FIXTURES / "nobody.html")], settings, store)
    assert report.skipped and not report.added
    import hashlib

    sha = hashlib.sha256((FIXTURES / "nobody.html").read_bytes()).hexdigest()
    assert store.raw_bytes(sha) == (FIXTURES / "nobody.html").read_bytes()


def test_gzip_warc_that_is_not_gzip(settings, store, tmp_path):
    p = tmp_path / "bad.warc.gz"
    p.write_bytes(gzip.compress(b"not a warc at all")[:10])
    reasons = _skips(settings, store, p)
    assert str(p) in reasons and ("not a valid gzip file" in reasons[str(p)] or "WARC" in reasons[str(p)])


def test_year_less_dates_take_the_year_of_the_batch(settings, store, tmp_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "a-undated.txt").write_text(
        "PORT ELARA — May 1:\n\nFerry crews stayed at home for a second day on Thursday, the worst stoppage "
        "since the strike of 2015, the operator said, and no crossings left the harbour before noon.\n"
    )
    (d / "b-dated.json").write_text(json.dumps({
        "title": "Ferry strike enters third day", "published": "2019-05-02", "outlet": "Coastal Courier",
        "text": "PORT ELARA — The ferry strike went into a third day on Friday with no talks planned, the union said."}))
    report = pipeline.ingest([str(d)], settings, store)
    assert len(report.added) == 2
    a = next(x for x in store.articles() if x.dateline == "PORT ELARA — May 1")
    assert a.published == "2019-05-01" and a.published_origin == "dateline"
    assert a.published_inferred and a.published_range == ("2019-05-01", "2019-05-01")
    assert any("other articles ingested with it" in w for w in a.warnings)
    # alone, the same article only has the weak evidence of the year in its text
    alone = extract(RawInput("x.txt", "txt", (d / "a-undated.txt").read_bytes()), settings)
    assert alone.published == "2015-05-01" and any("year uncertain" in w for w in alone.warnings)
