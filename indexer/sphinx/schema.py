"""The tables of a Fahras index in Sphinx, and an article as their rows.

Sits between the analysis core (indexer/words.py: the same normal forms and stems as the
Whoosh backend) and the writer (indexer/sphinx/build.py); the searcher (search/sphinx/) reads
the same names. Fahras analyses the text itself and sends Sphinx finished tokens: Sphinx
keeps them whole (:data:`CHARSET_TABLE`, no morphology, no stop words).

Each node holds, for each of two slots ``a`` and ``b`` (a build fills the slot not in use and
then points the index at it, indexer/sphinx/store.py):

=====================  =====================================================================
``NAME_a``             the node's shard of the articles (an RT index)
``NAME_a_all``         the whole index: this shard and the other nodes' (distributed)
``NAME_dict_a``        the index's terms and their article counts (every node a full copy)
``NAME_meta``          the slot pointer, the lexicon and the build record (every node)
=====================  =====================================================================

An article's fields (the Whoosh backend's fields, tokens marked by field so that each
field's terms have their own frequencies, as in Whoosh): ``content`` (stems of title and
body, stop words left out), ``title`` (``t_`` + stems), ``lead`` (``l_`` + stems),
``exact`` (``x_`` + normal forms, every word); attributes ``aid`` (the article id),
``doc`` (the stored fields as JSON), ``category``/``source`` with their keys, ``ts``,
``dated``, ``year``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from indexer.duplicates import CopyMarker
from indexer.sources import Article
from indexer.stopwords import is_stop_word
from indexer.words import LEAD_WORDS, WordAnalysis, surfaces

__all__ = ["SLOTS", "TEXT_FIELDS", "CHARSET_TABLE", "SCHEMA_VERSION", "Tables", "ArticleRow",
           "article_row", "doc_id", "shard_of", "label_key", "term_key", "token",
           "TERM_KINDS"]

#: Bump when the tables or their tokens change: the searcher refuses other versions.
#: 2: the word pairs of suggestions (indexer/pairs.py) in the meta table.
SCHEMA_VERSION = 2
SLOTS = ("a", "b")
#: The full-text fields, in their order in the tables.
TEXT_FIELDS = ("content", "title", "lead", "exact")
#: What marks the tokens of each field (``content`` has none).
FIELD_MARKS = {"content": "", "title": "t_", "lead": "l_", "exact": "x_"}
#: The kinds of terms the dictionary holds (its ``kind`` attribute).
TERM_KINDS = {"exact": 0, "stem": 1, "title": 2}
#: Characters Sphinx keeps inside a token: digits, Latin, the Arabic block and ``_`` (the
#: field marks and the escapes of other characters, :func:`token`).
CHARSET_TABLE = "0..9, a..z, A..Z->a..z, _, U+0621..U+064A, U+0660..U+0669, U+0671..U+06D3"
_PLAIN_CHARS = "0-9a-z\u0621-\u064a\u0660-\u0669\u0671-\u06d3"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]*")
_PLAIN_CHAR = re.compile(f"[{_PLAIN_CHARS}]")
_ID_BITS = (1 << 63) - 1


def token(term: str, mark: str = "") -> str:
    """``term`` as a Sphinx token of one field: ``mark`` + the term, every character Sphinx
    would split on written ``_hex_`` (``_`` never occurs in a Fahras term)."""
    if _PLAIN.fullmatch(term):
        return mark + term
    return mark + "".join(char if _PLAIN_CHAR.fullmatch(char) else f"_{ord(char):x}_"
                          for char in term)


def _hash(text: str, salt: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{salt}\0{text}".encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big") & _ID_BITS


def doc_id(article_id: str) -> int:
    """The Sphinx document id of an article: a stable 63-bit hash of its id (never 0)."""
    return _hash(article_id, "doc") or 1


def shard_of(article_id: str, shards: int) -> int:
    """Which node keeps the article: a stable hash of its id over ``shards`` nodes."""
    return _hash(article_id, "shard") % shards


def label_key(label: str) -> int:
    """The integer a category or source is filtered by (Sphinx filters strings by key)."""
    return _hash(label, "label") or 1


def term_key(kind: str, term: str) -> int:
    """The dictionary's key of a term of one kind (:data:`TERM_KINDS`)."""
    return _hash(term, kind) or 1


