"""One loaded analysis pipeline (spaCy model + word lists + gazetteer) per test session."""

from __future__ import annotations

from functools import lru_cache

from trucewatch.records import Article
from trucewatch.settings import Settings


@lru_cache(maxsize=1)
def resources():
    from trucewatch.analyze import load_resources

    return load_resources(Settings.from_env(env={}))


def article(text: str, published: str | None = "2025-03-10", outlet: str | None = "Test Wire", article_id: str = "a1",
            language: str = "en") -> Article:
    return Article(
        id=article_id, title=None, outlet=outlet, url=None, source_path=None, dateline=None, published=published,
        published_inferred=False, published_origin="metadata" if published else "none",
        published_precision="day" if published else None, published_range=None, language=language, text=text,
        fmt="txt", raw_sha256="0" * 64,
    )
