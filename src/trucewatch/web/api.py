"""Read endpoints of the HTTP API under ``/api``: JSON mirroring the export contract, paged and filtered.

Every list answers ``{"total", "limit", "offset", "items"}``. Filters take
repeated or comma-separated values; unknown query parameters and bad values
are answered with 400/422 and a sentence saying what is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from .responses import JSONResponse

from . import schemas as s
from .deps import (FiltersDep, PageDep, Paging, StoreDep, _split, actor_ids, cached, outlet_names,
                   reject_unknown_params, reviews, total_memo)
from .views import article_public, claim_public, dispute_public, incident_public, quote_public

router = APIRouter(prefix="/api", tags=["read"], dependencies=[Depends(reject_unknown_params)])

Multi = Annotated[list[str] | None, Query()]
DISPUTE_KINDS = ("figure", "date", "speaker", "sequence", "status", "responsibility")


def _page(total: int, p: Paging, items: list[Any]) -> JSONResponse:
    return JSONResponse({"total": total, "limit": p.limit, "offset": p.offset, "items": items})


def _with_reviews(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` with ``reviews``: the review decisions that target each (who, when, action, value, why)."""
    found = reviews(request, [i["id"] for i in items])
    for i in items:
        i["reviews"] = found.get(i["id"], [])
    return items


#: fusion map -> (fused kind, facet) that says the same thing when fusion stored no map
_LINK_FALLBACK = {"quote_cluster": ("quote_cluster", "quote"), "claim_incident": ("incident", "claim")}


def links(store, name: str, ids: list[str]) -> dict[str, str]:
    """id -> linked id through the fusion map ``name`` (claim_incident, quote_cluster, actor_canonical).

    Falls back to the fused records' own lists (a cluster's quote_ids, an incident's casualty
    claim ids) for ids the map does not cover.
    """
    found = {k: v[0] for k, v in store.facet_owners("map", name, ids).items() if v}
    missing = [i for i in ids if i not in found]
    if missing and name in _LINK_FALLBACK:
        kind, facet = _LINK_FALLBACK[name]
        found.update({k: sorted(v)[0] for k, v in store.facet_owners(kind, facet, missing).items() if v})
    return found


def _unfiltered(f, *others) -> bool:
    return not (f.since or f.until or f.type or f.actor or f.place or f.outlet or f.story or any(others))


def _item_total(request: Request, store, kind: str, *filters) -> int | None:
    """The cached count of all quotes/claims when no filter is given (None: count the filtered rows)."""
    if any(filters):
        return None
    return cached(request, ("count_items", kind), lambda: store.count_items(kind))


def _order(order: str) -> str:
    if order not in ("date", "-date"):
        raise HTTPException(400, f"'order' must be 'date' (oldest first) or '-date' (newest first), not {order!r}.")
    return order


@router.get("/stats", summary="Counts of everything in the store")
async def stats(request: Request, store: StoreDep) -> JSONResponse:
    counts = cached(request, "fused_counts", store.fused_counts)
    first, last = cached(request, "date_span", store.article_date_span)
    return JSONResponse({
        "articles": cached(request, "n_articles", store.count),
        "analyses": cached(request, "n_analyses", lambda: store.count("analysis")),
        "fused": counts,
        "published_from": first,
        "published_to": last,
    })


# ---------------------------------------------------------------------- articles


