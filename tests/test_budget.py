"""A search's time limit covers its page: the backend's share shrinks by what pages cost.

search/budget.py learns, from the searches that reached their limit, how long their page
took past the backend's share, and gives later backends that much less.
"""

from __future__ import annotations

import time

import pytest

from search import Searcher
from search.budget import LEAST_SHARE, WINDOW, TimeBudget


def test_before_any_search_reaches_its_limit_the_backend_gets_what_is_left():
    budget = TimeBudget(0.05)
    started = time.perf_counter()
    assert budget.share(started, started + 0.01) == pytest.approx(0.04)
    budget.record(started + 0.04, started + 0.2, reached=False)  # not cut: says nothing
    assert budget.page_cost() == 0.0


def test_pages_past_the_limit_shorten_the_share_by_their_median():
    budget = TimeBudget(0.05)
    for cost in (0.002, 0.003, 0.004, 0.5):  # one pause of the machine among them
        budget.record(10.0, 10.0 + cost, reached=True)
    assert budget.page_cost() == pytest.approx(0.0035)
    assert budget.share(0.0, 0.01) == pytest.approx(0.05 - 0.01 - 0.0035)


def test_the_share_is_never_nothing_and_the_window_is_bounded():
    budget = TimeBudget(0.001)
    for _ in range(WINDOW):
        budget.record(0.0, 1.0, reached=True)
    assert budget.share(0.0, 0.0) == LEAST_SHARE
    for _ in range(WINDOW):
        budget.record(0.0, 0.0001, reached=True)
    assert budget.page_cost() == pytest.approx(0.0001)  # the old ones are forgotten


def test_a_small_limit_learns_its_page_cost_and_still_finds_matches(tmp_path):
    from indexer import build_index
    from tests.conftest import write_jsonl_records

    records = [{"id": f"n{i}", "title": f"خبر رقم {i}", "body": f"الحكومة والوزارة رقم {i % 97}"}
               for i in range(3000)]
    build_index([write_jsonl_records(tmp_path / "many.jsonl", records)], tmp_path / "index")
    with Searcher(tmp_path / "index", time_limit=0.0005) as hurried:
        pages = [hurried.search("الحكومة الوزارة") for _ in range(5)]
        assert all(page.timed_out and page.hits and page.total > 0 for page in pages)
        assert hurried.budget.page_cost() > 0
    with Searcher(tmp_path / "index") as patient:
        page = patient.search("الحكومة الوزارة")
        assert not page.timed_out and page.total == 3000 and patient.budget.page_cost() == 0


def test_finding_must_end_a_pages_cost_before_the_limit():
    budget = TimeBudget(0.05)
    assert budget.find_by(100.0) == pytest.approx(100.05)
    budget.record(0.0, 0.01, reached=True)
    assert budget.find_by(100.0) == pytest.approx(100.04)
    assert budget.share(100.0, 100.03) == pytest.approx(0.01)
