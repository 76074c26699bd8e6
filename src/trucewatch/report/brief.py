"""Build a :class:`~trucewatch.report.model.Brief` from the fusion export document.

Every sentence is a template filled from fused records (incident type, date,
place, source counts, figures as written, dispute sides); nothing is stated
that the analysis did not extract, and every sentence and table row cites the
exact passages it rests on. Sections, in order:

bottom_line, timeline, casualties, disputes, quotes, sources, agreements, method.
"""

from __future__ import annotations

from typing import Any

from ._facts import (
    casualty_note,
    casualty_sum,
    date_phrase,
    fmt_date,
    fmt_number,
    incident_labels,
    ordered_incidents,
    place_label,
    primary_place,
)
from ._index import CASUALTY_CATEGORIES, CitationBook, DocIndex, filter_doc, humanize
from ._sections import agreements_section, disputes_section, method_section, quotes_section, sources_section
from .model import Brief, Group, IncidentMark, Row, Section, Sentence, Table

__all__ = ["build_brief"]

# How many items the bottom line lists per kind before pointing to the full sections.
BOTTOM_LINE_MAX = {"established": 10, "single": 8, "disputed": 8}


class _Ctx:
    """What the section builders share: the index, the citation book and the incident labels."""

    def __init__(self, doc: dict[str, Any]):
        self.index = DocIndex(doc)
        self.book = CitationBook(self.index)
        self.incidents = ordered_incidents(list(self.index.incidents.values()))
        self.labels = incident_labels(self.incidents)

    # ------------------------------------------------------------------ incident words

    def title(self, inc: dict[str, Any]) -> str:
        place = place_label(primary_place(inc), with_country=False)
        return f"{humanize(inc.get('type'))}, {place}" if place else humanize(inc.get("type"))

    def ref(self, inc_id: str | None) -> str:
        """ "I3 (Airstrike, Anlong Veng, 8 Mar 2026)" for an incident id."""
        inc = self.index.incidents.get(inc_id or "")
        if inc is None:
            return "an incident"
        return f"{self.labels[inc['id']]} ({self.title(inc)}, {fmt_date(inc.get('date_start'), short=True)})"

    # ------------------------------------------------------------------ citations

    def mention_cites(self, inc: dict[str, Any], limit: int = 3) -> tuple[str, ...]:
        """One citation per independent report of the incident (copies merged), earliest reports first."""
        cites: list[str] = []
        seen_groups: set[str] = set()
        arts = self.index.articles

        def order(m: dict[str, Any]) -> tuple:
            a = arts.get(m.get("article_id") or "") or {}
            return (a.get("published") or "9999", m.get("article_id") or "", m.get("start") or 0)

        for m in sorted(inc.get("mentions") or [], key=order):
            group = self.index.group_of.get(m.get("article_id") or "", m.get("article_id"))
            if group in seen_groups:
                continue
            c = self.book.span(m.get("article_id"), m.get("start"), m.get("end"))
            if c:
                seen_groups.add(group)
                cites.append(c)
            if len(cites) >= limit:
                break
        if not cites:
            for aid in inc.get("article_ids") or []:
                c = self.book.headline(aid)
                if c:
                    cites.append(c)
                    break
        return tuple(cites)

    def claim_cite(self, claim: dict[str, Any]) -> str | None:
        return self.book.span(claim.get("article_id"), claim.get("start"), claim.get("end"))


# --------------------------------------------------------------------------- bottom line


def _killed_sentence(ctx: _Ctx, inc: dict[str, Any]) -> Sentence | None:
    ests = [c for c in inc.get("casualties") or [] if c.get("category") == "killed" and c.get("best") is not None]
    if not ests:
        return None
    cites = []
    claimants: list[str] = []
    for e in ests:
        for cid in e.get("claim_ids") or []:
            claim = ctx.index.claims.get(cid)
            c = ctx.claim_cite(claim) if claim else None
            if c and c not in cites:
                cites.append(c)
        for name in e.get("claimants") or []:
            name = ctx.index.who(name)
            if name not in claimants:
                claimants.append(name)
    if not cites:
        return None
    parts = []
    for e in ests:
        who = " ".join(x for x in (e.get("side"), e.get("counted")) if x) or "people"
        part = f"{who} {fmt_number(e.get('best'))}"
        if e.get("low") is not None and e.get("high") is not None and e["low"] != e["high"]:
            part += f" (range {fmt_number(e['low'])}–{fmt_number(e['high'])})"
        parts.append(part)
    # sides are listed apart, never added together (a total would mix different claimants' counts)
    text = f"Reported deaths in {ctx.labels[inc['id']]}, best estimate by side: {'; '.join(parts)}"
    text += f" — from {len(claimants)} claimant{'s' if len(claimants) != 1 else ''}: {', '.join(claimants)}." if claimants else "."
    return Sentence(text, tuple(cites[:6]), tag="figure")


