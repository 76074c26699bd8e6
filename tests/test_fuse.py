"""Fusion on a hand-made story with known incidents, copies, quote clusters and every dispute kind."""

from __future__ import annotations

import dataclasses

import pytest
from fuse_builders import ArticleBuilder, place
from fuse_scenario import scenario

from trucewatch.fuse import fuse
from trucewatch.records import Review


@pytest.fixture(scope="module")
def world():
    articles, analyses, ids = scenario()
    return articles, analyses, ids, fuse(articles, analyses)


def incident_with(fusion, event_id):
    found = [i for i in fusion.incidents if any(m.event_id == event_id for m in i.mentions)]
    assert len(found) == 1, f"event {event_id} is in {len(found)} incidents"
    return found[0]


def test_reports_of_one_shelling_become_one_incident(world):
    _, _, ids, f = world
    kel = incident_with(f, ids["A1.kel"])
    assert {m.event_id for m in kel.mentions} >= {ids["A1.kel"], ids["A2.kel"], ids["A4.kel"], ids["A10.kel"]}
    assert set(kel.article_ids) == {ids[k] for k in ("A1", "A2", "A3", "A4", "A10")}
    assert kel.type == "shelling"
    assert (kel.date_start, kel.date_end, kel.date_precision) == ("2025-03-08", "2025-03-08", "day")
    assert kel.places[0].name == "Kel Ridge"


def test_copy_counts_once_among_independent_sources(world):
    _, _, ids, f = world
    kel = incident_with(f, ids["A1.kel"])
    # River Times + its Coast Daily copy, Harbor Post, Valley Voice, Ostria Today
    assert kel.independent_sources == 4
    [group] = [g for g in f.copies if ids["A1"] in g.article_ids]
    assert set(group.article_ids) == {ids["A1"], ids["A3"]}
    assert group.original_id in group.article_ids and "jaccard" in group.reason
    assert len(f.copies) == 1


def test_two_rounds_of_talks_in_one_city_stay_apart(world):
    _, _, ids, f = world
    first, second = incident_with(f, ids["A5.talks"]), incident_with(f, ids["A6.talks"])
    assert first.id != second.id
    assert incident_with(f, ids["A7.talks"]).id == first.id
    assert first.independent_sources == 2 and first.corroboration == "corroborated"
    assert second.independent_sources == 1 and second.corroboration == "single source"
    assert (first.date_start, second.date_start) == ("2025-02-28", "2025-03-11")


def test_casualties_give_low_best_high_and_acled(world):
    _, _, ids, f = world
    kel = incident_with(f, ids["A1.kel"])
    [killed] = [c for c in kel.casualties if c.category == "killed"]
    assert killed.counted == "soldiers"
    # claimants: Varenian army (4, told by two outlets: one claimant), Varenian officials (4), the ministry (9)
    assert (killed.low, killed.best, killed.high, killed.acled) == (4, 4, 9, 4)
    assert {ids["A1.four"], ids["A2.nine"], ids["A4.four"]} <= set(killed.claim_ids)
    assert f.claim_incident[ids["A2.nine"]] == kel.id


def test_every_dispute_kind_is_found(world):
    _, _, ids, f = world
    kinds = {d.kind for d in f.disputes}
    assert kinds == {"figure", "date", "speaker", "sequence", "status", "responsibility"}
    kel = incident_with(f, ids["A1.kel"])
    by_kind = {d.kind: d for d in f.disputes}
    assert by_kind["figure"].incident_id == kel.id
    assert sorted(s.value for s in by_kind["figure"].sides) == ["four soldiers", "nine soldiers"]
    assert "Ostria's defence ministry" in {s.claimant for s in by_kind["figure"].sides}
    assert sorted(s.value for s in by_kind["date"].sides) == ["2025-03-07", "2025-03-08"]
    assert {s.value for s in by_kind["status"].sides} == {"collapsed", "holds"}
    assert {a for s in by_kind["status"].sides for a in s.article_ids} == {ids["A8"], ids["A9"]}
    resp = by_kind["responsibility"]
    assert resp.incident_id == kel.id and resp.sides[0].value == "Ostria is responsible"
    assert resp.sides[1].article_ids == (ids["A10"],)
    seq = by_kind["sequence"]
    assert {a for s in seq.sides for a in s.article_ids} >= {ids["A1"], ids["A2"]}
    for d in f.disputes:
        assert len(d.sides) >= 2 and all(s.article_ids for s in d.sides)
        for s in d.sides:
            assert all(sp.article_id in s.article_ids for sp in s.spans)


