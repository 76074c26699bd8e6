"""Human review: decisions on violations, incidents, quotes, claims and agreements (append-only).

A decision is a :class:`~trucewatch.records.Review` keyed by the deterministic id of its target, so
it is re-applied after every ``analyze --force`` and ``fuse``:

=============  ===========================  ==========================================================
target_kind    action                       value
=============  ===========================  ==========================================================
violation      investigate                  (none): reported -> under investigation
violation      verify                       the party it is attributed to, or ``unattributed``
                                            (could not be attributed): under investigation -> verified
violation      discount                     (none): under investigation -> discounted
violation      confirm / reject / reopen    (none; confirm/reject verify/discount in one step,
                                            reopen goes back to reported)
violation      annotate                     (none; the note is ``reason``)
incident       merge                        the other incident id(s) (fusion puts them in one incident)
incident       split                        event id(s) or article id(s) of mentions to detach (or
                                            ``ARTICLE_ID:EVENT_ID``); fusion makes them a new incident
incident       annotate                     (none)
quote          set-speaker                  the speaker's name
claim          set-figure                   a number, or ``low-high``
agreement      declare                      the declaration as JSON (docs/agreements.md)
agreement      correct                      the fields to change, as JSON
agreement      reject / annotate            (none)
=============  ===========================  ==========================================================

Every decision carries who (``settings.reviewer`` or the login name), when (UTC) and why.

The verification workflow follows the monitoring missions' practice (an allegation is reported,
investigated, then verified, attributed to a party or recorded as not attributable, or discounted);
each violation's ``verification`` and ``attributed_to`` are computed from its decisions in log order,
so they survive ``analyze --force`` and every re-fusion.
"""

from __future__ import annotations

import getpass
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from ..errors import ConfigError, NotFoundError, ReviewError
from ..records import Review, Violation, from_dict, stable_id, to_dict
from .declared import Declaration, parse_declaration

__all__ = [
    "ACTIONS",
    "UNATTRIBUTED",
    "apply_review",
    "declarations_from_reviews",
    "split_ids",
    "make_review",
    "parse_figure",
    "reviewed_violations",
    "reviewer_name",
]

ACTIONS: dict[str, tuple[str, ...]] = {
    "violation": ("confirm", "reject", "reopen", "annotate", "investigate", "verify", "discount"),
    "incident": ("merge", "split", "annotate"),
    "quote": ("set-speaker", "annotate"),
    "claim": ("set-figure", "annotate"),
    "agreement": ("declare", "correct", "reject", "annotate"),
}
_NEEDS_VALUE = {"merge", "split", "set-speaker", "set-figure", "declare", "correct", "verify"}
_STATUS_OF = {"confirm": "confirmed", "reject": "rejected", "reopen": "unreviewed", "verify": "confirmed",
              "discount": "rejected", "investigate": "unreviewed"}
#: The verification state each violation decision leads to.
_VERIFICATION_OF = {"investigate": "under investigation", "verify": "verified", "discount": "discounted",
                    "confirm": "verified", "reject": "discounted", "reopen": "reported"}
#: The states from which each workflow step may be taken (confirm, reject, reopen: from any state).
_STEP_FROM = {"investigate": ("reported",), "verify": ("under investigation",), "discount": ("under investigation",)}
#: ``attributed_to`` of a violation verified as not attributable to any party.
UNATTRIBUTED = "could not be attributed"
_UNATTRIBUTED_WORDS = {"unattributed", "none", "could not be attributed", "not attributed", "unknown"}


def reviewer_name(configured: str = "") -> str:
    """The name recorded with decisions: the ``reviewer`` setting, else the login name."""
    if configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def parse_figure(value: str) -> float:
    """The number in ``value`` (``"12"``, ``"1,200"``); raises ReviewError otherwise."""
    v = value.strip().replace(",", "")
    try:
        x = float(v)
    except ValueError:
        raise ReviewError(f"A figure must be a number such as 12, not {value!r}.") from None
    if x < 0 or x != x:
        raise ReviewError(f"A figure must be a number of at least 0, not {value!r}.")
    return x


def make_review(
    target_kind: str,
    target_id: str,
    action: str,
    *,
    reason: str,
    value: str | None = None,
    reviewer: str = "",
    at: str | None = None,
) -> Review:
    """A validated :class:`Review` (shape only; :func:`apply_review` checks the target exists)."""
    if target_kind not in ACTIONS:
        raise ReviewError(f"Cannot review a {target_kind!r}; reviewable kinds are {', '.join(ACTIONS)}.")
    if action not in ACTIONS[target_kind]:
        raise ReviewError(f"A {target_kind} can be reviewed with {', '.join(ACTIONS[target_kind])}, not {action!r}.")
    if not target_id or not target_id.strip():
        raise ReviewError("A review needs the id of what it is about.")
    if not reason or not reason.strip():
        raise ReviewError("Every review decision needs a reason (--reason \"...\"): the audit log records why.")
    if action in _NEEDS_VALUE and not (value or "").strip():
        raise ReviewError(f"The {action} action needs a value (see `trucewatch review --help`).")
    if action not in _NEEDS_VALUE and value:
        raise ReviewError(f"The {action} action takes no value; put notes in the reason.")
    if action == "set-figure":
        parse_figure(value or "")
    if action in ("merge", "split"):
        value = " ".join(split_ids(value))
    if action == "verify":
        value = UNATTRIBUTED if (value or "").strip().casefold() in _UNATTRIBUTED_WORDS else (value or "").strip()
    if action in ("declare", "correct"):
        try:
            parse_declaration(json.loads(value or ""), f"review of agreement {target_id}")
        except (ValueError, ConfigError) as e:
            raise ReviewError(f"The agreement {action} value is not a valid declaration: {e}") from None
    when = at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    who = reviewer_name(reviewer)
    rid = stable_id(target_kind, target_id, action, value or "", who, when, reason, prefix="rev-")
    return Review(rid, target_kind, target_id.strip(), action, value, who, reason.strip(), when)


