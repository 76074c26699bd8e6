"""Benchmark fusion on a synthetic corpus: time and peak memory at 1k, 10k and 100k articles.

The generator makes many stories (pairs of fictional countries, their places and people),
each with incidents reported by several outlets in varied wording, syndicated copies,
quotes re-worded across outlets and competing casualty figures. Analysis records are
generated directly (no spaCy), so this measures fusion alone.

Each size runs in a fresh child process so peak memory (ru_maxrss) is per size; the corpus
itself is part of that peak and is printed separately. After the full run, 20 new articles
are added and fusion is re-run with the cache (the incremental cost).

    .venv/bin/python bench/fuse.py                 # 1k, 10k, 100k
    .venv/bin/python bench/fuse.py --sizes 1000,10000
    .venv/bin/python bench/fuse.py --stories-only --sizes 1000,10000,100000   # story clustering alone
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trucewatch.records import Actor, Analysis, Article, Claim, EventMention, Place, Quote, Relation, TimeExpr, stable_id  # noqa: E402

SPAN_DAYS = 3 * 365
START = 738000  # an ordinal day (2021-07-...)
SYL = "ka lo mi ra ten vo sa du bel ri an po ze tor li mon var os el ni ga fu".split()
WORDS = ("border post village ridge river road convoy camp market bridge hill checkpoint valley station depot "
         "artillery rockets drones mortars patrol unit brigade militia troops police residents officials observers "
         "night morning evening heavy sporadic intense brief renewed sudden fresh prolonged").split()
VERBS = [("shelling", "shelled"), ("airstrike", "bombed"), ("armed_clash", "clashed near"), ("attack", "attacked"),
         ("explosion", "blast hit"), ("talks", "met for talks in"), ("ceasefire", "agreed a truce in")]
_V = random.Random(1)
VOCAB = sorted({"".join(_V.choice(SYL) for _ in range(2 + i % 3)) for i in range(20000)})  # a wide vocabulary
FILLER = ("Residents said they heard explosions through the night. Aid groups asked both sides to allow access. "
          "Schools in the area were closed until further notice. The two governments have traded accusations for weeks. "
          "Markets reopened briefly before shops closed again. Diplomats urged restraint and more talks. "
          "Farmers said they could not reach their fields. Local radio broadcast warnings to stay indoors.").split(". ")


def name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(parts)).capitalize()


def iso(d: int) -> str:
    import datetime

    return datetime.date.fromordinal(d).isoformat()


class Story:
    def __init__(self, rng: random.Random, k: int):
        self.k = k
        # names carry the story number in syllables, so two conflicts never share a country or town
        n = len(SYL)
        tag = SYL[k % n] + SYL[(k // n) % n] + SYL[(k // (n * n)) % n]
        self.countries = [(name(rng, 2) + tag, f"Q{k:04X}"), (name(rng, 2) + tag + "ia", f"R{k:04X}")]
        self.places = [(name(rng, 2) + tag + " " + rng.choice(["Town", "Ridge", "Crossing", "Post"]), i % 2) for i in range(6)]
        self.people = [(name(rng) + " " + name(rng, 2) + tag, i % 2, rng.choice(["defence minister", "army spokesman", "governor", "foreign minister"])) for i in range(6)]
        self.start = START + rng.randrange(SPAN_DAYS)
        self.quotes = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(8, 14))) for _ in range(4)]


def make_corpus(n: int, seed: int = 7, first: int = 0):
    rng = random.Random(seed)
    n_stories = max(3, n // 40)
    stories = [Story(rng, k) for k in range(n_stories)]
    outlets = [f"{name(rng, 2)} {rng.choice(['Times', 'Post', 'Herald', 'Daily', 'Monitor'])}" for _ in range(80)]
    wires = ["Reuters", "AFP", "Zenta News Agency", "Borderline Wire"]
    # incidents: each story has a few a week over ~3 months
    incidents = []
    for s in stories:
        for j in range(rng.randint(6, 14)):
            typ, verb = rng.choice(VERBS)
            incidents.append((s, s.start + rng.randrange(90), typ, verb, rng.choice(s.places), rng.randint(0, 30), j))
    articles, analyses = [], []
    truth: dict[str, int] = {}  # event id -> the generated incident it reports
    story_truth: dict[str, int] = {}  # article id -> the generated story it belongs to
    i = 0
    while len(articles) < n:
        inc = rng.choice(incidents)
        s, day, typ, verb, (pname, side), toll, j = inc
        outlet = rng.choice(outlets)
        published = day + rng.randint(0, 2)
        if articles and rng.random() < 0.1:  # a syndicated copy of a recent article, lightly edited
            src_a, src_an = articles[-1 - rng.randrange(min(20, len(articles)))], None
            text = src_a.text.replace("said", "stated", 1) + f"\n— {rng.choice(wires)}"
            a = Article(stable_id(first + i, text), src_a.title, outlet, None, None, None, src_a.published, False, "metadata",
                        "day", None, "en", text, "txt", "0" * 64)
            an_src = analyses[articles.index(src_a)] if len(articles) < 2000 else None
            articles.append(a)
            story_truth[a.id] = story_truth[src_a.id]
            analyses.append(_reanchor(an_src, a) if an_src else Analysis(a.id, "bench"))
            if an_src:
                for e_old, e_new in zip(an_src.events, analyses[-1].events):
                    truth[e_new.id] = truth[e_old.id]
            i += 1
            continue
        acting_c, target_c = s.countries[side], s.countries[1 - side]
        parts, actors, events, claims, quotes = [], [], [], [], []
        pos = 0

        def add(sentence: str) -> tuple[int, int]:
            nonlocal pos
            start = pos
            parts.append(sentence)
            pos += len(sentence) + 1
            return start, start + len(sentence)

        aid = stable_id("bench", first + i)
        ca = Actor(stable_id(aid, "c", acting_c[0]), aid, acting_c[0], "country", country=acting_c[1])
        ct = Actor(stable_id(aid, "c", target_c[0]), aid, target_c[0], "country", country=target_c[1])
        actors += [ca, ct]
        when = rng.choice(["on Monday", "on Tuesday", "late on Friday", "overnight", "on Sunday"])
        explicit = rng.random() < 0.7
        opener = rng.choice(["", "Witnesses said ", "According to local reports, ", "In a new escalation, ", "Officials confirmed that "])
        tail = rng.choice(["officials said.", "a spokesman told reporters.", "the ministry said in a statement.",
                           "residents said.", "according to a local commander."])
        extra = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, 5)))
        lead = (f"{opener}{acting_c[0]} forces {verb} {pname} {when}, {rng.choice(['killing', 'leaving'])} "
                f"{toll + rng.choice([0, 0, 0, 2, 5])} soldiers dead near {extra}, {tail}")
        ss, se = add(lead)
        trig = lead.index(verb)
        tstart = lead.index(when)
        time_expr = TimeExpr(when, ss + tstart, ss + tstart + len(when), iso(day), iso(day), "day") if explicit else None
        place = Place(pname, ss + lead.index(pname), ss + lead.index(pname) + len(pname), pname, s.countries[side][0],
                      s.countries[side][1], f"{pname} Province", 10.0, 100.0, "city", f"g:{s.k}:{pname}")
        eid = stable_id(aid, "e", 0)
        cstart = ss + lead.index("soldiers") - len(str(toll)) - 1
        claims.append(Claim(stable_id(aid, "cl", 0), aid, float(toll), float(toll), float(toll), str(toll), "killed", "soldiers",
                            "killed", None, "officials", None, None, cstart, cstart + 10, eid))
        rels = ()
        if rng.random() < 0.15 and j > 0:
            rels = (Relation("retaliation", None, "in retaliation", ss, ss + 5),)
        truth[eid] = id(inc)
        events.append(EventMention(eid, aid, typ, verb, ss + trig, ss + trig + len(verb), ss, se, (ca.id,), (ct.id,), (place,),
                                   time_expr, status=("holds" if rng.random() < 0.5 else "collapsed") if typ == "ceasefire" else None,
                                   claim_ids=(claims[0].id,), relations=rels))
        person, pside, role = rng.choice(s.people)
        pa = Actor(stable_id(aid, "p", person), aid, person, "person", (role,), (person.split()[-1],), s.countries[pside][1])
        actors.append(pa)
        qtext = rng.choice(s.quotes)
        if rng.random() < 0.3:
            qtext = " ".join(qtext.split()[1:-1])
        qs, qe = add(f'{role.capitalize()} {person} said "{qtext}" to reporters.')
        off = qs + len(role) + len(person) + 9
        quotes.append(Quote(stable_id(aid, "q", 0), aid, qtext, person, pa.id, "said", True, off, off + len(qtext)))
        for f in rng.sample(FILLER, 2):  # some boilerplate shared by many articles
            add(f + ".")
        add(" ".join(rng.choice(WORDS if k % 3 else VOCAB) for k in range(rng.randint(40, 90))) + ".")
        text = " ".join(parts)
        art = Article(aid, lead[:60], outlet, None, None, None, iso(published), False, "metadata", "day", None, "en", text, "txt", "0" * 64)
        articles.append(art)
        story_truth[aid] = s.k
        analyses.append(Analysis(aid, "bench", tuple(actors), tuple(quotes), tuple(claims), tuple(events)))
        i += 1
    make_corpus.truth = truth  # type: ignore[attr-defined]
    make_corpus.story_truth = story_truth  # type: ignore[attr-defined]
    return articles, analyses


def bcubed(fusion, truth: dict[str, int]) -> tuple[float, float]:
    """B-cubed precision and recall of the incidents against the generated truth."""
    from collections import Counter

    found = {m.event_id: i.id for i in fusion.incidents for m in i.mentions}
    events = [e for e in truth if e in found]
    by_found = Counter(found[e] for e in events)
    by_truth = Counter(truth[e] for e in events)
    both = Counter((found[e], truth[e]) for e in events)
    p = sum(both[(found[e], truth[e])] / by_found[found[e]] for e in events) / max(1, len(events))
    r = sum(both[(found[e], truth[e])] / by_truth[truth[e]] for e in events) / max(1, len(events))
    return p, r


def _reanchor(an: Analysis, a: Article) -> Analysis:
    import dataclasses

    def rid(x):
        return stable_id(a.id, x)

    amap = {x.id: rid(x.id) for x in an.actors}
    emap = {e.id: rid(e.id) for e in an.events}
    return dataclasses.replace(
        an, article_id=a.id,
        actors=tuple(dataclasses.replace(x, id=amap[x.id], article_id=a.id) for x in an.actors),
        events=tuple(dataclasses.replace(e, id=emap[e.id], article_id=a.id, acting=tuple(amap.get(x, x) for x in e.acting),
                                         target=tuple(amap.get(x, x) for x in e.target)) for e in an.events),
        claims=tuple(dataclasses.replace(c, id=rid(c.id), article_id=a.id, event_id=emap.get(c.event_id)) for c in an.claims),
        quotes=tuple(dataclasses.replace(q, id=rid(q.id), article_id=a.id, speaker_actor_id=amap.get(q.speaker_actor_id)) for q in an.quotes),
    )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(n: int) -> dict:
    from trucewatch.fuse import FuseCache, fuse_with_cache

    t0 = time.perf_counter()
    articles, analyses = make_corpus(n)
    gen_s = time.perf_counter() - t0
    corpus_mb = rss_mb()
    cache = FuseCache()
    t0 = time.perf_counter()
    fusion, stats = fuse_with_cache(articles, analyses, cache=cache)
    fuse_s = time.perf_counter() - t0
    peak = rss_mb()
    precision, recall = bcubed(fusion, make_corpus.truth)  # type: ignore[attr-defined]
    counts = (len(fusion.incidents), len(fusion.disputes), len(fusion.copies), len(fusion.stories))
    del fusion  # a later run happens in a new process in real use
    gc.collect()
    new_a, new_an = make_corpus(20, seed=99, first=10**9)
    t0 = time.perf_counter()
    _, stats2 = fuse_with_cache(articles + new_a, analyses + new_an, cache=cache)
    inc_s = time.perf_counter() - t0
    return {
        "articles": n, "generate_s": round(gen_s, 2), "fuse_s": round(fuse_s, 2), "peak_rss_mb": round(peak),
        "corpus_rss_mb": round(corpus_mb), "incidents": counts[0], "disputes": counts[1],
        "copy_groups": counts[2], "stories": counts[3],
        "incremental_add20_s": round(inc_s, 2), "blocks": stats2["blocks"], "blocks_rescored": stats2["blocks_rescored"],
        "phases": {k: round(v, 2) for k, v in stats.items() if k.startswith("t_")},
        "bcubed_precision": round(precision, 3), "bcubed_recall": round(recall, 3),
    }


def _bcubed_labels(found: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    from collections import Counter

    items = [a for a in truth if a in found]
    by_found, by_truth = Counter(found[a] for a in items), Counter(truth[a] for a in items)
    both = Counter((found[a], truth[a]) for a in items)
    p = sum(both[(found[a], truth[a])] / by_found[found[a]] for a in items) / max(1, len(items))
    r = sum(both[(found[a], truth[a])] / by_truth[truth[a]] for a in items) / max(1, len(items))
    return p, r


def one_stories(n: int) -> dict:
    """Stories alone: canonical actors (their input) first, then story clustering from nothing, then 20 new
    articles with the story cache (only the stories they touch are clustered again)."""
    from trucewatch.fuse.actors import canonical_actors
    from trucewatch.fuse.stories import StoryCache, stories

    articles, analyses = make_corpus(n)
    truth = dict(make_corpus.story_truth)  # type: ignore[attr-defined]
    corpus_mb = rss_mb()
    actors, canon = canonical_actors(analyses)
    by_id = {an.article_id: an for an in analyses}
    cache = StoryCache()
    t0, c0 = time.perf_counter(), time.process_time()
    out = stories(articles, (), (), analyses=by_id, canon=canon, actors=actors, cache=cache)
    full_s, full_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = rss_mb()
    p, r = _bcubed_labels({a: s.id for s in out for a in s.article_ids}, truth)
    new_a, new_an = make_corpus(20, seed=99, first=10**9)
    analyses2 = analyses + new_an
    actors2, canon2 = canonical_actors(analyses2)
    t0 = time.perf_counter()
    stories(articles + new_a, (), (), analyses={an.article_id: an for an in analyses2}, canon=canon2, actors=actors2, cache=cache)
    inc_s = time.perf_counter() - t0
    return {"articles": n, "stories_s": round(full_s, 2), "stories_cpu_s": round(full_cpu, 2), "peak_rss_mb": round(peak), "corpus_rss_mb": round(corpus_mb),
            "stories": len(out), "true_stories": len(set(truth.values())), "bcubed_precision": round(p, 3),
            "bcubed_recall": round(r, 3), "incremental_add20_s": round(inc_s, 2), **cache.last}


def main_stories(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        r = subprocess.run([sys.executable, __file__, "--one-stories", str(n)], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            sys.exit(r.returncode)
        row = json.loads(r.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{n:>7} articles: stories {row['stories_s']:>7.2f} s (cpu {row['stories_cpu_s']:.2f} s)  peak {row['peak_rss_mb']:>5} MB (corpus alone "
              f"{row['corpus_rss_mb']} MB)  {row['stories']} stories ({row['true_stories']} generated), B-cubed P "
              f"{row['bcubed_precision']} R {row['bcubed_recall']}  | +20 articles incremental {row['incremental_add20_s']:.2f} s "
              f"({row['reclustered_articles']} articles re-clustered, {row['fixed_stories']} stories kept)", flush=True)
    for a, b in zip(rows, rows[1:]):
        print(f"{a['articles']} -> {b['articles']}: x{b['articles'] / a['articles']:.0f} articles, "
              f"time x{b['stories_s'] / max(a['stories_s'], 1e-9):.1f}, peak memory x{b['peak_rss_mb'] / a['peak_rss_mb']:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated article counts")
    ap.add_argument("--stories-only", action="store_true", help="time story clustering alone (fuse/stories.py)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-stories", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    if args.one_stories:
        print(json.dumps(one_stories(args.one_stories)))
        return
    if args.stories_only:
        main_stories([int(x) for x in args.sizes.split(",")])
        return
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        r = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            sys.exit(r.returncode)
        row = json.loads(r.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{n:>7} articles: fuse {row['fuse_s']:>7.2f} s  peak {row['peak_rss_mb']:>5} MB "
              f"(corpus alone {row['corpus_rss_mb']} MB)  incidents {row['incidents']}  disputes {row['disputes']}  "
              f"copies {row['copy_groups']}  stories {row['stories']}  | +20 articles incremental {row['incremental_add20_s']:.2f} s "
              f"({row['blocks_rescored']}/{row['blocks']} blocks re-scored)", flush=True)
        print(f"         incidents vs generated truth: B-cubed precision {row['bcubed_precision']}, recall {row['bcubed_recall']}")
        print(f"         phases (cumulative s): {row['phases']}", flush=True)
    for a, b in zip(rows, rows[1:]):
        print(f"{a['articles']} -> {b['articles']}: x{b['articles'] / a['articles']:.0f} articles, "
              f"time x{b['fuse_s'] / max(a['fuse_s'], 1e-9):.1f}, peak memory x{b['peak_rss_mb'] / a['peak_rss_mb']:.1f}")


if __name__ == "__main__":
    main()
