"""Cross-document event coreference: which event mentions describe the same real-world incident.

Pipeline (group by key, then merge):

1. :func:`mention_features` — per mention: type family, a date interval (the mention's
   time expression, else the article's publication date or inferred range widened by
   :data:`REPORT_LAG` days back), places, canonical actors, content words of the sentence.
2. Blocking — a mention goes into primary blocks ``(family, date bucket)``; inside a
   block, candidate pairs share a secondary key (place, actor or one of the sentence's
   longest words). Blocks larger than :data:`MAX_BLOCK` are compared within a sliding
   window in date order, so cost stays linear.
3. Scoring — :func:`score` mixes date overlap, place compatibility, actor overlap, text
   overlap and exact type; hard constraints keep apart mentions with specific places that
   are incompatible or explicit dates more than :data:`DATE_TOLERANCE` days apart.
4. Greedy average-free merge — pairs above :data:`LINK` in score order join clusters
   unless the clusters' explicit dates or specific places conflict.

Primary blocks are the unit of incremental work: the scored pairs of each block are
cached under a fingerprint of its members, so a rerun re-scores only changed blocks.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..records import Article, EventMention, Place
from ._util import cached_pairs, content_tokens, day
from .places import place_key, place_level, places_compatible

__all__ = ["FAMILIES", "INCIDENT_FAMILIES", "MentionInfo", "cluster_mentions", "family_of", "mention_features"]

# Tuned together on tests/test_fuse_incidents.py (change as a set).
REPORT_LAG = 7  # days an undated event may precede its report (background mentions of last week)
DATE_TOLERANCE = 2  # explicit dates this far apart may still be one incident (then a date dispute)
VAGUE_DAYS = 31  # a time expression spanning more days than this is ignored for dating
BUCKET_DAYS = 4
MAX_BUCKETS = 10  # a wider interval is blocked by its last buckets only
MAX_BLOCK = 300
WINDOW = 60
LINK = 0.45  # score needed to merge
CROSS_BORDER_TEXT = 0.4  # text overlap needed to link mentions placed in different countries
LINK_DATE_GAP = 0.6  # score needed when explicit dates differ by 1..DATE_TOLERANCE days

#: Taxonomy key -> coarse family. Unknown keys fall back to :func:`family_of`'s word rules.
FAMILIES: dict[str, str] = {
    "armed_clash": "violence",
    "clash": "violence",
    "airstrike": "violence",
    "air_strike": "violence",
    "drone_strike": "violence",
    "shelling": "violence",
    "explosion": "violence",
    "attack": "violence",
    "attack_on_posts": "violence",
    "cross_border_fire": "violence",
    "ambush": "violence",
    "killing": "violence",
    "shooting": "violence",
    "talks": "talks",
    "negotiations": "talks",
    "meeting": "talks",
    "agreement": "agreement",
    "ceasefire": "agreement",
    "truce": "agreement",
    "border_closure": "border",
    "border_reopening": "border",
    "deportation": "displacement",
    "displacement": "displacement",
    "threat": "threat",
    "warning": "threat",
    "accusation": "accusation",
    "denial": "denial",
    "statement": "statement",
    "protest": "protest",
    "arrest": "arrest",
}
_WORD_RULES = (
    ("deni", "denial"),
    ("accus", "accusation"),
    ("blame", "accusation"),
    ("threat", "threat"),
    ("warn", "threat"),
    ("statement", "statement"),
    ("talk", "talks"),
    ("negotiat", "talks"),
    ("meeting", "talks"),
    ("ceasefire", "agreement"),
    ("truce", "agreement"),
    ("agreement", "agreement"),
    ("deal", "agreement"),
    ("border", "border"),
    ("deport", "displacement"),
    ("displac", "displacement"),
    ("refugee", "displacement"),
    ("return", "displacement"),
    ("clash", "violence"),
    ("strike", "violence"),
    ("shell", "violence"),
    ("attack", "violence"),
    ("explo", "violence"),
    ("bomb", "violence"),
    ("fire", "violence"),
    ("fight", "violence"),
    ("kill", "violence"),
    ("raid", "violence"),
)
#: Families whose mentions become incidents; the others (statements, threats, accusations,
#: denials) are speech about incidents and feed disputes instead.
INCIDENT_FAMILIES = frozenset({"violence", "talks", "agreement", "border", "displacement", "protest", "arrest"})


def family_of(event_type: str) -> str:
    t = event_type.lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    fam = FAMILIES.get(t)
    if fam:
        return fam
    for needle, family in _WORD_RULES:
        if needle in t:
            return family
    return "other"


@dataclass(frozen=True, slots=True)
class MentionInfo:
    """What coreference needs to know about one event mention."""

    id: str
    article_id: str
    type: str
    family: str
    lo: int | None  # day ordinals of the date interval
    hi: int | None
    explicit: bool  # the interval comes from a day-precise time expression in the text
    places: tuple[Place, ...]
    actors: frozenset[str]
    sides: frozenset[str]  # countries (or actor ids) of the actors
    words: frozenset[str]
    keys: tuple[str, ...]  # secondary blocking keys
    fingerprint: str
    start: int = 0  # trigger offset in the article
    members: tuple[str, ...] = ()  # for a unit: the mention ids it stands for
    timed: bool = False  # has a resolved time expression of its own (however vague)
    related: frozenset[str] = frozenset()  # mentions of its article it is stated to follow ("in retaliation for", "after")
    new: bool = False  # introduced as another incident ("fresh clashes", "renewed shelling"), not an anaphor
    home: tuple[Place, ...] = ()  # no place of its own: the province of its report's lead town (binds links only)

    @property
    def anchored(self) -> bool:
        """Has its own date or a specific place (so it can be told apart from other incidents)."""
        return self.explicit or any(place_level(p) >= 1 for p in self.places)


def _interval(ev: EventMention, art: Article) -> tuple[int | None, int | None, bool]:
    t = ev.time
    if t is not None and t.date_start:
        lo, hi = day(t.date_start), day(t.date_end or t.date_start)
        if lo is not None and hi is not None and hi >= lo and hi - lo <= VAGUE_DAYS:
            return lo, hi, t.precision == "day" or (t.precision == "range" and hi - lo <= 3)
        # a vaguer expression ("in 2021", "this year") does not place the event: use the report date
    if art.published_range:
        lo, hi = day(art.published_range[0]), day(art.published_range[1])
        if lo is not None and hi is not None:
            return lo - REPORT_LAG, hi, False
    p = day(art.published)
    if p is None:
        return None, None, False
    return p - REPORT_LAG, p, False


def mention_features(
    ev: EventMention, art: Article, canon: Mapping[str, str], side_of: Mapping[str, str] | None = None,
    lead: Place | None = None,
) -> MentionInfo:
    """What linking needs of ``ev``. ``lead`` is the town its report's opening says the news happened in: a
    mention with no specific place of its own is bound to that town's province (a report from Ohio does not
    tell of a shooting in Texas), which rules links out but is no evidence and no place of the incident."""
    lo, hi, explicit = _interval(ev, art)
    actors = frozenset(canon.get(a, a) for a in (*ev.acting, *ev.target))
    sides = frozenset((side_of or {}).get(a, a) for a in actors)
    sentence = art.text[ev.sentence_start : ev.sentence_end] if ev.sentence_end > ev.sentence_start else ev.trigger
    words = content_tokens(sentence)
    places = tuple(sorted(set(ev.places), key=lambda p: (place_key(p), p.start)))
    keys = _keys(places, actors, words)
    fam = family_of(ev.type)
    fp = hashlib.sha1(
        repr((ev.id, ev.type, lo, hi, explicit, [place_key(p) + str(place_level(p)) + str(p.admin1) + str(p.country_code) for p in places], sorted(actors), sorted(sides), sorted(words))).encode()
    ).hexdigest()[:16]
    related = frozenset(r.target_event_id for r in ev.relations if r.target_event_id)
    home = home_area(lead) if lead is not None and not any(place_level(p) >= 1 for p in places) else ()
    if home:
        fp = hashlib.sha1((fp + place_key(home[0])).encode()).hexdigest()[:16]
    return MentionInfo(ev.id, art.id, ev.type, fam, lo, hi, explicit, places, actors, sides, words, tuple(keys), fp,
                       ev.start, (ev.id,), ev.time is not None and bool(ev.time.date_start), related,
                       _introduced_as_new(art.text, ev), home)


def home_area(lead: Place) -> tuple[Place, ...]:
    """The province of a report's lead town, as a place to compare with (a neighbouring town of the same
    province stays possible; one in another province or country is ruled out)."""
    province = lead.admin1 or (lead.resolved_name if lead.feature == "admin1" else None)
    if not province or not lead.country_code:
        return ()
    return (Place(name=province, start=lead.start, end=lead.end, resolved_name=province, country=lead.country,
                  country_code=lead.country_code, feature="admin1"),)


def linking_places(m: MentionInfo) -> tuple[Place, ...]:
    """The places a mention is compared by: its own specific ones, else its report's home province."""
    own = tuple(p for p in m.places if place_level(p) >= 1)
    return own or m.home


