"""The rules behind actors.py: cue-word sets, headline and dateline detection, kinds and roles.

General patterns only (no names of any particular conflict); the word lists shared with other
modules live in data/analyze/lexicon.yaml.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span, Token

from .aliases import CountryTable, fold
from .components import Lexicon, doc_text

_STRIP_PREFIX = re.compile(r"^(?:the|a|an)\s+", re.I)

_GOV_NOUNS = {"government", "administration", "regime", "authorities", "cabinet"}
_AGENT_PREPS = {"by", "with", "against"}
_STRIP_PREFIX = re.compile(r"^(?:the|a|an)\s+", re.I)
# Nouns that make a name a place, not an actor ("the X border crossing", "near the X and Y regions").
_PLACE_NOUNS = {"line", "border", "borders", "crossing", "crossings", "province", "provinces", "district", "districts",
                "region", "regions", "valley", "pass", "river", "mountains", "road", "highway", "city", "town",
                "village", "villages", "area", "areas", "camp", "airport", "frontier", "checkpoint", "checkpoints",
                "gate", "bridge", "port", "sea", "lake", "island", "islands", "desert", "corridor", "agency"}
# Generic organisation names that need their country to be told apart ("Foreign Ministry", "Armed Forces").
_GENERIC_ORG = {"ministry", "army", "forces", "police", "military", "navy", "office", "council", "parliament",
                "senate", "assembly", "court", "embassy", "government", "cabinet", "intelligence", "air", "guard"}


# Portfolio words of a title ("Defence Minister"), which the model often tags as an organisation.
_PORTFOLIOS = {"defence", "defense", "interior", "foreign", "information", "finance", "home", "justice", "health",
               "education", "trade", "economy", "energy", "war", "security", "intelligence", "affairs", "prime", "deputy"}


# "KUALA LUMPUR, March 13 —", "ISLAMABAD / KABUL –" at the start of a line.
_DATELINE = re.compile(
    r"(?m)^\s*([A-Z][A-Z.'’/ -]{2,40}?(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?)"
    r"\s*(?:\([\w .]+\)\s*)?[—–-]{1,2}\s")
# Words that make a name an organisation even when the model says PERSON ("Verification Mechanism").
_ORG_WORDS = {"mechanism", "committee", "commission", "council", "agency", "ministry", "office", "bank", "fund",
              "union", "organization", "organisation", "association", "institute", "foundation", "party", "front",
              "movement", "coalition", "alliance", "mission", "centre", "center", "authority", "court", "assembly",
              "army", "forces", "police", "brigade", "group", "network", "corps", "command", "directorate"}
# Cue words that, in a name that also names a country, mean state forces rather than an armed group.
_STATE_FORCE_WORDS = {"army", "forces", "navy", "guard", "police", "military", "air"}


def _is_place_like(span: Span, lex: Lexicon) -> bool:
    """A name the model tagged PERSON/ORG that the context shows is a place."""
    last = span[-1].lower_
    if last in _PLACE_NOUNS:
        return True
    root = span.root
    head = root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if root.dep_ in ("compound", "amod", "nmod") or head.dep_ in ("compound", "amod", "nmod"):
        h = head.head if head.dep_ in ("compound", "amod", "nmod") else root.head
        if h.lower_ in _PLACE_NOUNS:
            return True
    if (head.dep_ == "pobj" and head.head.lower_ == "of"
            and head.head.head.lower_ in _PLACE_NOUNS | {"outskirts", "centre", "center", "edge", "streets", "north",
                                                         "south", "east", "west", "heart", "suburbs", "residents"}):
        return True  # "the outskirts of Goma"
    if head.dep_ == "pobj" and head.head.lower_ in {"near", "in", "at", "along", "across", "inside", "via", "through"}:
        words = {fold(t.text) for t in span}
        if not (words & lex.armed_group_cues or words & lex.media_cues or words & _GENERIC_ORG):
            return True
    return False


def is_headline(sent: Span) -> bool:
    """A line with no final punctuation where most words are capitalised (headline, crosshead)."""
    text = sent.text.strip()
    if not text or text[-1] in ".!?\"”’:;)":
        return False
    words = [t for t in sent if t.is_alpha]
    if len(words) < 2:
        return True
    caps = sum(1 for t in words if t.text[0].isupper() or t.is_stop)
    if caps / len(words) > 0.8:
        return True
    # A whole line of at most 25 words with no final punctuation: a title or a crosshead.
    text = doc_text(sent.doc)
    lead = len(sent.text) - len(sent.text.lstrip())
    before = text[:sent.start_char + lead].rstrip(" \t")
    after = text[sent.start_char + len(sent.text.rstrip()):].lstrip(" \t")
    return len(words) <= 25 and (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


def _clean_name(text: str) -> str:
    t = re.sub(r"['’]s$", "", text.strip())
    t = _STRIP_PREFIX.sub("", t)
    return t.strip(" ,.;:-–—\"“”‘’'")


def _finditer_name(text: str, name: str):
    if not name or len(name) < 2:
        return
    flags = 0 if (name.isupper() or len(name) <= 4) else re.I
    for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, flags):
        yield m.start(), m.end()


def _org_kind(span: Span, lex: Lexicon) -> Counter:
    """Votes for an organisation's kind from the words of its name and around it."""
    votes: Counter = Counter()
    words = {fold(t.text) for t in span}
    if words & lex.media_cues:
        votes["media"] += 3
    if words & lex.armed_group_cues:
        votes["armed_group"] += 3
    root = span.root
    near: list[Token] = [root.head] + list(root.head.children) + list(root.children)
    if root.dep_ in ("compound", "amod", "nmod"):
        near.append(root.head)
    for t in near:
        if t.i >= span.start and t.i < span.end:
            continue
        lw = t.lower_
        if lw in lex.armed_group_cues or t.lemma_.lower() in lex.armed_group_cues:
            votes["armed_group"] += 1
        elif lw in _GOV_NOUNS and t.dep_ != "conj":
            votes["government"] += 1
    # "told Reuters", "told the X news agency": the object of "tell" is a medium.
    if root.dep_ in ("dobj", "dative") and root.head.lemma_ == "tell":
        votes["media"] += 2
    # "X, a group ..." / "X -- an armed movement": the apposition names the kind.
    for t in list(root.children) + (list(root.head.children) if root.dep_ == "appos" else []):
        if t.dep_ == "appos" and (t.lower_ in lex.armed_group_cues):
            votes["armed_group"] += 2
        if t.dep_ == "appos" and t.lower_ in ("group", "organisation", "organization", "network", "alliance") and any(
                c.lower_ in lex.armed_group_cues or c.lower_ == "armed" for c in t.children):
            votes["armed_group"] += 2
    return votes


