"""``trucewatch brief`` and ``trucewatch demo``: the cited brief, and the whole pipeline on the sample corpus."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import click

from .. import pipeline, report
from ..errors import ConfigError
from ..fuse import build_export
from ._common import Context, cli, handle_errors, pass_ctx

_SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".pdf": "pdf"}


def _format(fmt: str | None, output: Path | None) -> str:
    """The brief's format: ``--format``, else the suffix of ``-o``, else md; refuses a suffix that says otherwise."""
    implied = _SUFFIX_FORMAT.get(output.suffix.lower()) if output else None
    if fmt is None:
        if output is None:
            return "md"
        if implied is None:
            raise ConfigError(
                f"Cannot tell the brief's format from {output.name!r}: name the file .md, .html, .json or .pdf, "
                "or give --format."
            )
        return implied
    if implied is not None and implied != fmt:
        raise ConfigError(f"-o {output.name} names a {implied} file but --format is {fmt}; make them agree.")
    return fmt


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConfigError(f"--since must be an ISO date such as 2026-03-01, not {value!r}.") from None


def _write(path: Path, data: str | bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        raise ConfigError(f"Cannot write {path}: {e.strerror}. Choose another -o path.") from None
    finally:
        if tmp.exists():
            tmp.unlink()


@cli.command("brief")
@click.option("--story", default=None, metavar="ID", help="Only this story (id or unique prefix).")
@click.option("--since", default=None, metavar="DATE", help="Only incidents and articles on or after this ISO date.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json", "pdf"]), default=None,
              help="md (default), html (one self-contained file with map and timeline), json, or pdf "
                   "(the HTML printed by headless Chromium; needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (its suffix picks the format when --format is not given).")
@pass_ctx
@handle_errors
def brief_cmd(ctx: Context, story: str | None, since: str | None, fmt: str | None, output: Path | None) -> None:
    """Write the cited brief: bottom line, timeline, casualties, disputes, quotes, sources, ledger.

    Every sentence and table row cites the outlet, date and exact words it rests
    on. The HTML brief is one offline file with a map and a timeline graphic.

    \b
    Example:
        trucewatch brief
        trucewatch brief --format html -o brief.html
        trucewatch brief -o brief.pdf
        trucewatch brief --since 2026-03-20 --story 3f2a -o recent.md
    """
    fmt = _format(fmt, output)
    if fmt == "pdf" and output is None:
        raise ConfigError("A PDF brief needs a file: give -o brief.pdf.")
    since = _since(since)
    store = ctx.store
    if store.count("article") == 0:
        raise ConfigError("The store has no articles yet; add some with `trucewatch add PATH` and run `trucewatch analyze`.")
    doc = build_export(store, story_id=story, since=since)
    brief = report.build_brief(doc, story_id=story, since=since)
    if fmt == "pdf":
        from ..report.pdf import html_to_pdf

        _write(output, html_to_pdf(report.render_html(brief)))
    else:
        text = report.render(brief, fmt)
        if output is None:
            click.echo(text, nl=False)
            return
        _write(output, text)
    ctx.err.print(f"Wrote {output} ({brief.counts['incidents']} incidents, {len(brief.citations)} citations)")


def sample_corpus() -> Path:
    """The bundled sample corpus: examples/sample-corpus in a checkout, or the copy shipped in the wheel."""
    checkout = Path(__file__).resolve().parents[3] / "examples" / "sample-corpus"
    if checkout.is_dir():
        return checkout
    packaged = resources.files("trucewatch").joinpath("data/sample-corpus")
    if packaged.is_dir():
        return Path(str(packaged))
    raise ConfigError("The sample corpus is not installed with this copy of trucewatch; name SOURCES to run the demo on.")


@cli.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the reports (created if needed).")
@click.argument("sources", nargs=-1, metavar="[SOURCES]...")
@pass_ctx
@handle_errors
def demo_cmd(ctx: Context, out_dir: Path, sources: tuple[str, ...]) -> None:
    """Run everything on the sample corpus (or SOURCES) and write the reports to --out.

    Ingests (idempotent: a rerun adds nothing twice), analyzes, fuses, then
    writes brief.html, brief.md, incidents.csv, incidents.geojson and
    trucewatch.json. Without --db the store is OUT/demo.db.

    \b
    Example:
        trucewatch demo
        trucewatch --db out/demo.db demo --out out examples/sample-corpus
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"Cannot create the folder {out_dir}: {e.strerror}. Choose another --out.") from None
    root = click.get_current_context().find_root()
    if root.params.get("db") is None and not os.environ.get("TRUCEWATCH_DB"):
        ctx.settings = ctx.settings.replace(db=str(out_dir / "demo.db"))
    elif "://" not in ctx.settings.db:
        Path(ctx.settings.db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    settings = ctx.settings
    store = ctx.store
    inputs = list(sources) or [str(sample_corpus())]
    err = ctx.err
    with err.status("Ingesting…"):
        ingested = pipeline.ingest(inputs, settings, store)
    err.print(f"ingest: {ingested.summary()}")
    for skip in ingested.skipped:
        err.print(f"  skipped {skip.source}: {skip.reason}")
    with err.status("Analyzing (loading the spaCy model)…") as status:
        analyzed = pipeline.analyze(settings, store, progress=lambda done, total: status.update(f"Analyzing {done}/{total}…"))
    err.print(f"analyze: {analyzed.analyzed} analyzed, {analyzed.up_to_date} up to date, {len(analyzed.skipped)} skipped")
    with err.status("Fusing…") as status:
        pipeline.fuse(settings, store, progress=lambda msg: status.update(f"Fusing: {msg}"))
    doc = build_export(store)
    from ..analyze.taxonomy import user_taxonomy

    paths = report.write_reports(doc, out_dir, user_taxonomy(settings.events_file))
    incidents = doc.get("incidents") or []
    articles = doc.get("articles") or []
    outlets = {a.get("outlet") for a in articles if a.get("outlet")}
    unnamed = sum(1 for a in articles if not a.get("outlet"))
    outlet_words = f"from {len(outlets)} named outlets" + (f" ({unnamed} naming none)" if unnamed else "")
    n_copies = sum(len(g.get("article_ids") or []) - 1 for g in doc.get("copies") or [])
    corroborated = sum(1 for i in incidents if i.get("corroboration") == "corroborated")
    contested = sum(1 for i in incidents if i.get("corroboration") == "contested")
    click.echo(
        f"{len(incidents)} incidents ({corroborated} corroborated, {contested} contested), "
        f"{len(doc.get('disputes') or [])} disputes, {len(articles)} articles {outlet_words}, "
        f"{len(articles) - n_copies} independent reports, "
        f"{len(doc.get('agreements') or [])} agreements, {len(doc.get('violations') or [])} alleged violations."
    )
    click.echo("Wrote:")
    for path in paths.values():
        click.echo(f"  {path}")
    click.echo(f"Open {paths['html']} in a browser to read the brief.")