#: Words before a trigger that introduce another incident rather than point back at one ("fresh clashes").
NEW_CUES = frozenset("fresh new renewed another further additional".split())


def _introduced_as_new(text: str, ev: EventMention) -> bool:
    """Whether the trigger's noun phrase opens with a word of :data:`NEW_CUES` ("in fresh cross-border fire")."""
    before = text[max(ev.sentence_start, ev.start - 40):ev.start].lower().replace("-", " ").split()
    return bool(before) and any(w in NEW_CUES for w in before[-2:])


def _keys(places, actors, words) -> tuple[str, ...]:
    keys = sorted({place_key(p) for p in places} | {f"a:{a}" for a in actors})
    keys += [f"w:{w}" for w in sorted(words, key=lambda w: (-len(w), w))[:3]]
    return tuple(keys) or ("*",)


def units(mentions: Iterable[MentionInfo]) -> list[MentionInfo]:
    """Within-article coreference: each mention with neither its own date nor a specific place
    ("the fighting", "the attack") joins an anchored mention of its family in the same article (one
    of its own type first, else the nearest one before it, else the nearest after it); when an article has no anchored mention of a family, its floating mentions of that
    family form one unit. A mention never joins a group holding a mention it is stated to follow or
    that follows it ("in retaliation, fighters attacked ...": two incidents), and one introduced as
    new ("fresh clashes") joins only an anchored mention of its own type; such mentions with nowhere
    to go stand alone. Cross-article clustering then works on these units."""
    by: dict[tuple[str, str], list[MentionInfo]] = defaultdict(list)
    for m in mentions:
        by[(m.article_id, m.family)].append(m)
    out = []
    for (_, _), ms in sorted(by.items()):
        ms.sort(key=lambda m: (m.start, m.id))
        anchored = [m for m in ms if m.anchored]
        # anchored mentions of one day (or overlapping explicit intervals) and compatible places are one unit
        heads: list[MentionInfo] = []
        groups: dict[str, list[MentionInfo]] = {}
        for m in anchored:
            for h in heads:
                # talks run over days: one article's rounds told a day apart are one round
                span = 1 if m.family == "talks" and m.type == h.type else 0
                if (m.explicit and h.explicit and _gap(m, h) is not None and _gap(m, h) <= span  # type: ignore[operator]
                        and places_compatible(m.places, h.places) != 0.0) or (
                        # undated mentions of one article at the same specific place ("artillery exchanges
                        # near Khost", "shelling in Khost") tell one incident
                        not (m.timed or h.timed or m.explicit or h.explicit) and not m.new
                        and places_compatible(m.places, h.places) == 1.0 and not (set(m.related) & set(h.members))) or (
                        # talks and agreements: "negotiations in Istanbul" and "the talks ended on Wednesday" in one
                        # report are one round (a violent act placed here and one dated there may be two)
                        m.family in ("talks", "agreement") and m.type == h.type and not m.new
                        and (m.explicit != h.explicit) and not (m.timed and not m.explicit)
                        and places_compatible(m.places, h.places) != 0.0):
                    groups[h.id].append(m)
                    break
            else:
                heads.append(m)
                groups[m.id] = [m]
        anchored = heads
        floating = [m for m in ms if not m.anchored]
        linked: dict[str, set[str]] = defaultdict(set)  # stated order between mentions, both ways
        for m in ms:
            for r in m.related:
                linked[m.id].add(r)
                linked[r].add(m.id)

        def apart(f: MentionInfo, head: MentionInfo) -> bool:
            return any(linked[f.id] & set(x.members) for x in groups[head.id])

        loose: list[MentionInfo] = []
        for f in floating:
            # "the strikes" refers to an earlier strike rather than to a nearer shelling: same type first,
            # then the nearest mention before it (anaphora points back), then the nearest after it
            # ("fighting earlier this month" has a time of its own, however vague: it is no anaphor
            # and simply joins the nearest)
            options = [a for a in anchored if not apart(f, a) and (not f.new or a.type == f.type)]
            if not f.timed and any(a.start < f.start for a in anchored):
                # an anaphor points back: past an anchored mention it may not join, it does not reach forward
                options = [a for a in options if a.start < f.start]
            if not options:
                loose.append(f)
                continue
            if f.timed:
                near = min(options, key=lambda a: (abs(a.start - f.start), a.start < f.start, a.id))
            else:
                near = min(options, key=lambda a: (a.type != f.type, a.start > f.start, abs(a.start - f.start), a.id))
            groups[near.id].append(f)
        # floating mentions with no anchored one to join: one unit, except those stated to follow one another
        # or introduced as new, which stand alone
        rest: list[MentionInfo] = []
        for f in loose:
            if f.new or any(linked[f.id] & set(x.members) for x in rest) or (anchored and linked[f.id]):
                groups[f.id] = [f]
            else:
                rest.append(f)
        if rest:
            groups[rest[0].id] = rest
        for group in groups.values():
            out.append(_merge_unit(group))
    return sorted(out, key=lambda u: u.id)


