"""Agreements declared or corrected by the user: the YAML agreements file and ``agreements add``.

Format (docs/agreements.md has the full reference; examples/agreements.yaml is an example)::

    agreements:
      - parties: [Thailand, Cambodia]      # country names, demonyms or ISO codes
        date_agreed: 2026-03-23
        kind: ceasefire
        mediators: [Malaysia]
        venue: Kuala Lumpur
        terms: [maintain the ceasefire]
        conditions: [{party: Thailand, text: holds only if there are no breaches}]
        status: [{status: collapsed, date: 2026-04-10, note: both sides withdrew}]
        drop: false                        # true: the extracted agreement it matches is wrong
        reason: why this declaration exists

A declaration *matches* an extracted agreement with the same ``id``, or with the same parties and a
``date_agreed`` within 3 days; its fields then replace the extracted ones (statuses are added).
Otherwise it is a new agreement. The same declarations can come from the review log (``agreements
add`` / ``agreements correct`` write ``Review(target_kind="agreement", action="declare"|"correct")``
whose ``value`` is the declaration as JSON).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ConfigError, read_yaml_file
from ..records import Agreement, AgreementStatus, stable_id
from . import _cues as cues
from ._text import country_code, country_name

__all__ = ["Declaration", "apply_declarations", "load_declared", "parse_declaration"]

_KEYS = {"id", "kind", "parties", "mediators", "venue", "date_agreed", "date_reported", "terms",
         "conditions", "status", "territory", "drop", "reason"}
MATCH_DAYS = 3


@dataclass(frozen=True, slots=True)
class Declaration:
    """One agreement declared or corrected by a user (fields left ``None`` are not changed)."""

    id: str | None = None
    kind: str | None = None
    parties: tuple[str, ...] | None = None
    mediators: tuple[str, ...] | None = None
    venue: str | None = None
    date_agreed: str | None = None
    date_reported: str | None = None
    terms: tuple[str, ...] | None = None
    conditions: tuple[tuple[str, str], ...] | None = None
    status: tuple[AgreementStatus, ...] = ()
    territory: tuple[str, ...] | None = None
    drop: bool = False
    reason: str = ""
    source: str = ""  # file and item, or "review <id>", for messages
    by_id_only: bool = False  # a logged correction: applies to the agreement with this id, if it still exists


def load_declared(path: str | Path | None) -> tuple[Declaration, ...]:
    """Declarations from the YAML agreements file at ``path`` (nothing when ``path`` is empty)."""
    if not path:
        return ()
    p = Path(path).expanduser()
    data = read_yaml_file(p, what="agreements file", setting="agreements_file", doc="docs/agreements.md")
    if data is None:
        return ()
    if not isinstance(data, Mapping) or set(data) - {"agreements"}:
        raise ConfigError(f"The agreements file {p} must be a mapping with one key, `agreements:` (a list); see docs/agreements.md.")
    items = data.get("agreements") or []
    if not isinstance(items, list):
        raise ConfigError(f"In {p}, `agreements:` must be a list of agreements; see docs/agreements.md.")
    return tuple(parse_declaration(item, f"{p} agreement #{i + 1}") for i, item in enumerate(items))


def _list(v: Any, where: str, key: str) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) for x in v):
        raise ConfigError(f"{where}: `{key}` must be a list of strings.")
    return tuple(str(x).strip() for x in v if str(x).strip())


def _date(v: Any, where: str, key: str) -> str | None:
    if v is None or v == "":
        return None
    try:
        return date.fromisoformat(str(v)[:10]).isoformat()
    except ValueError:
        raise ConfigError(f"{where}: `{key}` must be a date like 2026-03-23, not {v!r}.") from None


def parse_declaration(item: Any, where: str) -> Declaration:
    """A :class:`Declaration` from one mapping of the agreements file (or a review's JSON value)."""
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where} must be a mapping of fields (parties, date_agreed, ...); see docs/agreements.md.")
    unknown = set(item) - _KEYS
    if unknown:
        raise ConfigError(f"{where} has unknown field(s) {', '.join(sorted(map(str, unknown)))}; known fields: {', '.join(sorted(_KEYS))}.")
    parties = _list(item["parties"], where, "parties") if item.get("parties") is not None else None
    territory = None
    if item.get("territory") is not None:
        territory = tuple(sorted({_code(x, where, "territory") for x in _list(item["territory"], where, "territory")}))
    elif parties:
        codes = [country_code(p) for p in parties]
        territory = tuple(sorted({c for c in codes if c}))
    conditions = None
    if item.get("conditions") is not None:
        raw = item["conditions"]
        if not isinstance(raw, list):
            raise ConfigError(f"{where}: `conditions` must be a list of {{party: ..., text: ...}} mappings.")
        out = []
        for c in raw:
            if not isinstance(c, Mapping) or not c.get("party") or not c.get("text"):
                raise ConfigError(f"{where}: each condition needs `party` and `text`, got {c!r}.")
            out.append((_party_name(str(c["party"])), str(c["text"]).strip()))
        conditions = tuple(out)
    statuses = []
    for s in item.get("status") or []:
        if not isinstance(s, Mapping) or not s.get("status"):
            raise ConfigError(f"{where}: each status needs `status` (one of {', '.join(cues.STATUSES)}) and `date`.")
        label = cues.normalize_status(str(s["status"]))
        if label is None:
            raise ConfigError(f"{where}: unknown status {s['status']!r}; use one of {', '.join(cues.STATUSES)}.")
        statuses.append(AgreementStatus(label, _date(s.get("date"), where, "status.date"), None, "declared"))
    kind = item.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise ConfigError(f"{where}: `kind` must be a string such as ceasefire, truce or talks outcome.")
    drop = item.get("drop", False)
    if not isinstance(drop, bool):
        raise ConfigError(f"{where}: `drop` must be true or false.")
    ident = item.get("id")
    if ident is not None and (not isinstance(ident, str) or not ident.strip() or len(ident) > 40):
        raise ConfigError(f"{where}: `id` must be a short string (at most 40 characters).")
    return Declaration(
        id=ident,
        kind=kind,
        parties=tuple(_party_name(p) for p in parties) if parties is not None else None,
        mediators=tuple(_party_name(p) for p in _list(item["mediators"], where, "mediators")) if item.get("mediators") is not None else None,
        venue=str(item["venue"]) if item.get("venue") else None,
        date_agreed=_date(item.get("date_agreed"), where, "date_agreed"),
        date_reported=_date(item.get("date_reported"), where, "date_reported"),
        terms=_list(item["terms"], where, "terms") if item.get("terms") is not None else None,
        conditions=conditions,
        status=tuple(statuses),
        territory=territory,
        drop=drop,
        reason=str(item.get("reason") or ""),
        source=where,
    )


