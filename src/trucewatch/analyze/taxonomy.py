"""The event taxonomy: types aligned with PLOVER and ACLED, and the trigger lexicon behind them.

Each :class:`EventType` names its PLOVER event category and its ACLED event
type / sub-event type (``None`` where ACLED records no event, e.g. talks), says
whether it is *violent* (the types that can violate a ceasefire), and lists the
lemmas that trigger it:

* ``verbs``: verb lemmas ("shell", "clash");
* ``nouns``: noun lemmas ("airstrike", "ceasefire");
* ``phrases``: multi-word lemma sequences ("air strike", "open fire",
  "exchange fire") matched on consecutive tokens;
* ``needs_context``: the trigger only counts when the sentence also has a
  military word (see :data:`MILITARY_CONTEXT`), to keep "strike" in sport and
  "fire" in a kitchen out.

Extend it in code with :func:`register` or with a YAML file
(:func:`load_extension`, format in docs/events.md). ``TAXONOMY`` maps key ->
EventType; :func:`lexicon` builds the lookup tables :mod:`.events` uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from ..errors import ConfigError

__all__ = [
    "EventType",
    "Lexicon",
    "MILITARY_CONTEXT",
    "STATUS_TYPES",
    "TAXONOMY",
    "VIOLENT_TYPES",
    "lexicon",
    "load_extension",
    "register",
    "user_taxonomy",
    "violence_overrides",
]


@dataclass(frozen=True, slots=True)
class EventType:
    key: str
    label: str
    plover: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    violent: bool
    verbs: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    needs_context: frozenset[str] = frozenset()  # lemmas (of verbs/nouns above) that need a military word nearby
    description: str = ""


def _t(key: str, label: str, plover: str, acled: str | None, sub: str | None, violent: bool, *, verbs: str = "",
       nouns: str = "", phrases: Iterable[str] = (), context: str = "", description: str = "") -> EventType:
    return EventType(key, label, plover, acled, sub, violent, frozenset(verbs.split()), frozenset(nouns.split()),
                     tuple(tuple(p.split()) for p in phrases), frozenset(context.split()), description)


_BATTLES, _REMOTE, _STRATEGIC, _PROTESTS = "Battles", "Explosions/Remote violence", "Strategic developments", "Protests"

#: The built-in taxonomy. Keys are stable: fusion, agreements and exports use them.
TAXONOMY: dict[str, EventType] = {t.key: t for t in (
    _t("talks", "talks / negotiations", "CONSULT", None, None, False,
       verbs="negotiate", nouns="talks negotiation dialogue mediation summit parley",
       phrases=["peace process", "round of talks", "hold talks", "peace talks", "peace conference"],
       description="Meetings, rounds of negotiation, mediation between parties."),
    _t("ceasefire", "agreement / ceasefire", "AGREE", _STRATEGIC, "Agreement", False,
       verbs="", nouns="ceasefire truce armistice accord agreement deal pact cessation",
       phrases=["cease fire", "cease - fire", "peace deal", "peace agreement", "peace accord", "cessation of hostilities",
                "strike deal", "strike agreement"],
       description="A ceasefire, truce or other agreement between parties, and its status over time."),
    _t("armed_clash", "armed clash", "FIGHT", _BATTLES, "Armed clash", True,
       verbs="clash fight skirmish battle", nouns="clash fighting skirmish battle firefight gunfight hostility combat",
       phrases=["exchange fire", "exchange of fire", "trade fire", "open fire", "return fire", "gun battle", "exchange gunfire",
                "exchange of gunfire", "border exchange", "armed confrontation", "military confrontation"],
       context="fight fighting battle",
       description="Armed groups fighting each other, exchanges of fire."),
    _t("airstrike", "airstrike / drone strike", "FIGHT", _REMOTE, "Air/drone strike", True,
       verbs="airstrike bomb strike", nouns="airstrike strike sortie",
       phrases=["air strike", "air raid", "drone strike", "drone attack", "aerial attack", "aerial bombardment",
                "missile strike", "air attack", "precision strike"],
       context="strike raid bomb",
       description="Attacks from the air: aircraft, drones, missiles on targets."),
    _t("explosion", "explosion / IED", "ASSAULT", _REMOTE, "Remote explosive/landmine/IED", True,
       verbs="explode detonate blast", nouns="explosion blast ied landmine bombing detonation bomb",
       phrases=["suicide bombing", "suicide attack", "car bomb", "roadside bomb", "improvised explosive device"],
       description="Bombs, IEDs, landmines and unexplained explosions."),
    _t("shelling", "shelling / artillery", "FIGHT", _REMOTE, "Shelling/artillery/missile attack", True,
       verbs="shell bombard", nouns="shelling barrage bombardment",
       phrases=["artillery fire", "mortar fire", "rocket fire", "artillery duel", "rocket attack", "mortar attack",
                "artillery attack", "artillery strike", "artillery exchange", "artillery shell", "mortar shell",
                "mortar round", "artillery barrage"],
       description="Artillery, mortar and rocket fire."),
    _t("attack", "attack (on posts, positions, convoys)", "ASSAULT", _BATTLES, "Armed clash", True,
       verbs="attack assault ambush storm raid overrun", nouns="attack assault ambush offensive incursion raid",
       context="attack assault raid storm",
       description="A side attacks posts, positions, checkpoints or convoys of another."),
    _t("shooting", "shooting / gun attack", "ASSAULT", "Violence against civilians", "Attack", True,
       verbs="shoot gun", nouns="shooting shootout gunshot",
       phrases=["drive - by shooting", "drive - by", "shoot dead", "shot dead", "gun down", "gun attack", "mass shooting"],
       description="Someone shoots at people: a gunman, a drive-by, a shooting outside a war (with a border or "
                   "armed-forces cue in the sentence it is read as cross-border fire or an armed clash)."),
    _t("killing", "killing / homicide", "ASSAULT", "Violence against civilians", "Attack", True,
       verbs="murder slay stab strangle", nouns="killing murder homicide slaying stabbing massacre manslaughter",
       description="A person or people killed on purpose outside a battle: murder, homicide, a stabbing, a massacre."),
    _t("cross_border_fire", "cross-border fire", "FIGHT", _BATTLES, "Armed clash", True,
       verbs="fire", nouns="fire gunfire firing shooting",
       phrases=["cross - border fire", "cross - border firing", "cross - border exchange",
                "cross - border gunfire", "fire across the border", "fire across the frontier"],
       context="fire firing shooting",
       description="Fire across a border or frontier (a fire/exchange trigger with a border cue)."),
    _t("border_closure", "border closure", "RESTRICT", _STRATEGIC, "Other", False,
       verbs="close shut seal", nouns="closure shutdown",
       description="A border, crossing or checkpoint is closed."),
    _t("border_reopening", "border reopening", "EASE", _STRATEGIC, "Other", False,
       verbs="reopen open", nouns="reopening",
       description="A border, crossing or checkpoint is reopened."),
    _t("threat", "threat / warning", "THREATEN", None, None, False,
       verbs="threaten warn vow", nouns="threat warning ultimatum",
       description="A party threatens or warns another (retaliation, consequences)."),
    _t("accusation", "accusation", "ACCUSE", None, None, False,
       verbs="accuse blame allege", nouns="accusation allegation blame",
       phrases=["hold responsible"],
       description="A party accuses another of an act."),
    _t("denial", "denial", "REJECT", None, None, False,
       verbs="deny reject dismiss refute", nouns="denial",
       description="A party denies an act or an accusation (reject/dismiss only with an accusation, claim or report as object)."),
    _t("displacement", "displacement / flight", "DISPLACE", None, None, False,
       verbs="flee displace evacuate uproot", nouns="displacement evacuation exodus",
       description="People flee or are evacuated or displaced."),
    _t("deportation", "deportation / repatriation", "DISPLACE", None, None, False,
       verbs="deport repatriate expel", nouns="deportation repatriation expulsion",
       phrases=["send back", "forcibly return", "forced return"],
       description="People are deported, expelled or repatriated."),
    _t("protest", "protest", "PROTEST", _PROTESTS, "Peaceful protest", False,
       verbs="protest march", nouns="protest demonstration rally sit-in march",
       description="Demonstrations and rallies."),
    _t("arrest", "arrest / detention", "ARREST", _STRATEGIC, "Arrests", False,
       verbs="arrest detain abduct kidnap apprehend", nouns="arrest detention abduction kidnapping",
       description="People arrested, detained or abducted."),
    _t("statement", "statement", "STATEMENT", None, None, False,
       nouns="statement communique communiqué declaration announcement", phrases=["press conference", "press briefing"],
       description="A formal statement, declaration or press conference."),
)}

#: Types whose mentions carry a ``status`` (agreed, holds, collapsed ...).
STATUS_TYPES = frozenset({"talks", "ceasefire"})
#: Types that can violate a ceasefire (issue 7).
VIOLENT_TYPES = frozenset(k for k, t in TAXONOMY.items() if t.violent)

#: Words that make "strike", "fire", "raid" ... military rather than sport, work or kitchen.
MILITARY_CONTEXT = frozenset("""
army military troops soldier force forces militant militia fighter insurgent rebel jet aircraft warplane drone
helicopter missile rocket artillery mortar shell gun rifle weapon border frontier post position base checkpoint
outpost camp hideout bunker airstrike air navy police guard taliban convoy target territory sovereignty attack
bomb casualty wound kill killed dead toll retaliation retaliate retaliatory ceasefire truce hostility enemy
troop troops combatant sniper tank battalion brigade regiment platoon paramilitary gunman gunmen gunfire
""".split())


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Lookup tables derived from a taxonomy: lemma -> type keys, by part of speech."""

    verbs: Mapping[str, tuple[str, ...]]
    nouns: Mapping[str, tuple[str, ...]]
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]  # first lemma -> ((lemmas...), key)
    needs_context: Mapping[str, frozenset[str]] = field(default_factory=dict)  # key -> lemmas


