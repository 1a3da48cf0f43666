"""Tests for search/evaluation.py: metrics worked out by hand, file reading and writing."""

from __future__ import annotations

import io
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.evaluation import (
    METRICS,
    EvaluationError,
    Scores,
    evaluate,
    ndcg_at,
    per_query,
    read_qrels,
    read_queries,
    read_trec_run,
    recall_at,
    reciprocal_rank_at,
    write_trec_run,
)

LOG2_3 = math.log2(3)  # discount at rank 2: 1 / log2(2 + 1)


def misses(n: int, prefix: str = "x") -> list[str]:
    """``n`` distinct non-relevant docids."""
    return [f"{prefix}{i}" for i in range(n)]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- nDCG


def test_ndcg_relevant_at_ranks_1_and_3_of_2_relevant() -> None:
    # DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5            = 1.5
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.6309297...   = 1.6309297...
    # nDCG = 1.5 / 1.6309297...                         = 0.9197207...
    value = ndcg_at(["a", "x", "b"], {"a": 1, "b": 1})
    assert value == pytest.approx(1.5 / (1 + 1 / LOG2_3))
    assert value == pytest.approx(0.9197207891)


def test_ndcg_is_binary_graded_judgements_count_as_one() -> None:
    # Same arithmetic as above: relevance 3 earns gain 1, like relevance 1.
    assert ndcg_at(["a", "x", "b"], {"a": 3, "b": 1}) == pytest.approx(0.9197207891)


def test_ndcg_single_relevant_at_rank_2() -> None:
    # DCG = 1/log2(3) = 0.6309...; IDCG = 1 (one relevant doc) -> nDCG = 0.6309...
    assert ndcg_at(["x", "a"], {"a": 1}) == pytest.approx(1 / LOG2_3)


def test_ndcg_ideal_uses_at_most_k_relevant_docs() -> None:
    # 12 relevant docs, the top 10 all relevant: DCG = IDCG = sum_{r=1..10} 1/log2(r+1) -> 1.0
    relevant = {f"r{i}": 1 for i in range(12)}
    assert ndcg_at([f"r{i}" for i in range(12)], relevant, 10) == pytest.approx(1.0)
    # ... while recall@10 is only 10/12.
    assert recall_at([f"r{i}" for i in range(12)], relevant, 10) == pytest.approx(10 / 12)


def test_ndcg_ignores_relevance_zero_and_negative() -> None:
    # Only "c" is relevant; it sits at rank 3: DCG = 1/log2(4) = 0.5, IDCG = 1 -> 0.5
    assert ndcg_at(["a", "b", "c"], {"a": 0, "b": -1, "c": 2}) == pytest.approx(0.5)


# ---------------------------------------------------------------------------- perfect / empty


def test_perfect_ranking_scores_one_everywhere() -> None:
    relevant = {"a": 1, "b": 1, "c": 1}
    ranked = ["a", "b", "c", "x", "y"]
    assert ndcg_at(ranked, relevant) == pytest.approx(1.0)
    assert reciprocal_rank_at(ranked, relevant) == 1.0
    assert recall_at(ranked, relevant, 10) == 1.0
    assert recall_at(ranked, relevant, 100) == 1.0


def test_nothing_relevant_retrieved_scores_zero() -> None:
    relevant = {"a": 1}
    ranked = misses(20)
    assert ndcg_at(ranked, relevant) == 0.0
    assert reciprocal_rank_at(ranked, relevant) == 0.0
    assert recall_at(ranked, relevant, 10) == 0.0
    assert recall_at(ranked, relevant, 100) == 0.0
    assert ndcg_at([], relevant) == 0.0


def test_no_relevant_document_gives_zero_not_an_error() -> None:
    assert ndcg_at(["a"], {"a": 0}) == 0.0
    assert recall_at(["a"], {}, 10) == 0.0
    assert reciprocal_rank_at(["a"], {}) == 0.0


# ---------------------------------------------------------------------------- cut-offs, MRR


