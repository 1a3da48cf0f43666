"""Bad articles: one folder mixing good records with every kind of bad one, through the CLI.

``fahras-index build`` over the folder must index every good record (the count is checked
exactly, and each good article is looked up by id or by a word only it has), report every bad
one with its file, its line (for JSON lines) and the reason, and exit with 3 ("partial").

Good, though unusual: a Windows-1256 file, UTF-16 files with a BOM, a record without an id (it
gets a hash id), an integer id, HTML markup in a body (made plain text), escaped NUL and control
characters (removed). Bad: invalid UTF-8, raw NUL bytes in a line, binary files, an empty file,
a 50 MB article (over the 5 MB limit: skipped, never read whole), invalid JSON, JSON that is not
an object or has no text, a repeated id, impossible dates, a truncated gzip stream.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main as index_cli
from indexer.records import MAX_ARTICLE_BYTES, hash_id
from search import Searcher

HUGE_MB = 50


def line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def seed_text(category: str, title: str, date: str, body: str) -> str:
    return f"{category}\n{title}\n{date}\n{body}\n"


class Corpus:
    """Writes the files and keeps the lists of what is good and what must be reported."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.good: dict[str, str] = {}  # id -> a word found only in that article
        self.bad: list[tuple[str, int | None, str]] = []  # (file, line, reason fragment)

    def path(self, name: str) -> Path:
        return self.root / name

    def expect_bad(self, name: str, lineno: int | None, reason: str) -> None:
        self.bad.append((str(self.path(name)), lineno, reason))


def mixed_jsonl(corpus: Corpus) -> None:
    """news.jsonl: good and bad lines side by side, a 50 MB line among them."""
    name = "news.jsonl"
    lines: list[bytes] = []

    def good(record: dict, word: str) -> None:
        lines.append(line(record))
        corpus.good[str(record.get("id") or hash_id(record["title"], record["body"]))] = word

    def bad(raw: bytes, reason: str) -> None:
        lines.append(raw)
        corpus.expect_bad(name, len(lines), reason)

    good({"id": "g01", "title": "افتتاح جسر الميناء الجديد", "body": "عبرت أول سيارة الجسر صباحا.",
          "date": "2021-04-05"}, "الجسر")
    bad(b'{"id": "cut", "title": "\xd8\xae\xd8\xa8\xd8\xb1", "body": ', "invalid JSON")
    good({"title": "مقال بلا معرف عن البرتقال", "body": "يكثر البرتقال في الأسواق شتاء."},
         "البرتقال")
    bad(b"[1, 2, 3]", "not a JSON object")
    good({"id": "g02", "title": "مقال فيه وسوم",
          "body": "<p>قال <b>المزارع</b> إن محصول <i>الزيتون</i> وفير.</p>"
                  "<script>alert('x')</script><p>وهذا سطر ثان.</p>"}, "الزيتون")
    bad("café crème, déjà vu".encode("latin-1"), "undecodable line")
    good({"id": "g03", "title": "عنوان\u0000 فيه\u0007 محارف تحكم",
          "body": "نص\u0000 فيه\u001b محارف\u0085 تحكم عن السفرجل.\u007f"}, "السفرجل")
    bad(b'{"id": "nul", "body": "\x00\x00 \xd9\x86\xd8\xb5"}', "undecodable line")
    bad(line({"id": "g01", "title": "تكرار", "body": "معرف مكرر."}), "duplicate id 'g01'")
    bad(line({"id": "d1", "body": "تاريخ مستحيل.", "date": "2019-02-30"}), "bad date '2019-02-30'")
    bad(line({"id": "d2", "body": "تاريخ مستحيل.", "date": "2021-13-45"}), "bad date '2021-13-45'")
    bad(line({"id": "d3", "body": "تاريخ ليس نصا.", "date": 20190101}), "bad date")
    bad(line({"id": "empty-text", "title": "  ", "body": ""}), "no text")
    bad(line({"id": "t1", "title": ["قائمة"], "body": "نص."}), "non-string field 'title'")
    bad(line({"id": "../etc/passwd", "body": "معرف فيه مسار."}), "path separator")
    lines.append(b"__HUGE__")
    corpus.expect_bad(name, len(lines), f"article too large ({HUGE_MB}.0 MB > 5 MB limit)")
    good({"id": "g04", "title": "خبر بعد المقال الضخم", "body": "يصل الخبر عن الرمان بعده."},
         "الرمان")
    lines.append(b"   ")  # a blank line: skipped, not reported
    good({"id": 42, "title": "معرف عددي", "body": "معرف عددي لمقال عن المشمش."}, "المشمش")
    with open(corpus.path(name), "wb") as fh:
        for raw in lines:
            if raw == b"__HUGE__":
                write_huge_line(fh)
            else:
                fh.write(raw + b"\n")


