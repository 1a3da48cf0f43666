"""Hostile queries: thousands of generated queries never break the API or the search page.

Hypothesis writes queries out of random Unicode (surrogates excepted), Arabic words, every
operator of the query language (``AND OR NOT - " * ~ ( ) :`` and their Arabic forms), field
names (``title: category: date:``…), huge numbers, impossible dates, directional marks,
diacritics, tatweel, control characters, and strings up to and well past the length limit.
Each query goes to ``/api/search`` or to the search page ``/`` of an app in production mode
(not testing, exceptions not propagated) through the Flask test client, and:

* the answer is never a 5xx;
* the API answers 200 with a search page or 400 ``bad_parameter``, always in the one envelope;
* the page answers 200 or 400 in HTML, with the query escaped (no markup of it shows);
* every request takes less than 2 seconds, measured around the call.

``FAHRAS_HOSTILE_QUERIES`` sets how many queries are fired in all (default 10,000, half at
each surface); queries go in batches of :data:`BATCH` per Hypothesis example, and each test
checks at the end that its share was really fired.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web import close_searcher, create_app

TOTAL = int(os.environ.get("FAHRAS_HOSTILE_QUERIES", "10000"))
BATCH = 10
PER_SURFACE = TOTAL // 2
EXAMPLES = max(1, -(-PER_SURFACE // BATCH))
MAX_SECONDS = 2.0

WORDS = ["الحكومة", "الميزانية", "كرة", "القدم", "المنتخب", "أحمد", "إلى", "الى", "مستشفى",
         "٢٠٢٤", "۲۰۲۴", "ال", "و", "في", "اقتص", "مريب", "الحُكُومَةُ", "الحكـــومة", "ﻻ",
         "iPhone", "Apple", "script", "&amp;", "<b>", "</script>", "%00", "%s", "{0}", "$(id)"]
OPERATORS = ["AND", "OR", "NOT", "and", "or", "not", "أو", "ليس", "-", "+", '"', "'", "*",
             "?", "~", "~2", "~99", "(", ")", "((", "))", ":", "::", "^", "^2", "[", "]",
             "{", "}", "TO", "..", "\\", "/", "|", "&", "!", "=", "<", ">", "«", "»", "،"]
FIELDS = ["title:", "category:", "date:", "source:", "عنوان:", "قسم:", "مصدر:", "تاريخ:",
          "id:", "body:", "content:", "content_exact:", "year:", "url:", "fingerprint:",
          "timestamp:", "*:", "TITLE:", "Title:"]
DATES = ["2020", "2019..2021", "..2020", "2020..", "2020-13", "2021..2019", "0000", "9999-99-99",
         "2020-02-30", "1..99999999999999999999", "-5", "2020-01..2020-06", "..", "٢٠١٩"]
MARKS = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
         "\u2067", "\u2068", "\u2069", "\u061c", "\ufeff", "\u200b", "\u200c", "\u200d",
         "\u0640", "\u064b", "\u0651", "\u0670", "\u00ad", "\u034f", "\ufff9", "\U000e0001"]
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufffd"]

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
huge_number = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["1e308", "-1e309", "NaN", "inf", "0x7fffffff", "٩" * 30, "9" * 400]),
)
word = st.one_of(st.sampled_from(WORDS), st.text(st.characters(
    min_codepoint=0x0621, max_codepoint=0x0670), min_size=1, max_size=12))
token = st.one_of(
    word,
    st.sampled_from(OPERATORS),
    st.builds(lambda f, w: f + w, st.sampled_from(FIELDS), word | unicode_text),
    st.builds(lambda f, d: f + d, st.sampled_from(["date:", "تاريخ:"]),
              st.sampled_from(DATES) | huge_number),
    st.builds(lambda w, n: f"{w}~{n}", word, huge_number),
    st.builds(lambda w, s: w + s, word, st.sampled_from(["*", "**", "*~", "~*", "?"])),
    st.builds(lambda w: f'"{w}', word),
    st.builds(lambda a, b: f'"{a} {b}"', word, word),
    st.builds(lambda a, b: f"-{a} NOT {b}", word, word),
    huge_number,
    st.sampled_from(MARKS),
    st.sampled_from(CONTROLS),
    unicode_text,
)
separator = st.sampled_from([" ", "", "  ", "\t", "\n", "\u00a0", "\u3000", "+", "\u200f"])


@st.composite
def composed(draw) -> str:
    tokens = draw(st.lists(token, max_size=30))
    return "".join(t + draw(separator) for t in tokens)


@st.composite
def long_query(draw) -> str:
    """Around the length limit (500) and far beyond it."""
    length = draw(st.sampled_from([499, 500, 501, 999, 1000, 1001, 4000, 20000]))
    unit = draw(st.sampled_from(["ا", "الحكومة ", "a ", '"', "(", "*", "~", "- ", "كرة~ ",
                                 "title:", "\u200f", "ـ", "date:2020 "]))
    return (unit * (length // len(unit) + 1))[:length]


query = st.one_of(composed(), unicode_text, long_query(), st.just(""))
batch = st.lists(query, min_size=BATCH, max_size=BATCH)
HYPOTHESIS_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def production_client(web_index):
    app = create_app({"FAHRAS_INDEX_DIR": str(web_index)})
    assert not app.testing and not app.config["PROPAGATE_EXCEPTIONS"]
    yield app.test_client()
    close_searcher(app)


def timed_get(client, path: str, q: str):
    started = time.perf_counter()
    response = client.get(path, query_string={"q": q})
    elapsed = time.perf_counter() - started
    assert elapsed < MAX_SECONDS, f"{elapsed:.2f} s for {q[:200]!r}"
    assert response.status_code < 500, (q[:200], response.get_data(as_text=True)[:500])
    return response


def check_api(response, q: str) -> None:
    assert response.mimetype == "application/json", q[:200]
    data = response.get_json()
    if response.status_code == 200:
        assert data["ok"] is True, data
        assert isinstance(data["total"], int) and data["total"] >= 0
        assert isinstance(data["hits"], list) and len(data["hits"]) <= data["per_page"]
        assert data["total"] >= len(data["hits"])
        assert set(data["facets"]) == {"category", "source", "year"}
        assert isinstance(data["timed_out"], bool)
    else:
        assert response.status_code == 400, (q[:200], data)
        assert data["ok"] is False and set(data) == {"ok", "error"}, data
        assert data["error"]["code"] == "bad_parameter", data
        assert isinstance(data["error"]["message"], str) and data["error"]["message"]


def check_page(response, q: str) -> None:
    assert response.status_code in (200, 400), q[:200]
    assert response.mimetype == "text/html", q[:200]
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and 'dir="rtl"' in html
    assert html.count("<script") == 1, q[:200]  # only the page's own script tag
    for markup in ("<b>", "</script>", "<img", "<svg"):
        if markup in q:
            assert markup not in html.split("</head>", 1)[1], (markup, q[:200])


def test_api_survives_hostile_queries(production_client):
    fired = []

    @HYPOTHESIS_SETTINGS
    @given(batch)
    def fire(queries):
        for q in queries:
            check_api(timed_get(production_client, "/api/search", q), q)
            fired.append(q)

    fire()
    assert len(fired) >= PER_SURFACE


def test_search_page_survives_hostile_queries(production_client):
    fired = []

    @HYPOTHESIS_SETTINGS
    @given(batch)
    def fire(queries):
        for q in queries:
            check_page(timed_get(production_client, "/", q), q)
            fired.append(q)

    fire()
    assert len(fired) >= PER_SURFACE


@pytest.mark.parametrize("q", [
    "(" * 300 + "الحكومة" + ")" * 300,
    '"' * 501,
    "الحكومة~" + "9" * 450,
    "date:" + "9" * 490,
    " OR ".join(["الحكومة"] * 100),
    "*" * 500,
    "ا*" * 250,
    "title:" * 80,
    "\x00" * 500,
    "\u202e" * 500 + "الحكومة",
    "ـ" * 499 + "ا",
    "NOT " * 120,
    "-" * 500,
])
def test_known_nasty_queries(production_client, q):
    for path, check in (("/api/search", check_api), ("/", check_page)):
        check(timed_get(production_client, path, q), q)
