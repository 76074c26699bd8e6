"""The typed structure of a brief: sections of cited sentences and tables, plus the data for its graphics.

A :class:`Brief` is built from the fusion export document by
:func:`trucewatch.report.brief.build_brief` and rendered by the ``render_*``
functions. Every :class:`Sentence` and :class:`Row` names at least one
:class:`Citation` by id; a citation is an exact character span of one article's
text, so any statement in a brief can be checked against the words of its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Brief",
    "Citation",
    "Group",
    "IncidentMark",
    "Row",
    "Section",
    "Sentence",
    "Table",
]


@dataclass(frozen=True, slots=True)
class Citation:
    """An exact passage of an article: ``quote == article.text[start:end]``.

    ``focus_start``/``focus_end`` mark the words the statement rests on inside
    the passage (a trigger word, a figure, a quote); the passage itself is the
    sentence around them so a reader sees the context.
    """

    id: str  # "c1", "c2" ... in order of first use
    article_id: str
    outlet: str
    date: str | None
    title: str | None
    url: str | None
    start: int
    end: int
    quote: str
    focus_start: int
    focus_end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A generated statement and the citations it rests on. ``tag`` classifies it (established, disputed ...)."""

    text: str
    cites: tuple[str, ...]
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    cites: tuple[str, ...]
    tag: str | None = None  # "estimate" for low/best/high rows, "claim" for a claimant's figure ...


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A titled block inside a section: one incident, one dispute, one speaker, one agreement ..."""

    heading: str | None
    sentences: tuple[Sentence, ...] = ()
    tables: tuple[Table, ...] = ()
    anchor: str | None = None  # HTML id, e.g. "incident-I3"
    flag: str | None = None  # a warning shown with the heading, e.g. "speaker disputed"


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # bottom_line | timeline | casualties | disputes | quotes | sources | agreements | method
    title: str
    groups: tuple[Group, ...] = ()
    note: str | None = None  # uncited text about the section itself ("No disputes were found.")


@dataclass(frozen=True, slots=True)
class IncidentMark:
    """What the map and the timeline graphic draw for one incident."""

    id: str
    label: str  # "I3"
    title: str  # "Airstrike, Anlong Veng"
    type: str
    type_label: str
    date_start: str | None
    date_end: str | None
    precision: str | None
    lat: float | None
    lon: float | None
    place: str | None
    killed: float | None  # the incident's labelled figure of people killed (fusion's totals)
    corroboration: str
    follows_from: tuple[str, ...] = ()  # incident ids
    killed_note: str = ""  # what the figure adds up, when it is a sum of groups


@dataclass(frozen=True, slots=True)
class Brief:
    title: str
    scope: str  # "12 articles from 7 outlets, 9 independent reports; 8–27 March 2026"
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    incidents: tuple[IncidentMark, ...] = ()
    agreements: tuple[tuple[str, str], ...] = ()  # (ISO date, label) drawn on the timeline
    story_id: str | None = None
    since: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def citation(self, cite_id: str) -> Citation:
        for c in self.citations:
            if c.id == cite_id:
                return c
        raise KeyError(cite_id)
