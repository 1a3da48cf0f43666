"""The articles in seeds/: the real scraped article read as its page shows it, and the
fictional samples all readable, distinct, and in the shared set of categories."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import pytest

from indexer.seedtext import read_text_file
from indexer.sources import Article, BadRecord, find_source_files, read_articles

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
REAL = SEEDS / "000_159b84fecf733829.txt"
CAPTION = ("جنود التحالف يدربون فريق تفكيك الذخائر المتفجرة التابع للجيش العراقي في "
           "نيسان/أبريل. [عملية العزم الصلب]")
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
    used = {record.category for record in seeds if not record.id.startswith("000_")}
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


# ---------------------------------------------------------------- the real scraped article


@pytest.fixture(scope="module")
def real() -> Article:
    record = read_text_file(REAL)
    assert isinstance(record, Article), str(record)
    return record


def test_real_article_header(real):
    assert real.id == "000_159b84fecf733829"
    assert real.category == "التحالفات"
    assert real.title == "الحرب على داعش تتواصل رغم مرور 10 سنوات على إنشاء التحالف الدولي"
    assert real.date == datetime(2024, 5, 3)


def test_real_article_lead_is_kept_apart(real):
    assert real.summary.startswith("يواصل التحالف الدولي ضد داعش إحراز نجاحات")
    assert real.summary.endswith("تواجه تهديد الجماعة الإرهابية.")
    assert real.summary not in real.body
    assert real.body.startswith("في الوقت الذي تحتفل الولايات المتحدة")


def test_real_article_caption_once_and_not_in_the_body(real):
    assert real.caption == CAPTION
    assert "جنود التحالف يدربون" not in real.body


def test_real_article_subheading_is_its_own_paragraph(real):
    paragraphs = real.body.split("\n")
    assert [paragraphs[i] for i in real.headings] == ["عمليات التحالف مستمرة"]
    assert len(paragraphs) == 14
    assert "أبو بكر البغدادي" in real.body


def test_real_article_has_no_site_furniture(real):
    for furniture in ("شارك هذا المقال", "هل أعجبك هذا المقال", "يرجى إدخال الأرقام"):
        assert furniture not in real.body
        assert furniture not in real.summary


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: text.encode("cp1256"), id="windows-1256"),
        pytest.param(lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(
            "utf-8"), id="bom-and-crlf"),
    ],
)
def test_real_article_reencoded_reads_the_same(real, tmp_path, encode):
    copy = tmp_path / REAL.name
    copy.write_bytes(encode(REAL.read_text(encoding="utf-8")))
    again = read_text_file(copy)
    assert isinstance(again, Article), str(again)
    fields = ("id", "title", "body", "date", "category", "summary", "caption", "headings")
    assert [getattr(again, f) for f in fields] == [getattr(real, f) for f in fields]


def test_real_article_is_kept_byte_for_byte():
    data = REAL.read_bytes()
    assert len(data) == 4607 and data.startswith("التحالفات\n\n".encode())
    assert data.endswith("يرجى إدخال الأرقام *".encode())