@router.get("/articles", response_model=s.Page[s.ArticlePublic], summary="Articles, newest or oldest first")
async def list_articles(
    request: Request,
    store: StoreDep,
    page: PageDep,
    f: FiltersDep,
    language: str | None = None,
    text: Annotated[bool, Query(description="Include each article's clean text")] = True,
    order: Annotated[str, Query(description="date | -date")] = "date",
):
    """Articles filtered by publication date, outlet, story, actor, and (through the incidents they
    report) incident type and place."""
    inc_filter: dict[str, Any] = {}
    if f.type:
        inc_filter["type"] = f.type
    if f.place:
        inc_filter["facets"] = {"place": f.place}
    total, rows = store.browse_articles(
        since=f.since, until=f.until, outlet=outlet_names(request, f.outlet) if f.outlet else None,
        language=language, story_id=f.story,
        actor=actor_ids(store, f.actor) if f.actor else None, incident_filter=inc_filter or None,
        with_text=text, order=_order(order), limit=page.limit, offset=page.offset,
        known_total=cached(request, "n_articles", store.count) if _unfiltered(f, language) and not inc_filter else None,
    )
    return _page(total, page, [article_public(r) for r in rows])


@router.get("/articles/{article_id}", response_model=s.ArticlePublic, summary="One article (and its analysis)")
async def get_article(store: StoreDep, article_id: str, analysis: bool = False):
    total, rows = store.browse_articles(ids=[article_id], limit=1)
    if not rows:
        raise HTTPException(404, f"No article {article_id!r} in the store; GET /api/articles lists them.")
    out = article_public(rows[0])
    if analysis:
        from ..records import to_dict

        a = store.analysis(article_id)
        out["analysis"] = to_dict(a) if a else None
    return JSONResponse(out)


# ---------------------------------------------------------------------- actors


@router.get("/actors", response_model=s.Page[s.ActorPublic], summary="Canonical actors across articles")
async def list_actors(request: Request, 
    store: StoreDep,
    page: PageDep,
    kind: Multi = None,
    name: Annotated[str | None, Query(description="Name or alias (exact, case-insensitive)")] = None,
    article: Multi = None,
    outlet: Multi = None,
    story: str | None = None,
):
    facets = {}
    if name:
        facets["name"] = [name]
    if article:
        facets["article"] = _split(article)
    if outlet:
        facets["outlet"] = _split(outlet)
    total, items = store.browse_fused(
        "actor", type=_split(kind) or None, story_id=story, facets=facets, order="id",
        limit=page.limit, offset=page.offset, total_memo=total_memo(request)
    )
    return _page(total, page, items)


@router.get("/actors/{actor_id}", response_model=s.ActorPublic)
async def get_actor(store: StoreDep, actor_id: str):
    return JSONResponse(store.fused_one("actor", actor_id))


# ---------------------------------------------------------------------- quotes and claims


@router.get("/quotes", response_model=s.Page[s.QuotePublic], summary="Quotes from every analyzed article")
async def list_quotes(
    request: Request,
    store: StoreDep,
    page: PageDep,
    since: str | None = None,
    until: str | None = None,
    speaker: Multi = None,
    actor: Multi = None,
    article: Multi = None,
    outlet: Multi = None,
    story: str | None = None,
    cluster: str | None = None,
):
    """Quotes filtered by speaker (as written), actor (any name or alias of a canonical actor),
    article, outlet, publication date, story or quote cluster."""
    from .deps import _iso

    labels = _split(speaker)
    if actor:
        for a in store.fused_many("actor", actor_ids(store, _split(actor))).values():
            labels += [a["name"], *a.get("aliases", [])]
        labels = labels or ["\x00no such actor"]
    ids = None
    if cluster:
        ids = sorted(set(store.facet_map("map", "quote_cluster", [cluster])[cluster])
                     | set(store.facet_map("quote_cluster", "quote", [cluster])[cluster]))
    total, rows = store.browse_items(
        "quote", article_id=_split(article) or None, label=labels or None, outlet=_split(outlet) or None,
        since=_iso("since", since), until=_iso("until", until), story_id=story, ids=ids,
        known_total=_item_total(request, store, "quote", speaker, actor, article, outlet, since, until, story, cluster),
        limit=page.limit, offset=page.offset,
    )
    clusters = links(store, "quote_cluster", [r["id"] for r in rows])
    canonical = links(store, "actor_canonical", [r["speaker_actor_id"] for r in rows if r.get("speaker_actor_id")])
    return _page(total, page, _with_reviews(request, [quote_public(r, clusters.get(r["id"]), canonical) for r in rows]))


