"""How the issue's word pairs meet on the ANT corpus: articles found by each word's stem.

Not a unit test. For each pair ``a b`` prints the articles whose stemmed text holds the stem
of ``a``, of ``b``, of both, and those ``b`` finds that ``a`` misses. Runs on the code it is
imported with, so the same script measures an older checkout (``PYTHONPATH=that/checkout``)::

    python tests/bench/ant_words.py            # ../shared/data/ant_news/ant_news.jsonl.gz
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

PAIRS = [("فلسطين", "بفلسطين"), ("وزير", "الوزير"), ("وزارة", "زار"), ("واحد", "الأحد"),
         ("لبنان", "ولبنان"), ("مصر", "بمصر"), ("مسؤول", "مسئول"), ("وطن", "طن"),
         ("بحر", "الحر"), ("برنامج", "البرنامج"), ("بريطانيا", "لبريطانيا")]


def _texts(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            yield f"{record.get('title') or ''}\n{record.get('body') or ''}"


def _analysis(path: Path):
    """``(stem of a word, stems of a text)`` with the analysis of the code imported."""
    from indexer.normalize import normalize
    try:
        from indexer.stopwords import normalized_stop_words
        from indexer.words import WordAnalysis, count_words
    except ImportError:  # before the lexicon: stems by letter rules
        from indexer.whoosh.analysis import stem_word, stemmed_analyzer
        analyzer = stemmed_analyzer()
        return (lambda w: stem_word(normalize(w)),
                lambda text: {t.text for t in analyzer(text)})
    words = WordAnalysis(count_words(_texts(path), normalized_stop_words()), memo=1 << 20)
    return (lambda w: words.stem(normalize(w)),
            lambda text: {stem for _, stem in words.forms(text)})


def main() -> int:
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or Path(__file__).parents[3] / "shared/data")
    path = data / "ant_news/ant_news.jsonl.gz"
    if not path.exists():
        print(f"no ANT corpus at {path}", file=sys.stderr)
        return 2
    stem, stems_of = _analysis(path)
    wanted = {stem(w) for pair in PAIRS for w in pair}
    found: dict[str, set[int]] = defaultdict(set)
    for number, text in enumerate(_texts(path)):
        for s in stems_of(text) & wanted:
            found[s].add(number)
    print(f"{'a':>10} {'b':>10}  stem a / stem b   found a  found b  both  b not a")
    for a, b in PAIRS:
        da, db = found[stem(a)], found[stem(b)]
        print(f"{a:>10} {b:>10}  {stem(a)} / {stem(b)}  {len(da):8} {len(db):8} "
              f"{len(da & db):5} {len(db - da):8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
