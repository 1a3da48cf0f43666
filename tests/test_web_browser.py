"""The pages in a real browser: headless Chromium driven by Playwright, against the real app
served by waitress on 127.0.0.1 over an index of the web test corpus (tests/conftest.py).

Needs the Debian/Ubuntu package ``chromium`` (``apt-get install -y chromium``) and Playwright
for Python (``pip install playwright``, part of the ``test`` extra); Playwright's own browser
download is not used. Set FAHRAS_CHROMIUM to use another Chromium binary. When either is
missing these tests fail and say how to install it. Screenshots of the search and article
pages at desktop and phone widths are saved to test-artifacts/screenshots/ (or
FAHRAS_SCREENSHOT_DIR); the folder is named at the end of the run.
"""

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from test_web_server import serving as serving_port

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
QUERY = "الحكومة"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
REAL_ID = "000_159b84fecf733829"


def chromium_path() -> str:
    wanted = os.environ.get("FAHRAS_CHROMIUM")
    found = wanted or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        pytest.fail(
            f"Chromium not found ({wanted or 'chromium on PATH'}); install it with: "
            "apt-get update && apt-get install -y chromium  (or set FAHRAS_CHROMIUM to a "
            "Chromium binary)",
            pytrace=False,
        )
    return found


@contextmanager
def serving(index_dir):
    """The real app over ``index_dir`` served from a background thread (the server of
    tests/test_web_server.py); yields its base URL."""
    with serving_port(index_dir) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def live_server(web_index):
    with serving(web_index) as url:
        yield url


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    """The app over the default index: every article in seeds/, the real one among them."""
    from indexer import build_index

    index_dir = tmp_path_factory.mktemp("seeds-index") / "index"
    report = build_index([SEEDS], index_dir)
    assert not report.skipped, report.skipped
    with serving(index_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is missing; install it with: pip install playwright "
            '(or pip install -e ".[test]"); the browser itself comes from: '
            "apt-get install -y chromium",
            pytrace=False,
        )
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A browser page on the live server that records script errors, CSP reports and any
    request that leaves the server."""

    def __init__(self, browser, base_url, **context_args):
        self.base_url = base_url
        self.context = browser.new_context(locale="ar", **context_args)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.on("request", self._request)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request):
        if not request.url.startswith((self.base_url, "data:")):
            self.outside.append(request.url)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def check_clean(self):
        assert not self.outside, f"requests outside the app: {self.outside}"
        assert not self.errors, f"errors in the page: {self.errors}"

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, live_server):
    tab = Tab(browser, live_server, viewport=DESKTOP)
    yield tab
    tab.check_clean()
    tab.close()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# ---------------------------------------------------------------------------------- tests


def test_page_is_right_to_left_with_focus_in_the_box(tab):
    tab.goto("/")
    page = tab.page
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def test_typed_query_with_diacritics_shows_highlighted_results(tab):
    tab.goto("/")
    page = tab.page
    page.locator("#q").press_sequentially("الحُكُومَة", delay=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # no suggestion chosen: searches what was typed
    assert query_of(page.url)["q"] == ["الحُكُومَة"]
    assert page.locator("#q").input_value() == "الحُكُومَة"
    assert page.locator("li.hit").count() == 10
    assert page.locator("li.hit mark").count() >= 10
    assert "عدد النتائج" in page.locator(".count").inner_text()
    assert page.evaluate("document.documentElement.dir") == "rtl"


def test_suggestion_chosen_with_the_keyboard(tab):
    tab.goto("/")
    page = tab.page
    box = page.locator("#q")
    box.press_sequentially("الحك", delay=30)
    options = page.locator("#suggestions [role=option]")
    options.first.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    first = options.first.inner_text()
    page.keyboard.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert query_of(page.url)["q"] == [first]
    assert box.input_value() == first
    assert page.locator("li.hit").count() > 0


def test_escape_closes_the_suggestions(tab):
    tab.goto("/")
    page = tab.page
    page.locator("#q").press_sequentially("الحك", delay=30)
    page.locator("#suggestions [role=option]").first.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    assert page.locator("#suggestions").is_hidden()
    assert page.locator("#q").get_attribute("aria-expanded") == "false"
    assert page.url.rstrip("/") == tab.base_url  # nothing was submitted


def test_the_best_articles_show_as_the_reader_types(tab):
    tab.goto("/")
    page = tab.page
    page.locator("#q").press_sequentially("الحك", delay=30)
    articles = page.locator("#suggestions li.instant[role=option]")
    articles.first.wait_for(state="visible")
    assert 1 <= articles.count() <= 3
    title = articles.last.inner_text()
    page.keyboard.press("ArrowUp")  # from the box: the last option, an article
    assert articles.last.get_attribute("aria-selected") == "true"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.startswith("/articles/")
    assert title in page.locator("h1").inner_text()


def test_pages_through_results(tab):
    tab.goto(f"/?q={QUERY}")
    page = tab.page
    first_ids = page.locator("li.hit h2 a").evaluate_all("links => links.map(a => a.href)")
    with page.expect_navigation():
        page.get_by_role("link", name="التالي").click()
    assert query_of(page.url)["page"] == ["2"]
    assert page.locator("ol.hits").get_attribute("start") == "11"
    second_ids = page.locator("li.hit h2 a").evaluate_all("links => links.map(a => a.href)")
    assert second_ids and not set(first_ids) & set(second_ids)
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "2"


def test_facet_filters_when_clicked(tab):
    tab.goto(f"/?q={QUERY}")
    page = tab.page
    facet = page.locator(".facet-category a", has_text="صحة")
    with page.expect_navigation():
        facet.click()
    assert query_of(page.url)["category"] == ["صحة"]
    assert page.locator(".facet-category a.selected").inner_text().startswith("صحة")
    categories = page.locator("li.hit .category").all_inner_texts()
    assert categories and set(categories) == {"صحة"}
    assert "التصنيف: صحة" in page.locator(".active-filters").inner_text()


def test_timeline_bar_narrows_the_dates(tab):
    tab.goto(f"/?q={QUERY}")
    page = tab.page
    bar = page.locator(".timeline a.bar").first
    with page.expect_navigation():
        bar.click()
    args = query_of(page.url)
    assert args["from"][0].endswith("-01-01") and args["to"][0].endswith("-12-31")
    assert page.locator('input[name="from"]').input_value() == args["from"][0]


def test_date_range_form(tab):
    tab.goto(f"/?q={QUERY}")
    page = tab.page
    page.locator('input[name="from"]').fill("2017-01-01")
    page.locator('input[name="to"]').fill("2018-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="تطبيق").click()
    args = query_of(page.url)
    assert args["from"] == ["2017-01-01"] and args["to"] == ["2018-12-31"]
    years = page.locator("li.hit time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime').slice(0, 4))")
    assert years and set(years) <= {"2017", "2018"}


def test_open_an_article(tab, save_screenshot):
    tab.goto(f"/?q={QUERY}")
    page = tab.page
    title = page.locator("li.hit h2 a").first
    with page.expect_navigation():
        title.click()
    assert "/articles/" in page.url and query_of(page.url)["q"] == [QUERY]
    assert page.locator("article h1").is_visible()
    assert page.locator(".article-body mark").count() + page.locator("h1 mark").count() > 0
    assert page.locator(".related li").count() > 0
    assert page.evaluate("document.documentElement.dir") == "rtl"


def test_real_article_page_shows_lead_caption_and_subheadings(browser, seeds_server,
                                                              save_screenshot):
    tab = Tab(browser, seeds_server, viewport=DESKTOP)
    try:
        tab.goto("/?q=البغدادي")
        link = tab.page.locator("li.hit h2 a").first
        assert "الحرب على داعش تتواصل" in link.inner_text()
        with tab.page.expect_navigation():
            link.click()
        page = tab.page
        assert f"/articles/{REAL_ID}" in page.url
        assert page.locator("article h1").inner_text().startswith("الحرب على داعش تتواصل")
        assert page.locator("article .meta time").get_attribute("datetime") == "2024-05-03"
        lead = page.locator("article p.lead")
        assert lead.inner_text().startswith("يواصل التحالف الدولي ضد داعش")
        caption = page.locator("article .caption")
        assert caption.inner_text().count("جنود التحالف يدربون") == 1
        assert caption.inner_text().endswith("[عملية العزم الصلب]")
        # the lead, then the caption, then the body
        tops = [page.locator(sel).bounding_box()["y"]
                for sel in ("article p.lead", "article .caption", ".article-body")]
        assert tops == sorted(tops)
        assert page.locator(".article-body h2.subheading").all_inner_texts() == [
            "عمليات التحالف مستمرة"]
        assert "جنود التحالف يدربون" not in page.locator(".article-body").inner_text()
        assert page.locator(".article-body mark").first.inner_text() == "البغدادي"
        for furniture in ("شارك هذا المقال", "هل أعجبك", "يرجى إدخال الأرقام"):
            assert furniture not in page.locator("article").inner_text()
        path = save_screenshot(page, "real-article-desktop")
        assert path.stat().st_size > 10_000
        tab.check_clean()
    finally:
        tab.close()


def test_works_without_javascript(browser, live_server):
    tab = Tab(browser, live_server, viewport=DESKTOP, java_script_enabled=False)
    try:
        tab.goto("/")
        page = tab.page
        page.locator("#q").fill(QUERY)
        with page.expect_navigation():
            page.locator("#q").press("Enter")
        assert page.locator("li.hit").count() == 10
        tab.check_clean()
    finally:
        tab.close()


def test_hostile_article_does_not_run(tab):
    page = tab.page
    for path in ("/?q=مريب", "/articles/hostile-1?q=مريب", "/articles/hostile-2"):
        tab.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("main img, main svg, main script, main b").count() == 0, path
    tab.goto("/?q=مريب")
    titles = page.locator("li.hit h2").all_inner_texts()
    assert any("<script>window.__xss=1</script>" in t for t in titles), titles
    tab.goto("/articles/hostile-1")
    assert "<script>window.__xss=1</script>" in page.locator("article h1").inner_text()
    assert page.locator(".original").count() == 0  # its javascript: url is not a link
    hover = page.locator("article h1")
    hover.hover()
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_hostile_query_does_not_run(tab):
    page = tab.page
    hostile = '"><img src=x onerror="window.__xss=5"><script>window.__xss=6</script>'
    for path in (f"/?q={quote(hostile)}", f"/articles/hostile-1?q={quote(hostile)}"):
        tab.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.locator("main img, main script, header img").count() == 0, path
        assert page.locator("#q").input_value() == hostile, path
    tab.goto("/")
    page.locator("#q").press_sequentially("<img src=x onerror=window.__xss=7>ال", delay=10)
    page.wait_for_timeout(500)  # suggestions, if any, are drawn as text
    assert page.locator("#suggestions img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_screenshots(browser, live_server, save_screenshot):
    saved = []
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        tab = Tab(browser, live_server, viewport=viewport, is_mobile=name == "phone",
                  has_touch=name == "phone")
        try:
            tab.goto("/")
            saved.append(save_screenshot(tab.page, f"home-{name}"))
            tab.goto(f"/?q={QUERY}")
            saved.append(save_screenshot(tab.page, f"search-{name}"))
            tab.goto(f"/articles/vocalised?q={QUERY}")
            saved.append(save_screenshot(tab.page, f"article-{name}"))
            # no sideways scrolling at this width
            assert tab.page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth + 1")
            tab.check_clean()
        finally:
            tab.close()
    for path in saved:
        assert path.stat().st_size > 10_000 and re.search(r"\.png$", path.name)