def test_disputed_incidents_are_contested(world):
    _, _, ids, f = world
    assert incident_with(f, ids["A1.kel"]).corroboration == "contested"
    tavo = incident_with(f, ids["A1.tavo"])
    assert tavo.corroboration == "contested"  # sequence dispute
    kel = incident_with(f, ids["A1.kel"])
    assert tavo.id in kel.follows_from and kel.id in tavo.follows_from


def test_quote_clusters_and_speaker_dispute(world):
    _, _, ids, f = world
    menz = f.quote_cluster[ids["A1.menz"]]
    assert f.quote_cluster[ids["A2.menz"]] == menz  # partial quote vs full quote
    valt = f.quote_cluster[ids["A1.valt"]]
    assert f.quote_cluster[ids["A2.sollen"]] == valt
    speaker = [d for d in f.disputes if d.kind == "speaker"]
    assert [d.quote_cluster_id for d in speaker] == [valt]  # "Menz" vs "Col. Dario Menz" is no dispute
    assert {s.value for s in speaker[0].sides} == {"Oren Valt", "Mira Sollen"}
    cluster = next(c for c in f.quote_clusters if c.id == valt)
    assert cluster.independent_sources == 2  # A1 and its copy count once, plus A2


def test_canonical_actors_merge_short_names_and_keep_roles(world):
    _, _, _, f = world
    [menz] = [a for a in f.actors if a.name == "Col. Dario Menz"]
    assert "Menz" in menz.aliases and len(menz.article_ids) == 3
    assert "army spokesman" in menz.roles
    names = [a.name for a in f.actors]
    assert names.count("Ostria") == 1 and names.count("Varenian army") == 1
    assert set(f.actor_canonical) == {a for c in f.actors for a in c.member_ids}


def test_unrelated_story_is_separate(world):
    _, _, ids, f = world
    story_of = {a: s.id for s in f.stories for a in s.article_ids}
    assert story_of[ids["A1"]] == story_of[ids["A2"]] == story_of[ids["A3"]] == story_of[ids["A10"]]
    assert story_of[ids["A11"]] != story_of[ids["A1"]]
    flood = incident_with(f, ids["A11.flood"])
    assert flood.story_id == story_of[ids["A11"]]
    assert all(i.story_id for i in f.incidents)
    for s in f.stories:
        assert s.title and set(s.incident_ids) <= {i.id for i in f.incidents}


def test_summary_is_a_source_sentence(world):
    articles, _, ids, f = world
    texts = [a.text for a in articles]
    for i in f.incidents:
        assert i.summary and any(i.summary in t for t in texts)


def test_hedged_ranges_that_overlap_are_no_figure_dispute():
    a = ArticleBuilder("X1", "One", "2025-01-10", "At least ten soldiers were killed at Dorn, the army said.")
    a.claim("At least ten soldiers", 10, claimant="the army", hedge="at least", event=a.event("armed_clash", "killed", places=[place("Dorn", "XV")]))
    b = ArticleBuilder("X2", "Two", "2025-01-10", "Twelve soldiers were killed in fighting at Dorn, a medic said.")
    b.claim("Twelve soldiers", 12, claimant="a medic", event=b.event("armed_clash", "fighting", places=[place("Dorn", "XV")]))
    pairs = [a.build(), b.build()]
    f = fuse([p[0] for p in pairs], [p[1] for p in pairs])
    assert len(f.incidents) == 1
    [est] = f.incidents[0].casualties
    assert (est.low, est.best, est.high, est.acled) == (10, 10, 12, 10)
    assert not [d for d in f.disputes if d.kind == "figure"]


def test_soldiers_and_civilians_are_kept_apart():
    a = ArticleBuilder("Y1", "One", "2025-01-10", "Shelling at Dorn killed three soldiers and five civilians, officials said.")
    e = a.event("shelling", "Shelling", places=[place("Dorn", "XV")])
    a.claim("three soldiers", 3, claimant="officials", event=e)
    a.claim("five civilians", 5, counted="civilians", claimant="officials", event=e)
    art, an = a.build()
    [inc] = fuse([art], [an]).incidents
    assert {(c.counted, c.best) for c in inc.casualties} == {("soldiers", 3), ("civilians", 5)}


