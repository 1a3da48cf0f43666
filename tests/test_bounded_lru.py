"""The bounded caches' two pieces that a new version of the index leans on: retiring the
groups (segments, layouts) it no longer holds (search/whoosh/lru.py), and a scored term
losing deleted articles (search/whoosh/scorecache.py)."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st

from search.whoosh.lru import BoundedLru
from search.whoosh.scorecache import _without


def test_groups_left_are_never_given_again_and_go_first_when_room_is_needed():
    lru = BoundedLru(12, len)
    for segment in ("s1", "s2", "s3"):
        for word in ("a", "b"):
            lru.get((segment, word), lambda word=word, segment=segment: segment[1] + word)
    assert len(lru) == 6 and lru.held == 12
    lru.keep_groups(["s2", "s4"])  # s1 and s3 retired: still held, never given
    assert len(lru) == 6 and lru.held == 12
    computed = []
    assert lru.get(("s2", "a"), lambda: computed.append(1) or "new") == "2a" and not computed
    assert lru.peek(("s3", "a")) is None
    for word in ("c", "d", "e"):  # room for them comes from s3's, not from s2's older ones
        lru.get(("s2", word), lambda word=word: "2" + word)
    assert lru.held <= 12 and len(lru) == 6
    assert [lru.peek(("s2", word)) for word in "abcde"] == ["2a", "2b", "2c", "2d", "2e"]
    # s1 went whole, s3 holds one entry still; asked again (a search still reading the
    # version before), it is computed and not held
    assert lru.get(("s3", "a"), lambda: "again") == "again"
    assert lru.get(("s3", "a"), lambda: "and again") == "and again"
    lru.replace(("s3", "b"), "replaced")
    assert lru.peek(("s3", "b")) is None and lru.held == 12


def test_evicted_and_replaced_entries_leave_their_group_consistent():
    lru = BoundedLru(8, len)
    for number in range(5):
        lru.get(("old", number), lambda: "xx")  # 2 each: only the last 4 fit
    assert len(lru) == 4 and lru.held == 8
    lru.replace(("old", 4), "x")
    assert lru.held == 7
    lru.get(("new", 0), lambda: "xx")  # pushes out the oldest, ("old", 1)
    assert len(lru) == 4 and lru.held == 7
    lru.keep_groups(["new"])
    for number in range(1, 4):  # each new entry gives up retired ones: all of "old" goes
        lru.get(("new", number), lambda: "xx")
    assert len(lru) == 4 and lru.held == 8
    assert all(lru.peek(("new", number)) == "xx" for number in range(4))
    lru.keep_groups([])
    for number in range(4):
        lru.get(("other", number), lambda: "xx")
    assert len(lru) == 4 and lru.held == 8
    assert all(lru.peek(("other", number)) == "xx" for number in range(4))


def test_a_group_retired_then_live_again_gives_nothing_it_held():
    lru = BoundedLru(100, len)
    lru.get(("layout", "a"), lambda: "old")
    lru.keep_groups(["other"])
    lru.keep_groups(["layout"])
    assert lru.get(("layout", "a"), lambda: "new") == "new" and lru.held == 3


@given(st.lists(st.integers(0, 3000), unique=True, max_size=400).map(sorted),
       st.frozensets(st.integers(-5, 3005), max_size=40))
def test_a_term_without_deleted_articles_keeps_the_rest_in_order(docnums, deleted):
    entry = (0, array("i", docnums), array("d", [doc / 7 for doc in docnums]))
    count, kept_docs, kept_scores = _without(entry, len(deleted), deleted)
    assert count == len(deleted)
    assert list(kept_docs) == [doc for doc in docnums if doc not in deleted]
    assert list(kept_scores) == [doc / 7 for doc in docnums if doc not in deleted]


def test_a_term_in_many_articles_loses_the_few_deleted_ones():
    docnums = list(range(0, 40_000, 2))
    deleted = frozenset({0, 3, 1000, 39_998, 40_000})
    entry = (1, array("i", docnums), array("d", [1.0] * len(docnums)))
    _count, kept, scores = _without(entry, 6, deleted)
    assert len(kept) == len(scores) == len(docnums) - 3
    assert {0, 1000, 39_998}.isdisjoint(kept) and kept[0] == 2 and kept[-1] == 39_996


def test_a_scored_term_loses_only_what_was_deleted_since_it_was_scored():
    from search.whoosh.scorecache import ScoreCache

    cache = ScoreCache()
    epoch = (10, ("s1",))
    docs = array("i", range(10))
    asked: list[int] = []

    def deleted_docs(which: frozenset[int]):
        return lambda: asked.append(len(which)) or which

    first = cache.term((epoch, "f", b"w"), lambda: (docs, array("d", [1.0] * 10)),
                       1, deleted_docs(frozenset({5})))
    assert list(first[0]) == list(range(10))  # scored with 1 article deleted
    assert cache._deleted_since(epoch, 1, 3, deleted_docs(frozenset({5, 7, 9}))) == {7, 9}
    kept, _ = cache.term((epoch, "f", b"w"), lambda: (array("i"), array("d")), 3,
                         deleted_docs(frozenset({5, 7, 9})))
    assert list(kept) == [0, 1, 2, 3, 4, 5, 6, 8]  # 5 stays: not deleted since
    cache.keep_only((11, ("s1", "s2")))
    assert cache._deleted_since(epoch, 1, 3, deleted_docs(frozenset({5, 7, 9}))) == {5, 7, 9}
