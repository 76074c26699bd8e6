"""End to end over the bundled sample corpus: ingest + analyze (real spaCy model) + fuse + agree,
run once for the module into a real SQLite file, then checked against the ground truth written in
examples/README.md. Prints a readable summary (run with ``-s`` to see it)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from trucewatch import pipeline
from trucewatch.fuse import load_fusion
from trucewatch.settings import Settings
from trucewatch.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp("e2e") / "e2e.db"))
    store = open_store(settings)
    pipeline.ingest([str(EXAMPLES)], settings, store)
    pipeline.analyze(settings, store)
    pipeline.fuse(settings, store)
    fusion = load_fusion(store)
    arts = {a.id: a for a in store.articles()}
    yield store, fusion, arts
    store.close()


def _outlets(arts, ids):
    return sorted({arts[a].outlet or "?" for a in ids})


def _covers(inc, day: str) -> bool:
    return bool(inc.date_start and inc.date_end and inc.date_start <= day <= inc.date_end)


def test_print_summary(world):
    store, fusion, arts = world
    print(f"\n{len(arts)} articles, {len(fusion.incidents)} incidents, {len(fusion.disputes)} disputes")
    for a in sorted(arts.values(), key=lambda a: a.published or ""):
        print(f"  {a.published} {a.published_range or ''} {a.outlet}: {(a.title or '')[:70]}")
    for i in sorted(fusion.incidents, key=lambda i: (i.date_start or "", i.id)):
        print(f"  {i.date_start}..{i.date_end} {i.type:<18} sources={i.independent_sources} {_outlets(arts, i.article_ids)}")
        for c in i.casualties:
            print(f"      {c.category} {c.counted} {c.side or ''}: {c.low}/{c.best}/{c.high} {list(c.claimants)}")
    for d in fusion.disputes:
        print(f"  [{d.kind}] {d.summary[:160]}")
    for v in store.fused("violation"):
        print(f"  violation {v['date']} accused={v['accused']} accusers={v['accusers']} {v['corroboration']}")
    assert fusion.incidents


def test_wire_copies_are_one_group_and_one_source(world):
    _, fusion, arts = world
    groups = [g for g in fusion.copies if _outlets(arts, g.article_ids) == ["Andaman Daily", "Gulf of Siam Post"]]
    assert len(groups) == 1, [(_outlets(arts, g.article_ids)) for g in fusion.copies]
    wire = set(groups[0].article_ids)
    assert len(wire) == 2
    # an incident carried only by the two copies plus others counts the copies once
    carrying = [i for i in fusion.incidents if wire <= set(i.article_ids)]
    assert carrying
    for i in carrying:
        assert i.independent_sources <= len(set(i.article_ids)) - 1


def test_the_two_talks_rounds_are_different_incidents(world):
    _, fusion, _ = world
    talks = [i for i in fusion.incidents if i.type in ("talks", "ceasefire")]
    first = [i for i in talks if i.type == "talks" and _covers(i, "2026-03-13")]
    second = [i for i in talks if _covers(i, "2026-03-23")]
    assert first and second
    assert not {i.id for i in first} & {i.id for i in second}
    for i in talks:
        assert not (_covers(i, "2026-03-13") and _covers(i, "2026-03-22")), i


def test_the_two_shellings_at_one_crossing_are_different_incidents(world):
    _, fusion, _ = world
    fighting = [i for i in fusion.incidents if i.type in ("shelling", "armed_clash", "cross_border_fire", "attack")]
    first = [i for i in fighting if i.date_start == i.date_end == "2026-03-07"]
    second = [i for i in fighting if i.date_start == i.date_end == "2026-03-17"]
    assert first and second
    for i in fighting:
        assert not (_covers(i, "2026-03-07") and _covers(i, "2026-03-17")), i


def test_the_8_march_clash_has_the_army_vs_ministry_figure_dispute(world):
    _, fusion, _ = world
    by_id = {i.id: i for i in fusion.incidents}
    clash = [i for i in fusion.incidents if i.date_start == i.date_end == "2026-03-08" and i.type == "armed_clash"]
    assert len(clash) == 1
    figures = [d for d in fusion.disputes if d.kind == "figure" and d.incident_id == clash[0].id]
    sides = [{(s.value, s.claimant) for s in d.sides} for d in figures]
    assert any(any("14" in v and "army" in c.lower() for v, c in s) and any(v.lower() in ("three", "3") for v, _ in s)
               for s in sides), sides
    assert all(by_id[d.incident_id].date_start == "2026-03-08" for d in figures)


def test_speaker_dispute(world):
    _, fusion, _ = world
    speakers = [{s.value.replace("Gen. ", "") for s in d.sides} for d in fusion.disputes if d.kind == "speaker"]
    assert any({"Keo Rithisak", "Chea Sokha"} <= s for s in speakers), speakers


def test_status_dispute(world):
    _, fusion, _ = world
    status = [{s.value for s in d.sides} for d in fusion.disputes if d.kind == "status"]
    assert any("collapsed" in s and s & {"holds", "in force", "holding"} for s in status), status


def test_the_agreement(world):
    store, _, _ = world
    agreements = [a for a in store.fused("agreement") if a["kind"] == "ceasefire"]
    assert len(agreements) == 1
    a = agreements[0]
    assert sorted(a["parties"]) == ["Cambodia", "Thailand"]
    assert a["venue"] == "Kuala Lumpur"
    assert a["date_agreed"] == "2026-03-23"
    assert "Malaysia" in a["mediators"]
    terms = " | ".join(a["terms"]).lower()
    assert "ceasefire" in terms
    assert "monitoring" in terms
    assert "penalt" in terms
    assert "territory" in terms


def test_the_26_march_violation_is_contested(world):
    store, _, _ = world
    found = [v for v in store.fused("violation") if v["date"] == "2026-03-26"]
    assert len(found) == 1, [v["date"] for v in store.fused("violation")]
    v = found[0]
    assert v["accused"] == ["Cambodia"]
    assert v["accusers"] == ["Thailand"]
    assert "Cambodia" in v["denied_by"]
    assert v["corroboration"] == "contested"


def test_the_8_march_sequence_dispute(world):
    _, fusion, arts = world
    on_8_march = {i.id for i in fusion.incidents if _covers(i, "2026-03-08") and i.date_start >= "2026-03-01"}
    seq = [d for d in fusion.disputes if d.kind == "sequence" and d.incident_id in on_8_march]
    assert seq, [d.summary for d in fusion.disputes]
    claimants = [_outlets(arts, s.article_ids) for s in seq[0].sides]
    assert ["Mekong Herald"] in claimants and ["Phnom Penh Ledger"] in claimants


def test_army_toll_of_14_belongs_to_8_march(world):
    store, fusion, _ = world
    inc = {i.id: i for i in fusion.incidents}
    fourteen = [c for an in store.iter_analyses() for c in an.claims if c.value == 14 and c.category == "killed"]
    assert fourteen
    for c in fourteen:
        assert inc[fusion.claim_incident[c.id]].date_start == "2026-03-08", c


def test_the_drone_wounded_are_not_on_the_26_march_incident(world):
    _, fusion, _ = world
    for i in fusion.incidents:
        if _covers(i, "2026-03-26") and i.date_end <= "2026-03-27":
            assert not [c for c in i.casualties if c.counted == "soldiers"], i.casualties


def test_undated_articles_get_their_inferred_publication_dates(world):
    _, _, arts = world
    by_title = {(a.title or "")[:40]: a for a in arts.values()}
    drone = next(a for t, a in by_title.items() if "drone" in t.lower())
    assert drone.published == "2026-03-28"
    second = next(a for a in arts.values() if a.outlet == "Mekong Herald" and a.published_range)
    assert second.published in ("2026-03-17", "2026-03-18")


def test_the_28_march_drone_attack_is_its_own_incident(world):
    _, fusion, _ = world
    drone = [i for i in fusion.incidents if i.date_start == "2026-03-28"]
    assert len(drone) == 1, [(i.date_start, i.type) for i in fusion.incidents]
    assert any(p.name == "Choam Ksant" for p in drone[0].places)
    assert [(c.category, c.best) for c in drone[0].casualties] == [("injured", 2.0)]


def test_the_28_march_drone_violation(world):
    store, _, _ = world
    found = [v for v in store.fused("violation") if v["date"] == "2026-03-28"]
    assert len(found) == 1, [v["date"] for v in store.fused("violation")]
    assert found[0]["accused"] == ["Thailand"]
    assert found[0]["accusers"] == ["Cambodia"]
