"""A small, fully known store for the web tests: articles, analyses and fused records written by hand.

The story is invented for these tests (two fictional countries, Veloria and
Kestrana, quarrelling over a mountain pass). Spans are found with
``str.index`` so they always point at the words they claim to.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field

from trucewatch.fuse.casualties import totals as cas_totals
from trucewatch.records import (
    Actor,
    Analysis,
    Article,
    CanonicalActor,
    CasualtyEstimate,
    Claim,
    CopyGroup,
    Dispute,
    DisputeSide,
    EventMention,
    Incident,
    IncidentMention,
    Place,
    Quote,
    QuoteCluster,
    RawInput,
    SourceSpan,
    Story,
    stable_id,
    to_dict,
)

XSS_TITLE = "<script>window.__pwned = 1; document.title = 'PWNED'</script>Border rumours"
XSS_BODY = (
    'An anonymous post claimed <img src=x onerror="window.__pwned=2;document.title=\'PWNED\'"> that '
    "troops had crossed the pass. <script>window.__pwned = 3</script> Officials called the post fabricated, "
    "and said no soldiers had moved."
)

TEXTS = {
    "a1": (
        "Northern Ledger",
        "2026-03-02",
        "Artillery duel at Kestrel Pass leaves soldiers dead",
        "Veloria and Kestrana traded artillery fire at the Kestrel Pass on Saturday, and at least four Velorian "
        "soldiers were killed, the Velorian defence ministry said. \"We will answer every provocation at the pass,\" "
        "said General Mara Voss. The exchange came in retaliation for a drone strike on a Velorian supply depot on "
        "Thursday. Kestrana denied firing first.",
    ),
    "a2": (
        "Harbor Times",
        "2026-03-03",
        "Six soldiers reported killed in pass shelling",
        "Six soldiers died when shells landed on positions at the Kestrel Pass, a Kestranan military spokesman told "
        "reporters on Sunday. \"We will answer every provocation at the pass,\" the spokesman said, adding that the "
        "guns had fallen silent by evening.",
    ),
    "a3": (
        "Valley Wire",
        "2026-03-03",
        "Six soldiers reported killed in pass shelling",
        "Six soldiers died when shells landed on positions at the Kestrel Pass, a Kestranan military spokesman told "
        "reporters on Sunday. \"We will answer every provocation at the pass,\" the spokesman said, adding that the "
        "guns had fallen silent by evening. (Syndicated.)",
    ),
    "a4": (
        "Northern Ledger",
        "2026-02-27",
        "Drone hits supply depot near the border",
        "A drone struck a Velorian supply depot outside the town of Dravik on Thursday, the ministry said, "
        "wounding two guards. Kestrana has not commented on the strike.",
    ),
    "a5": ("<b>Rumour Mill</b>", "2026-03-05", XSS_TITLE, XSS_BODY),
}


@dataclass
class Built:
    """Ids of everything :func:`build` stored, by the fixture's short names."""

    articles: dict[str, str] = field(default_factory=dict)
    incidents: dict[str, str] = field(default_factory=dict)
    disputes: dict[str, str] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    story: str = ""
    copy: str = ""
    cluster: str = ""


