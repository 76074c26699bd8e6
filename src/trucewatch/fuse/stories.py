"""Stories: connected groups of articles (copies, shared incidents, shared named actors close in time)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..records import Article, Incident, Story, stable_id
from ._util import UnionFind, day

__all__ = ["stories", "template_title"]

ACTOR_LINKS = 2  # canonical actors two articles must share (within ACTOR_WINDOW days) to be one story
ACTOR_WINDOW = 30  # days
MAX_ACTORS = 12  # actors per article considered (sorted by id), to bound the pairs


def stories(
    articles: Iterable[Article],
    groups: Iterable[Iterable[str]],
    named_actors: Mapping[str, Iterable[str]],
    incidents: Sequence[Incident] = (),
) -> tuple[Story, ...]:
    """``groups``: article-id sets known to belong together (copy groups, incidents);
    ``named_actors``: article id -> canonical ids of its persons and organisations. A story's title
    is the headline of its most central article that has one, else :func:`template_title` of its
    ``incidents``, else the first line of its most central article."""
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
        ranked = sorted(members, key=lambda i: (-degree[i], arts[i].published or "9999", i))
        titled = [i for i in ranked if (arts[i].title or "").strip()]
        if titled:  # the most central article that has a headline
            title = " ".join(arts[titled[0]].title.split())[:160]  # type: ignore[union-attr]
        else:
            mine = set(members)
            title = template_title([i for i in incidents if set(i.article_ids) & mine]) or _first_line(arts[ranked[0]])
        out.append(Story(id=stable_id("story", members[0], prefix="st_"), title=title, article_ids=tuple(members)))
    return tuple(sorted(out, key=lambda s: s.id))


_MONTHS = ("January February March April May June July August September October November December").split()


def _first_line(a: Article) -> str:
    return " ".join(a.text.strip().split("\n", 1)[0].split())[:160] or a.id


def template_title(incidents: Sequence[Incident]) -> str | None:
    """A title built from a story's incidents when no article has a headline: the two most reported
    kinds of incident, the countries they happened in and the months, e.g. "Armed clash and talks:
    Xland and Yland, October–November 2025". None when there are no incidents."""
    if not incidents:
        return None
    kinds: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for i in incidents:
        kinds[i.type] += len(i.article_ids)
        for c in {p.country for p in i.places if p.country}:
            countries[c] += len(i.article_ids)
    top = [k.replace("_", " ") for k, _ in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    what = " and ".join(top)
    what = what[:1].upper() + what[1:]
    where = " and ".join(sorted(c for c, _ in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:2]))
    days = sorted(d for i in incidents for d in (i.date_start, i.date_end) if d)
    when = ""
    if days:
        (y0, m0), (y1, m1) = (int(days[0][:4]), int(days[0][5:7])), (int(days[-1][:4]), int(days[-1][5:7]))
        if (y0, m0) == (y1, m1):
            when = f"{_MONTHS[m0 - 1]} {y0}"
        elif y0 == y1:
            when = f"{_MONTHS[m0 - 1]}–{_MONTHS[m1 - 1]} {y0}"
        else:
            when = f"{_MONTHS[m0 - 1]} {y0}–{_MONTHS[m1 - 1]} {y1}"
    return ", ".join(x for x in (f"{what}: {where}" if where else what, when) if x)
