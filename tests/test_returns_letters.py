"""Figures in letters (unallocated.returns.letters): a number is a count only when its sentence is
fully explained; a likely reading is proposed for a person; numbers that are plainly something
else are named as such; nothing is lost."""
from __future__ import annotations

import pytest

from unallocated.returns.letters import count_numbers, read_letter, sentences


def findings(*paragraphs):
    return read_letter(list(enumerate(paragraphs, 1)))


def counts(*paragraphs):
    return [(f.reading.case_type, f.reading.category, f.reading.count) for f in findings(*paragraphs) if f.counted]


def proposals(*paragraphs):
    return [(f.reading.case_type, f.reading.category, f.reading.detail, f.reading.count, f.reading.qualifier)
            for f in findings(*paragraphs) if not f.counted and f.reading]


def plain(*paragraphs):
    return {(f.number, f.not_a_count) for f in findings(*paragraphs) if f.not_a_count}


def problems(*paragraphs):
    return {f.number: f.problem for f in findings(*paragraphs) if f.problem}


@pytest.mark.parametrize("sentence, expected", [
    ("We currently have 12 child protection cases that are not allocated to a social worker.",
     ("cp", "unallocated", 12)),
    ("There are 1,817 children in need cases without an allocated social worker.", ("cin", "unallocated", 1817)),
    ("On 30 September 2010, 7 looked after children were unallocated.", ("lac", "unallocated", 7)),
    ("1,101 looked after children are allocated to a qualified social worker.", ("lac", "allocated_qualified", 1101)),
    ("As at 31 October 2010 there were 4 child protection cases without an allocated social worker.",
     ("cp", "unallocated", 4)),
    # how many there were, with no category: the total of open cases
    ("There were 497 children subject to a child protection plan.", ("cp", "total", 497)),
    ("583 children were looked after.", ("lac", "total", 583)),
])
def test_a_fully_explained_sentence_is_a_count(sentence, expected):
    assert counts(sentence) == [expected]
    assert not problems(sentence)


def test_a_hedged_figure_keeps_its_qualifier():
    found = [f.reading for f in findings("Fewer than 5 looked after children were unallocated.") if f.counted]
    assert [(r.count, r.qualifier) for r in found] == [(4, "at_most")]


@pytest.mark.parametrize("sentence, number, why", [
    ("We have 12 child protection and looked after cases that are unallocated.", "12", "2 case types"),
    ("The figure for child protection is 497.", "497", "no single category"),
    ("Children in need (including child protection): 640 cases are unallocated.", "640", "includes or overlaps"),
    ("There were 31 families with an unallocated child protection case.", "31", "families or households"),
    ("There were 412 children in need who were unallocated at some point during the year.", "412",
     "count over a period"),
    ("12 looked after boys are unallocated.", "12", "a subgroup"),
])
def test_a_sentence_not_fully_explained_is_an_issue_naming_why(sentence, number, why):
    assert counts(sentence) == []
    assert why in problems(sentence)[number]


def test_unknown_words_withhold_the_figure_and_are_named_with_a_proposal():
    sentence = "Frobnicated: there are 9 child protection cases without an allocated social worker."
    assert counts(sentence) == []
    assert "'frobnicated'" in problems(sentence)["9"]
    assert proposals(sentence) == [("cp", "unallocated", "not_given", 9, "exact")]


def test_several_figures_in_a_sentence_get_one_proposal_each():
    sentence = "2 looked-after and 10 children-in-need cases are unallocated, held by the team manager."
    assert counts(sentence) == []
    assert proposals(sentence) == [("lac", "unallocated", "duty_team", 2, "exact"),
                                   ("cin", "unallocated", "duty_team", 10, "exact")]
    assert "2 figures in one sentence: 2 looked after, 10 children in need" in problems(sentence)["2"]


def test_a_part_given_of_which_a_figure_is_proposed_with_its_reason_and_the_rest_without():
    sentence = "There are 214 children in need cases awaiting allocation, of which 60 are awaiting closure."
    # the reason belongs to the 60 alone; the 214 less its part is what has no reason
    assert proposals(sentence) == [("cin", "unallocated", "not_given", 154, "exact"),
                                   ("cin", "unallocated", "awaiting_closure", 60, "exact")]
    assert "214 less its parts given after it (60) is 154" in problems(sentence)["214"]


def test_parts_that_add_up_to_a_figure_leave_it_unproposed():
    sentence = ("Of the children in need cases, 387 had no allocated worker: 201 were awaiting closure, 96 were worked "
                "by a partner agency, 58 were receiving financial payments only and 32 had no reason recorded.")
    assert proposals(sentence) == [("cin", "unallocated", "awaiting_closure", 201, "exact"),
                                   ("cin", "unallocated", "partner_agency", 96, "exact"),
                                   ("cin", "unallocated", "financial_only", 58, "exact"),
                                   ("cin", "unallocated", "not_given", 32, "exact")]
    assert "are its parts and add up to it" in problems(sentence)["387"]


