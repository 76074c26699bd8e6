"""Lookups over the export document, and the book of citations a brief collects as it is built.

The export document (``trucewatch export --format json``) is a dict of record
lists; :class:`DocIndex` indexes it by id and answers the questions every
section asks (which outlet published an article, which articles are copies of
one report, what an actor is called). :class:`CitationBook` turns spans into
numbered :class:`~trucewatch.report.model.Citation` records, widening a short
span (a trigger word, a figure) to its sentence so the reader sees context.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from ..errors import ConfigError, NotFoundError
from ..labels import lead_words, link_url, source_name
from .model import Citation

__all__ = ["CitationBook", "DocIndex", "filter_doc", "humanize"]

# A passage longer than this is cut to a window around the focus words.
MAX_PASSAGE = 360
# Short capitalised words before a full stop are abbreviations ("Gen.", "Dr.", "Lt."), not sentence ends.
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])*|\bNo|\bvs|\betc)\.$")

CASUALTY_CATEGORIES = ("killed", "injured", "missing", "detained", "abducted", "displaced")


def humanize(key: str | None) -> str:
    """``"attack_on_posts"`` -> ``"Attack on posts"``."""
    if not key:
        return "Event"
    text = re.sub(r"[_\-]+", " ", str(key)).strip()
    return text[:1].upper() + text[1:]


def _is_boundary(text: str, i: int) -> bool:
    """True when a sentence ends just before position ``i`` (``text[i]`` is whitespace after the end)."""
    j = i - 1
    while j >= 0 and text[j] in "\"'”’)]":
        j -= 1
    if j < 0 or text[j] not in ".!?":
        return False
    if text[j] == "." and _ABBREV.search(text[max(0, j - 12) : j + 1]):
        return False
    k = i
    while k < len(text) and text[k] in " \t":
        k += 1
    return k >= len(text) or not text[k].islower()


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or paragraph line) around ``[start, end)``, cut to :data:`MAX_PASSAGE` characters."""
    s = start
    while s > 0:
        ch = text[s - 1]
        if ch == "\n":
            break
        if ch in " \t" and _is_boundary(text, s - 1):
            break
        s -= 1
    e = end
    while e < len(text):
        ch = text[e]
        if ch == "\n":
            break
        if ch in " \t" and _is_boundary(text, e):
            break
        e += 1
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    if e - s > MAX_PASSAGE:
        room = max(0, MAX_PASSAGE - (end - start)) // 2
        s2 = max(s, start - room)
        e2 = min(e, end + room)
        # start and end on word boundaries
        if s2 > s:
            sp = text.find(" ", s2, start)
            s2 = sp + 1 if sp != -1 else s2
        if e2 < e:
            sp = text.rfind(" ", end, e2)
            e2 = sp if sp != -1 else e2
        s, e = s2, e2
    return s, e