def _span(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def _article(key: str) -> tuple[Article, RawInput]:
    outlet, published, title, text = TEXTS[key]
    raw = RawInput(source=f"fixture/{key}.txt", fmt="txt", data=(title + "\n\n" + text).encode())
    art = Article(
        id=hashlib.sha1(text.encode()).hexdigest()[:16],
        title=title,
        outlet=outlet,
        url=f"https://example.org/{key}",
        source_path=f"fixture/{key}.txt",
        dateline=None,
        published=published,
        published_inferred=False,
        published_origin="metadata",
        published_precision="day",
        published_range=None,
        language="en",
        text=text,
        fmt="txt",
        raw_sha256=raw.sha256,
    )
    return art, raw


def build(store) -> Built:
    """Fill ``store`` (a real :class:`~trucewatch.store.Store`) with the fixture and return its ids."""
    b = Built()
    arts = {}
    for key in TEXTS:
        art, raw = _article(key)
        store.add_article(art, raw)
        arts[key] = art
        b.articles[key] = art.id

    def aid(k: str) -> str:
        return arts[k].id

    pass_place = dict(resolved_name="Kestrel Pass", country="Veloria", country_code="VL", admin1="Highlands",
                      lat=14.38, lon=103.2, feature="crossing")
    analyses = []
    quotes, claims = {}, {}
    # a1: figure 4 by the ministry, quote by Voss, shelling event following a drone strike
    t1 = arts["a1"].text
    s, e = _span(t1, "We will answer every provocation at the pass")
    q1 = Quote(stable_id("a1q"), aid("a1"), t1[s:e], "General Mara Voss", stable_id("act-voss-a1"), "said", True, s, e)
    s, e = _span(t1, "at least four")
    c1 = Claim(stable_id("a1c"), aid("a1"), 4, 4, None, "at least four", "killed", "soldiers", "killed", "Velorian",
               "the Velorian defence ministry", None, "at least", s, e)
    s, e = _span(t1, "traded artillery fire")
    ps, pe = _span(t1, "Kestrel Pass")
    ev1 = EventMention(stable_id("a1e"), aid("a1"), "shelling", "traded artillery fire", s, e, 0, t1.index(".") + 1,
                       places=(Place("Kestrel Pass", ps, pe, **pass_place),), claim_ids=(c1.id,))
    s, e = _span(t1, "drone strike")
    ev1b = EventMention(stable_id("a1e2"), aid("a1"), "drone_strike", "drone strike", s, e, s - 40, e + 40)
    voss = Actor(stable_id("act-voss-a1"), aid("a1"), "General Mara Voss", "person", roles=("general",))
    analyses.append(Analysis(aid("a1"), "test-1", actors=(voss,), quotes=(q1,), claims=(c1,), events=(ev1, ev1b)))
    # a2 and a3 (a copy): figure 6 by a spokesman, same quote given to "the spokesman"
    for k in ("a2", "a3"):
        tx = arts[k].text
        s, e = _span(tx, "We will answer every provocation at the pass")
        quotes[k] = Quote(stable_id(k, "q"), aid(k), tx[s:e], "a Kestranan military spokesman", None, "said", True, s, e)
        s, e = _span(tx, "Six")
        claims[k] = Claim(stable_id(k, "c"), aid(k), 6, 6, 6, "Six", "killed", "soldiers", "died", None,
                          "a Kestranan military spokesman", None, "reported", s, e)
        s, e = _span(tx, "shells landed")
        ev = EventMention(stable_id(k, "e"), aid(k), "shelling", "shells landed", s, e, 0, tx.index(",") + 1,
                          claim_ids=(claims[k].id,))
        analyses.append(Analysis(aid(k), "test-1", quotes=(quotes[k],), claims=(claims[k],), events=(ev,)))
    t4 = arts["a4"].text
    s, e = _span(t4, "two")
    c4 = Claim(stable_id("a4c"), aid("a4"), 2, 2, 2, "two", "injured", "guards", "wounding", None, "the ministry",
               None, None, s, e)
    s, e = _span(t4, "drone struck")
    ev4 = EventMention(stable_id("a4e"), aid("a4"), "drone_strike", "drone struck", s, e, 0, len(t4))
    analyses.append(Analysis(aid("a4"), "test-1", claims=(c4,), events=(ev4,)))
    t5 = arts["a5"].text
    s, e = _span(t5, "troops had crossed the pass")
    q5 = Quote(stable_id("a5q"), aid("a5"), t5[s:e], '<img src=x onerror="window.__pwned=4">', None, "claimed", False, s, e)
    analyses.append(Analysis(aid("a5"), "test-1", quotes=(q5,)))
    store.save_analyses(analyses)
    b.quotes = {"a1": q1.id, "a2": quotes["a2"].id, "a3": quotes["a3"].id, "a5": q5.id}
    b.claims = {"a1": c1.id, "a2": claims["a2"].id, "a3": claims["a3"].id, "a4": c4.id}

    # ---------------------------------------------------------------- fused records
    actors = [
        CanonicalActor("actor-voss", "Mara Voss", "person", aliases=("General Mara Voss", "Voss"), roles=("general",),
                       country="VL", member_ids=(voss.id,), article_ids=(aid("a1"),)),
        CanonicalActor("actor-veloria", "Veloria", "country", aliases=("Velorian defence ministry",),
                       article_ids=(aid("a1"), aid("a4"))),
        CanonicalActor("actor-kestrana", "Kestrana", "country", aliases=("Kestranan military",),
                       article_ids=(aid("a1"), aid("a2"), aid("a3"), aid("a4"))),
    ]
    b.actors = {"voss": "actor-voss", "veloria": "actor-veloria", "kestrana": "actor-kestrana"}
    drone = Incident(
        "inc-drone", "drone_strike", "2026-02-26", "2026-02-26", "day",
        places=(Place("Dravik", 0, 0, resolved_name="Dravik", country="Veloria", country_code="VL",
                      admin1="Highlands", lat=14.1, lon=102.8, feature="city"),),
        actor_ids=("actor-kestrana", "actor-veloria"), acting=("actor-kestrana",), target=("actor-veloria",),
        article_ids=(aid("a1"), aid("a4")),
        mentions=(IncidentMention(aid("a4"), ev4.id, ev4.start, ev4.end), IncidentMention(aid("a1"), ev1b.id, ev1b.start, ev1b.end)),
        independent_sources=1, corroboration="single source",
        casualties=(drone_toll := (CasualtyEstimate("injured", None, "guards", 2, 2, 2, 2, claim_ids=(c4.id,), claimants=("the ministry",)),)),
        totals=cas_totals(drone_toll),
        story_id="story-pass", summary="A drone struck a Velorian supply depot outside the town of Dravik on Thursday.",
    )
    shelling = Incident(
        "inc-shelling", "shelling", "2026-02-28", "2026-02-28", "day",
        places=(Place("Kestrel Pass", 0, 0, **pass_place),),
        actor_ids=("actor-kestrana", "actor-veloria", "actor-voss"), acting=("actor-kestrana",), target=("actor-veloria",),
        article_ids=(aid("a1"), aid("a2"), aid("a3")),
        mentions=tuple(IncidentMention(a.article_id, ev.id, ev.start, ev.end)
                       for a in analyses[:3] for ev in a.events[:1]),
        independent_sources=2, corroboration="contested",
        casualties=(shell_toll := (CasualtyEstimate("killed", None, "soldiers", 4, 5, 6, 4, claim_ids=(c1.id, claims["a2"].id, claims["a3"].id),
                                     claimants=("the Velorian defence ministry", "a Kestranan military spokesman")),)),
        totals=cas_totals(shell_toll),
        follows_from=("inc-drone",), story_id="story-pass",
        summary="Veloria and Kestrana traded artillery fire at the Kestrel Pass on Saturday.",
    )
    rumour = Incident(
        "inc-rumour", "statement", "2026-03-05", "2026-03-05", "day",
        places=(Place("<svg onload=alert(1)>", 0, 0, resolved_name="<svg onload=alert(1)>", lat=13.9, lon=103.6),),
        article_ids=(aid("a5"),), mentions=(IncidentMention(aid("a5"), "ev-x", *_span(t5, "troops had crossed the pass")),),
        independent_sources=1, story_id="story-pass", summary=XSS_BODY[:80],
    )
    b.incidents = {"drone": drone.id, "shelling": shelling.id, "rumour": rumour.id}
    cluster = QuoteCluster("qc-answer", q1.text, (q1.id, quotes["a2"].id, quotes["a3"].id),
                           (aid("a1"), aid("a2"), aid("a3")), ("General Mara Voss", "a Kestranan military spokesman"), 2)
    b.cluster = cluster.id
    figure = Dispute(
        "disp-figure", "figure", "Killed soldiers at the Kestrel Pass: 4 (ministry) vs 6 (spokesman)",
        sides=(
            DisputeSide("4", "the Velorian defence ministry", (aid("a1"),), (SourceSpan(aid("a1"), c1.start, c1.end),)),
            DisputeSide("6", "a Kestranan military spokesman", (aid("a2"), aid("a3")),
                        (SourceSpan(aid("a2"), claims["a2"].start, claims["a2"].end),)),
        ),
        incident_id=shelling.id,
    )
    speaker = Dispute(
        "disp-speaker", "speaker", "Who warned about answering every provocation",
        sides=(
            DisputeSide("General Mara Voss", "Northern Ledger", (aid("a1"),)),
            DisputeSide("a Kestranan military spokesman", "Harbor Times", (aid("a2"), aid("a3"))),
        ),
        quote_cluster_id=cluster.id,
    )
    b.disputes = {"figure": figure.id, "speaker": speaker.id}
    story = Story("story-pass", "Kestrel Pass flare-up", tuple(sorted(b.articles.values())),
                  (drone.id, shelling.id, rumour.id), date_start="2026-03-12", date_end="2026-03-19",
                  places=("Dravik",))
    b.story = story.id
    copy = CopyGroup("copy-1", tuple(sorted((aid("a2"), aid("a3")))), aid("a2"), "near-duplicate text (jaccard 0.95)")
    b.copy = copy.id
    for kind, recs in (
        ("actor", actors), ("incident", [drone, shelling, rumour]), ("dispute", [figure, speaker]),
        ("story", [story]), ("copy", [copy]), ("quote_cluster", [cluster]),
    ):
        store.replace_fused(kind, [to_dict(r) for r in recs])
    return b


@contextlib.contextmanager
def served(settings):
    """The fixture store built at ``settings.db``, a write token and an in-process client of the app over it."""
    from fastapi.testclient import TestClient

    from trucewatch.store import open_store
    from trucewatch.web import create_app
    from trucewatch.web.server import ensure_token

    store = open_store(settings)
    try:
        built = build(store)
        token = ensure_token(store)
        client = TestClient(create_app(settings, store))
        yield {"client": client, "b": built, "token": token, "store": store, "settings": settings}
    finally:
        store.close()
