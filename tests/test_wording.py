"""What the coverage's words mean (unallocated.factcheck.wording): each hedge, its edges, and intervals.

Expected values are the coverage's own figures (data/published_figures.csv) and arithmetic on
them, never output of the code under test.
"""
from __future__ import annotations

import math

import pytest

from unallocated.factcheck.wording import Interval, Quantity, WordingError, check, parse


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


# --- the everyday hedges: fewer than, at most, as many as, one in N ---------------------------------

@pytest.mark.parametrize("text", ["fewer_than 5", "less_than 5", "under 5", "fewer than 5", "less than 5"])
@pytest.mark.parametrize("value, expected", [(4, "holds"), (0, "holds"), (5, "fails"), (6, "fails")])
def test_fewer_than_is_strict_and_has_no_floor(text, value, expected):
    # a council's "<5" is 0 to 4
    assert status(text, value) == expected


def test_fewer_than_a_range():
    assert status("fewer than 5", Interval(0, 4)) == "holds"
    assert status("fewer than 5", Interval(3, 5)) == "undetermined"


@pytest.mark.parametrize("text", ["at_most 12", "up_to 12", "no_more_than 12", "up to 12", "no more than 12"])
@pytest.mark.parametrize("value, expected", [(12, "holds"), (0, "holds"), (13, "fails")])
def test_at_most_includes_its_number(text, value, expected):
    assert status(text, value) == expected


@pytest.mark.parametrize("value, expected", [(500, "holds"), (450, "holds"), (449, "fails"), (501, "fails"),
                                             (300, "fails")])
def test_as_many_as_is_the_top_and_at_most_ten_percent_below(value, expected):
    assert status("as_many_as 500", value) == expected
    assert status("as many as 500", value) == expected


@pytest.mark.parametrize("n, d, expected", [
    (1, 8, "holds"),      # 12.5%
    (2, 15, "holds"),     # 13.33%: 1/share = 7.5 rounds (half up) to 8
    (2, 17, "fails"),     # 11.76%: 1/share = 8.5 rounds to 9, "one in nine"
    (1, 7, "fails"),      # 14.3%: one in seven
    (1, 9, "fails"),      # 11.1%: one in nine
    (100, 800, "holds"),
])
def test_one_in_eight_edges(n, d, expected):
    for text in ("one_in 8", "one_in eight", "one in eight"):
        assert status(text, share(n, d)) == expected, text


def test_one_in_n_does_not_overlap_its_neighbours_for_large_n():
    twelve, eleven = parse("one in twelve").accepted, parse("one in eleven").accepted
    assert not twelve.intersects(eleven)
    assert twelve.contains(Interval.point(1 / 12))


@pytest.mark.parametrize("text", ["one_in 1", "one_in 2.5", "one in many", "fewer_than 5 of 9", "at_most",
                                  "one_in 8 extra"])
def test_new_hedges_refuse_what_they_cannot_read(text):
    with pytest.raises(WordingError):
        parse(text)


def test_new_hedges_are_counts_or_shares():
    assert parse("fewer than 5").scale == parse("up to 12").scale == parse("as many as 5").scale == "count"
    assert parse("one in eight").scale == "share"
    with pytest.raises(WordingError):
        check("one in eight", 5)