@dataclass(frozen=True)
class Tables:
    """The table names of index ``name``."""

    name: str

    def shard(self, slot: str) -> str:
        return f"{self.name}_{slot}"

    def everything(self, slot: str) -> str:
        return f"{self.name}_{slot}_all"

    def dictionary(self, slot: str) -> str:
        return f"{self.name}_dict_{slot}"

    @property
    def meta(self) -> str:
        return f"{self.name}_meta"


@dataclass(frozen=True)
class ArticleRow:
    """One article as a row of its shard, with the terms it brings to the dictionary."""

    article_id: str
    values: dict[str, object]
    terms: dict[str, frozenset[str]]
    lengths: dict[str, int]


def _stored(article: Article, marker: CopyMarker) -> dict[str, object]:
    prose = "\n".join(part for part in (article.summary, article.body) if part)
    stored: dict[str, object] = {"id": article.id, "title": article.title, "body": article.body,
                                 "url": article.url}
    for name in ("summary", "caption", "headings", "category", "source"):
        value = getattr(article, name)
        if value:
            stored[name] = value
    if article.date is not None:
        stored["date"] = article.date.isoformat()
        stored["year"] = article.date.year
    stored["dupkey"] = marker.key(article.title, article.date, prose)
    stored["fingerprint"] = hashlib.sha1(
        repr((SCHEMA_VERSION, sorted(stored.items()))).encode("utf-8")).hexdigest()
    return stored


def _stems(forms: Iterable[tuple[str, str]]) -> list[str]:
    """The stems of the words that are not stop words (``علي`` the name is one: the
    spelling as written decides, indexer/stopwords.py)."""
    return [stem for norm, stem in forms if norm and not is_stop_word(norm)]


def article_row(article: Article, words: WordAnalysis, marker: CopyMarker) -> ArticleRow:
    """The row of ``article``, analysed with the index's ``words``."""
    prose = "\n".join(part for part in (article.summary, article.body) if part)
    text = f"{article.title}\n{prose}" if article.title else prose
    forms = words.forms(text)
    exact = [norm for norm, _ in forms if norm]
    content = _stems(forms)
    # the title's words open the text, the lead's (the first LEAD_WORDS of the prose) follow
    in_title = len(surfaces(article.title)) if article.title else 0
    title = _stems(forms[:in_title])
    lead = _stems(forms[in_title:in_title + LEAD_WORDS])
    if article.caption:
        lead += _stems(words.forms(article.caption))
    tokens = {"content": content, "title": title, "lead": lead, "exact": exact}
    stamp = article.date.replace(tzinfo=timezone.utc) if article.date else None
    values: dict[str, object] = {
        name: " ".join(token(term, FIELD_MARKS[name]) for term in terms)
        for name, terms in tokens.items()
    }
    values.update(
        id=doc_id(article.id), aid=article.id,
        doc=json.dumps(_stored(article, marker), ensure_ascii=False),
        category=article.category or "", source=article.source or "",
        category_key=label_key(article.category) if article.category else 0,
        source_key=label_key(article.source) if article.source else 0,
        ts=int(stamp.timestamp()) if stamp else 0, dated=int(stamp is not None),
        year=article.date.year if article.date else 0,
    )
    terms = {"exact": frozenset(exact), "stem": frozenset(content), "title": frozenset(title)}
    return ArticleRow(article.id, values, terms, {k: len(v) for k, v in tokens.items()})


#: The attribute columns of a shard, in insert order after the text fields.
ATTRIBUTES = ("aid", "doc", "category", "source", "category_key", "source_key", "ts",
              "dated", "year")
COLUMNS = ("id", *TEXT_FIELDS, *ATTRIBUTES)


def row_values(row: ArticleRow) -> tuple[object, ...]:
    return tuple(row.values[name] for name in COLUMNS)


def stored_fields(doc: str) -> dict[str, object]:
    """The stored fields of an article as the searcher hands them on (``date`` a datetime)."""
    fields = json.loads(doc)
    if fields.get("date"):
        fields["date"] = datetime.fromisoformat(fields["date"])
    return fields


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
