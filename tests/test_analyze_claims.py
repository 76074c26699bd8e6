"""Numeric claims: values in digits and words, vague quantities, ranges, hedges, claimants, sides, and non-claims."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article
from trucewatch.analyze.claims import parse_number
from trucewatch.analyze.components import lexicon


def claims(text: str, outlet: str | None = "Test Wire"):
    a = analyze_article(article(text, outlet=outlet), resources())
    for c in a.claims:
        assert 0 <= c.start < c.end <= len(text)
        assert c.claimant
    return a.claims


@pytest.mark.parametrize(
    "words, value",
    [("58", 58), ("2,600", 2600), ("four", 4), ("twenty-five", 25), ("one million", 1_000_000),
     ("1.5 million", 1_500_000), ("a hundred", 100), ("three hundred and twelve", 312)],
    ids=lambda x: str(x),
)
def test_parse_number(words, value):
    assert parse_number(words) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_reads_digits_with_thousands_separators(n):
    assert parse_number(f"{n:,}") == n


def test_vague_quantities_keep_low_le_best_le_high():
    for key, (best, low, high) in lexicon().vague_quantities.items():
        assert low <= best, key
        assert high is None or best <= high, key


def test_killed_claim_with_claimant_hedge_and_side():
    (c,) = claims("The rebels claimed they had killed 58 Norvish soldiers in the raid.")
    assert (c.value, c.category, c.counted, c.predicate) == (58, "killed", "soldiers", "killed")
    assert c.claimant == "rebels"
    assert c.hedge == "claimed"


def test_side_from_a_demonym():
    (c,) = claims("Officials said four Afghan civilians were killed in the shelling.")
    assert c.side == "Afghan"
    assert c.claimant == "Officials"


def test_at_least_sets_only_the_low_bound():
    (c,) = claims("At least 10 people were injured when the bridge was shelled.")
    assert (c.value, c.low, c.high, c.hedge, c.category) == (10, 10, None, "at least", "injured")
    assert c.original == "At least 10"


def test_more_than_one_million_and_according_to():
    (c,) = claims("According to the interior ministry, more than one million refugees have been repatriated since 2023.")
    assert c.value == 1_000_000 and c.hedge in ("reported", "over") and c.category == "returned"
    assert "interior ministry" in c.claimant


def test_dozens_uses_the_conservative_figure():
    (c,) = claims("Dozens of homes were destroyed by the floods of fire.")
    assert (c.value, c.low, c.high, c.original, c.category) == (12, 12, 99, "Dozens", "damaged")


@pytest.mark.parametrize("text", ["Between 10 and 15 homes were destroyed.", "The raid destroyed 10-15 homes."], ids=["between", "dash"])
def test_ranges(text):
    (c,) = claims(text)
    assert (c.low, c.high, c.value) == (10, 15, 10)


def test_the_outlet_is_the_claimant_when_no_one_is_named():
    (c,) = claims("Three soldiers were wounded in the attack.", outlet="Harbour Times")
    assert c.claimant == "Harbour Times" and c.claimant_actor_id is None


def test_duration_claim():
    (c,) = claims("The ceasefire lasted only two days.")
    assert (c.category, c.counted, c.value, c.predicate) == ("duration", "days", 2, "lasted")


@pytest.mark.parametrize(
    "text",
    [
        "The talks began on October 19, 2025.",
        "A 34-year-old man was questioned.",
        "The boy, aged 9, was unhurt.",
        "Prices rose by 15% in March.",
        "The government pledged $50 million.",
        "The meeting started at 10:30 in the morning.",
        "It was the third round of talks.",
        "Relations between the two countries have worsened since 2021.",
        "Not one shell has crossed the river since the truce began, the governor said.",
    ],
    ids=["date", "age-hyphen", "aged", "percent", "money", "clock", "ordinal", "definite-and-year",
         "not-one"],
)
def test_non_claims(text):
    assert claims(text) == ()


def test_claims_have_deterministic_ids():
    text = "Five soldiers and 25 militants died in the fighting on Sunday, the army said."
    a, b = claims(text), claims(text)
    assert [c.id for c in a] == [c.id for c in b]
    assert [(c.value, c.counted) for c in a] == [(5, "soldiers"), (25, "militants")]
    assert {c.category for c in a} == {"killed"}
    assert {c.claimant for c in a} == {"army"}


def test_a_headline_figure_is_not_counted_twice():
    cs = claims("Shelling kills four in border town\n\nShelling killed four people in the town, the ministry said.")
    assert [(c.value, c.claimant) for c in cs] == [(4, "ministry")]


def test_death_toll_idiom_and_demonym_side():
    (c,) = claims("The health ministry said the death toll had risen to 45.")
    assert (c.value, c.category, c.claimant) == (45, "killed", "health ministry")
    (d,) = claims("Air strikes killed 18 Palestinians on Monday, health officials said.")
    assert (d.side, d.category, d.claimant) == ("Palestinian", "killed", "health officials")


def test_unattributed_figure_falls_back_to_the_site_when_no_outlet_is_known():
    from dataclasses import replace

    art = replace(article("Three soldiers were wounded in the attack.", outlet=None), url="https://www.example-news.org/a/1")
    (c,) = analyze_article(art, resources()).claims
    assert c.claimant == "example-news.org"


def test_a_contrasting_claim_in_a_clause_of_its_own_keeps_its_own_claimant():
    text = ("The army said in a statement that 12 soldiers had been killed, while the rebels claimed to have "
            "killed more than 40.")
    found = {c.original: c for c in claims(text)}
    assert found["12"].claimant == "army"
    assert found["more than 40"].claimant == "rebels" and found["more than 40"].hedge == "claimed"
    nested = {c.original: c for c in claims("Officials said the rebels claimed to have killed 40 soldiers.")}
    assert nested["40"].claimant == "Officials"  # reported speech inside a statement stays the statement's
