"""The seed text format as scraped pages really lay it out: blank lines in the header, a lead
set apart by the share bar, captions with a credit printed twice, subheadings; and the old
layout without blank lines, which keeps working."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer import BuildError, build_index
from indexer.cli import main as index_cli
from indexer.seedlayout import is_caption, is_subheading, split_body
from indexer.seedtext import read_text_file
from indexer.sources import Article, BadRecord

SCRAPED = "\n".join([
    "اقتصاد", "",
    "ارتفاع صادرات التمور في موسم الحصاد", "",
    "2023-09-12", "",
    "سجلت صادرات التمور ارتفاعا ملحوظا هذا الموسم بفضل أسواق جديدة في آسيا.", "",
    "شارك هذا المقال", "",
    "عمال يفرزون التمور في مصنع قرب الواحة. [وكالة الأنباء المحلية]",
    "عمال يفرزون التمور في مصنع قرب الواحة. [وكالة الأنباء المحلية]", "",
    "وقال مدير الجمعية إن الكميات المصدرة زادت بنحو الربع عن العام الماضي.", "",
    "أسواق جديدة", "",
    "وتتجه الشحنات الأولى إلى موانئ في جنوب شرق آسيا خلال الأسابيع المقبلة.", "",
    "هل أعجبك هذا المقال؟", "", "",
    "يرجى إدخال الأرقام *",
])


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def read(path: Path) -> Article:
    record = read_text_file(path)
    assert isinstance(record, Article), str(record)
    return record


def test_scraped_layout_parts(tmp_path):
    got = read(write(tmp_path / "dates.txt", SCRAPED))
    assert (got.category, got.title, got.date) == (
        "اقتصاد", "ارتفاع صادرات التمور في موسم الحصاد", datetime(2023, 9, 12))
    assert got.summary.startswith("سجلت صادرات التمور")
    assert got.caption == "عمال يفرزون التمور في مصنع قرب الواحة. [وكالة الأنباء المحلية]"
    assert got.body.split("\n") == [
        "وقال مدير الجمعية إن الكميات المصدرة زادت بنحو الربع عن العام الماضي.",
        "أسواق جديدة",
        "وتتجه الشحنات الأولى إلى موانئ في جنوب شرق آسيا خلال الأسابيع المقبلة.",
    ]
    assert got.headings == (1,)


def test_old_layout_has_no_lead_and_keeps_its_first_paragraph(tmp_path):
    text = "رياضة\nفوز الفريق\n2021-05-03\nسجل المهاجم هدفين.\nواحتفل الجمهور.\n"
    got = read(write(tmp_path / "old.txt", text))
    assert (got.title, got.summary, got.caption, got.headings) == ("فوز الفريق", "", "", ())
    assert got.body == "سجل المهاجم هدفين.\nواحتفل الجمهور."


def test_old_layout_with_an_empty_title_line(tmp_path):
    got = read(write(tmp_path / "t.txt", "رياضة\n\n2021-05-03\nسجل المهاجم هدفين.\n"))
    assert (got.title, got.date, got.body) == ("", datetime(2021, 5, 3), "سجل المهاجم هدفين.")


def test_scraped_layout_with_a_bad_date_says_which_line(tmp_path):
    record = read_text_file(write(tmp_path / "b.txt", "ثقافة\n\nعنوان\n\nأمس\n\nنص.\n"))
    assert isinstance(record, BadRecord)
    assert record.reason == "bad date 'أمس'"


def test_a_single_credited_caption_is_a_caption():
    parts = split_body(["فقرة أولى.", "صورة من الحفل. [المكتب الإعلامي]", "فقرة ثانية."], "")
    assert parts.captions == ("صورة من الحفل. [المكتب الإعلامي]",)
    assert parts.lead == "فقرة أولى."  # the page set it apart with the photo
    assert parts.paragraphs == ("فقرة ثانية.",)


@pytest.mark.parametrize("line, expected", [
    ("عمليات التحالف مستمرة", True),
    ("وقال المدير إن العمل مستمر.", False),
    ("صورة: الفرقة على المسرح", False),
    ("كلمة " * 11, False),
    ("هل يستمر الارتفاع؟", False),
])
def test_subheading_lines(line, expected):
    assert is_subheading(line.strip()) is expected


def test_caption_needs_a_bracketed_credit_at_the_end():
    assert is_caption("جنود في التدريب. [عملية العزم الصلب]")
    assert not is_caption("[عملية العزم الصلب] جنود في التدريب.")
    assert not is_caption("جنود في التدريب.")


def test_short_last_line_is_not_a_subheading():
    parts = split_body(["فقرة أولى.", "فقرة ثانية.", "انتهى"], "")
    assert parts.headings == ()


def test_folder_of_scraped_files_with_one_bad_file(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder / "a.txt", SCRAPED)
    write(folder / "b.txt", SCRAPED.replace("ارتفاع صادرات", "تراجع صادرات"))
    write(folder / "c.txt", b"\x00\x01\x02\x03" * 200)
    report = build_index([folder], tmp_path / "index")
    assert (report.read, report.indexed) == (3, 2)
    assert len(report.skipped) == 1
    assert report.skipped[0].startswith(f"{folder / 'c.txt'}: undecodable file")


def test_nothing_read_lists_every_file_and_says_no_index_was_built(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write(folder / "1.txt", "ثقافة\nعنوان\nأمس\nنص.\n")
    write(folder / "2.txt", "")
    with pytest.raises(BuildError) as caught:
        build_index([folder], tmp_path / "index")
    message = str(caught.value)
    assert "no index was built" in message and "existing index" not in message
    assert f"{folder / '1.txt'}: bad date 'أمس'" in message
    assert f"{folder / '2.txt'}: empty file" in message
    assert caught.value.skipped == [f"{folder / '1.txt'}: bad date 'أمس'",
                                    f"{folder / '2.txt'}: empty file"]


def test_nothing_read_over_an_index_says_it_was_left(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    write(good, SCRAPED)
    write(bad, "")
    build_index([good], tmp_path / "index")
    with pytest.raises(BuildError, match="the existing index was left as it was"):
        build_index([bad], tmp_path / "index")


def test_nothing_read_on_the_command_line_text_and_json(tmp_path):
    bad = write(tmp_path / "bad.txt", "")
    index = str(tmp_path / "index")
    runner = CliRunner()
    text = runner.invoke(index_cli, ["build", str(bad), "--index-dir", index])
    assert text.exit_code == 1
    assert f"{bad}: empty file" in text.output and "no index was built" in text.output
    as_json = runner.invoke(index_cli, ["build", str(bad), "--index-dir", index, "--json"])
    answer = json.loads(as_json.output)
    assert as_json.exit_code == 1 and answer["ok"] is False
    assert answer["skipped"] == [f"{bad}: empty file"]


def test_lead_and_caption_are_searched_and_the_lead_is_the_fallback_snippet(tmp_path):
    from search import Searcher

    folder = tmp_path / "pages"
    folder.mkdir()
    write(folder / "dates.txt", SCRAPED)
    write(folder / "factory.txt", "اقتصاد\nمصنع جديد\n2023-09-13\n"
          "افتتح مصنع جديد يفرزون فيه الفاكهة والتمور قبل تصديرها.\n")
    build_index([folder], tmp_path / "index")
    with Searcher(tmp_path / "index") as searcher:
        lead_only = searcher.search("ملحوظا")  # a word of the lead only
        assert [h.id for h in lead_only.hits] == ["dates"]
        assert "<mark>ملحوظا</mark>" in lead_only.hits[0].snippet.html
        caption = searcher.search("يفرزون")  # in the caption of one, the body of the other
        assert [h.id for h in caption.hits] == ["factory", "dates"]  # a caption weighs less
        assert caption.hits[1].snippet.text.startswith("سجلت صادرات التمور")  # the lead
        listing = searcher.search("", category="اقتصاد", sort="oldest")
        assert listing.hits[0].snippet.text.startswith("سجلت صادرات التمور")
        article = searcher.get("dates", query="يفرزون")
        assert "<mark>يفرزون</mark>" in article.caption_html
        assert '<h2 class="subheading">أسواق جديدة</h2>' in article.body_html
