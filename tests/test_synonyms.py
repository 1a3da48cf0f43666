"""Synonyms the user keeps (search/synonyms.py): the file, its errors, reloading, and searches
on both backends (a Whoosh folder and a 2-node Sphinx cluster of tests/conftest.py's
SEARCH_ARTICLES)."""

from __future__ import annotations

import os

import pytest

from search import Searcher
from search.query import parse_query
from search.synonyms import Synonyms, SynonymsError, load_synonyms, parse_rules

RULES = """# budgets and football
الموازنة = الميزانية
الساحرة المستديرة = كرة القدم   # a phrase for a phrase

جوال = هاتف محمول = موبايل
"""


def groups(parsed):
    return [[(c.kind, c.words) for c in group] for group in parsed.groups]


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_each_side_stands_for_the_others_in_normal_form():
    rules = parse_rules(RULES).others
    assert rules[("الموازنه",)] == (("الميزانيه",),)
    assert rules[("الميزانيه",)] == (("الموازنه",),)
    assert rules[("موبايل",)] == (("جوال",), ("هاتف", "محمول"))
    assert rules[("كره", "القدم")] == (("الساحره", "المستديره"),)


@pytest.mark.parametrize(("text", "message"), [
    ("الموازنة = الميزانية\nداعش\n", "line 2: 'داعش' is not a rule"),
    ("\n\nجوال = \n", "line 3: a side of the rule is empty"),
    ("جوال = ؟؟\n", "line 1: '؟؟' has no words"),
    ("# comment\nجوال = جوّال\n", "line 2: both sides are the same words"),
])
def test_a_bad_line_is_named_by_its_number(text, message, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SynonymsError, match=message) as raised:
        Synonyms(path)
    assert str(path) in str(raised.value)


def test_a_missing_or_binary_file_is_a_clear_error(tmp_path):
    with pytest.raises(SynonymsError, match="cannot read the synonym file"):
        Synonyms(tmp_path / "absent.txt")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00=")
    with pytest.raises(SynonymsError, match="is not UTF-8"):
        Synonyms(tmp_path / "binary.txt")


def test_the_setting_names_the_file(rules_file, monkeypatch):
    monkeypatch.setenv("FAHRAS_SYNONYMS", str(rules_file))
    assert load_synonyms().path == rules_file
    assert load_synonyms("").path is None  # an explicit "none", as the web app passes it
    monkeypatch.delenv("FAHRAS_SYNONYMS")
    assert load_synonyms().rules().others == {}


def test_a_word_gains_the_other_sides_as_alternatives(rules_file):
    expanded = Synonyms(rules_file).expand(parse_query("جوال +الموازنة -موبايل"))
    assert groups(expanded) == [
        [("word", ("جوال",)), ("phrase", ("هاتف", "محمول")), ("word", ("موبايل",))],
        [("word", ("الموازنه",)), ("word", ("الميزانيه",))]]
    assert expanded.required == (1,)
    assert [c.words for c in expanded.excluded] == [("موبايل",), ("جوال",), ("هاتف", "محمول")]


def test_each_word_of_a_loose_run_that_is_a_side_matches_the_other_sides(rules_file):
    expanded = Synonyms(rules_file).expand(parse_query("اخبار كرة +القدم اليوم"))
    other = ("phrase", ("الساحره", "المستديره"))
    assert groups(expanded) == [
        [("word", ("اخبار",))], [("word", ("كره",)), other], [("word", ("القدم",)), other],
        [("word", ("اليوم",))]]
    assert expanded.required == (2,)
    assert expanded.text[slice(*expanded.groups[1][1].span)] == "كرة +القدم"


def test_a_quoted_word_or_other_words_are_left_alone(rules_file):
    synonyms = Synonyms(rules_file)
    for text in ('"الموازنة"', "الموازنات", "هاتف", "title:كرة"):
        assert synonyms.expand(parse_query(text)) == parse_query(text)


