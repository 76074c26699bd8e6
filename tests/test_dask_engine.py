"""engine=dask: the sample corpus analyzed on a real local Dask cluster (2 worker processes) matches engine=local."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from trucewatch import pipeline
from trucewatch.analyze import dask_engine
from trucewatch.cli import cli
from trucewatch.errors import ConfigError
from trucewatch.records import to_dict
from trucewatch.settings import Settings
from trucewatch.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-corpus"


def _ingested(tmp_path: Path, name: str, **kw) -> tuple[Settings, object]:
    settings = Settings.from_env(env={}, db=str(tmp_path / f"{name}.db"), **kw)
    store = open_store(settings)
    pipeline.ingest([str(SAMPLE)], settings, store)
    return settings, store


@pytest.fixture(scope="module")
def cluster():
    """One local cluster of two single-threaded worker processes for the module."""
    settings = Settings.from_env(env={}, batch_size=4)
    client, local = dask_engine.connect(settings, workers=2)
    yield client
    client.close()
    local.close()


def test_dask_engine_gives_the_same_analyses_as_local(tmp_path, cluster):
    lite_settings, lite = _ingested(tmp_path, "local", batch_size=4)
    pipeline.analyze(lite_settings, lite)
    settings, store = _ingested(tmp_path, "dask", batch_size=4, engine="dask")
    articles = store.articles()
    results = list(dask_engine.analyze_dask(articles, settings, client=cluster))
    assert [getattr(r, "article_id", None) for r in results] == [a.id for a in articles]  # input order kept
    store.save_analyses(results)
    expected = [to_dict(a) for a in lite.iter_analyses()]
    assert len(expected) == len(articles) > 10
    assert [to_dict(a) for a in store.iter_analyses()] == expected
    # Both workers took batches, and each loaded the model exactly once, however many batches it ran.
    loads = dask_engine.worker_loads(cluster)
    assert len(loads) == 2 and all(n == 1 for n in loads.values()), loads
    list(dask_engine.analyze_dask(articles[:3], settings, client=cluster))
    assert dask_engine.worker_loads(cluster) == loads  # a second run reuses the loaded models
    lite.close()
    store.close()


def test_cli_analyze_with_engine_dask_starts_and_stops_a_local_cluster(tmp_path):
    settings, store = _ingested(tmp_path, "cli")
    store.close()
    r = CliRunner().invoke(cli, ["--db", settings.db, "analyze", "--engine", "dask", "--processes", "2", "--batch-size", "8"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "14 analyzed" in r.output
    with open_store(settings) as s:
        assert s.count("analysis") == s.count("article") == 14


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    settings = Settings.from_env(env={}, engine="dask", dask_scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigError, match="Could not connect to the Dask scheduler at tcp://127.0.0.1:9"):
        dask_engine.connect(settings, timeout="2s")


def test_an_unknown_engine_is_a_clear_error(tmp_path):
    settings, store = _ingested(tmp_path, "bad", engine="spark")
    with pytest.raises(ConfigError, match="Unknown analyze engine 'spark'"):
        pipeline.analyze(settings, store)
    store.close()
