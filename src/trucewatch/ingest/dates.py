"""Datelines, dates mentioned in text, and the publication date of an article.

Pure functions over strings; no I/O and no clock (callers pass ``today`` when
they need an upper bound on years).

* :func:`find_dateline` recognises wire-style datelines at the start of a line:
  ``ISLAMABAD / KABUL — Oct 29:``, ``KUALA LUMPUR, March 20 (Agency) -``,
  ``ISLAMABAD:``. The dateline text is recorded separately; the body keeps it.
* :func:`find_dates` lists explicit dates mentioned in text (``October 28, 2025``,
  ``28 Oct 2025``, ``Oct. 28``, ``2025-11-09``, ``November 2025``) and bare years.
* :func:`parse_date` reads one date string (ISO, RFC 2822, ``24 March 2026, 8:05 AM`` ...).
* :func:`infer_published` turns the dates mentioned in an undated text into a
  bounded range (see docs/ingest.md, "Date inference").
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

__all__ = [
    "DateMention",
    "Dateline",
    "INFER_WINDOW_DAYS",
    "find_dateline",
    "find_dates",
    "find_years",
    "implausible",
    "infer_published",
    "parse_date",
    "resolve_year",
    "WEAK_YEAR",
]

# An undated article is assumed to appear within this many days after the
# latest date it mentions (news reports events of the last days or weeks).
INFER_WINDOW_DAYS = 30
#: Publication years ingest accepts; a date outside them is ignored with a warning (:func:`implausible`).
PLAUSIBLE_YEARS = (1900, 2099)
#: How far past ``today`` a publication date may lie (time zones, a clock a little behind).
FUTURE_SLACK_DAYS = 2
# The year of an RFC 2822 date as written ("Mon, 01 Jan 0001 ..."): email.utils reads 0001 as 2001.
_RFC_YEAR = re.compile(r"^\s*(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(\d+)\b")

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"

# "October 28, 2025" / "Oct. 28" / "October 28 2025"
_MD = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>{_DAY})\b(?:,?\s+(?P<year>{_YEAR})\b)?", re.I)
# "28 October 2025" / "28 Oct"
_DM = re.compile(rf"\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})(?![a-z])(?:,?\s+(?P<year>{_YEAR})\b)?", re.I)
# "2025-11-09"
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b")
# "November 2025" (month precision)
_MY = re.compile(rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})\b", re.I)
_YEAR_RE = re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])")
# Words shortly before a date that make it a future or scheduled date, not a past event.
_FUTURE_CUE = re.compile(
    r"\b(will|would|could|might|shall|scheduled|due|expected|planned|plans?|next|upcoming|until|till|deadline|to be held|to take place)\b[^.]{0,30}$",
    re.I,
)

# A dateline: capitalised place names (several joined by "/", "," or "and"), an
# optional month-day, an optional "(Agency)", then a dash or a colon.
_PLACE = r"[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}"
_PLACES = rf"{_PLACE}(?:\s*(?:/|,|&|\band\b)\s*{_PLACE}){{0,3}}"
_DL_DATE = rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
# "PESHAWAR, Pakistan," / "Kabul [Afghanistan]," : a country or region after the place.
# "KANSAS CITY, Mo." / "ROSWELL, N.M." / "BLUEFIELD, W.Va.": a state or province may be abbreviated.
_REGION_NAME = r"(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[A-Z][a-z]{0,4}\.|(?:[A-Z]\.\s?){2,3}|[A-Z]\.\s?[A-Z][a-z]{1,3}\.)"
_REGION = rf"(?:\s*,\s*(?!{_MONTH}\b)(?P<region>{_REGION_NAME})(?=\s*[,(—–:-]))?(?:\s*\[[A-Za-z .'-]{{2,40}}\])?"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACES}){_REGION}"
    rf"(?:\s*,\s*(?P<date1>{_DL_DATE}))?"
    rf"(?:\s*\((?P<agency>[A-Za-z][\w .&'’-]{{1,40}})\))?"
    rf"\s*(?P<sep>[—–]|--?|:)"
    rf"(?:\s*(?P<date2>{_DL_DATE})\s*:?)?"
    r"(?P<rest>.*)$"
)
# Title-case place names are accepted only with a date or an agency ("Islamabad, Oct 29 (Reuters) -",
# "Killingly (AP) —").
_PLACE_TC = r"[A-Z][a-z'’.\-]+(?:\s+[A-Z][a-z'’.\-]+){0,2}"
_DATELINE_TC = re.compile(
    rf"^(?P<place>{_PLACE_TC}(?:\s*(?:/|,)\s*{_PLACE_TC})?){_REGION}"
    rf"(?:\s*,\s*(?P<date1>{_DL_DATE}))?"
    rf"(?:\s*\((?P<agency>[A-Za-z][\w .&'’-]{{1,40}})\))?"
    rf"\s*(?P<sep>[—–]|--?|:)(?P<rest>.*)$"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in a text: ``year`` is None for "Oct 29"; ``day`` is None for "November 2025"."""

    text: str
    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    future: bool = False  # preceded by a future cue ("talks are scheduled for ...")


