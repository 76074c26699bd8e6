"""Benchmark ingest: N generated HTML and text articles into a temporary SQLite store.

Prints articles per second and peak memory (peak RSS, ru_maxrss) for ``pipeline.ingest`` (read, decode,
trafilatura, debris cleaning, metadata, language, store), and a baseline measured in
the same run: reading each file and calling ``trafilatura.extract`` on the HTML ones
(text files are only read and decoded), with the ratio between the two.

    .venv/bin/python bench/ingest.py              # 2000 articles (half HTML, half text)
    .venv/bin/python bench/ingest.py -n 500

``--scale`` instead times the ingest at 1x, 2x and 4x the input, two ways: ``-n`` articles (each
ingested as above) and one long plain-text news file of ``--mb`` megabytes (generated paragraphs, with
headings, datelines and dates); it prints each time and its ratio to the 1x time (linear: about 2 and 4).
``--file PATH`` times the ingest of one given file (e.g. a 9.9 MB text near the 10 MB limit).

    .venv/bin/python bench/ingest.py --scale -n 250 --mb 1
    .venv/bin/python bench/ingest.py --file big-news.txt
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trucewatch import pipeline  # noqa: E402
from trucewatch.settings import Settings  # noqa: E402
from trucewatch.store import open_store  # noqa: E402

TOWNS = "Veldor Kastamar Miraval Tessel Orvane Lirsk Pellam Durosk Hanvik Sorrel Ambra Quell".split()
OUTLETS = ["Northern Ledger", "Coastal Courier", "River Wire", "Valley Gazette", "Harbour Radio"]
SUBJECTS = ["Ferry crews", "Border guards", "Lock keepers", "Council officials", "Harbour pilots", "Grain traders"]
VERBS = ["refused to work", "met for talks", "traded accusations", "reopened the crossing", "closed the bridge", "agreed a truce"]
FILLER = [
    "Residents said they had waited for hours before officials gave any explanation.",
    "The two councils have argued over the toll for most of the year, according to local reporters.",
    "A spokesperson said further talks would take place once both sides had consulted their members.",
    "Traders estimated that more than {n} lorries were stuck on the approach roads by the evening.",
    "\"We want this settled before the harvest,\" one farmer told reporters outside the town hall.",
    "Emergency vehicles were still allowed through, the police said in a short statement.",
]
DEBRIS = ["{n} Shares", "Share on Facebook   Share on X   Copy link", "ALSO READ: Ferry fares rise again",
          "Leave a comment", "Comments ({n})", "Subscribe to our newsletter", "We use cookies to improve your experience. Accept"]


def _body(rng: random.Random, i: int) -> tuple[str, str, list[str]]:
    a, b = rng.sample(TOWNS, 2)
    title = f"{rng.choice(SUBJECTS)} in {a} {rng.choice(VERBS)} with {b} (report {i})"
    day = rng.randint(1, 28)
    paras = [f"{a.upper()} — {rng.choice(SUBJECTS)} in {a} {rng.choice(VERBS)} on Tuesday, March {day}, 2025, "
             f"after a dispute with {b} that began weeks ago, officials said in report number {i}."]
    for _ in range(rng.randint(4, 9)):
        paras.append(" ".join(rng.choice(FILLER).format(n=rng.randint(10, 900)) for _ in range(rng.randint(2, 4))))
    return title, f"2025-03-{day:02d}", paras


def generate(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        title, iso, paras = _body(rng, i)
        outlet = rng.choice(OUTLETS)
        if i % 2 == 0:
            p = folder / f"a{i:05d}.html"
            body = "\n".join(f"<p>{x}</p>" for x in paras)
            p.write_text(
                f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title} | {outlet}</title>"
                f"<meta property='og:site_name' content='{outlet}'><meta property='og:title' content='{title}'>"
                f"<meta property='article:published_time' content='{iso}T08:00:00Z'></head><body>"
                f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><div class='share'>Share | Tweet</div>"
                f"<article><h1>{title}</h1>{body}</article><footer>© 2025 {outlet}</footer></body></html>",
                encoding="utf-8",
            )
        else:
            p = folder / f"a{i:05d}.txt"
            junk = [d.format(n=rng.randint(1, 300)) for d in rng.sample(DEBRIS, 4)]
            lines = [f"date {iso}", title, outlet.upper(), "", title, "", junk[0], junk[1], ""]
            lines += [x for para in paras for x in (para, "")] + junk[2:] + [f"© 2025 {outlet}. All rights reserved."]
            p.write_text("\n".join(lines), encoding="utf-8")
        paths.append(p)
    return paths


def baseline(paths: list[Path]) -> float:
    import trafilatura

    t = time.perf_counter()
    for p in paths:
        data = p.read_bytes()
        if p.suffix == ".html":
            trafilatura.extract(data.decode("utf-8"), with_metadata=True)
        else:
            data.decode("utf-8")
    return time.perf_counter() - t


def _rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def long_text(mb: float, seed: int = 11) -> str:
    """One plain-text news file of about ``mb`` megabytes: generated reports one after another, each with
    its heading, a dated lead, month-days without a year and page debris (a long scraped page or a digest;
    no metadata line, so the publication date is inferred from every date in the text)."""
    rng = random.Random(seed)
    parts, size, i = [], 0, 0
    while size < mb * 1e6:
        title, iso, paras = _body(rng, i)
        junk = [d.format(n=rng.randint(1, 300)) for d in rng.sample(DEBRIS, 2)]
        later = f"Officials from both towns met again on March {rng.randint(1, 28)} and on April {rng.randint(1, 28)}."
        block = "\n\n".join([title, *paras[:1], junk[0], *paras[1:], later, junk[1]])
        parts.append(block)
        size += len(block.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def _time_ingest(paths: list[Path], tmp: Path, name: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, articles added) of one ingest into a new store."""
    settings = Settings.from_env(env={}, db=str(tmp / f"{name}.db"))
    with open_store(settings) as store:
        t, cpu = time.perf_counter(), time.process_time()
        report = pipeline.ingest([str(p) for p in paths], settings, store)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert not report.skipped, report.skipped
    return elapsed, cpu, len(report.added)


