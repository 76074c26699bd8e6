"""FastAPI dependencies named once: the store, paging, filters, strict query strings and the write token.

They are ``async def`` because none of them waits on anything slow: FastAPI runs a
plain ``def`` dependency in the thread pool, a hop that costs more than the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from .. import pipeline
from ..store import Store
from .cache import request_version
from .security import token_matches
from .views import review_index, reviews_for

__all__ = [
    "Filters",
    "FiltersDep",
    "PageDep",
    "Paging",
    "StoreDep",
    "TokenDep",
    "reject_unknown_params",
]

MAX_LIMIT = 500


async def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


PageDep = Annotated[Paging, Depends(paging)]


def cached(request: Request, key, compute):
    """``compute()`` through the app's aggregate cache (dropped whenever the store's data changes)."""
    store = request.app.state.store
    return request.app.state.cache.get(store, key, compute, version=request_version(request.scope, store))


def total_memo(request: Request):
    """A ``total_memo`` for :meth:`Store.browse_fused`: totals of the same filters counted once per data version."""
    return lambda key, count: cached(request, key, count)


def reviews(request: Request, ids) -> dict[str, list[dict]]:
    """:func:`~trucewatch.web.views.reviews_for` through an index of the review log cached per data version."""
    store = request.app.state.store
    return reviews_for(store, ids, index=cached(request, "review_index", lambda: review_index(store)))


def outlet_names(request: Request, names: list[str]) -> list[str]:
    """Stored spellings of the outlets the user named, matched without regard to case."""
    store = request.app.state.store
    known = [o for o, _ in cached(request, "outlet_counts", store.outlet_counts) if o]
    return store.outlet_names(names, known)


def _iso(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(400, f"Query parameter {name!r} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _split(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated values, stripped, without empties."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


@dataclass(frozen=True)
class Filters:
    """The common filters (date range, type, actor, place, outlet, story), validated."""

    since: str | None
    until: str | None
    type: list[str]
    actor: list[str]
    place: list[str]
    outlet: list[str]
    story: str | None

    def facets(self, store: Store, *, kind: str = "incident") -> dict[str, list[str]]:
        """Facet filters for :meth:`Store.browse_fused` on ``kind`` records (actor names become ids)."""
        out: dict[str, list[str]] = {}
        if self.actor:
            out["actor"] = actor_ids(store, self.actor)
        if self.place:
            out["place"] = self.place
        if self.outlet:
            out["outlet"] = self.outlet
        return out


def event_types(request: Request, given: list[str]) -> list[str]:
    """The incident types named by ``given`` ("Attack", "drone strike", "drone_strike" ...), matched
    without regard to case, spaces or hyphens; 400 listing the valid types when one is unknown."""
    if not given:
        return []
    store = request.app.state.store
    known = set(cached(request, ("types", "incident"), lambda: store.fused_type_counts("incident")))
    known.update(cached(request, "taxonomy_types", lambda: pipeline.event_types(request.app.state.settings)))
    out, unknown = [], []
    for value in given:
        key = "_".join(value.lower().replace("-", " ").split())
        (out if key in known else unknown).append(key if key in known else value)
    if unknown:
        raise HTTPException(
            400, f"Unknown incident type(s): {', '.join(map(repr, unknown))}. Valid types: {', '.join(sorted(known))}."
        )
    return list(dict.fromkeys(out))


async def filters(
    request: Request,
    since: Annotated[str | None, Query(description="Earliest date, YYYY-MM-DD (inclusive)")] = None,
    until: Annotated[str | None, Query(description="Latest date, YYYY-MM-DD (inclusive)")] = None,
    type: Annotated[list[str] | None, Query(description="Incident type(s), any case; repeat or comma-separate. "
                                                        "An unknown type answers 400 with the valid ones")] = None,
    actor: Annotated[list[str] | None, Query(description="Actor id(s), name(s)/alias(es) or ISO country code(s)")] = None,
    place: Annotated[list[str] | None, Query(description="Place, admin1, country name or ISO code")] = None,
    outlet: Annotated[list[str] | None, Query(description="Outlet name(s)")] = None,
    story: Annotated[str | None, Query(description="Story id")] = None,
) -> Filters:
    s, u = _iso("since", since), _iso("until", until)
    if s and u and s > u:
        raise HTTPException(400, f"'since' ({s}) is after 'until' ({u}); swap them.")
    return Filters(s, u, event_types(request, _split(type)), _split(actor), _split(place), _split(outlet), story or None)


FiltersDep = Annotated[Filters, Depends(filters)]


def actor_ids(store: Store, names_or_ids: list[str]) -> list[str]:
    """Canonical actor ids for ids, names/aliases or ISO country codes given by the user (unknown ones match
    nothing). A two-letter code (``PK``) names every actor of that country, as ``place=PK`` names its places."""
    owners = store.facet_owners("actor", "name", names_or_ids)
    ids = set(names_or_ids)
    ids.update(store.country_actor_ids(v for v in names_or_ids if len(v) == 2 and v.isalpha()))
    for found in owners.values():
        ids.update(found)
    # Facet values compare case-insensitively in SQL; catch differently-cased names too.
    lowered = {n.lower() for n in names_or_ids}
    for value, found in owners.items():
        if value.lower() in lowered:
            ids.update(found)
    return sorted(ids)


_ALLOWED: dict[int, frozenset[str]] = {}


def _query_names(dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_params(request: Request) -> None:
    """Answer 400 when the query string names a parameter the endpoint does not take (typos fail loudly)."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    allowed = _ALLOWED.get(id(route))
    if allowed is None:
        allowed = frozenset(_query_names(route.dependant))
        _ALLOWED[id(route)] = allowed
    unknown = sorted(set(request.query_params.keys()) - allowed)
    if unknown:
        raise HTTPException(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}. This endpoint takes: "
            f"{', '.join(sorted(allowed)) or 'none'}.",
        )


async def require_token(request: Request) -> str:
    """The bearer token of a write request, checked against the store's hashes (401/403 otherwise)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401,
            "This endpoint needs the write token: send 'Authorization: Bearer <token>' "
            "(the token was printed when `trucewatch serve` first ran; `trucewatch serve --new-token` makes another).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not token_matches(token.strip(), request.app.state.store.token_hashes()):
        raise HTTPException(403, "The write token is not valid for this store.")
    return token.strip()


TokenDep = Annotated[str, Depends(require_token)]
