"""Relevance metrics and TREC file handling.

Sits at the very end of the flow: the searcher turns each test query into a ranked list of
document ids (a *run*), and this module turns that run plus human judgements (*qrels*) into the
numbers that the ``fahras-search evaluate`` command and the relevance benchmark print. It knows
nothing about indexes or the web front end, only about ids, rankings and the files they live in.

Metrics (all binary, all in [0, 1]):

* A document is relevant when its judged relevance is > 0; each one has gain 1. Documents the
  qrels do not mention are not relevant.
* nDCG@k: DCG = sum over ranks r = 1..k of rel_r / log2(r + 1); the ideal DCG puts
  min(k, number of relevant documents) relevant documents at ranks 1, 2, ...
* MRR@k: 1 / rank of the first relevant document within the top k, 0 if there is none.
* Recall@k: relevant documents within the top k / all relevant documents.
* A docid repeated within one query's ranking counts once, at its first (best) position; the
  repeats are dropped before the cut-off, so "the top k" always means k distinct documents.

:func:`evaluate` averages over the *judged* queries, those with at least one relevant document
in the qrels. A judged query missing from the run scores 0 on everything. A query that appears
in the run or in the qrels but has no relevant document is skipped and counted in
``Scores.skipped``. With no judged query at all every average is 0.0 (``Scores.queries`` is 0).

Files (UTF-8, an optional BOM, blank lines ignored, errors name ``file:line``):

* queries: ``qid<TAB>query``; an optional header line ``qid<TAB>query`` is skipped.
* qrels: ``qid docid relevance`` (tab or space separated) or the four-column TREC form
  ``qid iteration docid relevance``; a first line with a word in the relevance column is a header
  (e.g. ``qid docid relevance``) and is skipped. Relevance is an integer. The same (qid, docid)
  judged twice with different values is an error.
* run: TREC run lines ``qid Q0 docid rank score tag``, whitespace separated. The order of the
  lines does not matter: each query's documents are ranked by score descending, ties broken by
  the rank column ascending, then by docid. Scores are written with 6 decimals, so documents
  whose scores tie after rounding keep their order through the rank column.

Ids (qids, docids, the run tag) must not contain whitespace: the run format could not hold them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TextIO

__all__ = [
    "METRICS",
    "EvaluationError",
    "Qrels",
    "Run",
    "Scores",
    "evaluate",
    "ndcg_at",
    "per_query",
    "read_qrels",
    "read_queries",
    "read_trec_run",
    "recall_at",
    "reciprocal_rank_at",
    "write_trec_run",
]

#: qid -> docid -> judged relevance (> 0 means relevant).
Qrels = dict[str, dict[str, int]]
#: qid -> docids in ranked order, best first.
Run = dict[str, list[str]]
#: Where a file can be found.
PathArg = str | os.PathLike[str]

#: Names of the per-query metrics, as used by :func:`per_query` and :class:`Scores`.
METRICS = ("ndcg10", "mrr10", "recall10", "recall100")

_QUERY_HEADER_IDS = frozenset({"qid", "query_id", "query-id", "queryid", "id"})
_QUERY_HEADER_TEXTS = frozenset({"query", "text", "query_text", "question"})


class EvaluationError(ValueError):
    """A queries, qrels or run file (or a run being written) is malformed."""


@dataclass(frozen=True)
class Scores:
    """Averages over the judged queries of one run."""

    ndcg10: float
    mrr10: float
    recall10: float
    recall100: float
    queries: int  # judged queries scored (those with at least one relevant document)
    skipped: int  # queries seen in the run or the qrels with no relevant document

    def to_dict(self) -> dict[str, float | int]:
        """The fields as a plain dict (metric names first), e.g. for JSON output."""
        return asdict(self)


# ---------------------------------------------------------------------------- metrics


def _check_cutoff(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"cut-off k must be a positive integer, not {k!r}")


def _top_distinct(ranked: Sequence[str], k: int) -> list[str]:
    """The first ``k`` distinct docids of ``ranked``; a repeat keeps its first position."""
    if isinstance(ranked, str):
        raise TypeError("ranked must be a sequence of docids, not a single string")
    seen: set[str] = set()
    top: list[str] = []
    for docid in ranked:
        if docid not in seen:
            seen.add(docid)
            top.append(docid)
            if len(top) == k:
                break
    return top


def _relevant_ids(relevant: Mapping[str, int]) -> set[str]:
    return {docid for docid, rel in relevant.items() if rel > 0}


def ndcg_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Binary nDCG@k of one ranking; 0.0 when nothing is relevant."""
    _check_cutoff(k)
    wanted = _relevant_ids(relevant)
    if not wanted:
        return 0.0
    top = _top_distinct(ranked, k)
    dcg = math.fsum(1.0 / math.log2(r + 1) for r, d in enumerate(top, start=1) if d in wanted)
    ideal = math.fsum(1.0 / math.log2(r + 1) for r in range(1, min(k, len(wanted)) + 1))
    return dcg / ideal


