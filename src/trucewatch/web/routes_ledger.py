"""The ledger page, agreements and violations in the API, and review actions (behind the write token).

Read: ``GET /ledger`` (page), ``GET /api/ledger``, ``GET /api/agreements``, ``GET /api/violations``,
``GET /api/reviews``. Write (``Authorization: Bearer <token>``): ``POST /api/reviews`` appends one
decision to the append-only review log; the page's forms post to ``POST /ledger/review`` with the
token in a form field. There is no endpoint that changes or deletes a decision: the log is
append-only (a later decision supersedes an earlier one; both stay).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from .. import agree, pipeline
from ..errors import ConfigError, ReviewError, TrucewatchError
from ..records import Agreement, Review, Violation, from_dict, to_dict
from .deps import StoreDep, TokenDep, reject_unknown_params, reviews
from .pages import render
from .responses import JSONResponse
from .security import token_matches

router = APIRouter(include_in_schema=True)
NAV = [("Ledger", "/ledger", 55)]

REVIEW_STATUSES = ("unreviewed", "confirmed", "rejected")


def _ledger_doc(request: Request, store, period: str | None = None) -> dict[str, Any]:
    settings = request.app.state.settings
    try:
        rules = agree.load_rules(settings.rules_file)
    except ConfigError as e:
        raise HTTPException(500, str(e)) from None
    if period:
        rules = agree.Rules(rules.weights, rules.thresholds, period, rules.source)
    agreements = [from_dict(Agreement, d) for d in store.fused("agreement")]
    violations = [from_dict(Violation, d) for d in store.fused("violation")]
    return agree.ledger(violations, agreements, rules)


@router.get("/api/ledger", tags=["read"], dependencies=[Depends(reject_unknown_params)],
            summary="The violation ledger per party, with the penalty thresholds crossed")
def api_ledger(request: Request, store: StoreDep,
               period: Annotated[str | None, Query(pattern="^(week|month)$", description="week or month")] = None):
    return JSONResponse(_ledger_doc(request, store, period))


@router.get("/api/agreements", tags=["read"], dependencies=[Depends(reject_unknown_params)],
            summary="Agreements: parties, mediators, venue, dates, terms, conditions, status history")
def api_agreements(store: StoreDep):
    items = store.fused("agreement")
    return JSONResponse({"total": len(items), "items": items})


@router.get("/api/violations", tags=["read"], dependencies=[Depends(reject_unknown_params)],
            summary="Alleged violations with accused, accusers, corroboration and review decisions")
def api_violations(store: StoreDep, review_status: Annotated[str | None, Query(description="unreviewed, confirmed or rejected")] = None):
    if review_status and review_status not in REVIEW_STATUSES:
        raise HTTPException(400, f"review_status must be one of {', '.join(REVIEW_STATUSES)}, not {review_status!r}.")
    items = [v for v in store.fused("violation") if not review_status or v.get("review_status") == review_status]
    return JSONResponse({"total": len(items), "items": items})


@router.get("/api/reviews", tags=["read"], dependencies=[Depends(reject_unknown_params)],
            summary="The append-only review log (of one target when target_id is given)")
def api_reviews(store: StoreDep, target_id: Annotated[str | None, Query(max_length=40)] = None):
    items = [to_dict(r) for r in store.reviews(target_id)]
    return JSONResponse({"total": len(items), "items": items})


def _apply(request: Request, store, data: dict[str, Any]) -> Review:
    """Validate, append and re-run what the decision affects; raises HTTPException for bad input."""
    settings = request.app.state.settings
    unknown = set(data) - {"target_kind", "target_id", "action", "value", "reason", "reviewer"}
    if unknown:
        raise HTTPException(422, f"Unknown field(s) {', '.join(sorted(unknown))}; a review has target_kind, "
                                 "target_id, action, value, reason and reviewer.")
    for key in ("target_kind", "target_id", "action", "value", "reason", "reviewer"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise HTTPException(422, f"Field {key!r} must be a string.")
    try:
        review = agree.make_review(
            data.get("target_kind") or "violation", data.get("target_id") or "", data.get("action") or "",
            value=data.get("value") or None, reason=data.get("reason") or "",
            reviewer=data.get("reviewer") or settings.reviewer or "web",
        )
        with request.app.state.writer.locked():  # the app's write lock: never two fusions at once
            agree.apply_review(store, review)
            if review.action == "annotate":
                pass
            elif review.target_kind in ("incident", "quote", "claim"):
                pipeline.fuse(settings, store)
            elif review.target_kind == "agreement":
                pipeline.agree(settings, store)
    except ReviewError as e:
        raise HTTPException(422, str(e)) from None
    except TrucewatchError as e:
        raise HTTPException(409, str(e)) from None
    return review


@router.post("/api/reviews", tags=["write"], status_code=201,
             summary="Append one review decision (confirm/reject/annotate a violation, merge/split incidents, "
                     "set a speaker or a figure, declare/correct/reject an agreement)",
             responses={401: {"description": "No token"}, 403: {"description": "Wrong token"},
                        422: {"description": "Bad decision or unknown target"}})
async def post_review(request: Request, store: StoreDep, _token: TokenDep):
    try:
        data = json.loads(await request.body() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise HTTPException(400, f"The request body is not valid JSON: {e}.") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "The JSON body must be an object with target_kind, target_id, action and reason.")
    review = await run_in_threadpool(_apply, request, store, data)
    return JSONResponse(to_dict(review), status_code=201)


@router.get("/ledger", response_class=HTMLResponse, include_in_schema=False)
def ledger_page(request: Request, store: StoreDep, status: str | None = None, msg: str | None = None):
    if status and status not in REVIEW_STATUSES:
        raise HTTPException(400, f"status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}.")
    doc = _ledger_doc(request, store)
    violations = [v for v in store.fused("violation") if not status or v.get("review_status") == status]
    found = reviews(request, [i for v in violations for i in (v["id"], v.get("incident_id"))])
    agreements = store.fused("agreement")
    cited = {a for v in violations for a in v.get("article_ids", [])}
    cited |= {s["article_id"] for ag in agreements for s in ag.get("status_history") or [] if s.get("article_id")}
    return render(request, "ledger.html", {
        "reviews": found,
        "doc": doc, "agreements": agreements, "violations": violations, "status": status,
        "statuses": REVIEW_STATUSES, "meta": store.article_meta(cited),
        "msg": msg if msg in ("recorded",) else None,
    })


@router.post("/ledger/review", include_in_schema=False)
async def ledger_review(
    request: Request,
    store: StoreDep,
    violation_id: Annotated[str, Form(max_length=40)],
    action: Annotated[str, Form(max_length=24)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    reviewer: Annotated[str, Form(max_length=200)] = "",
    token: Annotated[str, Form(max_length=200)] = "",
    value: Annotated[str, Form(max_length=200)] = "",
):
    if not token.strip():
        raise HTTPException(401, "Reviewing needs the write token (printed when `trucewatch serve` first ran).")
    if not token_matches(token.strip(), store.token_hashes()):
        raise HTTPException(403, "The write token is not valid for this store.")
    if action not in agree.ACTIONS["violation"]:
        raise HTTPException(422, f"The action must be one of {', '.join(agree.ACTIONS['violation'])}.")
    data = {"target_kind": "violation", "target_id": violation_id, "action": action, "reason": reason,
            "reviewer": reviewer or None, "value": (value.strip() or None) if action == "verify" else None}
    await run_in_threadpool(_apply, request, store, data)
    return RedirectResponse(f"/ledger?msg=recorded#{violation_id}", status_code=303)