def _incident_sentence(ctx: _Ctx, inc: dict[str, Any], kind: str) -> Sentence | None:
    cites = ctx.mention_cites(inc)
    if not cites:
        return None
    label = ctx.labels[inc["id"]]
    what = humanize(inc.get("type")).lower()
    primary = primary_place(inc)
    place = place_label(primary)
    when = date_phrase(inc.get("date_start"), inc.get("date_end"), inc.get("date_precision"))
    acting = ctx.index.actor_names(inc.get("acting") or [])
    target = ctx.index.actor_names(inc.get("target") or [])
    who = ""
    if acting:
        who += f" by {' and '.join(acting[:2])}"
    if target:
        who += f" against {' and '.join(target[:2])}"
    n = int(inc.get("independent_sources") or ctx.index.independent(inc.get("article_ids") or []))
    outlets = ctx.index.source_groups(inc.get("article_ids") or [])
    broad = (primary or {}).get("feature") in ("country", "admin1", "province", "region", "state")
    where = f" {'in' if broad else 'at'} {place}" if place else ""
    if kind == "established":
        text = f"{label}: {what}{who}{where} {when}, reported by {n} independent sources ({'; '.join(outlets)})."
    elif kind == "contested":
        text = f"{label}: {what}{who}{where} {when} is reported by {n} independent source{'s' if n != 1 else ''}, but accounts conflict (see Disputed points)."
    else:
        text = f"{label}: {what}{who}{where} {when}, reported only by {'; '.join(outlets) or 'one source'}."
    return Sentence(text[:1].upper() + text[1:], cites, tag=kind)


def _dispute_sentence(ctx: _Ctx, d: dict[str, Any]) -> Sentence | None:
    from ._sections import dispute_about, side_cites

    parts, cites = [], []
    for side in d.get("sides") or []:
        who = ctx.index.who(side.get("claimant")) or ", ".join(ctx.index.outlets(side.get("article_ids") or [])) or "one account"
        parts.append(f"{who}: {side.get('value')}")
        for c in side_cites(ctx, d, side, limit=1):
            if c not in cites:
                cites.append(c)
    if not cites or len(parts) < 2:
        return None
    text = f"Disputed {d.get('kind') or 'point'} — {dispute_about(ctx, d)}: " + "; versus ".join(parts) + "."
    return Sentence(text, tuple(cites), tag="disputed")


def bottom_line_section(ctx: _Ctx) -> Section:
    established, single, contested = [], [], []
    for inc in ctx.incidents:
        corr = inc.get("corroboration") or "single source"
        bucket = established if corr == "corroborated" else contested if corr == "contested" else single
        bucket.append(inc)
    # the best-sourced first; date order within equal counts
    established.sort(key=lambda i: -(i.get("independent_sources") or 0))
    groups: list[Group] = []
    sentences: list[Sentence] = []
    for inc in established[: BOTTOM_LINE_MAX["established"]]:
        s = _incident_sentence(ctx, inc, "established")
        if s:
            sentences.append(s)
            k = _killed_sentence(ctx, inc)
            if k:
                sentences.append(k)
    if sentences:
        groups.append(Group("Established (corroborated by independent sources)", tuple(sentences)))
    sentences = []
    for inc in single[: BOTTOM_LINE_MAX["single"]]:
        s = _incident_sentence(ctx, inc, "single")
        if s:
            sentences.append(s)
    if sentences:
        groups.append(Group("Single-source (not independently corroborated)", tuple(sentences)))
    sentences = []
    for inc in contested:
        s = _incident_sentence(ctx, inc, "contested")
        if s:
            sentences.append(s)
    for d in ctx.index.disputes[: BOTTOM_LINE_MAX["disputed"]]:
        s = _dispute_sentence(ctx, d)
        if s:
            sentences.append(s)
    if sentences:
        groups.append(Group("Disputed", tuple(sentences)))
    more = []
    if len(established) > BOTTOM_LINE_MAX["established"]:
        more.append(f"{len(established) - BOTTOM_LINE_MAX['established']} more corroborated incidents")
    if len(single) > BOTTOM_LINE_MAX["single"]:
        more.append(f"{len(single) - BOTTOM_LINE_MAX['single']} more single-source incidents")
    if len(ctx.index.disputes) > BOTTOM_LINE_MAX["disputed"]:
        more.append(f"{len(ctx.index.disputes) - BOTTOM_LINE_MAX['disputed']} more disputes")
    note = None
    if not groups:
        note = "No incidents were found in the reports covered by this brief."
    elif more:
        note = "Not listed here: " + ", ".join(more) + " (see the sections below)."
    return Section("bottom_line", "Bottom line", tuple(groups), note)


