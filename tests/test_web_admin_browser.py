"""The admin page and the click log in a real browser (headless Chromium, Playwright), against
the app served by waitress with a key file and query analytics on. Needs what
tests/test_web_browser.py needs; saves admin-desktop.png with the other screenshots."""

from __future__ import annotations

import json
import time

import pytest
from test_web_browser import CHROMIUM_ARGS, DESKTOP, Tab, chromium_path
from test_web_server import serving

from indexer import build_index
from search.analytics import QueryLog, normalised_query
from web.keys import KeyRing


@pytest.fixture(scope="module")
def newsroom_server(web_corpus, tmp_path_factory):
    """(base URL, admin key, analytics folder) of a live app with writes and analytics on."""
    root = tmp_path_factory.mktemp("newsroom")
    build_index([web_corpus], root / "index")
    admin, _ = KeyRing(root / "keys.json").add("admin", "desk")
    log = QueryLog(root / "analytics")
    for query, total in (("الحكومة", 9), ("الحكومة", 9), ("ميزانية", 2), ("قطار سريع", 0)):
        log.search(query, total=total, page=1, elapsed_ms=3.5)
    log.close()
    config = {"FAHRAS_KEY_FILE": str(root / "keys.json"),
              "FAHRAS_ANALYTICS_DIR": str(root / "analytics")}
    with serving(root / "index", config) as port:
        yield f"http://127.0.0.1:{port}", admin, root / "analytics"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_admin_page_in_the_browser(browser, newsroom_server, save_screenshot):
    base, admin, _ = newsroom_server
    tab = Tab(browser, base, viewport=DESKTOP,
              extra_http_headers={"Authorization": f"Bearer {admin}"})
    response = tab.goto("/admin")
    assert response.status == 200
    page = tab.page
    assert page.locator("h1").inner_text() == "لوحة الإدارة"
    assert page.locator("#index-title").is_visible()
    history = page.locator(".admin-history tbody tr").first.inner_text()
    assert "build" in history
    zero = page.locator("table:has(caption:text('بحث بلا نتائج'))").inner_text()
    assert "قطار سريع" in zero
    top = page.locator("table:has(caption:text('الأكثر بحثا')) tr").first.inner_text()
    assert normalised_query("الحكومة") in top and "2" in top  # the query as normalised
    assert "لا يوجد ملف مرادفات" in page.locator("#synonyms-title + p").inner_text()
    loaded = page.evaluate("""document.fonts.ready.then(() => [...document.fonts]
        .filter(face => face.family.includes('Fahras')).map(face => face.status))""")
    assert loaded == ["loaded"]  # the app's own Arabic font, not the system's
    save_screenshot(page, "admin-desktop")
    assert not tab.errors and not tab.outside
    tab.context.close()


def test_admin_page_without_a_key_is_refused(browser, newsroom_server):
    base, _, _ = newsroom_server
    tab = Tab(browser, base, viewport=DESKTOP)
    assert tab.goto("/admin").status == 401
    tab.context.close()


def test_opening_a_result_logs_its_rank(browser, newsroom_server):
    base, _, folder = newsroom_server
    tab = Tab(browser, base, viewport=DESKTOP)
    tab.goto("/?q=الحكومة")
    tab.page.locator("ol.hits li.hit .hit-title a").nth(1).click()
    tab.page.wait_for_load_state()
    deadline = time.monotonic() + 5
    clicks: list[dict] = []
    while not clicks and time.monotonic() < deadline:
        lines = (folder / "queries.log").read_text(encoding="utf-8").splitlines()
        clicks = [json.loads(line) for line in lines if '"click"' in line]
        time.sleep(0.1)
    assert clicks and clicks[-1]["click"] == 2 and clicks[-1]["q"] == normalised_query("الحكومة")
    assert not tab.errors
    tab.context.close()


def test_dark_mode_truncation_notice_and_the_search_box(browser, newsroom_server,
                                                       save_screenshot):
    base, _, _ = newsroom_server
    tab = Tab(browser, base, viewport=DESKTOP, color_scheme="dark")
    tab.goto("/?q=" + "الحكومة%20" * 120)
    notice = tab.page.locator("p.notice").first
    assert "اختُصر" in notice.inner_text()
    colours = notice.evaluate("e => [getComputedStyle(e).backgroundColor, "
                              "getComputedStyle(e).color]")
    assert colours == ["rgb(59, 48, 0)", "rgb(255, 231, 163)"]  # --notice, --notice-ink
    border = tab.page.locator("#q").evaluate(  # unfocused: focus has the accent colour
        "e => { e.blur(); return getComputedStyle(e).borderTopColor; }")
    assert border == "rgb(115, 129, 150)"  # --field-line of dark mode: 4.37:1
    save_screenshot(tab.page, "search-dark-truncated")
    assert not tab.errors
    tab.context.close()
