"""A hand-built fusion export document for the report tests (invented events, own words).

Five short articles about an invented flare-up on a real border (so the map has
real outlines to draw), and the fused records a fusion stage would make of them:
a syndicated copy, incidents with casualty estimates, a quote cluster whose
outlets disagree on the speaker, disputes of several kinds, an agreement with a
status history and an alleged violation. Every span is computed from the text,
so offsets are exact.
"""

from __future__ import annotations

import copy
from typing import Any

from trucewatch.fuse.casualties import totals as cas_totals
from trucewatch.records import CasualtyEstimate, from_dict, to_dict

A1 = """Guards killed in clash at Vorukh border post
Valley Courier

BATKEN, April 2 - Six Kyrgyz border guards were killed on Wednesday when Tajik troops attacked a frontier post near the Vorukh enclave, the Kyrgyz border service said.

Border service spokesman Aibek Toktosunov said the fighting began at dawn and lasted about three hours. "We responded only to fire that came at our positions," Toktosunov told reporters in Batken.

Tajik officials did not answer requests for comment on Wednesday."""

# A lightly edited syndicated copy of A1.
A2 = """Guards killed in clash at Vorukh border post
Central Asia Wire

BATKEN, April 2 (Central Asia Wire) - Six Kyrgyz border guards were killed on Wednesday when Tajik troops attacked a frontier post near the Vorukh enclave, the Kyrgyz border service said.

Border service spokesman Aibek Toktosunov said the fighting began at dawn and lasted about three hours. "We responded only to fire that came at our positions," Toktosunov told reporters in Batken.

Tajik officials could not be reached on Wednesday."""

A3 = """Dushanbe says Kyrgyz shelling started border fighting
Dushanbe Evening

DUSHANBE, April 3 - Tajikistan's defence ministry said on Thursday that Kyrgyz artillery shelled villages in Isfara district on Tuesday night, hours before the clash at Vorukh.

Ministry spokesman Rustam Nazarov said no more than two Kyrgyz guards died in the exchange and that three Tajik soldiers were killed. "We responded only to fire that came at our positions," Nazarov said, describing the Tajik side's account.

He denied that Tajik forces had attacked first."""

A4 = """Drone strike hits Batken as ceasefire is agreed
Steppe Monitor

BISHKEK, April 5 - A drone struck the outskirts of Batken on Saturday, killing two civilians, a hospital official said. Kyrgyzstan blamed Tajikistan for the strike.

On Sunday both governments agreed a ceasefire at talks in Batken mediated by Kazakhstan. The sides agreed to withdraw heavy weapons from the border and to set up a joint monitoring commission.

The ceasefire is holding, a Kyrgyz official said late on Sunday."""

A5 = """Mortar fire tests fragile truce
Highland Post

OSH, April 9 - Mortar rounds fell near villages in Batken Region this week, Kyrgyz officials said, accusing Tajik units of breaking the ceasefire. Dushanbe rejected the accusation.

A regional commander said the truce has collapsed, while a Tajik envoy insisted the ceasefire still holds.

Talks on the border line are expected to resume later this month. The April 4 drone strike on Batken killed two civilians and wounded five, according to the hospital."""

ARTICLES = [
    ("a1", A1, "Valley Courier", "2026-04-02", "https://valley-courier.example/vorukh-clash"),
    ("a2", A2, "Central Asia Wire", "2026-04-02", None),
    ("a3", A3, "Dushanbe Evening", "2026-04-03", "https://dushanbe-evening.example/shelling"),
    ("a4", A4, "Steppe Monitor", "2026-04-05", "https://steppe-monitor.example/drone-ceasefire"),
    ("a5", A5, "Highland Post", "2026-04-09", None),
]
TEXT = {aid: text for aid, text, *_ in ARTICLES}


