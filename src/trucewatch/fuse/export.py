"""The JSON export contract: one document with every record a report, web page or script needs.

:func:`build_export` reads a store (articles, analyses and fused records) and returns a
plain dict; :func:`validate_export` checks it against ``trucewatch/schema/trucewatch.schema.json``.
Offsets ``start``/``end`` are character offsets into the named article's ``text``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

from .. import __version__
from ..errors import TrucewatchError
from ..labels import link_url
from ..records import to_dict
from .persist import load_fusion
from .reviews import apply_to_analysis

__all__ = ["EXPORT_SCHEMA_VERSION", "build_export", "export_schema", "validate_export"]

EXPORT_SCHEMA_VERSION = "1.0"

_ARTICLE_KEYS = ("id", "title", "outlet", "url", "source_path", "dateline", "published", "published_inferred",
                 "published_origin", "published_precision", "published_range", "language", "text")


@lru_cache(maxsize=1)
def export_schema() -> dict[str, Any]:
    """The published JSON Schema of the export document."""
    text = resources.files("trucewatch").joinpath("schema/trucewatch.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


class ExportError(TrucewatchError):
    """An export document does not match the published schema."""


def validate_export(doc: dict[str, Any]) -> None:
    """Raise :class:`ExportError` naming the first problems when ``doc`` does not match the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(export_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}" for e in errors[:5]]
        raise ExportError("The export does not match its schema: " + "; ".join(lines) + ".")


def _place(p: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "resolved_name", "country", "country_code", "admin1", "lat", "lon", "feature", "gazetteer_id")
    return {k: p.get(k) for k in keys}


def _corrections(reviews) -> dict[tuple[str, str], Any]:
    """The last set-speaker / set-figure review of each quote and claim."""
    out = {}
    for r in sorted(reviews, key=lambda r: (r.at, r.id)):
        if (r.target_kind, r.action) in (("quote", "set-speaker"), ("claim", "set-figure")):
            out[(r.target_kind, r.target_id)] = r
    return out


def _figure(c) -> float | str | None:
    """A claim's figure as written before review: its value, or "low-high" for a range."""
    if c.low is not None and c.high is not None and c.low != c.high:
        return f"{c.low:g}-{c.high:g}"
    return c.value


def _review_note(r, before) -> dict[str, Any] | None:
    """What a reviewer changed, shown next to the corrected value (None when nobody did)."""
    if r is None:
        return None
    return {"action": r.action, "value": r.value, "before": before, "reviewer": r.reviewer, "reason": r.reason,
            "at": r.at, "review_id": r.id}