def _merge_unit(group: list[MentionInfo]) -> MentionInfo:
    if len(group) == 1:
        return group[0]
    head = group[0] if group[0].anchored else min(group, key=lambda m: m.id)
    anchors = [m for m in group if m.anchored]
    head = anchors[0] if anchors else head
    places = tuple(dict.fromkeys(p for m in group for p in m.places))
    actors = frozenset().union(*(m.actors for m in group))
    sides = frozenset().union(*(m.sides for m in group))
    words = frozenset().union(*(m.words for m in group))
    lo, hi = head.lo, head.hi
    if not head.explicit:
        los = [m.lo for m in group if m.lo is not None]
        his = [m.hi for m in group if m.hi is not None]
        if los and max(los) <= min(his):
            lo, hi = max(los), min(his)
    types = Counter(m.type for m in group)
    typ = max(types, key=lambda t: (types[t], t == head.type, t))
    members = tuple(sorted(x for m in group for x in m.members))
    fp = hashlib.sha1("|".join(sorted(m.fingerprint for m in group)).encode()).hexdigest()[:16]
    related = frozenset().union(*(m.related for m in group)) - set(members)
    home = () if any(place_level(p) >= 1 for p in places) else next((m.home for m in group if m.home), ())
    return MentionInfo(members[0], head.article_id, typ, head.family, lo, hi, head.explicit, places, actors, sides, words,
                       _keys(places, actors, words), fp, head.start, members, related=related, home=home)


