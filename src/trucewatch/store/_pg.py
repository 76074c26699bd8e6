"""PostgreSQL-specific pieces of the store: search over the full-text index and a collation helper.

Migration 0004 gives a PostgreSQL store what SQLite's FTS5 table and triggers
give an SQLite store (see docs/scale.md). Search uses the GIN index on the
generated column :data:`FTS_DOC` with ``websearch_to_tsquery`` (quoted phrases, ``OR``, ``-word``;
never a syntax error) and falls back to a case-insensitive substring match
(``ILIKE``) when the words match nothing as whole words (part words, ``kab*``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["FTS_DOC", "exact", "search"]

#: The search document: migration 0004's stored generated column
#: ``to_tsvector('simple', title || ' ' || text)``, with a GIN index.
FTS_DOC = "a.fts"


class exact(FunctionElement):  # noqa: N801 - reads as a function in queries
    """A case-insensitive browse column (``record_facet.value`` ...) compared with an id column.

    SQLite renders the column as is. PostgreSQL gives the column the database's
    default collation, since comparing its nondeterministic ``NOCASE`` collation
    with an id column's default one is an error there.
    """

    type = String()
    name = "exact"
    inherit_cache = True


@compiles(exact)
def _exact_default(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(exact, "postgresql")
def _exact_pg(element, compiler, **kw) -> str:
    return f'({compiler.process(element.clauses, **kw)} COLLATE "default")'


def _like_pattern(query: str) -> str:
    words = " ".join(query.replace('"', " ").replace("*", " ").split())
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _snippet(body: str, needle: str, start: str, stop: str, width: int = 80) -> str:
    at = body.lower().find(needle.lower())
    if at < 0:
        return body[: 2 * width]
    lo, hi = max(0, at - width), min(len(body), at + len(needle) + width)
    return (
        ("… " if lo else "") + body[lo:at] + start + body[at : at + len(needle)] + stop
        + body[at + len(needle) : hi] + (" …" if hi < len(body) else "")
    )


def search(conn, query: str, *, limit: int, offset: int, cap: int, start: str, stop: str) -> tuple[int, list[dict[str, Any]], bool]:
    """``(total, [{"id", "snippet"}], capped)`` for ``query`` on a PostgreSQL store.

    Up to ``cap`` matches are counted and ranked (``ts_rank``); beyond that the
    newest-ingested come first and ``capped`` is True. Matched words are wrapped
    in ``start`` / ``stop``.
    """
    q = query.strip()
    if not q:
        return 0, [], False
    params = {"q": q, "cap": cap + 1, "n": limit, "o": offset}
    total = conn.execute(text(
        "SELECT count(*) FROM (SELECT 1 FROM article a WHERE " + FTS_DOC + " @@ websearch_to_tsquery('simple', :q) "
        "LIMIT :cap) s"
    ), params).scalar_one()
    if total:
        capped = total > cap
        order = "a.ingested_at DESC, a.id" if capped else "ts_rank(" + FTS_DOC + ", websearch_to_tsquery('simple', :q)) DESC, a.id"
        opts = f"StartSel=\"{start}\", StopSel=\"{stop}\", MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=' … '"
        ids = [r[0] for r in conn.execute(text(
            "SELECT a.id FROM article a WHERE " + FTS_DOC + " @@ websearch_to_tsquery('simple', :q) "
            "ORDER BY " + order + " LIMIT :n OFFSET :o"
        ), params)]
        # Headlines for this page only (ts_headline re-parses the whole text).
        heads = dict(conn.execute(text(
            "SELECT a.id, ts_headline('simple', a.text, websearch_to_tsquery('simple', :q), :opts) "
            "FROM article a WHERE a.id = ANY(:ids)"
        ), {"q": q, "opts": opts, "ids": ids}).all()) if ids else {}
        rows = [(i, heads.get(i, "")) for i in ids]
        return min(total, cap), [{"id": r[0], "snippet": r[1]} for r in rows], capped
    # No whole-word match: a case-insensitive substring match (no index; capped like the ranked search).
    like = _like_pattern(q)
    if like == "%%":
        return 0, [], False
    params["like"] = like
    cond = "(a.text ILIKE :like ESCAPE '\\' OR a.title ILIKE :like ESCAPE '\\')"
    total = conn.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM article a WHERE {cond} LIMIT :cap) s"), params).scalar_one()
    rows = conn.execute(text(
        f"SELECT a.id, a.text FROM article a WHERE {cond} ORDER BY a.ingested_at DESC, a.id LIMIT :n OFFSET :o"
    ), params).all()
    needle = like[1:-1].replace("\\%", "%").replace("\\_", "_").replace("\\\\", "\\")
    return min(total, cap), [{"id": r[0], "snippet": _snippet(r[1], needle, start, stop)} for r in rows], total > cap