def reciprocal_rank_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """1 / rank of the first relevant document within the top ``k``, else 0.0."""
    _check_cutoff(k)
    wanted = _relevant_ids(relevant)
    for rank, docid in enumerate(_top_distinct(ranked, k), start=1):
        if docid in wanted:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    """Share of the relevant documents found within the top ``k``; 0.0 when none is relevant."""
    _check_cutoff(k)
    wanted = _relevant_ids(relevant)
    if not wanted:
        return 0.0
    found = sum(1 for docid in _top_distinct(ranked, k) if docid in wanted)
    return found / len(wanted)


def _query_scores(ranked: Sequence[str], relevant: Mapping[str, int]) -> dict[str, float]:
    return {
        "ndcg10": ndcg_at(ranked, relevant, 10),
        "mrr10": reciprocal_rank_at(ranked, relevant, 10),
        "recall10": recall_at(ranked, relevant, 10),
        "recall100": recall_at(ranked, relevant, 100),
    }


def per_query(run: Run, qrels: Qrels) -> dict[str, dict[str, float]]:
    """Metrics of each judged query (qrels order), for error analysis.

    Keys are the names in :data:`METRICS`. Queries without a relevant document are left out; a
    judged query missing from the run gets zeros.
    """
    scores: dict[str, dict[str, float]] = {}
    for qid, judgements in qrels.items():
        if _relevant_ids(judgements):
            scores[qid] = _query_scores(run.get(qid, ()), judgements)
    return scores


def evaluate(run: Run, qrels: Qrels) -> Scores:
    """Average the metrics of ``run`` over the judged queries of ``qrels``."""
    scored = per_query(run, qrels)
    skipped = len((set(qrels) | set(run)) - set(scored))
    n = len(scored)

    def mean(name: str) -> float:
        return math.fsum(s[name] for s in scored.values()) / n if n else 0.0

    return Scores(
        ndcg10=mean("ndcg10"),
        mrr10=mean("mrr10"),
        recall10=mean("recall10"),
        recall100=mean("recall100"),
        queries=n,
        skipped=skipped,
    )


# ---------------------------------------------------------------------------- files


def _error(path: PathArg, lineno: int, message: str) -> EvaluationError:
    return EvaluationError(f"{os.fspath(path)}:{lineno}: {message}")


