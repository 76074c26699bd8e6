"""Hand-built records for the agreements tests: a fictional Ecuador–Peru border truce.

The story (written for these tests): talks in Brasilia fail on 2025-05-02 when Peru refuses a
written pledge; a ceasefire is signed in Brasilia on 2025-05-10 with Brazil mediating and Chile as
guarantor; a clash before it, shelling and an airstrike after it (one accused side denies), one
incident outside the parties' territory; one outlet says the truce collapsed, another that it holds.
"""

from __future__ import annotations

from trucewatch.fuse.casualties import totals as cas_totals
from trucewatch.agree._text import sentences
from trucewatch.records import (
    Actor,
    Analysis,
    Article,
    CanonicalActor,
    CasualtyEstimate,
    EventMention,
    Fusion,
    Incident,
    IncidentMention,
    Place,
    Quote,
    TimeExpr,
    stable_id,
)

TEXTS = {
    "a1": (
        "Andes Courier", "2025-05-02",
        "QUITO — Talks between Ecuador and Peru in Brasilia ended on Friday without a deal. "
        "Peru refused to sign a written pledge that its soil would not be used by smuggling militias, officials said. "
        "The meetings were chaired by Brazilian Foreign Minister Ana Lopes, who said the delegations would return."
    ),
    "a2": (
        "Pacific Times", "2025-05-10",
        "BRASILIA — Ecuador and Peru signed a ceasefire agreement in Brasilia on Saturday after two days of talks hosted by Brazil. "
        "Chile will act as a guarantor of the deal. "
        "Under the text, the two governments agreed to:\n"
        "maintain the ceasefire along the whole frontier;\n"
        "set up a joint verification commission with Brazilian observers;\n"
        "accept penalties against whichever side breaks the truce; and\n"
        "not allow armed groups to use their territory for attacks on the other.\n"
        "Ecuador's defence minister Jorge Vera said the truce \"holds only if Peru keeps its artillery silent\". "
        "Fighting on April 28 near Huaquillas had killed two soldiers."
    ),
    "a3": (
        "Andes Courier", "2025-05-20",
        "LIMA — Ecuador on Monday accused Peruvian troops of shelling a border post near Huaquillas, wounding three soldiers. "
        "Peru denied that its forces had fired. "
        "The ceasefire agreed in Brasilia remains under strain, diplomats said."
    ),
    "a4": (
        "Pacific Times", "2025-05-25",
        "QUITO — The ceasefire between Ecuador and Peru has collapsed after an Ecuadorian air raid on a Peruvian camp near Tumbes on Saturday. "
        "Separately, shelling was reported near Ipiales on Thursday."
    ),
    "a5": (
        "Lima Daily", "2025-05-26",
        "LIMA — The ceasefire with Ecuador remains in force, Brazil's foreign ministry said on Monday, despite the incidents."
    ),
}


def article(aid: str) -> Article:
    outlet, published, text = TEXTS[aid]
    return Article(
        id=aid, title=None, outlet=outlet, url=None, source_path=None, dateline=None, published=published,
        published_inferred=False, published_origin="metadata", published_precision="day", published_range=None,
        language="en", text=text, fmt="txt", raw_sha256="0" * 64,
    )


def _sentence(text: str, pos: int) -> tuple[int, int]:
    for s0, s1 in sentences(text):
        if s0 <= pos < s1:
            return s0, s1
    raise AssertionError(pos)


def actor(aid: str, name: str, kind: str, country: str | None, text: str) -> Actor:
    spans = []
    i = text.find(name)
    while i >= 0:
        spans.append((i, i + len(name)))
        i = text.find(name, i + 1)
    return Actor(stable_id(aid, kind, name), aid, name, kind, country=country, mentions=tuple(spans))


def event(aid: str, text: str, trigger: str, type_: str, *, status=None, acting=(), target=(), places=(), when=None,
          negated=False, nth=0) -> EventMention:
    i = -1
    for _ in range(nth + 1):
        i = text.find(trigger, i + 1)
    assert i >= 0, trigger
    s0, s1 = _sentence(text, i)
    t = TimeExpr(when, i, i, when, when, "day") if when else None
    return EventMention(stable_id(aid, type_, i), aid, type_, trigger, i, i + len(trigger), s0, s1,
                        acting=tuple(a.id for a in acting), target=tuple(a.id for a in target), places=tuple(places),
                        time=t, status=status, negated=negated)


def place(name: str, cc: str, feature: str = "city") -> Place:
    return Place(name, 0, len(name), resolved_name=name, country_code=cc, feature=feature)