def test_relevant_at_rank_11_counts_for_recall_100_not_10() -> None:
    ranked = [*misses(10), "a"]  # "a" is at rank 11
    relevant = {"a": 1}
    assert recall_at(ranked, relevant, 10) == 0.0
    assert recall_at(ranked, relevant, 100) == 1.0
    assert ndcg_at(ranked, relevant, 10) == 0.0
    assert reciprocal_rank_at(ranked, relevant, 10) == 0.0
    # With k = 11: DCG = 1/log2(12), IDCG = 1
    assert ndcg_at(ranked, relevant, 11) == pytest.approx(1 / math.log2(12))


def test_mrr_first_relevant_at_rank_4() -> None:
    # ranks: x0, x1, x2, a (relevant), b (relevant) -> 1/4
    assert reciprocal_rank_at([*misses(3), "a", "b"], {"a": 1, "b": 1}) == 0.25


def test_recall_counts_share_of_relevant_found() -> None:
    # 4 relevant; a and c within the top 10 -> 2/4
    relevant = {"a": 1, "b": 1, "c": 1, "d": 1}
    assert recall_at(["a", "x", "c"], relevant, 10) == 0.5


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_bad_cutoff_is_rejected(k: object) -> None:
    with pytest.raises(ValueError):
        ndcg_at(["a"], {"a": 1}, k)  # type: ignore[arg-type]


def test_single_string_is_not_a_ranking() -> None:
    with pytest.raises(TypeError):
        ndcg_at("abc", {"a": 1})


# ---------------------------------------------------------------------------- duplicates


def test_duplicates_count_once_at_first_position() -> None:
    relevant = {"a": 1, "b": 1}
    # ["a", "a"] is the ranking ["a"]: recall 1/2, not 2/2;
    # DCG = 1 (not 1 + 1/log2(3)), IDCG = 1 + 1/log2(3) -> nDCG = 1 / 1.6309... = 0.6131...
    assert recall_at(["a", "a"], relevant, 10) == 0.5
    assert ndcg_at(["a", "a"], relevant) == pytest.approx(1 / (1 + 1 / LOG2_3))
    # ["x", "x", "a"] is the ranking ["x", "a"]: "a" at rank 2 -> MRR 1/2
    assert reciprocal_rank_at(["x", "x", "a"], relevant) == 0.5


def test_duplicates_do_not_use_up_the_cutoff() -> None:
    # 20 copies of "x" then "a": the distinct ranking is ["x", "a"], so "a" is within the top 10.
    assert recall_at(["x"] * 20 + ["a"], {"a": 1}, 10) == 1.0


# ---------------------------------------------------------------------------- evaluate


def test_evaluate_averages_over_judged_queries() -> None:
    qrels = {
        "q1": {"a": 1},  # perfect: 1 everywhere
        "q2": {"b": 1, "c": 1},  # "b" at rank 1, "c" at rank 3 (first example): 0.9197...
        "q3": {"d": 1},  # missing from the run: 0 everywhere
        "q4": {"e": 0},  # no relevant document: skipped
    }
    run = {
        "q1": ["a"],
        "q2": ["b", "x", "c"],
        "q4": ["e"],
        "q5": ["a"],  # not in the qrels at all: no relevant document, skipped
    }
    scores = evaluate(run, qrels)
    assert scores.queries == 3
    assert scores.skipped == 2
    # nDCG: (1 + 0.9197... + 0) / 3
    assert scores.ndcg10 == pytest.approx((1 + 1.5 / (1 + 1 / LOG2_3)) / 3)
    # MRR: (1 + 1 + 0) / 3; recall: (1 + 1 + 0) / 3
    assert scores.mrr10 == pytest.approx(2 / 3)
    assert scores.recall10 == pytest.approx(2 / 3)
    assert scores.recall100 == pytest.approx(2 / 3)


def test_query_missing_from_run_scores_zero() -> None:
    scores = evaluate({}, {"q1": {"a": 1}})
    assert scores == Scores(0.0, 0.0, 0.0, 0.0, queries=1, skipped=0)
    assert per_query({}, {"q1": {"a": 1}}) == {"q1": dict.fromkeys(METRICS, 0.0)}


def test_query_without_relevant_docs_is_skipped_and_counted() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 0, "c": -1}}
    run = {"q1": ["a"], "q2": ["b", "c"]}
    scores = evaluate(run, qrels)
    assert (scores.queries, scores.skipped) == (1, 1)
    assert scores.ndcg10 == 1.0
    assert "q2" not in per_query(run, qrels)


