"""The app factory, the pages (web/views.py) and `fahras-web` (web/cli.py), through Flask's
test client and click's CliRunner: every page, parameter, state and error, and the headers."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import Searcher
from web import DEFAULT_CONFIG, close_searcher, create_app, get_searcher
from web import cli as web_cli
from web.params import BadParameter, SearchParams, parse_search_args
from web.security import SECURITY_HEADERS
from web.views import arabic_date, page_window, safe_url, timeline_bars

ROOT = Path(__file__).resolve().parents[1]


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def links(html):
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', html)]


# --------------------------------------------------------------------------- the factory


def test_create_app_defaults(monkeypatch):
    monkeypatch.delenv("FAHRAS_INDEX_DIR", raising=False)
    monkeypatch.delenv("FAHRAS_SEEDS_DIR", raising=False)
    app = create_app()
    assert app.config["FAHRAS_INDEX_DIR"] == "index"
    assert app.config["FAHRAS_SEEDS_DIR"] == "seeds"
    assert app.config["MAX_QUERY_LENGTH"] == DEFAULT_CONFIG["MAX_QUERY_LENGTH"] == 500
    assert app.config["MAX_PER_PAGE"] == 100
    assert not app.debug and not app.testing
    assert set(app.blueprints) == {"ui", "api", "metrics", "fonts"}  # no keys, no analytics
    assert app.extensions["fahras"] is None  # nothing opened before the first request


def test_create_app_reads_env_and_config(monkeypatch, tmp_path):
    monkeypatch.setenv("FAHRAS_INDEX_DIR", str(tmp_path / "env-index"))
    monkeypatch.setenv("FAHRAS_SEEDS_DIR", str(tmp_path / "env-seeds"))
    app = create_app()
    assert app.config["FAHRAS_INDEX_DIR"] == str(tmp_path / "env-index")
    assert app.config["FAHRAS_SEEDS_DIR"] == str(tmp_path / "env-seeds")
    app = create_app({"FAHRAS_INDEX_DIR": str(tmp_path / "given"), "MAX_QUERY_LENGTH": 50})
    assert app.config["FAHRAS_INDEX_DIR"] == str(tmp_path / "given")
    assert app.config["MAX_QUERY_LENGTH"] == 50


def test_one_searcher_per_app(web_app, web_client):
    page(web_client, "/?q=الحكومة")
    searcher = web_app.extensions["fahras"]
    assert isinstance(searcher, Searcher)
    page(web_client, "/articles/a01")
    web_client.get("/api/search?q=القمح")
    assert web_app.extensions["fahras"] is searcher is get_searcher(web_app)


def test_flask_cli_finds_the_factory(web_index, monkeypatch):
    from flask.cli import ScriptInfo

    monkeypatch.setenv("FAHRAS_INDEX_DIR", str(web_index))
    app = ScriptInfo(app_import_path="web").load_app()  # what `flask --app web run` loads
    try:
        assert app.config["FAHRAS_INDEX_DIR"] == str(web_index) and not app.debug
        assert app.test_client().get("/healthz").get_json()["ok"]
    finally:
        close_searcher(app)


# ------------------------------------------------------------------------------- home


def test_home_page(web_client):
    html = page(web_client, "/")
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<input id="q" name="q"[^>]*autofocus', html, re.S)
    assert 'role="combobox"' in html and 'role="listbox"' in html
    assert "عدد المقالات في الفهرس" in html and "<bdi>28</bdi>" in html
    assert 'action="/"' in html and 'method="get"' in html


def test_pages_make_no_external_requests_and_no_inline_code(web_client):
    for url in ("/", "/?q=الحكومة", "/articles/a01?q=الحكومة", "/articles/nope"):
        html = web_client.get(url).get_data(as_text=True)
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html.replace(
            'href="https://news.example.org', "")), url
        assert re.findall(r"<script\b[^>]*>", html) == [
            '<script src="/static/fahras.js" defer>']
        assert "<style" not in html and " style=" not in html
        assert re.findall(r'<link rel="stylesheet"[^>]*>', html) == [
            '<link rel="stylesheet" href="/static/fahras.css">']


def test_static_files(web_client):
    css = web_client.get("/static/fahras.css")
    assert css.status_code == 200 and "Noto Naskh Arabic" in css.get_data(as_text=True)
    assert "line-height: 1.8" in css.get_data(as_text=True)
    js = web_client.get("/static/fahras.js")
    assert js.status_code == 200 and "/api/suggest" in js.get_data(as_text=True)
    for response in (css, js):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()


# ------------------------------------------------------------------------------ search


def test_search_results(web_client):
    html = page(web_client, "/?q=الحكومة")
    assert 'value="الحكومة"' in html
    assert "عدد النتائج" in html and "ثانية" in html
    assert html.count('class="hit"') == 10
    assert "<mark>" in html
    assert 'dir="auto"' in html and "<bdi>" in html
    # titles link to the article page with the query, so the article marks the words
    assert re.search(r'href="/articles/a\d\d\?q=%D8%A7', html)
    assert "<time datetime=" in html


def test_search_keeps_diacritics_in_highlights(web_client):
    html = page(web_client, "/?q=حكومة")
    assert "<mark>الحُكُومَةُ</mark>" in html or "الحُكُومَةُ</mark>" in html


def test_pagination(web_client):
    html = page(web_client, "/?q=الحكومة")
    assert 'aria-label="صفحات النتائج"' in html
    assert "/?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9&amp;page=2" in html
    assert "التالي" in html and "السابق" not in html
    second = page(web_client, "/?q=الحكومة&page=2")
    assert "السابق" in second and 'aria-current="page"' in second
    assert re.search(r'<ol class="hits" start="11">', second)
    beyond = page(web_client, "/?q=الحكومة&page=50")
    assert "لا توجد نتائج في هذه الصفحة" in beyond


def test_facets_filter_and_keep_state(web_client):
    html = page(web_client, "/?q=الحكومة&sort=newest")
    for title in ("التصنيف", "المصدر", "السنة"):
        assert title in html
    facet_links = [h for h in links(html) if "category=" in h]
    assert facet_links and all("sort=newest" in h for h in facet_links)
    health = next(h for h in facet_links if "category=%D8%B5%D8%AD%D8%A9" in h)
    filtered = page(web_client, health)
    assert 'class="selected" aria-current="true"' in filtered
    assert "التصنيف: <bdi>صحة</bdi>" in filtered  # the active-filter chip, removable
    assert filtered.count('class="hit"') >= 1
    assert "إزالة الكل" in filtered


def test_source_year_and_date_filters(web_client):
    assert "المصدر: <bdi>موقع المساء</bdi>" in page(web_client, "/?q=الحكومة&source=موقع المساء")
    assert "السنة: <bdi>2016</bdi>" in page(web_client, "/?q=الحكومة&year=2016")
    html = page(web_client, "/?q=الحكومة&from=2017-01-01&to=2018-12-31")
    assert 'name="from" value="2017-01-01"' in html and 'name="to" value="2018-12-31"' in html
    assert "من <bdi>1 يناير 2017</bdi>" in html


def test_sort_links(web_client):
    html = page(web_client, "/?q=الحكومة&sort=oldest")
    for label in ("الأكثر صلة", "الأحدث", "الأقدم"):
        assert label in html
    assert re.search(r'class="current" aria-current="true"[^>]*>الأقدم<', html)
    years = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', html)
    assert years == sorted(years)


def test_timeline(web_client):
    html = page(web_client, "/?q=الحكومة")
    assert 'class="timeline"' in html
    bars = [h for h in links(html) if "from=" in h and "to=" in h]
    assert bars
    assert any("from=2015-01-01&to=2015-12-31" in h for h in bars)
    assert re.search(r'class="fill h20"', html)


def test_did_you_mean(web_client):
    html = page(web_client, "/?q=الحكومه")  # ه for ة is normalised: found, no suggestion
    assert "هل تقصد" not in html
    html = page(web_client, "/?q=القمخ")
    assert "هل تقصد" in html and ">القمح</a>" in html
    suggestion = re.search(r"هل تقصد: <a href=\"([^\"]+)\"", html).group(1)
    assert page(web_client, unescape(suggestion)).count('class="hit"') > 0


def test_empty_results(web_client):
    html = page(web_client, "/?q=زرافةمجهولة")
    assert "لا توجد نتائج عن" in html and "زرافةمجهولة" in html
    html = page(web_client, "/?q=الحكومة&category=غير موجود")
    assert "ابحث دون عوامل التصفية" in html


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "page=-2", "sort=popular", "from=2020-13-01", "to=tomorrow",
    "year=x",  # a start after the end is swapped on the page (tests/test_web_touches.py)
])
def test_bad_parameters_are_a_400_page(web_client, query):
    html = page(web_client, f"/?q=الحكومة&{query}", status=400)
    assert '<html lang="ar" dir="rtl">' in html
    assert "طلب غير صالح" in html and 'value="الحكومة"' in html
    assert "Traceback" not in html


def test_long_query_is_truncated_with_notice(web_client, web_app):
    limit = web_app.config["MAX_QUERY_LENGTH"]
    response = web_client.get("/", query_string={"q": "الحكومة " * 100})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "اختُصر" in html and str(limit) in html


# ----------------------------------------------------------------------------- articles


def test_article_page(web_client):
    html = page(web_client, "/articles/a02?q=القمح")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<mark>القمح</mark>" in html
    assert "ارتفاع أسعار" in html and "اقتصاد" in html
    assert "مقالات ذات صلة" in html
    assert 'href="https://news.example.org/2"' in html and 'rel="noopener noreferrer' in html
    assert "العودة إلى نتائج" in html
    plain = page(web_client, "/articles/a02")
    assert "<mark>" not in plain and "العودة إلى نتائج" not in plain


def test_unknown_article_is_a_404_page(web_client):
    html = page(web_client, "/articles/no-such-article", status=404)
    assert "المقال غير موجود" in html and '<html lang="ar" dir="rtl">' in html


def test_unknown_page_is_a_404_page(web_client):
    html = page(web_client, "/no/such/page", status=404)
    assert "الصفحة غير موجودة" in html


def test_hostile_article_is_shown_as_text(web_client):
    results = page(web_client, "/?q=مريب")
    article = page(web_client, "/articles/hostile-1?q=مريب")
    other = page(web_client, "/articles/hostile-2")
    for html in (results, article, other):
        assert "<script>window" not in html and "onerror=" not in html.replace("&#34;", "")
        assert "<svg" not in html and "<b onmouseover" not in html
        assert "javascript:" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in article
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in results
    assert "&lt;svg" in other


def test_index_missing_page(missing_index_app, tmp_path):
    client = missing_index_app.test_client()
    for url in ("/", "/?q=الحكومة", "/articles/a01"):
        html = page(client, url, status=503)
        assert "الفهرس غير موجود" in html and "fahras-index build seeds" in html
        assert str(tmp_path) not in html


def test_unexpected_error_page(web_client, web_app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret failure in /srv/private/path.py")

    monkeypatch.setattr(get_searcher(web_app), "search", boom)
    html = page(web_client, "/?q=الحكومة", status=500)
    assert "حدث خطأ غير متوقع" in html
    assert "secret" not in html and "/srv" not in html and "Traceback" not in html


def test_security_headers_on_pages(web_client):
    for url, status in (("/", 200), ("/?q=الحكومة", 200), ("/articles/a01", 200),
                        ("/articles/nope", 404), ("/?page=0", 400)):
        response = web_client.get(url)
        assert response.status_code == status
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


# ---------------------------------------------------------------------------- helpers


def test_parse_search_args():
    params = parse_search_args({"q": "  الحكومة   الجديدة ", "page": "2", "sort": "newest",
                                "from": "2020-01-01", "category": " صحة "})
    assert params.q == "الحكومة الجديدة" and params.page == 2 and params.sort == "newest"
    assert params.date_from == date(2020, 1, 1) and params.category == "صحة"
    assert params.url_args(sort="oldest") == {
        "q": "الحكومة الجديدة", "category": "صحة", "from": "2020-01-01", "sort": "oldest"}
    assert params.url_args(page=3)["page"] == 3
    with pytest.raises(BadParameter) as info:
        parse_search_args({"q": "x" * 501})
    assert info.value.param == "q" and info.value.message_ar
    assert parse_search_args({"q": "x" * 501}, truncate=True).truncated


def test_helpers():
    assert arabic_date(date(2018, 2, 18)) == "18 فبراير 2018" and arabic_date(None) == ""
    assert page_window(1, 1) == [1]
    assert page_window(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"

    class Facet:
        def __init__(self, value, count):
            self.value, self.count = value, count

    bars = timeline_bars([Facet("2018", 4), Facet("2015", 2)], SearchParams(q="x"))
    assert [b["label"] for b in bars] == ["2015", "2016", "2017", "2018"]
    assert [b["step"] for b in bars] == [10, 0, 0, 20] and bars[1]["args"] is None
    assert bars[0]["args"] == {"q": "x", "from": "2015-01-01", "to": "2015-12-31"}


# ------------------------------------------------------------------------ fahras-web CLI


def test_cli_help():
    result = CliRunner().invoke(web_cli.main, ["--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--index-dir", "--threads", "--workers", "FAHRAS_HOST",
                   "FAHRAS_PORT", "FAHRAS_INDEX_DIR", "FAHRAS_WORKERS"):
        assert option in result.output


def test_cli_builds_from_seeds_on_first_start(tmp_path, web_corpus, monkeypatch):
    served = {}
    real_make_server = web_cli.make_server

    def make_server(app, host, port, threads):
        server = real_make_server(app, host, port, threads)
        served.update(app=app, threads=threads)

        def run():  # one request instead of serving forever, then Ctrl-C
            served["health"] = app.test_client().get("/healthz").get_json()
            raise KeyboardInterrupt

        server.run = run
        return server

    monkeypatch.setattr(web_cli, "make_server", make_server)
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(web_cli.main, [
        "--index-dir", str(index_dir), "--seeds-dir", str(web_corpus), "--port", "0",
        "--threads", "3", "--workers", "1"])  # served from this process (web/workers.py aside)
    assert result.exit_code == 0, result.output
    assert "First start" in result.output and "building one from" in result.output
    assert re.search(r"Open http://127\.0\.0\.1:\d+/", result.output)
    assert served["threads"] == 3 and not served["app"].debug
    assert served["health"]["ok"] and served["health"]["documents"] > 0
    # the second start finds the index and does not rebuild it
    result = CliRunner().invoke(web_cli.main, ["--index-dir", str(index_dir), "--port", "0",
                                               "--workers", "1"])
    assert result.exit_code == 0 and "First start" not in result.output


def test_cli_without_index_or_seeds(tmp_path):
    result = CliRunner().invoke(web_cli.main, [
        "--index-dir", str(tmp_path / "index"), "--seeds-dir", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "fahras-index build" in result.output


def test_cli_bad_port():
    result = CliRunner().invoke(web_cli.main, ["--port", "99999"])
    assert result.exit_code == 2


def test_fahras_web_serves_over_http(tmp_path, web_index):
    """The real command in a subprocess: it prints the address, and the address answers."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "FAHRAS_INDEX_DIR": str(web_index), "FAHRAS_PORT": "0",
           "FAHRAS_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        address, deadline, output = None, time.monotonic() + 30, []
        while address is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            match = re.search(r"Open (http://\S+)", line)
            address = match.group(1) if match else None
        assert address, "".join(output)
        with urllib.request.urlopen(address + "healthz", timeout=10) as response:
            data = json.load(response)
        assert data["ok"] and data["documents"] > 0
        with urllib.request.urlopen(address + "?q=%D8%A7%D9%84%D9%82%D9%85%D8%AD") as response:
            assert "<mark>" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_readme_documents_the_web():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Web" in readme
    for needle in ("fahras-web", "flask --app web run", "/api/search", "/api/suggest",
                   "/api/articles/", "/healthz", "/api/openapi.json", "FAHRAS_HOST",
                   "FAHRAS_PORT", "FAHRAS_THREADS", "FAHRAS_SEEDS_DIR"):
        assert needle in readme, needle


