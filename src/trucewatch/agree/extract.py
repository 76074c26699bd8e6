"""Agreements from articles and their analyses: parties, mediators, venue, dates, terms, conditions, status.

The unit is an *agreement mention*: an event mention of an agreement type
(``ceasefire``, ``agreement`` ...) or a talks mention whose sentence says a deal
was made. Signing mentions naming two or more parties are grouped by party set
and date (within :data:`SAME_AGREEMENT_DAYS`); every other mention (status
reports, one-party reactions) attaches to the latest agreement sharing a party
with it, signed on or before it. Terms and conditions are read in
:mod:`.terms`. See docs/agreements.md for the rules.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


from ..records import (
    Actor,
    Agreement,
    AgreementStatus,
    Analysis,
    Article,
    Dispute,
    DisputeSide,
    EventMention,
    Fusion,
    SourceSpan,
    stable_id,
)
from . import _cues as cues
from ._text import countries_in, country_name, party_of_actor, sentences
from .terms import Owner, conditions_of, terms_of

__all__ = ["agreements_from", "party_of_actor", "SAME_AGREEMENT_DAYS", "TALKS_LOOKBACK_DAYS"]

# Signing mentions of the same parties this many days apart are one agreement (outlets date a
# late-evening signing to the next day; a follow-up round is usually a week or more later).
SAME_AGREEMENT_DAYS = 3
# Talks of the same parties up to this many days before signing give venue, mediators and the
# conditions/demands stated on the way to the agreement.
TALKS_LOOKBACK_DAYS = 30
# Outlets that report contradictory statuses within this many days are in a status dispute.
STATUS_DISPUTE_DAYS = 7


def _d(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


@dataclass
class _Mention:
    article: Article
    event: EventMention | None
    sentence: tuple[int, int]
    status: str | None
    signing: bool
    parties: set[str]
    mediators: set[str]
    date: date | None
    kind: str
    venue: str | None
    agreement: "_Draft | None" = None
    date_hi: date | None = None  # end of the time expression's interval ("earlier this month")
    inferred: bool = False  # parties taken from the rest of the article


@dataclass
class _Draft:
    parties: frozenset[str]
    signing: list[_Mention] = field(default_factory=list)
    others: list[_Mention] = field(default_factory=list)

    @property
    def date_agreed(self) -> date | None:
        dates = Counter(m.date for m in self.signing if m.date and m.date_hi is None) or Counter(
            m.date for m in self.signing if m.date)
        if not dates:
            return None
        return sorted(dates.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    @property
    def mentions(self) -> list[_Mention]:
        return self.signing + self.others


def agreements_from(
    articles: Mapping[str, Article], analyses: Iterable[Analysis], fusion: Fusion
) -> list[Agreement]:
    """Every agreement reported in ``analyses``, sorted by date agreed then id."""
    by_article = {a.article_id: a for a in analyses if a.article_id in articles}
    mentions: list[_Mention] = []
    talks: list[_Mention] = []
    for aid in sorted(by_article):
        an = by_article[aid]
        art = articles[aid]
        actors = {a.id: a for a in an.actors}
        mine: list[_Mention] = []
        mine_talks: list[_Mention] = []
        for ev in an.events:
            if ev.negated:
                continue
            is_agreement = ev.type in cues.AGREEMENT_TYPES
            is_talks = ev.type in cues.TALKS_TYPES
            if not (is_agreement or is_talks):
                continue
            m = _mention(art, an, actors, ev)
            if is_talks:
                talks.append(m)
                mine_talks.append(m)
                # Talks speak for an agreement when they produced one and no agreement mention in
                # the same sentence does ("talks ended with a signed text"), or when talks held
                # under it break off ("the talks have been suspended": status "talks suspended").
                suspended = cues.talks_suspended(art.text[ev.sentence_start:ev.sentence_end])
                if suspended:
                    m.status, m.signing = "talks suspended", False
                    m.date = _d(art.published) or m.date
                elif not (m.signing and not any(
                    e.type in cues.AGREEMENT_TYPES and e.sentence_start == ev.sentence_start for e in an.events
                )):
                    continue
            mentions.append(m)
            mine.append(m)
        _infer_parties(mine, mine_talks)
    drafts = _group(mentions)
    talks_by_code: dict[str, list[_Mention]] = defaultdict(list)
    for t in talks:
        for code in t.parties or ("",):
            talks_by_code[code].append(t)
    drafts = _merge_same(drafts, [_context(d, talks_by_code, by_article, articles) for d in drafts])
    # In an article about two agreements, a sentence belongs to the one mentioned nearest to it.
    anchors: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, d in enumerate(drafts):
        for m in d.mentions:
            anchors[m.article.id].append((m.sentence[0], i))
    mine = {i: Owner(anchors, i) for i in range(len(drafts))}
    out = [_build(d, talks_by_code, by_article, articles, mine[i]) for i, d in enumerate(drafts)]
    return sorted(out, key=lambda a: (a.date_agreed or "", a.id))


def _infer_parties(mentions: list[_Mention], talks: list[_Mention]) -> None:
    """A signing mention naming no country ("Qatar brokered a ceasefire on Oct 19") takes the two
    countries the article's other agreement and talks mentions name most (each at least twice)."""
    votes = Counter(c for m in (*mentions, *talks) for c in m.parties)
    top = [c for c, k in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if k >= 2][:2]
    if len(top) < 2:
        return
    for m in mentions:
        if m.signing and not m.parties and m.event is not None and m.event.type in cues.AGREEMENT_TYPES:
            m.parties = set(top) - m.mediators
            m.inferred = len(m.parties) >= 2


