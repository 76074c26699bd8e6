"""A hostile article URL in the HTML brief, in real headless Chromium: ``javascript:`` never runs.

An article's ``url`` comes from its input (a JSON field, a posted article). The brief links
only http(s) URLs, and its Content-Security-Policy forbids every script, so even a
``javascript:`` link put into the page later does nothing when clicked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_fixture import build_doc
from test_brief_browser import ARGS, CHROMIUM

from trucewatch.labels import link_url
from trucewatch.report import build_brief, render_html, render_markdown

pytestmark = pytest.mark.browser

HOSTILE_URLS = [
    "javascript:alert('brief-1')",
    " JavaScript:alert('brief-2')",
    "java\tscript:alert('brief-3')",
    "data:text/html,<script>alert('brief-4')</script>",
    "vbscript:msgbox(5)",
]


def _hostile_doc() -> dict:
    doc = build_doc()
    for i, a in enumerate(doc["articles"]):
        a["url"] = HOSTILE_URLS[i % len(HOSTILE_URLS)]
    return doc


@pytest.mark.parametrize("url", HOSTILE_URLS + ["//evil.example/x", "https:/x", "https://", "ftp://host/x"])
def test_only_http_urls_are_linkable(url):
    assert link_url(url) is None


@pytest.mark.parametrize("url", ["https://example.org/a?b=1#c", "HTTP://Example.org", "http://127.0.0.1:8080/x"])
def test_http_urls_are_linkable(url):
    assert link_url(url) == url


def test_brief_links_no_hostile_url():
    brief = build_brief(_hostile_doc())
    assert brief.citations and all(c.url is None for c in brief.citations)
    html = render_html(brief)
    assert "script:" not in html.lower().replace("script-src", "") and "data:text/html" not in html
    assert '<meta http-equiv="Content-Security-Policy"' in html
    assert "script:" not in render_markdown(brief).lower()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: run `make system-deps` (apt-get install chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page_with_dialogs(browser):
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    return pg


def test_the_dialog_handler_sees_a_javascript_link_run(browser):
    # The control: without the brief's policy, clicking such a link does open a dialog the handler records.
    pg = _page_with_dialogs(browser)
    pg.set_content("<a id='x' href=\"javascript:alert('control')\">x</a>")
    pg.click("#x")
    pg.wait_for_timeout(300)
    assert pg.dialogs == ["control"]
    pg.close()


def test_javascript_urls_never_run_in_the_brief(browser, tmp_path):
    path = tmp_path / "brief.html"
    path.write_text(render_html(build_brief(_hostile_doc())), encoding="utf-8")
    pg = _page_with_dialogs(browser)
    pg.goto(path.as_uri())
    pg.wait_for_load_state("load")
    assert pg.locator("#citations li").count() >= 5
    for link in pg.locator("#citations a[href]:not([href^='#'])").all():  # any source link a reader could click
        link.click()
        pg.wait_for_timeout(100)
    assert pg.dialogs == []
    hrefs = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("#") or h.startswith("http") for h in hrefs), hrefs
    # A javascript: link put into the page after it loaded is refused by the page's CSP.
    pg.evaluate("""() => { const a = document.createElement('a'); a.id = 'late';
        a.href = "javascript:alert('late')"; a.textContent = 'late link'; document.body.prepend(a); }""")
    pg.click("#late")
    pg.wait_for_timeout(300)
    # The brief still works under its policy: popovers show, the map and timeline are drawn.
    pg.locator("#bottom_line a.cite").first.hover()
    assert pg.locator("#bottom_line .cite-wrap .pop").first.is_visible()
    assert pg.locator("svg#map circle.incident").count() == 5
    assert pg.dialogs == []
    pg.close()
