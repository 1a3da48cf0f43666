"""The columns file (indexer/whoosh/columnfile.py): written at every commit, read at open.

Every build, update and delete leaves one file for the live Whoosh generation whose columns
and groups of copies equal what reading the segments gives; a searcher opened on it pages
exactly as one that reads the segments; a file that is damaged, of another generation or of
other segments is refused with IndexDamaged (and a writer computes it again), never used.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import IndexStore, build_index, delete_articles, update_index
from indexer.whoosh.columnfile import (
    LABEL_COLUMNS,
    STORED_COLUMNS,
    ColumnFileDamaged,
    column_file,
    encode,
    read_column_file,
    segment_table,
)
from search import IndexDamaged, Searcher
from search.whoosh.collect import index_columns
from search.whoosh.duplicates import find_copy_groups
from search.whoosh.segments import SegmentCache

QUERIES = ["الحكومة", "أسعار النفط", "الحكومة -المستشفى", '"البنك المركزي"']


def write(path: Path, records: list[dict]) -> list[Path]:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return [path]


@pytest.fixture()
def index_dir(web_corpus, tmp_path) -> Path:
    from tests.conftest import web_articles

    records = web_articles()
    copies = [{**records[1], "id": "copy-of-1"}, {**records[4], "id": "copy-of-4"}]
    folder = tmp_path / "index"
    build_index([web_corpus, *write(tmp_path / "copies.jsonl", copies)], folder)
    return folder


def the_file(index_dir: Path) -> Path:
    generation = IndexStore(index_dir).current()
    files = sorted(generation.glob("columns-*.bin"))
    assert len(files) == 1, files  # the older ones are removed
    return files[0]


def assert_file_matches_segments(index_dir: Path) -> None:
    generation = IndexStore(index_dir).current()
    ix = whoosh_index.open_dir(str(generation))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        stored = read_column_file(generation, reader.generation(), segment_table(reader),
                                  STORED_COLUMNS)
        assert stored is not None
        assert column_file(generation, reader.generation()) == the_file(index_dir)
        columns = index_columns(searcher, SegmentCache(), generation)
        for name in STORED_COLUMNS:
            assert stored.columns[name] == columns[name], name
        groups = find_copy_groups(searcher, columns["dupkey"], SegmentCache(), generation)
        assert stored.groups() == list(groups.members)
        assert groups.members  # the copies were grouped
    ix.close()


def pages(searcher: Searcher) -> list:
    return [(page.total, [(h.id, round(h.score, 9), h.copies) for h in page.hits], page.facets)
            for page in (searcher.search(q, per_page=20) for q in QUERIES)] + [
        [(h.id, h.copies) for h in searcher.search("", category="اقتصاد").hits],
        [h.id for h in searcher.search("الحكومة", sort="newest").hits],
        searcher.categories(), searcher.sources()]


def test_every_commit_writes_the_file_of_its_generation(index_dir, tmp_path):
    from tests.conftest import web_articles

    assert_file_matches_segments(index_dir)
    records = web_articles()
    changed = [{**r, "body": r["body"] + " وأسعار النفط"} for r in records[::5]]
    update_index(write(tmp_path / "u.jsonl", [*changed, {**records[7], "id": "copy-of-7"}]),
                 index_dir)
    assert_file_matches_segments(index_dir)
    delete_articles(["copy-of-1", records[3]["id"]], index_dir)
    assert_file_matches_segments(index_dir)


def test_a_searcher_pages_the_same_with_the_file_and_without(index_dir, tmp_path):
    bare = tmp_path / "bare"
    shutil.copytree(index_dir, bare)
    the_file(bare).unlink()
    with Searcher(index_dir) as with_file, Searcher(bare) as without:
        assert with_file.backend._column_file(*_reading(with_file)) is not None
        assert without.backend._column_file(*_reading(without)) is None
        assert pages(with_file) == pages(without)
        assert with_file.check() == without.check()


def _reading(searcher: Searcher):
    with searcher.backend.handle.reading() as found:
        return found


def test_a_live_searcher_follows_updates_through_the_files(index_dir, tmp_path):
    from tests.conftest import web_articles

    records = web_articles()
    with Searcher(index_dir) as warm:
        pages(warm)
        update_index(write(tmp_path / "u.jsonl", [{**records[2], "id": "copy-of-2"}]),
                     index_dir)
        with Searcher(index_dir) as fresh:
            assert pages(warm) == pages(fresh)
            hit = next(h for h in warm.search(records[2]["title"]).hits
                       if h.id in (records[2]["id"], "copy-of-2"))
            assert hit.copies == 2


def damage_cases(path: Path) -> dict:
    blob = path.read_bytes()
    middle = len(blob) // 2
    return {
        "truncated": blob[: len(blob) - 10],
        "garbled": blob[:middle] + bytes(b ^ 0x5A for b in blob[middle:middle + 8])
        + blob[middle + 8:],
        "not one": b"columns, but not ours\n",
        "empty": b"",
    }


@pytest.mark.parametrize("case", ["truncated", "garbled", "not one", "empty"])
def test_a_damaged_file_is_refused_at_open(index_dir, case):
    path = the_file(index_dir)
    path.write_bytes(damage_cases(path)[case])
    with pytest.raises(IndexDamaged, match="ColumnFileDamaged") as raised:
        Searcher(index_dir)
    assert str(path) in str(raised.value.__cause__)


def test_a_file_of_another_generation_or_other_segments_is_refused(index_dir, tmp_path):
    from tests.conftest import web_articles

    path = the_file(index_dir)
    older = path.read_bytes()
    update_index(write(tmp_path / "u.jsonl", [{**web_articles()[0], "body": "نص جديد"}]),
                 index_dir)
    newer = the_file(index_dir)
    newer.write_bytes(older)  # the file of the generation before, under the new name
    with pytest.raises(IndexDamaged) as raised:
        Searcher(index_dir)
    assert "holds generation" in str(raised.value.__cause__)
    stored = read_column_file(path.parent, int(path.stem.split("-")[1]), names=STORED_COLUMNS)
    assert stored is None  # the older file itself was removed by the update
    generation = int(newer.stem.split("-")[1])
    other = replace(_decoded(older), generation=generation)
    newer.write_bytes(encode(other))  # right generation, segments of the one before
    with pytest.raises(IndexDamaged) as raised:
        Searcher(index_dir)
    assert "segments" in str(raised.value.__cause__)


def _decoded(blob: bytes):
    from indexer.whoosh.columnfile import decode

    return decode(blob, "test", STORED_COLUMNS)


def test_check_finds_a_file_that_disagrees_with_the_segments(index_dir):
    path = the_file(index_dir)
    data = _decoded(path.read_bytes())
    category = list(data.columns["category"])
    category[0] = "رياضة" if category[0] != "رياضة" else "اقتصاد"
    path.write_bytes(encode(replace(data, columns={**data.columns, "category": category})))
    with Searcher(index_dir) as searcher, pytest.raises(IndexDamaged) as raised:
        searcher.check()
    assert "does not agree" in str(raised.value.__cause__)


def test_a_writer_computes_a_damaged_file_again(index_dir, tmp_path):
    from tests.conftest import web_articles

    the_file(index_dir).write_bytes(b"FAHRAS-COLUMNS\n\x00\x00")
    update_index(write(tmp_path / "u.jsonl", [{**web_articles()[5], "id": "copy-of-5"}]),
                 index_dir)
    assert_file_matches_segments(index_dir)


def test_the_searcher_reads_only_the_columns_it_needs(index_dir):
    path = the_file(index_dir)
    stored = read_column_file(path.parent, int(path.stem.split("-")[1]))
    assert stored is not None and tuple(stored.columns) == LABEL_COLUMNS
    assert read_column_file(path.parent, 10**6) is None  # no file of that generation
    path.with_name(f"columns-{10**6}.bin").write_bytes(path.read_bytes())
    with pytest.raises(ColumnFileDamaged, match="holds generation"):
        read_column_file(path.parent, 10**6)


def test_an_update_in_place_opens_once_its_columns_file_is_written(index_dir):
    from indexer.whoosh.columnwriter import write_column_file

    generation = IndexStore(index_dir).current()
    with Searcher(index_dir) as searcher:
        articles = searcher.doc_count()
        ix = whoosh_index.open_dir(str(generation))
        writer = ix.writer()
        writer.delete_by_term("id", "copy-of-1")
        writer.commit()  # a commit whose writer has not written its columns file yet
        assert searcher.doc_count() == articles  # the version before still serves
        write_column_file(generation, ix)
        ix.close()
        assert searcher.doc_count() == articles - 1  # opened from its file
        assert searcher.backend._column_file(*_reading(searcher)) is not None


def test_an_update_without_its_columns_file_opens_after_a_while(index_dir):
    import time

    generation = IndexStore(index_dir).current()
    with Searcher(index_dir) as searcher:
        handle = searcher.backend.handle
        handle.COLUMNS_WAIT = 0.3  # a writer that stopped after its commit: waited for briefly
        articles = searcher.doc_count()
        ix = whoosh_index.open_dir(str(generation))
        writer = ix.writer()
        writer.delete_by_term("id", "copy-of-4")
        writer.commit()
        ix.close()
        assert searcher.doc_count() == articles
        time.sleep(0.35)
        assert searcher.doc_count() == articles - 1
        assert searcher.backend._column_file(*_reading(searcher)) is None  # read the segments
        assert pages(searcher)[0][0] > 0


def test_a_file_decoded_with_the_one_before_equals_it_decoded_alone(index_dir, tmp_path):
    """The values a file lends the next one (the articles of the leading segments both list
    alike) give the columns decoding the next file alone gives: after an update, a delete
    (the very same lists) and a second update."""
    from indexer.whoosh.columnfile import decode, shared_articles
    from tests.conftest import web_articles

    records = web_articles()
    path = the_file(index_dir)
    known = decode(path.read_bytes(), str(path), STORED_COLUMNS)
    changes = [
        lambda: update_index(write(tmp_path / "u1.jsonl", [
            {**records[3], "body": records[3]["body"] + " إضافة"},
            {**records[0], "id": "new-one", "category": "سباحة"}]), index_dir),
        lambda: delete_articles([records[5]["id"], records[6]["id"]], index_dir),
        lambda: update_index(write(tmp_path / "u2.jsonl", [{**records[7], "id": "new-two"}]),
                             index_dir),
    ]
    for change in changes:
        change()
        path = the_file(index_dir)
        alone = decode(path.read_bytes(), str(path), STORED_COLUMNS)
        lent = decode(path.read_bytes(), str(path), STORED_COLUMNS, known)
        assert lent == alone
        shared = shared_articles(known.segments, alone.segments)
        assert 0 < shared <= sum(count for _, count, _ in alone.segments)
        if shared == sum(count for _, count, _ in alone.segments):
            assert lent.columns is known.columns  # a delete: nothing decoded
        known = lent
    assert "سباحة" in known.columns["category"]
