"""Highlighting (search/highlight.py): matches on the original text, snippets, escaping."""

import dataclasses
import html
import re

from indexer.lexicon import Lexicon
from indexer.stopwords import normalized_stop_words
from indexer.words import WordAnalysis
from search.highlight import (
    SNIPPET_CHARS,
    HighlightTerms,
    find_matches,
    highlight_text,
    paragraphs_html,
    snippet,
)

#: The analysis of an index without counts: proclitics with the article only.
ANALYSIS = WordAnalysis(Lexicon({}, normalized_stop_words()))


def word_terms(*words):
    """What a query of plain (normalised) words highlights."""
    return HighlightTerms(words=frozenset(words), stems=frozenset(ANALYSIS.stem(w) for w in words),
                          analysis=ANALYSIS)


def marked(h):
    return [h.text[s:e] for s, e in h.matches]


def plain(html_text):
    return html.unescape(re.sub(r"</?mark>", "", html_text))


def test_vocalised_words_are_marked_as_written():
    h = highlight_text("حَصَلَ الطّالِبُ على الجائزةِ", word_terms("الطالب"))
    assert marked(h) == ["الطّالِبُ"]
    assert h.html == "حَصَلَ <mark>الطّالِبُ</mark> على الجائزةِ"


def test_stems_mark_other_forms_of_the_word():
    h = highlight_text("الطالبة والطالب بالطالب كتاب", word_terms("الطالب"))
    assert marked(h) == ["الطالبة", "والطالب", "بالطالب"]


def test_stop_words_and_bare_article_are_never_marked_alone():
    h = highlight_text("ذهب من البيت إلى ال مدرسة", word_terms("من", "ال", "الى", "البيت"))
    assert marked(h) == ["البيت"]


def test_phrases_are_marked_whole_stop_words_included():
    terms = HighlightTerms(phrases=(("في", "المدرسه"),), analysis=ANALYSIS)
    h = highlight_text("درس في المدرسة ثم في البيت والمدرسة", terms)
    assert marked(h) == ["في المدرسة"]


def test_prefixes_are_marked():
    terms = HighlightTerms(prefixes=("اقتص", "الاقتص"), analysis=ANALYSIS)
    h = highlight_text("نمو الاقتصاد واقتصادي قوي", terms)
    assert marked(h) == ["الاقتصاد"]


def test_hostile_text_is_escaped():
    text = '<script>alert("x")</script> الحكومة <img src=x onerror="alert(1)"> & more'
    h = highlight_text(text, word_terms("الحكومه"))
    assert "<script>" not in h.html and "<img" not in h.html
    assert "&lt;script&gt;" in h.html and "onerror=&quot;alert(1)&quot;" in h.html
    assert "<mark>الحكومة</mark>" in h.html and "&amp; more" in h.html
    assert plain(h.html) == h.text


def test_snippet_window_picks_the_densest_matches():
    cluster = "الحكومة تناقش الميزانية مع الحكومة "
    body = ("كلام عام " * 60) + cluster + ("حشو آخر " * 60) + "الحكومة"
    h = snippet(body, word_terms("الحكومه", "الميزانيه"))
    assert marked(h) == ["الحكومة", "الميزانية", "الحكومة"]
    assert h.text.startswith("… ") and h.text.endswith(" …")
    assert len(h.text) <= SNIPPET_CHARS + 2 * 32
    assert plain(h.html) == h.text


def test_snippet_cuts_on_word_boundaries():
    before = " ".join(f"كلمة{i}" for i in range(200))
    body = before + " الهدف " + " ".join(f"نص{i}" for i in range(200))
    h = snippet(body, word_terms("الهدف"))
    words = set(body.split())
    inner = h.text.removeprefix("… ").removesuffix(" …").split(" ")
    assert all(word in words for word in inner)
    assert marked(h) == ["الهدف"]


def test_snippet_without_matches_is_the_beginning():
    h = snippet("سطر أول\n\nسطر   ثان " + "حشو " * 100, word_terms("غائب"))
    assert h.matches == () and h.text.startswith("سطر أول سطر ثان")
    assert h.text.endswith(" …")


