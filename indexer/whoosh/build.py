"""Writing the index: full (atomic) rebuilds, updates by id, deletes, statistics.

Sits after the readers (indexer/sources.py) and the schema (indexer/whoosh/schema.py);
the command line (indexer/cli.py) is a thin layer over these functions, and the
searcher only ever reads what they publish through indexer/whoosh/store.py. After each commit
they write the generation's columns file (indexer/whoosh/columnfile.py), which the searcher
reads when it opens that version.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import NO_MERGE

from indexer.diskspace import disk_full_error, is_disk_full
from indexer.duplicates import CopyMarker
from indexer.errors import BuildError, IndexMismatch
from indexer.reading import collect_lexicon, read_unique
from indexer.report import BuildReport
from indexer.sources import Article, find_source_files
from indexer.whoosh.analysis import bind_lexicon
from indexer.whoosh.columnwriter import write_column_file
from indexer.whoosh.history import with_report
from indexer.whoosh.merging import merge_live_segments
from indexer.whoosh.parallel import WatchedMpWriter, WriterDied
from indexer.whoosh.runs import use_packed_runs
from indexer.whoosh.schema import SCHEMA_VERSION, build_schema, schema_settings
from indexer.whoosh.store import IndexStore
from indexer.words import lead_text

__all__ = ["build_index", "update_index", "delete_articles", "article_fields"]

Progress = Callable[[int], None]
PathLike = str | os.PathLike[str]

#: Every writer keeps a segment's files apart (``compound=False``): Whoosh reads a compound
#: segment through an mmap that it copies whole into each reader's memory (hundreds of MB
#: per open searcher on a large index); separate files are read through the page cache.
WRITER_SETTINGS: dict[str, object] = {"compound": False}
#: Memory for postings per writing process before they are sorted into a run on disk.
#: Whoosh counts ~170 bytes a posting, Python spends ~230. 64 MB keeps a two-process build
#: of ANT under 600 MB (tests/bench/speed.py: 587 MB, where 128 MB gave 741) at the same
#: speed: a big build writes runs whatever the size, and packed runs (runs.py) are cheap.
DEFAULT_LIMITMB = 64
#: Skipped records named in the message of a build that read nothing (all are in ``skipped``).
SHOWN_REASONS = 20


def article_fields(article: Article, marker: CopyMarker | None = None) -> dict[str, object]:
    """The Whoosh document for an article (empty values left out); ``marker`` computes its
    copy marks (one per build or update: it remembers the words it met)."""
    marker = marker if marker is not None else CopyMarker()
    prose = "\n".join(part for part in (article.summary, article.body) if part)
    text = f"{article.title}\n{prose}" if article.title else prose
    fields: dict[str, object] = {
        "id": article.id,
        "title": article.title,
        "content": text,
        "content_exact": text,
        "body": article.body,
        "url": article.url,
        "dupkey": marker.key(article.title, article.date, prose),
        "dupsig": marker.signature(text).to_stored(),
    }
    for name in ("summary", "caption", "headings"):
        if getattr(article, name):
            fields[name] = getattr(article, name)
    lead = "\n".join(part for part in (lead_text(prose), article.caption) if part)
    if lead:
        fields["lead"] = lead
    if article.category:
        fields["category"] = article.category
    if article.source:
        fields["source"] = article.source
    if article.date is not None:
        fields["date"] = article.date
        fields["timestamp"] = int(article.date.replace(tzinfo=timezone.utc).timestamp())
        fields["year"] = article.date.year
    digest = hashlib.sha1(repr((SCHEMA_VERSION, sorted(fields.items()))).encode("utf-8"))
    fields["fingerprint"] = digest.hexdigest()
    return fields


def build_index(
    sources: Iterable[PathLike],
    index_dir: PathLike | None = None,
    *,
    procs: int = 1,
    limitmb: int = DEFAULT_LIMITMB,
    wait: float = 0.0,
    progress: Progress | None = None,
) -> BuildReport:
    """Rebuild the index from ``sources``; the old index serves until the new one is complete."""
    sources = [Path(s) for s in sources]
    find_source_files(sources)  # a missing source fails before anything is touched
    store = IndexStore(index_dir)
    report = BuildReport("build", str(store.root))
    started = time.monotonic()
    with store.write_lock(wait):
        store.remove_stale()
        had_index = store.current() is not None
        generation = store.new_generation()
        try:
            _write_generation(generation, sources, report, procs, limitmb, progress, had_index)
            report.seconds = round(time.monotonic() - started, 3)
            previous = store.current()
            meta = _meta(report, sources, procs)
            with_report(meta, report, store.read_meta(previous) if previous else {})
            store.write_meta(generation, meta)
            store.publish(generation)
        except BaseException as exc:
            store.discard(generation)
            left = ("the index was left as it was" if store.current() is not None
                    else "no index was written")
            failure = _write_failure(exc, store.root, left)
            if failure is not None:
                raise failure from exc
            raise
    return report


def nothing_read(sources: list[Path], skipped: list[str], had_index: bool) -> BuildError:
    """The error of a build that read no article: every skipped record and its reason, and
    what became of the index (left as it was, or none built)."""
    outcome = ("the existing index was left as it was" if had_index
               else "no index was built")
    lines = [f"no articles could be read from {', '.join(map(str, sources))} "
             f"({len(skipped)} skipped); {outcome}"]
    lines += [f"  - {reason}" for reason in skipped[:SHOWN_REASONS]]
    if len(skipped) > SHOWN_REASONS:
        lines.append(f"  ... and {len(skipped) - SHOWN_REASONS} more")
    return BuildError("\n".join(lines), skipped)


def _write_generation(generation, sources, report, procs, limitmb, progress,
                      had_index: bool) -> None:
    ix = whoosh_index.create_in(generation, build_schema(str(generation)))
    # the writer processes start now, small: had they started after the counting pass, each
    # would hold a copy of its heap (ANT: 210 MB) for the whole build
    writer = _open_writer(ix, procs, limitmb)
    marker = CopyMarker()
    try:
        _store_lexicon(generation, sources)  # read by the analyzers at the first document
        for article in read_unique(sources, report, progress):
            writer.add_document(**article_fields(article, marker))
            report.indexed += 1
        if not report.indexed:
            raise nothing_read(sources, report.skipped, had_index)
        writer.commit()
    except BaseException:
        _abandon(writer)
        ix.close()
        raise
    try:
        write_column_file(generation, ix)  # before the pointer moves: no searcher waits
    finally:
        ix.close()


def _store_lexicon(generation: Path, sources: list[Path]) -> None:
    """Count the sources' words and pairs (indexer/reading.py) and store them in the
    generation; nothing of the counting is kept."""
    lexicon, pairs = collect_lexicon(sources)
    lexicon.save(generation)
    pairs.save(generation)


def _open_writer(ix, procs: int, limitmb: int):
    settings = {**WRITER_SETTINGS, "limitmb": limitmb}
    if procs > 1:
        return WatchedMpWriter(ix, procs=procs, multisegment=True, **settings).start()
    return use_packed_runs(ix.writer(**settings))


def _abandon(writer) -> None:
    """Give up a writer after a failure: its processes ended, its lock released. The
    failure itself is what the caller raises; a second one while cancelling adds nothing."""
    if isinstance(writer, WatchedMpWriter):
        writer.stop()
    with contextlib.suppress(Exception):
        writer.cancel()



def _write_failure(exc: BaseException, index_dir: Path, left: str) -> BuildError | None:
    """The one-line error for a write that failed for a reason outside Fahras (a full
    disk, a writer process that died), or None for any other failure."""
    if is_disk_full(exc):
        return disk_full_error(index_dir, left)
    if isinstance(exc, WriterDied):
        return BuildError(f"{exc.strerror} while writing the index at {index_dir}: {left}")
    return None


def _meta(report: BuildReport, sources: Iterable[PathLike], procs: int) -> dict:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {
        **schema_settings(),
        "built_at": now,
        "updated_at": now,
        "build_seconds": report.seconds,
        "procs": procs,
        "sources": [str(s) for s in sources],
    }


def _open_for_writing(store: IndexStore):
    generation = store.require_current()
    meta = store.read_meta(generation)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexMismatch(store.root, meta.get("schema_version"), SCHEMA_VERSION)
    return generation, meta, whoosh_index.open_dir(generation)


def _outcome(old: dict | None, fields: dict) -> str:
    """What an update does with an article: the name of the report's counter."""
    if old is None:
        return "indexed"
    return "unchanged" if old.get("fingerprint") == fields["fingerprint"] else "updated"


