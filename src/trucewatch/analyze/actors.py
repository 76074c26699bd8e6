"""Actors: who is named in an article, merged within the article, with roles and kinds.

:func:`actors_from` builds an :class:`ActorIndex` from a parsed ``Doc``:

1. aliases the text states (:func:`~trucewatch.analyze.aliases.learn_aliases`)
   and the user's aliases file make actors first, so a fragment the model tags
   ("Tehreek") never becomes an actor of its own;
2. spaCy PERSON / ORG / GPE entities become people, organisations (kind
   refined to ``armed_group`` or ``media`` by general cue words in or beside
   the name), countries, and governments when a capital stands for its
   government ("Islamabad said");
3. "the Afghan government", "government of X" become the country's government;
4. short forms join full names ("Asif" -> "Khawaja Asif"), spelling variants
   join by fuzzy matching, roles come from appositions and premodifiers.

Quotes and claims add group actors ("Afghan officials", "a security source")
through :meth:`ActorIndex.group`. :meth:`ActorIndex.freeze` returns the records.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from spacy.tokens import Doc, Token

from ..records import Actor, stable_id
from .aliases import CountryTable, LearnedAlias, UserActor, fold, same_name
from ._rules import (
    _DATELINE,
    _GENERIC_ORG,
    _GOV_NOUNS,
    _ORG_WORDS,
    _PORTFOLIOS,
    _STATE_FORCE_WORDS,
    _STRIP_PREFIX,
    _clean_name,
    _finditer_name,
    _is_metonymic,
    _is_place_like,
    _org_kind,
    _org_name,
    _role_from_modifiers,
    government_name,
    is_headline,
)
from .components import Lexicon, doc_text, entities, sent_at, sent_ents, sentences
from .places import in_locative_position

__all__ = ["ActorIndex", "Ent", "actors_from", "government_name", "is_headline"]

@dataclass(slots=True)
class Ent:
    """An actor while it is being built (mutable); :meth:`ActorIndex.freeze` makes the record."""

    name: str
    kind: str
    country: str | None = None
    roles: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    mentions: set[tuple[int, int]] = field(default_factory=set)
    votes: Counter = field(default_factory=Counter)
    fixed_kind: bool = False  # kind set by the user's aliases file
    id: str = ""

    def add_name(self, surface: str) -> None:
        surface = surface.strip()
        if not surface:
            return
        if surface != self.name:
            self.aliases.add(surface)
        # The fullest form wins: more words, then longer.
        if self.kind == "person" and (len(surface.split()), len(surface)) > (len(self.name.split()), len(self.name)):
            self.aliases.add(self.name)
            self.name = surface
            self.aliases.discard(surface)


def _span_key(x: tuple) -> tuple[int, int]:
    return x[0], x[1]


def _start_key(x: tuple) -> int:
    return x[0]


class ActorIndex:
    """The actors of one article and where each is mentioned."""

    def __init__(self, article_id: str, countries: CountryTable, lex: Lexicon):
        self.article_id = article_id
        self.countries = countries
        self.lex = lex
        self.ents: list[Ent] = []
        self._spans: list[tuple[int, int, Ent]] = []  # sorted by start
        self.learned: list[tuple[str, str]] = []
        self.person_subjects: list[tuple[int, Ent]] = []  # (char offset, person) for pronoun resolution

    # ------------------------------------------------------------------ lookups

    def add_mention(self, ent: Ent, start: int, end: int) -> None:
        if (start, end) not in ent.mentions:
            ent.mentions.add((start, end))
            # kept sorted by (start, end) in place, after equal spans (where a stable re-sort put them), so a
            # lookup between two additions costs a bisect, not a sort of every mention
            bisect.insort_right(self._spans, (start, end, ent), key=_span_key)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Ent]]:
        spans = self._spans
        i = bisect.bisect_left(spans, start - 200, key=_start_key)
        out = []
        for k in range(i, len(spans)):  # not spans[i:]: that copies every later mention
            s, e, ent = spans[k]
            if s >= end:
                break
            if e > start:
                out.append((s, e, ent))
        return out

    def at(self, start: int, end: int) -> Ent | None:
        """The actor mentioned at (overlapping) the span, preferring people, then the longest mention."""
        hits = self.overlapping(start, end)
        if not hits:
            return None
        hits.sort(key=lambda h: (h[2].kind != "person", -(h[1] - h[0])))
        return hits[0][2]

    def find(self, name: str, kind: str | None = None) -> Ent | None:
        """An existing actor with this name, an alias of it, or a spelling variant."""
        f = fold(name)
        for ent in self.ents:
            if kind and ent.kind != kind and not (kind in {"organization", "armed_group", "media"} and ent.kind in {"organization", "armed_group", "media"}):
                continue
            if fold(ent.name) == f or any(fold(a) == f for a in ent.aliases):
                return ent
        for ent in self.ents:
            if kind and ent.kind != kind:
                continue
            if same_name(ent.name, name) or any(same_name(a, name) for a in ent.aliases if len(a) > 4):
                return ent
        return None

    def new(self, name: str, kind: str, country: str | None = None) -> Ent:
        ent = Ent(name=name, kind=kind, country=country)
        self.ents.append(ent)
        return ent

    def get_or_new(self, name: str, kind: str, country: str | None = None) -> Ent:
        ent = self.find(name, kind)
        if ent is None:
            ent = self.new(name, kind, country)
        else:
            ent.add_name(name)
            if country and not ent.country:
                ent.country = country
        return ent

    def group(self, label: str, start: int, end: int, country: str | None = None) -> Ent:
        """The group actor named ``label`` ("Afghan officials"), created on first use."""
        name = _STRIP_PREFIX.sub("", label.strip())
        words = name.lower().split()
        if words and len(words) <= 3 and words[-1] in self.lex.role_nouns and name.islower():
            # "the minister", "the defence minister": the latest person with that role.
            person = next((p for p in reversed(self.ents) if p.kind == "person"
                           and any(r.split()[-1] == words[-1] and (len(words) == 1 or r.endswith(name.lower())) for r in p.roles)), None)
            if person is not None:
                self.add_mention(person, start, end)
                return person
        ent = self.find(name, "group")
        if ent is None and len(name.split()) == 1 and name.islower():
            # "the ministry" after "the Tamsin interior ministry": the latest actor whose name ends so.
            ent = next((x for x in reversed(self.ents) if x.kind in ("group", "organization", "government", "media", "armed_group")
                        and x.name.lower().split()[-1] == name.lower() and x.name.lower() != name.lower()), None)
        if ent is None:
            ent = self.new(name, "group", country)
        self.add_mention(ent, start, end)
        return ent

    def person_before(self, pos: int) -> Ent | None:
        """The most recent person that was a subject before ``pos`` (else the most recent person mentioned)."""
        i = bisect.bisect_left(self.person_subjects, (pos,), key=lambda x: (x[0],))
        if i > 0:
            return self.person_subjects[i - 1][1]
        return self._last_before(pos, lambda ent: ent.kind == "person")

    def actor_before(self, pos: int, kinds: set[str]) -> Ent | None:
        return self._last_before(pos, lambda ent: ent.kind in kinds)

    def _last_before(self, pos: int, fits) -> Ent | None:
        """The actor of the last mention starting before ``pos`` that ``fits`` (searched back from ``pos``)."""
        for k in range(bisect.bisect_left(self._spans, pos, key=_start_key) - 1, -1, -1):
            if fits(self._spans[k][2]):
                return self._spans[k][2]
        return None

    # ------------------------------------------------------------------ records

    def id_of(self, ent: Ent | None) -> str | None:
        if ent is None:
            return None
        if not ent.id:
            ent.id = stable_id(self.article_id, ent.kind, ent.name)
        return ent.id

    def freeze(self) -> tuple[Actor, ...]:
        out = []
        seen: set[str] = set()
        for ent in self.ents:
            if not ent.mentions:
                continue
            aid = self.id_of(ent)
            if aid in seen:
                continue
            seen.add(aid)
            aliases = sorted(a for a in ent.aliases if a and a != ent.name)
            out.append(Actor(
                id=aid,
                article_id=self.article_id,
                name=ent.name,
                kind=ent.kind,  # type: ignore[arg-type]
                roles=tuple(dict.fromkeys(ent.roles)),
                aliases=tuple(aliases),
                country=ent.country,
                mentions=tuple(sorted(ent.mentions)),
            ))
        out.sort(key=lambda a: (a.mentions[0] if a.mentions else (0, 0), a.id))
        return tuple(out)


# --------------------------------------------------------------------------- building


#: Nouns of armed forces and strikes: a demonym on one names the country that acts ("Russian drones").
FORCE_NOUNS = frozenset("troop troops force forces soldier soldiers army military jet jets warplane warplanes drone drones "
                        "artillery navy tank tanks aircraft helicopter helicopters gunboat gunboats airstrike airstrikes "
                        "missile missiles rocket rockets shelling strikes strike bombardment raid raids offensive "
                        "guards unit units battalion brigade commandos marines paratroopers".split())


def _on_force_noun(tok: Token) -> bool:
    """Whether the demonym ``tok`` modifies a force or strike noun (also as a conjunct: "Indian and Pakistani troops")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    head = tok.head
    return tok.dep_ in ("amod", "compound", "nmod") and head.pos_ in ("NOUN", "PROPN") and (
        head.lower_ in FORCE_NOUNS or head.lemma_.lower() in FORCE_NOUNS)


