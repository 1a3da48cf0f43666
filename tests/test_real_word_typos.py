"""A real word typed for another (search/suggest/correct.py) is found through the word pairs.

The spellings one slip from a word are looked up in the pairs of its neighbours, in memory;
the index is asked to count only those that pair, never the hundreds of strings one edit
away.
"""

from __future__ import annotations

from indexer.pairs import PairTable
from search.query import parse_query
from search.suggest import correct

WORDS = {"اسعار": 40, "النفط": 30, "النفت": 2, "النقط": 5, "الذهب": 20, "الانتخابات": 25,
         "الرئاسيه": 12, "الرئاسه": 60, "الخام": 22}
PAIRS = [("اسعار", "النفط", 25), ("اسعار", "الذهب", 15), ("الانتخابات", "الرئاسيه", 10),
         ("النفط", "الخام", 20)]


class CountingLexicon:
    """The words above; records every word whose frequency is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def frequency(self, word: str) -> int:
        self.asked.append(word)
        return WORDS.get(word, 0)

    def frequencies(self, words) -> dict[str, int]:
        self.asked += list(words)
        return {w: WORDS[w] for w in words if w in WORDS}

    def near_terms(self, word: str) -> list[tuple[str, int]]:
        return []

    def stem_frequency(self, word: str) -> int:
        return 0

    def stem_counts(self, stems) -> dict[str, int]:
        return {}

    def surface_form(self, word: str) -> str:
        return word

    def pairs(self) -> PairTable:
        return PairTable.from_pairs(PAIRS, min_articles=1)


def _corrected(text: str, lexicon: CountingLexicon) -> str | None:
    found = correct(parse_query(text), lexicon, 500, lambda: 1000, lambda query: 100)
    return found.text if found is not None else None


def test_a_real_word_typo_becomes_the_spelling_that_pairs_with_its_neighbour():
    lexicon = CountingLexicon()
    assert _corrected("اسعار النفت", lexicon) == "اسعار النفط"
    # the index counted the typed words and the paired spelling only (النقط pairs with nothing)
    assert set(lexicon.asked) <= {"اسعار", "النفت", "النفط"}
    assert "النقط" not in lexicon.asked


def test_a_word_that_pairs_is_left_alone_and_asks_for_no_spelling():
    lexicon = CountingLexicon()
    assert _corrected("اسعار الذهب", lexicon) is None
    assert set(lexicon.asked) <= {"اسعار", "الذهب"}


def test_the_neighbour_after_chooses_too():
    lexicon = CountingLexicon()
    assert _corrected("النفت الخام", lexicon) == "النفط الخام"
    assert "النقط" not in lexicon.asked
