"""Cue patterns for agreements: event types, statuses, terms, conditions, mediators.

General English patterns of ceasefire reporting, tuned together against
tests/test_agree_*.py; none is keyed to a particular article, name or place.
"""

from __future__ import annotations

import re

# Event types (taxonomy keys of trucewatch.analyze.taxonomy) this stage reads. Unknown keys are
# ignored, so a taxonomy that lacks one of these simply yields fewer records.
AGREEMENT_TYPES = frozenset({"agreement", "ceasefire", "truce", "peace_agreement", "peace_deal"})
TALKS_TYPES = frozenset({"talks", "negotiations", "meeting", "mediation"})
VIOLATING_TYPES = frozenset({
    "armed_clash", "clash", "airstrike", "air_strike", "drone_strike", "shelling", "artillery",
    "cross_border_fire", "attack_on_posts", "attack", "ground_attack", "explosion", "mortar_fire",
    "bombing", "raid", "incursion", "remote_violence",
})
_VIOLENT_WORDS = re.compile(r"clash|strike|shell|attack|fire|bomb|mortar|artillery|raid|incursion|explo|ambush|fight|kill|shoot|murder|homicid")


def is_violating(event_type: str | None) -> bool:
    """Whether an incident of this type can breach a ceasefire (armed clash, airstrike, shelling ...)."""
    if not event_type:
        return False
    t = event_type.lower().replace("-", "_").replace(" ", "_")
    if t in VIOLATING_TYPES:
        return True
    if t.startswith(("border_", "ceasefire", "truce")) or "accus" in t or "deni" in t or "threat" in t:
        return False
    return bool(_VIOLENT_WORDS.search(t))


ACCUSATION_TYPES = frozenset({"accusation", "blame"})
DENIAL_TYPES = frozenset({"denial"})

# Status words as written (analysis ``EventMention.status`` or the sentence) -> our status.
_STATUS_WORDS = (
    ("collapsed", r"collaps\w*|broke(?:n)? down|breakdown|fell apart|in tatters|torn up|scrapped|abandon\w*|(?:has|had) ended|is over|dead"),
    ("talks suspended", r"suspend\w*|stall\w*|postponed|called off|walked out|pull\w* out of (?:the )?talks"),
    ("strained", r"strain\w*|fragile|shaky|tested|under pressure|violat\w*|breach\w*|teeter\w*|faltering|at risk|in jeopardy"),
    ("in force", r"hold\w*|in force|in effect|in place|took effect|takes? effect|came into force|effective|respected|observed|intact|remains"),
    ("agreed", r"agreed|agree|sign\w*|reached|struck|concluded|brokered|sealed|accepted|announced|declared"),
)
STATUSES = ("agreed", "in force", "strained", "talks suspended", "collapsed")
_STATUS_RE = [(label, re.compile(rf"\b(?:{pat})\b", re.I)) for label, pat in _STATUS_WORDS]


def normalize_status(word: str | None) -> str | None:
    """Our status label for a status word (``holds`` -> ``in force``); None when it is not one."""
    if not word:
        return None
    w = word.strip().lower().replace("_", " ")
    if w in STATUSES:
        return w
    for label, rx in _STATUS_RE:
        if rx.search(w):
            return label
    return None


