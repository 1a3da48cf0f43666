"""The query parser (search/query.py) and date filters (search/dates.py), without an index."""

from datetime import date, datetime, timezone

import pytest

from indexer.normalize import normalize
from search.dates import parse_range, period_end, period_start
from search.errors import QueryError
from search.query import MAX_QUERY_CHARS, MAX_WORDS, parse_query


def kinds(parsed):
    return [[(c.kind, c.words, c.field) for c in group] for group in parsed.groups]


def test_plain_words_are_normalised_groups():
    parsed = parse_query("أحمد  والمدرسةُ")
    assert kinds(parsed) == [[("word", ("احمد",), "any")], [("word", ("والمدرسه",), "any")]]
    assert parsed.has_terms and not parsed.has_constraints


def test_spans_point_into_the_query_text():
    parsed = parse_query('خبر "كرة القدم" title:مهرجان')
    spans = [parsed.text[slice(*c.span)] for c in parsed.clauses]
    assert spans == ["خبر", "كرة القدم", "مهرجان"]


def test_phrase_and_quoted_single_word():
    parsed = parse_query('"كرة القدم" "الحكومة"')
    assert kinds(parsed) == [
        [("phrase", ("كره", "القدم"), "any")], [("exact", ("الحكومه",), "any")]]


@pytest.mark.parametrize("text", ['«كرة القدم»', "“كرة القدم”", '"كرة القدم"'])
def test_typographic_quotes(text):
    assert kinds(parse_query(text)) == [[("phrase", ("كره", "القدم"), "any")]]


@pytest.mark.parametrize("text", ['"كرة القدم', 'كرة القدم"', '"كرة" القدم"', '«كرة القدم'])
def test_an_unbalanced_quote_is_never_strict(text):
    words = [c for c in parse_query(text).clauses if c.kind == "word"]
    assert [c.words for c in words][-1] == ("القدم",)


def test_exclusions_minus_and_not():
    parsed = parse_query('الحكومة -الميزانية NOT الضرائب -"كرة القدم"')
    assert kinds(parsed) == [[("word", ("الحكومه",), "any")]]
    assert [(c.kind, c.words) for c in parsed.excluded] == [
        ("word", ("الميزانيه",)), ("word", ("الضراءب",)), ("phrase", ("كره", "القدم"))]


@pytest.mark.parametrize("operator", ["OR", "أو", "او", "||"])
def test_or_joins_neighbours_into_one_group(operator):
    parsed = parse_query(f"القمح {operator} الذهب الأسعار")
    assert kinds(parsed) == [
        [("word", ("القمح",), "any"), ("word", ("الذهب",), "any")],
        [("word", ("الاسعار",), "any")],
    ]


@pytest.mark.parametrize("text", ["OR", "NOT", "-", "OR OR", "AND", "- - -", '"', ":", "*", "~"])
def test_lone_operators_are_ignored(text):
    parsed = parse_query(text)
    assert not parsed.has_terms and not parsed.has_constraints


def test_fields_and_arabic_aliases():
    parsed = parse_query('title:مهرجان عنوان:"كرة القدم" category:رياضه قسم:ثقافة source:وكالة')
    assert kinds(parsed) == [
        [("word", ("مهرجان",), "title")], [("phrase", ("كره", "القدم"), "title")]]
    assert parsed.categories == ("رياضه", "ثقافة") and parsed.sources == ("وكالة",)


def test_excluded_labels():
    parsed = parse_query("الحكومة -category:رياضة -مصدر:وكالة")
    assert parsed.excluded_labels == (("category", "رياضة"), ("source", "وكالة"))
    assert parsed.categories == () and parsed.has_constraints


def test_unknown_field_is_searched_as_words():
    parsed = parse_query("http://example.org 10:30")
    words = [c.words[0] for c in parsed.clauses]
    assert words == ["http", "example", "org", "10", "30"]


