"""User-facing slips of the web app and API (issue 15), against the hand-built store of tests/web_fixture.py.

Requests go through the real ASGI app in-process; the store is a real SQLite file.
"""

from __future__ import annotations

import html

import pytest

import web_fixture
from trucewatch.settings import Settings


#: An article with no outlet and no title, from a file, whose url field is a script.
LONE_TEXT = ("Volunteers rebuilt the footbridge at Ostrel over three weekends, and the valley ferry "
             "resumed its crossings on Monday morning.")


def _add_lone_article(store, b) -> str:
    import dataclasses
    import hashlib

    from trucewatch.records import Article, RawInput

    raw = RawInput(source="notes/field-notes.txt", fmt="txt", data=LONE_TEXT.encode())
    art = Article(
        id=hashlib.sha1(LONE_TEXT.encode()).hexdigest()[:16], title=None, outlet=None, url="javascript:alert('web')",
        source_path="notes/field-notes.txt", dateline=None, published="2026-03-04", published_inferred=False,
        published_origin="metadata", published_precision="day", published_range=None, language="en",
        text=LONE_TEXT, fmt="txt", raw_sha256=raw.sha256,
    )
    store.add_article(art, raw)
    from trucewatch.records import Analysis, Quote, stable_id

    s = LONE_TEXT.index("the valley ferry")
    quote = Quote(stable_id("lone-q"), art.id, LONE_TEXT[s:s + 16], "a ferry clerk", None, "said", False, s, s + 16)
    store.save_analyses([Analysis(art.id, "test-1", quotes=(quote,))])
    # A dispute stored by an older fusion, which named an outlet-less article by its id.
    disputes = store.fused("dispute")
    disputes.append({**disputes[0], "id": "disp-old", "summary": "Who rebuilt the footbridge",
                     "sides": [{"value": "volunteers", "claimant": art.id, "article_ids": [art.id], "spans": []},
                               {"value": "the army", "claimant": "Harbor Times", "article_ids": [b.articles["a2"]], "spans": []}]})
    store.replace_fused("dispute", disputes)
    # Two outlet-less reports of the same words.
    twin = dataclasses.replace(art, id="f" * 16, text=LONE_TEXT + " Twin.", source_path="notes/twin.txt",
                               raw_sha256=RawInput("notes/twin.txt", "txt", b"twin").sha256)
    store.add_article(twin, RawInput("notes/twin.txt", "txt", b"twin"))
    clusters = store.fused("quote_cluster")
    clusters.append({"id": "qc-lone", "text": "the valley ferry resumed its crossings", "quote_ids": [],
                     "article_ids": [art.id, twin.id], "speakers": [], "independent_sources": 2})
    store.replace_fused("quote_cluster", clusters)
    return art.id


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("webslips") / "web.db"
    with web_fixture.served(Settings.from_env(env={}, db=str(path))) as env:
        env["client"].raise_server_exceptions = False
        env["lone"] = _add_lone_article(env["store"], env["b"])
        yield env


@pytest.fixture
def client(env):
    return env["client"]


@pytest.fixture
def b(env):
    return env["b"]


# ---------------------------------------------------------------------- search


@pytest.mark.parametrize("q, total, says", [
    ("\x00", 0, "Control characters (such as NUL) in the query were ignored. Nothing is left to search for."),
    ("soldiers\x00", 4, "Control characters (such as NUL) in the query were ignored."),
    ("(", 0, "“(” has no words to search for"),
    ("NEAR(", 1, "“NEAR(” is not valid search syntax"),
    ("Veloria AND", 1, "so its words were searched as written: \"Veloria AND\""),
    ("Kestrana denied (", 1, "so its words were searched as written: \"Kestrana denied\""),
])
def test_broken_search_syntax_is_searched_literally_and_said(client, q, total, says):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["note"].startswith(says) or says in body["note"]
    assert body["total"] == total, body
    page = client.get("/search", params={"q": q})
    assert page.status_code == 200
    assert 'class="notice search-note"' in page.text and says in html.unescape(page.text)


def test_valid_search_has_no_note(client):
    body = client.get("/api/search", params={"q": "soldiers"}).json()
    assert body["note"] is None and body["total"] == 4
    assert "search-note" not in client.get("/search", params={"q": "soldiers"}).text


# ---------------------------------------------------------------------- filters


def _ids(resp) -> set[str]:
    assert resp.status_code == 200, resp.text
    return {i["id"] for i in resp.json()["items"]}


@pytest.mark.parametrize("given", ["Shelling", "SHELLING", "shelling", " shelling "])
def test_type_filter_ignores_case(client, b, given):
    assert _ids(client.get("/api/incidents", params={"type": given})) == {b.incidents["shelling"]}


@pytest.mark.parametrize("given", ["Drone strike", "drone-strike", "drone_strike"])
def test_type_filter_takes_the_label_as_shown(client, b, given):
    assert _ids(client.get("/api/incidents", params={"type": given})) == {b.incidents["drone"]}
    page = client.get("/incidents", params={"type": given})
    assert page.status_code == 200 and b.incidents["drone"] in page.text and b.incidents["shelling"] not in page.text


