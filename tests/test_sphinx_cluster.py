"""The Sphinx backend's cluster side: fahras-cluster, sharding, builds into a new slot,
updates and deletes on the right shard, and a node that goes down and comes back.

Every test here gets a cluster of its own module (started on free ports in a temporary
folder, stopped at the end); skipped when searchd is not installed.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from conftest import SEARCH_ARTICLES, start_cluster, write_jsonl_records

from indexer import BuildError, build_index, delete_articles, index_backend, update_index
from indexer.sphinx.client import RETRY_SECONDS
from indexer.sphinx.cluster_cli import main as cluster_main
from indexer.sphinx.schema import shard_of
from search import Searcher
from search.sphinx.live import POINTER_SECONDS
from web import create_app


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("write-cluster")
    started = start_cluster(folder / "cluster")
    yield started
    started.stop()


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl_records(tmp_path / "articles.jsonl", SEARCH_ARTICLES)


def shard_ids(backend, node: int) -> set[str]:
    slot = backend.writer.meta.live_slot()
    rows = backend.nodes.query(node, f"SELECT aid FROM {backend.tables.shard(slot)} "
                                     "LIMIT 1000")
    return {row[0] for row in rows}


def test_the_cluster_command_starts_reports_and_stops(tmp_path):
    start_cluster(tmp_path / "probe", nodes=1).stop()  # skips without searchd
    runner = CliRunner()
    started = runner.invoke(cluster_main, ["start", "--nodes", "1", "--dir", str(tmp_path / "c")])
    assert started.exit_code == 0, started.output
    assert started.output.startswith("sphinx://127.0.0.1:")
    status = runner.invoke(cluster_main, ["status", "--dir", str(tmp_path / "c")])
    assert "node 0" in status.output and " up" in status.output
    stopped = runner.invoke(cluster_main, ["stop", "--dir", str(tmp_path / "c")])
    assert stopped.exit_code == 0 and "stopped 1 node(s): pid" in stopped.output
    status = runner.invoke(cluster_main, ["status", "--dir", str(tmp_path / "c")])
    assert "down" in status.output
    missing = runner.invoke(cluster_main, ["status", "--dir", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "no cluster" in missing.output


def test_articles_are_sharded_by_their_id_and_counted_exactly(cluster, corpus):
    report = build_index([corpus], cluster.address)
    assert report.indexed == len(SEARCH_ARTICLES)
    backend = index_backend(cluster.address)
    counts = backend.shard_counts()
    assert sum(counts) == len(SEARCH_ARTICLES) and all(counts)
    for node in range(2):
        assert shard_ids(backend, node) == {a["id"] for a in SEARCH_ARTICLES
                                            if shard_of(a["id"], 2) == node}
    assert backend.stats().articles == len(SEARCH_ARTICLES)


def test_a_build_switches_slots_only_when_complete(cluster, corpus, tmp_path):
    build_index([corpus], cluster.address)
    backend = index_backend(cluster.address)
    before = backend.writer.meta.live_slot()
    with Searcher(cluster.address) as searcher:
        generation = searcher.info().generation
        broken = tmp_path / "broken.jsonl"
        broken.write_text("not json\n", encoding="utf-8")
        with pytest.raises(BuildError, match="left as it was"):
            build_index([broken], cluster.address)
        assert backend.writer.meta.live_slot() == before
        assert searcher.search("الحكومة").total == 4
        build_index([corpus], cluster.address)
        assert backend.writer.meta.live_slot() != before
        time.sleep(POINTER_SECONDS)  # how long a searcher trusts the pointer it read
        assert searcher.search("الحكومة").total == 4
        assert searcher.info().generation != generation


def test_update_and_delete_reach_the_right_shard(cluster, corpus, tmp_path):
    build_index([corpus], cluster.address)
    backend = index_backend(cluster.address)
    changed = [{**SEARCH_ARTICLES[0], "title": "الحكومة تقر الميزانية والبرلمان يوافق"},
               {"id": "n01", "title": "البرلمان يجتمع", "body": "اجتمع البرلمان أمس.",
                "date": "2023-01-02", "category": "سياسة"}]
    outcomes = {}
    report = update_index([write_jsonl_records(tmp_path / "new.jsonl", changed)],
                          cluster.address, on_article=outcomes.__setitem__)
    assert (report.indexed, report.updated) == (1, 1)
    assert outcomes == {"s01": "updated", "n01": "indexed"}
    home = shard_of("n01", 2)
    assert "n01" in shard_ids(backend, home) and "n01" not in shard_ids(backend, 1 - home)
    with Searcher(cluster.address) as searcher:
        assert [hit.id for hit in searcher.search("البرلمان").hits] == ["s01", "n01"] or \
            {hit.id for hit in searcher.search("البرلمان").hits} == {"s01", "n01"}
        report = delete_articles(["n01", "nothing"], cluster.address)
        assert report.deleted == 1 and report.not_found == ["nothing"]
        assert "n01" not in shard_ids(backend, home)
        assert [hit.id for hit in searcher.search("البرلمان").hits] == ["s01"]
    again = update_index([write_jsonl_records(tmp_path / "new.jsonl", changed[:1])],
                         cluster.address)
    assert again.unchanged == 1


def test_a_node_down_gives_flagged_partial_results_and_comes_back(cluster, corpus, tmp_path):
    build_index([corpus], cluster.address)
    app = create_app({"FAHRAS_INDEX_DIR": cluster.address, "TESTING": True})
    client = app.test_client()
    with Searcher(cluster.address) as searcher:
        whole = {hit.id for hit in searcher.search("الحكومة").hits}
        down = cluster.nodes()[1]
        cluster.stop(1)
        try:
            page = searcher.search("الحكومة")
            assert page.partial == (f"{down.host}:{down.sql}",)
            assert {hit.id for hit in page.hits} == {i for i in whole if shard_of(i, 2) == 0}
            api = client.get("/api/search?q=الحكومة")
            assert api.status_code == 200 and api.json["partial"] is True
            assert api.json["nodes_down"] == [f"{down.host}:{down.sql}"]
            html = client.get("/?q=الحكومة")
            assert html.status_code == 200 and "notice partial" in html.get_data(as_text=True)
            health = client.get("/healthz")
            assert health.status_code == 200 and health.json["status"] == "partial"
            assert health.json["nodes_down"] == [f"{down.host}:{down.sql}"]
            lost = [a for a in SEARCH_ARTICLES if shard_of(a["id"], 2) == 1][:1]
            kept = [a for a in SEARCH_ARTICLES if shard_of(a["id"], 2) == 0][:1]
            saved = update_index([write_jsonl_records(
                tmp_path / "ok.jsonl", [{**kept[0], "title": "تعديل محفوظ"}])], cluster.address)
            assert saved.updated == 1  # its shard answers
            with pytest.raises(BuildError, match="does not answer"):
                update_index([write_jsonl_records(
                    tmp_path / "lost.jsonl", [{**lost[0], "title": "لن يكتب"}])],
                    cluster.address)
        finally:
            cluster.start(1)
        time.sleep(RETRY_SECONDS)  # a node that did not answer is tried again after this
        page = searcher.search("الحكومة")
        assert not page.partial and {hit.id for hit in page.hits} == whole
        assert client.get("/healthz").json["status"] == "ok"
        assert searcher.get(kept[0]["id"]).title == "تعديل محفوظ"  # committed before it
        assert searcher.get(lost[0]["id"]).title == lost[0]["title"]


def test_the_command_lines_work_on_the_cluster(cluster, corpus):
    from indexer.cli import main as index_main
    from search.cli import main as search_main

    runner = CliRunner()
    built = runner.invoke(index_main, ["build", str(corpus), "--index", cluster.address])
    assert built.exit_code == 0, built.output
    found = runner.invoke(search_main, ["query", "الميزانية", "--index", cluster.address,
                                        "--json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["total"] == 2
    stats = runner.invoke(index_main, ["stats", "--index", cluster.address, "--json"])
    assert json.loads(stats.output)["articles"] == len(SEARCH_ARTICLES)


def test_the_web_app_serves_the_cluster(cluster, corpus):
    build_index([corpus], cluster.address)
    client = create_app({"FAHRAS_INDEX_DIR": cluster.address, "TESTING": True}).test_client()
    page = client.get("/?q=الميزانية")
    assert page.status_code == 200 and "/articles/s01" in page.get_data(as_text=True)
    api = client.get("/api/search?q=الميزانية&category=اقتصاد").json
    assert api["total"] == 2 and api["partial"] is False
    assert client.get("/articles/s01").status_code == 200
    assert client.get("/api/articles/s01").json["article"]["id"] == "s01"
    assert client.get("/api/articles/missing").status_code == 404
    similar = client.get("/api/articles/s12/similar").json
    assert similar["hits"][0]["id"] == "s13"
    assert "الحكومة" in client.get("/api/suggest?q=الحكو").json["suggestions"]


def test_a_cluster_with_no_node_up_is_a_503_not_a_500(cluster, corpus):
    build_index([corpus], cluster.address)
    client = create_app({"FAHRAS_INDEX_DIR": cluster.address, "TESTING": True}).test_client()
    assert client.get("/api/search?q=الحكومة").status_code == 200
    cluster.stop()
    try:
        for path in ("/api/search?q=الحكومة", "/?q=الحكومة", "/healthz", "/api/suggest?q=الحكو",
                     "/api/articles/s01"):
            assert client.get(path).status_code == 503, path
    finally:
        cluster.start()
    time.sleep(RETRY_SECONDS)
    assert client.get("/api/search?q=الحكومة").json["total"] == 4
