"""The store's part of ``trucewatch watch``: source and item state, rounds, changes, alerts, deliveries.

:class:`WatchMixin` is mixed into :class:`~trucewatch.store.Store`; the tables are made by
migration 0006 (SQLite and PostgreSQL). Everything a round decides is written by
:meth:`WatchMixin.commit_watch_round` in one transaction (the round, its changes, its alerts,
their pending deliveries and the new snapshot of what was seen), so a watch killed at any
point and started again computes the same round again and records each change once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import zlib

from sqlalchemy import Column, Integer, LargeBinary, String, Table, Text, delete, func, insert, select, update

from ..records import RawInput
from .tables import metadata

__all__ = ["WatchMixin", "alert", "alert_delivery", "watch_change", "watch_item", "watch_round", "watch_seen", "watch_source"]

#: One row per watched source (feed, URL list or page): conditional-GET validators and back-off.
watch_source = Table(
    "watch_source",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_attempt_at", String(32)),
    Column("last_checked_at", String(32)),
    Column("last_ok_at", String(32)),
    Column("last_error", Text),
)

#: One row per item of a source (a feed entry or a listed URL), so nothing is fetched twice.
watch_item = Table(
    "watch_item",
    metadata,
    Column("source_id", String(16), primary_key=True),
    Column("key_hash", String(16), primary_key=True),
    Column("item_key", Text, nullable=False),
    Column("url", Text),
    Column("status", String(16), nullable=False),  # fetched | added | duplicate | skipped | failed | gave-up
    Column("attempts", Integer, nullable=False, default=0),
    Column("article_id", String(32)),
    Column("reason", Text),
    Column("first_seen_at", String(32), nullable=False),
    Column("last_tried_at", String(32), nullable=False),
    # A fetched item's raw input until it is ingested (zlib), so a crash in between never fetches it again.
    Column("fmt", String(16)),
    Column("data", LargeBinary),
    Column("fields_json", Text),
)

#: One row per finished round, with its summary as JSON.
watch_round = Table(
    "watch_round",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
    Column("summary_json", Text, nullable=False),
)

#: The snapshot the next round compares with: per record kind and lineage, its current id and digest.
watch_seen = Table(
    "watch_seen",
    metadata,
    Column("kind", String(24), primary_key=True),
    Column("lineage", String(40), primary_key=True),
    Column("record_id", String(40), nullable=False),
    Column("digest_json", Text, nullable=False),
)

#: Every change a round found (new incident, grade changed ...), alert or not.
watch_change = Table(
    "watch_change",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("round", Integer, nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("record_kind", String(24), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("data_json", Text, nullable=False),
)

#: Changes that matched at least one alert rule (the alert id is the change id).
alert = Table(
    "alert",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("round", Integer, nullable=False),
    Column("at", String(32), nullable=False, index=True),
    Column("kind", String(24), nullable=False),
    Column("data_json", Text, nullable=False),
)

#: Where each alert goes (``jsonl:PATH``, ``webhook:URL``) and whether it got there.
alert_delivery = Table(
    "alert_delivery",
    metadata,
    Column("alert_id", String(40), primary_key=True),
    Column("target", String(512), primary_key=True),
    Column("status", String(16), nullable=False),  # pending | delivered | refused
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("delivered_at", String(32)),
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class WatchMixin:
    """Reads and writes of the watch tables (see the module docstring)."""

    engine: Any

    # ------------------------------------------------------------------ sources and items

    def watch_sources(self) -> dict[str, dict[str, Any]]:
        """Source id -> its state row (validators, failures, next attempt)."""
        with self.engine.connect() as conn:
            return {r._mapping["id"]: dict(r._mapping) for r in conn.execute(select(watch_source))}

    def save_watch_source(self, row: Mapping[str, Any]) -> None:
        """Insert or update the state of one source (``row`` has every column of ``watch_source``)."""
        c = watch_source.c
        with self.engine.begin() as conn:
            if conn.execute(select(c.id).where(c.id == row["id"])).first():
                conn.execute(update(watch_source).where(c.id == row["id"]).values(**row))
            else:
                conn.execute(insert(watch_source).values(**row))

    def watch_items(self, source_id: str) -> dict[str, dict[str, Any]]:
        """Item key hash -> item row, for one source."""
        c = watch_item.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_item).where(c.source_id == source_id))
            return {r._mapping["key_hash"]: dict(r._mapping) for r in rows}

    def keep_watch_item(self, row: Mapping[str, Any], raw: RawInput) -> None:
        """Store a just-fetched item (status ``fetched``) with its raw input, before it is ingested."""
        self.save_watch_items([{**row, "status": "fetched", "fmt": raw.fmt, "data": zlib.compress(raw.data, 6),
                                "fields_json": _dumps({"fields": dict(raw.fields), "url": raw.url, "source": raw.source,
                                                       "outlet": raw.outlet})}])

    def fetched_watch_items(self, source_id: str) -> list[tuple[str, RawInput]]:
        """(item key, raw input) of the items of a source fetched but not yet ingested."""
        c = watch_item.c
        q = select(c.item_key, c.fmt, c.data, c.fields_json).where(c.source_id == source_id, c.status == "fetched")
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(c.first_seen_at, c.key_hash)).all()
        out = []
        for key, fmt, data, meta in rows:
            m = json.loads(meta)
            out.append((key, RawInput(m["source"], fmt, zlib.decompress(data), fields=m["fields"], url=m["url"], outlet=m["outlet"])))
        return out

    def save_watch_items(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert or update item rows (one transaction)."""
        c = watch_item.c
        with self.engine.begin() as conn:
            for row in rows:
                where = (c.source_id == row["source_id"]) & (c.key_hash == row["key_hash"])
                if conn.execute(select(c.key_hash).where(where)).first():
                    conn.execute(update(watch_item).where(where).values(**row))
                else:
                    conn.execute(insert(watch_item).values(**row))

    # ------------------------------------------------------------------ rounds, snapshot, changes

    def next_watch_round(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(watch_round.c.seq))).scalar() or 0) + 1

    def watch_rounds(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest rounds, newest first, each with its summary."""
        q = select(watch_round).order_by(watch_round.c.seq.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [{**dict(r._mapping), "summary": json.loads(r._mapping["summary_json"])} for r in conn.execute(q)]

    def watch_seen(self) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
        """(kind, lineage) -> (current record id, digest) of the last committed round."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_seen))
            return {(r.kind, r.lineage): (r.record_id, json.loads(r.digest_json)) for r in rows}

    def commit_watch_round(
        self,
        seq: int,
        started_at: str,
        finished_at: str,
        summary: Mapping[str, Any],
        changes: Iterable[Mapping[str, Any]],
        alerts: Iterable[Mapping[str, Any]],
        targets: Iterable[str],
        seen: Mapping[tuple[str, str], tuple[str, Mapping[str, Any]]],
    ) -> None:
        """Record one round in one transaction: the round, its changes, its alerts with a pending
        delivery per target, and the new snapshot. A change or alert already recorded (same id) is
        kept as it was."""
        targets = list(targets)
        changes, alerts = list(changes), list(alerts)

        def existing(conn, table, ids: list[str]) -> set[str]:
            found: set[str] = set()
            for i in range(0, len(ids), 500):
                found.update(conn.execute(select(table.c.id).where(table.c.id.in_(ids[i:i + 500]))).scalars())
            return found

        with self.engine.begin() as conn:
            conn.execute(insert(watch_round).values(seq=seq, started_at=started_at, finished_at=finished_at,
                                                    summary_json=_dumps(summary)))
            known = existing(conn, watch_change, [c["id"] for c in changes])
            for ch in changes:
                if ch["id"] in known:
                    continue
                known.add(ch["id"])
                conn.execute(insert(watch_change).values(
                    id=ch["id"], round=seq, at=finished_at, kind=ch["kind"], record_kind=ch["record_kind"],
                    record_id=ch["record_id"], data_json=_dumps(ch)))
            have = existing(conn, alert, [a["id"] for a in alerts])
            for al in alerts:
                if al["id"] in have:
                    continue
                have.add(al["id"])
                conn.execute(insert(alert).values(id=al["id"], round=seq, at=finished_at, kind=al["kind"],
                                                  data_json=_dumps({**al, "at": finished_at, "round": seq})))
                for target in targets:
                    conn.execute(insert(alert_delivery).values(alert_id=al["id"], target=target, status="pending", attempts=0))
            conn.execute(delete(watch_seen))
            rows = [{"kind": k, "lineage": lin, "record_id": rid, "digest_json": _dumps(dig)}
                    for (k, lin), (rid, dig) in seen.items()]
            for i in range(0, len(rows), 500):
                conn.execute(insert(watch_seen), rows[i:i + 500])

    def watch_changes(self, rounds: int = 10) -> list[dict[str, Any]]:
        """The changes of the latest ``rounds`` rounds, newest round first, as recorded."""
        c = watch_change.c
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(c.round))).scalar() or 0
            rows = conn.execute(select(c.data_json, c.round, c.at).where(c.round > last - rounds)
                                .order_by(c.round.desc(), c.kind, c.id)).all()
        return [{**json.loads(r[0]), "round": r[1], "at": r[2]} for r in rows]

    # ------------------------------------------------------------------ alerts and deliveries

    def alerts(self, since: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Alerts (oldest first), each as recorded (with ``at`` and ``round``); ``since`` an ISO date or time."""
        q = select(alert.c.data_json).order_by(alert.c.at, alert.c.id)
        if since:
            q = q.where(alert.c.at >= since)
        with self.engine.connect() as conn:
            out = [json.loads(r[0]) for r in conn.execute(q)]
        return out[-limit:] if limit else out

    def pending_deliveries(self) -> list[tuple[str, dict[str, Any], int]]:
        """(target, alert, attempts so far) for every delivery not yet made, oldest alert first."""
        d = alert_delivery.c
        q = (select(d.target, alert.c.data_json, d.attempts).join(alert, alert.c.id == d.alert_id)
             .where(d.status == "pending").order_by(alert.c.at, alert.c.id))
        with self.engine.connect() as conn:
            return [(r[0], json.loads(r[1]), int(r[2])) for r in conn.execute(q)]

    def mark_delivery(self, alert_id: str, target: str, *, delivered: bool, error: str | None = None, at: str | None = None,
                      refused: bool = False) -> None:
        """Record one delivery try: delivered, still pending, or ``refused`` (not tried again)."""
        d = alert_delivery.c
        status = "delivered" if delivered else "refused" if refused else "pending"
        with self.engine.begin() as conn:
            conn.execute(update(alert_delivery).where(d.alert_id == alert_id, d.target == target).values(
                status=status, attempts=d.attempts + 1, last_error=error,
                delivered_at=at if delivered else None))

    def deliveries(self, alert_id: str | None = None) -> list[dict[str, Any]]:
        q = select(alert_delivery).order_by(alert_delivery.c.alert_id, alert_delivery.c.target)
        if alert_id:
            q = q.where(alert_delivery.c.alert_id == alert_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]
