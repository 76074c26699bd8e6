"""``trucewatch fuse`` and ``trucewatch export``: cross-article fusion and the JSON export."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, TextIO

import click
from rich.markup import escape
from rich.table import Table

from .. import pipeline
from ..errors import ConfigError
from ..fuse import build_export, validate_export
from ._common import Context, cli, handle_errors, pass_ctx


@cli.command("fuse")
@click.option("--json", "as_json", is_flag=True, help="Print counts as JSON instead of tables.")
@pass_ctx
@handle_errors
def fuse_cmd(ctx: Context, as_json: bool) -> None:
    """Fuse analyzed articles: copies, actors, stories, incidents, quote clusters, disputes.

    Runs automatically after `analyze`. Incremental: cached MinHash signatures and
    scored incident blocks are reused, so adding a few articles re-scores only
    the blocks they touch (docs/fusion.md).

    \b
    Example:
        trucewatch fuse
        trucewatch fuse --json
    """
    if ctx.store.count("analysis") == 0:
        ctx.err.print("No analyzed articles yet: run `trucewatch analyze` first.")
        return
    with ctx.err.status("Fusing…") as status:
        fusion = pipeline.fuse(ctx.settings, ctx.store, progress=lambda msg: status.update(f"Fusing: {msg}"))
    counts = {
        "incidents": len(fusion.incidents),
        "corroborated": sum(i.corroboration == "corroborated" for i in fusion.incidents),
        "contested": sum(i.corroboration == "contested" for i in fusion.incidents),
        "disputes": len(fusion.disputes),
        "stories": len(fusion.stories),
        "copy_groups": len(fusion.copies),
        "actors": len(fusion.actors),
        "quote_clusters": sum(len(c.quote_ids) > 1 for c in fusion.quote_clusters),
    }
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    ctx.console.print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    t = Table("incident", "type", "date", "sources", "corroboration", "summary", title="Incidents")
    for i in sorted(fusion.incidents, key=lambda i: (i.date_start or "", i.id))[:40]:
        date = i.date_start if i.date_start == i.date_end else f"{i.date_start}…{i.date_end}"
        t.add_row(i.id, i.type, date or "?", str(i.independent_sources), i.corroboration, escape(i.summary[:90]))
    ctx.console.print(t)
    if fusion.disputes:
        d = Table("kind", "summary", title="Disputes")
        for x in fusion.disputes[:40]:
            d.add_row(x.kind, escape(x.summary[:160]))
        ctx.console.print(d)


# ---------------------------------------------------------------------------- export

def _write_json(ctx: Context, out: TextIO, story: str | None, since: str | None) -> None:
    doc = build_export(ctx.store, story_id=story, since=since)
    validate_export(doc)
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _write_jsonl(ctx: Context, out: TextIO, story: str | None, since: str | None) -> None:
    doc = build_export(ctx.store, story_id=story, since=since)
    validate_export(doc)
    meta = {k: v for k, v in doc.items() if not isinstance(v, list)}
    out.write(json.dumps({"record_type": "meta", "record": meta}, ensure_ascii=False) + "\n")
    for key, value in doc.items():
        if isinstance(value, list):
            for rec in value:
                out.write(json.dumps({"record_type": key, "record": rec}, ensure_ascii=False) + "\n")


def _write_csv(ctx: Context, out: TextIO, story: str | None, since: str | None) -> None:
    from .. import report

    from ..analyze.taxonomy import user_taxonomy

    doc = build_export(ctx.store, story_id=story, since=since)
    out.write(report.to_csv(doc, user_taxonomy(ctx.settings.events_file)))


def _write_geojson(ctx: Context, out: TextIO, story: str | None, since: str | None) -> None:
    from .. import report

    from ..analyze.taxonomy import user_taxonomy

    doc = build_export(ctx.store, story_id=story, since=since)
    json.dump(report.to_geojson(doc, user_taxonomy(ctx.settings.events_file)), out, ensure_ascii=False, indent=1)
    out.write("\n")


#: Export format -> writer(ctx, text stream, story id, since). Add a format with one entry here
#: (the reports stage adds csv and geojson).
EXPORT_FORMATS: dict[str, Callable[[Context, TextIO, str | None, str | None], Any]] = {
    "json": _write_json,
    "jsonl": _write_jsonl,
    "csv": _write_csv,  # ACLED-like columns, one row per incident (docs/reports.md)
    "geojson": _write_geojson,  # incidents as points (docs/reports.md)
}


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConfigError(f"--since must be an ISO date such as 2026-03-01, not {value!r}.") from None


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="json", show_default=True,
              help="json: one document (schema: trucewatch/schema/trucewatch.schema.json); jsonl: one record per line; "
                   "csv: incidents in ACLED-like columns; geojson: incidents as points.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--story", default=None, metavar="ID", help="Only this story (id or unique prefix).")
@click.option("--since", default=None, metavar="DATE", help="Only articles published and incidents ending on or after this ISO date.")
@pass_ctx
@handle_errors
def export_cmd(ctx: Context, fmt: str, output: Path | None, story: str | None, since: str | None) -> None:
    """Export articles, actors, quotes, claims, incidents, disputes, stories and copies.

    The JSON document follows the published JSON Schema (docs/fusion.md lists the
    keys); jsonl writes {"record_type": ..., "record": {...}} lines.

    \b
    Example:
        trucewatch export --format json -o trucewatch.json
        trucewatch export --format jsonl --since 2026-03-20 > recent.jsonl
    """
    writer = EXPORT_FORMATS[fmt]
    since = _since(since)
    if output is None:
        writer(ctx, sys.stdout, story, since)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer(ctx, fh, story, since)
        tmp.replace(output)
    except OSError as e:
        raise ConfigError(f"Cannot write {output}: {e.strerror}. Choose another -o path.") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    ctx.err.print(f"Wrote {output}")


# ---------------------------------------------------------------------------- after analyze

_NO_FUSE = "trucewatch.no_fuse"


def _fuse_after_analyze(ctx: Context, settings, report) -> None:
    """Run fusion at the end of `trucewatch analyze` (unless --no-fuse)."""
    if click.get_current_context().meta.get(_NO_FUSE):
        ctx.err.print("Fusion skipped (--no-fuse); run `trucewatch fuse` when ready.")
        return
    if getattr(report, "analyzed", 1) == 0 and ctx.store.count("incident") and not getattr(report, "skipped", None):
        return  # nothing new since the last fusion
    if ctx.store.count("analysis") == 0:
        return
    with ctx.err.status("Fusing…") as status:
        fusion = pipeline.fuse(settings, ctx.store, progress=lambda msg: status.update(f"Fusing: {msg}"))
    ctx.console.print(
        f"Fused: {len(fusion.incidents)} incidents, {len(fusion.disputes)} disputes, {len(fusion.stories)} stories, "
        f"{len(fusion.copies)} copy groups."
    )


def _install_after_analyze() -> None:
    try:
        from . import analyze as analyze_cli
    except ImportError:  # the analyze command is not installed
        return
    cmd = analyze_cli.analyze
    if any(p.name == "no_fuse" for p in cmd.params):
        return
    cmd.params.append(click.Option(["--no-fuse"], is_flag=True, help="Do not run fusion afterwards (run `trucewatch fuse` later)."))
    original = cmd.callback

    @functools.wraps(original)
    def callback(*args: Any, no_fuse: bool = False, **kwargs: Any) -> Any:
        click.get_current_context().meta[_NO_FUSE] = no_fuse
        return original(*args, **kwargs)

    cmd.callback = callback
    analyze_cli.AFTER_ANALYZE.append(_fuse_after_analyze)


_install_after_analyze()
