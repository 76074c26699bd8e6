"""Stories: connected groups of articles (copies, shared incidents, shared named actors close in time)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ..records import Article, Story, stable_id
from ._util import UnionFind, day

__all__ = ["stories"]

ACTOR_LINKS = 2  # canonical actors two articles must share (within ACTOR_WINDOW days) to be one story
ACTOR_WINDOW = 30  # days
MAX_ACTORS = 12  # actors per article considered (sorted by id), to bound the pairs


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
    # Articles sharing two actors: key every article by each pair of its actors, then link
    # neighbours in date order within ACTOR_WINDOW days (same components as linking all such pairs,
    # in linear time).
    by_pair: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for aid in sorted(named_actors):
        if aid not in arts:
            continue
        acts = sorted(set(named_actors[aid]))[:MAX_ACTORS]
        d = day(arts[aid].published)
        for i, x in enumerate(acts):
            for y in acts[i + 1 :]:
                by_pair[(x, y)].append((d if d is not None else -1, aid))
    for key in sorted(by_pair):
        members = sorted(by_pair[key])
        for (d0, a0), (d1, a1) in zip(members, members[1:]):
            if d0 >= 0 and d1 >= 0 and d1 - d0 > ACTOR_WINDOW:
                continue
            if uf.union(a0, a1):
                degree[a0] += 1
                degree[a1] += 1
    out = []
    for members in uf.groups():
        central = min(members, key=lambda i: (-degree[i], arts[i].published or "9999", i))
        a = arts[central]
        title = (a.title or a.text.strip().split("\n", 1)[0])[:160].strip() or central
        out.append(Story(id=stable_id("story", members[0], prefix="st_"), title=title, article_ids=tuple(members)))
    return tuple(sorted(out, key=lambda s: s.id))
