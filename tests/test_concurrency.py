"""Concurrent use: readers keep answering while writers commit, and writers take turns.

Readers (threads sharing one :class:`search.Searcher`, threads going through the web app's
``/api/search``, and a second process with a searcher of its own) ask for a marker word
over and over while, in the main thread, an update commits in place, a rebuild swaps a new
generation in, another update commits on the new generation, and a delete commits. The
marker's articles differ at every step, so each answer (its total and its ids) must be exactly
one of the five states of the index, and every reader must see them in order, never going back
to an older one; there must be no error at all, and every reader must reach the last state.

Two writers at once: the second stops at once with :class:`IndexLocked` (exit code 1 and a
clear message from ``fahras-index``) or, given ``wait``, waits for the first and then does its
work; the index is whole afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import IndexLocked, IndexStore, build_index, delete_articles, update_index
from indexer.cli import main as index_cli
from search import Searcher
from web import close_searcher, create_app

MARKER = "قرنفلية"
_WORDS_TEXT = (
    "الحكومة الوزير المدينة السوق الأسعار المدرسة الطلاب الملعب الفريق المباراة الطقس "
    "الأمطار القطار المحطة الجسر النهر الميناء السفينة المصنع العمال الجامعة الباحثون"
)
_WORDS = _WORDS_TEXT.split()
PLAIN = 400  # articles without the marker in every corpus


def article(n: int, marked: bool, edition: str = "") -> dict:
    words = [_WORDS[(n * 7 + i) % len(_WORDS)] for i in range(40)]
    if marked:
        words.insert(n % 40, MARKER)
    return {"id": f"m{n:03d}", "title": f"خبر رقم {n} {edition}".strip(),
            "body": " ".join(words), "date": f"20{10 + n % 12}-0{1 + n % 9}-1{n % 9}",
            "category": "محليات"}


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def ids(numbers) -> tuple[str, ...]:
    return tuple(sorted(f"m{n:03d}" for n in numbers))


#: (total, ids) of the marker query in each state of the index, in the order they come.
STATES = [
    ids(range(0, 10)),  # first build
    ids([*range(0, 20), *range(PLAIN, PLAIN + 5)]),  # update: 10 changed, 5 new
    ids(range(0, 40)),  # rebuild from another corpus
    ids(range(0, 46)),  # update on the new generation: 6 changed
    ids(range(5, 46)),  # delete of m000-m004
]
STATE_OF = {(len(s), s): number for number, s in enumerate(STATES)}
READER_SCRIPT = r"""
import sys, time
from pathlib import Path
from search import Searcher
index_dir, marker, stop, final = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
deadline = time.monotonic() + 60
total = None
with Searcher(index_dir) as searcher:
    print("READY", flush=True)
    while time.monotonic() < deadline and not (stop.exists() and total == final):
        try:
            page = searcher.search(marker, per_page=100)
            total = page.total
            print(total, " ".join(sorted(hit.id for hit in page.hits)), flush=True)
        except Exception as exc:
            print("ERROR", type(exc).__name__, exc, flush=True)
