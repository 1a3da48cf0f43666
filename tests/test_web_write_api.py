"""The write API (web/write_api.py): PUT, POST (JSONL batch) and DELETE of articles, with the
report of `fahras-index update`, searchable on return, one writer at a time, nothing
half-written, and the admin page that shows what was written."""

from __future__ import annotations

import json
import threading

import pytest

from indexer import IndexStore, build_index
from web import close_searcher, create_app, get_searcher
from web.keys import KeyRing

NEW = {"title": "افتتاح مكتبة عامة في حي الزيتون",
       "body": "افتتحت البلدية مكتبة عامة تضم عشرين ألف كتاب وقاعة للقراءة الهادئة.",
       "category": "ثقافة", "source": "جريدة الصباح", "date": "2021-04-02",
       "url": "https://news.example.org/new"}


def writable_app(web_corpus, tmp_path, **config):
    """(app, admin headers, index dir): an app with a key file over a fresh index."""
    index_dir = tmp_path / "index"
    build_index([web_corpus], index_dir)
    ring = KeyRing(tmp_path / "keys.json")
    admin, _ = ring.add("admin")
    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(index_dir),
                      "FAHRAS_KEY_FILE": str(ring.path), **config})
    return app, {"Authorization": f"Bearer {admin}"}, index_dir


@pytest.fixture
def writable(web_corpus, tmp_path):
    """(client, admin headers, app, index dir) over a fresh index of the web corpus."""
    app, auth, index_dir = writable_app(web_corpus, tmp_path, FAHRAS_WRITE_WAIT=0.2,
                                        FAHRAS_MAX_BATCH_BYTES=4096)
    client = app.test_client()
    client.get("/api/search?q=مكتبة")  # the searcher is open before any write
    yield client, auth, app, index_dir
    close_searcher(app)


def hits(client, q):
    return [hit["id"] for hit in client.get("/api/search", query_string={"q": q})
            .get_json()["hits"]]


def test_put_adds_then_replaces_then_leaves_alone(writable):
    client, auth, _, _ = writable
    assert "new1" not in hits(client, "مكتبة الزيتون")
    added = client.put("/api/articles/new1", json=NEW, headers=auth)
    assert added.status_code == 201
    report = added.get_json()["report"]
    assert added.get_json()["ok"] is True
    assert (report["action"], report["read"], report["indexed"]) == ("update", 1, 1)
    assert "index_dir" not in report
    assert hits(client, "مكتبة الزيتون")[0] == "new1"  # searchable when the call returned
    changed = client.put("/api/articles/new1", json={**NEW, "title": "مكتبة للأطفال"},
                         headers=auth)
    assert changed.status_code == 200 and changed.get_json()["report"]["updated"] == 1
    assert client.get("/api/articles/new1").get_json()["article"]["title"] == "مكتبة للأطفال"
    again = client.put("/api/articles/new1", json={**NEW, "title": "مكتبة للأطفال"},
                       headers=auth)
    assert again.get_json()["report"]["unchanged"] == 1


def test_put_refuses_a_body_that_is_not_an_article(writable):
    client, auth, _, _ = writable
    not_json = client.put("/api/articles/x", data="{oops", headers=auth)
    assert not_json.status_code == 400 and not_json.get_json()["error"]["code"] == "bad_parameter"
    listed = client.put("/api/articles/x", json=[NEW], headers=auth)
    assert listed.status_code == 400
    other_id = client.put("/api/articles/x", json={**NEW, "id": "y"}, headers=auth)
    assert other_id.status_code == 400 and "id" in other_id.get_json()["error"]["message"]
    empty = client.put("/api/articles/x", json={"id": "x", "title": ""}, headers=auth)
    assert empty.status_code == 422
    body = empty.get_json()
    assert body["error"]["code"] == "bad_article" and body["report"]["skipped"]
    assert all(line.startswith("request:") and "/tmp" not in line
               for line in body["report"]["skipped"])
    assert client.get("/api/articles/x").status_code == 404


def test_post_writes_a_batch_and_reports_the_bad_lines(writable):
    client, auth, _, _ = writable
    lines = [json.dumps({**NEW, "id": f"b{i}", "title": f"مكتبة رقم {i}"}, ensure_ascii=False)
             for i in range(3)]
    body = "\n".join([lines[0], "{not json", lines[1], lines[2]]) + "\n"
    response = client.post("/api/articles", data=body.encode(), headers=auth,
                           content_type="application/x-ndjson")
    assert response.status_code == 200
    report = response.get_json()["report"]
    assert (report["read"], report["indexed"], len(report["skipped"])) == (4, 3, 1)
    assert report["partial"] is True and report["skipped"][0].startswith("request:2:")
    assert {"b0", "b1", "b2"} <= set(hits(client, "مكتبة"))


