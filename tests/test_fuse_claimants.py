"""A dispute's claimants name articles a reader can recognise: the outlet, or the source file and first words."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fuse_builders import ArticleBuilder, place
from fuse_scenario import scenario

from trucewatch.fuse import fuse
from trucewatch.labels import lead_words, source_label, source_name


def test_claimants_of_outlet_less_articles_are_their_files_and_first_words():
    articles, analyses, _ids = scenario()
    articles = [dataclasses.replace(a, outlet=None) for a in articles]
    f = fuse(articles, analyses)
    by_id = {a.id: a for a in articles}
    sides = [s for d in f.disputes if d.kind in ("date", "speaker", "status", "sequence") for s in d.sides]
    assert sides
    for s in sides:
        assert not re.search(r"\b[0-9a-f]{16}\b", s.claimant), s.claimant  # no hex article id
        for aid in s.article_ids:
            a = by_id[aid]
            assert f"{a.source_path}: “{' '.join(a.text.split()[:6])}" in s.claimant, (s.claimant, a.source_path)


def test_source_label_and_name():
    text = "Six soldiers died when shells landed on the ridge at dawn."
    assert source_label("River Times", None, "x.txt", text) == "River Times"
    assert source_label(None, None, "notes/field report.txt", text) == "field report.txt: “Six soldiers died when shells landed …”"
    assert source_label(None, None, None, text) == "“Six soldiers died when shells landed …”"
    assert source_label(None, "https://www.example.org/a", None, text).startswith("example.org: ")
    assert source_name(None, "javascript:alert(1)", "-") is None
    assert source_name(None, None, "feeds/wire.jsonl#3") == "wire.jsonl"
    assert lead_words("Short one.", None) == "Short one." and lead_words("", None) == "(empty article)"
    assert lead_words(text, "  A  title ") == "A title"


@pytest.mark.parametrize("claims, high", [
    ([("At least ten soldiers", 10, "at least")], None),
    ([("At least ten soldiers", 10, "at least"), ("eight soldiers", 8, None)], None),
    ([("At least ten soldiers", 10, "at least"), ("Twelve soldiers", 12, None)], 12),
    ([("ten soldiers", 10, None)], 10),
])
def test_an_open_ended_figure_gives_the_estimate_no_high(claims, high):
    pairs = []
    for n, (words, value, hedge) in enumerate(claims):
        b = ArticleBuilder(f"k{n}", f"Outlet {n}", "2025-05-02",
                           f"{words} were killed in fighting at Dorn on Thursday, officials said in report {n}.")
        b.claim(words, value, claimant=f"official {n}", hedge=hedge,
                event=b.event("armed_clash", "fighting", places=[place("Dorn", "XV")]))
        pairs.append(b.build())
    f = fuse([p[0] for p in pairs], [p[1] for p in pairs])
    [est] = f.incidents[0].casualties
    assert est.high == high and est.low == min(v for _, v, _ in claims)
    [total] = f.incidents[0].totals
    assert total.high == high  # the incident's figure agrees