# --------------------------------------------------------------------------- timeline


def timeline_section(ctx: _Ctx) -> Section:
    rows = []
    for inc in ctx.incidents:
        cites = ctx.mention_cites(inc)
        if not cites:
            continue
        actors = ctx.index.actor_names((inc.get("acting") or []) + (inc.get("target") or [])) or ctx.index.actor_names(
            inc.get("actor_ids") or []
        )
        follows = ", ".join(ctx.labels[f] for f in inc.get("follows_from") or [] if f in ctx.labels)
        rows.append(
            Row(
                (
                    ctx.labels[inc["id"]],
                    date_phrase(inc.get("date_start"), inc.get("date_end"), inc.get("date_precision")).split(" ", 1)[-1]
                    if inc.get("date_start") else "unknown",
                    inc.get("date_precision") or "unknown",
                    humanize(inc.get("type")),
                    place_label(primary_place(inc)) or "—",
                    ", ".join(actors[:4]) or "—",
                    str(inc.get("independent_sources") or 0),
                    inc.get("corroboration") or "single source",
                    follows or "—",
                ),
                cites,
                tag=inc.get("corroboration"),
            )
        )
    groups = []
    if rows:
        groups.append(
            Group(
                None,
                tables=(
                    Table(
                        ("#", "Date", "Precision", "Event", "Where", "Actors", "Independent sources", "Status", "Follows"),
                        tuple(rows),
                    ),
                ),
                anchor="timeline-table",
            )
        )
    sequence = []
    for inc in ctx.incidents:
        for prev in inc.get("follows_from") or []:
            if prev not in ctx.index.incidents:
                continue
            cites = ctx.mention_cites(inc, limit=2)
            if cites:
                sequence.append(
                    Sentence(f"{ctx.ref(inc['id'])} is reported to have followed {ctx.ref(prev)}.", cites, tag="sequence")
                )
    if sequence:
        groups.append(Group("What followed what", tuple(sequence)))
    note = None if rows else "No dated incidents were found."
    return Section("timeline", "Timeline of incidents", tuple(groups), note)


# --------------------------------------------------------------------------- casualties


def _side_label(est: dict[str, Any]) -> str:
    side = " ".join(x for x in (est.get("side"), est.get("counted")) if x)
    return f"{est.get('category') or 'casualties'} — {side}" if side else str(est.get("category") or "casualties")


def casualties_section(ctx: _Ctx) -> Section:
    groups = []
    columns = ("Category — side", "Claimant", "Figure", "Hedge", "Outlet", "Low", "Best", "High")
    for inc in ctx.incidents:
        rows: list[Row] = []
        used: set[str] = set()
        for est in inc.get("casualties") or []:
            est_cites = []
            for cid in est.get("claim_ids") or []:
                claim = ctx.index.claims.get(cid)
                c = ctx.claim_cite(claim) if claim else None
                if not c:
                    continue
                used.add(cid)
                est_cites.append(c)
                rows.append(_claim_row(ctx, est, claim, c))
            if est_cites:
                n = len(est.get("claimants") or est_cites)
                rows.append(
                    Row(
                        (
                            _side_label(est),
                            f"Estimate ({n} claimant{'s' if n != 1 else ''})",
                            "",
                            "",
                            "",
                            fmt_number(est.get("low")),
                            fmt_number(est.get("best")),
                            fmt_number(est.get("high")),
                        ),
                        tuple(dict.fromkeys(est_cites)),
                        tag="estimate",
                    )
                )
        # casualty claims tied to the incident but not (yet) in an estimate
        for claim in ctx.index.claims_by_incident.get(inc["id"], []):
            if claim["id"] in used or (claim.get("category") or "") not in CASUALTY_CATEGORIES:
                continue
            c = ctx.claim_cite(claim)
            if c:
                est = {"category": claim.get("category"), "side": claim.get("side"), "counted": claim.get("counted")}
                rows.append(_claim_row(ctx, est, claim, c))
        if rows:
            groups.append(
                Group(
                    f"{ctx.labels[inc['id']]} · {ctx.title(inc)} · {fmt_date(inc.get('date_start'))}",
                    tables=(Table(columns, tuple(rows)),),
                    anchor=f"casualties-{ctx.labels[inc['id']]}",
                )
            )
    note = None if groups else "No casualty figures were reported for these incidents."
    return Section("casualties", "Casualties by incident and side", tuple(groups), note)


# --------------------------------------------------------------------------- marks for the graphics