def _mention(art: Article, an: Analysis, actors: Mapping[str, Actor], ev: EventMention) -> _Mention:
    s0, s1 = ev.sentence_start, ev.sentence_end
    sent = art.text[s0:s1]
    # The analysis' status is a hint; the sentence decides. A status report ("the truce has
    # collapsed") is read by pattern so that conditions ("holds only if"), terms ("must maintain
    # the ceasefire"), hearsay and negations do not become statuses.
    found = cues.status_in_sentence(sent)
    status = found[0] if found else None
    signing = status is None and cues.is_signing(sent)
    if signing:
        status = "agreed"
    mediators = _mediators_in(art.text, s0, s1, an, actors)
    parties: set[str] = set()
    for aid in (*ev.acting, *ev.target):
        code = party_of_actor(actors.get(aid))
        if code:
            parties.add(code)
    for c in countries_in(sent, s0):
        if not c.locative and not c.via_capital:
            parties.add(c.code)
    parties -= mediators
    time = ev.time if ev.time and ev.time.date_start else None
    if time is None and signing:
        # A date in the same sentence dates the signing ("On November 1, X said the sides had agreed").
        time = next((t for t in an.times if s0 <= t.start < s1 and t.date_start), None)
    when = _d(time.date_start) if time else None
    hi = _d(time.date_end) if time and time.date_end else None
    published = _d(art.published)
    if not signing:
        # A status is dated when the outlet reports it; a time in the sentence usually dates the signing.
        when = published or when
    elif when is None and not cues.is_background(sent):
        when = published  # "X and Y signed a truce" in today's news (undated background stays undated)
    venue = None
    for p in ev.places:
        if p.feature not in ("country", "admin1", "region") and (p.resolved_name or p.name):
            venue = p.resolved_name or p.name
            break
    return _Mention(art, ev, (s0, s1), status, signing, parties, mediators, when,
                    cues.agreement_kind(sent, ev.type in cues.TALKS_TYPES), venue, date_hi=hi if signing and hi and when and hi > when else None)


