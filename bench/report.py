"""Benchmark the report stage: brief building and rendering, CSV and GeoJSON, on synthetic export documents.

Makes an export document with N incidents (each reported by 3 articles, with two casualty claims
and a quote), then times build_brief, render_html, render_markdown, to_csv and to_geojson
(best of 3) and prints the output sizes and peak memory.

    .venv/bin/python bench/report.py                  # 100, 1000 and 5000 incidents
    .venv/bin/python bench/report.py --sizes 1000
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trucewatch.report import build_brief, render_html, render_markdown, to_csv, to_geojson  # noqa: E402

TYPES = ("armed_clash", "airstrike", "shelling", "ceasefire", "talks", "attack")
OUTLETS = ("North Ledger", "East Wire", "River Times", "Hill Post", "Coast Daily", "Plain Herald")


def make_doc(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    articles, incidents, claims, quotes = [], [], [], []
    day0 = date(2026, 1, 1)
    for i in range(n):
        d = (day0 + timedelta(days=rng.randrange(120))).isoformat()
        kind = rng.choice(TYPES)
        lat, lon = 10 + rng.uniform(0, 8), 98 + rng.uniform(0, 8)
        mentions, ids, claim_ids = [], [], []
        for k in range(3):
            aid = f"a{i}-{k}"
            killed = rng.randint(1, 40)
            text = (f"Report {i} from {OUTLETS[k]}\n\nTroops were involved in a {kind.replace('_', ' ')} near "
                    f"Town {i} on {d}, officials said. {killed} soldiers were killed, the army said. "
                    f'"We will respond to every attack," the spokesman said.')
            articles.append({"id": aid, "title": f"Report {i}", "outlet": OUTLETS[(i + k) % len(OUTLETS)], "url": None,
                             "source_path": None, "dateline": None, "published": d, "published_inferred": False,
                             "language": "en", "text": text})
            s = text.index(kind.replace("_", " "))
            mentions.append({"article_id": aid, "event_id": f"e{i}{k}", "start": s, "end": s + len(kind)})
            c = text.index(f"{killed} soldiers")
            claims.append({"id": f"c{i}-{k}", "article_id": aid, "value": killed, "low": killed, "high": killed,
                           "original": str(killed), "category": "killed", "counted": "soldiers", "predicate": "killed",
                           "side": None, "claimant": "the army", "claimant_actor_id": None, "hedge": "said",
                           "start": c, "end": c + len(f"{killed} soldiers were killed"), "incident_id": f"i{i}"})
            q = text.index("We will")
            quotes.append({"id": f"q{i}-{k}", "article_id": aid, "text": "We will respond to every attack,",
                           "speaker": "the spokesman", "speaker_actor_id": None, "cue": "said", "direct": True,
                           "start": q, "end": q + 32, "cluster_id": None})
            ids.append(aid)
            claim_ids.append(f"c{i}-{k}")
        values = sorted(c["value"] for c in claims[-3:])
        incidents.append({
            "id": f"i{i}", "type": kind, "date_start": d, "date_end": d, "date_precision": "day",
            "places": [{"name": f"Town {i}", "resolved_name": f"Town {i}", "country": "Thailand", "country_code": "TH",
                        "admin1": None, "lat": lat, "lon": lon, "feature": "town"}],
            "actor_ids": [], "acting": [], "target": [], "article_ids": ids, "mentions": mentions,
            "independent_sources": 3, "corroboration": "corroborated",
            "casualties": [{"category": "killed", "side": None, "counted": "soldiers", "low": values[0],
                            "best": values[1], "high": values[2], "acled": values[0], "claim_ids": claim_ids,
                            "claimants": ["the army"]}],
            "follows_from": [], "story_id": "s1", "summary": f"A {kind} near Town {i}.",
        })
    return {"articles": articles, "actors": [], "quotes": quotes, "claims": claims, "incidents": incidents,
            "disputes": [], "stories": [], "copies": [], "quote_clusters": [], "agreements": [], "violations": []}


def best_of(fn, *args, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = ap.parse_args()
    print(f"{'incidents':>9} {'articles':>8} {'brief s':>8} {'html s':>7} {'html MB':>8} {'md s':>6} {'csv s':>6} {'geojson s':>9}")
    for n in args.sizes:
        doc = make_doc(n)
        t_brief, brief = best_of(build_brief, doc)
        t_html, html = best_of(render_html, brief)
        t_md, _ = best_of(render_markdown, brief)
        t_csv, _ = best_of(to_csv, doc)
        t_geo, _ = best_of(to_geojson, doc)
        print(f"{n:>9} {len(doc['articles']):>8} {t_brief:>8.2f} {t_html:>7.2f} {len(html) / 1e6:>8.1f} {t_md:>6.2f} "
              f"{t_csv:>6.2f} {t_geo:>9.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
