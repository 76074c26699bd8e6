"""Benchmark the time, place and event extractors against the bare spaCy pass (prints figures).

Texts: the golden articles and the sample corpus, repeated to N articles. For each
article the model runs once (nlp.pipe); then times_from, places_from and
events_from run on the parsed Doc (with the real actors, claims and quotes).
Also prints the gazetteer load time and its peak memory.

    .venv/bin/python bench/events_places_times.py [N]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "golden"))


def main(n: int) -> None:
    from golden import golden_cases

    from trucewatch.analyze import load_nlp
    from trucewatch.analyze import events, places, timex
    from trucewatch.analyze.pipeline import analysis_from_doc, load_resources
    from trucewatch.ingest import extract, read_path
    from trucewatch.records import Article
    from trucewatch.settings import Settings

    settings = Settings.from_env(env={})
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    gaz = places.Gazetteer.load(settings)
    print(f"gazetteer load {time.perf_counter() - t0:.2f} s, peak RSS +{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024:.0f} MB")
    res = load_resources(settings, nlp=load_nlp(settings.spacy_model))
    res.gazetteer = gaz
    base = [a for _, a, _ in golden_cases()]
    for raw in read_path(str(ROOT / "examples" / "sample-corpus"), settings):
        a = extract(raw, settings) if not hasattr(raw, "stage") else raw
        if isinstance(a, Article):
            base.append(a)
    arts = (base * (n // len(base) + 1))[:n]
    words = sum(len(a.text.split()) for a in arts)
    t0 = time.perf_counter()
    docs = list(res.nlp.pipe([a.text for a in arts], batch_size=settings.batch_size))
    t_nlp = time.perf_counter() - t0
    spent = {"times_from": 0.0, "places_from": 0.0, "events_from": 0.0}
    counts = {"times": 0, "places": 0, "events": 0}
    for a, d in zip(arts, docs):
        an = analysis_from_doc(d, a, res)  # actors, claims, quotes as the pipeline makes them
        ctx = {x.country for x in an.actors if x.country}
        t = time.perf_counter(); ts = timex.times_from(d, a); spent["times_from"] += time.perf_counter() - t
        t = time.perf_counter(); ps = places.places_from(d, gaz, a, ctx); spent["places_from"] += time.perf_counter() - t
        t = time.perf_counter(); evs = events.events_from(d, a, an.actors, ps, ts, an.claims, an.quotes)
        spent["events_from"] += time.perf_counter() - t
        counts["times"] += len(ts); counts["places"] += len(ps); counts["events"] += len(evs)
    print(f"{n} articles, {words / n:.0f} words each on average")
    print(f"bare nlp.pipe: {n / t_nlp:.1f} articles/s ({1000 * t_nlp / n:.1f} ms/article)")
    total = sum(spent.values())
    for k, v in spent.items():
        print(f"{k:12} {1000 * v / n:6.2f} ms/article  ({100 * v / t_nlp:4.1f}% of the model pass)")
    print(f"all three    {1000 * total / n:6.2f} ms/article  ({100 * total / t_nlp:4.1f}% of the model pass); found {counts}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200, help="number of articles (default 200)")
    main(parser.parse_args().n)
