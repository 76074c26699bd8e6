"""Time expressions are normalised against the publication date (rules first, dateparser as fallback)."""

from __future__ import annotations

import datetime as dt

import pytest
from ev_helpers import article, nlp
from hypothesis import given, settings
from hypothesis import strategies as st

from trucewatch.analyze.timex import WEEKDAYS, resolve, times_from

SUN = dt.date(2025, 11, 9)  # a Sunday

CASES = [
    ("on Saturday", "2025-11-08", "2025-11-08", "day"),
    ("late Friday", "2025-11-07", "2025-11-07", "day"),
    ("Thursday night", "2025-11-06", "2025-11-06", "day"),
    ("early Wednesday", "2025-11-05", "2025-11-05", "day"),
    ("Sunday", "2025-11-09", "2025-11-09", "day"),
    ("last Sunday", "2025-11-02", "2025-11-02", "day"),
    ("next Monday", "2025-11-10", "2025-11-10", "day"),
    ("yesterday", "2025-11-08", "2025-11-08", "day"),
    ("today", "2025-11-09", "2025-11-09", "day"),
    ("last week", "2025-10-27", "2025-11-02", "week"),
    ("last week's", "2025-10-27", "2025-11-02", "week"),
    ("next week", "2025-11-10", "2025-11-16", "week"),
    ("earlier this month", "2025-11-01", "2025-11-09", "range"),
    ("this month", "2025-11-01", "2025-11-30", "month"),
    ("last month", "2025-10-01", "2025-10-31", "month"),
    ("over the weekend", "2025-11-08", "2025-11-09", "range"),
    ("within hours", "2025-11-09", "2025-11-09", "day"),
    ("October 28", "2025-10-28", "2025-10-28", "day"),
    ("Oct. 29", "2025-10-29", "2025-10-29", "day"),
    ("28 October", "2025-10-28", "2025-10-28", "day"),
    ("Wednesday, October 29", "2025-10-29", "2025-10-29", "day"),
    ("October 9, 2025", "2025-10-09", "2025-10-09", "day"),
    ("2025-10-12", "2025-10-12", "2025-10-12", "day"),
    ("in October", "2025-10-01", "2025-10-31", "month"),
    ("late October", "2025-10-22", "2025-10-31", "range"),
    ("December", "2024-12-01", "2024-12-31", "month"),
    ("October 2025", "2025-10-01", "2025-10-31", "month"),
    ("in 2021", "2021-01-01", "2021-12-31", "year"),
    ("last year", "2024-01-01", "2024-12-31", "year"),
    ("3 days ago", "2025-11-06", "2025-11-06", "day"),
    ("the past week", "2025-11-02", "2025-11-09", "range"),
    ("overnight", "2025-11-08", "2025-11-09", "range"),
]


@pytest.mark.parametrize("text,start,end,precision", CASES, ids=[c[0] for c in CASES])
def test_resolve_against_publication_date(text, start, end, precision):
    ds, de, prec, reason = resolve(text, SUN, None)
    assert (ds, de, prec) == (start, end, precision), reason
    assert reason


@pytest.mark.parametrize("text", ["two days", "48 hours", "four days", "nearly two hours", "several weeks", "decades",
                                  "more than a year"], ids=lambda t: t)
def test_durations_are_not_points_in_time(text):
    assert resolve(text, SUN, None) == (None, None, None, "duration")


@pytest.mark.parametrize("text,reason", [
    ("the next day", "relative to another event"),
    ("ten days later", "relative to another event"),
    ("just hours before", "relative to another event"),
    ("four days earlier", "relative to another event"),
    ("just days", "relative to another event"),
    ("4.30am", "time of day only"),
    ("the coming days", "vague"),
], ids=lambda v: str(v))
def test_unresolvable_expressions_keep_a_reason(text, reason):
    assert resolve(text, SUN, None) == (None, None, None, reason)


def test_month_day_takes_the_year_closest_to_publication():
    assert resolve("December 30", dt.date(2026, 1, 3), None)[0] == "2025-12-30"
    assert resolve("January 2", dt.date(2025, 12, 30), None)[0] == "2026-01-02"


def test_relative_expression_without_any_anchor_is_unresolved_with_a_reason():
    assert resolve("on Saturday", None, None) == (None, None, None, "no publication date to anchor it")
    assert resolve("October 9, 2025", None, None)[0] == "2025-10-09"  # an explicit date needs no anchor