def build_export(store, *, story_id: str | None = None, since: str | None = None) -> dict[str, Any]:
    """The export document for ``store`` (optionally one story, or only what happened ``since`` an ISO date)."""
    fusion = load_fusion(store)
    actor_canonical = fusion.actor_canonical
    claim_incident = fusion.claim_incident
    quote_cluster = fusion.quote_cluster
    incident_of_event = {m.event_id: i.id for i in fusion.incidents for m in i.mentions}

    stories = list(fusion.stories)
    keep_articles: set[str] | None = None
    if story_id is not None:
        stories = [s for s in stories if s.id == story_id or s.id.startswith(story_id)]
        if not stories:
            from ..errors import NotFoundError

            raise NotFoundError(f"No story {story_id!r} in the store; `trucewatch fuse` lists the stories.")
        keep_articles = set(stories[0].article_ids)
    articles = [a for a in store.articles() if keep_articles is None or a.id in keep_articles]
    if since:
        articles = [a for a in articles if a.published and a.published >= since]
    art_ids = {a.id for a in articles}

    incidents = [
        i for i in fusion.incidents
        if set(i.article_ids) & art_ids and (not since or (i.date_end or i.date_start or "") >= since)
    ]
    inc_ids = {i.id for i in incidents}

    reviews = store.reviews()
    corrections = _corrections(reviews)
    quotes, claims, events = [], [], []
    for analysed in store.iter_analyses():
        if analysed.article_id not in art_ids:
            continue
        # reviewers' speaker and figure corrections, as fusion applied them
        an = apply_to_analysis(analysed, reviews) if corrections else analysed
        before_q = {q.id: q for q in analysed.quotes}
        before_c = {c.id: c for c in analysed.claims}
        for q in an.quotes:
            quotes.append({
                "id": q.id, "article_id": q.article_id, "text": q.text, "speaker": q.speaker,
                "speaker_actor_id": actor_canonical.get(q.speaker_actor_id) if q.speaker_actor_id else None,
                "cue": q.cue, "direct": q.direct, "start": q.start, "end": q.end,
                "speaker_start": q.speaker_start, "speaker_end": q.speaker_end,
                "cluster_id": quote_cluster.get(q.id),
                "review": _review_note(corrections.get(("quote", q.id)), before_q[q.id].speaker),
            })
        for c in an.claims:
            iid = claim_incident.get(c.id)
            old = before_c[c.id]
            claims.append({
                "id": c.id, "article_id": c.article_id, "value": c.value, "low": c.low, "high": c.high,
                "original": c.original, "category": c.category, "counted": c.counted, "predicate": c.predicate,
                "side": c.side, "claimant": c.claimant,
                "claimant_actor_id": actor_canonical.get(c.claimant_actor_id) if c.claimant_actor_id else None,
                "hedge": c.hedge, "start": c.start, "end": c.end,
                "incident_id": iid if iid in inc_ids else None, "event_id": c.event_id,
                "review": _review_note(corrections.get(("claim", c.id)), _figure(old)),
            })
        for e in an.events:
            iid = incident_of_event.get(e.id)
            events.append({
                "id": e.id, "article_id": e.article_id, "type": e.type, "trigger": e.trigger,
                "start": e.start, "end": e.end, "sentence_start": e.sentence_start, "sentence_end": e.sentence_end,
                "date_start": e.time.date_start if e.time else None, "date_end": e.time.date_end if e.time else None,
                "status": e.status, "negated": e.negated, "hedged": e.hedged, "realis": e.realis, "role": e.role,
                "incident_id": iid if iid in inc_ids else None,
            })

    used_actors = {a for i in incidents for a in i.actor_ids}
    used_actors |= {q["speaker_actor_id"] for q in quotes if q["speaker_actor_id"]}
    actors = [
        {"id": a.id, "name": a.name, "kind": a.kind, "aliases": list(a.aliases), "roles": list(a.roles),
         "country": a.country, "member_ids": list(a.member_ids), "article_ids": [x for x in a.article_ids if x in art_ids]}
        for a in fusion.actors
        if set(a.article_ids) & art_ids or a.id in used_actors
    ]

    def incident_dict(i) -> dict[str, Any]:
        d = to_dict(i)
        d["places"] = [_place(p) for p in d["places"]]
        d["article_ids"] = [a for a in d["article_ids"] if a in art_ids]
        d["mentions"] = [m for m in d["mentions"] if m["article_id"] in art_ids]
        d["follows_from"] = [x for x in d["follows_from"] if x in inc_ids]
        return d

    clusters = [to_dict(c) for c in fusion.quote_clusters if set(c.article_ids) & art_ids]
    cluster_ids = {c["id"] for c in clusters}
    disputes = [
        to_dict(d) for d in fusion.disputes
        if (d.incident_id in inc_ids) or (d.quote_cluster_id in cluster_ids)
        or (d.incident_id is None and d.quote_cluster_id is None and any(set(s.article_ids) & art_ids for s in d.sides))
    ]
    places: dict[str, dict[str, Any]] = {}
    for i in incidents:
        for p in i.places:
            key = p.gazetteer_id or f"{p.resolved_name or p.name}|{p.country_code}"
            entry = places.setdefault(key, {**_place(to_dict(p)), "id": key, "incident_ids": []})
            entry["incident_ids"].append(i.id)

    def fused_extra(kind: str) -> list[dict[str, Any]]:
        recs = store.fused(kind)
        if keep_articles is None and not since:
            return recs
        return [r for r in recs if not r.get("article_ids") or set(r["article_ids"]) & art_ids]

    doc = {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "trucewatch_version": __version__,
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "filters": {"story_id": stories[0].id if story_id is not None else None, "since": since},
        # An article's url is exported only when it is a web address (never javascript:, data: ...): readers link it.
        "articles": [{k: (list(v) if isinstance(v := getattr(a, k), tuple) else link_url(v) if k == "url" else v)
                      for k in _ARTICLE_KEYS} for a in articles],
        "actors": actors,
        "quotes": quotes,
        "claims": claims,
        "events": events,
        "incidents": [incident_dict(i) for i in incidents],
        "disputes": disputes,
        "stories": [
            {**to_dict(s), "article_ids": [a for a in s.article_ids if a in art_ids],
             "incident_ids": [x for x in s.incident_ids if x in inc_ids]}
            for s in stories if set(s.article_ids) & art_ids
        ],
        "copies": [to_dict(g) for g in fusion.copies if set(g.article_ids) & art_ids],
        "quote_clusters": clusters,
        "places": sorted(places.values(), key=lambda p: p["id"]),
        "agreements": fused_extra("agreement"),
        "violations": fused_extra("violation"),
    }
    return doc
