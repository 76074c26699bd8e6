"""The violation ledger per party and the penalty rules evaluated over it.

Rules file (YAML, ``settings.rules_file``; docs/ledger.md is the reference, examples/rules.yaml an
example)::

    weights:            # points one alleged violation counts against the accused
      confirmed: 1      # confirmed by a reviewer
      corroborated: 0.5 # unreviewed, >= 2 independent sources
      single source: 0.25
      contested: 0      # unreviewed, the accused denies it / sources disagree
      rejected: 0       # rejected by a reviewer
    threshold:
      points: 3         # a party crosses the threshold when its points ...
      window_days: 30   # ... within this many days reach ``points``
    period: month       # ledger buckets: week | month

A reviewer's verdict wins over corroboration: a confirmed violation counts ``confirmed`` points, a
rejected one ``rejected`` points, an unreviewed one the points of its corroboration label.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import ConfigError, read_yaml_file
from ..records import Agreement, Violation
from .review import UNATTRIBUTED

__all__ = ["DEFAULT_RULES", "Rules", "Threshold", "ledger", "load_rules", "parse_rules", "points_of"]


@dataclass(frozen=True, slots=True)
class Threshold:
    points: float
    window_days: int
    name: str = "threshold"


@dataclass(frozen=True, slots=True)
class Rules:
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "confirmed": 1.0, "corroborated": 0.5, "single source": 0.25, "contested": 0.0, "rejected": 0.0,
    })
    thresholds: tuple[Threshold, ...] = (Threshold(3.0, 30, "3 points in 30 days"),)
    period: str = "month"
    source: str = "built-in defaults"


DEFAULT_RULES = Rules()
_WEIGHT_KEYS = ("confirmed", "corroborated", "single source", "contested", "rejected")


def load_rules(path: str | Path | None) -> Rules:
    """Rules from the YAML file at ``path``; the built-in defaults when ``path`` is empty."""
    if not path:
        return DEFAULT_RULES
    p = Path(path).expanduser()
    data = read_yaml_file(p, what="rules file", setting="rules_file", doc="docs/ledger.md")
    return parse_rules(data or {}, str(p))


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError(f"{where} must be a number, not {v!r}.")
    if v < 0:
        raise ConfigError(f"{where} cannot be negative ({v}).")
    return float(v)


def parse_rules(data: Any, source: str = "rules") -> Rules:
    """Validate a rules mapping (see the module docstring); raises ConfigError naming the key."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"The rules file {source} must be a mapping with weights/threshold/period; see docs/ledger.md.")
    unknown = set(data) - {"weights", "threshold", "thresholds", "period"}
    if unknown:
        raise ConfigError(f"The rules file {source} has unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                          "known keys: weights, threshold, thresholds, period.")
    weights = dict(DEFAULT_RULES.weights)
    raw_w = data.get("weights") or {}
    if not isinstance(raw_w, Mapping):
        raise ConfigError(f"In {source}, `weights` must be a mapping such as {{confirmed: 1, corroborated: 0.5}}.")
    for k, v in raw_w.items():
        key = str(k).replace("_", " ")
        if key not in _WEIGHT_KEYS:
            raise ConfigError(f"In {source}, unknown weight {k!r}; weights are {', '.join(_WEIGHT_KEYS)}.")
        weights[key] = _number(v, f"In {source}, weights.{k}")
    raw_t: list[Any] = []
    if "threshold" in data:
        raw_t.append(data["threshold"])
    if "thresholds" in data:
        if not isinstance(data["thresholds"], list):
            raise ConfigError(f"In {source}, `thresholds` must be a list of {{name, points, window_days}}.")
        raw_t.extend(data["thresholds"])
    thresholds = []
    for i, t in enumerate(raw_t):
        where = f"In {source}, threshold #{i + 1}"
        if not isinstance(t, Mapping) or "points" not in t:
            raise ConfigError(f"{where} must be a mapping with `points` and `window_days`.")
        extra = set(t) - {"points", "window_days", "name"}
        if extra:
            raise ConfigError(f"{where} has unknown key(s) {', '.join(sorted(map(str, extra)))}.")
        pts = _number(t["points"], f"{where}: points")
        if pts <= 0:
            raise ConfigError(f"{where}: points must be above 0.")
        days = t.get("window_days", 30)
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ConfigError(f"{where}: window_days must be a whole number of days, at least 1.")
        thresholds.append(Threshold(pts, days, str(t.get("name") or f"{pts:g} points in {days} days")))
    period = data.get("period", "month")
    if period not in ("week", "month"):
        raise ConfigError(f"In {source}, `period` must be week or month, not {period!r}.")
    return Rules(weights, tuple(thresholds) if raw_t else DEFAULT_RULES.thresholds, period, source)


def points_of(v: Violation, rules: Rules) -> float:
    """Points ``v`` counts against the accused under ``rules``."""
    if v.review_status == "confirmed":
        return rules.weights["confirmed"]
    if v.review_status == "rejected":
        return rules.weights["rejected"]
    return rules.weights.get(v.corroboration, rules.weights["single source"])


def _bucket(iso: str | None, period: str) -> str:
    if not iso:
        return "undated"
    d = date.fromisoformat(iso[:10])
    if period == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.strftime("%Y-%m")


#: A violation's verification state -> the ledger column that counts it (reported and under investigation are pending).
_VERIFICATION_COLUMN = {"verified": "verified", "discounted": "discounted", "reported": "pending", "under investigation": "pending"}


def _row() -> dict[str, Any]:
    return {"accused": 0, "accuser": 0, "corroborated": 0, "single_source": 0, "contested": 0,
            "confirmed": 0, "rejected": 0, "unreviewed": 0, "verified": 0, "pending": 0, "discounted": 0,
            "attributed": 0, "casualties": 0.0, "points": 0.0}


def ledger(violations: Iterable[Violation], agreements: Iterable[Agreement] = (), rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
    """The ledger as a JSON-ready dict.

    ``parties``: per party (accused or accuser) the counts of alleged violations by accused and by
    accuser, by corroboration and review status, by verification (``verified`` / ``pending`` /
    ``discounted``; ``attributed``: verified violations attributed to the party), casualties attributed (killed + injured, best
    estimates), points, and ``by_period`` (same counts per week or month). ``crossings``: each time a
    party's points within a threshold's window reach its points (date, points, the violations
    counted). ``violations`` lists the rows behind it.
    """
    violations = sorted(violations, key=lambda v: (v.date or "", v.id))
    parties: dict[str, dict[str, Any]] = defaultdict(lambda: {**_row(), "by_period": defaultdict(_row)})
    for ag in agreements:
        for p in ag.parties:
            parties[p]
    for v in violations:
        pts = points_of(v, rules)
        bucket = _bucket(v.date, rules.period)
        for p in v.accused:
            for row in (parties[p], parties[p]["by_period"][bucket]):
                row["accused"] += 1
                label = {"corroborated": "corroborated", "contested": "contested"}.get(v.corroboration, "single_source")
                row[label] += 1
                row[v.review_status if v.review_status in ("confirmed", "rejected") else "unreviewed"] += 1
                row[_VERIFICATION_COLUMN.get(v.verification, "pending")] += 1
                if v.casualties and v.review_status != "rejected":
                    row["casualties"] += v.casualties
                row["points"] += pts
        for p in v.accusers:
            for row in (parties[p], parties[p]["by_period"][bucket]):
                row["accuser"] += 1
        if v.verification == "verified" and v.attributed_to and v.attributed_to != UNATTRIBUTED:
            for row in (parties[v.attributed_to], parties[v.attributed_to]["by_period"][bucket]):
                row["attributed"] += 1
    unattributed = [v.id for v in violations if not v.accused]
    crossings = []
    for name in sorted(parties):
        mine = [v for v in violations if name in v.accused and v.date]
        for th in rules.thresholds:
            crossings.extend(_crossings(name, mine, th, rules))
    out_parties = {}
    for name in sorted(parties):
        row = dict(parties[name])
        row["by_period"] = {k: dict(v) for k, v in sorted(row["by_period"].items())}
        out_parties[name] = row
    return {
        "rules": {"weights": dict(rules.weights), "period": rules.period, "source": rules.source,
                  "thresholds": [{"name": t.name, "points": t.points, "window_days": t.window_days} for t in rules.thresholds]},
        "parties": out_parties,
        "crossings": sorted(crossings, key=lambda c: (c["date"], c["party"], c["threshold"])),
        "unattributed": unattributed,
        "violations": [
            {"id": v.id, "agreement_id": v.agreement_id, "incident_id": v.incident_id, "date": v.date,
             "type": v.incident_type, "places": list(v.place_names), "accused": list(v.accused), "accusers": list(v.accusers),
             "corroboration": v.corroboration, "review_status": v.review_status, "denied_by": list(v.denied_by),
             "verification": v.verification, "attributed_to": v.attributed_to,
             "casualties": v.casualties, "points": points_of(v, rules), "article_ids": list(v.article_ids)}
            for v in violations
        ],
    }


def _crossings(party: str, mine: list[Violation], th: Threshold, rules: Rules) -> list[dict[str, Any]]:
    """Dates at which ``party``'s points in a sliding window reach the threshold (once per episode)."""
    out = []
    above = False
    for v in mine:
        end = date.fromisoformat(v.date[:10])
        start = end - timedelta(days=th.window_days - 1)
        window = [w for w in mine if start <= date.fromisoformat(w.date[:10]) <= end]
        total = sum(points_of(w, rules) for w in window)
        if total >= th.points and not above:
            counted = [w for w in window if points_of(w, rules) > 0]
            out.append({"party": party, "threshold": th.name, "date": end.isoformat(), "points": round(total, 4),
                        "violation_ids": [w.id for w in counted], "window_days": th.window_days})
            above = True
        elif total < th.points:
            above = False
    return out