def _is_metonymic(span: Span) -> bool:
    """A place name standing for its government: a subject, an object, an agent, a possessor."""
    root = span.root
    dep = root.dep_
    while dep == "conj":
        root = root.head
        dep = root.dep_
    if dep in ("nsubj", "nsubjpass", "dobj", "iobj", "dative", "agent"):
        return True
    if dep == "poss":
        return root.head.lower_ not in {"border", "city", "capital", "streets", "outskirts", "airport", "province"}
    if dep == "pobj":
        prep = root.head.lower_
        if prep in _AGENT_PREPS:
            return True
        if prep == "to" and root.head.head.lemma_ in {"tell", "say", "appeal", "send", "give", "promise", "offer"}:
            return True
    return False


def _role_from_modifiers(person: Span, doc: Doc, lex: Lexicon, countries: CountryTable) -> tuple[str | None, str | None]:
    """Role from premodifiers ("Pakistan's Defence Minister X") or an apposition ("X, the interior minister")."""
    # Premodifiers: the tokens right before the name whose head chain reaches the name.
    i = person.start - 1
    pre: list[Token] = []
    root = person.root
    while i >= 0:
        t = doc[i]
        if t.is_space or (t.is_punct and t.text not in {"-", "’", "'"}):
            break
        if not root.is_ancestor(t):
            break
        pre.insert(0, t)
        i -= 1
    role, country = _role_text(pre, lex, countries)
    if role:
        return role, country
    # The name is the apposition of a role noun: "the interior minister, X," / "Pakistan's Interior Minister, X".
    root = person.root
    if root.dep_ == "appos" and (root.head.lower_ in lex.role_nouns):
        head = root.head
        toks = [t for t in head.subtree if not (t.i >= root.i and t in list(root.subtree)) and t.i <= head.i]
        role, country = _role_text(toks, lex, countries)
        if role:
            return role, country
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in lex.role_nouns:
            toks = [t for t in child.subtree if t.i <= child.i or t.dep_ in ("prep", "pobj", "compound")]
            toks = [t for t in child.subtree if t.i <= child.i + 4 and t.i >= child.left_edge.i][: 8]
            role, country = _role_text(toks, lex, countries)
            if role:
                return role, country
    return None, None


