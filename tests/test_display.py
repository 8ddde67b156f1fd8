"""The one number formatter: every qualifier and bound shown as a reader should see it."""
import math

import pandas as pd
import pytest

from unallocated import display
from unallocated.display import is_exact, number, share, show, show_row


@pytest.mark.parametrize("args, shown", [
    ((9, "exact"), "9"),
    ((1817, "exact", 1817, 1817), "1,817"),
    ((9, "at_most", 0, 9), "0 to 9"),
    ((406, "at_most", 397.0, 406.0), "397 to 406"),
    ((540, "at_least", 540, float("nan")), "at least 540"),
    ((1001, "at_least"), "at least 1,001"),
    ((50, "approx"), "about 50"),
    ((50, "approx", 0, float("nan")), "about 50"),
    ((11758, "approx", 11704, 19813), "about 11,758 (11,704 to 19,813)"),
    ((11758, "approx", 11704, math.inf), "about 11,758 (at least 11,704)"),
    ((4, "at_most"), "fewer than 5"),
    ((None, "suppressed"), "withheld"),
    ((pd.NA, "not_supplied"), "not supplied"),
    ((None, "not_supplied", 0, 120), "not supplied (0 to 120)"),
    ((0, "exact", 0, 0), "0"),
    ((float("nan"), None), "not supplied"),
])
def test_show(args, shown):
    assert show(*args) == shown


def test_bounds_win_over_a_point_that_looks_exact():
    # a corrected figure whose qualifier says at_most but whose count is the ceiling
    assert show(9, "at_most", 0, 9) != "9"


def test_show_row_reads_prefixed_columns():
    row = pd.Series({"corrected_count": 406, "corrected_qualifier": "at_most",
                     "corrected_low": 397.0, "corrected_high": 406.0})
    assert show_row(row, "corrected_") == "397 to 406"


def test_number_and_share():
    assert number(1234.0) == "1,234"
    assert number(12.50) == "12.5"
    assert number(None) == "" and number(float("nan")) == ""
    assert share(0.4944) == "49%"
    assert share(None) == ""


def test_is_exact():
    assert is_exact(79, "exact")
    assert not is_exact(9, "at_most", 0, 9)
    assert not is_exact(None, "suppressed")


def test_share_range():
    from unallocated.display import share_range
    assert share_range(43 / 89, 44 / 89) == "48.3% to 49.4%"
    assert share_range(44 / 89, 44 / 89) == "49.4%"
    assert share_range(None, 0.5) == "50.0%"


def test_with_shown_derives_the_text_from_the_columns():
    from unallocated.display import with_shown
    table = pd.DataFrame({"count": [406, 79, 11758], "qualifier": ["at_most", "exact", "approx"],
                          "low": [397.0, 79.0, 11704.0], "high": [406.0, 79.0, 19813.0]})
    shown = with_shown(table)
    assert shown["shown"].tolist() == ["397 to 406", "79", "about 11,758 (11,704 to 19,813)"]
    assert "shown" not in table  # a copy
    pref = pd.DataFrame({"removed_count": [4], "removed_qualifier": ["at_most"]})
    assert with_shown(pref, "removed_")["removed_shown"].tolist() == ["fewer than 5"]
    assert with_shown(table.iloc[:0])["shown"].tolist() == []


def test_councils_by_layer_says_how_many_of_each_in_words():
    assert display.councils_by_layer({"simulated": 88, "real_return": 1}) == "89 councils: 1 real return, 88 simulated"
    assert display.councils_by_layer({"simulated": 89}) == "89 councils, all simulated"
    assert display.councils_by_layer({"real_return": 2}) == "2 councils, all real returns"
    assert display.councils_by_layer({"real_return": 1}) == "1 council, a real return"
    assert display.councils_by_layer({"simulated": 88, "real_return": 1}, reviewed=1) == \
        "89 councils: 1 real return, 88 simulated; 1 figure from a person's reading"
    assert display.councils_by_layer({}) == "no councils"


def test_a_printed_figure_is_written_as_its_register_words_it():
    # value, qualifier and denominator as data/published_figures.csv holds them
    assert display.printed(8000, "more_than") == "more than 8,000"
    assert display.printed(80, "almost") == "almost 80"
    assert display.printed(1000, "more_than") == "more than 1,000"  # "over one thousand"
    assert display.printed(18, "percent", "percent of Barnet's LAC total") == "18% of Barnet's LAC total"
    assert display.printed(132, "exact", "of 407 LAC cases") == "132 of 407 LAC cases"
    assert display.printed(0, "none") == "none"
    with pytest.raises(ValueError):
        display.printed(5, "roughly")


def test_layer_and_view_words():
    assert display.VIEW_TEXT == {"as_published": "before the correction", "as_corrected": "as corrected"}
    assert display.layer_words("real_return+simulated") == "real returns and simulated returns"
    assert display.layer_words("simulated counts; official denominators") == "simulated returns and official statistics"
