"""Which event mentions are evidence: realis and role in the article.

A report names many events it does not report. "Amid escalating cross-border attacks" speaks
of attacks in general; "talks aimed at securing a lasting ceasefire" of a ceasefire that does
not exist; "Related: Man shot outside bar" of another story. A coder counts none of them. Each
mention gets:

* ``realis``: ``actual`` (it happened, or is happening, as told), ``generic`` (a kind of event or
  a habit: "escalating attacks", "weeks of clashes", "fears of renewed fighting"),
  ``hypothetical`` (future, conditional, demanded, proposed or hoped for: "calls for a
  ceasefire", "a lasting truce", "talks would resume") or ``negated`` ("no talks were held");
* ``role``: ``news`` (the article's own news), ``history`` (an event dated more than
  :data:`HISTORY_DAYS` before the report), ``teaser`` (a link to another story: "Related:",
  "READ MORE"), ``caption`` (a photo caption or credit line).

Only actual mentions outside teasers become incidents (fuse reads these fields; it does not
re-read the text). A mention with its own date, a place below country level, a figure or a named
participant is specific however it is worded: generic wording alone does not discard it.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span, Token

__all__ = ["HISTORY_DAYS", "role_of", "realis_of"]

HISTORY_DAYS = 30  # an event dated further before its report than this is history, not the report's news

# Modifiers that make an event a kind or a trend rather than one occurrence.
_GENERIC_AMODS = frozenset(
    "escalating rising mounting growing ongoing recurring repeated frequent sporadic persistent periodic "
    "intermittent continuing continual constant regular routine occasional endless daily nightly weekly "
    "widespread".split())
# Governors that name events as a possibility, a fear or a pattern ("fears of fighting", "weeks of clashes").
_GENERIC_OF = frozenset(
    "fear fears risk risks threat threats danger prospect prospects possibility cycle cycles wave waves history "
    "spate string series pattern weeks months years days decades surge rise upsurge escalation spiral "
    "culture epidemic problem issue".split())
_GENERIC_PREPS = frozenset({"amid", "despite", "against"})  # "amid rising tensions", "a campaign against attacks"
# Modifiers and governors of a hoped-for, demanded or proposed event ("a lasting truce", "calls for talks").
_HOPE_AMODS = frozenset(
    "lasting durable permanent long-term longterm future possible potential proposed planned prospective "
    "eventual comprehensive sustainable".split())
_HOPE_GOVERNORS = frozenset(
    "call demand urge seek push press appeal plea hope aim propose proposal plan offer bid effort efforts "
    "attempt attempts need want request invite invitation negotiate broker secure pursue framework "
    "prospect chance condition conditions".split())
_TEASER = re.compile(r"^\s*(?:related(?: stories| story| articles?| coverage)?|read more|more:|see also|also read|"
                     r"watch|previous story|recommended|trending|most read|popular|you may also like|more from)\b",
                     re.I)
_CAPTION = re.compile(r"^\s*(?:photo|image|caption|file photo|pictured|credit|\(photo)\b|\bimage \d+ of \d+\b", re.I)


def role_of(sent: Span, time_start: str | None, published: str | None) -> str:
    """news | history | teaser | caption for a mention in ``sent`` dated from ``time_start``."""
    text = sent.text
    if _TEASER.match(text):
        return "teaser"
    if _CAPTION.search(text[:80]):
        return "caption"
    if time_start and published:
        try:
            gap = (dt.date.fromisoformat(published[:10]) - dt.date.fromisoformat(time_start[:10])).days
        except ValueError:
            gap = 0
        if gap > HISTORY_DAYS:
            return "history"
    return "news"


def _specific(anchored: bool, head: Token) -> bool:
    """Anchored (own date, town, figure or participant) or told as one occurrence by a finite verb."""
    if anchored:
        return True
    return head.pos_ in ("VERB", "AUX") and head.tag_ in ("VBD", "VBN", "VBZ", "VBP") and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in head.children)


def _generic(head: Token) -> bool:
    if any(c.dep_ == "amod" and c.lower_ in _GENERIC_AMODS for c in head.children):
        return True
    cur = head
    for _ in range(3):  # "fears of renewed fighting", "amid weeks of clashes", "despite attacks"
        if cur.dep_ not in ("pobj", "conj", "compound") or cur.head is cur:
            break
        prep = cur.head if cur.dep_ == "pobj" else None
        cur = cur.head
        if prep is None:
            continue
        if prep.lower_ in _GENERIC_PREPS:
            return True
        if prep.lower_ == "of" and prep.head.lemma_.lower() in _GENERIC_OF:
            return True
        cur = prep
    return False


def _hoped(head: Token) -> bool:
    phrase = [head, head.head] if head.dep_ == "compound" else [head]  # "a lasting ceasefire framework"
    if any(c.dep_ in ("amod", "compound") and c.lower_ in _HOPE_AMODS for t in phrase for c in t.children):
        return True
    cur = head
    for _ in range(4):  # "calls for a ceasefire", "aimed at securing a truce", "efforts to broker talks"
        if cur.head is cur:
            break
        up = cur.head
        if up.lemma_.lower() in _HOPE_GOVERNORS and cur.dep_ in ("pobj", "dobj", "xcomp", "pcomp", "prep", "acl"):
            return True
        if cur.dep_ not in ("pobj", "dobj", "xcomp", "pcomp", "prep", "acl", "compound"):
            break
        cur = up
    return False


def realis_of(head: Token, *, negated: bool, hypothetical: bool, anchored: bool) -> str:
    """actual | generic | hypothetical | negated for the trigger ``head`` (see the module docstring)."""
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if head.pos_ in ("NOUN", "PROPN") and _hoped(head) and not anchored:
        return "hypothetical"
    if _specific(anchored, head):
        return "actual"
    if head.pos_ in ("NOUN", "PROPN") and _generic(head):
        return "generic"
    return "actual"
