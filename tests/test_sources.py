"""Reading articles (indexer/sources.py and its format readers): every format, every bad record."""

from __future__ import annotations

import codecs
import gzip
import json
import random
from dataclasses import FrozenInstanceError
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.dates import parse_date
from indexer.jsonl import article_from_json
from indexer.sources import (
    Article,
    BadRecord,
    SourceError,
    find_source_files,
    read_articles,
)

SEED = "رياضة\nفوز فريق المدينة بالدوري\n2021-05-03\nسجل المهاجم هدفين في الشوط الثاني.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def write_jsonl(path: Path, *lines: object) -> Path:
    """Lines given as str are written as they are; anything else is JSON-encoded."""
    text = "\n".join(ln if isinstance(ln, str) else json.dumps(ln, ensure_ascii=False)
                     for ln in lines)
    return write(path, text + "\n")


def read_one(path: Path) -> Article | BadRecord:
    records = list(read_articles([path]))
    assert len(records) == 1, records
    return records[0]


def article(path: Path) -> Article:
    record = read_one(path)
    assert isinstance(record, Article), str(record)
    return record


def bad(path: Path) -> BadRecord:
    record = read_one(path)
    assert isinstance(record, BadRecord), record
    return record


# ---------------------------------------------------------------- seed text format


def test_seed_text_fields(tmp_path):
    path = write(tmp_path / "007_city_league.txt",
                 "  رياضة \r\n فوز فريق المدينة بالدوري\r\n2021-05-03\r\n\r\n"
                 "سجل المهاجم هدفين في الشوط الثاني.  \r\n\r\n\r\nواحتفل الجمهور حتى الفجر.\r\n")
    got = article(path)
    assert got == Article(
        id="007_city_league",
        title="فوز فريق المدينة بالدوري",
        body="سجل المهاجم هدفين في الشوط الثاني.\nواحتفل الجمهور حتى الفجر.",
        date=datetime(2021, 5, 3),
        category="رياضة",
        source="",
        url="",
        origin=str(path),
    )


def test_article_is_frozen(tmp_path):
    got = article(write(tmp_path / "a.txt", SEED))
    with pytest.raises(FrozenInstanceError):
        got.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), id="utf-16-le"),
        pytest.param(lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(lambda text: text.encode("cp1256"), id="windows-1256"),
    ],
)
def test_seed_text_encodings(tmp_path, encode):
    got = article(write(tmp_path / "enc.txt", encode(SEED)))
    assert got.category == "رياضة"  # no BOM left on the first line
    assert got.title == "فوز فريق المدينة بالدوري"
    assert got.body == "سجل المهاجم هدفين في الشوط الثاني."


def test_cp1256_bytes_are_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        SEED.encode("cp1256").decode("utf-8")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(bytes(range(256)) * 8, id="all-bytes"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), id="png-header"),
        pytest.param(bytes(range(0x80, 0x100)) * 4, id="high-bytes-no-nul"),
        pytest.param("café crème brûlée, à la française".encode("latin-1"), id="latin-1"),
    ],
)
def test_undecodable_file(tmp_path, content):
    record = bad(write(tmp_path / "blob.txt", content))
    assert record.line is None
    assert record.reason == "undecodable file (not UTF-8, UTF-16 or Windows-1256)"


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"])
def test_empty_file(tmp_path, content):
    path = write(tmp_path / "empty.txt", content)
    record = bad(path)
    assert (record.path, record.line, record.reason) == (str(path), None, "empty file")
    assert str(record) == f"{path}: empty file"


@pytest.mark.parametrize(
    "content",
    [
        "رياضة\nعنوان فقط",  # fewer than three lines
        "رياضة\nعنوان بلا نص\n2021-05-03\n",  # header, no body
        "رياضة\nعنوان\n2021-05-03\n\n   \nشارك هذا المقال\n",  # only boilerplate below
    ],
)
def test_seed_without_body_is_no_text(tmp_path, content):
    assert bad(write(tmp_path / "short.txt", content)).reason == "no text"


