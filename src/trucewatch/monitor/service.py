"""The bookkeeping of one ``watch`` round: source and item state in, changes and alerts out.

:func:`trucewatch.pipeline.watch_round` puts these in order (poll, ingest, analyze, fuse, detect,
deliver); each function here reads or writes the store's watch tables (store/_watch.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..records import RawInput, Skip
from ..settings import Settings
from .changes import diff, new_incident_change
from .poll import SourceOutcome, backoff_seconds, item_hash, later, poll_source, source_id
from .rules import AlertConfig, facts_for, matching_rules

__all__ = ["RoundReport", "detect", "poll_all", "record_items"]


@dataclass
class RoundReport:
    """What one round did (printed as the round summary; kept as JSON in ``watch_round``)."""

    round: int
    started_at: str
    finished_at: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)  # per source: status, reason, new, known, failed items
    fetched: int = 0  # sources that answered with content
    unchanged: int = 0  # sources that answered 304 or whose file did not change
    failed: int = 0  # sources that failed this round
    waiting: int = 0  # sources backing off
    new: int = 0  # articles added
    duplicates: int = 0
    items_failed: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    analyzed: int = 0
    changes: int = 0
    alerts: int = 0
    delivered: int = 0
    delivery_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: poll, ingest, analyze, fuse, detect, deliver

    def summary(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def line(self) -> str:
        """The one-line summary of the round."""
        text = (f"round {self.round}: {self.fetched} fetched, {self.new} new, {self.unchanged} unchanged, "
                f"{self.failed} failed, {self.waiting} waiting; {self.changes} change(s), {self.alerts} alert(s)")
        return text + (f", {self.delivered} delivered" if self.delivered else "")


def poll_all(sources: Sequence[str], settings: Settings, store: Any, client, now: datetime, report: RoundReport,
             progress=None) -> list[tuple[SourceOutcome, str]]:
    """Poll every source (skipping those backing off), update their stored state, fill ``report``.

    Returns ``(outcome, source id)`` per source polled."""
    states = store.watch_sources()
    out = []
    stamp = now.isoformat(timespec="seconds")
    for n, source in enumerate(dict.fromkeys(sources), 1):
        sid = source_id(source)
        state = states.get(sid)
        seen = store.watch_items(sid)

        def keep(key: str, raw: RawInput, sid=sid, seen=seen) -> None:
            store.keep_watch_item(_item_row(sid, key, raw.url or raw.source, seen.get(item_hash(key)) or {}, stamp), raw)

        outcome = poll_source(source, client, settings, state=state, seen=seen, now=now, keep=keep)
        # What this round fetched, and what an interrupted round fetched but did not ingest.
        outcome.inputs = store.fetched_watch_items(sid)
        row = dict(state or {"id": sid, "source": source, "etag": None, "last_modified": None, "failures": 0,
                             "next_attempt_at": None, "last_ok_at": None, "last_error": None})
        if outcome.status == "waiting":
            report.waiting += 1
        elif outcome.status == "failed":
            report.failed += 1
            row["failures"] = int(row.get("failures") or 0) + 1
            row["last_error"] = outcome.reason
            row["next_attempt_at"] = later(now, backoff_seconds(row["failures"], settings))
            row["last_checked_at"] = stamp
        else:
            report.fetched += outcome.status == "fetched"
            report.unchanged += outcome.status == "unchanged"
            row.update(failures=0, last_error=None, next_attempt_at=None, last_checked_at=stamp, last_ok_at=stamp,
                       etag=outcome.etag, last_modified=outcome.last_modified)
        if outcome.status != "waiting":
            store.save_watch_source(row)
        report.sources.append({"source": source, "status": outcome.status, "reason": outcome.reason,
                               "new_items": len(outcome.inputs), "known_items": outcome.known,
                               "failed_items": len(outcome.item_failures)})
        if progress is not None:
            progress(n, len(sources), source, outcome.status)
        out.append((outcome, sid))
    return out


def record_items(store: Any, settings: Settings, sid: str, results: Iterable[tuple[str, str, str | None, str | None, str | None]],
                 now: datetime) -> None:
    """Store what happened to each item: ``(key, status, url, article id, reason)``. A failed item
    counts an attempt; after ``settings.watch_item_attempts`` it is given up (not fetched again)."""
    seen = store.watch_items(sid)
    stamp = now.isoformat(timespec="seconds")
    rows = []
    for key, status, url, article_id, reason in results:
        row = _item_row(sid, key, url, seen.get(item_hash(key)) or {}, stamp)
        if status == "failed" and row["attempts"] >= max(1, settings.watch_item_attempts):
            status = "gave-up"
        rows.append({**row, "status": status, "article_id": article_id, "reason": reason, "fmt": None, "data": None,
                     "fields_json": None})
    if rows:
        store.save_watch_items(rows)


def _item_row(sid: str, key: str, url: str | None, old: Mapping[str, Any], stamp: str) -> dict[str, Any]:
    attempts = int(old.get("attempts") or 0) + (0 if old.get("status") == "fetched" else 1)
    return {"source_id": sid, "key_hash": item_hash(key), "item_key": key, "url": url, "attempts": attempts,
            "first_seen_at": old.get("first_seen_at") or stamp, "last_tried_at": stamp}


def item_failures(outcome: SourceOutcome) -> list[tuple[str, str, str | None, str | None, str | None]]:
    return [(key, "failed", skip.source, None, skip.reason) for key, skip in outcome.item_failures]


def _actor_names(store: Any) -> dict[str, list[str]]:
    return {a["id"]: [a.get("name") or "", *(a.get("aliases") or ()), a.get("country") or ""] for a in store.fused("actor")}


def _summary(change: Mapping[str, Any], inc: Mapping[str, Any] | None, rec: Mapping[str, Any]) -> str:
    inc = inc or {}
    where = ", ".join(dict.fromkeys(p.get("resolved_name") or p.get("name") for p in inc.get("places") or ()))
    what = f"{inc.get('type') or '?'} on {inc.get('date_start') or '?'}" + (f" at {where}" if where else "")
    k = change["kind"]
    if k == "new_incident":
        return f"{'Incident now matches the alert rules' if change.get('late') else 'New incident'}: {what}."
    if k == "new_violation":
        return f"New alleged violation: {', '.join(rec.get('accused') or ['?'])} accused; {what}."
    if k == "new_dispute":
        return f"New {rec.get('kind')} dispute: {rec.get('summary') or ''}".strip()
    if k == "grade_changed":
        return f"Grade changed from {change.get('old_grade')} to {change.get('new_grade')}: {what}."
    if k == "new_casualty_figure":
        return (f"New {change.get('category')} figure {change.get('new_value'):g}"
                f"{' (was %g)' % change['old_value'] if change.get('old_value') is not None else ''}: {what}.")
    return f"New claimant {change.get('claimant')}: {what}."


def detect(store: Any, config: AlertConfig, round_no: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict]:
    """Compare the stored fusion with the last snapshot: ``(changes, alerts, new snapshot)``.

    Each alert is its change plus a summary, the matched rules, its record's facts and sources. An
    incident is alerted as new once: when first seen if it matches a rule then, else in the first
    round in which it does (its type, place or casualty figures changed), with the same alert id."""
    incidents = store.fused("incident")
    violations = store.fused("violation")
    disputes = store.fused("dispute")
    changes, snapshot = diff(store.watch_seen(), incidents, violations, disputes, round_no=round_no)
    by_inc = {i["id"]: i for i in incidents}
    vio_of: dict[str, list] = {}
    for v in violations:
        vio_of.setdefault(v.get("incident_id"), []).append(v)
    records = {"incident": by_inc, "violation": {v["id"]: v for v in violations}, "dispute": {d["id"]: d for d in disputes}}
    fresh = {c["lineage"] for c in changes if c["kind"] == "new_incident"}
    # Incidents seen before whose new_incident change never became an alert: they may qualify now.
    late = [new_incident_change(by_inc[rid], lin, late=True) for (kind, lin), (rid, dig) in sorted(snapshot.items())
            if kind == "incident" and not dig.get("alerted") and lin not in fresh]
    names = _actor_names(store) if changes or late else {}
    alerts = []
    for ch in [*changes, *late]:
        rec = records[ch["record_kind"]][ch["record_id"]]
        inc = by_inc.get(rec["id"] if ch["record_kind"] == "incident" else rec.get("incident_id"))
        vs = vio_of.get(inc["id"], []) if inc else []
        if ch["record_kind"] == "violation":
            vs = [rec]
        facts = facts_for(ch, inc, vs, rec if ch["record_kind"] == "dispute" else None, names)
        ch["summary"] = _summary(ch, inc, rec)
        rules = matching_rules(config, facts)
        if not rules:
            continue
        if ch["kind"] == "new_incident":
            snapshot[("incident", ch["lineage"])][1]["alerted"] = True
        alerts.append({**ch, "rules": rules, "incident_id": inc["id"] if inc else None,
                       "date": (inc or {}).get("date_start") or rec.get("date"), "type": (inc or {}).get("type"),
                       "places": sorted({p.get("resolved_name") or p.get("name") for p in (inc or {}).get("places") or ()}),
                       "parties": facts["parties"], "casualties": facts["casualties"],
                       "article_ids": list(rec.get("article_ids") or (inc or {}).get("article_ids") or ())})
    return changes, alerts, snapshot


def raw_results(inputs: Sequence[tuple[str, RawInput]], ingested: Mapping[str, tuple[str, str | None, str | None]]):
    """``(key, status, url, article id, reason)`` for each new input, from what ingest made of it
    (``ingested``: raw sha256 -> (status, article id, reason))."""
    for key, raw in inputs:
        status, aid, reason = ingested.get(raw.sha256, ("failed", None, "not ingested (interrupted)"))
        yield key, status, raw.url or raw.source, aid, reason


def skip_reason(x: Skip) -> str:
    return f"{x.source}: {x.reason}"
