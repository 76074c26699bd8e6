"""Fit the article-level incident linking constants (trucewatch.fuse.linking) on a labelled store.

Usage (after `trucewatch --db gva.db add ../shared/dev/gva-incidents/articles.jsonl && trucewatch --db gva.db analyze`):

    python scripts/fit_linking.py gva.db ../shared/dev/gva-incidents/gold.jsonl --fit 200

Prints B3 P/R/F1 of articles grouped into violent incidents for a grid of LINK_COSINE and DAY_PENALTY,
on the first ``--fit`` gold incidents and, separately, on the rest (the held-out check). An article
belongs to the violent incident holding most of its mentions, as in ../shared/tools/score_incidents.py.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict

from trucewatch import fuse as fuse_stage
from trucewatch.fuse import incidents as inc
from trucewatch.fuse import linking
from trucewatch.settings import Settings
from trucewatch.store import open_store


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    g, p = defaultdict(set), defaultdict(set)
    for k in gold:
        g[gold[k]].add(k)
        p[pred[k]].add(k)
    prec = sum(len(g[gold[k]] & p[pred[k]]) / len(p[pred[k]]) for k in gold) / len(gold)
    rec = sum(len(g[gold[k]] & p[pred[k]]) / len(g[gold[k]]) for k in gold) / len(gold)
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def assign(fusion) -> dict[str, str]:
    weight: dict[str, Counter] = defaultdict(Counter)
    for i in fusion.incidents:
        if inc.family_of(i.type) != "violence":
            continue
        for m in i.mentions:
            weight[m.article_id][i.id] += 1
    return {a: min(w, key=lambda k: (-w[k], k)) for a, w in weight.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("gold")
    ap.add_argument("--fit", type=int, default=200)
    args = ap.parse_args()
    store = open_store(Settings.from_env(db=args.db))
    analyses = list(store.iter_analyses())
    articles = [a for a in store.iter_articles() if a.id in {x.article_id for x in analyses}]
    by_url = {a.url: a.id for a in articles}
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8")]
    parts = {"fit": gold[: args.fit], "held-out": gold[args.fit :]}
    for cos in (0.2, 0.25, 0.3, 0.35, 0.4):
        for pen in (0.0, 0.005, 0.01, 0.02):
            linking.LINK_COSINE, linking.DAY_PENALTY = cos, pen
            pred = assign(fuse_stage.fuse(articles, analyses))
            row = [f"cos={cos:.2f} pen={pen:.3f}"]
            for name, part in parts.items():
                g = {u: x["incident_id"] for x in part for u in x["article_urls"] if u in by_url}
                p = {u: pred.get(by_url[u], f"none:{u}") for u in g}
                row.append("%s P=%.3f R=%.3f F1=%.3f" % (name, *bcubed(g, p)))
            print("  ".join(row), flush=True)


if __name__ == "__main__":
    main()
