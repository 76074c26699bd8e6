"""The JSON export: built from a real SQLite store after pipeline.fuse, validated against the published schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner
from fuse_scenario import scenario

from trucewatch import pipeline
from trucewatch.cli import cli
from trucewatch.fuse import build_export, export_schema, validate_export
from trucewatch.fuse.export import ExportError
from trucewatch.records import RawInput

REQUIRED = {
    "articles": {"id", "title", "outlet", "url", "source_path", "dateline", "published", "published_inferred", "language", "text"},
    "actors": {"id", "name", "kind", "aliases", "roles"},
    "quotes": {"id", "article_id", "text", "speaker", "speaker_actor_id", "cue", "direct", "start", "end", "cluster_id"},
    "claims": {"id", "article_id", "value", "low", "high", "category", "counted", "predicate", "claimant", "hedge", "start", "end", "incident_id"},
    "incidents": {"id", "type", "date_start", "date_end", "date_precision", "places", "actor_ids", "article_ids", "mentions",
                  "independent_sources", "corroboration", "casualties"},
    "disputes": {"id", "kind", "summary", "incident_id", "quote_cluster_id", "sides"},
    "stories": {"id", "title", "article_ids", "incident_ids"},
}


def fill(store, articles, analyses):
    for a in articles:
        store.add_article(a, RawInput(source=a.source_path or a.id, fmt="txt", data=a.text.encode()))
    store.save_analyses(analyses)


@pytest.fixture
def fused(settings, store):
    articles, analyses, ids = scenario()
    fill(store, articles, analyses)
    fusion = pipeline.fuse(settings, store)
    return store, fusion, ids


def test_export_has_the_contract_keys_and_validates(fused):
    store, fusion, ids = fused
    doc = build_export(store)
    validate_export(doc)
    for key, fields in REQUIRED.items():
        assert doc[key], f"{key} is empty"
        for rec in doc[key]:
            assert fields <= set(rec), f"{key} record lacks {fields - set(rec)}"
    assert doc["agreements"] == [] or isinstance(doc["agreements"], list)
    assert isinstance(doc["violations"], list)
    assert all({"name", "country", "admin1", "lat", "lon"} <= set(p) for i in doc["incidents"] for p in i["places"])
    assert any(i["places"] for i in doc["incidents"])
    assert len(doc["incidents"]) == len(fusion.incidents)
    assert {len(c["article_ids"]) for c in doc["copies"]} == {2}


def test_export_offsets_point_into_article_text(fused):
    store, _, ids = fused
    doc = build_export(store)
    text = {a["id"]: a["text"] for a in doc["articles"]}
    for q in doc["quotes"]:
        assert text[q["article_id"]][q["start"]:q["end"]] == q["text"]
    for c in doc["claims"]:
        assert 0 <= c["start"] < c["end"] <= len(text[c["article_id"]])
    for i in doc["incidents"]:
        for m in i["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text[m["article_id"]])
    for d in doc["disputes"]:
        for s in d["sides"]:
            for sp in s["spans"]:
                assert sp["end"] <= len(text[sp["article_id"]])


def test_export_links_quotes_claims_and_actors(fused):
    store, fusion, ids = fused
    doc = build_export(store)
    actor_ids = {a["id"] for a in doc["actors"]}
    incident_ids = {i["id"] for i in doc["incidents"]}
    cluster_ids = {c["id"] for c in doc["quote_clusters"]}
    assert all(q["speaker_actor_id"] in actor_ids for q in doc["quotes"] if q["speaker_actor_id"])
    assert all(q["cluster_id"] in cluster_ids for q in doc["quotes"])
    assert {c["incident_id"] for c in doc["claims"] if c["incident_id"]} <= incident_ids
    nine = next(c for c in doc["claims"] if c["id"] == ids["A2.nine"])
    assert nine["incident_id"] == fusion.claim_incident[ids["A2.nine"]]


def test_story_and_since_filters(fused):
    store, fusion, ids = fused
    flood_story = next(s for s in fusion.stories if ids["A11"] in s.article_ids)
    doc = build_export(store, story_id=flood_story.id)
    validate_export(doc)
    assert [a["id"] for a in doc["articles"]] == [ids["A11"]]
    assert len(doc["incidents"]) == 1 and not doc["disputes"]
    recent = build_export(store, since="2025-03-20")
    assert {a["id"] for a in recent["articles"]} == {ids["A8"], ids["A9"], ids["A11"]}


def test_validate_export_names_the_problem(fused):
    store, _, _ = fused
    doc = build_export(store)
    doc["incidents"][0]["corroboration"] = "probably"
    with pytest.raises(ExportError, match="corroboration"):
        validate_export(doc)


def test_schema_documents_every_field():
    schema = export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(node, path):
        if isinstance(node, dict):
            if "properties" in node:
                for name, sub in node["properties"].items():
                    assert sub.get("description"), f"{path}.{name} has no description"
                    walk(sub, f"{path}.{name}")
            if "items" in node:
                walk(node["items"], f"{path}[]")
    walk(schema, "$")
    assert set(REQUIRED) | {"copies", "agreements", "violations"} <= set(schema["required"])


def test_cli_fuse_and_export_json_and_jsonl(fused, settings, tmp_path):
    store, fusion, _ = fused
    runner = CliRunner()
    r = runner.invoke(cli, ["--db", settings.db, "fuse", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["incidents"] == len(fusion.incidents)
    out = tmp_path / "tw.json"
    r = runner.invoke(cli, ["--db", settings.db, "export", "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    validate_export(doc)
    r = runner.invoke(cli, ["--db", settings.db, "export", "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert lines[0]["record_type"] == "meta"
    assert sum(1 for x in lines if x["record_type"] == "incidents") == len(doc["incidents"])


def test_cli_export_bad_since_and_unknown_story_are_clear_errors(fused, settings):
    runner = CliRunner()
    r = runner.invoke(cli, ["--db", settings.db, "export", "--since", "yesterday"])
    assert r.exit_code == 1 and "ISO date" in r.output
    r = runner.invoke(cli, ["--db", settings.db, "export", "--story", "st_nope"])
    assert r.exit_code == 1 and "No story" in r.output


def test_analyze_runs_fusion_afterwards_unless_no_fuse():
    from trucewatch.cli import analyze as analyze_cli
    from trucewatch.cli import fuse as fuse_cli

    assert fuse_cli._fuse_after_analyze in analyze_cli.AFTER_ANALYZE
    r = CliRunner().invoke(cli, ["analyze", "--help"])
    assert r.exit_code == 0 and "--no-fuse" in r.output


def test_export_quotes_and_claims_carry_reviewers_corrections(fused, settings):
    from trucewatch import agree

    store, _, ids = fused
    agree.apply_review(store, agree.make_review("quote", ids["A2.sollen"], "set-speaker", value="Oren Valt",
                                                reason="the wire corrected it", reviewer="qa"))
    agree.apply_review(store, agree.make_review("claim", ids["A2.nine"], "set-figure", value="4",
                                                reason="ministry revised", reviewer="qa"))
    pipeline.fuse(settings, store)
    doc = build_export(store)
    validate_export(doc)
    q = next(q for q in doc["quotes"] if q["id"] == ids["A2.sollen"])
    assert q["speaker"] == "Oren Valt" and q["speaker_actor_id"] is None
    assert q["review"]["action"] == "set-speaker" and q["review"]["before"] == "Mira Sollen" and q["review"]["reviewer"] == "qa"
    c = next(c for c in doc["claims"] if c["id"] == ids["A2.nine"])
    assert (c["value"], c["low"], c["high"]) == (4, 4, 4)
    assert c["review"]["before"] == 9 and c["review"]["value"] == "4"
    untouched = next(q for q in doc["quotes"] if q["id"] == ids["A1.valt"])
    assert untouched["review"] is None
    # the figure dispute the correction settles is gone from the export too
    assert not [d for d in doc["disputes"] if d["kind"] == "figure"]
