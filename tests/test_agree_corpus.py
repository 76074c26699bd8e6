"""End to end: the bundled sample corpus (ground truth in examples/README.md §8–9) and the shared real corpus."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import EXAMPLES
from trucewatch import agree, pipeline
from trucewatch.records import Agreement, Violation, from_dict
from trucewatch.settings import Settings
from trucewatch.store import open_store


def _build(tmp_path_factory, name: str, corpus):
    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp(name) / "t.db"))
    store = open_store(settings)
    pipeline.ingest([str(corpus)], settings, store)
    pipeline.analyze(settings, store)
    pipeline.fuse(settings, store)
    return settings, store


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings, store = _build(tmp_path_factory, "sample", EXAMPLES)
    yield settings, store
    store.close()


def _print(store, title: str) -> None:
    print(f"\n===== {title}: agreements")
    for a in store.fused("agreement"):
        print(f"{a['id']} {a['kind']}: {' – '.join(a['parties'])}; agreed {a['date_agreed']} in {a['venue']}; "
              f"mediators {a['mediators']}")
        for t in a["terms"]:
            print("   term:", t)
        for p, c in a["conditions"]:
            print(f"   condition ({p}): {c}")
        for s in a["status_history"]:
            print(f"   {s['date']} {s['status']:<16} {s['outlet']}")
        for d in a["disputes"]:
            print("   DISPUTE:", d["summary"])
    doc = agree.ledger([from_dict(Violation, v) for v in store.fused("violation")],
                       [from_dict(Agreement, a) for a in store.fused("agreement")])
    print(f"===== {title}: ledger")
    print(json.dumps({p: {k: v for k, v in r.items() if k != "by_period"} for p, r in doc["parties"].items()}, indent=1))
    for v in doc["violations"]:
        print(f"   {v['id']} {v['date']} {v['type']} at {v['places'][:3]}: accused {v['accused']} by {v['accusers']}, "
              f"{v['corroboration']}, denied by {v['denied_by']}")


def _invariants(store) -> None:
    agreements = {a["id"]: a for a in store.fused("agreement")}
    texts = {a.id: a.text for a in store.articles()}
    for a in agreements.values():
        assert len(a["parties"]) >= 2 and not set(a["parties"]) & set(a["mediators"])
        assert len(a["term_spans"]) == len(a["terms"]) and len(a["condition_spans"]) == len(a["conditions"])
        for sp in (*a["term_spans"], *a["condition_spans"]):
            assert 0 <= sp["start"] < sp["end"] <= len(texts[sp["article_id"]])
        for s in a["status_history"]:
            assert s["status"] in ("agreed", "in force", "strained", "talks suspended", "collapsed")
            if s["status"] != "agreed" and a["date_agreed"] and s["date"]:
                assert s["date"] >= a["date_agreed"]
        assert {p for p, _ in a["conditions"]} <= set(a["parties"])
    for v in store.fused("violation"):
        ag = agreements[v["agreement_id"]]
        assert v["date"] > ag["date_agreed"]
        assert not ag["date_ended"] or v["date"] <= ag["date_ended"]
        assert set(v["accused"]) <= set(ag["parties"]) and set(v["accusers"]) <= set(ag["parties"])
        assert not set(v["accused"]) & set(v["accusers"])
        assert set(v["denied_by"]) <= set(v["accused"])
        assert v["review_status"] == "unreviewed" or v["decisions"]


def test_sample_corpus_agreement_matches_the_ground_truth(sample):
    settings, store = sample
    _print(store, "sample corpus")
    _invariants(store)
    (ag,) = [a for a in store.fused("agreement") if a["date_agreed"] == "2026-03-23"]
    assert ag["kind"] == "ceasefire"
    assert sorted(ag["parties"]) == ["Cambodia", "Thailand"]
    assert "Malaysia" in ag["mediators"]
    assert ag["venue"] == "Kuala Lumpur"
    assert {"maintain the ceasefire", "joint monitoring and verification mechanism",
            "penalties for the side that violates it", "no use of territory for attacks on the other side"} <= set(ag["terms"])
    parties_with_conditions = {p for p, _ in ag["conditions"]}
    assert parties_with_conditions == {"Thailand", "Cambodia"}
    assert any(c.startswith("refused to sign") for p, c in ag["conditions"] if p == "Cambodia")
    # §6: one outlet says it collapsed, another that it holds: a status dispute, so it has not ended.
    statuses = {(s["outlet"], s["status"]) for s in ag["status_history"]}
    assert ("Andaman Daily", "collapsed") in statuses and ("The Straits Monitor", "in force") in statuses
    assert ag["disputes"] and ag["date_ended"] is None
    # The first round of talks (§8, "not a signed agreement") is not an agreement.
    assert all(a["date_agreed"] != "2026-03-13" for a in store.fused("agreement"))


def test_sample_corpus_violations_and_ledger(sample):
    settings, store = sample
    vs = store.fused("violation")
    assert vs and all(date.fromisoformat(v["date"]) > date(2026, 3, 23) for v in vs)
    # §9 VIO-0326: Thailand accuses Cambodia of the mortar fire; Cambodia denies it.
    assert any(v["accused"] == ["Cambodia"] and "Thailand" in v["accusers"] and v["denied_by"] == ["Cambodia"]
               and v["corroboration"] == "contested" for v in vs)
    doc = agree.ledger([from_dict(Violation, v) for v in vs])
    assert doc["parties"]["Cambodia"]["accused"] >= 1 and doc["parties"]["Thailand"]["accuser"] >= 1


def test_review_decisions_survive_analyze_force_and_fuse(sample):
    settings, store = sample
    vid = store.fused("violation")[0]["id"]
    agree.apply_review(store, agree.make_review("violation", vid, "confirm", reason="JCVM report", reviewer="qa"))
    pipeline.analyze(settings, store, force=True)
    pipeline.fuse(settings, store)
    v = store.fused_one("violation", vid)
    assert v["review_status"] == "confirmed"
    assert [(d["action"], d["reviewer"], d["reason"]) for d in v["decisions"]] == [("confirm", "qa", "JCVM report")]


def test_incident_merge_decision_is_applied_by_fusion_and_survives_refusion(sample):
    settings, store = sample
    violent = [i for i in store.fused("incident") if i["type"] in ("shelling", "explosion", "armed_clash") and i["date_start"]]
    a, b = sorted(violent, key=lambda i: (i["date_start"], i["id"]))[:2]
    agree.apply_review(store, agree.make_review("incident", a["id"], "merge", value=b["id"], reason="same event", reviewer="qa"))
    for _ in range(2):  # the decision is re-applied by every fusion
        pipeline.fuse(settings, store)
        ids = {i["id"] for i in store.fused("incident")}
        assert b["id"] not in ids
        merged = store.fused_one("incident", a["id"])
        events = {m["event_id"] for m in merged["mentions"]}
        assert {m["event_id"] for m in a["mentions"]} | {m["event_id"] for m in b["mentions"]} <= events


def test_shared_corpus_agreements_and_ledger(shared_corpus, tmp_path_factory):
    settings, store = _build(tmp_path_factory, "shared", shared_corpus)
    try:
        _print(store, "shared corpus")
        _invariants(store)
    finally:
        store.close()
