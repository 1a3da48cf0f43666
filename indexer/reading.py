"""The sources as a build reads them: the lexicon pass, then each article once.

Sits between the readers (indexer/sources.py) and the writers of the backends (the Sphinx
writer, indexer/sphinx/build.py, reads through it; the Whoosh build, indexer/whoosh/build.py,
reads through it too): the words of every article are
counted first (the lexicon that decides proclitics, indexer/lexicon.py, and the word pairs
of suggestions, indexer/pairs.py), then the articles
are read again, bad records and repeated ids reported and skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from indexer.lexicon import Lexicon
from indexer.paircount import PairCounter
from indexer.pairs import PairTable
from indexer.report import BuildReport
from indexer.sources import Article, BadRecord, read_articles
from indexer.stopwords import normalized_stop_words
from indexer.words import count_words

__all__ = ["collect_lexicon", "read_unique"]

Progress = Callable[[int], None]
PathLike = str | os.PathLike[str]


def collect_lexicon(sources: list[Path]) -> tuple[Lexicon, PairTable]:
    """The counts of the sources' words (title, lead, body, captions) and of their word
    pairs (indexer/pairs.py), read once before writing, by every backend's build."""
    texts = (f"{record.title}\n{record.summary}\n{record.body}\n{record.caption}"
             for record in read_articles(sources) if isinstance(record, Article))
    stop_words = normalized_stop_words()
    pairs = PairCounter(stop_words)
    lexicon = count_words(texts, stop_words, on_words=pairs.add)
    return lexicon, pairs.table()


def read_unique(sources: Iterable[PathLike], report: BuildReport,
                progress: Progress | None) -> Iterator[Article]:
    """The articles of ``sources``, each id once; what is skipped goes into ``report``."""
    seen: dict[str, str] = {}
    for record in read_articles(sources):
        report.read += 1
        if progress:
            progress(1)
        if isinstance(record, BadRecord):
            report.skipped.append(str(record))
        elif record.id in seen:
            report.skipped.append(f"{record.origin}: duplicate id {record.id!r} "
                                  f"(first seen at {seen[record.id]})")
        else:
            seen[record.id] = record.origin
            yield record
