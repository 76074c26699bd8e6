"""Canonical actors across articles: one per real entity, with every alias and role seen.

Per-article actors are grouped by key, then merged:

1. the same normalised name or alias (titles dropped: "Gen. X" = "X"; learned aliases
   such as "Full Name (ABBR)" from ``Analysis.aliases``), within compatible kinds;
2. spelling and transliteration variants (rapidfuzz ratio >= :data:`VARIANT_RATIO`,
   same number of words, same first letter) — "Tehrik"/"Tehreek";
3. a one-word person name ("Asif") joins the one multi-word person whose last or
   first word it is, only when exactly one such person exists (never a guess between two).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from ..records import Actor, Analysis, CanonicalActor, stable_id
from ._util import UnionFind, norm_name

__all__ = ["canonical_actors", "kind_group"]

VARIANT_RATIO = 88

_GROUPS = {
    "person": "person",
    "organization": "org",
    "armed_group": "org",
    "group": "org",
    "media": "org",
    "government": "state",
    "country": "state",
}


def kind_group(kind: str) -> str:
    return _GROUPS.get(kind, kind)


def canonical_actors(analyses: Iterable[Analysis]) -> tuple[tuple[CanonicalActor, ...], dict[str, str]]:
    """Canonical actors (sorted by id) and the map per-article actor id -> canonical id."""
    actors: list[Actor] = []
    learned: dict[str, set[str]] = defaultdict(set)  # normalised name -> normalised aliases
    for an in analyses:
        actors.extend(an.actors)
        for alias, name in an.aliases:
            a, n = norm_name(alias), norm_name(name)
            if a and n and a != n:
                learned[n].add(a)
                learned[a].add(n)
    actors.sort(key=lambda a: a.id)
    uf = UnionFind(a.id for a in actors)

    # 1. exact keys: (kind group, normalised name or alias); person one-word keys are weak.
    strong: dict[tuple[str, str], list[str]] = defaultdict(list)
    weak: dict[tuple[str, str], list[str]] = defaultdict(list)
    names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in actors:
        g = kind_group(a.kind)
        main = norm_name(a.name)
        keys = {main} | {norm_name(x) for x in a.aliases} | learned.get(main, set())
        for k in keys:
            if not k:
                continue
            if g == "person" and " " not in k:
                weak[(g, k)].append(a.id)
            else:
                strong[(g, k)].append(a.id)
        if main:
            names[(g, main)].append(a.id)
    for ids in strong.values():
        for other in ids[1:]:
            uf.union(ids[0], other)

    # 2. spelling variants among distinct multi-word names, blocked by kind group + first letter + word count.
    blocks: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for g, name in sorted(names):
        if len(name) >= 4:
            blocks[(g, name[0], name.count(" "))].append(name)
    for (g, _, _), block in blocks.items():
        for i, x in enumerate(block):
            for y in block[i + 1 :]:
                if abs(len(x) - len(y)) <= 3 and fuzz.ratio(x, y) >= VARIANT_RATIO:
                    uf.union(names[(g, x)][0], names[(g, y)][0])

    # 3. one-word person names join the single multi-word person they are part of.
    multi: dict[str, set] = defaultdict(set)  # word -> roots of multi-word persons having it first or last
    for (g, name), ids in names.items():
        if g == "person" and " " in name:
            parts = name.split()
            for w in (parts[0], parts[-1]):
                multi[w].add(uf.find(ids[0]))
    for (g, k), ids in sorted(weak.items()):
        roots = multi.get(k, set())
        if len(roots) == 1:
            root = next(iter(roots))
            for i in ids:
                uf.union(root, i)
        else:
            for other in ids[1:]:
                if len(roots) == 0:
                    uf.union(ids[0], other)

    by_id = {a.id: a for a in actors}
    out: list[CanonicalActor] = []
    mapping: dict[str, str] = {}
    for members in uf.groups():
        ms = [by_id[m] for m in members]
        counts = Counter(m.name for m in ms)
        name = max(counts, key=lambda n: (len(norm_name(n).split()), counts[n], len(n), n))
        kinds = Counter(m.kind for m in ms)
        kind = max(kinds, key=lambda k: (kinds[k], k))
        aliases = sorted({x for m in ms for x in (m.name, *m.aliases)} - {name}, key=str.casefold)
        roles = sorted({r for m in ms for r in m.roles}, key=str.casefold)
        countries = Counter(m.country for m in ms if m.country)
        country = max(countries, key=lambda c: (countries[c], c)) if countries else None
        cid = stable_id("actor", members[0], prefix="ac_")
        out.append(
            CanonicalActor(
                id=cid,
                name=name,
                kind=kind,  # type: ignore[arg-type]
                aliases=tuple(aliases),
                roles=tuple(roles),
                country=country,
                member_ids=tuple(members),
                article_ids=tuple(sorted({m.article_id for m in ms})),
            )
        )
        for m in members:
            mapping[m] = cid
    out.sort(key=lambda c: c.id)
    return tuple(out), mapping