@router.get("/claims", response_model=s.Page[s.ClaimPublic], summary="Numeric claims from every analyzed article")
async def list_claims(
    request: Request,
    store: StoreDep,
    page: PageDep,
    since: str | None = None,
    until: str | None = None,
    category: str | None = None,
    claimant: Multi = None,
    article: Multi = None,
    outlet: Multi = None,
    story: str | None = None,
    incident: str | None = None,
):
    from .deps import _iso

    ids = None
    if incident:
        ids = sorted(set(store.facet_map("map", "claim_incident", [incident])[incident])
                     | set(store.facet_map("incident", "claim", [incident])[incident]))
    total, rows = store.browse_items(
        "claim", article_id=_split(article) or None, label=_split(claimant) or None, category=category,
        outlet=_split(outlet) or None, since=_iso("since", since), until=_iso("until", until), story_id=story,
        ids=ids, known_total=_item_total(request, store, "claim", category, claimant, article, outlet, since, until,
                                         story, incident),
        limit=page.limit, offset=page.offset,
    )
    owners = links(store, "claim_incident", [r["id"] for r in rows])
    canonical = links(store, "actor_canonical", [r["claimant_actor_id"] for r in rows if r.get("claimant_actor_id")])
    return _page(total, page, _with_reviews(request, [claim_public(r, owners.get(r["id"]), canonical) for r in rows]))


# ---------------------------------------------------------------------- incidents and disputes


@router.get("/incidents", response_model=s.Page[s.IncidentPublic], summary="Incidents fused across outlets")
async def list_incidents(request: Request, 
    store: StoreDep,
    page: PageDep,
    f: FiltersDep,
    article: Multi = None,
    order: Annotated[str, Query(description="date | -date")] = "date",
):
    """Incidents whose date interval overlaps since..until, of the given types, involving the actors,
    at the places, reported by the outlets, in the story."""
    facets = f.facets(store)
    if article:
        facets["article"] = _split(article)
    total, items = store.browse_fused(
        "incident", type=f.type or None, story_id=f.story, since=f.since, until=f.until, facets=facets,
        order=_order(order), limit=page.limit, offset=page.offset, total_memo=total_memo(request)
    )
    return _page(total, page, _with_reviews(request, [incident_public(i) for i in items]))


@router.get("/incidents/{incident_id}", response_model=s.IncidentPublic)
async def get_incident(request: Request, store: StoreDep, incident_id: str):
    return JSONResponse(_with_reviews(request, [incident_public(store.fused_one("incident", incident_id))])[0])


@router.get("/disputes", response_model=s.Page[s.DisputePublic], summary="Disputes: where outlets disagree")
async def list_disputes(request: Request, 
    store: StoreDep,
    page: PageDep,
    f: FiltersDep,
    kind: Multi = None,
    incident: str | None = None,
    article: Multi = None,
):
    """Disputes of the given kinds; ``since``/``until``/``type``/``actor``/``place``/``outlet`` select
    the incidents they are about; ``story`` their story."""
    kinds = _split(kind)
    bad = [k for k in kinds if k not in DISPUTE_KINDS]
    if bad:
        raise HTTPException(400, f"Unknown dispute kind(s) {', '.join(bad)}; use {', '.join(DISPUTE_KINDS)}.")
    inc_filter: dict[str, Any] = {}
    if f.since or f.until or f.type or f.actor or f.place or f.outlet:
        inc_filter = {"since": f.since, "until": f.until, "type": f.type or None, "facets": f.facets(store)}
    facets = {}
    if incident:
        facets["incident"] = [incident]
    if article:
        facets["article"] = _split(article)
    total, items = store.browse_fused(
        "dispute", type=kinds or None, story_id=f.story, facets=facets, incident_filter=inc_filter or None,
        order="id", limit=page.limit, offset=page.offset, total_memo=total_memo(request)
    )
    return _page(total, page, [dispute_public(d) for d in items])


