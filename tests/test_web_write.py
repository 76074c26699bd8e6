"""POST /api/articles keeps one set of analysis resources per app and serialises writes.

Real SQLite file, the real spaCy model, the ASGI app in-process (httpx) and threads for concurrency.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trucewatch import pipeline
from trucewatch.settings import Settings
from trucewatch.store import open_store
from trucewatch.web import create_app
from trucewatch.web.server import ensure_token
from trucewatch.web.writer import Writer

ARTICLES = [
    ("Shells hit a border post", "2026-04-02",
     "Three guards were killed when shells struck a border post near the town of Marrow Ford on Wednesday, "
     "the interior ministry said. \"This will not go unanswered,\" said the ministry spokesman Pell Arden."),
    ("Drone strikes a fuel depot", "2026-04-03",
     "A drone struck a fuel depot outside Tessary on Thursday, wounding four workers, local officials said. "
     "The army said it was investigating who launched it."),
    ("Villagers flee after night raid", "2026-04-04",
     "Dozens of families left the hamlet of Oreby after gunmen raided it overnight, killing two farmers, "
     "a district official told reporters on Friday."),
    ("Talks resume at the frontier", "2026-04-05",
     "Negotiators from both sides met again at the frontier crossing on Saturday and agreed to extend the pause in "
     "fighting by a week, the mediators said in a statement."),
]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("webwrite") / "write.db"
    settings = Settings.from_env(env={}, db=str(path))
    store = open_store(settings)
    token = ensure_token(store)
    app = create_app(settings, store)
    yield {"app": app, "client": TestClient(app), "store": store, "settings": settings,
           "auth": {"Authorization": f"Bearer {token}"}}
    store.close()


def _post(env, n: int):
    title, published, text = ARTICLES[n]
    return env["client"].post("/api/articles", headers=env["auth"],
                              json={"text": text, "title": title, "outlet": "Write Test Wire", "published": published})


@pytest.mark.slow
def test_the_model_is_loaded_once_per_app_and_kept(env):
    writer = env["app"].state.writer
    assert writer.loads == 0  # reading the store needs no model: nothing is loaded at start
    first = _post(env, 0)
    assert first.status_code == 201, first.text
    assert first.json()["analyzed"] == 1 and first.json()["fused"] is True
    assert writer.loads == 1
    kept = writer.resources()
    second = _post(env, 1)
    assert second.status_code == 201, second.text
    assert second.json()["analyzed"] == 1 and second.json()["fused"] is True
    assert writer.loads == 1 and writer.resources() is kept  # the second write reused the loaded model
    store = env["store"]
    for result in (first, second):
        (aid,) = result.json()["added"]
        assert store.analysis(aid) is not None
    incidents = env["client"].get("/api/incidents?limit=500").json()["items"]
    covered = {a for i in incidents for a in i["article_ids"]}
    assert {first.json()["added"][0], second.json()["added"][0]} <= covered


@pytest.mark.slow
def test_a_post_analyzes_only_the_new_article(env):
    # An article added by `trucewatch add` but not analyzed yet stays for `trucewatch analyze`.
    title, published, text = ARTICLES[3]
    src = env["store"]
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "pending.jsonl"
        f.write_text(json.dumps({"text": text, "title": title, "outlet": "Batch", "published": published}) + "\n")
        report = pipeline.ingest([str(f)], env["settings"], src)
    (_, pending), = report.added
    r = _post(env, 2)
    assert r.status_code == 201, r.text
    assert r.json()["analyzed"] == 1
    assert src.analysis(r.json()["added"][0]) is not None
    assert src.analysis(pending) is None
    assert env["app"].state.writer.loads == 1


@pytest.mark.slow
def test_concurrent_posts_both_land(env):
    texts = [("Second shelling of the border post", "2026-04-06",
              "Two more guards died when the border post near Marrow Ford was shelled again on Monday, officials said."),
             ("Depot fire put out", "2026-04-07",
              "Firefighters put out the blaze at the Tessary fuel depot on Tuesday, a day after the drone strike, "
              "the regional governor said.")]
    results: list = [None, None]

    def send(i: int) -> None:
        title, published, text = texts[i]
        results[i] = env["client"].post("/api/articles", headers=env["auth"],
                                        json={"text": text, "title": title, "outlet": "Race Wire", "published": published})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None and r.status_code == 201 for r in results), [r and r.text for r in results]
    for r in results:
        assert env["store"].analysis(r.json()["added"][0]) is not None
    assert env["app"].state.writer.loads == 1


def test_the_write_lock_excludes_other_server_processes_on_the_same_file(tmp_path):
    # Two apps over one SQLite file stand for two `serve --workers` processes: their locks exclude each other.
    settings = Settings.from_env(env={}, db=str(tmp_path / "lock.db"))
    a, b = Writer(settings), Writer(settings)
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with a.locked():
            order.append("a in")
            holding.set()
            time.sleep(0.3)
            order.append("a out")

    def second() -> None:
        holding.wait(5)
        with b.locked():
            order.append("b in")

    ta, tb = threading.Thread(target=first), threading.Thread(target=second)
    ta.start()
    tb.start()
    ta.join(5)
    tb.join(5)
    assert order == ["a in", "a out", "b in"]
    # each lock is released after use
    with a.locked():
        pass
    with b.locked():
        pass
