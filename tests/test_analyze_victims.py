"""Victims counted from noun phrases (analyze/victims.py): each counting pattern on sentences of our own."""

from __future__ import annotations

import pytest

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article


def tolls(text: str) -> dict[str, float]:
    """The article's killed and injured figures, as fusion reads them: a claimant's largest figure."""
    a = analyze_article(article(text), resources())
    out: dict[str, float] = {}
    for c in a.claims:
        assert 0 <= c.start < c.end <= len(text) and c.claimant
        if c.category in ("killed", "injured"):
            out[c.category] = max(out.get(c.category, 0.0), c.value)
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A 31-year-old cook was stabbed and killed on Tuesday evening near the ferry terminal.", {"killed": 1}),
        ("A grandmother and her three grandchildren were injured when a truck struck their porch.", {"injured": 4}),
        ("Nobody was hurt when the stray round went through the kitchen window.", {"injured": 0}),
        ("Five miners were shot dead at the gate of the quarry, the union said.", {"killed": 5}),
        ("Three pickers were shot, one fatally, in the orchard on Sunday.", {"killed": 1, "injured": 2}),
        ("A driver was shot on the bypass overnight. He died at the county hospital.", {"killed": 1}),
        ("A cyclist was shot near the canal. The victim was pronounced dead at the scene.", {"killed": 1}),
        ("Officials said the attacker shot and killed two guards and wounded four visitors.", {"killed": 2, "injured": 4}),
        ("Reyes, 52, was fatally shot in his driveway.", {"killed": 1}),
        ("A teenager was shot in the arm. Another teenager was also shot and is in stable condition.", {"injured": 2}),
        ("A deputy was shot and killed, and a clerk was shot in the hand.", {"killed": 1, "injured": 1}),
        ("Six people were shot at the fair. Two of them died later.", {"killed": 2, "injured": 4}),
        ("Two are dead and one is in critical condition after the crash on the ring road.", {"killed": 2, "injured": 1}),
    ],
    ids=["singular-killed", "conjoined-injured", "no-one-zero", "numeral-shot-dead", "partitive-fatally",
         "pronoun-same-victim", "the-victim-same", "active-objects", "name-with-age", "another-counts-on",
         "distinct-victims-one-sentence", "struck-beyond-killed", "state-adjectives"],
)
def test_victim_counts(text, expected):
    assert tolls(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The man threatened to shoot his neighbour over the fence.",
        "The guard could have been killed if the door had not held.",
        "The clerk was not hurt.",
        "Officers tried to kill the engine of the stolen van.",
        "A car was shot up outside the depot.",
    ],
    ids=["threat", "counterfactual", "negated-singular", "intended", "not-a-person"],
)
def test_no_victims_counted(text):
    assert tolls(text) == {}


def test_an_age_after_a_name_is_no_figure():
    a = analyze_article(article("Police named the dead man as Tom Okafor, 44, of Riverside."), resources())
    assert all(c.value != 44 for c in a.claims)
    assert tolls("Police named the dead man as Tom Okafor, 44, of Riverside.") != {"killed": 44}


@pytest.mark.parametrize(
    "text, tally",
    [
        ("Two cooks were killed and at least 20 others were wounded in shootings across Marlow since Friday.", True),
        ("Six people were shot in separate incidents across the city over the holiday weekend.", True),
        ("Eleven people have been killed by gunfire in the county so far this year, the coroner said.", True),
        ("Three guards were killed in attacks across the border on Sunday, the ministry said.", False),
        ("A 40-year-old baker was shot and killed outside his shop on Dale Road on Monday night.", False),
    ],
)
def test_a_tally_over_many_incidents_is_no_events_toll(text, tally):
    # the figure is still a claim of the article, but no event mention takes it as its toll
    a = analyze_article(article(text), resources())
    counted = [c for c in a.claims if c.category in ("killed", "injured")]
    assert counted
    assert all((c.event_id is None) == tally for c in counted), [(c.original, c.event_id) for c in counted]
