"""Write endpoints of the HTTP API (bearer token required): ``POST /api/articles``.

An article posted as text, HTML or a URL goes through the same pipeline as
``trucewatch add`` + ``analyze`` + ``fuse``: :func:`trucewatch.pipeline.ingest`,
then :func:`~trucewatch.pipeline.analyze` of the new article only, with the
analysis resources the app keeps loaded (:class:`~trucewatch.web.writer.Writer`:
the spaCy model is loaded on the first post, not on every one), and
:func:`~trucewatch.pipeline.fuse` (incremental). Writes are serialised by the
app's write lock, so two fusions never run at once; the request returns when
the store is up to date.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from .responses import JSONResponse
from pydantic import ValidationError

from .. import pipeline
from ..errors import TrucewatchError
from .deps import StoreDep, TokenDep
from .schemas import ArticleIn, IngestResult

router = APIRouter(prefix="/api", tags=["write"])


async def _payload(request: Request) -> ArticleIn:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "The request body is not UTF-8 text.") from None
    if ctype == "application/json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise HTTPException(400, f"The request body is not valid JSON: {e}.") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "The JSON body must be an object with one of 'text', 'html' or 'url'.")
        try:
            art = ArticleIn.model_validate(data)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise HTTPException(422, f"Field {where!r}: {first['msg']}.") from None
    elif ctype == "text/plain":
        art = ArticleIn(text=text, title=request.query_params.get("title"), outlet=request.query_params.get("outlet"))
    elif ctype == "text/html":
        art = ArticleIn(html=text, outlet=request.query_params.get("outlet"))
    else:
        raise HTTPException(415, "Send application/json ({'text'|'html'|'url': ...}), text/plain or text/html.")
    given = [k for k in ("text", "html", "url") if getattr(art, k)]
    if len(given) != 1:
        raise HTTPException(422, "Give exactly one of 'text', 'html' or 'url' (non-empty).")
    return art


def _ingest(art: ArticleIn, settings, store) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="trucewatch-post-") as tmp:
        if art.url:
            sources = [art.url]
        else:
            # A .jsonl line carries the metadata fields the ingest stage documents (title/outlet/published).
            record = {k: v for k, v in {
                "text": art.text, "html": art.html, "title": art.title, "outlet": art.outlet,
                "published": art.published,
            }.items() if v}
            path = Path(tmp) / "posted.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            sources = [str(path)]
        report = pipeline.ingest(sources, settings, store)
    return report


@router.post(
    "/articles",
    status_code=201,
    response_model=IngestResult,
    summary="Ingest one article (text, HTML or URL); analysis and fusion update incrementally",
    responses={401: {"description": "No token"}, 403: {"description": "Wrong token"},
               413: {"description": "Body too large"}, 422: {"description": "Bad payload"}},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": ArticleIn.model_json_schema()}}}},
)
async def post_article(request: Request, store: StoreDep, _token: TokenDep):
    art = await _payload(request)
    settings = request.app.state.settings
    writer = request.app.state.writer
    from starlette.concurrency import run_in_threadpool

    def work() -> dict[str, Any]:
        with writer.locked():
            report = _ingest(art, settings, store)
            added = [article_id for _source, article_id in report.added]
            duplicates = [article_id for _source, article_id in report.duplicates]
            skipped = [{"source": k.source, "reason": k.reason} for k in report.skipped]
            analyzed, fused = 0, False
            if added:
                ar = pipeline.analyze(writer.local, store, processes=1, res=writer.resources(), only=added)
                analyzed = int(getattr(ar, "analyzed", 0) or 0)
                skipped += [{"source": k.source, "reason": k.reason} for k in getattr(ar, "skipped", [])]
                pipeline.fuse(settings, store)
                fused = True
            return {"added": added, "duplicates": duplicates, "skipped": skipped, "analyzed": analyzed, "fused": fused}

    try:
        result = await run_in_threadpool(work)
    except TrucewatchError as e:
        raise HTTPException(422, str(e)) from None
    status = 201 if result["added"] else (200 if result["duplicates"] else 422)
    return JSONResponse(result, status_code=status)