def update_index(
    sources: Iterable[PathLike],
    index_dir: PathLike | None = None,
    *,
    wait: float = 0.0,
    progress: Progress | None = None,
    on_article: Callable[[str, str], object] | None = None,
) -> BuildReport:
    """Add new articles and replace changed ones (matched by id) in the live index.

    ``on_article(id, outcome)`` hears what became of each article read: ``"indexed"``,
    ``"updated"`` or ``"unchanged"`` (the write API reports on each request of a batch)."""
    sources = [Path(s) for s in sources]
    find_source_files(sources)
    store = IndexStore(index_dir)
    report = BuildReport("update", str(store.root))
    started = time.monotonic()
    with store.write_lock(wait):
        generation, meta, ix = _open_for_writing(store)
        with ix.searcher() as searcher:
            writer = use_packed_runs(ix.writer(**WRITER_SETTINGS))
            bind_lexicon(writer.schema, generation)  # the lexicon of the generation in place
            marker = CopyMarker()
            try:
                for article in read_unique(sources, report, progress):
                    fields = article_fields(article, marker)
                    outcome = _outcome(searcher.document(id=article.id), fields)
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    if on_article is not None:
                        on_article(article.id, outcome)
                    if outcome != "unchanged":
                        writer.update_document(**fields)
                writer.commit(mergetype=merge_live_segments)
            except BaseException as exc:
                _abandon(writer)
                failure = _write_failure(exc, store.root, "the update was not applied")
                if failure is not None:
                    raise failure from exc
                raise
        write_column_file(generation, ix)
        ix.close()
        report.seconds = round(time.monotonic() - started, 3)
        meta["updated_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store.write_meta(generation, with_report(meta, report))
    return report


def delete_articles(
    ids: Iterable[str], index_dir: PathLike | None = None, *, wait: float = 0.0
) -> BuildReport:
    """Delete articles by id from the live index; unknown ids are reported."""
    store = IndexStore(index_dir)
    report = BuildReport("delete", str(store.root))
    started = time.monotonic()
    with store.write_lock(wait):
        generation, meta, ix = _open_for_writing(store)
        writer = use_packed_runs(ix.writer(**WRITER_SETTINGS))
        for article_id in dict.fromkeys(ids):
            if writer.delete_by_term("id", article_id):
                report.deleted += 1
            else:
                report.not_found.append(article_id)
        writer.commit(mergetype=NO_MERGE)  # the same segments: searchers keep their scores
        write_column_file(generation, ix)
        ix.close()
        report.seconds = round(time.monotonic() - started, 3)
        meta["updated_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store.write_meta(generation, with_report(meta, report))
    return report
