"""Date, sequence, status and responsibility disputes (figure and speaker disputes live with
casualties and quotes). Each dispute lists its sides with value, claimant, articles and spans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..records import Dispute, DisputeSide, SourceSpan, stable_id
from ._util import UnionFind, iso

__all__ = ["Assertion", "date_disputes", "responsibility_disputes", "sequence_disputes", "status_disputes", "status_polarity"]

STATUS_WINDOW = 3  # reports this many days apart can disagree about a status

# "agreed"/"signed" report an event, not the state of a ceasefire, so they never dispute "collapsed".
_POSITIVE = ("holds", "holding", "in force", "in effect", "resumed", "extended", "respected", "observed", "intact")
_NEGATIVE = ("collapsed", "collapse", "broken", "broke", "violated", "suspended", "ended", "failed", "breached", "over", "cancelled")


def status_polarity(status: str | None) -> int:
    """+1 for "holds"-like statuses, -1 for "collapsed"-like ones, 0 otherwise ("strained")."""
    if not status:
        return 0
    s = status.lower()
    if any(w in s for w in _NEGATIVE):
        return -1
    if any(w in s for w in _POSITIVE):
        return 1
    return 0


@dataclass(frozen=True, slots=True)
class Assertion:
    """One article's statement that feeds a dispute: a value, who says it, where."""

    value: str
    claimant: str | None
    article_id: str
    start: int
    end: int
    source: str  # independent-source key
    day: int | None = None
    group: str = ""  # what the statement is about (family, incident ...)
    actors: frozenset[str] = frozenset()


def _sides(assertions: Iterable[Assertion], key=lambda a: a.value) -> tuple[DisputeSide, ...]:
    by: dict[str, list[Assertion]] = defaultdict(list)
    for a in assertions:
        by[key(a)].append(a)
    return tuple(
        DisputeSide(
            value=v,
            claimant=", ".join(sorted({a.claimant for a in group if a.claimant})) or None,
            article_ids=tuple(sorted({a.article_id for a in group})),
            spans=tuple(sorted({SourceSpan(a.article_id, a.start, a.end) for a in group}, key=lambda s: (s.article_id, s.start))),
        )
        for v, group in sorted(by.items())
    )


def date_disputes(incident_id: str, dated: list[tuple[int, int, Assertion]]) -> list[Dispute]:
    """Explicit day-precise dates ``(lo, hi, assertion)`` of one incident from different sources that cannot both be true."""
    for i, (lo1, hi1, a1) in enumerate(dated):
        for lo2, hi2, a2 in dated[i + 1 :]:
            if a1.source != a2.source and (hi1 < lo2 or hi2 < lo1):
                sides = _sides(a for _, _, a in dated)
                return [
                    Dispute(
                        id=stable_id("dispute", "date", incident_id, prefix="dp_"),
                        kind="date",
                        summary="Sources give different dates for this incident: "
                        + "; ".join(f"{s.value} ({s.claimant})" for s in sides)
                        + ".",
                        sides=sides,
                        incident_id=incident_id,
                    )
                ]
    return []


def dated_value(lo: int, hi: int) -> str:
    return iso(lo) if lo == hi else f"{iso(lo)}..{iso(hi)}"  # type: ignore[return-value]


def _same_parts(links: list[tuple[str, str, Assertion]], words: Mapping[str, frozenset[str]]) -> UnionFind:
    """Parts of one incident (keys ``incident:type``) that two outlets name differently but describe
    with shared words ("an assault on the posts" / "fired on the posts"): merged only where that turns
    two links from different sources into opposite orders around one part both name alike, and never
    two parts one outlet puts in order against each other."""
    uf = UnionFind(k for later, earlier, _ in links for k in (later, earlier))
    ordered = {frozenset((later, earlier)) for later, earlier, _ in links}

    def alike(x: str, y: str) -> bool:
        if x == y:
            return True
        if ":" not in x or x.split(":", 1)[0] != y.split(":", 1)[0] or frozenset((x, y)) in ordered:
            return False
        return bool(words.get(x, frozenset()) & words.get(y, frozenset()))

    for i, (l1, e1, a1) in enumerate(links):
        for l2, e2, a2 in links[i + 1 :]:
            if a1.source == a2.source:
                continue
            # link 1 says l1 after e1; link 2 says l2 after e2: opposite when l1 ~ e2 and e1 ~ l2
            if (l1 == e2 and alike(e1, l2)) or (e1 == l2 and alike(l1, e2)):
                uf.union(e1, l2)
                uf.union(l1, e2)
    return uf


