"""Web hardening: hostile text stays inert, every answer carries the security headers, errors
tell nothing about the server, sizes are limited, and article ids cannot reach files.

* XSS: articles with script in every field (title, body, category, source, url) and queries
  with markup are shown as text on every page (search results, facets, article, home, errors)
  and are plain data in the API; template syntax in an article is not evaluated.
* Headers: Content-Security-Policy (with ``frame-ancestors 'none'``), nosniff,
  X-Frame-Options, Referrer-Policy on every route of the app, errors included (400, 404, 405,
  413, 500, 503) and static files.
* Errors: an app in production mode (not testing, exceptions not propagated) over an index
  broken in several ways (garbled pointer, deleted or truncated segments, garbled metadata)
  answers 500/503 with no stack trace, no file name and no server path.
* Limits: huge query strings, page and per_page values, and request bodies over
  ``MAX_CONTENT_LENGTH`` (413, also from the production server, which must not buffer them).
* Path traversal: ``..`` and encoded slashes in article ids and static paths give 404/400
  and open no file outside the index and the app's own files (checked with an audit hook).
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from indexer import IndexStore, build_index
from web import close_searcher, create_app
from web.server import make_server

XSS = {
    "script": "<script>window.__x=1</script>",
    "img": '"><img src=x onerror="window.__x=2">',
    "svg": "'><svg onload=window.__x=3>",
    "iframe": "</textarea><iframe src=javascript:window.__x=4></iframe>",
    "details": '<details open ontoggle="window.__x=5">',  # not a tag the cleaner knows
    "template": "{{ 7*7 }}{% if 1 %}X{% endif %}",
}
HOSTILE_ARTICLES = [
    {"id": "x-title", "title": f"عنوان خبيث {XSS['script']} {XSS['img']}",
     "body": "نص عادي عن السلحفاة البحرية.", "category": "علوم", "source": "مجلة البحر",
     "date": "2020-01-01", "url": "https://example.org/ok"},
    {"id": "x-body", "title": "متن خبيث عن السلحفاة",
     "body": f"السلحفاة تعيش طويلا {XSS['details']} {XSS['template']} {XSS['svg']}",
     "category": "علوم", "date": "2020-02-02", "url": "javascript:window.__x=6"},
    {"id": "x-labels", "title": "تصنيف خبيث عن السلحفاة",
     "body": "يتحدث المقال عن السلحفاة في الصحراء.", "date": "2020-03-03",
     "category": f"فئة{XSS['svg']}", "source": f"مصدر{XSS['iframe']}",
     "url": 'https://example.org/"><script>window.__x=7</script>'},
    {"id": "x-plain", "title": "السلحفاة العملاقة", "body": "خبر عادي عن السلحفاة العملاقة.",
     "category": "علوم", "source": "مجلة البحر", "date": "2021-01-01"},
]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    report = build_index([write_jsonl(folder / "x.jsonl", HOSTILE_ARTICLES)], folder / "index")
    assert report.indexed == len(HOSTILE_ARTICLES) and not report.skipped, report.skipped
    return folder / "index"


@pytest.fixture(scope="module")
def app(hostile_index):
    app = create_app({"FAHRAS_INDEX_DIR": str(hostile_index)})  # production mode
    yield app
    close_searcher(app)


@pytest.fixture
def client(app):
    return app.test_client()


def body_of(response) -> str:
    """The page without its <head> (which holds the one script tag of the app)."""
    html = response.get_data(as_text=True)
    return html.split("</head>", 1)[-1]


class _Elements(HTMLParser):
    """The elements and attributes of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def assert_inert(html: str, where: str) -> None:
    """No element or attribute of the hostile text made it into the page as markup."""
    parsed = _Elements()
    parsed.feed(html)
    parsed.close()
    for tag in ("script", "img", "svg", "iframe", "details", "object", "embed"):
        assert tag not in parsed.tags, f"<{tag}> in {where}"
    for name, value in parsed.attributes:
        assert not name.startswith("on"), f"{name}= in {where}"
        if name in URL_ATTRIBUTES:
            assert not value.strip().lower().startswith(("javascript:", "data:text")), \
                f"{name}={value} in {where}"
    assert "49X" not in html, f"template syntax evaluated in {where}"


