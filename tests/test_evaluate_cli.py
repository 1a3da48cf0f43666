"""``fahras-search evaluate``: index a tiny collection, rank its queries, score them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.relevance import stamp_path

DOCS = [
    {"id": "d1", "title": "النخيل في الواحات",
     "body": "تزرع أشجار النخيل في الواحات الصحراوية منذ قرون وتعطي التمور."},
    {"id": "d2", "title": "قطار المدينة",
     "body": "افتتحت البلدية خطا جديدا للقطار يربط الميناء بوسط المدينة."},
    {"id": "d3", "title": "مهرجان الشعر",
     "body": "اجتمع الشعراء في مهرجان سنوي لقراءة القصائد أمام الجمهور."},
    {"id": "d4", "title": "صيد السمك",
     "body": "يخرج الصيادون فجرا بقواربهم الصغيرة لصيد السمك قرب الميناء."},
]
QUERIES = (
    "q1\tأين تزرع أشجار النخيل؟\n"
    "q2\tمتى افتتح خط القطار الجديد؟\n"
    "q3\tمن يقرأ القصائد في المهرجان؟\n"
    "q4\tكيف يصطاد الصيادون السمك؟\n"
    "q5\tزلزال بركان\n"  # judged, but no document has its words: scores 0
    "q6\tسؤال بلا حكم\n"  # not judged: skipped
)
QRELS = "q1\td1\t1\nq2\td2\t1\nq3\td3\t1\nq4\td4\t1\nq5\td1\t1\n"


@pytest.fixture()
def collection(tmp_path: Path) -> dict[str, Path]:
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), "utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text(QUERIES, "utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text(QRELS, "utf-8")
    return {"docs": docs, "queries": queries, "qrels": qrels, "root": tmp_path}


def _args(c: dict[str, Path], *extra: str) -> list[str]:
    return ["evaluate", "--queries", str(c["queries"]), "--qrels", str(c["qrels"]), *extra]


def test_evaluate_builds_ranks_and_scores(collection: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, _args(collection, "--docs", str(collection["docs"]),
                                            "--json"))
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["ok"] is True
    assert scores["queries"] == 5 and scores["skipped"] == 1
    # four queries find their article first; the fifth finds nothing and counts as 0
    assert scores["ndcg10"] == pytest.approx(0.8)
    assert scores["mrr10"] == pytest.approx(0.8)
    assert scores["recall100"] == pytest.approx(0.8)


def test_evaluate_prints_the_table(collection: dict[str, Path]) -> None:
    result = CliRunner().invoke(main, _args(collection, "--docs", str(collection["docs"])))
    assert result.exit_code == 0, result.output
    assert "nDCG@10    0.8000" in result.stdout
    assert "Recall@100 0.8000" in result.stdout
    assert "queries scored 5, skipped 1" in result.stdout


def test_index_dir_is_reused_until_the_docs_change(collection: dict[str, Path]) -> None:
    index = collection["root"] / "ix"
    args = _args(collection, "--docs", str(collection["docs"]), "--index-dir", str(index))
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "built index" in first.stderr and stamp_path(index).exists()
    second = CliRunner().invoke(main, args)
    assert "reused index" in second.stderr
    assert second.stdout == first.stdout
    with collection["docs"].open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "d5", "title": "زلزال", "body": "بركان ثار"}) + "\n")
    third = CliRunner().invoke(main, args)
    assert "built index" in third.stderr
    assert "nDCG@10    0.8000" in third.stdout  # q5 now finds d5, but d1 is the judged one
    forced = CliRunner().invoke(main, [*args, "--rebuild"])
    assert "built index" in forced.stderr


def test_several_docs_files_and_save_run(collection: dict[str, Path]) -> None:
    extra = collection["root"] / "more.jsonl"
    extra.write_text(json.dumps({"id": "x1", "title": "نخيل", "body": "نخيل"}) + "\n", "utf-8")
    saved = collection["root"] / "run.txt"
    result = CliRunner().invoke(main, _args(collection, "--docs", str(collection["docs"]),
                                            "--docs", str(extra), "--save-run", str(saved)))
    assert result.exit_code == 0, result.output
    lines = saved.read_text("utf-8").splitlines()
    assert {line.split()[0] for line in lines} == {"q1", "q2", "q3", "q4"}  # q5, q6: no hits
    assert any(line.split()[2] == "x1" for line in lines)
    # the saved run scores the same when read back
    again = CliRunner().invoke(main, _args(collection, "--run", str(saved)))
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[:4] == result.stdout.splitlines()[:4]


def test_run_file_missing_queries_score_zero(collection: dict[str, Path]) -> None:
    run = collection["root"] / "run.txt"
    run.write_text("q1 Q0 d1 1 2.0 t\nq2 Q0 d3 1 2.0 t\nq2 Q0 d2 2 1.0 t\n", "utf-8")
    result = CliRunner().invoke(main, _args(collection, "--run", str(run), "--json"))
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["mrr10"] == pytest.approx((1 + 0.5) / 5)
    assert scores["missing"] == 4


def test_usage_errors(collection: dict[str, Path]) -> None:
    neither = CliRunner().invoke(main, _args(collection))
    assert neither.exit_code == 2 and "--docs" in neither.output
    run = collection["root"] / "run.txt"
    run.write_text("q1 Q0 d1 1 2.0 t\n", "utf-8")
    both = CliRunner().invoke(main, _args(collection, "--run", str(run),
                                          "--docs", str(collection["docs"])))
    assert both.exit_code == 2
    bad = collection["root"] / "bad.txt"
    bad.write_text("q1 d1\n", "utf-8")
    broken = CliRunner().invoke(main, _args(collection, "--run", str(bad)))
    assert broken.exit_code == 1 and "bad.txt:1" in broken.stderr
