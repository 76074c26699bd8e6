"""Stories: one real-world story each, whatever the wording, the order of the input or the dates known.

The fictional town of Corvel Bay and its people are invented for these tests."""

from __future__ import annotations

import dataclasses
import random

from fuse_builders import ArticleBuilder, copy_article, place

from trucewatch.fuse import FuseCache, fuse, fuse_with_cache
from trucewatch.fuse.stories import StoryParams, stories, template_title
from trucewatch.records import Incident

CORVEL = place("Corvel Bay", "XV", admin1="Lanmark")
KEL = dataclasses.replace(place("Kel Ridge", "XV"), country="Varenia")
TAVO = dataclasses.replace(place("Tavo", "XO"), country="Ostria")


def _shooting(key, outlet, published, text, when, day, victim, shooter=None):
    b = ArticleBuilder(key, outlet, published, text)
    target = [b.actor(victim)]
    acting = [b.actor(shooter)] if shooter else []
    b.event("shooting", "shot", acting=acting, target=target, places=[CORVEL], time=(when, day))
    return b.build()


def _two_shootings_a_week_apart():
    """Two shootings in one town, a week apart, told in much the same words (the town, the police, the street)."""
    return [
        _shooting("s1", "Bay Courier", "2025-05-04",
                  "Corvel Bay police said Anton Merrow was shot outside a bakery on Harbour Street on Saturday night. "
                  "Officers closed Harbour Street and asked witnesses in Corvel Bay to come forward.",
                  "on Saturday", "2025-05-03", "Anton Merrow"),
        _shooting("s2", "Lanmark Daily", "2025-05-05",
                  "Anton Merrow, 41, was shot on Harbour Street in Corvel Bay on Saturday, police said. "
                  "The Corvel Bay police chief asked anyone who saw the gunman to call officers.",
                  "on Saturday", "2025-05-03", "Anton Merrow"),
        _shooting("s3", "Bay Courier", "2025-05-11",
                  "Corvel Bay police said Lise Ornand was shot near the ferry terminal on Harbour Street on Saturday. "
                  "Officers closed the street and asked witnesses in Corvel Bay to come forward.",
                  "on Saturday", "2025-05-10", "Lise Ornand"),
        _shooting("s4", "Lanmark Daily", "2025-05-12",
                  "Lise Ornand, 29, was shot on Harbour Street in Corvel Bay on Saturday, police said. "
                  "The Corvel Bay police chief asked anyone who saw the gunman to call officers.",
                  "on Saturday", "2025-05-10", "Lise Ornand"),
    ]


def _story_of(fusion):
    return {a: s.id for s in fusion.stories for a in s.article_ids}


def test_two_shootings_in_one_town_a_week_apart_are_two_stories():
    pairs = _two_shootings_a_week_apart()
    f = fuse([a for a, _ in pairs], [an for _, an in pairs])
    st = _story_of(f)
    (a1, _), (a2, _), (a3, _), (a4, _) = pairs
    assert st[a1.id] == st[a2.id] and st[a3.id] == st[a4.id]
    assert st[a1.id] != st[a3.id]
    # the dates keep them apart: the same articles with the date rule switched off form one story
    loose = stories([a for a, _ in pairs], (), f.incidents, analyses={an.article_id: an for _, an in pairs},
                    canon=f.actor_canonical, actors=f.actors, params=StoryParams(date_gap=10**6, threshold=0.1))
    assert len(loose) == 1


def _flood_world():
    wire = ArticleBuilder("w1", "Coastline Wire", "2025-09-02",
                          "Floodwater from the Orrin river swept through Tamsford overnight, forcing Mayor Edda Quill "
                          "to open the sports hall to families. Engineers said the Orrin levee failed near the mill.")
    wire.actor("Edda Quill")
    wire.event("flood", "Floodwater", places=[place("Tamsford", "XV")])
    w_art, w_an = wire.build()
    copy = copy_article(w_art, w_an, outlet="Valley Post", suffix="\n(Coastline Wire)")
    rewrite = ArticleBuilder("w2", "Tamsford Herald", "2025-09-03",
                             "Tamsford families spent the night in the sports hall after the Orrin levee gave way by "
                             "the old mill. Mayor Edda Quill said engineers would inspect the river banks.")
    rewrite.actor("Edda Quill")
    rewrite.event("flood", "gave way", places=[place("Tamsford", "XV")])
    other = ArticleBuilder("o1", "Capital Times", "2025-09-02",
                           "The national chess federation named Piet Varga coach of the team that will travel to the "
                           "autumn olympiad, ending a long search for a successor.")
    other.actor("Piet Varga")
    other2 = ArticleBuilder("o2", "Board Monthly", "2025-09-04",
                            "Piet Varga, the new national chess coach, said the olympiad team would train in the "
                            "federation's hall through the autumn.")
    other2.actor("Piet Varga")
    return [(w_art, w_an), copy, rewrite.build(), other.build(), other2.build()]


