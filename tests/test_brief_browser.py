"""The HTML brief in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser download).

Checks that the map and the timeline are actually drawn: their SVG elements have
non-empty boxes at the expected places, the screenshot is not blank, and the
marker pixels carry the marker colours. Citations pop up their passage on hover.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from report_fixture import build_doc

from trucewatch.report import build_brief, render_html

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line[k] for k in range(stride) if k % bpp < 3) if bpp == 4 else bytes(line))
        prev = line
    return width, height, rows


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, int, int]:
    r = rows[y]
    return r[3 * x], r[3 * x + 1], r[3 * x + 2]


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: run `make system-deps` (apt-get install chromium)"
    path = tmp_path_factory.mktemp("brief") / "brief.html"
    path.write_text(render_html(build_brief(build_doc())), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        pg.goto(path.as_uri())
        pg.wait_for_load_state("load")
        yield pg
        browser.close()


def test_map_and_its_markers_are_drawn_inside_it(page):
    box = page.locator("svg#map").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 250
    circles = page.locator("svg#map circle.incident")
    assert circles.count() == 5  # six incidents, one (talks) without coordinates
    for i in range(circles.count()):
        c = circles.nth(i).bounding_box()
        assert c and c["width"] >= 8 and c["height"] >= 8
        assert box["x"] <= c["x"] and c["x"] + c["width"] <= box["x"] + box["width"]
        assert box["y"] <= c["y"] and c["y"] + c["height"] <= box["y"] + box["height"]
    assert page.locator("svg#map path.country").count() >= 3


def test_map_markers_sit_where_their_places_are(page):
    def center(label):
        b = page.locator(f'svg#map circle.incident[data-label="{label}"]').bounding_box()
        return b["x"] + b["width"] / 2, b["y"] + b["height"] / 2

    labels = page.eval_on_selector_all("svg#map circle.incident", "els => els.map(e => e.getAttribute('data-label'))")
    titles = {lab: page.locator(f'svg#map circle.incident[data-label="{lab}"] title').text_content() for lab in labels}
    vorukh = next(lab for lab, t in titles.items() if "Vorukh" in t)  # 39.85 N, 70.57 E
    isfara = next(lab for lab, t in titles.items() if "Isfara" in t)  # 40.13 N, 70.63 E
    assert center(isfara)[1] < center(vorukh)[1]  # Isfara is further north: higher on the page


def test_timeline_bars_are_drawn_in_date_order_below_the_map(page):
    tl = page.locator("svg#timeline").bounding_box()
    mp = page.locator("svg#map").bounding_box()
    assert tl and tl["width"] > 600 and tl["y"] > mp["y"] + mp["height"] - 1
    bars = page.locator("svg#timeline rect.incident")
    assert bars.count() == 6
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    for b in boxes:
        assert b["width"] >= 6 and b["height"] >= 8
        assert tl["x"] <= b["x"] and b["x"] + b["width"] <= tl["x"] + tl["width"] + 1
    ys = [b["y"] for b in boxes]
    assert ys == sorted(ys)  # one row per incident, in date order
    day_bars = page.locator("svg#timeline rect.incident.prec-day")
    xs = [day_bars.nth(i).bounding_box()["x"] for i in range(day_bars.count())]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_screenshot_is_not_blank_and_markers_have_their_colours(page, tmp_path):
    shot = tmp_path / "map.png"
    page.locator("svg#map").screenshot(path=str(shot))
    width, height, rows = decode_png(shot.read_bytes())
    assert width > 600 and height > 250
    colours = {rows[y][x : x + 3] for y in range(0, height, 7) for x in range(0, 3 * width, 3 * 7)}
    assert len(colours) > 20, "the map screenshot is (nearly) blank"
    box = page.locator("svg#map").bounding_box()
    for i in range(page.locator("svg#map circle.incident").count()):
        circle = page.locator("svg#map circle.incident").nth(i)
        c = circle.bounding_box()
        fill = hex_rgb(circle.get_attribute("fill"))
        x = int(c["x"] - box["x"] + c["width"] / 2)
        y = int(c["y"] - box["y"] + c["height"] / 2)
        got = pixel(rows, min(x, width - 1), min(y, height - 1))
        assert sum(abs(g - f) for g, f in zip(got, fill)) < 90, (circle.get_attribute("data-label"), got, fill)


def test_full_page_screenshot_is_not_blank(page, tmp_path):
    shot = tmp_path / "page.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shot), full_page=False)
    width, height, rows = decode_png(shot.read_bytes())
    header = pixel(rows, 10, 10)
    assert header[2] > header[0] + 40  # the dark blue header band is painted
    body = {rows[y][x : x + 3] for y in range(150, height, 9) for x in range(0, 3 * width, 3 * 9)}
    assert len(body) > 10


def test_citation_popover_shows_the_source_passage_on_hover(page):
    cite = page.locator("#bottom_line a.cite").first
    pop = page.locator("#bottom_line .cite-wrap").first.locator(".pop")
    assert not pop.is_visible()
    cite.hover()
    assert pop.is_visible()
    target = cite.get_attribute("href")
    passage = page.locator(f"{target} blockquote").text_content()
    assert passage.strip()[:40] in pop.text_content()
    page.mouse.move(0, 0)


def test_following_a_citation_highlights_it_in_the_list(page):
    cite = page.locator("#disputes a.cite").first
    target = cite.get_attribute("href")
    cite.click()
    assert page.evaluate("location.hash") == target
    bg = page.eval_on_selector(target, "e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator(f"{target} mark").count() == 1


def test_print_layout_hides_navigation_and_popovers(page):
    page.emulate_media(media="print")
    try:
        assert not page.locator("nav.toc").is_visible()
        assert page.locator("svg#map").is_visible() and page.locator("svg#timeline").is_visible()
    finally:
        page.emulate_media(media="screen")
