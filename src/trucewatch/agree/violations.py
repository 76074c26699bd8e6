"""Alleged violations: incidents of violating types inside an agreement's territory and active span.

An incident becomes an alleged violation of agreement A when

* its type is a violent one (:func:`~trucewatch.agree._cues.is_violating`: armed clash, airstrike,
  shelling, cross-border fire, attack on posts ...);
* it starts after A's ``date_agreed`` and not after A's ``date_ended`` (the first undisputed
  "collapsed" report), when A has one;
* one of its places lies in a party's country, or (no place resolved to a country) one of its
  actors acts for a party.

Who is accused and who accuses comes, in this order, from accusation events in the sentence of an
incident mention ("X accused Y of ..."), the incident's acting actors, and the sentence text itself;
denials ("Y denied ...") within the next sentences make the violation *contested*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from ..records import Actor, Agreement, Analysis, Article, Fusion, Incident, Violation, stable_id
from . import _cues as cues
from ._text import countries_in, country_name, party_of_actor

__all__ = ["violations_from", "DENIAL_WINDOW_CHARS"]

# A denial this many characters after an incident mention's sentence still answers it
# ("Thailand accused ... . Cambodia denied that its forces had fired.").
DENIAL_WINDOW_CHARS = 400


def _d(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def violations_from(
    agreements: Iterable[Agreement],
    fusion: Fusion,
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
    *,
    violent: Mapping[str, bool] | None = None,
) -> list[Violation]:
    """Alleged violations of ``agreements`` among ``fusion.incidents`` (unreviewed), sorted by date then id.

    ``violent`` (event type -> can breach a ceasefire) overrides :func:`~._cues.is_violating` for the types
    it names: a user's own event types."""
    violent = violent or {}
    canon = {a.id: a for a in fusion.actors}
    claims_by_incident: dict[str, list[str]] = {}
    for cid, iid in fusion.claim_incident.items():
        claims_by_incident.setdefault(iid, []).append(cid)
    disputes_by_incident: dict[str, list[str]] = {}
    for d in fusion.disputes:
        if d.incident_id:
            disputes_by_incident.setdefault(d.incident_id, []).append(d.id)
    by_code: dict[str, list[Agreement]] = {}
    for a in agreements:
        if a.date_agreed and a.territory:
            for code in a.territory:
                by_code.setdefault(code, []).append(a)
    out = []
    for inc in fusion.incidents:
        if not violent.get(inc.type or "", cues.is_violating(inc.type)) or not inc.date_start:
            continue
        when = _d(inc.date_start)
        if when is None:
            continue
        codes = _territory_of(inc, canon) or _countries_told(inc, articles, analyses)
        seen: set[str] = set()
        for code in sorted(codes):
            for ag in by_code.get(code, ()):
                if ag.id in seen or not _in_span(ag, when):
                    continue
                seen.add(ag.id)
                out.append(_violation(ag, inc, canon, claims_by_incident.get(inc.id, []),
                                      disputes_by_incident.get(inc.id, []), articles, analyses))
    return sorted(out, key=lambda v: (v.date or "", v.id))


def _in_span(ag: Agreement, when: date) -> bool:
    start = _d(ag.date_agreed)
    end = _d(ag.date_ended)
    return start is not None and when > start and (end is None or when <= end)


def _territory_of(inc: Incident, canon: Mapping[str, object]) -> set[str]:
    """Country codes an incident happened in: of its places, else of the sides acting in it."""
    codes = {p.country_code.upper() for p in inc.places if p.country_code}
    if codes:
        return codes
    return {c for c in (party_of_actor(_as_actor(canon.get(i))) for i in (*inc.acting, *inc.target, *inc.actor_ids)) if c}


def _countries_told(inc: Incident, articles: Mapping[str, Article], analyses: Mapping[str, Analysis]) -> set[str]:
    """When no place of the incident is resolved and no side is known: the countries named in the
    sentences that tell of it where someone accuses or denies ("X accused Y of firing mortar rounds
    into Z district")."""
    codes: set[str] = set()
    for im in inc.mentions:
        art, an = articles.get(im.article_id), analyses.get(im.article_id)
        if art is None:
            continue
        ev = next((e for e in an.events if e.id == im.event_id), None) if an else None
        s0, s1 = (ev.sentence_start, ev.sentence_end) if ev else (im.start, im.end)
        alleged = an is not None and any(
            e.type in (*cues.ACCUSATION_TYPES, *cues.DENIAL_TYPES) and s0 <= e.sentence_start <= s1 + DENIAL_WINDOW_CHARS
            for e in an.events
        )
        if alleged:  # only an account where someone accuses or denies names the parties concerned
            codes.update(c.code for c in countries_in(art.text[s0:s1]) if not c.via_capital)
    return codes


def _as_actor(c) -> Actor | None:
    if c is None:
        return None
    return Actor(id=c.id, article_id="", name=c.name, kind=c.kind, country=c.country)