def test_a_wire_copy_and_a_rewrite_join_the_original():
    world = _flood_world()
    f = fuse([a for a, _ in world], [an for _, an in world])
    st = _story_of(f)
    (orig, _), (copy, _), (rewrite, _), (chess, _), (chess2, _) = world
    assert st[orig.id] == st[copy.id] == st[rewrite.id]
    assert st[chess.id] == st[chess2.id] != st[orig.id]


def test_an_undated_article_joins_its_story():
    world = _flood_world()
    undated = ArticleBuilder("u1", None, None,
                             "Volunteers in Tamsford filled sandbags along the Orrin river as Mayor Edda Quill warned "
                             "that the damaged levee by the mill could fail again.")
    undated.actor("Edda Quill")
    world.append(undated.build())
    f = fuse([a for a, _ in world], [an for _, an in world])
    st = _story_of(f)
    assert undated.article.published is None
    assert st[undated.id] == st[world[0][0].id]
    story = next(s for s in f.stories if s.id == st[undated.id])
    assert story.date_start == "2025-09-02" and story.date_end == "2025-09-03"  # the undated article adds no day


def test_shuffled_input_gives_the_same_stories():
    world = _flood_world() + _two_shootings_a_week_apart()
    first = fuse([a for a, _ in world], [an for _, an in world]).stories
    for seed in (1, 2, 3):
        mixed = world[:]
        random.Random(seed).shuffle(mixed)
        assert fuse([a for a, _ in mixed], [an for _, an in mixed]).stories == first
    assert len(first) == 4


def test_story_title_summary_and_facts_come_from_its_own_articles():
    world = _flood_world()
    f = fuse([a for a, _ in world], [an for _, an in world])
    texts = {a.id: a.text for a, _ in world}
    flood = next(s for s in f.stories if world[0][0].id in s.article_ids)
    assert flood.title_article_id in flood.article_ids
    assert flood.summary and flood.summary_spans
    for span in flood.summary_spans:
        assert span.article_id in flood.article_ids
        assert " ".join(texts[span.article_id][span.start : span.end].split()) in flood.summary
    names = {a.id: a.name for a in f.actors}
    assert [names[a] for a in flood.actor_ids] == ["Edda Quill"]


def test_incidents_and_stories_agree():
    world = _flood_world() + _two_shootings_a_week_apart()
    f = fuse([a for a, _ in world], [an for _, an in world])
    by_id = {s.id: s for s in f.stories}
    assert f.incidents
    for i in f.incidents:
        assert i.story_id in i.story_ids
        for sid in i.story_ids:
            assert i.id in by_id[sid].incident_ids and set(i.article_ids) & set(by_id[sid].article_ids)
        assert set(i.article_ids) <= {a for sid in i.story_ids for a in by_id[sid].article_ids}


def test_adding_articles_reclusters_only_the_stories_they_touch():
    world = _flood_world() + _two_shootings_a_week_apart()
    arts, ans = [a for a, _ in world], [an for _, an in world]
    cache = FuseCache()
    fuse_with_cache(arts, ans, cache=cache)
    assert cache.stories.last["reclustered_articles"] == len(arts)
    late = ArticleBuilder("l1", "Board Monthly", "2025-09-09",
                          "Coach Piet Varga named the five players of the national chess team for the olympiad.")
    late.actor("Piet Varga")
    la, lan = late.build()
    again, stats = fuse_with_cache(arts + [la], ans + [lan], cache=cache)
    assert 0 < stats["reclustered_articles"] < len(arts)  # the new article and the chess story only
    full = fuse(arts + [la], ans + [lan])
    assert again.stories == full.stories
    st = _story_of(again)
    assert st[la.id] == st[world[3][0].id]


