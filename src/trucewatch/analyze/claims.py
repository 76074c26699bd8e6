"""Numeric claims: who says how many of what happened to whom.

:func:`claims_from` finds number expressions ("four", "58", "2,600", "more than
one million", "at least 10", "dozens", "between 10 and 15", "10-15") in a
parsed article and, from the dependency parse around each:

* what is counted (the noun the number modifies, or the noun after "of"),
* the predicate (the verb or noun it hangs on: killed, deaths, repatriated ...)
  and the category it implies (lexicon.yaml ``categories``),
* the victim side when a demonym or a country modifies the counted noun,
* the claimant: the speaker of the quote it sits in, the subject of a
  reporting verb above it ("X claimed", "Y confirmed"), "according to Z",
  else the article's outlet,
* the hedge: reporting verb (claimed, alleged, confirmed, reported) or
  quantifier (at least, over, about, up to).

Vague quantities take the conservative values of lexicon.yaml
``vague_quantities`` (ACLED's convention: dozens = 12, hundreds = 100), with
low/high bounds; the original words are kept. Dates, years, ages, times,
money, percentages and ordinals are never claims.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from ..records import Article, Claim, Quote, stable_id
from .actors import ActorIndex, is_headline
from .components import Lexicon, doc_text, ent_at, sent_at
from .quotes import according_to, speaker_of_verb

__all__ = ["claims_from", "outlet_of", "parse_number"]

_SKIP_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "PERSON", "ORG", "GPE", "FAC", "LAW", "EVENT",
              "PRODUCT", "WORK_OF_ART", "LANGUAGE", "LOC"}
_DEFINITE = {"the", "these", "those", "both", "its", "their", "his", "her", "our", "my", "your", "all", "each",
             "every", "first", "last", "other", "whose"}
_ONES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                    "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "lakh": 100_000,
           "crore": 10_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "mn": 1_000_000}
_DURATION = re.compile(
    r"^(?:(?:only|just)\s+)?(?:(?P<hedge>about|around|nearly|almost|more than|over|at least|some|roughly|up to)\s+)?"
    r"(?P<num>[\w,.\-]+(?:\s+[\w\-]+)?)\s+(?P<unit>days?|weeks?|hours?|months?|years?|minutes?)$",
    re.I,
)
_MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
           "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"}
_NOT_DURATION_BEFORE = {"last", "past", "next", "within", "coming", "previous", "recent", "first", "few", "in"}
_NOT_DURATION_AFTER = {"ago", "later", "earlier", "before", "after", "old"}


def parse_number(words: str) -> float | None:
    """The value of a number written in digits or words ("2,600", "1.5 million", "twenty-five", "a hundred")."""
    t = words.lower().replace(",", "").replace("-", " ").strip()
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    total, current, seen = 0.0, 0.0, False
    for w in t.split():
        if w in ("and", "a", "an"):
            if w != "and":
                current = current or 1
            continue
        try:
            current += float(w)
            seen = True
            continue
        except ValueError:
            pass
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES:
            scale = _SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def outlet_of(article: Article) -> str:
    """Who vouches for an unattributed figure: the outlet, else the site of the URL, else a placeholder."""
    if article.outlet:
        return article.outlet
    if article.url:
        from urllib.parse import urlsplit

        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return "the outlet (no source named)"


def _is_numeric(tok: Token, lex: Lexicon) -> bool:
    return (tok.like_num and tok.text.lower() not in {"one"}) or tok.lower_ in lex.vague_quantities or tok.lower_ == "one"


def _group(doc: Doc, i: int, lex: Lexicon) -> tuple[int, int]:
    """The token range [i, j) of the number expression starting at token i."""
    j = i + 1
    n = len(doc)
    while j < n:
        t = doc[j]
        if t.like_num or t.lower_ in _SCALES or (t.lower_ == "of" and doc[j - 1].lower_ in ("tens", "hundreds") and j + 1 < n and doc[j + 1].lower_ in ("thousands", "millions")):
            j += 1
            continue
        if doc[j - 1].lower_ == "of" and j >= 2 and doc[j - 2].lower_ in ("tens", "hundreds") and t.lower_ in ("thousands", "millions"):
            j += 1
            continue
        if t.text in ("-", "–", "to", "or", "and") and j + 1 < n and doc[j + 1].like_num:
            # A range ("10-15", "10 to 15", "three or four", "between 10 and 15").
            if t.text == "and" and not (i > 0 and doc[i - 1].lower_ == "between"):
                break
            j += 2
            continue
        break
    return i, j


def _value(doc: Doc, i: int, j: int, lex: Lexicon) -> tuple[float | None, float | None, float | None, str]:
    words = doc[i:j].text
    low = words.lower()
    for key in sorted(lex.vague_quantities, key=len, reverse=True):
        if low == key or low.replace(" of ", " ") == key.replace(" of ", " "):
            v, lo, hi = lex.vague_quantities[key]
            return v, lo, hi, words
    parts = re.split(r"\s*(?:-|–|\bto\b|\bor\b|\band\b)\s*", words) if re.search(r"\d\s*[-–]\s*\d|\bto\b|\bor\b|\band\b", low) else [words]
    if len(parts) == 2:
        a, b = parse_number(parts[0]), parse_number(parts[1])
        if a is not None and b is not None and a < b:
            return a, a, b, words
    v = parse_number(words)
    return v, v, v, words


def _hedge_before(text: str, start: int, lex: Lexicon) -> tuple[str | None, str | None, int]:
    before = text[max(0, start - 30):start].lower()
    for key in sorted(lex.quantifier_hedges, key=len, reverse=True):
        if re.search(r"(?:^|\W)" + re.escape(key) + r"\s+$", before):
            h = lex.quantifier_hedges[key]
            return h["hedge"], h["bound"], start - len(before) + before.rfind(key)
    return None, None, start


def _counted(num: Token, lex: Lexicon) -> Token | None:
    head = num
    # "dozens of homes", "four of the soldiers"
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                return pobj
    if num.dep_ in ("nummod", "quantmod", "amod", "compound", "det") and num.head.pos_ in ("NOUN", "PROPN"):
        head = num.head
        if head.lower_ in ("-",):
            return None
        return head
    if num.dep_ == "nummod" and num.head.like_num:
        return _counted(num.head, lex)
    return None


def _category(tok: Token, lex: Lexicon) -> str | None:
    return lex.category_of.get(tok.lower_) or lex.category_of.get(tok.lemma_.lower())


def _predicate(num: Token, counted: Token | None, lex: Lexicon) -> Token | None:
    """The word that says what happened to the counted things (killed, deaths, displaced ...)."""
    node = counted or num
    if counted is not None and counted.dep_ == "pobj" and counted.head.head is num:
        node = num  # "dozens of homes": the number heads the phrase
    # Modifiers of the counted noun: "four wounded soldiers", "23 soldiers killed in the attack".
    for child in node.children:
        if child.dep_ in ("amod", "acl", "relcl") and _category(child, lex):
            return child
    if num is not node:
        for child in num.children:
            if child.dep_ in ("amod",) and _category(child, lex):
                return child
    # Through conjunctions to the first conjunct: "five soldiers and 25 militants were killed".
    while node.dep_ == "conj":
        node = node.head
    for _ in range(4):
        head = node.head
        if head is node:
            break
        if node.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "dative", "oprd", "npadvmod", "appos", "conj", "amod"):
            if node.dep_ == "pobj":
                prep = head
                if prep.lower_ not in ("of", "among", "including") and node is not num:
                    break  # "in raids across four cities": a place or a circumstance, not what happened
                head = prep.head
            if _category(head, lex):
                return head
            # "left dozens dead", "embraced martyrdom": a category word beside the verb.
            for sib in head.children:
                if sib.dep_ in ("oprd", "acomp", "dobj", "xcomp", "ccomp", "attr") and sib is not node and _category(sib, lex) and sib.i > head.i:
                    return sib
            if head.pos_ in ("VERB", "AUX"):
                return head
            node = head
            continue
        break
    if num.head.pos_ == "VERB" and _category(num.head, lex):
        return num.head
    return None


def _side(counted: Token | None, num: Token, actors: ActorIndex) -> str | None:
    if counted is None:
        return None
    countries = actors.countries
    code = countries.demonym_code(counted.text) if counted.text[:1].isupper() else None
    if code and code in countries.demonym:
        return countries.demonym[code]  # "18 Palestinians"
    for child in counted.children:
        if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i < counted.i and child.text[:1].isupper():
            code = countries.any_code(child.text)
            if code:
                return countries.demonym.get(code) if countries.country(child.text.rstrip("’'s")) else child.text
            ent = actors.at(child.idx, child.idx + len(child.text))
            if ent is not None and ent.kind in ("armed_group", "organization", "government"):
                return child.text
    return None


def _reporter(tok: Token, actors: ActorIndex, quote_spans: list[tuple[int, int]], lex: Lexicon):
    """The subject of the outermost reporting verb above ``tok`` (who asserts it) and the hedge on the way; a
    reporting verb heading a clause of its own ("while X claimed", "and X said") is the outermost."""
    node = tok
    found, hedge = None, None
    for _ in range(12):
        head = node.head
        if head is node:
            break
        lemma = head.lemma_.lower()
        if lemma in lex.claim_verbs and head.pos_ in ("VERB", "AUX"):
            att = speaker_of_verb(head, actors, quote_spans)
            if att is not None:
                found = att
                h = lex.claim_verbs[lemma]
                if hedge is None and h not in ("said", "announced"):
                    hedge = h
                if head.dep_ == "advcl" or (head.dep_ == "conj" and any(c.dep_ == "nsubj" for c in head.children)):
                    break  # "..., while the rebels claimed 40": a claim of its own, not part of the outer statement
        node = head
    return found, hedge


def claims_from(doc: Doc, article: Article, actors: ActorIndex, quotes: list[Quote]) -> list[Claim]:
    """Numeric claims of one parsed article, in text order."""
    lex = actors.lex
    text = doc_text(doc)
    quote_spans = doc.user_data.get("tw_quote_chars") or []
    direct = sorted((q.start, q.end, q) for q in quotes if q.direct)
    starts = [d[0] for d in direct]
    outlet = outlet_of(article)
    out: list[Claim] = []
    i = 0
    n = len(doc)
    taken_until = -1
    while i < n:
        tok = doc[i]
        if i <= taken_until or not _is_numeric(tok, lex):
            i += 1
            continue
        if tok.lower_ == "one" and i > 0 and doc[i - 1].lower_ in ("no", "not"):
            i += 1
            continue  # "no one was hurt", "not one shell": a negation, not a count of one
        if tok.ent_type_ in ("DATE", "TIME") and _bare_numbers(doc, tok):
            pass  # the model tagged "between 10 and 15" as a date: it is a plain number
        elif tok.ent_type_ in _SKIP_ENTS:
            if tok.ent_type_ in ("DATE", "TIME"):
                dur = _duration(doc, tok, article, actors, quote_spans, lex, outlet)
                if dur is not None:
                    out.append(dur)
                    taken_until = _ent_end(doc, tok) - 1
            i += 1
            continue
        start, end = _group(doc, i, lex)
        # "a few", "tens of thousands": include the words before a vague head.
        if i > 0 and doc[i - 1].lower_ in ("a",) and f"a {tok.lower_}" in lex.vague_quantities:
            start = i - 1
        taken_until = end - 1
        if is_headline(sent_at(doc, i)):
            i = end
            continue  # a headline repeats a figure of the body; counting it twice would inflate it
        claim = _claim(doc, start, end, article, actors, quote_spans, direct, starts, lex, outlet, text)
        if claim is not None:
            if out and out[-1].end <= claim.start and text[out[-1].end:claim.start].strip(" -–") in ("(",) :
                pass  # a unit conversion in brackets ("2,600 km (1,600 miles)") repeats the previous figure
            else:
                out.append(claim)
        i = end
    return out


_AGE_AFTER = {",", ".", ")", "(", ";", ":", "and", "of", "from", "was", "were", "is", "who", "died"}


def _is_age(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """"John Doe, 19, was ...", "one victim, 23, died", "Smith (40)": a person's age set off after a name or a
    person noun is not a count."""
    if end - start != 1 or start < 2 or not doc[start].is_digit or not 0 < int(doc[start].text) <= 110:
        return False
    comma, before = doc[start - 1], doc[start - 2]
    nxt = doc[end].lower_ if end < len(doc) else "."
    if not ((comma.text == "," and nxt in _AGE_AFTER) or (comma.text == "(" and nxt == ")")):
        return False
    person = before.ent_type_ == "PERSON" or before.lower_ in lex.victims["person_nouns"]
    enclosed = comma.text == "," and nxt == ","  # "Tiffany Doe, 17, also ...": the model may not know the name
    return person or (before.pos_ == "PROPN" and (enclosed or before.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "DATE")))


_BARE = re.compile(r"^(?:between\s+)?[\d,.]+(?:\s*(?:-|–|to|and|or)\s*[\d,.]+)?$", re.I)


def _bare_numbers(doc: Doc, tok: Token) -> bool:
    """True when the DATE/TIME entity holding ``tok`` is only numbers ("between 10 and 15"), not a year or a date."""
    ent = ent_at(doc, tok.i)
    if ent is None or not _BARE.match(ent.text):
        return False
    return not any(re.fullmatch(r"(1[89]|20)\d\d", t.text) for t in ent)


def _ent_end(doc: Doc, tok: Token) -> int:
    j = tok.i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    return j


def _claim(doc: Doc, start: int, end: int, article: Article, actors: ActorIndex, quote_spans, direct, starts,
           lex: Lexicon, outlet: str, text: str) -> Claim | None:
    first, last = doc[start], doc[end - 1]
    prev = doc[start - 1] if start > 0 else None
    nxt = doc[end] if end < len(doc) else None
    # Not claims: "the two countries", "aged 25", "25-year-old", "25%", "No. 5", years.
    definite = prev is not None and prev.lower_ in _DEFINITE
    if prev is not None and (prev.lower_ in ("aged", "age", "no.", "number", "article", "resolution", "chapter", "page", "section", "round", "phase", "#")):
        return None
    if _is_age(doc, start, end, lex):
        return None
    if nxt is not None and (nxt.lower_ in ("%", "percent", "per", "pc", "am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "utc") or nxt.text in ("-year", "year-old", "-year-old")):
        return None
    if (nxt is not None and nxt.lower_.rstrip(".") in _MONTHS) or (prev is not None and prev.lower_.rstrip(".") in _MONTHS):
        return None  # "8 Mar", "March 13": a date the model did not tag
    if nxt is not None and nxt.text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in ("year", "years", "month", "day"):
        return None
    if re.fullmatch(r"(1[89]|20)\d\d", first.text) and end - start == 1:
        return None  # a bare year
    if re.fullmatch(r"\d{1,2}[:.]\d\d", first.text):
        return None  # a clock time
    value, low, high, original = _value(doc, start, end, lex)
    if value is None:
        return None
    head = next((t for t in doc[start:end] if t.head.i < start or t.head.i >= end), last)
    counted = _counted(head, lex)
    if counted is not None and counted.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
        return None
    if counted is not None and counted.lower_ in ("%", "percent", "years", "year", "times") and counted.lower_ != "times":
        return None
    pred = _predicate(head, counted, lex)
    if counted is None and head.dep_ == "pobj" and head.head.lower_ in ("at", "to"):
        # "put the number of displaced at 20,000", "the death toll had risen to 45"
        verb = head.head.head
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")
                    and c.lower_ in ("number", "toll", "figure", "tally", "count")), None)
        if obj is not None:
            of = next((g for c in obj.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), None)
            counted = of or obj
            pred = of if of is not None and _category(of, lex) else (obj if any(c.lower_ == "death" for c in obj.children) else None)
    category = _category(pred, lex) if pred is not None else None
    if category is None and counted is not None and _category(counted, lex):
        pred, category = counted, _category(counted, lex)  # "dozens of deaths", "200 casualties"
    if category == "killed" and pred is not None and pred.lemma_.lower() == "execute" and counted is not None and not (
            counted.lower_ in lex.victims["person_nouns"] or counted.lower_ in lex.armed_group_cues):
        category = "count"  # "executed 44 search warrants": warrants, not people
    if category == "killed" and pred is not None and any(c.lower_ in ("attempted", "attempt") for c in pred.children):
        category = "count"  # "the attempted murder of two officers": nobody died of it
    if category == "injured" and counted is not None and counted.lower_ in ("wound", "wounds"):
        category = "count"  # "died of one gunshot wound", "three stab wounds": wounds, not people
    if category is None and pred is not None and pred.lower_ == "toll":
        category = "killed"
    unit = lex.units.get(counted.lower_) if counted is not None else None
    if unit in ("days", "weeks", "months", "hours", "years", "minutes"):
        category = "duration"
    elif unit is not None:
        category = category if category in ("duration",) else "other"
    if category is None:
        category = "count" if counted is not None else None
    if category is None:
        return None  # a bare number with nothing counted and nothing happening to it
    if definite and category in ("killed", "injured") and counted is not None and not (
            counted.lower_ in lex.victims["person_nouns"] or counted.lower_ in lex.armed_group_cues):
        category = "count"  # "the armies of the two countries gave different tolls": countries, not the dead
    if definite and category == "count":
        return None  # "the two countries", "both sides": a reference, not a figure
    if first.lower_ == "one" and end - start == 1 and category in ("count", "other"):
        return None  # "one of the", "one side": not a figure anyone claims
    if category == "duration" and unit is None:
        category = "count"
    # Hedge words before the number; "between" makes a range.
    qhedge, bound, hstart = _hedge_before(text, first.idx, lex)
    span_start = min(first.idx, hstart)
    if prev is not None and prev.lower_ == "between":
        span_start = prev.idx
    if bound == "low":
        high = None if low == high else high
    elif bound == "high":
        low = None if low == high else low
    if bound == "low" and low == value and high == value:
        high = None
    span_end = last.idx + len(last.text)
    if counted is not None and counted.i >= end and counted.i - end <= 4:
        span_end = counted.idx + len(counted.text)
    original = text[span_start:last.idx + len(last.text)]
    claimant, claimant_id, vhedge = attribute(doc, head, first, actors, quote_spans, direct, starts, lex, outlet)
    predicate = pred.text.lower() if pred is not None else None
    side = _side(counted, head, actors)
    if side is None and counted is not None and any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our")
                                                    for c in counted.children):
        # "Cambodia's defence ministry said three of its soldiers died": the claimant's own side
        ent = actors.find(claimant)
        if ent is not None and ent.country:
            side = actors.countries.demonym.get(ent.country)
    return Claim(
        id=stable_id(article.id, "claim", span_start, span_end),
        article_id=article.id,
        value=value,
        low=low,
        high=high,
        original=original,
        category=category,
        counted=(unit or counted.text.lower()) if counted is not None else None,
        predicate=predicate,
        side=side,
        claimant=claimant,
        claimant_actor_id=claimant_id,
        hedge=vhedge or qhedge,
        start=span_start,
        end=span_end,
    )


def attribute(doc: Doc, head: Token, first: Token, actors: ActorIndex, quote_spans, direct, starts, lex: Lexicon,
              outlet: str) -> tuple[str, str | None, str | None]:
    """Who says a figure (claimant, its actor id, the reporting hedge): the speaker of the direct quote it sits in,
    the subject of a reporting verb above ``head``, "according to X", else the outlet."""
    claimant, claimant_id, vhedge = None, None, None
    k = bisect.bisect_right(starts, first.idx) - 1
    if k >= 0 and direct[k][0] <= first.idx < direct[k][1] and direct[k][2].speaker:
        q = direct[k][2]
        claimant, claimant_id = q.speaker, q.speaker_actor_id
    if claimant is None:
        att, vhedge = _reporter(head, actors, quote_spans, lex)
        if att is not None:
            claimant, claimant_id = att.speaker, actors.id_of(att.ent)
    sent = sent_at(doc, first.i)
    if claimant is None:
        att = according_to(sent, actors, quote_spans)
        if att is not None:
            claimant, claimant_id, vhedge = att.speaker, actors.id_of(att.ent), "reported"
    low_sent = sent.text.lower()
    if vhedge is None:
        if "reportedly" in low_sent or re.search(r"\breports?\b", low_sent):
            vhedge = "reported"
        elif "allegedly" in low_sent or "alleged" in low_sent:
            vhedge = "alleged"
    if claimant is None:
        claimant = outlet
    return claimant, claimant_id, vhedge


def _duration(doc: Doc, tok: Token, article: Article, actors: ActorIndex, quote_spans, lex: Lexicon, outlet: str) -> Claim | None:
    """"lasted two days", "after four days of talks": a DATE entity that is a length of time."""
    ent = ent_at(doc, tok.i)
    if ent is None or tok.i != ent.start and doc[ent.start].lower_ not in ("about", "around", "nearly", "almost", "more", "over", "at", "some", "roughly", "up", "only", "just"):
        return None
    m = _DURATION.match(ent.text)
    if not m:
        return None
    value = parse_number(m.group("num"))
    if value is None:
        v = lex.vague_quantities.get(m.group("num").lower())
        if not v:
            return None
        value = v[0]
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if before in _NOT_DURATION_BEFORE or after in _NOT_DURATION_AFTER or before in _DEFINITE:
        return None
    unit = lex.units.get(m.group("unit").lower(), m.group("unit").lower())
    root = ent.root
    pred = root.head if root.head.pos_ == "VERB" else None
    hedge = m.group("hedge")
    low, high = value, value
    if hedge in ("more than", "over", "at least"):
        high = None
    att, vhedge = _reporter(root, actors, quote_spans, lex)
    return Claim(
        id=stable_id(article.id, "claim", ent.start_char, ent.end_char),
        article_id=article.id,
        value=value,
        low=low,
        high=high,
        original=ent.text,
        category="duration",
        counted=unit,
        predicate=pred.text.lower() if pred is not None else None,
        side=None,
        claimant=att.speaker if att else outlet,
        claimant_actor_id=actors.id_of(att.ent) if att else None,
        hedge=vhedge or ({"more than": "over", "over": "over", "at least": "at least"}.get(hedge or "", "about" if hedge else None)),
        start=ent.start_char,
        end=ent.end_char,
    )
