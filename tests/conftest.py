"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Default location of the shared data (corpora, relevance test collections): a sibling of the
#: repository, ``../shared/data``. The FAHRAS_DATA_DIR environment variable overrides it.
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data root (``<root>/eval/<set>/...``); skips the test when it is absent."""
    override = os.environ.get("FAHRAS_DATA_DIR")
    root = Path(override).expanduser() if override else DEFAULT_SHARED_DATA
    if not root.is_dir():
        if override:
            why = "FAHRAS_DATA_DIR names no directory"
        else:
            why = "no such directory (set FAHRAS_DATA_DIR to the data root)"
        pytest.skip(f"shared data not found at {root}: {why}")
    return root


# ---------------------------------------------------------------------------- web fixtures
# A small corpus for the web tests (tests/test_web_*.py): five categories, three sources,
# 2015–2020, "الحكومة" in more than one page of results, one vocalised article, a title
# with Latin words, and hostile articles whose text looks like HTML and script.

WEB_SOURCES = ("جريدة الصباح", "وكالة الأنباء المحلية", "موقع المساء")

_WEB_TOPICS = {
    "اقتصاد": [
        ("الحكومة تعلن ميزانية جديدة لدعم المصانع الصغيرة",
         "أعلنت الحكومة ميزانية العام المقبل، وخصصت جزءا كبيرا منها لقروض ميسرة للمصانع "
         "الصغيرة والمتوسطة."),
        ("ارتفاع أسعار القمح في الأسواق المحلية",
         "ارتفعت أسعار القمح للأسبوع الثالث على التوالي بسبب تأخر الشحنات وقلة المخزون."),
        ("البنك المركزي يخفض سعر الفائدة للمرة الثانية",
         "قرر البنك المركزي خفض سعر الفائدة نصف نقطة مئوية لتشجيع الاستثمار والاقتراض."),
        ("الحكومة تطلق برنامجا لتشغيل الشباب في المدن الساحلية",
         "يهدف البرنامج إلى توفير آلاف فرص العمل للشباب في قطاعي السياحة والصيد."),
        ("تراجع معدل التضخم خلال الربع الأخير",
         "أظهرت بيانات رسمية تراجع التضخم بعد استقرار أسعار الغذاء والوقود."),
    ],
    "رياضة": [
        ("المنتخب الوطني يتأهل إلى نهائي البطولة العربية",
         "فاز المنتخب بهدفين نظيفين وضمن مكانه في المباراة النهائية للمرة الأولى منذ سنوات."),
        ("الحكومة تمول ملعبا جديدا في العاصمة",
         "وقعت الحكومة عقد بناء ملعب يتسع لأربعين ألف متفرج في الضاحية الشرقية."),
        ("عداءة شابة تفوز بسباق الماراثون الدولي",
         "قطعت العداءة مسافة السباق في زمن قياسي وسط تشجيع آلاف المتفرجين."),
        ("نادي المدينة يتعاقد مع مدرب جديد",
         "أعلن النادي التعاقد مع مدرب شاب لموسمين بعد سلسلة من النتائج المخيبة."),
        ("افتتاح أكاديمية لكرة السلة للناشئين",
         "تستقبل الأكاديمية مئتي لاعب ولاعبة من أعمار مختلفة وتقدم التدريب مجانا."),
    ],
    "صحة": [
        ("وزارة الصحة تبدأ حملة تطعيم في المدارس",
         "تستمر الحملة شهرا كاملا وتشمل تلاميذ المرحلة الابتدائية في جميع المحافظات."),
        ("الحكومة تفتتح مستشفى للأطفال في الجنوب",
         "يضم المستشفى الجديد مئة وعشرين سريرا وقسما للطوارئ يعمل طوال اليوم."),
        ("دراسة: المشي اليومي يقلل أمراض القلب",
         "وجد الباحثون أن المشي نصف ساعة كل يوم يخفض خطر الإصابة بأمراض القلب."),
        ("نقص الأدوية في الصيدليات يثير قلق المرضى",
         "اشتكى مرضى من صعوبة الحصول على أدوية الضغط والسكري في عدة مدن."),
        ("الحكومة تعلن خطة لتطوير المراكز الصحية",
         "تشمل الخطة تجهيز المراكز الصحية في القرى بأجهزة حديثة وتدريب الممرضين."),
    ],
    "ثقافة": [
        ("معرض الكتاب يستقبل آلاف الزوار في يومه الأول",
         "ازدحمت أجنحة المعرض بالزوار الباحثين عن الروايات وكتب الأطفال."),
        ("فرقة المسرح الوطني تعرض مسرحية جديدة",
         "تتناول المسرحية حياة صياد عجوز في قرية ساحلية وتستمر عروضها شهرا."),
        ("مهرجان الشعر العربي يكرم الشعراء الشباب",
         "كرم المهرجان عشرة شعراء شباب وأقام أمسيات شعرية في ساحات المدينة."),
        ("الحكومة تدعم ترميم المكتبات القديمة",
         "تخصص الحكومة منحة سنوية لترميم المكتبات التاريخية وحفظ مخطوطاتها."),
        ("متحف المدينة يعرض مخطوطات نادرة",
         "يعرض المتحف مخطوطات في الفلك والطب تعود إلى قرون مضت."),
    ],
    "تقنية": [
        ("شركة Apple تطرح هاتف iPhone الجديد في الأسواق العربية",
         "بدأ بيع هاتف iPhone الجديد في المتاجر، وقالت الشركة إن الطلب فاق التوقعات."),
        ("الحكومة توسع شبكة الإنترنت السريع إلى القرى",
         "تعمل الحكومة على مد كابلات الألياف الضوئية إلى ألف قرية خلال عامين."),
        ("الذكاء الاصطناعي يدخل الفصول الدراسية",
         "تجرب مدارس برامج تساعد المعلمين على متابعة تقدم كل طالب."),
        ("ارتفاع أسعار الهواتف الذكية بسبب نقص الرقائق",
         "رفعت الشركات أسعار الهواتف الذكية بعد نقص عالمي في الرقائق الإلكترونية."),
        ("مسابقة للبرمجة تجمع طلاب الجامعات",
         "شارك في المسابقة ثلاثمئة طالب من عشرين جامعة في فرق من ثلاثة أعضاء."),
    ],
}

_WEB_GOVERNMENT_LINE = "وقالت الحكومة في بيان إنها تتابع الأمر عن قرب وستعلن التفاصيل قريبا."

#: Hostile articles: their text must show as text, never run. ``hostile-1`` is the one the
#: browser tests look for (title with a script element, body with an onerror image).
WEB_HOSTILE = [
    {
        "id": "hostile-1",
        "title": "<script>window.__xss=1</script> مقال مريب",
        "body": 'نص مريب فيه صورة <img src=x onerror="window.__xss=1"> وكلام عن الأمن.',
        "category": "منوعات",
        "source": "موقع المساء",
        "date": "2019-06-01",
        "url": "javascript:window.__xss=1",
    },
    {
        "id": "hostile-2",
        "title": "مقال مريب آخر \"><b onmouseover=window.__xss=2>",
        "body": "نص مريب ثان فيه <svg onload=\"window.__xss=2\"> وعلامة &lt;script&gt;.",
        "category": "منوعات",
        "source": "جريدة الصباح",
        "date": "2019-07-01",
        "url": "https://example.org/articles/2",
    },
]


def web_articles() -> list[dict]:
    """The web test corpus as JSON records."""
    records = []
    n = 0
    for category, items in _WEB_TOPICS.items():
        for title, body in items:
            year = 2015 + (n + n // 6) % 6
            month = 1 + (n * 5) % 12
            paragraphs = [body, "وأضاف المسؤولون أن النتائج ستظهر خلال الأشهر المقبلة."]
            if n % 3 == 0:
                paragraphs.append(_WEB_GOVERNMENT_LINE)
            records.append({
                "id": f"a{n + 1:02d}",
                "title": title,
                "body": "\n".join(paragraphs),
                "category": category,
                "source": WEB_SOURCES[n % len(WEB_SOURCES)],
                "date": f"{year}-{month:02d}-{1 + n % 27:02d}",
                "url": f"https://news.example.org/{n + 1}",
            })
            n += 1
    records.append({
        "id": "vocalised",
        "title": "الحُكُومَةُ تُنَاقِشُ قَانُونَ التَّعْلِيمِ",
        "body": "نَاقَشَتِ الحُكُومَةُ مَشْرُوعَ قَانُونٍ جَدِيدٍ لِلتَّعْلِيمِ فِي جَلْسَتِهَا الأُسْبُوعِيَّةِ.",
        "category": "ثقافة",
        "source": WEB_SOURCES[0],
        "date": "2018-03-15",
        "url": "https://news.example.org/vocalised",
    })
    records.extend(WEB_HOSTILE)
    return records


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory) -> Path:
    """A folder with the web test corpus as one JSONL file."""
    import json

    folder = tmp_path_factory.mktemp("web-corpus")
    lines = (json.dumps(record, ensure_ascii=False) for record in web_articles())
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def web_index(web_corpus, tmp_path_factory) -> Path:
    """An index built from :func:`web_corpus`, shared by the web tests (read only)."""
    from indexer import build_index

    index_dir = tmp_path_factory.mktemp("web-index") / "index"
    report = build_index([web_corpus], index_dir)
    assert report.indexed == len(web_articles()) and not report.skipped, report.skipped
    return index_dir


@pytest.fixture
def web_app(web_index):
    """The Flask app over :func:`web_index`, in testing mode."""
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(web_index)})
    yield app
    close_searcher(app)


@pytest.fixture
def web_client(web_app):
    return web_app.test_client()


@pytest.fixture
def missing_index_app(tmp_path):
    """The Flask app pointed at a folder with no index in it."""
    from web import close_searcher, create_app

    app = create_app({"TESTING": True, "FAHRAS_INDEX_DIR": str(tmp_path / "no-index")})
    yield app
    close_searcher(app)


# ------------------------------------------------------------- browser test screenshots
#: Where tests/test_web_browser.py saves its screenshots (git-ignored); FAHRAS_SCREENSHOT_DIR
#: overrides it. The folder is named at the end of the pytest run.
DEFAULT_SCREENSHOT_DIR = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
_saved_screenshots: list[Path] = []


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("FAHRAS_SCREENSHOT_DIR") or DEFAULT_SCREENSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def save_screenshot(screenshot_dir):
    """``save_screenshot(page, name)``: a full-page PNG of a Playwright page in the folder."""

    def save(page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _saved_screenshots.append(path)
        return path

    return save


def pytest_terminal_summary(terminalreporter):
    if _saved_screenshots:
        folder = _saved_screenshots[0].parent
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(f"{len(_saved_screenshots)} screenshots saved in {folder}")


# ---------------------------------------------------------------------------- search fixtures
# A small corpus for the searcher tests (tests/test_searcher.py, test_query.py, ...): every
# query form has articles that must and must not match. Written for these tests.

SEARCH_ARTICLES = [
    # two words: s01 has both, s02/s03 only one each (s02 repeats its word in the title)
    {"id": "s01", "title": "الحكومة تناقش الميزانية",
     "body": "ناقشت الحكومة مشروع الميزانية الجديدة في جلسة طويلة.",
     "date": "2021-05-10", "category": "اقتصاد", "source": "وكالة الأنباء"},
    {"id": "s02", "title": "الحكومة الحكومة الحكومة",
     "body": "قالت الحكومة إن الحكومة ستعقد اجتماعا للحكومة بكامل أعضائها.",
     "date": "2020-02-01", "category": "سياسة", "source": "جريدة النهار"},
    {"id": "s03", "title": "عجز في الميزانية",
     "body": "سجلت الميزانية عجزا كبيرا هذا العام بسبب تراجع الصادرات.",
     "date": "2019-08-15", "category": "اقتصاد", "source": "جريدة النهار"},
    # phrase "كرة القدم" in s04; the same two words apart in s05
    {"id": "s04", "title": "نهائي كرة القدم",
     "body": "فاز المنتخب في نهائي كرة القدم بهدف في الدقيقة الأخيرة.",
     "date": "2022-12-18", "category": "رياضة", "source": "وكالة الأنباء"},
    {"id": "s05", "title": "إصابة في القدم",
     "body": "أصيب اللاعب في القدم خلال تدريب كرة السلة أمس.",
     "date": "2022-11-02", "category": "رياضة", "source": "وكالة الأنباء"},
    # title: the word مهرجان in the title of s06, only in the body of s07
    {"id": "s06", "title": "مهرجان الشعر يفتتح دورته",
     "body": "افتتح الوزير الدورة العاشرة بحضور شعراء من عدة بلدان.",
     "date": "2018-03-20", "category": "culture", "source": "جريدة النهار"},
    {"id": "s07", "title": "أمسية موسيقية في الساحة",
     "body": "أقيمت الأمسية على هامش مهرجان المدينة السنوي.",
     "date": "2018-04-02", "category": "culture"},
    # vocalised text, and a name in three alef spellings across articles
    {"id": "s08", "title": "الطّالِبُ المُتَفَوِّقُ",
     "body": "حَصَلَ الطّالِبُ أَحْمَدُ على الجائزةِ الأولى في مسابقة العلوم.",
     "date": "2020-06-30", "category": "تعليم", "source": "وكالة الأنباء"},
    {"id": "s09", "title": "أحمد يفتتح معرضا للصور",
     "body": "افتتح المصور أحمد معرضه الأول، وزاره إبراهيم وأحمد آخر من الجيران.",
     "date": "2021-01-12", "category": "culture", "source": "جريدة النهار"},
    # hostile text: must be shown, never run
    {"id": "s10", "title": "<script>alert('x')</script> خبر الحكومة",
     "body": 'نص فيه صورة <img src=x onerror="alert(1)"> عن الحكومة & "الوزارة".',
     "date": "2019-01-01", "category": "منوعات"},
    # no category, no source, no date
    {"id": "s11", "title": "تقرير عن الحكومة",
     "body": "تقرير بلا تاريخ ولا تصنيف عن عمل الحكومة في المدن."},
    # the same football story twice, for "similar"
    {"id": "s12", "title": "المنتخب يستعد لمباراة الحسم",
     "body": "يستعد المنتخب الوطني لمباراة الحسم أمام منتخب الجيران في الملعب الكبير، "
             "وقال المدرب إن اللاعبين جاهزون للمباراة.",
     "date": "2022-12-10", "category": "رياضة", "source": "وكالة الأنباء"},
    {"id": "s13", "title": "المدرب: المنتخب جاهز لمباراة الحسم",
     "body": "أكد مدرب المنتخب الوطني أن اللاعبين جاهزون لمباراة الحسم في الملعب الكبير "
             "أمام منتخب الجيران.",
     "date": "2022-12-11", "category": "رياضة", "source": "جريدة النهار"},
    # prefixes: اقتصاد، الاقتصادية، واقتصادي
    {"id": "s14", "title": "نمو الاقتصاد المحلي",
     "body": "توقع خبراء نمو الاقتصاد بعد الإصلاحات الاقتصادية الأخيرة.",
     "date": "2021-09-09", "category": "اقتصاد", "source": "وكالة الأنباء"},
    # OR: only one of the two words each
    {"id": "s15", "title": "ارتفاع أسعار القمح",
     "body": "ارتفعت أسعار القمح في الأسواق بسبب الجفاف.",
     "date": "2020-10-10", "category": "اقتصاد", "source": "جريدة النهار"},
    {"id": "s16", "title": "تراجع أسعار الذهب",
     "body": "تراجعت أسعار الذهب مع ارتفاع الدولار.",
     "date": "2020-11-11", "category": "اقتصاد", "source": "وكالة الأنباء"},
]


def write_jsonl_records(path: Path, records: list[dict]) -> Path:
    """``records`` as a JSON lines file at ``path``."""
    import json

    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def whoosh_index_of(folder: Path, articles: list[dict]) -> Path:
    """A Whoosh index of ``articles`` in ``folder / "index"``, every article indexed."""
    from indexer import build_index

    report = build_index([write_jsonl_records(folder / "articles.jsonl", articles)],
                         folder / "index")
    assert report.indexed == len(articles)
    return folder / "index"


def cluster_of(folder: Path, articles: list[dict]):
    """A started 2-node cluster in ``folder`` holding ``articles`` (a generator for a
    fixture: stopped after; the test is skipped when searchd is not installed)."""
    from indexer import build_index

    started = start_cluster(folder / "cluster")
    try:
        build_index([write_jsonl_records(folder / "articles.jsonl", articles)], started.address)
        yield started
    finally:
        started.stop()


def either_searcher(request, index_dir: Path, cluster: str = "cluster"):
    """A Searcher on ``index_dir`` or on the cluster of the fixture named ``cluster``, by
    ``request.param`` (``whoosh`` / ``sphinx``): a generator for a fixture, closed after."""
    from search import Searcher

    if request.param == "whoosh":
        opened = Searcher(index_dir)
    else:
        opened = Searcher(request.getfixturevalue(cluster).address)
    yield opened
    opened.close()


def assert_ranked_alike(index_dir: Path, address: str, queries, limit: int = 20) -> None:
    """Both backends rank each of ``queries`` with the same articles in the same order, and
    scores within 2%."""
    from search import Searcher

    with Searcher(index_dir) as whoosh, Searcher(address) as sphinx:
        for query in queries:
            mine, theirs = whoosh.rank(query, limit), sphinx.rank(query, limit)
            assert [docid for docid, _ in mine] == [docid for docid, _ in theirs], query
            for (_, ours), (_, other) in zip(mine, theirs, strict=True):
                assert other == pytest.approx(ours, rel=0.02), query


@pytest.fixture(scope="session")
def search_index(tmp_path_factory) -> Path:
    """An index of :data:`SEARCH_ARTICLES`, shared by the searcher tests (read only)."""
    from indexer import build_index

    folder = tmp_path_factory.mktemp("search-index")
    corpus = write_jsonl_records(folder / "articles.jsonl", SEARCH_ARTICLES)
    report = build_index([corpus], folder / "index")
    assert report.indexed == len(SEARCH_ARTICLES) and not report.skipped, report.skipped
    return folder / "index"


@pytest.fixture
def searcher(search_index):
    """A :class:`search.Searcher` over :func:`search_index`, closed after the test."""
    from search import Searcher

    with Searcher(search_index) as opened:
        yield opened


# ---------------------------------------------------------------- word analysis
#: Counts a build could have collected from a small news archive (hand-written): what the
#: proclitic decision of indexer/lexicon.py reads.
SAMPLE_COUNTS = {
    "قال": 50, "وقال": 20, "قالوا": 10, "فقالوا": 3, "قرار": 30, "بقرار": 5,
    "سوريا": 40, "لسوريا": 4, "مصر": 100, "بمصر": 20, "وبمصر": 2, "بيروت": 50,
    "ببيروت": 10, "فلسطين": 80, "بفلسطين": 30, "لفلسطين": 6, "وزير": 20, "الوزير": 60,
    "وزاره": 30, "الوزاره": 50, "بوزاره": 4, "زار": 40, "زاره": 5, "واحد": 30, "الواحد": 5,
    "احد": 60, "الاحد": 40, "لبنان": 70, "ولبنان": 10, "بلبنان": 5, "وطن": 10, "الوطن": 40,
    "طن": 8, "بحر": 10, "البحر": 30, "حر": 5, "الحر": 20, "بيت": 20, "البيت": 20,
    "برنامج": 30, "البرنامج": 20, "بريطانيا": 25, "لبريطانيا": 3, "فرنسا": 30,
    "مسءول": 40, "المسءول": 10, "انتخابات": 10, "الانتخابات": 50, "والانتخابات": 8,
}


@pytest.fixture(scope="session")
def sample_words():
    """The word analysis of an index whose lexicon holds SAMPLE_COUNTS."""
    from indexer.lexicon import Lexicon
    from indexer.stopwords import normalized_stop_words
    from indexer.words import WordAnalysis
    return WordAnalysis(Lexicon(SAMPLE_COUNTS, normalized_stop_words()))


# ---------------------------------------------------------------- Sphinx clusters
def start_cluster(folder: Path, nodes: int = 2):
    """A local Sphinx cluster of ``nodes`` nodes in ``folder`` (indexer/sphinx/cluster.py),
    started; the test is skipped when searchd is not installed."""
    from indexer.sphinx.cluster import Cluster, searchd_path

    if searchd_path() is None:
        pytest.skip("searchd is not installed (apt-get install sphinxsearch): the Sphinx "
                    "backend needs a running cluster")
    cluster = Cluster(folder)
    cluster.create(nodes)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="session")
def search_cluster(tmp_path_factory):
    """A 2-node cluster holding :data:`SEARCH_ARTICLES` (read only); stopped at the end."""
    from indexer import build_index

    folder = tmp_path_factory.mktemp("search-cluster")
    cluster = start_cluster(folder / "cluster")
    try:
        corpus = write_jsonl_records(folder / "articles.jsonl", SEARCH_ARTICLES)
        report = build_index([corpus], cluster.address)
        assert report.indexed == len(SEARCH_ARTICLES) and not report.skipped, report.skipped
        yield cluster
    finally:
        cluster.stop()
