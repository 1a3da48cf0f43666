"""Synonyms the user keeps: ``داعش = تنظيم الدولة الإسلامية``, applied to each query.

Sits between the parser (search/query.py) and the backends: the searcher (search/searcher.py)
parses the person's text, then :meth:`Synonyms.expand` adds to each word or phrase of the
query that one side of a rule names the other sides of the rule, as alternatives (OR: one
word of the query, whichever side an article holds), and does the same for what ``-word``
leaves out. Nothing is indexed: the rules apply at query time, on any backend, and a
changed file is read again at the next search without a rebuild or a restart.

The file (``$FAHRAS_SYNONYMS``, ``Searcher(synonyms=…)``, ``fahras-search --synonyms``) is
UTF-8 text, one rule a line: two or more sides separated by ``=``; a side of several words
is a phrase (the words together, in order). ``#`` starts a comment; blank lines are skipped.
Sides are compared in normal form (indexer/normalize.py: ``الإسلامية`` = ``الاسلاميه``), as
typed (``الجوال`` is not ``جوال``); a quoted single word (``"داعش"``, exactly this form) is not
expanded. In a plain run of words typed without quotes that is one side of a rule
(``تنظيم الدولة الإسلامية``), each word also matches the other sides, so an article with
``داعش`` counts as holding every word of the run.

A line that is not a rule raises :class:`SynonymsError` naming the file and the line. When
a file that was good is changed into a bad one, searching keeps the last good rules, and the
error is logged and kept in :attr:`Synonyms.problem` until the file is fixed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from search.errors import FahrasError
from search.query import MAX_WORDS, Clause, ParsedQuery, analyze_words

__all__ = ["Synonyms", "SynonymsError", "SynonymRules", "parse_rules", "load_synonyms"]


#: A side of a rule: its normalised words.
Side = tuple[str, ...]


class SynonymsError(FahrasError):
    """A synonym file that cannot be read, or a line of it that is not a rule."""


@dataclass(frozen=True)
class SynonymRules:
    """Each side of every rule, with the other sides it stands for."""

    others: dict[Side, tuple[Side, ...]]

    @property
    def longest(self) -> int:
        """The most words of a side."""
        return max(map(len, self.others), default=0)


def _side(text: str, number: int, where: str) -> Side:
    words = tuple(word for word, _, _ in analyze_words(text))
    if not text.strip():
        raise SynonymsError(f"{where}, line {number}: a side of the rule is empty "
                            f"(write: word = other words)")
    if not words:
        raise SynonymsError(f"{where}, line {number}: {text.strip()!r} has no words")
    return words


def parse_rules(text: str, where: str = "the synonym file") -> SynonymRules:
    """The rules of a synonym file's ``text``; raises :class:`SynonymsError` for the first
    line that is not a rule (``where`` names the file in the message)."""
    others: dict[Side, list[Side]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0]
        if not line.strip():
            continue
        if "=" not in line:
            raise SynonymsError(f"{where}, line {number}: {line.strip()!r} is not a rule "
                                f"(write: word = other words)")
        sides = list(dict.fromkeys(_side(part, number, where) for part in line.split("=")))
        if len(sides) < 2:
            raise SynonymsError(f"{where}, line {number}: both sides are the same words")
        for side in sides:
            found = others.setdefault(side, [])
            found += [other for other in sides if other != side and other not in found]
    return SynonymRules({side: tuple(found) for side, found in others.items()})


def _read(path: Path) -> SynonymRules:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SynonymsError(f"cannot read the synonym file {path}: "
                            f"{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SynonymsError(f"the synonym file {path} is not UTF-8 text: {exc}") from exc
    return parse_rules(text, f"the synonym file {path}")


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class Synonyms:
    """The rules of one synonym file (None: no rules), read again when the file changes;
    thread-safe."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        #: The error of the file as it is now, while the last good rules are used.
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._stamp = _stamp(self.path) if self.path is not None else None
        self._rules = _read(self.path) if self.path is not None else SynonymRules({})

    def rules(self) -> SynonymRules:
        """The rules, read again first when the file changed since."""
        if self.path is None:
            return self._rules
        stamp = _stamp(self.path)
        if stamp == self._stamp:
            return self._rules
        with self._lock:
            if stamp != self._stamp:
                self._reload(stamp)
            return self._rules

    def _reload(self, stamp: tuple[int, int, int] | None) -> None:
        assert self.path is not None
        try:
            self._rules = _read(self.path)
            self.problem = None
        except SynonymsError as exc:
            import logging  # only when a rule file goes bad: not a cost of every import

            self.problem = str(exc)
            logging.getLogger(__name__).error("%s; searching keeps the rules read before", exc)
        self._stamp = stamp

    def expand(self, parsed: ParsedQuery) -> ParsedQuery:
        """``parsed`` with the other sides of the rules its words and phrases name."""
        rules = self.rules()
        if not rules.others:
            return parsed
        return _Expansion(rules).of(parsed)


@dataclass
class _Expansion:
    """One query's expansion, within the query's word budget."""

    rules: SynonymRules
    budget: int = MAX_WORDS

    def alternatives(self, clause: Clause) -> list[Clause]:
        """The clauses the other sides of ``clause``'s rule make (none for other kinds)."""
        if clause.kind not in ("word", "phrase"):
            return []
        return self.others(clause.words, clause.field, clause.span)

    def others(self, words: tuple[str, ...], field_name: str,
               span: tuple[int, int]) -> list[Clause]:
        """The clauses of the other sides of the rule whose side is ``words``."""
        found = []
        for side in self.rules.others.get(words, ()):
            if len(side) > self.budget:
                break
            self.budget -= len(side)
            kind = "word" if len(side) == 1 else "phrase"
            found.append(Clause(kind, side, field_name, 0, span))
        return found

    def run(self, groups: tuple[tuple[Clause, ...], ...], start: int) -> int:
        """How many plain words from ``groups[start]`` on make one side of a rule (the
        longest such run; 0 when none of two words or more does)."""
        for length in range(min(self.rules.longest, len(groups) - start), 1, -1):
            part = groups[start:start + length]
            if all(len(g) == 1 and g[0].kind == "word" and g[0].field == part[0][0].field
                   for g in part) and tuple(g[0].words[0] for g in part) in self.rules.others:
                return length
        return 0

    def of(self, parsed: ParsedQuery) -> ParsedQuery:
        groups = [list(group) for group in parsed.groups]
        position = 0
        while position < len(groups):
            length = self.run(parsed.groups, position)
            if length:  # typed loose, named by a rule: each of its words matches the others
                run = [group[0] for group in parsed.groups[position:position + length]]
                others = self.others(tuple(c.words[0] for c in run), run[0].field,
                                     (run[0].span[0], run[-1].span[1]))
                for group in groups[position:position + length]:
                    group += others
                position += length
                continue
            groups[position] += [alt for clause in parsed.groups[position]
                                 for alt in self.alternatives(clause)]
            position += 1
        excluded = [*parsed.excluded,
                    *(alt for clause in parsed.excluded for alt in self.alternatives(clause))]
        return replace(parsed, groups=tuple(map(tuple, groups)), excluded=tuple(excluded))


def load_synonyms(path: str | os.PathLike[str] | None = None) -> Synonyms:
    """The synonyms of the file ``path`` (None: ``$FAHRAS_SYNONYMS``, when set; else none).
    Raises :class:`SynonymsError` for a file that is missing or has a bad line."""
    wanted = path if path is not None else os.environ.get("FAHRAS_SYNONYMS") or None
    return Synonyms(wanted or None)