def test_close_searcher(web_index):
    app = create_app({"FAHRAS_INDEX_DIR": str(web_index)})
    close_searcher(app)  # nothing opened: nothing to close
    get_searcher(app)
    close_searcher(app)
    assert app.extensions["fahras"] is None


def test_production_app_hides_unexpected_errors(web_index, monkeypatch):
    app = create_app({"FAHRAS_INDEX_DIR": str(web_index)})  # not TESTING, not debug
    try:
        def boom(*args, **kwargs):
            raise RuntimeError("secret failure in /srv/private/path.py")

        monkeypatch.setattr(get_searcher(app), "search", boom)
        client = app.test_client()
        for url in ("/?q=الحكومة", "/api/search?q=الحكومة"):
            response = client.get(url)
            body = response.get_data(as_text=True)
            assert response.status_code == 500
            assert "secret" not in body and "/srv" not in body and "Traceback" not in body
        assert client.get("/api/search?q=x").get_json()["error"]["code"] == "internal_error"
    finally:
        close_searcher(app)


def test_first_start_names_every_skipped_file(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "000_159b84fecf733829.txt", seeds)
    (seeds / "bad.txt").write_text("ثقافة\nعنوان\nأمس\nنص.\n", encoding="utf-8")
    said: list[str] = []
    web_cli.ensure_index(str(tmp_path / "index"), str(seeds), echo=said.append)
    assert said[1] == "Built the index: 1 articles in " + said[1].split(" in ")[1]
    assert said[2:] == [f"  - skipped {seeds / 'bad.txt'}: bad date 'أمس'"]


def test_first_start_that_reads_nothing_says_why(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(web_cli.main, [
        "--index-dir", str(tmp_path / "index"), "--seeds-dir", str(seeds), "--port", "0"])
    assert result.exit_code == 1
    assert f"{seeds / 'empty.txt'}: empty file" in result.output
    assert "no index was built" in result.output and "existing index" not in result.output


def test_default_index_holds_the_real_article(tmp_path):
    said: list[str] = []
    web_cli.ensure_index(str(tmp_path / "index"), str(ROOT / "seeds"), echo=said.append)
    assert "skipped" not in said[1]
    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(tmp_path / "index")})
    try:
        page = app.test_client().get("/articles/000_159b84fecf733829").get_data(as_text=True)
    finally:
        close_searcher(app)
    assert 'class="lead"' in page and "يواصل التحالف الدولي" in page
    assert page.count("جنود التحالف يدربون") == 1
    assert '<h2 class="subheading">عمليات التحالف مستمرة</h2>' in page