@pytest.mark.parametrize(
    "date",
    ["2018-02-30", "30/02/2018", "غدا", "18 فبرير 2018", "1 يناير 0000",
     "9999-12-31T23:59:59-05:00", "18 شباط/مارس 2018"],
)
def test_seed_bad_date(tmp_path, date):
    record = bad(write(tmp_path / "d.txt", f"طقس\nأمطار\n{date}\nهطلت أمطار غزيرة.\n"))
    assert record.reason == f"bad date {date!r}"
    assert record.line is None


def test_seed_blank_date_line_means_no_date(tmp_path):
    got = article(write(tmp_path / "d.txt", "طقس\nأمطار\n\nهطلت أمطار غزيرة.\n"))
    assert got.date is None
    assert got.body == "هطلت أمطار غزيرة."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2018-02-18", datetime(2018, 2, 18)),
        ("2018-02-18T17:35:43Z", datetime(2018, 2, 18, 17, 35, 43)),
        ("2018-02-18 17:35", datetime(2018, 2, 18, 17, 35)),
        ("2018-02-18T21:35:43+04:00", datetime(2018, 2, 18, 17, 35, 43)),
        ("2018-02-18T01:00:00-03:00", datetime(2018, 2, 18, 4, 0)),
        ("Sun, 18 Feb 2018 21:35:43 +0400", datetime(2018, 2, 18, 17, 35, 43)),
        ("18/02/2018", datetime(2018, 2, 18)),
        ("2018/02/18", datetime(2018, 2, 18)),
        ("18 فبراير 2018", datetime(2018, 2, 18)),
        ("18 شباط 2018", datetime(2018, 2, 18)),
        ("الأحد 18 فبراير 2018", datetime(2018, 2, 18)),
        ("الأحد، ١٨ فبراير ٢٠١٨م", datetime(2018, 2, 18)),
        ("١٨ شباط ٢٠١٨", datetime(2018, 2, 18)),
        ("۱۸ فبراير ۲۰۱۸", datetime(2018, 2, 18)),
        ("٠٥/١١/٢٠٢٣", datetime(2023, 11, 5)),
        ("3 كانون الثاني 2020", datetime(2020, 1, 3)),
        ("٣ كانون الأول ٢٠٢٠ 14:05", datetime(2020, 12, 3, 14, 5)),
        ("الخميس 5 تشرين الثاني 2020", datetime(2020, 11, 5)),
        ("22 إبريل 2021", datetime(2021, 4, 22)),
        ("22 ابريل 2021", datetime(2021, 4, 22)),
        ("9 آب 2019", datetime(2019, 8, 9)),
        ("18 شباط/فبراير 2018", datetime(2018, 2, 18)),
    ],
)
def test_seed_date_formats(tmp_path, line, expected):
    got = article(write(tmp_path / "d.txt", f"طقس\nأمطار\n{line}\nهطلت أمطار غزيرة.\n"))
    assert got.date == expected
    assert got.date.tzinfo is None


def test_seed_boilerplate_and_repeated_captions_dropped(tmp_path):
    content = "\n".join([
        "ثقافة",
        "حفل موسيقي في الساحة",
        "2022-06-01",
        "حفل موسيقي في الساحة",  # the title again
        "أقيم حفل موسيقي كبير مساء أمس.",
        "صورة: الفرقة على المسرح",
        "وحضر الحفل جمهور غفير.",
        "صورة: الفرقة على المسرح",  # a repeated caption
        "  صورة:   الفرقة على المسرح ",  # the same, spaced differently
        "شارك هذا المقال",
        "  شارك  هذا المقال  ",
        "هل أعجبك هذا المقال؟",
        "هل اعجبك هذا المقال ?",
        "يرجى إدخال الأرقام *",
        "يرجى إدخال الأرقام*",
        "وختمت الفرقة بأغنية شعبية.",
    ])
    got = article(write(tmp_path / "c.txt", content))
    assert got.body.split("\n") == [
        "أقيم حفل موسيقي كبير مساء أمس.",
        "صورة: الفرقة على المسرح",
        "وحضر الحفل جمهور غفير.",
        "وختمت الفرقة بأغنية شعبية.",
    ]


