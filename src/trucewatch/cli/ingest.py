"""``trucewatch add``, ``articles`` and ``show``: put articles in the store and look at them."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import pipeline
from ..errors import IngestError
from ..records import Article, to_dict
from ._common import Context, cli, handle_errors, pass_ctx

#: Keys of each object printed by ``trucewatch articles --json`` (and ``show --json``), in order.
ARTICLE_KEYS = (
    "id",
    "title",
    "outlet",
    "url",
    "source_path",
    "dateline",
    "published",
    "published_inferred",
    "published_origin",
    "published_precision",
    "published_range",
    "language",
    "fmt",
    "warnings",
    "text",
)


def article_json(a: Article, debris: bool = False) -> dict[str, Any]:
    """The JSON object for one article (the keys in :data:`ARTICLE_KEYS`, plus ``debris`` when asked)."""
    d = to_dict(a)
    out = {k: d[k] for k in ARTICLE_KEYS}
    if debris:
        out["debris"] = d["debris"]
    return out


@cli.command("add")
@click.argument("sources", nargs=-1, metavar="PATH|URL|- ...")
@click.option("--outlet", default=None, metavar="NAME", help="Outlet name for these inputs (overrides what the inputs say).")
@click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on private, loopback and link-local addresses.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, metavar="N", help="Largest file or download accepted (default 10000000).")
@pass_ctx
@handle_errors
def add(ctx: Context, sources: tuple[str, ...], outlet: str | None, allow_private: bool | None, max_bytes: int | None) -> None:
    """Ingest articles from files, directories, globs, URLs, RSS/Atom feeds or stdin (-).

    Formats: .txt, .html/.htm, .json (object or array), .jsonl, .warc/.warc.gz,
    .rss/.atom feeds. The same content twice is reported as a duplicate, not
    added again. Exits 0 when anything was added or everything was already
    stored; otherwise 1 with the reason.

    \b
    Example:
        trucewatch add examples/sample-corpus
        trucewatch add 'news/**/*.html' https://example.org/story.html --outlet "Example Times"
        cat story.txt | trucewatch add - --outlet "Daily Example"
    """
    if not sources:
        raise IngestError("No input given; name files, directories, URLs or - for stdin (see trucewatch add --help).")
    settings = ctx.settings.replace(
        **{k: v for k, v in {"allow_private": allow_private, "max_bytes": max_bytes}.items() if v is not None}
    )
    ctx.settings = settings
    store = ctx.store
    show_bar = ctx.err.is_terminal
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=ctx.err,
        transient=True,
        disable=not show_bar,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, source: str) -> None:
            bar.update(task, completed=done, total=total, description=escape(source[-60:]))

        report = pipeline.ingest(list(sources), settings, store, outlet=outlet, progress=progress)
    _print_report(ctx, report)
    if report.added:
        return
    if report.ok:
        ctx.console.print(f"Nothing new: all {len(report.duplicates)} input(s) are already in the store.")
        return
    if not report.skipped and not report.duplicates:
        raise IngestError("Nothing was ingested: no inputs were found.")
    first = report.skipped[0]
    raise IngestError(
        f"Nothing was ingested: {len(report.skipped)} input(s) skipped "
        f"(first: {first.source}: {first.reason})."
    )


# Above this many added + duplicate inputs the summary shows counts instead of one row per input.
MAX_ROWS = 40


def _print_report(ctx: Context, report: pipeline.IngestReport) -> None:
    table = Table(title="Ingest summary", show_lines=False)
    table.add_column("status")
    table.add_column("source", overflow="fold")
    table.add_column("article / reason", overflow="fold")
    many = len(report.added) + len(report.duplicates) > MAX_ROWS
    if many:  # large batches: one row per status, every skip still listed
        if report.added:
            table.add_row("[green]added[/]", f"{len(report.added)} inputs", "see `trucewatch articles`")
        if report.duplicates:
            table.add_row("[yellow]duplicate[/]", f"{len(report.duplicates)} inputs", "already in the store")
    else:
        for src, aid in report.added:
            table.add_row("[green]added[/]", escape(src), aid)
        for src, aid in report.duplicates:
            table.add_row("[yellow]duplicate[/]", escape(src), f"already stored as {aid}")
    for skip in report.skipped:
        table.add_row("[red]skipped[/]", escape(skip.source), escape(skip.reason))
    if report.added or report.duplicates or report.skipped:
        ctx.console.print(table)
    ctx.console.print(
        f"[bold]{len(report.added)} added[/], {len(report.duplicates)} duplicate(s), {len(report.skipped)} skipped."
    )


@cli.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of article objects (with the clean text).")
@pass_ctx
@handle_errors
def articles(ctx: Context, as_json: bool) -> None:
    """List the articles in the store, oldest first.

    \b
    Example:
        trucewatch articles
        trucewatch articles --json > articles.json
    """
    items = ctx.store.articles()
    if as_json:
        click.echo(json.dumps([article_json(a) for a in items], ensure_ascii=False, indent=2))
        return
    if not items:
        ctx.console.print("No articles yet; add some with `trucewatch add PATH|URL`.")
        return
    # One line per article at any width: long titles and outlets end in "…" instead of wrapping.
    narrow = ctx.console.width < WIDE_TABLE
    rows = [
        (a.id[:SHORT_ID] if narrow else a.id, _published_label(a, short=narrow), escape(a.outlet or "-"),
         escape(_title(a)), a.language, str(len(a.text.split())))
        for a in items
    ]
    table = Table(
        title=f"{len(items)} article(s)", box=None, pad_edge=False, header_style="bold underline",
        caption=f"ids cut to {SHORT_ID} characters; `trucewatch show` takes any unique prefix" if narrow else None,
    )
    names = ("id", "published", "outlet", "title", "lang", "words")
    widths = [max(len(name), *(len(r[i]) for r in rows)) for i, name in enumerate(names)]
    widths[2] = min(widths[2], 14 if narrow else 18)
    # The title takes what the other columns leave (two spaces between columns).
    widths[3] = max(12, min(widths[3], ctx.console.width - sum(w for i, w in enumerate(widths) if i != 3) - 2 * (len(names) - 1)))
    for name, width in zip(names, widths):
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=width, justify="right" if name == "words" else "left")
    for r in rows:
        table.add_row(*r)
    ctx.console.print(table)


#: Below this console width ``articles`` shows ids cut to :data:`SHORT_ID` characters.
WIDE_TABLE = 110
SHORT_ID = 8


def _title(a: Article) -> str:
    if a.title:
        return a.title
    words = a.text.split()
    return "(untitled) " + " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _published_label(a: Article, short: bool = False) -> str:
    """The publication date; an inferred range is ``lo..hi?`` (``lo..?`` when ``short``)."""
    if a.published is None:
        return "-"
    if a.published_range and a.published_range[0] != a.published_range[1]:
        lo, hi = a.published_range
        return f"{lo}..?" if short else f"{lo}..{hi}?"
    return a.published + ("?" if a.published_inferred else "")


@cli.command("show")
@click.argument("article_id", metavar="ID")
@click.option("--debris", is_flag=True, help="Also list the page debris removed from the text, and why.")
@click.option("--json", "as_json", is_flag=True, help="Print the article as a JSON object.")
@pass_ctx
@handle_errors
def show(ctx: Context, article_id: str, as_json: bool, **opts: Any) -> None:
    """Show one article: metadata and clean text (ID may be a unique prefix of 4+ characters).

    \b
    Example:
        trucewatch show 3f2a9c --debris
    """
    a = ctx.store.article(article_id)
    if as_json:
        obj = next((o for o in (hook(ctx, a, opts) for hook in SHOW_JSON) if o is not None), None)
        if obj is None:
            obj = article_json(a, debris=bool(opts.get("debris")))
        click.echo(json.dumps(obj, ensure_ascii=False, indent=2))
        return
    for section in SHOW_SECTIONS:
        section(ctx, a, opts)


def _show_metadata(ctx: Context, a: Article, opts: dict[str, Any]) -> None:
    meta = Table(show_header=False, box=None)
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    origin = a.published_origin + (", inferred" if a.published_inferred else "")
    rows = [
        ("id", a.id),
        ("title", a.title or "(none found)"),
        ("outlet", a.outlet or "(none found)"),
        ("url", a.url or "-"),
        ("source", a.source_path or "-"),
        ("dateline", a.dateline or "-"),
        ("published", f"{_published_label(a)} ({origin}; precision {a.published_precision or '-'})"),
        ("language", a.language),
        ("format", a.fmt),
    ]
    for k, v in rows:
        meta.add_row(k, escape(str(v)))
    for w in a.warnings:
        meta.add_row("warning", escape(w))
    ctx.console.print(meta)
    ctx.console.rule()
    ctx.console.print(escape(a.text), highlight=False)


def _show_debris(ctx: Context, a: Article, opts: dict[str, Any]) -> None:
    if not opts.get("debris"):
        return
    ctx.console.rule(f"removed debris ({len(a.debris)})")
    if not a.debris:
        ctx.console.print("Nothing was removed.")
        return
    table = Table()
    table.add_column("line", justify="right")
    table.add_column("reason")
    table.add_column("text", overflow="fold")
    for d in a.debris:
        table.add_row(str(d.line), d.reason, escape(d.text))
    ctx.console.print(table)


#: What ``show`` prints, in order: functions ``(ctx, article, options)`` where ``options`` holds the
#: command's extra options by name. To extend ``show`` from another command module::
#:
#:     show.params.append(click.Option(["--analysis"], is_flag=True, help="..."))
#:     SHOW_SECTIONS.append(my_section)   # reads options.get("analysis")
SHOW_SECTIONS: list = [_show_metadata, _show_debris]
#: Functions ``(ctx, article, options) -> dict | None``; the first non-None result replaces the
#: article object printed by ``show --json`` (``show --analysis --json`` prints the analysis).
SHOW_JSON: list = []

