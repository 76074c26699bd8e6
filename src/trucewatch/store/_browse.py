"""Paginated, filtered reads for the web app and the HTTP API.

:class:`BrowseMixin` is mixed into :class:`~trucewatch.store.Store`. Every
method reads one page of rows through indexed columns (``fused_record``'s
kind/type/story/date, and the ``record_facet`` / ``article_item`` tables that
migration 0003 keeps in step by triggers), so a request costs the same on a
store of 1k or 100k articles. :meth:`Store.fused` (everything of a kind) stays
the tool for batch stages such as fusion and reports.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import orjson

from sqlalchemy import and_, bindparam, func, select, text
from sqlalchemy.exc import OperationalError

from . import tables as t
from ._pg import exact

__all__ = ["BrowseMixin", "Page"]

#: (total matching rows, the rows of this page)
Page = tuple[int, list[dict[str, Any]]]

_ARTICLE_META = (
    t.article.c.id,
    t.article.c.title,
    t.article.c.outlet,
    t.article.c.url,
    t.article.c.source_path,
    t.article.c.dateline,
    t.article.c.published,
    t.article.c.published_inferred,
    t.article.c.published_origin,
    t.article.c.published_precision,
    t.article.c.published_start,
    t.article.c.published_end,
    t.article.c.language,
)


def _facet_ids(kind: str, facet: str, values: Sequence[str]):
    """Ids of ``kind`` records having any of ``values`` for ``facet`` (case-insensitive)."""
    f = t.record_facet.c
    return select(f.record_id).where(f.kind == kind, f.facet == facet, f.value.in_(list(values)))


def _facet_values(kind: str, facet: str, record_ids):
    """Values of ``facet`` of the ``kind`` records ``record_ids`` (a list or a subquery)."""
    f = t.record_facet.c
    return select(exact(f.value)).where(f.kind == kind, f.facet == facet, f.record_id.in_(record_ids))


# Statements the web app runs on every request, built once: building a Core statement and its cache key
# costs more than SQLite's answer to these indexed lookups.
_fr, _rf, _ai, _art = t.fused_record.c, t.record_facet.c, t.article_item.c, t.article.c
_FUSED_MANY = select(_fr.id, _fr.data_json).where(_fr.kind == bindparam("kind"), _fr.id.in_(bindparam("ids", expanding=True)))
_FACET_MAP = (
    select(_rf.record_id, _rf.value)
    .where(_rf.kind == bindparam("kind"), _rf.facet == bindparam("facet"), _rf.record_id.in_(bindparam("ids", expanding=True)))
    .order_by(_rf.record_id, _rf.value)
)
_FACET_OWNERS = select(_rf.record_id, _rf.value).where(
    _rf.kind == bindparam("kind"), _rf.facet == bindparam("facet"), _rf.value.in_(bindparam("values", expanding=True))
)
_ARTICLE_META_Q = select(*_ARTICLE_META).where(_art.id.in_(bindparam("ids", expanding=True)))
_ARTICLE_TEXTS = select(_art.id, _art.text).where(_art.id.in_(bindparam("ids", expanding=True)))
_ITEMS_BY_ID = select(_ai.data_json, _ai.published, _ai.outlet).where(
    _ai.kind == bindparam("kind"), _ai.id.in_(bindparam("ids", expanding=True))
)
_DATA_VERSION = text("SELECT n FROM data_version WHERE id = 1")


def _loads(data: str | bytes) -> Any:
    return orjson.loads(data)


def _frozen(value: Any) -> Hashable:
    """A hashable form of a filter value (dicts and lists nested), for cache keys."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in value)
    return value