def lexicon(taxonomy: Mapping[str, EventType] | None = None) -> Lexicon:
    """Build the trigger lookup tables of ``taxonomy`` (default :data:`TAXONOMY`)."""
    taxonomy = TAXONOMY if taxonomy is None else taxonomy
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for key, t in taxonomy.items():
        for v in t.verbs:
            verbs.setdefault(v, []).append(key)
        for n in t.nouns:
            nouns.setdefault(n, []).append(key)
        for p in t.phrases:
            phrases.setdefault(p[0], []).append((p, key))
    return Lexicon(
        {k: tuple(v) for k, v in verbs.items()},
        {k: tuple(v) for k, v in nouns.items()},
        {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in phrases.items()},
        {k: t.needs_context for k, t in taxonomy.items()},
    )


def register(taxonomy: dict[str, EventType], event_type: EventType) -> dict[str, EventType]:
    """A copy of ``taxonomy`` with ``event_type`` added, or merged into the type with the same key."""
    out = dict(taxonomy)
    old = out.get(event_type.key)
    if old is not None:
        event_type = replace(old, verbs=old.verbs | event_type.verbs, nouns=old.nouns | event_type.nouns,
                             phrases=old.phrases + event_type.phrases)
    out[event_type.key] = event_type
    return out


def load_extension(path: str | Path, taxonomy: Mapping[str, EventType] | None = None) -> dict[str, EventType]:
    """``taxonomy`` extended by a YAML file of types/triggers (format in docs/events.md); ConfigError when bad."""
    out = dict(TAXONOMY if taxonomy is None else taxonomy)
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"Cannot read the event taxonomy file {p} ({e.strerror}).") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"The event taxonomy file {p} is not valid YAML ({e}).") from None
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        raise ConfigError(f"The event taxonomy file {p} needs a 'types:' mapping of key -> type; see docs/events.md.")
    for key, spec in types.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"Event type {key!r} in {p} must be a mapping with label, verbs, nouns or phrases.")
        base = out.get(key)
        if base is None and not spec.get("label"):
            raise ConfigError(f"New event type {key!r} in {p} needs a 'label'.")
        et = _t(str(key), spec.get("label") or base.label, spec.get("plover") or (base.plover if base else "OTHER"),
                spec.get("acled_event_type", base.acled_event_type if base else None),
                spec.get("acled_sub_event_type", base.acled_sub_event_type if base else None),
                bool(spec.get("violent", base.violent if base else False)),
                verbs=" ".join(spec.get("verbs") or ()), nouns=" ".join(spec.get("nouns") or ()),
                phrases=spec.get("phrases") or (), context=" ".join(spec.get("needs_context") or ()))
        out = register(out, et)
    return out


def user_taxonomy(events_file: str) -> dict[str, EventType] | None:
    """The built-in taxonomy extended by the ``events_file`` setting, or None when it is unset."""
    return load_extension(Path(events_file).expanduser()) if events_file else None


def violence_overrides(taxonomy: Mapping[str, EventType] | None) -> dict[str, bool]:
    """key -> violent, for the types of ``taxonomy`` that are new or whose ``violent`` flag differs from
    the built-in one (what the agreements stage needs to know of a user's taxonomy)."""
    if not taxonomy:
        return {}
    return {k: t.violent for k, t in taxonomy.items() if k not in TAXONOMY or TAXONOMY[k].violent != t.violent}
