"""Article-level incident linking: outlets that tell one shooting in different sentences become one incident;
same-kind events elsewhere or on other days stay apart."""

from __future__ import annotations

import dataclasses

from fuse_builders import ArticleBuilder, place

from trucewatch.fuse import fuse
from trucewatch.fuse import linking as lk

ORCHARD = place("Orchardvale", "US", admin1="Ohio", gid="t:orchardvale")
BRINE = place("Brinemouth", "US", admin1="Maine", gid="t:brinemouth")


def _report(key: str, outlet: str, published: str, text: str, trigger: str, *, where=(), when=None):
    b = ArticleBuilder(key, outlet, published, text)
    b.event("shooting", trigger, places=where, time=when)
    return b.build()


def _article_incident(fusion, article_id: str) -> str:
    ids = [i.id for i in fusion.incidents if article_id in i.article_ids]
    assert len(ids) == 1, ids
    return ids[0]


A = ("Gunfire outside the Maple Lane bakery left Tomasz Quill, a delivery driver, wounded on Friday night. "
     "Detectives in Orchardvale said a silver hatchback drove off after the shots.")
B = ("Tomasz Quill was hit twice near the Maple Lane bakery, his sister told reporters. "
     "The delivery driver is recovering and the silver hatchback has not been found.")
C = ("A teenager was wounded by gunfire near the harbour market in Brinemouth on Friday night. "
     "Harbour police are looking for two men on bicycles.")


def test_reports_worded_differently_join_one_incident():
    a = _report("a", "Vale Herald", "2024-04-13", A, "Gunfire", where=(ORCHARD,), when=("on Friday night", "2024-04-12"))
    b = _report("b", "Channel 9", "2024-04-20", B, "hit")
    fusion = fuse([a[0], b[0]], [a[1], b[1]])
    assert _article_incident(fusion, a[0].id) == _article_incident(fusion, b[0].id)


def test_same_kind_event_elsewhere_stays_apart():
    a = _report("a", "Vale Herald", "2024-04-13", A, "Gunfire", where=(ORCHARD,), when=("on Friday night", "2024-04-12"))
    c = _report("c", "Coast Daily", "2024-04-13", C, "gunfire", where=(BRINE,), when=("on Friday night", "2024-04-12"))
    fusion = fuse([a[0], c[0]], [a[1], c[1]])
    assert _article_incident(fusion, a[0].id) != _article_incident(fusion, c[0].id)


def test_similar_words_weeks_apart_stay_apart():
    a = _report("a", "Vale Herald", "2024-04-13", A, "Gunfire", where=(ORCHARD,), when=("on Friday night", "2024-04-12"))
    later = _report("d", "Vale Herald", "2024-06-01", A.replace("Friday", "Thursday"), "Gunfire", where=(ORCHARD,),
                    when=("on Thursday night", "2024-05-30"))
    fusion = fuse([a[0], later[0]], [a[1], later[1]])
    assert _article_incident(fusion, a[0].id) != _article_incident(fusion, later[0].id)


def test_linking_is_order_independent():
    reports = [_report("a", "Vale Herald", "2024-04-13", A, "Gunfire", where=(ORCHARD,), when=("on Friday night", "2024-04-12")),
               _report("b", "Channel 9", "2024-04-20", B, "hit"),
               _report("c", "Coast Daily", "2024-04-13", C, "gunfire", where=(BRINE,), when=("on Friday night", "2024-04-12"))]
    one = fuse([r[0] for r in reports], [r[1] for r in reports])
    two = fuse([r[0] for r in reversed(reports)], [r[1] for r in reversed(reports)])
    assert [(i.id, i.article_ids) for i in one.incidents] == [(i.id, i.article_ids) for i in two.incidents]