def _gap(a: MentionInfo, b: MentionInfo) -> int | None:
    if a.lo is None or b.lo is None:
        return None
    return max(a.lo, b.lo) - min(a.hi, b.hi)  # type: ignore[type-var]


def _specific(places: Iterable[Place]) -> bool:
    return any(place_level(p) >= 1 for p in places)


def score(a: MentionInfo, b: MentionInfo) -> float:
    """Similarity in [0, 1] of two mentions of one family; 0.0 means they must stay apart."""
    gap = _gap(a, b)
    if gap is None:
        time = 0.3
    elif gap > DATE_TOLERANCE or (gap > 0 and not (a.explicit and b.explicit)):
        return 0.0
    elif gap > 0:
        time = 0.2
    elif a.explicit and b.explicit:
        time = 1.0 if a.lo == b.lo and a.hi == b.hi else 0.8
    else:
        time = 0.6
    pl = places_compatible(a.places, b.places)
    if pl is None and places_compatible(linking_places(a), linking_places(b)) == 0.0:
        return 0.0  # no places to compare, but their reports are from two provinces
    if pl is None:
        place = 0.4
    elif pl == 0.0 and _specific(a.places) and _specific(b.places):
        return 0.0
    else:
        place = max(pl, 0.1)
    if a.actors and b.actors:
        actor = max(len(a.actors & b.actors) / min(len(a.actors), len(b.actors)),
                    0.8 * len(a.sides & b.sides) / min(len(a.sides), len(b.sides)))
    else:
        actor = 0.3
    if a.words and b.words:
        text = len(a.words & b.words) / min(len(a.words), len(b.words))
    else:
        text = 0.0
    if pl is not None and pl < 0.3 and (actor < 0.5 or not (a.actors and b.actors)) and text < CROSS_BORDER_TEXT:
        return 0.0  # places in different countries: only the same story told in similar words links them
    same_type = 1.0 if a.type == b.type else 0.0
    s = 0.22 * time + 0.22 * place + 0.18 * actor + 0.28 * text + 0.10 * same_type
    if a.article_id == b.article_id and a.type != b.type:
        s -= 0.15  # one article rarely names one incident with two different event types
    return round(s, 4)


