"""The web app and HTTP API over a trucewatch store (the only package that imports FastAPI).

Build it with :func:`create_app`; ``trucewatch serve`` runs it with uvicorn.
"""

from __future__ import annotations

from .app import ROUTER_MODULES, create_app

__all__ = ["ROUTER_MODULES", "create_app"]
