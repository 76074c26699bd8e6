"""Records <-> the database (SQLite by default, PostgreSQL by URL).

The only package that imports SQLAlchemy. :func:`open_store` opens (and
creates or migrates) a store; :class:`Store` reads and writes records from
:mod:`trucewatch.records`. Records are stored as JSON beside a few indexed
columns, so a change to a record type needs no migration unless a column is
queried.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from ..errors import NotFoundError, StoreError
from ..records import Analysis, Article, Debris, RawInput, Review, from_dict, to_dict
from ..settings import Settings
from . import tables as t
from ._browse import BrowseMixin
from ._search import clean_query as _clean_query, literal_query
from ._watch import WatchMixin

__all__ = ["Store", "open_store", "SCHEMA_HEAD"]

SCHEMA_HEAD = "0006"
_MIGRATIONS = Path(__file__).with_name("migrations")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def open_store(settings: Settings | str) -> "Store":
    """Open the store named by ``settings.db`` (a path or a URL), creating and migrating it as needed."""
    if not isinstance(settings, Settings):
        settings = Settings(db=settings)
    url = settings.db_url
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if path.exists() and path.is_dir():
            raise StoreError(f"{path} is a directory; give --db a file name such as {path / 'trucewatch.db'}.")
        if not path.parent.exists():
            raise StoreError(f"The folder {path.parent} does not exist; create it or choose another --db path.")
    try:
        # A pool as large as the web server's busy threads: a connection opened past the pool is closed
        # after one use, and a fresh SQLite connection starts with a cold page cache.
        pool = {"pool_size": max(1, settings.db_pool_size), "max_overflow": max(1, settings.db_pool_size)}
        engine = create_engine(url, future=True, **pool, **({} if url.startswith("sqlite") else {"pool_pre_ping": True}))
    except ImportError as e:
        hint = " Install the PostgreSQL driver: pip install 'trucewatch[postgres]'." if url.startswith("postgresql") else ""
        raise StoreError(f"Cannot open the store {_safe_url(url)}: {e}.{hint}") from None
    except SQLAlchemyError as e:
        raise StoreError(f"Cannot open the store {_safe_url(url)}: {e}. Check the --db value or TRUCEWATCH_DB.") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", functools.partial(
            _sqlite_pragmas, mmap_bytes=max(0, settings.sqlite_mmap_mb) << 20, cache_kib=max(1, settings.sqlite_cache_mb) << 10,
        ))
    store = Store(engine)
    store.migrate()
    return store


def _safe_url(url: str) -> str:
    """``url`` with any password hidden (for error messages)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: it is shown as given
        return url


#: PostgreSQL advisory lock key held while the schema is created or upgraded (any fixed number).
_MIGRATE_LOCK = 0x7472_7563_6577


