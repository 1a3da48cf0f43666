"""The write queue (web/write_queue.py): PUTs that arrive together are committed in one
update, each request still gets the report of its own article, a repeated id waits for the
next commit (the later one wins), and a failed commit fails every request of it."""

from __future__ import annotations

import json
import threading
import time

import pytest

from indexer import IndexNotFound, IndexStore, build_index
from indexer.whoosh.history import history
from search import Searcher
from web.write_queue import WriteQueue


def line(article_id: str, title: str, body: str = "نص قصير عن خبر محلي جديد.") -> bytes:
    return json.dumps({"id": article_id, "title": title, "body": body},
                      ensure_ascii=False).encode("utf-8")


def entries(index_dir):
    store = IndexStore(index_dir)
    return history(store.read_meta(store.require_current()))


def queued_puts(queue: WriteQueue, puts: list[tuple[str, bytes]]) -> list:
    """Run ``puts`` from threads while the gate is held, so they queue, then let them go."""
    results: list = [None] * len(puts)

    def run(i, article_id, data):
        try:
            results[i] = queue.put(article_id, data)
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[i] = exc

    with queue.turn():
        threads = [threading.Thread(target=run, args=(i, *put)) for i, put in enumerate(puts)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 5
        while len(queue._pending) < len(puts) and time.monotonic() < deadline:
            time.sleep(0.01)
    for thread in threads:
        thread.join(10)
    return results


@pytest.fixture
def index_dir(web_corpus, tmp_path):
    path = tmp_path / "index"
    build_index([web_corpus], path)
    return path


def test_queued_puts_share_one_commit_with_a_report_each(index_dir):
    queue = WriteQueue(str(index_dir), wait=10)
    with Searcher(index_dir) as searcher:
        a01 = searcher.get("a01")
    same = json.dumps({"id": "a01", "title": a01.title, "body": a01.body,
                       "category": a01.category, "source": a01.source,
                       "date": a01.date.date().isoformat(), "url": a01.url},
                      ensure_ascii=False).encode("utf-8")
    before = len(entries(index_dir))
    reports = queued_puts(queue, [
        ("q1", line("q1", "خبر أول عن القطار السريع")),
        ("a02", line("a02", "عنوان جديد لمقال قديم")),
        ("a01", same),
        ("q2", line("q2", "", "")),  # nothing to index: skipped
    ])
    assert [(r.indexed, r.updated, r.unchanged, len(r.skipped)) for r in reports] == [
        (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)]
    assert all(r.read == 1 for r in reports)
    assert reports[3].skipped[0].startswith("request:1: ")
    after = entries(index_dir)
    assert len(after) == before + 1 and after[0]["read"] == 4  # one commit for all four
    with Searcher(index_dir) as searcher:
        assert searcher.get("q1").title == "خبر أول عن القطار السريع"
        assert searcher.get("a02").title == "عنوان جديد لمقال قديم"


def test_a_repeated_id_waits_for_the_next_commit_and_the_later_wins(index_dir):
    queue = WriteQueue(str(index_dir), wait=10)
    reports = queued_puts(queue, [("r1", line("r1", "النسخة الأولى")),
                                  ("r1", line("r1", "النسخة الثانية"))])
    assert sorted((r.indexed, r.updated) for r in reports) == [(0, 1), (1, 0)]
    with Searcher(index_dir) as searcher:
        assert searcher.get("r1").title in ("النسخة الأولى", "النسخة الثانية")
        assert len(entries(index_dir)) >= 2


def test_a_failed_commit_fails_every_request_of_it(tmp_path):
    queue = WriteQueue(str(tmp_path / "no-index"), wait=5)
    results = queued_puts(queue, [("x1", line("x1", "خبر")), ("x2", line("x2", "خبر آخر"))])
    assert all(isinstance(result, IndexNotFound) for result in results)
    assert not queue._pending


def test_a_put_gives_up_after_the_wait(index_dir):
    queue = WriteQueue(str(index_dir), wait=0.2)
    with queue.turn(), pytest.raises(Exception, match="another write"):
        queue.put("late", line("late", "خبر متأخر"))
    assert not queue._pending
