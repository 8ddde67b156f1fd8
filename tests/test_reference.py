"""The official statistics reference table (`unallocated.sources.reference`).

Expected figures come from the publications, not from running the code:
England at 31 March 2010 - 375,900 children in need and 39,100 child protection plans
(OSR28/2010, national row), 64,400 looked after (SFR27/2010 table LAA1); 152 councils with
children's services in 2010; Derbyshire and Hackney supplied no 2010 CIN census ('..').
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from unallocated import paths
from unallocated.sources import reference


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return reference.load_official_stats()


@pytest.fixture(scope="module")
def rebuilt() -> pd.DataFrame:
    return reference.build_official_stats(paths.RAW_OFFICIAL)


def _value(t, level, measure, year, **where):
    rows = t[(t["geography_level"] == level) & (t["measure"] == measure) & (t["year"] == year)]
    for k, v in where.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# ----------------------------------------------------------------- the committed table

def test_england_2010_from_national_rows(committed):
    assert _value(committed, "national", "children_in_need", 2010)["value"] == 375_900
    assert _value(committed, "national", "child_protection_plans", 2010)["value"] == 39_100
    assert _value(committed, "national", "looked_after", 2010)["value"] == 64_400


def test_152_councils_in_2010(committed):
    la = committed[(committed["geography_level"] == "la") & (committed["year"] == 2010)]
    assert la["old_la_code"].nunique() == 152
    # every 2010 council has a children-in-need row, values or not
    assert (la["measure"] == "children_in_need").sum() == 152


@pytest.mark.parametrize("code,name", [("830", "Derbyshire"), ("204", "Hackney")])
def test_not_supplied_is_nan_not_zero(committed, code, name):
    row = _value(committed, "la", "children_in_need", 2010, old_la_code=code)
    assert row["name"] == name
    assert math.isnan(row["value"])
    assert row["status"] == "not_supplied"


def test_codes_are_text(committed):
    assert committed["old_la_code"].map(type).eq(str).all()
    la = committed[committed["geography_level"] == "la"]
    # three digits, leading zeros would survive; csww's joint services are "314 / 318"
    assert la["old_la_code"].str.fullmatch(r"\d{3}( / \d{3})*").all()
    assert (committed.loc[committed["geography_level"] != "la", "old_la_code"] == "").all()


def test_symbols_never_become_zero(committed):
    """Every NaN value carries a non-ok status and every ok row has a value."""
    missing = committed["value"].isna()
    assert (committed.loc[missing, "status"] != "ok").all()
    assert committed.loc[committed["status"] == "ok", "value"].notna().all()
    assert set(committed["status"]) <= set(reference.STATUSES)
    assert set(committed["measure"]) == set(reference.MEASURES)
    # A non-ok status with a value is only allowed where the symbol keeps one (u, derived).
    kept = committed[~missing & (committed["status"] != "ok")]
    assert set(kept["status"]) <= {"low_reliability", "derived"}


def test_wide_pivots_measures(committed):
    w = reference.wide(2010, "la", table=committed)
    assert len(w) == 152
    row = w[w["old_la_code"] == "830"].iloc[0]
    assert math.isnan(row["children_in_need"])


# ----------------------------------------------------------------- against the raw files

@pytest.mark.needs_raw
def test_rebuild_equals_committed_csv_byte_for_byte(rebuilt):
    committed_bytes = (paths.REFERENCE / reference.CSV_NAME).read_bytes()
    assert reference.to_csv_bytes(rebuilt) == committed_bytes


@pytest.mark.needs_raw
def test_missing_raw_file_names_file_and_folder(tmp_path):
    from unallocated.errors import DataFileError

    with pytest.raises(DataFileError, match=r"osr28-2010ud\.csv.*" + str(tmp_path).replace("/", ".")):
        reference.build_official_stats(tmp_path)


@pytest.mark.needs_raw
def test_cin_and_cpp_rates_2010_2012_agree_with_dfe_population(rebuilt):
    """2010-2012: DfE's files print their own 0-17 denominator (rounded to the nearest 100, per the
    metadata) next to rates to one decimal; count / population must reproduce the rate within
    half a decimal plus what the population's rounding (up to 50 children) can move it."""
    for count, rate in [("children_in_need", "children_in_need_rate_per_10k"),
                        ("child_protection_plans", "cpp_rate_per_10k")]:
        c = reference.rate_check(rebuilt[rebuilt["year"] <= 2012], count, rate, digits=1)
        # exact interval, not a first-order bound: it matters for tiny councils (Isles of Scilly)
        low = c["count"] / (c["population"] + 50) * 10_000 - c["tolerance"]
        high = c["count"] / (c["population"] - 50) * 10_000 + c["tolerance"]
        c["agrees"] = c["published_rate"].between(low, high)
        bad = c[~c["agrees"]]
        # 2010 England rates are printed as whole numbers (341, 36): half a unit, not 0.05.
        bad = bad[~((bad["geography_level"] == "national") & (bad["year"] == 2010)
                    & (bad["difference"].abs() <= 0.5))]
        if count == "child_protection_plans":
            # Genuine mismatches in OSR26/2011 itself: the printed CPP rate does not go with the
            # printed count and population for these four councils (Liverpool 503 plans, 84,939
            # children, rate 73.3; Wakefield; Brent; Lancashire). Kept as published.
            known = {("341", 2011), ("384", 2011), ("304", 2011), ("888", 2011)}
            assert set(zip(bad["old_la_code"], bad["year"])) == known, bad.to_string()
        else:
            assert bad.empty, bad.to_string()
        assert len(c) > 440


