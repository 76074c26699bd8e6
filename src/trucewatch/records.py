"""Plain, frozen, picklable records passed between trucewatch stages.

Data flows one way::

    ingest  : RawInput            -> Article | Skip
    analyze : Article             -> Analysis | Skip
    fuse    : [Article, Analysis] -> Fusion
    agree   : Fusion (+ reviews)  -> Agreements, Violations
    report  : Fusion              -> brief / CSV / GeoJSON / JSON

Rules (see STYLE.md):

* Every record is a frozen dataclass with slots; containers are tuples, never
  lists or dicts that could be mutated after creation (``Mapping`` fields hold
  plain ``dict`` objects that no stage mutates).
* Positions (``start``/``end``) are character offsets into ``Article.text``
  of the article named by ``article_id``.
* Ids are deterministic (:func:`stable_id`) so a rerun produces the same keys.
* Dates are ISO strings (``YYYY-MM-DD``) so records serialise to JSON as is.

:func:`to_dict` and :func:`from_dict` convert any record to and from plain
JSON-ready dicts; the store and the exports use them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

__all__ = [
    "Actor",
    "Agreement",
    "AgreementStatus",
    "Analysis",
    "Article",
    "CanonicalActor",
    "CasualtyEstimate",
    "Claim",
    "CopyGroup",
    "Debris",
    "Dispute",
    "DisputeSide",
    "EventMention",
    "Fusion",
    "Incident",
    "IncidentMention",
    "Place",
    "Quote",
    "QuoteCluster",
    "RawInput",
    "Relation",
    "Review",
    "Skip",
    "SourceSpan",
    "Story",
    "TimeExpr",
    "Violation",
    "from_dict",
    "stable_id",
    "to_dict",
]


def stable_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """A deterministic id from ``parts`` (sha1 of their ``str`` joined by U+001F)."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{h[:length]}"


# --------------------------------------------------------------------------- ingest