def build():
    """(articles, analyses, fusion) for the story."""
    arts = {k: article(k) for k in TEXTS}
    ans = {}
    # a1: failed talks
    t = arts["a1"].text
    ec, pe = actor("a1", "Ecuador", "country", "EC", t), actor("a1", "Peru", "country", "PE", t)
    lopes = actor("a1", "Ana Lopes", "person", "BR", t)
    ans["a1"] = Analysis("a1", "t", actors=(ec, pe, lopes), events=(
        event("a1", t, "Talks", "talks", acting=(ec, pe), places=(place("Brasilia", "BR"),), when="2025-05-02"),
        event("a1", t, "deal", "agreement", negated=True),
    ))
    # a2: the signing, terms, a condition in a quote, a clash before the agreement
    t = arts["a2"].text
    ec, pe = actor("a2", "Ecuador", "country", "EC", t), actor("a2", "Peru", "country", "PE", t)
    vera = actor("a2", "Jorge Vera", "person", "EC", t)
    q0 = t.index("holds only")
    quote = Quote("q-vera", "a2", t[q0:t.index('"', q0)], "Jorge Vera", vera.id, "said", True, q0, t.index('"', q0))
    clash = event("a2", t, "Fighting", "armed_clash", places=(place("Huaquillas", "EC"),), when="2025-04-28")
    ans["a2"] = Analysis("a2", "t", actors=(ec, pe, vera), quotes=(quote,), events=(
        event("a2", t, "ceasefire agreement", "ceasefire", status="signed", acting=(ec, pe),
              places=(place("Brasilia", "BR"),), when="2025-05-10"),
        clash,
    ))
    # a3: accusation and denial of the shelling
    t = arts["a3"].text
    ec, pe = actor("a3", "Ecuador", "country", "EC", t), actor("a3", "Peruvian troops", "armed_group", "PE", t)
    pe2 = actor("a3", "Peru", "country", "PE", t)
    shelling = event("a3", t, "shelling", "shelling", acting=(pe,), places=(place("Huaquillas", "EC"),), when="2025-05-19")
    ans["a3"] = Analysis("a3", "t", actors=(ec, pe, pe2), events=(
        event("a3", t, "accused", "accusation", acting=(ec,), target=(pe,)),
        shelling,
        event("a3", t, "denied", "denial", acting=(pe2,)),
        event("a3", t, "ceasefire", "ceasefire", status="strained"),
    ))
    # a4: collapse report, the airstrike, shelling in a third country
    t = arts["a4"].text
    ec, pe = actor("a4", "Ecuador", "country", "EC", t), actor("a4", "Peru", "country", "PE", t)
    ecaf = actor("a4", "Ecuadorian", "armed_group", "EC", t)
    raid = event("a4", t, "air raid", "airstrike", acting=(ecaf,), places=(place("Tumbes", "PE"),), when="2025-05-24")
    third = event("a4", t, "shelling", "shelling", places=(place("Ipiales", "CO"),), when="2025-05-22")
    ans["a4"] = Analysis("a4", "t", actors=(ec, pe, ecaf), events=(
        event("a4", t, "ceasefire", "ceasefire", status="collapsed", acting=(ec, pe)), raid, third,
    ))
    # a5: holds
    t = arts["a5"].text
    ec = actor("a5", "Ecuador", "country", "EC", t)
    ans["a5"] = Analysis("a5", "t", actors=(ec,), events=(event("a5", t, "ceasefire", "ceasefire", status="holds"),))

    canon = (
        CanonicalActor("ca-ec-army", "Ecuadorian forces", "armed_group", country="EC", member_ids=(ecaf.id,)),
        CanonicalActor("ca-pe-army", "Peruvian troops", "armed_group", country="PE",
                       member_ids=(ans["a3"].actors[1].id,)),
    )

    def inc(iid, ev, type_, when, places, acting=(), sources=1, corroboration="single source", casualties=()):
        return Incident(iid, type_, when, when, "day", places=places, acting=acting, article_ids=(ev.article_id,),
                        mentions=(IncidentMention(ev.article_id, ev.id, ev.start, ev.end),),
                        independent_sources=sources, corroboration=corroboration, casualties=casualties,
                        totals=cas_totals(casualties),
                        summary=TEXTS[ev.article_id][2][ev.sentence_start:ev.sentence_end])

    incidents = (
        inc("in-clash", clash, "armed_clash", "2025-04-28", (place("Huaquillas", "EC"),)),
        inc("in-shell", shelling, "shelling", "2025-05-19", (place("Huaquillas", "EC"),), ("ca-pe-army",), 2,
            "corroborated", (CasualtyEstimate("injured", "Ecuador", "soldiers", 3, 3, 3, 3),)),
        inc("in-raid", raid, "airstrike", "2025-05-24", (place("Tumbes", "PE"),), ("ca-ec-army",), 2, "corroborated",
            (CasualtyEstimate("killed", "Peru", "soldiers", 1, 1, 1, 1),)),
        inc("in-third", third, "shelling", "2025-05-22", (place("Ipiales", "CO"),)),
    )
    fusion = Fusion(actors=canon, incidents=incidents)
    return list(arts.values()), list(ans.values()), fusion


def stored(store):
    """Put the story's articles, analyses and fusion in ``store`` (as analyze and fuse would)."""
    from trucewatch.fuse import fusion_records
    from trucewatch.records import RawInput

    arts, ans, fusion = build()
    for a in arts:
        store.add_article(a, RawInput(a.id, "txt", a.text.encode()))
    store.save_analyses(ans)
    for kind, records in fusion_records(fusion).items():
        store.replace_fused(kind, records)
    return arts, ans, fusion
