"""Query analytics (search/analytics.py, web/query_log.py, fahras-search analytics): what is
recorded (normalised, no IP address), the bounds and rotation, and the summaries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.analytics import QueryLog, normalised_query, read_events, summarise
from search.cli import main as search_main
from web import close_searcher, create_app


def events(log: QueryLog) -> list[dict]:
    return list(read_events(log.files()))


def test_queries_are_logged_normalised(tmp_path):
    log = QueryLog(tmp_path)
    log.search("  الحُكُومَةُ   أعلنت ", total=3, page=2, elapsed_ms=12.345)
    log.click("الحكومه اعلنت", rank=4)
    log.close()
    (search, click) = events(log)
    assert search["q"] == click["q"] == normalised_query("الحكومة أعلنت")
    assert "ُ" not in search["q"] and "  " not in search["q"]
    assert (search["n"], search["zero"], search["page"], search["ms"]) == (3, False, 2, 12.35)
    assert click["click"] == 4 and "n" not in click


def test_the_log_is_bounded_and_rotated(tmp_path):
    log = QueryLog(tmp_path, max_bytes=2048, backups=2)
    for i in range(400):
        log.search(f"استعلام رقم {i}", total=i % 3, page=1, elapsed_ms=1.0)
    log.close()
    files = log.files()
    assert [path.name for path in files] == ["queries.log.2", "queries.log.1", "queries.log"]
    # a file rotates once it has passed the bound: it may end one line over (a line < 1 KiB)
    assert all(path.stat().st_size <= 2048 + 1024 for path in files)
    assert not (tmp_path / "queries.log.3").exists()
    kept = events(log)
    assert 0 < len(kept) < 400 and kept[-1]["q"] == normalised_query("استعلام رقم 399")


def test_bad_bounds_are_refused(tmp_path):
    with pytest.raises(ValueError):
        QueryLog(tmp_path, max_bytes=10)
    with pytest.raises(ValueError):
        QueryLog(tmp_path, backups=0)


def test_summary_top_zero_slowest_and_clicks(tmp_path):
    log = QueryLog(tmp_path)
    for _ in range(3):
        log.search("ميزانية", total=5, page=1, elapsed_ms=4)
    log.search("ميزانيه", total=5, page=2, elapsed_ms=90)  # the same query, normalised
    log.search("كلمة نادرة", total=0, page=1, elapsed_ms=2)
    log.search("", total=7, page=1, elapsed_ms=1)  # a filter-only listing
    log.click("ميزانية", 1)
    log.click("ميزانية", 3)
    log.close()
    summary = summarise(read_events(log.files()))
    assert (summary.searches, summary.zero_results, summary.clicks) == (6, 1, 2)
    assert summary.top[0] == (normalised_query("ميزانية"), 4)
    assert summary.zero == [(normalised_query("كلمة نادرة"), 1)]
    assert summary.slowest[0] == (normalised_query("ميزانية"), 90.0)
    assert summary.click_ranks == [(1, 1), (3, 1)]


def test_a_damaged_line_is_passed_over(tmp_path):
    log = QueryLog(tmp_path)
    log.search("ميزانية", total=1, page=1, elapsed_ms=1)
    log.close()
    with open(log.path, "a", encoding="utf-8") as fh:
        fh.write("{half a line\n[1, 2]\n")
    assert len(events(log)) == 1


@pytest.fixture
def logged_app(web_index, tmp_path):
    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index),
                      "FAHRAS_ANALYTICS_DIR": str(tmp_path / "analytics")})
    yield app
    close_searcher(app)


def test_the_web_app_records_searches_and_clicks_without_the_address(logged_app, tmp_path):
    client = logged_app.test_client()
    environ = {"REMOTE_ADDR": "203.0.113.77"}
    client.get("/?q=الحكومة", environ_base=environ,
               headers={"User-Agent": "Reader/1.0", "X-Forwarded-For": "198.51.100.9"})
    client.get("/api/search?q=كلمةغيرموجودة&page=1", environ_base=environ)
    assert client.post("/api/clicks", json={"q": "الحكومة", "rank": 2},
                       environ_base=environ).status_code == 202
    assert client.post("/api/clicks", json={"q": "الحكومة"}).status_code == 400
    assert client.post("/api/clicks", data="nonsense").status_code == 400
    text = (tmp_path / "analytics" / "queries.log").read_text(encoding="utf-8")
    assert "203.0.113.77" not in text and "198.51.100.9" not in text and "Reader" not in text
    searched, missing, clicked = [json.loads(line) for line in text.splitlines()]
    assert searched["q"] == normalised_query("الحكومة") and searched["n"] > 0
    assert missing["zero"] is True and missing["n"] == 0
    assert clicked["click"] == 2


def test_without_the_setting_nothing_is_recorded(web_client, tmp_path):
    web_client.get("/?q=الحكومة")
    assert web_client.post("/api/clicks", json={"q": "x", "rank": 1}).status_code in (404, 405)


def test_fahras_search_analytics(tmp_path):
    log = QueryLog(tmp_path)
    log.search("ميزانية", total=5, page=1, elapsed_ms=4)
    log.search("كلمة نادرة", total=0, page=1, elapsed_ms=30)
    log.close()
    runner = CliRunner()
    result = runner.invoke(search_main, ["analytics", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 searches, 1 with no results" in result.output
    assert "zero-result queries:" in result.output
    assert normalised_query("كلمة نادرة") in result.output.split("zero-result queries:")[1]
    as_json = json.loads(runner.invoke(search_main, ["analytics", "--dir", str(tmp_path),
                                                     "--json"]).output)
    assert as_json["ok"] and as_json["slowest"][0]["ms"] == 30.0
    empty = runner.invoke(search_main, ["analytics", "--dir", str(tmp_path / "none")])
    assert empty.exit_code == 1 and "no query log" in empty.output


def test_the_click_route_is_described_when_analytics_are_on(logged_app):
    doc = logged_app.test_client().get("/api/openapi.json").get_json()
    click = doc["paths"]["/api/clicks"]["post"]
    assert click["requestBody"]["content"]["application/json"]["schema"]["required"] == \
        ["q", "rank"]
    assert "202" in click["responses"]


def _log_from_a_worker(folder: str, worker: int, count: int) -> None:
    log = QueryLog(folder, max_bytes=4096, backups=200)
    for i in range(count):
        log.search(f"عامل {worker} استعلام {i}", total=i, page=1, elapsed_ms=1.0)
    log.close()


def test_serving_processes_share_one_log_without_losing_lines(tmp_path):
    """fahras-web's workers are processes writing one log: rotation by one of them must not
    lose or split another's lines, nor let a file outgrow its bound (the files hold them all:
    200 backups of 4 KiB)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_log_from_a_worker, args=(str(tmp_path), w, 800))
               for w in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    log = QueryLog(tmp_path, max_bytes=4096, backups=200)
    kept = events(log)
    assert len(log.files()) > 3  # it did rotate, while all three wrote
    assert all(path.stat().st_size <= 4096 + 1024 for path in log.files())
    assert sorted(event["q"] for event in kept) == sorted(
        normalised_query(f"عامل {w} استعلام {i}") for w in range(3) for i in range(800))