def test_inferred_publication_range_widens_a_weekday_to_an_interval():
    ds, de, prec, _ = resolve("Saturday", None, (dt.date(2025, 11, 1), dt.date(2025, 11, 9)))
    assert (ds, de, prec) == ("2025-11-01", "2025-11-08", "range")


def test_dateparser_fallback_handles_what_rules_miss():
    ds, de, prec, reason = resolve("the 5th of November 2025", SUN, None)
    assert ds == "2025-11-05" and prec == "day"


# --------------------------------------------------------------------------- from a parsed Doc


def test_times_from_merges_day_and_daypart_and_keeps_offsets():
    text = "Forces exchanged fire on Thursday night. The talks ended late Friday, officials said on 2025-11-09."
    art = article(text)
    times = times_from(nlp()(text), art)
    by_text = {t.text: t for t in times}
    assert by_text["Thursday night"].date_start == "2025-11-06"
    assert any(t.text.endswith("Friday") and t.date_start == "2025-11-07" for t in times)
    assert by_text["2025-11-09"].precision == "day"
    for t in times:
        assert text[t.start:t.end] == t.text


def test_times_from_marks_durations_and_skips_ages():
    text = "The truce lasted two days. A 61-year-old farmer was hurt on Tuesday."
    times = times_from(nlp()(text), article(text))
    assert [t.reason for t in times if t.text == "two days"] == ["duration"]
    assert not any("year-old" in t.text for t in times)
    assert any(t.date_start == "2025-11-04" for t in times)


def test_times_from_uses_the_inferred_range_when_publication_is_inferred():
    text = "Shelling resumed on Monday."
    times = times_from(nlp()(text), article(text, inferred_range=("2025-11-03", "2025-11-12")))
    assert times[0].date_start == "2025-11-03" and times[0].date_end == "2025-11-10"


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
weekday_phrases = st.tuples(st.sampled_from(["", "on ", "late ", "early ", "last ", "this past "]),
                            st.sampled_from(WEEKDAYS),
                            st.sampled_from(["", " night", " morning", " evening"]))


@settings(max_examples=300, deadline=None)
@given(dates, weekday_phrases)
def test_weekday_never_after_publication_nor_more_than_7_days_before(anchor, parts):
    prefix, day, suffix = parts
    text = f"{prefix}{day.capitalize()}{suffix}"
    ds, de, prec, reason = resolve(text, anchor, None)
    assert prec == "day", (text, reason)
    d = dt.date.fromisoformat(ds)
    assert anchor - dt.timedelta(days=7) <= d <= anchor
    assert WEEKDAYS[d.weekday()] == day


@settings(max_examples=200, deadline=None)
@given(dates, st.sampled_from(range(1, 13)), st.integers(1, 28))
def test_month_day_without_year_is_within_about_six_months(anchor, month, day):
    import calendar

    text = f"{calendar.month_name[month]} {day}"
    ds, _, prec, _ = resolve(text, anchor, None)
    assert prec == "day"
    assert abs((dt.date.fromisoformat(ds) - anchor).days) <= 184


EXPRESSIONS = [c[0] for c in CASES] + ["earlier this week", "later this month", "mid-October", "the end of March",
                                       "early this year", "recent weeks", "this weekend", "last weekend", "the weekend"]


@settings(max_examples=300, deadline=None)
@given(dates, st.sampled_from(EXPRESSIONS), st.one_of(st.none(), st.integers(0, 20)))
def test_resolved_intervals_are_ordered(anchor, text, spread):
    rng = None if spread is None else (anchor, anchor + dt.timedelta(days=spread))
    ds, de, prec, reason = resolve(text, None if rng else anchor, rng)
    assert ds is not None, (text, reason)
    assert ds <= de
    assert prec in ("day", "week", "month", "year", "range")


@pytest.mark.parametrize(
    "text, start, end",
    [("between October 10 and 15", "2025-10-10", "2025-10-15"),
     ("the night of November 3-4", "2025-11-03", "2025-11-04"),
     ("from 3 to 5 November", "2025-11-03", "2025-11-05"),
     ("Oct 30 to Nov 2", "2025-10-30", "2025-11-02"),
     ("October 28\u201330", "2025-10-28", "2025-10-30")],
)
def test_ranges_of_days_resolve_to_both_ends(text, start, end):
    assert resolve(text, dt.date(2025, 11, 9))[:3] == (start, end, "range")


@pytest.mark.parametrize("text", ["10 to 15", "5-6 soldiers", "October to December"])
def test_what_is_not_a_range_of_days_is_left_to_the_other_rules(text):
    got = resolve(text, dt.date(2025, 11, 9))
    assert got[3] != "range of days"
