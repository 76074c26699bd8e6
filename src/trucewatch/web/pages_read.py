"""Pages: quotes, disputes, sources, articles, the article reader and full-text search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..records import to_dict
from .deps import PageDep, Paging, StoreDep, _iso, cached, outlet_names, reviews, total_memo
from .pages import render
from .markup import source_of
from .views import analysis_spans, segments

router = APIRouter(include_in_schema=False)
NAV = [
    ("Quotes", "/quotes", 40),
    ("Disputes", "/disputes", 50),
    ("Sources", "/sources", 60),
    ("Articles", "/articles", 70),
]
DISPUTE_KINDS = ("figure", "date", "speaker", "sequence", "status", "responsibility")


@router.get("/quotes", response_class=HTMLResponse)
async def quotes(request: Request, store: StoreDep, speaker: str | None = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 20, offset: Annotated[int, Query(ge=0)] = 0):
    page = Paging(limit, offset)
    speakers = cached(request, ("label_top", "quote"), lambda: store.label_top("quote", 40))
    known = None if speaker else cached(request, ("count_items", "quote"), lambda: store.count_items("quote"))
    total, items = store.browse_items("quote", label=[speaker] if speaker else None, known_total=known,
                                      limit=page.limit, offset=page.offset)
    clusters_of = store.facet_owners("quote_cluster", "quote", [q["id"] for q in items])
    page_clusters = store.fused_many("quote_cluster", {c for cs in clusters_of.values() for c in cs})
    # Only clusters seen in two or more articles are worth a link ("reported by several outlets").
    clusters_of = {q: [c for c in cs if len(page_clusters.get(c, {}).get("article_ids", [])) > 1]
                   for q, cs in clusters_of.items()}
    n_clusters, clusters = store.browse_biggest("quote_cluster", min_articles=2, limit=30)
    _, speaker_disputes = store.browse_fused("dispute", type="speaker", order="id", limit=30, total_memo=total_memo(request))
    meta = store.article_meta({a for d in speaker_disputes for side in d.get("sides", []) for a in side.get("article_ids", [])}
                              | {a for c in clusters for a in c.get("article_ids", [])}
                              | {q["article_id"] for q in items if not q.get("outlet")})
    # The outlets of each cluster, from its articles: an article without an outlet is named by its file.
    cluster_outlets = {c["id"]: sorted({source_of(meta.get(a)) for a in c.get("article_ids", []) if a in meta})
                       for c in clusters}
    return render(request, "quotes.html", {
        "speakers": speakers, "speaker": speaker, "items": items, "total": total, "page": page,
        "clusters_of": clusters_of, "clusters": clusters, "n_clusters": n_clusters,
        "cluster_outlets": cluster_outlets, "speaker_disputes": speaker_disputes, "meta": meta,
        "reviews": reviews(request, [q["id"] for q in items]),
    })


@router.get("/disputes", response_class=HTMLResponse)
async def disputes(request: Request, store: StoreDep, page: PageDep, kind: str | None = None):
    if kind and kind not in DISPUTE_KINDS:
        raise HTTPException(400, f"Unknown dispute kind {kind!r}; use one of {', '.join(DISPUTE_KINDS)}.")
    total, items = store.browse_fused("dispute", type=kind, order="id", limit=page.limit, offset=page.offset, total_memo=total_memo(request))
    article_ids = {a for d in items for s in d.get("sides", []) for a in s.get("article_ids", [])}
    incidents = store.fused_many("incident", {d["incident_id"] for d in items if d.get("incident_id")})
    return render(request, "disputes.html", {
        "items": items, "total": total, "page": page, "kind": kind, "kinds": DISPUTE_KINDS,
        "meta": store.article_meta(article_ids), "incidents": incidents,
        "kind_counts": cached(request, ("types", "dispute"), lambda: store.fused_type_counts("dispute")),
    })


@router.get("/sources", response_class=HTMLResponse)
async def sources(request: Request, store: StoreDep, page: PageDep):
    outlets = cached(request, "outlet_counts", store.outlet_counts)
    stats = cached(request, "copy_stats", store.copy_stats)
    rows = []
    for outlet, n in outlets:
        in_groups, originals = stats.get(outlet, (0, 0))
        copies = in_groups - originals
        rows.append({"outlet": outlet or "(unknown outlet)", "articles": n, "copies": copies,
                     "originals": originals, "independent": n - copies})
    total, groups = store.browse_fused("copy", order="id", limit=page.limit, offset=page.offset, total_memo=total_memo(request))
    meta = store.article_meta(a for g in groups for a in g.get("article_ids", []))
    return render(request, "sources.html", {"rows": rows, "groups": groups, "total": total, "page": page, "meta": meta})


@router.get("/articles", response_class=HTMLResponse)
async def articles(request: Request, store: StoreDep, page: PageDep, outlet: str | None = None,
             since: str | None = None, until: str | None = None, story: str | None = None):
    unfiltered = not (outlet or since or until or story)
    total, items = store.browse_articles(
        outlet=outlet_names(request, [outlet]) if outlet else None, since=_iso("since", since), until=_iso("until", until),
        story_id=story, with_text=False, order="-date", limit=page.limit, offset=page.offset,
        known_total=cached(request, "n_articles", store.count) if unfiltered else None,
    )
    return render(request, "articles.html", {"items": items, "total": total, "page": page, "outlet": outlet})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article(request: Request, store: StoreDep, article_id: str):
    art = store.article(article_id)
    analysis = store.analysis(art.id)
    ad: dict[str, Any] | None = to_dict(analysis) if analysis else None
    segs = segments(art.text, analysis_spans(ad))
    _, incidents = store.browse_fused("incident", facets={"article": [art.id]}, order="date", limit=50, total_memo=total_memo(request))
    copy_ids = store.facet_owners("copy", "article", [art.id]).get(art.id, [])
    copies = list(store.fused_many("copy", copy_ids).values())
    meta = store.article_meta(a for g in copies for a in g.get("article_ids", []))
    item_ids = [x["id"] for key in ("quotes", "claims") for x in (ad or {}).get(key, [])]
    return render(request, "article.html", {
        "art": art, "analysis": ad, "segments": segs, "incidents": incidents, "copies": copies, "meta": meta,
        "reviews": reviews(request, item_ids),
    })


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, store: StoreDep, page: PageDep,
           q: Annotated[str, Query(max_length=500)] = ""):
    total, rows, capped, note = store.search_page(q, limit=page.limit, offset=page.offset) if q.strip() else (0, [], False, None)
    hits = []
    for r in rows:
        pieces = []
        for i, part in enumerate(r["snippet"].replace("\ue001", "\ue000").split("\ue000")):
            if part:
                pieces.append((part, i % 2 == 1))
        hits.append({**r, "pieces": pieces})
    return render(request, "search.html", {"q": q, "hits": hits, "total": total, "page": page, "capped": capped,
                                             "note": note})
