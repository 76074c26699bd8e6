"""Fusion across articles: copies, canonical actors, incidents, casualties, quote clusters, disputes, stories.

::

    fuse(articles, analyses, reviews=())  -> Fusion       pure, order-independent
    fuse_with_cache(..., cache=FuseCache)  -> Fusion, stats   the incremental form
    fusion_records(fusion)                 -> {kind: [dict]}  what the store keeps
    load_fusion(store)                     -> Fusion          read back from the store
    build_export(store, story_id, since)   -> dict            the JSON export document
    validate_export(doc)                                      check it against the schema

See docs/fusion.md for the rules (corroboration, low/best/high, disputes) and their cost.
"""

from __future__ import annotations

from .core import FuseCache, fuse, fuse_with_cache
from .export import EXPORT_SCHEMA_VERSION, build_export, export_schema, validate_export
from .persist import FUSED_KINDS, fusion_records, load_cache, load_fusion, save_cache

__all__ = [
    "EXPORT_SCHEMA_VERSION",
    "FUSED_KINDS",
    "FuseCache",
    "build_export",
    "export_schema",
    "fuse",
    "fuse_with_cache",
    "fusion_records",
    "load_cache",
    "load_fusion",
    "save_cache",
    "validate_export",
]