def test_prefix_needs_two_letters_beyond_the_article():
    assert kinds(parse_query("اقتص*")) == [[("prefix", ("اقتص",), "any")]]
    assert kinds(parse_query("الاق*")) == [[("prefix", ("الاق",), "any")]]
    assert parse_query("ا*").clauses[0].kind == "word"
    assert parse_query("الح*").clauses[0].kind == "word"


def test_fuzzy_distance_is_capped_by_word_length():
    assert [(c.kind, c.distance) for c in parse_query("الحكومع~").clauses] == [("fuzzy", 1)]
    assert [(c.kind, c.distance) for c in parse_query("الحكومع~2").clauses] == [("fuzzy", 2)]
    assert [(c.kind, c.distance) for c in parse_query("الحكومع~9").clauses] == [("fuzzy", 2)]
    assert [(c.kind, c.distance) for c in parse_query("قمح~2").clauses] == [("fuzzy", 1)]
    assert [(c.kind, c.distance) for c in parse_query("في~").clauses] == [("word", 0)]


def test_stop_words_are_left_out_unless_alone():
    assert kinds(parse_query("من هو الرئيس")) == [[("word", ("الرءيس",), "any")]]
    only = parse_query("من هو")
    assert only.stop_words_only and [c.words[0] for c in only.clauses] == ["من", "هو"]
    assert not parse_query("الرئيس").stop_words_only


def test_a_quoted_stop_word_is_kept():
    assert kinds(parse_query('"من" الرئيس')) == [
        [("exact", ("من",), "any")], [("word", ("الرءيس",), "any")]]


def test_diacritics_only_is_empty():
    parsed = parse_query("\u064b\u064c\u0651 \u0640\u0640")
    assert not parsed.has_terms and not parsed.has_constraints


def test_long_noise_is_capped():
    parsed = parse_query("كلمة " * 3000)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert sum(len(c.words) for c in parsed.clauses) <= MAX_WORDS


def test_many_phrase_words_are_capped():
    parsed = parse_query('"' + " ".join(f"ب{i}" for i in range(80)) + '"')
    assert len(parsed.clauses[0].words) == MAX_WORDS
    cut = parse_query('"' + " ".join(f"كلمة{i}" for i in range(200)) + '"')  # quote cut off
    assert sum(len(c.words) for c in cut.clauses) <= MAX_WORDS


def test_control_characters_and_surrogates_are_harmless():
    parsed = parse_query("الحكومة\x00\x07\ud800الميزانية\x1bالقمح")
    assert [c.words[0] for c in parsed.clauses] == ["الحكومه", "الميزانيه", "القمح"]


def test_mixed_scripts():
    parsed = parse_query("iPhone الجديد COVID-19")
    assert [c.words[0] for c in parsed.clauses] == ["iphone", "الجديد", "covid", "19"]


# ---------------------------------------------------------------------------- dates


def test_date_filter_ranges():
    parsed = parse_query("الحكومة date:2019..2021")
    assert parsed.date_from == datetime(2019, 1, 1)
    assert parsed.date_to == datetime(2021, 12, 31, 23, 59, 59, 999999)
    months = parse_query("date:2020-01..2020-06")
    assert (months.date_from, months.date_to.date()) == (datetime(2020, 1, 1), date(2020, 6, 30))
    assert months.has_constraints and not months.has_terms


def test_open_and_single_date_filters():
    assert parse_range("..2020") == (None, datetime(2020, 12, 31, 23, 59, 59, 999999))
    assert parse_range("2019..")[1] is None
    assert parse_range("2020-02")[1].date() == date(2020, 2, 29)
    assert parse_range("٢٠٢٠-٠٣-٠٥")[0] == datetime(2020, 3, 5)


@pytest.mark.parametrize(
    "text", ["date:2020-13", "date:2021..2019", "date:2020-02-30", "تاريخ:0000"])
def test_impossible_dates_are_query_errors(text):
    with pytest.raises(QueryError, match="date"):
        parse_query(text)


def test_a_date_word_that_is_not_a_date_is_searched():
    parsed = parse_query("date:yesterday")
    assert [c.words[0] for c in parsed.clauses] == ["yesterday"] and parsed.date_from is None


