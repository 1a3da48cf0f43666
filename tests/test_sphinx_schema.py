"""The Sphinx backend's pieces that need no server: tokens, ids and shards, the node
configuration, the ranking expression."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from indexer.sphinx.config import NodePorts, node_config
from indexer.sphinx.schema import CHARSET_TABLE, doc_id, shard_of, token
from search.sphinx.ranking import ranking_options

#: The characters CHARSET_TABLE keeps inside a token.
KEPT = re.compile(r"[0-9a-z_\u0621-\u064a\u0660-\u0669\u0671-\u06d3]+")


def test_tokens_stay_whole_in_sphinx():
    assert token("الحكومة", "x_") == "x_الحكومة"
    assert token("covid19") == "covid19"
    for word in ("café", "پژوهش", "mañana", "日本", "ۀ"):
        escaped = token(word, "t_")
        assert KEPT.fullmatch(escaped), escaped
        assert escaped != token(word + "x", "t_")
    assert token("é") != token("e9")  # an escape cannot be confused with a word
    assert "U+0621..U+064A" in CHARSET_TABLE and "_" in CHARSET_TABLE


def test_ids_and_shards_are_stable_and_spread():
    assert doc_id("AL-culture-1") == doc_id("AL-culture-1") > 0
    assert doc_id("a") < 2**63 and doc_id("a") != doc_id("b")
    counts = Counter(shard_of(f"article-{n}", 3) for n in range(3000))
    assert set(counts) == {0, 1, 2} and min(counts.values()) > 900
    assert shard_of("article-7", 3) == shard_of("article-7", 3)


def test_every_node_declares_both_slots_and_reaches_the_others(tmp_path: Path):
    nodes = [NodePorts("127.0.0.1", 9306, 9312), NodePorts("127.0.0.1", 9307, 9313)]
    config = node_config("news", 0, nodes, tmp_path)
    for table in ("news_a", "news_b", "news_a_all", "news_b_all", "news_dict_a",
                  "news_dict_b", "news_meta"):
        assert f"index {table}\n" in config
    assert "agent = 127.0.0.1:9313:news_a" in config
    assert "agent = 127.0.0.1:9312" not in config  # not itself
    assert "listen = 127.0.0.1:9306:mysql41" in config
    assert "morphology" not in config and "stopwords" not in config
    assert f"pid_file = {tmp_path / 'searchd.pid'}" in config


def test_the_ranking_expression_carries_bm25_and_the_bonuses():
    record = {"articles": 1000, "shards": 2,
              "avg_lengths": {"content": 200, "title": 8, "lead": 30, "exact": 260}}
    two_words = ranking_options(record, 2, 2, True)
    assert "ranker=expr(" in two_words and "idf='plain,tfidf_unnormalized'" in two_words
    assert "content_len/200.000000" in two_words and "+1000*(" in two_words
    assert "field_weights=(content=1, title=2, lead=3, exact=4)" in two_words
    assert "+1000*(" not in ranking_options(record, 3, 3, True)  # three words: no all-words
    assert "word_count,0)" not in ranking_options(record, 1, 1, True)  # one word: no coverage


def test_the_name_ali_is_a_token_and_the_preposition_is_not():
    from indexer.duplicates import CopyMarker
    from indexer.lexicon import Lexicon
    from indexer.sources import Article
    from indexer.sphinx.schema import article_row
    from indexer.stopwords import normalized_stop_words
    from indexer.words import WordAnalysis

    words = WordAnalysis(Lexicon({}, normalized_stop_words()))
    article = Article(id="n1", title="الشاعر علي", body="جلس علي على المقعد.", date=None,
                      category=None, source=None, url=None, origin="test")
    row = article_row(article, words, CopyMarker())
    content = row.values["content"]
    assert isinstance(content, str)
    stem = token(words.form("علي")[1])
    # the name twice (title and body), as the Whoosh side indexes it; the preposition left out
    assert content.split().count(stem) == 2, content
    assert content.split() == [token(words.form(w)[1]) for w in
                               ("الشاعر", "علي", "جلس", "علي", "المقعد")]
