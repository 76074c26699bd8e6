"""Claims reach the incident they are about (hand-built records, fictional places)."""

from __future__ import annotations

from fuse_builders import ArticleBuilder, place

from trucewatch.fuse import fuse

KEL = place("Kel Ridge", "XV", admin1="Kel Province", feature="town", lat=14.0, lon=103.0)
TAVO = place("Tavo", "XO", admin1="Tavo District", feature="village", lat=13.5, lon=103.6)


def test_a_floating_mention_joins_the_earlier_mention_of_its_own_type():
    text = ("Varenian jets struck Ostrian gun positions near Tavo on Sunday. The army gave its account in the capital "
            "and said the operation was over. Officials repeated that view at length to reporters waiting outside. "
            "The army said 14 Ostrian soldiers were killed in the strikes. "
            "The day before, on Saturday, shells had fallen on Kel Ridge.")
    b = ArticleBuilder("c1", "River Times", "2025-05-05", text)
    b.event("airstrike", "jets struck", places=[TAVO], time=("on Sunday", "2025-05-04"))
    strikes = b.event("airstrike", "strikes")
    shells = b.event("shelling", "shells had fallen", places=[KEL], time=("on Saturday", "2025-05-03"))
    claim = b.claim("14 Ostrian soldiers", 14, event=strikes)
    art, an = b.build()
    f = fuse([art], [an])
    inc = {i.id: i for i in f.incidents}
    owner = inc[f.claim_incident[claim]]
    assert owner.date_start == "2025-05-04" and owner.type == "airstrike"
    assert shells not in {m.event_id for m in owner.mentions}


def test_a_claim_on_a_statement_does_not_drift_to_another_days_incident():
    text = ("Mortar rounds hit Kel Ridge on Thursday. Nobody was hurt there, the army said.\n\n"
            "On Saturday, Ostria accused Varenia of a raid on Tavo, wounding two soldiers.")
    b = ArticleBuilder("c2", "River Times", "2025-05-11", text)
    b.event("shelling", "Mortar rounds hit", places=[KEL], time=("on Thursday", "2025-05-08"))
    accused = b.event("accusation", "accused", time=("On Saturday", "2025-05-10"))
    claim = b.claim("two soldiers", 2, "injured", event=accused)
    art, an = b.build()
    f = fuse([art], [an])
    owner = f.claim_incident.get(claim)
    assert owner is None or next(i for i in f.incidents if i.id == owner).date_start != "2025-05-08"
    for i in f.incidents:
        if i.date_start == "2025-05-08":
            assert not i.casualties


def test_an_unplaced_act_after_an_accusation_takes_its_time_and_place():
    text = ("Ostria on Saturday accused Varenia of a raid on a post near Tavo. "
            "Two Ostrian soldiers were wounded in the attack, the ministry said. "
            "Ostria had itself been accused of shelling Kel Ridge two days earlier.")
    b = ArticleBuilder("c3", "River Times", None, text, published_range=("2025-05-10", "2025-06-09"))
    b.event("accusation", "accused", places=[TAVO], time=("on Saturday", "2025-05-10"))
    attack = b.event("attack", "attack")
    b.event("shelling", "shelling", places=[KEL])
    claim = b.claim("Two Ostrian soldiers", 2, "injured", event=attack)
    art, an = b.build()
    f = fuse([art], [an])
    owner = next(i for i in f.incidents if attack in {m.event_id for m in i.mentions})
    assert [p.name for p in owner.places] == ["Tavo"]
    assert owner.date_start == "2025-05-10"
    assert f.claim_incident[claim] == owner.id
    assert all(m.event_id == attack for m in owner.mentions)


def test_an_act_told_as_retaliation_is_another_incident_and_keeps_its_figures():
    """"In retaliation, X attacked ..." is a second incident: it must not fold into the act it answers,
    nor reach forward to a later incident of the article; the figure of the next sentence (no event of its
    own) goes with the act just told, so the two sides' figures meet in one dispute."""
    text = ("The trouble began with blasts in Tavo, which Ostria blamed on Varenia. "
            "In retaliation, Ostrian fighters attacked Varenian border posts, claiming to have killed 40 soldiers. "
            "Varenia, however, confirmed the deaths of 12 personnel. "
            "Weeks later, on Friday night, both armies exchanged fire near Kel Ridge.")
    b = ArticleBuilder("r1", "Plain Courier", "2025-06-14", text)
    blasts = b.event("explosion", "blasts", places=[TAVO])
    ostria = b.actor("Ostrian fighters", "armed_group", country="XO")
    attack = b.event("attack", "attacked", acting=[ostria], relations=[("retaliation", "In retaliation", blasts)])
    fire = b.event("cross_border_fire", "exchanged fire", places=[KEL], time=("on Friday night", "2025-06-13"))
    forty = b.claim("40 soldiers", 40, claimant="Ostrian fighters", claimant_actor=ostria, hedge="claimed", event=attack)
    twelve = b.claim("12 personnel", 12, claimant="Varenia", hedge="confirmed")
    art, an = b.build()
    f = fuse([art], [an])
    owner = {m.event_id: i.id for i in f.incidents for m in i.mentions}
    assert owner[attack] != owner[blasts] and owner[attack] != owner[fire]
    assert f.claim_incident[forty] == f.claim_incident[twelve] == owner[attack]
    figures = [d for d in f.disputes if d.kind == "figure" and d.incident_id == owner[attack]]
    assert len(figures) == 1