def scale(n: int, mb: float) -> None:
    """Ingest time at 1x, 2x and 4x: ``n`` articles, and one long text file of ``mb`` MB."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm = tmp / "warm"
        warm.mkdir()
        _time_ingest(generate(warm, 2), tmp, "warm")  # imports and the language model, outside the timings
        print(f"ingest time at 1x, 2x, 4x the input ({os.cpu_count()} cores; ratio = CPU time / CPU time at 1x, "
              "as wall time also counts waiting for a shared core)")
        for label, make in (
            ("articles", lambda k, d: generate(d, n * k, seed=7 + k)),
            ("one text", lambda k, d: [_write(d / "long.txt", long_text(mb * k))]),
        ):
            base = None
            for k in (1, 2, 4):
                folder = tmp / f"{label.replace(' ', '')}{k}"
                folder.mkdir()
                paths = make(k, folder)
                size = sum(p.stat().st_size for p in paths) / 1e6
                elapsed, cpu, added = _time_ingest(paths, tmp, f"{label.replace(' ', '')}{k}")
                base = base or cpu
                print(f"  {label:9} {k}x: {len(paths):5} file(s), {size:6.2f} MB -> {added:5} added in {elapsed:7.2f} s "
                      f"wall, {cpu:7.2f} s CPU ({size / cpu:5.2f} MB per CPU s)  ratio {cpu / base:5.2f}")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def one_file(path: Path) -> None:
    """Time the ingest of one given file (after a warm-up), wall and CPU."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm = tmp / "warm"
        warm.mkdir()
        _time_ingest(generate(warm, 2), tmp, "warm")
        elapsed, cpu, added = _time_ingest([path], tmp, "one")
        print(f"ingest of {path} ({path.stat().st_size / 1e6:.2f} MB): {added} added in {elapsed:.2f} s wall, "
              f"{cpu:.2f} s CPU; peak RSS {_rss_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="number of articles (default 2000; with --scale the 1x size)")
    ap.add_argument("--scale", action="store_true", help="time 1x, 2x, 4x the input (articles and one long text)")
    ap.add_argument("--mb", type=float, default=1.0, help="with --scale: megabytes of the long text at 1x (default 1)")
    ap.add_argument("--file", type=Path, help="time the ingest of this one file")
    args = ap.parse_args()
    if args.scale:
        scale(args.n, args.mb)
        return
    if args.file:
        one_file(args.file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = generate(folder, args.n)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} articles ({size / 1e6:.1f} MB) in {folder}")

        # Warm up the libraries (imports, py3langid model) outside both timings.
        warm = Settings.from_env(env={}, db=str(Path(tmp) / "warm.db"))
        with open_store(warm) as s:
            pipeline.ingest([str(paths[0]), str(paths[1])], warm, s)

        settings = Settings.from_env(env={}, db=str(Path(tmp) / "bench.db"))
        store = open_store(settings)
        rss_before = _rss_mb()
        t = time.perf_counter()
        report = pipeline.ingest([str(folder)], settings, store)
        elapsed = time.perf_counter() - t
        rss_after = _rss_mb()
        store.close()
        base_s = baseline(paths)  # after the ingest, so the peak RSS above is the ingest's
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6

    n = len(report.added)
    print(f"ingest:   {n} added, {len(report.duplicates)} duplicates, {len(report.skipped)} skipped "
          f"in {elapsed:.1f} s -> {n / elapsed:.1f} articles/s")
    print(f"memory:   process peak RSS {rss_after:.0f} MB after the ingest "
          f"({rss_before:.0f} MB after imports and warm-up, {rss_after - rss_before:+.0f} MB during the ingest)")
    print(f"store:    {db_mb:.1f} MB SQLite file (clean text, metadata, compressed raw bytes)")
    print(f"baseline: read + trafilatura.extract alone {base_s:.1f} s -> {len(paths) / base_s:.1f} articles/s")
    print(f"ratio:    full ingest takes {elapsed / base_s:.2f}x the baseline time")


if __name__ == "__main__":
    main()
