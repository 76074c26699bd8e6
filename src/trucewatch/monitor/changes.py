"""What changed between two rounds of ``watch``: a pure comparison of fused records with a snapshot.

A *snapshot* maps ``(kind, lineage)`` to ``(current record id, digest)``. The lineage of an
incident is the id it had when first seen: an incident whose id changes (a new report's mention
sorts first, two incidents merge) but that keeps any of its event mentions keeps its lineage, so it
is not "new" again. A violation's lineage is its agreement plus its incident's lineage; a
dispute's is its kind plus its incident's lineage (or its own id when it is about no incident).

Changes (:data:`KINDS`): ``new_incident``, ``new_violation``, ``new_dispute``, ``grade_changed``,
``new_casualty_figure`` and ``new_claimant``. Each has a deterministic id, so a round computed
again after a crash finds the same changes and the store records them once. A digest's
``alerted`` flag says that its lineage's ``new_incident`` change became an alert (see
:func:`trucewatch.monitor.service.detect`: an incident that qualifies for a rule only later, when
its type or figures change, is alerted then, once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..records import stable_id

__all__ = ["KINDS", "Snapshot", "diff", "grade_of", "incident_digest", "new_incident_change"]

KINDS = ("new_incident", "new_violation", "new_dispute", "grade_changed", "new_casualty_figure", "new_claimant")

Snapshot = dict[tuple[str, str], tuple[str, dict[str, Any]]]


def grade_of(incident: Mapping[str, Any]) -> str:
    """The incident's grade: fusion's ``grade`` when it has one, else its corroboration label."""
    return incident.get("grade") or incident.get("corroboration") or "single source"


def incident_digest(inc: Mapping[str, Any]) -> dict[str, Any]:
    """What a round remembers of an incident: its event mentions, grade, figures and claimants."""
    figures = {}
    claimants: set[str] = set()
    for c in inc.get("casualties") or ():
        if c.get("best") is not None:
            figures[f"{c.get('category')}|{c.get('side') or ''}|{c.get('counted') or ''}"] = c["best"]
        claimants.update(x for x in c.get("claimants") or () if x)
    return {
        "events": sorted({m["event_id"] for m in inc.get("mentions") or ()}),
        "grade": grade_of(inc),
        "figures": figures,
        "claimants": sorted(claimants),
    }


def _incident_lineages(incidents: list[Mapping[str, Any]], old: Snapshot) -> dict[str, str]:
    """Incident id -> lineage: the old lineage sharing most event mentions, else the id itself."""
    owner: dict[str, str] = {}
    for (kind, lineage), (_rid, dig) in old.items():
        if kind == "incident":
            for ev in dig.get("events", ()):
                owner.setdefault(ev, lineage)
    by_id = {rid: lin for (k, lin), (rid, _d) in old.items() if k == "incident"}
    out: dict[str, str] = {}
    taken: set[str] = set()
    # Incidents that kept their id first, then the rest by size: each old lineage goes to one incident.
    order = sorted(incidents, key=lambda i: (i["id"] not in by_id, -len(i.get("mentions") or ()), i["id"]))
    for inc in order:
        if inc["id"] in by_id and by_id[inc["id"]] not in taken:
            out[inc["id"]] = by_id[inc["id"]]
            taken.add(out[inc["id"]])
            continue
        votes: dict[str, int] = {}
        for m in inc.get("mentions") or ():
            lin = owner.get(m["event_id"])
            if lin and lin not in taken:
                votes[lin] = votes.get(lin, 0) + 1
        if votes:
            best = min(votes, key=lambda x: (-votes[x], x))
            out[inc["id"]] = best
            taken.add(best)
        else:
            out[inc["id"]] = inc["id"]
    return out


def new_incident_change(inc: Mapping[str, Any], lineage: str, **extra: Any) -> dict[str, Any]:
    """The ``new_incident`` change of an incident's lineage (the same id whenever it is made)."""
    return _change("new_incident", "incident", inc, lineage, **extra)


def _change(kind: str, record_kind: str, record: Mapping[str, Any], lineage: str, detail: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "id": stable_id("change", kind, lineage, detail, prefix="chg-"),
        "kind": kind,
        "record_kind": record_kind,
        "record_id": record["id"],
        "lineage": lineage,
        **extra,
    }


def diff(
    old: Snapshot,
    incidents: Iterable[Mapping[str, Any]],
    violations: Iterable[Mapping[str, Any]],
    disputes: Iterable[Mapping[str, Any]],
    *,
    round_no: int,
) -> tuple[list[dict[str, Any]], Snapshot]:
    """The changes from ``old`` to the given fused records, and the new snapshot.

    ``round_no`` goes into the ids of changes that can happen more than once to the same record
    (a grade that changes back and forth); "new" changes happen once per lineage."""
    incidents = list(incidents)
    lineage = _incident_lineages(incidents, old)
    changes: list[dict[str, Any]] = []
    new: Snapshot = {}
    for inc in sorted(incidents, key=lambda i: i["id"]):
        lin = lineage[inc["id"]]
        dig = incident_digest(inc)
        new[("incident", lin)] = (inc["id"], dig)
        before = old.get(("incident", lin))
        if before is None:
            changes.append(new_incident_change(inc, lin))
            continue
        prev = before[1]
        if prev.get("alerted"):
            dig["alerted"] = True  # its new_incident alert was raised in an earlier round
        if prev.get("grade") != dig["grade"]:
            changes.append(_change("grade_changed", "incident", inc, lin, f"{round_no}|{prev.get('grade')}>{dig['grade']}",
                                   old_grade=prev.get("grade"), new_grade=dig["grade"]))
        for key, value in sorted(dig["figures"].items()):
            was = prev.get("figures", {}).get(key)
            if was != value:
                category, side, counted = key.split("|")
                changes.append(_change("new_casualty_figure", "incident", inc, lin, f"{round_no}|{key}|{value}",
                                       category=category, side=side or None, counted=counted or None,
                                       old_value=was, new_value=value))
        for name in dig["claimants"]:
            if name not in prev.get("claimants", ()):
                changes.append(_change("new_claimant", "incident", inc, lin, name, claimant=name))
    for v in sorted(violations, key=lambda x: x["id"]):
        lin = stable_id("violation", v.get("agreement_id"), lineage.get(v.get("incident_id"), v.get("incident_id")), prefix="vio-")
        new[("violation", lin)] = (v["id"], {"review_status": v.get("review_status")})
        if ("violation", lin) not in old:
            changes.append(_change("new_violation", "violation", v, lin))
    for d in sorted(disputes, key=lambda x: x["id"]):
        inc_id = d.get("incident_id")
        lin = stable_id("dispute", d.get("kind"), lineage.get(inc_id, inc_id), prefix="dp_") if inc_id else d["id"]
        if ("dispute", lin) in new:
            continue  # a second dispute of the same kind about the same incident
        new[("dispute", lin)] = (d["id"], {"kind": d.get("kind")})
        if ("dispute", lin) not in old:
            changes.append(_change("new_dispute", "dispute", d, lin, dispute_kind=d.get("kind")))
    return changes, new