def _lines(path: PathArg) -> Iterator[tuple[int, str]]:
    """(line number, text without the line end) of each non-blank line of a UTF-8 file."""
    with open(path, "rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _error(path, lineno, f"not valid UTF-8 ({exc.reason})") from None
            line = line.rstrip("\r\n")
            if line.strip():
                yield lineno, line


def _has_space(text: str) -> bool:
    return any(ch.isspace() for ch in text)


def read_queries(path: PathArg) -> list[tuple[str, str]]:
    """(qid, query) pairs of a ``qid<TAB>query`` file, in file order."""
    queries: list[tuple[str, str]] = []
    line_of: dict[str, int] = {}
    for index, (lineno, line) in enumerate(_lines(path)):
        qid, tab, text = line.partition("\t")
        qid, text = qid.strip(), text.strip()
        if index == 0 and _is_query_header(qid, text):
            continue
        if not tab or not qid or not text:
            raise _error(path, lineno, "expected 'qid<TAB>query' with both parts non-empty")
        if _has_space(qid):
            raise _error(path, lineno, f"query id {qid!r} contains whitespace")
        if qid in line_of:
            raise _error(path, lineno, f"query id {qid!r} already used on line {line_of[qid]}")
        line_of[qid] = lineno
        queries.append((qid, text))
    return queries


def _is_query_header(qid: str, text: str) -> bool:
    return qid.lower() in _QUERY_HEADER_IDS and text.lower() in _QUERY_HEADER_TEXTS


def _is_qrels_header(fields: list[str]) -> bool:
    rel = fields[-1].replace("_", "").replace("-", "")
    return len(fields) in (3, 4) and rel.isascii() and rel.isalpha()


def _parse_qrels_line(path: PathArg, lineno: int, line: str) -> tuple[str, str, int]:
    fields = line.split()
    if len(fields) not in (3, 4):
        raise _error(path, lineno, "expected 'qid docid relevance' or 'qid iter docid relevance'")
    qid, docid, rel_text = fields[0], fields[-2], fields[-1]
    try:
        return qid, docid, int(rel_text)
    except ValueError:
        raise _error(path, lineno, f"relevance {rel_text!r} is not an integer") from None


def read_qrels(path: PathArg) -> Qrels:
    """Judgements of a ``qid docid relevance`` (or TREC ``qid iter docid relevance``) file."""
    qrels: Qrels = {}
    line_of: dict[tuple[str, str], int] = {}
    for index, (lineno, line) in enumerate(_lines(path)):
        if index == 0 and _is_qrels_header(line.split()):
            continue
        qid, docid, rel = _parse_qrels_line(path, lineno, line)
        judged = qrels.setdefault(qid, {})
        if docid in judged and judged[docid] != rel:
            before = f"{judged[docid]} on line {line_of[(qid, docid)]}"
            raise _error(path, lineno, f"{qid} {docid} judged {rel} here but {before}")
        judged.setdefault(docid, rel)
        line_of.setdefault((qid, docid), lineno)
    return qrels


def _parse_run_line(path: PathArg, lineno: int, line: str) -> tuple[str, str, int, float]:
    fields = line.split()
    if len(fields) != 6:
        message = f"expected 'qid Q0 docid rank score tag', got {len(fields)} fields"
        raise _error(path, lineno, message)
    qid, _, docid, rank_text, score_text, _ = fields
    try:
        rank = int(rank_text)
    except ValueError:
        raise _error(path, lineno, f"rank {rank_text!r} is not an integer") from None
    try:
        score = float(score_text)
    except ValueError:
        raise _error(path, lineno, f"score {score_text!r} is not a number") from None
    if not math.isfinite(score):
        raise _error(path, lineno, f"score {score_text!r} is not finite")
    return qid, docid, rank, score


def read_trec_run(path: PathArg) -> Run:
    """Rankings of a TREC run file: score descending, then rank column, then docid.

    Queries keep the order of their first line; a docid repeated within a query keeps only its
    best-ranked occurrence.
    """
    lines: dict[str, list[tuple[float, int, str]]] = {}
    for lineno, line in _lines(path):
        qid, docid, rank, score = _parse_run_line(path, lineno, line)
        lines.setdefault(qid, []).append((-score, rank, docid))
    run: Run = {}
    for qid, entries in lines.items():
        entries.sort()
        run[qid] = list(dict.fromkeys(docid for _, _, docid in entries))
    return run


def _check_token(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or _has_space(value):
        raise EvaluationError(f"{what} must be a non-empty string without whitespace: {value!r}")
    return value


def write_trec_run(
    results: Iterable[tuple[str, Sequence[tuple[str, float]]]],
    out: TextIO,
    tag: str = "fahras",
) -> None:
    """Write ``(qid, [(docid, score), ...])`` rankings (best first) as TREC run lines.

    Each line is ``qid Q0 docid rank score tag`` with a 1-based rank and the score to 6
    decimals. Scores must be finite and must not increase down a ranking (after rounding), so
    that :func:`read_trec_run` gives back the same order. A query with no results writes nothing.
    """
    _check_token(tag, "run tag")
    for qid, hits in results:
        _check_token(qid, "query id")
        previous = math.inf
        for rank, (docid, score) in enumerate(hits, start=1):
            _check_token(docid, "document id")
            if not math.isfinite(score):
                raise EvaluationError(f"query {qid}: score of {docid} is not finite: {score!r}")
            shown = f"{score:.6f}"
            if float(shown) > previous:
                raise EvaluationError(f"query {qid}: score of {docid} at rank {rank} increases")
            previous = float(shown)
            out.write(f"{qid} Q0 {docid} {rank} {shown} {tag}\n")
