"""The fusion orchestrator: [Article, Analysis] (+ reviews) -> Fusion. Pure and order-independent."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import (
    Analysis,
    Article,
    CanonicalActor,
    Claim,
    Dispute,
    EventMention,
    Fusion,
    Incident,
    IncidentMention,
    Place,
    Review,
)
from ..labels import source_label
from . import casualties as cas
from . import copies as cp
from . import disputes as dsp
from . import incidents as inc
from . import linking as lk
from . import quotes as qt
from . import reviews as rv
from ._util import content_tokens, day, iso, norm
from .actors import canonical_actors
from .places import place_key, place_level, place_sort_key, places_compatible
from .stories import StoryCache, assign_incidents
from .stories import stories as make_stories

__all__ = ["FuseCache", "fuse", "fuse_with_cache"]

CLAIM_REACH = 400  # characters between a claim and the event mention it belongs to


@dataclass
class FuseCache:
    """What an incremental run reuses: MinHash signatures per article and scored pairs per block.

    ``dirty`` names the entries changed by the last run (the caller persists only those).
    """

    signatures: dict[str, str] = field(default_factory=dict)  # article id -> encoded signature
    blocks: dict[str, tuple[str, list]] = field(default_factory=dict)  # block key -> (fingerprint, pairs)
    dirty_signatures: set[str] = field(default_factory=set)
    dirty_blocks: set[str] = field(default_factory=set)
    removed_blocks: set[str] = field(default_factory=set)
    stories: StoryCache = field(default_factory=StoryCache)  # the last run's stories (fuse/stories.py)


def fuse(articles: Iterable[Article], analyses: Iterable[Analysis], *, reviews: Iterable[Review] = ()) -> Fusion:
    """Fuse analyzed articles into canonical actors, copies, stories, incidents, quote clusters and disputes.

    Pure, deterministic and independent of input order. Analyses without their article are ignored.
    """
    return fuse_with_cache(articles, analyses, reviews=reviews)[0]


def _side(actor: CanonicalActor | None, actor_id: str) -> str:
    if actor is None:
        return actor_id
    return actor.country or actor.id


def fuse_with_cache(
    articles: Iterable[Article],
    analyses: Iterable[Analysis],
    *,
    reviews: Iterable[Review] = (),
    cache: FuseCache | None = None,
) -> tuple[Fusion, dict]:
    """:func:`fuse`, reusing and updating ``cache``; returns the fusion and timing/size statistics."""
    t0 = time.perf_counter()
    stats: dict = {}
    reviews = tuple(reviews)
    arts = {a.id: a for a in articles}
    ans: dict[str, Analysis] = {}
    for an in analyses:
        if an.article_id in arts:
            ans[an.article_id] = rv.apply_to_analysis(an, reviews)
    arts = {k: arts[k] for k in sorted(ans)}
    art_list = list(arts.values())
    outlets = {a.id: a.outlet for a in art_list}
    # Who claims what in a dispute: the outlet, or the file's name and first words (never a hex id).
    claimants = {a.id: source_label(a.outlet, a.url, a.source_path, a.text) for a in art_list}

    # ---- copies and independent sources
    cache = cache if cache is not None else FuseCache()
    sigs = {}
    for a in art_list:
        enc = cache.signatures.get(a.id)
        if enc is None:
            sig = cp.signature(a.text)
            cache.signatures[a.id] = cp.encode_signature(sig)
            cache.dirty_signatures.add(a.id)
        else:
            sig = cp.decode_signature(enc)
        sigs[a.id] = sig
    credits = {a.id: cp.wire_credit(a) for a in art_list}
    copy_groups = cp.copy_groups(art_list, sigs, credits)
    del sigs
    sources = cp.SourceIndex(art_list, copy_groups, credits)
    stats["t_copies"] = time.perf_counter() - t0

    # ---- canonical actors
    actors, canon = canonical_actors(ans.values())
    actor_by_id = {a.id: a for a in actors}
    side_of = {a.id: _side(a, a.id) for a in actors}
    stats["t_actors"] = time.perf_counter() - t0

    # ---- event mentions -> incidents
    events: dict[str, EventMention] = {}
    infos: list[inc.MentionInfo] = []
    speech: list[EventMention] = []
    lead_places = {aid: _lead_place(an.places) for aid, an in ans.items()}
    for aid, an in ans.items():
        told = _accusation_settings(an.events)
        for ev in an.events:
            ev = told.get(ev.id, ev)
            events[ev.id] = ev
            fam = inc.family_of(ev.type)
            if fam in inc.INCIDENT_FAMILIES and not ev.negated and ev.realis == "actual" and ev.role != "teaser":
                infos.append(inc.mention_features(ev, arts[aid], canon, side_of, lead_places.get(aid)))
            else:
                speech.append(ev)
    infos.sort(key=lambda m: m.id)
    block_cache = cache.blocks
    changed: set[str] = set()
    clusters = inc.cluster_mentions(inc.units(infos), block_cache, stats, changed)
    info_by_id = {m.id: m for m in infos}
    clusters, link_stats = lk.link_articles(arts, clusters, info_by_id)
    stats.update(article_links=link_stats.links, article_link_pairs=link_stats.candidate_pairs)
    # An incident needs evidence: a mention with its own date, a place below a country or a casualty figure.
    # Undated, unplaced, uncounted mentions ("the talks have reached a standstill", "attacks by militant
    # groups") are the background of a report; alone they make no incident.
    figures: dict[str, set[tuple[str, str, float]]] = defaultdict(set)
    for an in ans.values():
        for c in an.claims:
            if c.event_id and c.category in ("killed", "injured") and c.value is not None:
                figures[c.event_id].add((c.category, cas.counted_group(c.counted), float(c.value)))
    clusters, stats["figure_links"] = lk.link_by_figures(arts, clusters, info_by_id, figures)
    people = {aid: {canon.get(a.id, a.id) for a in an.actors if a.kind == "person" and len(a.name.split()) >= 2}
              for aid, an in ans.items()}
    clusters, stats["name_links"] = lk.link_by_names(arts, clusters, info_by_id, people)
    counted = {c.event_id for an in ans.values() for c in an.claims if c.event_id and c.category in cas.CASUALTY_CATEGORIES}
    n_clusters = len(clusters)
    clusters = [ms for ms in clusters if any(m in counted or (m in info_by_id and info_by_id[m].anchored) for m in ms)]
    stats["unanchored_clusters"] = n_clusters - len(clusters)
    named_clusters: dict[str, str] = {}
    clusters = rv.apply_to_clusters(clusters, reviews, {e: ev.article_id for e, ev in events.items()}, named_clusters)
    stats["t_incidents_cluster"] = time.perf_counter() - t0
    incident_of: dict[str, str] = {}
    incident_days: dict[str, tuple[int, int]] = {}  # explicit dates of each incident's mentions
    describe: dict[str, str] = {}
    for members in clusters:
        iid = rv.cluster_id(members, named_clusters)
        for m in members:
            incident_of[m] = iid
        types = Counter(events[m].type for m in members)
        explicit = Counter(info_by_id[m].lo for m in members if m in info_by_id and info_by_id[m].explicit)
        his = [info_by_id[m].hi for m in members if m in info_by_id and info_by_id[m].hi is not None]
        spans = [(info_by_id[m].lo, info_by_id[m].hi) for m in members if m in info_by_id and info_by_id[m].explicit]
        if spans:
            incident_days[iid] = (min(lo for lo, _ in spans), max(hi for _, hi in spans))
        if explicit:
            when = f" of {iso(max(explicit, key=lambda d: (explicit[d], -d)))}"
        else:
            when = f" reported by {iso(min(his))}" if his else ""
        describe[iid] = f"the {max(types, key=lambda t: (types[t], t)).replace('_', ' ')}{when}"
    labels: dict[str, str] = {}
    for a in actors:
        if a.kind == "country" and a.country:
            labels.setdefault(a.country, a.name)

    def sentence(ev: EventMention) -> str:
        return arts[ev.article_id].text[ev.sentence_start : ev.sentence_end]

    # ---- claims -> incidents
    mentions_in_article: dict[str, list[EventMention]] = defaultdict(list)
    for e in incident_of:
        mentions_in_article[events[e].article_id].append(events[e])
    for ms in mentions_in_article.values():
        ms.sort(key=lambda e: (e.sentence_start, e.start, e.id))

    def nearest_incident(article_id: str, pos: int, prefer: str | None = None, own: EventMention | None = None) -> str | None:
        """The incident of the nearest mention within :data:`CLAIM_REACH`. ``own`` is the claim's event
        when the analyzer linked one that is in no incident (an accusation, a statement): then only a
        mention in the same sentence can own the claim, and never one of an incident whose dates
        exclude the event's own day-precise date. Distances run from the claim's own sentence: a figure in a
        sentence without an event ("Pakistan, however, confirmed 23 deaths.") goes with the event told just
        before it rather than with one in the next sentence."""
        best = None
        text = arts[article_id].text
        own_start = max(text.rfind(". ", 0, pos) + 2, text.rfind("\n", 0, pos) + 1, 0)
        own_lo = own_hi = None
        if own is not None and own.time is not None and own.time.date_start:
            own_lo, own_hi = day(own.time.date_start), day(own.time.date_end or own.time.date_start)
            if own_lo is not None and own_hi is not None and own_hi - own_lo > 3:
                own_lo = own_hi = None  # a vague time tells nothing
        for e in mentions_in_article.get(article_id, ()):
            if e.sentence_start <= pos < max(e.sentence_end, e.sentence_start + 1):
                dist = 0
            elif e.sentence_end <= pos:
                dist = max(1, own_start - e.sentence_end)
            else:
                dist = max(1, e.sentence_start - own_start)
            if dist > (0 if own is not None else CLAIM_REACH):
                continue
            if own_lo is not None and own_hi is not None:
                lo, hi = incident_days.get(incident_of[e.id], (None, None))
                if lo is not None and hi is not None and (hi < own_lo or lo > own_hi):
                    continue
            fam_bonus = 0 if prefer is None or inc.family_of(e.type) == prefer else 1
            cand = (fam_bonus, dist, abs(pos - e.start), e.id)  # in one sentence: the nearest trigger
            if best is None or cand < best[0]:
                best = (cand, incident_of[e.id])
        return best[1] if best else None

    claim_incident: dict[str, str] = {}
    claims_by_incident: dict[str, list[Claim]] = defaultdict(list)
    all_claims: dict[str, Claim] = {}
    for aid, an in ans.items():
        for c in an.claims:
            all_claims[c.id] = c
            iid = incident_of.get(c.event_id) if c.event_id else None
            if iid is None:
                iid = nearest_incident(aid, c.start, prefer="violence" if c.category in cas.CASUALTY_CATEGORIES else None,
                                       own=events.get(c.event_id) if c.event_id else None)
            if iid is not None:
                claim_incident[c.id] = iid
                claims_by_incident[iid].append(c)

    def claimant_key(c: Claim) -> str:
        if c.claimant_actor_id and c.claimant_actor_id in canon:
            return canon[c.claimant_actor_id]
        outlet = outlets.get(c.article_id)
        unnamed = not c.claimant or norm(c.claimant).startswith("the outlet")  # the analyzer's "no source named"
        if unnamed or (outlet and norm(c.claimant) == norm(outlet)):
            return sources.key(c.article_id)
        return f"who:{norm(c.claimant)}"

    def figure_source(c: Claim) -> str:
        """Whose figure a casualty claim is, for the best estimate: a named party's claim is that party's; an
        outlet's own figures and those of the police, officials or witnesses it cites are the outlet's, whose
        figure is the largest it gives ("five people were shot ... one of them is in critical condition": 5)."""
        actor = actor_by_id.get(canon.get(c.claimant_actor_id or "", ""))
        if actor is not None and (actor.kind in PARTY_KINDS or actor.country):
            return actor.id
        return sources.key(c.article_id)

    # ---- disputes about incidents
    disputes: list[Dispute] = []
    contested: set[str] = set()
    follows: dict[str, set[str]] = defaultdict(set)
    seq_links = []
    part_words: dict[str, frozenset[str]] = defaultdict(frozenset)

    def assertion(ev: EventMention, value: str, start: int | None = None, end: int | None = None, **kw) -> dsp.Assertion:
        return dsp.Assertion(
            value=value,
            claimant=claimants.get(ev.article_id) or ev.article_id,
            article_id=ev.article_id,
            start=ev.start if start is None else start,
            end=ev.end if end is None else end,
            source=sources.key(ev.article_id, cp.wire_in(sentence(ev))),
            **kw,
        )

    for e, iid in sorted(incident_of.items()):
        ev = events[e]
        for rel in ev.relations:
            target = incident_of.get(rel.target_event_id) if rel.target_event_id else None
            if target is None:
                inside = [x for x in mentions_in_article.get(ev.article_id, ()) if rel.start <= x.start < rel.end and x.id != ev.id]
                target = incident_of[inside[0].id] if inside else None
            if target is None:
                continue
            verb = "retaliated for" if rel.kind == "retaliation" else "followed"
            if target != iid:
                follows[iid].add(target)
                seq_links.append((iid, target, assertion(ev, f"{describe[iid]} {verb} {describe[target]}", rel.start, rel.end)))
                continue
            # both within one incident (e.g. an attack on posts and the airstrike answering it)
            other = events.get(rel.target_event_id) if rel.target_event_id else None
            if other is None:
                inside = [x for x in mentions_in_article.get(ev.article_id, ()) if rel.start <= x.start < rel.end and x.id != ev.id]
                other = inside[0] if inside else None
            if other is not None and other.type != ev.type:
                a, b = f"{iid}:{ev.type}", f"{iid}:{other.type}"
                value = f"the {ev.type.replace('_', ' ')} {verb} the {other.type.replace('_', ' ')}"
                seq_links.append((a, b, assertion(ev, value, rel.start, rel.end)))
                # what each part is said to be: the later one's sentence without the link phrase, the earlier one's phrase
                text = arts[ev.article_id].text
                own = text[ev.sentence_start : max(ev.sentence_start, rel.start)] + " " + text[min(rel.end, ev.sentence_end) : ev.sentence_end]
                part_words[a] |= content_tokens(own)
                part_words[b] |= content_tokens(rel.text)
    seq = dsp.sequence_disputes(seq_links, part_words)
    disputes.extend(seq)

    # responsibility: who is said to have done it, who denies it
    blamed: dict[str, list[dsp.Assertion]] = defaultdict(list)
    denied: dict[str, list[dsp.Assertion]] = defaultdict(list)
    denial_targets: set[str] = set()

    def side_names(ids: Iterable[str]) -> set[str]:
        out = set()
        for a in ids:
            c = canon.get(a)
            if c is None:
                continue
            side = _side(actor_by_id.get(c), c)
            out.add(labels.get(side) or (actor_by_id[side].name if side in actor_by_id else side))
        return out

    for e, iid in incident_of.items():
        ev = events[e]
        for s in side_names(ev.acting):
            blamed[iid].append(assertion(ev, s))
    triggers_at = {(e.article_id, e.start) for e in events.values()}
    for ev in sorted(speech, key=lambda e: e.id):
        fam = inc.family_of(ev.type)
        if fam not in ("accusation", "denial") and not ev.negated:
            continue
        if fam == "accusation" and _accuses_of_no_act(arts[ev.article_id].text, ev, triggers_at):
            continue  # "accused Kabul of sheltering militants": a charge about conduct, not about an incident
        iid = nearest_incident(ev.article_id, ev.start, prefer="violence")
        if iid is None:
            continue
        if fam == "accusation":
            if ev.negated:
                continue  # "Afghanistan cannot be held responsible": no blame (the sentence's denial speaks)
            for s in side_names(ev.target):
                blamed[iid].append(assertion(ev, s))
        else:
            denial_targets.add(iid)
            for s in side_names(ev.acting):
                denied[iid].append(assertion(ev, s))
    for iid in sorted(denied):
        for d in dsp.responsibility_disputes(iid, blamed.get(iid, []), denied[iid]):
            disputes.append(d)
    stats["t_disputes_events"] = time.perf_counter() - t0

    # status: does the ceasefire / do the talks hold?
    status_items = []
    status_incident: dict[tuple[str, int], str] = {}
    for e, ev in sorted(events.items()):
        if not ev.status:
            continue
        fam = inc.family_of(ev.type)
        if fam not in ("agreement", "talks"):
            continue
        info = info_by_id.get(e)
        d = info.hi if info and info.explicit else day(arts[ev.article_id].published)
        status_items.append(assertion(ev, ev.status, day=d, group="ceasefire" if fam == "agreement" else "talks",
                                      actors=frozenset(side_names((*ev.acting, *ev.target)))))
        if e in incident_of:
            status_incident[(ev.article_id, ev.start)] = incident_of[e]
    disputes.extend(dsp.status_disputes(status_items, status_incident))

    # ---- incidents
    incidents: list[Incident] = []
    for members in clusters:
        iid = rv.cluster_id(members, named_clusters)
        evs = [events[m] for m in members]
        ms = [info_by_id[m] for m in members if m in info_by_id]
        dated = []
        for ev in evs:
            info = info_by_id.get(ev.id)
            if info and info.explicit and ev.time is not None:
                dated.append((info.lo, info.hi, assertion(ev, dsp.dated_value(info.lo, info.hi), ev.time.start, ev.time.end)))
        disputes.extend(dsp.date_disputes(iid, dated))
        iclaims = claims_by_incident.get(iid, [])
        disputes.extend(cas.figure_disputes(iid, iclaims, claimant_key))
        incidents.append(_incident(iid, evs, ms, dated, arts, canon, sources, sentence, follows.get(iid, set()),
                                   cas.estimates(iclaims, figure_source), lead_places))
    stats["t_incidents"] = time.perf_counter() - t0

    # ---- quotes
    quotes = {q.id: q for an in ans.values() for q in an.quotes}
    pub_day = {a.id: day(a.published) for a in art_list}
    clusters_q, quote_cluster = qt.quote_clusters(
        quotes.values(), lambda aids: sources.count((a, None) for a in aids), pub_day, block_cache, stats, changed
    )
    cache.dirty_blocks |= {k for k in changed if k in block_cache}
    cache.removed_blocks |= {k for k in changed if k not in block_cache}
    disputes.extend(qt.speaker_disputes(clusters_q, quotes, canon, actor_by_id, claimants))
    stats["t_quotes"] = time.perf_counter() - t0

    # ---- corroboration
    for d in disputes:
        if d.incident_id:
            contested.add(d.incident_id)
    contested |= denial_targets
    final = []
    for i in incidents:
        label = "contested" if i.id in contested else ("corroborated" if i.independent_sources >= 2 else "single source")
        final.append((i, label))

    # ---- stories
    story_list = make_stories(art_list, [g.article_ids for g in copy_groups], incidents, analyses=ans, canon=canon,
                              actors=actors, cache=cache.stories)
    story_list, story_incidents = assign_incidents(story_list, [i for i, _ in final])
    out_incidents = [_replace(i, corroboration=label) for i, (_, label) in zip(story_incidents, final)]
    stats.update(cache.stories.last, t_stories=time.perf_counter() - t0)
    stats["t_total"] = time.perf_counter() - t0

    uniq = {d.id: d for d in disputes}
    fusion = Fusion(
        actors=actors,
        copies=copy_groups,
        stories=story_list,
        incidents=tuple(sorted(out_incidents, key=lambda i: i.id)),
        quote_clusters=clusters_q,
        disputes=tuple(sorted(uniq.values(), key=lambda d: d.id)),
        claim_incident=dict(sorted(claim_incident.items())),
        quote_cluster=dict(sorted(quote_cluster.items())),
        actor_canonical=dict(sorted(canon.items())),
    )
    stats.update(articles=len(art_list), mentions=len(infos), incidents=len(out_incidents))
    return fusion, stats


ACCUSED_ACT_REACH = 400  # characters after an accusation in which an undated, unplaced act is the one accused


_OF_GERUND = re.compile(r"\bof\s+(?:\w+ly\s+)?(\w+ing)\b")


def _accuses_of_no_act(text: str, ev: EventMention, triggers_at: set[tuple[str, int]]) -> bool:
    """Whether an accusation charges conduct that is no event mention: "accused X of sheltering militants",
    "of supporting", "of harbouring" (while "accused X of shelling the post" names an act)."""
    m = _OF_GERUND.search(text, ev.end, max(ev.end, ev.sentence_end))
    return m is not None and (ev.article_id, m.start(1)) not in triggers_at


def _accusation_settings(evs) -> dict[str, EventMention]:
    """Violent acts with neither a resolved time nor a place that follow an accusation which has
    them ("X accused Y of a drone attack in Z on Saturday. Two soldiers were wounded in the
    attack"): for dating and placing, the act takes the accusation's time and places."""
    accusations = sorted((e for e in evs if inc.family_of(e.type) == "accusation" and (e.places or _resolved(e.time))),
                         key=lambda e: e.start)
    out = {}
    for ev in evs:
        if inc.family_of(ev.type) != "violence" or ev.places or _resolved(ev.time):
            continue
        before = [a for a in accusations if a.start <= ev.start <= a.start + ACCUSED_ACT_REACH]
        if before:
            acc = before[-1]
            out[ev.id] = _replace(ev, places=ev.places or acc.places, time=ev.time if _resolved(ev.time) else acc.time)
    return out


def _resolved(t) -> bool:
    return t is not None and bool(t.date_start)


def _replace(record, **changes):
    import dataclasses

    return dataclasses.replace(record, **changes)


#: Days after an incident's earliest dated report in which reports still vote on its date.
FIRST_WAVE_DAYS = 7
#: Actors whose casualty figures are a party's claim, kept apart from the outlet that reports them.
PARTY_KINDS = frozenset({"armed_group", "government", "country"})
LEAD_CHARS = 600  # the opening of an article (title and dateline, first paragraph) that says where its news happened


def _lead_place(places) -> Place | None:
    """The first geocoded town or city named in an article's opening, in the province the article names most:
    where its own news happened, as a coder reads a dateline ("MEMPHIS, Tenn. --") or a lead ("a shooting in
    Elgin early this morning"), not a byline's or a teaser's town."""
    lead = [p for p in places if p.start < LEAD_CHARS and p.lat is not None and place_level(p) == 2 and p.gazetteer_id]
    if not lead:
        # no town: the state or province the opening names ("ORCHARD PARK, N.Y.", "a Texas man") still says
        # where the news is
        lead = [p for p in places if p.start < LEAD_CHARS and p.gazetteer_id and (p.feature or "") == "admin1"]
    if not lead:
        return None
    # only in the country the article is about: a talks venue abroad ("talks in Istanbul" in a report on a
    # border war) is where people met, not where the article's incidents happened
    countries = Counter(p.country_code for p in places if p.country_code).most_common(2)
    if not countries or (len(countries) > 1 and countries[1][1] == countries[0][1]):
        return None
    cc = countries[0][0]
    provinces = Counter(_province(p) for p in places if p.country_code == cc and place_level(p) >= 1 and _province(p))
    top = max(provinces.values(), default=0)
    for p in sorted(lead, key=lambda p: (p.start, p.end)):
        if p.country_code == cc and (not provinces or provinces[_province(p)] == top):
            return p
    return None


def _province(p: Place) -> str | None:
    if (p.feature or "") == "admin1":
        return p.resolved_name or p.name
    return p.admin1


def _lead_fits(own: tuple[Place, ...], lp: Place) -> bool:
    towns = [p for p in own if place_level(p) == 2 and p.gazetteer_id]
    if towns:
        return all(p.country_code == lp.country_code and p.admin1 and p.admin1 == lp.admin1 for p in towns)
    return not own or (places_compatible(own, (lp,), unknown_inside=True) or 0.0) >= 0.3


def _incident(iid, evs, ms, dated, arts, canon, sources, sentence, follows, casualties, lead_places=None) -> Incident:
    types = Counter(e.type for e in evs)
    typ = max(types, key=lambda t: (types[t], t))
    if dated:
        # the explicit interval most sources agree on
        # among the first reports: those published within FIRST_WAVE_DAYS of the earliest that dates it (later
        # ones, of an arrest or a trial, date their own news too); ties go to the narrowest, then the earliest
        told = {a.article_id: day(arts[a.article_id].published) for _, _, a in dated}
        first = min((d for d in told.values() if d is not None), default=None)
        wave = [x for x in dated if first is None or told[x[2].article_id] is None
                or told[x[2].article_id] <= first + FIRST_WAVE_DAYS]
        support: dict[tuple[int, int], set[str]] = defaultdict(set)
        for lo, hi, a in wave:
            support[(lo, hi)].add(a.source)
        (lo, hi) = max(support, key=lambda k: (len(support[k]), -(k[1] - k[0]), -k[0]))
        precision = "day" if lo == hi else "range"
    else:
        # undated mentions date an incident only through reports of known date (an inferred publication range
        # is a guess from the dates a report names: it binds what may link, it dates nothing)
        known = [m for m in ms if m.lo is not None and m.hi is not None and not arts[m.article_id].published_inferred]
        los, his = [m.lo for m in known], [m.hi for m in known]
        if los:
            lo, hi = max(los), min(his)
            if lo > hi:
                lo, hi = min(los), max(his)
            precision = "day" if lo == hi else "range"
        else:
            lo = hi = None
            precision = None
    places = {}
    for e in evs:
        for p in e.places:
            places.setdefault(place_key(p), p)
    if lead_places:
        # the incident's reports say where their news happened in their dateline or opening lines; a lead town
        # joins the incident's own places when it lies in the same province (the dateline city of a suburb's
        # shooting) or when the incident has no town of its own; one in another province or country is the
        # reporter's, not the incident's
        own = tuple(places.values())
        for aid in sorted({e.article_id for e in evs}):
            lp = lead_places.get(aid)
            if lp is not None and _lead_fits(own, lp):
                places.setdefault(place_key(lp), lp)
    acting = sorted({canon.get(a, a) for e in evs for a in e.acting})
    target = sorted({canon.get(a, a) for e in evs for a in e.target})
    mentions = sorted((IncidentMention(e.article_id, e.id, e.start, e.end) for e in evs), key=lambda m: (m.article_id, m.start, m.event_id))
    # summary: the trigger sentence sharing most words with the other accounts
    freq: Counter[str] = Counter()
    words = {e.id: content_tokens(sentence(e)) for e in evs}
    for w in words.values():
        freq.update(w)
    best = max(evs, key=lambda e: (sum(freq[w] for w in words[e.id]) / (len(words[e.id]) ** 0.5 or 1), -len(sentence(e)), e.id))
    summary = " ".join(sentence(best).split())
    if len(summary) > 300:
        summary = summary[:297].rsplit(" ", 1)[0] + "..."
    return Incident(
        id=iid,
        type=typ,
        date_start=iso(lo),
        date_end=iso(hi),
        date_precision=precision,  # type: ignore[arg-type]
        places=tuple(sorted(places.values(), key=place_sort_key)),
        actor_ids=tuple(sorted(set(acting) | set(target))),
        acting=tuple(acting),
        target=tuple(target),
        article_ids=tuple(sorted({e.article_id for e in evs})),
        mentions=tuple(mentions),
        independent_sources=sources.count((e.article_id, cp.wire_in(sentence(e))) for e in evs),
        casualties=casualties,
        totals=cas.totals(casualties),
        follows_from=tuple(sorted(follows)),
        summary=summary,
    )
