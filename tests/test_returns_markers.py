"""parse_count and split_value_note: every marker councils use, by hand."""
from __future__ import annotations

import pytest

from unallocated.returns.markers import parse_count, split_value_note
from unallocated.schema import QUALIFIERS


@pytest.mark.parametrize("text, count, qualifier", [
    ("7", 7, "exact"),
    (7, 7, "exact"),
    (7.0, 7, "exact"),
    ("1,234", 1234, "exact"),
    ("1 234", 1234, "exact"),
    ("1\u00a0234", 1234, "exact"),
    (" 12 ", 12, "exact"),
    ("0", 0, "exact"),
    ("nil", 0, "exact"),
    ("None", 0, "exact"),
    ("<5", 4, "at_most"),
    ("< 5", 4, "at_most"),
    ("less than 5", 4, "at_most"),
    ("*", None, "suppressed"),
    ("x", None, "suppressed"),
    ("X", None, "suppressed"),
    ("n/a", None, "not_supplied"),
    ("N/A", None, "not_supplied"),
    ("-", None, "not_supplied"),
    ("c. 40", 40, "approx"),
    ("c.40", 40, "approx"),
    ("approx 40", 40, "approx"),
    ("approx. 40", 40, "approx"),
    ("about 40", 40, "approx"),
    ("40 approx", 40, "approx"),
    ("over 1,000", 1001, "at_least"),
    ("more than 1,000", 1001, "at_least"),
    ("40+", 40, "at_least"),
    ("at least 40", 40, "at_least"),
    ("-5", -5, "exact"),  # kept; the negative-count check reports it
])
def test_markers(text, count, qualifier):
    assert parse_count(text) == (count, qualifier, None)


@pytest.mark.parametrize("text", ["see note", "18%", "7.5", "lots", "TBC by Friday", True])
def test_unreadable_values_give_a_problem_not_a_zero(text):
    count, qualifier, problem = parse_count(text)
    assert count is None and qualifier == "not_supplied" and problem


def test_qualifiers_are_schema_values():
    for text in ["7", "<5", "*", "n/a", "c. 40", "over 1,000", "junk"]:
        assert parse_count(text)[1] in QUALIFIERS


@pytest.mark.parametrize("text, head, note", [
    ("7 (these cases were in transit between teams)", "7",
     "these cases were in transit between teams"),
    ("7 cases in transit between teams", "7", "cases in transit between teams"),
    ("over 1,000 - financial payments only", "over 1,000", "financial payments only"),
    ("12(awaiting closure)", "12", "awaiting closure"),
])
def test_split_value_note(text, head, note):
    assert split_value_note(text) == (head, note)


@pytest.mark.parametrize("text", ["1. Enter the number of cases", "Sunderland", "7", "2010"])
def test_split_value_note_leaves_other_text(text):
    assert split_value_note(text) is None
