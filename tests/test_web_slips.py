"""User-facing slips of the web app and API (issue 15), against the hand-built store of tests/web_fixture.py.

Requests go through the real ASGI app in-process; the store is a real SQLite file.
"""

from __future__ import annotations

import html

import pytest

import web_fixture
from trucewatch.settings import Settings


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("webslips") / "web.db"
    with web_fixture.served(Settings.from_env(env={}, db=str(path))) as env:
        env["client"].raise_server_exceptions = False
        yield env


@pytest.fixture
def client(env):
    return env["client"]


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
