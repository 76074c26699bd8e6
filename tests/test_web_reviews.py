"""Review decisions are shown wherever the reviewed record appears: the incident page, the quotes
page, the ledger, and the API records of incidents, quotes and claims (real SQLite file, in-process HTTP)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import web_fixture
from trucewatch.records import Review, Violation, to_dict
from trucewatch.settings import Settings
from trucewatch.store import open_store
from trucewatch.web import create_app


def _review(n: int, kind: str, target: str, action: str, value: str | None, reviewer: str, reason: str) -> Review:
    return Review(id=f"rev-{n}", target_kind=kind, target_id=target, action=action, value=value,
                  reviewer=reviewer, reason=reason, at=f"2026-03-1{n}T09:3{n}:00+00:00")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("webreviews") / "web.db"
    settings = Settings.from_env(env={}, db=str(path))
    store = open_store(settings)
    b = web_fixture.build(store)
    inc = b.incidents["shelling"]
    quote = next(iter(b.quotes.values()))
    claim = next(iter(b.claims.values()))
    violation = Violation(id="vio-1", agreement_id="agr-1", incident_id=inc, date="2026-03-01",
                          accused=("Kestrana",), accusers=("Veloria",), incident_type="shelling",
                          summary="Shelling at the pass", article_ids=(b.articles["a1"],))
    store.replace_fused("violation", [to_dict(violation)])
    reviews = [
        _review(1, "incident", inc, "annotate", None, "ana", "Checked the artillery positions on satellite images"),
        _review(2, "quote", quote, "set-speaker", "Colonel Iris Tann", "ben", "The transcript names another officer"),
        _review(3, "claim", claim, "set-figure", "5", "cleo", "The hospital list has five names"),
        _review(4, "violation", "vio-1", "confirm", None, "dev", "Two observers saw the first shells"),
    ]
    for r in reviews:
        store.append_review(r)
    client = TestClient(create_app(settings, store))
    yield {"client": client, "b": b, "inc": inc, "quote": quote, "claim": claim}
    store.close()


def _only(items, rid):
    return next(i for i in items if i["id"] == rid)


def test_api_records_carry_their_review_decisions(env):
    client, inc = env["client"], env["inc"]
    one = client.get(f"/api/incidents/{inc}").json()
    assert [(r["action"], r["reviewer"], r["reason"]) for r in one["reviews"]] == [
        ("annotate", "ana", "Checked the artillery positions on satellite images")]
    assert one["reviews"][0]["at"].startswith("2026-03-11")
    listed = client.get("/api/incidents?limit=50").json()["items"]
    assert _only(listed, inc)["reviews"] == one["reviews"]
    assert all(i["reviews"] == [] for i in listed if i["id"] != inc)
    quote = _only(client.get("/api/quotes?limit=500").json()["items"], env["quote"])
    assert [(r["action"], r["value"], r["reviewer"]) for r in quote["reviews"]] == [
        ("set-speaker", "Colonel Iris Tann", "ben")]
    claim = _only(client.get("/api/claims?limit=500").json()["items"], env["claim"])
    assert [(r["action"], r["value"], r["reason"]) for r in claim["reviews"]] == [
        ("set-figure", "5", "The hospital list has five names")]
    # the review log itself, filtered by target
    log = client.get("/api/reviews", params={"target_id": env["quote"]}).json()
    assert log["total"] == 1 and log["items"][0]["id"] == "rev-2"


def test_incident_page_shows_decisions_on_it_and_its_figures(env):
    html = env["client"].get(f"/incidents/{env['inc']}").text
    assert "Review decisions on this incident" in html
    assert "Checked the artillery positions on satellite images" in html and "ana" in html
    assert "2026-03-11 09:31" in html
    casualties = env["client"].get(f"/api/incidents/{env['inc']}").json()["casualties"]
    assert env["claim"] in {cid for c in casualties for cid in c["claim_ids"]}  # the reviewed figure is this incident's
    assert "Review decisions on these figures" in html and "The hospital list has five names" in html
    assert "→ 5" in html and "cleo" in html
    other = next(i for i in env["b"].incidents.values() if i != env["inc"])
    assert "Review decisions" not in env["client"].get(f"/incidents/{other}").text


def test_quotes_page_shows_decisions_on_each_quote(env):
    html = env["client"].get("/quotes?limit=500").text
    assert "Review decisions on this quote" in html
    assert "Colonel Iris Tann" in html and "The transcript names another officer" in html and "ben" in html


def test_ledger_shows_decisions_on_the_violation_and_its_incident(env):
    html = env["client"].get("/ledger").text
    assert "Two observers saw the first shells" in html and "dev" in html
    assert "Review decisions on its incident" in html
    assert "Checked the artillery positions on satellite images" in html


def test_article_reader_shows_decisions_on_its_quotes_and_figures(env):
    b = env["b"]
    a1 = env["client"].get(f"/articles/{b.articles['a1']}").text
    assert b.quotes["a1"] == env["quote"] and b.claims["a1"] == env["claim"]  # both reviewed items are a1's
    assert "Review decisions on this quote" in a1 and "Colonel Iris Tann" in a1
    assert "Review decisions on this figure" in a1 and "The hospital list has five names" in a1
    a4 = env["client"].get(f"/articles/{b.articles['a4']}").text
    assert "Review decisions" not in a4
