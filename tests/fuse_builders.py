"""Builders for hand-made Article + Analysis records, so fusion tests need no analyzer.

Offsets are found by searching the article text, so fixtures stay readable::

    b = ArticleBuilder("a1", "River Times", "2025-03-10", "Shells hit Kel Ridge on Saturday. ...")
    army = b.actor("Varenian army", "organization", country="XA")
    b.event("shelling", "Shells hit", acting=[army], places=[KEL_RIDGE], time=("on Saturday", "2025-03-08"))
    article, analysis = b.build()
"""

from __future__ import annotations

import dataclasses
import hashlib

from trucewatch.records import (
    Actor,
    Analysis,
    Article,
    Claim,
    EventMention,
    Place,
    Quote,
    Relation,
    TimeExpr,
    stable_id,
)

__all__ = ["ArticleBuilder", "place", "copy_article"]


def place(name: str, cc: str, *, admin1: str | None = None, feature: str = "city", lat: float = 10.0, lon: float = 100.0,
          gid: str | None = None) -> Place:
    return Place(name=name, start=0, end=0, resolved_name=name, country=cc, country_code=cc, admin1=admin1,
                 lat=lat, lon=lon, feature=feature, gazetteer_id=gid or f"test:{name}")


class ArticleBuilder:
    def __init__(self, key: str, outlet: str | None, published: str | None, text: str, *, title: str | None = None,
                 published_range: tuple[str, str] | None = None):
        self.key = key
        self.text = text
        aid = hashlib.sha1(text.encode()).hexdigest()[:16]
        self.article = Article(
            id=aid, title=title or text.split(".")[0][:60], outlet=outlet, url=None, source_path=f"{key}.txt",
            dateline=None, published=published, published_inferred=published_range is not None,
            published_origin="metadata" if published else "none", published_precision="range" if published_range else "day",
            published_range=published_range, language="en", text=text, fmt="txt", raw_sha256=aid * 4,
        )
        self.actors: list[Actor] = []
        self.events: list[EventMention] = []
        self.claims: list[Claim] = []
        self.quotes: list[Quote] = []
        self.aliases: list[tuple[str, str]] = []
        self.places: list[Place] = []

    @property
    def id(self) -> str:
        return self.article.id

    def find(self, s: str, nth: int = 0) -> tuple[int, int]:
        pos = -1
        for _ in range(nth + 1):
            pos = self.text.find(s, pos + 1)
            if pos < 0:
                raise AssertionError(f"{s!r} not in article {self.key}")
        return pos, pos + len(s)

    def sentence(self, pos: int) -> tuple[int, int]:
        start = max(self.text.rfind(". ", 0, pos), self.text.rfind("\n", 0, pos))
        start = 0 if start < 0 else start + (2 if self.text[start] == "." else 1)
        end = self.text.find(". ", pos)
        end = len(self.text) if end < 0 else end + 1
        return start, end

    def actor(self, name: str, kind: str = "person", *, roles=(), aliases=(), country: str | None = None) -> str:
        aid = stable_id(self.id, kind, name, prefix="a_")
        spans = ()
        if name in self.text:
            spans = (self.find(name),)
        self.actors.append(Actor(aid, self.id, name, kind, tuple(roles), tuple(aliases), country, spans))  # type: ignore[arg-type]
        return aid

    def event(self, type: str, trigger: str, *, nth: int = 0, acting=(), target=(), places=(), time=None,
              status: str | None = None, negated: bool = False, relations=(), realis: str = "actual",
              role: str = "news") -> str:
        s, e = self.find(trigger, nth)
        ss, se = self.sentence(s)
        t = None
        if time is not None:
            words, ds, *rest = time
            de = rest[0] if rest else ds
            ts, te = self.find(words)
            t = TimeExpr(words, ts, te, ds, de, "day" if ds == de else "range")
        rels = []
        for kind, phrase, target_id in relations:
            rs, re_ = self.find(phrase)
            rels.append(Relation(kind, target_id, phrase, rs, re_))
        eid = stable_id(self.id, type, s, prefix="e_")
        self.events.append(EventMention(eid, self.id, type, trigger, s, e, ss, se, tuple(acting), tuple(target),
                                        tuple(places), t, negated, False, status, (), (), tuple(rels), realis, role))
        return eid

    def claim(self, original: str, value: float, category: str = "killed", *, counted: str | None = "soldiers",
              side: str | None = None, claimant: str | None = None, claimant_actor: str | None = None,
              hedge: str | None = None, low: float | None = None, high: float | None = None, event: str | None = None) -> str:
        s, e = self.find(original)
        cid = stable_id(self.id, "claim", s, prefix="c_")
        self.claims.append(Claim(cid, self.id, value, low if low is not None else value,
                                 high if high is not None else (None if hedge in ("at least", "more than", "over") else value),
                                 original, category, counted, category, side, claimant or (self.article.outlet or "?"),
                                 claimant_actor, hedge, s, e, event))
        return cid

    def quote(self, words: str, speaker: str | None, *, actor: str | None = None, direct: bool = True) -> str:
        s, e = self.find(words)
        qid = stable_id(self.id, "quote", s, prefix="q_")
        sp = self.find(speaker) if speaker and speaker in self.text else (None, None)
        self.quotes.append(Quote(qid, self.id, words, speaker, actor, "said", direct, s, e, sp[0], sp[1]))
        return qid

    def mention_place(self, p: Place, nth: int = 0) -> Place:
        """Record ``p`` as a place mention of the article at its name's position (the article's places)."""
        s, e = self.find(p.name, nth)
        p = dataclasses.replace(p, start=s, end=e)
        self.places.append(p)
        return p

    def build(self) -> tuple[Article, Analysis]:
        return self.article, Analysis(
            article_id=self.id, pipeline_version="test", actors=tuple(self.actors), quotes=tuple(self.quotes),
            claims=tuple(self.claims), events=tuple(self.events), aliases=tuple(self.aliases),
            places=tuple(sorted(self.places, key=lambda p: (p.start, p.end))),
        )


