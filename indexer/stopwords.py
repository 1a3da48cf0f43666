"""The Arabic stop list, kept as data.

Used by the analyzer's stop filter (indexer/whoosh/analysis.py) on *normalised* tokens, so
each entry is run through :func:`indexer.normalize.normalize` once and both spellings
of a word (``إلى``/``الى``/``الي``, ``على``/``علي``) are caught.

Source: compiled for Fahras from the closed classes of Modern Standard Arabic
grammar (prepositions, conjunctions, particles, pronouns, demonstratives, relative
and interrogative words, the verb ``كان`` and its sisters) plus the most frequent
of these with an attached ``و``/``ف``. Content words are never listed: a word that
can carry the meaning of a query (a verb like ``قال``, a number word) stays
searchable. Whoosh ships no Arabic list, and no external list is copied here.

The list is compared AFTER normalising (so ``الى``/``إلى`` are one), which Lucene does not
do: it removes stop words before normalising, so its list only meets the spellings it
lists, and a content word whose folded form equals a stop word survives there. Here the
folding would make such a word a stop word, so words that collide with a content word
once folded are left out: ``أم`` ("or", and "mother"), and the question words ``عمّ``
(``عم``, "uncle") and ``إلام`` (``الأم``, "the mother"). ``على`` remains, and its folded
form is also the name ``علي``: for such words the written spelling decides
(:data:`CONTENT_SPELLINGS`): :func:`normal_word` gives the normal form of ``علي`` as a
:class:`ContentSpelling`, a string equal to the stop word's that :func:`is_stop_word`
(and the analyzer's stop filter) lets through. ``على`` is a stop word, ``علي`` a name
(2,267 times in 1,582 ANT articles, against 145,411 times ``على``).
"""

from __future__ import annotations

from functools import cache

from indexer.normalize import NORMALIZATION_TABLE, normalize

__all__ = [
    "ARABIC_STOP_WORDS",
    "QUESTION_WORDS",
    "normalized_stop_words",
    "normalized_question_words",
    "CONTENT_SPELLINGS",
    "ContentSpelling",
    "normal_word",
    "is_stop_word",
]

ARABIC_STOP_WORDS: tuple[str, ...] = tuple(
    """
    في من إلى على عن مع حتى منذ مذ لدى لدي عند بين دون خلال حول نحو ضد عبر قبل بعد
    فوق تحت أمام خلف وراء بلا ب ل ك و ف ثم أو بل لكن لكنّ إلا غير سوى
    إن أن إنّ أنّ كأن لأن لكي كي لن لم لا ما لما لو لولا إذ إذا إذن قد لقد سوف
    هل أ أي أين متى كيف كم لماذا ماذا مما ممن عما عمن فيما بينما كما مثل
    هو هي هم هن هما أنا نحن أنت أنتم أنتن أنتما إياه إياها إياهم
    هذا هذه هذان هاتان هؤلاء ذلك تلك ذلكم أولئك هنا هناك هنالك ثمة
    الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي من ما
    كان كانت كانوا يكون تكون يكونوا ليس ليست ليسوا صار أصبح أضحى ظل بات مازال
    كل بعض أي أية أيضا أيضاً جدا فقط حيث حين عندما بينما لذلك لذا
    وفي ومن وإلى وعلى وعن ومع وهو وهي وهم وهذا وهذه وذلك وتلك وقد ولم ولا وما وأن وإن
    وكان وكانت والتي والذي والذين فإن فقد فلا فما فهو فهي ثم كذلك عليه عليها عليهم
    إليه إليها إليهم منه منها منهم فيه فيها فيهم به بها بهم له لها لهم لنا لي
    عنه عنها عنهم معه معها معهم بعضها بعضهم كلها كلهم نفس ذات
    """.split()  # noqa: SIM905 (kept as prose-like data, one word group per line)
)


@cache
def normalized_stop_words() -> frozenset[str]:
    """The stop list in normal form, as the analyzer compares tokens against it."""
    return frozenset(normalize(word) for word in ARABIC_STOP_WORDS)


#: Spellings (diacritics, tatweel and invisible characters removed, letters as written) of
#: content words whose normal form is a stop word's: the name ``علي`` is not ``على``.
CONTENT_SPELLINGS: frozenset[str] = frozenset({"علي"})

#: What :func:`normal_word` removes before comparing with :data:`CONTENT_SPELLINGS`.
_UNWRITTEN = {cp: None for cp, value in NORMALIZATION_TABLE.items() if value is None}


class ContentSpelling(str):
    """The normal form of a word written as a content word although, folded, it is a stop
    word (``علي``): equal to the plain string, but never a stop word."""

    __slots__ = ()


def normal_word(surface: str) -> str:
    """:func:`~indexer.normalize.normalize` of one word as written; a
    :class:`ContentSpelling` when the spelling is in :data:`CONTENT_SPELLINGS`."""
    norm = normalize(surface)
    if norm in normalized_stop_words() and surface.translate(_UNWRITTEN) in CONTENT_SPELLINGS:
        return ContentSpelling(norm)
    return norm


def is_stop_word(norm: str) -> bool:
    """True when the normal form ``norm`` (from :func:`normal_word`) is a stop word."""
    return norm in normalized_stop_words() and norm.__class__ is not ContentSpelling


#: Words that only ask: left out of a query (search/query.py) when it has other words,
#: but indexed like any word (so no index is rebuilt when this list changes). Question
#: words with a preposition or ``ما`` attached, and the run-together ``ماهو``/``ماهي``.
QUESTION_WORDS: tuple[str, ...] = tuple(
    """
    ماهو ماهي ماهم ماذا بماذا لماذا وماذا فماذا لماذ بم لم مم فيم علام حتام
    بمن لمن عمن ممن كيف وكيف متى ومتى أين وأين أينما لأي بأي كم بكم لكم هل وهل
    أما أليس ألا
    """.split()  # noqa: SIM905 (data, one group per line)
)


@cache
def normalized_question_words() -> frozenset[str]:
    """The question words in normal form, as the query parser compares words against them."""
    return frozenset(normalize(word) for word in QUESTION_WORDS)
