"""A dispute's claimants name articles a reader can recognise: the outlet, or the source file and first words."""

from __future__ import annotations

import dataclasses
import re

from fuse_scenario import scenario

from trucewatch.fuse import fuse
from trucewatch.records import lead_words, source_label, source_name


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
