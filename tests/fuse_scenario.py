"""A hand-made, fictional story for fusion tests (countries Varenia/XV and Ostria/XO; all invented).

Known truth:

* incident KEL — the shelling of Kel Ridge on Saturday 2025-03-08: reported by A1 (River Times),
  A2 (Harbor Post), A3 (a syndicated copy of A1 in Coast Daily), A4 (Valley Voice, says Friday:
  a date dispute) and A10 (Ostria Today, where Ostria denies it: a responsibility dispute).
  Figures: the Varenian army says 4 soldiers killed (A1, A2, A4), Ostria's ministry says 9 (A2):
  a figure dispute. Independent sources: River Times+copy, Harbor Post, Valley Voice, Ostria Today = 4.
* incident TAVO — a drone strike on Tavo village, Thursday 2025-03-06: A1 says the shelling
  retaliated for it, A2 says it retaliated for the shelling: a sequence dispute.
* TALKS1 (Port Lumen, Friday 2025-02-28: A5 and A7) and TALKS2 (same city, Tuesday 2025-03-11: A6)
  are two rounds, both "without agreement": they must stay apart.
* A8 says the ceasefire collapsed, A9 (a day later) that the truce holds: a status dispute.
* A quote said by Dario Menz (A1; "Menz" in A2) is one cluster with NO speaker dispute; a quote
  given to Gen. Oren Valt (A1, A3) and to Mira Sollen (A2) is a speaker dispute.
* A11 is an unrelated flood story (its own story).
"""

from __future__ import annotations

from fuse_builders import ArticleBuilder, copy_article, place

KEL_RIDGE = place("Kel Ridge", "XV", admin1="Kel Province", feature="city", lat=14.1, lon=103.2)
KEL_PROVINCE = place("Kel Province", "XV", feature="admin1", lat=14.0, lon=103.0)
TAVO = place("Tavo", "XO", admin1="Tavo District", feature="village", lat=13.9, lon=103.4)
PORT_LUMEN = place("Port Lumen", "XL", admin1="Lumen Coast", feature="city", lat=3.1, lon=101.7)
MIRA_VALLEY = place("Mira Valley", "XZ", admin1="Zentra North", feature="city", lat=40.0, lon=20.0)


