"""The ledger page in real headless Chromium: agreement cards pair each label with its value, tables are styled."""

from __future__ import annotations

import pytest
from test_agree_web import server  # noqa: F401 - the uvicorn server over the agreements fixture
from test_brief_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture
def page(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    client, _token, _store = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1300, "height": 1000})
        pg.goto(str(client.base_url).rstrip("/") + "/ledger")
        pg.wait_for_load_state("load")
        yield pg
        browser.close()


def test_agreement_cards_put_each_label_over_its_value(page):
    cards = page.locator("article.agreement")
    assert cards.count() >= 1
    for i in range(cards.count()):
        facts = cards.nth(i).locator("dl.facts")
        labels = facts.locator("dt")
        assert labels.count() >= 2
        for j in range(labels.count()):
            dt = labels.nth(j)
            dd = dt.locator("xpath=following-sibling::dd[1]")
            a, b = dt.bounding_box(), dd.bounding_box()
            assert abs(a["x"] - b["x"]) < 2 and b["y"] > a["y"], (dt.inner_text(), dd.inner_text(), a, b)
        texts = {labels.nth(j).inner_text().strip().lower(): labels.nth(j).locator("xpath=following-sibling::dd[1]").inner_text()
                 for j in range(labels.count())}
        assert "status now" in texts and texts["status now"].split()[0] in ("holds", "strained", "collapsed", "unknown",
                                                                            "signed", "proposed", "in", "ended")


def test_status_and_ledger_tables_are_styled(page):
    for selector in ("article.agreement table.status-history", "table.ledger"):
        table = page.locator(selector).first
        assert table.count() == 1, selector
        th = table.locator("thead th").first
        style = th.evaluate("e => { const s = getComputedStyle(e); return [s.borderBottomWidth, s.textTransform, s.textAlign]; }")
        assert style[0] != "0px" and style[1] == "uppercase" and style[2] == "left", (selector, style)
        width = table.evaluate("e => e.getBoundingClientRect().width")
        parent = table.evaluate("e => e.parentElement.getBoundingClientRect().width")
        assert width > 0.9 * parent - 60, (selector, width, parent)
