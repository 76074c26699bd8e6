"""Fusion <-> the store's fused records and state (duck-typed: any object with the Store methods used)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..records import (
    CanonicalActor,
    CopyGroup,
    Dispute,
    Fusion,
    Incident,
    QuoteCluster,
    Story,
    from_dict,
    to_dict,
)
from .core import FuseCache

__all__ = ["FUSED_KINDS", "fusion_records", "load_cache", "load_fusion", "save_cache"]

#: Store kind -> (Fusion field, record type). "fusion_map" holds the three id maps.
FUSED_KINDS: dict[str, tuple[str, type]] = {
    "actor": ("actors", CanonicalActor),
    "copy": ("copies", CopyGroup),
    "story": ("stories", Story),
    "incident": ("incidents", Incident),
    "quote_cluster": ("quote_clusters", QuoteCluster),
    "dispute": ("disputes", Dispute),
}
_MAPS = ("claim_incident", "quote_cluster", "actor_canonical")

_SIG = "fuse:sig:"
_BLK = "fuse:blk:"
_CODE = "fuse:code"
_STORIES = "fuse:stories"  # the last run's stories: {"code": ..., "groups": [[article ids]], "keys": {id: hash}}


def fusion_records(fusion: Fusion) -> dict[str, list[dict[str, Any]]]:
    """The records to store, by kind (``Store.replace_fused(kind, records)`` for each)."""
    out = {kind: [to_dict(r) for r in getattr(fusion, attr)] for kind, (attr, _) in FUSED_KINDS.items()}
    out["fusion_map"] = [{"id": name, "map": dict(getattr(fusion, name))} for name in _MAPS]
    return out


def load_fusion(store) -> Fusion:
    """The Fusion last saved in ``store`` (empty when fusion never ran)."""
    fields: dict[str, Any] = {}
    for kind, (attr, cls) in FUSED_KINDS.items():
        fields[attr] = tuple(sorted((from_dict(cls, d) for d in store.fused(kind)), key=lambda r: r.id))
    for rec in store.fused("fusion_map"):
        if rec["id"] in _MAPS:
            fields[rec["id"]] = dict(rec["map"])
    return Fusion(**fields)


def _code_version() -> str:
    """A hash of the modules whose logic the cached block pairs depend on; a change drops the cache."""
    h = hashlib.sha1()
    here = Path(__file__).parent
    for name in ("incidents.py", "places.py", "quotes.py", "_util.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def load_cache(store) -> FuseCache:
    cache = FuseCache()
    for k, v in store.states(_SIG).items():
        cache.signatures[k[len(_SIG) :]] = v
    if store.get_state(_CODE) == _code_version():
        for k, v in store.states(_BLK).items():
            fp, pairs = json.loads(v)
            cache.blocks[k[len(_BLK) :]] = (fp, [tuple(p) for p in pairs])
    else:
        cache.removed_blocks |= {k[len(_BLK) :] for k in store.states(_BLK)}
    saved = store.get_state(_STORIES)
    if saved:
        st = json.loads(saved)
        cache.stories.code, cache.stories.groups = st.get("code", ""), [tuple(g) for g in st.get("groups", [])]
        cache.stories.keys = dict(st.get("keys", {}))
    return cache


def save_cache(store, cache: FuseCache) -> int:
    """Persist the entries the last run changed; returns how many were written."""
    values = {f"{_SIG}{a}": cache.signatures[a] for a in sorted(cache.dirty_signatures) if a in cache.signatures}
    for k in sorted(cache.dirty_blocks):
        if k in cache.blocks:
            fp, pairs = cache.blocks[k]
            values[f"{_BLK}{k}"] = json.dumps([fp, [list(p) for p in pairs]], separators=(",", ":"))
    values[_CODE] = _code_version()
    if cache.stories.dirty:
        values[_STORIES] = json.dumps({"code": cache.stories.code, "groups": [list(g) for g in cache.stories.groups],
                                       "keys": cache.stories.keys}, separators=(",", ":"))
        cache.stories.dirty = False
    store.set_states(values, [f"{_BLK}{k}" for k in sorted(cache.removed_blocks - set(cache.blocks))])
    cache.dirty_signatures.clear()
    cache.dirty_blocks.clear()
    cache.removed_blocks.clear()
    return len(values)
