"""Casualty estimates per incident (UCDP-style low / best / high, ACLED's conservative figure) and figure disputes.

Claims of one incident are grouped by ``(category, counted group, side)``: soldiers,
militants and civilians are never added up or compared with each other. A claim with no
side joins the only side of its group when there is exactly one, and "people" with no
group join the only named group of their category when there is exactly one.

The rule (also in docs/fusion.md):

* **low** = the lowest figure any claim allows (its ``low`` bound, else its value);
* **high** = the highest figure any claim states (its ``high`` bound, else its value); none (open)
  when an open-ended claim ("at least 10", "more than 40") reaches that figure and no bounded claim
  states more: such a claim sets no upper bound, so the estimate has none either (its claim row and
  its estimate row agree; "at least 10" and "12" still give a high of 12);
* **best** = the median of the independent claimants' figures: claims from copies of one
  report (or one wire) and repeated claims of one claimant count once, at the largest
  figure that claimant gives (a report that tells "a man was shot", "the victim died" and
  "two people were killed" counts two: its smaller figures are parts or earlier tallies of
  the larger); with an even count the lower middle value is taken, to stay conservative;
* **acled** = the lowest reported value (vague words at ACLED values: dozens = 12).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from ..records import CasualtyEstimate, CasualtyTotal, Claim, Dispute, DisputeSide, SourceSpan, stable_id
from ._util import norm

__all__ = ["CASUALTY_CATEGORIES", "counted_group", "estimates", "figure_disputes", "totals"]

CASUALTY_CATEGORIES = frozenset({"killed", "injured", "displaced", "detained", "missing", "abducted"})

_GROUPS = (
    ("civilian", ("civilian", "resident", "villager", "child", "children", "women", "woman", "family", "families", "passenger", "worker")),
    ("militants", ("militant", "insurgent", "terrorist", "fighter", "rebel", "attacker", "gunmen", "gunman", "combatant", "jihadist")),
    ("soldiers", ("soldier", "troop", "security", "personnel", "army", "guard", "police", "officer", "serviceman", "servicemen", "military", "marine", "ranger")),
)
_OPEN_HIGH = ("at least", "more than", "over", "above", "upwards of", "no fewer than")


def counted_group(counted: str | None) -> str:
    """soldiers | militants | civilians | people (anyone unspecified)."""
    c = norm(counted or "")
    for group, needles in _GROUPS:
        if any(n in c for n in needles):
            return "civilians" if group == "civilian" else group
    return "people"


def _bounds(c: Claim) -> tuple[float, float]:
    v = c.value
    lo = c.low if c.low is not None else v
    hi = c.high if c.high is not None else v
    if lo is None:
        lo = hi if hi is not None else 0.0
    if hi is None or (c.high is None and c.hedge and norm(c.hedge) in _OPEN_HIGH):
        hi = float("inf")
    return float(lo), float(hi)


def _median_low(values: list[float]) -> float:
    values = sorted(values)
    return values[(len(values) - 1) // 2]


def groups(claims: Iterable[Claim]) -> dict[tuple[str, str, str | None], list[Claim]]:
    """Casualty claims grouped by (category, counted group, side)."""
    raw: dict[tuple[str, str], dict[str | None, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        if c.category not in CASUALTY_CATEGORIES or c.value is None:
            continue
        raw[(c.category, counted_group(c.counted))][norm(c.side) if c.side else None].append(c)
    for cat in {cat for cat, _ in raw}:
        # "people" unspecified overlap the one named group of their category ("a woman" and "the victim" killed are
        # one victim): they join it rather than stand beside it as if they were others.
        named = [g for c, g in raw if c == cat and g != "people"]
        if len(named) == 1 and (cat, "people") in raw:
            for side, cs in raw.pop((cat, "people")).items():
                raw[(cat, named[0])][side].extend(cs)
    out = {}
    for (cat, grp), by_side in raw.items():
        sides = [s for s in by_side if s is not None]
        if None in by_side and len(sides) == 1:
            by_side[sides[0]].extend(by_side.pop(None))
        for side, cs in by_side.items():
            out[(cat, grp, side)] = sorted(cs, key=lambda c: c.id)
    return out


def estimates(
    claims: Iterable[Claim], claimant_key: Callable[[Claim], str]
) -> tuple[CasualtyEstimate, ...]:
    """One estimate per (category, counted group, side); ``claimant_key`` names the independent claimant."""
    out = []
    for (cat, grp, side), cs in sorted(groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        per_claimant: dict[str, list[float]] = defaultdict(list)
        for c in cs:
            per_claimant[claimant_key(c)].append(float(c.value))  # type: ignore[arg-type]
        figures = [max(v) for v in per_claimant.values()]
        bounds = [_bounds(c) for c in cs]
        highs = [h for _, h in bounds if h != float("inf")] + [float(c.value) for c in cs]  # type: ignore[arg-type]
        # An open-ended claim ("at least 10") whose floor no bounded claim exceeds leaves the estimate without a high.
        floors = [lo for lo, h in bounds if h == float("inf")]
        bounded = [h for _, h in bounds if h != float("inf")]
        open_ended = bool(floors) and max(floors) >= max(bounded, default=float("-inf"))
        out.append(
            CasualtyEstimate(
                category=cat,
                side=next((c.side for c in cs if c.side), None),
                counted=grp,
                low=min(lo for lo, _ in bounds),
                best=_median_low(figures),
                high=None if open_ended else max(highs),
                acled=min(float(c.value) for c in cs),  # type: ignore[arg-type]
                claim_ids=tuple(c.id for c in cs),
                claimants=tuple(sorted({c.claimant for c in cs})),
            )
        )
    return tuple(out)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def figure_disputes(
    incident_id: str,
    claims: Iterable[Claim],
    claimant_key: Callable[[Claim], str],
) -> list[Dispute]:
    """Disputes where different claimants give incompatible figures for one incident, category and side.

    Overlapping hedged figures ("at least 10" and "12") are not a dispute.
    """
    out = []
    for (cat, grp, side), cs in sorted(groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        disputed = False
        for i, a in enumerate(cs):
            la, ha = _bounds(a)
            for b in cs[i + 1 :]:
                if claimant_key(a) == claimant_key(b) or norm(a.claimant) == norm(b.claimant):
                    continue
                lb, hb = _bounds(b)
                if ha < lb or hb < la:
                    disputed = True
                    break
            if disputed:
                break
        if not disputed:
            continue
        by_value: dict[float, list[Claim]] = defaultdict(list)
        for c in cs:
            by_value[float(c.value)].append(c)  # type: ignore[arg-type]
        sides = tuple(
            DisputeSide(
                value=" / ".join(sorted({c.original for c in group})) or _fmt(v),
                claimant=", ".join(sorted({c.claimant for c in group})),
                article_ids=tuple(sorted({c.article_id for c in group})),
                spans=tuple(SourceSpan(c.article_id, c.start, c.end) for c in group),
            )
            for v, group in sorted(by_value.items())
        )
        shown = next((c.side for c in cs if c.side), None)
        who = f"{shown} " if shown else ""
        out.append(
            Dispute(
                id=stable_id("dispute", "figure", incident_id, cat, grp, side, prefix="dp_"),
                kind="figure",
                summary=f"Sources disagree on how many {who}{grp} were {cat}: "
                + "; ".join(f"{s.value} ({s.claimant})" for s in sides)
                + ".",
                sides=sides,
                incident_id=incident_id,
            )
        )
    return out


def _part(e: CasualtyEstimate) -> str:
    who = ", ".join(e.claimants) or "no source named"
    group = e.side + " " + (e.counted or "people") if e.side else (e.counted or "people")
    return f"{_fmt(e.best or 0)} {group} ({who})"


def totals(ests: Iterable[CasualtyEstimate]) -> tuple[CasualtyTotal, ...]:
    """One figure per category. Groups that never overlap (soldiers, militants, civilians, each side) add up,
    and the total says so; people told with no group may be any of them, so they add nothing to a named
    group's sum: the figure is the larger of the two, labelled as such."""
    by_cat: dict[str, list[CasualtyEstimate]] = defaultdict(list)
    for e in ests:
        if e.best is not None:
            by_cat[e.category].append(e)
    out = []
    for cat in sorted(by_cat):
        es = sorted(by_cat[cat], key=lambda e: (e.counted or "", e.side or ""))
        if len(es) == 1:
            e = es[0]
            out.append(CasualtyTotal(cat, float(e.best or 0), e.low, e.high, False, _part(e)))
            continue
        named = [e for e in es if (e.counted or "people") != "people"]
        people = [e for e in es if (e.counted or "people") == "people"]
        s = sum(float(e.best or 0) for e in named)
        label = " + ".join(_part(e) for e in named)
        best = s
        if people:
            p = max(float(e.best or 0) for e in people)
            label = (f"{label}; also {' / '.join(_part(e) for e in people)}, who may be among them"
                     if named else " / ".join(_part(e) for e in people))
            best = max(s, p)
        summed = len(named) > 1
        label = (f"sum of {len(named)} groups: " if summed else "") + label
        low = sum(float(e.low) for e in named if e.low is not None) if named and all(e.low is not None for e in named) else None
        high = sum(float(e.high) for e in named if e.high is not None) if named and all(e.high is not None for e in named) else None
        if people and high is not None:
            high = max([high] + [float(e.high) for e in people if e.high is not None])
        out.append(CasualtyTotal(cat, best, low, high, summed, label))
    return tuple(out)
