"""Copies, wire credits and independent sources."""

from __future__ import annotations

import numpy as np
import pytest
from fuse_builders import ArticleBuilder

from trucewatch.fuse.copies import SourceIndex, copy_groups, signature, wire_credit, wire_in

STORY = ("Heavy rain flooded the lower town overnight and officials said about two hundred homes were under water by "
         "morning. Rescue boats moved families from the river district to schools on the hill, where volunteers "
         "handed out blankets and rice. The mayor said the pumps failed after the power station went dark shortly "
         "after midnight and that repairs would take several days.")


def art(key, outlet, text, published="2025-06-01"):
    return ArticleBuilder(key, outlet, published, text).article


@pytest.mark.parametrize(
    "text, expected",
    [
        ("RIVERTON, June 1 (Reuters) - Heavy rain flooded the town.", "Reuters"),
        ("RIVERTON — Heavy rain flooded the town.\n— AFP", "AFP"),
        ("RIVERTON, June 1 (Borderline Wire) - Heavy rain flooded the town.", "Borderline Wire"),
        ("Heavy rain flooded the town, our reporter saw.", None),
    ],
    ids=["reuters-dateline", "afp-end-credit", "shaped-agency", "none"],
)
def test_wire_credit(text, expected):
    assert wire_credit(art("w", "Some Paper", text)) == expected


def test_wire_in_sentence():
    assert wire_in("A commander told a news agency that four posts fell.") == "a news agency"
    assert wire_in("The minister told Reuters on Friday that talks would resume.") == "Reuters"
    assert wire_in("The minister told reporters that talks would resume.") is None


def test_light_rewrite_is_a_copy_and_an_independent_report_is_not():
    original = art("o", "Paper A", STORY)
    rewrite = art("r", "Paper B", "Floods hit town. " + STORY.replace("about two hundred", "some 200").replace("blankets", "food"))
    other = art("x", "Paper C", "The river rose fast and the lower town was flooded; a council member said many homes "
                "were lost and that the pumps had stopped when the power failed, leaving families to wait for boats.")
    arts = [original, rewrite, other]
    sigs = {a.id: signature(a.text) for a in arts}
    groups = copy_groups(arts, sigs, {})
    assert [set(g.article_ids) for g in groups] == [{original.id, rewrite.id}]
    assert float(np.mean(sigs[original.id] == sigs[other.id])) < 0.2


def test_copy_published_long_after_is_a_new_report():
    a, b = art("a", "P", STORY, "2025-06-01"), art("b", "Q", STORY + " Update.", "2025-07-15")
    assert copy_groups([a, b], {x.id: signature(x.text) for x in (a, b)}, {}) == ()


def test_independent_sources_merge_copies_outlets_and_wires():
    a1, a2 = art("a1", "Paper A", STORY), art("a2", "Paper A", "Another story entirely about the harbour.")
    b = art("b", "Paper B", "A third text about roads.")
    w1, w2 = art("w1", "Paper C", "(Reuters) story one"), art("w2", "Paper D", "(Reuters) story one rewritten")
    credits = {x.id: wire_credit(x) for x in (a1, a2, b, w1, w2)}
    idx = SourceIndex([a1, a2, b, w1, w2], [], credits)
    assert idx.count([(a1.id, None), (a2.id, None)]) == 1  # one outlet
    assert idx.count([(a1.id, None), (b.id, None)]) == 2
    assert idx.count([(w1.id, None), (w2.id, None)]) == 1  # one wire story carried by two outlets
    assert idx.count([(a1.id, "Reuters"), (w1.id, None)]) == 1  # "told Reuters" in Paper A's sentence
