"""trucewatch event types -> ACLED event types and sub-event types, and ACLED's precision codes.

The table below is the documented mapping used by the CSV export (docs/reports.md
prints it). Keys are taxonomy keys of :mod:`trucewatch.analyze.taxonomy`; the
report stage keeps its own copy because stages do not import each other, and a
test checks that the two agree wherever the taxonomy states an ACLED mapping.

ACLED (Armed Conflict Location & Event Data) codes events as one of six event
types, each with sub-event types; statements, accusations and talks that did
not produce an agreement are not events in ACLED's sense and are exported as
"Strategic developments / Other" so that nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["ACLED_TYPES", "acled_type", "geo_precision", "time_precision"]

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

#: taxonomy key -> (ACLED event_type, ACLED sub_event_type)
ACLED_TYPES: dict[str, tuple[str, str]] = {
    # fighting between organised armed groups or forces
    "armed_clash": (BATTLES, "Armed clash"),
    "clash": (BATTLES, "Armed clash"),
    "attack_on_posts": (BATTLES, "Armed clash"),
    "ground_attack": (BATTLES, "Armed clash"),
    "attack": (BATTLES, "Armed clash"),
    "incursion": (BATTLES, "Armed clash"),
    "raid": (BATTLES, "Armed clash"),
    "cross_border_fire": (BATTLES, "Armed clash"),
    "territory_captured": (BATTLES, "Non-state actor overtakes territory"),
    "territory_regained": (BATTLES, "Government regains territory"),
    # one-sided, remote violence
    "airstrike": (REMOTE, "Air/drone strike"),
    "air_strike": (REMOTE, "Air/drone strike"),
    "drone_strike": (REMOTE, "Air/drone strike"),
    "shelling": (REMOTE, "Shelling/artillery/missile attack"),
    "artillery": (REMOTE, "Shelling/artillery/missile attack"),
    "mortar_fire": (REMOTE, "Shelling/artillery/missile attack"),
    "missile_strike": (REMOTE, "Shelling/artillery/missile attack"),
    "rocket_attack": (REMOTE, "Shelling/artillery/missile attack"),
    "explosion": (REMOTE, "Remote explosive/landmine/IED"),
    "bombing": (REMOTE, "Remote explosive/landmine/IED"),
    "landmine": (REMOTE, "Remote explosive/landmine/IED"),
    "ied": (REMOTE, "Remote explosive/landmine/IED"),
    "suicide_bombing": (REMOTE, "Suicide bomb"),
    "grenade": (REMOTE, "Grenade"),
    # violence against civilians
    "attack_on_civilians": (VAC, "Attack"),
    "shooting": (VAC, "Attack"),
    "killing": (VAC, "Attack"),
    "abduction": (VAC, "Abduction/forced disappearance"),
    "kidnapping": (VAC, "Abduction/forced disappearance"),
    # protests and riots
    "protest": (PROTESTS, "Peaceful protest"),
    "riot": (RIOTS, "Violent demonstration"),
    "mob_violence": (RIOTS, "Mob violence"),
    # strategic developments
    "agreement": (STRATEGIC, "Agreement"),
    "ceasefire": (STRATEGIC, "Agreement"),
    "truce": (STRATEGIC, "Agreement"),
    "peace_agreement": (STRATEGIC, "Agreement"),
    "prisoner_exchange": (STRATEGIC, "Agreement"),
    "talks": (STRATEGIC, "Other"),
    "negotiations": (STRATEGIC, "Other"),
    "mediation": (STRATEGIC, "Other"),
    "meeting": (STRATEGIC, "Other"),
    "arrest": (STRATEGIC, "Arrests"),
    "detention": (STRATEGIC, "Arrests"),
    "looting": (STRATEGIC, "Looting/property destruction"),
    "property_destruction": (STRATEGIC, "Looting/property destruction"),
    "base_established": (STRATEGIC, "Headquarters or base established"),
    "weapons_seized": (STRATEGIC, "Disrupted weapons use"),
    "border_closure": (STRATEGIC, "Other"),
    "border_reopening": (STRATEGIC, "Other"),
    "deportation": (STRATEGIC, "Other"),
    "displacement": (STRATEGIC, "Other"),
    "repatriation": (STRATEGIC, "Other"),
    "deployment": (STRATEGIC, "Change to group/activity"),
    "threat": (STRATEGIC, "Other"),
    "warning": (STRATEGIC, "Other"),
    "accusation": (STRATEGIC, "Other"),
    "denial": (STRATEGIC, "Other"),
    "statement": (STRATEGIC, "Other"),
}

# For taxonomy keys not in the table (a user-extended taxonomy): the first matching word pattern wins.
_FALLBACK = (
    (re.compile(r"drone|air.?strike|bomber|jet"), (REMOTE, "Air/drone strike")),
    (re.compile(r"shell|artiller|mortar|missile|rocket"), (REMOTE, "Shelling/artillery/missile attack")),
    (re.compile(r"suicide"), (REMOTE, "Suicide bomb")),
    (re.compile(r"explo|bomb|mine|ied"), (REMOTE, "Remote explosive/landmine/IED")),
    (re.compile(r"civilian|massacre"), (VAC, "Attack")),
    (re.compile(r"clash|battle|fight|attack|ambush|firefight|assault|raid"), (BATTLES, "Armed clash")),
    (re.compile(r"protest|demonstrat|rally|march"), (PROTESTS, "Peaceful protest")),
    (re.compile(r"riot"), (RIOTS, "Violent demonstration")),
    (re.compile(r"agree|ceasefire|cease_fire|truce|accord|deal"), (STRATEGIC, "Agreement")),
    (re.compile(r"arrest|detain|detention"), (STRATEGIC, "Arrests")),
)


def _key(event_type: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (event_type or "").lower()).strip("_")


def acled_type(event_type: str | None, taxonomy: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(ACLED event_type, sub_event_type) for a trucewatch event type.

    ``taxonomy`` (a user's extended taxonomy, from the ``events_file`` setting) wins where it states an
    ACLED event type for the key.

    >>> acled_type("airstrike")
    ('Explosions/Remote violence', 'Air/drone strike')
    """
    stated = (taxonomy or {}).get(event_type or "")
    if stated is not None and stated.acled_event_type:
        return stated.acled_event_type, stated.acled_sub_event_type or "Other"
    key = _key(event_type)
    if key in ACLED_TYPES:
        return ACLED_TYPES[key]
    for rx, mapped in _FALLBACK:
        if rx.search(key):
            return mapped
    return (STRATEGIC, "Other")