def _code(v: str, where: str, key: str) -> str:
    code = country_code(v)
    if code is None:
        raise ConfigError(f"{where}: `{key}` entry {v!r} is not a country name or ISO code.")
    return code


def _party_name(p: str) -> str:
    return country_name(country_code(p)) or p


def _close(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= MATCH_DAYS


def apply_declarations(agreements: Sequence[Agreement], declarations: Iterable[Declaration]) -> list[Agreement]:
    """``agreements`` with each declaration applied: matched ones corrected or dropped, new ones added."""
    out = list(agreements)
    for dec in declarations:
        idx = None
        for i, ag in enumerate(out):
            if dec.id and dec.id == ag.id:
                idx = i
                break
        if idx is None and dec.by_id_only:
            continue  # the agreement a logged decision was about is gone (e.g. after re-analysis)
        if idx is None and dec.territory and not (dec.id and dec.parties is None):
            for i, ag in enumerate(out):
                if set(ag.territory) == set(dec.territory) and _close(ag.date_agreed, dec.date_agreed):
                    idx = i
                    break
        if idx is None and dec.id and dec.parties is None:
            raise ConfigError(f"{dec.source}: no agreement {dec.id!r} to correct; `trucewatch agreements` lists the ids.")
        if dec.drop:
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            if not dec.parties:
                raise ConfigError(f"{dec.source}: a new agreement needs `parties` (and usually `date_agreed`).")
            out.append(_new(dec))
        else:
            out[idx] = _corrected(out[idx], dec)
    return sorted(out, key=lambda a: (a.date_agreed or "", a.id))


def _new(dec: Declaration) -> Agreement:
    ident = dec.id or stable_id("agreement", "declared", *(dec.territory or dec.parties or ()), dec.date_agreed or "", prefix="agr-")
    statuses = dec.status
    if dec.date_agreed and not any(s.status == "agreed" for s in statuses):
        statuses = (AgreementStatus("agreed", dec.date_agreed, None, "declared"), *statuses)
    statuses = tuple(sorted(statuses, key=lambda s: s.date or ""))
    ended = next((s.date for s in statuses if s.status == "collapsed"), None)
    return Agreement(
        id=ident,
        kind=dec.kind or "ceasefire",
        parties=dec.parties or (),
        mediators=dec.mediators or (),
        venue=dec.venue,
        date_agreed=dec.date_agreed,
        date_reported=dec.date_reported,
        terms=dec.terms or (),
        conditions=dec.conditions or (),
        status_history=statuses,
        declared=True,
        territory=dec.territory or (),
        date_ended=ended,
        status=statuses[-1].status if statuses else None,
    )


def _corrected(ag: Agreement, dec: Declaration) -> Agreement:
    changes: dict[str, Any] = {"declared": True}
    for f in ("kind", "parties", "mediators", "venue", "date_agreed", "date_reported", "territory"):
        v = getattr(dec, f)
        if v is not None:
            changes[f] = v
    if dec.terms is not None:
        changes["terms"] = dec.terms
        changes["term_spans"] = ()
    if dec.conditions is not None:
        changes["conditions"] = dec.conditions
        changes["condition_spans"] = ()
    if dec.status:
        history = tuple(sorted((*ag.status_history, *dec.status), key=lambda s: s.date or ""))
        changes["status_history"] = history
        changes["status"] = history[-1].status
        collapsed = next((s.date for s in dec.status if s.status == "collapsed"), None)
        if collapsed:
            changes["date_ended"] = collapsed
        elif any(s.status == "in force" for s in dec.status):
            changes["date_ended"] = None  # the user says it still holds: a reported collapse is overruled
    return replace(ag, **changes)


def declaration_json(dec: Mapping[str, Any]) -> str:
    """The JSON a review's ``value`` holds for ``agreements add`` / ``agreements correct``."""
    return json.dumps(dict(dec), ensure_ascii=False, sort_keys=True, default=str)
