"""The command group, shared options and error handling for every trucewatch command."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click
from rich.console import Console

from .. import __version__
from ..errors import TrucewatchError
from ..settings import Settings
from ..store import Store, open_store


class Context:
    """What every command gets: the settings and (opened on first use) the store."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._store: Store | None = None
        self.console = Console(stderr=False)
        self.err = Console(stderr=True)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar="TRUCEWATCH_DB",
    default=None,
    metavar="PATH|URL",
    help="Store: an SQLite file (default ./trucewatch.db) or an SQLAlchemy URL. Env: TRUCEWATCH_DB.",
)
@click.version_option(__version__, prog_name="trucewatch")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """trucewatch: many news reports about a conflict -> one verified, cited record.

    \b
    Typical run:
        trucewatch add examples/sample-corpus
        trucewatch analyze
        trucewatch brief -o brief.html --format html
    """
    try:
        settings = Settings.from_env(db=db)
    except TrucewatchError as e:
        raise click.ClickException(str(e)) from None
    ctx.obj = Context(settings)
    ctx.call_on_close(lambda: ctx.obj._store.close() if ctx.obj._store else None)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn :class:`TrucewatchError` into a one-line message and its exit code; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TrucewatchError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


pass_ctx = click.make_pass_decorator(Context)