_AGREEMENT_NOUN = r"(?:ceasefire|cease-fire|truce|agreement|deal|accord|armistice)"
# "the ceasefire has collapsed", "the truce is holding", "the deal remains in force"
_STATUS_NEAR = re.compile(
    rf"\b{_AGREEMENT_NOUN}\b[^.;:!?]{{0,100}}?\b(?P<word>(?:has |had |have )?(?:already |now |effectively )?"
    r"(?:collaps\w*|broken down|broke down|fell apart|unravell?ed|in tatters|"
    r"(?:is |was |remains? |still |largely |broadly |technically |has been |have been |had been )*(?:holding|holds|held|in force|in effect|in place|intact)|"
    r"came into force|(?:is |was |looks? |remains? )?(?:fragile|shaky|under strain|strained|at risk|in jeopardy)))\b(?!\s+only\b)",
    re.I,
)
# A status inside a negation, a condition or hearsay is not the outlet's report of the status.
_STATUS_NEGATED = re.compile(
    r"\b(?:not|no|never|n't|mistake\w*|wrong|denied|deny|rather than|instead of|if|unless|whether|while|until|once|"
    r"as long as|so long as|would|could|might|may|should)\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"\b(?:as|after|because|when|while|since|but|which|following|amid|before)\b|[,(]\s*(?:and|but)\b", re.I)
_NEAR_COLLAPSE = re.compile(r"\b(?:edge|verge|brink|risk|danger|threat|point)\s+of\s*$|\bnear\s*$", re.I)
_HEARSAY = re.compile(r"\b(?:some|other|earlier|several|unconfirmed)\s+reports?\b|\brumou?rs?\b|\bclaims? that\b|\bfears? that\b", re.I)


def status_in_sentence(sentence: str) -> tuple[str, int, int] | None:
    """(status, start, end) of a status report about an agreement in ``sentence`` ("the truce has
    collapsed", "the ceasefire is still holding"), if any; negations, conditions ("holds only if")
    and hearsay ("some reports said ...") are not reports."""
    if _HEARSAY.search(sentence):
        return None
    for m in _STATUS_NEAR.finditer(sentence):
        between = sentence[m.start():m.start("word")]
        if _STATUS_NEGATED.search(between) or _STATUS_NEGATED.search(sentence[max(0, m.start() - 25):m.start()]):
            continue
        if _CLAUSE_BREAK.search(between):  # "ceasefire at risk as peace efforts collapse": another subject
            continue
        label = normalize_status(m.group("word"))
        if label == "collapsed" and _NEAR_COLLAPSE.search(between):
            label = "strained"  # "on the edge of collapse"
        if label and label != "agreed":
            return label, m.start(), m.end()
    return None


_SIGNING = re.compile(r"\b(?:signed|sign|agreed|agree|reached|struck|concluded|brokered|sealed|inked)\b", re.I)
_NOT_SIGNED = re.compile(
    r"\b(?:without|fail\w*\s+to|no|not|never|n't|refus\w*\s+to|unable\s+to|yet\s+to)\b[^.;]{0,40}?"
    r"\b(?:sign\w*|agree\w*|reach\w*|deal|conclude\w*)\b",
    re.I,
)


def is_signing(sentence: str) -> bool:
    """Whether the sentence says an agreement was made (signed, agreed, reached, brokered ...), not that it failed."""
    return bool(_SIGNING.search(sentence)) and not _NOT_SIGNED.search(sentence)


_TALKS_OFF = re.compile(
    r"\b(?:talks|negotiations|dialogue|discussions)\b[^.;:!?]{0,60}?\b(?:(?:were|was|have been|has been|are|is)\s+)?"
    r"(?:suspended|stalled|postponed|called off|broke down|broken down|collapsed|deadlocked|"
    r"(?:reached|hit|entered) (?:a |an )?(?:deadlock|standstill|impasse|indefinite pause)|are over|ended without)\b",
    re.I,
)


_BACKGROUND = re.compile(r"\b(?:after|since|before|following|when|until|earlier|previous|first|last)\b[^.;]*$", re.I)


def talks_suspended(sentence: str) -> bool:
    """Whether the sentence reports talks breaking off ("the talks have been suspended", "talks are over")."""
    if _HEARSAY.search(sentence) or is_signing(sentence):  # "signed ... after talks ended without a deal"
        return False
    m = _TALKS_OFF.search(sentence)
    if not m or _STATUS_NEGATED.search(sentence[m.start():m.end()]):
        return False
    # "after / since the first round of talks broke down": background, not news.
    return not _BACKGROUND.search(sentence[max(0, m.start() - 40):m.start()])


_PAST_PERFECT = re.compile(r"\bhad\s+(?:been\s+|already\s+|long\s+)?[a-z]+(?:ed|en|ne|wn|ck|ht|un)\b", re.I)
_REPORTED = re.compile(r"\b(?:said|says|saying|told|telling|announced|stated|claimed|confirmed|added)\b[^.;]{0,40}$", re.I)


def is_background(sentence: str) -> bool:
    """Whether an undated sentence tells of an earlier agreement ("the deal, signed between X and Y,
    had included ..."): past perfect that is not reported speech ("said that X and Y had agreed")."""
    for m in _PAST_PERFECT.finditer(sentence):
        if not _REPORTED.search(sentence[: m.start()]):
            return True
    return False


def agreement_kind(text: str, talks: bool = False) -> str:
    """ceasefire | truce | peace agreement | agreement | talks outcome, from the words used."""
    t = text.lower()
    if "ceasefire" in t or "cease-fire" in t or "cease fire" in t:
        return "ceasefire"
    if "truce" in t or "armistice" in t:
        return "truce"
    if re.search(r"\bpeace (?:deal|agreement|accord|treaty)\b", t):
        return "peace agreement"
    return "talks outcome" if talks else "agreement"


# ---------------------------------------------------------------------------- terms

#: (label, pattern): a sentence matching the pattern states that term. Labels are what the ledger,
#: the brief and the export show; they are general ceasefire vocabulary.
TERM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pat, re.I))
    for label, pat in (
        ("maintain the ceasefire",
         r"\b(?:maintain|observe|respect|uphold|abide by|keep|honou?r)\w*\s+(?:to\s+)?(?:an?\s+|the\s+)?(?:full\s+|complete\s+|immediate\s+|comprehensive\s+|lasting\s+)?(?:ceasefire|cease-fire|truce)"
         r"|\b(?:an?\s+)?(?:immediate|full|complete|comprehensive|unconditional)\s+(?:ceasefire|cease-fire|truce)\b"),
        ("joint monitoring and verification mechanism",
         r"\b(?:monitor\w*|verif\w*)\b[^.;]{0,40}\b(?:mechanism|commission|committee|team|body|group)\b"
         r"|\b(?:set up|setting up|establish\w*|creat\w*|form\w*)\b[^.;]{0,60}\b(?:mechanism|commission|committee)\b"),
        ("penalties for the side that violates it",
         r"\bpenalt(?:y|ies)\b|\bpenali[sz]\w*|\bsanctions? (?:on|against) (?:the|whichever|any) (?:side|party)"),
        ("no use of territory for attacks on the other side",
         r"\b(?:not|no|neither|never|nor)\b[^.;]{0,60}\b(?:allow|permit|let|used?)\w*\b[^.;]{0,80}\b(?:territory|territories|soil)\b"
         r"|\b(?:territory|soil)\b[^.;]{0,40}\b(?:not|never)\b[^.;]{0,20}\bbe used\b"),
        ("withdraw forces from the front line",
         r"\b(?:withdraw|pull back|pull out)\w*\b[^.;]{0,30}\b(?:troops|forces|heavy weapons|artillery|units)\b"),
        ("exchange or release prisoners",
         r"\b(?:exchange|release|swap)\w*\b[^.;]{0,20}\b(?:prisoners|detainees|captives|bodies|soldiers)\b"),
        ("reopen border crossings",
         r"\breopen\w*\b[^.;]{0,40}\b(?:crossings?|border|borders|checkpoints?)\b"),
        ("humanitarian access",
         r"\bhumanitarian (?:access|corridors?|aid)\b"),
        ("keep lines of communication open",
         r"\b(?:hotline|telephone lines?|communication channels?|lines of communication)\b"),
    )
)

