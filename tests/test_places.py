"""Place mentions are found in a parsed article and geocoded with the offline gazetteer."""

from __future__ import annotations

import pytest
from ev_helpers import article, gazetteer, nlp

from trucewatch.analyze.places import Gazetteer, norm_key, places_from
from trucewatch.errors import ConfigError
from trucewatch.settings import Settings


def test_norm_key_folds_accents_case_and_punctuation():
    assert norm_key("Türkiye") == norm_key("turkiye") == "turkiye"
    assert norm_key("O'Smach") == "osmach"
    assert norm_key("the United States") == "unitedstates"


@pytest.mark.parametrize("name,code", [("Türkiye", "TR"), ("Turkiye", "TR"), ("the United States", "US"),
                                       ("Pakistan", "PK"), ("Cambodia", "KH")], ids=lambda v: str(v))
def test_country_names_and_variants_resolve_to_the_country(name, code):
    p = gazetteer().geocode(name, set())
    assert (p.feature, p.country_code) == ("country", code)
    assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180


def test_context_countries_choose_between_same_named_places():
    g = gazetteer()
    assert g.geocode("Hyderabad", {"PK"}).country_code == "PK"
    assert g.geocode("Hyderabad", {"IN"}).country_code == "IN"
    assert g.geocode("Paris", set()).country_code == "FR"  # population decides without context


def test_kind_word_prefers_the_province_over_the_city():
    g = gazetteer()
    assert g.geocode("Kandahar", {"AF"}).feature == "city"
    prov = g.geocode("Kandahar", {"AF"}, kind="admin1")
    assert prov.feature == "admin1" and prov.country_code == "AF" and prov.lat is not None


def test_provinces_resolve_through_iso_subdivision_names_and_transliterations():
    g = gazetteer()
    assert g.geocode("Paktika", {"AF"}).feature == "admin1"
    khost = g.geocode("Khost", {"AF"}, kind="admin1")
    assert khost.feature == "admin1" and khost.resolved_name == "Khowst"
    assert g.geocode("Oddar Meanchey", {"KH"}).country_code == "KH"  # close spelling of the GeoNames name


def test_close_misspelling_resolves_with_a_reason_and_short_names_do_not():
    g = gazetteer()
    p = g.geocode("Pakistn", set())
    assert p.country_code == "PK" and "close spelling" in p.reason
    assert g.geocode("Zqx", set()).reason == "not in the gazetteer"


def test_a_tiny_town_far_from_the_story_is_not_a_match():
    g = gazetteer()
    p = g.geocode("Valley", {"PK"})
    assert p.lat is None and "Anguilla" in p.reason
    assert g.geocode("Valley", {"AI"}).country_code == "AI"


def test_kind_word_rejects_a_city_known_only_by_an_alternate_name():
    p = gazetteer().geocode("Prasat", {"TH", "KH"}, kind="admin2")
    assert p.lat is None and p.reason


def test_bundled_extension_has_crossings_and_borders():
    g = gazetteer()
    p = g.geocode("Torkham", {"PK", "AF"})
    assert p.feature == "crossing" and p.country_code in ("PK", "AF")
    assert g.geocode("Pakistan-Afghanistan border", set()).resolved_name == "Durand Line"


def test_user_gazetteer_file_adds_entries(tmp_path):
    f = tmp_path / "gaz.yaml"
    f.write_text("places:\n  - {name: Kessel Ford, aliases: [the Kessel crossing], feature: crossing, "
                 "countries: [PK, AF], lat: 33.1, lon: 70.2}\n", encoding="utf-8")
    g = Gazetteer.load(Settings.from_env(env={}, gazetteer_file=str(f)))
    p = g.geocode("Kessel crossing", {"PK"})
    assert (p.resolved_name, p.feature, p.lat) == ("Kessel Ford", "crossing", 33.1)


