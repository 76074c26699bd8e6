"""Full-text search over articles, with paging, for the web app and the HTTP API.

What a user types is searched as written when it is valid query syntax (SQLite
FTS5: words, "phrases", prefix*, OR, NOT, NEAR; on PostgreSQL
``websearch_to_tsquery``). When it is not (a lone bracket or quote, ``x AND``,
``NEAR(``) its words are searched as a phrase, and the page says so; control
characters such as NUL are dropped, with a note too. Search never answers an
error for what was typed.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

__all__ = ["SearchMixin", "SearchPage", "clean_query", "literal_query"]

#: (total, rows, capped, note): ``note`` says how the query was read when not as typed, else None.
SearchPage = tuple[int, list[dict[str, Any]], bool, str | None]

_FTS_COUNT = text("SELECT count(*) FROM (SELECT rowid FROM article_fts WHERE article_fts MATCH :q LIMIT :cap)")


def _fts_page(order: str):
    return text(
        "SELECT a.id, snippet(article_fts, 1, char(57344), char(57345), ' … ', 16) AS snippet "
        "FROM article_fts JOIN article a ON a.rowid = article_fts.rowid WHERE article_fts MATCH :q "
        f"ORDER BY {order} LIMIT :n OFFSET :o"
    )


_FTS_RANKED = _fts_page("rank")
_FTS_NEWEST = _fts_page("article_fts.rowid DESC")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+")


def literal_query(query: str) -> str | None:
    """An FTS5 phrase of the words of ``query`` (punctuation and operators read as plain text), or None if no words."""
    words = _WORD.findall(query)
    return '"' + " ".join(words) + '"' if words else None


def clean_query(query: str) -> tuple[str, str | None]:
    """``query`` without control characters (stripped), and a note when some were dropped."""
    cleaned = _CONTROL.sub(" ", query).strip()
    if cleaned != query.strip():
        return cleaned, "Control characters (such as NUL) in the query were ignored."
    return cleaned, None


class SearchMixin:
    """Needs ``self.engine`` and ``self.article_meta``."""

    engine: Any

    #: Above this many matches, search counts no further and lists the newest-ingested first instead
    #: of ranking (bm25 over tens of thousands of matches costs hundreds of ms per request).
    SEARCH_RANK_CAP = 1000

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
        """Full-text search with paging: ``(total, rows, capped, note)``.

        Rows have ``id``, ``snippet`` and the article metadata. The snippet
        marks matched words with U+E000/U+E001 (private-use characters) so a
        page can escape the text and then highlight. Up to
        :data:`SEARCH_RANK_CAP` matches are ranked best first (bm25) and counted
        exactly; beyond that ``total`` is the cap, ``capped`` is True and the
        newest-ingested articles come first. A query that is not valid FTS5
        syntax is searched as the phrase of its words; ``note`` then says so
        (and says when control characters were dropped), for the user to read.
        """
        q, note = clean_query(query)
        if not q:
            return 0, [], False, (note and note + " Nothing is left to search for.")
        cap = self.SEARCH_RANK_CAP
        if self.engine.dialect.name == "postgresql":  # the GIN index of migration 0004 (store/_pg.py)
            from . import _pg

            with self.engine.connect() as conn:
                total, rows, capped = _pg.search(conn, q, limit=limit, offset=offset, cap=cap, start="\ue000", stop="\ue001")
            meta = self.article_meta(r["id"] for r in rows)  # type: ignore[attr-defined]
            return total, [{**meta.get(r["id"], {}), **r} for r in rows], capped, note

        def run(conn, qq: str):
            total = conn.execute(_FTS_COUNT, {"q": qq, "cap": cap + 1}).scalar_one()
            capped = total > cap
            rows = conn.execute(_FTS_NEWEST if capped else _FTS_RANKED, {"q": qq, "n": limit, "o": offset}).all()
            return min(total, cap), [{"id": r[0], "snippet": r[1]} for r in rows], capped

        with self.engine.connect() as conn:
            try:
                total, rows, capped = run(conn, q)
            except OperationalError:
                phrase = literal_query(q)
                if phrase is None:
                    return 0, [], False, f"“{q}” has no words to search for: a bracket, quote or operator alone matches nothing."
                total, rows, capped = run(conn, phrase)
                note = " ".join(filter(None, [note, (
                    f"“{q}” is not valid search syntax (a bracket or quote left open, or AND/OR/NOT/NEAR without "
                    f"words on both sides), so its words were searched as written: {phrase}."
                )]))
        meta = self.article_meta(r["id"] for r in rows)  # type: ignore[attr-defined]
        return total, [{**meta.get(r["id"], {}), **r} for r in rows], capped, note