def test_short_text_snippet_is_whole_without_ellipsis():
    h = snippet("فاز الفريق.", word_terms("الفريق"))
    assert h.text == "فاز الفريق." and marked(h) == ["الفريق"]


def test_snippet_offsets_survive_collapsed_white_space():
    h = snippet("الخبر\n\n   عن   الحكومة\tاليوم", word_terms("الحكومه"))
    assert h.text == "الخبر عن الحكومة اليوم" and marked(h) == ["الحكومة"]


def test_huge_word_without_spaces_is_cut():
    h = snippet("ب" * 5000 + " الحكومة", word_terms("الحكومه"))
    assert len(h.text) < 400


def test_paragraphs_are_escaped_and_marked():
    text = "الفقرة <b>الأولى</b> عن الحكومة\n\n\nالفقرة الثانية"
    out = paragraphs_html(text, word_terms("الحكومه"))
    assert out == ("<p>الفقرة &lt;b&gt;الأولى&lt;/b&gt; عن <mark>الحكومة</mark></p>\n"
                   "<p>الفقرة الثانية</p>")


def test_no_terms_no_marks():
    assert find_matches("الحكومة", HighlightTerms()) == []
    assert highlight_text("<i>", HighlightTerms()).html == "&lt;i&gt;"


def test_hurried_marks_analyse_no_word_and_mark_the_known_ones():
    analysis = WordAnalysis(Lexicon({}, normalized_stop_words()))
    terms = HighlightTerms(words=frozenset({"المطر"}), stems=frozenset({analysis.stem("المطر")}),
                           analysis=analysis)
    text = "هطل المطر على المدينة وتوقف المطر مساء"
    assert marked(highlight_text(text, terms, hurried=True)) == []  # nothing known yet
    assert marked(highlight_text(text, terms)) == ["المطر", "المطر"]  # analysed now
    assert marked(highlight_text(text, terms, hurried=True)) == ["المطر", "المطر"]
    fresh = "سقط المطر على القرية"  # القرية and سقط never seen: skipped, not analysed
    assert marked(snippet(fresh, terms, hurried=True)) == ["المطر"]
    known = analysis.word_forms(fresh, known_only=True)
    # على was seen, but not stemmed: it lacks the letters of مطر, so it cannot be a form of it
    assert [fresh[start:end] for start, end, *_ in known] == ["المطر"]


def test_a_hurried_snippet_looks_in_the_opening_only():
    from search.highlight import HURRIED_SCAN

    long_text = "خبر " * (HURRIED_SCAN // 4 + 50) + "الطالب"
    ANALYSIS.form("الطالب")
    assert marked(snippet(long_text, word_terms("الطالب"))) == ["الطالب"]
    assert marked(snippet(long_text, word_terms("الطالب"), hurried=True)) == []


def test_words_left_unstemmed_at_first_sight_lose_no_match():
    """An analysis stems only the words that hold a sought stem's letters, on the first pass
    and on the next (the words left unstemmed are remembered as normal forms): both mark the
    spans a full analysis marks."""
    from pathlib import Path

    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    texts = [path.read_text("utf-8") for path in seeds]
    for words in (["الحكومة", "المدينة"], ["الأمطار"], ["المباراة", "الفريق", "النهائي"],
                  ["أسعار", "الهواتف"], ["التحالف", "الإرهابية"]):
        analysis = WordAnalysis(Lexicon({}, normalized_stop_words()))
        norms = [analysis.form(w)[0] for w in words]
        terms = HighlightTerms(words=frozenset(norms),
                               stems=frozenset(analysis.stem(n) for n in norms),
                               analysis=analysis)
        first = [find_matches(text, terms) for text in texts]
        assert analysis._norms  # some words were left unstemmed
        assert first == [find_matches(text, terms) for text in texts], words
        assert any(first), words
        full = WordAnalysis(Lexicon({}, normalized_stop_words()))
        for text in texts:
            full.forms(text)  # every word stemmed and remembered
        every = dataclasses.replace(terms, analysis=full)
        assert first == [find_matches(text, every) for text in texts], words
