"""Comparing rounds across boundary changes: the smallest groups covering the same area in both
rounds, from the committed table of changes; only questions asked the same way; every council
asked accounted for."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from unallocated import paths
from unallocated.rounds import compare, simulated
from unallocated.rounds import round as rounds
from unallocated.sources import councils

LATER = rounds.Round("later", dt.date(2025, 3, 31), dt.date(2025, 3, 31), "simulated")
EARLIER = rounds.get("2010")


@pytest.fixture(scope="module")
def groups():
    return compare.groups(EARLIER, LATER).set_index("change")


def _names(codes: str) -> set[str]:
    return {councils.get(c).name for c in codes.split(";")}


def test_group_bournemouth_poole_old_dorset_against_bcp_and_dorset_council_christchurch_moving(groups):
    g = groups.loc["dorset-2019"]
    assert _names(g["codes_a"]) == {"Bournemouth", "Poole", "Dorset"}
    assert _names(g["codes_b"]) == {"Bournemouth, Christchurch and Poole", "Dorset Council"}
    # Christchurch was a district of the old county, so BCP and Dorset Council cannot be compared
    # with Bournemouth and Poole, or with Dorset, one by one: one group of five.
    assert "Christchurch" in next(c for c in councils.load_changes() if c["change_id"] == "dorset-2019")["what_changed"]


def test_group_northamptonshire_against_north_and_west_northamptonshire(groups):
    g = groups.loc["northamptonshire-2021"]
    assert _names(g["codes_a"]) == {"Northamptonshire"}
    assert _names(g["codes_b"]) == {"North Northamptonshire", "West Northamptonshire"}


def test_group_cumbria_against_cumberland_and_westmorland_and_furness(groups):
    g = groups.loc["cumbria-2023"]
    assert _names(g["codes_a"]) == {"Cumbria"}
    assert _names(g["codes_b"]) == {"Cumberland", "Westmorland and Furness"}


def test_a_change_of_code_alone_is_the_same_council():
    table = compare.groups(EARLIER, LATER)
    gateshead = table[table["group"] == "Gateshead"].iloc[0]
    assert gateshead["codes_a"] == gateshead["codes_b"] == "390"
    assert gateshead["change"] == "ONS code changed (same council)"
    # the old and the new ONS code find the same council
    assert councils.resolve("E08000020").old_la_code == councils.resolve("E08000037").old_la_code == "390"
    # every council of 2010 and of 2025 is in exactly one group
    for side, r in (("codes_a", EARLIER), ("codes_b", LATER)):
        codes = [c for cell in table[side] for c in cell.split(";") if c]
        assert sorted(codes) == sorted(c.old_la_code for c in r.councils())


def test_rounds_on_the_same_side_of_a_change_are_not_grouped_by_it():
    before = rounds.Round("b", dt.date(2018, 3, 31), None, "simulated")
    table = compare.groups(EARLIER, before)
    assert set(table["change"]) <= {"same council", "ONS code changed (same council)"}


def test_the_changes_table_agrees_with_the_councils_table_and_names_its_sources():
    changes = councils.load_changes()
    for change in changes:
        assert change["source"], change["change_id"]
        if change["kind"] == "reorganisation":
            assert change["source_url"].startswith("https://www.legislation.gov.uk/uksi/")
            day = dt.date.fromisoformat(change["effective_date"])
            for code in change["codes_before"].split(";"):
                assert councils.get(code).to_year == day.year and not councils.get(code).active_on(day)
            for code in change["codes_after"].split(";"):
                c = councils.get(code)
                assert c.from_year == day.year and c.active_on(day)
                assert set(c.predecessors) <= set(change["codes_before"].split(";"))
            ons = dict(zip(change["codes_before"].split(";") + change["codes_after"].split(";"),
                           change["ons_before"].split(";") + change["ons_after"].split(";")))
            assert all(councils.get(code).ons_code == o for code, o in ons.items())
        else:
            c = councils.get(change["codes_before"])
            assert change["codes_before"] == change["codes_after"]
            assert councils.resolve(change["ons_before"]) == councils.resolve(change["ons_after"]) == c


@pytest.mark.skipif(not (paths.RAW_RETURNS / simulated.NAME).is_dir(), reason="no simulated round")
class TestTheShippedRounds:
    def test_every_council_asked_is_accounted_for(self):
        for name, asked in (("2010", 152), (simulated.NAME, 153)):
            acc = compare.accounting(name)
            summary = compare.accounting_summary(acc).set_index("outcome")["councils"]
            assert summary["asked"] == asked == len(acc) == summary.drop("asked").sum()
        assert compare.accounting_summary(compare.accounting("2010")).set_index("outcome")["councils"].to_dict() == \
            {"return in the data": 89, "no return in the data": 63, "asked": 152}

    def test_only_questions_asked_the_same_way_are_compared(self):
        q = compare.questions("2010", simulated.NAME).set_index("category")["compared"]
        assert q.to_dict() == {"total": True, "allocated_qualified": False, "allocated_other": False, "unallocated": False}
        ok, why = compare.comparable("no_professional", "2010", simulated.NAME)
        assert not ok and "shown, not compared" in why

    def test_a_group_is_compared_only_when_all_of_it_answered_and_changes_carry_bounds(self):
        table = compare.compare("2010", simulated.NAME)
        dorset = table[(table["change"] == "dorset-2019") & (table["measure"] == "open cases")].iloc[0]
        assert not dorset["compared"] and "Bournemouth (2010: no return in the data)" in dorset["why_not"]
        assert dorset["change_shown"] == "not compared"
        done = table[table["compared"]]
        assert set(done["measure"]) == {"open cases"}
        row = done.iloc[0]
        assert row["change_low"] == row["2025-simulated_low"] - row["2010_high"]
        assert not table[table["measure"] == "no_professional"]["compared"].any()
        one = compare.only_one_round(table, "2010", simulated.NAME)
        assert "Northamptonshire \u2192 North Northamptonshire + West Northamptonshire" in set(one["group"])

    def test_responders_against_non_responders_on_the_rounds_own_dfe_year(self):
        table = compare.responders(simulated.NAME, permutations=200)
        assert set(table["dfe_year"]) == {2025}
        cin = table.set_index("measure").loc["children in need"]
        assert cin["responders"] + cin["non_responders"] + cin["no_dfe_figure"] == 153
        assert table["p_value"].dropna().between(0, 1).all()

    def test_a_national_figure_for_every_council_is_labelled_an_estimate(self):
        row = compare.national_estimate("2010").iloc[0]
        assert row["responders_figure"] == "8,182" and row["estimate_all_asked"].startswith("about ")
        assert row["assumption"].startswith("ESTIMATE: the 63 councils without figures")
        assert row["hard_bounds"].startswith("8,182 to ")
