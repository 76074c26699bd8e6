"""Brief sections: disputed points, who said what, sources, agreements & ledger, method note.

Each builder takes the shared context of :mod:`trucewatch.report.brief` (index,
citation book, incident labels) and returns a
:class:`~trucewatch.report.model.Section`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ._facts import casualty_note, casualty_sum, fmt_date, fmt_number
from ._index import humanize
from .model import Group, Row, Section, Sentence, Table

if TYPE_CHECKING:
    from .brief import _Ctx

__all__ = [
    "agreements_section",
    "dispute_about",
    "disputes_section",
    "method_section",
    "quotes_section",
    "side_cites",
    "sources_section",
]

QUOTE_MAX_CHARS = 320  # longer quotes are shown cut, with the full passage in the citation


# --------------------------------------------------------------------------- disputes


def dispute_about(ctx: "_Ctx", d: dict[str, Any]) -> str:
    """What a dispute is about, in a few words: the incident, or the quote."""
    if d.get("incident_id") in ctx.index.incidents:
        return ctx.ref(d["incident_id"])
    cluster = ctx.index.clusters.get(d.get("quote_cluster_id") or "")
    if cluster:
        text = " ".join(str(cluster.get("text") or "").split())
        return f"who said “{text[:80]}{'…' if len(text) > 80 else ''}”"
    return humanize(d.get("kind"))


def side_cites(ctx: "_Ctx", d: dict[str, Any], side: dict[str, Any], limit: int = 3) -> tuple[str, ...]:
    """Citations for one side of a dispute: its spans; else where its value or the incident appears in its articles."""
    cites: list[str] = []
    for sp in side.get("spans") or []:
        c = ctx.book.span(sp.get("article_id"), sp.get("start"), sp.get("end"))
        if c and c not in cites:
            cites.append(c)
    if not cites:
        inc = ctx.index.incidents.get(d.get("incident_id") or "") or {}
        for aid in side.get("article_ids") or []:
            c = ctx.book.find(aid, str(side.get("value") or ""))
            if not c:
                m = next((m for m in inc.get("mentions") or [] if m.get("article_id") == aid), None)
                c = ctx.book.span(aid, m.get("start"), m.get("end")) if m else None
            c = c or ctx.book.headline(aid)
            if c and c not in cites:
                cites.append(c)
    return tuple(cites[:limit])


def disputes_section(ctx: "_Ctx") -> Section:
    groups = []
    for n, d in enumerate(ctx.index.disputes, 1):
        sentences: list[Sentence] = []
        all_cites: list[str] = []
        for side in d.get("sides") or []:
            cites = side_cites(ctx, d, side)
            if not cites:
                continue
            all_cites.extend(c for c in cites if c not in all_cites)
            outlets = ctx.index.outlets(side.get("article_ids") or [])
            who = ctx.index.who(side.get("claimant")) or "Unattributed"
            text = f"{who}: {side.get('value')}"
            if outlets:
                text += f" (reported by {', '.join(outlets)})"
            sentences.append(Sentence(text + ".", cites, tag="side"))
        if len(sentences) < 1:
            continue
        if d.get("summary"):
            summary = ctx.index.readable(" ".join(str(d["summary"]).split()))
            sentences.insert(0, Sentence(summary, tuple(all_cites[:6]), tag="summary"))
        groups.append(
            Group(
                f"D{n} · {humanize(d.get('kind'))} dispute · {dispute_about(ctx, d)}",
                tuple(sentences),
                anchor=f"dispute-{d['id']}",
                flag=d.get("kind"),
            )
        )
    note = None if groups else "No disputes were found between the sources."
    return Section("disputes", "Disputed points", tuple(groups), note)


# --------------------------------------------------------------------------- quotes


def _speaker_key(ctx: "_Ctx", q: dict[str, Any]) -> tuple[str, str, str]:
    """(key, display name, roles) of a quote's speaker; unnamed speakers keep their label."""
    actor = ctx.index.actor(q.get("speaker_actor_id"))
    if actor:
        roles = ", ".join((actor.get("roles") or [])[:2])
        return actor["id"], actor["name"], roles
    label = " ".join(str(q.get("speaker") or "unattributed").split())
    return "label:" + label.lower(), label, ""


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1].rsplit(" ", 1)[0] + " …"