def block_keys(m: MentionInfo) -> list[str]:
    """Primary block keys ``family|bucket`` of a mention (its last :data:`MAX_BUCKETS` buckets)."""
    if m.lo is None:
        return [f"{m.family}|none"]
    first, last = m.lo // BUCKET_DAYS, m.hi // BUCKET_DAYS  # type: ignore[operator]
    first = max(first, last - MAX_BUCKETS + 1)
    return [f"{m.family}|{b}" for b in range(first, last + 1)]


def score_block(members: list[MentionInfo]) -> list[tuple[str, str, float]]:
    """Scored candidate pairs ``(id_a, id_b, score)`` with ``id_a < id_b`` and score >= :data:`LINK`."""
    members = sorted(members, key=lambda m: m.id)
    by_key: dict[str, list[MentionInfo]] = defaultdict(list)
    for m in members:
        for k in m.keys:
            by_key[k].append(m)
        if m.places == () or not m.actors:
            by_key["*"].append(m)  # little to block on: compare with everything unspecific
    seen: set[tuple[str, str]] = set()
    out = []
    for k in sorted(by_key):
        group = by_key[k]
        if len(group) > MAX_BLOCK:
            group = sorted(group, key=lambda m: (m.lo or 0, m.id))
            pairs = ((group[i], group[j]) for i in range(len(group)) for j in range(i + 1, min(i + 1 + WINDOW, len(group))))
        else:
            pairs = ((group[i], group[j]) for i in range(len(group)) for j in range(i + 1, len(group)))
        for x, y in pairs:
            a, b = (x, y) if x.id < y.id else (y, x)
            if (a.id, b.id) in seen:
                continue
            seen.add((a.id, b.id))
            s = score(a, b)
            if s >= LINK:
                out.append((a.id, b.id, s))
    out.sort()
    return out


@dataclass
class _Cluster:
    members: list[str]
    lo: int | None  # intersection of explicit intervals
    hi: int | None
    places: tuple[Place, ...]  # specific places
    apart: set[str]  # units it may not merge with
    flo: int | None = None  # intersection of the members' windows that are not explicit dates (report windows)
    fhi: int | None = None