def test_seed_keeps_arabic_as_written(tmp_path):
    title = "أَكادِيمِيَّةٌ لِكُرَةِ القَدَمِ"
    body = "سجّل الفريق هدفاً كـــبيراً في إمارة الشارقة، ١٢ هدفا في الکأس."
    got = article(write(tmp_path / "v.txt", f"رياضة\n{title}\n2021-05-03\n{body}\n"))
    assert (got.title, got.body) == (title, body)


def test_seed_control_characters_removed(tmp_path):
    content = "تقنية\nهاتف جديد\x07\n2022-01-01\nسعر\tالهاتف\x1b الجديد\x85 مرتفع\x7f.\r\n"
    got = article(write(tmp_path / "ctl.txt", content))
    assert got.title == "هاتف جديد"
    assert got.body == "سعر الهاتف الجديد مرتفع."


def test_seed_nul_characters_removed_from_utf16(tmp_path):
    content = "تقنية\nهاتف\x00 جديد\n2022-01-01\nسعر\x00 الهاتف مرتفع.\n"
    got = article(write(tmp_path / "nul.txt", content.encode("utf-16")))
    assert (got.title, got.body) == ("هاتف جديد", "سعر الهاتف مرتفع.")


def test_nul_byte_in_a_single_byte_file_means_binary(tmp_path):
    record = bad(write(tmp_path / "nul.txt", SEED.encode() + b"\x00"))
    assert record.reason.startswith("undecodable file")


def test_seed_html_body_made_plain(tmp_path):
    content = ("تقنية\nهاتف جديد\n2022-01-01\n"
               "<p>أعلنت الشركة عن هاتف <b>جديد</b>.</p><p>السعر &amp; الموعد</p>\n")
    got = article(write(tmp_path / "h.txt", content))
    assert got.body == "أعلنت الشركة عن هاتف جديد.\nالسعر & الموعد"


def test_seed_file_name_must_make_a_good_id(tmp_path):
    record = bad(write(tmp_path / "bad\x01name.txt", SEED))
    assert record.reason.startswith("bad id ")


# ---------------------------------------------------------------- JSONL


def test_jsonl_fields_and_line_numbers(tmp_path):
    path = write_jsonl(
        tmp_path / "news.jsonl",
        {"id": "a1", "title": "أمطار في المدينة", "body": "هطلت أمطار غزيرة.", "date": "2020-01-14",
         "category": "طقس", "source": "وكالة", "url": "http://example.org/a1", "author": "x"},
        "",
        "{not json",
        "   ",
        {"id": "a2", "title": "شمس", "body": "عاد الطقس مشمسا."},
    )
    records = list(read_articles([path]))
    assert [type(r).__name__ for r in records] == ["Article", "BadRecord", "Article"]
    first, broken, last = records
    assert first == Article("a1", "أمطار في المدينة", "هطلت أمطار غزيرة.", datetime(2020, 1, 14),
                            "طقس", "وكالة", "http://example.org/a1", f"{path}:1")
    assert (broken.line, broken.reason) == (3, "invalid JSON: Expecting property name enclosed "
                                               "in double quotes")
    assert str(broken).startswith(f"{path}:3: invalid JSON: ")
    assert (last.id, last.origin, last.date, last.category) == ("a2", f"{path}:5", None, "")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "not a JSON object (a JSON array)"),
        ('"نص"', "not a JSON object (a JSON string)"),
        ("42", "not a JSON object (a JSON number)"),
        ("null", "not a JSON object (a JSON null)"),
        ("", None),  # blank: skipped, no record at all
        ('{"id": "x", "title": "", "body": ""}', "no text"),
        ('{"id": "x", "title": "  ", "body": "\\u0000\\n"}', "no text"),
        ('{"id": "x"}', "no text"),
        ('{"id": "x", "title": 5, "body": "نص"}', "non-string field 'title' (a JSON number)"),
        ('{"id": "x", "body": ["نص"]}', "non-string field 'body' (a JSON array)"),
        ('{"id": "x", "text": {"a": 1}}', "non-string field 'text' (a JSON object)"),
        ('{"id": "x", "body": "نص", "url": true}', "non-string field 'url' (a JSON boolean)"),
        ('{"id": "x", "body": "نص", "date": "2018-02-30"}', "bad date '2018-02-30'"),
        ('{"id": "x", "body": "نص", "date": "البارحة"}', "bad date 'البارحة'"),
        ('{"id": "x", "body": "نص", "date": 1518975343}',
         "bad date 1518975343 (a JSON number, not a string)"),
        ('{"id": "", "body": "نص"}', "bad id (empty)"),
        ('{"id": "   ", "body": "نص"}', "bad id (empty)"),
        ('{"id": "a\\u0007b", "body": "نص"}', "bad id 'a\\x07b' (control or invisible characters)"),
        ('{"id": "a/b", "body": "نص"}', "bad id 'a/b' (contains a path separator)"),
        ('{"id": "..\\\\x", "body": "نص"}', "bad id '..\\\\x' (contains a path separator)"),
        ('{"id": 1.5, "body": "نص"}', "bad id 1.5 (not a string or integer)"),
        ('{"id": true, "body": "نص"}', "bad id True (not a string or integer)"),
        ('{"id": "' + "x" * 201 + '", "body": "نص"}',
         "bad id 'xxxxxxxxxxxxxxxxxxxx'... (longer than 200 characters)"),
    ],
)
def test_jsonl_bad_records(tmp_path, line, reason):
    good = {"id": "ok", "body": "نص سليم"}
    path = write_jsonl(tmp_path / "x.jsonl", good, line, good | {"id": "ok2"})
    records = list(read_articles([path]))
    assert [r.id for r in records if isinstance(r, Article)] == ["ok", "ok2"]
    bads = [r for r in records if isinstance(r, BadRecord)]
    if reason is None:
        assert bads == []
    else:
        assert bads == [BadRecord(str(path), 2, reason)]
        assert records[2].origin == f"{path}:3"


