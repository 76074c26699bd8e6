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

from . import tables as t
from ._pg import exact
from ._search import SearchMixin

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
    # The first words, for an article without a title (pages show them instead of its id).
    func.substr(t.article.c.text, 1, 200).label("lead"),
)


def _story_values(facet: str, story):
    """Values of ``facet`` (``incident``/``article``) of the story whose id is the bound ``story``."""
    f = t.record_facet.c
    return select(exact(f.value)).where(f.kind == "story", f.facet == facet, f.record_id == story)


#: The value of a shape marker in a filter's parameters (a name that shapes the statement, bound to nothing).
_MARK = object()


def _many(name: str):
    """An ``IN`` list bound at execution (one statement serves every number of values)."""
    return bindparam(name, expanding=True)


def _fused_params(pre: str = "", *, type=None, story_id=None, since=None, until=None, facets=None,
                  incident_filter=None, ids=None, min_articles=None) -> dict[str, Any]:
    """The values of a :meth:`BrowseMixin.browse_fused` filter set as bound parameters named ``pre`` + filter.

    The set of names is the filter set's *shape*: statements are built once per shape
    (:meth:`BrowseMixin._fused_cond` reads only the names) and run with these values.
    """
    p: dict[str, Any] = {}
    if type:
        p[pre + "type"] = [type] if isinstance(type, str) else list(type)
    if story_id:
        p[pre + "story"] = story_id
    if since:
        p[pre + "since"] = since
    if until:
        p[pre + "until"] = until
    for facet, values in (facets or {}).items():
        p[f"{pre}facet_{facet}"] = list(values)
    if incident_filter:
        p[pre + "inc"] = _MARK  # the incident condition applies even with no sub-filter; not a bound value
        p.update(_fused_params(pre + "inc_", **incident_filter))
    if ids is not None:
        p[pre + "ids"] = list(ids)
    if min_articles is not None:
        p[pre + "min_n"] = f"{min_articles:06d}"
    return p


def _shape(params: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(params))


