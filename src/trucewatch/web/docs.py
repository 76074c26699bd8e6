"""``/docs``: the OpenAPI browser, from the vendored swagger-ui-dist (works offline; no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
NAV = [("API", "/docs", 90)]


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request):
    return request.app.state.templates.TemplateResponse(request, "docs.html", {})
