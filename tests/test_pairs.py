"""The word pairs a build collects (indexer/pairs.py): counted, bounded, stored and read."""

from __future__ import annotations

import json

import pytest

from indexer.paircount import PairCounter
from indexer.pairs import MAX_FOLLOWERS, MIN_ARTICLES, PAIRS_FILE, PairTable
from indexer.stopwords import normalized_stop_words
from indexer.words import surfaces


def counted(*texts: str, live: int | None = None) -> PairTable:
    counter = PairCounter(normalized_stop_words()) if live is None else \
        PairCounter(normalized_stop_words(), live=live)
    for text in texts:
        counter.add(surfaces(text))
    return counter.table()


def test_pairs_count_articles_in_normal_form():
    table = counted(*["ارتفعت أسعار النفط وأسعار النفط"] * 3, "أسعار النفط")
    assert table.count("اسعار", "النفط") == 4  # once an article, alef folded
    assert table.followers("اسعار") == [("النفط", 4)]
    assert table.followers("غائب") == [] and table.count("النفط", "اسعار") == 0


def test_rare_pairs_and_stop_words_make_no_pairs():
    table = counted(*["وصل الوفد إلى المدينة 2020 صباحا"] * MIN_ARTICLES, "خبر نادر")
    assert table.count("وصل", "الوفد") == MIN_ARTICLES
    assert table.count("الوفد", "المدينه") == 0  # إلى stands between them
    assert table.count("المدينه", "صباحا") == 0  # a number breaks the pair
    assert table.count("خبر", "نادر") == 0  # one article only


def test_each_word_keeps_its_most_frequent_followers():
    texts = [f"كلمة تابع{chr(0x0627 + i % 20)}{i // 20}" for i in range(3 * (MAX_FOLLOWERS + 10))]
    table = counted(*(texts * MIN_ARTICLES))
    assert len(table.followers("كلمه")) == MAX_FOLLOWERS


def test_counting_stays_within_its_bound():
    texts = [f"أول{i} ثان{i}" for i in range(300)] + ["أسعار النفط"] * 5
    table = counted(*texts, live=100)
    assert table.count("اسعار", "النفط") == 5 and len(table) == 1


def test_the_table_survives_its_file_and_refuses_a_bad_one(tmp_path):
    table = counted(*["أسعار النفط", "أسعار الذهب", "أسعار النفط"] * 3)
    table.save(tmp_path)
    again = PairTable.load(tmp_path)
    assert again.followers("اسعار") == table.followers("اسعار") == [("النفط", 6), ("الذهب", 3)]
    (tmp_path / PAIRS_FILE).write_text("اسعار\tالنفط\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        PairTable.load(tmp_path)


def test_a_build_stores_its_pairs_and_an_older_index_must_be_rebuilt(tmp_path):
    from indexer import build_index
    from indexer.errors import IndexMismatch
    from search import Searcher

    corpus = tmp_path / "a.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "title": "نهائي كرة القدم",
                                          "body": f"مباراة رقم {i}", "date": f"2020-01-0{i}"},
                                         ensure_ascii=False) + "\n" for i in range(1, 5)),
                      encoding="utf-8")
    build_index([corpus], tmp_path / "index")
    (generation,) = [p for p in (tmp_path / "index").iterdir() if (p / PAIRS_FILE).exists()]
    assert PairTable.load(generation).count("كره", "القدم") == 4
    meta = json.loads((generation / "fahras.json").read_text(encoding="utf-8"))
    (generation / "fahras.json").write_text(json.dumps({**meta, "schema_version": 5}),
                                            encoding="utf-8")
    with pytest.raises(IndexMismatch, match="rebuild"):
        Searcher(tmp_path / "index")


def test_a_table_read_from_its_file_finds_every_line_where_it_lies(tmp_path):
    texts = [f"كلمة{i} تالية{i % 7}" for i in range(60)] * MIN_ARTICLES + ["أسعار النفط"] * 4
    table = counted(*texts)
    table.save(tmp_path)
    mapped = PairTable.load(tmp_path)
    words = sorted(table._lines)
    assert len(words) > 50
    for word in words:
        assert mapped.followers(word) == table.followers(word), word
    for missing in ("", "ا", "كلمة", "كلمة٩٩", "ي" * 5, words[0] + "x", words[-1] + "x"):
        assert mapped.followers(missing) == table.followers(missing) == []
    assert len(mapped) == len(table) and mapped.dumps() == table.dumps()
    assert mapped.count("اسعار", "النفط") == 4


def test_a_damaged_pairs_file_is_refused_when_read(tmp_path):
    table = counted(*[f"كلمة{i} تالية" for i in range(9)] * MIN_ARTICLES)
    table.save(tmp_path)
    path = tmp_path / PAIRS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines)[:-3], encoding="utf-8")
    with pytest.raises(ValueError, match="cut short"):
        PairTable.load(tmp_path)
    broken = lines[4].split("\t")[0]
    lines[4] = broken + "\tتالية\n"
    path.write_text("".join(lines), encoding="utf-8")
    mapped = PairTable.load(tmp_path)  # the ends read well; the broken line when looked up
    assert mapped.followers(lines[3].split("\t")[0])
    with pytest.raises(ValueError, match="not a line of word pairs"):
        mapped.followers(broken)
    path.write_bytes(b"")
    assert PairTable.load(tmp_path).followers("كلمه1") == []


def test_a_table_read_from_its_file_reads_it_whole_after_many_look_ups(tmp_path):
    from indexer.pairs import MAPPED_LOOKUPS

    table = counted(*[f"كلمة{i} تالية{i % 5}" for i in range(40)] * MIN_ARTICLES)
    table.save(tmp_path)
    mapped = PairTable.load(tmp_path)
    words = sorted(table._lines)
    asked = [words[i % len(words)] for i in range(MAPPED_LOOKUPS - 1)] + ["لا توجد"]
    for word in asked:
        assert mapped.followers(word) == table.followers(word)
    assert not isinstance(mapped._lines, dict)  # all answered where they lie so far
    for word in [*words, "لا توجد", ""]:
        assert mapped.followers(word) == table.followers(word), word
    assert isinstance(mapped._lines, dict) and mapped.dumps() == table.dumps()
