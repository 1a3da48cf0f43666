"""User text → a parsed query: a small hand-written parser that accepts anything.

The first step of a search: the searcher (search/searcher.py) parses what the
person typed with :func:`parse_query`, then turns the result into Whoosh queries
with :mod:`search.compile`. Parsing needs no index; it never fails on odd text
(unbalanced quotes, lone operators, control characters, pages of noise are all
read as well as they can be). The one error it raises is :class:`QueryError` for
a ``date:`` filter that names an impossible date or ends before it starts.

Syntax (every word is normalised like the index: ``أحمد``, ``احمد``, ``إحمد`` are one)::

    word word        articles with any of the words; those with more of them first
                     (with both words first, for two words)
    "a phrase"       the words in this order (unstemmed); "word" = exactly this form
    +word  a AND b   only articles with the word (also +"a phrase"); AND makes the
                     words on both sides required (و is a letter of Arabic, not AND)
    -word  NOT word  leave out articles with the word (also -"a phrase"); ليس word too,
      ليس word       when a word other than a stop word follows (ليس alone, before a stop
                     word, or in a phrase, is read as typed)
    a OR b   a أو b  either word, counting as one word of the query
    title:word       in the title (also title:"a phrase", عنوان:)
    category:NAME    in that category (also قسم:, تصنيف:); source:NAME (مصدر:);
                     -category:NAME leaves the category out
    date:2019..2021  published in that period (date:2020-03, date:..2020, تاريخ:)
    word*            words starting with it (at least 2 letters, not counting ال)
    word~  word~2    the word as typed, and the words within 1 (or 2) letters of it

Stop words, question words (``ماهو``, ``بماذا``: indexer.stopwords.QUESTION_WORDS),
one-letter words and a bare ``ال`` are left out of a query that has other words;
a query of nothing else searches them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from indexer.normalize import normalize
from indexer.stopwords import normal_word, normalized_question_words
from indexer.words import WORD_PATTERN
from search.dates import looks_like_range, parse_range
from search.highlight import is_noise_word
from search.whoosh.vocabulary import ARTICLES

__all__ = [
    "Clause",
    "ParsedQuery",
    "parse_query",
    "analyze_words",
    "MAX_QUERY_CHARS",
    "MAX_WORDS",
]

#: Longer query text is cut (at a word boundary) before parsing.
MAX_QUERY_CHARS = 1000
#: At most this many words (phrase words included) are searched.
MAX_WORDS = 50
_MAX_FUZZY = 2

_FIELDS = {
    "title": "title", "عنوان": "title", "العنوان": "title",
    "category": "category", "قسم": "category", "القسم": "category", "تصنيف": "category",
    "source": "source", "مصدر": "source", "المصدر": "source",
    "date": "date", "تاريخ": "date", "التاريخ": "date",
}  # fmt: skip
_OR_WORDS = frozenset({"OR", "||", "او"})
_NOT_WORDS = frozenset({"NOT"})
#: Excludes the next word when one follows (normal form of ليس).
_ARABIC_NOT = "ليس"
_AND_WORDS = frozenset({"AND", "&&"})
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»″＂", '"'))
_TOKEN = re.compile(
    r'(?P<neg>[-−+])?(?:(?P<field>[^\W\d_]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))'
)
_FUZZY = re.compile(r"(.*?)~(\d{0,2})")
_WORD = re.compile(WORD_PATTERN)
_UNSAFE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Clause:
    """One thing to look for.

    ``kind`` is ``word`` (stem or exact form), ``exact`` (a quoted single word),
    ``phrase``, ``prefix`` or ``fuzzy``; ``words`` are normalised; ``field`` is
    ``any`` or ``title``; ``span`` locates the word in the query text.
    """

    kind: str
    words: tuple[str, ...]
    field: str = "any"
    distance: int = 0
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as understood: groups of alternatives, exclusions and filters.

    Each group in ``groups`` is one "word" of the query (several clauses when
    joined by OR); articles matching every group rank first. ``required`` holds the
    positions in ``groups`` of the groups every article must match (``+word``,
    ``AND``). ``excluded_labels`` holds ``(field, label)`` pairs of
    ``-category:``/``-source:``.
    """

    text: str
    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    excluded_labels: tuple[tuple[str, str], ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    stop_words_only: bool = False
    required: tuple[int, ...] = ()

    @property
    def has_terms(self) -> bool:
        """True when there is something to rank by."""
        return bool(self.groups)

    @property
    def has_constraints(self) -> bool:
        """True when the query narrows the articles (exclusions or filters)."""
        dates = self.date_from is not None or self.date_to is not None
        labels = self.categories or self.sources or self.excluded_labels
        return bool(self.excluded or labels or dates)

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(clause for group in self.groups for clause in group)


def analyze_words(text: str) -> list[tuple[str, int, int]]:
    """``(normalised word, start, end)`` for each word of ``text`` that survives normalising."""
    found = []
    for match in _WORD.finditer(text):
        norm = normal_word(match.group())  # علي (a name) is not the stop word على
        if norm:
            found.append((norm, match.start(), match.end()))
    return found


def _cap(text: str) -> str:
    text = _UNSAFE.sub(" ", text).translate(_QUOTES)
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_QUERY_CHARS)
    return text[: cut if cut > 0 else MAX_QUERY_CHARS]


