"""The web app's caches and speed paths give the same answers as without them, and drop everything when the
data changes (real SQLite file; in-process HTTP, and real HTTP on loopback for ``serve --workers``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

import web_fixture
from trucewatch.records import Review
from trucewatch.settings import Settings
from trucewatch.store import open_store
from trucewatch.web import create_app, markup


@pytest.fixture()
def env(tmp_path):
    settings = Settings.from_env(env={}, db=str(tmp_path / "web.db"))
    store = open_store(settings)
    b = web_fixture.build(store)
    yield settings, store, b
    store.close()


def _review(n: int, target: str) -> Review:
    return Review(id=f"rev-{n}", target_kind="incident", target_id=target, action="annotate", value=None,
                  reviewer="ana", reason=f"note {n}", at=f"2026-03-1{n}T09:00:00+00:00")


def test_repeated_get_is_answered_from_the_cache_until_the_data_changes(env):
    settings, store, b = env
    client = TestClient(create_app(settings, store))
    inc = b.incidents["shelling"]
    first = client.get(f"/api/incidents/{inc}")
    again = client.get(f"/api/incidents/{inc}")
    assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
    assert again.content == first.content and again.json()["reviews"] == []
    # cached answers still carry the security headers
    assert "script-src 'self'" in again.headers["content-security-policy"]
    # A review is a write the page shows: it must drop the cache (migration 0005's trigger).
    before = store.data_version()
    store.append_review(_review(1, inc))
    assert store.data_version() > before
    after = client.get(f"/api/incidents/{inc}")
    assert after.headers["x-cache"] == "miss"
    assert [r["reason"] for r in after.json()["reviews"]] == ["note 1"]
    page = client.get(f"/incidents/{inc}")
    assert "note 1" in page.text


def test_pages_and_lists_change_after_a_write_to_fused_records(env):
    settings, store, b = env
    client = TestClient(create_app(settings, store))
    total = client.get("/api/incidents").json()["total"]
    assert client.get("/api/incidents").headers["x-cache"] == "hit"
    kept = [i for i in store.fused("incident") if i["id"] != b.incidents["shelling"]]
    store.replace_fused("incident", kept)
    answer = client.get("/api/incidents")
    assert answer.headers["x-cache"] == "miss" and answer.json()["total"] == total - 1


def test_what_must_not_be_cached_is_not(env):
    settings, store, b = env
    client = TestClient(create_app(settings, store))
    for _ in range(2):
        authed = client.get("/api/incidents", headers={"Authorization": "Bearer whatever"})
        assert authed.status_code == 200 and "x-cache" not in authed.headers
        assert "x-cache" not in client.get("/ledger").headers
        missing = client.get("/api/incidents/nope")
        assert missing.status_code == 404 and missing.headers.get("x-cache") == "miss"


def test_no_cache_when_its_budget_is_zero(env):
    settings, store, b = env
    client = TestClient(create_app(settings.replace(web_cache_mb=0), store))
    for _ in range(2):
        assert "x-cache" not in client.get("/api/incidents").headers


def test_paging_with_reused_statements_matches_one_big_page(env):
    settings, store, b = env
    client = TestClient(create_app(settings, store))
    for order in ("date", "-date"):
        whole = [i["id"] for i in client.get("/api/incidents", params={"order": order, "limit": 500}).json()["items"]]
        assert len(whole) >= 3
        paged = []
        for offset in range(0, len(whole), 2):
            items = client.get("/api/incidents", params={"order": order, "limit": 2, "offset": offset}).json()
            assert items["total"] == len(whole)
            paged += [i["id"] for i in items["items"]]
        assert paged == whole
    # the store-level reads agree with the same filters asked fresh
    total, rows = store.browse_fused("incident", type="shelling", limit=1, offset=0)
    memo: dict = {}
    again = store.browse_fused("incident", type="shelling", limit=1, offset=0,
                               total_memo=lambda k, f: memo[k] if k in memo else memo.setdefault(k, f()))
    assert again == (total, rows) and list(memo.values()) == [total]


def test_statements_are_built_per_filter_shape_with_values_bound_at_execution(env):
    """Reads build one statement per *shape* of filters; values are bound each time (never a stale value)."""
    settings, store, b = env
    fresh = open_store(settings)  # its own statement cache, empty: builds for each call
    try:
        cases = [dict(facets={"actor": [a]}) for a in b.actors.values()]
        cases += [dict(since=d) for d in ("2026-01-01", "2026-03-02", "2026-03-05", "2030-01-01")]
        cases += [dict(incident_filter={"type": t}) for t in ("shelling", "airstrike", "drone_strike")]
        answers = set()
        for case in cases:
            for kind in ("incident", "dispute"):
                got = store.browse_fused(kind, limit=100, **case)
                fresh.__dict__.pop("_statement_cache", None)
                assert got == fresh.browse_fused(kind, limit=100, **case), (kind, case)
                answers.add((kind, tuple(sorted(r["id"] for r in got[1]))))
            art = store.browse_articles(limit=100, with_text=False, **{k: v for k, v in case.items() if k != "facets"})
            fresh.__dict__.pop("_statement_cache", None)
            assert art == fresh.browse_articles(limit=100, with_text=False, **{k: v for k, v in case.items() if k != "facets"})
        assert len(answers) > 6  # the values do select different records
        for label in ("General Mara Voss", "Kestrana", "nobody"):
            got = store.browse_items("quote", label=[label])
            fresh.__dict__.pop("_statement_cache", None)
            assert got == fresh.browse_items("quote", label=[label])
        # one statement pair per shape: 3 fused shapes x 2 kinds, 3 article shapes, 1 quote shape
        assert len(store._statement_cache[1]) == 10
    finally:
        fresh.close()


def test_start_up_renders_the_main_pages_so_first_visitors_hit_warm_caches(env):
    settings, store, b = env
    with TestClient(create_app(settings, store)) as client:
        assert client.get("/").headers["x-cache"] == "hit"
        assert client.get("/api/stats").headers["x-cache"] == "hit"
    with TestClient(create_app(settings.replace(web_warm_up=False), store)) as client:
        assert client.get("/").headers["x-cache"] == "miss"


def test_a_server_app_moves_its_start_up_heap_out_of_the_collectors_reach(env):
    import gc

    settings, store, b = env
    with TestClient(create_app(settings, store)) as client:
        assert client.get("/").status_code == 200 and gc.get_freeze_count() == 0
    try:
        with TestClient(create_app(settings, store, server=True)) as client:
            assert gc.get_freeze_count() > 1000
            assert client.get("/").status_code == 200
    finally:
        gc.unfreeze()


def test_row_markup_escapes_untrusted_text():
    evil = "<img src=x onerror=alert(1)>"
    assert markup.type_tag(evil) == Markup(
        '<span class="tag tag-&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;</span>')
    assert "<img" not in markup.badge(evil)
    assert markup.badge(None) == Markup('<span class="badge badge-single-source">single source</span>')
    assert markup.type_tag(None) == Markup('<span class="tag tag-None">unknown</span>')
    inc = {"date_start": "2026-03-01", "date_end": "2026-03-03", "date_precision": "week",
           "places": [{"name": evil, "country": "VL"}, {"name": "Dravik", "resolved_name": "Dravik", "country": "Dravik"}]}
    assert markup.dates(inc) == Markup('2026-03-01 – 2026-03-03 <span class="muted">(week)</span>')
    assert markup.dates({}) == Markup('<span class="muted">undated</span>')
    assert markup.place_names(inc) == Markup("&lt;img src=x onerror=alert(1)&gt;, VL; Dravik")
    assert markup.place_names({"places": []}) == Markup('<span class="muted">no place</span>')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="needs SO_REUSEPORT (Linux, BSD, macOS)")
def test_serve_with_two_workers_answers_on_loopback_and_stops_cleanly(env):
    settings, store, b = env
    store.close()
    port = _free_port()
    exe = Path(sys.executable).with_name("trucewatch")
    proc = subprocess.Popen([str(exe), "--db", settings.db, "serve", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TRUCEWATCH_DB": ""})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        # many separate connections: the kernel spreads them over both workers' sockets
        answers = [httpx.get(base + "/api/incidents", timeout=10) for _ in range(12)]
        assert all(a.status_code == 200 for a in answers)
        assert len({a.json()["total"] for a in answers}) == 1
        assert "Kestrel Pass" in httpx.get(base + "/incidents", timeout=10).text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # the port is free again: no worker was left behind
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
