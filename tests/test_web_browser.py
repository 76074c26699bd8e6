"""The web app in real headless Chromium (Debian package) against a real `trucewatch serve` on loopback.

The store is made by the real pipeline (ingest -> analyze -> fuse) over
examples/sample-corpus plus one hostile article whose title, outlet and text
carry script and onerror payloads. Screenshots go to a temporary folder (or to
$TRUCEWATCH_SCREENSHOT_DIR when set) for people to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import EXAMPLES

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = {
    "title": "<script>window.__pwned = 1; document.title = 'PWNED'</script>Rumours at the pass",
    "outlet": "<img src=x onerror=\"window.__pwned=2\">Rumour Mill",
    "published": "2026-03-31",
    "text": (
        "RUMOUR MILL, March 31: An unsigned post claimed <img src=x onerror=\"window.__pwned=3;document.title='PWNED'\"> "
        "that soldiers had crossed the border near the pass overnight. <script>window.__pwned = 4</script> "
        "Officials on both sides called the post <svg onload=\"window.__pwned=5\">fabricated and said no troops had moved. "
        "\"Nothing happened at the pass <b onmouseover=alert(1)>tonight</b>,\" a border official said."
    ),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = os.environ.get("TRUCEWATCH_SCREENSHOT_DIR")
    path = Path(out) if out else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium chromium-driver).")
    from trucewatch import pipeline
    from trucewatch.settings import Settings
    from trucewatch.store import open_store

    work = tmp_path_factory.mktemp("browser")
    hostile = work / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = work / "browser.db"
    settings = Settings.from_env(env={}, db=str(db))
    with open_store(settings) as store:
        report = pipeline.ingest([str(EXAMPLES), str(hostile)], settings, store)
        assert len(report.added) >= 9, report.skipped
        pipeline.analyze(settings, store)
        pipeline.fuse(settings, store)
        hostile_id = next(aid for src, aid in report.added if src.startswith(str(hostile)))
    port = _free_port()
    exe = shutil.which("trucewatch", path=str(Path(sys.executable).parent)) or "trucewatch"
    proc = subprocess.Popen(
        [exe, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TRUCEWATCH_DB": ""},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/api/stats", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("trucewatch serve did not start: " + proc.stderr.read())
    yield {"base": base, "hostile": hostile_id, "proc": proc}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.errors = []
    pg.external = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("dialog", lambda d: (pg.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def guard(route):
        # Everything must come from the local server: record and block anything else.
        if not route.request.url.startswith(server["base"]) and not route.request.url.startswith("data:"):
            pg.external.append(route.request.url)
            return route.abort()
        return route.continue_()

    pg.route("**/*", guard)
    yield pg
    context.close()


def _shot(pg, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20_000, f"{name}.png looks blank"
    return path


def test_server_prints_a_token_once_and_binds_loopback(server):
    assert server["base"].startswith("http://127.0.0.1:")
    r = httpx.post(f"{server['base']}/api/articles", json={"text": "x"})
    assert r.status_code == 401


def test_overview_then_an_incident_side_by_side(page, server, shots):
    page.goto(server["base"] + "/")
    assert page.locator("h1").first.inner_text() == "Overview"
    assert int(page.locator(".stat-n").first.inner_text()) >= 10
    assert page.locator("table.data .incident-link").count() >= 5
    _shot(page, shots, "overview")
    # Follow the incident reported by the most articles (the side-by-side view matters there).
    api = httpx.get(f"{server['base']}/api/incidents?limit=500").json()["items"]
    best = max(api, key=lambda i: (len(i["article_ids"]), i["id"]))
    page.goto(server["base"] + "/incidents")
    page.goto(server["base"] + f"/incidents/{best['id']}")
    accounts = page.locator(".account")
    assert accounts.count() == len(best["article_ids"]) >= 2
    outlets = {accounts.nth(i).locator(".outlet").inner_text() for i in range(accounts.count())}
    assert len(outlets) >= 2
    assert page.locator(".account .passage mark.hl-event").count() >= 2
    # A highlighted passage is the article's own words: it appears in that article's text.
    first = accounts.nth(0)
    article_id = first.get_attribute("data-article")
    mark_text = first.locator("mark.hl-event").first.inner_text()
    text = httpx.get(f"{server['base']}/api/articles/{article_id}").json()["text"]
    assert mark_text in text
    _shot(page, shots, "incident")
    assert not page.errors and not page.external


def test_incident_link_from_the_overview_opens_the_incident(page, server):
    page.goto(server["base"] + "/")
    link = page.locator("table.data .incident-link").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**" + href)
    assert page.locator(".incident-head h1").count() == 1
    assert page.locator(".account").count() >= 1


def test_map_draws_markers_over_bundled_outlines(page, server, shots):
    page.goto(server["base"] + "/map")
    expected = len(json.loads(page.locator("#map-data").text_content()))
    assert expected >= 3
    page.wait_for_selector("#map[data-outlines]")
    assert int(page.get_attribute("#map", "data-outlines")) > 150
    assert page.locator("path.incident-marker").count() == expected
    assert page.locator(".leaflet-tile").count() == 0  # no tile server
    page.locator("path.incident-marker").last.click(force=True)
    page.wait_for_selector(".leaflet-popup-content a")
    assert "/incidents/" in page.get_attribute(".leaflet-popup-content a", "href")
    _shot(page, shots, "map")
    assert not page.errors and not page.external


def test_timeline_draws_zooms_and_filters(page, server, shots):
    page.goto(server["base"] + "/timeline")
    items = page.locator("#timeline a.tl-item")
    n = items.count()
    assert n >= 10
    _shot(page, shots, "timeline")
    before = page.inner_text("#tl-status")
    for _ in range(3):
        page.click("#tl-zoom-in")
    assert page.inner_text("#tl-status") != before
    assert items.count() < n  # zoomed in: fewer incidents in view
    page.click("#tl-reset")
    assert items.count() == n
    types = page.eval_on_selector_all("#tl-type option", "os => os.map(o => o.value).filter(Boolean)")
    page.select_option("#tl-type", types[0])
    assert 0 < items.count() < n
    assert page.locator("#timeline .tl-lane-label").count() == 1
    _shot(page, shots, "timeline-filtered")
    href = items.first.get_attribute("href")
    items.first.click()
    page.wait_for_url("**" + href)
    assert not page.errors and not page.external


def test_search_from_the_header(page, server, shots):
    page.goto(server["base"] + "/")
    page.fill(".topbar input[name=q]", "ceasefire")
    page.press(".topbar input[name=q]", "Enter")
    page.wait_for_url("**/search?q=ceasefire")
    hits = page.locator(".hit")
    assert hits.count() >= 3
    assert page.locator(".hit mark.hl-hit").first.inner_text().lower().startswith("ceasefire")
    _shot(page, shots, "search")
    hits.first.locator("a").first.click()
    page.wait_for_selector(".reader .article-text")
    assert page.locator(".article-text mark.hl-quote").count() >= 1
    _shot(page, shots, "article")


def test_hostile_article_does_not_execute(page, server, shots):
    resp = page.goto(server["base"] + f"/articles/{server['hostile']}")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["x-content-type-options"] == "nosniff"
    # The payload is shown as text ...
    assert "<script>window.__pwned = 4</script>" in page.inner_text(".article-text")
    assert "<script>" in page.inner_text(".reader h1")
    _shot(page, shots, "hostile-article")
    for path in ("/", "/articles", "/search?q=unsigned", "/quotes", "/incidents", "/timeline", "/map", "/sources",
                 f"/articles/{server['hostile']}"):
        page.goto(server["base"] + path)
        page.mouse.move(400, 400)
        page.wait_for_timeout(100)
        # ... and never runs.
        assert page.evaluate("() => window.__pwned") is None, path
        assert page.title() != "PWNED", path
        assert page.locator("img[src=x], svg[onload], b[onmouseover]").count() == 0, path
    assert not [e for e in page.errors if "dialog" in e]
    # The CSP itself refuses inline script, even one added to the page later.
    ran = page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
        " document.body.appendChild(s); return window.__inline === 1; }"
    )
    assert ran is False


def test_api_docs_work_offline(page, server):
    page.goto(server["base"] + "/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "trucewatch" in page.inner_text(".swagger-ui .info")
    assert page.locator(".opblock").count() >= 10
    assert not page.external
