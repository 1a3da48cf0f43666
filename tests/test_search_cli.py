"""`fahras-search` (search/cli.py) through click's CliRunner."""

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from indexer import build_index
from search.cli import main
from search.evaluation import read_queries, read_trec_run


@pytest.fixture
def run(search_index):
    """``run(*args)``: invoke fahras-search on the shared test index."""
    runner = CliRunner()

    def invoke(*args, index=True, **kwargs):
        extra = ["--index-dir", str(search_index)] if index else []
        return runner.invoke(main, [*args, *extra], **kwargs)

    return invoke


def test_default_command_searches(run):
    result = run("الحكومة الميزانية")
    assert result.exit_code == 0, result.output
    assert "results for «الحكومة الميزانية»" in result.output
    assert result.output.index("الحكومة تناقش الميزانية") < result.output.index("عجز في الميزانية")
    assert "[s01]" in result.output and "2021-05-10 · اقتصاد · وكالة الأنباء" in result.output


def test_query_subcommand_is_the_same(run):
    def body(result):  # without the first line, which has the time taken
        return result.output.split("\n", 1)[1]

    assert body(run("query", "الحكومة")) == body(run("الحكومة"))


def test_several_words_without_quotes(run):
    assert "[s01]" in run("الحكومة", "الميزانية").output.split("\n\n")[1]


def test_json_output(run):
    result = run("الحكومة", "--json", "--per-page", "2", "--page", "2", "--sort", "newest")
    data = json.loads(result.output)
    assert data["ok"] and data["page"] == 2 and len(data["hits"]) == 2 and data["sort"] == "newest"
    assert data["hits"][0]["rank"] == 3


def test_filters(run):
    data = json.loads(run("", "--json", "--category", "رياضه", "--from", "2022-12-10",
                          "--to", "2022-12-31").output)
    assert {h["id"] for h in data["hits"]} == {"s04", "s12", "s13"}
    assert data["filters"] == {"category": "رياضه", "date_from": "2022-12-10",
                               "date_to": "2022-12-31"}
    data = json.loads(run("المنتخب", "--json", "--source", "جريدة النهار").output)
    assert [h["id"] for h in data["hits"]] == ["s13"]


def test_matches_are_emphasised_on_a_terminal(run):
    styled = run("الطالب", color=True).output
    assert click.style("الطّالِبُ", bold=True, fg="yellow") in styled
    assert "\x1b[" not in run("الطالب").output


def test_no_results_exit_zero_with_a_message(run):
    result = run("الحكومع")
    assert result.exit_code == 0
    assert "no results for «الحكومع»" in result.output and "did you mean: الحكومة" in result.output


def test_bad_parameter_is_an_error(run):
    result = run("الحكومة", "--from", "next week")
    assert result.exit_code == 1 and "date_from" in result.output
    result = run("الحكومة", "--per-page", "500", "--json")
    assert result.exit_code == 1 and json.loads(result.output)["ok"] is False


