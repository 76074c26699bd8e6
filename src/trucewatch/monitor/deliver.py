"""Delivering alerts: a JSONL log and webhooks (HTTP POST of JSON, with retry), each alert once.

Each alert has one delivery row per target (``jsonl:PATH``, ``webhook:URL``) made in the same
transaction as the alert, so an alert recorded before a crash is delivered after the restart.

* JSONL: before appending, the ids already in the file are read, so an alert written just before
  a crash (and not yet marked delivered) is not written twice.
* Webhook: the body is the alert as JSON; the headers ``Idempotency-Key`` and
  ``X-Trucewatch-Alert`` carry the alert id. A 2xx answer delivers it; a 5xx, 408, 429 or a network
  error is retried (:data:`RETRY_DELAYS` within the round, then again next round); another 4xx
  marks it refused. A receiver that keys on the alert id never counts an alert twice, even when an
  answer was lost after it had stored the alert.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..ingest import refused_address
from ..settings import Settings

__all__ = ["DeliveryReport", "RETRY_DELAYS", "deliver_pending", "jsonl_target", "post_alert", "webhook_target"]

#: Seconds between the tries of one webhook POST within a round (then the next round tries again).
RETRY_DELAYS = (0.5, 1.0, 2.0)


def jsonl_target(path: str | Path) -> str:
    return f"jsonl:{Path(path).expanduser().resolve()}"


def webhook_target(url: str) -> str:
    return f"webhook:{url}"


@dataclass
class DeliveryReport:
    delivered: int = 0
    pending: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def _jsonl_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    ids = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line from a crash, or a line someone added: not one of ours
    return ids


def post_alert(url: str, alert: Mapping[str, Any], client: httpx.Client, settings: Settings,
               sleep: Callable[[float], None] = time.sleep) -> tuple[str, str | None]:
    """POST ``alert`` to ``url`` with retries: ``("delivered" | "pending" | "refused", error)``."""
    parts = urlsplit(url)
    if not settings.allow_private and parts.hostname:
        why = refused_address(parts.hostname, parts.port)
        if why:
            return "refused", why
    body = json.dumps(alert, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "Idempotency-Key": alert["id"], "X-Trucewatch-Alert": alert["id"],
               "User-Agent": settings.user_agent}
    error = None
    for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
        if delay:
            sleep(delay)
        try:
            r = client.post(url, content=body, headers=headers, timeout=settings.timeout)
        except httpx.HTTPError as e:
            error = f"{type(e).__name__}: {e}"
            continue
        if 200 <= r.status_code < 300:
            return "delivered", None
        error = f"HTTP {r.status_code} {r.reason_phrase}"
        if 400 <= r.status_code < 500 and r.status_code not in (408, 429):
            return "refused", error
    return "pending", error


def deliver_pending(store: Any, settings: Settings, client: httpx.Client, *, now: str,
                    sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Deliver every pending alert to its target and record each outcome in the store."""
    report = DeliveryReport()
    in_file: dict[str, set[str]] = {}
    for target, alert, _attempts in store.pending_deliveries():
        kind, _, where = target.partition(":")
        if kind == "jsonl":
            path = Path(where)
            ids = in_file.setdefault(where, _jsonl_ids(path))
            if alert["id"] not in ids:
                try:
                    with path.open("a", encoding="utf-8") as fh:
                        fh.write(json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n")
                except OSError as e:
                    report.pending += 1
                    report.errors.append(f"{where}: {e.strerror or e}")
                    store.mark_delivery(alert["id"], target, delivered=False, error=str(e))
                    continue
                ids.add(alert["id"])
            store.mark_delivery(alert["id"], target, delivered=True, at=now)
            report.delivered += 1
        elif kind == "webhook":
            status, error = post_alert(where, alert, client, settings, sleep=sleep)
            if status == "delivered":
                store.mark_delivery(alert["id"], target, delivered=True, at=now)
                report.delivered += 1
            else:
                store.mark_delivery(alert["id"], target, delivered=False, error=error, refused=status == "refused")
                report.refused += status == "refused"
                report.pending += status == "pending"
                report.errors.append(f"{where}: {error}")
    return report