def test_reviews_merge_split_and_fix_figures_and_speakers(world):
    articles, analyses, ids, f = world
    talks1, talks2 = incident_with(f, ids["A5.talks"]), incident_with(f, ids["A6.talks"])
    reviews = [
        Review("r1", "incident", talks1.id, "merge", talks2.id, "ana", "same meeting", "2025-04-01T00:00:00Z"),
        Review("r2", "claim", ids["A2.nine"], "set-figure", "4", "ana", "ministry corrected", "2025-04-01T00:00:01Z"),
        Review("r3", "quote", ids["A2.sollen"], "set-speaker", "Oren Valt", "ana", "video", "2025-04-01T00:00:02Z"),
    ]
    g = fuse(articles, analyses, reviews=reviews)
    assert incident_with(g, ids["A5.talks"]).id == incident_with(g, ids["A6.talks"]).id
    assert not [d for d in g.disputes if d.kind in ("figure", "speaker")]
    merged = incident_with(g, ids["A5.talks"])
    split = Review("r4", "incident", merged.id, "split", ids["A6"], "ana", "no", "2025-04-02T00:00:00Z")
    h = fuse(articles, analyses, reviews=[*reviews, split])
    assert incident_with(h, ids["A5.talks"]).id != incident_with(h, ids["A6.talks"]).id


def test_negated_events_are_not_incidents_and_analyses_without_articles_are_ignored(world):
    articles, analyses, ids, f = world
    an = analyses[0]
    ev = dataclasses.replace(an.events[0], id="e_neg", negated=True)
    g = fuse(articles[1:], [dataclasses.replace(an, events=(ev,)), *analyses[1:]])
    assert all(m.event_id != "e_neg" for i in g.incidents for m in i.mentions)
    assert articles[0].id not in {a for i in g.incidents for a in i.article_ids}


def test_a_merged_incident_keeps_the_reviewed_id_whichever_member_comes_first(world):
    from trucewatch.fuse.reviews import apply_to_clusters, cluster_id
    from trucewatch.records import Review

    clusters = [["e5", "e6"], ["e1", "e2"], ["e9"]]
    target = cluster_id(["e5", "e6"])
    merge = Review("r1", "incident", target, "merge", cluster_id(["e1", "e2"]), "qa", "same", "2026-01-01T00:00:00")
    named: dict[str, str] = {}
    out = apply_to_clusters(clusters, [merge], {}, named)
    assert out == [["e1", "e2", "e5", "e6"], ["e9"]]
    assert cluster_id(out[0], named) == target
    # a later split of that incident finds it by the same id and the rest keeps it
    split = Review("r2", "incident", target, "split", "e1", "qa", "not the same", "2026-01-02T00:00:00")
    named = {}
    out = apply_to_clusters(clusters, [merge, split], {}, named)
    assert sorted(out) == [["e1"], ["e2", "e5", "e6"], ["e9"]]
    assert cluster_id(["e2", "e5", "e6"], named) == target


def test_an_outlets_figure_is_the_largest_it_gives_while_parties_claims_stay_apart():
    # one report: the police count five wounded, the reporter then singles one of them out
    text = ("Five people were wounded in a shooting at a skating rink in Dorn on Friday, police said. "
            "One of them, a 19-year-old man, is in critical condition.")
    a = ArticleBuilder("L1", "Dorn Ledger", "2025-01-11", text)
    e = a.event("shooting", "shooting", places=[place("Dorn", "XV")], time=("on Friday", "2025-01-10"))
    a.claim("Five people", 5, "injured", counted="people", claimant="police", event=e)
    a.claim("One of them", 1, "injured", counted="people", event=e)
    f = fuse(*map(list, zip(a.build())))
    [est] = f.incidents[0].casualties
    assert est.best == 5 and est.low == 1
    # a report of two parties' claims: each party's figure stays its own, and the best is not simply the larger
    text2 = ("The army said it killed 40 fighters near Dorn on Friday. "
             "The Dorn Front said six of its fighters died in the clash.")
    b = ArticleBuilder("C1", "Coast Daily", "2025-01-11", text2)
    army = b.actor("army", "government")
    front = b.actor("Dorn Front", "armed_group")
    e2 = b.event("armed_clash", "clash", places=[place("Dorn", "XV")], time=("on Friday", "2025-01-10"))
    b.claim("40 fighters", 40, counted="fighters", claimant="the army", claimant_actor=army, event=e2)
    b.claim("six of its fighters", 6, counted="fighters", claimant="Dorn Front", claimant_actor=front, event=e2)
    f2 = fuse(*map(list, zip(b.build())))
    [est2] = [c for c in f2.incidents[0].casualties if c.category == "killed"]
    assert (est2.low, est2.best, est2.high) == (6, 6, 40)
