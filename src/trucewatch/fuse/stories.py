"""Stories: articles clustered as an analyst would, one real-world story each (see docs/fusion.md, "Stories").

Each article is a TF-IDF vector of its words and named entities with its dates and main event
(:mod:`.story_features`); articles are merged agglomeratively by centroid similarity with a soft time decay and
hard negatives between incompatible main events (:mod:`.story_cluster`); each story then gets an extractive,
cited title and summary, its date span, main places and actors (:mod:`.story_text`).

Incremental: :class:`StoryCache` keeps the last run's stories. When articles were added or removed, only the
stories they touch (holding a removed article, or holding a candidate neighbour of a new one) are clustered
again together with the new articles; the others stay as they were.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..records import Analysis, Article, CanonicalActor, Incident, Story
from ._util import day
from .story_cluster import StoryParams, agglomerate, candidate_pairs
from .story_features import article_days, entity_keys, main_events, participants, vectors
from .story_text import describe_all, template_title

__all__ = ["PARAMS", "StoryCache", "StoryParams", "assign_incidents", "stories", "template_title"]

PARAMS = StoryParams()


def code_version(params: StoryParams = PARAMS) -> str:
    """A hash of the story modules and parameters; a change makes the cached stories void."""
    h = hashlib.sha1(repr(params).encode())
    here = Path(__file__).parent
    for name in ("stories.py", "story_cluster.py", "story_features.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


@dataclass
class StoryCache:
    """The last run's stories (sorted article-id tuples), each article's input hash and the code they came from;
    ``dirty`` when changed."""

    code: str = ""
    groups: list[tuple[str, ...]] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # article id -> hash of its inputs (see _input_key)
    dirty: bool = False
    last: dict = field(default_factory=dict)  # what the last run re-clustered (for stats and tests)


def stories(
    articles: Iterable[Article],
    groups: Iterable[Iterable[str]] = (),
    incidents: Sequence[Incident] = (),
    *,
    analyses: Mapping[str, Analysis] | None = None,
    canon: Mapping[str, str] | None = None,
    actors: Sequence[CanonicalActor] = (),
    params: StoryParams = PARAMS,
    cache: StoryCache | None = None,
) -> tuple[Story, ...]:
    """The stories of ``articles``. ``groups``: article-id sets that are one story whatever they say (copy
    groups); ``analyses``: article id -> its analysis (actors, places); ``canon``: per-article actor id ->
    canonical id; ``actors``: the canonical actors (for their kinds); ``incidents`` give each article its main
    event. Incident ids are not set here (see :func:`assign_incidents`)."""
    arts = sorted({a.id: a for a in articles}.values(), key=lambda a: a.id)
    row = {a.id: r for r, a in enumerate(arts)}
    analyses, canon = analyses or {}, canon or {}
    places = {aid: an.places or tuple(p for e in an.events for p in e.places) for aid, an in analyses.items()}
    kinds = {a.id: a.kind for a in actors}
    named = {aid: tuple(sorted({canon[x.id] for x in an.actors if x.id in canon})) for aid, an in analyses.items()}
    ents = [entity_keys(a.id, named, kinds, places) for a in arts]
    leads = [participants(a, analyses.get(a.id)) for a in arts]
    x, sentence_vectors = vectors(arts, ents, params.entity_weight)
    mains_by_id = main_events(incidents)
    mains = [mains_by_id.get(a.id) for a in arts]
    days = article_days(arts, mains_by_id)
    sure = [(d, d) if (d := day(a.published)) is not None and not a.published_inferred else None for a in arts]
    incs: dict[str, set[str]] = defaultdict(set)
    for i in incidents:
        for aid in i.article_ids:
            incs[aid].add(i.id)
    inc_rows = [frozenset(incs.get(a.id, ())) for a in arts]
    must = [sorted(row[i] for i in set(g) if i in row) for g in groups]
    group_of = {r: g[0] for g in must for r in g}
    keys = {a.id: _input_key(mains[r], group_of.get(r), ents[r], leads[r], days[r], inc_rows[r], a.title)
            for r, a in enumerate(arts)}

    fixed, todo = _incremental_plan(cache, arts, row, x, params, keys)
    pairs = candidate_pairs(x, todo, params.neighbours, params.floor)
    todo_set = set(todo)
    for i in sorted(incidents, key=lambda i: i.id):  # articles of one incident are candidates of each other
        rs = sorted(row[a] for a in i.article_ids if a in row and row[a] in todo_set)
        pairs.update(zip(rs, rs[1:]))
    clusters = fixed + agglomerate(x, days, mains, inc_rows, must, pairs, params, rows=todo, leads=leads, sure=sure)
    if cache is not None:
        cache.groups = sorted(tuple(arts[r].id for r in c) for c in clusters)
        cache.keys, cache.code, cache.dirty = keys, code_version(params), True
        cache.last = {"reclustered_articles": len(todo), "fixed_stories": len(fixed)}

    by_id = {i.id: i for i in incidents}
    own = [[by_id[i] for i in sorted({i for r in c for i in inc_rows[r]})] for c in clusters]
    out = describe_all(clusters, arts, x, sentence_vectors, days, _EntityIds(arts, named), kinds, places, own)
    return tuple(sorted(out, key=lambda s: s.id))


class _EntityIds:
    """Row -> canonical actor ids of that article (computed on demand)."""

    def __init__(self, arts: Sequence[Article], named: Mapping[str, Sequence[str]]):
        self.arts, self.named = arts, named

    def __getitem__(self, r: int) -> Sequence[str]:
        return self.named.get(self.arts[r].id, ())


def _input_key(*parts) -> str:
    """A short hash of what story clustering reads of one article besides its words (which only change with
    its text, and so its id): its main event, copy group, entities, participants, days and incidents."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