def test_fresh_fire_is_a_new_incident_not_an_anaphor_of_an_earlier_one():
    text = ("Shells hit Kel Ridge on Monday. Officials met in the capital to discuss the border. "
            "Two farmers were hurt in fresh cross-border fire just hours before the meeting ended.")
    b = ArticleBuilder("r2", "Plain Courier", "2025-06-14", text)
    shells = b.event("shelling", "Shells hit", places=[KEL], time=("on Monday", "2025-06-09"))
    fresh = b.event("cross_border_fire", "cross-border fire")
    b.claim("Two farmers", 2, "injured", counted="farmers", event=fresh)  # its figure makes it evidence
    art, an = b.build()
    f = fuse([art], [an])
    owner = {m.event_id: i.id for i in f.incidents for m in i.mentions}
    assert owner[fresh] != owner[shells]
    # without the cue, the same sentence is read as a reference back to Monday's shelling
    b2 = ArticleBuilder("r3", "Plain Courier", "2025-06-14", text.replace("fresh ", "the "))
    shells2 = b2.event("shelling", "Shells hit", places=[KEL], time=("on Monday", "2025-06-09"))
    fire2 = b2.event("cross_border_fire", "cross-border fire")
    f2 = fuse(*map(lambda x: [x], b2.build()))
    owner2 = {m.event_id: i.id for i in f2.incidents for m in i.mentions}
    assert owner2[fire2] == owner2[shells2]


def test_a_denial_goes_with_the_nearest_act_of_its_sentence():
    text = ("Blasts hit Tavo on Monday, which Ostria blamed on Varenian drones. "
            "Varenia denied involvement, but the attacks set off heavy exchanges of fire near Kel Ridge on Tuesday.")
    b = ArticleBuilder("r4", "Plain Courier", "2025-06-14", text)
    varenia = b.actor("Varenia", "country", country="XV")
    blasts = b.event("explosion", "Blasts hit", places=[TAVO], time=("on Monday", "2025-06-09"))
    b.event("airstrike", "drones", acting=[varenia])
    b.event("denial", "denied", acting=[varenia])
    b.event("attack", "attacks")
    fire = b.event("cross_border_fire", "exchanges of fire", places=[KEL], time=("on Tuesday", "2025-06-10"))
    art, an = b.build()
    f = fuse([art], [an])
    owner = {m.event_id: i.id for i in f.incidents for m in i.mentions}
    assert owner[blasts] != owner[fire]
    responsibility = [d for d in f.disputes if d.kind == "responsibility"]
    assert [d.incident_id for d in responsibility] == [owner[blasts]]


def test_an_undated_report_in_a_wide_window_does_not_bridge_two_rounds_of_talks():
    """Report windows bind the whole incident, not only the pair that links it: talks told by an undated
    article whose inferred publication range spans both rounds join at most one round."""
    ISTA = place("Ista", "XV", admin1="Ista Province", feature="city", lat=14.5, lon=103.2)
    first = ArticleBuilder("t1", "River Times", "2025-10-29",
                           "Talks between Ostria and Varenia in Ista ended without a deal, officials said.")
    r1 = first.event("talks", "Talks", places=[ISTA])  # undated: within a week before its report
    second = ArticleBuilder("t2", "Hill Post", "2025-11-09",
                            "A new round of talks between Ostria and Varenia in Ista broke down on Saturday.")
    r2 = second.event("talks", "talks", places=[ISTA], time=("on Saturday", "2025-11-08"))
    third = ArticleBuilder("t3", "Lake Daily", None, "Ostria and Varenia held talks in Ista, mediated by Norland.",
                           published_range=("2025-10-21", "2025-11-27"))
    r3 = third.event("talks", "talks", places=[ISTA])
    built = [b.build() for b in (first, second, third)]
    f = fuse([a for a, _ in built], [an for _, an in built])
    owner = {m.event_id: i.id for i in f.incidents for m in i.mentions}
    assert owner[r1] != owner[r2]
    assert owner[r3] in (owner[r1], owner[r2])


def test_a_charge_of_conduct_or_a_negated_blame_makes_no_responsibility_dispute():
    """"accused Varenia of sheltering rebels" is about conduct, not about the shelling told beside it, and
    "Varenia cannot be held responsible" blames nobody: Varenia's denial then has nothing to answer."""
    text = ("Shells hit Tavo on Monday. Ostria has long accused Varenia of sheltering rebels behind the shelling. "
            "Varenia rejected the charge, saying it cannot be held responsible for rebels.")
    b = ArticleBuilder("r6", "Plain Courier", "2025-06-14", text)
    ostria = b.actor("Ostria", "country", country="XO")
    varenia = b.actor("Varenia", "country", country="XV")
    shells = b.event("shelling", "Shells hit", places=[TAVO], time=("on Monday", "2025-06-09"))
    b.event("accusation", "accused", acting=[ostria], target=[varenia])
    b.event("shelling", "the shelling")
    b.event("denial", "rejected", acting=[varenia])
    b.event("accusation", "held responsible", target=[varenia], negated=True)
    art, an = b.build()
    f = fuse([art], [an])
    assert shells in {m.event_id for i in f.incidents for m in i.mentions}
    assert not [d for d in f.disputes if d.kind == "responsibility"]
    # the same charge about an act does make one
    text2 = text.replace("of sheltering rebels behind the shelling", "of shelling the town")
    b2 = ArticleBuilder("r7", "Plain Courier", "2025-06-14", text2)
    o2, v2 = b2.actor("Ostria", "country", country="XO"), b2.actor("Varenia", "country", country="XV")
    b2.event("shelling", "Shells hit", places=[TAVO], time=("on Monday", "2025-06-09"))
    b2.event("accusation", "accused", acting=[o2], target=[v2])
    b2.event("shelling", "shelling the town")
    b2.event("denial", "rejected", acting=[v2])
    f2 = fuse(*map(lambda x: [x], b2.build()))
    assert [d.kind for d in f2.disputes if d.kind == "responsibility"] == ["responsibility"]
