"""Records round-trip through JSON and the store; the store is a real SQLite file with WAL and migrations."""

from __future__ import annotations

import pickle
import sqlite3

import pytest
from sqlalchemy.exc import SQLAlchemyError

from trucewatch.errors import ConfigError, NotFoundError, StoreError
from trucewatch.records import (
    Analysis,
    Article,
    Claim,
    EventMention,
    Place,
    Quote,
    RawInput,
    Review,
    TimeExpr,
    from_dict,
    stable_id,
    to_dict,
)
from trucewatch.settings import Settings
from trucewatch.store import SCHEMA_HEAD, open_store


def _article(text: str = "Talks resumed in Doha on Monday.") -> Article:
    return Article(
        id=stable_id(text),
        title="Talks resume",
        outlet="Example Post",
        url="https://example.org/a",
        source_path="a.txt",
        dateline="DOHA — Mar 3",
        published="2026-03-03",
        published_inferred=False,
        published_origin="dateline",
        published_precision="day",
        published_range=None,
        language="en",
        text=text,
        fmt="txt",
        raw_sha256="0" * 64,
    )


def _analysis(article_id: str) -> Analysis:
    place = Place(name="Doha", start=16, end=20, country="Qatar", country_code="QA", lat=25.28, lon=51.53)
    when = TimeExpr("on Monday", 21, 30, "2026-03-02", "2026-03-02", "day")
    return Analysis(
        article_id=article_id,
        pipeline_version="test-1",
        quotes=(Quote("q1", article_id, "We are ready", "the minister", None, "said", True, 0, 12),),
        claims=(
            Claim("c1", article_id, 12.0, 12.0, 12.0, "dozens", "killed", "soldiers", "killed", None, "the army",
                  None, "claimed", 0, 5),
        ),
        events=(EventMention("e1", article_id, "talks", "Talks", 0, 5, 0, 31, places=(place,), time=when),),
        places=(place,),
        times=(when,),
    )


def test_stable_id_is_deterministic_and_sensitive():
    assert stable_id("a", 1) == stable_id("a", 1)
    assert stable_id("a", 1) != stable_id("a", 2)
    assert stable_id("a1") != stable_id("a", 1)


def test_records_round_trip_through_dicts_and_pickle():
    a = _article()
    an = _analysis(a.id)
    assert from_dict(Article, to_dict(a)) == a
    assert from_dict(Analysis, to_dict(an)) == an
    assert pickle.loads(pickle.dumps(an)) == an
    back = from_dict(Analysis, to_dict(an))
    assert isinstance(back.events[0].places, tuple) and isinstance(back.events[0].places[0], Place)
    assert isinstance(back.events[0].time, TimeExpr)


def test_settings_env_and_overrides():
    s = Settings.from_env(env={"TRUCEWATCH_MAX_BYTES": "5", "TRUCEWATCH_ALLOW_PRIVATE": "yes"}, timeout=3.0)
    assert (s.max_bytes, s.allow_private, s.timeout) == (5, True, 3.0)
    with pytest.raises(ConfigError, match="TRUCEWATCH_MAX_BYTES"):
        Settings.from_env(env={"TRUCEWATCH_MAX_BYTES": "lots"})
    with pytest.raises(ConfigError, match="Unknown setting"):
        Settings.from_env(env={}, colour="red")
    assert Settings(db="x.db").db_url.startswith("sqlite:////")


def test_store_is_a_migrated_wal_sqlite_file(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(str(path))
    assert store.schema_version() == SCHEMA_HEAD
    store.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {"article", "raw_input", "analysis", "fused_record", "review", "article_fts"} <= names
    con.close()
    open_store(str(path)).close()  # reopening an up-to-date store is a no-op


def test_store_articles_raw_and_duplicates(store):
    a = _article()
    raw = RawInput(source="a.txt", fmt="txt", data=b"raw bytes \xff")
    assert store.add_article(a, raw) == "added"
    assert store.add_article(a, raw) == "duplicate"
    assert store.count() == 1
    assert store.article(a.id) == a
    assert store.article(a.id[:6]) == a
    assert store.raw_bytes(raw.sha256) == b"raw bytes \xff"
    assert store.has_raw(raw.sha256) == a.id
    with pytest.raises(NotFoundError):
        store.article("nope-nope")
    assert store.search("Doha")[0][0] == a.id


def test_store_analyses_and_versions(store):
    a = _article()
    store.add_article(a, RawInput(source="a.txt", fmt="txt", data=b"x"))
    assert store.ids_needing_analysis("test-1") == [a.id]
    store.save_analyses([_analysis(a.id)])
    assert store.ids_needing_analysis("test-1") == []
    assert store.ids_needing_analysis("test-2") == [a.id]
    assert store.analysis(a.id) == _analysis(a.id)


def test_review_log_is_append_only(store):
    r = Review("r1", "violation", "v1", "confirm", None, "ana", "two sources", "2026-03-04T10:00:00Z")
    store.append_review(r)
    assert store.reviews("v1") == [r]
    with pytest.raises(StoreError):
        store.append_review(r)
    with store.engine.begin() as conn, pytest.raises(SQLAlchemyError, match="append-only"):
        conn.exec_driver_sql("UPDATE review SET action='reject'")
    with store.engine.begin() as conn, pytest.raises(SQLAlchemyError, match="append-only"):
        conn.exec_driver_sql("DELETE FROM review")
    assert store.reviews() == [r]


def test_store_errors_are_clear(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="trucewatch database"):
        open_store(str(bad))