def test_jsonl_missing_id_gets_stable_hash_id(tmp_path):
    path = write_jsonl(
        tmp_path / "noid.jsonl",
        {"title": "سوق الخضار", "body": "ارتفعت أسعار الطماطم."},
        {"title": "سوق الخضار", "body": "انخفضت أسعار الطماطم."},
        {"id": None, "title": "سوق الخضار", "body": "ارتفعت أسعار الطماطم."},
    )
    first_read = [r.id for r in read_articles([path])]
    second_read = [r.id for r in read_articles([path])]
    assert first_read == second_read
    assert all(len(i) == 18 and i.startswith("h-") for i in first_read)
    int(first_read[0][2:], 16)  # hex digits
    assert first_read[0] != first_read[1]  # different text, different id
    assert first_read[0] == first_read[2]  # null id is a missing id


def test_jsonl_numeric_id_and_text_key(tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl",
                       {"id": 42, "text": "نص المقال في مفتاح text"},
                       {"id": " 43 ", "title": "عنوان وحده"})
    first, second = read_articles([path])
    assert (first.id, first.title, first.body) == ("42", "", "نص المقال في مفتاح text")
    assert (second.id, second.title, second.body) == ("43", "عنوان وحده", "")


def test_jsonl_body_wins_over_text(tmp_path):
    path = write_jsonl(tmp_path / "b.jsonl", {"id": 1, "body": "المتن", "text": "نص آخر"})
    assert article(path).body == "المتن"


def test_jsonl_aware_dates_converted_to_naive_utc(tmp_path):
    path = write_jsonl(tmp_path / "tz.jsonl",
                       {"id": 1, "body": "نص", "date": "2018-02-18T21:35:43+04:00"},
                       {"id": 2, "body": "نص", "date": "2018-12-31T23:30:00-02:00"},
                       {"id": 3, "body": "نص", "date": "١٨ شباط ٢٠١٨"})
    dates = [r.date for r in read_articles([path])]
    assert dates == [datetime(2018, 2, 18, 17, 35, 43), datetime(2019, 1, 1, 1, 30),
                     datetime(2018, 2, 18)]
    assert all(d.tzinfo is None for d in dates)