def test_threshold_is_what_decides(monkeypatch):
    a = _report("a", "Vale Herald", "2024-04-13", A, "Gunfire", where=(ORCHARD,), when=("on Friday night", "2024-04-12"))
    b = _report("b", "Channel 9", "2024-04-20", B, "hit")
    monkeypatch.setattr(lk, "LINK_COSINE", 0.99)
    fusion = fuse([a[0], b[0]], [a[1], b[1]])
    # unlinked, b's undated, unplaced "hit" is no incident of its own (no evidence), and a's keeps to a
    own = next(i for i in fusion.incidents if a[0].id in i.article_ids)
    assert b[0].id not in own.article_ids
    monkeypatch.setattr(lk, "LINK_COSINE", 0.2)
    fusion = fuse([a[0], b[0]], [a[1], b[1]])
    assert _article_incident(fusion, a[0].id) == _article_incident(fusion, b[0].id)


def test_incident_without_a_town_takes_its_articles_lead_place():
    b = ArticleBuilder("e", "Vale Herald", "2024-04-13", "ORCHARDVALE -- A man was shot on Friday night. Nobody was arrested.")
    b.event("shooting", "shot", time=("on Friday night", "2024-04-12"))
    art, an = b.build()
    lead = place("Orchardvale", "US", admin1="Ohio", gid="t:orchardvale")
    an = an.__class__(**{**{f: getattr(an, f) for f in an.__dataclass_fields__}, "places": (lead,)})
    (incident,) = fuse([art], [an]).incidents
    assert [p.name for p in incident.places] == ["Orchardvale"]


def test_an_incident_placed_only_on_a_street_takes_the_lead_town_and_a_county_lies_in_its_state():
    from trucewatch.fuse.places import pair_level
    from trucewatch.records import Place

    text = "ORCHARDVALE -- A man was shot on Linden Row on Friday night."
    b = ArticleBuilder("s", "Vale Herald", "2024-04-13", text)
    street = Place("Linden Row", text.index("Linden"), text.index("Linden") + 10)  # the gazetteer does not know it
    b.event("shooting", "shot", places=[street], time=("on Friday night", "2024-04-12"))
    art, an = b.build()
    lead = place("Orchardvale", "US", admin1="Ohio", gid="t:orchardvale")
    an = an.__class__(**{**{f: getattr(an, f) for f in an.__dataclass_fields__}, "places": (lead, street)})
    (incident,) = fuse([art], [an]).incidents
    assert {p.name for p in incident.places} == {"Linden Row", "Orchardvale"}
    county = place("Vale County", "US", admin1="Ohio", feature="admin2")
    assert pair_level(county, place("Ohio", "US", feature="admin1")) == 0.7
    assert pair_level(county, place("Maine", "US", feature="admin1")) == 0.0


def _raid_reports(n: int):
    """Two reports of one raid, worded apart, the second undated and unplaced, sharing the figure ``n``."""
    t1 = f"Raiders overran the Kestrel depot on Monday, killing {n} guards, the garrison said."
    t2 = f"Relatives buried the {n} guards killed when gunmen stormed the site, a week after the assault."
    built = []
    for key, outlet, published, text, trigger, where, when in (
            (f"f{n}a", "Vale Herald", "2024-04-09", t1, "overran", [ORCHARD], ("on Monday", "2024-04-08")),
            (f"f{n}b", "Hill Post", "2024-04-15", t2, "stormed", [], None)):
        b = ArticleBuilder(key, outlet, published, text)
        ev = b.event("attack", trigger, places=where, time=when)
        b.claim(f"{n} guards", n, "killed", counted="guards", event=ev)
        built.append(b.build())
    return built


def test_a_report_giving_the_same_large_figure_is_the_same_incident(monkeypatch):
    # the figure "31 guards" both share is the specific detail that makes the second a reference to the first
    (art_a, an_a), (art_b, an_b) = _raid_reports(31)
    fusion = fuse([art_a, art_b], [an_a, an_b])
    assert _article_incident(fusion, art_a.id) == _article_incident(fusion, art_b.id)
    # a small figure ("3 guards") is no such detail: it repeats by chance
    (art_c, an_c), (art_d, an_d) = _raid_reports(3)
    monkeypatch.setattr(lk, "LINK_COSINE", 0.99)  # keep text similarity out of it
    fusion = fuse([art_c, art_d], [an_c, an_d])
    own = next(i for i in fusion.incidents if art_c.id in i.article_ids)
    assert art_d.id not in own.article_ids


