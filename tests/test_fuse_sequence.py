"""Sequence disputes inside one incident: two outlets put the same two parts of one day's fighting in
opposite order (hand-built records, fictional places)."""

from __future__ import annotations

from fuse_builders import ArticleBuilder, place

from trucewatch.fuse import fuse

LOMO = place("Lomo", "XV", admin1="Lomo Province", feature="town", lat=14.0, lon=103.0)


def _pair(second_relation_kind: str = "after", *, second_says_first: bool = False):
    a = ArticleBuilder("s1", "River Times", "2025-05-05",
                       "Varenian jets struck positions near Lomo on Sunday in retaliation for a dawn assault on "
                       "three hill outposts. The army said the jets returned safely.")
    assault = a.event("attack", "dawn assault", places=[LOMO], time=("on Sunday", "2025-05-04"))
    a.event("airstrike", "jets struck", places=[LOMO], time=("on Sunday", "2025-05-04"),
            relations=[("retaliation", "in retaliation for a dawn assault on three hill outposts", assault)])
    if second_says_first:
        text = ("Ostrian gunners fired on the hill outposts near Lomo on Sunday, and the jets struck later "
                "in retaliation for the shelling of the hill outposts. Families left the area.")
        b = ArticleBuilder("s2", "Harbor Post", "2025-05-05", text)
        fire = b.event("cross_border_fire", "gunners fired", places=[LOMO], time=("on Sunday", "2025-05-04"))
        b.event("airstrike", "jets struck", places=[LOMO],
                relations=[("retaliation", "in retaliation for the shelling of the hill outposts", fire)])
    else:
        text = ("Ostrian units fired on the hill outposts near Lomo on Sunday only after the airstrike on their "
                "positions, the ministry said. Families left the area.")
        b = ArticleBuilder("s2", "Harbor Post", "2025-05-05", text)
        strike = b.event("airstrike", "airstrike", places=[LOMO], time=("on Sunday", "2025-05-04"))
        b.event("cross_border_fire", "units fired", places=[LOMO], time=("on Sunday", "2025-05-04"),
                relations=[(second_relation_kind, "after the airstrike", strike)])
    built = [a.build(), b.build()]
    return fuse([x[0] for x in built], [x[1] for x in built]), a.id, b.id


def test_opposite_order_within_one_incident_is_a_sequence_dispute():
    f, a1, a2 = _pair()
    assert len({i.id for i in f.incidents if {a1, a2} <= set(i.article_ids)}) == 1
    seq = [d for d in f.disputes if d.kind == "sequence"]
    assert len(seq) == 1, [d.summary for d in f.disputes]
    d = seq[0]
    assert {a for s in d.sides for a in s.article_ids} == {a1, a2}
    assert d.incident_id == next(i.id for i in f.incidents if a1 in i.article_ids)
    inc = next(i for i in f.incidents if i.id == d.incident_id)
    assert inc.corroboration == "contested"


def test_the_same_order_told_twice_is_no_dispute():
    f, _, _ = _pair(second_says_first=True)
    assert not [d for d in f.disputes if d.kind == "sequence"], [d.summary for d in f.disputes]
