"""Alert rules (the YAML file named by the ``alerts_file`` setting) and the facts a change is matched on.

::

    webhooks: [https://hooks.example.org/trucewatch]   # every alert is POSTed to each (optional)
    rules:
      - name: violations-in-surin          # required, unique
        changes: [new_violation, new_incident]   # change kinds (default: every kind)
        agreement: any                     # an agreement id, or "any": only records under an agreement
        party: [Thailand, KH]              # actor name, alias or country code; accused/accusers of violations
        area:
          admin1: [Surin]                  # any of these first-level areas ...
          country: [TH, Cambodia]          # ... or countries (name or ISO code)
          bbox: [102.5, 14.0, 104.0, 15.0] # ... or a box: min lon, min lat, max lon, max lat
        event_type: [shelling, airstrike]  # taxonomy keys
        min_casualties: 1                  # killed + injured (fusion's labelled totals)
        min_killed: 1
        dispute_kind: [figure, responsibility]

Every key a rule gives must match (and any value of a list); a rule with only a name matches every
change. Without an alerts file every change is an alert. See docs/monitoring.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, read_yaml_file
from .changes import KINDS

__all__ = ["AlertConfig", "Rule", "facts_for", "load_alert_config", "matching_rules", "parse_alert_config"]

_RULE_KEYS = {"name", "changes", "agreement", "party", "area", "event_type", "min_casualties", "min_killed", "dispute_kind"}
_AREA_KEYS = {"admin1", "country", "bbox"}


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    changes: frozenset[str] = frozenset(KINDS)
    agreement: str | None = None
    parties: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None
    event_types: frozenset[str] = frozenset()
    min_casualties: float | None = None
    min_killed: float | None = None
    dispute_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class AlertConfig:
    rules: tuple[Rule, ...] = ()
    webhooks: tuple[str, ...] = ()
    source: str = "(no alerts file: every change is an alert)"
    every_change: bool = True  # no rules given: every change is an alert
    extra: Mapping[str, Any] = field(default_factory=dict)


def _words(v: Any, where: str) -> frozenset[str]:
    if v is None:
        return frozenset()
    items = v if isinstance(v, (list, tuple)) else [v]
    if not all(isinstance(x, (str, int)) and str(x).strip() for x in items):
        raise ConfigError(f"{where} must be a name or a list of names, not {v!r}.")
    return frozenset(str(x).strip().casefold() for x in items)


def _number(v: Any, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise ConfigError(f"{where} must be a number of at least 0, not {v!r}.")
    return float(v)


def _rule(data: Any, where: str) -> Rule:
    if not isinstance(data, Mapping) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ConfigError(f"{where} must be a mapping with a name (see docs/monitoring.md).")
    where = f"{where} ({data['name']})"
    unknown = set(data) - _RULE_KEYS
    if unknown:
        raise ConfigError(f"{where} has unknown key(s) {', '.join(sorted(map(str, unknown)))}; known: {', '.join(sorted(_RULE_KEYS))}.")
    changes = _words(data.get("changes"), f"{where} changes") or frozenset(KINDS)
    bad = changes - set(KINDS)
    if bad:
        raise ConfigError(f"{where} changes: unknown kind(s) {', '.join(sorted(bad))}; use {', '.join(KINDS)}.")
    area = data.get("area") or {}
    if not isinstance(area, Mapping) or set(area) - _AREA_KEYS:
        raise ConfigError(f"{where} area must be a mapping with admin1, country and/or bbox.")
    bbox = area.get("bbox")
    if bbox is not None:
        if (not isinstance(bbox, (list, tuple)) or len(bbox) != 4
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in bbox)
                or bbox[0] > bbox[2] or bbox[1] > bbox[3]):
            raise ConfigError(f"{where} area bbox must be [min lon, min lat, max lon, max lat], not {bbox!r}.")
        bbox = tuple(float(x) for x in bbox)
    agreement = data.get("agreement")
    if agreement is not None and (not isinstance(agreement, str) or not agreement.strip()):
        raise ConfigError(f"{where} agreement must be an agreement id or \"any\".")
    return Rule(
        name=data["name"].strip(), changes=changes, agreement=agreement.strip() if agreement else None,
        parties=_words(data.get("party"), f"{where} party"),
        admin1=_words(area.get("admin1"), f"{where} area admin1"), countries=_words(area.get("country"), f"{where} area country"),
        bbox=bbox, event_types=_words(data.get("event_type"), f"{where} event_type"),
        min_casualties=_number(data.get("min_casualties"), f"{where} min_casualties"),
        min_killed=_number(data.get("min_killed"), f"{where} min_killed"),
        dispute_kinds=_words(data.get("dispute_kind"), f"{where} dispute_kind"),
    )


def parse_alert_config(data: Any, source: str = "alerts") -> AlertConfig:
    """Validate an alerts mapping (see the module docstring); raises ConfigError naming the key."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping) or set(data) - {"rules", "webhooks"}:
        raise ConfigError(f"The alerts file {source} must be a mapping with rules and/or webhooks; see docs/monitoring.md.")
    rules_data = data.get("rules") or []
    if not isinstance(rules_data, list):
        raise ConfigError(f"The alerts file {source}: rules must be a list.")
    rules = tuple(_rule(r, f"{source} rule {i}") for i, r in enumerate(rules_data, 1))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ConfigError(f"The alerts file {source} names a rule twice; give each rule its own name.")
    hooks = data.get("webhooks") or []
    hooks = [hooks] if isinstance(hooks, str) else hooks
    if not isinstance(hooks, list) or not all(isinstance(h, str) and h.startswith(("http://", "https://")) for h in hooks):
        raise ConfigError(f"The alerts file {source}: webhooks must be http(s) URLs.")
    return AlertConfig(rules=rules, webhooks=tuple(hooks), source=source, every_change=not rules)