def test_jsonl_html_body_made_plain(tmp_path):
    body = ("<div><p>افتتح المعرض&nbsp;أبوابه\n  صباح اليوم.</p>"
            "<script>var x = 'لا تظهر';</script><style>p {color: red}</style>"
            "<p>الدخول مجاني<br>للطلاب &amp; المعلمين</p><!-- تعليق --></div>")
    got = article(write_jsonl(tmp_path / "h.jsonl", {"id": "h", "title": "المعرض", "body": body}))
    assert got.body == "افتتح المعرض أبوابه صباح اليوم.\nالدخول مجاني\nللطلاب & المعلمين"


@pytest.mark.parametrize(("title", "shown"), [
    ("قال &quot;لن نتراجع&quot; &gt; الوزير", 'قال "لن نتراجع" > الوزير'),
    ("&#1575;&#x644;&#1606;&#1601;&#1591; يرتفع", "النفط يرتفع"),
    ("&lt;script&gt;x&lt;/script&gt; عنوان", "<script>x</script> عنوان"),
    ("أرباح 5% & خسائر", "أرباح 5% & خسائر"),
])
def test_jsonl_title_character_references_read(tmp_path, title, shown):
    got = article(write_jsonl(tmp_path / "t.jsonl", {"id": "t", "title": title, "body": "نص"}))
    assert got.title == shown


def test_jsonl_plain_body_with_angle_brackets_kept(tmp_path):
    body = "قال إن 3 < 5 و a<b، وهذا ليس وسما &amp; لا يفك."
    assert article(write_jsonl(tmp_path / "p.jsonl", {"id": "p", "body": body})).body == body


def test_jsonl_control_characters_removed(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl",
                       {"id": "c", "title": "عنوان\u0000 \n مقسوم\u009c",
                        "body": "سطر\u0001 أول\r\nسطر\tثان\u200f\u0085"})
    got = article(path)
    assert got.title == "عنوان مقسوم"
    assert got.body == "سطر أول\nسطر ثان\u200f"  # format characters such as RLM are kept


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
     ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1256", b"")],
)
def test_jsonl_encodings(tmp_path, encoding, bom):
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "e1", "title": "الطقس اليوم", "body": "جو معتدل."},
        {"id": "e2", "title": "الطقس غدا", "body": "أمطار خفيفة."},
    ]) + "\r\n"
    path = write(tmp_path / "enc.jsonl", bom + text.encode(encoding))
    records = list(read_articles([path]))
    assert [(r.id, r.title, r.body) for r in records] == [
        ("e1", "الطقس اليوم", "جو معتدل."), ("e2", "الطقس غدا", "أمطار خفيفة.")]


def test_jsonl_binary_file(tmp_path):
    path = write(tmp_path / "bin.jsonl", bytes(range(256)) * 20)
    assert list(read_articles([path])) == [
        BadRecord(str(path), None, "undecodable file (not UTF-8, UTF-16 or Windows-1256)")]


def test_jsonl_undecodable_line(tmp_path):
    lines = [json.dumps({"id": 1, "body": "نص"}).encode(),
             "café crème".encode("latin-1"),
             json.dumps({"id": 2, "body": "نص"}).encode()]
    path = write(tmp_path / "mixed.jsonl", b"\n".join(lines))
    records = list(read_articles([path]))
    assert records[1] == BadRecord(str(path), 2,
                                   "undecodable line (not UTF-8, UTF-16 or Windows-1256)")
    assert [r.id for r in records if isinstance(r, Article)] == ["1", "2"]


def _gzip_lines(count: int) -> bytes:
    rng = random.Random(7)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    lines = [json.dumps({"id": n, "body": "".join(rng.choice(letters) for _ in range(80))},
                        ensure_ascii=False) for n in range(1, count + 1)]
    return gzip.compress(("\n".join(lines) + "\n").encode())


def test_jsonl_gz(tmp_path):
    path = write(tmp_path / "n.jsonl.gz", _gzip_lines(30))
    records = list(read_articles([path]))
    assert [r.id for r in records] == [str(n) for n in range(1, 31)]
    assert records[-1].origin == f"{path}:30"


def test_truncated_gzip_keeps_records_before_the_damage(tmp_path):
    data = _gzip_lines(3000)
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) * 2 // 3])
    records = list(read_articles([path]))
    *good, last = records
    assert 100 < len(good) < 3000
    assert all(isinstance(r, Article) for r in good)
    assert [r.id for r in good] == [str(n) for n in range(1, len(good) + 1)]
    assert isinstance(last, BadRecord)
    assert last.reason.startswith("corrupt gzip stream (")
    assert last.line == len(good) + 1


