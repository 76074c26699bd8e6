"""The store on a real PostgreSQL server (started for this session by tests/pg_server.py).

Every stage runs on the sample corpus twice, once on an SQLite file and once
on PostgreSQL, through the CLI; the two stores must hold the same records.
The browse index, search, the review log and the web API's queries are
checked on PostgreSQL too (the whole of test_web_api.py runs again on it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import pg_server
import web_fixture
from test_web_api import *  # noqa: F401,F403 - the web API tests run again below, on PostgreSQL
from trucewatch.cli import cli
from trucewatch.errors import StoreError
from trucewatch.records import Review, to_dict
from trucewatch.settings import Settings
from trucewatch.store import SCHEMA_HEAD, open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-corpus"


@pytest.fixture(scope="module")
def pg():
    server = pg_server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def env(pg):
    """test_web_api.py's store and client, on a PostgreSQL database (overrides its SQLite fixture)."""
    with web_fixture.served(Settings.from_env(env={}, db=pg.create_db(), max_request_bytes=20_000)) as env:
        yield env


def _tw(db: str, *args: str):
    r = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def _run_all(db: str, out: Path) -> dict:
    _tw(db, "add", str(SAMPLE))
    _tw(db, "analyze")
    _tw(db, "fuse")
    _tw(db, "export", "--format", "json", "-o", str(out / "export.json"))
    _tw(db, "brief", "--format", "json", "-o", str(out / "brief.json"))
    return {"export": json.loads((out / "export.json").read_text()), "brief": json.loads((out / "brief.json").read_text())}


@pytest.fixture(scope="module")
def both(pg, tmp_path_factory):
    """The sample corpus through every stage on SQLite and on PostgreSQL: {"sqlite": ..., "pg": ...}."""
    runs = {}
    for name, db in (("sqlite", str(tmp_path_factory.mktemp("lite") / "tw.db")), ("pg", pg.create_db())):
        out = tmp_path_factory.mktemp(name)
        docs = _run_all(db, out)
        runs[name] = {**docs, "store": open_store(db), "db": db}
    yield runs
    for r in runs.values():
        r["store"].close()


def test_migrations_reach_head_on_postgresql(both):
    store = both["pg"]["store"]
    assert store.engine.dialect.name == "postgresql"
    assert store.schema_version() == SCHEMA_HEAD
    open_store(both["pg"]["db"]).close()  # opening again migrates nothing and does not fail


def test_every_stage_gives_the_same_records_on_postgresql(both):
    lite, pg = both["sqlite"]["store"], both["pg"]["store"]
    assert pg.count("article") == lite.count("article") > 10
    assert pg.count("analysis") == lite.count("analysis") == lite.count("article")
    assert pg.fused_counts() == lite.fused_counts()
    assert pg.count("incident") > 0 and pg.count("dispute") > 0
    assert [to_dict(a) for a in pg.iter_analyses()] == [to_dict(a) for a in lite.iter_analyses()]
    for kind in ("incident", "dispute", "story", "actor", "agreement", "violation"):
        assert pg.fused(kind) == lite.fused(kind), kind


def test_export_and_brief_are_the_same_on_postgresql(both):
    lite, pg = both["sqlite"], both["pg"]
    for key, value in lite["export"].items():
        if isinstance(value, list):
            assert [r.get("id") for r in pg["export"][key]] == [r.get("id") for r in value], key
    assert len(pg["export"]["incidents"]) == len(lite["export"]["incidents"]) > 0
    drop = {"generated_at", "database", "db"}
    assert {k: v for k, v in pg["brief"].items() if k not in drop} == {k: v for k, v in lite["brief"].items() if k not in drop}


def _rows(store, sql: str) -> set[tuple]:
    with store.engine.connect() as conn:
        return {tuple(r) for r in conn.execute(text(sql))}


def test_browse_index_is_filled_by_the_postgresql_triggers(both):
    lite, pg = both["sqlite"]["store"], both["pg"]["store"]
    facets = "SELECT kind, facet, value, record_id FROM record_facet"
    assert len(_rows(pg, facets)) > 100
    assert _rows(pg, facets) == _rows(lite, facets)
    items = "SELECT kind, id, article_id, published, outlet, label, category, data_json FROM article_item"
    assert _rows(pg, items) == _rows(lite, items)
    assert pg.count_items("quote") == lite.count_items("quote") > 0
    assert pg.facet_top("incident", "place") == lite.facet_top("incident", "place")
    assert pg.label_top("quote") == lite.label_top("quote")
    assert pg.copy_stats() == lite.copy_stats()


