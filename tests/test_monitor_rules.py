"""The pure parts of watch: durations, change detection between snapshots, alert rules, host pacing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trucewatch.errors import ConfigError
from trucewatch.monitor import HostPacer, diff, matching_rules, parse_alert_config, parse_duration
from trucewatch.monitor.rules import facts_for


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("1h30m", 5400), ("2d", 172800), ("45", 45)],
                         ids=["seconds", "minutes", "hours-minutes", "days", "bare"])
def test_durations_are_read(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15 minutes", "0s", "-5", "1h and 2m"], ids=["empty", "word", "long-unit", "zero", "negative", "words-between"])
def test_a_bad_duration_is_a_clear_error(text):
    with pytest.raises(ConfigError, match="duration"):
        parse_duration(text)


@given(st.lists(st.tuples(st.integers(1, 500), st.sampled_from("smhd")), min_size=1, max_size=4))
def test_any_sum_of_units_parses_to_its_seconds(parts):
    text = "".join(f"{n}{u}" for n, u in parts)
    assert parse_duration(text) == sum(n * {"s": 1, "m": 60, "h": 3600, "d": 86400}[u] for n, u in parts)


def _incident(iid: str, events: list[str], grade: str = "single source", casualties=(), **kw) -> dict:
    return {"id": iid, "type": kw.get("type", "shelling"), "date_start": "2026-03-26", "corroboration": grade,
            "mentions": [{"event_id": e, "article_id": "a" + e} for e in events], "casualties": list(casualties),
            "places": kw.get("places", []), "actor_ids": kw.get("actor_ids", []), "totals": kw.get("totals", [])}


def test_an_incident_that_changes_id_but_keeps_a_mention_is_not_new():
    changes, snap = diff({}, [_incident("in_b", ["ev2", "ev3"])], [], [], round_no=1)
    assert [c["kind"] for c in changes] == ["new_incident"]
    # A new report's mention sorts first, so the incident's id changes: the same lineage, no new alert.
    changes, snap2 = diff(snap, [_incident("in_a", ["ev1", "ev2", "ev3"])], [], [], round_no=2)
    assert changes == []
    assert snap2[("incident", "in_b")][0] == "in_a"


def test_grade_figure_and_claimant_changes_are_found_once_each():
    est = {"category": "killed", "side": None, "counted": "soldiers", "best": 2, "claimants": ["Army"]}
    _, snap = diff({}, [_incident("in_a", ["ev1"], casualties=[est])], [], [], round_no=1)
    later = {**est, "best": 3, "claimants": ["Army", "Red Cross"]}
    changes, snap = diff(snap, [_incident("in_a", ["ev1", "ev9"], "corroborated", [later])], [], [], round_no=2)
    kinds = sorted(c["kind"] for c in changes)
    assert kinds == ["grade_changed", "new_casualty_figure", "new_claimant"]
    fig = next(c for c in changes if c["kind"] == "new_casualty_figure")
    assert (fig["old_value"], fig["new_value"]) == (2, 3)
    again, _ = diff(snap, [_incident("in_a", ["ev1", "ev9"], "corroborated", [later])], [], [], round_no=3)
    assert again == []


def test_a_violation_of_a_renamed_incident_is_not_new():
    _, snap = diff({}, [_incident("in_b", ["ev2"])], [{"id": "vio-1", "agreement_id": "agr-1", "incident_id": "in_b"}], [], round_no=1)
    changes, _ = diff(snap, [_incident("in_a", ["ev1", "ev2"])], [{"id": "vio-2", "agreement_id": "agr-1", "incident_id": "in_a"}], [], round_no=2)
    assert changes == []


RULES = {"rules": [
    {"name": "surin", "area": {"admin1": ["Surin"]}},
    {"name": "box", "area": {"bbox": [100.0, 10.0, 101.0, 11.0]}, "changes": ["new_incident"]},
    {"name": "deadly", "min_killed": 3, "party": ["Thailand"]},
    {"name": "figures", "changes": ["new_dispute"], "dispute_kind": ["figure"]},
    {"name": "under-agreement", "agreement": "any", "event_type": ["shelling"]},
]}


def _facts(kind="new_incident", places=(), totals=(), accused=(), dispute=None, agreement=None):
    inc = _incident("in_a", ["ev1"], places=list(places), totals=list(totals), actor_ids=["ac1"])
    vs = [{"agreement_id": agreement, "accused": list(accused), "accusers": []}] if agreement else []
    return facts_for({"kind": kind}, inc, vs, dispute, {"ac1": ["Royal Thai Army", "TH"]})


def test_rules_match_on_area_party_casualties_dispute_kind_and_agreement():
    cfg = parse_alert_config(RULES)
    surin = {"name": "Kap Choeng", "admin1": "Surin", "country": "Thailand", "lat": 14.6, "lon": 103.4}
    assert matching_rules(cfg, _facts(places=[surin])) == ["surin"]
    inside = {"name": "X", "lat": 10.5, "lon": 100.5}
    assert matching_rules(cfg, _facts(places=[inside])) == ["box"]
    assert matching_rules(cfg, _facts("grade_changed", places=[inside])) == []  # the box rule is for new incidents
    killed = [{"category": "killed", "best": 4}]
    assert matching_rules(cfg, _facts(totals=killed, agreement="agr-1", accused=["Thailand"])) == ["deadly", "under-agreement"]
    assert matching_rules(cfg, _facts(totals=[{"category": "killed", "best": 2}], accused=["Thailand"], agreement="agr-1")) == ["under-agreement"]
    assert matching_rules(cfg, _facts("new_dispute", dispute={"kind": "figure"})) == ["figures"]
    assert matching_rules(cfg, _facts("new_dispute", dispute={"kind": "date"})) == []


def test_without_rules_every_change_is_an_alert():
    assert matching_rules(parse_alert_config(None), _facts()) == ["*"]


@pytest.mark.parametrize(("data", "message"), [
    ({"rules": [{"changes": ["new_incident"]}]}, "with a name"),
    ({"rules": [{"name": "x", "colour": "red"}]}, "unknown key"),
    ({"rules": [{"name": "x", "changes": ["new_war"]}]}, "unknown kind"),
    ({"rules": [{"name": "x", "area": {"bbox": [5, 5, 1, 1]}}]}, "bbox"),
    ({"rules": [{"name": "x", "min_killed": "many"}]}, "number"),
    ({"rules": [{"name": "x"}, {"name": "x"}]}, "twice"),
    ({"webhooks": ["ftp://x"]}, "http"),
    (["a list"], "mapping"),
], ids=["no-name", "unknown-key", "unknown-change", "bad-bbox", "bad-number", "same-name", "bad-webhook", "not-mapping"])
def test_a_bad_alerts_file_names_the_problem(data, message):
    with pytest.raises(ConfigError, match=message):
        parse_alert_config(data, "alerts.yaml")


def test_the_host_pacer_spaces_requests_to_one_host_only():
    import httpx

    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    pacer = HostPacer(1.0, sleep=sleep, clock=lambda: now[0])
    for url in ("http://a.example/1", "http://a.example/2", "http://b.example/1", "http://a.example/3"):
        pacer(httpx.Request("GET", url))
        now[0] += 0.25
    assert slept == [0.75, 0.5]  # a/2 waits for a/1; b/1 does not wait; a/3 waits for a/2