def _mediators_in(text: str, s0: int, s1: int, an: Analysis, actors: Mapping[str, Actor]) -> set[str]:
    """Country codes named as mediator, host, chair, witness or guarantor in the sentence ``[s0, s1)``.

    Only words tied to the cue count: the phrase after "hosted/chaired/mediated ... by", the word
    before "-mediated", the subject of "act as guarantor(s)", the phrase around "mediator(s)".
    """
    sent = text[s0:s1]
    windows: list[tuple[int, int]] = []
    for m in cues.MEDIATOR_CUES.finditer(sent):
        after = sent[m.end():]
        by = re.match(r"\s+(?:jointly\s+)?by\s+", after)
        if by:
            a0 = m.end() + by.end()
            stop = cues.PHRASE_END.search(sent, a0)
            windows.append((a0, stop.start() if stop else len(sent)))
            continue
        if m.start() > 0 and sent[m.start() - 1] == "-":
            w = re.search(r"[\w'’]+-$", sent[: m.start()])
            if w:
                windows.append((w.start(), m.start()))
            continue
        # A noun cue ("guarantors", "the mediator", "host"): its subject before it, its apposition after it.
        lead = sent[: m.start()]
        cut = max(lead.rfind(","), lead.rfind(";"), lead.rfind(":"), lead.rfind(" said"), lead.rfind(" that "))
        windows.append((cut + 1 if cut >= 0 else 0, m.start()))
        tail = re.match(r"\w*,?\s+", sent[m.end():])
        if tail:
            a0 = m.end() + tail.end()
            stop = cues.PHRASE_END.search(sent, a0)
            windows.append((a0, stop.start() if stop else len(sent)))
    out: set[str] = set()
    for w0, w1 in windows:
        for c in countries_in(sent[w0:w1], s0 + w0):
            if not c.locative:
                out.add(c.code)
        for a in actors.values():
            code = party_of_actor(a)
            if code and a.kind in ("person", "organization", "government") and any(
                s0 + w0 <= st < s0 + w1 for st, _ in a.mentions
            ):
                out.add(code)
    return out


def _near(m: _Mention, da: date | None) -> bool:
    """Whether mention ``m`` (a day, or an interval such as "earlier this month") is within
    :data:`SAME_AGREEMENT_DAYS` of the date ``da``."""
    if da is None or m.date is None:
        return da is None and m.date is None
    lo, hi = m.date, m.date_hi or m.date
    return lo - timedelta(days=SAME_AGREEMENT_DAYS) <= da <= hi + timedelta(days=SAME_AGREEMENT_DAYS)


def _group(mentions: list[_Mention]) -> list[_Draft]:
    drafts: list[_Draft] = []
    # Day-precise mentions naming the parties found agreements; vaguer or inferred ones join them.
    signing = sorted((m for m in mentions if m.signing and len(m.parties) >= 2),
                     key=lambda m: (m.inferred, m.date_hi is not None, m.date or date.min, m.article.id, m.sentence))
    pending: list[_Mention] = []
    for m in signing:
        for d in drafts:
            if len(d.parties & m.parties) >= 2 and _near(m, d.date_agreed):
                d.signing.append(m)
                m.agreement = d
                break
        else:
            if m.inferred or m.date_hi is not None:
                pending.append(m)
                continue
            d = _Draft(frozenset(m.parties), [m])
            m.agreement = d
            drafts.append(d)
    # Inferred mentions found an agreement only when two articles agree on it.
    for m in pending:
        if m.agreement is not None:
            continue
        peers = [p for p in pending if p.agreement is None and p.parties == m.parties and p.date_hi is None
                 and m.date_hi is None and _near(p, m.date)]
        if len({p.article.id for p in peers}) >= 2:
            d = _Draft(frozenset(m.parties), peers)
            for p in peers:
                p.agreement = d
            drafts.append(d)
    # Parties: the countries most signing mentions name (a mediator or a country named in
    # passing in one sentence does not become a party).
    for d in drafts:
        votes = Counter(c for m in d.signing for c in m.parties)
        n = len(d.signing)
        kept = {c for c, k in votes.items() if 2 * k >= n}
        if len(kept) < 2:
            kept = {c for c, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:2]}
        d.parties = frozenset(kept)
    # Everything else joins the latest agreement sharing a party with it (or, naming none, any
    # agreement), signed on or before it; an agreement signed in the same article comes first.
    by_article: dict[str, set[int]] = defaultdict(set)
    for i, d in enumerate(drafts):
        for m in d.signing:
            by_article[m.article.id].add(i)
    for m in mentions:
        if m.agreement is not None:
            continue
        best = None
        for i, d in enumerate(drafts):
            da = d.date_agreed
            overlap = len(m.parties & d.parties)
            if m.parties and not overlap:
                continue
            if da is not None and m.date is not None and m.date < da - timedelta(days=SAME_AGREEMENT_DAYS):
                continue
            rank = (i in by_article[m.article.id], overlap, da or date.min)
            if best is None or rank > best[0]:
                best = (rank, d)
        if best is not None:
            d = best[1]
            (d.signing if m.signing else d.others).append(m)
            m.agreement = d
    return drafts


