"""Bounded queries (search/cost.py): a query is priced before it runs, one that costs too
much is refused with a clear message, and costly searches beyond the process's limit get
``SearchBusy`` (429 with ``Retry-After`` on the web) while cheap ones keep being answered.
"""

from __future__ import annotations

import threading

import pytest

from search import QueryError, SearchBusy, Searcher
from search.cost import EXPENSIVE_COST, MAX_QUERY_COST, CostGate, query_cost
from search.query import parse_query

#: The probe's query: 50 words, each typo-tolerant at two edits (about 400 characters).
FIFTY_FUZZY = " ".join(f"سوق{n}~2" for n in range(50))


@pytest.mark.parametrize(("query", "cheap"), [
    ("الحكومة الميزانية", True),
    ('"الحكومة الجديدة" الميزانية -الضرائب', True),
    ("الحكوم*", True),
    ("الحكومة~", True),
    ("الميزانية~2", False),
    ("حك* مي* سي* طق* رئ*", False),
])
def test_cheap_and_costly_queries(query, cheap):
    assert (query_cost(parse_query(query)) <= EXPENSIVE_COST) is cheap


def test_a_query_over_the_budget_is_refused_with_what_to_drop(search_index):
    assert len(FIFTY_FUZZY) < 500 and query_cost(parse_query(FIFTY_FUZZY)) > MAX_QUERY_COST
    with Searcher(search_index) as searcher:
        for run in (searcher.search, searcher.rank):
            with pytest.raises(QueryError, match=r"too costly.*50 typo-tolerant.*at most 6"):
                run(FIFTY_FUZZY)
        assert searcher.search("الحكومة~").total >= 1  # one such word is fine


def test_costly_searches_beyond_the_limit_are_busy_and_cheap_ones_run(search_index):
    with Searcher(search_index, costly_searches=1) as searcher:
        costly = parse_query("الميزانية~2")
        with searcher.cost_gate.admit(costly):  # one costly search running
            with pytest.raises(SearchBusy) as caught:
                searcher.search("الحكومة~2")
            assert caught.value.retry_after > 0 and "try again" in str(caught.value)
            assert searcher.search("الحكومة").total >= 1
        assert searcher.search("الحكومة~2").total >= 1  # its slot is free again


def test_the_gate_counts_concurrent_admissions():
    gate = CostGate(2)
    costly = parse_query("الميزانية~2")
    inside, release = threading.Barrier(3), threading.Event()

    def hold():
        with gate.admit(costly):
            inside.wait(timeout=10)
            release.wait(timeout=10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait(timeout=10)
    try:
        with pytest.raises(SearchBusy), gate.admit(costly):
            pass
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=10)
    with gate.admit(costly) as cost:
        assert cost > EXPENSIVE_COST


@pytest.mark.parametrize("limit", [0, -1, 1.5, "2"])
def test_the_limit_is_checked(limit):
    with pytest.raises(QueryError, match="costly searches"):
        CostGate(limit)


def test_the_api_answers_busy_with_retry_after(web_app, web_client):
    from web import get_searcher

    searcher = get_searcher(web_app)
    with searcher.cost_gate.admit(parse_query("الميزانية~2")):
        response = web_client.get("/api/search", query_string={"q": "الحكومة~2"})
        assert response.status_code == 429
        assert response.headers["Retry-After"] == str(SearchBusy.retry_after)
        assert response.get_json()["error"]["code"] == "busy"
        page = web_client.get("/", query_string={"q": "الحكومة~2"})
        assert page.status_code == 429 and page.headers["Retry-After"]
        assert web_client.get("/api/search", query_string={"q": "الحكومة"}).status_code == 200
        assert web_client.get("/healthz").status_code == 200


def test_the_api_refuses_a_costly_query_as_a_bad_parameter(web_client):
    response = web_client.get("/api/search", query_string={"q": FIFTY_FUZZY})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
    assert "too costly" in response.get_json()["error"]["message"]