@dataclass(frozen=True, slots=True)
class Dateline:
    text: str  # e.g. "ISLAMABAD / KABUL — Oct 29"
    place: str
    region: str | None = None  # the state or province after the place: "Mo." in "KANSAS CITY, Mo. --"
    month: int | None = None
    day: int | None = None
    year: int | None = None
    date_text: str | None = None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        date(year or 2000, month, day or 1)  # 2000 is a leap year, so Feb 29 passes without a year
    except ValueError:
        return False
    return True


def _parse_md(text: str) -> tuple[int, int, int | None] | None:
    """(month, day, year) of "Oct 29" / "March 20, 2026"."""
    m = re.fullmatch(rf"(?P<month>{_MONTH})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?", text.strip(), re.I)
    if not m:
        return None
    month, day = _month(m["month"]), _day(m["day"])
    year = int(m["year"]) if m["year"] else None
    return (month, day, year) if _valid(year, month, day) else None


def find_dateline(text: str, max_lines: int = 4) -> Dateline | None:
    """The dateline at the start of one of the first ``max_lines`` non-empty lines, if any.

    A dateline is followed either by body text on the same line (at least four
    words) or by nothing but an optional date and colon (a dateline on its own line).
    """
    seen = 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > max_lines:
            break
        for rx in (_DATELINE, _DATELINE_TC):
            m = rx.match(line)
            if not m:
                continue
            rest = m["rest"].strip()
            date_text = m["date1"] or (m.groupdict().get("date2"))
            own_line = rest == "" and (m["sep"] == ":" or date_text or m["agency"] or m["region"])
            if not own_line and (len(rest.split()) < 4 or not re.match(r"[A-Z0-9\"'“‘(]", rest)):
                continue  # a dateline is followed by a sentence: "TTP – a group ..." is not one
            if not re.search(r"[A-Z]{2}", m["place"]) and not (date_text or m["agency"]):
                continue
            end = m.start("rest")
            dl_text = line[:end].strip().rstrip(":—–- ").strip()
            month = day = year = None
            if date_text:
                parsed = _parse_md(date_text)
                if parsed:
                    month, day, year = parsed
            return Dateline(dl_text, m["place"].strip(), m["region"], month, day, year, date_text)
    return None


def find_dates(text: str) -> list[DateMention]:
    """Explicit dates mentioned in ``text``, in order of position (overlaps removed)."""
    found: list[DateMention] = []
    taken = bytearray(len(text))  # 1 where a found date is: a match is checked in its own length, not against all

    def add(m: re.Match, year: int | None, month: int, day: int | None) -> None:
        s, e = m.start(), m.end()
        if 1 in taken[s:e] or not _valid(year, month, day):
            return
        future = bool(_FUTURE_CUE.search(text[max(0, s - 60) : s]))
        found.append(DateMention(m.group(0), s, e, year, month, day, future))
        taken[s:e] = b"\x01" * (e - s)

    for m in _ISO.finditer(text):
        add(m, int(m["year"]), int(m["month"]), int(m["day"]))
    for rx in (_MD, _DM):
        for m in rx.finditer(text):
            if m["month"][0].islower():  # "may", "march" as ordinary words
                continue
            add(m, int(m["year"]) if m["year"] else None, _month(m["month"]), _day(m["day"]))
    for m in _MY.finditer(text):
        if not m["month"][0].islower():
            add(m, int(m["year"]), _month(m["month"]), None)
    return sorted(found, key=lambda d: d.start)


def find_years(text: str) -> list[int]:
    """Every four-digit year (1950-2099) written in ``text``, in order."""
    return [int(m.group(0)) for m in _YEAR_RE.finditer(text)]


#: Words in the "how" of :func:`resolve_year` when the year rests on weak evidence; the
#: pipeline re-resolves such articles once it knows the dates of the rest of the batch.
WEAK_YEAR = "year uncertain"


def resolve_year(
    month: int,
    day: int | None,
    mentions: list[DateMention],
    years: list[int],
    today: date | None = None,
    reference: date | None = None,
) -> tuple[int, str] | None:
    """The year of a month-day written without one, and how it was chosen.

    In order:

    1. the latest full date in the text (the next year when the month-day falls more
       than about ten months before it, e.g. "Jan 3" in a text about "December 28, 2025");
    2. ``reference`` (the typical date of the other articles ingested with this one):
       the year that puts the month-day closest to it, never before a year the text
       mentions and never after ``today``;
    3. the latest bare year in the text not after ``today`` (weak: "since 2021" is
       often history, so the note contains :data:`WEAK_YEAR`);
    4. with ``today``, the most recent year in which the month-day is not after it (weak).

    None when nothing fits.
    """
    return _resolve(month, day, *_year_evidence(mentions, years, today), today, reference)


def _year_evidence(mentions: list[DateMention], years: list[int], today: date | None) -> tuple[date | None, int | None]:
    """What :func:`resolve_year` reads from a text: its latest full date and its latest bare year not after
    ``today`` (computed once per text, so resolving every mention stays linear)."""
    full = [date(d.year, d.month, d.day) for d in mentions if d.year is not None and d.day is not None]
    ys = [y for y in years if today is None or y <= today.year]
    return (max(full) if full else None), (max(ys) if ys else None)


def _resolve(month: int, day: int | None, ref: date | None, floor: int | None, today: date | None,
             reference: date | None) -> tuple[int, str] | None:
    if ref is not None:
        y = ref.year
        if _valid(y, month, day) and (ref - date(y, month, day or 1)).days > 300:
            y += 1
        return y, "from other dates in the text"
    if reference is not None:
        best: date | None = None
        for y in (reference.year - 1, reference.year, reference.year + 1):
            if not _valid(y, month, day) or (floor is not None and y < floor):
                continue
            d = date(y, month, day or 1)
            if today is not None and d > today:
                continue
            if best is None or abs((d - reference).days) < abs((best - reference).days):
                best = d
        if best is not None:
            return best.year, f"from the dates of the other articles ingested with it (around {reference.isoformat()})"
    if floor is not None:
        return floor, f"from years mentioned in the text ({WEAK_YEAR})"
    if today is not None:
        y = today.year
        while not _valid(y, month, day) or date(y, month, day or 1) > today:
            y -= 1
        return y, f"assumed: the most recent such date before the ingest date ({WEAK_YEAR})"
    return None


def parse_date(value: str) -> tuple[str, str] | None:
    """``(iso_date, precision)`` of one date string, or None when it cannot be read.

    Accepts ISO 8601 (``2026-03-09T07:30:00+07:00``), RFC 2822 feed dates,
    ``24 March 2026, 8:05 AM``, ``March 9, 2026``, ``2026-03`` and ``2026``.
    """
    value = (value or "").strip()
    if not value:
        return None
    # Any four-digit year is read as written; :func:`implausible` then says whether it can be a publication year.
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)", value)
    if m and int(m[1]) and _valid(int(m[1]), int(m[2]), int(m[3])):
        return f"{m[1]}-{m[2]}-{m[3]}", "day"
    m = re.fullmatch(r"(\d{4})-(\d\d)", value)
    if m and int(m[1]) and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{m[2]}-01", "month"
    m = re.fullmatch(r"\d{4}", value)
    if m and int(value):
        return f"{value}-01-01", "year"
    try:
        dt = parsedate_to_datetime(value)
        if dt is not None:
            written = _RFC_YEAR.match(value)
            if written and len(written[1]) > 2 and int(written[1]) != dt.year:  # a 3+ digit year, kept as written
                return date(int(written[1]), dt.month, dt.day).isoformat(), "day"
            return dt.date().isoformat(), "day"
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for d in find_dates(value):
        if d.year is not None:
            return date(d.year, d.month, d.day or 1).isoformat(), "day" if d.day else "month"
    return None