def test_evaluate_with_nothing_judged_gives_zeros() -> None:
    assert evaluate({"q": ["a"]}, {}) == Scores(0.0, 0.0, 0.0, 0.0, queries=0, skipped=1)


def test_per_query_reports_each_metric() -> None:
    result = per_query({"q1": [*misses(3), "a"]}, {"q1": {"a": 1}})
    # "a" at rank 4: nDCG = 1/log2(5), MRR = 1/4, both recalls 1
    assert list(result["q1"]) == list(METRICS)
    assert result["q1"]["ndcg10"] == pytest.approx(1 / math.log2(5))
    assert result["q1"]["mrr10"] == 0.25
    assert result["q1"]["recall10"] == result["q1"]["recall100"] == 1.0


def test_scores_to_dict() -> None:
    scores = Scores(0.5, 0.25, 0.75, 1.0, queries=4, skipped=1)
    assert scores.to_dict() == {
        "ndcg10": 0.5,
        "mrr10": 0.25,
        "recall10": 0.75,
        "recall100": 1.0,
        "queries": 4,
        "skipped": 1,
    }
    with pytest.raises(AttributeError):
        scores.ndcg10 = 1.0  # type: ignore[misc]


# ---------------------------------------------------------------------------- TREC runs


def test_write_trec_run_format() -> None:
    out = io.StringIO()
    write_trec_run([("q1", [("d1", 2.5), ("d2", 1.0 / 3)]), ("q2", [])], out, tag="bm25")
    assert out.getvalue() == ("q1 Q0 d1 1 2.500000 bm25\nq1 Q0 d2 2 0.333333 bm25\n")


def test_trec_run_round_trips(tmp_path: Path) -> None:
    results = [
        ("q1", [("arcd-0003", 12.75), ("arcd-0001", 3.0), ("arcd-0002", 3.0)]),  # a score tie
        ("q2", [("JA-localNews-1", 1e-7), ("JA-localNews-2", 0.0), ("x", -4.25)]),
    ]
    path = tmp_path / "run.txt"
    with path.open("w", encoding="utf-8") as out:
        write_trec_run(results, out)
    assert read_trec_run(path) == {qid: [docid for docid, _ in hits] for qid, hits in results}
    assert path.read_text(encoding="utf-8").splitlines()[0] == "q1 Q0 arcd-0003 1 12.750000 fahras"


def test_read_trec_run_orders_by_score_then_rank_then_docid(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "run.txt",
        "q1 Q0 low 1 1.0 t\n"  # the rank column loses to the score
        "q1 Q0 high 9 5.0 t\n"
        "q1 Q0 tie-b 3 2.0 t\n"  # equal scores: smaller rank first
        "q1 Q0 tie-a 4 2.0 t\n"
        "q1 Q0 same-z 5 2.0 t\n"  # equal score and rank: docid order
        "q1 Q0 same-y 5 2.0 t\n"
        "q0 Q0 a 1 1 t\n",
    )
    run = read_trec_run(path)
    assert list(run) == ["q1", "q0"]  # queries in order of first appearance
    assert run["q1"] == ["high", "tie-b", "tie-a", "same-y", "same-z", "low"]


def test_read_trec_run_keeps_best_occurrence_of_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, "run.txt", "q Q0 a 1 3.0 t\nq Q0 b 2 2.0 t\nq Q0 a 3 1.0 t\n")
    assert read_trec_run(path) == {"q": ["a", "b"]}


def test_read_trec_run_tolerates_tabs_blank_lines_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "run.txt"
    path.write_bytes(b"\xef\xbb\xbfq1\tQ0\td1\t1\t2\tt\r\n\r\nq1 0 d2 2 1.5e0 t\r\n")
    assert read_trec_run(path) == {"q1": ["d1", "d2"]}


@pytest.mark.parametrize(
    ("hits", "message"),
    [
        ([("d 1", 1.0)], "document id"),
        ([("", 1.0)], "document id"),
        ([("d1", math.nan)], "not finite"),
        ([("d1", math.inf)], "not finite"),
        ([("d1", 1.0), ("d2", 2.0)], "increases"),
    ],
)
def test_write_trec_run_rejects_what_cannot_round_trip(
    hits: list[tuple[str, float]], message: str
) -> None:
    with pytest.raises(EvaluationError, match=message):
        write_trec_run([("q1", hits)], io.StringIO())