# A term is only read from a sentence that is about the agreement's content.
TERM_CONTEXT = re.compile(
    r"\b(?:agreed|agree|agreement|deal|accord|text|terms?|clause|under|committed|commit|pledged|will|must|shall|sign\w*)\b",
    re.I,
)
# "agreed to:" introducing a list of terms on the following lines.
TERM_LIST_INTRO = re.compile(r"\b(?:agreed|agree|commit\w*|pledged|undertook|terms?)\b[^.]{0,40}(?:to|are|include|following)?\s*:\s*$", re.I)
LIST_ITEM = re.compile(r"\s*(?:[-•*–·▪]|\d+[.)]|\(?[a-z]\)|[a-z])")
# Generic "agreed to <clause>" when no known category matches.
# A generic clause is a term when it is an action of 4 to 25 words, not signing, talking or
# the agreement itself ("keep direct telephone lines open", not "sign this time" or "the deal").
GENERIC_TERM = re.compile(
    r"(?!(?:sign|talk|meet|return|continue|resume|the|a|an|it|this|that|its|their|act as)\b)[a-z]+\b(?:\s+\S+){3,24}$"
)
AGREED_TO = re.compile(r"\b(?:agreed|committed|pledged)\s+(?:on\s+\w+\s+)?to\s+(?P<clause>[^:;]{8,200})", re.I)