def actors_from(doc: Doc, article_id: str, countries: CountryTable, lex: Lexicon,
                user_actors: tuple[UserActor, ...] = (), learned: list[LearnedAlias] | None = None,
                is_place: Callable[[str], bool] | None = None,
                is_big_place: Callable[[str], bool] | None = None) -> ActorIndex:
    """Build the actor index of one parsed article.

    ``is_place(name)`` (the gazetteer) tells short names the model tagged ORG/PERSON that are
    really places ("Torkham", "Khost"); such names are not actors unless a cue word says otherwise.
    ``is_big_place(name)`` (a country, province, region or city of 100k people) also reads a name
    standing where a place does as a place ("drones struck Kharkiv").
    """
    text = doc_text(doc)
    idx = ActorIndex(article_id, countries, lex)
    found_at: dict[str, tuple[tuple[int, int], ...]] = {}

    def where(name: str) -> tuple[tuple[int, int], ...]:
        """Where ``name`` is written, searched once per name (an alias stated many times is looked up once)."""
        if name not in found_at:
            found_at[name] = tuple(_finditer_name(text, name))
        return found_at[name]

    # 1. The user's aliases file: every name or alias found in the text.
    for ua in user_actors:
        ent = None
        for name in (ua.name, *ua.aliases):
            for s, e in where(name):
                if ent is None:
                    ent = idx.find(ua.name) or idx.new(ua.name, ua.kind or "organization", ua.country)
                    ent.fixed_kind = ua.kind is not None
                    ent.aliases.update(a for a in ua.aliases)
                idx.add_mention(ent, s, e)

    # 2. Aliases stated in the text.
    for la in learned or []:
        if la.how == "acronym":
            ent = idx.find(la.name) or idx.find(la.alias) or idx.new(_clean_name(la.name), "organization", None)
            ent.aliases.add(la.alias)
            words = {fold(w) for w in re.split(r"[\s\-]+", la.name)}
            if ent.kind == "organization":
                ent.votes.update({"armed_group": 3} if words & lex.armed_group_cues else {"media": 3} if words & lex.media_cues else {})
            if fold(la.name) != fold(ent.name):
                ent.aliases.add(la.name)
            for name in {la.name, la.alias, ent.name}:
                for s, e in where(name):
                    idx.add_mention(ent, s, e)
            idx.learned.append((la.alias, ent.name))
    for la in learned or []:
        if la.how == "acronym":
            continue
        # The named thing: an actor mentioned inside the name span, else the phrase itself.
        target = None
        if la.name_span:
            target = idx.at(*la.name_span)
        name = target.name if target else _clean_name(la.name)
        if target is None and la.how in ("aka", "so-called", "formerly"):
            target = idx.find(name) or idx.new(name, "organization")
        if target is None and la.how == "term" and la.alias[:1].isupper():
            # "“X,” a term it uses for extremist groups": X names a group of that kind.
            words = {fold(w) for w in re.split(r"[\s\-]+", la.name)}
            kind = "armed_group" if words & lex.armed_group_cues else "organization"
            alias_ent = idx.find(la.alias) or idx.new(la.alias, kind)
            for s_, e_ in where(la.alias):
                idx.add_mention(alias_ent, s_, e_)
        if target is not None:
            target.aliases.add(la.alias)
            for s, e in where(la.alias.replace("so-called ", "")):
                idx.add_mention(target, s, e)
            if la.name_span and not idx.overlapping(*la.name_span):
                idx.add_mention(target, *la.name_span)
        idx.learned.append((la.alias, name))

    # 3. Named entities (not those in a dateline such as "ISLAMABAD / KABUL —": that is where the report was filed).
    datelines = [(m.start(1), m.end(1)) for m in _DATELINE.finditer(text)]
    headline_only: dict[str, bool] = {}
    for sent in sentences(doc):
        head = is_headline(sent)
        for e in sent_ents(doc, sent):
            if e.label_ == "PERSON":
                key = _clean_name(e.text)
                headline_only[key] = headline_only.get(key, True) and head
    for e in entities(doc):
        label = e.label_
        if label not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        s, t = e.start_char, e.end_char
        if any(ds <= s < de for ds, de in datelines):
            continue
        surface = text[s:t]
        if surface.endswith(("'s", "’s")):
            t -= 2
        if idx.overlapping(s, t):
            hit = idx.overlapping(s, t)
            # A fragment of a known name ("Tehreek" inside "Tehreek-e-Taliban Pakistan"): nothing new.
            if any(hs <= s and he >= t for hs, he, _ in hit):
                if label == "ORG":
                    for hs, he, known in hit:
                        if known.kind == "organization" and not known.fixed_kind:
                            known.votes.update(_org_kind(e, lex))
                continue
        name = _clean_name(text[s:t])
        if not name or not any(c.isalpha() for c in name):
            continue
        if label in ("PERSON", "ORG", "NORP") and countries.country(name):
            label = "GPE"  # a country the model took for a person or an organisation
        if label in ("ORG", "PERSON") and countries.capital_code(name):
            label = "GPE"  # a capital the model took for a person or an organisation ("Nairobi accused ...")
        if label == "PERSON" and name.isupper() and len(name) <= 8:
            label = "ORG"  # an acronym ("ECOWAS") is an organisation
        if label in ("PERSON", "ORG") and _is_place_like(e, lex):
            continue
        if (label == "ORG" and is_place is not None and len(e) <= 2 and not idx.find(name)
                and not ({fold(t.text) for t in e} & (lex.armed_group_cues | lex.media_cues | _GENERIC_ORG))
                and not countries.capital_code(name) and is_place(name)):
            continue  # a gazetteer place the model took for an organisation
        if (label in ("GPE", "ORG") and not countries.country(name) and not countries.capital_code(name)
                and any(c.dep_ == "appos" and c.lower_ in lex.role_nouns and c.lower_ not in _GOV_NOUNS for c in e.root.children)
                and all(t.is_title for t in e)):
            label = "PERSON"  # "Lina Park, the interior minister,": an apposed role makes a person
        nxt = doc[e.end] if e.end < len(doc) else None
        nxt2 = doc[e.end + 1] if e.end + 1 < len(doc) else None
        if label == "PERSON" and nxt is not None and nxt.text in ("'s", "’s") and nxt2 is not None and nxt2.lower_ in lex.role_nouns | _GOV_NOUNS | _GENERIC_ORG:
            continue  # "Arland's Prime Minister": a country or organisation, not a person
        if label == "PERSON" and {w.lower() for w in name.split()} & _ORG_WORDS:
            label = "ORG"  # "Ceasefire Verification Mechanism"
        if label in ("PERSON", "ORG") and in_locative_position(e) and not (
                {fold(t.text) for t in e} & (lex.armed_group_cues | lex.media_cues | _GENERIC_ORG)):
            # "in Ubon Ratchathani" (any place the gazetteer knows, for a name taken for a person), "drones
            # struck Kharkiv" (a big place, for a person or an organisation): a place, not an actor
            if (label == "PERSON" and e.root.dep_ == "pobj" and is_place is not None and is_place(name)) or (
                    is_big_place is not None and is_big_place(name)):
                continue
        if label == "PERSON" and nxt is not None and (nxt.lower_ in lex.armed_group_cues or nxt.lower_ in lex.media_cues or nxt.lower_ in _GENERIC_ORG):
            label = "ORG"  # "the Red Dawn militia"
        prev_tok = doc[e.start - 1] if e.start > 0 else None
        if (label == "ORG" and prev_tok is not None and prev_tok.text[:1].isupper() and prev_tok.lower_ in lex.role_nouns
                and 2 <= len(e) <= 3 and all(t.is_title for t in e) and not ({fold(t.text) for t in e} & (lex.armed_group_cues | lex.media_cues | _GENERIC_ORG))):
            label = "PERSON"  # "Governor Nadia Farouk"
        if label == "ORG" and e.root.dep_ == "compound" and e.root.head.lower_ in lex.role_nouns and all(
                t.lower_ in _PORTFOLIOS or countries.any_code(t.text) for t in e):
            continue  # "Defence" in "Defence Minister X"
        if label == "ORG" and headline_only.get(name, True) and is_headline(sent_at(doc, e.start)) and not idx.find(name):
            continue
        if label in ("ORG", "GPE") and len(name.split()) == 1:
            person = next((p for p in idx.ents if p.kind == "person" and fold(name) in fold(p.name).split()), None)
            if person is not None:
                person.aliases.add(name)
                idx.add_mention(person, s, t)
                if e.root.dep_ in ("nsubj", "nsubjpass"):
                    idx.person_subjects.append((s, person))  # "he" later on means this person
                continue
        if label == "PERSON":
            if headline_only.get(name, False) or any(ch.isdigit() for ch in name) or name.islower():
                continue
            if all(w.lower() in lex.role_nouns or w.lower() in _PORTFOLIOS or w.lower() in lex.title_words for w in name.split()):
                continue  # "Interior Minister" alone is a title, not a name
            words = name.split()
            if words and words[0].lower().rstrip(".") in lex.title_words and len(words) > 1:
                name = " ".join(words[1:])
            ent = _person(idx, name)
            idx.add_mention(ent, s, t)
            if e.root.dep_ in ("nsubj", "nsubjpass") or (e.root.dep_ == "appos" and e.root.head.dep_ in ("nsubj", "nsubjpass")):
                idx.person_subjects.append((s, ent))
            role, country = _role_from_modifiers(e, doc, lex, countries)
            if role and role not in ent.roles:
                ent.roles.append(role)
            if role and not country and re.search(r"\bcountry['’]s\s+[\w\s-]*$", text[max(0, s - 60):s], re.I):
                # "the country's defence minister X": the country last named before.
                prior = idx.actor_before(s, {"country"})
                country = prior.country if prior is not None else None
            if country and not ent.country:
                ent.country = country
        if label == "ORG":
            code = countries.country(name)
            if code:
                ent = idx.get_or_new(countries.names[code], "country", code)
                idx.add_mention(ent, s, t)
                continue
            if name.lower() in lex.role_nouns or len(name) < 2:
                continue
            name, s = _org_name(e, name, s, countries)
            ent = idx.find(name)
            if ent is None and name.isupper() and 2 <= len(name) <= 6:
                # "RSF" after "Rapid Support Forces": an acronym of a name already seen.
                ent = next((x for x in idx.ents if x.kind in ("organization", "armed_group", "government", "media")
                            and "".join(w[0] for w in re.split(r"[\s\-]+", x.name) if w[:1].isupper()) == name), None)
                if ent is not None:
                    ent.aliases.add(name)
                    idx.learned.append((name, ent.name))
            if ent is None and len(name.split()) == 1 and name.lower() in _GENERIC_ORG | _ORG_WORDS:
                # "Army" after "the Royal Thai Army": the latest organisation whose name ends so.
                ent = next((x for x in reversed(idx.ents) if x.kind in ("organization", "armed_group", "government", "media")
                            and x.name.lower().split()[-1] == name.lower()), None)
            ent = ent or idx.new(name, "organization")
            ent.add_name(name)
            ent.votes.update(_org_kind(e, lex))
            if not ent.country:
                ent.country = next((countries.any_code(w) for w in re.split(r"[\s\-]+", name) if countries.any_code(w)), None)
            idx.add_mention(ent, s, t)
        elif label == "GPE":
            code = countries.country(name)
            if code:
                ent = idx.get_or_new(countries.names[code], "country", code)
                ent.add_name(name) if fold(name) != fold(ent.name) else None
                idx.add_mention(ent, s, t)
                continue
            code = countries.capital_code(name)
            if code and _is_metonymic(e):
                ent = idx.get_or_new(government_name(countries.names[code]), "government", code)
                ent.aliases.add(name)
                idx.add_mention(ent, s, t)
        # NORP: a demonym is not an actor by itself; it gives sides and countries to other phrases, except
        # on a force or a strike ("Russian drones", "Pakistani troops", "Israeli airstrikes"): the country acts.
        elif label == "NORP" and len(e) == 1 and _on_force_noun(e.root):
            code = countries.demonym_code(name)
            if code:
                ent = idx.get_or_new(countries.names[code], "country", code)
                idx.add_mention(ent, s, t)

    # 4. Government phrases: "the Afghan government", "Pakistan's government", "the government of X".
    for tok in doc:
        if tok.lower_ not in _GOV_NOUNS:
            continue
        code = None
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                code = countries.any_code(child.text) or countries.capital_code(child.text)
            elif child.dep_ == "prep" and child.lower_ == "of":
                for p in child.children:
                    if p.dep_ == "pobj":
                        code = countries.country(p.text)
            if code:
                break
        gname = government_name(countries.names[code]) if code else None
        if gname is None:
            gpe = next((c for c in tok.children if c.dep_ in ("poss", "compound") and c.ent_type_ == "GPE"), None)
            if gpe is not None:
                gname = f"Government of {_clean_name(gpe.text)}"
        if gname:
            ent = idx.get_or_new(gname, "government", code)
            start = tok.left_edge.idx if tok.left_edge.i >= tok.i - 3 else tok.idx
            end = tok.idx + len(tok.text)
            if not tok.left_edge.i < tok.i - 3:
                ent.aliases.add(_clean_name(text[start:end]))
            idx.add_mention(ent, start, end)

    # 5. A known person's surname or given name as a subject the model did not tag ("Somchai made clear ...").
    persons = [p for p in idx.ents if p.kind == "person"]
    if persons:
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN" and not idx.overlapping(tok.idx, tok.idx + len(tok.text)):
                low = fold(tok.text)
                p = next((p for p in reversed(persons) if low in fold(p.name).split()), None)
                if p is not None:
                    idx.add_mention(p, tok.idx, tok.idx + len(tok.text))
                    p.aliases.add(tok.text)
                    idx.person_subjects.append((tok.idx, p))
        idx.person_subjects.sort(key=lambda x: x[0])

    # 6. Kinds of organisations by their votes; countries named inside organisation names.
    for ent in idx.ents:
        if ent.kind in ("organization", "armed_group", "media") and not ent.country:
            ent.country = next((c for c in (countries.any_code(w) for w in re.split(r"[\s\-]+", ent.name) if w[:1].isupper()) if c), None)
        if ent.kind == "organization" and not ent.fixed_kind and ent.country and ent.votes.get("armed_group"):
            words = {fold(w) for w in re.split(r"[\s\-]+", ent.name)}
            if words & lex.armed_group_cues and words & lex.armed_group_cues <= _STATE_FORCE_WORDS:
                del ent.votes["armed_group"]  # "Royal Thai Army", "Pakistan Army": state forces, not an armed group
        if ent.kind == "organization" and not ent.fixed_kind and ent.votes:
            best = sorted(ent.votes.items(), key=lambda kv: (-kv[1], ("armed_group", "media", "government").index(kv[0]) if kv[0] in ("armed_group", "media", "government") else 9))
            k = best[0][0]
            ent.kind = "government" if k == "government" and ent.votes[k] >= 2 else (k if k != "government" else "organization")
    return idx


def _person(idx: ActorIndex, name: str) -> Ent:
    """The person actor for ``name``: a short form joins the latest full name containing it."""
    words = [fold(w) for w in name.split()]
    persons = [p for p in idx.ents if p.kind == "person"]
    for p in reversed(persons):
        pw = [fold(w) for w in p.name.split()]
        if words == pw:
            return p
    for p in reversed(persons):
        pw = [fold(w) for w in p.name.split()]
        if len(words) < len(pw) and all(w in pw for w in words):
            p.aliases.add(name)
            return p
        if len(words) > len(pw) and all(w in words for w in pw):
            p.add_name(name)
            return p
    for p in reversed(persons):
        if same_name(p.name, name) or (len(words) == 1 and any(same_name(w, name) for w in p.name.split() if len(w) > 6)):
            p.aliases.add(name)
            return p
    return idx.new(name, "person")