def test_without_headlines_the_title_comes_from_the_incidents():
    a1 = ArticleBuilder("t4", "River Times", "2025-10-20", "Shells fell on Kel Ridge overnight and residents fled.").article
    a2 = ArticleBuilder("t5", "River Times", "2025-10-21", "Talks opened in the capital after days of fighting.").article
    a1, a2 = (dataclasses.replace(a, title=None) for a in (a1, a2))
    incs = [
        Incident("in1", "shelling", "2025-10-12", "2025-10-12", "day", places=(KEL,), article_ids=(a1.id, a2.id)),
        Incident("in2", "talks", "2025-11-02", "2025-11-03", "range", places=(TAVO,), article_ids=(a2.id,)),
    ]
    [story] = stories([a1, a2], [[a1.id, a2.id]], incs)
    assert story.title == "Shelling and talks: Ostria and Varenia, October–November 2025"


def test_template_title_needs_incidents():
    assert template_title([]) is None
    one = Incident("in3", "armed_clash", "2025-10-12", "2025-10-12", "day", places=(KEL,), article_ids=("x",))
    assert template_title([one]) == "Armed clash: Varenia, October 2025"


def test_the_story_cache_lives_in_the_store_between_runs(settings, store):
    import json

    from trucewatch import pipeline
    from trucewatch.records import RawInput

    def add(pairs):
        for a, _ in pairs:
            store.add_article(a, RawInput(source=a.source_path or a.id, fmt="txt", data=a.text.encode()))
        store.save_analyses([an for _, an in pairs])

    world = _flood_world() + _two_shootings_a_week_apart()
    add(world)
    pipeline.fuse(settings, store)
    assert json.loads(store.get_state("fuse:last_stats"))["reclustered_articles"] == len(world)
    late = ArticleBuilder("l2", "Board Monthly", "2025-09-10",
                          "Piet Varga said the chess team had begun training for the olympiad in the federation hall.")
    late.actor("Piet Varga")
    add([late.build()])
    again = pipeline.fuse(settings, store)
    stats = json.loads(store.get_state("fuse:last_stats"))
    assert 0 < stats["reclustered_articles"] < len(world) and stats["fixed_stories"] >= 2
    everything = world + [late.build()]
    assert again.stories == fuse([a for a, _ in everything], [an for _, an in everything]).stories


def _border_war():
    """Two weeks of one border war: the first week's reports lead with a general, the second week's with a
    minister; the same two countries, the same ridge, reported within a week of each other."""
    out = []
    week1 = ["General Ivo Drazen said Varenian troops held Kel Ridge after Ostrian shelling overnight.",
             "General Ivo Drazen told reporters the Ostrian guns near Kel Ridge had fallen silent by dawn.",
             "Varenian commander General Ivo Drazen said the border posts at Kel Ridge were rebuilt."]
    week2 = ["Minister Tala Sorn said Ostria would not withdraw from the hills above Kel Ridge.",
             "Minister Tala Sorn accused Varenia of moving artillery toward Kel Ridge on the border.",
             "Ostrian minister Tala Sorn said talks on Kel Ridge could start once the shelling stopped."]
    tail = " The border war between Varenia and Ostria over the Kel Ridge posts is in its second month."
    for k, (lead, day) in enumerate([(t, f"2025-06-0{1 + i}") for i, t in enumerate(week1)]
                                    + [(t, f"2025-06-{9 + i}") for i, t in enumerate(week2)]):
        b = ArticleBuilder(f"bw{k}", "Border Monitor", day, lead + tail)
        b.actor("Ivo Drazen" if k < 3 else "Tala Sorn")
        b.actor("Varenia", "country")
        b.actor("Ostria", "country")
        out.append(b.build())
    return out


def test_one_war_told_by_new_faces_a_week_later_stays_one_story():
    world = _border_war()
    f = fuse([a for a, _ in world], [an for _, an in world])
    assert len(f.stories) == 1
    # undated, the same reports would be told apart by their different main participants
    undated = [(dataclasses.replace(a, published=None, published_origin="none"), an) for a, an in world]
    g = fuse([a for a, _ in undated], [an for _, an in undated])
    assert len(g.stories) == 2