class DocIndex:
    """Id lookups over an export document (a dict with the keys of the export contract)."""

    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self.articles = {a["id"]: a for a in doc.get("articles") or []}
        self.actors = {a["id"]: a for a in doc.get("actors") or []}
        self.member_actor: dict[str, str] = {}
        for a in doc.get("actors") or []:
            for m in a.get("member_ids") or []:
                self.member_actor[m] = a["id"]
        self.quotes = {q["id"]: q for q in doc.get("quotes") or []}
        self.claims = {c["id"]: c for c in doc.get("claims") or []}
        self.incidents = {i["id"]: i for i in doc.get("incidents") or []}
        self.clusters = {c["id"]: c for c in doc.get("quote_clusters") or []}
        self.disputes = list(doc.get("disputes") or [])
        self.stories = list(doc.get("stories") or [])
        self.copies = list(doc.get("copies") or [])
        self.agreements = list(doc.get("agreements") or [])
        self.violations = list(doc.get("violations") or [])
        self.group_of: dict[str, str] = {aid: aid for aid in self.articles}
        self.copy_of: dict[str, str] = {}
        for g in self.copies:
            ids = [i for i in g.get("article_ids") or [] if i]
            if not ids:
                continue
            original = g.get("original_id") or ids[0]
            for aid in ids:
                self.group_of[aid] = original
                if aid != original:
                    self.copy_of[aid] = original
        self.claims_by_incident: dict[str, list[dict]] = defaultdict(list)
        for c in self.claims.values():
            if c.get("incident_id"):
                self.claims_by_incident[c["incident_id"]].append(c)

    # ------------------------------------------------------------------ articles

    def outlet(self, article_id: str) -> str:
        """The outlet's name; else the URL's host; else the source file's name; else the article's first words."""
        a = self.articles.get(article_id) or {}
        return source_name(a.get("outlet"), a.get("url"), a.get("source_path")) or f"“{self.title(article_id)}”"

    def title(self, article_id: str) -> str:
        """The article's title, or its first words when it has none (never its id)."""
        a = self.articles.get(article_id) or {}
        return lead_words(a.get("text"), a.get("title"))

    def article_for(self, token: str | None) -> str | None:
        """The article whose id is ``token`` or starts with it (at least 8 characters), if exactly one."""
        if not token:
            return None
        if token in self.articles:
            return token
        if len(token) >= 8 and re.fullmatch(r"[0-9a-f]+", token):
            hits = [a for a in self.articles if a.startswith(token)]
            if len(hits) == 1:
                return hits[0]
        return None

    def who(self, claimant: str | None) -> str | None:
        """A claimant for display: an article id standing in for "the outlet itself" becomes the outlet's name."""
        aid = self.article_for(claimant)
        return self.outlet(aid) if aid else claimant

    def readable(self, text: str) -> str:
        """``text`` with article ids (or 8+ character prefixes of them) replaced by outlet names."""
        return re.sub(r"\b[0-9a-f]{8,40}\b", lambda m: self.who(m.group(0)) or m.group(0), text)

    def outlets(self, article_ids: Iterable[str]) -> list[str]:
        return sorted({self.outlet(a) for a in article_ids if a in self.articles})

    def source_groups(self, article_ids: Iterable[str]) -> list[str]:
        """One label per independent report: "Valley Courier (copied by Central Asia Wire)"."""
        groups: dict[str, list[str]] = {}
        for aid in sorted(a for a in article_ids if a in self.articles):
            groups.setdefault(self.group_of.get(aid, aid), []).append(aid)
        labels = []
        for original, members in groups.items():
            head = self.outlet(original) if original in self.articles else self.outlet(members[0])
            copies = sorted({self.outlet(m) for m in members if m != original} - {head})
            labels.append(f"{head} (copied by {', '.join(copies)})" if copies else head)
        return sorted(set(labels))

    def independent(self, article_ids: Iterable[str]) -> int:
        """How many independent reports ``article_ids`` are once copies are merged."""
        return len({self.group_of.get(a, a) for a in article_ids if a in self.articles})

    # ------------------------------------------------------------------ actors

    def actor(self, actor_id: str | None) -> dict | None:
        if not actor_id:
            return None
        return self.actors.get(actor_id) or self.actors.get(self.member_actor.get(actor_id, ""))

    def actor_name(self, actor_id: str) -> str:
        a = self.actor(actor_id)
        return a["name"] if a else actor_id

    def actor_names(self, actor_ids: Iterable[str]) -> list[str]:
        """Names of ``actor_ids`` in order, each once; a government is left out when its country is listed too
        ("Pakistan", not "Government of Pakistan, Pakistan")."""
        ids = list(actor_ids or ())
        found = [(i, self.actor(i)) for i in ids]
        countries = {a.get("country") for _, a in found if a and a.get("kind") == "country" and a.get("country")}
        seen: list[str] = []
        for i, a in found:
            if a and a.get("kind") == "government" and a.get("country") in countries:
                continue
            n = a["name"] if a else i
            if n not in seen:
                seen.append(n)
        return seen


