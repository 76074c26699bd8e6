"""Quote matching: one utterance reported by several outlets in different wording becomes one cluster.

Candidates share one of a quote's rarest words (blocking); a pair matches when the shorter
quote is contained in the longer one (rapidfuzz ``partial_ratio`` >= :data:`PARTIAL`, for
partial vs full quotes) or when the word sets agree (``token_set_ratio`` >= :data:`TOKEN_SET`,
for reworded quotes). Speaker disputes compare canonical actors, so "Asif" vs
"Khawaja Asif", or a name vs that person's role, is no dispute.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import fuzz

from ..records import CanonicalActor, Dispute, DisputeSide, Quote, QuoteCluster, SourceSpan, stable_id
from ._util import STOPWORDS, UnionFind, norm, norm_name, tokens

__all__ = ["quote_clusters", "speaker_disputes"]

# Tuned together on tests/test_fuse_quotes.py.
PARTIAL = 90
TOKEN_SET = 86
MIN_WORDS = 3
RARE_KEYS = 3
MAX_BLOCK = 200


def _words(q: Quote) -> list[str]:
    return [t for t in tokens(q.text) if t not in STOPWORDS and len(t) > 2]


def _match(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short.split()) >= 4 and fuzz.partial_ratio(short, long_) >= PARTIAL:
        return True
    return fuzz.token_set_ratio(a, b) >= TOKEN_SET and min(len(a.split()), len(b.split())) >= MIN_WORDS


def quote_clusters(
    quotes: Iterable[Quote], count_sources: Callable[[Iterable[str]], int]
) -> tuple[tuple[QuoteCluster, ...], dict[str, str]]:
    """All quote clusters (singletons included), sorted by id, and the map quote id -> cluster id."""
    qs = sorted(quotes, key=lambda q: q.id)
    words = {q.id: _words(q) for q in qs}
    df = Counter(w for q in qs for w in set(words[q.id]))
    blocks: dict[str, list[Quote]] = defaultdict(list)
    for q in qs:
        rare = sorted(set(words[q.id]), key=lambda w: (df[w], w))[:RARE_KEYS]
        for w in rare:
            blocks[w].append(q)
    text = {q.id: norm(q.text) for q in qs}
    uf = UnionFind(q.id for q in qs)
    seen: set[tuple[str, str]] = set()
    for w in sorted(blocks):
        group = blocks[w][:MAX_BLOCK]
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (a.id, b.id) in seen or uf.find(a.id) == uf.find(b.id):
                    continue
                seen.add((a.id, b.id))
                if a.article_id == b.article_id and text[a.id] != text[b.id]:
                    continue
                if _match(text[a.id], text[b.id]):
                    uf.union(a.id, b.id)
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


def _identity(q: Quote, canon: Mapping[str, str], actors: Mapping[str, CanonicalActor], by_name: Mapping[str, str]) -> str | None:
    """The canonical actor id of the speaker, else a normalised name; None for an unnamed or anonymous speaker."""
    if q.speaker_actor_id and q.speaker_actor_id in canon:
        return canon[q.speaker_actor_id]
    if not q.speaker:
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
        return False
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