def write_huge_line(fh) -> None:
    """A JSON line of exactly HUGE_MB megabytes, written in pieces."""
    head, tail = b'{"id": "huge", "title": "\xd8\xb6\xd8\xae\xd9\x85", "body": "', b'"}'
    body = HUGE_MB * 1024 * 1024 - len(head) - len(tail)
    word = "كلمة ".encode()
    chunk = word * (1024 * 1024 // len(word))
    fh.write(head)
    while body > 0:
        piece = chunk[: min(body, len(chunk))]
        fh.write(piece)
        body -= len(piece)
    fh.write(tail + b"\n")


def other_files(corpus: Corpus) -> None:
    win = [{"id": "w01", "title": "أخبار الطقس في المدينة", "body": "تهطل أمطار على التلال."},
           {"id": "w02", "title": "سوق الكتب القديمة", "body": "يبيع الباعة المخطوطات."}]
    corpus.path("legacy-1256.jsonl").write_bytes(
        b"\r\n".join(json.dumps(r, ensure_ascii=False).encode("cp1256") for r in win) + b"\r\n")
    corpus.good.update({"w01": "التلال", "w02": "المخطوطات"})
    wide = [{"id": "u01", "title": "مهرجان الخريف", "body": "يقام المهرجان في الحديقة الكبيرة."},
            {"id": "u02", "title": "قافلة الجمال", "body": "عبرت القافلة الصحراء في أسبوع."}]
    corpus.path("wide-16.jsonl").write_bytes(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in wide).encode("utf-16"))
    corpus.good.update({"u01": "الحديقة", "u02": "القافلة"})
    corpus.path("seed-1256.txt").write_bytes(seed_text(
        "ثقافة", "معرض للخط العربي", "12/03/2020", "يعرض الخطاطون لوحات بالحبر.").encode("cp1256"))
    corpus.good["seed-1256"] = "الخطاطون"
    corpus.path("seed-16.txt").write_bytes(seed_text(
        "علوم", "كسوف الشمس", "2020-06-21", "شاهد الناس الكسوف من فوق السطوح.").encode("utf-16"))
    corpus.good["seed-16"] = "السطوح"

    corpus.path("empty.txt").write_bytes(b"")
    corpus.expect_bad("empty.txt", None, "empty file")
    corpus.path("blank.txt").write_bytes(b"\n \n")
    corpus.expect_bad("blank.txt", None, "empty file")
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    corpus.path("picture.jsonl").write_bytes(picture)
    corpus.expect_bad("picture.jsonl", None, "undecodable file")
    corpus.path("program.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    corpus.expect_bad("program.txt", None, "undecodable file")
    corpus.path("bad-date.txt").write_text(
        seed_text("محليات", "تاريخ مستحيل", "31/02/2020", "نص عن يوم غير موجود."), "utf-8")
    corpus.expect_bad("bad-date.txt", None, "bad date '31/02/2020'")
    with open(corpus.path("big.txt"), "wb") as fh:
        fh.write(seed_text("محليات", "ملف كبير", "2020-01-01", "").encode())
        fh.write("سطر طويل جدا ".encode() * (MAX_ARTICLE_BYTES // 20))
    size = corpus.path("big.txt").stat().st_size
    corpus.expect_bad("big.txt", None, f"article too large ({size / 2**20:.1f} MB > 5 MB limit)")

    packed = gzip.compress(line({"id": "z01", "title": "خبر مضغوط", "body": "عن التمر."})
                           + b"\n" + line({"id": "z02", "body": "لن يصل."}) + b"\n")
    corpus.path("cut.jsonl.gz").write_bytes(packed[: len(packed) - 12])
    corpus.good["z01"] = "التمر"
    corpus.expect_bad("cut.jsonl.gz", 2, "corrupt gzip stream")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    made = Corpus(tmp_path_factory.mktemp("bad-articles"))
    mixed_jsonl(made)
    other_files(made)
    return made


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("bad-index") / "index"
    started = time.monotonic()
    result = CliRunner().invoke(index_cli, ["build", str(corpus.root), "--index-dir",
                                            str(index_dir), "--json"])
    return result, index_dir, time.monotonic() - started


def parse_skip(text: str) -> tuple[str, int | None, str]:
    """``path:line: reason`` or ``path: reason`` → (path, line, reason)."""
    where, _, reason = text.partition(": ")
    path, _, lineno = where.rpartition(":")
    if path and lineno.isdigit():
        return path, int(lineno), reason
    return where, None, reason


def test_exit_code_is_partial(built):
    result, _, _ = built
    assert result.exit_code == 3, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["partial"] is True


def test_every_good_record_is_indexed(built, corpus):
    result, index_dir, _ = built
    report = json.loads(result.output)
    assert report["indexed"] == len(corpus.good)
    assert report["read"] == len(corpus.good) + len(corpus.bad)
    with Searcher(index_dir) as searcher:
        assert searcher.doc_count() == len(corpus.good)
        for article_id, word in corpus.good.items():
            article = searcher.get(article_id)
            hits = searcher.search(word, per_page=50).hits
            assert article_id in [hit.id for hit in hits], (article_id, word)
            assert word in f"{article.title} {article.body}", article_id


def test_every_bad_record_is_reported_with_file_line_and_reason(built, corpus):
    result, _, _ = built
    skipped = [parse_skip(text) for text in json.loads(result.output)["skipped"]]
    assert len(skipped) == len(corpus.bad), "\n".join(map(str, skipped))
    for path, lineno, reason in corpus.bad:
        found = [s for s in skipped if s[0] == path and s[1] == lineno and reason in s[2]]
        assert len(found) == 1, (path, lineno, reason, skipped)


def test_repeated_id_says_where_it_was_first_seen(built, corpus):
    result, _, _ = built
    duplicate = next(s for s in json.loads(result.output)["skipped"] if "duplicate" in s)
    assert duplicate.endswith(f"(first seen at {corpus.path('news.jsonl')}:1)")


def test_the_huge_article_is_skipped_without_reading_it_whole(built):
    _, _, seconds = built
    # 50 MB of Arabic words would take minutes to analyse; skipping it takes no time
    assert seconds < 60


def test_good_but_unusual_records_are_cleaned(built):
    _, index_dir, _ = built
    with Searcher(index_dir) as searcher:
        html = searcher.get("g02")
        assert "<" not in html.body and "alert" not in html.body
        assert html.body == "قال المزارع إن محصول الزيتون وفير.\nوهذا سطر ثان."
        controls = searcher.get("g03")
        assert controls.title == "عنوان فيه محارف تحكم"
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F
                       for c in controls.body)
        assert searcher.get("seed-1256").title == "معرض للخط العربي"
        assert searcher.get("seed-1256").date.date().isoformat() == "2020-03-12"
        assert searcher.get("u02").title == "قافلة الجمال"
        assert searcher.get("42").title == "معرف عددي"
        assert searcher.get("g01").title == "افتتاح جسر الميناء الجديد"  # the first of the two


def test_human_summary_lists_the_problems(corpus, tmp_path):
    result = CliRunner().invoke(index_cli, ["build", str(corpus.root), "--index-dir",
                                            str(tmp_path / "index")])
    assert result.exit_code == 3
    output = result.output
    assert re.search(rf"skipped\s+{len(corpus.bad)}\n", output), output
    assert f"{corpus.path('news.jsonl')}:2: invalid JSON" in output
    assert "article too large (50.0 MB > 5 MB limit)" in output