@pytest.mark.parametrize("body,needle", [
    ("places: [{name: X}]", "Place #1"),
    ("places:\n  - {name: Y, lat: 95, lon: 1, country: PK}", "out of range"),
    ("places:\n  - {name: Z, lat: 1, lon: 1, country: QQ}", "unknown: QQ"),
    ("places: [", "not valid YAML"),
], ids=["missing-fields", "lat-range", "bad-country", "bad-yaml"])
def test_bad_user_gazetteer_file_is_a_config_error_naming_the_file(tmp_path, body, needle):
    f = tmp_path / "bad.yaml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Gazetteer.load(Settings.from_env(env={}, gazetteer_file=str(f)))
    assert needle in str(e.value) and str(f) in str(e.value)


def test_missing_user_gazetteer_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="Cannot read the gazetteer file"):
        Gazetteer.load(Settings.from_env(env={}, gazetteer_file=str(tmp_path / "nope.yaml")))


# --------------------------------------------------------------------------- places_from


def _places(text: str, ctx=frozenset({"PK", "AF"})):
    art = article(text)
    return places_from(nlp()(text), gazetteer(), art, set(ctx))


def test_places_from_widens_province_and_keeps_spans():
    text = "Shells hit homes in Afghanistan's Khost and Paktika provinces on Monday."
    ps = _places(text)
    by = {p.name: p for p in ps}
    assert by["Khost"].feature == "admin1" and by["Paktika"].feature == "admin1"
    assert by["Afghanistan"].feature == "country"
    for p in ps:
        assert text[p.start:p.end].startswith(p.name)


def test_places_from_finds_crossings_the_model_misses():
    text = "Trade through the Torkham crossing stopped, and fighting was reported near the Chaman border."
    by = {p.name: p for p in _places(text)}
    assert by["Torkham"].feature == "crossing"
    assert by["Chaman"].feature in ("border", "crossing") and by["Chaman"].country_code == "PK"


def test_unknown_place_before_a_kind_word_is_kept_unresolved_with_a_reason():
    text = "Clashes were reported near the Zarwandi district on Sunday."
    by = {p.name: p for p in _places(text)}
    assert by["Zarwandi"].lat is None and by["Zarwandi"].reason == "not in the gazetteer"


def test_kind_word_before_the_name_and_capitalised_states_are_not_kind_words():
    by = {p.name: p for p in _places("Shells hit the northern province of Paktika, and the United States condemned it.")}
    assert by["Paktika"].feature == "admin1"
    assert by["United States"].feature == "country"


def test_headings_are_not_places():
    text = "Background\n\nThe talks in Istanbul ended on Monday."
    names = [p.name for p in _places(text)]
    assert "Background" not in names and "Istanbul" in names


@pytest.mark.parametrize(
    "text, name, code",
    [("Drones struck Kharkiv before dawn, the governor said.", "Kharkiv", "UA"),
     ("Airstrikes hit Khan Younis on Tuesday, medics said.", "Khan Younis", "PS"),
     ("Rebel fighters stormed Goma after a week of shelling.", "Goma", "CD")],
)
def test_a_big_place_the_model_took_for_a_person_is_read_where_a_place_stands(text, name, code):
    """Whatever the model's label, a name that is the object of "struck"/"stormed" or of "in/near" and that the
    gazetteer knows as a big city or a province is a place, and not an actor."""
    from trucewatch.analyze import analyze_article, load_resources

    res = load_resources(Settings.from_env(env={}), nlp=nlp())
    an = analyze_article(article(text, "2025-11-09"), res)
    assert (name, code) in [(p.name, p.country_code) for p in an.places]
    assert name not in [a.name for a in an.actors]


def test_a_person_as_the_object_of_an_attack_stays_a_person():
    from trucewatch.analyze import analyze_article, load_resources

    res = load_resources(Settings.from_env(env={}), nlp=nlp())
    an = analyze_article(article("Gunmen attacked Ahmed Khan outside his home on Monday, police said.", "2025-11-09"), res)
    assert "Ahmed Khan" in [a.name for a in an.actors if a.kind == "person"]
    assert "Ahmed Khan" not in [p.name for p in an.places]


