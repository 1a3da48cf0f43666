"""The sample articles in seeds/: all readable, distinct, and in the shared set of categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.sources import Article, BadRecord, find_source_files, read_articles

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CATEGORIES = {"رياضة", "طقس", "تقنية", "صحة", "ثقافة", "اقتصاد", "تعليم", "سياحة"}


@pytest.fixture(scope="module")
def seeds() -> list[Article | BadRecord]:
    return list(read_articles([SEEDS]))


def test_every_seed_file_reads_as_an_article(seeds):
    bad = [str(record) for record in seeds if isinstance(record, BadRecord)]
    assert bad == []
    assert len(seeds) == len(find_source_files([SEEDS]))


def test_at_least_twenty_articles_with_unique_ids(seeds):
    ids = [record.id for record in seeds]
    assert len(ids) >= 20
    assert len(set(ids)) == len(ids)


def test_categories_from_the_set(seeds):
    used = {record.category for record in seeds}
    assert used <= CATEGORIES
    assert len(used) >= 6


def test_seeds_are_dated_across_years(seeds):
    assert all(record.date is not None for record in seeds)
    assert len({record.date.year for record in seeds}) >= 5


def test_sample_articles_have_a_title_and_a_body_of_reasonable_length(seeds):
    for record in seeds:
        if record.id.startswith("000_"):
            continue  # the given article is not one of the short samples
        assert record.title, record.id
        assert 80 <= len(record.body.split()) <= 200, record.id


def test_seed_cleaning_is_visible(seeds):
    by_id = {record.id: record for record in seeds}
    oud = by_id["018_oud_evening"]
    assert "شارك هذا المقال" not in oud.body
    assert oud.body.count("صورة: كريم منصور خلال الأمسية") == 1
    assert oud.title not in oud.body
    assert "يرجى إدخال الأرقام" not in by_id["020_stock_market_rally"].body