def _bound(params: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """The execution parameters of ``params`` (markers left out) with ``extra``."""
    out = {k: v for k, v in params.items() if v is not _MARK}
    out.update(extra)
    return out


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
_ARTICLE_ROWS_TEXT = select(*_ARTICLE_META, _art.text).where(_art.id.in_(bindparam("ids", expanding=True)))
_ARTICLE_TEXTS = select(_art.id, _art.text).where(_art.id.in_(bindparam("ids", expanding=True)))
_ITEMS_BY_ID = select(_ai.data_json, _ai.published, _ai.outlet).where(
    _ai.kind == bindparam("kind"), _ai.id.in_(bindparam("ids", expanding=True))
)
_BIGGEST = and_(_rf.kind == bindparam("kind"), _rf.facet == "n_articles", _rf.value >= bindparam("min_n"))
_BIGGEST_COUNT = select(func.count()).select_from(t.record_facet).where(_BIGGEST)
_BIGGEST_PAGE = (select(_rf.record_id).where(_BIGGEST).order_by(_rf.value.desc(), _rf.record_id.desc())
                 .limit(bindparam("page_limit")).offset(bindparam("page_offset")))
_DATA_VERSION = text("SELECT n FROM data_version WHERE id = 1")
_NAMES = {
    dialect: text(f"SELECT id, {name} FROM fused_record WHERE kind = :kind AND id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    for dialect, name in (("postgresql", "(data_json::jsonb ->> 'name')"), ("sqlite", "json_extract(data_json, '$.name')"))
}

_COUNTRY_ACTORS = {
    dialect: text(f"SELECT id FROM fused_record WHERE kind = 'actor' AND upper({country}) IN :codes").bindparams(
        bindparam("codes", expanding=True)
    )
    for dialect, country in (("postgresql", "(data_json::jsonb ->> 'country')"),
                             ("sqlite", "json_extract(data_json, '$.country')"))
}


def _loads(data: str | bytes) -> Any:
    return orjson.loads(data)


def _frozen(value: Any) -> Hashable:
    """A hashable form of a filter value (dicts and lists nested), for cache keys."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in value)
    return value


class BrowseMixin(SearchMixin):
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
        params = _fused_params(type=type, story_id=story_id, since=since, until=until, facets=facets,
                               incident_filter=incident_filter, ids=ids, min_articles=min_articles)
        count, rows_q = self._statements(("browse_fused", kind, order, _shape(params)),
                                         lambda: self._fused_statements(kind, params, order))
        args = _bound(params)
        with self.engine.connect() as conn:
            if total_memo is None:
                total = conn.execute(count, args).scalar_one()
            else:
                key = ("browse_fused", kind, _frozen(params))
                total = total_memo(key, lambda: conn.execute(count, args).scalar_one())
            rows = conn.execute(rows_q, {**args, "page_limit": limit, "page_offset": offset}).scalars().all() if total else []
        return total, [_loads(d) for d in rows]

    #: Built statements kept per filter shape (which filters are given, not their values).
    STATEMENT_CACHE_SIZE = 256

    def _statements(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``'s statements for ``key``, built once (least recently used dropped past the cache size).

        Building a Core statement and its cache key costs more than SQLite's answer to a page query.
        Keys are filter *shapes* and every value is a bound parameter, so a handful of statements serve
        every request: none is rebuilt, and no stream of discarded statements keeps the garbage
        collector busy.
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

    def _fused_statements(self, kind: str, params: Mapping[str, Any], order: str = "date"):
        """(count, page) statements of :meth:`browse_fused` for the filter shape ``params``; the page also
        takes ``page_limit`` and ``page_offset``."""
        c = t.fused_record.c
        cond = self._fused_cond(kind, params)
        pg = self.engine.dialect.name == "postgresql"  # undated records where SQLite's index puts them
        if order == "-date":
            ordering = (c.date_start.desc().nulls_last() if pg else c.date_start.desc(), c.id.desc())
        elif order == "id":
            ordering = (c.id,)
        else:
            ordering = (c.date_start.asc().nulls_first() if pg else c.date_start, c.id)
        count = select(func.count()).select_from(t.fused_record).where(cond)
        # The page's ids through the covering index (kind, date_start, id), then only this page's JSON, in one
        # statement: OFFSET over the wide rows themselves would read every skipped record.
        page = select(c.id.label("pid"), c.date_start.label("pdate")).where(cond).order_by(*ordering)
        page = page.limit(bindparam("page_limit")).offset(bindparam("page_offset")).subquery("page")
        r = t.fused_record.alias("r")
        pdate_desc = page.c.pdate.desc().nulls_last() if pg else page.c.pdate.desc()
        pdate_asc = page.c.pdate.asc().nulls_first() if pg else page.c.pdate
        outer = {"-date": (pdate_desc, page.c.pid.desc()), "id": (page.c.pid,)}.get(order, (pdate_asc, page.c.pid))
        rows_q = select(r.c.data_json).join_from(page, r, and_(r.c.kind == kind, r.c.id == page.c.pid)).order_by(*outer)
        return count, rows_q

    def _fused_cond(self, kind: str, params: Mapping[str, Any], pre: str = ""):
        """The condition on ``fused_record`` for the filter shape ``params`` (names from :func:`_fused_params`)."""
        c = t.fused_record.c
        f = t.record_facet.c
        where = [c.kind == kind]
        if pre + "type" in params:
            where.append(c.type.in_(_many(pre + "type")))
        if pre + "story" in params:
            where.append(self._story_cond(kind, bindparam(pre + "story")))
        if pre + "since" in params:
            where.append(func.coalesce(c.date_end, c.date_start) >= bindparam(pre + "since"))
        if pre + "until" in params:
            where.append(c.date_start <= bindparam(pre + "until"))
        facet_pre = pre + "facet_"
        for name in sorted(params):
            if name.startswith(facet_pre):
                facet = name[len(facet_pre):]
                where.append(c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == facet, f.value.in_(_many(name)))))
        if pre + "inc" in params:
            inc = select(c.id).where(self._fused_cond("incident", params, pre + "inc_"))
            where.append(c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "incident", exact(f.value).in_(inc))))
        if pre + "ids" in params:
            where.append(c.id.in_(_many(pre + "ids")))
        if pre + "min_n" in params:
            where.append(c.id.in_(
                select(f.record_id).where(f.kind == kind, f.facet == "n_articles", f.value >= bindparam(pre + "min_n"))
            ))
        return and_(*where)

    def _story_cond(self, kind: str, story):
        """A condition keeping ``kind`` records that belong to the story whose id is the bound ``story``."""
        c = t.fused_record.c
        f = t.record_facet.c
        story_incidents = _story_values("incident", story)
        story_articles = _story_values("article", story)
        if kind == "story":
            return c.id == story
        if kind == "incident":
            return (c.story_id == story) | c.id.in_(story_incidents)
        if kind in ("dispute", "violation", "agreement"):
            incidents = select(t.fused_record.c.id).where(
                t.fused_record.c.kind == "incident",
                (t.fused_record.c.story_id == story) | t.fused_record.c.id.in_(story_incidents),
            )
            return c.id.in_(
                select(f.record_id).where(f.kind == kind, f.facet == "incident", exact(f.value).in_(incidents))
            ) | c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "article", f.value.in_(story_articles)))
        return c.id.in_(select(f.record_id).where(f.kind == kind, f.facet == "article", f.value.in_(story_articles)))

    def browse_biggest(self, kind: str, *, min_articles: int = 2, limit: int = 50, offset: int = 0) -> Page:
        """Records of ``kind`` listing at least ``min_articles`` articles, most articles first (index-only paging)."""
        args = {"kind": kind, "min_n": f"{min_articles:06d}"}
        with self.engine.connect() as conn:
            total = conn.execute(_BIGGEST_COUNT, args).scalar_one()
            page_ids = [r[0] for r in conn.execute(_BIGGEST_PAGE, {**args, "page_limit": limit, "page_offset": offset})]
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
        q = _NAMES["postgresql" if self.engine.dialect.name == "postgresql" else "sqlite"]
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for rid, value in conn.execute(q, {"kind": kind, "ids": ids[i : i + 500]}):
                    out[rid] = value if value is not None else rid
        return out

    def country_actor_ids(self, codes: Iterable[str]) -> list[str]:
        """Ids of the actors whose ``country`` is one of the ISO codes ``codes`` (any case), sorted."""
        codes = sorted({c.upper() for c in codes})
        if not codes:
            return []
        q = _COUNTRY_ACTORS["postgresql" if self.engine.dialect.name == "postgresql" else "sqlite"]
        with self.engine.connect() as conn:
            return sorted(r[0] for r in conn.execute(q, {"codes": codes}))

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
        p: dict[str, Any] = {}
        if since:
            p["since"] = since
        if until:
            p["until"] = until
        if outlet:
            p["outlet"] = list(outlet)
        if language:
            p["language"] = language
        if story_id:
            p["story"] = story_id
        if actor:
            p["actor"] = list(actor)
        if incident_filter:
            p["inc"] = _MARK
            p.update(_fused_params("inc_", **incident_filter))
        if ids is not None:
            p["ids"] = list(ids)
        count, page_q = self._statements(("browse_articles", order, _shape(p)), lambda: self._article_statements(p, order))
        rows_q = _ARTICLE_ROWS_TEXT if with_text else _ARTICLE_META_Q
        args = _bound(p)
        with self.engine.connect() as conn:
            total = known_total if known_total is not None else conn.execute(count, args).scalar_one()
            # Ids first through the (published, id) index, then the rows of this page only.
            page_ids = [r[0] for r in conn.execute(page_q, _bound(p, page_limit=limit, page_offset=offset))]
            rows = {r.id: dict(r._mapping) for r in conn.execute(rows_q, {"ids": page_ids})} if page_ids else {}
        return total, [rows[i] for i in page_ids if i in rows]

    def _article_statements(self, params: Mapping[str, Any], order: str):
        """(count, page ids) statements of :meth:`browse_articles` for the filter shape ``params``."""
        a = t.article.c
        f = t.record_facet.c
        where = []
        if "since" in params:
            where.append(a.published >= bindparam("since"))
        if "until" in params:
            where.append(a.published <= bindparam("until"))
        if "outlet" in params:
            # Exact names, so the outlet index is used; callers match case first (see outlet_names).
            where.append(a.outlet.in_(_many("outlet")))
        if "language" in params:
            where.append(a.language == bindparam("language"))
        if "story" in params:
            where.append(a.id.in_(_story_values("article", bindparam("story"))))
        if "actor" in params:
            where.append(a.id.in_(select(exact(f.value)).where(f.kind == "actor", f.facet == "article", f.record_id.in_(_many("actor")))))
        if "inc" in params:
            inc = select(t.fused_record.c.id).where(self._fused_cond("incident", params, "inc_"))
            where.append(a.id.in_(select(exact(f.value)).where(f.kind == "incident", f.facet == "article", f.record_id.in_(inc))))
        if "ids" in params:
            where.append(a.id.in_(_many("ids")))
        ordering = (a.published.desc(), a.id.desc()) if order == "-date" else (a.published, a.id)
        cond = and_(True, *where)
        count = select(func.count()).select_from(t.article).where(cond)
        page = select(a.id).where(cond).order_by(*ordering).limit(bindparam("page_limit")).offset(bindparam("page_offset"))
        return count, page

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
        p: dict[str, Any] = {}
        if article_id:
            p["article"] = [article_id] if isinstance(article_id, str) else list(article_id)
        if label:
            p["label"] = list(label)
        if category:
            p["category"] = category
        if outlet:
            p["outlet"] = list(outlet)
        if since:
            p["since"] = since
        if until:
            p["until"] = until
        if story_id:
            p["story"] = story_id
        if ids is not None:
            p["ids"] = list(ids)
        count, page_q = self._statements(("browse_items", kind, _shape(p)), lambda: self._item_statements(kind, p))
        with self.engine.connect() as conn:
            total = known_total if known_total is not None else conn.execute(count, p).scalar_one()
            rows = conn.execute(page_q, {**p, "page_limit": limit, "page_offset": offset}).all()
        out = []
        for r in rows:
            d = _loads(r[0])
            d["published"], d["outlet"] = r[1], r[2]
            out.append(d)
        return total, out

    def _item_statements(self, kind: str, params: Mapping[str, Any]):
        """(count, page) statements of :meth:`browse_items` for the filter shape ``params``."""
        c = t.article_item.c
        where = [c.kind == kind]
        if "article" in params:
            where.append(c.article_id.in_(_many("article")))
        if "label" in params:
            where.append(c.label.in_(_many("label")))
        if "category" in params:
            where.append(c.category == bindparam("category"))
        if "outlet" in params:
            where.append(c.outlet.in_(_many("outlet")))
        if "since" in params:
            where.append(c.published >= bindparam("since"))
        if "until" in params:
            where.append(c.published <= bindparam("until"))
        if "story" in params:
            where.append(c.article_id.in_(_story_values("article", bindparam("story"))))
        if "ids" in params:
            where.append(c.id.in_(_many("ids")))
        cond = and_(*where)
        count = select(func.count()).select_from(t.article_item).where(cond)
        page = (select(c.data_json, c.published, c.outlet).where(cond).order_by(c.published.desc(), c.id)
                .limit(bindparam("page_limit")).offset(bindparam("page_offset")))
        return count, page

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