def _lock_schema(conn) -> None:
    """Take the database-wide lock that serialises schema creation, held until the transaction ends."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN EXCLUSIVE")  # waits (busy_timeout) while another process migrates
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK})


def _sqlite_pragmas(dbapi_connection, _record, *, mmap_bytes: int = 0, cache_kib: int = 2048) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # first: on a new file another process may hold the lock already
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA cache_size=-{int(cache_kib)}")  # negative: KiB, not pages
    cur.execute(f"PRAGMA mmap_size={int(mmap_bytes)}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


class Store(BrowseMixin, WatchMixin):
    """A trucewatch store over an SQLAlchemy engine. Use :func:`open_store` to make one."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # ------------------------------------------------------------------ schema

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic).

        Several processes may open a brand-new store at once: the schema is created (or upgraded)
        under a lock held to the end of the transaction, so one process does it and the others then
        find it done (SQLite ``BEGIN EXCLUSIVE``, a PostgreSQL advisory lock).
        """
        from alembic import command
        from alembic.config import Config

        try:
            if self.schema_version() == SCHEMA_HEAD:
                return  # the usual case: no lock, no wait behind a writer
        except DatabaseError:
            pass  # not a database at all: the upgrade below says so
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                _lock_schema(conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except (OperationalError, DatabaseError) as e:
            raise StoreError(f"Cannot open or migrate the store {self.url}: {e.orig}. Is it a trucewatch database?") from None
        except Exception as e:  # alembic raises its own CommandError for unknown revisions
            if type(e).__name__ == "CommandError":
                raise StoreError(
                    f"The store {self.url} was made by a newer trucewatch ({e}); upgrade trucewatch to open it."
                ) from None
            raise

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except (OperationalError, ProgrammingError):
                return None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest

    def has_raw(self, sha256: str) -> str | None:
        """The article id made from raw input ``sha256`` ("" if it made none), or None if unseen."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.raw_input.c.article_id).where(t.raw_input.c.sha256 == sha256)).first()
        if row is None:
            return None
        return row[0] or ""

    def add_article(self, article: Article, raw: RawInput) -> Literal["added", "duplicate"]:
        """Store ``article`` and its raw input. Same clean text or same raw bytes twice -> "duplicate"."""
        now = _now()
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(t.article.c.id).where(t.article.c.id == article.id)).first():
                    self._keep_raw(conn, raw, article.id, now)
                    return "duplicate"
                self._keep_raw(conn, raw, article.id, now)
                conn.execute(insert(t.article).values(**self._article_row(article), ingested_at=now))
        except IntegrityError:
            # Another writer (a second ingest on a shared PostgreSQL store) stored it between the check and the insert.
            return "duplicate"
        return "added"

    def keep_raw(self, raw: RawInput, article_id: str | None = None) -> None:
        """Keep the bytes of an input even when it made no article (so nothing is ever lost)."""
        try:
            with self.engine.begin() as conn:
                self._keep_raw(conn, raw, article_id, _now())
        except IntegrityError:
            pass  # another writer kept the same bytes first

    def _keep_raw(self, conn, raw: RawInput, article_id: str | None, now: datetime) -> None:
        if conn.execute(select(t.raw_input.c.sha256).where(t.raw_input.c.sha256 == raw.sha256)).first():
            return
        conn.execute(
            insert(t.raw_input).values(
                sha256=raw.sha256,
                source=raw.source,
                fmt=raw.fmt,
                url=raw.url,
                size=len(raw.data),
                data=zlib.compress(raw.data, 6),
                fields_json=_dumps(dict(raw.fields)),
                article_id=article_id,
                first_seen_at=now,
            )
        )

    def raw_bytes(self, sha256: str) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.raw_input.c.data).where(t.raw_input.c.sha256 == sha256)).first()
        if row is None:
            raise NotFoundError(f"No raw input with hash {sha256} in the store.")
        return zlib.decompress(row[0])

    def log_ingest(self, source: str, status: str, article_id: str | None = None, reason: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(t.ingest_log).values(at=_now(), source=source, status=status, article_id=article_id, reason=reason)
            )

    @staticmethod
    def _article_row(a: Article) -> dict[str, Any]:
        rng = a.published_range or (None, None)
        return dict(
            id=a.id,
            raw_sha256=a.raw_sha256,
            title=a.title,
            outlet=a.outlet,
            url=a.url,
            source_path=a.source_path,
            dateline=a.dateline,
            published=a.published,
            published_inferred=a.published_inferred,
            published_origin=a.published_origin,
            published_precision=a.published_precision,
            published_start=rng[0],
            published_end=rng[1],
            language=a.language,
            fmt=a.fmt,
            text=a.text,
            debris_json=_dumps(to_dict(a.debris)),
            warnings_json=_dumps(list(a.warnings)),
        )

    @staticmethod
    def _article_from_row(row) -> Article:
        m = row._mapping
        rng = (m["published_start"], m["published_end"]) if m["published_start"] else None
        return Article(
            id=m["id"],
            title=m["title"],
            outlet=m["outlet"],
            url=m["url"],
            source_path=m["source_path"],
            dateline=m["dateline"],
            published=m["published"],
            published_inferred=bool(m["published_inferred"]),
            published_origin=m["published_origin"],
            published_precision=m["published_precision"],
            published_range=rng,
            language=m["language"],
            text=m["text"],
            fmt=m["fmt"],
            raw_sha256=m["raw_sha256"],
            debris=tuple(from_dict(Debris, d) for d in json.loads(m["debris_json"])),
            warnings=tuple(json.loads(m["warnings_json"])),
        )

    # ------------------------------------------------------------------ articles

    def article(self, article_id: str) -> Article:
        """The article with this id or a unique prefix of it (at least 4 characters)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.article).where(t.article.c.id == article_id)).first()
            if row is None and article_id:
                like = article_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                rows = conn.execute(select(t.article).where(t.article.c.id.like(like, escape="\\")).limit(2)).all()
                if rows and len(article_id) < 4:
                    raise NotFoundError(
                        f"Article id prefix {article_id!r} is too short: give at least 4 characters of the id."
                    )
                if len(rows) == 2:
                    raise NotFoundError(f"Article id prefix {article_id!r} is ambiguous; give more characters.")
                row = rows[0] if rows else None
        if row is None:
            raise NotFoundError(f"No article {article_id!r} in the store; `trucewatch articles` lists them.")
        return self._article_from_row(row)

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """All articles (or those with ``ids``), ordered by publication date then id."""
        q = select(t.article).order_by(t.article.c.published, t.article.c.id)
        if ids is not None:
            q = q.where(t.article.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [self._article_from_row(r) for r in conn.execute(q)]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """All articles in id order, read in batches (constant memory)."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.article).where(t.article.c.id > last).order_by(t.article.c.id).limit(batch)
                ).all()
            if not rows:
                return
            for r in rows:
                yield self._article_from_row(r)
            last = rows[-1]._mapping["id"]

    def count(self, kind: str = "article") -> int:
        with self.engine.connect() as conn:
            if kind == "article":
                return conn.execute(select(func.count()).select_from(t.article)).scalar_one()
            if kind == "analysis":
                return conn.execute(select(func.count()).select_from(t.analysis)).scalar_one()
            return conn.execute(
                select(func.count()).select_from(t.fused_record).where(t.fused_record.c.kind == kind)
            ).scalar_one()

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str]]:
        """Full-text search: (article id, snippet) pairs, best first.

        Query syntax is SQLite FTS5's; on PostgreSQL it is ``websearch_to_tsquery``'s
        (phrases in quotes, ``OR``, ``-word``) with a substring fallback (see store/_pg.py).
        """
        if self.engine.dialect.name == "postgresql":
            from . import _pg

            with self.engine.connect() as conn:
                _total, rows, _capped = _pg.search(conn, _clean_query(query)[0], limit=limit, offset=0, cap=limit, start="[", stop="]")
            return [(r["id"], r["snippet"]) for r in rows]
        if self.engine.dialect.name != "sqlite":
            like = f"%{query}%"
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.article.c.id, func.substr(t.article.c.text, 1, 200)).where(t.article.c.text.ilike(like)).limit(limit)
                ).all()
            return [(r[0], r[1]) for r in rows]
        sql = text(
            "SELECT a.id, snippet(article_fts, 1, '[', ']', ' … ', 12) FROM article_fts "
            "JOIN article a ON a.rowid = article_fts.rowid WHERE article_fts MATCH :q ORDER BY rank LIMIT :n"
        )
        query = _clean_query(query)[0]
        if not query:
            return []
        with self.engine.connect() as conn:
            try:
                return [(r[0], r[1]) for r in conn.execute(sql, {"q": query, "n": limit})]
            except OperationalError:
                # Not valid FTS5 syntax: search for the words as a phrase instead.
                phrase = literal_query(query)
                return [(r[0], r[1]) for r in conn.execute(sql, {"q": phrase, "n": limit})] if phrase else []

    # ------------------------------------------------------------------ analyses

    def ids_needing_analysis(self, pipeline_version: str, force: bool = False) -> list[str]:
        """Ids of articles with no analysis made by ``pipeline_version`` (all ids when ``force``)."""
        q = select(t.article.c.id).order_by(t.article.c.id)
        if not force:
            done = select(t.analysis.c.article_id).where(t.analysis.c.pipeline_version == pipeline_version)
            q = q.where(t.article.c.id.not_in(done))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def save_analyses(self, analyses: Iterable[Analysis]) -> int:
        now = _now()
        n = 0
        with self.engine.begin() as conn:
            for a in analyses:
                conn.execute(delete(t.analysis).where(t.analysis.c.article_id == a.article_id))
                conn.execute(
                    insert(t.analysis).values(
                        article_id=a.article_id,
                        pipeline_version=a.pipeline_version,
                        analyzed_at=now,
                        data_json=_dumps(to_dict(a)),
                    )
                )
                n += 1
        return n

    def analysis(self, article_id: str) -> Analysis | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.analysis.c.data_json).where(t.analysis.c.article_id == article_id)).first()
        return from_dict(Analysis, json.loads(row[0])) if row else None

    def iter_analyses(self, batch: int = 500) -> Iterator[Analysis]:
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(t.analysis.c.article_id, t.analysis.c.data_json)
                    .where(t.analysis.c.article_id > last)
                    .order_by(t.analysis.c.article_id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for r in rows:
                yield from_dict(Analysis, json.loads(r[1]))
            last = rows[-1][0]

    def analysis_versions(self) -> dict[str, str]:
        """article id -> pipeline version of its stored analysis."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(t.analysis.c.article_id, t.analysis.c.pipeline_version)).all())

    # ------------------------------------------------------------------ fused records

    def replace_fused(self, kind: str, records: Iterable[dict[str, Any]]) -> int:
        """Replace every fused record of ``kind`` with ``records`` (dicts with at least an ``id``)."""
        rows = []
        for d in records:
            rows.append(
                dict(
                    kind=kind,
                    id=d["id"],
                    type=d.get("type") or d.get("kind"),
                    story_id=d.get("story_id"),
                    date_start=d.get("date_start") or d.get("date_agreed") or d.get("date"),
                    date_end=d.get("date_end"),
                    data_json=_dumps(d),
                )
            )
        # Write only what changed (same end state as delete-all + insert): a re-fusion that changes a
        # few records then rewrites, and re-indexes (the web browse triggers, migration 0003), only those.
        c = t.fused_record.c
        with self.engine.begin() as conn:
            old = dict(conn.execute(select(c.id, c.data_json).where(c.kind == kind)).all())
            keep = {r["id"] for r in rows}
            changed = [r for r in rows if r["id"] in old and old[r["id"]] != r["data_json"]]
            drop = [i for i in old if i not in keep] + [r["id"] for r in changed]
            for i in range(0, len(drop), 500):
                conn.execute(delete(t.fused_record).where(c.kind == kind, c.id.in_(drop[i : i + 500])))
            fresh = [r for r in rows if r["id"] not in old] + changed
            if fresh:
                conn.execute(insert(t.fused_record), fresh)
        return len(rows)

    def fused(self, kind: str, **where: Any) -> list[dict[str, Any]]:
        """Fused records of ``kind`` as dicts, ordered by date then id; ``where`` filters on type/story_id."""
        q = select(t.fused_record.c.data_json).where(t.fused_record.c.kind == kind)
        for col, value in where.items():
            if value is not None:
                q = q.where(getattr(t.fused_record.c, col) == value)
        date = t.fused_record.c.date_start
        # undated first, as SQLite orders NULLs, on every database
        q = q.order_by(date.asc().nulls_first() if self.engine.dialect.name == "postgresql" else date, t.fused_record.c.id)
        with self.engine.connect() as conn:
            return [json.loads(r[0]) for r in conn.execute(q)]

    def fused_one(self, kind: str, record_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.fused_record.c.data_json).where(t.fused_record.c.kind == kind, t.fused_record.c.id == record_id)
            ).first()
        if row is None:
            raise NotFoundError(f"No {kind} {record_id!r} in the store.")
        return json.loads(row[0])

    def get_state(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(t.state.c.value).where(t.state.c.key == key)).scalar()

    def set_state(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            if conn.execute(select(t.state.c.key).where(t.state.c.key == key)).first():
                conn.execute(update(t.state).where(t.state.c.key == key).values(value=value))
            else:
                conn.execute(insert(t.state).values(key=key, value=value))

    def states(self, prefix: str) -> dict[str, str]:
        """Every state entry whose key starts with ``prefix`` (used by fusion's incremental cache)."""
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.state.c.key, t.state.c.value).where(t.state.c.key.like(like, escape="\\")))
            return {r[0]: r[1] for r in rows}

    def set_states(self, values: dict[str, str], delete_keys: Iterable[str] = ()) -> None:
        """Write many state entries and delete others in one transaction."""
        keys = list(values)
        gone = list(delete_keys)
        with self.engine.begin() as conn:
            for i in range(0, len(gone), 500):
                conn.execute(delete(t.state).where(t.state.c.key.in_(gone[i : i + 500])))
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                conn.execute(delete(t.state).where(t.state.c.key.in_(chunk)))
                conn.execute(insert(t.state), [{"key": k, "value": values[k]} for k in chunk])

    # ------------------------------------------------------------------ reviews (append-only)

    def append_review(self, r: Review) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(t.review).values(
                        id=r.id,
                        target_kind=r.target_kind,
                        target_id=r.target_id,
                        action=r.action,
                        value=r.value,
                        reviewer=r.reviewer,
                        reason=r.reason,
                        at=r.at,
                    )
                )
        except IntegrityError:
            raise StoreError(f"Review {r.id} is already recorded; the review log is append-only.") from None

    def reviews(self, target_id: str | None = None) -> list[Review]:
        q = select(t.review).order_by(t.review.c.seq)
        if target_id is not None:
            q = q.where(t.review.c.target_id == target_id)
        with self.engine.connect() as conn:
            return [
                Review(**{k: v for k, v in r._mapping.items() if k != "seq"}) for r in conn.execute(q)
            ]

    # ------------------------------------------------------------------ API tokens

    def add_token_hash(self, token_id: str, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(t.api_token).values(id=token_id, token_hash=token_hash, created_at=_now()))

    def token_hashes(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(select(t.api_token.c.id, t.api_token.c.token_hash))]