@dataclass
class _Context:
    related_talks: list[_Mention]
    article_ids: list[str]
    context_ids: list[str]
    mediators: Counter
    parties: tuple[str, ...]


def _context(d: _Draft, talks_by_code: Mapping[str, list[_Mention]], analyses: Mapping[str, Analysis],
             articles: Mapping[str, Article]) -> _Context:
    """The talks and articles around a draft agreement, its mediators, and its parties without them."""
    da = d.date_agreed
    # Talks naming one of the parties (or none) in the month before: the road to the agreement.
    candidates = {id(t): t for code in ("", *sorted(d.parties)) for t in talks_by_code.get(code, ())}
    related_talks = sorted(
        (t for t in candidates.values()
         if da and t.date and da - timedelta(days=TALKS_LOOKBACK_DAYS) <= t.date <= da + timedelta(days=1)),
        key=lambda t: (t.article.id, t.sentence),
    )
    article_ids = sorted({m.article.id for m in d.mentions})
    # Oldest report first, so the first wording of a term or condition is the one kept.
    context_ids = sorted(set(article_ids) | {t.article.id for t in related_talks},
                         key=lambda a: (articles[a].published or "9999", a))
    mediators: Counter[str] = Counter()
    named_mediator: set[str] = set()
    for aid in context_ids:
        an = analyses[aid]
        actors = {a.id: a for a in an.actors}
        text = articles[aid].text
        for s0, s1 in sentences(text):
            for code in _mediators_in(text, s0, s1, an, actors):
                named_mediator.add(code)
                if code not in d.parties:
                    mediators[code] += 1
    # A country named as a mediator or guarantor is not a party, unless that would leave fewer than two.
    parties = set(d.parties)
    as_mediator = parties & named_mediator
    if as_mediator and len(parties - as_mediator) >= 2:
        for code in as_mediator:
            mediators[code] += 1
        parties -= as_mediator
    return _Context(related_talks, article_ids, context_ids, mediators,
                    tuple(sorted(parties, key=lambda c: country_name(c) or c)))


def _merge_same(drafts: list[_Draft], contexts: list[_Context]) -> list[_Draft]:
    """Drafts that end with the same parties and date (once mediators are set apart) are one agreement."""
    merged: dict[tuple, _Draft] = {}
    for d, c in zip(drafts, contexts):
        key = (c.parties, d.date_agreed)
        if key in merged:
            merged[key].signing.extend(d.signing)
            merged[key].others.extend(d.others)
            for m in d.mentions:
                m.agreement = merged[key]
        else:
            d.parties = frozenset(c.parties)
            merged[key] = d
    return list(merged.values())


def _build(d: _Draft, talks_by_code: Mapping[str, list[_Mention]], analyses: Mapping[str, Analysis],
           articles: Mapping[str, Article], owns: Owner) -> Agreement:
    da = d.date_agreed
    ctx = _context(d, talks_by_code, analyses, articles)
    parties, mediators, related_talks = ctx.parties, ctx.mediators, ctx.related_talks
    article_ids, context_ids = ctx.article_ids, ctx.context_ids
    agreement_id = stable_id("agreement", *parties, da.isoformat() if da else "", prefix="agr-")
    linked = d.mentions
    # Venue: the place most often given for the signing, else for the talks that led to it.
    venues = Counter(m.venue for m in d.signing if m.venue) or Counter(
        t.venue for t in related_talks if t.venue and t.date and da and (da - t.date).days <= SAME_AGREEMENT_DAYS
    )
    venue = sorted(venues.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if venues else None
    kinds = Counter(m.kind for m in d.signing) or Counter(m.kind for m in linked)
    kind = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0] != "ceasefire", kv[0]))[0][0]
    terms, term_spans = terms_of([a for a in context_ids if a in set(article_ids)], articles, owns)
    conditions, condition_spans = conditions_of(context_ids, analyses, articles, frozenset(parties), owns)
    history = _history(linked, da)
    disputes = _status_disputes(agreement_id, history)
    ended = _date_ended(history, disputes)
    reported = min((m.article.published for m in d.signing if m.article.published), default=None)
    return Agreement(
        id=agreement_id,
        kind=kind,
        parties=tuple(country_name(c) or c for c in parties),
        mediators=tuple(country_name(c) or c for c in sorted(mediators, key=lambda c: (-mediators[c], c))),
        venue=venue,
        date_agreed=da.isoformat() if da else None,
        date_reported=reported,
        terms=terms,
        conditions=conditions,
        status_history=history,
        article_ids=tuple(article_ids),
        territory=parties,
        date_ended=ended,
        status=_current(history),
        term_spans=term_spans,
        condition_spans=condition_spans,
        disputes=disputes,
    )