def test_browse_queries_agree_with_sqlite(both):
    lite, pg = both["sqlite"]["store"], both["pg"]["store"]
    story = lite.fused("story")[0]["id"]
    actor = lite.facet_top("incident", "actor", limit=1)[0][0]
    place = lite.facet_top("incident", "place", limit=1)[0][0]
    calls = [
        ("browse_fused", ("incident",), {"facets": {"actor": [actor]}}),
        ("browse_fused", ("incident",), {"facets": {"place": [place.upper()]}}),  # case-insensitive
        ("browse_fused", ("dispute",), {"story_id": story}),
        ("browse_fused", ("dispute",), {"incident_filter": {"since": "2000-01-01"}}),
        ("browse_fused", ("quote_cluster",), {"min_articles": 2}),
        ("browse_biggest", ("quote_cluster",), {}),
        ("browse_articles", (), {"story_id": story, "with_text": False}),
        ("browse_articles", (), {"actor": [actor], "with_text": False}),
        ("browse_articles", (), {"incident_filter": {"since": "2000-01-01"}, "with_text": False}),
        ("browse_items", ("quote",), {"story_id": story}),
        ("browse_items", ("claim",), {"limit": 500}),
    ]
    for name, args, kw in calls:
        expected = getattr(lite, name)(*args, **kw)
        assert expected[0] > 0, (name, kw)
        assert getattr(pg, name)(*args, **kw) == expected, (name, kw)


def test_search_uses_the_full_text_index(both):
    store = both["pg"]["store"]
    hits = store.search("ceasefire")
    assert hits and all("[ceasefire]" in s.lower() for _, s in hits)
    lite_ids = {i for i, _ in both["sqlite"]["store"].search("ceasefire", limit=100)}
    assert {i for i, _ in store.search("ceasefire", limit=100)} == lite_ids
    total, rows, capped, _note = store.search_page('"second round"', limit=50)
    assert total == len(rows) > 0 and not capped
    lite_total, lite_rows, _, _ = both["sqlite"]["store"].search_page('"second round"', limit=50)
    assert total == lite_total and {r["id"] for r in rows} == {r["id"] for r in lite_rows}
    # Matched words are marked in the text's snippet (a match in the title alone leaves the snippet plain).
    assert sum("\ue000second\ue001 \ue000round\ue001" in r["snippet"] for r in rows) >= len(rows) - 1
    # Part of a word matches nothing in the index: the substring fallback finds it.
    total, rows, _, _ = store.search_page("ceasefi", limit=5)
    assert total > 0 and "\ue000ceasefi\ue001" in rows[0]["snippet"].lower()
    assert store.search_page("qwertyuiopzzz") == (0, [], False, None)
    assert store.search_page("ceasefire\x00")[3] == "Control characters (such as NUL) in the query were ignored."
    assert store.search('zzqx AND OR "( *') == []  # unbalanced FTS5-style syntax is not an error here
    assert {i for i, _ in store.search("ceasefire -Cambodia")} < lite_ids  # websearch syntax: -word excludes
    with store.engine.connect() as conn:
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT a.id FROM article a WHERE a.fts @@ websearch_to_tsquery('simple', 'ceasefire')"
        )))
    assert "ix_article_fts" in plan or "Seq Scan" in plan  # tiny tables may be scanned; the index must exist
    assert _rows(store, "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_article_fts'") == {("ix_article_fts",)}


def test_review_log_is_append_only_on_postgresql(both):
    store = both["pg"]["store"]
    r = Review(id="rev-pg-1", target_kind="incident", target_id="x", action="reject", value=None,
               reviewer="tester", reason="testing the append-only log", at="2026-11-22T00:00:00+00:00")
    store.append_review(r)
    with pytest.raises(StoreError, match="append-only"):
        store.append_review(r)
    for sql in ("UPDATE review SET reason = 'changed'", "DELETE FROM review"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(sql))
    assert [x.reason for x in store.reviews("x")] == ["testing the append-only log"]


def test_data_version_moves_with_every_write(both):
    store = both["pg"]["store"]
    before = store.data_version()
    store.set_state("unrelated", "1")
    assert store.data_version() == before
    store.replace_fused("incident", store.fused("incident")[1:])
    assert store.data_version() > before


def test_an_unreachable_server_is_a_clear_error(pg):
    url = pg.url("tw_nope").replace(f":{pg.port}/", f":{pg_server._free_port()}/")
    with pytest.raises(StoreError, match="Cannot open or migrate the store"):
        open_store(url)
    r = CliRunner().invoke(cli, ["--db", url, "articles"])
    assert r.exit_code != 0 and "Traceback" not in r.output and "Cannot open" in r.output


def test_two_ingests_at_once_share_one_store(pg, tmp_path):
    """Several machines can feed one PostgreSQL store: concurrent ingests of the same files never fail."""
    import threading

    url = pg.create_db()
    open_store(url).close()  # migrate first
    from trucewatch import pipeline

    errors, reports = [], []

    settings = Settings.from_env(env={}, db=url)
    stores = [open_store(settings) for _ in range(3)]  # opened here: Alembic's migration context is per process

    def one(store) -> None:
        try:
            reports.append(pipeline.ingest([str(SAMPLE)], settings, store))
        except Exception as e:  # collected for the assertion below
            errors.append(e)
        finally:
            store.close()

    threads = [threading.Thread(target=one, args=(s,)) for s in stores]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with open_store(url) as store:
        assert store.count("article") == 14
    assert sum(len(r.added) for r in reports) == 14  # each article added by exactly one of them
