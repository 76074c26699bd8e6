"""Ingest: files, directories, globs, stdin, URLs and feeds -> cleaned :class:`~trucewatch.records.Article` records.

The I/O edge (:func:`read_path`, :func:`fetch_url`, :func:`feed_items`) yields
:class:`~trucewatch.records.RawInput` or :class:`~trucewatch.records.Skip`;
the pure part (:func:`extract`) turns one RawInput into an Article or a Skip.
:func:`iter_raw` puts the edges together for a list of sources; storing is
:func:`trucewatch.pipeline.ingest`'s job. See docs/ingest.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import httpx

from ..records import RawInput, Skip
from ..settings import Settings
from .clean import Cleaned, classify_line, clean_text
from .decode import replace_surrogates
from .dates import find_dateline, find_dates, infer_published, parse_date
from .extract import JSON_FIELDS, article_id, detect_language, extract, needs_reference, outlet_from_url, sniff_kind
from .files import EXTENSIONS, expand_path, read_path, read_stream
from .web import feed_items, fetch_url, is_url, make_client, refused_address

__all__ = [
    "Cleaned",
    "EXTENSIONS",
    "IngestReport",
    "JSON_FIELDS",
    "article_id",
    "classify_line",
    "clean_text",
    "detect_language",
    "expand_path",
    "extract",
    "feed_items",
    "fetch_url",
    "find_dateline",
    "find_dates",
    "infer_published",
    "internal_skip",
    "is_url",
    "iter_raw",
    "make_client",
    "needs_reference",
    "outlet_from_url",
    "parse_date",
    "plan_sources",
    "read_path",
    "read_stream",
    "refused_address",
    "sniff_kind",
]


@dataclass
class IngestReport:
    """What one ingest run did: articles added, duplicates seen, inputs skipped (with reasons)."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (source, article id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, id of the article already stored)
    skipped: list[Skip] = field(default_factory=list)

    @property
    def added_ids(self) -> list[str]:
        return [i for _, i in self.added]

    @property
    def ok(self) -> bool:
        """True when something was ingested, or when every input was already in the store."""
        return bool(self.added) or (bool(self.duplicates) and not self.skipped)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.duplicates)} duplicates, {len(self.skipped)} skipped"


#: Where an internal error is to be reported (named in the Skip's reason).
ISSUES_URL = "https://github.com/trucewatch/trucewatch/issues"


def internal_skip(source: str, exc: BaseException, doing: str, after: int = 0) -> Skip:
    """The Skip for an unexpected exception (a bug) while ``doing`` one input; the batch goes on."""
    where = f" after its first {after} record(s)" if after else ""
    detail = replace_surrogates(f"{type(exc).__name__}: {exc}")[0]  # an error message may quote the bad character
    return Skip(
        source,
        "ingest",
        f"internal error while {doing} this input{where} ({detail}); the rest of the batch went on. "
        f"This is a trucewatch bug: please report it, with the input, at {ISSUES_URL}",
    )


def plan_sources(sources: Sequence[str]) -> list[str | Skip]:
    """The units of work for ``sources``: URLs, ``-`` and every file named (directories and globs expanded)."""
    units: list[str | Skip] = []
    for s in sources:
        if is_url(s) or s == "-":
            units.append(s)
            continue
        try:
            for x in expand_path(s):
                units.append(x if isinstance(x, Skip) else str(x))
        except Exception as e:  # a bug while listing one source: the other sources are still planned
            units.append(internal_skip(s, e, "listing the files of"))
    return units


def iter_raw(unit: str, settings: Settings, client: httpx.Client | None, outlet: str | None = None) -> Iterator[RawInput | Skip]:
    """The raw inputs of one unit from :func:`plan_sources` (feeds expanded into their items)."""
    if is_url(unit):
        if client is None:
            raise ValueError("a URL needs an httpx client")
        first = fetch_url(unit, client, settings, outlet=outlet)
        items: Iterator[RawInput | Skip] = iter([first])
    else:
        items = read_path(unit, settings)
    for item in items:
        if isinstance(item, RawInput) and outlet and item.outlet != outlet:
            item = dataclasses.replace(item, outlet=outlet)
        if isinstance(item, RawInput) and item.fields.get("content_type") == "feed":
            for sub in feed_items(item, client, settings):
                if isinstance(sub, RawInput) and outlet:
                    sub = dataclasses.replace(sub, outlet=outlet)
                yield sub
        else:
            yield item
