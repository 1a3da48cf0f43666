"""`fahras-index` through click's CliRunner: commands, JSON summaries, exit codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "c1", "title": "معرض الكتاب يفتح أبوابه", "body": "افتتح معرض الكتاب.",
         "category": "ثقافة"},
        {"id": "c2", "title": "ارتفاع أسعار الذهب", "body": "ارتفعت أسعار الذهب اليوم.",
         "category": "اقتصاد"},
    ]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def invoke(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_help_everywhere(runner):
    for args in ([], ["build"], ["update"], ["delete"], ["stats"]):
        result = invoke(runner, *args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_build_then_stats(runner, tmp_path, corpus):
    ix = tmp_path / "ix"
    result = invoke(runner, "build", corpus, "--index-dir", ix)
    assert result.exit_code == EXIT_OK, result.output
    assert "indexed" in result.output and "2" in result.output
    stats = invoke(runner, "stats", "--index-dir", ix, "--json")
    data = json.loads(stats.output)
    assert data["articles"] == 2 and data["categories"] == {"ثقافة": 1, "اقتصاد": 1}
    human = invoke(runner, "stats", "--index-dir", ix)
    assert "articles" in human.output and "ثقافة" in human.output


def test_build_json_summary_and_partial_exit(runner, tmp_path, corpus):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "b1", "body": "نص"}\n{oops\n', encoding="utf-8")
    result = invoke(runner, "build", corpus, broken, "--index-dir", tmp_path / "ix", "--json")
    assert result.exit_code == EXIT_PARTIAL
    data = json.loads(result.output)
    assert data["ok"] and data["indexed"] == 3 and data["partial"]
    assert any(f"{broken}:2:" in s for s in data["skipped"])


def test_update_and_delete(runner, tmp_path, corpus):
    ix = tmp_path / "ix"
    invoke(runner, "build", corpus, "--index-dir", ix)
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "c3", "body": "خبر جديد"}\n', encoding="utf-8")
    result = invoke(runner, "update", extra, corpus, "--index-dir", ix, "--json")
    data = json.loads(result.output)
    assert result.exit_code == EXIT_OK
    assert (data["indexed"], data["unchanged"]) == (1, 2)
    result = invoke(runner, "delete", "c1", "missing", "--index-dir", ix, "--json")
    assert result.exit_code == EXIT_PARTIAL
    assert json.loads(result.output)["not_found"] == ["missing"]
    assert json.loads(invoke(runner, "stats", "--index-dir", ix, "--json").output)[
        "articles"] == 2


def test_errors_exit_1_with_message(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope"), "--index-dir",
                                  str(tmp_path / "ix")])
    assert result.exit_code == EXIT_ERROR
    assert "nope" in result.output
    result = runner.invoke(main, ["stats", "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == EXIT_ERROR and "fahras-index build" in result.output


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["build"]).exit_code == 2
    assert runner.invoke(main, ["build", "x", "--procs", "0"]).exit_code == 2


def test_index_dir_from_environment(runner, tmp_path, corpus):
    result = runner.invoke(main, ["build", str(corpus)],
                           env={"FAHRAS_INDEX_DIR": str(tmp_path / "envix")})
    assert result.exit_code == EXIT_OK
    assert (tmp_path / "envix" / "CURRENT").exists()


def test_builds_the_seeds(runner, tmp_path):
    result = invoke(runner, "build", SEEDS, "--index-dir", tmp_path / "ix", "--json")
    data = json.loads(result.output)
    assert result.exit_code == EXIT_OK, data["skipped"]
    assert data["indexed"] >= 20
