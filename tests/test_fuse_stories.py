"""Story titles: a headline when some article has one, else a title built from the story's incidents."""

from __future__ import annotations

import dataclasses

from fuse_builders import ArticleBuilder, place

from trucewatch.fuse.stories import stories, template_title
from trucewatch.records import Incident

KEL = dataclasses.replace(place("Kel Ridge", "XV"), country="Varenia")
TAVO = dataclasses.replace(place("Tavo", "XO"), country="Ostria")


def _art(key, text, title=None):
    a = ArticleBuilder(key, "River Times", "2025-10-20", text).article
    return dataclasses.replace(a, title=title)


def test_title_is_the_headline_of_the_most_central_article_that_has_one():
    a1 = _art("t1", "Shells fell on Kel Ridge overnight and residents fled.")
    a2 = _art("t2", "Talks opened in the capital.", title="Varenia and Ostria open talks after border shelling")
    a3 = _art("t3", "Another short report on the shelling.")
    [story] = stories([a1, a2, a3], [[a1.id, a2.id, a3.id], [a1.id, a3.id]], {})
    assert story.title == "Varenia and Ostria open talks after border shelling"


def test_without_headlines_the_title_comes_from_the_incidents():
    a1 = _art("t4", "Shells fell on Kel Ridge overnight and residents fled.")
    a2 = _art("t5", "Talks opened in the capital after days of fighting.")
    incs = [
        Incident("in1", "shelling", "2025-10-12", "2025-10-12", "day", places=(KEL,), article_ids=(a1.id, a2.id)),
        Incident("in2", "talks", "2025-11-02", "2025-11-03", "range", places=(TAVO,), article_ids=(a2.id,)),
    ]
    [story] = stories([a1, a2], [[a1.id, a2.id]], {}, incs)
    assert story.title == "Shelling and talks: Ostria and Varenia, October–November 2025"
    assert "residents fled" not in story.title


def test_template_title_needs_incidents():
    assert template_title([]) is None
    one = Incident("in3", "armed_clash", "2025-10-12", "2025-10-12", "day", places=(KEL,), article_ids=("x",))
    assert template_title([one]) == "Armed clash: Varenia, October 2025"
