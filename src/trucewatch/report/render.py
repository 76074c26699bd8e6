"""Render a :class:`~trucewatch.report.model.Brief` as Markdown or JSON.

Markdown uses footnote citations (``[^c3]``, GitHub-flavoured); each footnote
gives the outlet, the date and the quoted passage.
"""

from __future__ import annotations

import dataclasses
import json

from ._facts import fmt_date
from .model import Brief, Citation

__all__ = ["render_json", "render_markdown"]


def _md_escape(text: str) -> str:
    """Keep source text from being read as Markdown markup (tables, emphasis, links, HTML)."""
    out = str(text).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _cites(ids: tuple[str, ...]) -> str:
    return "".join(f"[^{i}]" for i in ids)


def _footnote(c: Citation) -> str:
    date = fmt_date(c.date) if c.date else "undated"
    title = f" — {_md_escape(c.title)}" if c.title else ""
    return f"[^{c.id}]: {_md_escape(c.outlet)}, {date}{title}: “{_md_escape(c.quote)}”"


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown: a heading per section, bullet sentences and pipe tables, then the citations."""
    lines = [f"# {_md_escape(brief.title)}", "", f"*{_md_escape(brief.scope)}.*", ""]
    if brief.story_id or brief.since:
        limits = []
        if brief.story_id:
            limits.append(f"story {brief.story_id}")
        if brief.since:
            limits.append(f"since {brief.since}")
        lines += [f"Limited to {', '.join(limits)}.", ""]
    for section in brief.sections:
        lines += [f"## {section.title}", ""]
        if section.note:
            lines += [_md_escape(section.note), ""]
        for group in section.groups:
            if group.heading:
                flag = f" ⚠ {group.flag}" if group.flag else ""
                lines += [f"### {_md_escape(group.heading)}{flag}", ""]
            for s in group.sentences:
                lines.append(f"- {_md_escape(s.text)}{_cites(s.cites)}")
            if group.sentences:
                lines.append("")
            for table in group.tables:
                if table.caption:
                    lines += [f"*{_md_escape(table.caption)}*", ""]
                lines.append("| " + " | ".join(_md_escape(c) for c in table.columns) + " | Sources |")
                lines.append("|" + "---|" * (len(table.columns) + 1))
                for row in table.rows:
                    cells = [_md_escape(c) if c else " " for c in row.cells]
                    if row.tag == "estimate":
                        cells = [f"**{c}**" if c.strip() else c for c in cells]
                    lines.append("| " + " | ".join(cells) + f" | {_cites(row.cites)} |")
                lines.append("")
    lines += ["## Citations", ""]
    lines += [_footnote(c) for c in brief.citations]
    return "\n".join(lines).rstrip() + "\n"


def render_json(brief: Brief) -> str:
    """The brief as a JSON document (sections, citations, incident marks), pretty-printed and UTF-8."""
    return json.dumps(dataclasses.asdict(brief), ensure_ascii=False, indent=2) + "\n"
