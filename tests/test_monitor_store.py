"""The watch tables (migration 0006) on SQLite and on a real PostgreSQL server (tests/pg_server.py)."""

from __future__ import annotations

import pytest

import pg_server
from trucewatch.records import RawInput
from trucewatch.store import SCHEMA_HEAD, open_store


@pytest.fixture(scope="module")
def pg():
    server = pg_server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    db = str(tmp_path / "w.db") if request.param == "sqlite" else request.getfixturevalue("pg").create_db()
    s = open_store(db)
    yield s
    s.close()


def _alert(i: int) -> dict:
    return {"id": f"chg-{i:04d}", "kind": "new_incident", "record_kind": "incident", "record_id": f"in_{i}", "lineage": f"in_{i}",
            "summary": f"New incident {i}.", "rules": ["*"]}


def test_a_round_is_recorded_once_with_its_alerts_and_pending_deliveries(store):
    assert store.schema_version() == SCHEMA_HEAD == "0006"
    snap = {("incident", "in_1"): ("in_1", {"events": ["ev1"], "grade": "single source"})}
    store.commit_watch_round(1, "2026-03-30T06:00:00+00:00", "2026-03-30T06:01:00+00:00", {"new": 1},
                             [_alert(1)], [_alert(1)], ["jsonl:/tmp/x.jsonl", "webhook:http://127.0.0.1:9/h"], snap)
    # The same changes again (a round computed again after a crash) add nothing.
    store.commit_watch_round(2, "2026-03-30T06:15:00+00:00", "2026-03-30T06:16:00+00:00", {"new": 0},
                             [_alert(1), _alert(2)], [_alert(1), _alert(2)], ["jsonl:/tmp/x.jsonl"], snap)
    assert [a["id"] for a in store.alerts()] == ["chg-0001", "chg-0002"]
    assert store.alerts()[0]["round"] == 1
    assert [a["id"] for a in store.alerts(since="2026-03-30T06:10")] == ["chg-0002"]
    assert store.watch_seen() == snap
    assert store.next_watch_round() == 3
    assert [r["summary"] for r in store.watch_rounds()] == [{"new": 0}, {"new": 1}]
    pending = store.pending_deliveries()
    assert sorted((t, a["id"]) for t, a, _n in pending) == [
        ("jsonl:/tmp/x.jsonl", "chg-0001"), ("jsonl:/tmp/x.jsonl", "chg-0002"), ("webhook:http://127.0.0.1:9/h", "chg-0001")]
    store.mark_delivery("chg-0001", "webhook:http://127.0.0.1:9/h", delivered=False, error="HTTP 500")
    store.mark_delivery("chg-0001", "jsonl:/tmp/x.jsonl", delivered=True, at="2026-03-30T06:01:01+00:00")
    store.mark_delivery("chg-0002", "jsonl:/tmp/x.jsonl", delivered=False, refused=True, error="HTTP 400")
    rows = {(d["alert_id"], d["target"]): d for d in store.deliveries()}
    assert rows[("chg-0001", "webhook:http://127.0.0.1:9/h")]["status"] == "pending"
    assert rows[("chg-0001", "webhook:http://127.0.0.1:9/h")]["attempts"] == 1
    assert rows[("chg-0002", "jsonl:/tmp/x.jsonl")]["status"] == "refused"
    assert [(t, a["id"]) for t, a, _n in store.pending_deliveries()] == [("webhook:http://127.0.0.1:9/h", "chg-0001")]


def test_a_fetched_item_keeps_its_raw_input_until_it_is_ingested(store):
    raw = RawInput("http://example.org/a", "url", "Shelling near the border post.".encode(), fields={"title": "T", "feed_item": "g1"},
                   url="http://example.org/a")
    row = {"source_id": "s1", "key_hash": "h1", "item_key": "g1", "url": raw.url, "attempts": 1,
           "first_seen_at": "2026-03-30T06:00:00+00:00", "last_tried_at": "2026-03-30T06:00:00+00:00"}
    store.keep_watch_item(row, raw)
    assert store.fetched_watch_items("s1") == [("g1", raw)]
    store.save_watch_items([{**row, "status": "added", "article_id": "a1", "fmt": None, "data": None, "fields_json": None}])
    assert store.fetched_watch_items("s1") == []
    assert store.watch_items("s1")["h1"]["status"] == "added"


def test_source_state_is_saved_and_updated(store):
    row = {"id": "s1", "source": "http://example.org/feed", "etag": '"v1"', "last_modified": None, "failures": 0,
           "next_attempt_at": None, "last_checked_at": None, "last_ok_at": None, "last_error": None}
    store.save_watch_source(row)
    store.save_watch_source({**row, "failures": 2, "last_error": "HTTP 503"})
    assert store.watch_sources()["s1"]["failures"] == 2 and store.watch_sources()["s1"]["etag"] == '"v1"'


def _inc(kind: str, killed: float = 0) -> dict:
    return {"id": "in_a", "type": kind, "date_start": "2026-03-26", "corroboration": "single source",
            "mentions": [{"event_id": "ev1", "article_id": "a1"}], "places": [], "actor_ids": [], "article_ids": ["a1"],
            "casualties": [], "totals": [{"category": "killed", "best": killed}] if killed else []}


def test_an_incident_that_qualifies_only_later_is_alerted_then_and_once(store):
    from trucewatch.monitor import parse_alert_config
    from trucewatch.monitor.service import detect

    config = parse_alert_config({"rules": [{"name": "deadly-shelling", "changes": ["new_incident"],
                                            "event_type": ["shelling"], "min_killed": 2}]})
    alerted = []
    for n, (kind, killed) in enumerate((("talks", 0), ("shelling", 1), ("shelling", 3), ("shelling", 4)), 1):
        store.replace_fused("incident", [_inc(kind, killed)])
        changes, alerts, snap = detect(store, config, n)
        store.commit_watch_round(n, f"2026-03-30T0{n}:00:00+00:00", f"2026-03-30T0{n}:00:01+00:00", {}, changes, alerts, [], snap)
        alerted.append([a["summary"] for a in alerts])
    assert alerted[:2] == [[], []]  # talks, then shelling with one dead: not yet
    assert alerted[2] == ["Incident now matches the alert rules: shelling on 2026-03-26."]
    assert alerted[3] == []  # already alerted
    assert len(store.alerts()) == 1
