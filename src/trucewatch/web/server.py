"""Run the web app (uvicorn) or render one path without a server (``serve --get``)."""

from __future__ import annotations

import asyncio
import sys

import httpx

from ..settings import Settings
from ..store import Store
from .app import create_app
from .security import is_loopback, new_token

__all__ = ["app_from_env", "ensure_token", "exposure_warning", "get_path", "run_server"]


def ensure_token(store: Store, *, force_new: bool = False) -> str | None:
    """Make a write token when the store has none (or when ``force_new``); return it, or None if one exists.

    Only the salted hash is stored: the token is shown once and cannot be recovered.
    """
    if store.token_hashes() and not force_new:
        return None
    token_id, token, hashed = new_token()
    store.add_token_hash(token_id, hashed)
    return token


def get_path(settings: Settings, path: str, store: Store | None = None) -> tuple[int, str, bytes]:
    """Render ``path`` (a page or an API endpoint, with its query string) in-process: (status, content type, body)."""
    if not path.startswith("/"):
        path = "/" + path
    app = create_app(settings, store)

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get(path)

    r = asyncio.run(fetch())
    return r.status_code, r.headers.get("content-type", ""), r.content


def exposure_warning(host: str) -> str | None:
    """A loud warning when ``host`` is not a loopback address (None when it is)."""
    if is_loopback(host):
        return None
    bar = "!" * 78
    return (
        f"{bar}\nWARNING: trucewatch is listening on {host}, not on loopback: anyone who can reach this "
        f"machine can read the store, and write with the token.\nUse --host 127.0.0.1 unless you mean it, "
        f"and put TLS in front of it.\n{bar}"
    )


def app_from_env():
    """The app for a uvicorn worker process (``--workers``): settings from ``TRUCEWATCH_*`` variables."""
    return create_app(Settings.from_env())


def run_server(settings: Settings, store: Store, *, host: str, port: int, workers: int = 1,
               log_level: str = "info") -> None:
    """Serve the app with uvicorn on ``host:port`` until interrupted. Warns loudly off loopback.

    With ``workers`` > 1, uvicorn starts that many processes, each opening the store itself.
    """
    import dataclasses
    import os

    import uvicorn

    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    if workers > 1:
        for f in dataclasses.fields(settings):
            os.environ[f"TRUCEWATCH_{f.name.upper()}"] = str(getattr(settings, f.name))
        uvicorn.run("trucewatch.web.server:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level, proxy_headers=False, server_header=False)
        return
    app = create_app(settings, store)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
