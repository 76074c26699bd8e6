"""Polling one watched source: conditional GET, items not seen before, politeness and back-off.

A source is a feed URL, a page URL, a URL whose body lists URLs (one a line), a local feed file or
a local file of URLs. :func:`poll_source` is the I/O edge: it takes the source's stored state and
the keys of the items already seen, and returns a :class:`SourceOutcome` holding the new raw
inputs (unstored) and what happened. Storing is :func:`trucewatch.pipeline.watch_round`'s job.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import ConfigError
from ..ingest import feed_items, fetch_url, is_url, make_client, read_path
from ..ingest.web import NOT_MODIFIED
from ..records import RawInput, Skip, stable_id
from ..settings import Settings

__all__ = ["HostPacer", "SourceOutcome", "backoff_seconds", "item_hash", "parse_duration", "poll_source", "polite_client", "source_id"]

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])", re.I)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``"90s"``, ``"15m"``, ``"1h30m"``, ``"2d"`` or a bare number of seconds.

    Raises :class:`~trucewatch.errors.ConfigError` for anything else (or a duration of 0).
    """
    raw = (text or "").strip().lower()
    try:
        seconds = float(raw)
    except ValueError:
        parts = _DURATION.findall(raw)
        if not parts or _DURATION.sub("", raw).strip():
            raise ConfigError(f"Cannot read the duration {text!r}; write it like 90s, 15m, 1h or 1h30m.") from None
        seconds = sum(float(n) * _UNIT[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"The duration {text!r} must be longer than 0 seconds.")
    return seconds


def source_id(source: str) -> str:
    return stable_id("watch-source", source)


def item_hash(key: str) -> str:
    return stable_id("watch-item", key)


def backoff_seconds(failures: int, settings: Settings) -> float:
    """How long a source that failed ``failures`` times in a row waits before it is tried again."""
    return min(settings.watch_backoff * 2 ** max(0, failures - 1), settings.watch_backoff_max)


class HostPacer:
    """At most one request per host every ``delay`` seconds (an httpx request hook, thread-safe)."""

    def __init__(self, delay: float, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.delay = max(0.0, delay)
        self.sleep, self.clock = sleep, clock
        self.last: dict[str, float] = {}
        self.waited = 0.0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> None:
        host = request.url.host
        with self._lock:
            now = self.clock()
            wait = self.last.get(host, -1e18) + self.delay - now
            if wait > 0:
                self.sleep(wait)
                self.waited += wait
                now += wait
            self.last[host] = now


def polite_client(settings: Settings, pacer: HostPacer) -> httpx.Client:
    """The ingest HTTP client (same timeout, user agent and redirect handling) with ``pacer`` on every request."""
    client = make_client(settings)
    client.event_hooks = {"request": [pacer], "response": []}
    return client


@dataclass
class SourceOutcome:
    """What polling one source gave."""

    source: str
    status: str  # fetched | unchanged | failed | waiting
    reason: str = ""
    inputs: list[tuple[str, RawInput]] = field(default_factory=list)  # (item key, new raw input)
    item_failures: list[tuple[str, Skip]] = field(default_factory=list)  # (item key, why its fetch failed)
    known: int = 0  # items passed over because they were seen before
    etag: str | None = None
    last_modified: str | None = None
    keep: Callable[[str, RawInput], None] | None = field(default=None, repr=False)  # called at once per new input

    def add(self, key: str, raw: RawInput) -> None:
        if self.keep is not None:
            self.keep(key, raw)
        self.inputs.append((key, raw))


def _validators(raw: RawInput) -> tuple[str | None, str | None]:
    return raw.fields.get("etag"), raw.fields.get("last_modified")


def _url_lines(data: bytes) -> list[str] | None:
    """The URLs of a URL list (one a line, ``#`` comments and blank lines allowed), or None if not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines or not all(is_url(ln) and " " not in ln for ln in lines):
        return None
    return lines


def _fetch_source(source: str, state: Mapping[str, Any] | None, client: httpx.Client, settings: Settings) -> RawInput | Skip:
    if is_url(source):
        headers = {}
        if state and state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state and state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return fetch_url(source, client, settings, headers=headers)
    if not Path(source).is_file():
        return Skip(source, "ingest", "no such file (a watched source is a URL, a feed file or a file of URLs)")
    got = next(iter(read_path(source, settings)), None)
    if got is None:
        return Skip(source, "ingest", "the file holds nothing to read")
    if isinstance(got, Skip):
        return got
    # A local file's "validator" is its content hash: an unchanged file is not read again.
    digest = hashlib.sha256(got.data).hexdigest()[:32]
    if state and state.get("etag") == digest:
        return Skip(source, "ingest", NOT_MODIFIED)
    return RawInput(got.source, got.fmt, got.data, fields={**got.fields, "etag": digest}, url=None)


def poll_source(
    source: str,
    client: httpx.Client,
    settings: Settings,
    *,
    state: Mapping[str, Any] | None,
    seen: Mapping[str, Mapping[str, Any]],
    now: datetime,
    keep: Callable[[str, RawInput], None] | None = None,
) -> SourceOutcome:
    """Poll ``source`` once. ``state``: its stored ``watch_source`` row; ``seen``: item key hash ->
    stored ``watch_item`` row (items whose row says added, duplicate, skipped or gave-up are not
    fetched again; failed ones are). ``keep(key, raw)`` is called as soon as a new item is fetched
    (``watch`` stores it there and then). Never raises for a bad source: the outcome says why."""
    wait_until = (state or {}).get("next_attempt_at")
    if wait_until and wait_until > now.isoformat(timespec="seconds"):
        return SourceOutcome(source, "waiting", f"backing off after {state['failures']} failure(s) until {wait_until}: {state.get('last_error')}")
    try:
        got = _fetch_source(source, state, client, settings)
    except Exception as e:  # any failure of one source is reported; the others go on
        return SourceOutcome(source, "failed", f"{type(e).__name__}: {e}")
    if isinstance(got, Skip):
        if got.reason == NOT_MODIFIED:
            out = SourceOutcome(source, "unchanged", got.reason, etag=(state or {}).get("etag"),
                                last_modified=(state or {}).get("last_modified"), keep=keep)
            _retry_failed(out, seen, client, settings)
            return out
        return SourceOutcome(source, "failed", got.reason)
    out = SourceOutcome(source, "fetched", keep=keep)
    out.etag, out.last_modified = _validators(got)

    def done_before(key: str) -> bool:
        row = seen.get(item_hash(key))
        if row is not None and row["status"] != "failed":
            out.known += 1
            return True
        return False

    try:
        _collect(got, source, client, settings, out, done_before)
    except Exception as e:  # a feed that breaks half-way: what was read is kept, the source is failed
        out.status, out.reason = "failed", f"{type(e).__name__} while reading items: {e}"
    return out


def _retry_failed(out: SourceOutcome, seen: Mapping[str, Mapping[str, Any]], client, settings: Settings) -> None:
    """Fetch again the items of an unchanged source whose fetch failed in an earlier round."""
    for row in seen.values():
        if row["status"] == "failed" and row.get("url") and is_url(row["url"]):
            item = fetch_url(row["url"], client, settings)
            if isinstance(item, RawInput):
                out.add(row["item_key"], item)
            else:
                out.item_failures.append((row["item_key"], item))


def _collect(got: RawInput, source: str, client, settings: Settings, out: SourceOutcome, done_before) -> None:
    if got.fields.get("content_type") == "feed":
        for item in feed_items(got, client, settings, skip_item=done_before):
            if isinstance(item, RawInput):
                out.add(item.fields.get("feed_item") or item.source, item)
            elif item.source == got.source:  # the feed as a whole: unreadable or empty
                out.status, out.reason = ("failed", item.reason) if "readable" in item.reason else ("fetched", item.reason)
            else:
                out.item_failures.append((item.source, item))
        return
    urls = _url_lines(got.data)
    if urls is None:
        if not is_url(source):
            out.status, out.reason = "failed", "not a feed and not a list of URLs (one http(s) URL a line)"
            return
        # A page: an item whose key changes with its content, so a changed page is read again.
        key = f"{source}#{got.sha256[:16]}"
        if not done_before(key):
            out.add(key, got)
        return
    for url in dict.fromkeys(urls):
        if done_before(url):
            continue
        item = fetch_url(url, client, settings)
        if isinstance(item, RawInput):
            out.add(url, item)
        else:
            out.item_failures.append((url, item))


def host_of(source: str) -> str:
    return urlsplit(source).hostname or "" if is_url(source) else ""


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def later(now: datetime, seconds: float) -> str:
    return (now + timedelta(seconds=seconds)).isoformat(timespec="seconds")
