"""``watch`` end to end against a real HTTP server on 127.0.0.1: a feed that changes between rounds,
a source that fails and is retried, a URL list, a webhook receiver that fails each first try, and a
watch killed with SIGKILL and started again (see docs/monitoring.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from trucewatch import pipeline
from trucewatch.analyze.taxonomy import VIOLENT_TYPES
from trucewatch.cli import cli
from trucewatch.settings import Settings
from trucewatch.store import open_store
from watch_server import ARTICLES, WatchServer

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 3, 30, 6, 0, tzinfo=timezone.utc)


def _rules(path: Path, hook: str | None = None) -> Path:
    data = {"rules": [
        {"name": "violent", "changes": ["new_incident"], "event_type": sorted(VIOLENT_TYPES)},
        {"name": "violations", "changes": ["new_violation"]},
    ]}
    if hook:
        data["webhooks"] = [hook]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _article_hits(server: WatchServer) -> dict[str, int]:
    return {p: n for p, n in server.hits.items() if p.startswith("/a/")}


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """Three rounds over one store: A (first look), B (nothing changed, 10 s later), C (an hour later:
    three new feed items, the broken source fixed). Each round's report and the server's counters
    after it are kept."""
    tmp = tmp_path_factory.mktemp("watch")
    server = WatchServer()
    server.items = ARTICLES[:6]
    listing = tmp / "urls.txt"
    # Two more pages; the second answers 503 until round C.
    listing.write_text(f"# two more pages\n{server.base}/a/{ARTICLES[9]}\n{server.base}/flaky/{ARTICLES[10]}\n", encoding="utf-8")
    settings = Settings.from_env(env={}, db=str(tmp / "w.db"), allow_private=True, watch_host_delay=0.0,
                                 alerts_file=str(_rules(tmp / "alerts.yaml", f"{server.base}/hook")))
    store = open_store(settings)
    sources = [f"{server.base}/feed.rss", f"{server.base}/broken.rss", str(listing)]
    resources: dict = {}
    out = {"server": server, "store": store, "settings": settings, "jsonl": tmp / "alerts.jsonl", "tmp": tmp}

    def go(name: str, now: datetime) -> None:
        report = pipeline.watch_round(sources, settings, store, alerts_file=str(out["jsonl"]), resources=resources,
                                      now=now, sleep=lambda _s: None)
        out[name] = report
        out[name + "_hits"] = _article_hits(server)
        out[name + "_posts"] = len(server.posts)
        out[name + "_flaky"] = server.hits[f"/flaky/{ARTICLES[10]}"]

    go("A", T0)
    go("B", T0 + timedelta(seconds=10))
    server.items = ARTICLES[:9]
    server.broken = server.flaky = False
    go("C", T0 + timedelta(hours=1))
    yield out
    store.close()
    server.stop()


def _status(report, source_end: str) -> dict:
    return next(s for s in report.sources if s["source"].endswith(source_end))


def test_first_round_ingests_every_item_and_reports_the_failing_source(watched):
    a = watched["A"]
    assert a.new == 7  # six feed items + one listed URL; the other answered 503
    assert _status(a, "/feed.rss")["status"] == "fetched"
    assert _status(a, "urls.txt")["new_items"] == 1 and _status(a, "urls.txt")["failed_items"] == 1
    assert [(item.rsplit("/", 1)[-1], reason) for item, reason in a.items_failed] == [(ARTICLES[10], "HTTP 503 Service Unavailable")]
    broken = _status(a, "/broken.rss")
    assert broken["status"] == "failed" and "HTTP 500" in broken["reason"]
    assert a.failed == 1 and a.fetched == 2
    assert all(n == 1 for n in watched["A_hits"].values()) and len(watched["A_hits"]) == 7


def test_an_unchanged_round_fetches_nothing_and_waits_for_the_failing_source(watched):
    b = watched["B"]
    assert (b.new, b.fetched, b.unchanged, b.waiting) == (0, 0, 2, 1)
    assert _status(b, "/broken.rss")["status"] == "waiting" and "backing off" in _status(b, "/broken.rss")["reason"]
    assert watched["B_hits"] == watched["A_hits"]  # not one article fetched again
    assert b.changes == 0 and b.alerts == 0
    assert (watched["A_flaky"], watched["B_flaky"]) == (1, 2)  # the failed item is tried again though its list is unchanged


def test_a_later_round_sends_a_conditional_get_and_ingests_only_the_new_items(watched):
    c, server = watched["C"], watched["server"]
    feed_asks = [etag for path, etag in server.conditional if path == "/feed.rss"]
    assert feed_asks[0] is None and all(feed_asks[1:])  # every later round sent If-None-Match
    assert c.new == 4 and _status(c, "/feed.rss")["new_items"] == 3 and _status(c, "/feed.rss")["known_items"] == 6
    assert _status(c, "urls.txt")["new_items"] == 1 and not c.items_failed  # the flaky page, fetched at its third try
    assert watched["C_flaky"] == 3
    new_paths = set(watched["C_hits"]) - set(watched["A_hits"])
    assert new_paths == {f"/a/{n}" for n in ARTICLES[6:9]}
    assert all(n == 1 for n in watched["C_hits"].values())  # nothing fetched twice
    assert _status(c, "/broken.rss")["status"] == "fetched"  # retried once its back-off ran out
    assert watched["store"].watch_sources()[next(iter(
        k for k, v in watched["store"].watch_sources().items() if v["source"].endswith("/broken.rss")))]["failures"] == 0


def test_one_alert_per_new_qualifying_incident_across_rounds(watched):
    store = watched["store"]
    alerts = store.alerts()
    assert alerts and watched["A"].alerts > 0 and watched["C"].alerts > 0
    new_inc = [a for a in alerts if a["kind"] == "new_incident"]
    assert len({a["lineage"] for a in new_inc}) == len(new_inc)
    assert all(a["type"] in VIOLENT_TYPES for a in new_inc)
    seen = store.watch_seen()
    lineage_of = {rid: lin for (kind, lin), (rid, _d) in seen.items() if kind == "incident"}
    violent = [i for i in store.fused("incident") if i["type"] in VIOLENT_TYPES]
    alerted = {a["lineage"] for a in new_inc}
    assert all(lineage_of[i["id"]] in alerted for i in violent)
    vio = [a for a in alerts if a["kind"] == "new_violation"]
    assert len(vio) == len({a["lineage"] for a in vio}) >= 1


def test_the_webhook_receiver_stores_each_alert_once_although_each_first_try_fails(watched):
    server, store = watched["server"], watched["store"]
    ids = [a["id"] for a in store.alerts()]
    assert sorted(a["id"] for a in server.accepted) == sorted(ids)
    assert len(server.posts) == 2 * len(ids)  # a 500, then the retry that was accepted
    assert all(d["status"] == "delivered" for d in store.deliveries())


def test_the_jsonl_log_holds_each_alert_once(watched):
    lines = [json.loads(x) for x in watched["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == [a["id"] for a in watched["store"].alerts()]


def test_alerts_command_lists_what_watch_raised(watched):
    env = {"TRUCEWATCH_DB": watched["settings"].db}
    r = CliRunner().invoke(cli, ["alerts", "--json"], env=env)
    assert r.exit_code == 0, r.output
    assert [a["id"] for a in json.loads(r.output)] == [a["id"] for a in watched["store"].alerts()]
    r = CliRunner().invoke(cli, ["alerts", "--since", "2999-01-01"], env=env)
    assert r.exit_code == 0 and "No alerts since 2999-01-01" in r.output
    r = CliRunner().invoke(cli, ["alerts", "--since", "yesterday"], env=env)
    assert r.exit_code != 0 and "--since takes a date" in r.output


def _wait(predicate, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_watch_killed_with_sigkill_goes_on_where_it_stopped(tmp_path):
    server = WatchServer()
    try:
        server.items = ARTICLES[:5]
        rules = _rules(tmp_path / "alerts.yaml")
        jsonl = tmp_path / "alerts.jsonl"
        env = {**os.environ, "TRUCEWATCH_DB": str(tmp_path / "k.db"), "TRUCEWATCH_WATCH_HOST_DELAY": "0",
               "PYTHONPATH": str(ROOT / "src")}
        cmd = [sys.executable, "-c", "from trucewatch.cli import main; main()", "watch", f"{server.base}/feed.rss",
               "--rules", str(rules), "--alerts-file", str(jsonl), "--allow-private"]
        proc = subprocess.Popen([*cmd, "--every", "1s"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # Killed while it analyzes what it fetched (every article has been served, nothing committed yet).
            _wait(lambda: len(_article_hits(server)) == 5, 60, "the first round's fetches")
            time.sleep(1.0)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        with open_store(env["TRUCEWATCH_DB"]) as store:  # it was killed mid-round: items kept, no round recorded
            assert store.next_watch_round() == 1
            (sid,) = store.watch_sources()
            assert len(store.watch_items(sid)) == 5
        server.items = ARTICLES[:6]
        done = subprocess.run([*cmd, "--once"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        again = subprocess.run([*cmd, "--once"], env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0 and "0 change(s)" in again.stdout, again.stdout + again.stderr
        assert _article_hits(server) == {f"/a/{n}": 1 for n in ARTICLES[:6]}  # nothing fetched twice
        with open_store(env["TRUCEWATCH_DB"]) as store:
            alerts = store.alerts()
            assert alerts
            lines = [json.loads(x)["id"] for x in jsonl.read_text(encoding="utf-8").splitlines()]
            assert lines == [a["id"] for a in alerts]  # each alert logged once
            new_inc = [a for a in alerts if a["kind"] == "new_incident"]
            assert len({a["lineage"] for a in new_inc}) == len(new_inc)
            assert store.count("article") == 6
    finally:
        server.stop()


def test_serve_publishes_the_alerts_as_atom_and_what_changed_per_round(watched):
    import feedparser

    from trucewatch.web.server import get_path

    settings, store = watched["settings"], watched["store"]
    status, ctype, body = get_path(settings, "/alerts.atom", store)
    assert status == 200 and ctype.startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    alerts = store.alerts()
    assert [e.id for e in feed.entries] == [f"urn:trucewatch:alert:{a['id']}" for a in reversed(alerts)]
    assert all(e.title and e.link for e in feed.entries)
    status, _ctype, page = get_path(settings, "/changes", store)
    html = page.decode()
    assert status == 200 and 'id="round-3"' in html and 'id="round-1"' in html
    assert "failed</strong>" in html and "HTTP 500" in html  # round 1's failing source
    for change in store.watch_changes(3):
        assert f'id="{change["id"]}"' in html
    assert html.count('<span class="tag">alert</span>') == len(alerts)