@router.get("/disputes/{dispute_id}", response_model=s.DisputePublic)
async def get_dispute(store: StoreDep, dispute_id: str):
    return JSONResponse(dispute_public(store.fused_one("dispute", dispute_id)))


# ---------------------------------------------------------------------- stories, copies, clusters


@router.get("/stories", response_model=s.Page[s.StoryPublic], summary="Stories: articles grouped by the real-world story they tell")
async def list_stories(request: Request, store: StoreDep, page: PageDep, article: Multi = None,
                       since: str | None = None, until: str | None = None, order: str = "id"):
    """Stories, each with its cited title and summary, date span, main places and actors; ``article`` keeps the
    stories holding those articles, ``since``/``until`` those whose dates reach into the range; ``order`` is
    ``id`` or ``-date`` (latest first)."""
    from .deps import _iso

    facets = {"article": _split(article)} if article else {}
    if order not in ("id", "-date", "date"):
        raise HTTPException(400, f"'order' must be 'id', 'date' (oldest first) or '-date' (newest first), not {order!r}.")
    total, items = store.browse_fused("story", facets=facets, since=_iso("since", since), until=_iso("until", until),
                                      order=order, limit=page.limit, offset=page.offset, total_memo=total_memo(request))
    return _page(total, page, items)


@router.get("/stories/{story_id}", response_model=s.StoryPublic)
async def get_story(store: StoreDep, story_id: str):
    return JSONResponse(store.fused_one("story", story_id))


@router.get("/copies", response_model=s.Page[s.CopyPublic], summary="Groups of articles that copy one report")
async def list_copies(request: Request, store: StoreDep, page: PageDep, article: Multi = None, outlet: Multi = None, story: str | None = None):
    facets = {}
    if article:
        facets["article"] = _split(article)
    if outlet:
        facets["outlet"] = _split(outlet)
    total, items = store.browse_fused("copy", facets=facets, story_id=story, order="id",
                                      limit=page.limit, offset=page.offset, total_memo=total_memo(request))
    return _page(total, page, items)


@router.get("/quote-clusters", response_model=s.Page[s.QuoteClusterPublic],
            summary="The same utterance as reported by several outlets")
async def list_quote_clusters(request: Request, store: StoreDep, page: PageDep, speaker: Multi = None, article: Multi = None,
                        story: str | None = None):
    facets = {}
    if speaker:
        facets["speaker"] = _split(speaker)
    if article:
        facets["article"] = _split(article)
    total, items = store.browse_fused("quote_cluster", facets=facets, story_id=story, order="id",
                                      limit=page.limit, offset=page.offset, total_memo=total_memo(request))
    return _page(total, page, items)


@router.get("/search", response_model=s.SearchPage[s.SearchHit], summary="Full-text search over articles (SQLite FTS5)")
async def search(store: StoreDep, page: PageDep, q: Annotated[str, Query(min_length=1, max_length=500)]):
    """FTS5 query syntax (words, "phrases", prefix*, OR, NOT). A query that is not valid syntax (``x AND``,
    a lone bracket) is searched as the phrase of its words, and ``note`` says so. Up to 1000 matches are
    ranked (bm25) and counted; past that ``total`` stays at 1000, the header ``X-Total-Capped: true`` is
    set and the newest-ingested articles come first."""
    total, rows, capped, note = store.search_page(q, limit=page.limit, offset=page.offset)
    items = [
        {"id": r["id"], "title": r.get("title"), "outlet": r.get("outlet"), "published": r.get("published"),
         "snippet": r["snippet"].replace("\ue000", "[").replace("\ue001", "]")}
        for r in rows
    ]
    resp = JSONResponse({"total": total, "limit": page.limit, "offset": page.offset, "items": items, "note": note})
    if capped:  # more matches than are counted and ranked: newest-ingested first
        resp.headers["X-Total-Capped"] = "true"
    return resp