def scenario():
    """(articles, analyses, ids) — ids names the events, claims, quotes and articles tests check."""
    ids: dict[str, str] = {}
    built = []

    b = ArticleBuilder("A1", "River Times", "2025-03-10",
        "Ostrian artillery shelled the border post at Kel Ridge on Saturday, killing four soldiers, the Varenian army said. "
        "The shelling came in retaliation for a drone strike on Tavo village last Thursday, Ostrian officials claimed. "
        "Army spokesman Col. Dario Menz said \"our positions came under heavy fire without any warning at all\" and promised a response. "
        "General Oren Valt said \"we will answer every shell with two of our own\" before leaving the capital.")
    art = b.actor("Ostrian artillery", "organization", country="XO")
    army = b.actor("Varenian army", "organization", country="XV")
    menz = b.actor("Col. Dario Menz", "person", roles=["army spokesman"], country="XV")
    valt = b.actor("Oren Valt", "person", roles=["general"], country="XV")
    tavo = b.event("airstrike", "drone strike", acting=[army], places=[TAVO], time=("last Thursday", "2025-03-06"))
    ids["A1.kel"] = b.event("shelling", "shelled", acting=[art], target=[army], places=[KEL_RIDGE],
                            time=("on Saturday", "2025-03-08"),
                            relations=[("retaliation", "in retaliation for a drone strike on Tavo village", tavo)])
    ids["A1.tavo"] = tavo
    ids["A1.four"] = b.claim("four soldiers", 4, side="Varenian", claimant="Varenian army", claimant_actor=army, event=ids["A1.kel"])
    ids["A1.menz"] = b.quote("our positions came under heavy fire without any warning at all", "Col. Dario Menz", actor=menz)
    ids["A1.valt"] = b.quote("we will answer every shell with two of our own", "Oren Valt", actor=valt)
    built.append(b)
    a1 = b

    b = ArticleBuilder("A2", "Harbor Post", "2025-03-10",
        "Varenian troops were hit by shelling at Kel Ridge on Saturday. "
        "Ostria's defence ministry said nine soldiers died in the exchange, while the Varenian army put its losses at four soldiers. "
        "The drone strike on Tavo village last Thursday was itself a reprisal, launched in retaliation for earlier shelling of Tavo from Kel Ridge, the ministry said. "
        "Menz said positions \"came under heavy fire without any warning\" on the ridge. "
        "Defence Minister Mira Sollen said \"we will answer every shell with two of our own\" at a briefing.")
    troops = b.actor("Varenian army", "organization", country="XV")
    ministry = b.actor("Ostria's defence ministry", "government", country="XO")
    menz2 = b.actor("Menz", "person", country="XV")
    sollen = b.actor("Mira Sollen", "person", roles=["defence minister"], country="XV")
    ids["A2.kel"] = b.event("shelling", "shelling", target=[troops], places=[KEL_RIDGE], time=("on Saturday", "2025-03-08"))
    ids["A2.tavo"] = b.event("airstrike", "drone strike", acting=[troops], places=[TAVO], time=("last Thursday", "2025-03-06"),
                             relations=[("retaliation", "in retaliation for earlier shelling of Tavo from Kel Ridge", ids["A2.kel"])])
    ids["A2.nine"] = b.claim("nine soldiers", 9, claimant="Ostria's defence ministry", claimant_actor=ministry, event=ids["A2.kel"])
    ids["A2.four"] = b.claim("four soldiers", 4, side="Varenian", claimant="Varenian army", claimant_actor=troops, event=ids["A2.kel"])
    ids["A2.menz"] = b.quote("came under heavy fire without any warning", "Menz", actor=menz2)
    ids["A2.sollen"] = b.quote("we will answer every shell with two of our own", "Mira Sollen", actor=sollen)
    built.append(b)

    b = ArticleBuilder("A4", "Valley Voice", "2025-03-11",
        "Ostrian forces fired shells at Kel Ridge on Friday, killing four soldiers, Varenian officials said.")
    forces = b.actor("Ostrian forces", "organization", country="XO")
    ids["A4.kel"] = b.event("shelling", "fired shells", acting=[forces], places=[KEL_RIDGE], time=("on Friday", "2025-03-07"))
    ids["A4.four"] = b.claim("four soldiers", 4, claimant="Varenian officials", event=ids["A4.kel"])
    built.append(b)

    b = ArticleBuilder("A10", "Ostria Today", "2025-03-11",
        "Ostria denied any role in the shelling at Kel Ridge on Saturday and said its guns had been silent all week.")
    ostria = b.actor("Ostria", "country", country="XO")
    ids["A10.kel"] = b.event("shelling", "shelling", places=[KEL_RIDGE], time=("on Saturday", "2025-03-08"))
    ids["A10.denial"] = b.event("denial", "denied", acting=[ostria])
    built.append(b)

    b = ArticleBuilder("A5", "Straits Ledger", "2025-03-01",
        "Talks between Varenia and Ostria in Port Lumen ended without agreement on Friday, after two days of meetings.")
    v, o = b.actor("Varenia", "country", country="XV"), b.actor("Ostria", "country", country="XO")
    ids["A5.talks"] = b.event("talks", "Talks", acting=[v, o], places=[PORT_LUMEN], time=("on Friday", "2025-02-28"), status="ended without agreement")
    built.append(b)

    b = ArticleBuilder("A7", "Harbor Post", "2025-03-01",
        "Negotiators from Varenia and Ostria left Port Lumen on Friday without agreement after the talks stalled over the border line.")
    v, o = b.actor("Varenia", "country", country="XV"), b.actor("Ostria", "country", country="XO")
    ids["A7.talks"] = b.event("talks", "talks", acting=[v, o], places=[PORT_LUMEN], time=("on Friday", "2025-02-28"))
    built.append(b)

    b = ArticleBuilder("A6", "Straits Ledger", "2025-03-12",
        "A second round of talks between Varenia and Ostria in Port Lumen ended without agreement on Tuesday, after two days of meetings.")
    v, o = b.actor("Varenia", "country", country="XV"), b.actor("Ostria", "country", country="XO")
    ids["A6.talks"] = b.event("talks", "talks", acting=[v, o], places=[PORT_LUMEN], time=("on Tuesday", "2025-03-11"), status="ended without agreement")
    built.append(b)

    b = ArticleBuilder("A8", "Lumen Observer", "2025-03-20",
        "The ceasefire between Varenia and Ostria has collapsed after a night of heavy firing along the frontier.")
    v, o = b.actor("Varenia", "country", country="XV"), b.actor("Ostria", "country", country="XO")
    ids["A8.status"] = b.event("ceasefire", "ceasefire", acting=[v, o], status="collapsed")
    built.append(b)

    b = ArticleBuilder("A9", "River Times", "2025-03-21",
        "Mediators insisted that the truce between Varenia and Ostria is holding despite reports of firing.")
    v, o = b.actor("Varenia", "country", country="XV"), b.actor("Ostria", "country", country="XO")
    ids["A9.status"] = b.event("ceasefire", "truce", acting=[v, o], status="holds")
    built.append(b)

    b = ArticleBuilder("A11", "Harbor Post", "2025-05-02",
        "Floods displaced 300 families in Mira Valley this week, officials in Zentra said.")
    ids["A11.flood"] = b.event("displacement", "displaced", places=[MIRA_VALLEY])
    ids["A11.claim"] = b.claim("300 families", 300, category="displaced", counted="families", claimant="officials in Zentra")
    built.append(b)

    pairs = [x.build() for x in built]
    copy = copy_article(*a1.build(), outlet="Coast Daily", suffix="\nThis report first appeared in the River Times.")
    pairs.append(copy)
    for x in built:
        ids[x.key] = x.id
    ids["A3"] = copy[0].id
    articles = [p[0] for p in pairs]
    analyses = [p[1] for p in pairs]
    return articles, analyses, ids
