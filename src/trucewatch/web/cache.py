"""A cache of aggregates (counts by outlet, by type, top speakers ...) valid until the data changes.

Aggregates scan many rows; pages show them on every visit. The store's
:meth:`~trucewatch.store.Store.data_version` (kept by triggers) changes on any
write to articles, analyses or fused records, and then the whole cache is
dropped. On backends without a version (-1) nothing is cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["AggregateCache"]

T = TypeVar("T")


class AggregateCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._values: dict[Any, Any] = {}

    def get(self, store, key: Any, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computing it with ``compute()`` when missing or stale."""
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
