"""The verification workflow of an alleged violation: reported -> under investigation -> verified
(attributed to a party, or could not be attributed) | discounted; from the CLI and the token-protected
API, in the append-only review log, counted by the ledger and kept after re-analysis."""

from __future__ import annotations

import json

from click.testing import CliRunner

from test_agree_review import _vid, story_store  # noqa: F401 - the fixture of the review tests
from test_agree_web import server  # noqa: F401 - the live web app of the agreements web tests
from trucewatch import agree, pipeline
from trucewatch.cli import cli


def _run(settings, *args):
    return CliRunner().invoke(cli, ["--db", settings.db, *args], catch_exceptions=False)


def _state(store, vid):
    v = store.fused_one("violation", vid)
    return v["verification"], v["attributed_to"]


def _ledger(settings) -> dict:
    r = _run(settings, "ledger", "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_a_violation_moves_through_every_state_from_the_cli(settings, story_store):
    vid = _vid(story_store, "in-shell")
    accused = story_store.fused_one("violation", vid)["accused"][0]
    assert _state(story_store, vid) == ("reported", None)
    assert _ledger(settings)["parties"][accused]["pending"] >= 1
    r = _run(settings, "review", vid, "--verify", accused, "--reviewer", "M. Dara", "--reason", "too early")
    assert r.exit_code == 1 and "investigate it first" in r.output  # no verdict before an investigation
    steps = [("--investigate",), ("--verify", accused)]
    for step in steps:
        r = _run(settings, "review", vid, *step, "--reviewer", "M. Dara", "--reason", f"note for {step[0]}")
        assert r.exit_code == 0, r.output
    assert _state(story_store, vid) == ("verified", accused)
    row = _ledger(settings)["parties"][accused]
    assert row["verified"] == 1 and row["attributed"] == 1
    listed = {v["id"]: v for v in json.loads(_run(settings, "review", "--list", "--json").output)}
    assert (listed[vid]["verification"], listed[vid]["attributed_to"]) == ("verified", accused)
    # Back to reported, investigated again, and discounted this time.
    for step in (("--reopen",), ("--investigate",), ("--discount",)):
        r = _run(settings, "review", vid, *step, "--reviewer", "S. Vann", "--reason", f"second look: {step[0]}")
        assert r.exit_code == 0, r.output
    assert _state(story_store, vid) == ("discounted", None)
    row = _ledger(settings)["parties"][accused]
    assert (row["verified"], row["discounted"], row["attributed"]) == (0, 1, 0)
    log = [(r.action, r.reviewer, r.reason) for r in story_store.reviews(vid)]
    assert [a for a, _w, _r in log] == ["investigate", "verify", "reopen", "investigate", "discount"]
    assert all(w in ("M. Dara", "S. Vann") and reason for _a, w, reason in log)


def test_a_violation_verified_as_unattributable_counts_for_no_party(settings, story_store):
    vid = _vid(story_store, "in-raid")
    for step in (("--investigate",), ("--unattributed",)):
        assert _run(settings, "review", vid, *step, "--reviewer", "M. Dara", "--reason", "debris only").exit_code == 0
    assert _state(story_store, vid) == ("verified", agree.UNATTRIBUTED)
    doc = _ledger(settings)
    assert sum(p["attributed"] for p in doc["parties"].values()) == 0
    assert sum(p["verified"] for p in doc["parties"].values()) == len(story_store.fused_one("violation", vid)["accused"])


def test_the_workflow_state_is_kept_after_reanalysis(settings, story_store):
    vid = _vid(story_store, "in-shell")
    for action, value in (("investigate", None), ("verify", "Peru")):
        agree.apply_review(story_store, agree.make_review("violation", vid, action, value=value, reason="site visit", reviewer="m"))
    # analyze --force rewrites every analysis; fuse rewrites fused records; agree runs again.
    story_store.save_analyses(list(story_store.iter_analyses()))
    story_store.replace_fused("violation", [])
    pipeline.agree(settings, story_store)
    assert _state(story_store, vid) == ("verified", "Peru")


def test_the_workflow_runs_through_the_token_protected_api(server):  # noqa: F811 - the imported fixture
    client, token, store = server
    vid = next(v["id"] for v in store.fused("violation"))
    auth = {"Authorization": f"Bearer {token}"}
    body = {"target_kind": "violation", "target_id": vid, "action": "investigate", "reason": "team sent", "reviewer": "web-1"}
    assert client.post("/api/reviews", json=body).status_code == 401
    assert client.post("/api/reviews", json=body, headers=auth).status_code == 201
    early = client.post("/api/reviews", json={**body, "action": "investigate"}, headers=auth)
    assert early.status_code == 422 and "under investigation" in early.text
    done = client.post("/api/reviews", json={**body, "action": "verify", "value": "unattributed"}, headers=auth)
    assert done.status_code == 201, done.text
    v = client.get("/api/violations").json()["items"]
    mine = next(x for x in v if x["id"] == vid)
    assert (mine["verification"], mine["attributed_to"]) == ("verified", agree.UNATTRIBUTED)


def test_the_workflow_runs_from_the_ledger_page_form(server):  # noqa: F811 - the imported fixture
    client, token, store = server
    vid = next(v["id"] for v in store.fused("violation"))
    form = {"violation_id": vid, "reason": "field visit", "reviewer": "desk-2", "token": token}
    for action, value in (("investigate", ""), ("verify", "Peru")):
        r = client.post("/ledger/review", data={**form, "action": action, "value": value}, follow_redirects=False)
        assert r.status_code == 303, r.text
    page = client.get("/ledger").text
    assert "verified (attributed to Peru)" in page
    r = client.post("/ledger/review", data={**form, "action": "discount"}, follow_redirects=False)
    assert r.status_code == 422 and "reopen it first" in r.text  # already verified
    assert [x.action for x in store.reviews(vid)] == ["investigate", "verify"]
