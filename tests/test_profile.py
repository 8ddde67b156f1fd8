"""A council's report (`unallocated.pages.profile`), checked against the data files themselves.

Expected values come from `data/corrections.csv`, the raw return files in
`data/raw/returns/2010/` (the cell a council wrote) and `data/reference/official_stats.csv`,
never from the code under test.
"""
from __future__ import annotations

import csv
import math

import openpyxl
import pandas as pd
import pytest

from unallocated import paths
from unallocated.sources import councils
from unallocated.pages import profile

RETURNS = paths.RAW_RETURNS / "2010"
NEEDS_RETURNS = pytest.mark.skipif(not any(RETURNS.glob("*.xlsx")),
                                   reason="simulated returns not in data/raw/returns/2010 (make simulate)")
pytestmark = NEEDS_RETURNS


@pytest.fixture(scope="module")
def returns():
    from unallocated.rounds import dataset

    return dataset.returns_2010(corrected=True)


@pytest.fixture(scope="module")
def published():
    from unallocated.rounds import dataset

    return dataset.returns_2010(corrected=False)


def _barnsley_correction() -> dict[str, str]:
    with open(paths.DATA / "corrections.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["council"] == "Barnsley"]
    assert len(rows) == 1
    return rows[0]


def _cell(file: str, sheet: str, cell: str):
    wb = openpyxl.load_workbook(RETURNS / file, read_only=True)
    return wb[sheet][cell].value


def _row(table, definition, case_type, council=None):
    got = table[(table["definition"] == definition) & (table["case_type"] == case_type)]
    if council is not None:
        got = got[got["council"] == council]
    assert len(got) == 1, got
    return got.iloc[0]


# --------------------------------------------------------------------------- Barnsley


def test_barnsley_corrected_is_a_range_per_case_type_and_exact_in_total(returns):
    corr = _barnsley_correction()
    true_total = int(corr["corrected_unallocated_total"])  # 9
    table = profile.cases_by_definition(returns, "Barnsley")
    for case_type in corr["case_types"].split(";"):  # lac, cin: the split was not published
        row = _row(table, "no_professional", case_type)
        assert row["shown"] == f"0 to {true_total}"
        assert (row["low"], row["high"]) == (0, true_total)
        assert row["qualifier"] != "exact"
        assert row["view"] == "as_corrected"
        assert corr["correction_id"] in row["source"]
        assert "barnsley_foi_response" not in row["source"]  # not a cell of the council's own file
    total = _row(table, "no_professional", "total")
    assert total["shown"] == str(true_total)
    assert (total["low"], total["high"]) == (true_total, true_total)


def test_barnsley_as_published_shows_what_was_printed(published):
    corr = _barnsley_correction()
    printed = dict(p.split("=") for p in corr["published_values"].split(";"))  # lac=51;cin=114
    table = profile.cases_by_definition(published, "Barnsley")
    for case_type, value in printed.items():
        row = _row(table, "no_professional", case_type)
        assert row["shown"] == value
        assert row["view"] == "as_published"
        assert "barnsley_foi_response" in row["source"]


def test_barnsley_summary_gives_the_correction_with_its_date_and_source(returns, published):
    corr = _barnsley_correction()
    date = pd.Timestamp(corr["correction_date"])
    text = profile.summary("Barnsley", returns, "no_professional", published).markdown()
    assert text.startswith("# Barnsley")
    assert f"{date.day} {date:%B %Y}" in text  # 6 December 2010
    assert corr["source_url"] in text
    true_total = corr["corrected_unallocated_total"]
    assert f"looked after 0 to {true_total} and children in need 0 to {true_total}" in text
    assert f"{true_total} cases in total" in text
    for value in dict(p.split("=") for p in corr["published_values"].split(";")).values():
        assert value in text
    assert "SIMULATED" in text


def test_barnsley_correction_text_names_date_and_source():
    corr = _barnsley_correction()
    text = profile.correction_text(corr["correction_id"])
    assert "6 December 2010" in text
    assert "Community Care" in text


# --------------------------------------------------------------------------- qualifiers from the cells


def test_leicestershire_not_supplied_share_makes_at_least_540(returns):
    # Its file: E9 (children in need, no one allocated) "540"; D9 (other professional) "5%",
    # a share rather than a count: so under "no qualified social worker" at least 540.
    assert _cell("leicestershire_foi_response.xlsx", "FOI response", "E9") == "540"
    assert _cell("leicestershire_foi_response.xlsx", "FOI response", "D9") == "5%"
    table = profile.cases_by_definition(returns, "Leicestershire")
    row = _row(table, "no_qualified_social_worker", "cin")
    assert row["qualifier"] == "at_least" and row["low"] == 540
    assert row["shown"] != "540" and row["shown"].startswith("540")
    assert _row(table, "no_professional", "cin")["shown"] == "540"


def test_north_tyneside_about_50(returns):
    assert _cell("north_tyneside_foi_response.xlsx", "FOI response", "D9") == "c. 50"
    row = _row(profile.cases_by_definition(returns, "North Tyneside"), "no_qualified_social_worker", "cin")
    assert row["qualifier"] == "approx"
    assert row["shown"].startswith("about 50")


def test_bradford_fewer_than_5(returns):
    with open(RETURNS / "bradford_foi_data.csv", newline="", encoding="utf-8") as f:
        cell = list(csv.reader(f))[17][2]  # C18
    assert cell == "<5"
    row = _row(profile.cases_by_definition(returns, "Bradford"), "no_qualified_social_worker", "cin")
    assert (row["low"], row["high"]) == (0, 4)
    assert row["shown"] == "0 to 4"


# --------------------------------------------------------------------------- no return, successors


def _no_return_council(returns) -> councils.Council:
    files = {p.name.split("_")[0] for p in RETURNS.iterdir()}
    have = set(returns["council_code"])
    for c in councils.councils(in_2010=True):
        if c.old_la_code not in have and c.name.split()[0].lower() not in files:
            return c
    raise AssertionError("every council returned")


def test_a_council_that_did_not_return_says_so_and_that_responders_are_simulated(returns):
    who = _no_return_council(returns)
    table = profile.cases_by_definition(returns, who.name)
    assert not table.empty
    assert set(table["return_status"]) == {"no_return"}
    assert set(table["shown"]) == {"no return"}
    text = profile.summary(who, returns).markdown()
    assert f"{who.name} is not among the 89 councils" in text
    assert "set of responders" in text and "SIMULATED" in text
    assert "did not answer" in text  # "this does not mean ... did not answer"


def test_bcp_shows_bournemouth_and_poole_and_how_they_map(returns):
    assert (RETURNS / "poole_return.xlsx").exists()
    assert not list(RETURNS.glob("bournemouth*"))
    bcp = profile.council_of("Bournemouth, Christchurch and Poole")
    table = profile.cases_by_definition(returns, bcp)
    by_council = table.groupby("council")["return_status"].agg(set).to_dict()
    assert by_council["Poole"] == {"returned"}
    assert by_council["Bournemouth"] == {"no_return"}
    text = profile.summary(bcp, returns).markdown()
    assert "Boundary change" in text and "Bournemouth and Poole" in text
    assert "Poole's 2010 return" in text


@pytest.mark.parametrize("successor", ["Cumberland", "Westmorland and Furness"])
def test_cumbria_successors(returns, successor):
    who = profile.council_of(successor)
    assert [p.name for p in profile.covered(who)] == ["Cumbria"]
    text = profile.summary(who, returns).markdown()
    assert "Cumbria" in text and "Boundary change" in text


@pytest.mark.parametrize("successor", ["North Northamptonshire", "West Northamptonshire"])
def test_northamptonshire_successors(returns, successor):
    who = profile.council_of(successor)
    assert [p.name for p in profile.covered(who)] == ["Northamptonshire"]
    table = profile.cases_by_definition(returns, who)
    assert set(table["council"]) == {"Northamptonshire"}


@pytest.mark.parametrize("predecessor,successors", [
    ("Cumbria", ["Cumberland", "Westmorland and Furness"]),
    ("Northamptonshire", ["North Northamptonshire", "West Northamptonshire"])])
def test_a_predecessor_points_to_its_successors(returns, predecessor, successors):
    from unallocated.run.reproduce import profile_job

    text = profile.summary(predecessor, returns).markdown()
    assert "ceased on" in text
    for s in successors:
        # a link to the very file `make reproduce` writes for the successor, beside this report
        assert f"[{s}]({profile_job(s).html.name})" in text
    # and each successor's report links back to the predecessor's
    for s in successors:
        back = profile.summary(s, returns).markdown()
        assert f"[{predecessor}]({profile_job(predecessor).html.name})" in back


def test_after_correction_only_where_the_correction_changes_the_figures(returns, published):
    changed = profile.summary("Barnsley", returns, "no_professional", published).markdown()
    assert "9 cases in total (child protection 0, looked after 0 to 9 and children in need 0 to 9) as " \
           "corrected (before the correction: 165 cases in total" in changed
    # "published" is said only of what was printed: a sum of the returns is "before the correction"
    assert "as published" not in changed
    # 156 of the 165 were held by other professionals: still without a qualified social worker.
    same = profile.summary("Barnsley", returns, "no_qualified_social_worker", published).markdown()
    assert "(before the correction:" not in same
    assert "the correction does not change them under this definition" in same


def test_council_of_refuses_an_unknown_name(returns):
    with pytest.raises(councils.CouncilNotFound, match="Narnia"):
        profile.council_of("Narnia")
    with pytest.raises(councils.CouncilNotFound, match="Narnia"):
        profile.cases_by_definition(returns, "Narnia")


def test_council_of_takes_names_and_codes():
    assert profile.council_of("370").name == "Barnsley"
    assert profile.council_of("Barnsley Metropolitan Borough Council").name == "Barnsley"
    assert profile.council_of("Cumberland").old_la_code == "942"


# --------------------------------------------------------------------------- official figures


@pytest.mark.parametrize("name", ["Barnsley", "Cumberland", "Cumbria", "Bournemouth, Christchurch and Poole"])
def test_official_series_has_no_gap_without_a_reason(name):
    series = profile.official_series(name)
    assert set(series["year"]) == set(range(2010, 2026))
    gaps = series[series["value"].isna()]
    assert (gaps["why"].str.len() > 0).all(), gaps
    assert not series["shown"].isna().any()
    assert set(series["layer"]) == {"official"}


def _official(level: str, measure: str, year: int, code: str = "", name: str = ""):
    """A value of data/reference/official_stats.csv as DfE published it (None when absent)."""
    stats = pd.read_csv(paths.DATA / "reference" / "official_stats.csv", dtype={"old_la_code": str},
                        keep_default_na=False, na_values={"value": [""]})
    got = stats[(stats["geography_level"] == level) & (stats["measure"] == measure) & (stats["year"] == year)]
    if code:
        got = got[got["old_la_code"] == code]
    if name:
        got = got[got["name"] == name]
    return None if got.empty or pd.isna(got["value"].iloc[0]) else float(got["value"].iloc[0])


def test_rates_are_dfes_where_dfe_published_one_and_the_projects_otherwise():
    stats = pd.read_csv(paths.DATA / "reference" / "official_stats.csv", dtype={"old_la_code": str})
    la = stats[stats["geography_level"] == "la"]
    region_codes = {c.old_la_code for c in councils.councils() if c.region == "Yorkshire and The Humber"}
    series = profile.official_series("Barnsley")

    def one(geography, year):
        got = series[(series["measure"] == "cin_rate") & (series["geography"] == geography) & (series["year"] == year)]
        assert len(got) == 1
        return got.iloc[0]

    for year in (2010, 2015, 2025):
        published = _official("regional", "children_in_need_rate_per_10k", year, name="Yorkshire and The Humber")
        row = one("region", year)
        if published is not None:  # DfE published a regional rate that year (2013-2023): shown as published
            assert row["value"] == published and row["published_by_dfe"] and "DfE published it" in row["basis"]
            continue
        # none published (2010: DfE's files have no regional totals; 2025: no rates in the release held)
        at = la[(la["year"] == year) & la["old_la_code"].isin(region_codes)]
        cin = at[at["measure"] == "children_in_need"].set_index("old_la_code")["value"].dropna()
        pop = at[at["measure"] == "child_population_0_17"].set_index("old_la_code")["value"].dropna()
        both = cin.index.intersection(pop.index)
        assert row["value"] == pytest.approx(round(10000 * cin[both].sum() / pop[both].sum(), 1), abs=0.05)
        assert not row["published_by_dfe"] and row["basis"].startswith("the project's")
    # Barnsley's and England's own 2010 rates are DfE's, not recomputed from a later population.
    assert one("council", 2010)["value"] == _official("la", "children_in_need_rate_per_10k", 2010, code="370")
    assert one("England", 2010)["value"] == _official("national", "children_in_need_rate_per_10k", 2010)


def test_city_of_londons_2010_figures_are_as_dfe_published_them(returns):
    # DfE published 514.5 per 10,000 (OSR28/2010); 48 over a later population would give 533.3.
    rate = _official("la", "children_in_need_rate_per_10k", 2010, code="201")
    england_count = _official("national", "children_in_need", 2010)
    england_rate = _official("national", "children_in_need_rate_per_10k", 2010)
    assert rate == 514.5 and england_count == 375900
    text = profile.summary("City of London", returns).markdown()
    assert "48 children in need in City of London, 514.5 per 10,000 children (DfE's rate)" in text
    assert f"{england_rate:g} in England (DfE's rate; England's 375,900 children in need as DfE published them)" in text
    table = profile.official_2010_table("City of London")
    cin = table[table["measure"] == "Children in need"].iloc[0]
    assert cin["council_rate_per_10k"] == 514.5 and cin["england_count"] == england_count
    # DfE published no regional total for 2010: the region's figures say they are the project's
    assert "the project's sum" in cin["region_note"] and "the project's" in cin["region_note"]


def _register(figure_id: str) -> dict[str, str]:
    with open(paths.DATA / "published_figures.csv", newline="", encoding="utf-8") as f:
        return next(r for r in csv.DictReader(f) if r["figure_id"] == figure_id)


def test_reports_quote_the_coverage_as_it_was_printed(returns, published):
    barnet = profile.summary("Barnet", returns, published_returns=published).markdown()
    share = _register("cc2010-12-barnet-lac-share")
    assert share["qualifier"] == "percent" and share["value"] == "18"
    assert "18% of Barnet's LAC total" in barnet and "18 looked-after" not in barnet
    essex = profile.summary("Essex", returns, published_returns=published).markdown()
    for figure_id, printed in (("essex-2010-02-cin-unallocated", "more than 1,000"),
                               ("essex-2010-02-total-cases", "more than 8,000"), ("essex-2010-02-fall", "more than 800")):
        row = _register(figure_id)
        assert row["qualifier"] == "more_than", figure_id
        assert f": {printed}" in essex, printed
    for bare in (": 1000 ", ": 8000 ", ": 800 "):
        assert bare not in essex
    derbyshire = profile.summary("Derbyshire", returns, published_returns=published).markdown()
    assert "the two councils combined: more than 1,000" in derbyshire


def test_a_report_claims_agreement_with_a_printed_figure_only_where_the_return_agrees(returns, published):
    essex = profile.summary("Essex", returns, published_returns=published).markdown()
    # Every Essex figure is from February 2010 or an undated local paper: none is about the
    # November 2010 return, so none is said to agree with it (the Gazette's 12 at-risk children,
    # which the return shows as 0, least of all).
    assert "agrees with" not in essex
    twelve = next(line for line in essex.splitlines() if "north Essex health body" in line)
    assert ": 12 (" in twelve and "nothing in the 2010 return speaks to it" in twelve
    sunderland = profile.summary("Sunderland", returns, published_returns=published).markdown()
    assert "the simulated return agrees with it" in sunderland


def test_text_from_a_reply_is_escaped_in_markdown():
    planted = "70 (see <script>alert(1)</script> and <img src=x onerror=alert(2)> **bold** [x](javascript:y))"
    safe = profile.md(planted)
    assert "<script>" not in safe and "<img" not in safe and "&lt;script&gt;" in safe
    import mistune  # what nbconvert renders a page's Markdown with

    rendered = mistune.html(safe)
    assert "<script" not in rendered and "<img" not in rendered and "<strong>" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown as written, as text


def test_a_successor_says_a_split_predecessors_figures_are_not_its_own(returns):
    bcp = profile.summary("Bournemouth, Christchurch and Poole", returns).markdown()
    assert "figures for the whole of Dorset, only part of whose area is now Bournemouth, Christchurch and Poole" in bcp
    assert "whole of Poole" not in bcp  # all of Poole is in BCP
    dorset_council = profile.summary("Dorset Council", returns).markdown()
    assert "figures for the whole of Dorset, only part of whose area is now Dorset Council" in dorset_council


def test_the_cases_table_is_in_words_with_no_return_said_never_zero():
    table = profile.build("Bournemouth, Christchurch and Poole").cases_shown()
    assert not table.astype(str).isin(["nan", "NaN", "<NA>", "0.0"]).any().any()
    bournemouth = table.loc["Bournemouth"]
    for column in ("Child protection", "Looked after", "Children in need", "All three"):
        assert set(bournemouth[column]) == {"no return"}
    assert set(table.loc["Poole", "figures"]) == {"as corrected"} and set(table.loc["Poole", "return"]) == {"SIMULATED return"}
    from unallocated.analysis.layers import INTERNAL_NAMES

    text = table.reset_index().to_csv()
    assert not [n for n in INTERNAL_NAMES if n in text]


# --------------------------------------------------------------------------- a later round

LATER = "2025-simulated"
NEEDS_LATER = pytest.mark.skipif(not (paths.RAW_RETURNS / LATER).is_dir(), reason="no simulated later round")


def _later_cells(file: str) -> dict[str, list]:
    """The case-type rows of a title-block return of the later round, read straight from the file."""
    wb = openpyxl.load_workbook(paths.RAW_RETURNS / LATER / file, read_only=True)
    rows = [r for r in wb.worksheets[0].iter_rows(values_only=True) if r and isinstance(r[1], int)]
    return {str(r[0]).split()[0].lower(): list(r[1:]) for r in rows}  # child / looked / children


@NEEDS_LATER
def test_a_later_rounds_report_shows_that_rounds_return_and_its_years_official_figures():
    cells = _later_cells("barnsley_title_block.xlsx")  # total, qualified, other staff, unallocated
    report = profile.build("Barnsley", round=LATER)
    text = report.report.markdown()
    assert report.report.heading == f"Barnsley: unallocated children's cases in round {LATER}"
    assert "a SIMULATED return, snapshot 31 March 2025" in text
    unallocated = [cells[k][3] for k in ("child", "looked", "children")]
    assert (f"{sum(unallocated)} cases in total (child protection {unallocated[0]}, looked after "
            f"{unallocated[1]} and children in need {unallocated[2]})") in text
    shown = report.cases_shown()
    chosen = shown[shown["figures"] == "as corrected"].iloc[0]
    assert [int(chosen[c]) for c in ("Child protection", "Looked after", "Children in need")] == unallocated
    # the 2010 coverage, its correction and its DfE year are not this round's
    assert "2010" not in text and "Community Care corrected" not in text
    assert report.official_year == 2025 and report.official_2010.index.name == "at 31 March 2025"
    assert "SIMULATED" in report.label


@NEEDS_LATER
def test_a_council_that_ceased_before_a_later_round_shows_the_councils_that_took_over_its_area():
    report = profile.build("Cumbria", round=LATER)
    assert [m.name for m in report.members] == ["Cumberland", "Westmorland and Furness"]
    text = report.report.markdown()
    assert "Cumbria had no children's services on 31 March 2025" in text
    # Cumberland's request is still awaiting a response on the round's tracker: no figure, and it says why
    assert "Nothing of Cumberland's reply" in text and "awaiting response" in text
    assert set(report.cases_shown().loc["Cumberland", "All three"]) == {"no return"}


@NEEDS_LATER
def test_dorset_in_a_later_round_is_dorset_council_and_bcp_each_with_its_own_return():
    report = profile.build("Dorset", round=LATER)
    assert [m.name for m in report.members] == ["Dorset Council", "Bournemouth, Christchurch and Poole"]
    shown = report.cases_shown()
    assert "no return" not in set(shown["All three"])
    text = report.report.markdown()
    assert "Dorset Council's return" in text and "Bournemouth, Christchurch and Poole's return" in text


@NEEDS_LATER
@pytest.mark.slow
def test_make_profile_with_a_later_round_writes_that_rounds_report_under_its_own_outputs(tmp_path):
    import os
    import re
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "unallocated", "profile", "Dorset", "--round", LATER],
                          env={**os.environ, "UNALLOCATED_OUTPUTS": str(tmp_path)}, capture_output=True, text=True,
                          cwd=paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    page = tmp_path / "rounds" / LATER / "profiles" / "835-dorset.html"
    text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    assert f"Dorset: unallocated children's cases in round {LATER}" in text
    assert f"This page is the {LATER} round (SIMULATED returns" in text
    # the report's text is the round's own: no banner warning of 2010's prose, no 2010 DfE table
    assert "written for the 2010" not in text and "At 31 March 2010" not in text
    assert "At 31 March 2025" in text
    assert not (tmp_path / "profiles").exists()  # never where 2010's reports are
