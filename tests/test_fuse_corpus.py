"""Fusion end to end: ingest + analyze (real spaCy model) + fuse over the bundled sample corpus and,
when present, the shared real corpus. Prints incidents and disputes for people to read."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from trucewatch import pipeline
from trucewatch.fuse import build_export, load_fusion, validate_export
from trucewatch.records import to_dict
from trucewatch.settings import Settings
from trucewatch.store import open_store

pytestmark = pytest.mark.slow


def _fused_store(tmp_path_factory, name, source):
    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp(name) / "fuse.db"))
    store = open_store(settings)
    pipeline.ingest([str(source)], settings, store)
    pipeline.analyze(settings, store)
    fusion = pipeline.fuse(settings, store)
    return settings, store, fusion


def _print(store, fusion):
    arts = {a.id: a for a in store.articles()}
    print(f"\n{len(fusion.incidents)} incidents, {len(fusion.disputes)} disputes, {len(fusion.copies)} copy groups")
    for i in sorted(fusion.incidents, key=lambda i: (i.date_start or "", i.id)):
        outlets = sorted({arts[a].outlet or "?" for a in i.article_ids})
        print(f"  {i.date_start}..{i.date_end} {i.type:<18} sources={i.independent_sources} {i.corroboration:<13} {outlets}")
        print(f"      {i.summary[:140]}")
        for c in i.casualties:
            print(f"      {c.category} {c.counted} {c.side or ''}: low {c.low} best {c.best} high {c.high} (ACLED {c.acled}) {list(c.claimants)}")
    for d in fusion.disputes:
        print(f"  [{d.kind}] {d.summary[:220]}")


def _invariants(store, fusion):
    arts = {a.id: a for a in store.articles()}
    assert fusion.incidents
    for i in fusion.incidents:
        assert i.mentions and set(i.article_ids) == {m.article_id for m in i.mentions}
        for m in i.mentions:
            assert 0 <= m.start < m.end <= len(arts[m.article_id].text)
        assert 1 <= i.independent_sources <= len(i.article_ids)
        if i.corroboration == "corroborated":
            assert i.independent_sources >= 2
        if i.corroboration == "single source":
            assert i.independent_sources == 1
        if i.date_start and i.date_end:
            assert i.date_start <= i.date_end
        for c in i.casualties:
            # high is None when an open-ended figure ("at least 10") tops the claims: no upper bound
            assert c.low <= c.best <= (c.high if c.high is not None else c.best) and c.acled >= c.low
    for d in fusion.disputes:
        assert len(d.sides) >= 2
        for s in d.sides:
            for sp in s.spans:
                assert sp.end <= len(arts[sp.article_id].text)
    for g in fusion.copies:
        assert len(g.article_ids) >= 2 and g.original_id in g.article_ids
    doc = build_export(store)
    validate_export(doc)
    assert to_dict(load_fusion(store)) == to_dict(fusion)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings, store, fusion = _fused_store(tmp_path_factory, "sample", EXAMPLES)
    yield settings, store, fusion
    store.close()


def test_sample_corpus_invariants_and_report(sample):
    _, store, fusion = sample
    _print(store, fusion)
    _invariants(store, fusion)


def test_sample_corpus_wire_copies_are_one_group(sample):
    _, store, fusion = sample
    outlets = [sorted(store.article(a).outlet or "" for a in g.article_ids) for g in fusion.copies]
    assert ["Andaman Daily", "Gulf of Siam Post"] in outlets


def test_sample_corpus_look_alike_incidents_stay_apart(sample):
    _, _, fusion = sample
    for i in fusion.incidents:
        # the two exchanges at one crossing (Mar 7 / Mar 17) and the two talks rounds (Mar 13 / Mar 23)
        assert not (i.date_start and i.date_end and i.date_start <= "2026-03-08" and i.date_end >= "2026-03-17"), i
        assert not (i.type == "talks" and i.date_start and i.date_end and i.date_start <= "2026-03-13" and i.date_end >= "2026-03-22"), i


def test_sample_corpus_known_disputes(sample):
    _, _, fusion = sample
    kinds = {d.kind for d in fusion.disputes}
    assert {"figure", "speaker", "status"} <= kinds
    speakers = [{s.value for s in d.sides} for d in fusion.disputes if d.kind == "speaker"]
    assert any({"Keo Rithisak", "Chea Sokha"} <= {v.replace("Gen. ", "") for v in sv} for sv in speakers), speakers


def test_refusing_again_gives_the_same_ids(sample):
    settings, store, fusion = sample
    again = pipeline.fuse(settings, store)
    assert [i.id for i in again.incidents] == [i.id for i in fusion.incidents]
    assert [d.id for d in again.disputes] == [d.id for d in fusion.disputes]


def test_shared_corpus_invariants(shared_corpus, tmp_path_factory):
    _, store, fusion = _fused_store(tmp_path_factory, "shared", shared_corpus)
    try:
        _print(store, fusion)
        _invariants(store, fusion)
    finally:
        store.close()
