"""The backend seam (search/backend.py): the searcher coordinates, a backend answers.

* Nothing in indexer/, search/ or web/ outside the Whoosh backends (indexer/whoosh/,
  search/whoosh/) imports Whoosh.
* A backend that is not Whoosh at all (a small one in memory, below) serves the whole
  Searcher: pages with highlighted snippets, display names and facets, did-you-mean,
  completions, articles, similar articles, health, ranking.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from indexer.lexicon import Lexicon
from indexer.pairs import PairTable
from indexer.stopwords import normalized_stop_words
from indexer.words import WordAnalysis
from search import ArticleNotFound, Searcher
from search.backend import Filters, Found, SearchRequest, StoredArticle, StoredHit
from search.highlight import HighlightTerms
from search.query import ParsedQuery, analyze_words
from search.results import FacetValue, IndexInfo

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["indexer", "search", "web"])
def test_nothing_outside_the_whoosh_backend_imports_whoosh(package):
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if "whoosh" not in path.relative_to(ROOT).parts[1:-1]
        and any(name == "whoosh" or name.startswith("whoosh.")
                for name in imported_modules(path))
    ]
    assert offenders == []


#: The analysis a backend shares with the indexer (here with an empty lexicon).
ANALYSIS = WordAnalysis(Lexicon({}, normalized_stop_words()))

ARTICLES = [
    {"id": "m1", "title": "افتتاح سوق الكتب في المدينة", "body": "افتتح سوق الكتب صباحا.",
     "category": "culture", "source": "SkyNewsArabia"},
    {"id": "m2", "title": "أسعار الكتب ترتفع", "body": "ارتفعت أسعار الكتب في السوق.",
     "category": "economy", "source": "SkyNewsArabia"},
    {"id": "m3", "title": "مباراة الفريق", "body": "فاز الفريق في المباراة.",
     "category": "sport", "source": "BBC"},
]


def words_of(article: dict) -> set[str]:
    return {word for word, _, _ in analyze_words(f"{article['title']} {article['body']}")}


def pairs_of(text: str) -> list:
    words = analyze_words(text)
    return list(zip(words, words[1:], strict=False))


class MemoryLexicon:
    """Words of :data:`ARTICLES` in normal form."""

    def __init__(self) -> None:
        self.words = Counter(w for a in ARTICLES for w in words_of(a))

    def prefix_terms(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        found = [(w, n) for w, n in self.words.items() if w.startswith(prefix)]
        return sorted(found, key=lambda item: (-item[1], item[0]))[:limit]

    def near_terms(self, word: str) -> list[tuple[str, int]]:
        return [(w, n) for w, n in self.words.items()
                if len(w) == len(word)
                and sum(a != b for a, b in zip(w, word, strict=True)) == 1]

    def frequency(self, word: str) -> int:
        return self.words.get(word, 0)

    def frequencies(self, words) -> dict[str, int]:
        return {w: self.words[w] for w in words if self.words.get(w)}

    def stem(self, word: str) -> str:
        return word

    def base(self, word: str) -> str:
        return word

    def remembered(self, key, compute):
        return compute()

    def shared(self, word: str, other: str) -> int:
        return sum(1 for a in ARTICLES if {word, other} <= words_of(a))

    def stem_frequency(self, word: str) -> int:
        return 0

    def stem_counts(self, stems) -> dict[str, int]:
        return {}

    def surface_form(self, word: str) -> str:
        return word

    def pairs(self) -> PairTable:
        found = Counter((first, second) for a in ARTICLES for text in (a["title"], a["body"])
                        for (first, _, _), (second, _, _) in pairs_of(text))
        return PairTable.from_pairs(((a, b, n) for (a, b), n in found.items()), min_articles=1)


class MemoryBackend:
    """A backend that scans a list: a word matches an article holding it in normal form."""

    address = "memory://test"

    def __init__(self) -> None:
        self.lexicon = MemoryLexicon()
        self.closed = False

    def _matching(self, parsed: ParsedQuery, filters: Filters) -> list[dict]:
        words = {c.words[0] for c in parsed.clauses}
        return [
            a for a in ARTICLES
            if words & words_of(a) and filters.category in (None, a["category"])
        ]

    def search(self, request: SearchRequest) -> Found:
        found = self._matching(request.parsed, request.filters)
        hits = tuple(StoredHit(a, 1.0 / (i + 1)) for i, a in enumerate(found))
        words = frozenset(c.words[0] for c in request.parsed.clauses)
        facets = {"category": tuple(FacetValue(c, n) for c, n in
                                    Counter(a["category"] for a in found).items())}
        return Found(len(found), hits[request.offset:request.offset + request.limit], facets,
                     HighlightTerms(words=words, analysis=ANALYSIS))

    def rank(self, parsed, limit, time_limit):
        return [(a["id"], 1.0) for a in self._matching(parsed, Filters())][:limit]

    def count(self, parsed, filters, time_limit):
        return len(self._matching(parsed, filters))

    def article(self, article_id, parsed=None):
        for a in ARTICLES:
            if a["id"] == article_id:
                words = frozenset(c.words[0] for c in parsed.clauses) if parsed else frozenset()
                return StoredArticle(a, HighlightTerms(words=words, analysis=ANALYSIS))
        raise ArticleNotFound(article_id)

    def similar(self, article_id, n):
        self.article(article_id)
        return tuple(StoredHit(a, 0.5) for a in ARTICLES if a["id"] != article_id)[:n]

    def label_counts(self, fieldname):
        counts = Counter(a[fieldname] for a in ARTICLES)
        return tuple(FacetValue(v, n) for v, n in counts.most_common())

    def check(self):
        return len(ARTICLES)

    def info(self):
        return IndexInfo(len(ARTICLES), "memory-1", None)

    def doc_count(self):
        return len(ARTICLES)

    def cache_stats(self):
        return {"memory": (1, 0)}

    def close(self):
        self.closed = True


@pytest.fixture
def memory_searcher():
    backend = MemoryBackend()
    with Searcher(backend=backend) as searcher:
        yield searcher
    assert backend.closed


def test_a_page_from_another_backend(memory_searcher):
    page = memory_searcher.search("الكتب", per_page=1)
    assert page.total == 2 and page.pages == 2 and [h.id for h in page.hits] == ["m1"]
    assert page.hits[0].rank == 1 and "<mark>الكتب</mark>" in page.hits[0].title_highlight.html
    assert page.hits[0].category_label == "ثقافة"  # the shipped display name of "culture"
    assert {f.value: f.label for f in page.facets["category"]} == {"culture": "ثقافة",
                                                                    "economy": "اقتصاد"}
    second = memory_searcher.search("الكتب", page=2, per_page=1)
    assert [h.id for h in second.hits] == ["m2"] and second.hits[0].rank == 2


def test_filters_reach_the_backend(memory_searcher):
    page = memory_searcher.search("الكتب", category="economy")
    assert [h.id for h in page.hits] == ["m2"] and page.filters == {"category": "economy"}


def test_did_you_mean_and_completions_use_the_backends_words(memory_searcher):
    page = memory_searcher.search("الكتت")
    assert page.total == 0 and page.suggestion == "الكتب"
    assert memory_searcher.suggest("المبا") == ["المباراه"]
    # the word before is read through the backend's pairs: الكتب follows سوق, not المباراه
    assert memory_searcher.suggest("سوق ال")[0] == "سوق الكتب"


def test_articles_similar_health_and_ranking(memory_searcher):
    article = memory_searcher.get("m3", "الفريق")
    assert "<mark>الفريق</mark>" in article.body_html and article.category_label == "رياضة"
    with pytest.raises(ArticleNotFound):
        memory_searcher.get("nope")
    assert [h.id for h in memory_searcher.similar("m1", n=1)] == ["m2"]
    assert memory_searcher.check() == 3 and memory_searcher.info().generation == "memory-1"
    assert [c.value for c in memory_searcher.categories()][0] in ("culture", "economy", "sport")
    assert memory_searcher.rank("المباراة") == [("m3", 1.0)]
    assert repr(memory_searcher) == "Searcher('memory://test')"