def quotes_section(ctx: "_Ctx") -> Section:
    index = ctx.index
    by_speaker: dict[str, list[Sentence]] = defaultdict(list)
    names: dict[str, tuple[str, str]] = {}
    disputed: list[Sentence] = []
    shown_clusters: set[str] = set()
    # fusion decides which attributions conflict: a minister and the country he speaks for do not
    disputed_clusters = {d.get("quote_cluster_id") for d in index.disputes if d.get("kind") == "speaker"}
    quotes = sorted(
        index.quotes.values(),
        key=lambda q: ((index.articles.get(q["article_id"]) or {}).get("published") or "9999", q["article_id"], q.get("start") or 0),
    )
    for q in quotes:
        cluster = index.clusters.get(q.get("cluster_id") or "")
        members = [index.quotes[m] for m in (cluster or {}).get("quote_ids") or [] if m in index.quotes]
        if cluster and len(members) > 1:
            if cluster["id"] in shown_clusters:
                continue
            shown_clusters.add(cluster["id"])
            cites = tuple(dict.fromkeys(c for m in members if (c := ctx.book.span(m["article_id"], m.get("start"), m.get("end")))))
            if not cites:
                continue
            outlets = index.outlets(m["article_id"] for m in members)
            n_ind = index.independent(m["article_id"] for m in members)
            speakers = {}
            for m in members:
                key, name, _ = _speaker_key(ctx, m)
                speakers.setdefault(key, (name, index.outlet(m["article_id"])))
            longest = max(members, key=lambda m: len(m.get("text") or ""))
            text = f"“{_shorten(cluster.get('text') or longest.get('text') or '')}” — reported by {', '.join(outlets)}"
            text += f" ({n_ind} independent report{'s' if n_ind != 1 else ''})."
            if len(speakers) > 1 and cluster["id"] in disputed_clusters:
                who = "; ".join(f"{name} ({outlet})" for name, outlet in speakers.values())
                disputed.append(Sentence(f"{text} Attributed to different speakers: {who}.", cites, tag="speaker disputed"))
                continue
            if len(speakers) > 1:  # compatible attributions: filed under the person named, if any
                people = [m for m in members if (index.actor(m.get("speaker_actor_id")) or {}).get("kind") == "person"]
                longest = max(people or members, key=lambda m: len(m.get("text") or ""))
                others = [n for k, (n, _) in speakers.items() if k != _speaker_key(ctx, longest)[0]]
                text += f" Also attributed to {', '.join(others)}."
            key, name, roles = _speaker_key(ctx, longest)
            names.setdefault(key, (name, roles))
            by_speaker[key].append(Sentence(text, cites, tag="cluster"))
            continue
        c = ctx.book.span(q["article_id"], q.get("start"), q.get("end"))
        if not c:
            continue
        key, name, roles = _speaker_key(ctx, q)
        names.setdefault(key, (name, roles))
        how = q.get("cue") or "said"
        kind = "" if q.get("direct", True) else " (indirect)"
        rv = q.get("review") or {}
        fixed = f" Speaker set by review ({rv.get('reviewer')}); the outlet named {rv.get('before') or 'nobody'}." if rv else ""
        text = f"“{_shorten(q.get('text') or '')}” — {how}{kind}, reported by {index.outlet(q['article_id'])}.{fixed}"
        by_speaker[key].append(Sentence(text, (c,), tag="quote"))
    groups = []
    if disputed:
        groups.append(Group("Speaker disputed: the same words attributed to different people", tuple(disputed),
                            anchor="quotes-disputed", flag="speaker"))
    order = sorted(by_speaker, key=lambda k: (-len(by_speaker[k]), names[k][0].lower()))
    for key in order:
        name, roles = names[key]
        heading = f"{name} ({roles})" if roles else name
        groups.append(Group(heading, tuple(by_speaker[key])))
    note = None if groups else "No quotes were found."
    return Section("quotes", "Who said what", tuple(groups), note)


# --------------------------------------------------------------------------- sources


