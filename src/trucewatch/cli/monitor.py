"""``trucewatch watch`` and ``alerts``: the monitoring service and the alerts it raised."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import monitor, pipeline
from ..errors import ConfigError, StoreError, TrucewatchError
from ._common import Context, cli, handle_errors, pass_ctx


@cli.command("watch")
@click.argument("sources", nargs=-1, required=True, metavar="URL|FILE ...")
@click.option("--every", default=None, metavar="DURATION", help="Time between rounds: 90s, 15m, 1h30m (default: setting watch_every, 15m).")
@click.option("--once", is_flag=True, help="Run one round and exit (exit 1 when every source failed).")
@click.option("--rounds", type=click.IntRange(min=1), default=None, metavar="N", help="Stop after N rounds.")
@click.option("--alerts-file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="PATH",
              help="Append each alert to this JSONL file (each alert once, also across restarts).")
@click.option("--webhook", "webhooks", multiple=True, metavar="URL",
              help="POST each alert as JSON to this URL, with retry (repeatable; also `webhooks:` in the alerts rules).")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False), default=None, metavar="YAML",
              help="Alert rules (default: setting alerts_file; none: every change is an alert).")
@click.option("--allow-private", is_flag=True, default=None, help="Allow sources and webhooks on private and loopback addresses.")
@pass_ctx
@handle_errors
def watch(ctx: Context, sources: tuple[str, ...], every: str | None, once: bool, rounds: int | None, alerts_file: Path | None,
          webhooks: tuple[str, ...], rules_file: str | None, allow_private: bool | None) -> None:
    """Watch RSS/Atom feeds, pages and URL lists: ingest, analyze and fuse what is new, and alert on changes.

    A source is a feed or page URL, a local feed file, or a file (or URL) listing
    URLs one a line. Each round fetches every source with a conditional GET
    (ETag / Last-Modified), one request per host at a time (watch_host_delay),
    skips items seen before, and backs off from failing sources (watch_backoff,
    doubled per failure). What changed (new incident, alleged violation or
    dispute, grade changed, new casualty figure or claimant) is recorded; the
    changes that match the alert rules become alerts, delivered to --alerts-file
    and the webhooks. All state is in the store: a killed watch started again
    goes on where it stopped and fetches and alerts nothing twice.

    \b
    Example:
        trucewatch watch https://example.org/feed.rss feeds.txt --every 15m --alerts-file alerts.jsonl
        trucewatch watch feeds.txt --once --rules alerts.yaml --webhook https://hooks.example.org/tw
    """
    changes = {"allow_private": allow_private, "alerts_file": rules_file}
    settings = ctx.settings.replace(**{k: v for k, v in changes.items() if v is not None})
    ctx.settings = settings
    pause = monitor.parse_duration(every or settings.watch_every)
    monitor.load_alert_config(settings.alerts_file)  # a bad rules file stops us before the first round
    limit = 1 if once else rounds
    resources: dict = {}
    done = 0
    report = None
    while True:
        try:
            report = _one_round(ctx, list(sources), alerts_file, webhooks, resources)
        except Exception as e:  # a watch that runs for days goes on after a round that failed; --once reports it
            if limit == 1 or isinstance(e, TrucewatchError) and not isinstance(e, StoreError):
                raise
            click.echo(f"round failed ({type(e).__name__}: {e}); trying again at the next round.", err=True)
        done += 1
        if limit is not None and done >= limit:
            break
        click.echo(f"next round in {pause:g} s (Ctrl-C stops).", err=True)
        time.sleep(pause)
    polled = [s for s in report.sources if s["status"] != "waiting"] if report else []
    if once and polled and all(s["status"] == "failed" for s in polled):
        raise TrucewatchError(f"Every source failed in round {report.round}; see the reasons above.")


def _one_round(ctx: Context, sources: list[str], alerts_file: Path | None, webhooks, resources):
    show = ctx.err.is_terminal

    def progress(n: int, total: int, source: str, status: str) -> None:
        if show:
            ctx.err.print(f"  [{n}/{total}] {escape(source[-70:])}: {status}", highlight=False)

    click.echo(f"round {ctx.store.next_watch_round()}: polling {len(sources)} source(s) ...", err=True)
    report = pipeline.watch_round(sources, ctx.settings, ctx.store, alerts_file=str(alerts_file) if alerts_file else None,
                                  webhooks=webhooks, resources=resources, progress=progress)
    _print_round(ctx, report)
    return report


def _print_round(ctx: Context, report: monitor.RoundReport) -> None:
    c = ctx.console
    c.print(f"[bold]{escape(report.line())}[/bold]  ({report.finished_at})", highlight=False)
    for s in report.sources:
        if s["status"] in ("failed", "waiting"):
            c.print(f"  [red]{s['status']}[/red] {escape(s['source'])}: {escape(s['reason'])}", highlight=False)
    for item, reason in report.items_failed:
        c.print(f"  [yellow]item failed[/yellow] {escape(item)}: {escape(reason)}", highlight=False)
    for e in report.delivery_errors:
        c.print(f"  [yellow]delivery pending[/yellow] {escape(e)}", highlight=False)


@cli.command("alerts")
@click.option("--since", default=None, metavar="DATE", help="Only alerts raised on or after this date (YYYY-MM-DD) or time.")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N", help="Only the latest N alerts.")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as a JSON array.")
@pass_ctx
@handle_errors
def alerts(ctx: Context, since: str | None, limit: int | None, as_json: bool) -> None:
    """List the alerts `trucewatch watch` raised, oldest first, with the rules they matched.

    \b
    Example:
        trucewatch alerts --since 2026-03-20
        trucewatch alerts --json --limit 20
    """
    if since and not _iso_prefix(since):
        raise ConfigError(f"--since takes a date such as 2026-03-20 (or an ISO time), not {since!r}.")
    rows = ctx.store.alerts(since=since, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        ctx.console.print("No alerts" + (f" since {escape(since)}" if since else "") + ". `trucewatch watch` raises them.")
        return
    t = Table(title=f"{len(rows)} alert(s)")
    t.add_column("raised", no_wrap=True)
    t.add_column("change", no_wrap=True)
    t.add_column("what", ratio=3)
    t.add_column("rules")
    t.add_column("id", overflow="fold")
    for a in rows:
        t.add_row(a["at"], a["kind"], escape(a.get("summary") or ""), escape(", ".join(a.get("rules") or ())), a["id"])
    ctx.console.print(t)


def _iso_prefix(value: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.+Z-]*)?", value.strip()))


@cli.command("report")
@click.option("--period", type=click.Choice(["day", "week"]), default="day", show_default=True,
              help="A day, or the ISO week (Monday to Sunday) holding --date.")
@click.option("--date", "day", required=True, metavar="YYYY-MM-DD", help="The day, or a day of the week, to report on.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default=None,
              help="md (default), html (one file with a map) or json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (its suffix picks the format when --format is not given).")
@pass_ctx
@handle_errors
def situation_report(ctx: Context, period: str, day: str, fmt: str | None, output: Path | None) -> None:
    """Write the situation report of a day or a week, against the period before.

    Incidents and alleged violations per area and per party with the change
    from the previous period, new disputes, casualty figures by side with their
    claimants, grades, and an annex of every event of the period with its
    verification state; every row cites annex events, every event its sources.

    \b
    Example:
        trucewatch report --period day --date 2026-03-26
        trucewatch report --period week --date 2026-03-26 --format html -o week-13.html
    """
    from .report import _SUFFIX_FORMAT, _write

    if fmt is None:
        fmt = _SUFFIX_FORMAT.get(output.suffix.lower(), "md") if output else "md"
    if ctx.store.count("article") == 0:
        raise ConfigError("The store has no articles yet; add some with `trucewatch add PATH` and run `trucewatch analyze`.")
    rep, text = pipeline.situation_report(ctx.store, period, day, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    _write(output, text)
    ctx.err.print(f"Wrote {output} ({rep['counts']['incidents']} incidents, {len(rep['sources'])} sources)")
