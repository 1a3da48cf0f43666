"""Building, updating and deleting: atomic rebuilds, updates by id, reports."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from indexer import (
    BuildError,
    IndexLocked,
    IndexMismatch,
    IndexNotFound,
    IndexStore,
    SourceError,
    build_index,
    delete_articles,
    index_stats,
    update_index,
)
from indexer.sources import Article
from indexer.whoosh.build import article_fields
from indexer.whoosh.schema import SCHEMA_VERSION

ARTICLES = [
    {"id": "a1", "title": "الحكومة تعلن خطة جديدة للمدارس",
     "body": "أعلنت الحكومة خطة لتطوير المدارس.",
     "date": "2021-03-04", "category": "تعليم", "source": "نشرة"},
    {"id": "a2", "title": "أمطار غزيرة في المدينة",
     "body": "هطلت أمطار غزيرة على المدينة أمس.",
     "date": "2022-11-20T08:30:00+03:00", "category": "طقس"},
    {"id": "a3", "title": "فوز الفريق في المباراة", "body": "فاز الفريق بالمباراة النهائية.",
     "category": "رياضة"},
]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def stored_ids(index_dir):
    ix = whoosh_index.open_dir(IndexStore(index_dir).require_current())
    with ix.searcher() as searcher:
        return sorted(doc["id"] for doc in searcher.all_stored_fields())


def find(index_dir, field, text):
    ix = whoosh_index.open_dir(IndexStore(index_dir).require_current())
    with ix.searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(Term(field, text), limit=None))


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(tmp_path / "news.jsonl", ARTICLES)


def test_build_indexes_every_article(tmp_path, corpus):
    report = build_index([corpus], tmp_path / "ix")
    assert (report.read, report.indexed, report.skipped) == (3, 3, [])
    assert not report.partial
    assert stored_ids(tmp_path / "ix") == ["a1", "a2", "a3"]


def test_terms_are_normalised_and_stemmed(tmp_path, corpus):
    build_index([corpus], tmp_path / "ix")
    # "والمدارس"-style variants all reduce to the same stem as "المدارس"
    from indexer import IndexStore, Lexicon, WordAnalysis
    stem_word = WordAnalysis(Lexicon.load(IndexStore(tmp_path / "ix").current())).stem
    assert find(tmp_path / "ix", "content", stem_word("مدارس")) == ["a1"]
    assert find(tmp_path / "ix", "content_exact", "امطار") == ["a2"]
    assert find(tmp_path / "ix", "title", stem_word("حكومه")) == ["a1"]


def test_dates_years_and_missing_values(tmp_path, corpus):
    build_index([corpus], tmp_path / "ix")
    ix = whoosh_index.open_dir(IndexStore(tmp_path / "ix").require_current())
    with ix.searcher() as searcher:
        docs = {d["id"]: d for d in searcher.all_stored_fields()}
    assert docs["a2"]["date"].isoformat() == "2022-11-20T05:30:00"  # converted to UTC
    assert docs["a2"]["year"] == 2022
    assert "date" not in docs["a3"] and "source" not in docs["a3"]


def test_bad_records_reported_and_good_ones_kept(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"id": "ok1", "body": "نص سليم"}, ensure_ascii=False) + "\n"
        "{not json\n"
        + json.dumps({"id": "ok1", "body": "مكرر"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "bad-date", "body": "نص", "date": "2018-02-30"}) + "\n"
        + json.dumps({"id": "ok2", "body": "نص آخر"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    report = build_index([path], tmp_path / "ix")
    assert report.indexed == 2 and report.read == 5 and len(report.skipped) == 3
    assert report.partial
    joined = "\n".join(report.skipped)
    assert f"{path}:2:" in joined and "duplicate id 'ok1'" in joined and ":4:" in joined
    assert stored_ids(tmp_path / "ix") == ["ok1", "ok2"]


def test_rebuild_replaces_atomically_and_keeps_one_previous(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    first = IndexStore(ix_dir).current()
    build_index([write_jsonl(tmp_path / "b.jsonl", ARTICLES[:1])], ix_dir)
    second = IndexStore(ix_dir).current()
    assert first != second and stored_ids(ix_dir) == ["a1"]
    build_index([corpus], ix_dir)
    gens = sorted(p.name for p in ix_dir.iterdir() if p.name.startswith("gen-"))
    assert gens == sorted([second.name, IndexStore(ix_dir).current().name])


def test_failed_build_leaves_old_index(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    before = IndexStore(ix_dir).current()
    empty = write_jsonl(tmp_path / "empty.jsonl", [])
    with pytest.raises(BuildError, match="left as it was"):
        build_index([empty], ix_dir)
    assert IndexStore(ix_dir).current() == before
    assert stored_ids(ix_dir) == ["a1", "a2", "a3"]
    assert len([p for p in ix_dir.iterdir() if p.name.startswith("gen-")]) == 1


def test_interrupted_build_leaves_old_index(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    before = IndexStore(ix_dir).current()

    def interrupt(_count):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([corpus], ix_dir, progress=interrupt)
    assert IndexStore(ix_dir).current() == before
    assert [p for p in ix_dir.iterdir() if p.name.startswith("gen-")] == [before]


def test_killed_build_leaves_old_index_and_next_build_cleans_up(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    before = IndexStore(ix_dir).current()
    big = write_jsonl(tmp_path / "big.jsonl", [
        {"id": f"n{i}", "title": f"خبر رقم {i}", "body": "كلمات عربية كثيرة " * 200}
        for i in range(3000)
    ])
    script = textwrap.dedent(f"""
        from indexer import build_index
        build_index([{str(big)!r}], {str(ix_dir)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the new generation is being written
        if len([p for p in ix_dir.iterdir() if p.name.startswith("gen-")]) > 1:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert IndexStore(ix_dir).current() == before
    assert stored_ids(ix_dir) == ["a1", "a2", "a3"]
    build_index([corpus], ix_dir)  # no manual cleanup needed
    gens = [p for p in ix_dir.iterdir() if p.name.startswith("gen-")]
    assert len(gens) == 2  # the new live one and the previous one; the crashed one is gone


def test_update_adds_replaces_and_skips_unchanged(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    changed = dict(ARTICLES[0], title="عنوان معدل عن الجامعات")
    new = {"id": "a4", "body": "مقال جديد عن السياحة"}
    report = update_index([write_jsonl(tmp_path / "u.jsonl", [changed, ARTICLES[1], new])],
                          ix_dir)
    assert (report.indexed, report.updated, report.unchanged) == (1, 1, 1)
    assert stored_ids(ix_dir) == ["a1", "a2", "a3", "a4"]
    assert find(ix_dir, "content_exact", "الجامعات") == ["a1"]
    assert find(ix_dir, "content_exact", "للمدارس") == []


def test_delete_by_id_reports_unknown(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    report = delete_articles(["a2", "nope"], ix_dir)
    assert report.deleted == 1 and report.not_found == ["nope"] and report.partial
    assert stored_ids(ix_dir) == ["a1", "a3"]


def test_update_and_delete_need_an_index(tmp_path, corpus):
    with pytest.raises(IndexNotFound, match="fahras-index build"):
        update_index([corpus], tmp_path / "none")
    with pytest.raises(IndexNotFound):
        delete_articles(["a1"], tmp_path / "none")


def test_schema_mismatch_refused_for_update(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    gen = IndexStore(ix_dir).current()
    meta = IndexStore.read_meta(gen)
    IndexStore.write_meta(gen, dict(meta, schema_version=-1))
    with pytest.raises(IndexMismatch, match="rebuild"):
        update_index([corpus], ix_dir)


def test_missing_source_fails_before_touching_the_index(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    before = IndexStore(ix_dir).current()
    with pytest.raises(SourceError, match="nowhere"):
        build_index([tmp_path / "nowhere.jsonl"], ix_dir)
    assert IndexStore(ix_dir).current() == before


def test_second_writer_is_refused_clearly(tmp_path, corpus):
    ix_dir = tmp_path / "ix"
    build_index([corpus], ix_dir)
    with IndexStore(ix_dir).write_lock(), pytest.raises(IndexLocked, match="another process"):
        update_index([corpus], ix_dir)


def test_multiprocess_build_matches_single(tmp_path):
    records = [{"id": f"m{i}", "title": f"عنوان {i}", "body": f"نص الخبر رقم {i} عن الاقتصاد"}
               for i in range(400)]
    path = write_jsonl(tmp_path / "m.jsonl", records)
    build_index([path], tmp_path / "one")
    build_index([path], tmp_path / "two", procs=2)
    assert stored_ids(tmp_path / "one") == stored_ids(tmp_path / "two")
    assert find(tmp_path / "two", "content_exact", "الاقتصاد") == find(
        tmp_path / "one", "content_exact", "الاقتصاد")


def test_stats(tmp_path, corpus):
    build_index([corpus], tmp_path / "ix")
    stats = index_stats(tmp_path / "ix")
    assert stats.articles == 3 and stats.terms > 10 and stats.size_bytes > 0
    assert stats.categories == {"تعليم": 1, "طقس": 1, "رياضة": 1}
    assert stats.first_date == "2021-03-04" and stats.last_date == "2022-11-20"
    assert stats.schema_version == SCHEMA_VERSION and stats.build_seconds is not None


def test_default_index_dir_from_environment(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("FAHRAS_INDEX_DIR", str(tmp_path / "envix"))
    build_index([corpus])
    assert IndexStore().current().parent == tmp_path / "envix"
    assert os.path.isdir(tmp_path / "envix")


def test_fingerprint_changes_with_content():
    a = Article(id="x", title="t", body="b", date=None, category="", source="", url="",
                origin="o")
    b = Article(id="x", title="t", body="c", date=None, category="", source="", url="",
                origin="o")
    assert article_fields(a)["fingerprint"] != article_fields(b)["fingerprint"]
