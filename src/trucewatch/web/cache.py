"""Caches valid until the data changes: aggregates (counts, top speakers ...) and whole GET responses.

The store's :meth:`~trucewatch.store.Store.data_version` (kept by triggers)
changes on any write to articles, analyses, fused records or the review log,
and then everything cached is dropped. On backends without a version (-1)
nothing is cached. The version is read once per request (see
:func:`request_version`), so a page that asks the cache five times costs one
query, not five.

:class:`ResponseCache` keeps the bytes of successful GET answers (pages and API
JSON) in memory, least recently used first out, within a byte budget
(``web_cache_mb``). Anything that depends on more than the stored data and the
URL is left out: requests with credentials, the ledger (it reads the rules
file), answers that set cookies, and errors.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["AggregateCache", "ResponseCache", "request_version"]

T = TypeVar("T")

#: Key of the ASGI scope under which a request's data version is kept.
SCOPE_KEY = "trucewatch.data_version"


def request_version(scope: dict, store) -> int:
    """The store's data version, read at most once per request (remembered in the ASGI ``scope``)."""
    version = scope.get(SCOPE_KEY)
    if version is None:
        version = store.data_version()
        scope[SCOPE_KEY] = version
    return version


class AggregateCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._values: dict[Any, Any] = {}

    def get(self, store, key: Any, compute: Callable[[], T], *, version: int | None = None) -> T:
        """The cached value for ``key``, computing it with ``compute()`` when missing or stale.

        ``version`` is the store's data version when the caller has read it already.
        """
        if version is None:
            version = store.data_version()
        if version < 0:
            return compute()
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            if self._version == version:
                self._values[key] = value
        return value


class ResponseCache:
    """Pure ASGI middleware: answer repeated GETs from memory while the store's data version is unchanged.

    ``store_of(scope)`` gives the store (it is only known once the app is built).
    Answers carry ``X-Cache: hit`` or ``miss`` so tests and operators can tell.
    """

    SKIP_PREFIXES = ("/static/", "/ledger", "/api/ledger", "/api/reviews")

    def __init__(self, app, *, store_of: Callable[[dict], Any], max_bytes: int):
        self.app = app
        self.store_of = store_of
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._size = 0
        self._version: int | None = None

    def _cacheable(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0:
            return False
        if scope["path"].startswith(self.SKIP_PREFIXES):
            return False
        return not any(k in (b"authorization", b"cookie") for k, _ in scope.get("headers", ()))

    async def __call__(self, scope, receive, send):
        if not self._cacheable(scope):
            return await self.app(scope, receive, send)
        version = request_version(scope, self.store_of(scope))
        if version < 0:
            return await self.app(scope, receive, send)
        key = (scope["path"], scope.get("query_string", b""))
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._size = 0
                self._version = version
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return

        start: dict | None = None
        chunks: list[bytes] = []
        keep = True

        async def capture(message):
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = message
                headers = message.get("headers", [])
                keep = message["status"] == 200 and not any(k.lower() == b"set-cookie" for k, _ in headers)
                message = {**message, "headers": [*headers, (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if not keep or start is None:
            return
        body = b"".join(chunks)
        if len(body) > self.max_bytes // 8:  # one huge answer would push out everything else
            return
        with self._lock:
            if self._version != version or key in self._entries:
                return
            self._entries[key] = (start["status"], list(start.get("headers", [])), body)
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, (_, _, old) = self._entries.popitem(last=False)
                self._size -= len(old)
