"""One writer per app: the lock that serialises writes, and the analysis resources kept loaded.

Every write that runs a pipeline stage (``POST /api/articles``, review decisions that re-fuse)
goes through :meth:`Writer.locked`, so two fusions never run at once. Within one process a
:class:`threading.Lock` serialises them; across the processes of ``serve --workers N`` over one
SQLite file, an ``fcntl`` lock on ``<db>.write-lock`` does too (PostgreSQL stores rely on the
in-process lock and the database's own transactions).

The spaCy model and word lists (:func:`trucewatch.analyze.load_resources`) are loaded on the first
posted article, not at start (reading the store needs no model), and then kept by the app: later
posts reuse them. They are loaded again only when the pipeline version changes (a user alias or
gazetteer file was edited), so analyses are never stamped with a stale version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..settings import Settings

__all__ = ["Writer"]


class Writer:
    """The app's write lock and its lazily loaded analysis resources (``app.state.writer``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: pipeline settings for one posted article: analysed here, in this process, with the kept resources
        self.local = dataclasses.replace(settings, engine="local", processes=1)
        self._lock = threading.Lock()
        self._res: Any = None
        #: how many times the resources were loaded (once, unless the pipeline version changed)
        self.loads = 0
        url = settings.db_url
        self._lock_path = Path(url[len("sqlite:///"):] + ".write-lock") if url.startswith("sqlite:///") else None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock (this process, and other server processes on the same SQLite file)."""
        with self._lock:
            if self._lock_path is None:
                yield
                return
            try:
                import fcntl
            except ImportError:  # not POSIX: the in-process lock is all there is
                yield
                return
            with open(self._lock_path, "a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def resources(self) -> Any:
        """The analysis resources, loaded on first use; call with the write lock held."""
        from .. import analyze

        version = analyze.pipeline_version(self.settings)
        if self._res is None or self._res.version != version:
            self._res = analyze.load_resources(self.settings)
            self.loads += 1
        return self._res
