"""Situation reports: one day or one week of incidents and alleged violations against the period before.

In the spirit of the daily reports of a ceasefire monitoring mission: counts per area and per party
with the change from the previous period, new disputes, casualty figures by side with their
claimants, grades, a map (HTML) and an annex listing every event of the period. Every row cites
annex events (``E1`` ...), and every annex event cites its sources (``S1`` ...: outlet, date and
the sentence of the article that reports it).

Reads the export document (``trucewatch export --format json``), like the brief.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from ..errors import ConfigError
from ._facts import casualty_total, place_label, primary_place
from ._style import esc

__all__ = ["PERIODS", "build_situation", "period_bounds", "render_situation", "situation_css"]

PERIODS = ("day", "week")


def period_bounds(period: str, day: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """``((start, end), (previous start, previous end))`` as ISO dates; a week runs Monday to Sunday."""
    if period not in PERIODS:
        raise ConfigError(f"--period must be day or week, not {period!r}.")
    try:
        d = date.fromisoformat(day)
    except (TypeError, ValueError):
        raise ConfigError(f"--date must be an ISO date such as 2026-03-26, not {day!r}.") from None
    if period == "day":
        start, length = d, 1
    else:
        start, length = d - timedelta(days=d.weekday()), 7
    end = start + timedelta(days=length - 1)
    prev = start - timedelta(days=length)
    return (start.isoformat(), end.isoformat()), (prev.isoformat(), (start - timedelta(days=1)).isoformat())


def _in(d: str | None, bounds: tuple[str, str]) -> bool:
    return bool(d) and bounds[0] <= d[:10] <= bounds[1]


def _when(inc: dict[str, Any]) -> str | None:
    return inc.get("date_start") or inc.get("date_end")


def _area(inc: dict[str, Any]) -> str:
    p = primary_place(inc)
    if not p:
        return "(no place)"
    if p.get("admin1") and p.get("country"):
        return f"{p['admin1']}, {p['country']}"
    return p.get("country") or p.get("admin1") or place_label(p) or "(no place)"


class _Sources:
    """The numbered source list: one entry per (article, sentence)."""

    def __init__(self, doc: dict[str, Any]):
        self.articles = {a["id"]: a for a in doc.get("articles") or []}
        self.events = {e["id"]: e for e in doc.get("events") or []}
        self.items: list[dict[str, Any]] = []
        self._by_key: dict[tuple, str] = {}

    def for_incident(self, inc: dict[str, Any]) -> list[str]:
        out, seen_articles = [], set()
        for m in inc.get("mentions") or []:
            if m["article_id"] in seen_articles or m["article_id"] not in self.articles:
                continue
            seen_articles.add(m["article_id"])
            ev = self.events.get(m["event_id"]) or {}
            a = self.articles[m["article_id"]]
            start, end = ev.get("sentence_start", m.get("start", 0)), ev.get("sentence_end", m.get("end", 0))
            key = (a["id"], start, end)
            if key not in self._by_key:
                label = f"S{len(self.items) + 1}"
                self._by_key[key] = label
                self.items.append({"label": label, "article_id": a["id"], "outlet": a.get("outlet"), "title": a.get("title"),
                                   "published": a.get("published"), "url": a.get("url"),
                                   "quote": (a.get("text") or "")[start:end].strip(), "start": start, "end": end})
            out.append(self._by_key[key])
        return out


def _parties_of(inc: dict[str, Any], vs: list[dict[str, Any]], actor_names: dict[str, str], known: set[str]) -> list[str]:
    names = {x for v in vs for x in (*v.get("accused", ()), *v.get("accusers", ()))}
    names |= {actor_names[a] for a in inc.get("acting") or () if actor_names.get(a) in known}
    return sorted(names)


def build_situation(doc: dict[str, Any], period: str, day: str) -> dict[str, Any]:
    """The situation report of the ``period`` (day or week) holding ``day`` as a JSON-ready dict."""
    bounds, prev = period_bounds(period, day)
    incidents = sorted(doc.get("incidents") or [], key=lambda i: (_when(i) or "", i["id"]))
    violations = doc.get("violations") or []
    vio_of: dict[str, list] = defaultdict(list)
    for v in violations:
        vio_of[v.get("incident_id")].append(v)
    known = {p for a in doc.get("agreements") or [] for p in a.get("parties") or ()} | {
        x for v in violations for x in (*v.get("accused", ()), *v.get("accusers", ()))}
    actor_names = {a["id"]: a["name"] for a in doc.get("actors") or []}
    now = [i for i in incidents if _in(_when(i), bounds)]
    before = [i for i in incidents if _in(_when(i), prev)]
    sources = _Sources(doc)
    events, label_of = [], {}
    for n, inc in enumerate(now, 1):
        label_of[inc["id"]] = f"E{n}"
        vs = vio_of.get(inc["id"], [])
        killed, injured = casualty_total(inc, "killed"), casualty_total(inc, "injured")
        events.append({
            "label": f"E{n}", "id": inc["id"], "date": _when(inc), "type": inc.get("type"), "area": _area(inc),
            "place": place_label(primary_place(inc)), "parties": _parties_of(inc, vs, actor_names, known),
            "grade": inc.get("grade") or inc.get("corroboration") or "single source",
            "killed": killed.get("best") if killed else None, "injured": injured.get("best") if injured else None,
            "violations": [{"id": v["id"], "accused": v.get("accused", []), "verification": v.get("verification") or "reported",
                            "attributed_to": v.get("attributed_to")} for v in vs],
            "sources": sources.for_incident(inc), "summary": inc.get("summary") or "",
        })
    return {
        "title": f"Situation report, {'day' if period == 'day' else 'week'} of {bounds[0]}"
                 + ("" if period == "day" else f" to {bounds[1]}"),
        "period": {"kind": period, "start": bounds[0], "end": bounds[1]},
        "previous": {"start": prev[0], "end": prev[1]},
        "counts": {
            "incidents": len(now), "incidents_previous": len(before),
            "violations": sum(len(vio_of.get(i["id"], [])) for i in now),
            "violations_previous": sum(len(vio_of.get(i["id"], [])) for i in before),
        },
        "areas": _by_area(now, before, vio_of, label_of),
        "parties": _by_party(now, before, vio_of, label_of, actor_names, known),
        "disputes": [{"kind": d.get("kind"), "summary": d.get("summary"), "events": [label_of[d["incident_id"]]]}
                     for d in doc.get("disputes") or [] if d.get("incident_id") in label_of],
        "casualties": _casualties(now, label_of),
        "grades": dict(sorted(Counter(e["grade"] for e in events).items())),
        "events": events,
        "sources": sources.items,
    }


def _by_area(now, before, vio_of, label_of) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for which, incs in (("now", now), ("before", before)):
        for inc in incs:
            r = rows.setdefault(_area(inc), {"incidents": 0, "incidents_previous": 0, "violations": 0,
                                             "violations_previous": 0, "events": []})
            suffix = "" if which == "now" else "_previous"
            r["incidents" + suffix] += 1
            r["violations" + suffix] += len(vio_of.get(inc["id"], []))
            if which == "now":
                r["events"].append(label_of[inc["id"]])
    return [{"area": k, **r, "change": r["incidents"] - r["incidents_previous"]} for k, r in sorted(rows.items())]


def _by_party(now, before, vio_of, label_of, actor_names, known) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    blank = {"incidents": 0, "incidents_previous": 0, "accused": 0, "accused_previous": 0, "verified": 0, "pending": 0,
             "discounted": 0, "events": []}
    for which, incs in (("now", now), ("before", before)):
        suffix = "" if which == "now" else "_previous"
        for inc in incs:
            vs = vio_of.get(inc["id"], [])
            for p in _parties_of(inc, vs, actor_names, known):
                r = rows.setdefault(p, {**blank, "events": []})
                r["incidents" + suffix] += 1
                if which == "now":
                    r["events"].append(label_of[inc["id"]])
            for v in vs:
                for p in v.get("accused", ()):
                    r = rows.setdefault(p, {**blank, "events": []})
                    r["accused" + suffix] += 1
                    if which == "now":
                        state = v.get("verification") or "reported"
                        r[state if state in ("verified", "discounted") else "pending"] += 1
    return [{"party": k, **r, "change": r["accused"] - r["accused_previous"]} for k, r in sorted(rows.items())]


def _casualties(now, label_of) -> list[dict[str, Any]]:
    out = []
    for inc in now:
        for c in inc.get("casualties") or []:
            if c.get("best") is None:
                continue
            out.append({"event": label_of[inc["id"]], "category": c.get("category"), "side": c.get("side"),
                        "counted": c.get("counted"), "low": c.get("low"), "best": c.get("best"), "high": c.get("high"),
                        "claimants": list(c.get("claimants") or [])})
    return out


def _num(x: Any) -> str:
    if x is None:
        return "–"
    return f"{x:g}" if isinstance(x, float) else str(x)


def _change(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def _verdicts(e: dict[str, Any]) -> str:
    parts = []
    for v in e["violations"]:
        state = v["verification"]
        if state == "verified" and v.get("attributed_to"):
            state += f" ({v['attributed_to']})"
        parts.append(f"alleged violation by {', '.join(v['accused']) or '?'}: {state}")
    return "; ".join(parts) or "–"


def _tables(rep: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table, shared by the Markdown and HTML renderings."""
    cite = ", ".join
    return [
        ("Per area", ["area", "incidents", "previous", "change", "alleged violations", "previous", "events"],
         [[r["area"], _num(r["incidents"]), _num(r["incidents_previous"]), _change(r["change"]), _num(r["violations"]),
           _num(r["violations_previous"]), cite(r["events"])] for r in rep["areas"]]),
        ("Per party", ["party", "incidents", "previous", "accused", "previous", "change", "verified", "pending", "discounted", "events"],
         [[r["party"], _num(r["incidents"]), _num(r["incidents_previous"]), _num(r["accused"]), _num(r["accused_previous"]),
           _change(r["change"]), _num(r["verified"]), _num(r["pending"]), _num(r["discounted"]), cite(r["events"])]
          for r in rep["parties"]]),
        ("New disputes", ["kind", "what", "events"], [[d["kind"], d["summary"], cite(d["events"])] for d in rep["disputes"]]),
        ("Casualty figures by side", ["event", "category", "side", "group", "best (low–high)", "claimants"],
         [[c["event"], c["category"], c["side"] or "–", c["counted"] or "–",
           f"{_num(c['best'])} ({_num(c['low'])}–{_num(c['high'])})", ", ".join(c["claimants"]) or "–"] for c in rep["casualties"]]),
        ("Annex: every event of the period", ["event", "date", "type", "place", "parties", "grade", "killed", "injured",
                                              "verification", "sources"],
         [[e["label"], e["date"] or "?", e["type"] or "?", e["place"] or "–", ", ".join(e["parties"]) or "–", e["grade"],
           _num(e["killed"]), _num(e["injured"]), _verdicts(e), cite(e["sources"])] for e in rep["events"]]),
    ]


