"""Reports: the cited brief (Markdown, HTML, JSON) with its map and timeline, and the CSV/GeoJSON exports.

Everything here reads the fusion export document (the dict of
``trucewatch export --format json``) and nothing else; the report stage
imports no other stage.

::

    build_brief(doc, story_id=None, since=None) -> Brief
    render_markdown(brief) / render_html(brief) / render_json(brief) -> str
    to_csv(doc) -> str            ACLED-like columns, one row per incident
    to_geojson(doc) -> dict       FeatureCollection of located incidents
    write_reports(doc, out_dir)   all of the above into a folder (used by ``trucewatch demo``)
"""

from __future__ import annotations

import json
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from .brief import build_brief
from .exports import to_csv, to_geojson, validate_geojson
from .html import render_html
from .model import Brief, Citation
from .render import render_json, render_markdown

__all__ = [
    "Brief",
    "Citation",
    "FORMATS",
    "build_brief",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "to_csv",
    "to_geojson",
    "validate_geojson",
    "write_reports",
]

#: brief format name -> renderer
FORMATS = {"md": render_markdown, "html": render_html, "json": render_json}


def render(brief: Brief, fmt: str = "md") -> str:
    """Render ``brief`` in ``fmt`` (md, html or json)."""
    return FORMATS[fmt](brief)


def write_reports(doc: dict[str, Any], out_dir: str | Path, taxonomy: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write brief.html, brief.md, incidents.csv, incidents.geojson and trucewatch.json into ``out_dir``.

    ``taxonomy`` (a user's ``events_file`` taxonomy) gives the ACLED types of the user's event types.

    Returns the paths by kind (html, md, csv, geojson, json). The folder is created if needed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    brief = build_brief(doc)
    paths = {
        "html": out / "brief.html",
        "md": out / "brief.md",
        "csv": out / "incidents.csv",
        "geojson": out / "incidents.geojson",
        "json": out / "trucewatch.json",
    }
    paths["html"].write_text(render_html(brief), encoding="utf-8")
    paths["md"].write_text(render_markdown(brief), encoding="utf-8")
    paths["csv"].write_text(to_csv(doc, taxonomy), encoding="utf-8", newline="")
    paths["geojson"].write_text(json.dumps(to_geojson(doc, taxonomy), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    paths["json"].write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths
