"""Plain-text cleaning: remove page debris from any outlet with general patterns (pure).

:func:`clean_text` works line by line. A line is removed only when it matches a
debris rule as a whole (share buttons and counters, "Read more" teasers,
comment-box prompts, newsletter and cookie notices, navigation, bylines, photo
credits, copyright footers, metadata lines) or when it repeats a headline. Rules
that look at words are limited to short lines, so a real paragraph is never
dropped. Every removal is a :class:`~trucewatch.records.Debris` record with the
removed text, the reason and its 1-based line number in the input.

The rules and their reasons are listed in docs/ingest.md ("Debris rules").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..records import Debris
from .dates import find_dateline, find_dates

__all__ = ["Cleaned", "classify_line", "clean_text", "is_heading_like", "normalize_for_id"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of :func:`clean_text`."""

    text: str
    debris: tuple[Debris, ...]
    title: str | None  # the title given, or the first heading-like line when none was given
    meta_dates: tuple[tuple[str, str], ...] = ()  # (date text, "metadata" | "text") from removed lines
    outlet: str | None = None  # the name in a copyright line ("© 2026 Example Times")


_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _words(s: str) -> int:
    return len(s.split())


def _fold(s: str) -> str:
    """Lower-case letters and digits only, for comparing headlines."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", s).casefold()).strip()


def normalize_for_id(text: str) -> str:
    """The form of a clean text that its article id hashes: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# ----------------------------------------------------------------------------- rules

_COUNTER = re.compile(
    r"^(?:[\d.,]+\s*[kKmM]?\s*(?:shares?|likes?|comments?|views?|reads?|reactions?|retweets?|tweets?|reposts?)?\s*)+$", re.I
)
_SHARE_TOKEN = re.compile(
    r"^(?:share(?:\s+(?:on|via|to|with)\s+[\w.+-]+)?|share (?:this|the) (?:article|story|post|page)|tweet(?: this)?|"
    r"whatsapp|facebook|twitter|x|telegram|linkedin|line|e-?mail|mail|print|copy(?: link| url)?|"
    r"pinterest|pin(?: it)?|reddit|messenger|viber|sms|flipboard|pocket|tumblr|threads|bluesky|vk|wechat|weibo|"
    r"[\d.,]+[km]?\s*shares?|save|bookmark|gift (?:this )?article|listen(?: to this article)?|follow|link copied|share this)$",
    re.I,
)
_SHARE_SPLIT = re.compile(r"\s*[|·•/,]\s*|\s{2,}|\t")
_TEASER = re.compile(
    r"^(?P<m>also read|read also|read more|more to read|related (?:articles?|stories|news|posts?|coverage|content|reading|topics|links)|related|"
    r"recommended(?: for you| stories| reading| articles)?|you (?:may|might) (?:also )?(?:like|be interested in)|see also|must read|"
    r"don'?t miss|more from [\w .&'’-]{1,40}|more stories|more news|trending(?: now| stories)?|popular(?: now| stories)?|most read|"
    r"most popular|editor'?s picks?|top stories|latest news|latest stories|watch|listen|further reading)\b"
    r"\s*(?P<sep>[:|»>\-–—]+)?\s*(?P<rest>.*)$",
    re.I,
)
_COMMENT = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a|your) comment|write a comment|comments?(?:\s*\(\d+\)|\s+\d+|:)?|"
    r"\d+\s+comments?|comment as:?|show comments|view (?:all )?comments|load (?:more )?comments|be the first to comment|"
    r"join the (?:conversation|discussion)|please enter your (?:comment|name|email|e-mail)(?: address)?(?: here)?|"
    r"you must be logged in to post a comment|(?:sign|log) in to (?:comment|reply)|your email address will not be published.*|"
    r"required fields are marked.*|save my name,? email,? and website.*|comments are closed|post comment|submit comment|"
    r"cancel reply|discussion(?:\s*\(\d+\))?|what do you think\?)[.!:]*$",
    re.I,
)
_NEWSLETTER = re.compile(
    r"^(?:(?:subscribe|sign up|signup)\b.*\b(?:newsletter|updates|briefing|channel|inbox|alerts|mailing list|digest)\b|"
    r"(?:join|register)\b.{0,20}\bour\b.*\b(?:newsletter|channel|mailing list|community)\b|"
    r"subscribe(?: now| today| here)?(?:\W*$|\s*[:|—–-])|(?:get|receive) (?:our|the) .*\bnewsletter\b|follow us\b|"
    r"(?:download|get) (?:our|the) (?:\w+ )?app\b|newsletters?(?:\s*[:|].*)?$)",
    re.I,
)
_COOKIE = re.compile(
    r"\b(?:we use cookies|(?:this|our) (?:web)?site uses cookies|use of cookies|cookie (?:policy|settings|preferences|consent|notice)|"
    r"accept (?:all )?cookies|cookies help us|uses? cookies to)\b",
    re.I,
)
_CONSENT = re.compile(r"^[\[(]?(?:accept(?: all)?|reject all|manage (?:settings|preferences|cookies)|got it|ok|i agree|agree)[\])]?[.!]?$", re.I)
_ADVERT = re.compile(
    r"^(?:advertisements?\W+(?:scroll|continue|story)[\w ]{0,30}|advertisements?|advertising|sponsored(?: content)?|ad|ads|promoted|scroll to continue(?: with content)?|"
    r"story continues below(?: this ad| advertisement)?|continue reading(?: below)?|article continues (?:below|after (?:this )?advertisement))[.:]?$",
    re.I,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", re.I)
_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[A-Z][\w&'’.\- ]{1,60}?)\s*(?:\d{4})?\s*(?:[.,|]|all rights|$)", re.I
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|al|bin|binti|van|von|der|le|la))*"
_BYLINE = re.compile(rf"^(?:by|written by|reported by|reporting by|words by)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?P<tail>\s*[|,;—–-]\s*.*)?$", re.I)
_CREDITS = re.compile(r"^\(?(?:reporting|writing|editing|additional reporting|compiled|produced) by\b.*\)?$", re.I)
_PHOTO = re.compile(
    r"^[\[(]?(?:(?:photos?|photograph|images?|pictures?|file photo|photo credit|video|graphic)\s*(?::|by\b|credit|courtesy|/)|"
    r"(?:image|photo|video) (?:caption|source|credit)\b)",
    re.I,
)
_ACCOUNT = re.compile(r"^(?:sign in|log ?in|log out|register|my account|sign up|create (?:an )?account|menu|search|close|skip to (?:main )?content)$", re.I)
_CALL_TO_ACTION = re.compile(r"^click here\b|^(?:join|follow) (?:us|our) (?:on )?(?:whatsapp|telegram|google news|twitter|x|facebook|instagram|youtube)\b", re.I)
_CREDIT = re.compile(r"^[\[(]?(?:credit|courtesy|source: (?:reuters|afp|ap|getty))\s*[:\-]", re.I)
_TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories|keywords|related topics)\s*:", re.I)
_READTIME = re.compile(r"^(?:\d+\s*(?:min|mins|minutes?)\s*read|reading time\s*:?.*|listen to this article.*)$", re.I)
_META_LABEL = re.compile(
    r"^(?P<label>date|dated|published|posted|updated|last updated|first published|publication date|published on|posted on|updated on)\b"
    r"\s*(?:on|at)?\s*[:\-–]?\s*",
    re.I,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC[+-]?\d*))?|\b\d{1,2}\s*[ap]\.?m\.?", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?", re.I)
_NAV_SPLIT = re.compile(r"\s*[|»›•·]\s*|\s+>\s+")
_DECORATION = re.compile(r"^[\W_]+$")
_SIGNOFF = re.compile(r"^[—–]{1,2}\s*[A-Z][\w&'’.\- ]{1,40}$|^-{1,2}\s+[A-Z][\w&'’.\- ]{1,40}$")


def _only_date(s: str) -> str | None:
    """The date text when ``s`` is nothing but a date (plus weekday, time and punctuation)."""
    dates = [d for d in find_dates(s) if d.year is not None]
    if not dates:
        return None
    rest = s
    for d in dates:
        rest = rest.replace(d.text, " ")
    rest = _WEEKDAY.sub(" ", _TIME.sub(" ", rest))
    rest = re.sub(r"\b(?:at|on|am|pm|pkt|ist|gmt|utc|ict|est|edt|bst)\b", " ", rest, flags=re.I)
    if re.sub(r"[\W_]+", "", rest):
        return None
    return dates[0].text


def classify_line(line: str) -> tuple[str, str | None] | None:
    """``(reason, date_text)`` when the whole line is page debris, else None.

    ``date_text`` is a publication date carried by a metadata line or a byline.
    This is context-free: headline repeats and page headers need :func:`clean_text`.
    """
    s = _WS.sub(" ", line).strip()
    if not s:
        return None
    n = _words(s)
    if _DECORATION.match(s):
        return "decoration", None
    if _COUNTER.match(s):
        return "share counter", None
    if n <= 40 and all(t == "" or _SHARE_TOKEN.match(t.strip("[]():")) for t in _SHARE_SPLIT.split(line.strip())):
        return "share buttons", None
    if _COMMENT.match(s):
        return "comment prompt", None
    if n <= 25:
        m = _TEASER.match(s)
        if m and (not m["rest"] or m["sep"] or (s.isupper() and m["m"].lower() not in ("watch", "listen"))):
            if not (m["m"].lower() in ("watch", "listen") and not m["sep"]):
                return "also-read teaser", None
    if n <= 30 and _NEWSLETTER.match(s):
        return "newsletter prompt", None
    if n <= 60 and _COOKIE.search(s):
        return "cookie notice", None
    if _CONSENT.match(s):
        return "cookie notice", None
    if _ADVERT.match(s):
        return "advertisement", None
    if _ACCOUNT.match(s):
        return "navigation links", None
    if n <= 25 and _CALL_TO_ACTION.match(s):
        return "newsletter prompt", None
    if n <= 60 and _COPYRIGHT.search(s) and not s.endswith(('"', "”")):
        return "copyright footer", None
    if n <= 30 and _CREDITS.match(s):
        return "byline", None
    if n <= 16:
        m = _BYLINE.match(s)
        if m and not (m["tail"] and re.search(r"[.!?]$", m["tail"]) and not find_dates(m["tail"])):
            dates = find_dates(m["tail"] or "")
            return "byline", (dates[0].text if dates and dates[0].year else None)
    if n <= 25 and (_PHOTO.match(s) or _CREDIT.match(s)):
        return "photo credit", None
    if n <= 40 and _TAGS.match(s):
        return "tags", None
    if n <= 12 and _READTIME.match(s):
        return "reading time", None
    if n <= 14:
        m = _META_LABEL.match(s)
        if m and m.end() < len(s):
            rest = s[m.end():]
            d = _only_date(rest) or (rest if re.fullmatch(r"(?:19|20)\d\d-\d\d-\d\d(?:[T ][\d:.+Z-]*)?", rest) else None)
            if d:
                return "metadata line", d
        d = _only_date(s)
        if d:
            return "date line", d
    if n <= 6 and _SIGNOFF.match(s):
        return "sign-off", None
    if n <= 20 and (any(c in s for c in "|»›•·") or " > " in s):
        parts = [p.strip() for p in _NAV_SPLIT.split(s) if p.strip()]
        if n <= 14 and len(parts) >= 2 and all(_words(p) <= 4 and not re.search(r"[.!?]$", p) for p in parts):
            return "navigation links", None
        if n <= 20 and any(p.startswith("©") for p in parts):
            return "copyright footer", None
    return None


def _copyright_name(line: str) -> str | None:
    for part in _NAV_SPLIT.split(line):
        m = _COPYRIGHT_NAME.search(part)
        if m:
            name = m["name"].strip(" .,-")
            if name and not re.fullmatch(r"(?i)all rights reserved|\d+", name) and _words(name) <= 6:
                return name
    return None


def _masthead_name(line: str) -> str | None:
    """The outlet name in a page-header line such as "THE EXAMPLE TIMES" or "Example Post — World"."""
    name = re.split(r"\s+[—–|>»-]\s+|\s*[|»›]\s*", line.strip())[0].strip()
    if not (1 <= _words(name) <= 5) or not re.search(r"[A-Za-z]{2}", name) or re.search(r"[.!?:,;]", name):
        return None
    if name.isupper():
        name = " ".join(w if len(w) <= 2 and w not in ("THE", "OF") else w.capitalize() for w in name.split())
        name = re.sub(r"\b(The|Of|And)\b", lambda m: m.group(0) if m.start() == 0 else m.group(0).lower(), name)
    return name


def is_heading_like(line: str) -> bool:
    """A short line that reads like a headline or sub-heading, not a sentence or a dateline."""
    s = line.strip()
    n = _words(s)
    if not (1 <= n <= 22) or len(s) > 180:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "\"'“‘"):
        return False
    if re.search(r"[.,;:!—–-]$", s) or s.isdigit():
        return False
    if find_dateline(s, max_lines=1):
        return False
    return bool(re.search(r"[A-Za-z]{2}", s))


def _is_paragraph(line: str) -> bool:
    n = _words(line)
    return n >= 25 or (n >= 8 and bool(re.search(r"[.!?…]$|[.!?,…][\"”’)]$", line.strip())))


_META_PREFIX = re.compile(
    r"^(?P<p>(?:date|dated|published|posted|updated)\s*[:\-–]?\s*(?P<d>(?:19|20)\d\d-\d\d-\d\d)(?:[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?)\s+",
    re.I,
)


def shorter_forms(heads: list[tuple[int, str]], title_fold: str = "") -> list[int]:
    """The keys of ``heads`` (key, folded heading) whose heading is the first words of another heading or of
    ``title_fold``: "Talks resume" beside "Talks resume in the capital".

    Linear in the input: every heading's word prefixes go into one set (a heading has at most 22 words),
    then each heading is looked up once, instead of comparing every heading with every other.
    """
    prefixes: set[str] = set()
    for g in [f for _, f in heads] + [title_fold]:
        k = g.find(" ")
        while k > 0:
            prefixes.add(g[:k])
            k = g.find(" ", k + 1)
    return [i for i, f in heads if f and f in prefixes]


def clean_text(text: str, title: str | None = None, find_title: bool = True) -> Cleaned:
    """Remove page debris from ``text``; return the clean text, what was removed and the title.

    ``title`` is a title known from metadata (HTML, JSON); lines repeating it are
    removed. Without one, and when ``find_title`` is true, the first
    heading-like line before the first paragraph becomes the title and leaves
    the body. Cleaning is idempotent: ``clean_text(c.text, c.title, False).text == c.text``.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    debris: list[Debris] = []
    kept: list[tuple[int, str]] = []  # (line number, text)
    meta_dates: list[tuple[str, str]] = []
    outlet: str | None = None
    in_top = True  # before the first paragraph-like line
    for no, raw in enumerate(lines, start=1):
        s = _WS.sub(" ", raw).strip() if raw.strip() else ""
        if not s:
            kept.append((no, ""))
            continue
        s = raw.strip()
        if in_top:
            while True:  # a metadata prefix glued to a line: "date 2025-11-09 Efforts to ..."
                m = _META_PREFIX.match(s)
                if not m or not s[m.end():].strip():
                    break
                debris.append(Debris(m["p"], "metadata prefix", no))
                meta_dates.append((m["d"], "metadata"))
                s = s[m.end():].strip()
        hit = classify_line(s)
        if hit:
            reason, d = hit
            debris.append(Debris(s, reason, no))
            if d:
                meta_dates.append((d, "text" if reason == "date line" else "metadata"))
            if reason == "copyright footer" and outlet is None:
                outlet = _copyright_name(s)
            continue
        kept.append((no, s))
        if _is_paragraph(s):
            in_top = False

    # Headlines: the title, its repeats and shorter forms, and the page header between repeats.
    first_para = next((i for i, (_, s) in enumerate(kept) if s and _is_paragraph(s)), len(kept))
    drop: dict[int, str] = {}
    if title is None and find_title:
        for i in range(first_para):
            s = kept[i][1]
            if s and is_heading_like(s):
                title = s
                drop[i] = "headline (kept as title)"
                break
    tfold = _fold(title) if title else ""
    seen_heads: set[str] = {tfold} if tfold else set()
    for i, (_, s) in enumerate(kept):
        if not s or i in drop or not is_heading_like(s):
            continue
        f = _fold(s)
        if f and f in seen_heads:
            drop[i] = "repeated headline"
        else:
            seen_heads.add(f)
    top_heads = [(i, _fold(kept[i][1])) for i in range(first_para) if kept[i][1] and i not in drop and is_heading_like(kept[i][1])]
    for i in shorter_forms(top_heads, tfold):
        drop[i] = "repeated headline (shorter form)"
    # Short lines between two copies of the headline are the page header (outlet name, sections).
    occurrences = [i for i in range(first_para) if tfold and kept[i][1] and _fold(kept[i][1]) == tfold]
    if len(occurrences) >= 2:
        for i in range(occurrences[0] + 1, occurrences[-1]):
            s = kept[i][1]
            if s and i not in drop and _words(s) <= 8 and not _is_paragraph(s):
                drop[i] = "page header (between headline repeats)"
                if outlet is None:
                    outlet = _masthead_name(s)
    for i, reason in drop.items():
        no, s = kept[i]
        debris.append(Debris(s, reason, no))

    out: list[str] = []
    for i, (_, s) in enumerate(kept):
        if i in drop:
            continue
        if not s and (not out or out[-1] == ""):
            continue
        out.append(s)
    while out and out[-1] == "":
        out.pop()
    debris.sort(key=lambda d: d.line)
    return Cleaned("\n".join(out), tuple(debris), title, tuple(meta_dates), outlet)
