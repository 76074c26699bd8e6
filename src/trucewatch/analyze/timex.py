"""Time expressions: find them in a parsed article and normalise them against its publication date.

Two public functions:

* :func:`resolve` turns one expression ("late Friday", "earlier this month",
  "Oct 29") into ``(date_start, date_end, precision, reason)`` given an anchor
  date (the publication date) or an anchor range (an inferred publication
  range). Our own rules run first; ``dateparser`` is the fallback for what the
  rules do not cover (it is slow, so its answers are cached).
* :func:`times_from` collects spaCy ``DATE``/``TIME`` entities (plus weekday
  and "yesterday"-style words the model missed) and resolves each one.

Conventions (see docs/events.md):

* A weekday ("on Saturday", "late Friday", "Thursday night") is the most
  recent such day on or before the anchor; "last Saturday" may be 7 days back.
  Neither is ever after the anchor. "next Saturday" is the first one after it.
* A month-day without a year takes the year that puts it closest to the anchor.
* A month name alone ("in October") is the latest such month on or before the
  anchor's month; "next October" looks forward.
* Durations ("two days", "48 hours") are not points in time: they stay
  unresolved with ``reason="duration"`` so no stage uses them as an event date.
* Expressions relative to another event ("the next day", "ten days later")
  stay unresolved with a reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Article, TimeExpr
from .components import doc_text

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["resolve", "times_from"]

Date = dt.date
Result = tuple[str | None, str | None, str | None, str | None]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_NUM: dict[str, int] = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_NUM.update({m[:3]: i + 1 for i, m in enumerate(MONTHS)})
_MONTH_NUM["sept"] = 9
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-eight": 48, "seventy-two": 72, "few": 3, "several": 3,
    "couple": 2, "a couple of": 2, "a few": 3,
}
_UNITS = ("hour", "day", "week", "fortnight", "month", "year", "decade", "minute", "night")

_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"((?:19|20)\d{2})"
_PARTS_OF_DAY = r"(?:morning|afternoon|evening|night|midnight|noon|dawn|daybreak|nightfall)"
_NUM_RE = r"(\d+|" + "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT_RE = r"(" + "|".join(_UNITS) + r")s?"

# Leading words that add nothing to the date itself ("on Saturday", "since October").
_LEADING = re.compile(
    r"^(?:(?:on|in|at|by|during|from|since|until|till|through|throughout|over|around|about|as of|as early as|"
    r"as late as|before|after|the|of|some|sometime|for)\s+)+"
)
# Part-of-day qualifiers that keep the day itself ("late Friday", "Thursday night").
_QUALIFIER = re.compile(r"^(?:late|early|earlier|later|mid|pre-dawn|predawn)(?:\s+on)?\s+")
_CLOCK = r"\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)"
# "about 2 a.m. Sunday", "just after 4:00 p.m. Friday", "Sunday at 2 a.m.": the clock time does not move the day.
_LEAD_CLOCK = re.compile(r"^(?:(?:about|around|approximately|roughly|just|shortly|at|after|before|by|until)\s+)*"
                         r"(?:" + _CLOCK + r"|\d{1,2}(?:[:.]\d\d)?(?=\s+(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun)))\s+(?:on\s+)?")
_TRAIL_CLOCK = re.compile(r",?\s+(?:at\s+|around\s+|about\s+)?" + _CLOCK + r"$")
_TRAIL_DAYPART = re.compile(r"(?:'s|’s)?\s*(?:" + _PARTS_OF_DAY + r")$")

_R_DURATION = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:(?:more|less|fewer)\s+than\s+|nearly\s+|almost\s+|at\s+least\s+|about\s+|around\s+|some\s+|over\s+|up\s+to\s+|another\s+|"
    r"(?:a\s+)?couple\s+of\s+|(?:a\s+)?few\s+|several\s+|many\s+)*"
    r"(?:" + _NUM_RE + r"(?:\s+|-))?(?:(?:and\s+a\s+half|straight|consecutive|full)\s+)?" + _UNIT_RE + r"(?:\s+(?:long|straight|running))?$"
)
_R_PLURAL_VAGUE = re.compile(r"^(?:hours|days|weeks|months|years|decades|centuries)$")
_R_AGO = re.compile(r"^" + _NUM_RE + r"\s+" + _UNIT_RE + r"\s+ago$")
_R_RELATIVE_TO_OTHER = re.compile(
    r"^(?:(?:" + _NUM_RE + r"|a\s+few|several)\s+" + _UNIT_RE + r"\s+(?:later|after|afterwards|before\s+that|prior|earlier|before)|"
    r"(?:the\s+)?(?:following|previous|same|preceding)\s+(?:day|night|morning|week|month|year|evening|afternoon)|"
    r"(?:the\s+)?next\s+(?:day|night|morning|evening|afternoon)|that\s+(?:day|night|week|morning)|"
    r"the\s+day\s+(?:after|before)|(?:just\s+|only\s+|mere\s+)?(?:hours|days|minutes)\s+(?:before|after|later|earlier)|"
    r"(?:just|only|mere)\s+(?:hours|days|minutes|weeks)|(?:" + _NUM_RE + r")\s+" + _UNIT_RE + r"\s+(?:after|before)\b.*)$"
)
_R_RECENT = re.compile(
    r"^(?:the\s+)?(?:past|last|previous|recent|preceding)\s+(?:" + _NUM_RE + r"\s+|few\s+|several\s+|couple\s+of\s+)?" + _UNIT_RE + r"$"
    r"|^recent\s+" + _UNIT_RE + r"$"
)
_R_COMING = re.compile(r"^(?:the\s+)?(?:next|coming|following)\s+(?:" + _NUM_RE + r"\s+|few\s+|several\s+)" + _UNIT_RE + r"$|^(?:the\s+)?coming\s+" + _UNIT_RE + r"$")
_R_WITHIN = re.compile(r"^within\s+(?:(?:a|an|the)\s+)?(?:few\s+|" + _NUM_RE + r"\s+)?hours?$")
_R_ISO = re.compile(r"^" + _YEAR_RE + r"-(\d{1,2})-(\d{1,2})$")
_R_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.]" + _YEAR_RE + r"$")
_R_MDY = re.compile(r"^(?:" + r"[a-z]+,?\s+)?" + _MONTH_RE + r"\s+" + _DAY_RE + r"(?:,?\s+" + _YEAR_RE + r")?$")
_R_DMY = re.compile(r"^(?:" + r"[a-z]+,?\s+)?" + _DAY_RE + r"\s+(?:of\s+)?" + _MONTH_RE + r",?(?:\s+" + _YEAR_RE + r")?$")
_R_MONTH = re.compile(r"^(?:(last|this|next|early|mid|late|earlier|later|end\s+of|start\s+of|beginning\s+of|middle\s+of)[-\s]+(?:in\s+)?)?" + _MONTH_RE + r"(?:,?\s+" + _YEAR_RE + r")?$")
_R_YEAR = re.compile(r"^(?:(early|mid|late|earlier|later)[-\s]+)?" + _YEAR_RE + r"$")
_R_WEEKDAY = re.compile(r"^(?:(last|this|next|past|this\s+past)\s+)?(" + "|".join(WEEKDAYS) + r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?$")
_R_REL_UNIT = re.compile(
    r"^(?:(earlier|later|early|late|mid)[-\s]+)?(?:(last|this|next|the\s+previous|the\s+current|the\s+coming|previous|current|coming)\s+)"
    r"(week|weekend|month|year)$|^(?:(earlier|later)\s+)(?:in\s+)?(?:the\s+)?(week|month|year)$"
)
# Date ranges: "between October 10 and 15", "from 3 to 5 November", "November 3-4", "Oct 30 to Nov 2".
_R_RANGE = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s*(?:-|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*(.+)$")
_R_DAY_ONLY = re.compile(r"^" + _DAY_RE + r"$")
_R_DAY_MONTH_TAIL = re.compile(r"^" + _DAY_RE + r"\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+" + _YEAR_RE + r")?$")
_R_MONTH_DAY_HEAD = re.compile(r"^" + _MONTH_RE + r"\s+" + _DAY_RE + r"(?:,?\s+" + _YEAR_RE + r")?$")
# "the night of November 3-4", "the weekend of ...": the days themselves
_PERIOD_OF = re.compile(r"^(?:the\s+)?(?:night|nights|morning|evening|afternoon|weekend|week|days?)\s+of\s+")
_R_WEEKEND = re.compile(r"^(?:(last|this|next|the\s+past|past)\s+)?weekend$")
_SIMPLE = {
    "today": (0, "day"), "tonight": (0, "day"), "this morning": (0, "day"), "this afternoon": (0, "day"),
    "this evening": (0, "day"), "now": (0, "day"), "yesterday": (-1, "day"),
    "the day before yesterday": (-2, "day"), "tomorrow": (1, "day"),
    "the day after tomorrow": (2, "day"), "earlier today": (0, "day"), "later today": (0, "day"),
    "dawn": (0, "day"), "this week": (None, "week"), "overnight": ("night", "range"), "last night": ("night", "range"),
}
_VAGUE = re.compile(
    r"^(?:recently|lately|soon|now|currently|the\s+past|the\s+future|decades|years|centuries|"
    r"(?:a|the)\s+(?:long|short)\s+time|the\s+time|time|once|a\s+day|daily|weekly|monthly|annually|"
    r"(?:every|each)\s+\w+|(?:the\s+)?(?:last|past)\s+(?:few\s+)?(?:decades|centuries)|this\s+time|at\s+the\s+time|"
    r"(?:the\s+)?(?:coming|next)\s+(?:days|weeks|months|years))$"
)
_TIME_ONLY = re.compile(r"^(?:(?:around|about|at|approximately|roughly|just|shortly|after|before|until|by)\s+)*"
                        r"(?:\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.?m\.?|p\.?m\.?|hrs|gmt|utc)?|" + _PARTS_OF_DAY + r"|pre-dawn|predawn|daybreak|midday|lunchtime|sunset|sunrise)(?:\s+(?:local\s+time|gmt|utc|pkt|ict))?$")
# Years further than this from the anchor are not plausible readings of a bare month or weekday.
MAX_FALLBACK_YEARS = 30


def _iso(d: Date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> Date:
    return Date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _unit_delta(n: int, unit: str) -> dt.timedelta | tuple[int, int]:
    if unit in ("hour", "minute", "night", "day"):
        return dt.timedelta(days=n if unit in ("day", "night") else 0)
    if unit == "week":
        return dt.timedelta(weeks=n)
    if unit == "fortnight":
        return dt.timedelta(weeks=2 * n)
    if unit == "month":
        return (0, n)
    if unit == "year":
        return (n, 0)
    return (10 * n, 0)  # decade


def _minus(anchor: Date, n: int, unit: str) -> Date:
    delta = _unit_delta(n, unit)
    if isinstance(delta, dt.timedelta):
        return anchor - delta
    years, months = delta
    y, m = _add_months(anchor.year - years, anchor.month, -months)
    return Date(y, m, min(anchor.day, calendar.monthrange(y, m)[1]))


def _precision_of_unit(unit: str) -> str:
    return {"hour": "day", "minute": "day", "night": "day", "day": "day", "week": "week", "fortnight": "week",
            "month": "month", "year": "year", "decade": "year"}[unit]


def _clean(text: str) -> str:
    """Lower-case, normalise spaces, quotes and dashes, drop a possessive and leading prepositions."""
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\s+", " ", t).strip(" ,.;:'\"()")
    t = re.sub(r"(?:'s|'s)$", "", t)
    t = _LEADING.sub("", t)
    return _PERIOD_OF.sub("", t)


def _weekday_index(word: str) -> int | None:
    word = word.rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    return _WEEKDAY_ABBR.get(word)


def _closest_year(month: int, day: int, anchor: Date) -> Date | None:
    best: Date | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            d = Date(y, month, day)
        except ValueError:
            continue
        # Ties (never exact in practice) go to the past: news reports on what happened.
        if best is None or abs((d - anchor).days) < abs((best - anchor).days):
            best = d
    return best


def _day(d: Date, reason: str) -> Result:
    return _iso(d), _iso(d), "day", reason


def _resolve_absolute(t: str) -> Result | None:
    """Expressions that carry their own year: need no anchor."""
    m = _R_ISO.match(t)
    if m:
        try:
            return _day(Date(int(m[1]), int(m[2]), int(m[3])), "explicit date")
        except ValueError:
            return None, None, None, "not a valid calendar date"
    m = _R_NUMERIC.match(t)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        # Day-first (the international convention) unless that cannot be a date.
        for d_, m_ in ((a, b), (b, a)):
            try:
                return _day(Date(y, m_, d_), "explicit numeric date (day first)")
            except ValueError:
                continue
        return None, None, None, "not a valid calendar date"
    for rx, di, mi in ((_R_MDY, 2, 1), (_R_DMY, 1, 2)):
        m = rx.match(t)
        if m and m[3]:
            try:
                return _day(Date(int(m[3]), _month_num(m[mi]), int(m[di])), "explicit date")
            except ValueError:
                return None, None, None, "not a valid calendar date"
    return None


def _month_num(word: str) -> int:
    word = word.rstrip(".")
    return _MONTH_NUM.get(word) or _MONTH_NUM[word[:3]]


def _resolve_anchored(t: str, anchor: Date) -> Result | None:
    """Our rules for expressions that need the publication date; None when no rule applies."""
    if t in _SIMPLE:
        off, prec = _SIMPLE[t]
        if off == "night":  # the night just ended: it began the day before publication
            return _iso(anchor - dt.timedelta(days=1)), _iso(anchor), "range", "the night before publication"
        if off is None:  # this week
            mon = anchor - dt.timedelta(days=anchor.weekday())
            return _iso(mon), _iso(mon + dt.timedelta(days=6)), "week", "week of publication"
        d = anchor + dt.timedelta(days=off)
        return _day(d, "relative to publication date")
    # Weekdays, with "late"/"early" before and "night"/"morning" after.
    core = _QUALIFIER.sub("", _TRAIL_CLOCK.sub("", _LEAD_CLOCK.sub("", t)))
    core = _TRAIL_DAYPART.sub("", core).strip(" ,")
    m = _R_WEEKDAY.match(core)
    if m:
        wd = _weekday_index(m[2])
        if wd is not None:
            back = (anchor.weekday() - wd) % 7
            which = (m[1] or "").replace("this past", "past")
            if which == "next":
                fwd = (wd - anchor.weekday()) % 7 or 7
                return _day(anchor + dt.timedelta(days=fwd), "next weekday after publication")
            if which in ("last", "past") and back == 0:
                back = 7
            return _day(anchor - dt.timedelta(days=back), "weekday on or before publication")
    if _R_YESTERDAY_PART.match(t):
        return _day(anchor - dt.timedelta(days=1), "relative to publication date")
    if _R_TODAY_PART.match(t):
        return _day(anchor, "relative to publication date")
    m = _R_WEEKEND.match(t)
    if m:
        which = (m[1] or "").strip()
        if which == "next" or (which == "this" and anchor.weekday() < 5):
            sat = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            return _iso(sat), _iso(sat + dt.timedelta(days=1)), "range", "coming weekend"
        back = (anchor.weekday() - 5) % 7
        if which in ("last", "past", "the past") and back <= 1 and anchor.weekday() >= 5:
            back += 7
        sat = anchor - dt.timedelta(days=back)
        return _iso(sat), _iso(min(sat + dt.timedelta(days=1), anchor)), "range", "weekend on or before publication"
    m = _R_REL_UNIT.match(t)
    if m:
        if m[3]:
            side, which, unit = m[1], (m[2] or "").replace("the ", ""), m[3]
        else:
            side, which, unit = m[4], "this", m[5]
        which = {"past": "last", "previous": "last", "current": "this", "coming": "next"}.get(which, which)
        if unit == "weekend":
            return _resolve_anchored(f"{which} weekend", anchor)
        return _unit_period(anchor, unit, which, side)
    m = _R_MONTH.match(t)
    if m:
        return _month_period(anchor, _month_num(m[2]), int(m[3]) if m[3] else None, (m[1] or "").strip())
    m = _R_YEAR.match(t)
    if m:
        y = int(m[2])
        return _part(Date(y, 1, 1), Date(y, 12, 31), (m[1] or "").strip(), "year", "explicit year")
    for rx, di, mi in ((_R_MDY, 2, 1), (_R_DMY, 1, 2)):
        m = rx.match(t)
        if m and not m[3]:
            try:
                d = _closest_year(_month_num(m[mi]), int(m[di]), anchor)
            except KeyError:
                d = None
            if d is None:
                return None, None, None, "not a valid calendar date"
            return _day(d, "month and day, year closest to publication")
    m = _R_AGO.match(t)
    if m:
        n, unit = _number(m[1]) or 1, m[2]
        d = _minus(anchor, n, unit)
        return _iso(d), _iso(d), _precision_of_unit(unit), "counted back from publication"
    if _R_WITHIN.match(t):
        return _day(anchor, "within hours, taken as the publication day")
    m = _R_RECENT.match(t)
    if m:
        n = _number(m[1]) if m[1] else None
        unit = m[2] or m[3]
        if unit in ("decade",) or (unit == "year" and (n or 3) > 2):
            return None, None, None, "vague period"
        start = _minus(anchor, n or (3 if t.endswith("s") else 1), unit)
        return _iso(start), _iso(anchor), "range", "period up to publication"
    return None


_R_YESTERDAY_PART = re.compile(r"^(?:late\s+|early\s+)?yesterday(?:'s)?(?:\s+" + _PARTS_OF_DAY + r")?$")
_R_TODAY_PART = re.compile(r"^(?:late\s+|early\s+|earlier\s+|later\s+)?(?:today|tonight|this\s+" + _PARTS_OF_DAY + r")$")


def _part(start: Date, end: Date, qualifier: str, precision: str, reason: str) -> Result:
    """Narrow ``[start, end]`` by a qualifier such as "early" (first third) or "late" (last third)."""
    span = (end - start).days + 1
    third = max(span // 3, 1)
    qualifier = re.sub(r"\s+", " ", qualifier)
    if qualifier in ("early", "start of", "beginning of"):
        end = start + dt.timedelta(days=third - 1)
    elif qualifier in ("mid", "middle of"):
        start, end = start + dt.timedelta(days=third), start + dt.timedelta(days=2 * third - 1)
    elif qualifier in ("late", "end of"):
        start = end - dt.timedelta(days=third - 1)
    else:
        return _iso(start), _iso(end), precision, reason
    return _iso(start), _iso(end), "range", f"{reason} ({qualifier})"


def _unit_period(anchor: Date, unit: str, which: str, side: str | None) -> Result:
    if unit == "week":
        mon = anchor - dt.timedelta(days=anchor.weekday())
        shift = {"last": -7, "this": 0, "next": 7}[which]
        start, end = mon + dt.timedelta(days=shift), mon + dt.timedelta(days=shift + 6)
        precision = "week"
    elif unit == "month":
        y, m = _add_months(anchor.year, anchor.month, {"last": -1, "this": 0, "next": 1}[which])
        start, end = Date(y, m, 1), _month_end(y, m)
        precision = "month"
    else:
        y = anchor.year + {"last": -1, "this": 0, "next": 1}[which]
        start, end = Date(y, 1, 1), Date(y, 12, 31)
        precision = "year"
    reason = f"{which} {unit} relative to publication"
    if which == "this" and side == "earlier":
        return _iso(start), _iso(anchor), "range", f"earlier this {unit}, up to publication"
    if which == "this" and side == "later":
        return _iso(anchor), _iso(end), "range", f"later this {unit}, from publication"
    if side in ("earlier", "early"):
        return _part(start, end, "early", precision, reason)
    if side in ("later", "late"):
        return _part(start, end, "late", precision, reason)
    if side == "mid":
        return _part(start, end, "mid", precision, reason)
    return _iso(start), _iso(end), precision, reason


def _month_period(anchor: Date, month: int, year: int | None, qualifier: str) -> Result:
    if year is not None:
        reason = "month and year"
    elif qualifier == "next":
        year = anchor.year + (1 if month <= anchor.month else 0)
        reason = "next such month after publication"
    elif qualifier == "last":
        year = anchor.year - (1 if month >= anchor.month else 0)
        reason = "last such month before publication"
    else:
        # The latest such month on or before the publication month: news reports the past.
        year = anchor.year - (1 if month > anchor.month else 0)
        reason = "month, latest on or before publication"
    start, end = Date(year, month, 1), _month_end(year, month)
    if qualifier in ("earlier",):
        qualifier = "early"
    if qualifier in ("later",):
        qualifier = "late"
    return _part(start, end, qualifier if qualifier not in ("last", "this", "next") else "", "month", reason)


@lru_cache(maxsize=1)
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


@lru_cache(maxsize=8192)
def _dateparser_fallback(text: str, anchor_iso: str) -> Result:
    """``dateparser`` for what our rules miss; cached because it is slow (~1 ms/call, 200 ms first call)."""
    anchor = Date.fromisoformat(anchor_iso)
    parser = _date_parser()
    base = dt.datetime(anchor.year, anchor.month, anchor.day, 23, 59)
    parser._settings.RELATIVE_BASE = base  # noqa: SLF001 - documented setting, set per call to reuse one parser
    try:
        data = parser.get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; an unparsed string is the result
        return None, None, None, "not understood"
    if data is None or data.date_obj is None:
        return None, None, None, "not understood"
    d = data.date_obj.date()
    if abs((d - anchor).days) > 366 * MAX_FALLBACK_YEARS:
        return None, None, None, "implausible date"
    period = data.period or "day"
    if period == "month":
        return _iso(Date(d.year, d.month, 1)), _iso(_month_end(d.year, d.month)), "month", "dateparser"
    if period == "year":
        return _iso(Date(d.year, 1, 1)), _iso(Date(d.year, 12, 31)), "year", "dateparser"
    if period == "week":
        mon = d - dt.timedelta(days=d.weekday())
        return _iso(mon), _iso(mon + dt.timedelta(days=6)), "week", "dateparser"
    return _iso(d), _iso(d), "day", "dateparser"


def _resolve_one(t: str, anchor: Date) -> Result:
    hit = _resolve_anchored(t, anchor)
    if hit is not None:
        return hit
    return _dateparser_fallback(t, anchor.isoformat())


def resolve(text: str, anchor: Date | None, anchor_range: tuple[Date, Date] | None = None) -> Result:
    """Normalise one time expression to ``(date_start, date_end, precision, reason)``.

    ``anchor`` is the publication date; ``anchor_range`` an inferred
    publication range used when ``anchor`` is None (the result then covers
    every reading over the range, precision "range" when they differ). Dates are
    ISO strings; ``precision`` is day/week/month/year/range, or None when
    unresolved, in which case ``reason`` says why ("duration", "no publication
    date", "relative to another event", "not understood" ...).

    >>> resolve("late Friday", dt.date(2025, 11, 9), None)
    ('2025-11-07', '2025-11-07', 'day', 'weekday on or before publication')
    """
    t = _clean(text)
    if not t:
        return None, None, None, "empty"
    absolute = _resolve_absolute(t)
    if absolute is not None:
        return absolute
    ranged = _resolve_range(t, anchor, anchor_range)
    if ranged is not None:
        return ranged
    if _R_WITHIN.match(t):
        pass  # "within hours" is an anchor-relative point, not a duration
    elif _R_DURATION.match(t) or _R_PLURAL_VAGUE.match(t):
        return None, None, None, "duration"
    if _R_RELATIVE_TO_OTHER.match(t):
        return None, None, None, "relative to another event"
    if _VAGUE.match(t):
        return None, None, None, "vague"
    if _TIME_ONLY.match(t):
        return None, None, None, "time of day only"
    if anchor is None and anchor_range is None:
        return None, None, None, "no publication date to anchor it"
    if anchor is not None:
        return _resolve_one(t, anchor)
    lo, hi = anchor_range  # type: ignore[misc]
    if hi < lo:
        lo, hi = hi, lo
    first, last = _resolve_one(t, lo), _resolve_one(t, hi)
    if first[0] is None or last[0] is None:
        return None, None, None, first[3] if first[0] is None else last[3]
    start, end = min(first[0], last[0]), max(first[1] or first[0], last[1] or last[0])
    if (start, end) == (first[0], first[1]):
        return start, end, first[2], f"{first[3]} (publication date inferred)"
    return start, end, "range", f"{first[3]} over the inferred publication range"


def _resolve_range(t: str, anchor: Date | None, anchor_range: tuple[Date, Date] | None) -> Result | None:
    """"between October 10 and 15", "3-4 November", "Oct 30 to Nov 2": both ends resolved, the day-only end
    taking the other end's month (and year); None when ``t`` is not a range of days."""
    m = _R_RANGE.match(t)
    if not m:
        return None
    a, b = m[1].strip(" ,"), m[2].strip(" ,")
    if _R_DAY_ONLY.match(a) and (tail := _R_DAY_MONTH_TAIL.match(b)):
        a = f"{a} {tail[2]}" + (f" {tail[3]}" if tail[3] else "")  # "3-4 November": 3 November
    elif _R_DAY_ONLY.match(b) and (head := _R_MONTH_DAY_HEAD.match(a)):
        b = f"{head[1]} {b}" + (f" {head[3]}" if head[3] else "")  # "November 3-4": November 4
    if not all(_R_MONTH_DAY_HEAD.match(x) or _R_DAY_MONTH_TAIL.match(x) for x in (a, b)):
        return None
    first, last = resolve(a, anchor, anchor_range), resolve(b, anchor, anchor_range)
    if first[0] is None or last[0] is None:
        return None
    start, end = first[0], last[1] or last[0]
    if end < start:  # "December 30 - January 2": the later end is in the next year
        try:
            end = _iso(Date.fromisoformat(end).replace(year=Date.fromisoformat(end).year + 1))
        except ValueError:
            return None
    if (Date.fromisoformat(end) - Date.fromisoformat(start)).days > 62:
        return None
    return start, end, "day" if start == end else "range", "range of days"


def _anchors(article: Article) -> tuple[Date | None, tuple[Date, Date] | None]:
    def parse(s: str | None) -> Date | None:
        if not s:
            return None
        try:
            return Date.fromisoformat(s[:10])
        except ValueError:
            return None

    rng = None
    if article.published_range:
        lo, hi = parse(article.published_range[0]), parse(article.published_range[1])
        if lo and hi:
            rng = (min(lo, hi), max(lo, hi))
    anchor = parse(article.published)
    if rng and (article.published_inferred or anchor is None) and rng[0] != rng[1]:
        return None, rng
    if anchor is None and rng:
        anchor = rng[0]
    return anchor, None


# Words NER often leaves out of DATE entities but that change the date ("late Friday", "Thursday night").
_PREFIX_WORDS = {"late", "early", "last", "next", "this", "past"}
_SUFFIX_WORDS = {"night", "morning", "afternoon", "evening"}
_STANDALONE = {"yesterday", "today", "tonight", "tomorrow", "overnight", *WEEKDAYS}


_ISO_IN_TEXT = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b")


def _cut_at_newline(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """An entity never runs over a line break ("Oct 29:\n\nTalks" is "Oct 29")."""
    for i in range(s, e):
        if "\n" in doc[i].text or (doc[i].is_punct and i + 1 < e and doc[i + 1].is_space):
            return s, max(i, s + 1)
    return s, e


_STREET_WORDS = frozenset("ave avenue st street rd road blvd boulevard dr drive ln lane way ct court pl place pkwy parkway "
                          "hwy highway terrace ter circle cir square sq trail".split())
_STAMP = re.compile(r"\b(?:posted|updated|published|modified|last\s+updated|created)\s*(?:on|at)?\s*:?\s*$")


def times_from(doc: Doc, article: Article) -> list[TimeExpr]:
    """Time expressions of ``doc`` (a parse of ``article.text``) resolved against the publication date.

    Spans come from spaCy DATE/TIME entities, widened by an adjacent "late",
    "last" or "night", plus weekday and "yesterday"-like words the model missed.
    Returns :class:`~trucewatch.records.TimeExpr` records sorted by position.
    """
    anchor, anchor_range = _anchors(article)
    spans: list[tuple[int, int]] = []  # token index ranges
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        s, e = ent.start, ent.end
        if spans and spans[-1][1] == s and doc[s - 1].whitespace_:
            spans[-1] = (spans[-1][0], e)  # "Thursday" + "night" as two entities
        else:
            spans.append((s, e))
    for tok in doc:
        if tok.lower_ in _STANDALONE and not tok.ent_type_ and (tok.lower_ not in WEEKDAYS or tok.text[0].isupper()):
            spans.append((tok.i, tok.i + 1))
    # ISO dates that the tokenizer splits ("2025-11-09" -> DATE "2025-11" + "-09").
    for m in _ISO_IN_TEXT.finditer(doc_text(doc)):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            spans = [(s, e) for s, e in spans if e <= span.start or s >= span.end]
            spans.append((span.start, span.end))
    spans = [_cut_at_newline(doc, s, e) for s, e in spans]
    spans.sort()
    out: list[TimeExpr] = []
    for s, e in spans:
        if any(i in covered for i in range(s, e)):
            continue
        while s > 0 and doc[s - 1].lower_ in _PREFIX_WORDS and doc[s - 1].i not in covered:
            s -= 1
        if s > 1 and doc[s - 1].lower_ == "on" and doc[s - 2].lower_ in ("late", "early") and (s - 2) not in covered:
            s -= 2  # "late on Wednesday"
        while e < len(doc) and doc[e].lower_ in _SUFFIX_WORDS:
            e += 1
        covered.update(range(s, e))
        span = doc[s:e]
        text = span.text
        if any(ch.isdigit() for ch in text) and re.fullmatch(r"[\d,.]+", text.replace(" ", "")) and not re.fullmatch(r"(19|20)\d{2}", text):
            continue  # a bare number tagged DATE ("58")
        if re.search(r"\b\d+-year-old\b|\byears? old\b|\baged?\b", text, re.I):
            continue  # ages are not times
        if re.fullmatch(r"\d{3,5}", text) and any(t.lower_.rstrip(".") in _STREET_WORDS for t in doc[e:e + 3]):
            continue  # "at 1917 Prospect Ave.": a house number, not a year
        line = doc_text(doc)[max(0, span.start_char - 40):span.start_char].rsplit("\n", 1)[-1].lower()
        if _STAMP.search(line):
            continue  # "Posted: Thursday, April 23, 2015 10:11 AM": when the page was published, not an event
        ds, de, precision, reason = resolve(text, anchor, anchor_range)
        out.append(TimeExpr(text=text, start=span.start_char, end=span.end_char, date_start=ds, date_end=de,
                            precision=precision, reason=reason))  # type: ignore[arg-type]
    return out


def before_publication(time: TimeExpr | None, published: str | None) -> TimeExpr | None:
    """The time of a reported past event, cut at the publication day: a past event never ends after its report
    ("this week" in a Wednesday report ends on that Wednesday); a reading wholly after it ("10 September" read
    into the coming autumn) is no date for it at all."""
    if time is None or not time.date_start or not published:
        return time
    pub = published[:10]
    if time.date_start > pub:
        return None
    if (time.date_end or time.date_start) > pub:
        return dataclasses.replace(time, date_end=pub, precision="day" if time.date_start == pub else "range",
                                   reason=f"{time.reason or 'resolved'}; cut at publication")
    return time


STATEMENT_LAG = 7  # days an event told in a dated statement may precede it


def said_by(statement: TimeExpr) -> TimeExpr:
    """The time of an event known only from a dated statement ("fighting ..., the agency said on Tuesday"): the
    week up to the statement's last day (it happened then or before), a range, never a day of its own."""
    end = statement.date_end or statement.date_start
    start = (dt.date.fromisoformat(end) - dt.timedelta(days=STATEMENT_LAG)).isoformat()  # type: ignore[arg-type]
    return dataclasses.replace(statement, date_start=start, date_end=end, precision="range",
                               reason=f"on or before the statement ({statement.reason or 'resolved'})")