@dataclass
class _Builder:
    """Collects clauses while the tokens are read, keeping the word budget."""

    text: str
    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: dict[str, list] = field(
        default_factory=lambda: {"category": [], "source": [], "-category": [], "-source": []}
    )
    dates: tuple = (None, None)
    words: int = 0
    required: set[int] = field(default_factory=set)
    pending_or: bool = False
    pending_not: bool = False
    pending_and: bool = False
    #: The ``ليس`` read as NOT, until a word follows it (else it is searched as a word).
    pending_arabic_not: tuple[str, int] | None = None

    def add(self, clause: Clause, negative: bool, required: bool = False) -> None:
        if self.pending_arabic_not is not None and clause.kind == "word" and \
                is_noise_word(clause.words[0]):
            self.finish()  # ليس before a stop word (ليس كل شيء) is a word of the sentence
        budget = MAX_WORDS - self.words
        if budget <= 0:
            return
        if len(clause.words) > budget:
            clause = replace(clause, words=clause.words[:budget])
        self.words += len(clause.words)
        if negative or self.pending_not:
            self.excluded.append(clause)
        elif self.pending_or and self.groups:
            self.groups[-1].append(clause)
        else:
            self.groups.append([clause])
        if not (negative or self.pending_not) and (required or self.pending_and):
            self.required.add(len(self.groups) - 1)
        self.pending_or = self.pending_not = self.pending_and = False
        self.pending_arabic_not = None

    def join_with_and(self) -> None:
        """``AND``: the word before it and the word after it are both required."""
        if self.groups and not self.pending_not:
            self.required.add(len(self.groups) - 1)
            self.pending_and = True

    def finish(self) -> None:
        """A ``ليس`` that nothing followed is a word of the query after all."""
        if self.pending_arabic_not is not None:
            word, start = self.pending_arabic_not
            self.pending_arabic_not = None
            self.pending_not = False
            for clause in _word_clauses(word, start, "any"):
                self.add(clause, False)


def _without_article(word: str) -> str:
    for article in ARTICLES:
        if word.startswith(article):
            return word[len(article) :]
    return word


def _word_clauses(raw: str, offset: int, field_name: str) -> list[Clause]:
    """Clauses for one unquoted token: plain words, a prefix (``*``) or fuzzy (``~``)."""
    kind, distance = "word", 0
    fuzzy = _FUZZY.fullmatch(raw)
    if fuzzy:
        raw, kind, distance = fuzzy.group(1), "fuzzy", min(int(fuzzy.group(2) or 1), _MAX_FUZZY)
    elif raw.endswith("*"):
        raw, kind = raw.rstrip("*"), "prefix"
    words = analyze_words(raw)
    clauses = [Clause("word", (w,), field_name, 0, (offset + s, offset + e)) for w, s, e in words]
    if clauses and kind != "word":
        last = clauses[-1]
        word = last.words[0]
        if kind == "prefix" and len(_without_article(word)) >= 2:
            clauses[-1] = replace(last, kind="prefix")
        elif kind == "fuzzy":
            distance = min(distance, 1 if len(word) <= 4 else _MAX_FUZZY, len(word) - 2)
            if distance > 0:
                clauses[-1] = replace(last, kind="fuzzy", distance=distance)
    return clauses


