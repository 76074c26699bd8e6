"""The network edge of ingest: URLs and RSS/Atom feeds -> ``RawInput | Skip``.

Safety rules (see docs/ingest.md, "URL safety"):

* only ``http`` and ``https``;
* the host of the URL and of every redirect hop is resolved, and any private,
  loopback, link-local, multicast, reserved or unspecified address is refused
  unless ``settings.allow_private`` (``--allow-private``);
* at most :data:`MAX_REDIRECTS` redirects; ``settings.timeout`` seconds per request;
* the body is streamed and the download stops once it passes ``settings.max_bytes``;
* every request sends ``settings.user_agent``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from ..records import RawInput, Skip
from ..settings import Settings

__all__ = ["MAX_REDIRECTS", "NOT_MODIFIED", "feed_items", "fetch_url", "is_url", "make_client", "refused_address"]

MAX_REDIRECTS = 10
#: The reason of the Skip :func:`fetch_url` returns for an HTTP 304 answer to a conditional GET.
NOT_MODIFIED = "not modified since the last fetch (HTTP 304)"
# A feed item without a link is used as an article when its own content has at least this many words.
MIN_FEED_CONTENT_WORDS = 20


def is_url(source: str) -> bool:
    return "://" in source[:16]


def make_client(settings: Settings) -> httpx.Client:
    """An httpx client with the settings' timeout and user agent; redirects are followed by :func:`fetch_url`."""
    return httpx.Client(timeout=settings.timeout, headers={"User-Agent": settings.user_agent}, follow_redirects=False)


def refused_address(host: str, port: int | None) -> str | None:
    """Why ``host`` may not be fetched (it resolves to a non-public address), or None when it is public."""
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        return f"cannot resolve host {host!r} ({e})"
    for info in infos:
        addr = info[4][0]
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
            return f"refused: {host} resolves to the non-public address {ip} (use --allow-private to allow it)"
    return None


def _kind(content_type: str, body: bytes) -> str:
    from .extract import sniff_kind

    ct = content_type.split(";", 1)[0].strip().lower()
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if ct == "text/plain":
        return "txt"
    if ct in ("application/json", "application/x-ndjson", "application/jsonl"):
        return sniff_kind(body) if sniff_kind(body) in ("json", "jsonl") else "json"
    if ct.endswith("/xml") or ct.endswith("+xml"):
        return sniff_kind(body)
    return sniff_kind(body)


def fetch_url(
    url: str, client: httpx.Client, settings: Settings, *, outlet: str | None = None, headers: Mapping[str, str] | None = None,
) -> RawInput | Skip:
    """Download ``url`` safely (see the module docstring) into a RawInput, or a Skip with the reason.

    ``headers`` are sent with the request (``If-None-Match`` / ``If-Modified-Since`` make it a
    conditional GET: an HTTP 304 answer is a Skip whose reason is :data:`NOT_MODIFIED`). The
    answer's ``ETag`` and ``Last-Modified`` are kept in the RawInput's fields ``etag`` and
    ``last_modified``."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https"):
            return Skip(url, "ingest", f"unsupported URL scheme {parts.scheme!r}; only http and https are fetched")
        if not parts.hostname:
            return Skip(url, "ingest", "the URL has no host name")
        if not settings.allow_private:
            why = refused_address(parts.hostname, parts.port)
            if why:
                where = "" if current == url else f" (redirected to {current})"
                return Skip(url, "ingest", why + where)
        try:
            request = client.build_request(
                "GET", current, headers={**(headers or {}), "User-Agent": settings.user_agent}, timeout=settings.timeout
            )
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            return Skip(url, "ingest", f"unreachable: timed out after {settings.timeout:g} s")
        except httpx.HTTPError as e:
            return Skip(url, "ingest", f"unreachable: {type(e).__name__}: {e}")
        try:
            if response.status_code == 304:
                return Skip(url, "ingest", NOT_MODIFIED)
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    return Skip(url, "ingest", f"HTTP {response.status_code} redirect without a Location header")
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                return Skip(url, "ingest", f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                return Skip(url, "ingest", f"response is {int(declared):,} bytes, larger than the limit of {settings.max_bytes:,}")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > settings.max_bytes:
                    return Skip(url, "ingest", f"download stopped: larger than the limit of {settings.max_bytes:,} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
        except httpx.TimeoutException:
            return Skip(url, "ingest", f"unreachable: timed out after {settings.timeout:g} s while reading")
        except httpx.HTTPError as e:
            return Skip(url, "ingest", f"download failed: {type(e).__name__}: {e}")
        finally:
            response.close()
        if not body.strip():
            return Skip(url, "ingest", "empty response")
        kind = _kind(response.headers.get("content-type", ""), body)
        fields = {"content_type": kind}
        for name, header in (("etag", "etag"), ("last_modified", "last-modified")):
            if response.headers.get(header):
                fields[name] = response.headers[header]
        if current != url:
            fields["requested_url"] = url
        return RawInput(url, "url", body, fields=fields, url=current, outlet=outlet)
    return Skip(url, "ingest", f"more than {MAX_REDIRECTS} redirects")


def feed_items(
    feed: RawInput, client: httpx.Client | None, settings: Settings, *, skip_item: Callable[[str], bool] | None = None,
) -> Iterator[RawInput | Skip]:
    """The articles of an RSS/Atom feed: each item's link is fetched; an item without a link,
    or whose link cannot be fetched, is used as is when its own content is long enough.

    An item's key (its id or guid, else its link, else ``FEED#N``) is in the RawInput's field
    ``feed_item``. ``skip_item(key)`` True passes the item over unfetched (``watch`` uses it for
    items it has seen); every other item yields exactly one RawInput or Skip, in feed order."""
    import feedparser

    parsed = feedparser.parse(feed.data)
    if parsed.bozo and not parsed.entries:
        yield Skip(feed.source, "ingest", f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        return
    if not parsed.entries:
        yield Skip(feed.source, "ingest", "the feed has no items")
        return
    feed_title = (parsed.feed.get("title") or "").strip()
    for i, entry in enumerate(parsed.entries, start=1):
        fields = {
            "title": (entry.get("title") or "").strip(),
            "published": entry.get("published") or entry.get("updated") or "",
            "outlet": feed_title,
        }
        fields = {k: v for k, v in fields.items() if v}
        link = entry.get("link")
        if link and feed.url:
            link = urljoin(feed.url, link)
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value", "")
        content = content or entry.get("summary", "")
        source = f"{feed.source}#{i}"
        key = (entry.get("id") or link or source).strip()
        if skip_item is not None and skip_item(key):
            continue
        fields["feed_item"] = key
        problem = None
        if link and client is not None:
            got = fetch_url(link, client, settings, outlet=feed.outlet)
            if isinstance(got, RawInput):
                yield RawInput(link, "url", got.data, fields={**fields, **got.fields}, url=got.url, outlet=feed.outlet)
                continue
            problem = got.reason
        elif link:
            problem = "links are not fetched here"
        if content and len(content.split()) >= MIN_FEED_CONTENT_WORDS:
            kind = "html" if "<" in content else "txt"
            if problem:
                fields["note"] = f"item link not used: {problem}"
            yield RawInput(link or source, "feed", content.encode("utf-8"), fields={**fields, "content_type": kind}, url=link, outlet=feed.outlet)
        elif problem:
            yield Skip(link or source, "ingest", problem)
        else:
            yield Skip(source, "ingest", "feed item has no link and too little content to use")