# ---------------------------------------------------------------------------- conditions

CONDITION_CUES = re.compile(
    r"\b(?:(?:will|would|can|could)\s+)?(?:holds?|hold|last|survive|stand|stands)\s+only\s+(?:if|when|as long as|for as long as|so long as)\b"
    r"|\bonly\s+(?:for\s+)?(?:as|so)\s+long\s+as\b"
    r"|\bon (?:the )?condition that\b|\bprovided that\b|\bconditional on\b|\bconditioned on\b"
    r"|\brefus\w*\s+to\s+(?:sign|accept|agree|commit)\b(?!\s+(?:at|in|on|during|after|before|when|until)\b)|\b(?:will|would)\s+not\s+(?:sign|accept|put its name)\b"
    r"|\bdemand\w*\s+(?:that|a|an|the)\b|\binsist\w*\s+on\b",
    re.I,
)
# Where a condition clause ends: a closing quote, or ", X said" / ", he told reporters".
CONDITION_END = re.compile(
    r"[\"”]|,\s+(?:\w+\s+){0,5}?(?:said|says|told|added|warned|according)\b|;|\s+—\s+"
    r"|,\s+(?:and|but|because|when|after|while|which|since)\b|\s+because\b"
)

# ---------------------------------------------------------------------------- mediators

MEDIATOR_CUES = re.compile(
    r"\b(?:mediat\w*|guarant\w*|hosted|hosts|host|chaired|chairs|facilitat\w*|brokered|broker|witness\w*|sponsor\w*|convened)\b",
    re.I,
)
# Where the phrase naming a mediator ends ("hosted by Brazil and Chile, after ...").
PHRASE_END = re.compile(
    r"[,;:.()]|\s[-–—]\s|\b(?:after|before|on|in|at|to|that|which|who|when|as|said|says|with|for|since|while|but|would|will|had|has|was|were|is)\b"
)

# ---------------------------------------------------------------------------- accusations

ACCUSE = re.compile(r"\b(?:accus\w*|blam\w*|charg\w* that|alleg\w*)\b", re.I)
DENY = re.compile(r"\b(?:den(?:y|ies|ied|ial)|rejected the (?:charge|accusation|claim)|dismissed the (?:charge|accusation|claim)|refuted)\b", re.I)
SPEECH = re.compile(r"\b(?:said|says|told|claimed|claims|alleged|alleges|reported|stated|announced)\b", re.I)
# "(fired) from the Cambodian side / positions / territory": the side an attack came from.
FROM_SIDE_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
FROM_SIDE_AFTER = re.compile(r"(?:'s)?\s+(?:side|positions?|territory|soil|troops|forces|army|units|guns|artillery|lines?|posts?)\b", re.I)