def sources_section(ctx: "_Ctx") -> Section:
    index = ctx.index
    rows = []
    arts = sorted(index.articles.values(), key=lambda a: (a.get("published") or "9999", index.outlet(a["id"]), a["id"]))
    for a in arts:
        c = ctx.book.headline(a["id"])
        if not c:
            continue
        original = index.copy_of.get(a["id"])
        copy = ""
        if original:
            copy = f"copy of {index.outlet(original)}: {index.title(original)}"
        date = fmt_date(a.get("published")) if a.get("published") else "undated"
        if a.get("published") and a.get("published_inferred"):
            date += " (inferred)"
        rows.append(Row((index.outlet(a["id"]), index.title(a["id"]), date, copy or "original report", a["id"][:10]), (c,)))
    groups = []
    if rows:
        groups.append(Group(None, tables=(Table(("Outlet", "Title", "Published", "Copy of", "Article id"), tuple(rows)),)))
    copy_rows = []
    for g in index.copies:
        ids = [i for i in g.get("article_ids") or [] if i in index.articles]
        if len(ids) < 2:
            continue
        cites = tuple(c for i in ids[:4] if (c := ctx.book.headline(i)))
        if cites:
            copy_rows.append(
                Row((", ".join(index.outlet(i) for i in ids), str(len(ids)), str(g.get("reason") or "")), cites)
            )
    if copy_rows:
        groups.append(Group("Copies of one report (count as one independent source)",
                            tables=(Table(("Outlets", "Articles", "Why they are copies"), tuple(copy_rows)),)))
    outlets = index.outlets(index.articles)
    note = (
        f"{len(index.articles)} articles from {len(outlets)} outlets; {index.independent(index.articles)} independent "
        f"reports once {sum(len(g.get('article_ids') or []) - 1 for g in index.copies)} copies are merged."
        if index.articles else "No articles are covered by this brief."
    )
    return Section("sources", "Sources", tuple(groups), note)


# --------------------------------------------------------------------------- agreements & ledger


def _agreement_cites(ctx: "_Ctx", ag: dict[str, Any], words: str | None = None) -> tuple[str, ...]:
    cites: list[str] = []
    for aid in ag.get("article_ids") or []:
        c = ctx.book.find(aid, words) if words else None
        if c and c not in cites:
            cites.append(c)
    if not cites:
        for st in ag.get("status_history") or []:
            c = ctx.book.span(st.get("article_id"), st.get("start"), st.get("end"))
            if c and c not in cites:
                cites.append(c)
                break
    if not cites and not words:
        for aid in ag.get("article_ids") or []:
            c = ctx.book.headline(aid)
            if c:
                cites.append(c)
                break
    return tuple(cites[:3])