def _phrase_clause(raw: str, offset: int, field_name: str) -> list[Clause]:
    words = analyze_words(raw)
    if not words:
        return []
    span = (offset + words[0][1], offset + words[-1][2])
    norms = tuple(w for w, _, _ in words)
    return [Clause("exact" if len(norms) == 1 else "phrase", norms, field_name, 0, span)]


def _filter_token(builder: _Builder, name: str, value: str, negative: bool) -> bool:
    """Handle ``category:``, ``source:`` and ``date:``; False when it is not a filter."""
    if name == "date":
        if not looks_like_range(value):
            return False
        start, end = parse_range(value)
        old_start, old_end = builder.dates
        builder.dates = (max(filter(None, (start, old_start)), default=None),
                         min(filter(None, (end, old_end)), default=None))
        return True
    if value.strip():
        builder.filters[f"-{name}" if negative else name].append(value.strip())
    return True


def _read_operator(builder: _Builder, word: str, start: int) -> bool:
    """Handle ``OR``, ``NOT``, ``ليس`` and ``AND``; False when ``word`` is none of them."""
    if word in _OR_WORDS or normalize(word) in _OR_WORDS:
        builder.pending_or = bool(builder.groups)
    elif word in _NOT_WORDS:
        builder.pending_not = True
    elif normalize(word) == _ARABIC_NOT and not builder.pending_not:
        builder.pending_not = True
        builder.pending_arabic_not = (word, start)
    elif word in _AND_WORDS:
        builder.join_with_and()
    else:
        return False
    return True


def _read_token(builder: _Builder, match: re.Match) -> None:
    sign = match.group("neg")
    negative, required = sign in ("-", "−"), sign == "+"
    name = _FIELDS.get((match.group("field") or "").casefold(), "")
    phrase, word = match.group("phrase"), match.group("word")
    raw = phrase if phrase is not None else word
    start = match.start("phrase") if phrase is not None else match.start("word")
    if match.group("field") and not name:  # not one of ours (a URL, a time): plain words
        raw, start = match.group()[1 if sign else 0 :], match.start() + int(bool(sign))
    if not sign and not name and phrase is None and _read_operator(builder, word, start):
        return
    if name in ("category", "source", "date") and _filter_token(builder, name, raw, negative):
        return
    field_name = "title" if name == "title" else "any"
    make = _phrase_clause if phrase is not None else _word_clauses
    for clause in make(raw, start, field_name):
        builder.add(clause, negative, required)


def _drop_noise(groups: list[list[Clause]], required: set[int]
                ) -> tuple[list[list[Clause]], tuple[int, ...], bool]:
    """Leave out stop words unless they are all there is; say which it was. The positions
    of the required groups follow the groups kept."""

    def noise(clause: Clause) -> bool:
        word = clause.words[0]
        return clause.kind == "word" and (
            is_noise_word(word) or word in normalized_question_words()
        )

    if all(noise(c) for group in groups for c in group):
        return groups, tuple(sorted(required)), bool(groups)
    kept: list[list[Clause]] = []
    kept_required = []
    for position, group in enumerate(groups):
        words = [c for c in group if not noise(c)]
        if words:
            if position in required:
                kept_required.append(len(kept))
            kept.append(words)
    return kept, tuple(kept_required), False


def parse_query(text: str) -> ParsedQuery:
    """Read ``text`` as typed by a person; see the module docstring for the syntax."""
    text = _cap(text or "")
    builder = _Builder(text)
    for match in _TOKEN.finditer(text):
        _read_token(builder, match)
    builder.finish()
    groups, required, stop_only = _drop_noise(builder.groups, builder.required)
    excluded = [c for c in builder.excluded if not (c.kind == "word" and is_noise_word(c.words[0]))]
    return ParsedQuery(
        text=text,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
        categories=tuple(builder.filters["category"]),
        sources=tuple(builder.filters["source"]),
        excluded_labels=tuple(
            (name, value)
            for name in ("category", "source")
            for value in builder.filters[f"-{name}"]
        ),
        date_from=builder.dates[0],
        date_to=builder.dates[1],
        stop_words_only=stop_only,
        required=required,
    )
