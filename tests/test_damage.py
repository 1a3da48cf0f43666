"""Damage is damage everywhere (search/whoosh/damage.py, search/whoosh/handle.py): an index
whose files were truncated, garbled or deleted gives :class:`IndexDamaged` from every read
path, never a library's error; ``check()`` (and so ``/healthz`` and ``fahras-web``'s start)
finds it; the web app answers 503 ``index_damaged``, never 500.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_jsonl_records

from indexer import IndexStore, build_index
from search import ArticleNotFound, IndexDamaged, Searcher
from search.whoosh.damage import is_index_failure
from web import close_searcher, create_app
from web.cli import main as web_main

ARTICLES = [
    {"id": f"d{i:02d}", "title": f"خبر رقم {i} عن {topic}",
     "body": f"تفاصيل الخبر {i}: {topic} في المدينة. " * 6, "date": f"2022-0{1 + i % 9}-1{i % 9}",
     "category": category, "source": "وكالة"}
    for i, (topic, category) in enumerate(
        [("الطقس", "طقس"), ("الاقتصاد", "اقتصاد"), ("الرياضة", "رياضة")] * 10)
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("damage")
    report = build_index([write_jsonl_records(folder / "d.jsonl", ARTICLES)], folder / "index")
    assert report.indexed == len(ARTICLES)
    return folder / "index"


def segment_file(generation: Path, ending: str) -> Path:
    found = [p for p in generation.glob("MAIN_*") if p.name.endswith(ending)]
    assert len(found) == 1, sorted(p.name for p in generation.iterdir())
    return found[0]


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble(path: Path) -> None:
    """Overwrite the middle third with random bytes: the size stays what it was."""
    data = bytearray(path.read_bytes())
    third = max(1, len(data) // 3)
    data[third:2 * third] = random.Random(7).randbytes(third)
    path.write_bytes(bytes(data))


#: name -> what it does to the live generation; every one of them the probe of the
#: web app found answering 500 or a healthy-looking /healthz.
DAMAGE = {
    "truncated postings": lambda g: truncate(segment_file(g, ".pst")),
    "truncated terms": lambda g: truncate(segment_file(g, ".trm")),
    "truncated lengths": lambda g: truncate(segment_file(g, "._content_len.col")),
    "truncated stored": lambda g: truncate(segment_file(g, "._stored.col")),
    "garbled categories": lambda g: garble(segment_file(g, ".category.col")),
    "deleted postings": lambda g: segment_file(g, ".pst").unlink(),
    "deleted column": lambda g: segment_file(g, ".year.col").unlink(),
    "garbled record": lambda g: (g / "fahras.json").write_text("{not json", encoding="utf-8"),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, pristine, tmp_path) -> Path:
    root = tmp_path / "index"
    shutil.copytree(pristine, root)
    DAMAGE[request.param](IndexStore(root).current())
    return root


def every_read(searcher: Searcher):
    yield lambda: searcher.search("الطقس")
    yield lambda: searcher.search("الاقتصاد", category="اقتصاد", sort="newest")
    yield lambda: searcher.search("", category="رياضة")
    yield lambda: searcher.get("d03", "الرياضة")
    yield lambda: searcher.similar("d04")
    yield lambda: searcher.suggest("الر")
    yield lambda: searcher.categories()
    yield lambda: searcher.rank("خبر الطقس")


def test_every_read_path_says_damaged(damaged):
    try:
        searcher = Searcher(damaged)
    except IndexDamaged:
        return  # found on opening: nothing can be read from it
    with searcher:
        with pytest.raises(IndexDamaged, match="fahras-index build"):
            searcher.check()
        for read in every_read(searcher):
            with contextlib.suppress(IndexDamaged, ArticleNotFound):
                read()  # what still reads may answer; nothing else may be raised


def test_damage_after_opening_is_found_by_the_open_searcher(pristine, tmp_path):
    root = tmp_path / "index"
    shutil.copytree(pristine, root)
    with Searcher(root) as searcher:
        assert searcher.check() == len(ARTICLES)
        generation = IndexStore(root).current()
        truncate(segment_file(generation, ".pst"))
        with pytest.raises(IndexDamaged):
            searcher.check()
        (generation / "fahras.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(IndexDamaged):
            searcher.check()


def test_the_web_app_answers_503_on_every_route(damaged):
    app = create_app({"FAHRAS_INDEX_DIR": str(damaged)})
    try:
        client = app.test_client()
        for url in ("/healthz", "/api/search?q=الطقس", "/api/articles/d03",
                    "/api/articles/d04/similar", "/api/suggest?q=الر", "/?q=الطقس",
                    "/articles/d03"):
            response = client.get(url)
            assert response.status_code in (200, 404, 503), (url, response.status_code)
            if url.startswith(("/api", "/healthz")) and response.status_code == 503:
                assert response.get_json()["error"]["code"] == "index_damaged", url
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["error"]["code"] == "index_damaged"
    finally:
        close_searcher(app)


def test_fahras_web_refuses_to_start_on_a_damaged_index(damaged):
    result = CliRunner().invoke(web_main, ["--index-dir", str(damaged), "--port", "0"])
    assert result.exit_code == 1, result.output
    assert "cannot be read" in result.output and "fahras-index build" in result.output
    assert "Traceback" not in result.output


def test_a_healthy_index_passes_the_check_after_updates(pristine, tmp_path):
    from indexer import delete_articles, update_index

    root = tmp_path / "index"
    shutil.copytree(pristine, root)
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "new1", "title": "خبر جديد", "body": "نص جديد"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    with Searcher(root) as searcher:
        update_index([more], root)
        delete_articles(["d01"], root)
        assert searcher.check() == len(ARTICLES)
        assert searcher.info().documents == len(ARTICLES)


def test_failures_of_our_own_code_are_not_damage():
    def our_bug():
        return None + 1

    with pytest.raises(TypeError) as caught:
        our_bug()
    assert not is_index_failure(caught.value)
    assert is_index_failure(OSError(5, os.strerror(5)))
    assert is_index_failure(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid"))