def test_a_teaser_figure_is_no_incident_figure():
    text = ("A man was shot on Elm Row in Orchardvale on Friday night. "
            "Related: Seven people were wounded at a fair in another county")
    b = ArticleBuilder("t", "Vale Herald", "2024-04-13", text)
    shot = b.event("shooting", "shot", places=[ORCHARD], time=("on Friday night", "2024-04-12"))
    b.claim("A man", 1, "injured", counted="man", event=shot)
    teaser = b.event("shooting", "wounded", role="teaser")
    b.claim("Seven people", 7, "injured", counted="people", event=teaser)
    (incident,) = fuse(*map(lambda x: [x], b.build())).incidents
    assert [(c.category, c.best) for c in incident.casualties] == [("injured", 1.0)]


# Two reports with no place in their event sentences: each one's opening names its town, and the towns lie in
# different states, so the reports (alike in every word) tell two shootings.
LAKE_TOWN = place("Pellham", "US", admin1="Oregon", gid="t:pellham")
HILL_TOWN = place("Corvale", "US", admin1="Georgia", gid="t:corvale")
NEAR_TOWN = place("Dunmore Falls", "US", admin1="Oregon", gid="t:dunmore")
HOME = ("PELLHAM -- A man was shot in the arm outside a bowling alley on Saturday night, police said. "
        "Officers found shell casings in the parking lot and asked witnesses to call the tip line.")
AWAY = ("CORVALE -- A man was shot in the arm outside a bowling alley on Saturday night, police said. "
        "Officers found shell casings in the parking lot and asked witnesses to call the tip line.")
NEAR = ("DUNMORE FALLS -- Police said a man was shot in the arm outside a bowling alley on Saturday night. "
        "Shell casings were found in the parking lot; witnesses are asked to call the tip line.")


def _local_report(key, outlet, text, town, name):
    b = ArticleBuilder(key, outlet, "2024-06-09", text)
    b.mention_place(dataclasses.replace(town, name=name))
    b.event("shooting", "shot", time=("on Saturday night", "2024-06-08"))
    return b.build()


def test_reports_from_towns_in_two_states_tell_two_incidents():
    a = _local_report("a", "Lake Courier", HOME, LAKE_TOWN, "PELLHAM")
    b = _local_report("b", "Hill Gazette", AWAY, HILL_TOWN, "CORVALE")
    fusion = fuse([a[0], b[0]], [a[1], b[1]])
    assert _article_incident(fusion, a[0].id) != _article_incident(fusion, b[0].id)
    # each incident is placed at its report's town, which the event sentence did not name
    assert [p.resolved_name for p in next(i for i in fusion.incidents if a[0].id in i.article_ids).places] == ["Pellham"]


def test_reports_from_neighbouring_towns_of_one_state_may_join():
    a = _local_report("a", "Lake Courier", HOME, LAKE_TOWN, "PELLHAM")
    c = _local_report("c", "Falls Radio", NEAR, NEAR_TOWN, "DUNMORE FALLS")
    fusion = fuse([a[0], c[0]], [a[1], c[1]])
    inc = _article_incident(fusion, a[0].id)
    assert inc == _article_incident(fusion, c[0].id)
    # both reports' towns are places of the one incident
    assert {p.resolved_name for p in next(i for i in fusion.incidents if i.id == inc).places} == {"Pellham", "Dunmore Falls"}


def test_a_report_that_names_only_its_state_is_bound_to_it():
    state = place("Oregon", "US", feature="admin1", gid="t:oregon")
    text = ("WESTBY, Ore. -- A man was shot in the arm outside a bowling alley on Saturday night, police said. "
            "Officers found shell casings in the parking lot and asked witnesses to call the tip line.")
    a = ArticleBuilder("a", "Coast Radio", "2024-06-09", text)
    a.mention_place(dataclasses.replace(state, name="Ore."))
    a.event("shooting", "shot", time=("on Saturday night", "2024-06-08"))
    b = _local_report("b", "Hill Gazette", AWAY, HILL_TOWN, "CORVALE")
    c = _local_report("c", "Lake Courier", HOME, LAKE_TOWN, "PELLHAM")
    fusion = fuse([a.article, b[0], c[0]], [a.build()[1], b[1], c[1]])
    assert _article_incident(fusion, a.id) != _article_incident(fusion, b[0].id)  # Oregon is not Georgia
    assert _article_incident(fusion, a.id) == _article_incident(fusion, c[0].id)  # a town in Oregon may be it


