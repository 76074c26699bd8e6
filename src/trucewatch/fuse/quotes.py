"""Quote matching: one utterance reported by several outlets in different wording becomes one cluster.

Candidates share one of a quote's rarest words (blocking); a pair matches when the shorter
quote is contained in the longer one (rapidfuzz ``partial_ratio`` >= :data:`PARTIAL`, for
partial vs full quotes) or when the word sets agree (``token_set_ratio`` >= :data:`TOKEN_SET`,
for reworded quotes). Speaker disputes compare canonical actors, so "Asif" vs
"Khawaja Asif", or a name vs that person's role, is no dispute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import fuzz

from ..records import CanonicalActor, Dispute, DisputeSide, Quote, QuoteCluster, SourceSpan, stable_id
from ._util import STOPWORDS, UnionFind, cached_pairs, norm, norm_name, tokens

__all__ = ["quote_clusters", "speaker_disputes"]

# Tuned together on tests/test_fuse_quotes.py.
PARTIAL = 90
TOKEN_SET = 86
MIN_WORDS = 3
RARE_KEYS = 2  # blocking words per quote (its longest content words)
MAX_BLOCK = 200  # larger blocks are compared within a sliding window in date order
WINDOW = 60
TILE = 30  # days


def _words(q: Quote) -> list[str]:
    return [t for t in tokens(q.text) if t not in STOPWORDS and len(t) > 2]


def _match(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short.split()) >= 4 and fuzz.partial_ratio(short, long_) >= PARTIAL:
        return True
    return fuzz.token_set_ratio(a, b) >= TOKEN_SET and min(len(a.split()), len(b.split())) >= MIN_WORDS


def _tiles(d: int | None) -> tuple[str, ...]:
    """Two overlapping tilings of time, so any two quotes published within TILE/2 days share a tile."""
    if d is None:
        return ("none",)
    return (f"a{d // TILE}", f"b{(d + TILE // 2) // TILE}")


def _score_quote_block(members: list[tuple]) -> list[tuple[str, str]]:
    """Matching pairs in one block of ``(published day, quote id, article id, normalised text)``."""
    members = sorted(members)
    out = []
    n = len(members)
    for i in range(n):
        _, qa, aa, ta = members[i]
        for j in range(i + 1, n if n <= MAX_BLOCK else min(n, i + 1 + WINDOW)):
            _, qb, ab, tb = members[j]
            if aa == ab and ta != tb:
                continue
            if _match(ta, tb):
                out.append((min(qa, qb), max(qa, qb)))
    return out


def quote_clusters(
    quotes: Iterable[Quote],
    count_sources: Callable[[Iterable[str]], int],
    published: Mapping[str, int | None] | None = None,
    cache: dict | None = None,
    stats: dict | None = None,
    changed: set[str] | None = None,
) -> tuple[tuple[QuoteCluster, ...], dict[str, str]]:
    """All quote clusters (singletons included), sorted by id, and the map quote id -> cluster id.

    Blocks are ``(one of the quote's longest words, time tile)``; ``cache`` (block key ->
    (fingerprint, pairs)) lets a rerun re-match only blocks whose quotes changed.
    """
    qs = sorted(quotes, key=lambda q: q.id)
    published = published or {}
    blocks: dict[str, list[tuple]] = defaultdict(list)
    for q in qs:
        text = norm(q.text)
        d = published.get(q.article_id)
        member = (d if d is not None else -1, q.id, q.article_id, text)
        for w in sorted(set(_words(q)), key=lambda w: (-len(w), w))[:RARE_KEYS]:
            for tile in _tiles(d):
                blocks[f"{w}|{tile}"].append(member)
    pairs, rescored = cached_pairs(
        blocks, lambda m: f"{m[1]}|{m[2]}|{m[0]}|{m[3]}", _score_quote_block, cache if cache is not None else {}, "qt:", changed
    )
    if stats is not None:
        stats["quote_blocks"] = len(blocks)
        stats["quote_blocks_rescored"] = rescored
    del blocks
    uf = UnionFind(q.id for q in qs)
    for a, b in pairs:
        uf.union(a, b)
    by_id = {q.id: q for q in qs}
    out, mapping = [], {}
    for members in uf.groups():
        ms = [by_id[m] for m in members]
        longest = max(ms, key=lambda q: (len(q.text), q.id))
        cid = stable_id("quote-cluster", members[0], prefix="qc_")
        out.append(
            QuoteCluster(
                id=cid,
                text=longest.text,
                quote_ids=tuple(members),
                article_ids=tuple(sorted({q.article_id for q in ms})),
                speakers=tuple(sorted({q.speaker for q in ms if q.speaker})),
                independent_sources=count_sources(q.article_id for q in ms),
            )
        )
        for m in members:
            mapping[m] = cid
    out.sort(key=lambda c: c.id)
    return tuple(out), mapping


_ANON = ("a ", "an ", "one ", "some ", "officials", "sources", "source", "witness", "residents", "spokesman", "spokesperson")


def _generic(name: str) -> bool:
    """A group label rather than a name: "Diplomats", "officials", "a security source"."""
    words = norm(name).split()
    return not words or norm(name).startswith(_ANON) or (len(words) == 1 and words[0].endswith("s") and name[1:].islower())


def _identity(q: Quote, canon: Mapping[str, str], actors: Mapping[str, CanonicalActor], by_name: Mapping[str, str]) -> str | None:
    """The canonical actor id of the speaker, else a normalised name; None for an unnamed or anonymous speaker."""
    if q.speaker_actor_id and q.speaker_actor_id in canon:
        actor = actors.get(canon[q.speaker_actor_id])
        if actor is not None and (actor.kind == "group" or _generic(actor.name)):
            return None
        return canon[q.speaker_actor_id]
    if not q.speaker or _generic(q.speaker):
        return None
    name = norm_name(q.speaker)
    if name in by_name:
        return by_name[name]
    raw = q.speaker.strip()
    if raw[:1].islower() or norm(raw).startswith(_ANON):
        return None
    return f"name:{name}"


def _compatible(x: str, y: str, actors: Mapping[str, CanonicalActor]) -> bool:
    if x == y:
        return True
    ax, ay = actors.get(x), actors.get(y)
    if ax is None and ay is None:
        nx, ny = x.removeprefix("name:"), y.removeprefix("name:")
        return nx in ny.split() or ny in nx.split()
    if ax is not None and ay is not None:
        if ax.country and ay.country and ax.country != ay.country:
            return False
        if (ax.kind == "person") != (ay.kind == "person"):
            return True  # an institution and its official or spokesperson (different countries were ruled out above)
        wx, wy = set(norm_name(ax.name).split()), set(norm_name(ay.name).split())
        return bool(wx and wy and (wx <= wy or wy <= wx)) and ax.kind != "person"  # "ministry" / "defence ministry"
    actor, other = (ax, y) if ax is not None else (ay, x)
    name = other.removeprefix("name:")
    forms = {norm_name(f) for f in (actor.name, *actor.aliases, *actor.roles)}
    return name in forms or any(name in f.split() for f in forms if " " in f) or any(
        f in name for f in forms if " " in f and len(f) > 6
    )


def speaker_disputes(
    clusters: Iterable[QuoteCluster],
    quotes: Mapping[str, Quote],
    canon: Mapping[str, str],
    actors: Mapping[str, CanonicalActor],
    outlets: Mapping[str, str | None],
) -> list[Dispute]:
    """A dispute for each cluster whose members name incompatible speakers."""
    by_name: dict[str, str] = {}
    for a in actors.values():
        for f in (a.name, *a.aliases, *a.roles):
            by_name.setdefault(norm_name(f), a.id)
    out = []
    for cl in clusters:
        if len(cl.quote_ids) < 2:
            continue
        ids: dict[str, list[Quote]] = defaultdict(list)
        for qid in cl.quote_ids:
            q = quotes[qid]
            ident = _identity(q, canon, actors, by_name)
            if ident is not None:
                ids[ident].append(q)
        keys = sorted(ids)
        # merge compatible identities ("Asif" with "Khawaja Asif", a role with its holder)
        uf = UnionFind(keys)
        for i, x in enumerate(keys):
            for y in keys[i + 1 :]:
                if _compatible(x, y, actors):
                    uf.union(x, y)
        parts = uf.groups()
        if len(parts) < 2:
            continue
        sides = []
        for part in parts:
            qs = sorted((q for k in part for q in ids[k]), key=lambda q: q.id)
            names = sorted({actors[k].name if k in actors else (qs[0].speaker or k) for k in part})
            sides.append(
                DisputeSide(
                    value=" / ".join(names),
                    claimant=", ".join(sorted({outlets.get(q.article_id) or q.article_id for q in qs})),
                    article_ids=tuple(sorted({q.article_id for q in qs})),
                    spans=tuple(
                        SourceSpan(q.article_id, q.speaker_start if q.speaker_start is not None else q.start,
                                   q.speaker_end if q.speaker_end is not None else q.end)
                        for q in qs
                    ),
                )
            )
        sides.sort(key=lambda s: s.value)
        short = cl.text if len(cl.text) <= 80 else cl.text[:77] + "..."
        out.append(
            Dispute(
                id=stable_id("dispute", "speaker", cl.id, prefix="dp_"),
                kind="speaker",
                summary=f"Outlets attribute the words \u201c{short}\u201d to different speakers: "
                + " vs ".join(s.value for s in sides)
                + ".",
                sides=tuple(sides),
                quote_cluster_id=cl.id,
            )
        )
    return out
