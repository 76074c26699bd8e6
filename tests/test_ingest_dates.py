"""Datelines, dates in text, publication-date parsing and inference (examples and hypothesis properties)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from trucewatch.ingest.dates import (
    INFER_WINDOW_DAYS,
    find_dateline,
    find_dates,
    infer_published,
    parse_date,
    resolve_year,
)

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


@pytest.mark.parametrize(
    "line, text, place, md",
    [
        ("ISLAMABAD / KABUL — Oct 29:", "ISLAMABAD / KABUL — Oct 29", "ISLAMABAD / KABUL", (10, 29)),
        ("KUALA LUMPUR, March 20 (Agency) - Talks between the two sides ended on Friday.",
         "KUALA LUMPUR, March 20 (Agency)", "KUALA LUMPUR", (3, 20)),
        ("ISLAMABAD: The government said on Monday that the border would stay closed.", "ISLAMABAD", "ISLAMABAD", None),
        ("PORT ELARA – Ferry crews walked out again on Friday over the new rota.", "PORT ELARA", "PORT ELARA", None),
        ("Veldor, June 3 (River Wire) - Barges waited below the lock for a second day.",
         "Veldor, June 3 (River Wire)", "Veldor", (6, 3)),
        ("Kastamar [Northland], October 29 (NWA): The lock stayed closed for a third day on Wednesday.",
         "Kastamar [Northland], October 29 (NWA)", "Kastamar", (10, 29)),
        ("PORT ELARA, Westmark, Oct 2 (AP) — Ferry crews stayed at home on Thursday.",
         "PORT ELARA, Westmark, Oct 2 (AP)", "PORT ELARA", (10, 2)),
        ("NEW YORK (AP) — The committee met again on Monday to discuss the report.", "NEW YORK (AP)", "NEW YORK", None),
        ("GLENWOOD, Colo. - Two hikers were rescued from a ledge on Sunday.", "GLENWOOD, Colo.", "GLENWOOD", None),
        ("FARRIS, N.M. (KXYZ) – Deputies closed the highway after a crash.", "FARRIS, N.M. (KXYZ)", "FARRIS, N.M.", None),
        ("Brookhollow (AP) — State troopers say a bridge was struck by a truck.", "Brookhollow (AP)", "Brookhollow", None),
    ],
)
def test_datelines(line, text, place, md):
    dl = find_dateline(line)
    assert dl is not None
    assert dl.text == text
    assert dl.place == place
    assert ((dl.month, dl.day) if dl.month else None) == md


@pytest.mark.parametrize(
    "line",
    [
        "The talks ended on Friday without an agreement, officials said.",
        "TTP – a group that operates across the border",
        "Background",
        "Islamabad said it would respond to any attack with force.",
    ],
)
def test_not_datelines(line):
    assert find_dateline(line) is None


def test_dateline_keeps_an_abbreviated_state_and_may_stand_on_its_own_line():
    dl = find_dateline("Watch the video below.\n\nMILLBROOK, Wis. -\n\nA second man was charged on Tuesday in the case.")
    assert (dl.place, dl.region) == ("MILLBROOK", "Wis.")
    assert find_dateline("BLUEFIELD, W.Va. — Two men were arrested on Friday night.").region == "W.Va."


def test_find_dates_kinds_and_future_cue():
    text = ("Fighting began on October 9, 2025 and a truce followed on 19 Oct. "
            "Talks in November 2025 failed; a new round is scheduled for Dec 2. See 2025-11-09.")
    ds = find_dates(text)
    got = [(d.year, d.month, d.day, d.future) for d in ds]
    assert (2025, 10, 9, False) in got
    assert (None, 10, 19, False) in got
    assert (2025, 11, None, False) in got
    assert (None, 12, 2, True) in got
    assert (2025, 11, 9, False) in got


def test_may_as_a_verb_is_not_a_date():
    assert find_dates("The army may 3 times a year close the road.") == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-09T07:30:00+07:00", ("2026-03-09", "day")),
        ("Mon, 09 Mar 2026 07:30:00 GMT", ("2026-03-09", "day")),
        ("24 March 2026, 8:05 AM", ("2026-03-24", "day")),
        ("March 9, 2026", ("2026-03-09", "day")),
        ("2026-03", ("2026-03-01", "month")),
        ("2026", ("2026-01-01", "year")),
        ("not a date", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_resolve_year_prefers_full_dates_then_years_then_recent():
    full = find_dates("The truce of December 28, 2025 held.")
    assert resolve_year(1, 3, full, [2025]) == (2026, "from other dates in the text")
    assert resolve_year(10, 28, [], [2019, 2021])[0] == 2021
    assert resolve_year(10, 28, [], [2031], today=date(2026, 5, 1))[0] == 2025  # 2031 is after today: ignored
    assert resolve_year(3, 27, [], [], today=date(2026, 11, 22))[0] == 2026
    assert resolve_year(12, 27, [], [], today=date(2026, 11, 22))[0] == 2025
    assert resolve_year(3, 27, [], []) is None


def test_resolve_year_uses_the_batch_reference_before_bare_years():
    got = resolve_year(10, 28, [], [2021], today=date(2026, 11, 22), reference=date(2025, 11, 9))
    assert got[0] == 2025 and "other articles" in got[1]
    # closest to the reference, across a new year
    assert resolve_year(12, 30, [], [], reference=date(2025, 1, 4))[0] == 2024
    # never before a year the text mentions, never after today
    assert resolve_year(3, 1, [], [2026], today=date(2026, 11, 22), reference=date(2025, 3, 1))[0] == 2026
    assert resolve_year(12, 1, [], [], today=date(2025, 11, 22), reference=date(2025, 11, 20))[0] == 2024
    # a full date in the text still wins
    assert resolve_year(10, 28, find_dates("on May 2, 2019"), [], reference=date(2025, 11, 9))[0] == 2019


def test_infer_published_uses_latest_past_date_and_a_bounded_window():
    text = "The round opened on February 3, 2024. A new meeting could take place on Feb 19 at the earliest."
    (lo, hi), note = infer_published(text)
    assert lo == "2024-02-03"
    assert hi == (date(2024, 2, 3) + timedelta(days=INFER_WINDOW_DAYS)).isoformat()
    assert "February 3, 2024" in note
    assert infer_published("Nothing dated here at all.") is None


def test_infer_published_never_passes_today():
    (lo, hi), _ = infer_published("It happened on November 20, 2026.", today=date(2026, 11, 22))
    assert (lo, hi) == ("2026-11-20", "2026-11-22")


# ----------------------------------------------------------------------------- properties

dates_st = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=200, deadline=None)
@given(dates_st, st.sampled_from(["{M} {d}, {Y}", "{d} {M} {Y}", "{Y}-{m:02d}-{d:02d}", "{Mabbr}. {d}, {Y}"]))
def test_find_dates_reads_back_every_written_date(d, fmt):
    month = MONTH_NAMES[d.month - 1]
    written = fmt.format(M=month, Mabbr=month[:3], d=d.day, Y=d.year, m=d.month)
    found = find_dates(f"Officials said the clash on {written} left several people hurt.")
    assert [(x.year, x.month, x.day) for x in found] == [(d.year, d.month, d.day)]


@settings(max_examples=200, deadline=None)
@given(dates_st)
def test_parse_date_round_trips_iso(d):
    assert parse_date(d.isoformat()) == (d.isoformat(), "day")


@settings(max_examples=200, deadline=None)
@given(st.lists(dates_st, min_size=1, max_size=6))
def test_inferred_range_starts_at_latest_mentioned_date_and_is_bounded(ds):
    text = " ".join(f"Something happened on {MONTH_NAMES[d.month - 1]} {d.day}, {d.year}." for d in ds)
    (lo, hi), _ = infer_published(text)
    assert lo == max(ds).isoformat()
    assert date.fromisoformat(hi) - date.fromisoformat(lo) == timedelta(days=INFER_WINDOW_DAYS)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["ISLAMABAD", "KUALA LUMPUR", "PORT ELARA / MIRAVAL", "NEW YORK"]),
       dates_st, st.sampled_from([" — {M} {d}:", ", {M} {d} (Wire) -", ":"]),
       st.sampled_from(["", " Talks ended on Friday without a deal, officials said."]))
def test_dateline_round_trip(place, d, tail, body):
    month = MONTH_NAMES[d.month - 1]
    line = place + tail.format(M=month[:3] if "—" in tail else month, d=d.day) + body
    dl = find_dateline(line)
    if tail == ":" and not body:
        assert dl is not None and dl.text == place
        return
    assert dl is not None
    assert dl.place == place
    if "{d}" in tail:
        assert (dl.month, dl.day) == (d.month, d.day)


def test_infer_published_moves_past_the_latest_date_to_a_bare_weekday():
    # the latest written date is a Monday; the story happened "on Saturday" after it
    text = ("On Saturday, the ministry accused its neighbour of a raid, calling it a breach of the truce "
            "signed on March 23, 2026. Residents said they heard one blast.")
    (lo, hi), note = infer_published(text)
    assert lo == "2026-03-28"
    assert hi >= "2026-04-20"  # still a window: which Saturday is not certain
    assert "Saturday" in note


def test_infer_published_ignores_weekdays_next_to_a_date_or_in_the_future():
    text = "Talks ended on Monday, March 23, 2026. The sides will meet again next Friday."
    (lo, _), _ = infer_published(text)
    assert lo == "2026-03-23"


def test_infer_published_counts_days_after_a_written_date():
    text = "Guns fired again on Tuesday, ten days after the first exchange there on March 7, 2026."
    (lo, _), note = infer_published(text)
    assert lo == "2026-03-17"
    assert "10 days after" in note


_FRAGMENTS = ["on Monday", "Oct 29", "October 28, 2025", "28 Oct", "2025-11-09", "November 2025", "since 2021",
              "next Tuesday", "ten days after", "March 7", "Sunday,", "Dec 31 2024", "Jan 2", "the talks", ".", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map(" ".join))
def test_dates_found_do_not_overlap_and_bare_weekdays_match_the_pairwise_rule(text):
    from trucewatch.ingest.dates import _bare_weekdays

    found = find_dates(text)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert all(text[d.start:d.end] == d.text for d in found)
    # the rule as written: a weekday name 15 characters or less before a date, or 3 or less after one, is not bare
    expected = [(w, p) for w, p in _bare_weekdays(text, []) if not any(d.start - 15 <= p <= d.end + 3 for d in found)]
    assert _bare_weekdays(text, found) == expected


def test_many_dates_and_month_days_resolve_like_few():
    """A long text of month-days without a year takes every year from the one full date, as a short one does."""
    body = " ".join(f"Talks resumed on March {1 + k % 28} in round {k}." for k in range(20_000))
    text = "The truce was signed on February 2, 2025. " + body
    got = infer_published(text, today=date(2025, 12, 1))
    assert got is not None
    (lo, hi), note = got
    assert lo == "2025-03-28" and "year 2025 from other dates in the text" in note
    assert len(find_dates(text)) == 20_001
