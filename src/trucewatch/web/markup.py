"""Small pieces of page markup used in every table row, as Python functions (Jinja globals).

A Jinja macro call costs far more than a Python call; a page of 50 incidents
called four of these per row. Each returns escaped :class:`markupsafe.Markup`
exactly as the macros it replaces did.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..labels import lead_words, source_name

__all__ = ["badge", "dates", "place_names", "source_of", "title_of", "type_tag", "GLOBALS"]


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _e(value: Any) -> str:
    """``value`` escaped for HTML, as a plain string (cheaper to concatenate than Markup)."""
    return str(escape(value))


def title_of(article: Any) -> str:
    """An article's title, or its first words when it has none (never its hex id)."""
    if not article:
        return "(article not in the store)"
    return lead_words(_get(article, "lead") or _get(article, "text"), _get(article, "title"))


def source_of(article: Any) -> str:
    """An article's outlet; else its web address's host, or its source file's name (never its hex id)."""
    if not article:
        return "article"
    return source_name(_get(article, "outlet"), _get(article, "url"), _get(article, "source_path")) or "unnamed source"


def badge(corroboration: str | None) -> Markup:
    """The corroboration badge: confirmed, corroborated, contested, single source ..."""
    label = corroboration or "single source"
    return Markup(f'<span class="badge badge-{_e(label.replace(" ", "-"))}">{_e(label)}</span>')


def type_tag(t: str | None) -> Markup:
    """An event or incident type as a coloured tag."""
    return Markup(f'<span class="tag tag-{_e(str(t).replace("_", "-"))}">{_e((t or "unknown").replace("_", " "))}</span>')


def dates(i: Any) -> Markup:
    """An incident's date or date range, with its precision when coarser than a day."""
    start = _get(i, "date_start")
    if not start:
        return Markup('<span class="muted">undated</span>')
    out = _e(start)
    end = _get(i, "date_end")
    if end and end != start:
        out += " – " + _e(end)
    precision = _get(i, "date_precision")
    if precision and precision != "day":
        out += f' <span class="muted">({_e(precision)})</span>'
    return Markup(out)


def place_names(i: Any) -> Markup:
    """Up to three places of an incident, each with its country when that adds something."""
    places = (_get(i, "places") or [])[:3]
    if not places:
        return Markup('<span class="muted">no place</span>')
    parts = []
    for p in places:
        name = _get(p, "resolved_name") or _get(p, "name")
        country = _get(p, "country")
        part = _e(name)
        if country and country != name:
            part += ", " + _e(country)
        parts.append(part)
    return Markup("; ".join(parts))


#: name -> function, registered as Jinja globals by :func:`trucewatch.web.app.create_app`.
GLOBALS = {"badge": badge, "dates": dates, "place_names": place_names, "source_of": source_of, "title_of": title_of,
           "type_tag": type_tag}
