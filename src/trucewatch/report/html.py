"""Render a brief as one self-contained HTML file: inline CSS and SVG, no script, no network (a CSP says so).

Citations are superscript links: hovering or focusing one shows the source
passage in a popover, following it jumps to the numbered citation list where
the passage is shown with the words the statement rests on highlighted
(``:target`` styling). The page prints cleanly (``@media print``).
"""

from __future__ import annotations

import functools
from html import escape as html_escape

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..labels import link_url
from ._facts import fmt_date
from ._style import color_for
from .model import Brief, Citation
from .svg_map import render_map
from .svg_timeline import render_timeline

__all__ = ["render_html"]

# Sentence tags shown as a small badge before the sentence.
BADGE_TAGS = {
    "established": "established",
    "single": "single source",
    "contested": "contested",
    "disputed": "disputed",
    "speaker disputed": "speaker disputed",
}


# HTML ids of sections whose key would clash with a graphic's id (svg#timeline).
SECTION_IDS = {"timeline": "chronology"}


def section_id(key: str) -> str:
    return SECTION_IDS.get(key, key)


#: The brief's Content-Security-Policy (a <meta> tag: the file is opened from disk, with no server to send headers):
#: no script of any kind (``javascript:`` links included), no network, only its own inline CSS and data: images.
CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trucewatch.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["link_url"] = link_url
    return env


def _passage(c: Citation) -> Markup:
    """The passage with its focus words in ``<mark>`` (all text escaped)."""
    a = max(c.focus_start - c.start, 0)
    b = min(max(c.focus_end - c.start, a), len(c.quote))
    if a == 0 and b >= len(c.quote):
        return escape(c.quote)
    return escape(c.quote[:a]) + Markup("<mark>") + escape(c.quote[a:b]) + Markup("</mark>") + escape(c.quote[b:])


def render_html(brief: Brief) -> str:
    """The brief as a complete HTML5 document (a string), with the map and timeline graphics inline."""
    # Each citation's link and popover is rendered once; sentences only join the ready-made pieces.
    pieces: dict[str, str] = {}
    for c in brief.citations:
        quote = c.quote if len(c.quote) <= 300 else c.quote[:299] + "…"
        pieces[c.id] = (
            f'<span class="cite-wrap"><a class="cite" href="#{c.id}" data-cite="{c.id}">[{c.id[1:]}]</a>'
            f'<span class="pop" role="tooltip"><span class="src">{html_escape(c.outlet)} · {html_escape(fmt_date(c.date))}'
            f"</span>“{html_escape(quote)}”</span></span>"
        )

    def cites(ids: tuple[str, ...]) -> Markup:
        parts = [pieces[i] for i in ids if i in pieces]
        return Markup('<sup class="cites">' + "".join(parts) + "</sup>") if parts else Markup("")

    legend: dict[str, str] = {}
    for m in brief.incidents:
        legend.setdefault(m.type_label, color_for(m.type))
    limits = []
    if brief.story_id:
        limits.append(f"story {brief.story_id}")
    if brief.since:
        limits.append(f"incidents and articles since {brief.since}")
    corroborated = sum(1 for m in brief.incidents if m.corroboration == "corroborated")
    return _env().get_template("brief.html.j2").render(
        brief=brief,
        sections=brief.sections,
        cites=cites,
        passage=_passage,
        section_id=section_id,
        fmt_date=fmt_date,
        badge_tags=BADGE_TAGS,
        legend=sorted(legend.items()),
        limits=", ".join(limits),
        corroborated=corroborated,
        map_svg=Markup(render_map(brief.incidents)),
        timeline_svg=Markup(render_timeline(brief.incidents, brief.agreements)),
        version=__version__,
        csp=CSP,
    )