def _headline(rep: dict[str, Any]) -> str:
    c = rep["counts"]
    return (f"{c['incidents']} incident(s) ({_change(c['incidents'] - c['incidents_previous'])} on the previous period, "
            f"{rep['previous']['start']} to {rep['previous']['end']}) and {c['violations']} alleged violation(s) "
            f"({_change(c['violations'] - c['violations_previous'])}). Grades: "
            + (", ".join(f"{k} {v}" for k, v in rep["grades"].items()) or "none") + ".")


def _md(rep: dict[str, Any]) -> str:
    out = [f"# {rep['title']}", "", _headline(rep), ""]
    for title, head, rows in _tables(rep):
        out += [f"## {title}", ""]
        if not rows:
            out += ["None in this period.", ""]
            continue
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        out += ["| " + " | ".join(x.replace("|", "\\|").replace("\n", " ") for x in r) + " |" for r in rows]
        out.append("")
    out += ["## Sources", ""]
    for s in rep["sources"]:
        out.append(f"- **{s['label']}** {s['outlet'] or '?'}, {s['published'] or 'undated'}"
                   f"{', ' + s['url'] if s['url'] else ''} (article {s['article_id']}): “{s['quote']}”")
    return "\n".join(out).rstrip() + "\n"


_CSS = ("body{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d232b}"
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd3db;padding:.3rem .5rem;"
        "text-align:left;vertical-align:top}th{background:#eef2f6}ol.sources li{margin:.3rem 0}")