def test_a_list_of_figures_with_their_own_categories_makes_the_bare_one_the_total():
    sentence = "Poole: 124 looked after, 121 with a qualified social worker and 3 with trainee social workers."
    assert proposals(sentence) == [("lac", "total", "", 124, "exact"), ("lac", "allocated_qualified", "", 121, "exact"),
                                   ("lac", "allocated_other", "trainee", 3, "exact")]


def test_a_bracket_after_a_figure_says_what_it_is():
    sentence = "Looked after children 15 (leaving care workers); children in need 41 (social work assistants)."
    assert [(r[0], r[2], r[3]) for r in proposals("Allocated to other staff:", sentence)] == [
        ("lac", "leaving_care", 15), ("cin", "assistant", 41)]


def test_a_figure_relative_to_another_is_proposed_not_counted():
    sentence = "The remaining 3,870 children in need cases are allocated to qualified social workers."
    assert counts(sentence) == []
    assert proposals(sentence) == [("cin", "allocated_qualified", "", 3870, "exact")]


def test_an_answer_takes_its_case_type_and_category_from_the_question_above():
    letter = ["Q3. How many looked after children had no allocated social worker on 30 September 2010?",
              "Answer: 3"]
    assert counts(*letter) == [("lac", "unallocated", 3)]


def test_a_numbered_answer_is_tied_to_its_numbered_question():
    letter = ["1) How many child protection cases had no allocated social worker?",
              "2) How many looked after children had no allocated social worker?",
              "1) 5", "2) 7"]
    assert counts(*letter) == [("cp", "unallocated", 5), ("lac", "unallocated", 7)]


def test_nil_under_a_question_is_proposed_as_0():
    letter = ["Q4. How many children in need cases were unallocated?", "None."]
    assert counts(*letter) == []
    assert proposals(*letter) == [("cin", "unallocated", "not_given", 0, "exact")]


def test_a_number_in_words_is_proposed_not_counted():
    letter = ["Question 3: How many child protection cases are unallocated?", "Answer: Twelve."]
    assert counts(*letter) == []
    assert proposals(*letter) == [("cp", "unallocated", "not_given", 12, "exact")]
    assert "a number in words ('Twelve')" in problems(*letter)["Twelve"]


@pytest.mark.parametrize("paragraph, number, what", [
    ("Freedom of Information Act 2000: our reference FOI/2010/1234.", "2000", "a year"),
    ("Freedom of Information Act 2000: our reference FOI/2010/1234.", "our reference FOI/2010/1234", "a reference"),
    ("We received your request on 12 October 2010.", "12 October 2010", "a date"),
    ("Please call 0191 277 8000 with any questions.", "0191 277 8000", "a phone number"),
    ("The information is exempt under section 40(2) of the Act.", "section 40(2)", "a section of the Act"),
    ("The average caseload per social worker is 18.", "18", "an average or a caseload per worker"),
    ("We employ 212 qualified social workers.", "212", "a staff figure"),
    ("8% of child protection cases are unallocated.", "8%", "a percentage"),
    ("We spent £250 on agency staff.", "£250", "an amount of money"),
    ("12.5 child protection cases are unallocated.", "12.5", "not a whole number"),
    ("12,5 child protection cases are unallocated.", "12,5", "not a whole number"),
])
def test_numbers_that_are_plainly_something_else_are_named(paragraph, number, what):
    assert (number, what) in plain(paragraph)
    assert counts(paragraph) == []


def test_a_list_number_opening_a_paragraph_is_a_question_number_not_a_count():
    assert ("5)", "a question number") in plain("5) We hold no figures for this question.")


def test_thousands_are_never_read_as_decimals():
    assert counts("There are 1,240 children in need cases without an allocated social worker.") == [
        ("cin", "unallocated", 1240)]


def test_sentences_keep_abbreviations_and_list_numbers():
    assert sentences("There are c. 40 cases. Ref. 12 applies. 3. How many? Next") == [
        "There are c. 40 cases.", "Ref. 12 applies.", "3. How many?", "Next"]


def test_count_numbers_leaves_out_dates_references_and_decimals():
    assert count_numbers("Of the 14 unallocated on 31 October 2010 (ref FOI/2010/12), 3.5 FTE and 3 in transit") == [
        "14", "3"]


def test_a_zero_in_words_is_proposed_for_each_case_type_it_names():
    sentence = "No child protection or looked after children cases were unallocated."
    assert counts(sentence) == []
    assert proposals(sentence) == [("cp", "unallocated", "not_given", 0, "exact"),
                                   ("lac", "unallocated", "not_given", 0, "exact")]
    assert proposals("Looked after children:", "None were unallocated.") == [
        ("lac", "unallocated", "not_given", 0, "exact")]


def test_a_quoted_line_is_never_a_count():
    assert counts("> There were 4 child protection cases without an allocated social worker.") == []
    assert proposals("> There were 4 child protection cases without an allocated social worker.") == [
        ("cp", "unallocated", "not_given", 4, "exact")]
    assert "in a quoted line" in problems("> There were 4 child protection cases without an allocated social worker.")["4"]


def test_a_refusal_is_an_issue_never_a_zero():
    found = problems("Section 12(1) applies to parts (b) and (c), and we will not be providing those figures.")
    assert any("refused or withheld" in p for p in found.values())