def infer_published(
    text: str,
    today: date | None = None,
    reference: date | None = None,
    *,
    mentions: list[DateMention] | None = None,
    years: list[int] | None = None,
) -> tuple[tuple[str, str], str] | None:
    """A bounded publication range for an undated text, and a note on how it was found.

    The latest past date the text mentions (day or month precision; a month-day
    without a year takes its year from :func:`resolve_year`) is the lower bound;
    the range ends :data:`INFER_WINDOW_DAYS` days later (never after ``today``
    when given). Dates after a future cue ("scheduled for", "by", "next") are
    ignored. Returns None when the text mentions no usable date. ``mentions`` and ``years`` are
    ``find_dates(text)`` and ``find_years(text)`` when the caller has them already.
    """
    mentions = find_dates(text) if mentions is None else mentions
    ref, floor = _year_evidence(mentions, find_years(text) if years is None else years, today)
    best: date | None = None
    note = ""
    for d in mentions:
        if d.future:
            continue
        year = d.year
        assumed = ""
        if year is None:
            got = _resolve(d.month, d.day, ref, floor, today, reference)
            if got is None:
                continue
            year, assumed = got
        if not _valid(year, d.month, d.day):
            continue
        when = date(year, d.month, d.day or 1)
        if today is not None and when > today:
            continue
        if best is None or when > best:
            best = when
            note = f"latest date mentioned: {d.text!r}" + (f"; year {year} {assumed}" if assumed else "")
        offset = _offset_before(text, d.start)
        if offset and (today is None or when + timedelta(days=offset) <= today):
            # "ten days after the first exchange on March 7": the text's own time is later than the date written
            later = when + timedelta(days=offset)
            if best is None or later > best:
                best = later
                note = f"{offset} days after {d.text!r}" + (f"; year {year} {assumed}" if assumed else "")
    if best is None:
        return None
    latest = best
    # a bare weekday told as past ("on Saturday") is on or after the latest date mentioned: the
    # article cannot be older than that weekday's first occurrence
    for wd, pos in _bare_weekdays(text, mentions):
        when = best + timedelta(days=(wd - best.weekday()) % 7)
        if when > latest and (today is None or when <= today):
            latest = when
            note += f"; {text[pos : pos + 12].split()[0]!r} falls on or after it, first on {when.isoformat()}"
    hi = best + timedelta(days=INFER_WINDOW_DAYS)
    best = latest
    hi = max(hi, best)
    if today is not None and hi > today:
        hi = max(today, best)
    return (best.isoformat(), hi.isoformat()), note


_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_OFFSET_BEFORE = re.compile(r"\b(\d{1,2}|[a-z]+) (days?|weeks?) (?:after|since)\b[^.;:!?]{0,60}$", re.I)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_WEEKDAY_NOT_PAST = re.compile(r"\b(next|this|coming|every|until|till|by|from|since|will|would|shall|scheduled|due|expected)\s+(?:\w+\s+)?$", re.I)


def _offset_before(text: str, pos: int) -> int:
    """Days in "N days/weeks after" written just before a date at ``pos`` (0 when none)."""
    m = _OFFSET_BEFORE.search(text[max(0, pos - 90) : pos])
    if not m:
        return 0
    raw = m.group(1).lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 0)
    return n * (7 if m.group(2).lower().startswith("week") else 1)


def _bare_weekdays(text: str, mentions: list[DateMention]) -> list[tuple[int, int]]:
    """(weekday number, offset) of weekday names that stand alone as past times ("on Saturday"):
    not next to a written date ("Monday, March 23"), not after a future cue ("next Tuesday")."""
    out = []
    # Near a mention = some mention starting at most 15 before the name ends at most 3 before it: by start
    # order, the furthest end so far (a running maximum) answers for all the mentions starting earlier.
    spans = sorted((d.start, d.end) for d in mentions)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))
    for m in _WEEKDAY_RE.finditer(text):
        k = bisect.bisect_right(starts, m.start() + 15)
        if k and reach[k - 1] + 3 >= m.start():
            continue
        if _WEEKDAY_NOT_PAST.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        out.append((_WEEKDAYS.index(m.group(1).lower()), m.start()))
    return out


def to_iso(year: int, month: int, day: int | None) -> str:
    return date(year, month, day or 1).isoformat()


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def implausible(iso: str, today: date | None = None) -> str | None:
    """Why ``iso`` cannot be a publication date (a year outside :data:`PLAUSIBLE_YEARS`, or after
    ``today`` plus :data:`FUTURE_SLACK_DAYS`), or None when it can."""
    d = date.fromisoformat(iso)
    lo, hi = PLAUSIBLE_YEARS
    if not lo <= d.year <= hi:
        return f"year {d.year} is not a plausible publication year ({lo}-{hi})"
    if today is not None and d > today + timedelta(days=FUTURE_SLACK_DAYS):
        return f"it lies after today ({today.isoformat()})"
    return None
