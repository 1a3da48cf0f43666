"""The production server (web/server.py): what waitress answers by itself is in Fahras's
envelope with the security headers, and slow or idle clients cannot keep others out.

Every server here listens on 127.0.0.1 on a free port and is stopped by its fixture; every
client socket has a timeout, so no test can hang.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import write_jsonl_records
from waitress import wasyncore

from indexer import build_index
from web import close_searcher, create_app
from web.security import SECURITY_HEADERS
from web.server import SERVER_LIMITS, is_api_target, make_server

ARTICLES = [
    {"id": "a1", "title": "قافلة الإغاثة تصل إلى القرية", "body": "وصلت قافلة الإغاثة صباحا.",
     "date": "2023-02-01"},
    {"id": "a2", "title": "افتتاح جسر جديد", "body": "افتتح الجسر الجديد فوق النهر.",
     "date": "2023-03-01"},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("server")
    report = build_index([write_jsonl_records(folder / "a.jsonl", ARTICLES)], folder / "index")
    assert report.indexed == len(ARTICLES)
    return folder / "index"


@contextlib.contextmanager
def serving(index_dir: Path, app_config: dict | None = None, **settings):
    """The app (``app_config`` added to its config) behind :func:`make_server` in a thread;
    yields the port."""
    app = create_app({"FAHRAS_INDEX_DIR": str(index_dir), **(app_config or {})})
    server = make_server(app, "127.0.0.1", 0, 2, **settings)
    stopping = threading.Event()

    def serve():
        try:
            server.run()
        except OSError:  # its sockets closed under it on shutdown
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=serve, name="fahras-test-server", daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        stopping.set()
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        thread.join(timeout=5)
        close_searcher(app)


@pytest.fixture(scope="module")
def port(index_dir):
    with serving(index_dir) as port:
        yield port


def exchange(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw ``data``; ``(status, headers, body)`` of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        with contextlib.suppress(OSError):  # the server may answer before reading it all
            sock.sendall(data)
        chunks = []
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def get(path: bytes) -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def assert_headers(headers: dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def test_raw_arabic_bytes_in_an_api_address_get_the_envelope(port):
    status, headers, body = exchange(port, get("/api/search?q=النفط".encode()))
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    document = json.loads(body)
    assert document["ok"] is False and document["error"]["code"] == "bad_request"
    assert "percent-encoded" in document["error"]["message"]
    assert_headers(headers)


def test_raw_bytes_in_a_page_address_get_a_page_with_the_headers(port):
    status, headers, body = exchange(port, get("/?q=النفط".encode()))
    assert status == 400
    assert headers["Content-Type"].startswith("text/html")
    assert 'dir="rtl"' in body.decode() and "fahras" not in body.decode()
    assert_headers(headers)


def test_an_oversized_request_line_is_answered_not_reset(port):
    limit = SERVER_LIMITS["max_request_header_size"]
    status, headers, body = exchange(port, get(b"/api/search?q=" + b"a" * (limit * 20)))
    assert status == 431
    assert json.loads(body)["error"]["code"] == "request_too_large"
    assert_headers(headers)


def test_oversized_headers_on_a_page_keep_the_headers(port):
    pad = b"X-Pad: " + b"b" * (SERVER_LIMITS["max_request_header_size"] * 2) + b"\r\n"
    status, headers, _ = exchange(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + pad + b"\r\n")
    assert status == 431 and headers["Content-Type"].startswith("text/html")
    assert_headers(headers)


@pytest.mark.parametrize("path", [b"/api/articles///similar", b"/api//search", b"/articles//a1"])
def test_doubled_slashes_are_not_found_not_redirected(port, path):
    status, headers, body = exchange(port, get(path))
    assert status == 404 and "Location" not in headers
    assert_headers(headers)
    if path.startswith(b"/api/"):
        assert json.loads(body)["ok"] is False


def test_requests_waitress_parses_still_reach_the_app(port):
    status, headers, body = exchange(port, get(b"/api/search?q=%D8%AC%D8%B3%D8%B1"))
    assert status == 200 and json.loads(body)["total"] == 1
    assert_headers(headers)


@pytest.mark.parametrize(("head", "api"), [
    (b"GET /api/search?q=x HTTP/1.1", True),
    (b"GET /api HTTP/1.1", True),
    (b"GET /healthz HTTP/1.1", True),
    (b"GET http://example.org/api/suggest?q=x HTTP/1.1", True),
    (b"GET /apiary HTTP/1.1", False),
    (b"GET /?q=/api/ HTTP/1.1", False),
    (b"\x00\x01 NOT HTTP", False),
    (b"", False),
])
def test_api_targets_are_recognised_from_raw_bytes(head, api):
    assert is_api_target(head) is api


def timed_health(port: int) -> float:
    """Seconds until ``/healthz`` answers 200 on a new connection."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["ok"] is True
    finally:
        conn.close()
    return time.monotonic() - started


def open_sockets(port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if first_bytes:
            sock.sendall(first_bytes)
        sockets.append(sock)
    return sockets


@pytest.mark.parametrize("first_bytes", [b"", b"GET /api/search?q=x HTTP/1.1\r\nHost: a\r\n"],
                         ids=["idle", "slow"])
def test_two_hundred_idle_or_slow_connections_do_not_stop_others(port, first_bytes):
    sockets = open_sockets(port, 200, first_bytes)
    try:
        assert timed_health(port) < 2.0
    finally:
        for sock in sockets:
            sock.close()


def seconds_until_hung_up(sock: socket.socket, limit: float = 8.0) -> float | None:
    """Trickle a byte every 0.2 s into ``sock``; seconds until the server hangs up."""
    started = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - started < limit:
        try:
            sock.sendall(b"x")
            if sock.recv(1) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:  # reset: the server closed the connection
            return time.monotonic() - started
    return None


def test_a_request_trickling_in_is_dropped_after_the_request_timeout(index_dir):
    with serving(index_dir, request_timeout=1.0, cleanup_interval=1) as port, \
            socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /api/search?q=x HTTP/1.1\r\nX-Slow: ")
        hung_up = seconds_until_hung_up(sock)
    assert hung_up is not None and hung_up < 5.0, hung_up


def test_slow_clients_holding_every_connection_are_dropped_for_a_real_one(index_dir):
    with serving(index_dir, connection_limit=10, request_timeout=1.0,
                 cleanup_interval=1) as port:
        sockets = open_sockets(port, 10, b"GET / HTTP/1.1\r\n")
        try:
            time.sleep(0.2)  # the server has accepted them all
            assert timed_health(port) < 5.0
        finally:
            for sock in sockets:
                sock.close()
