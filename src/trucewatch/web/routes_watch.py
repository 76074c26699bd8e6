"""What ``trucewatch watch`` found: the Atom feed of alerts and the "what changed" page."""

from __future__ import annotations

from typing import Annotated
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from .deps import StoreDep
from .pages import render

router = APIRouter(include_in_schema=False)
NAV = [("Changes", "/changes", 58)]


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