def test_post_refuses_an_empty_an_unreadable_or_a_too_large_batch(writable):
    client, auth, app, _ = writable
    assert client.post("/api/articles", data=b"  \n", headers=auth).status_code == 400
    bad = client.post("/api/articles", data=b"{oops\n[1]\n", headers=auth)
    assert bad.status_code == 422 and bad.get_json()["report"]["read"] == 2
    big = json.dumps({**NEW, "id": "big", "body": "كلمة " * 2000}, ensure_ascii=False)
    too_large = client.post("/api/articles", data=big.encode(), headers=auth)
    assert too_large.status_code == 413
    assert too_large.get_json()["error"]["code"] == "batch_too_large"
    assert client.get("/api/articles/big").status_code == 404


def test_delete_removes_and_reports_unknown_ids(writable):
    client, auth, _, _ = writable
    assert "a01" in hits(client, "ميزانية")
    deleted = client.delete("/api/articles/a01", headers=auth)
    assert deleted.status_code == 200 and deleted.get_json()["report"]["deleted"] == 1
    assert "a01" not in hits(client, "ميزانية")
    assert client.get("/api/articles/a01").status_code == 404
    unknown = client.delete("/api/articles/a01", headers=auth)
    assert unknown.status_code == 404
    assert unknown.get_json()["report"]["not_found"] == ["a01"]


def test_while_another_writer_holds_the_lock_503_with_retry_after(writable):
    client, auth, app, index_dir = writable
    held, release = threading.Event(), threading.Event()

    def hold():
        with IndexStore(index_dir).write_lock():
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        response = client.put("/api/articles/new1", json=NEW, headers=auth)
    finally:
        release.set()
        thread.join()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(app.config["FAHRAS_WRITE_RETRY_AFTER"])
    assert response.get_json()["error"]["code"] == "index_locked"
    assert client.get("/api/articles/new1").status_code == 404  # nothing half-written
    assert client.put("/api/articles/new1", json=NEW, headers=auth).status_code == 201


def test_the_searcher_reloads_by_itself_after_each_write(writable):
    client, auth, app, _ = writable
    before = get_searcher(app).doc_count()
    client.put("/api/articles/new1", json=NEW, headers=auth)
    assert get_searcher(app).doc_count() == before + 1
    client.delete("/api/articles/new1", headers=auth)
    assert get_searcher(app).doc_count() == before


def test_the_openapi_document_describes_the_write_routes(writable):
    client, _, app, _ = writable
    doc = client.get("/api/openapi.json").get_json()
    item = doc["paths"]["/api/articles/{article_id}"]
    assert {"get", "put", "delete"} == set(item)
    assert item["put"]["security"] == [{"bearer": []}]
    assert "401" in item["put"]["responses"] and "503" in item["delete"]["responses"]
    batch = doc["paths"]["/api/articles"]["post"]["requestBody"]["content"]
    assert batch["application/x-ndjson"]["schema"]["maxLength"] == 4096
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_admin_page_shows_stats_writes_and_no_synonyms(writable):
    client, auth, _, _ = writable
    client.put("/api/articles/new1", json=NEW, headers=auth)
    client.delete("/api/articles/nothing-here", headers=auth)
    page = client.get("/admin", headers=auth)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "لوحة الإدارة" in html and "ثقافة" in html
    assert ">update<" in html and ">delete<" in html and ">build<" in html
    assert "not found: nothing-here" in html or "nothing-here" in html
    assert "لا يوجد ملف مرادفات" in html
    assert "FAHRAS_ANALYTICS_DIR" in html  # analytics off: said so


def test_concurrent_writes_of_one_server_take_turns(web_corpus, tmp_path):
    """Writes of one server wait their turn (no 503 among themselves) and all land."""
    from concurrent.futures import ThreadPoolExecutor

    app, auth, _ = writable_app(web_corpus, tmp_path, FAHRAS_WRITE_WAIT=30)

    def put(n):
        article = {**NEW, "title": f"مكتبة متنقلة رقم {n}"}
        return app.test_client().put(f"/api/articles/turn{n}", json=article,
                                     headers=auth).status_code

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(put, range(12)))
        assert statuses == [201] * 12
        found = app.test_client().get("/api/search", query_string={
            "q": "متنقلة", "per_page": 20}).get_json()
        assert found["total"] == 12
    finally:
        close_searcher(app)
