"""The web map in real headless Chromium, over tests/web_fixture.py plus a far-off venue of talks and a huge toll.

The first view frames the fighting (not the venue abroad), no marker grows past the cap, zooming in
never leaves the view without a marker, and popup summaries end on a whole word.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import web_fixture
from test_brief_browser import ARGS, CHROMIUM
from trucewatch.records import CasualtyEstimate, Incident, IncidentMention, Place, to_dict
from trucewatch.fuse.casualties import totals as cas_totals
from trucewatch.settings import Settings
from trucewatch.store import open_store

pytestmark = pytest.mark.browser

LONG_SUMMARY = ("Shelling along the ridge road destroyed the grain depot and the clinic, residents said, and the "
                "district council counted thousands of people hurt in the villages below the pass over two days")


def _extra_incidents(store, b) -> None:
    incidents = store.fused("incident")
    aid = b.articles["a4"]
    geneva = Incident(
        "inc-talks", "talks", "2026-03-06", "2026-03-06", "day",
        places=(Place("Geneva", 0, 0, resolved_name="Geneva", country="Switzerland", country_code="CH", lat=46.2, lon=6.15),),
        article_ids=(aid,), mentions=(IncidentMention(aid, "ev-talks", 0, 5),), independent_sources=1,
        summary="Envoys of both sides met in Geneva.",
    )
    toll = (CasualtyEstimate("injured", None, "people", 5000, 5000, 5000, 5000, claimants=("the council",)),)
    huge = Incident(
        "inc-huge", "shelling", "2026-03-07", "2026-03-07", "day",
        places=(Place("Ridge road", 0, 0, resolved_name="Ridge road", country="Veloria", country_code="VL", lat=14.25, lon=103.0),),
        article_ids=(aid,), mentions=(IncidentMention(aid, "ev-huge", 0, 5),), independent_sources=1,
        casualties=toll, totals=cas_totals(toll), summary=LONG_SUMMARY,
    )
    store.replace_fused("incident", incidents + [to_dict(geneva), to_dict(huge)])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    import uvicorn

    from trucewatch.web.app import create_app

    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp("map") / "map.db"))
    store = open_store(settings)
    _extra_incidents(store, web_fixture.build(store))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(300):
        if srv.started:
            break
        time.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture
def page(base):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        pg.goto(base + "/map")
        pg.wait_for_selector("#map[data-outlines]")
        yield pg
        browser.close()


def _boxes(page):
    """(marker data, its on-screen box) in the order markers are drawn."""
    data = json.loads(page.locator("#map-data").text_content())
    paths = page.locator("path.incident-marker")
    assert paths.count() == len(data)
    # Leaflet leaves a marker far out of view undrawn (an empty path, "M0 0"): no box.
    drawn = paths.evaluate_all("es => es.map(e => (e.getAttribute('d') || '').length > 8)")
    return data, [paths.nth(i).bounding_box() if drawn[i] else None for i in range(paths.count())]


def _inside(box, area) -> bool:
    """Whether the marker is drawn inside the map (Leaflet draws a marker far out of view as an empty path)."""
    if box is None:
        return False
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return area["x"] <= cx <= area["x"] + area["width"] and area["y"] <= cy <= area["y"] + area["height"]


def test_first_view_frames_the_fighting_not_a_far_venue(page):
    area = page.locator("#map").bounding_box()
    data, boxes = _boxes(page)
    seen = {m["id"]: _inside(box, area) for m, box in zip(data, boxes)}
    assert seen.pop("inc-talks") is False  # Geneva is off the first view ...
    assert all(seen.values()), seen  # ... every incident of the fighting is on it
    # ... and the fighting fills the view instead of a dot in a world map.
    xs = [b["x"] for m, b in zip(data, boxes) if m["id"] != "inc-talks"]
    assert max(xs) - min(xs) > 60


def test_marker_size_is_capped(page):
    data, boxes = _boxes(page)
    huge = next(b for m, b in zip(data, boxes) if m["id"] == "inc-huge")
    assert huge is not None
    assert huge["width"] <= 2 * 24 + 4
    small = next(b for m, b in zip(data, boxes) if m["id"] == "inc-rumour")
    assert huge["width"] > small["width"]


def test_zooming_in_keeps_a_marker_in_view(page):
    area = page.locator("#map").bounding_box()
    page.mouse.move(area["x"] + area["width"] - 5, area["y"] + area["height"] - 5)  # zoom toward an empty corner
    for _ in range(8):
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(450)
        _data, boxes = _boxes(page)
        assert any(_inside(b, area) for b in boxes)


def test_popup_summaries_end_on_a_whole_word(page):
    data = {m["id"]: m for m in json.loads(page.locator("#map-data").text_content())}
    summary = data["inc-huge"]["summary"]
    assert summary.endswith(" …") and len(summary) <= 160
    assert LONG_SUMMARY.startswith(summary[:-2]) and LONG_SUMMARY[len(summary) - 2] == " "
