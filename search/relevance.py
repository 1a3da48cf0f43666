"""Scoring the searcher on a relevance test collection.

Glue between the index builder (:func:`indexer.build_index`), the searcher
(:meth:`search.searcher.Searcher.rank`, the same ranking as the web page and the
API) and the metrics of :mod:`search.evaluation`. Used by ``fahras-search
evaluate`` and by the relevance benchmark (tests/bench/relevance.py).

Index reuse: after a build, a small JSON *stamp* is written beside the index
folder (``DIR.sources.json``) naming each document file with its absolute path,
size and modification time, and the schema version. A later run with the same
documents and schema finds an equal stamp and an openable index, and reuses it;
anything else rebuilds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from indexer import build_index
from indexer.address import resolve_address
from indexer.errors import FahrasError
from indexer.whoosh.schema import SCHEMA_VERSION
from search.evaluation import Qrels, Run, Scores, evaluate
from search.searcher import Searcher

__all__ = ["docs_stamp", "stamp_path", "ensure_index", "run_queries", "score_run"]


def stamp_path(index_dir: str | os.PathLike[str]) -> Path:
    """Where the stamp of the index in ``index_dir`` is kept (beside the folder)."""
    path = Path(index_dir).resolve()
    return path.with_name(path.name + ".sources.json")


def docs_stamp(docs: Sequence[str | os.PathLike[str]]) -> dict[str, object]:
    """What identifies an index built from ``docs``: the files and the schema version."""
    files = []
    for doc in docs:
        path = Path(doc).resolve()
        info = path.stat()
        files.append([str(path), info.st_size, info.st_mtime_ns])
    return {"schema_version": SCHEMA_VERSION, "docs": files}


def _reusable(index_dir: Path, stamp: dict[str, object]) -> bool:
    try:
        recorded = json.loads(stamp_path(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded != stamp:
        return False
    try:
        Searcher(index_dir).close()
    except FahrasError:
        return False
    return True


def ensure_index(
    docs: Sequence[str | os.PathLike[str]],
    index_dir: str | os.PathLike[str],
    *,
    rebuild: bool = False,
    procs: int = 1,
) -> bool:
    """Make ``index_dir`` (a folder or a cluster address) hold an index of ``docs``; True
    when it was (re)built (always, for a cluster).

    Raises ``OSError`` for a missing document file and
    :class:`~indexer.errors.BuildError` when nothing could be indexed.
    """
    address = resolve_address(index_dir)
    if address.folder is None:  # a cluster keeps no stamp: built every time
        build_index([Path(d) for d in docs], address, procs=procs)
        return True
    stamp = docs_stamp(docs)
    index_dir = address.folder
    if not rebuild and _reusable(index_dir, stamp):
        return False
    stamp_path(index_dir).unlink(missing_ok=True)
    build_index([Path(d) for d in docs], index_dir, procs=procs)
    stamp_path(index_dir).write_text(json.dumps(stamp), encoding="utf-8")
    return True


def run_queries(
    searcher: Searcher,
    queries: Iterable[tuple[str, str]],
    limit: int = 100,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """``qid -> [(docid, score), …]`` for every query, best first; ``[]`` when none matched."""
    results: dict[str, list[tuple[str, float]]] = {}
    for qid, text in queries:
        results[qid] = searcher.rank(text, limit)
        if progress is not None:
            progress(1)
    return results


def score_run(results: dict[str, list[tuple[str, float]]], qrels: Qrels) -> Scores:
    """The averaged metrics of ``results`` (as :func:`run_queries` gives them)."""
    run: Run = {qid: [docid for docid, _ in hits] for qid, hits in results.items()}
    return evaluate(run, qrels)