def load_alert_config(path: str | Path | None) -> AlertConfig:
    """The alert rules in the YAML file at ``path``; none (every change alerts) when ``path`` is empty."""
    if not path:
        return AlertConfig()
    data = read_yaml_file(path, what="alerts file", setting="alerts_file", doc="docs/monitoring.md")
    return parse_alert_config(data, str(Path(path).expanduser()))


def _total(inc: Mapping[str, Any], categories: Sequence[str]) -> float:
    return sum(float(t.get("best") or 0) for t in inc.get("totals") or () if t.get("category") in categories)


def facts_for(change: Mapping[str, Any], incident: Mapping[str, Any] | None, violations: Iterable[Mapping[str, Any]],
              dispute: Mapping[str, Any] | None, actor_names: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What rules look at for one change: its incident (if any), the violations of that incident,
    the dispute (for dispute changes). ``actor_names``: canonical actor id -> its names and country code."""
    inc = incident or {}
    vs = list(violations)
    parties: set[str] = set()
    for aid in inc.get("actor_ids") or ():
        parties.update(n.casefold() for n in actor_names.get(aid, ()) if n)
    for v in vs:
        parties.update(x.casefold() for x in (*v.get("accused", ()), *v.get("accusers", ())) if x)
    places = inc.get("places") or ()
    return {
        "kind": change["kind"],
        "agreements": sorted({v.get("agreement_id") for v in vs if v.get("agreement_id")}),
        "parties": sorted(parties),
        "admin1": sorted({p["admin1"].casefold() for p in places if p.get("admin1")}),
        "countries": sorted({x.casefold() for p in places for x in (p.get("country"), p.get("country_code")) if x}),
        "points": [(p["lon"], p["lat"]) for p in places if p.get("lat") is not None and p.get("lon") is not None],
        "event_type": (inc.get("type") or "").casefold(),
        "casualties": _total(inc, ("killed", "injured")),
        "killed": _total(inc, ("killed",)),
        "dispute_kind": ((dispute or {}).get("kind") or "").casefold(),
    }


def _matches(rule: Rule, f: Mapping[str, Any]) -> bool:
    checks = (
        f["kind"] in rule.changes,
        rule.agreement is None or (f["agreements"] and (rule.agreement.casefold() == "any" or rule.agreement in f["agreements"])),
        not rule.parties or bool(rule.parties & set(f["parties"])),
        not (rule.admin1 or rule.countries or rule.bbox) or _in_area(rule, f),
        not rule.event_types or f["event_type"] in rule.event_types,
        rule.min_casualties is None or f["casualties"] >= rule.min_casualties,
        rule.min_killed is None or f["killed"] >= rule.min_killed,
        not rule.dispute_kinds or f["dispute_kind"] in rule.dispute_kinds,
    )
    return all(checks)


def _in_area(rule: Rule, f: Mapping[str, Any]) -> bool:
    if rule.admin1 & set(f["admin1"]) or rule.countries & set(f["countries"]):
        return True
    if rule.bbox:
        x0, y0, x1, y1 = rule.bbox
        return any(x0 <= lon <= x1 and y0 <= lat <= y1 for lon, lat in f["points"])
    return False


def matching_rules(config: AlertConfig, facts: Mapping[str, Any]) -> list[str]:
    """Names of the rules ``facts`` match (``["*"]`` when the config has no rules: every change alerts)."""
    if config.every_change:
        return ["*"]
    return [r.name for r in config.rules if _matches(r, facts)]
