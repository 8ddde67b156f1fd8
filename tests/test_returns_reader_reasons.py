"""Reasons from notes: a note moves cases into a reason only when it states unallocated cases."""
from __future__ import annotations

from returns_helpers import rows_of, write_csv
from unallocated.returns import read_returns
from unallocated.returns.labels import reasons_in_note

HEAD = [["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
        ["Case type", "Unallocated", "Notes"]]


def test_an_aside_about_allocated_cases_moves_nothing():
    for aside in ("22 cases receiving financial payments only are counted as allocated",
                  "22 cases in transit between teams are not included in these figures",
                  "Excluded: 5 cases held by the duty team"):
        assert reasons_in_note(aside) == [], aside
    assert reasons_in_note("7 cases in transit between teams") == [("in_transit", 7)]


def test_the_aside_in_a_return_leaves_the_unallocated_count_whole(tmp_path):
    write_csv(tmp_path / "sunderland.csv", HEAD + [
        ["CP", 30, "22 cases receiving financial payments only are counted as allocated"]])
    res = read_returns(tmp_path)
    assert rows_of(res) == {("cp", "unallocated", "not_given", 30, "exact")}


def test_a_note_stating_unallocated_cases_with_a_reason_splits_the_count(tmp_path):
    write_csv(tmp_path / "sunderland.csv", HEAD + [
        ["CP", 30, "7 cases in transit between teams"]])
    res = read_returns(tmp_path)
    assert rows_of(res) == {("cp", "unallocated", "in_transit", 7, "exact"),
                            ("cp", "unallocated", "not_given", 23, "exact")}