def test_write_trec_run_rejects_bad_qid_and_tag() -> None:
    with pytest.raises(EvaluationError, match="query id"):
        write_trec_run([("q 1", [("d", 1.0)])], io.StringIO())
    with pytest.raises(EvaluationError, match="run tag"):
        write_trec_run([], io.StringIO(), tag="my run")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("q Q0 a 1 1.0 t\n\nq Q0 b 2 1.0\n", 3, "got 5 fields"),
        ("q Q0 a one 1.0 t\n", 1, "rank 'one' is not an integer"),
        ("q Q0 a 1 1.0 t\nq Q0 b 2 high t\n", 2, "score 'high' is not a number"),
        ("q Q0 a 1 nan t\n", 1, "not finite"),
    ],
)
def test_malformed_run_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, "run.txt", text)
    with pytest.raises(EvaluationError, match=message) as info:
        read_trec_run(path)
    assert str(info.value).startswith(f"{path}:{line}: ")


# ---------------------------------------------------------------------------- queries


def test_read_queries_in_file_order(tmp_path: Path) -> None:
    path = write(tmp_path, "queries.tsv", "q2\tمن هو جمال خاشقجي؟\n\nq1\t  عاصمة مصر \n")
    assert read_queries(path) == [("q2", "من هو جمال خاشقجي؟"), ("q1", "عاصمة مصر")]


def test_read_queries_skips_header(tmp_path: Path) -> None:
    path = write(tmp_path, "queries.tsv", "qid\tquery\nq1\tسؤال\n")
    assert read_queries(path) == [("q1", "سؤال")]


def test_read_queries_header_only_on_the_first_line(tmp_path: Path) -> None:
    # Further down, "qid<TAB>query" is an ordinary query whose id happens to be "qid".
    path = write(tmp_path, "queries.tsv", "\nq1\tأ\nqid\tquery\n")
    assert read_queries(path) == [("q1", "أ"), ("qid", "query")]


def test_read_queries_keeps_tabs_inside_the_query(tmp_path: Path) -> None:
    path = write(tmp_path, "queries.tsv", "q1\tأ\tب\r\n")
    assert read_queries(path) == [("q1", "أ\tب")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("q1\tأ\nq2 no tab\n", 2, "expected 'qid<TAB>query'"),
        ("q1\t\n", 1, "expected 'qid<TAB>query'"),
        ("q1\tأ\n\nq1\tب\n", 3, "already used on line 1"),
        ("q 1\tأ\n", 1, "contains whitespace"),
    ],
)
def test_malformed_queries_name_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, "queries.tsv", text)
    with pytest.raises(EvaluationError, match=message) as info:
        read_queries(path)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"
    path.write_bytes(b"q1\tok\nq2\t\xff\xfe\n")
    with pytest.raises(EvaluationError, match="not valid UTF-8") as info:
        read_queries(path)
    assert str(info.value).startswith(f"{path}:2: ")


# ---------------------------------------------------------------------------- qrels


@pytest.mark.parametrize(
    "header", ["", "qid\tdocid\trelevance\n", "query-id\tcorpus-id\tscore\n", "qid docid rel\n"]
)
def test_read_qrels_with_or_without_header(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "qrels.tsv", header + "q1\td1\t1\nq1\td2\t0\n\nq2\t7:85-93\t2\n")
    assert read_qrels(path) == {"q1": {"d1": 1, "d2": 0}, "q2": {"7:85-93": 2}}


def test_read_qrels_trec_four_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "qrels.txt", "q1 0 d1 1\nq1 0 d2 -1\n")
    assert read_qrels(path) == {"q1": {"d1": 1, "d2": -1}}


def test_read_qrels_repeated_identical_judgement_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "qrels.tsv", "q1\td1\t1\nq1\td1\t1\n")
    assert read_qrels(path) == {"q1": {"d1": 1}}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("q1\td1\t1\nq1\td2\n", 2, "expected 'qid docid relevance'"),
        ("q1\td1\t1\nq1 a b c d\n", 2, "expected 'qid docid relevance'"),
        ("q1\td1\t1\nq1\td2\tyes\n", 2, "relevance 'yes' is not an integer"),
        ("q1\td1\t1\nq1\td2\t1.5\n", 2, "relevance '1.5' is not an integer"),
        ("q1\td1\t1\n\nq1\td1\t0\n", 3, "judged 0 here but 1 on line 1"),
        ("q1\td1\t1\nqid\tdocid\trelevance\n", 2, "relevance 'relevance' is not an integer"),
    ],
)
def test_malformed_qrels_name_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, "qrels.tsv", text)
    with pytest.raises(EvaluationError, match=message) as info:
        read_qrels(path)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_missing_file_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_qrels(tmp_path / "absent.tsv")