def test_a_changed_file_is_read_again_and_a_broken_one_keeps_the_last_rules(rules_file,
                                                                             caplog):
    synonyms = Synonyms(rules_file)
    assert ("جوال",) in synonyms.rules().others
    rules_file.write_text("تلفاز = تلفزيون\n", encoding="utf-8")
    os.utime(rules_file, ns=(1, 1))  # a new stamp even within the clock's resolution
    assert set(synonyms.rules().others) == {("تلفاز",), ("تلفزيون",)}
    rules_file.write_text("تلفاز = تلفزيون\nتلفاز\n", encoding="utf-8")
    assert set(synonyms.rules().others) == {("تلفاز",), ("تلفزيون",)}
    assert "line 2" in (synonyms.problem or "") and "line 2" in caplog.text
    rules_file.write_text("راديو = مذياع\n", encoding="utf-8")
    assert set(synonyms.rules().others) == {("راديو",), ("مذياع",)}
    assert synonyms.problem is None


@pytest.fixture(scope="module", params=["whoosh", "sphinx"])
def address(request, search_index):
    if request.param == "whoosh":
        return search_index
    return request.getfixturevalue("search_cluster").address


def ids(page) -> set[str]:
    return {hit.id for hit in page.hits}


def test_synonyms_find_either_side_on_both_backends(address, rules_file):
    with Searcher(address, synonyms=rules_file) as searcher:
        assert ids(searcher.search("الموازنة")) == {"s01", "s03"}
        assert ids(searcher.search("الساحرة المستديرة")) == {"s04"}  # the phrase's article
        loose = searcher.search("كرة القدم")  # the words apart still found, the phrase first
        assert ids(loose) == {"s04", "s05"} and loose.hits[0].id == "s04"
        assert ids(searcher.search("الحكومة -الموازنة")) == {"s02", "s10", "s11"}
        marked = searcher.search("الموازنة").hits[0]
        assert "<mark>" in marked.title_highlight.html + marked.snippet.html
        assert [aid for aid, _ in searcher.rank("الموازنة")][:1] in (["s01"], ["s03"])
    with Searcher(address) as plain:
        assert plain.search("الموازنة").total == 0


def test_a_rule_added_while_searching_applies_at_the_next_search(address, tmp_path):
    path = tmp_path / "later.txt"
    path.write_text("# none yet\n", encoding="utf-8")
    with Searcher(address, synonyms=path) as searcher:
        assert searcher.search("الموازنة").total == 0
        path.write_text("الموازنة = الميزانية\n", encoding="utf-8")
        assert ids(searcher.search("الموازنة")) == {"s01", "s03"}


def test_the_web_app_reads_the_setting(search_index, rules_file, monkeypatch):
    from web import close_searcher, create_app

    monkeypatch.setenv("FAHRAS_SYNONYMS", str(rules_file))
    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(search_index)})
    try:
        found = app.test_client().get("/api/search", query_string={"q": "الموازنة"}).get_json()
        assert {hit["id"] for hit in found["hits"]} == {"s01", "s03"}
    finally:
        close_searcher(app)


def test_fahras_search_takes_a_synonym_file(search_index, rules_file):
    from click.testing import CliRunner

    from search.cli import main

    args = ["الموازنة", "--index-dir", str(search_index), "--json"]
    plain = CliRunner().invoke(main, args)
    with_rules = CliRunner().invoke(main, [*args, "--synonyms", str(rules_file)])
    assert '"total": 0' in plain.output and '"total": 2' in with_rules.output
    broken = rules_file.parent / "broken.txt"
    broken.write_text("جوال\n", encoding="utf-8")
    failed = CliRunner().invoke(main, [*args, "--synonyms", str(broken)])
    assert failed.exit_code == 1 and "line 1" in failed.output


def test_fahras_web_refuses_to_start_on_a_bad_synonym_file(search_index, tmp_path):
    from click.testing import CliRunner

    from web.cli import main

    broken = tmp_path / "broken.txt"
    broken.write_text("الموازنة = الميزانية\n= هاتف\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--index-dir", str(search_index), "--workers", "1"],
                                env={"FAHRAS_SYNONYMS": str(broken)})
    assert result.exit_code == 1 and "line 2: a side of the rule is empty" in result.output
