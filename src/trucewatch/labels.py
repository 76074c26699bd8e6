"""How to show an article to a reader: its source's name, its first words, and which URLs may be links.

Pure functions over plain values (used by fusion for claimants, by the reports and by the web
pages), so every place names an article the same way and never by its hex id.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import urlsplit

__all__ = ["lead_words", "link_url", "source_label", "source_name"]

_LINKABLE = re.compile(r"https?://[^\s/?#@]+(?:[/?#]\S*)?", re.IGNORECASE)


def link_url(url: str | None) -> str | None:
    """``url`` when it is an absolute ``http(s)`` URL with a host, else None.

    Briefs, pages and exports link only to what this returns: an article's ``url`` comes from
    its input (a JSON field, a posted article) and may be ``javascript:...`` or ``data:...``.
    """
    if not url or any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    return url if _LINKABLE.fullmatch(url) else None


def source_name(outlet: str | None, url: str | None = None, source_path: str | None = None) -> str | None:
    """How a reader knows an article's source: its outlet; else its web address's host; else its file's name."""
    if outlet and outlet.strip():
        return outlet.strip()
    if link_url(url):
        host = (urlsplit(url).hostname or "").removeprefix("www.")  # type: ignore[arg-type]
        if host:
            return host
    name = PurePath(str(source_path or "").split("#", 1)[0]).name
    return name if name and name not in ("-", "<stdin>", "stdin") else None


def lead_words(text: str | None, title: str | None = None, words: int = 8) -> str:
    """An article's title, or else its first ``words`` words (with "…" when cut): what to show for an untitled one."""
    if title and title.strip():
        return " ".join(title.split())
    got = (text or "").split(None, words)
    return " ".join(got[:words]) + (" …" if len(got) > words else "") if got else "(empty article)"


def source_label(outlet: str | None, url: str | None, source_path: str | None, text: str | None) -> str:
    """An article as the one who claims something: its outlet, or its file's name and first words
    ("notes.txt: “Six soldiers died when …”"), never its hex id."""
    if outlet and outlet.strip():
        return outlet.strip()
    name = source_name(None, url, source_path)
    lead = f"“{lead_words(text, words=6)}”"
    return f"{name}: {lead}" if name else lead