"""


class Reader:
    """A loop of marker queries in a thread, recording the state of each answer."""

    def __init__(self, name: str, ask, stop: threading.Event) -> None:
        self.name, self.ask, self.stop = name, ask, stop
        self.states: list[int] = []
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self.run, name=name, daemon=True)

    def run(self) -> None:
        """Ask until told to stop once the writers are done and the last state was seen (or
        for a minute at most)."""
        deadline = time.monotonic() + 60
        last = len(STATES) - 1
        while time.monotonic() < deadline:
            if self.stop.is_set() and self.states and self.states[-1] == last:
                break
            try:
                answer = self.ask()
            except Exception as exc:  # noqa: BLE001 - every failure is what we count
                self.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            self.record(answer)

    def record(self, answer: tuple[int, tuple[str, ...]]) -> None:
        state = STATE_OF.get(answer)
        if state is None:
            self.errors.append(f"inconsistent answer: {answer[0]} hits {answer[1][:8]}...")
        else:
            self.states.append(state)


def check_reader(name: str, states: list[int], errors: list[str]) -> None:
    assert errors == [], f"{name}: {errors[:5]}"
    assert states, f"{name} never answered"
    assert states == sorted(states), f"{name} went back to an older index: {states}"
    assert states[-1] == len(STATES) - 1, f"{name} never saw the last state: {states[-5:]}"


def test_readers_keep_answering_while_writers_commit_and_swap(tmp_path):
    index_dir = tmp_path / "index"
    first = [article(n, n < 10) for n in range(PLAIN)]
    build_index([write(tmp_path / "first.jsonl", first)], index_dir)
    update = [article(n, True, "محدث") for n in range(10, 20)] + [
        article(n, True) for n in range(PLAIN, PLAIN + 5)]
    update_file = write(tmp_path / "update.jsonl", update)
    second = [article(n, n < 40, "ثانية") for n in range(PLAIN + 5)]
    second_file = write(tmp_path / "second.jsonl", second)
    later = write(tmp_path / "later.jsonl", [article(n, True) for n in range(40, 46)])

    stop = threading.Event()
    stop_file = tmp_path / "stop"
    process = subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, str(index_dir), MARKER, str(stop_file),
         str(len(STATES[-1]))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout.readline().strip() == "READY"
    searcher = Searcher(index_dir)
    app = create_app({"FAHRAS_INDEX_DIR": str(index_dir)})

    def direct():
        page = searcher.search(MARKER, per_page=100)
        return page.total, tuple(sorted(hit.id for hit in page.hits))

    def over_http(client):
        def ask():
            response = client.get("/api/search", query_string={"q": MARKER, "per_page": 100})
            data = response.get_json()
            assert response.status_code == 200 and data["ok"] is True, data
            return data["total"], tuple(sorted(hit["id"] for hit in data["hits"]))
        return ask

    readers = [Reader(f"thread-{n}", direct, stop) for n in range(3)]
    readers += [Reader(f"web-{n}", over_http(app.test_client()), stop) for n in range(2)]
    try:
        for reader in readers:
            reader.thread.start()
        time.sleep(0.5)
        steps = [
            lambda: update_index([update_file], index_dir),
            lambda: build_index([second_file], index_dir),
            lambda: update_index([later], index_dir),
            lambda: delete_articles([f"m{n:03d}" for n in range(5)], index_dir),
        ]
        for step in steps:
            report = step()
            assert not report.partial, report
            time.sleep(0.6)
    finally:
        stop.set()
        stop_file.touch()
        for reader in readers:
            reader.thread.join(timeout=70)
        out, err = process.communicate(timeout=70)
        searcher.close()
        close_searcher(app)
    for reader in readers:
        check_reader(reader.name, reader.states, reader.errors)
    other = Reader("process", None, stop)
    for line in out.splitlines():
        if line.startswith("ERROR"):
            other.errors.append(line)
        else:
            total, _, found = line.partition(" ")
            other.record((int(total), tuple(found.split())))
    assert process.returncode == 0, err[-2000:]
    check_reader("second process", other.states, other.errors)
    seen = set().union(*(set(r.states) for r in readers), other.states)
    assert len(seen) >= 3, f"the readers saw too few of the states: {sorted(seen)}"


# ---------------------------------------------------------------------------- two writers


@pytest.fixture
def corpora(tmp_path):
    small = write(tmp_path / "small.jsonl", [article(n, n < 10) for n in range(50)])
    big = write(tmp_path / "big.jsonl", [
        {**article(n, n < 10), "body": " ".join([article(n, n < 10)["body"]] * 8)}
        for n in range(2500)
    ])
    extra = write(tmp_path / "extra.jsonl", [article(n, True) for n in range(3000, 3010)])
    return small, big, extra


def hold_lock_in_build(big: Path, index_dir: Path) -> subprocess.Popen:
    """A ``fahras-index build`` in another process, returned once it holds the lock."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from indexer.cli import main; main()", "build", str(big),
         "--index-dir", str(index_dir), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lock = index_dir / ".writelock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if lock.exists() and lock.read_text().startswith(f"pid {process.pid}"):
            return process
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"the first writer never took the lock: {process.communicate()}")


def marker_total(index_dir: Path) -> int:
    with Searcher(index_dir) as searcher:
        return searcher.search(MARKER, per_page=1).total


def test_second_writer_stops_with_index_locked(tmp_path, corpora):
    small, big, extra = corpora
    index_dir = tmp_path / "index"
    build_index([small], index_dir)
    first = hold_lock_in_build(big, index_dir)
    try:
        with pytest.raises(IndexLocked, match="another process"):
            update_index([extra], index_dir)
        with pytest.raises(IndexLocked):
            build_index([small], index_dir)
        with pytest.raises(IndexLocked):
            delete_articles(["m001"], index_dir)
        result = CliRunner().invoke(index_cli, ["update", str(extra), "--index-dir",
                                                str(index_dir)])
        assert result.exit_code == 1, result.output
        assert "another process" in result.output and "--wait" in result.output
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err[-2000:]
    assert json.loads(out)["indexed"] == 2500
    with Searcher(index_dir) as searcher:
        assert searcher.doc_count() == 2500
    assert marker_total(index_dir) == 10


def test_second_writer_waits_for_the_first(tmp_path, corpora):
    small, big, extra = corpora
    index_dir = tmp_path / "index"
    build_index([small], index_dir)
    first = hold_lock_in_build(big, index_dir)
    try:
        result = CliRunner().invoke(index_cli, ["update", str(extra), "--index-dir",
                                                str(index_dir), "--wait", "120", "--json"])
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err[-2000:]
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["indexed"] == 10
    with Searcher(index_dir) as searcher:
        # the update went into the rebuilt index: it waited for the rebuild to be published
        # (had it run on the old generation, the swap would have thrown its articles away)
        assert searcher.doc_count() == 2510
    assert marker_total(index_dir) == 20


def test_two_writer_threads_in_one_process(tmp_path, corpora):
    small, big, extra = corpora
    index_dir = tmp_path / "index"
    build_index([small], index_dir)
    outcomes: dict[str, object] = {}
    started = threading.Event()

    def first():
        def progress(_n):
            started.set()
        outcomes["first"] = build_index([big], index_dir, progress=progress)

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(60)
    try:
        with pytest.raises(IndexLocked):
            update_index([extra], index_dir)
        outcomes["second"] = update_index([extra], index_dir, wait=120)
    finally:
        thread.join(120)
    assert outcomes["first"].indexed == 2500
    assert outcomes["second"].indexed == 10
    with Searcher(index_dir) as searcher:
        assert searcher.doc_count() == 2510
    assert IndexStore(index_dir).current() is not None