InputFormat = Literal["txt", "html", "json", "jsonl", "warc", "url", "feed", "stdin"]


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes as read from a file, a URL or stdin, before any extraction.

    ``fields`` carries structured metadata that came with the input (a JSON
    record's ``title``/``url``/``published``/``outlet``, a WARC record's
    target URI, an RSS item's title and date). ``source`` names where the bytes
    came from (a path, ``path#line``, a URL or ``-``) for messages.
    """

    source: str
    fmt: InputFormat
    data: bytes
    fields: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None
    outlet: str | None = None  # --outlet given by the user

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class Debris:
    """A piece of page debris removed from the clean text, and why."""

    text: str
    reason: str  # e.g. "share counter", "also-read teaser", "repeated headline"
    line: int  # 1-based line number in the extracted (pre-cleaning) text


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned news article. ``id`` is a hash of the normalised clean text."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    source_path: str | None
    dateline: str | None  # e.g. "ISLAMABAD / KABUL — Oct 29"
    published: str | None  # ISO date; the best single date (start of range if inferred)
    published_inferred: bool  # True when ``published`` was inferred from dates in the text
    published_origin: Literal["metadata", "dateline", "text", "inferred", "none"]
    published_precision: Literal["day", "month", "year", "range"] | None
    published_range: tuple[str, str] | None  # (earliest, latest) ISO dates when inferred
    language: str  # ISO 639-1 code, "und" when undetermined
    text: str
    fmt: InputFormat
    raw_sha256: str
    debris: tuple[Debris, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "not English (fr)", "no date found"


@dataclass(frozen=True, slots=True)
class Skip:
    """An input or article a stage could not use, with a reason shown to the user."""

    source: str
    stage: Literal["ingest", "analyze", "fuse"]
    reason: str
    article_id: str | None = None  # the stored article, when the skip is about one (analyze)
    lasting: bool = False  # True when trying again gives the same skip (not English, no text, too long)


# --------------------------------------------------------------------------- analyze

ActorKind = Literal["person", "organization", "armed_group", "government", "country", "group", "media"]
Precision = Literal["day", "week", "month", "year", "range"]


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Characters ``[start, end)`` of ``Article.text`` in article ``article_id``."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Actor:
    """An entity as resolved inside one article (short forms merged into full names)."""

    id: str  # stable_id(article_id, kind, name)
    article_id: str
    name: str  # the fullest form seen in the article
    kind: ActorKind
    roles: tuple[str, ...] = ()  # "defence minister", "spokesman" ...
    aliases: tuple[str, ...] = ()  # other surface forms and learned aliases
    country: str | None = None  # ISO 3166 alpha-2 of the affiliation, when known
    mentions: tuple[tuple[int, int], ...] = ()  # (start, end) spans in the article


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression normalised against the article's publication date."""

    text: str
    start: int
    end: int
    date_start: str | None  # ISO date, None when unresolved
    date_end: str | None
    precision: Precision | None
    reason: str | None = None  # why unresolved, or how resolved ("weekday before publication")


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention, geocoded to a gazetteer entry when possible."""

    name: str  # surface form in the text
    start: int
    end: int
    resolved_name: str | None = None  # gazetteer name
    country: str | None = None  # country name
    country_code: str | None = None  # ISO alpha-2
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None  # "country", "admin1", "city", "crossing", "region" ...
    gazetteer_id: str | None = None
    reason: str | None = None  # why unresolved


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    article_id: str
    text: str  # the quoted words without quote marks
    speaker: str | None  # actor name or a group label ("a security source")
    speaker_actor_id: str | None
    cue: str | None  # said, warned, claimed, told ...
    direct: bool
    start: int  # span of the quoted words
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A numeric claim: who says how many of what happened to whom."""

    id: str
    article_id: str
    value: float | None  # best single value (ACLED convention for vague words)
    low: float | None
    high: float | None
    original: str  # the number words as written: "more than 200", "dozens"
    category: str  # killed | injured | displaced | detained | returned | damaged | count | duration | other
    counted: str | None  # soldiers, civilians, militants, people, homes, km, days ...
    predicate: str | None  # killed, injured, displaced, repatriated, damaged, lasted ...
    side: str | None  # victim side when said: "Pakistani", "Afghan" ...
    claimant: str  # the named source, or the outlet when no one is named
    claimant_actor_id: str | None
    hedge: str | None  # claimed | alleged | confirmed | reported | at least | over | about ...
    start: int
    end: int
    event_id: str | None = None  # event mention in the same sentence


@dataclass(frozen=True, slots=True)
class Relation:
    """A stated link between two event mentions: ``kind`` is "retaliation" or "after"."""

    kind: str
    target_event_id: str | None  # event mention in the same article, when found
    text: str  # the phrase, e.g. "in retaliation for the attack on posts"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class EventMention:
    id: str
    article_id: str
    type: str  # taxonomy key, see trucewatch.analyze.taxonomy
    trigger: str
    start: int  # trigger span
    end: int
    sentence_start: int
    sentence_end: int
    acting: tuple[str, ...] = ()  # actor ids
    target: tuple[str, ...] = ()  # actor ids
    places: tuple[Place, ...] = ()
    time: TimeExpr | None = None
    negated: bool = False  # "denied", "did not"
    hedged: bool = False  # "allegedly", "reportedly"
    status: str | None = None  # for talks/agreements: agreed | holds | strained | collapsed | suspended ...
    claim_ids: tuple[str, ...] = ()
    quote_ids: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    realis: str = "actual"  # actual | generic | hypothetical | negated (analyze/realis.py)
    role: str = "news"  # news | history | teaser | caption: the mention's part in its article


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the per-article stage found in one article."""

    article_id: str
    pipeline_version: str
    actors: tuple[Actor, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[EventMention, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    places: tuple[Place, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, name) learned from the text


# --------------------------------------------------------------------------- fuse


@dataclass(frozen=True, slots=True)
class CanonicalActor:
    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    country: str | None = None
    member_ids: tuple[str, ...] = ()  # per-article Actor ids
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """Articles that are copies (syndication, light rewrites) of one report."""

    id: str
    article_ids: tuple[str, ...]  # sorted; the first published is the original
    original_id: str
    reason: str  # "near-duplicate text (jaccard 0.93)", "same wire credit" ...


@dataclass(frozen=True, slots=True)
class IncidentMention:
    article_id: str
    event_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CasualtyEstimate:
    """Low / best / high for one incident, category and side, with the claims behind it."""

    category: str  # killed | injured | ...
    side: str | None
    counted: str | None
    low: float | None
    best: float | None
    high: float | None
    acled: float | None  # ACLED's conservative figure
    claim_ids: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CasualtyTotal:
    """One figure per incident and category for lists, maps and ledgers, with what it is made of.

    ``summed`` is True when it adds up estimates of different groups (soldiers, militants, civilians: never
    overlapping); ``label`` then names each part and who claims it ("23 soldiers (army) + 200 militants
    (ministry)"), and every page that shows the figure shows the label."""

    category: str
    best: float
    low: float | None
    high: float | None
    summed: bool
    label: str


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    type: str
    date_start: str | None
    date_end: str | None
    date_precision: Precision | None
    places: tuple[Place, ...] = ()
    actor_ids: tuple[str, ...] = ()  # canonical actor ids
    acting: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    mentions: tuple[IncidentMention, ...] = ()
    independent_sources: int = 0
    corroboration: Literal["corroborated", "single source", "contested"] = "single source"
    casualties: tuple[CasualtyEstimate, ...] = ()
    totals: tuple[CasualtyTotal, ...] = ()  # one labelled figure per category (fuse/casualties.totals)
    follows_from: tuple[str, ...] = ()  # incident ids it is said to follow from
    story_id: str | None = None  # the story holding most of its articles
    summary: str = ""  # a short extractive description (trigger sentence of the best mention)
    story_ids: tuple[str, ...] = ()  # every story holding one of its articles: more than one = a shared incident


@dataclass(frozen=True, slots=True)
class QuoteCluster:
    id: str
    text: str  # the longest member's text
    quote_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    speakers: tuple[str, ...]  # distinct speakers named across members
    independent_sources: int = 0


@dataclass(frozen=True, slots=True)
class DisputeSide:
    value: str
    claimant: str | None
    article_ids: tuple[str, ...]
    spans: tuple[SourceSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Dispute:
    id: str
    kind: Literal["figure", "date", "speaker", "sequence", "status", "responsibility"]
    summary: str
    sides: tuple[DisputeSide, ...]
    incident_id: str | None = None
    quote_cluster_id: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one real-world story (fuse/stories.py), with what they say of it: an extractive title and
    summary (cited: ``title_article_id``, ``summary_spans``), the days they are about, their main places and
    actors. ``incident_ids``: every incident with an article in the story (shared ones list the story too)."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    incident_ids: tuple[str, ...] = ()
    summary: str = ""
    summary_spans: tuple[SourceSpan, ...] = ()
    title_article_id: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    places: tuple[str, ...] = ()  # the most named places below a country
    actor_ids: tuple[str, ...] = ()  # canonical ids of the most named persons and organisations


@dataclass(frozen=True, slots=True)
class Fusion:
    """The cross-article view of a store: everything reports and the web app read."""

    actors: tuple[CanonicalActor, ...] = ()
    copies: tuple[CopyGroup, ...] = ()
    stories: tuple[Story, ...] = ()
    incidents: tuple[Incident, ...] = ()
    quote_clusters: tuple[QuoteCluster, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    claim_incident: Mapping[str, str] = field(default_factory=dict)  # claim id -> incident id
    quote_cluster: Mapping[str, str] = field(default_factory=dict)  # quote id -> cluster id
    actor_canonical: Mapping[str, str] = field(default_factory=dict)  # per-article actor id -> canonical id


# --------------------------------------------------------------------------- agreements & review


@dataclass(frozen=True, slots=True)
class AgreementStatus:
    status: str  # agreed | in force | strained | talks suspended | collapsed
    date: str | None
    article_id: str | None
    outlet: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    kind: str  # ceasefire | truce | talks outcome | statement of terms
    parties: tuple[str, ...]
    mediators: tuple[str, ...] = ()
    venue: str | None = None
    date_agreed: str | None = None
    date_reported: str | None = None
    terms: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()  # (party, condition or demand)
    status_history: tuple[AgreementStatus, ...] = ()
    article_ids: tuple[str, ...] = ()
    incident_id: str | None = None
    declared: bool = False  # True when it comes from the user's agreements file
    # Added by the agreements stage (agree/); see docs/agreements.md.
    territory: tuple[str, ...] = ()  # ISO alpha-2 codes of the parties' countries
    date_ended: str | None = None  # first undisputed "collapsed" report; None while in force
    status: str | None = None  # the latest status reported (disputed statuses say so in ``disputes``)
    term_spans: tuple[SourceSpan, ...] = ()  # one source sentence per term (same order as ``terms``)
    condition_spans: tuple[SourceSpan, ...] = ()  # one source sentence per condition
    disputes: tuple[Dispute, ...] = ()  # status disputes (outlets disagree whether it holds)
    dispute_ids: tuple[str, ...] = ()  # fusion's status disputes about it


@dataclass(frozen=True, slots=True)
class Violation:
    id: str
    agreement_id: str
    incident_id: str
    date: str | None
    accused: tuple[str, ...]
    accusers: tuple[str, ...]
    claim_ids: tuple[str, ...] = ()
    corroboration: str = "single source"
    review_status: str = "unreviewed"  # unreviewed | confirmed | rejected
    article_ids: tuple[str, ...] = ()
    dispute_ids: tuple[str, ...] = ()
    casualties: float | None = None  # killed + injured of its incident (fusion's labelled totals)
    casualties_note: str = ""  # what that figure is made of: each category's parts and claimants
    # Added by the agreements stage (agree/); see docs/ledger.md.
    incident_type: str | None = None
    summary: str = ""
    place_names: tuple[str, ...] = ()  # place names of the incident (resolved names first)
    denied_by: tuple[str, ...] = ()  # accused parties that deny it
    decisions: tuple[Review, ...] = ()  # human review decisions, oldest first
    # The verification workflow (agree/review.py): reported | under investigation | verified | discounted;
    # a verified violation is attributed to a party or "could not be attributed".
    verification: str = "reported"
    attributed_to: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """One human decision, stored append-only."""

    id: str
    target_kind: str  # violation | incident | quote | claim
    target_id: str
    action: str  # confirm | reject | annotate | merge | split | set-speaker | set-figure
    value: str | None  # new speaker, new figure, ids to merge ...
    reviewer: str
    reason: str
    at: str  # ISO timestamp


# --------------------------------------------------------------------------- (de)serialisation


def to_dict(record: Any) -> Any:
    """A JSON-ready copy of ``record`` (dataclasses -> dicts, tuples -> lists)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (tuple, list)):
        return [to_dict(x) for x in record]
    if isinstance(record, Mapping):
        return {str(k): to_dict(v) for k, v in record.items()}
    return record


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = hints
    return hints


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is type(None):
                continue
            return _convert(arg, value)
        return value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        if args:
            return tuple(_convert(a, v) for a, v in zip(args, value))
        return tuple(value)
    if origin in (Mapping, dict) or tp in (Mapping, dict):
        return dict(value)
    return value


def from_dict(cls: type, data: Mapping[str, Any]) -> Any:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output (unknown keys ignored)."""
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)
