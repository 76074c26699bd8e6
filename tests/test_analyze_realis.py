"""Realis and role of event mentions (analyze/realis.py), on sentences of our own."""

from __future__ import annotations

import pytest

from analyze_helpers import article, resources

from trucewatch.analyze import analyze_article


def _mention(text: str, type_: str, published: str = "2025-11-09"):
    evs = [e for e in analyze_article(article(text, published=published), resources()).events if e.type == type_]
    assert evs, [(e.type, e.trigger) for e in analyze_article(article(text), resources()).events]
    return evs[0]


@pytest.mark.parametrize(
    "text, type_, realis",
    [
        ("Militants attacked a police post near the river crossing on Friday.", "attack", "actual"),
        ("Mediators met amid weeks of escalating cross-border attacks.", "attack", "generic"),
        ("Both delegations spoke of fears of renewed clashes along the frontier.", "armed_clash", "generic"),
        ("The envoys pressed for a lasting ceasefire between the two armies.", "ceasefire", "hypothetical"),
        ("Aid groups renewed their calls for talks between the rival factions.", "talks", "hypothetical"),
        ("No talks were held during the holiday week.", "talks", "negated"),
        # wording that sounds generic is still actual when the mention is anchored (its own day)
        ("Escalating attacks on Friday killed two herders near the dam.", "attack", "actual"),
    ],
    ids=["actual", "generic-amod", "generic-fears-of", "hoped-lasting", "demanded-calls-for", "negated", "anchored"],
)
def test_realis(text, type_, realis):
    assert _mention(text, type_).realis == realis


def test_roles_teaser_caption_history():
    assert _mention("Related: Gunmen attack a bus depot in the north", "attack").role == "teaser"
    assert _mention("Photo: Police at the scene where a man was shot on Friday.", "shooting").role == "caption"
    old = _mention("The town was shelled on 3 March 2025, residents recalled.", "shelling", published="2025-11-09")
    assert old.role == "history"
    assert _mention("The town was shelled on Saturday.", "shelling").role == "news"


def test_only_actual_mentions_make_incidents():
    from trucewatch.fuse import fuse

    text = ("Mediators met amid weeks of escalating cross-border attacks. "
            "The envoys pressed for a lasting ceasefire between the two armies.")
    a = article(text)
    f = fuse([a], [analyze_article(a, resources())])
    assert not f.incidents
