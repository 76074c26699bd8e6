"""Agreements, alleged violations, the per-party ledger and human review.

::

    derive(articles, analyses, fusion, declared=, reviews=) -> (agreements, violations)   pure
    ledger(violations, agreements, rules)                  -> dict                         pure
    load_declared(path) / load_rules(path)                 -> declarations / Rules         YAML files
    make_review(...) / apply_review(store, review)         -> Review                       the audit log

``pipeline.agree(settings, store)`` runs :func:`derive` after every fusion and stores the results as
fused records of kind ``agreement`` and ``violation``. docs/agreements.md and docs/ledger.md describe
the rules and the file formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..records import Agreement, Analysis, Article, Dispute, Fusion, Review, Violation
from . import _cues as cues
from .declared import Declaration, apply_declarations, load_declared, parse_declaration
from .extract import agreements_from
from .ledger import DEFAULT_RULES, Rules, ledger, load_rules, parse_rules, points_of
from .review import (
    ACTIONS,
    UNATTRIBUTED,
    apply_review,
    declarations_from_reviews,
    make_review,
    parse_figure,
    reviewed_violations,
    reviewer_name,
    split_ids,
)
from .violations import violations_from

__all__ = [
    "ACTIONS",
    "DEFAULT_RULES",
    "Declaration",
    "Rules",
    "UNATTRIBUTED",
    "apply_review",
    "derive",
    "ledger",
    "load_declared",
    "load_rules",
    "make_review",
    "parse_declaration",
    "parse_figure",
    "parse_rules",
    "points_of",
    "reviewed_violations",
    "reviewer_name",
    "split_ids",
]

AGREEMENT_TYPES = cues.AGREEMENT_TYPES
VIOLATING_TYPES = cues.VIOLATING_TYPES


def derive(
    articles: Iterable[Article],
    analyses: Iterable[Analysis],
    fusion: Fusion,
    *,
    declared: Sequence[Declaration] = (),
    reviews: Sequence[Review] = (),
    violent: Mapping[str, bool] | None = None,
) -> tuple[list[Agreement], list[Violation]]:
    """Agreements and alleged violations from analyzed articles and their fusion (a pure function).

    ``declared`` (the agreements file) and agreement decisions in ``reviews`` correct, add or drop
    agreements; violation decisions in ``reviews`` set each violation's ``review_status`` and
    ``decisions``. ``violent`` says, for event types of a user's taxonomy, whether an incident of that
    type can breach a ceasefire (:func:`~trucewatch.analyze.taxonomy.violence_overrides`). Same input in
    any order gives the same output and ids.
    """
    by_id = {a.id: a for a in articles}
    analyses_by_id = {a.article_id: a for a in analyses if a.article_id in by_id}
    agreements = agreements_from(by_id, analyses_by_id.values(), fusion)
    status_disputes = [d for d in fusion.disputes if d.kind == "status"]
    agreements = [_with_fusion_disputes(a, status_disputes) for a in agreements]
    agreements = apply_declarations(agreements, (*declared, *declarations_from_reviews(reviews)))
    violations = violations_from(agreements, fusion, by_id, analyses_by_id, violent=violent)
    violations = reviewed_violations(violations, reviews)
    return agreements, violations


def _with_fusion_disputes(ag: Agreement, status_disputes: Sequence[Dispute]) -> Agreement:
    """Link fusion's status disputes that involve the agreement's articles; a disputed collapse does not end it."""
    arts = set(ag.article_ids)
    mine = [d for d in status_disputes if any(arts & set(side.article_ids) for side in d.sides)]
    ids = tuple(sorted(d.id for d in mine))
    if not ids:
        return ag
    ended = ag.date_ended
    if ended:
        disputed = {aid for d in mine for side in d.sides for aid in side.article_ids}
        collapse = [s for s in ag.status_history if s.status == "collapsed" and s.article_id not in disputed]
        ended = collapse[0].date if collapse else None
    return replace(ag, dispute_ids=ids, date_ended=ended)
