"""Benchmark: the scale-out options — analyze engines, and the store on SQLite vs PostgreSQL.

Part 1 (analyze): ``--articles`` generated articles (bench/analyze.py's generator, built
from the golden fixtures) analyzed by

* engine=local, 1 process (this process),
* engine=local, 2 processes (the process pool),
* engine=dask, a local cluster of 2 single-threaded worker processes,

printing wall time (model loading and cluster start included), the time to the
first result, and the steady rate after it (articles/s).

Part 2 (store): the sample corpus times ``--copies`` (each copy varied: an added
paragraph and a changed title, so none is a duplicate) ingested, given its
analyses and fused on an SQLite file and on PostgreSQL; prints seconds per step.
The analyses are computed once (engine=local) and saved to both stores, so the
figures compare the stores, not the model. PostgreSQL is a throwaway server
started like the tests do (tests/pg_server.py) unless ``--pg URL`` names a database.

    .venv/bin/python bench/scale.py                      # 200 articles, 8 copies
    .venv/bin/python bench/scale.py --articles 100 --copies 4 --skip-analyze
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from analyze import make_articles  # noqa: E402  (bench/analyze.py)

from trucewatch import pipeline  # noqa: E402
from trucewatch.analyze import analyze_many  # noqa: E402
from trucewatch.settings import Settings  # noqa: E402
from trucewatch.store import open_store  # noqa: E402

SAMPLE = ROOT / "examples" / "sample-corpus"


def _timed_run(results) -> tuple[float, float, int]:
    """(seconds to the first result, seconds in all, results) of an iterator of results."""
    t0 = time.perf_counter()
    first = None
    n = 0
    for _ in results:
        n += 1
        if first is None:
            first = time.perf_counter() - t0
    return first or 0.0, time.perf_counter() - t0, n


def bench_analyze(n: int, batch: int) -> None:
    from trucewatch.analyze.dask_engine import analyze_dask

    articles = make_articles(n, words=400)
    settings = Settings.from_env(env={}, batch_size=batch)
    runs = [
        ("local, 1 process", lambda: analyze_many(articles, settings, processes=1)),
        ("local, 2 processes", lambda: analyze_many(articles, settings, processes=2)),
        ("dask, 2 workers (local cluster)", lambda: analyze_dask(articles, settings.replace(engine="dask"), workers=2)),
    ]
    print(f"analyze: {n} generated articles of ~400 words, batch size {batch}, {os.cpu_count()} cores")
    print(f"  {'engine':34} {'wall s':>8} {'first s':>8} {'art/s (wall)':>13} {'art/s (after first)':>20}")
    for name, run in runs:
        first, total, done = _timed_run(run())
        assert done == n, (name, done)
        steady = (n - batch) / (total - first) if total > first and n > batch else float("nan")
        print(f"  {name:34} {total:8.1f} {first:8.1f} {n / total:13.1f} {steady:20.1f}")


# --------------------------------------------------------------------------- store


def _vary(path: Path, k: int) -> tuple[str, str]:
    """The text of sample file ``path`` as copy ``k`` (k > 0: an added paragraph and a changed title)."""
    raw = path.read_text(encoding="utf-8")
    note = f"Editor's note: revision {k} of this report adds detail gathered by desk number {k + 40}."
    if k == 0:
        return path.name, raw
    name = f"{path.stem}-v{k}{path.suffix}"
    if path.suffix == ".jsonl":
        lines = []
        for line in raw.splitlines():
            if line.strip():
                d = json.loads(line)
                d["text"] = d.get("text", "") + "\n\n" + note
                d["title"] = f"{d.get('title', '')} (update {k})"
                if d.get("url"):
                    d["url"] = d["url"] + f"?v={k}"
                lines.append(json.dumps(d, ensure_ascii=False))
        return name, "\n".join(lines) + "\n"
    if path.suffix == ".html":
        raw = re.sub(r"</title>", f" (update {k})</title>", raw, count=1)
        i = raw.find("</p>")  # after the first paragraph of the body, where the extractor keeps it
        return name, raw[: i + 4] + f"\n<p>{note}</p>" + raw[i + 4 :]
    first, _, rest = raw.partition("\n")
    return name, f"{first} (update {k})\n{rest.rstrip()}\n\n{note}\n"


def make_copies(folder: Path, copies: int) -> None:
    for k in range(copies):
        for p in sorted(SAMPLE.iterdir()):
            if p.is_file():
                name, body = _vary(p, k)
                (folder / name).write_text(body, encoding="utf-8")


def _store_run(db: str, folder: Path, analyses) -> dict[str, float]:
    settings = Settings.from_env(env={}, db=db)
    out: dict[str, float] = {}
    t = time.perf_counter()
    store = open_store(settings)
    out["open+migrate"] = time.perf_counter() - t
    t = time.perf_counter()
    report = pipeline.ingest([str(folder)], settings, store)
    out["ingest"] = time.perf_counter() - t
    out["articles"] = store.count("article")
    by_id = {a.article_id: a for a in analyses}
    t = time.perf_counter()
    store.save_analyses(by_id[i] for i in store.ids_needing_analysis("none", force=True) if i in by_id)
    out["save analyses"] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.fuse(settings, store)
    out["fuse (1st)"] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.fuse(settings, store)
    out["fuse (again)"] = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(20):
        store.browse_fused("incident", limit=20)
        store.search_page("ceasefire", limit=20)
    out["20 browse+search"] = time.perf_counter() - t
    out["incidents"] = store.count("incident")
    out["disputes"] = store.count("dispute")
    assert not report.skipped, report.skipped
    store.close()
    return out


def bench_store(copies: int, pg_url: str | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="tw-scale-"))
    server = None
    try:
        folder = tmp / "corpus"
        folder.mkdir()
        make_copies(folder, copies)
        # Analyses once, on a scratch SQLite store (the same article ids on every backend).
        scratch_settings = Settings.from_env(env={}, db=str(tmp / "scratch.db"))
        scratch = open_store(scratch_settings)
        pipeline.ingest([str(folder)], scratch_settings, scratch)
        t = time.perf_counter()
        pipeline.analyze(scratch_settings, scratch, processes=2)
        analyzed_in = time.perf_counter() - t
        analyses = list(scratch.iter_analyses())
        scratch.close()
        if pg_url is None:
            import pg_server

            server = pg_server.start()
            pg_url = server.create_db()
        print(f"\nstore: sample corpus x {copies} varied copies = {len(analyses)} articles "
              f"(analyzed once in {analyzed_in:.1f}s on 2 processes)")
        lite = _store_run(str(tmp / "lite.db"), folder, analyses)
        pg = _store_run(pg_url, folder, analyses)
        print(f"  {'step':20} {'SQLite':>10} {'PostgreSQL':>12}")
        for key in lite:
            fmt = "{:>10.0f} {:>12.0f}" if key in ("articles", "incidents", "disputes") else "{:>9.2f}s {:>11.2f}s"
            print(f"  {key:20} " + fmt.format(lite[key], pg[key]))
        same = all(lite[k] == pg[k] for k in ("articles", "incidents", "disputes"))
        print(f"  same articles/incidents/disputes on both: {same}")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200, help="generated articles for the analyze engines (default 200)")
    ap.add_argument("--batch-size", type=int, default=16, help="articles per batch/task (default 16)")
    ap.add_argument("--copies", type=int, default=8, help="copies of the sample corpus for the store part (default 8)")
    ap.add_argument("--pg", default=None, metavar="URL", help="an existing PostgreSQL database instead of a throwaway server")
    ap.add_argument("--skip-analyze", action="store_true", help="only the store part")
    ap.add_argument("--skip-store", action="store_true", help="only the analyze part")
    args = ap.parse_args()
    if not args.skip_analyze:
        bench_analyze(args.articles, args.batch_size)
    if not args.skip_store:
        bench_store(args.copies, args.pg)


if __name__ == "__main__":
    main()
