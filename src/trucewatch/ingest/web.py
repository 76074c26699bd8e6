"""The network edge of ingest: URLs and RSS/Atom feeds -> ``RawInput | Skip``.

Safety rules (see docs/ingest.md, "URL safety"):

* only ``http`` and ``https``;
* the host of the URL and of every redirect hop is resolved once, any private,
  loopback, link-local, multicast, reserved or unspecified address is refused
  unless ``settings.allow_private`` (``--allow-private``), and the connection goes to
  the address that was checked (no second lookup: DNS rebinding cannot redirect it);
* at most :data:`MAX_REDIRECTS` redirects; ``settings.timeout`` seconds per request;
* the body is streamed and the download stops once it passes ``settings.max_bytes``;
* every request sends ``settings.user_agent``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import weakref
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..records import RawInput, Skip
from ..settings import Settings

__all__ = ["MAX_REDIRECTS", "NOT_MODIFIED", "RefusedAddress", "checked_addresses", "feed_items", "fetch_url", "is_url",
           "make_client", "refused_address"]

MAX_REDIRECTS = 10
#: The reason of the Skip :func:`fetch_url` returns for an HTTP 304 answer to a conditional GET.
NOT_MODIFIED = "not modified since the last fetch (HTTP 304)"
# A feed item without a link is used as an article when its own content has at least this many words.
MIN_FEED_CONTENT_WORDS = 20


def is_url(source: str) -> bool:
    return "://" in source[:16]


def make_client(settings: Settings) -> httpx.Client:
    """An httpx client with the settings' timeout and user agent; redirects are followed by :func:`fetch_url`.

    Its transport checks the address of every connection it opens and connects to that very
    address (:class:`_PinnedBackend`), so a host that answers a public address to the check and a
    private one a moment later (DNS rebinding) cannot slip through. No proxy from the environment
    is used: a proxy would connect where it likes.
    """
    client = httpx.Client(
        timeout=settings.timeout, headers={"User-Agent": settings.user_agent}, follow_redirects=False,
        transport=_GuardedTransport(allow_private=settings.allow_private),
    )
    _GUARDED.add(client)
    return client


_GUARDED: weakref.WeakSet[httpx.Client] = weakref.WeakSet()


class RefusedAddress(Exception):
    """A connection the fetcher will not open; ``str(exc)`` is the reason for the user."""


def _non_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def checked_addresses(host: str, port: int | None, *, allow_private: bool = False) -> list[str]:
    """The addresses ``host`` resolves to, resolved once, in the resolver's order.

    Raises :class:`RefusedAddress` when it cannot be resolved, or when one of its addresses is not
    public (private, loopback, link-local, multicast, reserved, unspecified) and not ``allow_private``.
    """
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise RefusedAddress(f"cannot resolve host {host!r} ({e})") from None
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if not allow_private and _non_public(ip):
            shown = ip.ipv4_mapped if ip.version == 6 and ip.ipv4_mapped else ip
            raise RefusedAddress(f"refused: {host} resolves to the non-public address {shown} ({PRIVATE_HINT})")
        if addr not in out:
            out.append(addr)
    return out


#: How to allow a refused address; says the setting, not a command-line flag (the API shows it too).
PRIVATE_HINT = "private addresses are fetched only when the allow_private setting is on"


def malformed_url(url: str) -> str | None:
    """Why ``url`` cannot be parsed (an unclosed IPv6 bracket, a port that is no number ...), or None."""
    try:
        parts = urlsplit(url)
        parts.hostname, parts.port  # noqa: B018 -- both raise ValueError on a malformed URL
    except ValueError as e:
        return f"not a valid URL ({e})"
    return None


def refused_address(host: str, port: int | None) -> str | None:
    """Why ``host`` may not be fetched (it resolves to a non-public address), or None when it is public."""
    try:
        checked_addresses(host, port)
    except RefusedAddress as e:
        return str(e)
    return None


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens each TCP connection to an address it has just checked: the host is resolved once, here.

    httpcore asks for ``(host, port)`` and does TLS with the URL's host name as SNI (and httpx sends
    it as ``Host``), so certificates and virtual hosts work as usual; only the lookup is ours.
    """

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        error: Exception | None = None
        for addr in checked_addresses(host, port, allow_private=self.allow_private):
            try:
                return self._inner.connect_tcp(addr, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as e:  # try the host's next address
                error = e
        raise error or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise RefusedAddress("refused: Unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport (TLS, HTTP/1.1, pooling) over :class:`_PinnedBackend`."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_PinnedBackend(allow_private)
        )


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
    if settings.allow_private or client in _GUARDED:
        return _fetch(url, client, settings, outlet, headers)
    with make_client(settings) as guarded:  # a client of the caller's would look hosts up again itself
        return _fetch(url, guarded, settings, outlet, headers)


def _fetch(url: str, client: httpx.Client, settings: Settings, outlet: str | None,
           headers: Mapping[str, str] | None = None) -> RawInput | Skip:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        bad = malformed_url(current)
        if bad:
            return Skip(url, "ingest", bad if current == url else f"{bad} (redirected to {current})")
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https"):
            return Skip(url, "ingest", f"unsupported URL scheme {parts.scheme!r}; only http and https are fetched")
        if not parts.hostname:
            return Skip(url, "ingest", "the URL has no host name")
        try:
            request = client.build_request(
                "GET", current, headers={**(headers or {}), "User-Agent": settings.user_agent}, timeout=settings.timeout
            )
            response = client.send(request, stream=True, follow_redirects=False)
        except RefusedAddress as e:
            where = "" if current == url else f" (redirected to {current})"
            return Skip(url, "ingest", f"{e}{where}")
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
                try:
                    current = urljoin(current, location)
                except ValueError as e:
                    return Skip(url, "ingest", f"redirect to an invalid URL {location!r} ({e})")
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


# A numeric character reference to a UTF-16 surrogate (U+D800-U+DFFF), decimal or hex.
_SURROGATE_REF = re.compile(rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|553\d\d|55[4-9]\d\d|56\d{3}|57[0-2]\d\d|573[0-3]\d|5734[0-3]));")


def feed_items(
    feed: RawInput, client: httpx.Client | None, settings: Settings, *, skip_item: Callable[[str], bool] | None = None,
) -> Iterator[RawInput | Skip]:
    """The articles of an RSS/Atom feed: each item's link is fetched; an item without a link,
    or whose link cannot be fetched, is used as is when its own content is long enough.

    An item's key (its id or guid, else its link, else ``FEED#N``) is in the RawInput's field
    ``feed_item``. ``skip_item(key)`` True passes the item over unfetched (``watch`` uses it for
    items it has seen); every other item yields exactly one RawInput or Skip, in feed order."""
    import feedparser

    try:
        # feedparser's fallback parser fails on a character reference to a lone surrogate (&#xD800;).
        parsed = feedparser.parse(_SURROGATE_REF.sub(b"&#xFFFD;", feed.data))
    except Exception as e:  # any other failure inside feedparser: this feed is unreadable, the batch goes on
        yield Skip(feed.source, "ingest", f"not a readable RSS/Atom feed ({type(e).__name__}: {e})")
        return
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
