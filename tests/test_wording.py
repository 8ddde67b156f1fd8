"""What the coverage's words mean (unallocated.wording): each hedge, its edges, and intervals.

Expected values are the coverage's own figures (data/published_figures.csv) and arithmetic on
them, never output of the code under test.
"""
from __future__ import annotations

import math

import pytest

from unallocated.wording import Interval, Quantity, WordingError, check, parse


def status(comparison, value):
    return check(comparison, value).status


def share(n, d):
    return Quantity.share(Interval.point(n), Interval.point(d))


@pytest.mark.parametrize("value, expected", [(79, "holds"), (72, "holds"), (80, "fails"), (81, "fails"), (71, "fails")])
def test_almost_is_below_and_within_ten_percent(value, expected):
    assert status("almost 80", value) == expected


def test_nearly_is_almost():
    assert parse("nearly 80").accepted == parse("almost 80").accepted


@pytest.mark.parametrize("value, expected", [(8000, "fails"), (8001, "holds"), (8338, "holds"), (7999, "fails")])
def test_more_than_is_strict(value, expected):
    assert status("more_than 8000", value) == expected
    assert status("over 8,000", value) == expected


@pytest.mark.parametrize("value, expected", [(38, "holds"), (42, "holds"), (40, "holds"), (37, "fails"), (43, "fails")])
def test_about_is_within_five_percent(value, expected):
    assert status("about 40", value) == expected


def test_a_quarter_range_and_birmingham():
    accepted = parse("a_quarter").accepted
    assert math.isclose(accepted.low, 0.225) and math.isclose(accepted.high, 0.275)
    assert status("a_quarter", share(852, 3639)) == "holds"  # 23.4%, printed as 'a quarter'
    assert status("a_quarter", share(20, 100)) == "fails"  # one in five
    assert status("a_quarter", share(30, 100)) == "fails"  # three in ten


def test_nearly_one_in_six_is_just_below():
    assert status("nearly 1/6", share(14, 89)) == "holds"  # 15.7%
    assert status("nearly 1/6", share(15, 89)) == "fails"  # 16.9%: above one in six
    assert status("nearly 1/6", share(13, 89)) == "fails"  # 14.6%: too far below


def test_almost_half():
    assert status("almost 1/2", share(44, 89)) == "holds"
    assert status("almost 1/2", share(45, 89)) == "fails"  # 50.6%


@pytest.mark.parametrize("councils, expected", [(5, "holds"), (4, "fails"), (6, "fails")])
def test_percent_rounds_to_whole_number(councils, expected):
    # the register's rounding table: only 5 of 89 gives 6%
    assert status("percent 6 of 89", share(councils, 89)) == expected


def test_percent_rounds_half_up():
    assert status("percent 6", Interval.point(0.055)) == "holds"
    assert status("percent 6", Interval.point(0.065)) == "fails"


def test_a_further_percent_is_a_rounded_percent():
    assert status("a_further_percent 3 of 89", share(3, 89)) == "holds"
    assert status("a_further_percent 3 of 89", share(4, 89)) == "fails"


def test_all_but_is_total_minus_exactly_n():
    assert parse("all_but 9 of 165").accepted == Interval.point(156)
    assert status("all_but 9 of 165", 156) == "holds"
    assert status("all_but 9 of 165", 155) == "fails"
    assert status("all_but 9 of 165", 165) == "fails"


def test_n_out_of_m_is_exact_in_both_parts():
    assert status("ratio 132/404", share(132, 404)) == "holds"
    assert status("ratio 132/404", share(132, 407)) == "fails"
    assert status("ratio 132/404", share(131, 404)) == "fails"
    with pytest.raises(WordingError):
        check("ratio 132/404", 132)  # no denominator to compare


def test_none_and_exact():
    assert status("none", 0) == "holds"
    assert status("none", 1) == "fails"
    assert status("exact 448", 448) == "holds"


def test_interval_holds_only_if_all_of_it_does():
    # Barnsley's correction turns 448 into 397 to 406
    assert status("exact 448", Interval(397, 406)) == "fails"
    assert status("more_than 8000", Interval(8182, 8338)) == "holds"
    # "over 1,000" stored as at_least 1,001 with no upper bound
    assert status("more_than 1000", Interval.bounds(1001, float("nan"))) == "holds"
    result = check("more_than 1000", Interval(900, 1100))
    assert result.status == "undetermined"
    assert "undetermined" in result.explanation and "1,100" in result.explanation


def test_share_straddling_the_rounding_edge_is_undetermined():
    # after the correction: 43 or 44 of 89 councils (48.3% or 49.4%); 49% needs 48.5% to 49.5%
    q = Quantity.share(Interval(43, 44), Interval.point(89))
    result = check("percent 49 of 89", q)
    assert result.status == "undetermined"
    assert "48.5%" in result.explanation


def test_fell_by_applies_the_inner_comparison_to_the_fall():
    assert status("fell_by more_than 800", Interval.point(1866) - Interval.point(1000)) == "holds"
    assert status("fell_by more_than 800", Interval.point(1866) - Interval.point(1100)) == "fails"
    # February known only as "more than 1,000": the fall is at most 865, maybe less than 800
    assert status("fell_by more_than 800", Interval.point(1866) - Interval.bounds(1001, None)) == "undetermined"


def test_each_check_reports_the_interval_it_tested():
    result = check("almost 80", 79)
    assert result.accepted == Interval(72, 80, False, True)
    assert result.tested == Interval.point(79)


@pytest.mark.parametrize("text", ["", "bogus 5", "percent", "all_but 9", "ratio 132", "more_than many",
                                  "fell_by", "fell_by percent 5", "exact 5 extra"])
def test_unreadable_comparisons_are_refused(text):
    with pytest.raises(WordingError):
        parse(text)


def test_share_wording_refuses_a_count():
    with pytest.raises(WordingError):
        check("percent 6", 5)
