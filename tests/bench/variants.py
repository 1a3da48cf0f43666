"""How well each spelling of a name finds the articles of all its spellings, on ANT.

Not a unit test. For each name pair of :data:`PAIRS`, the articles that hold any spelling
are found by reading the corpus itself (a word that is the spelling, in normal form, after
at most a conjunction, preposition or article: ``وترامب``, ``لترمب``), not by the engine.
Then each spelling is searched (``Searcher.rank``, every article, copies not collapsed) as
the index answers today, with its variants (search/variants.py), and as typed alone
(the backend's own ranking of the parsed query, without the variants). Prints one table
row a spelling: the articles it finds, the share of the pair's articles it finds
(recall) and the share of what it finds that are the pair's articles (precision). Also
searches the keyboard example of search/keyboard.py. ::

    python tests/bench/variants.py --index-dir /tmp/ant-index [--corpus ANT.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

PAIRS = [("ترامب", "ترمب"), ("بوتين", "بوتن"), ("غوغل", "جوجل"), ("نتنياهو", "نتانياهو"),
         ("سامسونغ", "سامسونج"), ("فيسبوك", "فايسبوك"), ("انستغرام", "انستجرام"),
         ("يوتيوب", "يوتوب")]
#: What may stand before a name in a word (normal form).
PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "وب", "ول",
              "فب", "فل", "وك")
KEYBOARD_EXAMPLE = "hgkt'"
MANY = 10_000


def _records(path: Path) -> Iterator[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            yield str(record["id"]), " ".join(
                str(record.get(key) or "") for key in ("title", "summary", "caption", "body"))


def holders(path: Path) -> dict[str, set[str]]:
    """``normalised spelling -> ids of the articles holding it`` for every spelling of
    :data:`PAIRS`, read from the corpus."""
    from indexer.normalize import normalize
    from search.query import analyze_words

    forms = {prefix + normalize(w): normalize(w) for pair in PAIRS for w in pair
             for prefix in PROCLITICS}
    found: dict[str, set[str]] = {normalize(w): set() for pair in PAIRS for w in pair}
    for article_id, text in _records(path):
        for word, _, _ in analyze_words(text):
            spelling = forms.get(word)
            if spelling is not None:
                found[spelling].add(article_id)
    return found


def _shares(found: set[str], relevant: set[str]) -> tuple[float, float]:
    hit = len(found & relevant)
    return hit / max(len(relevant), 1), hit / max(len(found), 1)


def table(index: str, corpus: Path) -> list[str]:
    from indexer.normalize import normalize
    from search import Searcher, parse_query

    held = holders(corpus)
    rows = ["| spelling | variants searched | articles with any spelling | found | recall | "
            "precision | as typed alone: found | recall | precision |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    with Searcher(index, time_limit=30.0) as searcher:
        for pair in PAIRS:
            relevant = set().union(*(held[normalize(w)] for w in pair))
            for word in pair:
                found = {doc for doc, _ in searcher.rank(word, MANY)}
                alone = {doc for doc, _ in searcher.backend.rank(parse_query(word), MANY, 30.0)}
                variants = "، ".join(searcher.variants.of(normalize(word))) or "—"
                recall, precision = _shares(found, relevant)
                recall0, precision0 = _shares(alone, relevant)
                rows.append(f"| {word} | {variants} | {len(relevant)} | {len(found)} | "
                            f"{recall:.1%} | {precision:.1%} | {len(alone)} | {recall0:.1%} | "
                            f"{precision0:.1%} |")
        page = searcher.search(KEYBOARD_EXAMPLE)
        rows += ["", f"`{KEYBOARD_EXAMPLE}` is searched as `{page.keyboard}`: "
                     f"{page.total} results, the first: {page.hits[0].title if page.hits else '—'}"]
    return rows


def main() -> int:
    data = Path(os.environ.get("FAHRAS_DATA_DIR") or Path(__file__).parents[3] / "shared/data")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", required=True, help="an index of the ANT corpus")
    parser.add_argument("--corpus", type=Path, default=data / "ant_news/ant_news.jsonl.gz")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no ANT corpus at {args.corpus}", file=sys.stderr)
        return 2
    print("\n".join(table(args.index_dir, args.corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
