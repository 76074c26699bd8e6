"""Build the FastAPI app: :func:`create_app` (never at import).

Routers come from the modules named in :data:`ROUTER_MODULES`; each module
has a ``router`` and may have ``NAV = [(label, path, order), ...]`` entries
for the navigation bar. To add a page (e.g. the ledger), add a module under
``trucewatch.web`` with its router and NAV, and add its name here.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from .responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import NotFoundError, TrucewatchError
from ..labels import link_url
from ..settings import Settings
from ..store import Store, open_store
from . import markup
from .cache import AggregateCache, ResponseCache
from .security import BodyLimitMiddleware, HeadMiddleware, SecurityHeadersMiddleware
from .writer import Writer

__all__ = ["ROUTER_MODULES", "create_app"]

HERE = Path(__file__).parent
#: Modules of trucewatch.web that contribute routers (and NAV entries), in order.
ROUTER_MODULES: list[str] = ["api", "api_write", "docs", "pages", "pages_read", "routes_ledger", "routes_watch"]
#: Pages rendered once at start-up (setting ``web_warm_up``): between them they fill every aggregate the
#: server caches (counts, outlets, types, speakers, copies, the review index).
WARM_UP_PATHS: tuple[str, ...] = (
    "/", "/incidents", "/quotes", "/disputes", "/sources", "/articles", "/timeline", "/map",
    "/api/stats", "/api/quotes?limit=1", "/api/claims?limit=1", "/api/incidents?limit=1",
)
log = logging.getLogger(__name__)


def create_app(settings: Settings, store: Store | None = None, *, server: bool = False) -> FastAPI:
    """The web app over the store named by ``settings`` (or the open ``store`` given).

    ``server`` says that the app owns its process (``trucewatch serve`` and its workers): after start-up,
    every object alive then is moved out of the garbage collector's reach (:func:`gc.freeze`), so that
    full collections scan only what requests create, not the modules, templates and warm caches
    (at 100k articles a full collection otherwise stalls every request in flight for about 100 ms).
    """
    @contextlib.asynccontextmanager
    async def lifespan(app):
        # Reads run on the event loop; the thread pool serves the slow handlers (writes, the ledger).
        # A few threads: more only contend for the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, settings.web_threads)
        # Compile every template now, not during some visitor's first request (a few hundred ms each).
        for name in templates.env.list_templates(extensions=["html"]):
            templates.env.get_template(name)
        if settings.web_warm_up:
            await warm_up(app)
        if server:
            gc.collect()
            gc.freeze()
        yield

    app = FastAPI(
        lifespan=lifespan,
        default_response_class=JSONResponse,
        title="trucewatch",
        version=__version__,
        description="Incidents, disputes, quotes and claims fused from many news reports, with citations.",
        docs_url=None,  # the default Swagger UI loads from a CDN; /docs serves the vendored copy
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(settings)
    app.state.cache = AggregateCache()
    app.state.writer = Writer(settings)  # write lock + analysis resources, loaded on the first posted article
    app.state.store.optimize()  # planner statistics for the browse indexes
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = False  # templates ship with the package; skip a stat() per render
    templates.env.globals["version"] = __version__
    templates.env.filters["num"] = _num
    templates.env.filters["link_url"] = link_url  # only http(s) URLs become links
    templates.env.globals["page_url"] = _page_url
    templates.env.globals.update(markup.GLOBALS)
    app.state.templates = templates
    nav: list[tuple[str, str, int]] = []
    for name in ROUTER_MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        app.include_router(module.router)
        nav.extend(getattr(module, "NAV", []))
    templates.env.globals["nav"] = [(label, path) for label, path, _ in sorted(nav, key=lambda n: n[2])]
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _errors(app)
    app.add_middleware(ResponseCache, store_of=lambda scope: app.state.store, max_bytes=settings.web_cache_mb << 20)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadMiddleware)  # outermost: every layer inside serves HEAD as GET
    return app


async def warm_up(app: FastAPI, paths: tuple[str, ...] = WARM_UP_PATHS) -> dict[str, int]:
    """Render ``paths`` in-process (through every middleware, so the answer cache fills too): path -> status.

    A page that fails here is logged and left for its first visitor; start-up goes on.
    """
    import httpx

    out: dict[str, int] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        for path in paths:
            try:
                out[path] = (await client.get(path)).status_code
            except Exception as exc:  # a warm-up must never stop the server from starting
                log.warning("warm-up of %s failed: %s", path, exc)
                out[path] = 0
    return out


def _num(value: Any) -> str:
    """A figure without a useless ``.0``; an en dash for None."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _page_url(request: Request, offset: int, limit: int) -> str:
    """This page's URL (path and query) with ``offset`` and ``limit`` replaced."""
    url = request.url.include_query_params(offset=offset, limit=limit)
    return f"{url.path}?{url.query}"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error_page(request: Request, status: int, message: str, headers=None):
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status, headers=headers
    )


def _errors(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return _error_page(request, 404, str(exc))

    @app.exception_handler(TrucewatchError)
    async def user_error(request: Request, exc: TrucewatchError):
        return _error_page(request, 400, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"There is no page at {request.url.path}."
        return _error_page(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
            name = ".".join(loc) or "request"
            given = err.get("input")
            parts.append(f"{name!r} {err.get('msg', 'is invalid').lower()}" + (f" (got {given!r})" if given is not None and not isinstance(given, dict) else ""))
        message = "Bad parameter: " + "; ".join(parts) + "."
        if _wants_json(request):
            return JSONResponse({"detail": message, "errors": _jsonable(exc.errors())}, status_code=422)
        return _error_page(request, 422, message)


def _jsonable(errors) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        out.append({k: (v if isinstance(v, (str, int, float, list, tuple, type(None))) else str(v))
                    for k, v in e.items() if k != "ctx"})
    return out


