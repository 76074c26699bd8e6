"""The brief's timeline graphic in real headless Chromium: agreement labels never overlap; type colours differ."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from report_fixture import build_doc
from test_brief_browser import ARGS, CHROMIUM

from trucewatch.report import build_brief, render_html
from trucewatch.report._style import TYPE_COLORS, color_for

pytestmark = pytest.mark.browser

#: Agreements a day or two apart, as a ceasefire story has them: signed, extended, renewed.
AGREEMENTS = (
    ("2026-04-02", "Ceasefire signed in Batken"),
    ("2026-04-03", "Ceasefire extended by both border services"),
    ("2026-04-04", "Joint patrols agreed"),
    ("2026-04-05", "Prisoner exchange agreed"),
    ("2026-04-08", "Ceasefire renewed for a month"),
)


def _lab(color: str) -> tuple[float, float, float]:
    h = color.lstrip("#")
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; above 20 reads as another colour)."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


def test_measures_against_people_have_clearly_distinct_colours():
    three = ["deportation", "displacement", "border_closure"]
    for i, a in enumerate(three):
        for b in three[i + 1:]:
            assert delta_e(color_for(a), color_for(b)) > 30, (a, b)
    for a in three + ["border_reopening"]:
        for other, c in TYPE_COLORS.items():
            if other != a and c != color_for(a):
                assert delta_e(color_for(a), c) > 15, (a, other)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing"
    brief = build_brief(build_doc())
    brief = dataclasses.replace(brief, agreements=AGREEMENTS)
    path = tmp_path_factory.mktemp("timeline") / "brief.html"
    path.write_text(render_html(brief), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        pg.goto(path.as_uri())
        pg.wait_for_load_state("load")
        yield pg
        browser.close()


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_agreement_labels_do_not_overlap_and_stay_inside(page):
    svg = page.locator("svg#timeline").bounding_box()
    labels = page.locator("svg#timeline g.agreement text")
    assert labels.count() == len(AGREEMENTS)
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for i, a in enumerate(boxes):
        assert svg["x"] - 1 <= a["x"] and a["x"] + a["width"] <= svg["x"] + svg["width"] + 1, a
        assert a["y"] + a["height"] <= svg["y"] + svg["height"] + 1, (a, svg)
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    bars = page.locator("svg#timeline rect.incident")
    lowest = max(bars.nth(i).bounding_box()["y"] + bars.nth(i).bounding_box()["height"] for i in range(bars.count()))
    assert all(b["y"] >= lowest for b in boxes)  # below the bars, not over them


def test_no_agreement_line_runs_through_another_agreement_label(page):
    groups = page.locator("svg#timeline g.agreement")
    lines = [groups.nth(i).locator("line").bounding_box() for i in range(groups.count())]
    labels = [groups.nth(i).locator("text").bounding_box() for i in range(groups.count())]
    for i, line in enumerate(lines):
        for j, label in enumerate(labels):
            if i != j:
                crosses_x = label["x"] <= line["x"] <= label["x"] + label["width"]
                crosses_y = line["y"] < label["y"] + label["height"] and label["y"] < line["y"] + line["height"]
                assert not (crosses_x and crosses_y), (AGREEMENTS[i], AGREEMENTS[j])