def _exists(store: Any, kind: str, record_id: str) -> bool:
    try:
        store.fused_one(kind, record_id)
        return True
    except NotFoundError:
        return False


def _find_in_analyses(store: Any, kind: str, record_id: str) -> bool:
    for an in store.iter_analyses():
        items = an.quotes if kind == "quote" else an.claims
        if any(x.id == record_id for x in items):
            return True
    return False


def apply_review(store: Any, review: Review) -> Review:
    """Check that ``review``'s target exists, append it to the store's review log, refresh violations.

    Decisions on violations show at once (the stored violation records are updated); decisions on
    incidents, quotes, claims and agreements take effect at the next fusion (``pipeline.fuse`` /
    ``pipeline.agree``), which the CLI and the web app run right after. Raises ReviewError.
    """
    kind, tid = review.target_kind, review.target_id
    make_review(kind, tid, review.action, reason=review.reason, value=review.value, reviewer=review.reviewer, at=review.at)
    if kind == "violation" and not _exists(store, "violation", tid):
        raise ReviewError(f"No alleged violation {tid!r} in the store; `trucewatch review --list` lists them.")
    if kind == "violation" and review.action in _STEP_FROM:
        now = store.fused_one("violation", tid).get("verification") or "reported"
        if now not in _STEP_FROM[review.action]:
            hint = {"reported": "investigate it first (--investigate)",
                    "under investigation": "verify or discount it (--verify PARTY, --unattributed, --discount)"}.get(
                        now, "reopen it first (--reopen)")
            raise ReviewError(f"Violation {tid} is {now}; {review.action} applies to a violation "
                              f"{' or '.join(_STEP_FROM[review.action])}: {hint}.")
    if kind == "incident":
        if not _exists(store, "incident", tid):
            raise ReviewError(f"No incident {tid!r} in the store; run `trucewatch fuse` first or check the id.")
        if review.action == "merge":
            for other in split_ids(review.value):
                if other == tid:
                    raise ReviewError("An incident cannot be merged with itself.")
                if not _exists(store, "incident", other):
                    raise ReviewError(f"No incident {other!r} to merge with; `trucewatch incidents` lists them.")
        if review.action == "split":
            inc = store.fused_one("incident", tid)
            mentions = inc.get("mentions", [])
            known = {m.get("event_id") for m in mentions} | {m.get("article_id") for m in mentions}
            wanted = split_ids(review.value)
            missing = [w for w in wanted if w not in known]
            if missing or len(set(wanted) & known) == 0:
                raise ReviewError(f"Incident {tid} has no mention or article {', '.join(missing) or review.value}; "
                                  "give the event id(s) or article id(s) of the mentions to detach.")
    if kind in ("quote", "claim") and not _find_in_analyses(store, kind, tid):
        raise ReviewError(f"No {kind} {tid!r} in any analysis; `trucewatch show ARTICLE --analysis` lists the ids.")
    if kind == "agreement" and review.action != "declare" and not _exists(store, "agreement", tid):
        raise ReviewError(f"No agreement {tid!r} in the store; `trucewatch agreements` lists them.")
    store.append_review(review)
    if kind == "violation":
        stored = store.fused("violation")
        reviews = [r for r in store.reviews() if r.target_kind == "violation"]
        updated = reviewed_violations([from_dict(Violation, d) for d in stored], reviews)
        store.replace_fused("violation", [to_dict(v) for v in updated])
    return review


def reviewed_violations(violations: Iterable[Violation], reviews: Iterable[Review]) -> list[Violation]:
    """``violations`` with their decisions (oldest first) and the review status of the latest verdict."""
    by_target: dict[str, list[Review]] = defaultdict(list)
    for r in reviews:
        if r.target_kind == "violation":
            by_target[r.target_id].append(r)
    out = []
    for v in violations:
        decisions = tuple(by_target.get(v.id, ()))
        status, state, party = "unreviewed", "reported", None
        for r in decisions:
            status = _STATUS_OF.get(r.action, status)
            if r.action in _VERIFICATION_OF:
                state = _VERIFICATION_OF[r.action]
                party = (r.value or None) if r.action == "verify" else None
        out.append(replace(v, decisions=decisions, review_status=status, verification=state, attributed_to=party))
    return out


def declarations_from_reviews(reviews: Iterable[Review]) -> list[Declaration]:
    """Agreement decisions in the review log as declarations, in log order."""
    out = []
    for r in reviews:
        if r.target_kind != "agreement":
            continue
        where = f"review {r.id}"
        if r.action in ("declare", "correct"):
            try:
                data = json.loads(r.value or "{}")
                if r.action == "correct":
                    data = {**data, "id": r.target_id}
                else:
                    data.setdefault("id", r.target_id)
                dec = parse_declaration(data, where)
            except (ValueError, ConfigError, TypeError):
                continue  # validated when recorded; a value this version cannot read is skipped, not fatal
            out.append(replace(dec, by_id_only=r.action == "correct"))
        elif r.action == "reject":
            out.append(Declaration(id=r.target_id, drop=True, reason=r.reason, source=where, by_id_only=True))
    return out


def split_ids(value: str | None) -> list[str]:
    """The ids in a merge/split value: separated by spaces, commas or semicolons.

    A split also accepts ``ARTICLE_ID:EVENT_ID`` and keeps the event id (fusion matches mentions by
    event id or article id).
    """
    out = []
    for v in re.split(r"[\s,;]+", value or ""):
        if v:
            out.append(v.split(":", 1)[1] if ":" in v else v)
    return out
