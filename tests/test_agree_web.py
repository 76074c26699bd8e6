"""The ledger page, the agreements/violations/reviews API and review actions, over real HTTP on loopback."""

from __future__ import annotations

import re
import socket
import threading
import time

import httpx
import pytest

from agree_fixtures import stored
from trucewatch import pipeline


@pytest.fixture
def server(settings, store):
    import uvicorn

    from trucewatch.web.app import create_app
    from trucewatch.web.server import ensure_token

    stored(store)
    pipeline.agree(settings, store)
    token = ensure_token(store)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        yield client, token, store
    srv.should_exit = True
    thread.join(timeout=10)


def _vid(store, incident_id):
    return next(v["id"] for v in store.fused("violation") if v["incident_id"] == incident_id)


def test_ledger_page_shows_agreements_ledger_and_violations(server):
    client, _, store = server
    r = client.get("/ledger")
    assert r.status_code == 200
    html = r.text
    assert "Ecuador – Peru" in html and "Brasilia" in html
    assert "joint monitoring and verification mechanism" in html
    assert "holds only if Peru keeps its artillery silent" in html
    assert "denied by Peru" in html
    assert 'href="/ledger"' in html  # in the navigation bar
    assert html.count('class="review-form"') == 2
    assert "Content-Security-Policy" in r.headers


def test_api_agreements_violations_ledger(server):
    client, _, _ = server
    ags = client.get("/api/agreements").json()
    assert ags["total"] == 1 and ags["items"][0]["parties"] == ["Ecuador", "Peru"]
    vs = client.get("/api/violations").json()
    assert [v["incident_id"] for v in vs["items"]] == ["in-shell", "in-raid"]
    assert client.get("/api/violations", params={"review_status": "confirmed"}).json()["total"] == 0
    assert client.get("/api/violations", params={"review_status": "maybe"}).status_code == 400
    doc = client.get("/api/ledger", params={"period": "week"}).json()
    assert doc["parties"]["Peru"]["accused"] == 1 and doc["rules"]["period"] == "week"
    assert client.get("/api/ledger", params={"perid": "week"}).status_code == 400


def test_post_review_needs_the_token_and_is_shown_everywhere(server):
    client, token, store = server
    vid = _vid(store, "in-shell")
    body = {"target_kind": "violation", "target_id": vid, "action": "confirm", "reason": "site visit", "reviewer": "jcvm"}
    assert client.post("/api/reviews", json=body).status_code == 401
    assert client.post("/api/reviews", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = client.post("/api/reviews", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    assert r.json()["reviewer"] == "jcvm"
    v = next(x for x in client.get("/api/violations").json()["items"] if x["id"] == vid)
    assert v["review_status"] == "confirmed" and v["decisions"][0]["reason"] == "site visit"
    assert client.get("/api/reviews", params={"target_id": vid}).json()["total"] == 1
    page = client.get("/ledger").text
    assert "site visit" in page and "jcvm" in page
    bad = {**body, "target_id": "vio-nope"}
    r = client.post("/api/reviews", json=bad, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422 and "No alleged violation" in r.json()["detail"]


def test_the_audit_log_cannot_be_altered_through_the_api(server):
    client, token, store = server
    vid = _vid(store, "in-raid")
    auth = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/reviews", json={"target_id": vid, "action": "reject", "reason": "no crater"}, headers=auth)
    assert r.status_code == 201
    rid = r.json()["id"]
    for method in ("PUT", "PATCH", "DELETE"):
        for path in ("/api/reviews", f"/api/reviews/{rid}"):
            assert client.request(method, path, json={"reason": "changed"}, headers=auth).status_code in (404, 405)
    (entry,) = store.reviews(vid)
    assert entry.reason == "no crater"
    assert client.get("/api/reviews").json()["items"][0]["reason"] == "no crater"


def test_review_form_on_the_ledger_page(server):
    client, token, store = server
    vid = _vid(store, "in-raid")
    form = {"violation_id": vid, "action": "reject", "reason": "radar data", "reviewer": "desk", "token": "nope"}
    assert client.post("/ledger/review", data=form).status_code == 403
    r = client.post("/ledger/review", data={**form, "token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ledger")
    page = client.get(r.headers["location"]).text
    assert "Decision recorded" in page
    assert re.search(r'review-rejected">rejected', page)
    assert store.fused_one("violation", vid)["review_status"] == "rejected"