def incident_marks(ctx: _Ctx) -> tuple[IncidentMark, ...]:
    marks = []
    for inc in ctx.incidents:
        place = primary_place(inc)
        located = place is not None and place.get("lat") is not None and place.get("lon") is not None
        marks.append(
            IncidentMark(
                id=inc["id"],
                label=ctx.labels[inc["id"]],
                title=ctx.title(inc),
                type=str(inc.get("type") or "event"),
                type_label=humanize(inc.get("type")),
                date_start=inc.get("date_start"),
                date_end=inc.get("date_end") or inc.get("date_start"),
                precision=inc.get("date_precision"),
                lat=float(place["lat"]) if located else None,
                lon=float(place["lon"]) if located else None,
                place=place_label(place),
                killed=casualty_sum(inc, "best"),
                killed_note=casualty_note(inc),
                corroboration=inc.get("corroboration") or "single source",
                follows_from=tuple(f for f in inc.get("follows_from") or [] if f in ctx.labels),
            )
        )
    return tuple(marks)


# --------------------------------------------------------------------------- the brief


def build_brief(doc: dict[str, Any], *, story_id: str | None = None, since: str | None = None) -> "Brief":
    """A brief of the export document ``doc`` (optionally one story, or incidents/articles since a date).

    Takes the dict of ``trucewatch export --format json`` (``fuse.export.build_export``);
    returns a :class:`~trucewatch.report.model.Brief`. Raises NotFoundError for an
    unknown story and ConfigError for a malformed ``since``.

    >>> brief = build_brief(doc)                     # doctest: +SKIP
    >>> print(render_markdown(brief))                # doctest: +SKIP
    """
    doc = filter_doc(doc, story_id=story_id, since=since)
    ctx = _Ctx(doc)
    sections = (
        bottom_line_section(ctx),
        timeline_section(ctx),
        casualties_section(ctx),
        disputes_section(ctx),
        quotes_section(ctx),
        sources_section(ctx),
        agreements_section(ctx),
        method_section(ctx),
    )
    index = ctx.index
    dates = sorted(a["published"] for a in index.articles.values() if a.get("published"))
    outlets = index.outlets(index.articles)
    independent = index.independent(index.articles)
    span = ""
    if dates:
        span = f"; published {fmt_date(dates[0])}" + (f" to {fmt_date(dates[-1])}" if dates[-1] != dates[0] else "")
    scope = (
        f"{len(index.articles)} article{'s' if len(index.articles) != 1 else ''} from {len(outlets)} outlet"
        f"{'s' if len(outlets) != 1 else ''} ({independent} independent report{'s' if independent != 1 else ''} "
        f"once copies are merged){span}"
    )
    stories = index.stories
    # A story's title is one article's headline, so it names the brief only when the user asked for that story.
    if story_id is not None and stories:
        title = f"Brief: {stories[0].get('title') or stories[0]['id']}"
        scope += _story_scope(stories[0])
    else:
        title = "trucewatch brief"
    agreements = tuple(
        (a["date_agreed"], f"{humanize(a.get('kind'))} agreed")
        for a in index.agreements
        if a.get("date_agreed")
    )
    return Brief(
        title=title,
        scope=scope,
        sections=sections,
        citations=ctx.book.all(),
        incidents=incident_marks(ctx),
        agreements=agreements,
        story_id=story_id,
        since=since,
        counts={
            "articles": len(index.articles),
            "outlets": len(outlets),
            "independent_reports": independent,
            "incidents": len(ctx.incidents),
            "disputes": len(index.disputes),
            "quotes": len(index.quotes),
            "agreements": len(index.agreements),
            "violations": len(index.violations),
        },
    )


def _claim_row(ctx, est: dict, claim: dict, cite) -> Row:
    """One casualty-table row: a claimant's figure, hedge, outlet and bounds, cited."""
    return Row(
        (
            _side_label(est),
            ctx.index.who(claim.get("claimant")) or ctx.index.outlet(claim["article_id"]),
            claim.get("original") or fmt_number(claim.get("value")),
            claim.get("hedge") or "—",
            ctx.index.outlet(claim["article_id"]),
            fmt_number(claim.get("low")),
            fmt_number(claim.get("value")),
            fmt_number(claim.get("high")),
        ),
        (cite,),
        tag="claim",
    )


def _story_scope(story: dict) -> str:
    """What the story's record says of itself: the days its reports are about and its main places."""
    parts = []
    lo, hi = story.get("date_start"), story.get("date_end")
    if lo:
        parts.append(f"about {fmt_date(lo)}" + (f" to {fmt_date(hi)}" if hi and hi != lo else ""))
    if story.get("places"):
        parts.append("in " + ", ".join(story["places"]))
    return f"; the story's reports are {' '.join(parts)}" if parts else ""