def time_precision(precision: str | None, date_start: str | None = None, date_end: str | None = None) -> int:
    """ACLED time_precision: 1 = the day is known, 2 = within a week, 3 = within a month or less precise."""
    if precision == "day" or (precision is None and date_start and date_start == date_end):
        return 1
    if precision == "week":
        return 2
    if precision == "range" and date_start and date_end:
        from datetime import date

        try:
            days = (date.fromisoformat(date_end[:10]) - date.fromisoformat(date_start[:10])).days
        except ValueError:
            return 3
        return 1 if days == 0 else 2 if days <= 7 else 3
    return 3


# Gazetteer feature kinds by how precisely they pin a point (ACLED geo_precision 1/2/3).
_EXACT = {"city", "town", "village", "crossing", "border crossing", "hamlet", "locality", "site", "post", "base",
          "airport", "hospital", "camp", "neighborhood", "neighbourhood", "market", "bridge", "place"}
_NEAR = {"district", "admin2", "admin3", "county", "subdistrict", "area", "valley", "mountain", "pass", "river"}


def geo_precision(feature: str | None) -> int:
    """ACLED geo_precision: 1 = a named town or site, 2 = a district or the area around a place, 3 = a province or larger."""
    f = (feature or "").lower().replace("_", " ")
    if f in _EXACT:
        return 1
    if f in _NEAR:
        return 2
    return 3