def _violation(
    ag: Agreement,
    inc: Incident,
    canon: Mapping[str, object],
    claim_ids: list[str],
    dispute_ids: list[str],
    articles: Mapping[str, Article],
    analyses: Mapping[str, Analysis],
) -> Violation:
    territory = set(ag.territory)
    accused: list[str] = []
    accusers: list[str] = []
    deniers: list[str] = []

    def add(lst: list[str], code: str | None) -> None:
        if code and code in territory and code not in lst:
            lst.append(code)

    named_accusers: list[str] = []
    for im in inc.mentions:
        an = analyses.get(im.article_id)
        art = articles.get(im.article_id)
        if an is None or art is None:
            continue
        actors = {a.id: a for a in an.actors}
        ev = next((e for e in an.events if e.id == im.event_id), None)
        s0, s1 = (ev.sentence_start, ev.sentence_end) if ev else (im.start, im.end)
        found_accusation = found_denial = False
        for e in an.events:
            if e.type in cues.ACCUSATION_TYPES and not e.negated and e.sentence_start == s0:
                found_accusation = True
                for a in e.acting:
                    add(accusers, party_of_actor(actors.get(a)))
                for a in e.target:
                    add(accused, party_of_actor(actors.get(a)))
            if e.type in cues.DENIAL_TYPES and s0 <= e.sentence_start <= s1 + DENIAL_WINDOW_CHARS:
                found_denial = True
                for a in e.acting:
                    add(deniers, party_of_actor(actors.get(a)))
        sent = art.text[s0:s1]
        if not found_accusation and (m := cues.ACCUSE.search(sent)):
            before = [c for c in countries_in(sent[: m.start()], s0) if not c.locative]
            after = [c for c in countries_in(sent[m.end():], s0 + m.end()) if not c.locative]
            if before:
                add(accusers, before[-1].code)
            if after:
                add(accused, after[0].code)
        if not found_denial:
            window = art.text[s0: min(len(art.text), s1 + DENIAL_WINDOW_CHARS)]
            for m in cues.DENY.finditer(window):
                # The denier is the subject: the nearest country named before the verb in its sentence.
                start = max(window.rfind(". ", 0, m.start()), window.rfind("\n", 0, m.start())) + 1
                subj = [c for c in countries_in(window[start: m.start()], s0 + start)]
                if subj:
                    add(deniers, subj[-1].code)
        # "fired from Cambodian positions", "came from the Cambodian side": the origin is accused.
        for c in countries_in(sent, s0):
            if cues.FROM_SIDE_BEFORE.search(sent[max(0, c.start - s0 - 12): c.start - s0]) and \
                    cues.FROM_SIDE_AFTER.match(sent[c.end - s0:]):
                add(accused, c.code)
        # "The X army said ...": a party speaking about the incident accuses (unless it denies).
        speech = cues.SPEECH.search(sent)
        if speech and not cues.DENY.search(sent):
            subj = [c for c in countries_in(sent[: speech.start()], s0) if not c.locative]
            subj_actors = [(st, party_of_actor(a)) for a in actors.values() for st, _ in a.mentions
                           if s0 <= st < s0 + speech.start() and party_of_actor(a)]
            cands = sorted([(c.start, c.code) for c in subj] + subj_actors)
            if cands:
                named_accusers.append(cands[-1][1])
        # Claimants and speakers in the mention's sentence are accusers when they act for a party.
        for c in an.claims:
            if s0 <= c.start < s1:
                code = party_of_actor(actors.get(c.claimant_actor_id or ""))
                if code:
                    named_accusers.append(code)
        for q in an.quotes:
            if s0 <= q.start < s1 + DENIAL_WINDOW_CHARS // 2 and q.speaker_actor_id:
                code = party_of_actor(actors.get(q.speaker_actor_id))
                if code:
                    named_accusers.append(code)
    for a in inc.acting:
        add(accused, party_of_actor(_as_actor(canon.get(a))))
    for code in named_accusers:
        if code not in accused and code not in deniers:
            add(accusers, code)
    # In a two-party agreement an accusation by one side is against the other.
    if not accused and len(territory) == 2 and len(accusers) == 1:
        accused = [c for c in ag.territory if c != accusers[0]]
    if not accusers and len(territory) == 2 and len(accused) == 1 and not deniers:
        pass  # reported by the media without a party accusing: leave accusers empty
    deniers = [c for c in deniers if c in accused]
    accusers = [c for c in accusers if c not in accused]
    corroboration = inc.corroboration
    if deniers:
        corroboration = "contested"
    casualties, parts = None, []
    for t in inc.totals:  # fusion's labelled figures: groups added only where they never overlap, and said so
        if t.category in ("killed", "injured"):
            casualties = (casualties or 0.0) + t.best
            parts.append(f"{t.category}: {t.label}")
    name = lambda c: country_name(c) or c  # noqa: E731
    return Violation(
        id=stable_id("violation", ag.id, inc.id, prefix="vio-"),
        agreement_id=ag.id,
        incident_id=inc.id,
        date=inc.date_start,
        accused=tuple(name(c) for c in accused),
        accusers=tuple(name(c) for c in accusers),
        claim_ids=tuple(sorted(claim_ids)),
        corroboration=corroboration,
        article_ids=tuple(inc.article_ids),
        dispute_ids=tuple(sorted(dispute_ids)),
        casualties=casualties,
        casualties_note="; ".join(parts),
        incident_type=inc.type,
        summary=inc.summary,
        place_names=tuple(dict.fromkeys(p.resolved_name or p.name for p in inc.places)),
        denied_by=tuple(name(c) for c in deniers),
    )
