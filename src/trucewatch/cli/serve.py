"""``trucewatch serve``: the web app and HTTP API over the store."""

from __future__ import annotations

import sys

import click

from ._common import Context, cli, handle_errors, pass_ctx


@cli.command("serve")
@click.option("--host", default=None, metavar="ADDR", help="Address to bind (default 127.0.0.1; anything else is reachable from outside).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, metavar="N", help="Port (default 8000).")
@click.option("--get", "get_path", default=None, metavar="/PATH", help="Render one page or API path to stdout and exit (no server).")
@click.option("--new-token", is_flag=True, help="Make a new write token (printed once) even if one exists.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, metavar="N", help="Server processes (default 1); one per free core serves more clients at once.")
@pass_ctx
@handle_errors
def serve(ctx: Context, host: str | None, port: int | None, get_path: str | None, new_token: bool, workers: int) -> None:
    """Serve the web app (overview, incidents, timeline, map, quotes, disputes, sources,
    search) and the JSON API under /api, with OpenAPI docs at /docs.

    On first run a write token for POST /api/articles is made and printed once;
    only its salted hash is stored.

    \b
    Example:
        trucewatch serve --port 8000
        trucewatch serve --get '/api/incidents?type=shelling&limit=5'
    """
    from ..web.server import ensure_token, get_path as render, run_server

    settings = ctx.settings.replace(**{k: v for k, v in (("host", host), ("port", port)) if v is not None})
    if get_path is not None:
        status, _ctype, body = render(settings, get_path, ctx.store)
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        if status >= 400:
            sys.exit(1)
        return
    token = ensure_token(ctx.store, force_new=new_token)
    if token:
        click.echo("A write token for this store (shown once; only its hash is kept):", err=True)
        click.echo(f"    {token}", err=True)
        click.echo("Send it as 'Authorization: Bearer <token>' to POST /api/articles.", err=True)
    click.echo(f"trucewatch on http://{settings.host}:{settings.port}/  (API docs: /docs)", err=True)
    run_server(settings, ctx.store, host=settings.host, port=settings.port, workers=workers)