class BrowseMixin:
    """Read-side queries used by :mod:`trucewatch.web`. Needs ``self.engine``."""

    engine: Any

    def optimize(self) -> None:
        """Let SQLite refresh its planner statistics where they are missing or stale (``PRAGMA optimize``)."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA optimize")

    # ------------------------------------------------------------------ data version

    def data_version(self) -> int:
        """A number that changes whenever articles, analyses or fused records change (for caches).

        Kept by triggers on SQLite and PostgreSQL (migration 0004); on other backends it is -1 (never cache).
        """
        if self.engine.dialect.name not in ("sqlite", "postgresql"):
            return -1
        with self.engine.connect() as conn:
            return conn.execute(_DATA_VERSION).scalar() or 0

    # ------------------------------------------------------------------ fused records

    def browse_fused(
        self,
        kind: str,
        *,
        type: str | Sequence[str] | None = None,
        story_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        facets: Mapping[str, Sequence[str]] | None = None,
        incident_filter: Mapping[str, Any] | None = None,
        min_articles: int | None = None,
        ids: Sequence[str] | None = None,
        order: str = "date",
        limit: int = 50,
        offset: int = 0,
        total_memo: Callable[[Hashable, Callable[[], int]], int] | None = None,
    ) -> Page:
        """One page of fused records of ``kind`` matching every filter given, and the total.

        ``facets`` maps a facet (``actor``, ``place``, ``outlet``, ``article``,
        ``incident`` ...) to accepted values (any of them matches, case-insensitive;
        facets are combined with AND). ``incident_filter`` (keyword arguments of
        this method) keeps records whose ``incident`` facet names a matching
        incident, e.g. disputes about airstrikes. ``min_articles`` keeps records
        listing at least that many articles (quote clusters seen in 2+ articles). ``story_id`` follows the
        story's incidents or articles as fits the kind. ``since``/``until`` keep
        records whose date interval overlaps the range. ``order`` is ``date``
        (oldest first), ``-date`` (newest first) or ``id``. ``total_memo(key, count)`` may return a total
        remembered for the same filters (a cache valid while the data is unchanged) instead of counting.
        """
        key = ("browse_fused", kind, _frozen(type), story_id, since, until, _frozen(facets),
               _frozen(incident_filter), _frozen(ids), min_articles)
        count, rows_q = self._statements(key + (order,), lambda: self._fused_statements(
            kind, type=type, story_id=story_id, since=since, until=until, facets=facets,
            incident_filter=incident_filter, ids=ids, min_articles=min_articles, order=order,
        ))
        with self.engine.connect() as conn:
            if total_memo is None:
                total = conn.execute(count).scalar_one()
            else:
                total = total_memo(key, lambda: conn.execute(count).scalar_one())
            rows = conn.execute(rows_q, {"page_limit": limit, "page_offset": offset}).scalars().all() if total else []
        return total, [_loads(d) for d in rows]

    #: Built statements kept per filter set (paging through one list reuses them).
    STATEMENT_CACHE_SIZE = 256

    def _statements(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``'s statements for ``key``, built once (least recently used dropped past the cache size).

        Building a Core statement and its cache key costs more than SQLite's answer to a page query,
        and paging through a list asks for the same statements again with another offset.
        """
        cache = self.__dict__.get("_statement_cache")
        if cache is None:
            cache = self.__dict__.setdefault("_statement_cache", (threading.Lock(), OrderedDict()))
        lock, entries = cache
        with lock:
            found = entries.get(key)
            if found is not None:
                entries.move_to_end(key)
                return found
        built = build()
        with lock:
            entries[key] = built
            while len(entries) > self.STATEMENT_CACHE_SIZE:
                entries.popitem(last=False)
        return built

    def _fused_statements(self, kind: str, *, min_articles=None, order: str = "date", **filters):
        """(count, page) statements of :meth:`browse_fused`; the page takes ``page_limit`` and ``page_offset``."""
        c = t.fused_record.c
        cond = self._fused_cond(kind, **filters)
        if min_articles is not None:
            f = t.record_facet.c
            cond = and_(cond, c.id.in_(
                select(f.record_id).where(f.kind == kind, f.facet == "n_articles", f.value >= f"{min_articles:06d}")
            ))
        if order == "-date":
            ordering = (c.date_start.desc(), c.id.desc())
        elif order == "id":
            ordering = (c.id,)
        else:
            ordering = (c.date_start, c.id)
        count = select(func.count()).select_from(t.fused_record).where(cond)
        # The page's ids through the covering index (kind, date_start, id), then only this page's JSON, in one
        # statement: OFFSET over the wide rows themselves would read every skipped record.
        page = select(c.id.label("pid"), c.date_start.label("pdate")).where(cond).order_by(*ordering)
        page = page.limit(bindparam("page_limit")).offset(bindparam("page_offset")).subquery("page")
        r = t.fused_record.alias("r")
        outer = {"-date": (page.c.pdate.desc(), page.c.pid.desc()), "id": (page.c.pid,)}.get(order, (page.c.pdate, page.c.pid))
        rows_q = select(r.c.data_json).join_from(page, r, and_(r.c.kind == kind, r.c.id == page.c.pid)).order_by(*outer)
        return count, rows_q

    def _fused_cond(self, kind, *, type=None, story_id=None, since=None, until=None, facets=None,
                    incident_filter=None, ids=None):
        c = t.fused_record.c
        f = t.record_facet.c
        where = [c.kind == kind]
        if type:
            where.append(c.type.in_([type] if isinstance(type, str) else list(type)))
        if story_id:
            where.append(self._story_cond(kind, story_id))
        if since:
            where.append(func.coalesce(c.date_end, c.date_start) >= since)
        if until:
            where.append(c.date_start <= until)
        for facet, values in (facets or {}).items():
            where.append(c.id.in_(_facet_ids(kind, facet, values)))
        if incident_filter:
            inc = select(c.id).where(self._fused_cond("incident", **incident_filter))
            where.append(c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "incident", exact(f.value).in_(inc))))
        if ids is not None:
            where.append(c.id.in_(list(ids)))
        return and_(*where)

    def _story_cond(self, kind: str, story_id: str):
        """A condition keeping ``kind`` records that belong to story ``story_id``."""
        c = t.fused_record.c
        f = t.record_facet.c
        story_incidents = _facet_values("story", "incident", [story_id])
        story_articles = _facet_values("story", "article", [story_id])
        if kind == "story":
            return c.id == story_id
        if kind == "incident":
            return (c.story_id == story_id) | c.id.in_(story_incidents)
        if kind in ("dispute", "violation", "agreement"):
            incidents = select(t.fused_record.c.id).where(
                t.fused_record.c.kind == "incident",
                (t.fused_record.c.story_id == story_id) | t.fused_record.c.id.in_(story_incidents),
            )
            return c.id.in_(
                select(f.record_id).where(f.kind == kind, f.facet == "incident", exact(f.value).in_(incidents))
            ) | c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "article", f.value.in_(story_articles)))
        return c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "article", f.value.in_(story_articles)))

    def browse_biggest(self, kind: str, *, min_articles: int = 2, limit: int = 50, offset: int = 0) -> Page:
        """Records of ``kind`` listing at least ``min_articles`` articles, most articles first (index-only paging)."""
        f = t.record_facet.c
        cond = and_(f.kind == kind, f.facet == "n_articles", f.value >= f"{min_articles:06d}")
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(t.record_facet).where(cond)).scalar_one()
            page_ids = [r[0] for r in conn.execute(
                select(f.record_id).where(cond).order_by(f.value.desc(), f.record_id.desc()).limit(limit).offset(offset)
            )]
        data = self.fused_many(kind, page_ids)
        return total, [data[i] for i in page_ids if i in data]

    def count_items(self, kind: str) -> int:
        """Number of quotes (``kind="quote"``) or claims across all analyses."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(t.article_item).where(t.article_item.c.kind == kind)
            ).scalar_one()

    def fused_many(self, kind: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Fused records of ``kind`` by id (missing ids are left out)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for rid, data in conn.execute(_FUSED_MANY, {"kind": kind, "ids": ids[i : i + 500]}):
                    out[rid] = _loads(data)
        return out

    def fused_names(self, kind: str, ids: Iterable[str]) -> dict[str, str]:
        """id -> ``name`` of the fused records of ``kind`` (actors ...), read without parsing whole records."""
        ids = list(dict.fromkeys(ids))
        pg = self.engine.dialect.name == "postgresql"
        name = "(data_json::jsonb ->> 'name')" if pg else "json_extract(data_json, '$.name')"
        q = text(f"SELECT id, {name} FROM fused_record WHERE kind = :kind AND id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for rid, value in conn.execute(q, {"kind": kind, "ids": ids[i : i + 500]}):
                    out[rid] = value if value is not None else rid
        return out

    def fused_counts(self) -> dict[str, int]:
        """Number of fused records of each kind."""
        c = t.fused_record.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(c.kind, func.count()).group_by(c.kind)).all())

    def fused_type_counts(self, kind: str) -> dict[str, int]:
        """Number of ``kind`` records of each type (incident type, dispute kind ...)."""
        c = t.fused_record.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.type, func.count()).where(c.kind == kind).group_by(c.type).order_by(func.count().desc())
            ).all()
        return {r[0] or "": r[1] for r in rows}

    def facet_map(self, kind: str, facet: str, record_ids: Iterable[str]) -> dict[str, list[str]]:
        """record id -> its values of ``facet`` (sorted), for the ``kind`` records ``record_ids``."""
        ids = list(dict.fromkeys(record_ids))
        out: dict[str, list[str]] = {i: [] for i in ids}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for rid, value in conn.execute(_FACET_MAP, {"kind": kind, "facet": facet, "ids": ids[i : i + 500]}):
                    out[rid].append(value)
        return out

    def facet_owners(self, kind: str, facet: str, values: Iterable[str]) -> dict[str, list[str]]:
        """facet value -> ids of the ``kind`` records that carry it (e.g. quote id -> cluster ids)."""
        vals = list(dict.fromkeys(values))
        out: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(vals), 500):
                for rid, value in conn.execute(_FACET_OWNERS, {"kind": kind, "facet": facet, "values": vals[i : i + 500]}):
                    out.setdefault(value, []).append(rid)
        return out

    def facet_top(self, kind: str, facet: str, limit: int = 50) -> list[tuple[str, int]]:
        """The most frequent values of ``facet`` over ``kind`` records, with their counts."""
        f = t.record_facet.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(f.value, func.count().label("n"))
                .where(f.kind == kind, f.facet == facet)
                .group_by(f.value)
                .order_by(text("n DESC"), f.value)
                .limit(limit)
            ).all()
        return [(r[0], r[1]) for r in rows]

    # ------------------------------------------------------------------ articles

    def browse_articles(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        outlet: Sequence[str] | None = None,
        language: str | None = None,
        story_id: str | None = None,
        actor: Sequence[str] | None = None,
        incident_filter: Mapping[str, Any] | None = None,
        ids: Sequence[str] | None = None,
        with_text: bool = True,
        order: str = "date",
        known_total: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """One page of articles (as column dicts) matching every filter, and the total.

        ``story_id`` and ``actor`` (canonical actor ids) go through the fused
        records' ``article`` facet; ``incident_filter`` (keyword arguments of
        :meth:`browse_fused` such as ``{"type": "airstrike"}``) keeps articles
        that report a matching incident.
        """
        a = t.article.c
        f = t.record_facet.c
        where = []
        if since:
            where.append(a.published >= since)
        if until:
            where.append(a.published <= until)
        if outlet:
            # Exact names, so the outlet index is used; callers match case first (see outlet_names).
            where.append(a.outlet.in_(list(outlet)))
        if language:
            where.append(a.language == language)
        if story_id:
            where.append(a.id.in_(_facet_values("story", "article", [story_id])))
        if actor:
            where.append(a.id.in_(select(exact(f.value)).where(f.kind == "actor", f.facet == "article", f.record_id.in_(list(actor)))))
        if incident_filter:
            inc = select(t.fused_record.c.id).where(self._fused_cond("incident", **incident_filter))
            where.append(a.id.in_(select(exact(f.value)).where(f.kind == "incident", f.facet == "article", f.record_id.in_(inc))))
        if ids is not None:
            where.append(a.id.in_(list(ids)))
        cols = list(_ARTICLE_META) + ([a.text] if with_text else [])
        ordering = (a.published.desc(), a.id.desc()) if order == "-date" else (a.published, a.id)
        cond = and_(True, *where)
        with self.engine.connect() as conn:
            total = known_total if known_total is not None else conn.execute(
                select(func.count()).select_from(t.article).where(cond)
            ).scalar_one()
            # Ids first through the (published, id) index, then the rows of this page only.
            page_ids = [r[0] for r in conn.execute(
                select(a.id).where(cond).order_by(*ordering).limit(limit).offset(offset)
            )]
            rows = {r.id: dict(r._mapping) for r in conn.execute(select(*cols).where(a.id.in_(page_ids)))} if page_ids else {}
        return total, [rows[i] for i in page_ids if i in rows]

    def article_meta(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Article metadata without the text, by id (missing ids are left out)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for r in conn.execute(_ARTICLE_META_Q, {"ids": ids[i : i + 500]}):
                    out[r.id] = dict(r._mapping)
        return out

    def article_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """article id -> clean text, for ``ids``."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for rid, txt in conn.execute(_ARTICLE_TEXTS, {"ids": ids[i : i + 500]}):
                    out[rid] = txt
        return out

    def outlet_names(self, names: Iterable[str], known: Iterable[str] | None = None) -> list[str]:
        """The stored spellings of outlet ``names`` matched without regard to case (unknown ones kept as given).

        ``known`` is the list of stored outlet names when the caller has it (e.g. cached).
        """
        if known is None:
            with self.engine.connect() as conn:
                known = [r[0] for r in conn.execute(select(t.article.c.outlet).distinct()) if r[0]]
        by_lower: dict[str, list[str]] = {}
        for k in known:
            by_lower.setdefault(k.lower(), []).append(k)
        out: list[str] = []
        for n in names:
            out.extend(by_lower.get(n.lower(), [n]))
        return out

    def outlet_counts(self) -> list[tuple[str, int]]:
        """(outlet, number of articles), most articles first; articles with no outlet count under ""."""
        a = t.article.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(func.coalesce(a.outlet, ""), func.count().label("n")).group_by(a.outlet).order_by(text("n DESC"))
            ).all()
        return [(r[0], r[1]) for r in rows]

    def article_date_span(self) -> tuple[str | None, str | None]:
        """The earliest and latest publication dates in the store."""
        a = t.article.c
        with self.engine.connect() as conn:  # two queries: each min()/max() alone is one index probe
            first = conn.execute(select(func.min(a.published))).scalar()
            last = conn.execute(select(func.max(a.published))).scalar()
        return first, last

    #: Above this many matches, search counts no further and lists the newest-ingested first instead
    #: of ranking (bm25 over tens of thousands of matches costs hundreds of ms per request).
    SEARCH_RANK_CAP = 1000

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0) -> tuple[int, list[dict[str, Any]], bool]:
        """Full-text search (SQLite FTS5) with paging: ``(total, rows, capped)``.

        Rows have ``id``, ``snippet`` and the article metadata. The snippet
        marks matched words with U+E000/U+E001 (private-use characters) so a
        page can escape the text and then highlight. Up to
        :data:`SEARCH_RANK_CAP` matches are ranked best first (bm25) and counted
        exactly; beyond that ``total`` is the cap, ``capped`` is True and the
        newest-ingested articles come first. Invalid FTS5 syntax is searched as
        a phrase.
        """
        q = query.strip()
        if not q:
            return 0, [], False
        cap = self.SEARCH_RANK_CAP
        if self.engine.dialect.name == "postgresql":  # the GIN index of migration 0004 (store/_pg.py)
            from . import _pg

            with self.engine.connect() as conn:
                total, rows, capped = _pg.search(conn, q, limit=limit, offset=offset, cap=cap, start="\ue000", stop="\ue001")
            meta = self.article_meta(r["id"] for r in rows)
            return total, [{**meta.get(r["id"], {}), **r} for r in rows], capped
        count_sql = text(
            "SELECT count(*) FROM (SELECT rowid FROM article_fts WHERE article_fts MATCH :q LIMIT :cap)"
        )

        def page_sql(order: str):
            return text(
                "SELECT a.id, snippet(article_fts, 1, char(57344), char(57345), ' … ', 16) AS snippet "
                "FROM article_fts JOIN article a ON a.rowid = article_fts.rowid WHERE article_fts MATCH :q "
                f"ORDER BY {order} LIMIT :n OFFSET :o"
            )

        def run(conn, qq: str):
            total = conn.execute(count_sql, {"q": qq, "cap": cap + 1}).scalar_one()
            capped = total > cap
            order = "article_fts.rowid DESC" if capped else "rank"
            rows = conn.execute(page_sql(order), {"q": qq, "n": limit, "o": offset}).all()
            return min(total, cap), [{"id": r[0], "snippet": r[1]} for r in rows], capped

        with self.engine.connect() as conn:
            try:
                total, rows, capped = run(conn, q)
            except OperationalError:
                total, rows, capped = run(conn, '"' + q.replace('"', " ") + '"')
        meta = self.article_meta(r["id"] for r in rows)
        return total, [{**meta.get(r["id"], {}), **r} for r in rows], capped

    # ------------------------------------------------------------------ quotes and claims

    def browse_items(
        self,
        kind: str,
        *,
        article_id: str | Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        category: str | None = None,
        outlet: Sequence[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        story_id: str | None = None,
        ids: Sequence[str] | None = None,
        known_total: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """One page of quotes or claims (``kind``) across all analyses, newest article first.

        ``label`` filters on the speaker (quotes) or claimant (claims),
        case-insensitively; ``ids`` restricts to those item ids. ``known_total``
        skips the count (a caller that cached it for the unfiltered list).
        """
        c = t.article_item.c
        where = [c.kind == kind]
        if article_id:
            where.append(c.article_id.in_([article_id] if isinstance(article_id, str) else list(article_id)))
        if label:
            where.append(c.label.in_(list(label)))
        if category:
            where.append(c.category == category)
        if outlet:
            where.append(c.outlet.in_(list(outlet)))
        if since:
            where.append(c.published >= since)
        if until:
            where.append(c.published <= until)
        if story_id:
            where.append(c.article_id.in_(_facet_values("story", "article", [story_id])))
        if ids is not None:
            where.append(c.id.in_(list(ids)))
        cond = and_(*where)
        with self.engine.connect() as conn:
            total = known_total if known_total is not None else conn.execute(
                select(func.count()).select_from(t.article_item).where(cond)
            ).scalar_one()
            rows = conn.execute(
                select(c.data_json, c.published, c.outlet)
                .where(cond)
                .order_by(c.published.desc(), c.id)
                .limit(limit)
                .offset(offset)
            ).all()
        out = []
        for r in rows:
            d = _loads(r[0])
            d["published"], d["outlet"] = r[1], r[2]
            out.append(d)
        return total, out

    def items_by_id(self, kind: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Quotes or claims by id, each with its article's ``published`` and ``outlet``."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for data, published, outlet in conn.execute(_ITEMS_BY_ID, {"kind": kind, "ids": ids[i : i + 500]}):
                    d = _loads(data)
                    d["published"], d["outlet"] = published, outlet
                    out[d["id"]] = d
        return out

    def label_top(self, kind: str, limit: int = 50) -> list[tuple[str, int]]:
        """The most frequent speakers (quotes) or claimants (claims), with counts."""
        c = t.article_item.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(c.label, func.count().label("n"))
                .where(c.kind == kind, c.label.is_not(None))
                .group_by(c.label)
                .order_by(text("n DESC"), c.label)
                .limit(limit)
            ).all()
        return [(r[0], r[1]) for r in rows]


    def copy_stats(self) -> dict[str, tuple[int, int]]:
        """outlet -> (articles in copy groups, of which originals) — how much of an outlet is copied."""
        pg = self.engine.dialect.name == "postgresql"
        in_groups = text(
            "SELECT coalesce(a.outlet, ''), count(DISTINCT a.id) FROM record_facet f JOIN article a ON a.id = "
            + ('(f.value COLLATE "default") ' if pg else "f.value ")
            + "WHERE f.kind = 'copy' AND f.facet = 'article' GROUP BY a.outlet"
        )
        original_id = "(r.data_json::jsonb ->> 'original_id')" if pg else "json_extract(r.data_json, '$.original_id')"
        originals = text(
            "SELECT coalesce(a.outlet, ''), count(*) FROM fused_record r "
            f"JOIN article a ON a.id = {original_id} WHERE r.kind = 'copy' GROUP BY a.outlet"
        )
        with self.engine.connect() as conn:
            grouped = dict(conn.execute(in_groups).all())
            orig = dict(conn.execute(originals).all()) if self.engine.dialect.name in ("sqlite", "postgresql") else {}
        return {o: (n, orig.get(o, 0)) for o, n in grouped.items()}