def copy_article(article: Article, analysis: Analysis, *, outlet: str, suffix: str) -> tuple[Article, Analysis]:
    """A syndicated copy: the same text plus a credit line, carried by another outlet (offsets unchanged)."""
    text = article.text + suffix
    aid = hashlib.sha1(text.encode()).hexdigest()[:16]
    art = dataclasses.replace(article, id=aid, outlet=outlet, text=text, raw_sha256=aid * 4)

    def rid(x: str) -> str:
        return stable_id(aid, x, prefix=x[:2])

    actors = tuple(dataclasses.replace(a, id=rid(a.id), article_id=aid) for a in analysis.actors)
    amap = {a.id: rid(a.id) for a in analysis.actors}
    emap = {e.id: rid(e.id) for e in analysis.events}
    events = tuple(
        dataclasses.replace(e, id=emap[e.id], article_id=aid, acting=tuple(amap.get(x, x) for x in e.acting),
                            target=tuple(amap.get(x, x) for x in e.target),
                            relations=tuple(dataclasses.replace(r, target_event_id=emap.get(r.target_event_id)) for r in e.relations))
        for e in analysis.events
    )
    claims = tuple(dataclasses.replace(c, id=rid(c.id), article_id=aid, event_id=emap.get(c.event_id),
                                       claimant_actor_id=amap.get(c.claimant_actor_id)) for c in analysis.claims)
    quotes = tuple(dataclasses.replace(q, id=rid(q.id), article_id=aid, speaker_actor_id=amap.get(q.speaker_actor_id))
                   for q in analysis.quotes)
    return art, dataclasses.replace(analysis, article_id=aid, actors=actors, events=events, claims=claims, quotes=quotes)
