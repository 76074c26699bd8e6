"""Time rules for event mentions (own sentences): a reported past event never ends after publication, clock
times do not move or make a day, page stamps and house numbers are no times, and a statement's date bounds an
event it tells without dating it."""

from __future__ import annotations

import datetime as dt

import pytest
from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article
from trucewatch.analyze.timex import resolve

SUN = dt.date(2025, 11, 9)  # a Sunday


@pytest.mark.parametrize(
    "text, day",
    [("about 3 a.m. Sunday", "2025-11-09"), ("just after 11:40 p.m. Friday", "2025-11-07"),
     ("Saturday at 6 p.m.", "2025-11-08"), ("around 9 Thursday night", "2025-11-06")],
)
def test_a_clock_time_does_not_move_the_weekday(text, day):
    assert resolve(text, SUN)[:3] == (day, day, "day")


@pytest.mark.parametrize("text", ["around 9:30 p.m.", "shortly before 5 a.m.", "11.15pm"])
def test_a_clock_time_alone_says_no_day(text):
    start, _, _, reason = resolve(text, SUN)
    assert start is None and reason == "time of day only"


def _events(text: str, published: str = "2025-11-09"):
    return analyze_article(article(text, published=published), resources()).events


def test_a_past_shooting_is_never_dated_after_publication():
    # "24 September" read closest to a June report is the coming one: no date for a past shooting
    evs = _events("A bakery owner was shot and killed on 24 September, police said.", published="2025-06-03")
    shots = [e for e in evs if e.type in ("shooting", "killing")]
    assert shots and all(e.time is None for e in shots)


def test_a_past_event_this_week_ends_on_the_publication_day():
    evs = _events("Gunmen attacked a checkpoint this week, the army said.", published="2025-11-05")
    dated = [e for e in evs if e.type in ("attack", "armed_clash") and e.time is not None]
    assert dated and all(e.time.date_end <= "2025-11-05" for e in dated)


def test_a_page_stamp_and_a_house_number_are_no_times():
    a = analyze_article(article("Posted: Tuesday, May 6, 2025 9:14 AM EDT\n\nA man was shot at 1908 Linden Ave. "
                                "on Monday night.", published="2025-05-06"), resources())
    assert [t.date_start for t in a.times if t.date_start] == ["2025-05-05"]


def test_a_statement_date_bounds_the_event_it_tells():
    evs = _events("Fighting near the dam killed four farmers, the governor said on Friday.")
    fight = next(e for e in evs if e.type == "armed_clash")
    assert (fight.time.date_start, fight.time.date_end, fight.time.precision) == ("2025-10-31", "2025-11-07", "range")


def test_an_earlier_killing_named_in_passing_does_not_take_the_arrest_day():
    evs = _events("A teenager was held on Thursday in the fatal shooting of a cashier.")
    shot = [e for e in evs if e.type == "shooting"]
    assert shot and all(e.time is None for e in shot)
    evs = _events("Police are investigating the shooting on Thursday of a cashier.")
    assert [e.time.date_start for e in evs if e.type == "shooting"] == ["2025-11-06"]