def test_unknown_type_is_a_400_listing_the_valid_ones(client):
    r = client.get("/api/incidents", params={"type": "Atack"})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail.startswith("Unknown incident type(s): 'Atack'. Valid types: ")
    assert "shelling" in detail and "drone_strike" in detail and "attack" in detail  # stored ones and the taxonomy's
    for path in ("/incidents", "/timeline", "/map"):
        page = client.get(path, params={"type": "Atack"})
        assert page.status_code == 400 and "Valid types:" in page.text, path


def test_a_taxonomy_type_without_incidents_is_valid_and_empty(client):
    r = client.get("/api/incidents", params={"type": "Airstrike"})
    assert r.status_code == 200 and r.json()["total"] == 0


@pytest.mark.parametrize("code", ["VL", "vl"])
def test_actor_filter_takes_a_country_code_like_place(client, b, code):
    # Mara Voss is a Velorian actor (country VL): actor=VL finds the incidents she is part of.
    assert _ids(client.get("/api/incidents", params={"actor": code})) == {b.incidents["shelling"]}
    assert _ids(client.get("/api/incidents", params={"place": code})) == {b.incidents["drone"], b.incidents["shelling"]}
    assert _ids(client.get("/api/incidents", params={"actor": "QQ"})) == set()


# ---------------------------------------------------------------------- HEAD


@pytest.mark.parametrize("path", ["/", "/incidents", "/api/stats", "/api/incidents?limit=1", "/static/css/app.css"])
def test_head_answers_like_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]
    assert "content-security-policy" in head.headers


def test_head_of_a_missing_page_is_404(client):
    assert client.head("/no/such/page").status_code == 404
    assert client.post("/api/stats").status_code == 405  # other methods are still refused


def test_the_api_refusal_of_a_private_url_names_the_setting_not_a_cli_flag(env, client):
    r = client.post("/api/articles", json={"url": "http://127.0.0.1:9/story"},
                    headers={"Authorization": f"Bearer {env['token']}"})
    assert r.status_code == 422, r.text
    (skip,) = r.json()["skipped"]
    assert skip["reason"].startswith("refused: 127.0.0.1 resolves to the non-public address 127.0.0.1")
    assert "allow_private setting" in skip["reason"] and "--" not in skip["reason"]


# ---------------------------------------------------------------------- untitled, outlet-less articles


FIRST_WORDS = "Volunteers rebuilt the footbridge at Ostrel over three …"


def test_an_untitled_outlet_less_article_shows_its_file_and_first_words(env, client):
    lone = env["lone"]
    listing = html.unescape(client.get("/articles", params={"limit": 100}).text)
    row = next(line for line in listing.splitlines() if f"/articles/{lone}" in line)
    assert "field-notes.txt" in row and FIRST_WORDS in row and f">{lone}<" not in row
    page = html.unescape(client.get(f"/articles/{lone}").text)
    assert f"<title>{FIRST_WORDS}" in page and '<div class="outlet">field-notes.txt</div>' in page
    hit = html.unescape(client.get("/search", params={"q": "footbridge"}).text)
    assert FIRST_WORDS in hit and "field-notes.txt" in hit


def test_a_stored_claimant_id_is_shown_as_the_article(env, client):
    page = html.unescape(client.get("/disputes").text)
    assert f"claimed by field-notes.txt: {FIRST_WORDS}" in page
    assert f"claimed by {env['lone']}" not in page


def test_web_pages_link_no_script_url(env, client):
    page = client.get(f"/articles/{env['lone']}").text
    assert "javascript:" not in page.replace("javascript:alert(&#39;web&#39;)</code>", "")
    assert 'href="javascript' not in page.lower() and "(not a web address)" in page


def test_same_words_clusters_name_their_outlets_even_without_one(client):
    page = html.unescape(client.get("/quotes").text)
    block = page[page.index('id="c-qc-lone"'):]
    block = block[: block.index("</div>\n        <div")]
    assert "outlets: field-notes.txt, twin.txt" in " ".join(block.split())
    other = page[page.index('id="c-qc-answer"'):]
    assert "outlets: Harbor Times, Northern Ledger, Valley Wire" in " ".join(other[:600].split())


def test_a_quote_from_an_outlet_less_article_names_its_file(client):
    page = html.unescape(client.get("/quotes", params={"speaker": "a ferry clerk"}).text)
    assert "field-notes.txt, 2026-03-04</a>" in page


def test_the_api_and_the_export_give_no_script_url(env, client):
    from trucewatch.fuse import build_export

    body = client.get(f"/api/articles/{env['lone']}").json()
    assert body["url"] is None and body["source_path"] == "notes/field-notes.txt"
    assert client.get(f"/api/articles/{env['b'].articles['a1']}").json()["url"] == "https://example.org/a1"
    doc = build_export(env["store"])
    urls = {a["id"]: a["url"] for a in doc["articles"]}
    assert urls[env["lone"]] is None and urls[env["b"].articles["a1"]] == "https://example.org/a1"


def test_type_lists_for_pages_do_not_load_spacy():
    import subprocess
    import sys

    code = ("import sys; from trucewatch import pipeline; from trucewatch.settings import Settings; "
            "s = Settings.from_env(env={}); t = pipeline.event_types(s); c = pipeline.calm_event_types(s); "
            "assert 'shelling' in t and 'talks' in c and 'shelling' not in c; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