def _history(mentions: list[_Mention], da: date | None) -> tuple[AgreementStatus, ...]:
    seen: dict[tuple[str, str], AgreementStatus] = {}
    for m in mentions:
        if not m.status:
            continue
        when = da if m.status == "agreed" and da else m.date
        if m.status != "agreed" and da and when and when < da:
            continue
        st = AgreementStatus(
            status=m.status,
            date=when.isoformat() if when else None,
            article_id=m.article.id,
            outlet=m.article.outlet,
            start=m.sentence[0],
            end=m.sentence[1],
        )
        key = (m.article.id, m.status)
        if key not in seen or (st.start or 0) < (seen[key].start or 0):
            seen[key] = st
    order = {s: i for i, s in enumerate(cues.STATUSES)}
    return tuple(sorted(seen.values(), key=lambda s: (s.date or "", order.get(s.status, 9), s.outlet or "", s.article_id or "")))


def _current(history: tuple[AgreementStatus, ...]) -> str | None:
    """The latest status of the agreement itself (talks breaking off does not end a ceasefire)."""
    own = [s for s in history if s.status != "talks suspended"]
    return (own or list(history))[-1].status if history else None


_HOLDING = {"in force"}
_FAILING = {"collapsed"}  # "talks suspended" does not contradict "in force"


def _status_disputes(agreement_id: str, history: tuple[AgreementStatus, ...]) -> tuple[Dispute, ...]:
    """Outlets that, within a week, say it holds and that it collapsed."""
    out = []
    failing = [s for s in history if s.status in _FAILING]
    holding = [s for s in history if s.status in _HOLDING]
    for f in failing:
        fd = _d(f.date)
        # Different outlets (an article whose outlet is unknown counts as its own source).
        against = [h for h in holding if (h.outlet or h.article_id) != (f.outlet or f.article_id) and fd and _d(h.date)
                   and abs((_d(h.date) - fd).days) <= STATUS_DISPUTE_DAYS]
        if not against:
            continue
        sides = [DisputeSide(f.status, f.outlet, (f.article_id,) if f.article_id else (),
                             (SourceSpan(f.article_id, f.start, f.end),) if f.article_id and f.start is not None else ())]
        for h in against:
            sides.append(DisputeSide(h.status, h.outlet, (h.article_id,) if h.article_id else (),
                                     (SourceSpan(h.article_id, h.start, h.end),) if h.article_id and h.start is not None else ()))
        summary = (f"{f.outlet or 'One outlet'} reports the agreement {f.status} ({f.date}); "
                   + ", ".join(f"{h.outlet or 'another outlet'} reports it {h.status} ({h.date})" for h in against) + ".")
        out.append(Dispute(stable_id(agreement_id, "status", f.article_id, f.start, prefix="dsp-"), "status", summary, tuple(sides)))
    return tuple(out)


def _date_ended(history: tuple[AgreementStatus, ...], disputes: tuple[Dispute, ...]) -> str | None:
    disputed = {sp.article_id for d in disputes for side in d.sides[:1] for sp in side.spans}
    disputed |= {aid for d in disputes for aid in d.sides[0].article_ids}
    for s in history:
        if s.status == "collapsed" and s.article_id not in disputed:
            return s.date
    return None
