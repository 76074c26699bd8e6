"""The HTTP API and pages against a real SQLite file filled by tests/web_fixture.py.

Requests go through the ASGI app in-process (httpx); the store is a real file
with the real migrations and triggers. The browser tests run a real server.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import web_fixture
from trucewatch.settings import Settings
from trucewatch.store import open_store
from trucewatch.web import create_app
from trucewatch.web.security import hash_token, is_loopback, new_token, token_matches
from trucewatch.web.server import ensure_token, exposure_warning


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("webapi") / "web.db"
    with web_fixture.served(Settings.from_env(env={}, db=str(path), max_request_bytes=20_000)) as env:
        yield env


@pytest.fixture
def client(env):
    return env["client"]


@pytest.fixture
def b(env):
    return env["b"]


def ids(resp) -> set[str]:
    assert resp.status_code == 200, resp.text
    return {i["id"] for i in resp.json()["items"]}


def total(resp) -> int:
    assert resp.status_code == 200, resp.text
    return resp.json()["total"]


# ---------------------------------------------------------------------- shapes


@pytest.fixture(scope="module")
def schema():
    from trucewatch.fuse.export import export_schema

    return export_schema()


@pytest.mark.parametrize(
    "endpoint,key",
    [
        ("/api/articles", "articles"),
        ("/api/actors", "actors"),
        ("/api/quotes", "quotes"),
        ("/api/claims", "claims"),
        ("/api/incidents", "incidents"),
        ("/api/disputes", "disputes"),
        ("/api/stories", "stories"),
        ("/api/copies", "copies"),
        ("/api/quote-clusters", "quote_clusters"),
    ],
    ids=lambda v: v,
)
def test_list_items_match_the_export_schema(client, schema, endpoint, key):
    body = client.get(endpoint).json()
    assert set(body) == {"total", "limit", "offset", "items"}
    assert body["items"], f"{endpoint} returned nothing"
    validator = jsonschema.Draft202012Validator(schema["properties"][key]["items"])
    for item in body["items"]:
        errors = [e.message for e in validator.iter_errors(item)]
        assert not errors, (endpoint, item["id"], errors)


def test_stats_counts_everything(client):
    s = client.get("/api/stats").json()
    assert s["articles"] == 5 and s["analyses"] == 5
    assert s["fused"]["incident"] == 3 and s["fused"]["dispute"] == 2
    assert (s["published_from"], s["published_to"]) == ("2026-02-27", "2026-03-05")


# ---------------------------------------------------------------------- articles


def test_articles_paginate_with_total_and_edges(client):
    pages = [client.get(f"/api/articles?limit=2&offset={o}").json() for o in (0, 2, 4, 6)]
    assert [p["total"] for p in pages] == [5, 5, 5, 5]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    seen = [i["id"] for p in pages for i in p["items"]]
    assert len(seen) == len(set(seen)) == 5
    dates = [i["published"] for p in pages for i in p["items"]]
    assert dates == sorted(dates)
    newest = client.get("/api/articles?order=-date&limit=1").json()["items"][0]
    assert newest["published"] == "2026-03-05"


def test_articles_filters(client, b):
    a = b.articles
    assert ids(client.get("/api/articles?since=2026-03-03")) == {a["a2"], a["a3"], a["a5"]}
    assert ids(client.get("/api/articles?until=2026-03-02")) == {a["a1"], a["a4"]}
    assert ids(client.get("/api/articles?outlet=northern%20ledger")) == {a["a1"], a["a4"]}
    assert ids(client.get("/api/articles?outlet=Harbor Times,Valley Wire")) == {a["a2"], a["a3"]}
    assert total(client.get(f"/api/articles?story={b.story}")) == 5
    assert ids(client.get("/api/articles?actor=actor-voss")) == {a["a1"]}
    assert ids(client.get("/api/articles?actor=General Mara Voss")) == {a["a1"]}
    assert ids(client.get("/api/articles?type=drone_strike")) == {a["a1"], a["a4"]}
    assert ids(client.get("/api/articles?place=Dravik")) == {a["a1"], a["a4"]}
    assert total(client.get("/api/articles?language=fr")) == 0
    assert total(client.get("/api/articles?actor=nobody-at-all")) == 0


def test_article_text_is_optional_and_one_article_has_its_analysis(client, b):
    items = client.get("/api/articles?text=false").json()["items"]
    assert all("text" not in i for i in items)
    one = client.get(f"/api/articles/{b.articles['a1']}?analysis=true").json()
    assert one["text"].startswith("Veloria and Kestrana")
    assert one["analysis"]["quotes"][0]["speaker"] == "General Mara Voss"
    r = client.get("/api/articles/doesnotexist")
    assert r.status_code == 404 and "No article" in r.json()["detail"]


# ---------------------------------------------------------------------- actors, quotes, claims


def test_actors_filters(client, b):
    assert total(client.get("/api/actors")) == 3
    assert ids(client.get("/api/actors?kind=person")) == {"actor-voss"}
    assert ids(client.get("/api/actors?name=voss")) == {"actor-voss"}
    assert ids(client.get(f"/api/actors?article={b.articles['a4']}")) == {"actor-veloria", "actor-kestrana"}
    assert ids(client.get("/api/actors?outlet=harbor times")) == {"actor-kestrana"}
    assert total(client.get(f"/api/actors?story={b.story}")) == 3
    assert total(client.get("/api/actors?kind=person,country")) == 3
    assert client.get("/api/actors/actor-voss").json()["aliases"] == ["General Mara Voss", "Voss"]
    assert client.get("/api/actors/actor-nobody").status_code == 404


def test_quotes_filters_and_links(client, b):
    assert total(client.get("/api/quotes")) == 4
    assert ids(client.get("/api/quotes?speaker=general mara voss")) == {b.quotes["a1"]}
    assert ids(client.get("/api/quotes?actor=actor-voss")) == {b.quotes["a1"]}
    assert ids(client.get("/api/quotes?outlet=Valley Wire")) == {b.quotes["a3"]}
    assert ids(client.get(f"/api/quotes?article={b.articles['a2']}")) == {b.quotes["a2"]}
    assert ids(client.get(f"/api/quotes?cluster={b.cluster}")) == {b.quotes[k] for k in ("a1", "a2", "a3")}
    assert ids(client.get("/api/quotes?since=2026-03-04")) == {b.quotes["a5"]}
    assert total(client.get(f"/api/quotes?story={b.story}")) == 4
    by_id = {q["id"]: q for q in client.get("/api/quotes").json()["items"]}
    assert by_id[b.quotes["a2"]]["cluster_id"] == b.cluster
    assert by_id[b.quotes["a5"]]["cluster_id"] is None
    assert by_id[b.quotes["a1"]]["outlet"] == "Northern Ledger"


def test_claims_filters_and_incident_link(client, b):
    assert total(client.get("/api/claims")) == 4
    assert ids(client.get("/api/claims?category=injured")) == {b.claims["a4"]}
    assert ids(client.get("/api/claims?claimant=A Kestranan military spokesman")) == {b.claims["a2"], b.claims["a3"]}
    assert ids(client.get(f"/api/claims?incident={b.incidents['shelling']}")) == {b.claims[k] for k in ("a1", "a2", "a3")}
    items = {c["id"]: c for c in client.get("/api/claims").json()["items"]}
    assert items[b.claims["a4"]]["incident_id"] == b.incidents["drone"]
    assert items[b.claims["a1"]]["incident_id"] == b.incidents["shelling"]
    assert ids(client.get("/api/claims?outlet=harbor times&since=2026-03-03&until=2026-03-03")) == {b.claims["a2"]}


# ---------------------------------------------------------------------- incidents, disputes


def test_incident_filters(client, b):
    inc = b.incidents
    assert total(client.get("/api/incidents")) == 3
    # The date filter keeps incidents whose interval overlaps the range.
    assert ids(client.get("/api/incidents?since=2026-02-27&until=2026-03-01")) == {inc["shelling"]}
    assert ids(client.get("/api/incidents?type=shelling,drone_strike")) == {inc["shelling"], inc["drone"]}
    assert ids(client.get("/api/incidents?type=shelling&type=statement")) == {inc["shelling"], inc["rumour"]}
    assert ids(client.get("/api/incidents?actor=actor-voss")) == {inc["shelling"]}
    assert ids(client.get("/api/incidents?actor=kestrana")) == {inc["shelling"], inc["drone"]}
    assert ids(client.get("/api/incidents?place=kestrel pass")) == {inc["shelling"]}
    assert ids(client.get("/api/incidents?place=VL")) == {inc["shelling"], inc["drone"]}
    assert ids(client.get("/api/incidents?place=Highlands")) == {inc["shelling"], inc["drone"]}
    assert ids(client.get("/api/incidents?outlet=Harbor Times")) == {inc["shelling"]}
    assert ids(client.get(f"/api/incidents?article={b.articles['a4']}")) == {inc["drone"]}
    assert total(client.get(f"/api/incidents?story={b.story}")) == 3
    assert total(client.get("/api/incidents?story=no-such-story")) == 0
    assert total(client.get("/api/incidents?type=shelling&outlet=Rumour Mill")) == 0
    ordered = [i["id"] for i in client.get("/api/incidents?order=-date").json()["items"]]
    assert ordered == [inc["rumour"], inc["shelling"], inc["drone"]]


def test_one_incident_in_contract_shape(client, b):
    i = client.get(f"/api/incidents/{b.incidents['shelling']}").json()
    assert i["places"][0]["resolved_name"] == "Kestrel Pass" and i["places"][0]["lat"] == 14.38
    assert i["casualties"][0]["best"] == 5 and len(i["casualties"][0]["claim_ids"]) == 3
    assert i["follows_from"] == [b.incidents["drone"]]
    assert client.get("/api/incidents/nope").status_code == 404


def test_dispute_filters(client, b):
    d = b.disputes
    assert ids(client.get("/api/disputes")) == {d["figure"], d["speaker"]}
    assert ids(client.get("/api/disputes?kind=speaker")) == {d["speaker"]}
    assert ids(client.get(f"/api/disputes?incident={b.incidents['shelling']}")) == {d["figure"]}
    assert ids(client.get("/api/disputes?type=shelling")) == {d["figure"]}
    assert ids(client.get("/api/disputes?place=kestrel pass&since=2026-02-01")) == {d["figure"]}
    assert total(client.get("/api/disputes?type=drone_strike")) == 0
    assert ids(client.get(f"/api/disputes?story={b.story}")) == {d["figure"], d["speaker"]}
    assert ids(client.get(f"/api/disputes?article={b.articles['a3']}")) == {d["figure"], d["speaker"]}
    r = client.get("/api/disputes?kind=vibes")
    assert r.status_code == 400 and "figure" in r.json()["detail"]
    assert client.get(f"/api/disputes/{d['figure']}").json()["sides"][1]["value"] == "6"


def test_stories_copies_and_clusters(client, b):
    assert ids(client.get("/api/stories")) == {b.story}
    assert ids(client.get(f"/api/stories?article={b.articles['a5']}")) == {b.story}
    assert client.get(f"/api/stories/{b.story}").json()["title"] == "Kestrel Pass flare-up"
    assert ids(client.get("/api/stories?since=2026-03-18")) == {b.story}  # its days reach into the range
    assert total(client.get("/api/stories?since=2026-03-20")) == 0
    assert total(client.get("/api/stories?until=2026-03-11")) == 0
    assert client.get("/api/stories?order=size").status_code == 400
    assert ids(client.get(f"/api/copies?article={b.articles['a3']}")) == {b.copy}
    assert total(client.get(f"/api/copies?article={b.articles['a1']}")) == 0
    assert ids(client.get("/api/copies?outlet=valley wire")) == {b.copy}
    assert ids(client.get("/api/quote-clusters?speaker=General Mara Voss")) == {b.cluster}
    assert ids(client.get(f"/api/quote-clusters?article={b.articles['a2']}")) == {b.cluster}
    assert total(client.get(f"/api/quote-clusters?article={b.articles['a4']}")) == 0
    assert ids(client.get(f"/api/copies?story={b.story}")) == {b.copy}
    assert total(client.get("/api/copies?story=elsewhere")) == 0
    assert client.get("/api/stories/elsewhere").status_code == 404
    assert client.get(f"/api/disputes/{b.disputes['speaker']}").json()["quote_cluster_id"] == b.cluster


def test_search_pages_and_marks_matches(client, b):
    body = client.get("/api/search?q=soldiers&limit=2").json()
    assert body["total"] == 4 and len(body["items"]) == 2
    assert "[soldiers]" in body["items"][0]["snippet"]
    assert client.get("/api/search?q=soldiers&limit=2&offset=4").json()["items"] == []
    # Not valid FTS5 syntax: searched as a phrase instead of failing.
    assert client.get('/api/search?q=Kestrel "Pass').status_code == 200
    assert ids(client.get("/api/search?q=Dravik")) == {b.articles["a4"]}
    assert client.get("/api/search").status_code == 422


# ---------------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    "url,status,words",
    [
        ("/api/incidents?limit=0", 422, "limit"),
        ("/api/incidents?limit=501", 422, "limit"),
        ("/api/incidents?limit=ten", 422, "limit"),
        ("/api/incidents?offset=-1", 422, "offset"),
        ("/api/incidents?since=yesterday", 400, "since"),
        ("/api/incidents?since=2026-03-05&until=2026-03-01", 400, "swap"),
        ("/api/incidents?order=random", 400, "order"),
        ("/api/incidents?limt=5", 400, "Unknown query parameter"),
        ("/api/articles?text=maybe", 422, "text"),
        ("/api/quotes?until=2026-02-30", 400, "until"),
    ],
    ids=["limit-zero", "limit-too-big", "limit-not-int", "offset-negative", "since-not-date", "since-after-until",
         "order-unknown", "typo-param", "bool-not-bool", "impossible-date"],
)
def test_bad_parameters_get_a_clear_4xx(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]


# ---------------------------------------------------------------------- security


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/incidents", "/incidents/inc-shelling", "/nope"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"


def test_untrusted_text_is_escaped_on_every_page(client, b):
    pages = ["/", "/incidents", f"/incidents/{b.incidents['rumour']}", f"/articles/{b.articles['a5']}", "/quotes",
             "/search?q=anonymous", "/articles", "/timeline", "/map", "/sources"]
    for path in pages:
        html = client.get(path).text
        assert "<script>window.__pwned" not in html, path
        assert "<img src=x onerror" not in html, path
        assert "<svg onload" not in html, path
        assert "<b>Rumour Mill</b>" not in html, path
    article = client.get(f"/articles/{b.articles['a5']}").text
    assert "&lt;script&gt;window.__pwned = 3&lt;/script&gt;" in article


def test_pages_render(client, b):
    for path in ("/", "/incidents", "/timeline", "/map", "/quotes", "/disputes", "/sources", "/articles",
                 "/search?q=pass", f"/incidents/{b.incidents['shelling']}", f"/articles/{b.articles['a1']}",
                 "/disputes?kind=figure", "/quotes?speaker=General Mara Voss", "/docs", "/data/countries.geojson"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    page = client.get(f"/incidents/{b.incidents['shelling']}").text
    # Each outlet's account, with its passage and the figure highlighted.
    for outlet in ("Northern Ledger", "Harbor Times", "Valley Wire"):
        assert outlet in page
    assert '<mark id="s' in page and "hl-claim" in page
    assert "copy of an earlier report" in page
    assert client.get("/disputes?kind=vibes").status_code == 400


def test_openapi_is_served_and_docs_use_bundled_assets(client):
    spec = client.get("/openapi.json").json()
    assert "/api/incidents" in spec["paths"] and "post" in spec["paths"]["/api/articles"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_tokens_are_stored_hashed_and_compared(env):
    token = env["token"]
    stored = env["store"].token_hashes()
    assert token and len(stored) == 1 and token not in stored[0][1]
    assert token_matches(token, stored) and not token_matches(token + "x", stored)
    assert ensure_token(env["store"]) is None  # one exists: nothing new printed
    _id, other, hashed = new_token()
    assert hashed != hash_token(other) and token_matches(other, [("x", hashed)])
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert exposure_warning("127.0.0.1") is None
    assert "WARNING" in exposure_warning("0.0.0.0") and "0.0.0.0" in exposure_warning("0.0.0.0")


def test_write_needs_the_token(client, env):
    body = {"text": "A short note."}
    r = client.post("/api/articles", json=body)
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    r = client.post("/api/articles", json=body, headers={"Authorization": "Bearer tw_wrong"})
    assert r.status_code == 403
    r = client.post("/api/articles", json=body, headers={"Authorization": f"Basic {env['token']}"})
    assert r.status_code == 401


def test_write_rejects_bad_payloads(client, env):
    auth = {"Authorization": f"Bearer {env['token']}"}
    assert client.post("/api/articles", json={"text": "a", "url": "http://x"}, headers=auth).status_code == 422
    assert client.post("/api/articles", json={"txt": "a"}, headers=auth).status_code == 422
    assert client.post("/api/articles", content=b"{not json", headers={**auth, "content-type": "application/json"}).status_code == 400
    assert client.post("/api/articles", content=b"x", headers={**auth, "content-type": "image/png"}).status_code == 415
    big = client.post("/api/articles", json={"text": "x" * 30_000}, headers=auth)
    assert big.status_code == 413 and "max_request_bytes" in big.json()["detail"]


@pytest.fixture
def article_site():
    """A real HTTP server on loopback serving one HTML article."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = (
        "<html><head><title>Ceasefire talks resume in Valmont</title></head><body><article>"
        "<h1>Ceasefire talks resume in Valmont</h1>"
        "<p>VALMONT, March 6: Negotiators from both governments met again in Valmont on Thursday to discuss "
        "a ceasefire along the disputed frontier, officials said.</p>"
        "<p>\"We came to listen and to find a way out of this,\" the chief negotiator, Irena Vasko, told reporters "
        "after the first session, which lasted four hours.</p>"
        "<p>Three villages near the frontier were evacuated last week after shelling, local officials said.</p>"
        "</article></body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/valmont-talks.html"
    server.shutdown()