def _cannot_link(units_: list[MentionInfo]) -> dict[str, set[str]]:
    """unit id -> units of the same article it must stay apart from: one is stated to follow the other
    ("in retaliation, fighters attacked ..."), or one was introduced as a new incident ("fresh clashes")."""
    by_article: dict[str, list[MentionInfo]] = defaultdict(list)
    for u in units_:
        by_article[u.article_id].append(u)
    out: dict[str, set[str]] = defaultdict(set)
    for us in by_article.values():
        if len(us) < 2:
            continue
        for u in us:
            for v in us:
                if u.id < v.id and (u.new or v.new or u.related & set(v.members or (v.id,))
                                    or v.related & set(u.members or (u.id,))):
                    out[u.id].add(v.id)
                    out[v.id].add(u.id)
    return out


def cluster_mentions(
    mentions: list[MentionInfo],
    block_cache: dict[str, tuple[str, list]] | None = None,
    stats: dict | None = None,
    changed: set[str] | None = None,
) -> list[list[str]]:
    """Clusters of mention ids (each sorted; clusters sorted by first id). ``block_cache`` maps a block
    key to ``(fingerprint, pairs)`` and is read and updated in place."""
    blocks: dict[str, list[MentionInfo]] = defaultdict(list)
    for m in mentions:
        for k in block_keys(m):
            blocks[k].append(m)
    cache = block_cache if block_cache is not None else {}
    pairs, rescored = cached_pairs(blocks, lambda m: m.fingerprint, score_block, cache, "ev:", changed)
    n_blocks = len(blocks)
    del blocks
    edges: dict[tuple[str, str], float] = {(a, b): s for a, b, s in pairs}
    if stats is not None:
        stats["blocks"] = n_blocks
        stats["blocks_rescored"] = rescored
        stats["candidate_links"] = len(edges)

    expand = {m.id: m.members or (m.id,) for m in mentions}
    apart = _cannot_link(mentions)
    clusters: dict[str, _Cluster] = {}
    owner: dict[str, str] = {}
    for m in mentions:
        explicit = m.explicit
        clusters[m.id] = _Cluster([m.id], m.lo if explicit else None, m.hi if explicit else None,
                                  linking_places(m), set(apart.get(m.id, ())),
                                  None if explicit else m.lo, None if explicit else m.hi)
        owner[m.id] = m.id
    for (a, b), s in sorted(edges.items(), key=lambda e: (-e[1], e[0])):
        ra, rb = owner[a], owner[b]
        if ra == rb:
            continue
        ca, cb = clusters[ra], clusters[rb]
        if ca.apart.intersection(cb.members):
            continue
        lo, hi = ca.lo, ca.hi
        if cb.lo is not None:
            if lo is None:
                lo, hi = cb.lo, cb.hi
            else:
                gap = max(lo, cb.lo) - min(hi, cb.hi)  # type: ignore[type-var]
                if gap > DATE_TOLERANCE or (gap > 0 and s < LINK_DATE_GAP):
                    continue
                if gap <= 0:
                    lo, hi = max(lo, cb.lo), min(hi, cb.hi)  # type: ignore[type-var]
        # windows are constraints for the whole group, not only for the pair that links it: an undated
        # mention in a wide report window must not bridge two rounds of talks ten days apart
        flo = max((x for x in (ca.flo, cb.flo) if x is not None), default=None)
        fhi = min((x for x in (ca.fhi, cb.fhi) if x is not None), default=None)
        if flo is not None and fhi is not None:
            if flo > fhi or (lo is not None and hi is not None and max(lo, flo) > min(hi, fhi)):
                continue
        pl = places_compatible(ca.places, cb.places)
        if pl == 0.0:
            continue
        keep, drop = (ra, rb) if len(ca.members) >= len(cb.members) else (rb, ra)
        big, small = clusters[keep], clusters[drop]
        big.members.extend(small.members)
        big.lo, big.hi = lo, hi
        big.places = tuple(dict.fromkeys((*big.places, *small.places)))
        big.apart |= small.apart
        big.flo, big.fhi = flo, fhi
        del clusters[drop]
        for mid in small.members:
            owner[mid] = keep
    return sorted((sorted(x for u in c.members for x in expand[u]) for c in clusters.values()), key=lambda ms: ms[0])