def test_period_bounds_accept_dates_datetimes_and_strings():
    assert period_start(date(2020, 5, 6)) == datetime(2020, 5, 6)
    assert period_end("2020-05-06").date() == date(2020, 5, 6)
    aware = datetime(2020, 5, 6, 23, 30, tzinfo=timezone.utc).astimezone()
    assert period_start(aware) == datetime(2020, 5, 6)
    assert period_start("2020-05-06T10:00:00+00:00") == datetime(2020, 5, 6)
    with pytest.raises(QueryError, match="date_from"):
        period_start("next week")
    with pytest.raises(QueryError):
        period_start(20200506)


@pytest.mark.parametrize("word", ["أم", "الأم", "عم"])
def test_content_words_that_fold_onto_particles_are_kept(word):
    parsed = parse_query(f"{word} الطفل")
    assert [c.words for group in parsed.groups for c in group] == [
        (normalize(word),), ("الطفل",)]


def test_a_lone_digit_or_latin_letter_is_a_query_word():
    words = [c.words for group in parse_query("الجيل 5 فيتامين c و").groups for c in group]
    assert words == [("الجيل",), ("5",), ("فيتامين",), ("c",)]


def test_the_name_ali_stays_a_query_word_the_stop_word_ala_does_not() -> None:
    def words(q: str) -> list[str]:
        return [c.words[0] for c in parse_query(q).clauses]

    assert words("علي بن أبي طالب") == ["علي", "بن", "ابي", "طالب"]
    assert words("عَلِيّ بن أبي طالب")[0] == "علي"
    assert words("على الطاولة") == ["الطاوله"]
    assert words("الأم أم كلثوم عم") == ["الام", "ام", "كلثوم", "عم"]


def required_words(parsed):
    return [parsed.groups[i][0].words[0] for i in parsed.required]


@pytest.mark.parametrize("text", ["الحكومة AND الميزانية", "الحكومة && الميزانية",
                                  "+الحكومة +الميزانية"])
def test_and_and_plus_make_words_required(text):
    parsed = parse_query(text)
    assert required_words(parsed) == ["الحكومه", "الميزانيه"] and not parsed.excluded


def test_plus_requires_only_its_word_and_survives_dropped_stop_words():
    parsed = parse_query('في +الميزانية الحكومة +"كرة القدم"')
    assert kinds(parsed)[0] == [("word", ("الميزانيه",), "any")]
    assert [parsed.groups[i][0].words for i in parsed.required] == [
        ("الميزانيه",), ("كره", "القدم")]


def test_the_letter_waw_is_not_and():
    parsed = parse_query("القمح و الذهب")
    assert parsed.required == () and len(parsed.groups) == 2


def test_a_lone_and_requires_nothing_it_cannot_join():
    assert parse_query("AND الذهب").required == ()
    assert kinds(parse_query("AND")) == []


def test_laysa_excludes_the_next_word_like_not():
    parsed = parse_query("ليس الحكومة الميزانية")
    assert [c.words for c in parsed.excluded] == [("الحكومه",)]
    assert kinds(parsed) == [[("word", ("الميزانيه",), "any")]]
    assert [c.words for c in parse_query("الميزانية ليس -الحكومة").excluded] == [("الحكومه",)]


def test_laysa_alone_or_quoted_is_searched_as_typed():
    assert kinds(parse_query("ليس")) == [[("word", ("ليس",), "any")]]
    assert kinds(parse_query('"ليس لدي"')) == [[("phrase", ("ليس", "لدي"), "any")]]
    assert kinds(parse_query("ليس كل")) == [[("word", ("ليس",), "any")],
                                            [("word", ("كل",), "any")]]
    sentence = parse_query("ليس كل شيء")  # before a stop word: a word of the sentence
    assert kinds(sentence) == [[("word", (normalize("شيء"),), "any")]] and not sentence.excluded
    trailing = parse_query("الحكومة ليس")
    assert kinds(trailing) == [[("word", ("الحكومه",), "any")]] and not trailing.excluded
