"""Review decisions in a real SQLite store: the append-only audit log, re-derivation, and the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from agree_fixtures import stored
from trucewatch import agree, pipeline
from trucewatch.cli import cli
from trucewatch.errors import ReviewError, StoreError


@pytest.fixture
def story_store(settings, store):
    stored(store)
    pipeline.agree(settings, store)
    return store


def _vid(store, incident_id: str) -> str:
    return next(v["id"] for v in store.fused("violation") if v["incident_id"] == incident_id)


def test_pipeline_agree_stores_agreements_and_violations(story_store):
    ags = story_store.fused("agreement")
    vs = story_store.fused("violation")
    assert [a["parties"] for a in ags] == [["Ecuador", "Peru"]]
    assert [v["incident_id"] for v in vs] == ["in-shell", "in-raid"]
    assert {"id", "kind", "parties", "mediators", "venue", "date_agreed", "terms", "status_history", "article_ids"} <= set(ags[0])
    assert {"id", "agreement_id", "incident_id", "accused", "accusers", "corroboration", "review_status", "article_ids",
            "decisions"} <= set(vs[0])


def test_apply_review_updates_the_stored_violation_at_once(story_store):
    vid = _vid(story_store, "in-shell")
    r = agree.make_review("violation", vid, "confirm", reason="JCVM site visit", reviewer="monitor-1")
    agree.apply_review(story_store, r)
    v = story_store.fused_one("violation", vid)
    assert v["review_status"] == "confirmed"
    assert [(d["action"], d["reviewer"], d["reason"]) for d in v["decisions"]] == [("confirm", "monitor-1", "JCVM site visit")]
    assert story_store.reviews(vid) == [r]


def test_decisions_survive_reanalysis_and_rederivation(settings, story_store):
    vid = _vid(story_store, "in-raid")
    agree.apply_review(story_store, agree.make_review("violation", vid, "reject", reason="no crater found", reviewer="m"))
    # analyze --force rewrites every analysis; fuse rewrites fused records; agree runs again.
    story_store.save_analyses(list(story_store.iter_analyses()))
    story_store.replace_fused("violation", [])
    pipeline.agree(settings, story_store)
    v = story_store.fused_one("violation", vid)
    assert v["review_status"] == "rejected" and v["decisions"][0]["reason"] == "no crater found"


def test_apply_review_refuses_unknown_targets(story_store):
    with pytest.raises(ReviewError, match="No alleged violation"):
        agree.apply_review(story_store, agree.make_review("violation", "vio-nope", "confirm", reason="r"))
    with pytest.raises(ReviewError, match="No incident"):
        agree.apply_review(story_store, agree.make_review("incident", "in-nope", "merge", value="in-raid", reason="r"))
    with pytest.raises(ReviewError, match="No incident 'in-nope' to merge"):
        agree.apply_review(story_store, agree.make_review("incident", "in-raid", "merge", value="in-nope", reason="r"))
    with pytest.raises(ReviewError, match="merged with itself"):
        agree.apply_review(story_store, agree.make_review("incident", "in-raid", "merge", value="in-raid", reason="r"))
    with pytest.raises(ReviewError, match="has no mention"):
        agree.apply_review(story_store, agree.make_review("incident", "in-raid", "split", value="zzz", reason="r"))
    with pytest.raises(ReviewError, match="No quote"):
        agree.apply_review(story_store, agree.make_review("quote", "q-nope", "set-speaker", value="X", reason="r"))
    assert story_store.reviews() == []


def test_quote_claim_and_incident_decisions_are_accepted_for_known_targets(story_store):
    agree.apply_review(story_store, agree.make_review("quote", "q-vera", "set-speaker", value="Luis Mora", reason="video"))
    agree.apply_review(story_store, agree.make_review("incident", "in-raid", "split", value="a4", reason="two raids"))
    agree.apply_review(story_store, agree.make_review("incident", "in-raid", "merge", value="in-shell", reason="same"))
    assert [r.action for r in story_store.reviews()] == ["set-speaker", "split", "merge"]


def test_the_audit_log_refuses_update_and_delete_through_sql(settings, story_store):
    agree.apply_review(story_store, agree.make_review("violation", _vid(story_store, "in-shell"), "confirm", reason="r"))
    with pytest.raises(SQLAlchemyError, match="append-only"):
        with story_store.engine.begin() as conn:
            conn.execute(text("UPDATE review SET reason = 'changed', action = 'reject'"))
    with pytest.raises(SQLAlchemyError, match="append-only"):
        with story_store.engine.begin() as conn:
            conn.execute(text("DELETE FROM review"))
    # And through a plain sqlite3 connection, outside SQLAlchemy.
    raw = sqlite3.connect(settings.db)
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("UPDATE review SET reviewer = 'someone else'")
    raw.close()
    (r,) = story_store.reviews()
    assert r.reason == "r" and r.action == "confirm"


def test_the_same_decision_cannot_be_appended_twice(story_store):
    r = agree.make_review("violation", _vid(story_store, "in-shell"), "confirm", reason="r", at="2025-06-01T00:00:00+00:00")
    agree.apply_review(story_store, r)
    with pytest.raises(StoreError, match="append-only"):
        story_store.append_review(r)


# ---------------------------------------------------------------------------- CLI


def _run(settings, *args, input=None):
    return CliRunner().invoke(cli, ["--db", settings.db, *args], input=input, catch_exceptions=False)


def test_cli_review_confirm_then_list_and_log(settings, story_store):
    vid = _vid(story_store, "in-shell")
    r = _run(settings, "review", vid, "--confirm", "--reason", "site visit", "--reviewer", "monitor-2")
    assert r.exit_code == 0, r.output
    assert "Recorded rev-" in r.output
    r = _run(settings, "review", "--list", "--json")
    rows = {v["id"]: v for v in json.loads(r.output)}
    assert rows[vid]["review_status"] == "confirmed"
    r = _run(settings, "review", "--log", "--json")
    (entry,) = json.loads(r.output)
    assert (entry["target_id"], entry["action"], entry["reviewer"], entry["reason"]) == (vid, "confirm", "monitor-2", "site visit")
    assert entry["at"].endswith("+00:00")


def test_cli_review_errors_are_one_line_messages(settings, story_store):
    r = _run(settings, "review", "vio-nope", "--confirm", "--reason", "x")
    assert r.exit_code == 1 and r.output.startswith("Error: No alleged violation")
    r = _run(settings, "review", _vid(story_store, "in-shell"), "--confirm")
    assert r.exit_code == 1 and "needs a reason" in r.output
    r = _run(settings, "review", _vid(story_store, "in-shell"), "--confirm", "--reject", "--reason", "x")
    assert r.exit_code == 1 and "one decision at a time" in r.output


def test_cli_interactive_review(settings, story_store):
    r = _run(settings, "review", "--interactive", input="c\nconfirmed by monitors\nr\nno evidence\n")
    assert r.exit_code == 0, r.output
    statuses = [v["review_status"] for v in story_store.fused("violation")]
    assert statuses == ["confirmed", "rejected"]
    r = _run(settings, "review", "--interactive")
    assert "Nothing to review" in r.output


def test_cli_ledger_formats(settings, story_store, tmp_path):
    r = _run(settings, "ledger", "--format", "json")
    doc = json.loads(r.output)
    assert doc["parties"]["Peru"]["accused"] == 1 and doc["parties"]["Ecuador"]["accused"] == 1
    r = _run(settings, "ledger", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert {(row["party"], row["period"], row["accused"]) for row in rows} >= {("Peru", "all", "1"), ("Peru", "2025-05", "1")}
    r = _run(settings, "ledger")
    assert r.exit_code == 0 and "Alleged violations per party" in r.output and "Peru" in r.output
    out = tmp_path / "ledger.txt"
    r = _run(settings, "ledger", "-o", str(out))
    assert r.exit_code == 0 and "Peru" in out.read_text()


def test_cli_ledger_rules_and_threshold(settings, story_store, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("weights: {confirmed: 2}\nthreshold: {points: 2, window_days: 30}\n")
    _run(settings, "review", _vid(story_store, "in-raid"), "--confirm", "--reason", "r")
    doc = json.loads(_run(settings, "ledger", "--format", "json", "--rules", str(rules)).output)
    assert [(c["party"], c["date"]) for c in doc["crossings"]] == [("Ecuador", "2025-05-24")]
    rules.write_text("weights: {confirmed: two}\n")
    r = _run(settings, "ledger", "--rules", str(rules))
    assert r.exit_code == 1 and "must be a number" in r.output and "Traceback" not in r.output


def test_cli_agreements_list_add_correct_drop(settings, story_store):
    r = _run(settings, "agreements")
    assert r.exit_code == 0 and "Ecuador – Peru" in r.output and "Brasilia" in r.output
    (ag,) = json.loads(_run(settings, "agreements", "--json").output)
    r = _run(settings, "agreements", "correct", ag["id"], "--venue", "Quito", "--reason", "typo")
    assert r.exit_code == 0, r.output
    assert story_store.fused_one("agreement", ag["id"])["venue"] == "Quito"
    r = _run(settings, "agreements", "add", "--parties", "Ecuador,Peru", "--date", "2025-04-01", "--kind", "truce",
             "--reason", "local truce")
    assert r.exit_code == 0, r.output
    assert len(story_store.fused("agreement")) == 2
    assert any(v["incident_id"] == "in-clash" for v in story_store.fused("violation"))
    r = _run(settings, "agreements", "drop", ag["id"], "--reason", "not signed")
    assert r.exit_code == 0, r.output
    assert [a["kind"] for a in story_store.fused("agreement")] == ["truce"]
    assert [x.action for x in story_store.reviews()] == ["correct", "declare", "reject"]
    r = _run(settings, "agreements", "correct", "agr-nope", "--venue", "X", "--reason", "r")
    assert r.exit_code == 1 and "No agreement" in r.output


def test_export_carries_agreements_and_reviewed_violations_and_validates(story_store):
    from trucewatch.fuse import build_export, validate_export

    vid = _vid(story_store, "in-shell")
    agree.apply_review(story_store, agree.make_review("violation", vid, "confirm", reason="seen", reviewer="m"))
    doc = build_export(story_store)
    validate_export(doc)
    (ag,) = doc["agreements"]
    assert {"id", "kind", "parties", "mediators", "venue", "date_agreed", "terms", "status_history", "article_ids"} <= set(ag)
    v = next(x for x in doc["violations"] if x["id"] == vid)
    assert v["review_status"] == "confirmed" and v["decisions"][0]["reviewer"] == "m"
    bad = {**doc, "violations": [{**v, "review_status": "maybe"}]}
    with pytest.raises(Exception, match="review_status|maybe"):
        validate_export(bad)


def test_settings_name_the_agreements_and_rules_files(settings, story_store, tmp_path):
    decl = tmp_path / "agreements.yaml"
    decl.write_text("agreements:\n  - parties: [Ecuador, Peru]\n    date_agreed: 2025-05-10\n    venue: Quito\n")
    ags, _ = pipeline.agree(settings.replace(agreements_file=str(decl)), story_store)
    assert ags[0].venue == "Quito" and ags[0].declared
    rules = tmp_path / "rules.yaml"
    rules.write_text("weights: {contested: 2, corroborated: 2}\nthreshold: {points: 2, window_days: 7}\n")
    r = CliRunner().invoke(cli, ["--db", settings.db, "ledger", "--format", "json"],
                           env={"TRUCEWATCH_RULES_FILE": str(rules)}, catch_exceptions=False)
    doc = json.loads(r.output)
    assert doc["rules"]["source"] == str(rules)
    assert {c["party"] for c in doc["crossings"]} == {"Peru", "Ecuador"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("agreements: [{parties: [Ecuador], when: soon}]\n")
    r = CliRunner().invoke(cli, ["--db", settings.db, "agreements", "--refresh"],
                           env={"TRUCEWATCH_AGREEMENTS_FILE": str(bad)}, catch_exceptions=False)
    assert r.exit_code == 1 and "unknown field(s) when" in r.output and str(bad) in r.output