def span(aid: str, words: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the ``nth`` occurrence of ``words`` in article ``aid``."""
    text = TEXT[aid]
    i = -1
    for _ in range(nth + 1):
        i = text.index(words, i + 1)
    return i, i + len(words)


def _m(aid: str, words: str, event: str) -> dict[str, Any]:
    s, e = span(aid, words)
    return {"article_id": aid, "event_id": f"ev-{aid}-{event}", "start": s, "end": e}


def _claim(cid, aid, words, value, category, counted, side, claimant, hedge, incident, low=None, high=None):
    s, e = span(aid, words)
    return {
        "id": cid, "article_id": aid, "value": value, "low": low if low is not None else value,
        "high": high if high is not None else value, "original": words.split()[0] if words[0].isdigit() else words,
        "category": category, "counted": counted, "predicate": category, "side": side, "claimant": claimant,
        "claimant_actor_id": None, "hedge": hedge, "start": s, "end": e, "event_id": None, "incident_id": incident,
    }


def _quote(qid, aid, words, speaker, actor, cluster):
    s, e = span(aid, words)
    return {"id": qid, "article_id": aid, "text": words, "speaker": speaker, "speaker_actor_id": actor,
            "cue": "said" if aid != "a1" else "told", "direct": True, "start": s, "end": e, "cluster_id": cluster}


def _place(name, country, code, admin1, lat, lon, feature):
    return {"name": name, "start": 0, "end": 0, "resolved_name": name, "country": country, "country_code": code,
            "admin1": admin1, "lat": lat, "lon": lon, "feature": feature, "gazetteer_id": None, "reason": None}


VORUKH = _place("Vorukh", "Tajikistan", "TJ", "Sughd", 39.85, 70.57, "town")
ISFARA = _place("Isfara", "Tajikistan", "TJ", "Sughd", 40.13, 70.63, "district")
BATKEN = _place("Batken", "Kyrgyzstan", "KG", "Batken Region", 40.06, 70.82, "city")
BATKEN_REGION = _place("Batken Region", "Kyrgyzstan", "KG", "Batken Region", 39.9, 70.5, "admin1")


def build_doc() -> dict[str, Any]:
    """A fresh copy of the fixture export document."""
    articles = [
        {"id": aid, "title": text.split("\n", 1)[0], "outlet": outlet, "url": url, "source_path": f"{aid}.txt",
         "dateline": None, "published": date, "published_inferred": aid == "a5", "language": "en", "text": text}
        for aid, text, outlet, date, url in ARTICLES
    ]
    actors = [
        {"id": "act-kg", "name": "Kyrgyzstan", "kind": "country", "aliases": ["Kyrgyz"], "roles": [], "country": "KG",
         "member_ids": ["a1-kg", "a4-kg"], "article_ids": ["a1", "a4"]},
        {"id": "act-tj", "name": "Tajikistan", "kind": "country", "aliases": ["Tajik", "Dushanbe"], "roles": [],
         "country": "TJ", "member_ids": ["a3-tj"], "article_ids": ["a1", "a3", "a5"]},
        {"id": "act-toktosunov", "name": "Aibek Toktosunov", "kind": "person", "aliases": ["Toktosunov"],
         "roles": ["border service spokesman"], "country": "KG", "member_ids": ["a1-at", "a2-at"],
         "article_ids": ["a1", "a2"]},
        {"id": "act-nazarov", "name": "Rustam Nazarov", "kind": "person", "aliases": ["Nazarov"],
         "roles": ["defence ministry spokesman"], "country": "TJ", "member_ids": ["a3-rn"], "article_ids": ["a3"]},
    ]
    quote_words = "We responded only to fire that came at our positions"
    quotes = [
        _quote("q1", "a1", quote_words, "Aibek Toktosunov", "a1-at", "qc1"),
        _quote("q2", "a2", quote_words, "Aibek Toktosunov", "a2-at", "qc1"),
        _quote("q3", "a3", quote_words, "Rustam Nazarov", "a3-rn", "qc1"),
    ]
    claims = [
        _claim("cl1", "a1", "Six Kyrgyz border guards were killed", 6, "killed", "border guards", "Kyrgyz",
               "Kyrgyz border service", "said", "inc-clash"),
        _claim("cl2", "a2", "Six Kyrgyz border guards were killed", 6, "killed", "border guards", "Kyrgyz",
               "Kyrgyz border service", "said", "inc-clash"),
        _claim("cl3", "a3", "no more than two Kyrgyz guards died", 2, "killed", "guards", "Kyrgyz",
               "Rustam Nazarov", "no more than", "inc-clash", low=0, high=2),
        _claim("cl4", "a3", "three Tajik soldiers were killed", 3, "killed", "soldiers", "Tajik",
               "Rustam Nazarov", "said", "inc-clash"),
        _claim("cl5", "a4", "killing two civilians", 2, "killed", "civilians", None, "a hospital official",
               "said", "inc-drone"),
        _claim("cl6", "a5", "killed two civilians", 2, "killed", "civilians", None, "the hospital",
               "according to", "inc-drone"),
        _claim("cl7", "a5", "wounded five", 5, "injured", "people", None, "the hospital", "according to", "inc-drone"),
    ]
    incidents = [
        {"id": "inc-shelling", "type": "shelling", "date_start": "2026-03-31", "date_end": "2026-03-31",
         "date_precision": "day", "places": [ISFARA], "actor_ids": ["act-kg"], "acting": ["act-kg"], "target": [],
         "article_ids": ["a3"], "mentions": [_m("a3", "shelled", "shell")], "independent_sources": 1,
         "corroboration": "contested", "casualties": [], "follows_from": [], "story_id": "st1",
         "summary": "Kyrgyz artillery shelled villages in Isfara district on Tuesday night."},
        {"id": "inc-clash", "type": "armed_clash", "date_start": "2026-04-01", "date_end": "2026-04-01",
         "date_precision": "day", "places": [VORUKH], "actor_ids": ["act-tj", "act-kg"], "acting": ["act-tj"],
         "target": ["act-kg"], "article_ids": ["a1", "a2", "a3"],
         "mentions": [_m("a1", "attacked", "att"), _m("a2", "attacked", "att"), _m("a3", "the clash at Vorukh", "cl")],
         "independent_sources": 2, "corroboration": "corroborated",
         "casualties": [
             {"category": "killed", "side": "Kyrgyz", "counted": "border guards", "low": 2, "best": 6, "high": 6,
              "acled": 2, "claim_ids": ["cl1", "cl2", "cl3"], "claimants": ["Kyrgyz border service", "Rustam Nazarov"]},
             {"category": "killed", "side": "Tajik", "counted": "soldiers", "low": 3, "best": 3, "high": 3,
              "acled": 3, "claim_ids": ["cl4"], "claimants": ["Rustam Nazarov"]},
         ],
         "follows_from": ["inc-shelling"], "story_id": "st1",
         "summary": "Six Kyrgyz border guards were killed when Tajik troops attacked a frontier post near the Vorukh enclave."},
        {"id": "inc-drone", "type": "drone_strike", "date_start": "2026-04-04", "date_end": "2026-04-04",
         "date_precision": "day", "places": [BATKEN], "actor_ids": ["act-tj"], "acting": ["act-tj"], "target": [],
         "article_ids": ["a4", "a5"], "mentions": [_m("a4", "struck", "dr"), _m("a5", "drone strike", "dr")],
         "independent_sources": 2, "corroboration": "corroborated",
         "casualties": [
             {"category": "killed", "side": None, "counted": "civilians", "low": 2, "best": 2, "high": 2, "acled": 2,
              "claim_ids": ["cl5", "cl6"], "claimants": ["a hospital official", "the hospital"]},
             {"category": "injured", "side": None, "counted": "people", "low": 5, "best": 5, "high": 5, "acled": 5,
              "claim_ids": ["cl7"], "claimants": ["the hospital"]},
         ],
         "follows_from": [], "story_id": "st1", "summary": "A drone struck the outskirts of Batken on Saturday."},
        {"id": "inc-ceasefire", "type": "ceasefire", "date_start": "2026-04-05", "date_end": "2026-04-05",
         "date_precision": "day", "places": [BATKEN], "actor_ids": ["act-kg", "act-tj"], "acting": ["act-kg", "act-tj"],
         "target": [], "article_ids": ["a4"], "mentions": [_m("a4", "agreed a ceasefire", "cf")],
         "independent_sources": 1, "corroboration": "single source", "casualties": [], "follows_from": ["inc-drone"],
         "story_id": "st1", "summary": "Both governments agreed a ceasefire at talks in Batken."},
        {"id": "inc-mortar", "type": "mortar_fire", "date_start": "2026-04-06", "date_end": "2026-04-09",
         "date_precision": "week", "places": [BATKEN_REGION], "actor_ids": ["act-tj"], "acting": ["act-tj"],
         "target": [], "article_ids": ["a5"], "mentions": [_m("a5", "Mortar rounds fell", "mo")],
         "independent_sources": 1, "corroboration": "single source", "casualties": [], "follows_from": [],
         "story_id": "st1", "summary": "Mortar rounds fell near villages in Batken Region this week."},
        {"id": "inc-talks", "type": "talks", "date_start": "2026-04-01", "date_end": "2026-04-30",
         "date_precision": "month", "places": [], "actor_ids": [], "acting": [], "target": [],
         "article_ids": ["a5"], "mentions": [_m("a5", "Talks on the border line", "tk")], "independent_sources": 1,
         "corroboration": "single source", "casualties": [], "follows_from": [], "story_id": "st1",
         "summary": "Talks on the border line are expected to resume later this month."},
    ]

    for inc in incidents:  # fusion's labelled totals, from the estimates as fusion computes them
        ests = [from_dict(CasualtyEstimate, c) for c in inc["casualties"]]
        inc["totals"] = [to_dict(t) for t in cas_totals(ests)]

    def side(value, claimant, aid, words):
        s, e = span(aid, words)
        return {"value": value, "claimant": claimant, "article_ids": [aid], "spans": [{"article_id": aid, "start": s, "end": e}]}

    disputes = [
        {"id": "d-fig", "kind": "figure", "summary": "Sources give different numbers of Kyrgyz guards killed at Vorukh.",
         "incident_id": "inc-clash", "quote_cluster_id": None,
         "sides": [side("6 killed", "Kyrgyz border service", "a1", "Six Kyrgyz border guards were killed"),
                   side("2 killed", "Rustam Nazarov", "a3", "no more than two Kyrgyz guards died")]},
        {"id": "d-spk", "kind": "speaker", "summary": "The same words are attributed to two different spokesmen.",
         "incident_id": None, "quote_cluster_id": "qc1",
         "sides": [{"value": "Aibek Toktosunov", "claimant": "Valley Courier", "article_ids": ["a1", "a2"], "spans": []},
                   {"value": "Rustam Nazarov", "claimant": "Dushanbe Evening", "article_ids": ["a3"], "spans": []}]},
        {"id": "d-resp", "kind": "responsibility", "summary": "Tajikistan denies attacking first.",
         "incident_id": "inc-shelling", "quote_cluster_id": None,
         "sides": [side("Kyrgyz artillery shelled first", "Tajik defence ministry", "a3", "Kyrgyz artillery shelled villages"),
                   side("denies attacking first", "Rustam Nazarov", "a3", "He denied that Tajik forces had attacked first")]},
        {"id": "d-status", "kind": "status", "summary": "Outlets disagree on whether the ceasefire holds.",
         "incident_id": "inc-ceasefire", "quote_cluster_id": None,
         "sides": [side("collapsed", "a regional commander", "a5", "the truce has collapsed"),
                   side("holds", "a Tajik envoy", "a5", "the ceasefire still holds")]},
    ]
    s_hold = span("a4", "The ceasefire is holding")
    s_coll = span("a5", "the truce has collapsed")
    agreements = [
        {"id": "ag1", "kind": "ceasefire", "parties": ["Kyrgyzstan", "Tajikistan"], "mediators": ["Kazakhstan"],
         "venue": "Batken", "date_agreed": "2026-04-05", "date_reported": "2026-04-05",
         "terms": ["withdraw heavy weapons from the border", "set up a joint monitoring commission"],
         "conditions": [], "article_ids": ["a4", "a5"], "incident_id": "inc-ceasefire", "declared": False,
         "status_history": [
             {"status": "agreed", "date": "2026-04-05", "article_id": "a4", "outlet": "Steppe Monitor",
              "start": span("a4", "agreed a ceasefire")[0], "end": span("a4", "agreed a ceasefire")[1]},
             {"status": "in force", "date": "2026-04-05", "article_id": "a4", "outlet": "Steppe Monitor",
              "start": s_hold[0], "end": s_hold[1]},
             {"status": "collapsed", "date": "2026-04-09", "article_id": "a5", "outlet": "Highland Post",
              "start": s_coll[0], "end": s_coll[1]},
         ]},
    ]
    violations = [
        {"id": "v1", "agreement_id": "ag1", "incident_id": "inc-mortar", "date": "2026-04-06", "accused": ["Tajikistan"],
         "accusers": ["Kyrgyzstan"], "claim_ids": [], "corroboration": "single source", "review_status": "unreviewed",
         "article_ids": ["a5"], "dispute_ids": [], "casualties": None},
    ]
    return copy.deepcopy({
        "schema_version": "1.0",
        "trucewatch_version": "0.1.0",
        "generated_at": "2026-04-10T00:00:00+00:00",
        "filters": {"story_id": None, "since": None},
        "places": [],
        "articles": articles,
        "actors": actors,
        "quotes": quotes,
        "claims": claims,
        "incidents": incidents,
        "disputes": disputes,
        "stories": [{"id": "st1", "title": "Kyrgyz-Tajik border fighting, April 2026",
                     "article_ids": [a["id"] for a in articles], "incident_ids": [i["id"] for i in incidents]}],
        "copies": [{"id": "cp1", "article_ids": ["a1", "a2"], "original_id": "a1",
                    "reason": "near-duplicate text (jaccard 0.91)"}],
        "quote_clusters": [{"id": "qc1", "text": quote_words, "quote_ids": ["q1", "q2", "q3"],
                            "article_ids": ["a1", "a2", "a3"], "speakers": ["Aibek Toktosunov", "Rustam Nazarov"],
                            "independent_sources": 2}],
        "agreements": agreements,
        "violations": violations,
    })
