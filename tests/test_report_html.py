"""The HTML brief as a document: valid HTML5, self-contained, escaped, with the map and timeline SVGs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from report_fixture import build_doc

from trucewatch.report import build_brief, render_html
from trucewatch.report.model import IncidentMark
from trucewatch.report.svg_map import render_map
from trucewatch.report.svg_timeline import render_timeline

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def doc() -> dict:
    return build_doc()


@pytest.fixture
def html(doc) -> str:
    return render_html(build_brief(doc))


def test_html_parses_as_html5_with_the_strict_parser(html):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(html)
    assert tree.find(".//title").text == "trucewatch brief"


def test_html_is_self_contained(html):
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html.replace('href="https://', 'href="SOURCE'))
    assert "@import" not in html and "url(http" not in html
    assert "@media print" in html


def test_every_citation_link_has_a_target_with_the_passage(doc, html):
    brief = build_brief(doc)
    links = set(re.findall(r'<a class="cite" href="#(c\d+)"', html))
    targets = set(re.findall(r'<li id="(c\d+)"', html))
    assert links == targets == {c.id for c in brief.citations}
    c = brief.citations[0]
    item = html[html.index(f'<li id="{c.id}"') :]
    item = item[: item.index("</li>")]
    assert f"characters {c.start}–{c.end}" in item and "<mark>" in item


def test_html_has_all_sections_and_graphics(doc, html):
    for key in ("bottom_line", "chronology", "casualties", "disputes", "quotes", "sources", "agreements", "method", "figures"):
        assert f'<section id="{key}"' in html
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    tree = parser.parse(html)
    svgs = {s.get("id"): s for s in tree.iter() if isinstance(s.tag, str) and s.tag.endswith("svg")}
    assert {"map", "timeline"} <= set(svgs)
    circles = [e for e in svgs["map"].iter() if isinstance(e.tag, str) and e.tag.endswith("circle") and "incident" in e.get("class", "")]
    located = [i for i in doc["incidents"] if any(p["lat"] is not None for p in i["places"])]
    assert len(circles) == len(located)
    bars = [e for e in svgs["timeline"].iter() if isinstance(e.tag, str) and e.tag.endswith("rect") and e.get("class", "").startswith("incident")]
    assert len(bars) == len(doc["incidents"])
    countries = [e for e in svgs["map"].iter() if isinstance(e.tag, str) and e.tag.endswith("path") and "country" in e.get("class", "")]
    assert {e.get("data-iso") for e in countries} >= {"KGZ", "TJK", "UZB"}


def test_element_ids_are_unique(html):
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_hostile_article_text_is_escaped(doc):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    doc["articles"][0]["text"] = doc["articles"][0]["text"].replace("Valley Courier", evil, 1)
    doc["articles"][0]["title"] = evil
    doc["articles"][0]["outlet"] = evil
    doc["incidents"][1]["summary"] = evil
    html = render_html(build_brief(doc))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def _marks():
    return [
        IncidentMark("x1", "I1", "Clash, West", "armed_clash", "Armed clash", "2026-04-01", "2026-04-01", "day",
                     40.0, 70.0, "West", 10.0, "corroborated"),
        IncidentMark("x2", "I2", "Shelling, East", "shelling", "Shelling", "2026-04-03", "2026-04-09", "week",
                     41.0, 72.0, "East", None, "single source", ("x1",)),
        IncidentMark("x3", "I3", "Talks", "talks", "Talks", "2026-04-05", "2026-04-05", "day",
                     None, None, None, None, "single source"),
    ]


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_map_projects_points_in_geographic_order_and_sizes_by_casualties():
    svg = _svg(render_map(_marks()))
    assert svg.get("id") == "map"
    circles = {c.get("data-label"): c for c in svg.iter(f"{SVG}circle")}
    assert set(circles) == {"I1", "I2"}  # I3 has no coordinates
    west, east = circles["I1"], circles["I2"]
    assert float(west.get("cx")) < float(east.get("cx"))  # west of
    assert float(west.get("cy")) > float(east.get("cy"))  # south of (SVG y grows downwards)
    assert float(west.get("r")) > float(east.get("r"))  # 10 killed vs no figure
    w, h = float(svg.get("width")), float(svg.get("height"))
    for c in circles.values():
        assert 0 < float(c.get("cx")) < w and 0 < float(c.get("cy")) < h
    assert "without coordinates" in "".join(svg.itertext())


def test_map_without_any_coordinates_draws_the_world_and_says_so():
    svg = _svg(render_map([_marks()[2]]))
    assert not list(svg.iter(f"{SVG}circle"))
    assert len(list(svg.iter(f"{SVG}path"))) > 100
    assert "No incident could be placed" in "".join(svg.itertext())


def test_timeline_bars_follow_the_dates_and_mark_imprecision():
    svg = _svg(render_timeline(_marks(), [("2026-04-04", "Ceasefire agreed")]))
    bars = {r.get("data-label"): r for r in svg.iter(f"{SVG}rect") if "incident" in (r.get("class") or "")}
    assert set(bars) == {"I1", "I2", "I3"}
    x = {k: float(v.get("x")) for k, v in bars.items()}
    assert x["I1"] < x["I2"] < x["I3"]
    assert float(bars["I2"].get("width")) > 5 * float(bars["I1"].get("width"))  # a week vs a day
    assert "prec-week" in bars["I2"].get("class") and "prec-day" in bars["I1"].get("class")
    assert len([p for p in svg.iter(f"{SVG}path") if p.get("class") == "follows"]) == 1
    assert "Ceasefire agreed" in "".join(svg.itertext())


def test_many_incidents_get_thinner_rows_and_the_timeline_stays_bounded():
    marks = [
        IncidentMark(f"x{n}", f"I{n}", f"Clash {n}", "armed_clash", "Armed clash", f"2026-04-{n % 28 + 1:02d}",
                     f"2026-04-{n % 28 + 1:02d}", "day", 40.0, 70.0, "West", None, "single source")
        for n in range(1, 301)
    ]
    svg = _svg(render_timeline(marks))
    assert len([r for r in svg.iter(f"{SVG}rect") if "incident" in (r.get("class") or "")]) == 300
    assert float(svg.get("height")) < 300 * 10 + 100
    few = _svg(render_timeline(marks[:10]))
    assert len([t for t in few.iter(f"{SVG}text") if (t.get("class") or "").startswith("bar-label")]) == 10
