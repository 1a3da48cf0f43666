"""The stored counts table (indexer/countsfile.py): every form found where it lies, forms
that are not there not found, and a damaged file refused with a clear error."""

from __future__ import annotations

import pytest

from indexer.countsfile import CountsFile, CountsFileError, write_counts

COUNTS = {"مصر": 7, "بمصر": 2, "الوزير": 5, "وزير": 1, "قال": 40, "a": 3, "zebra": 1,
          "ـ": 1, "ﻻ": 9, "الانتخابات": 2**40}


def test_every_form_is_found_with_its_count(tmp_path):
    table = CountsFile(write_counts(tmp_path / "c", COUNTS))
    assert len(table) == len(COUNTS)
    assert {word: table[word] for word in COUNTS} == COUNTS
    assert table.to_dict() == COUNTS and dict(table) == COUNTS
    assert sorted(table) == sorted(COUNTS, key=lambda w: w.encode("utf-8"))


@pytest.mark.parametrize("word", ["", "م", "مص", "مصرا", "بمص", "الوزي", "آ", "zz", "A", "ي"])
def test_forms_not_counted_are_not_found(tmp_path, word):
    table = CountsFile(write_counts(tmp_path / "c", COUNTS))
    assert word not in table and table.get(word) is None and table.get(word, 0) == 0
    with pytest.raises(KeyError):
        table[word]


def test_an_empty_table(tmp_path):
    table = CountsFile(write_counts(tmp_path / "c", {}))
    assert len(table) == 0 and "مصر" not in table and table.to_dict() == {}


def test_a_form_with_a_line_break_is_refused(tmp_path):
    with pytest.raises(ValueError, match="line break"):
        write_counts(tmp_path / "c", {"سطر\nثان": 1})
    assert not (tmp_path / "c").exists()


def test_damaged_tables_are_refused(tmp_path):
    path = write_counts(tmp_path / "c", COUNTS)
    whole = path.read_bytes()
    for damaged in (whole[:-3], whole[:20], b"", b"{\"a\": 1}" * 4):
        path.write_bytes(damaged)
        with pytest.raises(CountsFileError):
            CountsFile(path)
