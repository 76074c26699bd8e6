"""Pydantic schemas of the HTTP API (they document /openapi.json and are checked by the tests).

They mirror the export contract's record shapes; extra keys are allowed
because the API keeps every field the stored record has.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActorPublic",
    "ArticleIn",
    "ArticlePublic",
    "ClaimPublic",
    "CopyPublic",
    "DisputePublic",
    "IncidentPublic",
    "IngestResult",
    "Page",
    "QuoteClusterPublic",
    "QuotePublic",
    "ReviewPublic",
    "SearchHit",
    "StoryPublic",
]

T = TypeVar("T")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``total`` matching items, of which ``items`` start at ``offset``."""

    total: int
    limit: int
    offset: int
    items: list[T]


class SearchPage(Page[T], Generic[T]):
    """A page of search hits; ``note`` says how the query was read when not as typed (else null)."""

    note: str | None = None


class ArticlePublic(_Open):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    source_path: str | None
    dateline: str | None
    published: str | None
    published_inferred: bool
    language: str
    text: str | None = None


class ActorPublic(_Open):
    id: str
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]


class ReviewPublic(_Open):
    """One human review decision that targets the record it is listed on (from the append-only log)."""

    id: str
    target_kind: str
    target_id: str
    action: str
    value: str | None
    reviewer: str
    reason: str
    at: str


class QuotePublic(_Open):
    id: str
    article_id: str
    text: str
    speaker: str | None
    speaker_actor_id: str | None
    cue: str | None
    direct: bool
    start: int
    end: int
    cluster_id: str | None
    reviews: list[ReviewPublic] = Field(default_factory=list, description="Review decisions on this quote")


class ClaimPublic(_Open):
    id: str
    article_id: str
    value: float | None
    low: float | None
    high: float | None
    category: str
    counted: str | None
    predicate: str | None
    claimant: str
    hedge: str | None
    start: int
    end: int
    incident_id: str | None
    reviews: list[ReviewPublic] = Field(default_factory=list, description="Review decisions on this claim")


class PlacePublic(_Open):
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None


class MentionPublic(_Open):
    article_id: str
    start: int
    end: int


class CasualtyPublic(_Open):
    category: str
    low: float | None
    best: float | None
    high: float | None
    claim_ids: list[str]


class IncidentPublic(_Open):
    id: str
    type: str
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    places: list[PlacePublic]
    actor_ids: list[str]
    article_ids: list[str]
    mentions: list[MentionPublic]
    independent_sources: int
    corroboration: str
    casualties: list[CasualtyPublic]
    reviews: list[ReviewPublic] = Field(default_factory=list, description="Review decisions on this incident")


class DisputeSidePublic(_Open):
    value: str
    claimant: str | None
    article_ids: list[str]


class DisputePublic(_Open):
    id: str
    kind: str
    summary: str
    incident_id: str | None
    quote_cluster_id: str | None
    sides: list[DisputeSidePublic]


class StoryPublic(_Open):
    id: str
    title: str
    article_ids: list[str]
    incident_ids: list[str]
    summary: str = ""
    title_article_id: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    places: list[str] = []
    actor_ids: list[str] = []


class CopyPublic(_Open):
    id: str
    article_ids: list[str]
    original_id: str
    reason: str


class QuoteClusterPublic(_Open):
    id: str
    text: str
    quote_ids: list[str]
    article_ids: list[str]
    speakers: list[str]


class SearchHit(_Open):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str = Field(description="Matched words are wrapped in [ and ]")


class ArticleIn(BaseModel):
    """An article to ingest: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, description="Plain text of the article")
    html: str | None = Field(None, description="An HTML page")
    url: str | None = Field(None, description="A URL to fetch (public addresses only, unless allow_private)")
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD")


class IngestResult(BaseModel):
    added: list[str]
    duplicates: list[str]
    skipped: list[dict[str, Any]]
    analyzed: int
    fused: bool
