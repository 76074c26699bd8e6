"""Benchmark: ``trucewatch analyze`` with default settings vs a bare pass of its own model, in one run.

Generates N articles of about 600 words from the golden fixtures (tests/golden/articles), shuffling
their paragraphs with a fixed seed, then times on the same texts

* **bare**: ``spacy.load(model).pipe(texts, batch_size=B, n_process=CPUs)`` — the full model, every
  component, no trucewatch code, nothing stored (its workers are forked with the model loaded);
* **analyze**: ``pipeline.analyze(settings, store)`` with default settings on a fresh SQLite store
  holding the articles, end to end: starting the worker processes, each loading the model and the
  gazetteer, the analysis, and saving every analysis to the store.

It prints articles/s for both, the ratio of the times (analyze / bare; goal <= 1.0), the start-up part
of the analyze time, the processes ``analyze`` used by default, and the peak memory (VmHWM) of this
process and of each worker process. Goal (issue 16): >= 20 articles/s on 2 cores and ratio <= 1.0.

    .venv/bin/python bench/analyze.py                 # 200 articles, default settings
    .venv/bin/python bench/analyze.py --n 400 --batch-size 32

On a shared machine absolute rates move with the load of other jobs; the ratio of the two passes
of the same run is the figure to compare.

``--scale`` (see :func:`scale`) instead times analyze at 1x, 2x and 4x the input, in one process: ``--n``
articles of ``--words`` words, and one long article of ``--long-words`` words (parse and rules timed
apart); ``--over-limit`` adds one article longer than the model's max_length (analyzed in parts).

    .venv/bin/python bench/analyze.py --scale --n 20 --long-words 4000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from golden import golden_cases  # noqa: E402

from trucewatch.records import Article, RawInput, stable_id  # noqa: E402
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


def _peak_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of process ``pid`` in KiB, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak memory of this process and of every process below it, sampled every ``every`` seconds."""

    def __init__(self, every: float = 0.2):
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for child in self.me.children(recursive=True):
            try:
                cmd = " ".join(child.cmdline())
                helper = "resource_tracker" in cmd or ("forkserver" in cmd and child.ppid() == self.me.pid)
            except Exception:  # the process ended between the listing and the look
                continue
            name = "helper" if helper else "worker"  # pool workers are the forkserver's children
            kb = _peak_kb(child.pid)
            if kb:
                self.peaks[child.pid] = (name, max(kb, self.peaks.get(child.pid, ("", 0))[1]))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def workers_mb(self) -> list[float]:
        return sorted((kb / 1024 for name, kb in self.peaks.values() if name == "worker"), reverse=True)


def bare_pass(texts: list[str], settings: Settings, cpus: int) -> tuple[float, list[float]]:
    import spacy

    nlp = spacy.load(settings.spacy_model)
    with MemorySampler() as mem:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=max(1, settings.batch_size), n_process=cpus):
            pass
        seconds = time.perf_counter() - t0
    return seconds, mem.workers_mb()


def analyze_pass(arts: list[Article], settings: Settings, folder: str):
    from trucewatch import pipeline
    from trucewatch.store import open_store

    settings = settings.replace(db=str(Path(folder) / "bench.db"))
    store = open_store(settings)
    try:
        for a in arts:
            store.add_article(a, RawInput(a.source_path or a.id, "txt", a.text.encode()))
        first: list[float] = []

        def progress(done: int, total: int) -> None:
            if not first:
                first.append(time.perf_counter())

        with MemorySampler() as mem:
            t0 = time.perf_counter()
            report = pipeline.analyze(settings, store, progress=progress)
            seconds = time.perf_counter() - t0
        stored = store.count("analysis")
    finally:
        store.close()
    return seconds, (first[0] - t0) if first else seconds, report, stored, mem.workers_mb()


def cpu_seconds() -> float:
    """CPU time of this process so far (user + system): comparable on a loaded machine, unlike wall time."""
    t = os.times()
    return t.user + t.system


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
    ap.add_argument("--n", type=int, default=200, help="articles (default 200)")
    ap.add_argument("--words", type=int, default=600, help="words per article (default 600)")
    ap.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch for both passes (default: the setting)")
    ap.add_argument("--scale", action="store_true", help="time 1x, 2x, 4x the input instead (see scale())")
    ap.add_argument("--long-words", type=int, default=4000, help="with --scale: words of the long article at 1x")
    ap.add_argument("--over-limit", action="store_true", help="with --scale: also one article over max_length")
    args = ap.parse_args()
    if args.scale:
        scale(args.n if args.n != 200 else 20, args.words, args.long_words, args.over_limit)
        return

    from trucewatch.analyze import plan_processes, usable_cpus

    settings = Settings.from_env(batch_size=args.batch_size)
    arts = make_articles(args.n, args.words)
    texts = [a.text for a in arts]
    cpus = usable_cpus()
    procs = plan_processes(settings, total=len(arts))
    print(f"{len(arts)} articles, {sum(len(t.split()) for t in texts) / len(arts):.0f} words each on average, "
          f"model {settings.spacy_model}, batch {settings.batch_size}, usable CPUs {cpus}, "
          f"analyze default processes {procs} (settings.processes = {settings.processes})", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        full, startup, report, stored, workers_a = analyze_pass(arts, settings, folder)
    parent_mb = _peak_kb(os.getpid()) / 1024  # before the bare pass loads the model into this process
    bare, workers_b = bare_pass(texts, settings, cpus)
    n = len(arts)
    print(f"bare nlp.pipe (n_process={cpus}) : {bare:7.1f} s  {n / bare:6.1f} articles/s")
    print(f"trucewatch analyze (default)   : {full:7.1f} s  {n / full:6.1f} articles/s  on {procs} processes "
          f"({report.analyzed} analyzed, {len(report.skipped)} skipped, {stored} stored); of which until the first batch came back "
          f"(start-up + one batch) {startup:.1f} s")
    print(f"ratio analyze / bare: {full / bare:.2f}x  (goal <= 1.0x; >= 20 articles/s on 2 cores)")
    fmt = lambda xs: ", ".join(f"{x:.0f}" for x in xs) or "-"  # noqa: E731
    print(f"peak memory (MB): analyze parent {parent_mb:.0f}, analyze workers [{fmt(workers_a)}]; "
          f"bare workers [{fmt(workers_b)}] (goal < 600 per worker)")


if __name__ == "__main__":
    main()
