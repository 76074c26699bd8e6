"""Benchmark: trucewatch analyze vs the bare spaCy model on the same texts, in the same run.

Generates N articles of about 600 words from the golden fixtures (tests/golden/articles),
shuffling their paragraphs with a fixed seed, then times

* bare ``nlp.pipe`` of the configured model (``spacy.load``, no trucewatch components), and
* ``analyze_many`` (model + trucewatch components + actors/quotes/claims/times/places/events),

and prints articles/s for both, the ratio, and the peak memory of this process (and of the
workers with --processes > 1). Targets (issue 3): >= 10 articles/s on 2 cores; analyze <= 1.4x bare.

    .venv/bin/python bench/analyze.py                 # 500 articles, 1 process
    .venv/bin/python bench/analyze.py --processes 2   # both passes on 2 processes

``--scale`` (see :func:`scale`) instead times analyze at 1x, 2x and 4x the input, in one process: ``--n``
articles of ``--words`` words, and one long article of ``--long-words`` words (parse and rules timed
apart); ``--over-limit`` adds one article longer than the model's max_length (analyzed in parts).

    .venv/bin/python bench/analyze.py --scale --n 20 --long-words 4000
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from golden import golden_cases  # noqa: E402

from trucewatch.records import Article, stable_id  # noqa: E402
from trucewatch.settings import Settings  # noqa: E402


def make_articles(n: int, words: int = 600, seed: int = 7) -> list[Article]:
    """``n`` articles of about ``words`` words, built from the golden fixtures' paragraphs."""
    rng = random.Random(seed)
    cases = golden_cases()
    paragraphs = [p.strip() for _, art, _ in cases for p in art.text.split("\n\n") if len(p.split()) > 6]
    out = []
    for i in range(n):
        parts, count = [], 0
        while count < words:
            p = rng.choice(paragraphs)
            parts.append(p)
            count += len(p.split())
        text = "\n\n".join(parts)
        base = cases[i % len(cases)][1]
        out.append(Article(
            id=stable_id("bench", i), title=None, outlet=base.outlet, url=None, source_path=f"bench-{i}", dateline=None,
            published=base.published, published_inferred=False, published_origin="metadata", published_precision="day",
            published_range=None, language="en", text=text, fmt="txt", raw_sha256=stable_id("raw", i),
        ))
    return out


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def scale(n: int, words: int, long_words: int, over_limit: bool) -> None:
    """Analyze time at 1x, 2x, 4x the input (1 process, CPU seconds; ratio = CPU time / CPU time at 1x):
    ``n`` articles of ``words`` words, and one article of ``long_words`` words, its parse and its rules apart."""
    from trucewatch.analyze import analyze_many, load_resources
    from trucewatch.analyze.chunks import paragraph_chunks
    from trucewatch.analyze.pipeline import analysis_from_doc

    settings = Settings.from_env(env={})
    res = load_resources(settings)
    list(analyze_many(make_articles(2, 100), settings, processes=1, res=res))  # warm up
    print(f"analyze time at 1x, 2x, 4x the input, 1 process, model {settings.spacy_model} "
          "(CPU seconds: wall time also counts waiting for a shared core)")
    base = None
    for k in (1, 2, 4):
        arts = make_articles(n * k, words)
        c0 = cpu_seconds()
        done = sum(hasattr(r, "quotes") for r in analyze_many(arts, settings, processes=1, res=res))
        cpu = cpu_seconds() - c0
        base = base or cpu
        print(f"  {n * k:5} articles of ~{words} words: {done} analyses in {cpu:7.1f} s CPU  ratio {cpu / base:5.2f}")
    base = None
    for k in (1, 2, 4):
        art = make_articles(1, long_words * k, seed=3)[0]
        c0 = cpu_seconds()
        doc = res.nlp(art.text)
        c1 = cpu_seconds()
        an = analysis_from_doc(doc, art, res)
        c2 = cpu_seconds()
        base = base or (c1 - c0, c2 - c1)
        print(f"  one article of {long_words * k:6} words ({len(art.text) / 1e3:5.0f}k chars): parse {c1 - c0:6.1f} s "
              f"(ratio {(c1 - c0) / base[0]:4.2f}), rules {c2 - c1:6.1f} s (ratio {(c2 - c1) / base[1]:4.2f}); "
              f"{len(an.claims)} claims, {len(an.events)} events")
    if over_limit:
        words_over = res.nlp.max_length // 7
        art = make_articles(1, words_over, seed=4)[0]
        while len(art.text) <= res.nlp.max_length:
            words_over = int(words_over * 1.2)
            art = make_articles(1, words_over, seed=4)[0]
        parts = len(paragraph_chunks(art.text))
        c0 = cpu_seconds()
        [an] = analyze_many([art], settings, processes=1, res=res)
        print(f"  one article over max_length ({len(art.text):,} chars > {res.nlp.max_length:,}): {type(an).__name__} "
              f"in {parts} parts, {cpu_seconds() - c0:.1f} s CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="articles (default 500)")
    ap.add_argument("--words", type=int, default=600, help="words per article (default 600)")
    ap.add_argument("--processes", type=int, default=1, help="worker processes for both passes (default 1)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--profile", action="store_true", help="print the top functions of the analyze pass (1 process)")
    ap.add_argument("--scale", action="store_true", help="time 1x, 2x, 4x the input instead (see scale())")
    ap.add_argument("--long-words", type=int, default=4000, help="with --scale: words of the long article at 1x")
    ap.add_argument("--over-limit", action="store_true", help="with --scale: also one article over max_length")
    args = ap.parse_args()
    if args.scale:
        scale(args.n if args.n != 500 else 20, args.words, args.long_words, args.over_limit)
        return

    import spacy

    from trucewatch.analyze import analyze_many, load_resources

    settings = Settings.from_env(batch_size=args.batch_size, processes=args.processes)
    arts = make_articles(args.n, args.words)
    texts = [a.text for a in arts]
    total_words = sum(len(t.split()) for t in texts)
    print(f"{len(arts)} articles, {total_words / len(arts):.0f} words each on average, model {settings.spacy_model}, "
          f"batch {args.batch_size}, processes {args.processes}")

    nlp = spacy.load(settings.spacy_model)
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.processes):
        pass
    bare, bare_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    del nlp
    gc.collect()

    res = load_resources(settings) if args.processes == 1 else None
    prof = None
    if args.profile and args.processes == 1:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0, c0 = time.perf_counter(), cpu_seconds()
    n_ok = 0
    for r in analyze_many(arts, settings, processes=args.processes, res=res):
        n_ok += hasattr(r, "quotes")
    full, full_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if prof is not None:
        prof.disable()
        import pstats

        pstats.Stats(prof).sort_stats("tottime").print_stats(25)

    cores = max(1, args.processes)
    if cores == 1:
        print(f"bare nlp.pipe : wall {bare:7.1f} s  {len(arts) / bare:6.1f} articles/s | CPU {bare_cpu:7.1f} s  "
              f"{len(arts) / bare_cpu:6.1f} articles/s per core")
        print(f"analyze       : wall {full:7.1f} s  {len(arts) / full:6.1f} articles/s | CPU {full_cpu:7.1f} s  "
              f"{len(arts) / full_cpu:6.1f} articles/s per core  ({n_ok} analyses)")
        print(f"ratio analyze/bare: wall {full / bare:.2f}x, CPU {full_cpu / bare_cpu:.2f}x  (target <= 1.4x)")
    else:
        # Pool workers are children of the forkserver, so their CPU time is not visible here: wall time only.
        print(f"bare nlp.pipe : wall {bare:7.1f} s  {len(arts) / bare:6.1f} articles/s on {cores} processes")
        print(f"analyze       : wall {full:7.1f} s  {len(arts) / full:6.1f} articles/s on {cores} processes "
              f"(includes loading the model in each worker)  ({n_ok} analyses)")
        print(f"ratio analyze/bare: wall {full / bare:.2f}x  (target <= 1.4x)")
    print("(CPU-time rates are what the passes would reach with the cores to themselves; wall rates include "
          "waiting for cores other processes were using.)")
    print(f"peak memory: this process {peak_mb():.0f} MB, largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")


if __name__ == "__main__":
    main()
