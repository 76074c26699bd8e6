"""Pages: overview, incidents (list and side-by-side detail), timeline and map.

Each handler gathers one page of data through the store's browse queries and
renders a template; JavaScript gets its data from a
``<script type="application/json">`` block (never from inline script).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from .deps import FiltersDep, PageDep, StoreDep, cached, reviews, total_memo
from .. import pipeline
from .views import marker_radius, passage, segments, shorten

router = APIRouter(include_in_schema=False)
NAV = [
    ("Overview", "/", 0),
    ("Incidents", "/incidents", 10),
    ("Timeline", "/timeline", 20),
    ("Map", "/map", 30),
]

COUNTRIES = Path(__file__).resolve().parents[1] / "data" / "countries.geojson"
MAX_TIMELINE = 3000  # incidents drawn at once; narrow the filters for more


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def _total(inc: dict[str, Any], category: str) -> dict[str, Any] | None:
    return next((t for t in inc.get("totals") or [] if t.get("category") == category), None)


def killed(inc: dict[str, Any]) -> float | None:
    """The incident's figure of people killed (fusion's labelled total), or None when no figure."""
    t = _total(inc, "killed")
    return t.get("best") if t else None


def killed_note(inc: dict[str, Any]) -> str:
    """What the killed figure adds up ("sum of 2 groups: 23 soldiers (army) + 200 militants (ministry)"), or ""."""
    t = _total(inc, "killed")
    return str(t.get("label") or "") if t and (t.get("summed") or ";" in str(t.get("label") or "")) else ""


def harmed(inc: dict[str, Any]) -> float:
    """Killed plus injured (fusion's labelled totals), 0 when none: sizes map markers."""
    return sum(float(t.get("best") or 0) for t in inc.get("totals") or [] if t.get("category") in ("killed", "injured"))


def _actor_names(store, incidents: list[dict[str, Any]]) -> dict[str, str]:
    ids = {a for i in incidents for a in i.get("actor_ids", [])}
    return store.fused_names("actor", ids)


@router.get("/", response_class=HTMLResponse)
async def overview(request: Request, store: StoreDep):
    counts = cached(request, "fused_counts", store.fused_counts)
    outlets = cached(request, "outlet_counts", store.outlet_counts)
    _, stories = store.browse_fused("story", order="-date", limit=12, total_memo=total_memo(request))
    _, latest = store.browse_fused("incident", order="-date", limit=10, total_memo=total_memo(request))
    n_disputes, disputes = store.browse_fused("dispute", order="id", limit=8, total_memo=total_memo(request))
    first, last = cached(request, "date_span", store.article_date_span)
    meta = store.article_meta({a for d in disputes for side in d.get("sides", []) for a in side.get("article_ids", [])})
    dispute_incidents = store.fused_many("incident", {d["incident_id"] for d in disputes if d.get("incident_id")})
    return render(request, "overview.html", {
        "meta": meta,
        "dispute_incidents": dispute_incidents,
        "counts": counts,
        "n_articles": cached(request, "n_articles", store.count),
        "n_outlets": len([o for o in outlets if o[0]]),
        "outlets": outlets[:12],
        "stories": stories,
        "latest": latest,
        "killed": killed,
        "actor_names": _actor_names(store, latest),
        "disputes": disputes,
        "n_disputes": n_disputes,
        "types": cached(request, ("types", "incident"), lambda: store.fused_type_counts("incident")),
        "span": (first, last),
    })


@router.get("/incidents", response_class=HTMLResponse)
async def incidents(request: Request, store: StoreDep, page: PageDep, f: FiltersDep, order: str = "-date"):
    if order not in ("date", "-date"):
        raise HTTPException(400, "'order' must be 'date' or '-date'.")
    total, items = store.browse_fused(
        "incident", type=f.type or None, story_id=f.story, since=f.since, until=f.until, facets=f.facets(store),
        order=order, limit=page.limit, offset=page.offset, total_memo=total_memo(request)
    )
    return render(request, "incidents.html", {
        "items": items, "total": total, "page": page, "f": f, "killed": killed,
        "actor_names": _actor_names(store, items),
        "types": cached(request, ("types", "incident"), lambda: store.fused_type_counts("incident")),
        "order": order,
    })


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
async def incident(request: Request, store: StoreDep, incident_id: str):
    inc = store.fused_one("incident", incident_id)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for m in inc.get("mentions", []):
        by_article.setdefault(m["article_id"], []).append(m)
    for a in inc.get("article_ids", []):
        by_article.setdefault(a, [])
    article_ids = list(by_article)[:24]
    meta = store.article_meta(article_ids)
    texts = store.article_texts(article_ids)
    claim_ids = [cid for c in inc.get("casualties", []) for cid in c.get("claim_ids", [])]
    claims = store.items_by_id("claim", claim_ids)
    _, quotes = store.browse_items("quote", article_id=article_ids, limit=200)
    copies = store.facet_owners("copy", "article", article_ids)
    copy_groups = store.fused_many("copy", {g for gs in copies.values() for g in gs})
    accounts = []
    for aid in sorted(article_ids, key=lambda a: (meta.get(a, {}).get("published") or "", a)):
        text = texts.get(aid)
        if text is None:
            continue
        mentions = by_article[aid]
        spans = [(m["start"], m["end"], "hl-event", f"{inc['type']} (this incident)") for m in mentions]
        spans += [(c["start"], c["end"], "hl-claim", f"{c.get('category')}: {c.get('original')} — {c.get('claimant')}")
                  for c in claims.values() if c["article_id"] == aid]
        spans += [(q["start"], q["end"], "hl-quote", f"quote — {q.get('speaker') or 'unattributed'}")
                  for q in quotes if q["article_id"] == aid]
        anchor = mentions[0] if mentions else None
        passages = []
        seen: list[tuple[int, int]] = []
        for m in mentions or [None]:
            lo, hi = passage(text, m["start"], m["end"]) if m else passage(text, 0, 0)
            if any(lo < e and hi > s for s, e in seen):
                continue
            seen.append((lo, hi))
            passages.append({"segments": segments(text, spans, lo, hi), "start": lo, "end": hi,
                             "before": lo > 0, "after": hi < len(text)})
        copy_of = [copy_groups[g] for g in copies.get(aid, []) if g in copy_groups and copy_groups[g]["original_id"] != aid]
        accounts.append({"article": meta[aid], "passages": passages[:3], "copy_of": copy_of,
                         "anchor": anchor})
    _, disputes = store.browse_fused("dispute", facets={"incident": [incident_id]}, order="id", limit=50, total_memo=total_memo(request))
    follows = store.fused_many("incident", inc.get("follows_from", []))
    followed_by_ids = store.facet_owners("incident", "follows", [incident_id]).get(incident_id, [])
    followed_by = store.fused_many("incident", followed_by_ids)
    actors = store.fused_many("actor", inc.get("actor_ids", []))
    found = reviews(request, [incident_id, *claim_ids])
    claim_reviews = {c.get("category", "") + str(n): [d for cid in c.get("claim_ids", []) for d in found.get(cid, [])]
                     for n, c in enumerate(inc.get("casualties", []))}
    return render(request, "incident.html", {
        "reviews": found[incident_id], "claim_reviews": claim_reviews,
        "inc": inc, "accounts": accounts, "claims": claims, "meta": store.article_meta(
            [c["article_id"] for c in claims.values()]
            + [a for d in disputes for side in d.get("sides", []) for a in side.get("article_ids", [])]),
        "disputes": disputes, "follows": list(follows.values()), "followed_by": list(followed_by.values()),
        "actors": actors, "killed": killed,
    })


@router.get("/timeline", response_class=HTMLResponse)
async def timeline(request: Request, store: StoreDep, f: FiltersDep):
    total, items = store.browse_fused(
        "incident", type=f.type or None, story_id=f.story, since=f.since, until=f.until, facets=f.facets(store),
        order="date", limit=MAX_TIMELINE, total_memo=total_memo(request)
    )
    names = _actor_names(store, items)
    outlets = store.facet_map("incident", "outlet", [i["id"] for i in items])
    data = [
        {
            "id": i["id"], "type": i.get("type"), "start": i.get("date_start"), "end": i.get("date_end") or i.get("date_start"),
            "precision": i.get("date_precision"), "summary": shorten(i.get("summary"), 200),
            "actors": [names.get(a, a) for a in i.get("actor_ids", [])], "outlets": outlets.get(i["id"], []),
            "killed": killed(i), "killed_note": killed_note(i), "corroboration": i.get("corroboration"),
            "sources": i.get("independent_sources", 0),
            "follows": i.get("follows_from", []),
        }
        for i in items if i.get("date_start")
    ]
    undated = sum(1 for i in items if not i.get("date_start"))
    return render(request, "timeline.html", {"data": data, "total": total, "shown": len(data), "undated": undated,
                                              "f": f, "limit": MAX_TIMELINE})


@router.get("/map", response_class=HTMLResponse)
async def map_page(request: Request, store: StoreDep, f: FiltersDep):
    total, items = store.browse_fused(
        "incident", type=f.type or None, story_id=f.story, since=f.since, until=f.until, facets=f.facets(store),
        order="date", limit=MAX_TIMELINE, total_memo=total_memo(request)
    )
    calm = cached(request, "calm_types", lambda: pipeline.calm_event_types(request.app.state.settings))
    markers = []
    unplaced = 0
    for i in items:
        place = next((p for p in i.get("places", []) if p.get("lat") is not None and p.get("lon") is not None), None)
        if place is None:
            unplaced += 1
            continue
        h = harmed(i)
        markers.append({
            "id": i["id"], "type": i.get("type"), "lat": place["lat"], "lon": place["lon"],
            "place": place.get("resolved_name") or place.get("name"), "date": i.get("date_start"),
            "killed": killed(i), "killed_note": killed_note(i), "harmed": h, "radius": marker_radius(h),
            "summary": shorten(i.get("summary"), 160), "corroboration": i.get("corroboration"),
            "fighting": i.get("type") not in calm,  # the first view frames these, not far-off venues of talks
        })
    markers.sort(key=lambda m: -m["radius"])  # small markers drawn last, on top
    return render(request, "map.html", {"markers": markers, "total": total, "unplaced": unplaced, "f": f})


@router.get("/favicon.ico")
async def favicon():
    return Response(status_code=204)


@lru_cache(maxsize=1)
def _countries() -> bytes:
    return COUNTRIES.read_bytes()


@router.get("/data/countries.geojson")
async def countries():
    """Country outlines (Natural Earth-derived, bundled in trucewatch/data) for the map."""
    if not COUNTRIES.is_file():
        raise HTTPException(404, "The bundled country outlines (trucewatch/data/countries.geojson) are missing.")
    return Response(_countries(), media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})
