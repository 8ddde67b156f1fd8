"""Traps found by the second adversarial round: a column of rates, a note about unallocated
cases that no rule used, a council named only by the leading words of a file name."""
from __future__ import annotations

from returns_helpers import rows_of, cells_named
from unallocated.returns import read_returns


def _read(path):
    res = read_returns(path, reference=None)
    assert not len(res.unreadable), res.unreadable.to_dict("records")
    return res


def test_a_note_about_unallocated_cases_that_no_rule_used_is_an_issue(tmp_path):
    # The reader does not split 14 on the note's word; a person is told, with the cell.
    p = tmp_path / "coventry.csv"
    p.write_text("Case type,Total open cases,Not allocated\nLooked after children,571,14\n\n"
                 "\"Of the 14 unallocated looked after children, 3 are in transit from another authority.\"\n")
    res = _read(p)
    assert ("lac", "unallocated", 14) in rows_of(res, "case_type", "category", "count")
    note = res.issues[res.issues["cell"] == "A4"]
    assert len(note) == 1 and "14, 3" in note["problem"].iloc[0]


def test_a_column_of_rates_is_never_read_as_counts(tmp_path):
    p = tmp_path / "camden.csv"
    p.write_text("Case type,Total open cases,Unallocated,% unallocated\n"
                 "Child protection,312,5,2\nLooked after children,455,4,1\n")
    res = _read(p)
    assert rows_of(res, "case_type", "category", "count") == {
        ("cp", "total", 312), ("cp", "unallocated", 5), ("lac", "total", 455), ("lac", "unallocated", 4)}
    assert cells_named(res) >= {"D2", "D3"}


def test_a_council_is_found_from_the_leading_words_of_a_file_name(tmp_path):
    p = tmp_path / "camden_childrens_services_foi.csv"
    p.write_text("Case type,Unallocated\nChild protection,5\n")
    assert set(_read(p).returns["council"]) == {"Camden"}


def test_an_aside_about_cases_counted_as_allocated_is_never_an_unallocated_count(tmp_path):
    p = tmp_path / "cornwall.csv"
    p.write_text("Case type,Total open cases,Unallocated\nChildren in need,2804,61\n"
                 "22 children in need cases receiving financial payments only are counted as allocated,,\n")
    got = rows_of(_read(p), "case_type", "category", "detail", "count")
    assert ("cin", "unallocated", "not_given", 61) in got
    assert all(n != 22 for *_, n in got)
