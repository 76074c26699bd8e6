"""ACLED-like CSV and GeoJSON exports, the ACLED mapping table and the bundled country outlines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from report_fixture import build_doc

from trucewatch.report import to_csv, to_geojson, validate_geojson
from trucewatch.report.acled import ACLED_TYPES, acled_type, geo_precision, time_precision
from trucewatch.report.exports import COLUMNS, incident_rows

ROOT = Path(__file__).resolve().parents[1]

EXPECTED_HEADER = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,fatalities_low,fatalities_high,claimants,"
    "independent_sources,corroboration,date_start,date_end"
)


@pytest.fixture
def doc() -> dict:
    return build_doc()


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_header_is_exactly_the_acled_columns_then_ours(doc):
    first = to_csv(doc).splitlines()[0]
    assert first == EXPECTED_HEADER
    assert ",".join(COLUMNS) == EXPECTED_HEADER


def test_csv_has_one_row_per_incident_matching_the_json(doc):
    rows = parse(to_csv(doc))
    assert len(rows) == len(doc["incidents"])
    by_id = {i["id"]: i for i in doc["incidents"]}
    for row in rows:
        inc = by_id[row["event_id_cnty"].split("-", 1)[1]]
        assert row["date_start"] == inc["date_start"] and row["date_end"] == inc["date_end"]
        assert row["event_date"] == inc["date_start"]
        assert row["corroboration"] == inc["corroboration"]
        assert int(row["independent_sources"]) == inc["independent_sources"]
        located = [p for p in inc["places"] if p["lat"] is not None]
        if located:
            assert {(float(row["latitude"]), float(row["longitude"]))} <= {(p["lat"], p["lon"]) for p in located}
        else:
            assert row["latitude"] == row["longitude"] == row["geo_precision"] == ""
        killed = [e for e in inc["casualties"] if e["category"] == "killed"]
        assert int(row["fatalities"]) == int(sum(e["acled"] for e in killed))
        if killed:
            assert float(row["fatalities_low"]) == sum(e["low"] for e in killed)
            assert float(row["fatalities_high"]) == sum(e["high"] for e in killed)
        outlets = {a["outlet"] for a in doc["articles"] if a["id"] in inc["article_ids"]}
        assert set(row["source"].split("; ")) == outlets


def test_csv_values_for_the_clash(doc):
    row = next(r for r in parse(to_csv(doc)) if r["location"] == "Vorukh")
    assert row["event_id_cnty"] == "TJK-inc-clash"
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Armed clash")
    assert (row["actor1"], row["actor2"]) == ("Tajikistan", "Kyrgyzstan")
    assert (row["country"], row["admin1"], row["time_precision"], row["geo_precision"]) == ("Tajikistan", "Sughd", "1", "1")
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == ("5", "5", "9")
    assert row["claimants"] == "Kyrgyz border service; Rustam Nazarov"
    week = next(r for r in parse(to_csv(doc)) if r["location"] == "Batken Region")
    assert (week["time_precision"], week["geo_precision"]) == ("2", "3")


def test_csv_quotes_commas_and_newlines_in_text(doc):
    doc["incidents"][0]["summary"] = 'Shells fell, "twice", on\nthe village'
    row = parse(to_csv(doc))[0]
    assert row["notes"] == 'Shells fell, "twice", on the village'


def test_geojson_is_valid_and_has_a_point_per_located_incident(doc):
    gj = to_geojson(doc)
    validate_geojson(gj)
    located = [i for i in doc["incidents"] if any(p["lat"] is not None for p in i["places"])]
    assert len(gj["features"]) == len(located) and gj["unlocated"] == len(doc["incidents"]) - len(located)
    f = next(f for f in gj["features"] if f["id"] == "inc-drone")
    assert f["geometry"]["coordinates"] == [70.82, 40.06]  # [lon, lat]
    assert f["properties"]["fatalities"] == 2 and f["properties"]["outlets"] == ["Highland Post", "Steppe Monitor"]
    json.dumps(gj)  # serialisable as is


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda g: g.update(type="Feature"), "FeatureCollection"),
        (lambda g: g["features"][0]["geometry"].update(type="Polygon"), "Point"),
        (lambda g: g["features"][0]["geometry"].update(coordinates=[200.0, 10.0]), "out of range"),
        (lambda g: g["features"][0]["properties"].update(fatalities=-1), "fatalities"),
        (lambda g: g["features"][0]["geometry"].update(coordinates=[1.0]), "coordinates"),
    ],
    ids=["not-a-collection", "not-a-point", "lon-out-of-range", "negative-fatalities", "short-position"],
)
def test_geojson_validator_rejects_broken_documents(doc, mutate, message):
    gj = to_geojson(doc)
    mutate(gj)
    with pytest.raises(ValueError, match=message):
        validate_geojson(gj)


def test_acled_mapping_table_uses_only_acled_types():
    acled = {
        "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
        "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                       "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
        "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
        "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
        "Riots": {"Violent demonstration", "Mob violence"},
        "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                                   "Headquarters or base established", "Looting/property destruction",
                                   "Non-violent transfer of territory", "Other"},
    }
    for key, (etype, sub) in ACLED_TYPES.items():
        assert sub in acled[etype], key
    assert acled_type("Drone-Strike") == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_type("tank_battle") == ("Battles", "Armed clash")  # fallback by word
    assert acled_type("something_new") == ("Strategic developments", "Other")


def test_a_users_event_types_keep_the_acled_types_their_file_states(doc, tmp_path):
    """An events_file type stating an ACLED mapping is exported with it; others fall back to word rules."""
    from trucewatch.analyze.taxonomy import load_extension

    f = tmp_path / "events.yaml"
    f.write_text("types:\n  siege:\n    label: siege\n    violent: true\n    verbs: [besiege]\n"
                 "    acled_event_type: Strategic developments\n    acled_sub_event_type: Non-violent transfer of territory\n"
                 "  village_raid:\n    label: raid on a village\n    verbs: [storm]\n", encoding="utf-8")
    tax = load_extension(f)
    assert acled_type("siege") == ("Strategic developments", "Other")
    assert acled_type("siege", tax) == ("Strategic developments", "Non-violent transfer of territory")
    assert acled_type("village_raid", tax) == ("Battles", "Armed clash")  # no mapping stated: the word rule
    assert acled_type("airstrike", tax) == acled_type("airstrike")
    clash = next(i for i in doc["incidents"] if i["id"] == "inc-clash")
    clash["type"] = "siege"
    row = next(r for r in parse(to_csv(doc, tax)) if r["event_id_cnty"] == "TJK-inc-clash")
    assert (row["event_type"], row["sub_event_type"]) == ("Strategic developments", "Non-violent transfer of territory")
    feature = next(f for f in to_geojson(doc, tax)["features"] if f["properties"]["id"] == "inc-clash")
    assert feature["properties"]["sub_event_type"] == "Non-violent transfer of territory"


def test_acled_table_agrees_with_the_analysis_taxonomy():
    """Report keeps its own copy (stages don't import each other); where the taxonomy names an ACLED type they agree."""
    from trucewatch.analyze.taxonomy import TAXONOMY

    checked = 0
    for key, t in TAXONOMY.items():
        assert key in ACLED_TYPES, f"taxonomy type {key!r} is missing from report/acled.py"
        if t.acled_event_type:
            assert ACLED_TYPES[key] == (t.acled_event_type, t.acled_sub_event_type), key
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "args, code",
    [(("day", "2026-04-01", "2026-04-01"), 1), (("week", "2026-04-01", "2026-04-07"), 2),
     (("month", "2026-04-01", "2026-04-30"), 3), (("range", "2026-04-01", "2026-04-05"), 2),
     (("range", "2026-04-01", "2026-05-20"), 3), ((None, None, None), 3)],
    ids=["day", "week", "month", "short-range", "long-range", "unknown"],
)
def test_time_precision_codes(args, code):
    assert time_precision(*args) == code


def test_geo_precision_codes():
    assert [geo_precision(f) for f in ("city", "crossing", "district", "admin1", "country", None)] == [1, 1, 2, 3, 3, 3]


def test_incident_rows_are_in_date_order(doc):
    dates = [r["date_start"] for r in incident_rows(doc)]
    assert dates == sorted(dates)


def test_bundled_country_outlines_are_small_valid_geojson():
    path = ROOT / "src" / "trucewatch" / "data" / "countries.geojson"
    assert path.stat().st_size < 1_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "Natural Earth" in data["source"]
    names = {f["properties"]["iso_a3"]: f for f in data["features"]}
    assert {"THA", "KHM", "PAK", "AFG", "KGZ", "TJK"} <= set(names)
    for f in data["features"]:
        assert f["geometry"]["type"] == "MultiPolygon"
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)


def test_docs_print_the_acled_mapping_table():
    docs = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    for key, (etype, sub) in ACLED_TYPES.items():
        line = next((ln for ln in docs.splitlines() if ln.startswith(f"| `{key}`")), None)
        assert line is not None, f"docs/reports.md lacks a row for {key}"
        assert f"| {etype} | {sub}" in line, line