# ---------------------------------------------------------------------------- properties

docids = st.text(alphabet="abcdefgh", min_size=1, max_size=2)


@given(ranked=st.lists(docids, max_size=30), judged=st.dictionaries(docids, st.integers(-1, 3)))
def test_metrics_stay_within_zero_and_one(ranked: list[str], judged: dict[str, int]) -> None:
    for k in (1, 3, 10):
        for value in (
            ndcg_at(ranked, judged, k),
            reciprocal_rank_at(ranked, judged, k),
            recall_at(ranked, judged, k),
        ):
            assert 0.0 <= value <= 1.0 + 1e-12


@given(relevant=st.lists(docids, min_size=1, max_size=15, unique=True), k=st.integers(1, 20))
def test_relevant_first_is_perfect_ndcg(relevant: list[str], k: int) -> None:
    judged = dict.fromkeys(relevant, 1)
    assert ndcg_at([*relevant, "zz"], judged, k) == pytest.approx(1.0)
    assert recall_at(relevant, judged, k) == pytest.approx(min(k, len(relevant)) / len(relevant))


@given(
    st.dictionaries(
        st.text(alphabet="qrs0123", min_size=1, max_size=4),
        st.lists(st.tuples(docids, st.floats(-1e6, 1e6)), max_size=8, unique_by=lambda h: h[0]),
    )
)
def test_write_then_read_round_trips(results: dict[str, list[tuple[str, float]]]) -> None:
    ranked = {qid: sorted(hits, key=lambda h: -h[1]) for qid, hits in results.items()}
    out = io.StringIO()
    write_trec_run(ranked.items(), out)
    expected = {qid: [d for d, _ in hits] for qid, hits in ranked.items() if hits}
    assert len(out.getvalue().splitlines()) == sum(len(hits) for hits in expected.values())
    # (tmp_path cannot be used here: hypothesis runs many examples per test call)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "run.txt", out.getvalue())
        assert read_trec_run(path) == expected


# ---------------------------------------------------------------------------- shared data

# (set, queries in queries.tsv) as documented in the shared data README
EVAL_SETS = [("arcd", 693), ("xquad-ar", 1190), ("news-known-item", 500), ("quran-qa", 199)]


@pytest.mark.parametrize(("name", "n_queries"), EVAL_SETS)
def test_real_collections_load(shared_data: Path, name: str, n_queries: int) -> None:
    folder = shared_data / "eval" / name
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}: the {name} collection is absent")
    queries = read_queries(folder / "queries.tsv")
    qrels = read_qrels(folder / "qrels.tsv")
    assert len(queries) == n_queries
    assert set(qrels) <= {qid for qid, _ in queries}
    # A run that returns exactly the relevant documents is perfect on every judged query, and
    # every query without judgements is counted as skipped.
    perfect = {qid: [d for d, rel in judged.items() if rel > 0] for qid, judged in qrels.items()}
    perfect.update({qid: [] for qid, _ in queries if qid not in perfect})
    scores = evaluate(perfect, qrels)
    assert scores.ndcg10 == pytest.approx(1.0)
    assert scores.mrr10 == 1.0
    assert scores.queries == len(qrels)
    assert scores.queries + scores.skipped == n_queries


def test_arcd_counts(shared_data: Path) -> None:
    folder = shared_data / "eval" / "arcd"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}: the arcd collection is absent")
    queries = read_queries(folder / "queries.tsv")
    qrels = read_qrels(folder / "qrels.tsv")
    assert len(queries) == 693
    assert len(qrels) == 693
    assert all(sum(rel > 0 for rel in judged.values()) == 1 for judged in qrels.values())
    assert evaluate({}, qrels) == Scores(0.0, 0.0, 0.0, 0.0, queries=693, skipped=0)
