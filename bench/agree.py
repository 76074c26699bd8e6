"""Benchmark the agreements stage: ``agree.derive`` and ``agree.ledger`` on fused synthetic corpora.

Reuses the synthetic corpus of bench/fuse.py (stories between pairs of fictional countries, with
truces agreed and incidents before and after them), fuses it once, then times the agreements
stage alone (best of 3) and prints agreements, violations and articles per second.

    .venv/bin/python bench/agree.py                 # 1k and 10k articles
    .venv/bin/python bench/agree.py --sizes 1000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from fuse import make_corpus  # noqa: E402  (bench/fuse.py)

from trucewatch import agree  # noqa: E402
from trucewatch.fuse import fuse  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    args = ap.parse_args()
    print(f"{'articles':>9} {'fuse s':>8} {'derive s':>9} {'ledger s':>9} {'art/s':>8} {'agreements':>10} {'violations':>10}")
    for n in (int(x) for x in args.sizes.split(",")):
        articles, analyses = make_corpus(n)
        t0 = time.perf_counter()
        fusion = fuse(articles, analyses)
        t_fuse = time.perf_counter() - t0
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            agreements, violations = agree.derive(articles, analyses, fusion)
            best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        agree.ledger(violations, agreements)
        t_ledger = time.perf_counter() - t0
        print(f"{len(articles):>9} {t_fuse:>8.2f} {best:>9.3f} {t_ledger:>9.3f} {len(articles) / best:>8.0f} "
              f"{len(agreements):>10} {len(violations):>10}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
