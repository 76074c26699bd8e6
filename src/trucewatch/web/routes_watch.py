"""What ``trucewatch watch`` found: the Atom feed of alerts, the "what changed" page, and the situation reports."""

from __future__ import annotations

from typing import Annotated
from xml.sax.saxutils import escape

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import pipeline
from ..errors import ConfigError
from .deps import StoreDep
from .pages import render

router = APIRouter(include_in_schema=False)
NAV = [("Changes", "/changes", 58), ("Reports", "/reports", 57)]


def _entry(base: str, a: dict) -> str:
    link = f"{base}/incidents/{a['incident_id']}" if a.get("incident_id") else f"{base}/changes#{a['id']}"
    facts = [f"Change: {a['kind']}", f"Rules: {', '.join(a.get('rules') or [])}"]
    if a.get("date"):
        facts.append(f"Date: {a['date']}")
    if a.get("places"):
        facts.append(f"Places: {', '.join(a['places'])}")
    if a.get("parties"):
        facts.append(f"Parties: {', '.join(a['parties'])}")
    if a.get("article_ids"):
        facts.append(f"Sources: {', '.join(f'{base}/articles/{x}' for x in a['article_ids'])}")
    return (f"<entry><id>urn:trucewatch:alert:{escape(a['id'])}</id><title>{escape(a.get('summary') or a['kind'])}</title>"
            f"<updated>{escape(a['at'])}</updated><link rel=\"alternate\" href=\"{escape(link)}\"/>"
            f"<category term=\"{escape(a['kind'])}\"/><content type=\"text\">{escape(chr(10).join(facts))}</content></entry>")


@router.get("/alerts.atom")
def alerts_feed(request: Request, store: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 100):
    """The latest alerts, newest first, as an Atom feed (one entry per alert; its id never changes)."""
    alerts = list(reversed(store.alerts(limit=limit)))
    base = str(request.base_url).rstrip("/")
    updated = alerts[0]["at"] if alerts else "1970-01-01T00:00:00+00:00"
    body = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>urn:trucewatch:alerts</id><title>trucewatch alerts</title><updated>{escape(updated)}</updated>"
            f'<link rel="self" href="{escape(base)}/alerts.atom"/><author><name>trucewatch</name></author>'
            + "".join(_entry(base, a) for a in alerts) + "</feed>")
    return Response(body.encode("utf-8"), media_type="application/atom+xml; charset=utf-8")


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, store: StoreDep, rounds: Annotated[int, Query(ge=1, le=100)] = 10):
    """What the latest rounds of ``watch`` found, newest first, with their summaries."""
    alerted = {a["id"] for a in store.alerts()}
    return render(request, "changes.html", {
        "rounds": store.watch_rounds(limit=rounds), "changes": store.watch_changes(rounds), "alerted": alerted,
    })


@router.get("/reports", response_class=HTMLResponse)
def reports_index(store: StoreDep):
    """The daily situation report of the latest day with an incident."""
    days = sorted(i["date_start"] for i in store.fused("incident") if i.get("date_start"))
    if not days:
        return HTMLResponse("<p>No dated incidents yet, so no situation report.</p>")
    return RedirectResponse(f"/reports/day/{days[-1]}", status_code=307)


@router.get("/reports/situation.css")
def situation_style():
    """The situation report's stylesheet (the web app's CSP allows no inline style)."""
    return Response(pipeline.situation_stylesheet(), media_type="text/css; charset=utf-8")


@router.get("/reports/{period}/{day}", response_class=HTMLResponse)
def situation_page(store: StoreDep, period: str, day: str):
    """The situation report of a day or week, with links to the previous and the next period."""
    from datetime import date, timedelta

    try:
        start = date.fromisoformat(day)
    except ValueError:
        raise HTTPException(400, f"The date must be an ISO date such as 2026-03-26, not {day!r}.") from None
    step = timedelta(days=7 if period == "week" else 1)
    links = (("previous " + period, f"/reports/{period}/{(start - step).isoformat()}"),
             ("next " + period, f"/reports/{period}/{(start + step).isoformat()}"),
             ("day" if period == "week" else "week", f"/reports/{'day' if period == 'week' else 'week'}/{day}"))
    try:
        _rep, html = pipeline.situation_report(store, period, day, "html", links=links, stylesheet="/reports/situation.css")
    except ConfigError as e:
        raise HTTPException(400, str(e)) from None
    return HTMLResponse(html)