@pytest.mark.needs_raw
def test_looked_after_rates_2019_2025_agree_within_rounding(rebuilt):
    """DfE publishes looked-after rates as whole numbers (half a unit of tolerance) and rounds
    national and regional counts to the nearest 10 (so up to 5 children more or less)."""
    t = rebuilt[rebuilt["year"].between(2019, 2025)]
    c = reference.rate_check(t, "looked_after", "looked_after_rate_per_10k", digits=0,
                             count_rounding={"national": 10, "regional": 10})
    disagree = c[~c["agrees"]]
    assert disagree.empty, "council-years disagreeing with DfE:\n" + disagree.to_string()
    # every council-year with a count, a population and a rate was compared
    assert c.groupby("year").size().min() >= 150


@pytest.mark.needs_raw
def test_cin_counts_same_in_2023_and_2025_releases():
    """The 2023 release (with rates) and 2025 release (without) give identical CIN counts
    2013-2023, so any rate difference below is the denominator, not the count."""
    def read(name):
        d = pd.read_csv(paths.RAW_OFFICIAL / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        d = d[d["time_period"].astype(int) <= 2023]
        return d.set_index(["time_period", "geographic_level", "region_code", "old_la_code"])["At31_episodes"]
    old, new = read("release-2023/b1_children_in_need_2013_to_2023.csv"), read(reference.F_CIN_EES)
    assert old.sort_index().equals(new.reindex(old.index).sort_index())


def _cin_comparison(rebuilt):
    t = rebuilt[rebuilt["year"].between(2013, 2023)]
    # national and regional CIN counts are rounded to the nearest 10 in the EES files
    return reference.rate_check(t, "children_in_need", "children_in_need_rate_per_10k", digits=1,
                                count_rounding={"national": 10, "regional": 10})


@pytest.mark.needs_raw
def test_cin_rates_2013_2023_report_disagreements(rebuilt):
    """Report, never hide, council-years where DfE's CIN rate is not reproduced within rounding.

    DfE computed these rates with the ONS estimates current at each publication; the ONS file
    here is the series ONS revised after the 2021 Census (2012-2020 rebased), revised most in
    inner London. So most council-years differ by a little, and a few by a lot. The strict check
    is `test_cin_rates_2013_2023_within_rounding` below (expected to fail, for that reason).
    """
    c = _cin_comparison(rebuilt)
    assert len(c) > 11 * 150
    c["relative"] = c["recomputed_rate"] / c["published_rate"] - 1
    bad = c[~c["agrees"]]
    by_year = bad.groupby("year").size().reindex(range(2013, 2024), fill_value=0)
    worst = bad.reindex(bad["relative"].abs().sort_values(ascending=False).index).head(10)
    warnings.warn(
        "children-in-need rates 2013-2023 not reproduced within rounding from the ONS file: "
        f"{len(bad)} of {len(c)} geography-years; by year {by_year.to_dict()}; largest:\n"
        + worst[["year", "name", "count", "population", "published_rate", "recomputed_rate"]].to_string(),
        stacklevel=1,
    )
    # England: the revision moved England's 0-17 estimate by under 3%.
    eng = c[c["geography_level"] == "national"]
    assert len(eng) == 11
    assert (eng["relative"].abs() < 0.03).all(), eng.to_string()


@pytest.mark.needs_raw
@pytest.mark.xfail(strict=True, reason="DfE's 2013-2023 CIN rates use pre-revision ONS estimates; "
                   "the ONS file here is the post-2021-Census revised series (see the report test)")
def test_cin_rates_2013_2023_within_rounding(rebuilt):
    c = _cin_comparison(rebuilt)
    assert c["agrees"].all()
