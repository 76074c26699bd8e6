"""Actors: roles, kinds, capitals for governments, short forms, learned aliases, fuzzy variants, the user aliases file."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article, load_resources
from trucewatch.analyze.aliases import CountryTable, learn_aliases, load_user_aliases, same_name
from trucewatch.errors import ConfigError
from trucewatch.settings import Settings


def actors(text: str, res=None):
    a = analyze_article(article(text), res or resources())
    for x in a.actors:
        for s, e in x.mentions:
            assert 0 <= s < e <= len(text)
    return {x.name: x for x in a.actors}, a


def test_country_table_covers_names_short_forms_demonyms_and_capitals():
    t = CountryTable.load()
    assert t.country("Turkey") == t.country("Türkiye") == t.country("Turkiye") == "TR"
    assert t.country("the US") == t.country("United States") == "US"
    assert t.demonym_code("Afghans") == "AF" and t.demonym_code("Filipino") == "PH"
    assert t.capital_code("Islamabad") == "PK" and t.capital_code("Nairobi") == "KE"
    # Every ISO country has a name; most have a demonym.
    import pycountry

    assert all(c.alpha_2 in t.names for c in pycountry.countries)
    assert len(t.demonym) >= 190


def test_roles_from_premodifier_and_apposition():
    found, _ = actors("Kenya's Defence Minister Amos Otieno visited the front. "
                      "Later, Lina Park, the interior minister, said the roads were open.")
    assert "defence minister" in found["Amos Otieno"].roles
    assert found["Amos Otieno"].country == "KE"
    assert "interior minister" in found["Lina Park"].roles


def test_short_form_joins_the_full_name():
    found, _ = actors("Defence Minister Amos Otieno spoke on Monday. Otieno said the talks were over.")
    assert "Otieno" not in found
    assert "Otieno" in found["Amos Otieno"].aliases
    assert len(found["Amos Otieno"].mentions) == 2


def test_capital_used_for_its_government():
    found, _ = actors("Nairobi accused its neighbour of arming the rebels. Fighting continued in Mombasa.")
    gov = found["Government of Kenya"]
    assert gov.kind == "government" and gov.country == "KE" and "Nairobi" in gov.aliases


def test_capital_as_a_place_is_not_a_government():
    found, _ = actors("Thousands marched in Nairobi on Sunday.")
    assert "Government of Kenya" not in found


def test_countries_merge_spelling_variants():
    found, _ = actors("Turkey hosted the talks. Türkiye said it would keep mediating.")
    assert found["Türkiye"].kind == "country" and "Turkey" in found["Türkiye"].aliases


def test_acronym_alias_and_armed_group_kind():
    found, a = actors("Militants from the Jaish al-Nur Front (JNF), an armed group, attacked the post. "
                      "The JNF said it would continue.")
    jnf = next(x for x in found.values() if "JNF" in x.aliases)
    assert jnf.kind == "armed_group"
    assert ("JNF", jnf.name) in a.aliases


@pytest.mark.parametrize(
    "text, alias, name",
    [
        ("Officials blamed the renegades — a term used to describe the banned Northern Shield Front (NSF).", "renegades",
         "the banned Northern Shield Front"),
        ("Abu Karim, also known as Abu Sayf, led the raid.", "Abu Sayf", "Abu Karim"),
        ("He posted on X (formerly Twitter) that night.", "Twitter", "X"),
        ("Members of the so-called Northern Shield joined.", "so-called Northern Shield", "Northern Shield"),
    ],
    ids=["term-used", "aka", "formerly", "so-called"],
)
def test_learned_aliases(text, alias, name):
    learned = {(la.alias, la.name) for la in learn_aliases(text)}
    assert (alias, name) in learned


@pytest.mark.parametrize(
    "a, b, same",
    [("Tehrik-e-Taliban Pakistan", "Tehreek-i-Taliban Pakistan", True), ("Muhammad Ali", "Mohammed Ali", True),
     ("Pakistan Army", "Pakistan Navy", False), ("Khawaja Asif", "Khawaja Arif", False), ("Islamic State", "Islamic Front", False)],
    ids=lambda x: str(x),
)
def test_same_name(a, b, same):
    assert same_name(a, b) is same


def test_user_aliases_file(tmp_path: Path):
    f = tmp_path / "aliases.yaml"
    f.write_text("actors:\n  - name: Northern Liberation Army\n    kind: armed_group\n    country: XK\n"
                 "    aliases: [NLA, the Northerners]\n", encoding="utf-8")
    res = load_resources(Settings.from_env(env={}, aliases_file=str(f)), nlp=resources().nlp)
    found, _ = actors("The Northerners claimed the attack, the NLA said in a statement.", res)
    nla = found["Northern Liberation Army"]
    assert nla.kind == "armed_group" and nla.country == "XK" and len(nla.mentions) == 2


@pytest.mark.parametrize(
    "content, message",
    [("actors: 5", "top-level 'actors:' list"), ("actors:\n  - kind: person\n", "needs a 'name:'"),
     ("actors:\n  - name: X\n    kind: army\n", "has kind 'army'"), ("actors: [\n", "not valid YAML")],
    ids=["not-a-list", "no-name", "bad-kind", "bad-yaml"],
)
def test_bad_aliases_file_is_a_config_error_naming_the_file(tmp_path: Path, content, message):
    f = tmp_path / "aliases.yaml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_user_aliases(f)
    assert str(f) in str(e.value) and message in str(e.value)


def test_missing_aliases_file_is_a_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_user_aliases(tmp_path / "nope.yaml")


def test_the_countrys_minister_takes_the_country_named_before():
    found, _ = actors("Kenya closed two border posts on Monday. The country's defence minister Amos Otieno said the posts would stay shut.")
    assert found["Amos Otieno"].country == "KE"
    assert "defence minister" in found["Amos Otieno"].roles


@pytest.mark.parametrize(
    "text, acting",
    [("Norwegian drones struck the depot overnight.", ["Norway"]),
     ("Chilean and Peruvian troops exchanged fire across the border on Monday.", ["Chile", "Peru"]),
     ("Estonian airstrikes hit the bridge.", ["Estonia"])],
)
def test_a_demonym_on_a_force_or_strike_names_the_country_that_acts(text, acting):
    an = analyze_article(article(text), resources())
    names = {a.id: a.name for a in an.actors}
    violent = [e for e in an.events if e.type in ("airstrike", "armed_clash", "cross_border_fire", "attack", "shelling")]
    assert violent and [names[a] for a in violent[0].acting] == acting
    assert all(a.kind == "country" for a in an.actors if a.name in acting)


def test_a_demonym_on_people_is_still_no_actor():
    an = analyze_article(article("Chilean civilians fled the fighting, Chilean officials said."), resources())
    assert "Chile" not in [a.name for a in an.actors if a.kind == "country"]