def test_corrupted_gzip_bytes(tmp_path):
    data = bytearray(_gzip_lines(3000))
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    records = list(read_articles([write(tmp_path / "bad.jsonl.gz", bytes(data))]))
    assert isinstance(records[-1], BadRecord)
    assert records[-1].reason.startswith("corrupt gzip stream (")
    assert sum(isinstance(r, Article) for r in records) < 3000


def test_not_gzip_at_all(tmp_path):
    path = write_jsonl(tmp_path / "plain.jsonl.gz", {"id": 1, "body": "نص"})
    [record] = read_articles([path])
    assert isinstance(record, BadRecord)
    assert record.line == 1
    assert record.reason.startswith("corrupt gzip stream (")


# ---------------------------------------------------------------- finding files


def test_folder_recursion_order(tmp_path):
    for name in ["b.txt", "a/2.jsonl", "a/1.txt", "c.jsonl.gz", "a/z/0.txt", ".hidden/x.txt",
                 ".y.txt", "notes.md", "data.json", "d/e.TXT"]:
        write(tmp_path / name, "")
    found = find_source_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.txt", "a/2.jsonl", "a/z/0.txt", "b.txt", "c.jsonl.gz", "d/e.TXT"]


def test_records_follow_file_order(tmp_path):
    write(tmp_path / "b.txt", SEED)
    write_jsonl(tmp_path / "a" / "x.jsonl", {"id": "j1", "body": "نص"}, {"id": "j2", "body": "نص"})
    write(tmp_path / "a" / "w.txt", SEED)
    records = list(read_articles([tmp_path]))
    assert [r.id for r in records] == ["w", "j1", "j2", "b"]


def test_each_file_once_and_string_argument(tmp_path):
    path = write(tmp_path / "one.txt", SEED)
    assert find_source_files([path, tmp_path, str(path)]) == [path]
    assert [r.id for r in read_articles(str(tmp_path))] == ["one"]


def test_empty_folder_gives_nothing(tmp_path):
    assert find_source_files([tmp_path]) == []
    assert list(read_articles([tmp_path])) == []


@pytest.mark.parametrize("name", ["notes.md", "data.json", "archive.gz", "news.jsonl.bz2"])
def test_unsupported_explicit_file_raises_before_anything_is_read(tmp_path, name):
    good = write(tmp_path / "good.txt", SEED)
    other = write(tmp_path / name, "{}")
    with pytest.raises(SourceError, match="unsupported file type") as caught:
        read_articles([good, other])  # raised by the call, before any iteration
    assert str(other) in str(caught.value)


def test_missing_path_raises_before_anything_is_read(tmp_path):
    good = write(tmp_path / "good.txt", SEED)
    missing = tmp_path / "nowhere" / "news.jsonl"
    with pytest.raises(SourceError) as caught:
        read_articles([good, missing])
    assert str(missing) in str(caught.value)
    with pytest.raises(SourceError):
        find_source_files([missing])


def test_bad_record_str():
    assert str(BadRecord("a/b.jsonl", 7, "no text")) == "a/b.jsonl:7: no text"
    assert str(BadRecord("a/c.txt", None, "empty file")) == "a/c.txt: empty file"


# ---------------------------------------------------------------- properties


@given(st.text(max_size=60))
def test_parse_date_accepts_or_refuses_any_text(text):
    try:
        parsed = parse_date(text)
    except ValueError:
        return
    assert parsed is None or (isinstance(parsed, datetime) and parsed.tzinfo is None)


@given(st.text(max_size=80), st.text(max_size=200))
def test_json_text_comes_out_without_control_characters(title, body):
    try:
        got = article_from_json({"id": "p", "title": title, "body": body}, "mem:1")
    except ValueError as exc:
        assert str(exc) == "no text"
        return
    controls = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {"\n"}
    assert not controls & set(got.title + got.body)
    assert "\n" not in got.title
    assert got.title == got.title.strip() and got.body == got.body.strip()