def test_missing_index_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["الحكومة", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1 and "fahras-index build" in result.output


def test_index_dir_from_the_environment(search_index):
    result = CliRunner(env={"FAHRAS_INDEX_DIR": str(search_index)}).invoke(main, ["مهرجان"])
    assert result.exit_code == 0 and "[s06]" in result.output


def test_usage_errors(run):
    bare = run(index=False)
    assert bare.exit_code == 2 and "Usage:" in bare.output and "suggest" in bare.output
    assert run("query").exit_code == 2
    assert run("--sort", "best", "x").exit_code == 2
    assert "query" in run("--help", index=False).output


def test_a_query_starting_with_minus_after_double_dash(search_index):
    args = ["--json", "--index-dir", str(search_index), "--", "الحكومة", "-الميزانية"]
    data = json.loads(CliRunner().invoke(main, args).output)
    assert "s01" not in [h["id"] for h in data["hits"]] and data["total"] == 3


def test_suggest_and_show_subcommands(run):
    assert run("suggest", "إح").output.splitlines()[0] == "أحمد"
    shown = run("show", "s08", "--query", "الطالب", "--json")
    assert "<mark>الطّالِبُ</mark>" in json.loads(shown.output)["body_html"]
    assert "الطّالِبُ المُتَفَوِّقُ" in run("show", "s08").output
    missing = run("show", "nope")
    assert missing.exit_code == 1 and "nope" in missing.output


@pytest.mark.parametrize("as_json", [False, True])
def test_show_an_id_that_is_not_utf8(search_index, as_json):
    """An id from a shell, as bytes the file system encoding cannot read: not found, exit 1,
    one line and no traceback."""
    command = [sys.executable, "-c", "from search.cli import main; main()", "show", b"\xff",
               "--index-dir", str(search_index), *(["--json"] if as_json else [])]
    done = subprocess.run(command, capture_output=True, timeout=60)
    assert done.returncode == 1, done.stderr
    output = (done.stdout + done.stderr).decode("utf-8")
    assert "no article with id" in output and "Traceback" not in output


# ---------------------------------------------------------------------------- batch runs


def test_batch_trec_run(run, tmp_path):
    queries = tmp_path / "queries.tsv"
    queries.write_text("qid\tquery\nq1\tالحكومة الميزانية\nq2\t\"كرة القدم\"\nq3\tالحكومع\n",
                       encoding="utf-8")
    output = tmp_path / "run.txt"
    result = run("--queries", str(queries), "--limit", "3", "--format", "trec",
                 "--output", str(output))
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in output.read_text(encoding="utf-8").splitlines()]
    assert all(len(f) == 6 and f[1] == "Q0" and f[5] == "fahras" for f in lines)
    ranking = read_trec_run(output)
    assert ranking["q1"][0] == "s01" and len(ranking["q1"]) == 3
    assert ranking["q2"] == ["s04"]
    assert "s01" in ranking["q3"]  # nothing matches as typed: retried with typo tolerance


def test_batch_to_standard_output(run, tmp_path):
    queries = tmp_path / "queries.tsv"
    queries.write_text("a\tمهرجان\n", encoding="utf-8")
    result = run("--queries", str(queries), "--limit", "5", "--tag", "mine")
    assert result.output.splitlines()[0].split() == ["a", "Q0", "s07", "1",
                                                     result.output.split()[4], "mine"]


def test_batch_errors(run, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-an-id\n", encoding="utf-8")
    result = run("--queries", str(bad))
    assert result.exit_code == 1 and "bad.tsv:1" in result.output
    assert run("--queries", str(tmp_path / "missing.tsv")).exit_code == 1
    assert run("الحكومة", "--queries", str(bad)).exit_code == 2


def test_arcd_batch_gives_every_query_a_ranking(shared_data, tmp_path):
    arcd = shared_data / "eval" / "arcd"
    if not (arcd / "docs.jsonl").exists():
        pytest.skip(f"no ARCD collection at {arcd}")
    index_dir = tmp_path / "arcd-index"
    report = build_index([arcd / "docs.jsonl"], index_dir)
    assert report.indexed > 0 and not report.skipped
    output = tmp_path / "arcd.run"
    result = CliRunner().invoke(main, ["--index-dir", str(index_dir), "--queries",
                                       str(arcd / "queries.tsv"), "--limit", "100",
                                       "--format", "trec", "--output", str(output)])
    assert result.exit_code == 0, result.output
    qids = [qid for qid, _ in read_queries(arcd / "queries.tsv")]
    assert len(qids) == 693
    seen = {}
    for line in output.read_text(encoding="utf-8").splitlines():
        qid, q0, docid, rank, score, tag = line.split()
        assert q0 == "Q0" and tag == "fahras" and docid.startswith("arcd-")
        assert int(rank) == seen.get(qid, 0) + 1 and float(score) > 0
        seen[qid] = int(rank)
    assert set(seen) == set(qids) and max(seen.values()) <= 100