class CitationBook:
    """Collects citations in order of first use; the same span always gets the same id."""

    def __init__(self, index: DocIndex):
        self.index = index
        self._by_key: dict[tuple[str, int, int, int, int], Citation] = {}

    def span(self, article_id: str | None, start: Any, end: Any, *, widen: bool = True) -> str | None:
        """The id of a citation of ``article.text[start:end]`` (widened to its sentence), or None if invalid."""
        a = self.index.articles.get(article_id or "")
        if a is None or not isinstance(start, int) or not isinstance(end, int):
            return None
        text = a.get("text") or ""
        if not (0 <= start < end <= len(text)) or not text[start:end].strip():
            return None
        s, e = sentence_bounds(text, start, end) if widen else (start, end)
        key = (a["id"], s, e, start, end)
        cite = self._by_key.get(key)
        if cite is None:
            cite = Citation(
                id=f"c{len(self._by_key) + 1}",
                article_id=a["id"],
                outlet=self.index.outlet(a["id"]),
                date=a.get("published"),
                title=self.index.title(a["id"]),
                url=link_url(a.get("url")),
                start=s,
                end=e,
                quote=text[s:e],
                focus_start=start,
                focus_end=end,
            )
            self._by_key[key] = cite
        return cite.id

    def find(self, article_id: str, words: str | None) -> str | None:
        """Cite the first place ``words`` occur in the article (case-insensitive), or None."""
        a = self.index.articles.get(article_id)
        if a is None or not words or len(words.strip()) < 3:
            return None
        text = a.get("text") or ""
        i = text.lower().find(words.strip().lower())
        if i < 0:
            return None
        return self.span(article_id, i, i + len(words.strip()))

    def headline(self, article_id: str) -> str | None:
        """Cite the article's first line (its headline or lead), the fallback when no finer span exists."""
        a = self.index.articles.get(article_id)
        if a is None:
            return None
        text = a.get("text") or ""
        s = len(text) - len(text.lstrip())
        e = text.find("\n", s)
        e = len(text) if e < 0 else e
        if e <= s:
            return None
        return self.span(article_id, s, e)

    def all(self) -> tuple[Citation, ...]:
        return tuple(sorted(self._by_key.values(), key=lambda c: int(c.id[1:])))


def _valid_date(value: str, what: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        raise ConfigError(f"{what} must be a date written YYYY-MM-DD, not {value!r}.")
    return value


def filter_doc(doc: dict[str, Any], *, story_id: str | None = None, since: str | None = None) -> dict[str, Any]:
    """A copy of ``doc`` limited to one story and/or to incidents and articles on or after ``since``.

    Raises NotFoundError for an unknown story id and ConfigError for a malformed date.
    """
    if story_id is None and since is None:
        return doc
    articles = list(doc.get("articles") or [])
    incidents = list(doc.get("incidents") or [])
    if story_id is not None:
        story = next((s for s in doc.get("stories") or [] if s["id"] == story_id or s["id"].startswith(story_id)), None)
        if story is None:
            known = ", ".join(s["id"] for s in doc.get("stories") or []) or "none"
            raise NotFoundError(f"No story {story_id!r} in the store (stories: {known}); `trucewatch stories` lists them.")
        keep_a = set(story.get("article_ids") or [])
        keep_i = set(story.get("incident_ids") or [])
        articles = [a for a in articles if a["id"] in keep_a]
        incidents = [i for i in incidents if i["id"] in keep_i or i.get("story_id") == story["id"]]
        stories = [story]
    else:
        stories = list(doc.get("stories") or [])
    if since is not None:
        since = _valid_date(str(since)[:10], "--since")
        articles = [a for a in articles if not a.get("published") or a["published"] >= since]
        incidents = [i for i in incidents if (i.get("date_end") or i.get("date_start") or "9999") >= since]
    a_ids = {a["id"] for a in articles}
    i_ids = {i["id"] for i in incidents}
    quotes = [q for q in doc.get("quotes") or [] if q.get("article_id") in a_ids]
    q_ids = {q["id"] for q in quotes}
    clusters = []
    for c in doc.get("quote_clusters") or []:
        members = [q for q in c.get("quote_ids") or [] if q in q_ids]
        if members:
            clusters.append({**c, "quote_ids": members, "article_ids": [a for a in c.get("article_ids") or [] if a in a_ids]})
    c_ids = {c["id"] for c in clusters}
    out = dict(doc)
    out.update(
        articles=articles,
        incidents=[
            {**i, "mentions": [m for m in i.get("mentions") or [] if m.get("article_id") in a_ids],
             "article_ids": [a for a in i.get("article_ids") or [] if a in a_ids]}
            for i in incidents
        ],
        quotes=quotes,
        quote_clusters=clusters,
        claims=[c for c in doc.get("claims") or [] if c.get("article_id") in a_ids],
        disputes=[
            d for d in doc.get("disputes") or []
            if (d.get("incident_id") in i_ids) or (d.get("quote_cluster_id") in c_ids)
            or (not d.get("incident_id") and not d.get("quote_cluster_id")
                and any(a in a_ids for s in d.get("sides") or [] for a in s.get("article_ids") or []))
        ],
        stories=stories,
        copies=[g for g in doc.get("copies") or [] if len([a for a in g.get("article_ids") or [] if a in a_ids]) > 1],
        agreements=[g for g in doc.get("agreements") or [] if any(a in a_ids for a in g.get("article_ids") or [])],
        violations=[v for v in doc.get("violations") or [] if v.get("incident_id") in i_ids],
    )
    return out