SHOT = ("PELLHAM -- Dorian Vasquez, 31, was shot outside a laundromat on Saturday night and died at the scene, "
        "police said. Detectives have not named a suspect.")
TRIAL = ("PELLHAM -- A jury was seated on Tuesday in the murder trial of Mateo Ruiz, the man charged with killing "
         "Dorian Vasquez last month. Opening statements are expected next week before Judge Ellen Park.")
ELSEWHERE = ("CORVALE -- A jury was seated on Tuesday in the trial of a man charged with the death of Dorian Vasquez, "
             "who was stabbed at a bus stop on June 8. Opening statements are expected next week.")


def _named(key, outlet, published, text, town, name, trigger, people, when=None):
    b = ArticleBuilder(key, outlet, published, text)
    b.mention_place(dataclasses.replace(town, name=name))
    for p in people:
        b.actor(p)
    b.event("shooting", trigger, time=when)
    return b.build()


def test_a_later_report_that_names_the_same_victim_joins_the_incident():
    a = _named("a", "Lake Courier", "2024-06-09", SHOT, LAKE_TOWN, "PELLHAM", "shot", ["Dorian Vasquez"],
               when=("on Saturday night", "2024-06-08"))
    b = _named("b", "Lake Radio", "2024-07-02", TRIAL, LAKE_TOWN, "PELLHAM", "killing", ["Mateo Ruiz", "Dorian Vasquez", "Ellen Park"])
    c = _named("c", "Hill Gazette", "2024-07-02", ELSEWHERE, HILL_TOWN, "CORVALE", "stabbed", ["Dorian Vasquez"],
               when=("on June 8", "2024-06-08"))
    fusion = fuse([a[0], b[0], c[0]], [a[1], b[1], c[1]])
    assert _article_incident(fusion, a[0].id) == _article_incident(fusion, b[0].id)
    assert _article_incident(fusion, c[0].id) != _article_incident(fusion, a[0].id)  # a namesake in another state


def test_the_first_reports_date_an_incident_not_the_later_ones():
    a = _named("a", "Lake Courier", "2024-06-09", SHOT, LAKE_TOWN, "PELLHAM", "shot", ["Dorian Vasquez"],
               when=("on Saturday night", "2024-06-08"))
    later = ("PELLHAM -- Mateo Ruiz was arrested on Thursday in the death of Dorian Vasquez, who was shot "
             "early Sunday outside a laundromat, police said.")
    b = _named("b", "Lake Radio", "2024-06-21", later, LAKE_TOWN, "PELLHAM", "shot", ["Mateo Ruiz", "Dorian Vasquez"],
               when=("early Sunday", "2024-06-09"))
    other = ("PELLHAM -- Detectives charged Mateo Ruiz with murder on Friday. Dorian Vasquez was shot early Sunday "
             "behind the laundromat on Mill Road, according to the charging papers filed in county court.")
    c = _named("c", "Valley Post", "2024-06-22", other, LAKE_TOWN, "PELLHAM",
               "shot", ["Mateo Ruiz", "Dorian Vasquez"], when=("early Sunday", "2024-06-09"))
    fusion = fuse([a[0], b[0], c[0]], [a[1], b[1], c[1]])
    [inc] = {i for i in fusion.incidents if a[0].id in i.article_ids}
    assert {b[0].id, c[0].id} <= set(inc.article_ids)
    # two later reports agree on Sunday, but the report of the week of the shooting says Saturday
    assert (inc.date_start, inc.date_end) == ("2024-06-08", "2024-06-08")