def assert_security_headers(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in csp, f"{where}: CSP without {directive!r}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    assert response.headers.get("Referrer-Policy") in (
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"), where


# ------------------------------------------------------------------------------ XSS


def test_hostile_articles_are_text_on_every_page(client):
    pages = {
        "results": "/?q=السلحفاة",
        "results by category": "/?q=السلحفاة&category=" + HOSTILE_ARTICLES[2]["category"],
        "results by source": "/?source=" + HOSTILE_ARTICLES[2]["source"],
        "home": "/",
        **{f"article {a['id']}": f"/articles/{a['id']}?q=السلحفاة" for a in HOSTILE_ARTICLES},
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_inert(body_of(response), where)
    results = body_of(client.get("/?q=السلحفاة"))
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in results  # shown, escaped
    assert "{{ 7*7 }}" in body_of(client.get("/articles/x-body"))
    assert "&lt;details open ontoggle=" in body_of(client.get("/articles/x-body"))
    labels = body_of(client.get("/articles/x-labels"))
    assert "فئة&#39;&gt;&lt;svg" in labels or "فئة&#x27;&gt;&lt;svg" in labels, labels


def test_unsafe_urls_are_not_links(client):
    for article_id in ("x-body", "x-labels"):
        html = body_of(client.get(f"/articles/{article_id}"))
        assert 'href="javascript:' not in html.lower()
        assert "window.__x=7</script>" not in html
    assert 'href="https://example.org/ok"' in body_of(client.get("/articles/x-title"))


def test_hostile_articles_are_plain_data_in_the_api(client):
    response = client.get("/api/articles/x-title")
    assert response.mimetype == "application/json"
    article = response.get_json()["article"]
    assert article["title"] == HOSTILE_ARTICLES[0]["title"]  # data, kept as written
    assert "<script>" not in article["title_html"] and "&lt;script&gt;" in article["title_html"]
    hits = client.get("/api/search?q=السلحفاة&per_page=10").get_json()["hits"]
    for hit in hits:
        assert "<script" not in hit["title_highlight"]["html"]
        assert "<svg" not in hit["snippet"]["html"] and "<details" not in hit["snippet"]["html"]


@pytest.mark.parametrize("q", [
    XSS["script"], XSS["img"], XSS["svg"], XSS["iframe"], XSS["template"],
    '"><script>window.__x=9</script>', "</title><script>window.__x=10</script>",
    "السلحفاة <img src=x onerror=window.__x=11>", "javascript:window.__x=12",
])
def test_hostile_queries_are_text(client, q):
    for url, status in ((f"/?q={q}", 200), (f"/?q={q}&page=0", 400),
                        (f"/?q={q}&sort=evil", 400), (f"/articles/x-plain?q={q}", 200),
                        (f"/articles/missing?q={q}", 404)):
        response = client.get(url, query_string=None)
        assert response.status_code == status, url
        assert_inert(body_of(response), url)
    suggest = client.get("/api/suggest", query_string={"q": q})
    assert suggest.mimetype == "application/json"
    assert_security_headers(suggest, "suggest")


# ------------------------------------------------------------------------------ headers


def concrete_urls(app) -> list[str]:
    """Every GET route of the app with sample values in place of its variables."""
    samples = {"article_id": "x-plain", "filename": "fahras.css"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", samples[name]).replace(f"<path:{name}>", samples[name])
        urls.append(url)
    return urls


def test_security_headers_on_every_route(app, client):
    urls = concrete_urls(app)
    assert {"/", "/articles/x-plain", "/api/search", "/healthz"} <= set(urls)
    for url in urls:
        with client.get(url) as response:  # static files are streamed: closed here
            assert response.status_code == 200, url
            assert_security_headers(response, url)


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/?page=0", 400),
    ("GET", "/api/search?per_page=0", 400),
    ("GET", "/articles/missing", 404),
    ("GET", "/api/articles/missing", 404),
    ("GET", "/no/such/page", 404),
    ("GET", "/api/nothing", 404),
    ("GET", "/static/missing.js", 404),
    ("POST", "/", 405),
    ("DELETE", "/api/search", 405),
])
def test_security_headers_on_errors(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    assert_security_headers(response, f"{method} {url}")


# ------------------------------------------------------------------------------ errors


def _garble_pointer(root: Path, generation: Path) -> None:
    (root / "CURRENT").write_bytes(b"\xff\xfe\x00 not a pointer")


def segment_files(generation: Path) -> list[Path]:
    """The files of the index's segments (compound ``.seg`` or separate), not its TOC."""
    found = [p for p in generation.glob("MAIN_*") if p.name != "MAIN_WRITELOCK"]
    assert found, sorted(p.name for p in generation.iterdir())
    return found


def _delete_segments(root: Path, generation: Path) -> None:
    for path in segment_files(generation):
        path.unlink()


def _truncate_segments(root: Path, generation: Path) -> None:
    for path in segment_files(generation):
        path.write_bytes(path.read_bytes()[:64])


def _garble_toc(root: Path, generation: Path) -> None:
    for path in generation.glob("*.toc"):
        path.write_bytes(b"\x80\x04garbage" * 8)


def _garble_meta(root: Path, generation: Path) -> None:
    (generation / "fahras.json").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize("breakage", [
    _garble_pointer, _delete_segments, _truncate_segments, _garble_toc, _garble_meta,
])
def test_broken_index_tells_nothing_about_the_server(hostile_index, tmp_path, breakage):
    root = tmp_path / "secret-place" / "index"
    shutil.copytree(hostile_index, root)
    breakage(root, IndexStore(root).current())
    app = create_app({"FAHRAS_INDEX_DIR": str(root)})
    assert not app.testing and not app.config["PROPAGATE_EXCEPTIONS"] and not app.debug
    try:
        client = app.test_client()
        statuses = {}
        for url in ("/", "/?q=السلحفاة", "/articles/x-plain", "/api/search?q=السلحفاة",
                    "/api/articles/x-plain", "/api/suggest?q=ال", "/healthz"):
            response = client.get(url)
            text = response.get_data(as_text=True)
            statuses[url] = response.status_code
            # what still works may answer; what does not is a 500/503, never more
            assert response.status_code in (200, 500, 503), (url, response.status_code)
            secrets = ["Traceback", 'File "', ".py", "secret-place", str(tmp_path), "/tmp"]
            if response.status_code != 200:
                secrets += ["whoosh", "Error:", "gen-"]
            for secret in secrets:
                assert secret not in text, (url, secret, text[:500])
            assert_security_headers(response, url)
            if url.startswith(("/api", "/healthz")) and response.status_code != 200:
                error = response.get_json()["error"]
                assert error["code"] in ("internal_error", "index_not_found", "index_mismatch",
                                         "index_damaged"), error
        assert statuses["/api/search?q=السلحفاة"] in (500, 503), statuses  # it did break
        health = client.get("/healthz")  # a load balancer must hear it too
        assert health.status_code == 503, health.get_json()
        assert health.get_json()["error"]["code"] in (
            "index_not_found", "index_mismatch", "index_damaged"), health.get_json()
    finally:
        close_searcher(app)


# ------------------------------------------------------------------------------ limits


def test_huge_query_strings_and_numbers(client, app):
    limit = app.config["MAX_QUERY_LENGTH"]
    huge = "السلحفاة " * 20_000  # 180,000 characters
    api = client.get("/api/search", query_string={"q": huge})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "bad_parameter"
    page = client.get("/", query_string={"q": huge})
    assert page.status_code == 200
    assert f'maxlength="{limit}"' in page.get_data(as_text=True)
    suggest = client.get("/api/suggest", query_string={"q": huge})
    assert suggest.status_code == 400
    article = client.get("/articles/x-plain", query_string={"q": huge})
    assert article.status_code == 200
    for params in ({"per_page": "1" + "0" * 40}, {"per_page": "101"}, {"per_page": "-1"},
                   {"page": "9" * 50}, {"page": "10001"}, {"year": "9" * 30},
                   {"per_page": "1e3"}, {"category": "ف" * 5000}, {"from": "9" * 100}):
        response = client.get("/api/search", query_string={"q": "السلحفاة", **params})
        assert response.status_code == 400, params
    many = "&".join(f"q{n}=x" for n in range(5000))
    assert client.get(f"/api/search?q=السلحفاة&{many}").status_code == 200
    for n in (1, 5):
        response = client.get("/api/suggest", query_string={"q": "ال", "n": str(10 ** (n * 9))})
        assert response.status_code == 400


@pytest.mark.parametrize("method, url", [
    ("POST", "/api/search"), ("GET", "/api/search?q=x"), ("GET", "/"), ("PUT", "/healthz"),
])
def test_request_bodies_over_the_limit_are_refused(client, app, method, url):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 1024 * 1024
    response = client.open(url, method=method, data=b"x" * (limit + 1))
    assert response.status_code == 413
    assert_security_headers(response, url)
    small = client.open(url, method=method, data=b"x" * 10)
    assert small.status_code in (200, 405)


# ------------------------------------------------------------------------------ traversal


class FileWatch:
    """Records the files the process opens (audit hook) while ``active``."""

    opened: list[str] = []
    active = False
    installed = False

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active and event in ("open", "os.listdir", "os.scandir"):
            cls.opened.append(str(args[0]))

    @classmethod
    def install(cls) -> None:
        if not cls.installed:
            sys.addaudithook(cls.hook)
            cls.installed = True


TRAVERSALS = [
    "/articles/..%2F..%2Fetc%2Fpasswd",
    "/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/articles/../../etc/passwd",
    "/articles/..%5C..%5Csetup.cfg",
    "/articles/%00",
    "/articles/..",
    "/api/articles/../../x",
    "/api/articles/..%2F..%2Fsetup.cfg",
    "/api/articles/..%2F..%2Fetc%2Fpasswd/similar",
    "/static/../../setup.cfg",
    "/static/..%2F..%2Fsetup.cfg",
    "/static/%2e%2e/%2e%2e/setup.cfg",
    "/static//etc/passwd",
    "/static/..%5c..%5csetup.cfg",
    "/articles/" + "a" * 10_000,
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_is_refused_without_touching_files(client, hostile_index, url):
    client.get("/?q=السلحفاة")  # the index is open before watching
    FileWatch.install()
    FileWatch.opened = []
    FileWatch.active = True
    try:
        response = client.get(url)
        if response.status_code == 308:  # "//" merged: a redirect inside the site, then 404
            location = urlsplit(response.headers["Location"])
            assert location.netloc in ("", "localhost"), location  # the same site
            assert location.path.startswith("/static/") and ".." not in location.path
            response = client.get(location.path)
    finally:
        FileWatch.active = False
    assert response.status_code in (400, 404), (url, response.status_code)
    text = response.get_data(as_text=True)
    assert "root:" not in text and "[metadata]" not in text
    web_dir = Path(create_app.__code__.co_filename).parent
    allowed = (str(hostile_index), str(web_dir), sys.prefix, sys.base_prefix)
    outside = [p for p in FileWatch.opened if not p.startswith(allowed)]
    assert outside == [], outside
    assert not any("passwd" in p or "setup.cfg" in p for p in FileWatch.opened)


# ------------------------------------------------------------------------------ the server


@pytest.fixture(scope="module")
def live_server(app):
    """The app served by waitress (as ``fahras-web`` does) on 127.0.0.1, a free port."""
    from waitress import wasyncore

    server = make_server(app, "127.0.0.1", 0, 2)
    stopping = threading.Event()

    def serve():
        try:
            server.run()
        except OSError:  # its sockets closed under it by the shutdown below
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=serve, name="fahras-hardening-server", daemon=True)
    thread.start()
    yield server.effective_port
    stopping.set()
    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)
    thread.join(timeout=5)


def raw_request(port: int, data: bytes) -> bytes:
    """Send ``data`` as is and return what the server answers (it may hang up early)."""
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed before reading everything
            pass
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    return b"".join(chunks)


def test_server_refuses_big_bodies_before_reading_them(live_server, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    with socket.create_connection(("127.0.0.1", live_server), timeout=10) as sock:
        sock.sendall(b"POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Length: 536870912\r\n\r\n" + b"x" * 65536)
        sock.settimeout(5)  # the answer must come now, not after 512 MB
        answer = sock.recv(65536)
    assert answer.split(b"\r\n", 1)[0].split()[1] == b"413", answer[:200]
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=10)
    conn.request("POST", "/api/search", body=b"x" * (limit + 1))
    assert conn.getresponse().status == 413
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=10)
    conn.request("GET", "/api/search?q=" + quote("السلحفاة"), body=b"x" * 100)
    response = conn.getresponse()
    assert response.status == 200 and json.loads(response.read())["ok"] is True
    conn.close()


def test_server_survives_raw_hostile_requests(live_server):
    answers = {
        "dots": raw_request(live_server, b"GET /api/articles/../../x HTTP/1.1\r\n"
                            b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        "static dots": raw_request(live_server, b"GET /static/../../../etc/passwd HTTP/1.1\r\n"
                                   b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        "long url": raw_request(live_server, b"GET /?q=" + b"a" * 400_000 + b" HTTP/1.1\r\n"
                                b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        "long header": raw_request(live_server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   b"X-Pad: " + b"b" * 400_000 + b"\r\n\r\n"),
        "garbage": raw_request(live_server, b"\x00\x01\x02 NOT HTTP \xff\xfe\r\n\r\n"),
    }
    for name, answer in answers.items():
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1."), (name, answer[:200])
        status = int(status_line.split()[1])
        assert 400 <= status < 500, (name, status_line)
        assert b"root:" not in answer and b"Traceback" not in answer, name
    conn = http.client.HTTPConnection("127.0.0.1", live_server, timeout=10)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    assert response.status == 200 and json.loads(response.read())["ok"] is True
    conn.close()
