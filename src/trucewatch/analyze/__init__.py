"""Per-article analysis: Article -> Analysis | Skip (the only package that imports spaCy).

Public API::

    load_resources(settings) -> Resources            the model + word lists, once per process
    analyze_article(article, resources) -> Analysis | Skip
    analyze_batch(articles, settings, resources=None) -> iterator, nlp.pipe batches
    analyze_many(articles, settings, processes=N)    batches over worker processes
    plan_processes(settings, processes, total)       how many (default: one per usable CPU)
    PIPELINE_VERSION                                 the version for the default settings
    pipeline_version(settings) -> str                model + rules hash; stored analyses of
                                                     another version are redone
    load_nlp(model) -> Language                      spaCy + trucewatch components

An analysis is assembled in this order: actors -> quotes -> claims -> times ->
places -> events (see docs/analysis.md).
"""

from __future__ import annotations

from .pipeline import (
    PIPELINE_VERSION,
    RULES_HASH,
    AnalyzeReport,
    Resources,
    analysis_from_doc,
    analyze_article,
    analyze_batch,
    analyze_many,
    load_nlp,
    load_resources,
    pipeline_version,
    plan_processes,
    usable_cpus,
)

__all__ = [
    "AnalyzeReport",
    "PIPELINE_VERSION",
    "RULES_HASH",
    "Resources",
    "analysis_from_doc",
    "analyze_article",
    "analyze_batch",
    "analyze_many",
    "load_nlp",
    "load_resources",
    "pipeline_version",
    "plan_processes",
    "usable_cpus",
]
