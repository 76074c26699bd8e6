"""Incidents as an ACLED-like CSV and as GeoJSON, from the fusion export document.

``to_csv(doc)`` writes one row per incident in ACLED's column order
(:data:`ACLED_COLUMNS`) followed by trucewatch's own columns
(:data:`EXTRA_COLUMNS`); ``to_geojson(doc)`` returns a FeatureCollection of the
located incidents as points. ``validate_geojson`` checks a document against the
structural schema :data:`GEOJSON_SCHEMA` plus coordinate ranges.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import jsonschema
import pycountry

from ._facts import casualty_sum, casualty_total, fmt_number, ordered_incidents, place_label, primary_place
from ._index import DocIndex, humanize
from .acled import acled_type, geo_precision, time_precision

__all__ = [
    "ACLED_COLUMNS",
    "COLUMNS",
    "EXTRA_COLUMNS",
    "GEOJSON_SCHEMA",
    "incident_rows",
    "to_csv",
    "to_geojson",
    "validate_geojson",
]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities",
)
EXTRA_COLUMNS = (
    "fatalities_low", "fatalities_high", "claimants", "independent_sources", "corroboration", "date_start", "date_end",
)
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS


def _iso3(place: dict[str, Any] | None) -> str:
    code = (place or {}).get("country_code")
    if code:
        c = pycountry.countries.get(alpha_2=str(code).upper())
        if c:
            return c.alpha_3
    name = (place or {}).get("country")
    if name:
        try:
            return pycountry.countries.lookup(name).alpha_3
        except LookupError:
            pass
    return "XXX"


def incident_rows(doc: dict[str, Any], taxonomy: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One dict per incident with the :data:`COLUMNS` keys (numbers as numbers, missing values as None).

    ``taxonomy``: a user's extended event taxonomy (``events_file``), for the ACLED types it states."""
    index = DocIndex(doc)
    rows = []
    for inc in ordered_incidents(list(index.incidents.values())):
        place = primary_place(inc)
        event_type, sub_type = acled_type(inc.get("type"), taxonomy)
        acting = index.actor_names(inc.get("acting") or [])
        target = index.actor_names(inc.get("target") or [])
        if not acting and not target:
            acting = index.actor_names(inc.get("actor_ids") or [])
        claimants: list[str] = []
        for c in inc.get("casualties") or []:
            for name in c.get("claimants") or []:
                name = index.who(name)
                if name not in claimants:
                    claimants.append(name)
        acled_fatalities = casualty_sum(inc, "acled")
        if acled_fatalities is None:
            acled_fatalities = casualty_sum(inc, "low")
        located = place is not None and place.get("lat") is not None and place.get("lon") is not None
        notes = inc.get("summary") or humanize(inc.get("type"))
        rows.append(
            {
                "event_id_cnty": f"{_iso3(place)}-{inc['id']}",
                "event_date": inc.get("date_start"),
                "time_precision": time_precision(inc.get("date_precision"), inc.get("date_start"), inc.get("date_end")),
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": "; ".join(acting[:3]) or None,
                "actor2": "; ".join(target[:3]) or None,
                "country": (place or {}).get("country"),
                "admin1": (place or {}).get("admin1"),
                "location": place_label(place, with_country=False),
                "latitude": round(float(place["lat"]), 5) if located else None,
                "longitude": round(float(place["lon"]), 5) if located else None,
                "geo_precision": geo_precision((place or {}).get("feature")) if located else None,
                "source": "; ".join(index.outlets(inc.get("article_ids") or [])) or None,
                # trucewatch does not know an outlet's reach (local/national/international); left blank.
                "source_scale": None,
                "notes": " ".join(str(notes).split()),
                # ACLED's conservative count: 0 when no figure was reported.
                "fatalities": int(acled_fatalities) if acled_fatalities is not None else 0,
                "fatalities_low": casualty_sum(inc, "low"),
                "fatalities_high": casualty_sum(inc, "high"),
                # what the figures are made of: groups added only where they never overlap, with claimants
                "fatalities_parts": (casualty_total(inc) or {}).get("label"),
                "claimants": "; ".join(claimants) or None,
                "independent_sources": inc.get("independent_sources"),
                "corroboration": inc.get("corroboration"),
                "date_start": inc.get("date_start"),
                "date_end": inc.get("date_end"),
            }
        )
    return rows


def to_csv(doc: dict[str, Any], taxonomy: Mapping[str, Any] | None = None) -> str:
    """The incidents of ``doc`` as CSV text with the header :data:`COLUMNS` (RFC 4180, ``\\r\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for row in incident_rows(doc, taxonomy):
        w.writerow([fmt_number(row[c]) if isinstance(row[c], float) else ("" if row[c] is None else row[c]) for c in COLUMNS])
    return buf.getvalue()


def to_geojson(doc: dict[str, Any], taxonomy: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946) of the incidents that have coordinates, one Point each.

    Properties carry the CSV columns plus ``id``, ``type``, ``date_precision``,
    ``article_ids`` and ``outlets``. Incidents without coordinates are counted in
    the collection's ``unlocated`` member (they are all in the CSV).
    """
    index = DocIndex(doc)
    features = []
    unlocated = 0
    for inc, row in zip(ordered_incidents(list(index.incidents.values())), incident_rows(doc, taxonomy)):
        if row["latitude"] is None or row["longitude"] is None:
            unlocated += 1
            continue
        props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        props.update(
            id=inc["id"],
            type=inc.get("type"),
            date_precision=inc.get("date_precision"),
            article_ids=list(inc.get("article_ids") or []),
            outlets=index.outlets(inc.get("article_ids") or []),
        )
        features.append(
            {
                "type": "Feature",
                "id": inc["id"],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated}


_POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}

#: A JSON Schema for the GeoJSON that :func:`to_geojson` writes (a FeatureCollection of Point features).
GEOJSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "trucewatch incidents (GeoJSON FeatureCollection of points, RFC 7946)",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {"type": {"const": "Point"}, "coordinates": _POSITION},
                    },
                    "properties": {
                        "type": "object",
                        "required": ["id", "type", "event_type", "sub_event_type", "corroboration", "fatalities"],
                        "properties": {
                            "id": {"type": "string"},
                            "fatalities": {"type": "integer", "minimum": 0},
                            "independent_sources": {"type": ["integer", "null"], "minimum": 0},
                            "time_precision": {"enum": [1, 2, 3]},
                            "geo_precision": {"enum": [1, 2, 3]},
                        },
                    },
                },
            },
        },
    },
}


def validate_geojson(data: dict[str, Any]) -> None:
    """Raise ``ValueError`` naming the first problem when ``data`` is not valid incident GeoJSON."""
    try:
        jsonschema.validate(data, GEOJSON_SCHEMA)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        raise ValueError(f"GeoJSON is invalid at {where}: {e.message}") from None
    for n, f in enumerate(data["features"]):
        lon, lat = f["geometry"]["coordinates"][:2]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError(f"GeoJSON feature {n} has coordinates out of range: [{lon}, {lat}] (want [lon, lat]).")
