"""Run the web app (uvicorn) or render one path without a server (``serve --get``)."""

from __future__ import annotations

import asyncio
import socket
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
    return create_app(Settings.from_env(), server=True)


def run_server(settings: Settings, store: Store, *, host: str, port: int, workers: int = 1,
               log_level: str = "info") -> None:
    """Serve the app with uvicorn on ``host:port`` until interrupted. Warns loudly off loopback.

    With ``workers`` > 1, that many processes serve, each opening the store itself. Where the
    system has ``SO_REUSEPORT`` (Linux, BSDs, macOS) each process listens on its own socket and the
    kernel spreads new connections across them; with one shared socket, the first process to wake
    accepts a whole burst of connections and the others idle while it queues them.
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
        if hasattr(socket, "SO_REUSEPORT"):
            _run_reuseport_workers(host, port, workers, log_level)
            return
        uvicorn.run("trucewatch.web.server:app_from_env", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level, proxy_headers=False, server_header=False)
        return
    app = create_app(settings, store, server=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)


def _reuseport_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve_worker(host: str, port: int, log_level: str) -> None:
    """One worker process: its own listening socket on the shared port, its own app and store."""
    import uvicorn

    sock = _reuseport_socket(host, port)
    config = uvicorn.Config("trucewatch.web.server:app_from_env", factory=True, log_level=log_level,
                            proxy_headers=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def _run_reuseport_workers(host: str, port: int, workers: int, log_level: str) -> None:
    """Start ``workers`` processes listening with SO_REUSEPORT; stop them all when one dies or on a signal."""
    import multiprocessing
    import signal
    import time

    # Bind once here first: a port in use fails now, with one clear message, not in every worker.
    probe = _reuseport_socket(host, port)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_serve_worker, args=(host, port, log_level), daemon=False) for _ in range(workers)]
    for p in procs:
        p.start()
    probe.close()
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(p.is_alive() for p in procs):
            time.sleep(0.2)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=10)
