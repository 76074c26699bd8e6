"""Monitor: ``trucewatch watch``'s pieces: polling sources, finding what changed, alert rules, deliveries.

::

    poll.py     source + stored state -> SourceOutcome (new raw inputs, 304, failure)   (I/O edge)
    changes.py  snapshot + fused records -> changes + new snapshot                     (pure)
    rules.py    alerts YAML -> AlertConfig; facts of a change -> matching rule names    (pure)
    service.py  a round's bookkeeping in the store's watch tables
    deliver.py  pending alerts -> JSONL log, webhooks (retry, each alert once)

:func:`trucewatch.pipeline.watch_round` puts them in order. See docs/monitoring.md.
"""

from __future__ import annotations

from .changes import KINDS, diff, grade_of, incident_digest
from .deliver import DeliveryReport, deliver_pending, jsonl_target, post_alert, webhook_target
from .poll import HostPacer, SourceOutcome, backoff_seconds, parse_duration, poll_source, polite_client, source_id, utc_now
from .rules import AlertConfig, Rule, load_alert_config, matching_rules, parse_alert_config
from .service import RoundReport, detect, item_failures, poll_all, raw_results, record_items

__all__ = [
    "AlertConfig",
    "DeliveryReport",
    "HostPacer",
    "KINDS",
    "RoundReport",
    "Rule",
    "SourceOutcome",
    "backoff_seconds",
    "deliver_pending",
    "detect",
    "diff",
    "grade_of",
    "incident_digest",
    "item_failures",
    "jsonl_target",
    "load_alert_config",
    "matching_rules",
    "parse_alert_config",
    "parse_duration",
    "poll_all",
    "poll_source",
    "polite_client",
    "post_alert",
    "raw_results",
    "record_items",
    "source_id",
    "utc_now",
    "webhook_target",
]
