"""`fahras-web --workers N` (web/workers.py): several serving processes behind one port, each
with Fahras's channel and limits, started again when one dies, each following index updates,
and all stopped by one SIGTERM.

The server runs as a real process on 127.0.0.1 with a free port; every wait is bounded, and
the fixture stops it (and its workers) whatever the test did.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_jsonl_records

from indexer import build_index, update_index
from web.workers import RESTARTS_PER_MINUTE, WorkerPool, bind_sockets, worker_sockets

ARTICLES = [
    {"id": "w1", "title": "سوق الخضار يفتح أبوابه باكرا", "body": "فتح السوق أبوابه مع الفجر.",
     "date": "2024-05-01"},
    {"id": "w2", "title": "مدرسة القرية تستقبل طلابها", "body": "استقبلت المدرسة طلابها الجدد.",
     "date": "2024-09-01"},
]
NEW = {"id": "w3", "title": "مكتبة المدينة تمدد ساعاتها", "body": "تفتح المكتبة حتى المساء.",
       "date": "2024-10-01"}


@pytest.fixture()
def index_dir(tmp_path) -> Path:
    report = build_index([write_jsonl_records(tmp_path / "a.jsonl", ARTICLES)],
                         tmp_path / "index")
    assert report.indexed == len(ARTICLES)
    return tmp_path / "index"


def children(pid: int) -> set[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in found}


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


@pytest.fixture()
def server(index_dir):
    code = "import sys; from web.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--port", "0", "--index-dir", str(index_dir),
         "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = ""
        for _ in range(20):
            line = process.stdout.readline()
            if "Open http" in line or not line:
                break
        found = re.search(r"127\.0\.0\.1:(\d+)/", line)
        assert found, line
        wait_for(lambda: len(children(process.pid)) == 2)
        yield process, int(found.group(1))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def health(port: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz", headers={"Connection": "close"})
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def raw(port: int, data: bytes) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_two_workers_answer_with_the_servers_protections(server):
    process, port = server
    assert process.poll() is None
    assert all(health(port)["documents"] == 2 for _ in range(6))
    answer = raw(port, "GET /api/بحث HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(body)["error"]["code"] == "bad_request"


def test_a_dead_worker_is_replaced_and_serving_goes_on(server):
    process, port = server
    first = children(process.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(lambda: (now := children(process.pid)) and victim not in now
                        and len(now) == 2 and now)
    assert replaced - first
    assert all(health(port)["documents"] == 2 for _ in range(6))


def test_every_worker_follows_an_update(server, index_dir, tmp_path):
    _process, port = server
    assert health(port)["documents"] == 2
    update_index([write_jsonl_records(tmp_path / "new.jsonl", [NEW])], index_dir)
    assert [health(port)["documents"] for _ in range(12)] == [3] * 12


def test_sigterm_stops_the_workers_and_the_server(server):
    process, _port = server
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(
            f"/proc/{pid}/stat").read_text().split()[2]


POOL = """
import signal, sys, time
from web.workers import WorkerPool

def serve(slot):
    if sys.argv[1] == "deaf":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(120)

sys.exit(WorkerPool(serve, 2, stop_seconds=1.0).run())
"""


def start_pool(kind: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", POOL, kind])
    deadline = time.monotonic() + 10
    while len(children(process.pid)) < 2:  # looked at closely, to stop it at the earliest
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.001)
    return process


def stop_pool(process: subprocess.Popen) -> float:
    """SIGTERM the pool's parent; the seconds it took to end (its workers gone too)."""
    workers = children(process.pid)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.kill()
            process.wait()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    return time.monotonic() - started


def test_a_stop_right_after_the_workers_start_is_never_lost():
    # The signal comes as soon as the second fork shows, before the parent has noted the
    # pid or the worker has its own handler: both are held back until then.
    for _ in range(8):
        assert stop_pool(start_pool("plain")) < 5


def ignores_sigterm(pid: int) -> bool:
    """True once process ``pid`` ignores SIGTERM (its SigIgn mask, /proc/PID/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:"))
    return bool(int(mask, 16) & (1 << (signal.SIGTERM - 1)))


def test_a_worker_that_ignores_the_stop_is_killed_after_the_grace():
    process = start_pool("deaf")
    deadline = time.monotonic() + 10  # the workers deaf before the stop, not racing it
    while not all(ignores_sigterm(pid) for pid in children(process.pid)):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert 0.9 < stop_pool(process) < 8


def test_a_pool_that_keeps_dying_gives_up(capsys):
    def serve(slot: int) -> None:
        raise SystemExit(3)

    messages: list[str] = []
    assert WorkerPool(serve, 1, echo=messages.append).run() == 1
    assert "within a minute" in messages[-1]


def test_sockets_for_port_zero_share_one_port():
    sockets = bind_sockets("127.0.0.1", 0, 16)
    try:
        assert len(sockets) == 1 and sockets[0].getsockname()[1] > 0
    finally:
        for sock in sockets:
            sock.close()


def test_each_worker_has_its_own_sockets_on_one_port():
    sets = worker_sockets("127.0.0.1", 0, 16, 3)
    try:
        ports = {sock.getsockname()[1] for found in sets for sock in found}
        assert len(sets) == 3 and len(ports) == 1 and ports.pop() > 0
        assert len({id(sock) for found in sets for sock in found}) == 3
        assert all(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
                   for found in sets for sock in found)
    finally:
        for found in sets:
            for sock in found:
                sock.close()


def test_a_worker_started_again_keeps_its_slot(tmp_path):
    slots = tmp_path / "slots"

    def serve(slot: int) -> None:  # slot 1 dies at once, each time; slot 0 serves
        with slots.open("a") as out:
            out.write(f"{slot}\n")
        if slot == 1:
            raise SystemExit(3)
        time.sleep(60)

    assert WorkerPool(serve, 2, echo=lambda _: None, stop_seconds=1.0).run() == 1
    started = slots.read_text().split()
    assert started.count("0") == 1 and started.count("1") == RESTARTS_PER_MINUTE + 1


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError, match="at least one"):
        WorkerPool(lambda slot: None, 0)