def sequence_disputes(
    links: list[tuple[str, str, Assertion]], words: Mapping[str, frozenset[str]] | None = None
) -> list[Dispute]:
    """``links`` are ``(later incident, earlier incident, assertion)``: "A followed / retaliated for B".
    Outlets that make the link in opposite directions disagree on the sequence. Keys may name parts
    of one incident (``incident:type``); ``words`` (content words describing each part) lets two
    differently typed parts count as one (see :func:`_same_parts`)."""
    uf = _same_parts(links, words or {})
    links = [(uf.find(later), uf.find(earlier), a) for later, earlier, a in links]
    by_pair: dict[tuple[str, str], list[tuple[str, str, Assertion]]] = defaultdict(list)
    for later, earlier, a in links:
        if later == earlier:
            continue
        by_pair[tuple(sorted((later, earlier)))].append((later, earlier, a))  # type: ignore[arg-type]
    out = []
    for (x, y), group in sorted(by_pair.items()):
        directions = {(later, earlier) for later, earlier, _ in group}
        if len(directions) < 2:
            continue
        sides = _sides([a for _, _, a in group])
        out.append(
            Dispute(
                id=stable_id("dispute", "sequence", x, y, prefix="dp_"),
                kind="sequence",
                summary="Outlets disagree on which incident came first or what retaliated for what: "
                + "; ".join(f"{s.value} ({s.claimant})" for s in sides)
                + ".",
                sides=sides,
                incident_id=x.split(":", 1)[0],
            )
        )
    return out


def status_disputes(assertions: list[Assertion], incident_of: dict[tuple[str, int], str]) -> list[Dispute]:
    """Reports within :data:`STATUS_WINDOW` days, from different sources, about the same kind of
    process (``group``) and compatible parties, where one says it holds and another that it collapsed."""
    # one position per article and process: the sign of its statements (mixed articles are left out)
    per_article: dict[tuple[str, str], list[Assertion]] = defaultdict(list)
    for a in assertions:
        if a.day is not None and status_polarity(a.value) != 0:
            per_article[(a.article_id, a.group)].append(a)
    kept = []
    for group in per_article.values():
        total = sum(status_polarity(a.value) for a in group)
        kept.extend(a for a in group if total != 0 and status_polarity(a.value) == (1 if total > 0 else -1))
    items = sorted(kept, key=lambda a: (a.group, a.day, a.article_id, a.start))
    uf = UnionFind(range(len(items)))
    linked = set()
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if b.group != a.group or b.day - a.day > STATUS_WINDOW:  # type: ignore[operator]
                break
            if a.source == b.source or status_polarity(a.value) == status_polarity(b.value):
                continue
            if a.actors and b.actors and not (a.actors & b.actors):
                continue
            uf.union(i, j)
            linked.update((i, j))
    out = []
    for members in uf.groups():
        if len(members) < 2 or members[0] not in linked:
            continue
        group = [items[m] for m in members]
        words = {p: ", ".join(sorted({a.value for a in group if status_polarity(a.value) == p})) for p in (1, -1)}
        sides = _sides(group, key=lambda a: words[status_polarity(a.value)])
        incidents = sorted({incident_of[(a.article_id, a.start)] for a in group if (a.article_id, a.start) in incident_of})
        first = min(group, key=lambda a: (a.article_id, a.start))
        out.append(
            Dispute(
                id=stable_id("dispute", "status", first.article_id, first.start, prefix="dp_"),
                kind="status",
                summary=f"Outlets disagree on whether the {group[0].group} holds: "
                + "; ".join(f"{s.value} per {s.claimant}" for s in sides)
                + ".",
                sides=sides,
                incident_id=incidents[0] if incidents else None,
            )
        )
    return out


def responsibility_disputes(incident_id: str, blamed: list[Assertion], denials: list[Assertion]) -> list[Dispute]:
    """``blamed``: statements that side ``value`` did it; ``denials``: that side ``value`` denies it.
    A dispute for each side both blamed and denying."""
    out = []
    for side in sorted({d.value for d in denials} & {b.value for b in blamed}):
        accuse = [b for b in blamed if b.value == side]
        deny = [d for d in denials if d.value == side]
        sides = (
            _sides(accuse, key=lambda a: f"{side} is responsible")[0],
            _sides(deny, key=lambda a: f"{side} denies responsibility")[0],
        )
        out.append(
            Dispute(
                id=stable_id("dispute", "responsibility", incident_id, side, prefix="dp_"),
                kind="responsibility",
                summary=f"{side} is said to be responsible ({sides[0].claimant}) but denies it ({sides[1].claimant}).",
                sides=sides,
                incident_id=incident_id,
            )
        )
    return out
