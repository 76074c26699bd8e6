"""Human review decisions applied during fusion, so they survive re-analysis and re-fusion.

Supported (others, such as confirm/reject of violations, belong to the agreements stage):

* ``claim`` + ``set-figure``: the claim's value (and low/high) become the given number;
* ``quote`` + ``set-speaker``: the quote's speaker becomes the given name;
* ``incident`` + ``merge``: the incident absorbs the incidents whose ids are listed in ``value``;
* ``incident`` + ``split``: the event or article ids listed in ``value`` leave it as a new incident.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ..records import Analysis, Review, stable_id

__all__ = ["apply_to_analysis", "apply_to_clusters", "cluster_id", "incident_id"]


def _ids(value: str | None) -> list[str]:
    """Ids in a review value: separated by spaces, commas or semicolons; ``ARTICLE:EVENT`` gives both."""
    out = []
    for v in re.split(r"[\s,;]+", value or ""):
        out.extend(x for x in v.split(":") if x)
    return out


def _ordered(reviews: Iterable[Review]) -> list[Review]:
    return sorted(reviews, key=lambda r: (r.at, r.id))


def apply_to_analysis(an: Analysis, reviews: Iterable[Review]) -> Analysis:
    figures, speakers = {}, {}
    for r in _ordered(reviews):
        if r.target_kind == "claim" and r.action == "set-figure":
            m = re.fullmatch(r"\s*([\d.,]+)\s*(?:[-–]\s*([\d.,]+))?\s*", r.value or "")
            if not m:
                continue  # an unusable figure is ignored; the review command validates input
            try:
                lo = float(m.group(1).replace(",", ""))
                hi = float(m.group(2).replace(",", "")) if m.group(2) else lo
            except ValueError:
                continue
            figures[r.target_id] = (lo, hi)
        elif r.target_kind == "quote" and r.action == "set-speaker" and r.value:
            speakers[r.target_id] = r.value
    if not figures and not speakers:
        return an
    claims = tuple(
        dataclasses.replace(c, value=figures[c.id][0], low=figures[c.id][0], high=figures[c.id][1], hedge="set by review")
        if c.id in figures else c
        for c in an.claims
    )
    quotes = tuple(
        dataclasses.replace(q, speaker=speakers[q.id], speaker_actor_id=None) if q.id in speakers else q for q in an.quotes
    )
    return dataclasses.replace(an, claims=claims, quotes=quotes)


def incident_id(member_ids: list[str]) -> str:
    """An incident's id: from its first (sorted) member mention id, so adding reports keeps it."""
    return stable_id("incident", min(member_ids), prefix="in_")


def apply_to_clusters(
    clusters: list[list[str]], reviews: Iterable[Review], article_of: dict[str, str],
    named: dict[str, str] | None = None,
) -> list[list[str]]:
    """Clusters of event ids after merge/split decisions (applied in time order). An incident that
    absorbs others, or keeps the rest after a split, keeps its id even when its first member changes:
    ``named`` (filled in when given) maps such a cluster's first member to that id; see
    :func:`cluster_id`."""
    names: dict[str, str] = named if named is not None else {}
    cl = [list(c) for c in clusters]
    for r in _ordered(reviews):
        if r.target_kind != "incident" or r.action not in ("merge", "split"):
            continue
        ids = {cluster_id(c, names): i for i, c in enumerate(cl)}
        if r.target_id not in ids:
            continue
        target = ids[r.target_id]
        if r.action == "merge":
            others = [ids[x] for x in _ids(r.value) if x in ids and ids[x] != target]
            if not others:
                continue
            names.pop(min(cl[target]), None)
            for o in others:
                names.pop(min(cl[o]), None)
                cl[target].extend(cl[o])
            names[min(cl[target])] = r.target_id
            cl = [sorted(c) for i, c in enumerate(cl) if i not in set(others)]
        else:
            wanted = set(_ids(r.value))
            out = [e for e in cl[target] if e in wanted or article_of.get(e) in wanted]
            keep = [e for e in cl[target] if e not in out]
            if out and keep:
                names.pop(min(cl[target]), None)
                cl[target] = keep
                names[min(keep)] = r.target_id
                cl.append(sorted(out))
    for k in [k for k, v in names.items() if v == incident_id([k])]:
        del names[k]  # the natural id: nothing to remember
    return sorted((sorted(c) for c in cl), key=lambda c: c[0])


def cluster_id(members: list[str], named: dict[str, str] | None = None) -> str:
    """The id of a cluster of event ids: the one a review decision gave it, else :func:`incident_id`."""
    first = min(members)
    return (named or {}).get(first) or incident_id(members)
