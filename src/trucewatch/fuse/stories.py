"""Stories: connected groups of articles (copies, shared incidents, shared named actors close in time)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ..records import Article, Story, stable_id
from ._util import UnionFind, day

__all__ = ["stories"]

ACTOR_LINKS = 2  # canonical actors two articles must share (within ACTOR_WINDOW days) to be one story
ACTOR_WINDOW = 30  # days
COMMON_ACTOR = 500  # an actor in more articles than this links nothing (too general)


def stories(
    articles: Iterable[Article],
    groups: Iterable[Iterable[str]],
    named_actors: Mapping[str, Iterable[str]],
) -> tuple[Story, ...]:
    """``groups``: article-id sets known to belong together (copy groups, incidents);
    ``named_actors``: article id -> canonical ids of its persons and organisations."""
    arts = {a.id: a for a in articles}
    uf = UnionFind(sorted(arts))
    degree: Counter[str] = Counter()
    for g in groups:
        ids = sorted(set(g) & arts.keys())
        for other in ids[1:]:
            uf.union(ids[0], other)
        for i in ids:
            degree[i] += len(ids) - 1
    by_actor: dict[str, list[str]] = defaultdict(list)
    for aid in sorted(named_actors):
        if aid in arts:
            for c in set(named_actors[aid]):
                by_actor[c].append(aid)
    common = {c for c, ids in by_actor.items() if len(ids) > COMMON_ACTOR}
    for aid in sorted(named_actors):
        if aid not in arts:
            continue
        d0 = day(arts[aid].published)
        shared: Counter[str] = Counter()
        for c in set(named_actors[aid]) - common:
            for other in by_actor[c]:
                if other > aid:
                    shared[other] += 1
        for other, n in shared.items():
            if n < ACTOR_LINKS:
                continue
            d1 = day(arts[other].published)
            if d0 is not None and d1 is not None and abs(d0 - d1) > ACTOR_WINDOW:
                continue
            uf.union(aid, other)
            degree[aid] += 1
            degree[other] += 1
    out = []
    for members in uf.groups():
        central = min(members, key=lambda i: (-degree[i], arts[i].published or "9999", i))
        a = arts[central]
        title = (a.title or a.text.strip().split("\n", 1)[0])[:160].strip() or central
        out.append(Story(id=stable_id("story", members[0], prefix="st_"), title=title, article_ids=tuple(members)))
    return tuple(sorted(out, key=lambda s: s.id))