def _map_css() -> str:
    """The brief's map style (its template's ``svg ...`` rules), so both draw the map alike."""
    from importlib import resources

    text = resources.files("trucewatch.report").joinpath("templates/brief.html.j2").read_text(encoding="utf-8")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip().startswith("svg "))


def situation_css() -> str:
    """The style of the HTML report (inline in a file; served as a stylesheet by the web app)."""
    return f"{_CSS}\n{_map_css()}\n"


def _html(rep: dict[str, Any], map_svg: str, links=(), stylesheet: str | None = None) -> str:
    nav = " · ".join(f"<a href='{esc(href)}' rel='{esc(label.split()[0].lower())}'>{esc(label)}</a>" for label, href in links)
    style = f"<link rel='stylesheet' href='{esc(stylesheet)}'>" if stylesheet else f"<style>{situation_css()}</style>"
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(rep['title'])}</title>"
             f"{style}</head><body>" + (f"<nav class='periods'>{nav}</nav>" if nav else "")
             + f"<h1>{esc(rep['title'])}</h1><p class='headline'>{esc(_headline(rep))}</p>"]
    if map_svg:
        parts.append(f"<section id='map-section'><h2>Map</h2>{map_svg}</section>")
    for title, head, rows in _tables(rep):
        parts.append(f"<h2>{esc(title)}</h2>")
        if not rows:
            parts.append("<p>None in this period.</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>")
        for r in rows:
            label = r[0] if title.startswith("Annex") else ""
            parts.append(f"<tr{f' id=event-{esc(label)}' if label else ''}>" + "".join(f"<td>{esc(x)}</td>" for x in r) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Sources</h2><ol class='sources'>")
    for s in rep["sources"]:
        link = f" <a href='{esc(s['url'])}'>{esc(s['url'])}</a>" if s.get("url") else ""
        parts.append(f"<li id='source-{esc(s['label'])}'><b>{esc(s['label'])}</b> {esc(s['outlet'] or '?')}, "
                     f"{esc(s['published'] or 'undated')}{link}: “{esc(s['quote'])}”</li>")
    parts.append("</ol></body></html>\n")
    return "".join(parts)


def render_situation(rep: dict[str, Any], fmt: str = "md", doc: dict[str, Any] | None = None, *, links=(),
                     stylesheet: str | None = None) -> str:
    """``rep`` as Markdown, HTML (one file, with a map of the period's located incidents; ``links``:
    ``(label, href)`` pairs shown above the title; ``stylesheet``: a URL to link instead of the
    inline style) or JSON."""
    if fmt == "json":
        return json.dumps(rep, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _md(rep)
    if fmt != "html":
        raise ConfigError(f"--format must be md, html or json, not {fmt!r}.")
    return _html(rep, _map(rep, doc or {}), links, stylesheet)


def _map(rep: dict[str, Any], doc: dict[str, Any]) -> str:
    from .model import IncidentMark
    from .svg_map import render_map

    by_id = {i["id"]: i for i in doc.get("incidents") or []}
    marks = []
    for e in rep["events"]:
        p = primary_place(by_id.get(e["id"], {}))
        if not p or p.get("lat") is None or p.get("lon") is None:
            continue
        marks.append(IncidentMark(id=e["label"], label=e["label"], title=f"{e['type']}, {e['place']}", type=e["type"] or "event",
                                  type_label=e["type"] or "event", date_start=e["date"], date_end=e["date"], precision=None,
                                  lat=float(p["lat"]), lon=float(p["lon"]), place=e["place"], killed=e["killed"],
                                  corroboration=e["grade"]))
    return render_map(marks, anchor_prefix="event-") if marks else ""
