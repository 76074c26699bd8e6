"""``extract(raw) -> Article | Skip``: the pure part of ingest.

Bytes are decoded (:mod:`.decode`), HTML goes through trafilatura, JSON records
are read field by field, and every text goes through the debris cleaner
(:mod:`.clean`). Then the metadata is recovered: title, outlet, dateline,
publication date (with origin and precision, or an inferred range) and language.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..records import Article, RawInput, Skip, stable_id
from ..settings import Settings
from .clean import Cleaned, clean_text, normalize_for_id
from .dates import (
    WEAK_YEAR, find_dateline, find_dates, find_years, implausible, infer_published, parse_date, resolve_year, to_iso,
)
from .decode import SURROGATE_NOTE, DecodeError, decode_bytes, replace_surrogates

__all__ = ["JSON_FIELDS", "article_id", "extract", "needs_reference", "outlet_from_url", "sniff_kind"]

#: JSON record fields ingest reads (first match wins), see docs/ingest.md.
JSON_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "html": ("html", "raw_html"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate", "datetime"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename"),
}
# HTML pages whose extracted text is shorter than this are treated as having no article.
MIN_HTML_WORDS = 20
_SECOND_LEVEL = {"com", "co", "net", "org", "gov", "ac", "edu", "news", "or", "ne", "go"}


def sniff_kind(data: bytes) -> str:
    """"html", "json", "jsonl", "feed" or "txt", from the first bytes of ``data``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "html"
    if head.startswith(b"{") or head.startswith(b"["):
        first = head.split(b"\n", 1)[0].strip()
        if head.startswith(b"{") and first.endswith(b"}") and b"\n{" in data[:65536].replace(b"\r", b""):
            return "jsonl"
        return "json"
    if head.startswith(b"<!doctype html") or head.startswith(b"<html") or re.search(rb"<(?:head|body|article|p|div)[\s>]", head[:1024]):
        return "html"
    return "txt"


def article_id(clean_text_: str) -> str:
    """The article id: a hash of the normalised clean text (same text -> same id)."""
    return stable_id(normalize_for_id(clean_text_))


def outlet_from_url(url: str | None) -> str | None:
    """A readable outlet name from a URL's host: ``https://www.dawn.com/x`` -> ``dawn.com``."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # not a URL at all, e.g. "http://[::1" (an unclosed IPv6 bracket)
        return None
    for prefix in ("www.", "m.", "amp.", "mobile.", "edition.", "english."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    if not host or re.fullmatch(r"[\d.:]+", host) or host == "localhost":
        return host or None
    return host


def _field(fields: Mapping[str, Any], name: str) -> str | None:
    for key in JSON_FIELDS[name]:
        v = fields.get(key)
        if isinstance(v, (str, int, float)) and str(v).strip():
            return str(v).strip()
    return None


def _kind(raw: RawInput) -> str:
    if raw.fmt in ("txt", "html", "json", "jsonl"):
        return raw.fmt
    if raw.fmt == "warc":
        return "html"
    return raw.fields.get("content_type") or sniff_kind(raw.data)


def _html(html: str, url: str | None) -> tuple[str, dict[str, str]] | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        # No date guessing from the body text: a metadata date must come from the page's metadata.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None
    meta = {k: getattr(doc, k, None) for k in ("title", "sitename", "date", "url", "hostname")}
    return doc.text or "", {k: str(v) for k, v in meta.items() if v}


def extract(
    raw: RawInput, settings: Settings | None = None, today: date | None = None, reference: date | None = None
) -> Article | Skip:
    """Turn one raw input into a cleaned :class:`Article`, or a :class:`Skip` saying why not.

    ``today`` bounds inferred dates (no publication date after it); None means no bound.
    ``reference`` is the typical publication date of the articles ingested together with
    this one; it decides the year of a month-day written without one (see
    :func:`~trucewatch.ingest.dates.resolve_year`).
    """
    src = raw.source
    if not raw.data.strip():
        return Skip(src, "ingest", "empty input")
    kind = _kind(raw)
    warnings: list[str] = []
    fields: dict[str, Any] = dict(raw.fields)
    if kind in ("json", "jsonl"):
        try:
            record = json.loads(raw.data)
        except (ValueError, UnicodeDecodeError) as e:
            return Skip(src, "ingest", f"not valid JSON ({e})")
        except RecursionError:
            return Skip(src, "ingest", "not usable JSON: nested too deeply")
        if not isinstance(record, dict):
            return Skip(src, "ingest", f"a JSON {type(record).__name__}, not an object with a text or html field")
        fields = {**{k: v for k, v in record.items() if isinstance(v, (str, int, float))}, **{k: v for k, v in fields.items() if k not in record}}
        body_html, body_text = _field(record, "html"), _field(record, "text")
        if body_text is None and body_html is None:
            return Skip(src, "ingest", "JSON record has no text or html field (see docs/ingest.md for the fields read)")
        kind, content = ("txt", body_text) if body_text is not None else ("html", body_html)
    elif kind == "feed":
        return Skip(src, "ingest", "a feed, not an article; give it to `trucewatch add` to fetch its items")
    else:
        try:
            content, warning = decode_bytes(raw.data, html=kind == "html")
        except DecodeError as e:
            return Skip(src, "ingest", f"cannot read as text: {e}")
        if warning:
            warnings.append(warning)

    if isinstance(raw.fields.get("note"), str):  # the reader's own note, never a record's field
        warnings.append(raw.fields["note"])
    url = raw.url or _field(fields, "url")
    title = _field(fields, "title")
    outlet = _field(fields, "outlet")
    meta_date = _field(fields, "published")
    # JSON escapes can write lone surrogates, which no UTF-8 text (or database) can hold.
    (content, url, title, outlet, meta_date), fixed = _without_surrogates(content, url, title, outlet, meta_date)
    if kind == "html":
        got = _html(content, url)
        if got is None or len(got[0].split()) < MIN_HTML_WORDS:
            return Skip(src, "ingest", "no article text found in the HTML page")
        content, meta = got
        title = title or meta.get("title")
        outlet = outlet or meta.get("sitename")
        meta_date = meta_date or meta.get("date")
        url = url or meta.get("url")
        (content, url, title, outlet, meta_date), more = _without_surrogates(content, url, title, outlet, meta_date)
        fixed += more
    if fixed:
        warnings.append(SURROGATE_NOTE)
    cleaned: Cleaned = clean_text(content, title=title)
    text = cleaned.text
    if not text.strip():
        return Skip(src, "ingest", "no article text left after removing page debris")
    n_words = len(text.split())
    if kind == "html" and n_words < MIN_HTML_WORDS:
        return Skip(src, "ingest", "no article text found in the HTML page")
    title = cleaned.title
    if not title:
        warnings.append("no title found")
    outlet = raw.outlet or outlet or cleaned.outlet or outlet_from_url(url)
    if not outlet:
        warnings.append("no outlet found (give one with --outlet)")

    pub = _published(text, meta_date, cleaned, today, reference)
    warnings.extend(pub.pop("warnings"))
    language = detect_language(text)
    if language == "und":
        warnings.append("language undetermined")
    elif language != "en":
        warnings.append(f"not English ({language})")
    if n_words < 30:
        warnings.append(f"very short text ({n_words} words)")
    return Article(
        id=article_id(text),
        title=title,
        outlet=outlet,
        url=url,
        source_path=src,
        dateline=pub.pop("dateline"),
        text=text,
        fmt=raw.fmt,
        raw_sha256=raw.sha256,
        debris=cleaned.debris,
        warnings=tuple(warnings),
        language=language,
        **pub,
    )


def _dateline_iso(year: int | None, month: int, day: int, today: date | None) -> tuple[str | None, str | None]:
    """The dateline's date as ISO and why it cannot be the publication date (either may be None)."""
    if year is None:
        return None, None
    try:
        iso = to_iso(year, month, day)
    except ValueError:  # Feb 29 in a year that has none
        return None, f"there is no such day in {year}"
    return iso, implausible(iso, today)