@pytest.mark.slow
def test_posted_url_is_fetched_and_ingested(tmp_path, article_site):
    settings = Settings.from_env(env={}, db=str(tmp_path / "url.db"), allow_private=True)
    store = open_store(settings)
    token = ensure_token(store)
    client = TestClient(create_app(settings, store))
    r = client.post("/api/articles", json={"url": article_site}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    art = client.get(f"/api/articles/{r.json()['added'][0]}").json()
    assert art["url"] == article_site and "Valmont" in art["text"]
    assert total(client.get("/api/search?q=negotiators")) == 1
    store.close()


def test_posted_private_url_is_refused_by_default(env, article_site):
    r = env["client"].post("/api/articles", json={"url": article_site},
                           headers={"Authorization": f"Bearer {env['token']}"})
    assert r.status_code == 422, r.text
    assert r.json()["added"] == [] and r.json()["skipped"]


@pytest.mark.slow
def test_posted_article_is_ingested_analyzed_and_fused(tmp_path):
    settings = Settings.from_env(env={}, db=str(tmp_path / "post.db"))
    store = open_store(settings)
    token = ensure_token(store)
    client = TestClient(create_app(settings, store))
    text = (
        "ORVALE — March 4: Two soldiers were killed when artillery shells hit a border post near Orvale on "
        "Tuesday, the defence ministry said. \"We will respond,\" said the ministry spokesman Tomas Beller."
    )
    r = client.post("/api/articles", json={"text": text, "title": "Shells hit border post", "outlet": "Test Wire",
                                           "published": "2026-03-04"},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    result = r.json()
    assert len(result["added"]) == 1 and result["analyzed"] == 1 and result["fused"] is True
    art = client.get(f"/api/articles/{result['added'][0]}").json()
    assert art["outlet"] == "Test Wire" and art["title"] == "Shells hit border post"
    assert total(client.get("/api/quotes")) >= 1
    assert total(client.get("/api/claims?category=killed")) >= 1
    assert total(client.get("/api/incidents")) >= 1
    again = client.post("/api/articles", json={"text": text, "outlet": "Test Wire"},
                        headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 200 and again.json()["added"] == []
    store.close()


def test_index_follows_replaced_fused_records(tmp_path):
    store = open_store(Settings.from_env(env={}, db=str(tmp_path / "idx.db")))
    b = web_fixture.build(store)
    assert store.browse_fused("incident", facets={"place": ["kestrel pass"]})[0] == 1
    keep = [d for d in store.fused("incident") if d["id"] == b.incidents["drone"]]
    store.replace_fused("incident", keep)
    assert store.browse_fused("incident", facets={"place": ["kestrel pass"]})[0] == 0
    assert store.browse_fused("incident", facets={"place": ["dravik"]})[0] == 1
    # Changed and new records replace the old ones, and the index follows them.
    moved = dict(keep[0], places=[dict(keep[0]["places"][0], resolved_name="Elsewhere")])
    new = dict(keep[0], id="inc-new", places=[])
    store.replace_fused("incident", [moved, new])
    assert sorted(d["id"] for d in store.fused("incident")) == ["inc-drone", "inc-new"]
    assert store.fused_one("incident", "inc-drone")["places"][0]["resolved_name"] == "Elsewhere"
    assert store.browse_fused("incident", facets={"place": ["elsewhere"]})[0] == 1
    assert store.browse_fused("incident", facets={"article": [b.articles["a4"]]})[0] == 2
    store.close()


def test_serve_get_renders_without_a_server(env):
    from trucewatch.cli import cli

    db = env["settings"].db
    r = CliRunner().invoke(cli, ["--db", db, "serve", "--get", "/api/incidents?type=shelling"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["total"] == 1
    r = CliRunner().invoke(cli, ["--db", db, "serve", "--get", "/incidents"])
    assert r.exit_code == 0 and "Kestrel Pass" in r.output
    r = CliRunner().invoke(cli, ["--db", db, "serve", "--get", "/api/incidents?limit=0"])
    assert r.exit_code == 1