def _role_text(toks: list[Token], lex: Lexicon, countries: CountryTable) -> tuple[str | None, str | None]:
    if not toks or not any(t.lower_ in lex.role_nouns for t in toks):
        return None, None
    country = None
    words = []
    for t in toks:
        code = countries.any_code(t.text) if (t.ent_type_ in ("GPE", "NORP") or t.text[:1].isupper()) else None
        if code and not words:
            country = country or code
            continue
        if t.dep_ in ("det", "case", "punct") or t.lower_ in {"'s", "’s", "the", "a", "an", "country", "its", "his", "her", "their"}:
            continue
        if (t.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") and t.lower_ not in lex.role_nouns and t.lower_ not in _PORTFOLIOS
                and t.lower_ not in _GENERIC_ORG):
            continue
        if any(c.text in ("'s", "’s") for c in t.children):
            continue  # a possessor ("Norland's"): the affiliation, not the role
        words.append(t.text.lower())
    # Cut anything after the last role noun ("minister of defence" keeps its "of" phrase though).
    while words and words[-1] not in lex.role_nouns and words[-1] not in {"affairs", "defence", "defense", "interior", "information", "foreign", "finance", "state"}:
        words.pop()
    role = " ".join(words).strip()
    if not role or len(words) > 6:
        return None, country
    return role, country


def _org_name(span: Span, name: str, start: int, countries: CountryTable) -> tuple[str, int]:
    """Give a generic organisation name its country: "Foreign Ministry" after "Turkish" -> "Turkish Foreign Ministry"."""
    m = re.match(r"^([A-Z][\w\-]*)['’]s\s+(.+)$", name)
    if m and countries.country(m.group(1)):
        code = countries.country(m.group(1))
        if code in countries.demonym:
            return f"{countries.demonym[code]} {m.group(2)}", start
    words = {w.lower() for w in name.split()}
    if not words & _GENERIC_ORG or span.start == 0:
        return name, start
    prev = span.doc[span.start - 1]
    if prev.text in ("'s", "’s") and span.start >= 2:
        prev = span.doc[span.start - 2]
    code = countries.any_code(prev.text) if prev.text[:1].isupper() else None
    if code and code in countries.demonym:
        return f"{countries.demonym[code]} {name}", start if prev.i < span.start - 1 else prev.idx
    return name, start


_THE = ("United ", "Republic", "Democratic", "Netherlands", "Philippines", "Bahamas", "Gambia", "Czech Republic",
        "Dominican Republic", "Central African", "Marshall Islands", "Solomon Islands", "Comoros", "Maldives", "Holy See")


def government_name(country: str) -> str:
    """"Government of Pakistan", "Government of the United States"."""
    return f"Government of the {country}" if country.startswith(_THE) else f"Government of {country}"