def _without_surrogates(*values: str | None) -> tuple[list[str | None], int]:
    """``values`` with lone surrogates replaced by U+FFFD, and how many were replaced."""
    out: list[str | None] = []
    fixed = 0
    for v in values:
        if v is not None:
            v, n = replace_surrogates(v)
            fixed += n
        out.append(v)
    return out, fixed


def _published(text: str, meta_date: str | None, cleaned: Cleaned, today: date | None, reference: date | None) -> dict[str, Any]:
    """Publication date, origin, precision and range, the dateline, and warnings."""
    warnings: list[str] = []
    dl = find_dateline(text)
    out: dict[str, Any] = dict(
        dateline=dl.text if dl else None,
        published=None,
        published_inferred=False,
        published_origin="none",
        published_precision=None,
        published_range=None,
        warnings=warnings,
    )
    # 1. metadata: the page's or record's own date, or a labelled date line the cleaner removed
    candidates = ([(meta_date, "metadata")] if meta_date else []) + list(cleaned.meta_dates)
    for value, origin in candidates:
        parsed = parse_date(value)
        problem = implausible(parsed[0], today) if parsed else None
        if parsed and not problem:
            out.update(published=parsed[0], published_origin=origin, published_precision=parsed[1])
            return out
        warnings.append(f"ignored the date {value!r}: {problem}" if problem else f"could not read the date {value!r}")
    mentions = find_dates(text)
    years = find_years(text)
    # 2. the dateline's month-day, with its year from the dateline or the text
    if dl and dl.month and dl.day:
        year, how = dl.year, ""
        if year is None:
            others = [d for d in mentions if not dl.date_text or d.text != dl.date_text]
            got = resolve_year(dl.month, dl.day, others, years, today, reference)
            if got is not None:
                year, how = got
                warnings.append(f"year of the dateline date {dl.date_text!r} is {year}, {how}")
        iso, problem = _dateline_iso(year, dl.month, dl.day, today)
        if problem:
            warnings.append(f"ignored the dateline date {dl.date_text!r}: {problem}")
        elif iso is not None:
            out.update(published=iso, published_origin="dateline", published_precision="day")
            if how and not how.startswith("from other dates in the text"):  # the year is not written
                out.update(published_inferred=True, published_range=(iso, iso))
            return out
        else:
            warnings.append(f"the dateline gives {dl.date_text!r} but no year could be found")
    # 3. inferred: a bounded range after the latest date the text mentions
    inferred = infer_published(text, today, reference, mentions=mentions, years=years)
    if inferred:
        (lo, hi), note = inferred
        out.update(
            published=lo,
            published_inferred=True,
            published_origin="inferred",
            published_precision="range",
            published_range=(lo, hi),
        )
        warnings.append(f"publication date inferred as {lo} to {hi} ({note})")
        return out
    warnings.append("no publication date found")
    return out


def needs_reference(article: Article) -> bool:
    """True when the article's publication year rests on weak evidence (see :data:`WEAK_YEAR`)."""
    return any(WEAK_YEAR in w for w in article.warnings)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (py3langid), "und" when there are too few letters to tell."""
    sample = text[:3000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    import py3langid

    lang, _score = py3langid.classify(sample)
    return lang or "und"