def agreements_section(ctx: "_Ctx") -> Section:
    index = ctx.index
    groups = []
    ag_names = {}
    for n, ag in enumerate(index.agreements, 1):
        ag_names[ag["id"]] = f"A{n}"
        sentences = []
        cites = _agreement_cites(ctx, ag)
        if cites:
            parts = f"{humanize(ag.get('kind'))} between {', '.join(ag.get('parties') or []) or 'unnamed parties'}"
            if ag.get("mediators"):
                parts += f", mediated by {', '.join(ag['mediators'])}"
            if ag.get("venue"):
                parts += f", in {ag['venue']}"
            if ag.get("date_agreed"):
                parts += f", agreed {fmt_date(ag['date_agreed'])}"
            if ag.get("declared"):
                parts += " (declared by the user)"
            sentences.append(Sentence(parts + ".", cites, tag="agreement"))
        for term in ag.get("terms") or []:
            c = _agreement_cites(ctx, ag, term)
            if c:
                sentences.append(Sentence(f"Term: {term}.", c, tag="term"))
        for party, cond in ag.get("conditions") or []:
            c = _agreement_cites(ctx, ag, cond)
            if c:
                sentences.append(Sentence(f"Condition stated by {party}: {cond}.", c, tag="condition"))
        rows = []
        for st in ag.get("status_history") or []:
            c = ctx.book.span(st.get("article_id"), st.get("start"), st.get("end")) or (
                ctx.book.headline(st["article_id"]) if st.get("article_id") else None
            )
            if c:
                rows.append(Row((fmt_date(st.get("date")), str(st.get("status")), st.get("outlet") or index.outlet(st.get("article_id") or "")), (c,)))
        tables = (Table(("Date", "Reported status", "Outlet"), tuple(rows), caption="Status as each outlet reported it"),) if rows else ()
        if sentences or tables:
            groups.append(Group(f"A{n} · {humanize(ag.get('kind'))}", tuple(sentences), tables, anchor=f"agreement-{ag['id']}"))
    v_rows = []
    ledger: dict[str, dict[str, Any]] = {}
    for v in index.violations:
        inc = index.incidents.get(v.get("incident_id") or "")
        cites = ctx.mention_cites(inc, limit=2) if inc else ()
        if not cites:
            cites = tuple(c for a in (v.get("article_ids") or [])[:2] if (c := ctx.book.headline(a)))
        if not cites:
            continue
        accused = ", ".join(v.get("accused") or []) or "unnamed"
        v_rows.append(
            Row(
                (
                    fmt_date(v.get("date") or (inc or {}).get("date_start")),
                    ctx.ref(v.get("incident_id")) if inc else str(v.get("incident_id")),
                    ag_names.get(v.get("agreement_id"), "—"),
                    accused,
                    ", ".join(v.get("accusers") or []) or "—",
                    str(v.get("corroboration") or ""),
                    str(v.get("review_status") or "unreviewed"),
                    _figure(inc, "killed"),
                    _figure(inc, "injured"),
                ),
                cites,
                tag=v.get("review_status"),
            )
        )
        for party in v.get("accused") or ["unnamed"]:
            e = ledger.setdefault(party, {"n": 0, "corroborated": 0, "single source": 0, "contested": 0,
                                          "confirmed": 0, "rejected": 0, "cites": []})
            e["n"] += 1
            corr = str(v.get("corroboration") or "single source")
            if corr in e:
                e[corr] += 1
            if v.get("review_status") in ("confirmed", "rejected"):
                e[v["review_status"]] += 1
            e["cites"].extend(c for c in cites if c not in e["cites"])
    if v_rows:
        groups.append(Group("Alleged violations", tables=(Table(
            ("Date", "Incident", "Agreement", "Accused", "Accusers", "Corroboration", "Review", "Killed", "Injured"), tuple(v_rows)),),
            anchor="violations"))
        l_rows = tuple(
            Row((party, str(e["n"]), str(e["corroborated"]), str(e["single source"]), str(e["contested"]),
                 str(e["confirmed"]), str(e["rejected"])), tuple(e["cites"][:6]))
            for party, e in sorted(ledger.items(), key=lambda kv: (-kv[1]["n"], kv[0]))
        )
        groups.append(Group("Ledger by accused party", tables=(Table(
            ("Accused", "Alleged", "Corroborated", "Single source", "Contested", "Confirmed", "Rejected"), l_rows),),
            anchor="ledger"))
    note = None if groups else "No agreements or alleged violations were found in these reports."
    return Section("agreements", "Agreements & violation ledger", tuple(groups), note)


# --------------------------------------------------------------------------- method


METHOD = (
    "Every statement in this brief is generated from records that trucewatch extracted from the articles; "
    "each cites the exact passage it rests on (outlet, date and the quoted words).",
    "Articles that are copies or light rewrites of one report (near-duplicate text, the same wire credit) are merged "
    "and count as one independent source.",
    "An incident is corroborated when at least two independent sources report it, single-source when only one does, "
    "and contested when the sources dispute it (its figures, date, sequence, status or responsibility).",
    "Casualty figures are kept per incident, category and side (soldiers, militants and civilians are never added "
    "together), with each claimant's figure and hedge as written.",
    "Low is the lowest figure any claim allows and high the highest any claim states; best is the median of the "
    "independent claimants' figures (copies and repeats count once; with an even count the lower middle value, to stay "
    "conservative) — a UCDP-style estimate. The CSV's fatalities column is ACLED's conservative figure, the lowest "
    "reported value (vague words at ACLED's values: dozens = 12).",
    "Dates carry their precision: day when the day is known, week or month when the reports only narrow it down, "
    "range when an interval was inferred from the publication date of the reports.",
    "Same-quote clusters join the same words reported by several outlets (fuzzy alignment of full and partial quotes); "
    "when outlets attribute them to different speakers the cluster is flagged.",
    "Nothing here is verified beyond what the cited sources say: corroboration means independent reports agree, not "
    "that the facts are confirmed.",
)


def method_section(ctx: "_Ctx") -> Section:
    return Section("method", "Method note", (Group(None, tuple(Sentence(t, (), tag="method") for t in METHOD)),))


def _figure(inc: dict[str, Any] | None, category: str) -> str:
    """An incident's figure for a table cell, with what it adds up when it is a sum of groups."""
    n = fmt_number(casualty_sum(inc, "best", category) if inc else None)
    if not n:
        return "—"
    note = casualty_note(inc, category) if inc else ""
    return f"{n} ({note})" if note else n
