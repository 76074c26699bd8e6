"""The ledger per party, penalty rules and threshold crossings; the declared-agreements file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from agree_fixtures import build
from trucewatch import agree
from trucewatch.errors import ConfigError, ReviewError
from trucewatch.records import Violation

ROOT = Path(__file__).resolve().parents[1]


def _v(i: int, date: str, accused=("Peru",), accusers=("Ecuador",), corroboration="single source", status="unreviewed",
       casualties=None) -> Violation:
    return Violation(f"vio-{i}", "agr-1", f"in-{i}", date, tuple(accused), tuple(accusers), corroboration=corroboration,
                     review_status=status, casualties=casualties, incident_type="shelling")


def test_ledger_counts_by_accused_accuser_corroboration_review_and_period():
    vs = [
        _v(1, "2025-05-19", corroboration="corroborated", casualties=3),
        _v(2, "2025-05-24", accused=("Ecuador",), accusers=("Peru",), corroboration="contested"),
        _v(3, "2025-06-02", status="confirmed", casualties=2),
        _v(4, "2025-06-03", status="rejected", casualties=10),
    ]
    doc = agree.ledger(vs)
    pe, ec = doc["parties"]["Peru"], doc["parties"]["Ecuador"]
    assert (pe["accused"], pe["accuser"], ec["accused"], ec["accuser"]) == (3, 1, 1, 3)
    assert (pe["corroborated"], pe["single_source"], pe["contested"]) == (1, 2, 0)
    assert (pe["confirmed"], pe["rejected"], pe["unreviewed"]) == (1, 1, 1)
    assert pe["casualties"] == 5  # a rejected violation's casualties are not attributed
    assert ec["contested"] == 1
    assert pe["by_period"]["2025-05"]["accused"] == 1 and pe["by_period"]["2025-06"]["accused"] == 2
    # Default weights: confirmed 1, corroborated 0.5, single source 0.25, contested 0, rejected 0.
    assert pe["points"] == pytest.approx(1.5)
    assert ec["points"] == 0
    assert [v["id"] for v in doc["violations"]] == ["vio-1", "vio-2", "vio-3", "vio-4"]


def test_weekly_buckets():
    doc = agree.ledger([_v(1, "2025-05-19"), _v(2, "2025-05-25")], rules=agree.Rules(period="week"))
    assert sorted(doc["parties"]["Peru"]["by_period"]) == ["2025-W21"]


def test_threshold_crossing_date_and_the_violations_that_crossed_it():
    rules = agree.parse_rules({"weights": {"confirmed": 1, "corroborated": 0.5}, "threshold": {"points": 2, "window_days": 30}})
    vs = [
        _v(1, "2025-05-01", status="confirmed"),
        _v(2, "2025-05-10", corroboration="corroborated"),
        _v(3, "2025-05-20", corroboration="contested"),  # 0 points
        _v(4, "2025-05-25", corroboration="corroborated"),  # 1 + 0.5 + 0.5 = 2 within 30 days
        _v(5, "2025-05-28", status="confirmed"),  # still above: no second crossing
        _v(6, "2025-09-01", status="confirmed"),
        _v(7, "2025-09-05", status="confirmed"),  # a new episode after falling below
    ]
    doc = agree.ledger(vs, rules=rules)
    crossings = doc["crossings"]
    assert [(c["party"], c["date"]) for c in crossings] == [("Peru", "2025-05-25"), ("Peru", "2025-09-05")]
    assert crossings[0]["violation_ids"] == ["vio-1", "vio-2", "vio-4"]
    assert crossings[0]["points"] == 2
    assert crossings[1]["violation_ids"] == ["vio-6", "vio-7"]


def test_outside_the_window_no_crossing():
    rules = agree.parse_rules({"threshold": {"points": 2, "window_days": 7}})
    vs = [_v(1, "2025-05-01", status="confirmed"), _v(2, "2025-05-10", status="confirmed")]
    assert agree.ledger(vs, rules=rules)["crossings"] == []


def test_derived_story_ledger(tmp_path):
    arts, ans, fusion = build()
    ags, vs = agree.derive(arts, ans, fusion)
    doc = agree.ledger(vs, ags)
    assert doc["parties"]["Peru"]["accused"] == 1 and doc["parties"]["Peru"]["contested"] == 1
    assert doc["parties"]["Ecuador"]["accused"] == 1 and doc["parties"]["Ecuador"]["corroborated"] == 1
    assert doc["parties"]["Ecuador"]["accuser"] == 1


def test_the_example_rules_file_loads(tmp_path):
    rules = agree.load_rules(ROOT / "examples" / "rules.yaml")
    assert rules.weights["confirmed"] == 1 and rules.thresholds and rules.period in ("week", "month")


@pytest.mark.parametrize(
    "text,message",
    [
        ("weights: {confirmed: lots}", "weights.confirmed must be a number"),
        ("weights: {verified: 1}", "unknown weight 'verified'"),
        ("threshold: {points: 3, window_days: 0}", "window_days must be a whole number"),
        ("threshold: {points: 0}", "points must be above 0"),
        ("period: year", "`period` must be week or month"),
        ("penalty: 3", "unknown key(s) penalty"),
        ("weights: [1, 2]", "`weights` must be a mapping"),
        ("weights: {confirmed: 1", "not valid YAML"),
    ],
    ids=["not-a-number", "unknown-weight", "zero-window", "zero-points", "bad-period", "unknown-key", "list", "yaml"],
)
def test_bad_rules_files_name_the_file_and_the_problem(tmp_path, text, message):
    p = tmp_path / "rules.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        agree.load_rules(p)
    assert message in str(e.value) and str(p) in str(e.value)


def test_missing_rules_file():
    with pytest.raises(ConfigError, match="does not exist"):
        agree.load_rules("/nonexistent/rules.yaml")


# ---------------------------------------------------------------------------- declared agreements


def test_declared_agreement_corrects_the_matching_extracted_one(tmp_path):
    arts, ans, fusion = build()
    p = tmp_path / "agreements.yaml"
    p.write_text(
        "agreements:\n"
        "  - parties: [Ecuador, Peru]\n"
        "    date_agreed: 2025-05-11\n"  # within 3 days: same agreement
        "    venue: Brasília\n"
        "    status: [{status: collapsed, date: 2025-05-22}]\n"
        "    reason: the monitors' log\n"
    )
    ags, vs = agree.derive(arts, ans, fusion, declared=agree.load_declared(p))
    assert len(ags) == 1
    ag = ags[0]
    assert ag.declared and ag.venue == "Brasília" and ag.date_agreed == "2025-05-11"
    assert ag.terms  # extracted fields are kept
    assert ag.date_ended == "2025-05-22"
    assert [v.incident_id for v in vs] == ["in-shell"]  # the 05-24 raid came after the declared collapse


def test_declared_new_agreement_and_a_drop(tmp_path):
    arts, ans, fusion = build()
    extracted = agree.derive(arts, ans, fusion)[0][0]
    p = tmp_path / "agreements.yaml"
    p.write_text(
        "agreements:\n"
        f"  - id: {extracted.id}\n    drop: true\n    reason: not signed\n"
        "  - id: local-truce\n    kind: truce\n    parties: [EC, PE]\n    date_agreed: 2025-04-01\n"
        "    terms: [no shelling of villages]\n"
    )
    ags, vs = agree.derive(arts, ans, fusion, declared=agree.load_declared(p))
    assert [a.id for a in ags] == ["local-truce"]
    assert ags[0].parties == ("Ecuador", "Peru") and ags[0].declared and ags[0].terms == ("no shelling of villages",)
    # The clash on 04-28 now violates the declared truce, and so do the later ones.
    assert [v.incident_id for v in vs] == ["in-clash", "in-shell", "in-raid"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("agreements: {parties: x}", "must be a list"),
        ("agreements:\n  - parties: [Ecuador]\n    signed: yes\n", "unknown field(s) signed"),
        ("agreements:\n  - parties: [Ecuador]\n    date_agreed: soon\n", "must be a date"),
        ("agreements:\n  - parties: [Ecuador]\n    status: [{status: wobbly}]\n", "unknown status 'wobbly'"),
        ("agreements:\n  - parties: [Ecuador]\n    territory: [Atlantis]\n", "not a country name"),
        ("other: 1\n", "one key, `agreements:`"),
        ("agreements:\n  - id: agr-nope\n    venue: X\n", "no agreement 'agr-nope' to correct"),
    ],
    ids=["not-list", "unknown-field", "bad-date", "bad-status", "bad-territory", "bad-top", "unknown-id"],
)
def test_bad_agreements_files_name_the_item_and_the_problem(tmp_path, text, message):
    p = tmp_path / "agreements.yaml"
    p.write_text(text)
    with pytest.raises(ConfigError) as e:
        arts, ans, fusion = build()
        agree.derive(arts, ans, fusion, declared=agree.load_declared(p))
    assert message in str(e.value) and str(p) in str(e.value)


def test_the_example_agreements_file_loads():
    decs = agree.load_declared(ROOT / "examples" / "agreements.yaml")
    assert decs and all(d.source for d in decs)


# ---------------------------------------------------------------------------- reviews (pure)


def _r(action, target="vio-1", at="2025-06-01T00:00:00+00:00", **kw):
    return agree.make_review("violation", target, action, reason=kw.pop("reason", "seen the report"), reviewer="ana", at=at, **kw)


def test_latest_verdict_wins_and_every_decision_is_kept_in_order():
    v = _v(1, "2025-05-19")
    reviews = [_r("annotate", at="2025-06-01T00:00:00+00:00"), _r("confirm", at="2025-06-02T00:00:00+00:00"),
               _r("reject", at="2025-06-03T00:00:00+00:00", reason="radar data")]
    (out,) = agree.reviewed_violations([v], reviews)
    assert out.review_status == "rejected"
    assert [d.action for d in out.decisions] == ["annotate", "confirm", "reject"]
    assert out.decisions[-1].reason == "radar data" and out.decisions[-1].reviewer == "ana"
    (back,) = agree.reviewed_violations([v], [*reviews, _r("reopen", at="2025-06-04T00:00:00+00:00")])
    assert back.review_status == "unreviewed"


def test_reviews_survive_rederivation_because_ids_are_deterministic():
    arts, ans, fusion = build()
    _, vs = agree.derive(arts, ans, fusion)
    r = _r("confirm", target=vs[0].id)
    _, again = agree.derive(list(reversed(arts)), ans, fusion, reviews=[r])
    assert [v.id for v in again] == [v.id for v in vs]
    assert again[0].review_status == "confirmed" and again[0].decisions == (r,)
    assert again[1].review_status == "unreviewed"


@pytest.mark.parametrize(
    "kind,action,value,reason,message",
    [
        ("violation", "confirm", None, "", "needs a reason"),
        ("violation", "merge", "x", "r", "can be reviewed with confirm"),
        ("dispute", "confirm", None, "r", "Cannot review a 'dispute'"),
        ("incident", "merge", None, "r", "needs a value"),
        ("violation", "confirm", "yes", "r", "takes no value"),
        ("claim", "set-figure", "many", "r", "must be a number"),
        ("claim", "set-figure", "-3", "r", "at least 0"),
        ("agreement", "declare", "{\"parties\": 3}", "r", "not a valid declaration"),
    ],
    ids=["no-reason", "wrong-action", "wrong-kind", "no-value", "extra-value", "bad-figure", "negative", "bad-declare"],
)
def test_bad_review_decisions_are_refused(kind, action, value, reason, message):
    with pytest.raises(ReviewError, match=message):
        agree.make_review(kind, "x1", action, value=value, reason=reason, reviewer="ana")


def test_review_ids_and_reviewer_defaults():
    a = agree.make_review("violation", "v", "confirm", reason="r", reviewer="ana", at="2025-01-01T00:00:00+00:00")
    b = agree.make_review("violation", "v", "confirm", reason="r", reviewer="ana", at="2025-01-01T00:00:00+00:00")
    assert a == b and a.id.startswith("rev-")
    assert agree.make_review("violation", "v", "confirm", reason="r").reviewer == agree.reviewer_name("")
    assert agree.make_review("incident", "i", "split", value="art1:ev1, ev2", reason="r").value == "ev1 ev2"


def test_agreement_review_log_declarations_apply():
    arts, ans, fusion = build()
    ag = agree.derive(arts, ans, fusion)[0][0]
    fix = agree.make_review("agreement", ag.id, "correct", value='{"venue": "Quito"}', reason="typo", reviewer="ana")
    ags, _ = agree.derive(arts, ans, fusion, reviews=[fix])
    assert ags[0].venue == "Quito" and ags[0].id == ag.id
    drop = agree.make_review("agreement", ag.id, "reject", reason="never signed", reviewer="ana")
    ags, vs = agree.derive(arts, ans, fusion, reviews=[fix, drop])
    assert ags == [] and vs == []
    assert dataclasses.asdict(fix)["action"] == "correct"


# ---------------------------------------------------------------------------- properties

from datetime import date as _date, timedelta as _td  # noqa: E402

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_status = st.sampled_from(["unreviewed", "confirmed", "rejected"])
_corr = st.sampled_from(["corroborated", "single source", "contested"])
_party = st.sampled_from(["Peru", "Ecuador"])


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), _status, _corr, _party), max_size=25),
       st.floats(0.25, 4), st.integers(1, 40), st.randoms(use_true_random=False))
def test_ledger_properties(rows, points, window, rnd):
    vs = [_v(i, (_date(2025, 1, 1) + _td(days=d)).isoformat(), accused=(p,), accusers=("Chile",), corroboration=c, status=s)
          for i, (d, s, c, p) in enumerate(rows)]
    rules = agree.parse_rules({"threshold": {"points": points, "window_days": window}})
    doc = agree.ledger(vs, rules=rules)
    shuffled = vs[:]
    rnd.shuffle(shuffled)
    assert agree.ledger(shuffled, rules=rules) == doc  # order does not matter
    assert sum(r["accused"] for r in doc["parties"].values()) == len(vs)
    for r in doc["parties"].values():
        assert r["corroborated"] + r["single_source"] + r["contested"] == r["accused"]
        assert r["confirmed"] + r["rejected"] + r["unreviewed"] == r["accused"]
        assert sum(b["accused"] for b in r["by_period"].values()) == r["accused"]
    by_id = {v.id: v for v in vs}
    for x in doc["crossings"]:
        assert x["points"] >= points
        end = _date.fromisoformat(x["date"])
        for vid in x["violation_ids"]:
            d = _date.fromisoformat(by_id[vid].date)
            assert end - _td(days=window - 1) <= d <= end and x["party"] in by_id[vid].accused


def test_logged_decisions_about_a_vanished_agreement_are_ignored_not_fatal():
    arts, ans, fusion = build()
    stale = [
        agree.make_review("agreement", "agr-gone", "correct", value='{"venue": "X"}', reason="r", reviewer="a"),
        agree.make_review("agreement", "agr-gone", "correct", value='{"parties": ["Chile", "Peru"]}', reason="r", reviewer="a"),
        agree.make_review("agreement", "agr-gone", "reject", reason="r", reviewer="a"),
    ]
    ags, _ = agree.derive(arts, ans, fusion, reviews=stale)
    assert [a.parties for a in ags] == [("Ecuador", "Peru")]