@pytest.mark.parametrize("abbrev,admin1,ok", [
    ("Colo.", "Colorado", True), ("Ky.", "Kentucky", True), ("N.M.", "New Mexico", True), ("W.Va.", "West Virginia", True),
    ("IL", "Illinois", True), ("Qld", "Queensland", True), ("Ontario", "Ontario", True),
    ("N.C.", "South Carolina", False), ("Va.", "West Virginia", False), ("Wis.", "Washington", False), ("Ky.", None, False),
])
def test_region_abbreviations_match_their_province(abbrev, admin1, ok):
    from trucewatch.analyze.places import region_matches

    assert region_matches(abbrev, admin1) is ok


def _places(text: str, dateline: str | None = None):
    import dataclasses

    art = dataclasses.replace(article(text), dateline=dateline)
    return places_from(nlp()(text), gazetteer(), art, {"US"})


def test_dateline_town_is_geocoded_inside_its_state():
    # several US towns are called Clifton; the dateline's "Colo." picks the one in Colorado
    text = "CLIFTON, Colo. - A hunter was hurt on Sunday when his rifle went off at a campsite, deputies said."
    towns = [p for p in _places(text, "CLIFTON, Colo.") if p.start == 0]
    assert [(t.resolved_name, t.admin1, t.feature) for t in towns] == [("Clifton", "Colorado", "city")]
    assert text[towns[0].start:towns[0].end] == "CLIFTON"


def test_town_named_for_its_police_force_is_a_place():
    text = "A woman was wounded late on Friday outside a pizza shop, Joliet Police said in a statement on Saturday."
    got = {(p.name, p.resolved_name) for p in _places(text)}
    assert ("Joliet", "Joliet") in got
    # a person's name before "police" is no town
    assert not any(p.name == "Smith" for p in _places("Chief Ann Smith police officers arrived within minutes."))


def test_a_dateline_town_too_small_for_the_gazetteer_still_gives_its_state():
    text = "TINYBROOK, N.Y. -- A man was hurt on Sunday when a shotgun went off in a barn near Buffalo, deputies said."
    got = [(p.name, p.resolved_name, p.feature) for p in _places(text, "TINYBROOK, N.Y.") if p.lat is not None]
    assert ("N.Y.", "New York", "admin1") in got


def test_police_town_is_found_when_the_article_names_no_country():
    text = "The Corpus Christi Police Department answered 300 calls on Monday, and one of them was a shooting."
    art = article(text)
    got = {(p.resolved_name, p.admin1) for p in places_from(nlp()(text), gazetteer(), art, set())}
    assert ("Corpus Christi", "Texas") in got


def test_a_small_town_is_found_inside_the_state_its_dateline_or_article_names():
    # the main list has no town this small; the dateline's state says which one it is
    text = "DUNCANNON, Pa. -- A constable fired one shot during an eviction on Monday, state police said."
    got = {(p.name, p.resolved_name, p.feature, p.admin1) for p in _places(text, "DUNCANNON, Pa.")}
    assert ("DUNCANNON", "Duncannon", "city", "Pennsylvania") in got
    assert ("Pa.", "Pennsylvania", "admin1", "Pennsylvania") in got  # not a town called Pa elsewhere
    text2 = "A teenager in Bellefontaine, Ohio, was hurt when a handgun went off in a kitchen on Saturday."
    got2 = {(p.resolved_name, p.admin1) for p in _places(text2)}
    assert ("Bellefontaine", "Ohio") in got2
    # without a named province the small town stays unknown: a village of that name could be anywhere
    text3 = "A teenager in Bellefontaine was hurt when a handgun went off in a kitchen on Saturday."
    assert not any(p.resolved_name == "Bellefontaine" for p in _places(text3))


def test_a_dateline_with_a_date_after_the_dash_names_its_places_without_the_dash():
    text = "ISLAMABAD / KABUL — Oct 29: Officials on both sides said the crossing would reopen on Friday."
    names = {p.name for p in _places(text, "ISLAMABAD / KABUL — Oct 29") if (p.reason or "").startswith("named in the dateline")}
    assert names == {"ISLAMABAD", "KABUL"}
