"""Counts in sentences (unallocated.returns.sentences): one case type, one category, one
number by a plain pattern is a count; every other number in prose is an issue with the
reading it would have had, never a number in the table."""
from __future__ import annotations

import pytest

from unallocated.returns.sentences import read_sentence, split_sentences


def counts(sentence):
    return [(f.case_type, f.category, f.count) for f in read_sentence(sentence) if not f.problem]


def problems(sentence):
    return [(f.number, f.problem) for f in read_sentence(sentence) if f.problem]


@pytest.mark.parametrize("sentence, expected", [
    ("We currently have 12 child protection cases that are not allocated to a social worker.",
     ("cp", "unallocated", 12)),
    ("There are 1,817 children in need cases without an allocated social worker.",
     ("cin", "unallocated", 1817)),
    ("On 30 September 2010, 7 looked after children were unallocated.", ("lac", "unallocated", 7)),
    ("1,101 looked after children are allocated to a qualified social worker.",
     ("lac", "allocated_qualified", 1101)),
])
def test_plain_sentence_is_a_count(sentence, expected):
    assert counts(sentence) == [expected]
    assert problems(sentence) == []


@pytest.mark.parametrize("sentence, number, why", [
    ("There are 214 children in need cases awaiting allocation, of which 60 are awaiting closure.",
     "214", "one of 2 numbers"),
    ("The remaining 3,870 children in need cases are allocated to qualified social workers.",
     "3,870", "relative ('remaining')"),
    ("Over 400 children in need cases are unallocated.", "400", "qualified or relative"),
    ("We have 12 child protection and looked after cases that are unallocated.", "12",
     "2 case types"),
    ("There were 497 children subject to a child protection plan.", "497", "no category"),
    ("The service employs 212 qualified social workers.", "212", "no case type"),
    ("8% of child protection cases are unallocated.", "8%", "a percentage"),
    ("We spent £250 on child protection cases that are unallocated.", "£250", "money"),
    ("12.5 child protection cases are unallocated.", "12.5", "not a whole number"),
])
def test_other_numbers_are_issues_with_their_reading(sentence, number, why):
    assert counts(sentence) == []
    found = dict(problems(sentence))
    assert number in found
    assert why in found[number]
    assert "would read as" in found[number]


def test_a_decimal_is_never_read_as_its_whole_part():
    # a decimal comma ("12,5") is never 12, nor 125
    assert "not a whole number" in dict(problems("12,5 child protection cases are unallocated."))["12,5"]
    assert counts("12,5 child protection cases are unallocated.") == []
    assert counts("12.5 child protection cases are unallocated.") == []
    assert "12.5" in dict(problems("12.5 child protection cases are unallocated."))["12.5"]


def test_dates_and_references_are_not_numbers():
    assert read_sentence("Our ref: FOI 2010-1187. Date: 22 October 2010.") == []
    assert read_sentence("Freedom of Information request 2010/3381, answered 5 November 2010.") == []
    assert counts("As at 31 March 2010 we had 9 child protection cases not allocated.") == [
        ("cp", "unallocated", 9)]


def test_split_sentences_keeps_decimals_and_joins_lines():
    assert split_sentences("We have 198.5 FTE.\nThere are 12 cases. Next one") == [
        "We have 198.5 FTE.", "There are 12 cases.", "Next one"]