def _incremental_plan(cache, arts, row, x, params, keys) -> tuple[list[list[int]], list[int]]:
    """(stories kept as they are, rows to cluster). Without a valid cache every row is clustered; with one,
    articles that are new or whose inputs changed (another main event, copy group or incident) are clustered
    again with the stories they touch."""
    everything = list(range(len(arts)))
    if cache is None or not cache.groups or cache.code != code_version(params):
        return [], everything
    new_rows = [r for r, a in enumerate(arts) if cache.keys.get(a.id) != keys[a.id]]
    story_of: dict[str, int] = {}
    touched: set[int] = set()
    for k, g in enumerate(cache.groups):
        for a in g:
            story_of[a] = k
            if a not in row:
                touched.add(k)  # an article left the store
    if not new_rows and not touched:
        return [[row[a] for a in g] for g in cache.groups], []
    for i, j in candidate_pairs(x, new_rows, params.neighbours, params.floor):
        for r in (i, j):
            k = story_of.get(arts[r].id)
            if k is not None:
                touched.add(k)
    fixed = [[row[a] for a in g] for k, g in enumerate(cache.groups) if k not in touched]
    todo = sorted(set(new_rows) | {row[a] for k in touched for a in cache.groups[k] if a in row})
    return fixed, todo


def assign_incidents(story_list: Sequence[Story], incidents: Sequence[Incident]) -> tuple[tuple[Story, ...], list[Incident]]:
    """Stories and incidents made consistent: each story lists every incident with an article in it; each
    incident names the story holding most of its articles (``story_id``) and all stories holding one
    (``story_ids``: more than one for an incident reported across stories)."""
    story_of = {a: s.id for s in story_list for a in s.article_ids}
    by_story: dict[str, list[str]] = defaultdict(list)
    out_incidents = []
    for i in incidents:
        counts: dict[str, int] = defaultdict(int)
        for a in i.article_ids:
            if a in story_of:
                counts[story_of[a]] += 1
        sids = sorted(counts)
        main = min(sids, key=lambda s: (-counts[s], s)) if sids else None
        for s in sids:
            by_story[s].append(i.id)
        out_incidents.append(replace(i, story_id=main, story_ids=tuple(sids)))
    stories_out = tuple(replace(s, incident_ids=tuple(sorted(by_story.get(s.id, ())))) for s in story_list)
    return stories_out, out_incidents
