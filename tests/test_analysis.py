"""The investigation's tables on the shipped returns, against the figures the coverage published.

Expected values are the published figures (Community Care, 16 Nov and 6 Dec 2010), never output
of the code under test.
"""
from __future__ import annotations

import pandas as pd
import pytest

from unallocated import analysis, paths
from unallocated.rounds import dataset
from unallocated.model.categories import DEFINITIONS


@pytest.fixture(scope="module")
def returns():
    return dataset.returns_2010()


@pytest.fixture(scope="module")
def corrected():
    return dataset.returns_2010(corrected=True)


def test_headline_is_the_published_one(returns):
    both = analysis.headline(returns)
    assert list(dict.fromkeys(both["view"])) == ["as_corrected", "as_published"]  # corrected first
    table = both[both["view"] == "as_published"].set_index("case_type")
    assert table.loc["cp", "count"] < 80  # "almost 80"
    assert table.loc["lac", "count"] == 448
    assert table.loc["cin", "count"] == 7811
    assert table.loc["total", "count"] > 8000  # "more than 8,000"
    assert (table["qualifier"] == "exact").all()
    assert (table["councils"] == 89).all()
    assert set(both["layer"]) == {"simulated"}


def test_headline_as_corrected_shows_barnsley_as_ranges(returns):
    # the correction: 51 + 114 published, 9 truly unallocated, split unknown
    both = analysis.headline(returns)
    corrected = both[both["view"] == "as_corrected"].set_index("case_type")
    published = both[both["view"] == "as_published"].set_index("case_type")
    assert corrected.loc["lac", "shown"] == f"{448 - 51:,} to {448 - 51 + 9:,}"
    assert corrected.loc["cin", "shown"] == f"{7811 - 114:,} to {7811 - 114 + 9:,}"
    assert corrected.loc["total", "count"] == published.loc["total", "count"] - 156
    assert corrected.loc["total", "shown"] == f"{int(published.loc['total', 'count']) - 156:,}"


def test_shares_round_to_the_published_percentages(returns):
    register = pd.read_csv(paths.DATA / "published_figures.csv", dtype=str).set_index("figure_id")["value"]
    published = {"cp_no_professional": "cc2010-share-cp-unallocated", "cp_other_only": "cc2010-share-cp-other-staff",
                 "lac_not_qualified": "cc2010-share-lac", "cin_unallocated": "cc2010-share-cin"}
    both = analysis.published_shares(returns)
    shares = both[both["view"] == "as_published"].set_index("share_id")
    for share_id, figure_id in published.items():
        assert shares.loc[share_id, "percent_rounded"] == float(register[figure_id]), share_id
        # No withheld or unreadable count makes any of these uncertain in the shipped returns.
        assert shares.loc[share_id, "councils_low"] == shares.loc[share_id, "councils"] == shares.loc[share_id, "councils_high"]
    # After the correction Barnsley's children in need are 0 to 9: 43 or 44 councils, not 44 for sure.
    cin = both[(both["view"] == "as_corrected") & (both["share_id"] == "cin_unallocated")].iloc[0]
    assert (cin["councils_low"], cin["councils_high"]) == (43, 44)
    assert cin["councils_shown"] == "43 to 44" and cin["percent_shown"] == "48.3% to 49.4%"


def test_walk_runs_from_widest_to_narrowest_reading(returns):
    both = analysis.walk(returns)
    for view in ("as_published", "as_corrected"):
        walk = both[both["view"] == view]
        remaining = walk["count"].astype(int).tolist()
        assert remaining == sorted(remaining, reverse=True)
        ends = walk.set_index("definition_reached")["count"]
        for name in DEFINITIONS:
            head = analysis.headline(returns, name)
            total = head[head["view"] == view].set_index("case_type").loc["total", "count"]
            assert ends[name] == total, (view, name)
        # Each step removes exactly the difference between consecutive rows.
        removed = walk["removed_count"].iloc[1:].astype(int).tolist()
        assert removed == [a - b for a, b in zip(remaining, remaining[1:])]
    # the widest reading is approximate, and says so with its bounds
    first = both.iloc[0]
    assert first["qualifier"] == "approx" and first["shown"].startswith("about ") and " to " in first["shown"]


def test_named_councils_carry_their_published_figures(returns, corrected):
    named = analysis.named_councils(returns, corrected).set_index(["council", "definition", "view"])["count"]
    assert named["Birmingham", "no_qualified_social_worker", "as_published"] == 58 + 644 + 736
    assert named["Barnsley", "no_professional", "as_published"] == 51 + 114
    assert named["Barnsley", "no_professional", "as_corrected"] == 9
    assert (named["Derbyshire", "no_professional", "as_published"]
            + named["Lincolnshire", "no_professional", "as_published"]) > 1000
    assert analysis.named_councils(returns, corrected)["in_returns"].all()


def test_correction_gives_ranges_by_case_type_and_an_exact_total(returns):
    table = analysis.corrected_national(returns).set_index("case_type")
    assert (table.loc["lac", "corrected_low"], table.loc["lac", "corrected_high"]) == (448 - 51, 448 - 51 + 9)
    assert (table.loc["cin", "corrected_low"], table.loc["cin", "corrected_high"]) == (7811 - 114, 7811 - 114 + 9)
    assert table.loc["total", "published_count"] - table.loc["total", "corrected_count"] == 156
    assert table.loc["total", "corrected_range"] == f"{int(table.loc['total', 'corrected_count']):,}"


def test_ranking_uses_official_denominators_and_never_ranks_on_a_missing_one(returns):
    ranking = analysis.ranking(returns)
    assert set(ranking["view"]) == {"as_corrected"}
    derbyshire = ranking[ranking["council"] == "Derbyshire"].iloc[0]
    assert pd.isna(derbyshire["dfe_open_cases_2010"]) and pd.isna(derbyshire["rank"])  # DfE ".." in 2010
    assert derbyshire["not_ranked"]
    assert (ranking["rank"].isna() == (ranking["not_ranked"] != "")).all()
    ranked = ranking.dropna(subset=["rank"])
    assert ranked["per_100_dfe"].is_monotonic_decreasing
    sunderland = ranking[ranking["council"] == "Sunderland"].iloc[0]
    assert sunderland["dfe_open_cases_2010"] == 2243  # osr28-2010ud.csv, CINAt310310


def test_profile_tables_for_a_council_with_and_without_a_return(returns):
    sunderland = analysis.council_counts_by_definition(returns, "394").set_index("case_type")
    assert sunderland.loc["cp", "no_professional"] == 7
    assert sunderland.loc["cp", "councils_reading"] == 0  # all 7 were in transit
    context = analysis.official_context("394").set_index("at 31 March 2010")
    assert context.loc["children_in_need", "England"] == 375900
    assert context.loc["looked_after", "England"] == 64400
    absent = sorted(set(analysis.official_2010().index) - set(returns["council_code"]))[0]
    assert analysis.council_counts_by_definition(returns, absent).empty


def test_timelines_keep_published_values_and_label_the_mix():
    table = analysis.timeline_table(dataset.timelines())
    birmingham = table[(table["council"] == "Birmingham")].set_index("case_type")
    assert birmingham.loc["cin", "no_qualified_social_worker"] == 852
    assert birmingham.loc["cin", "open_cases"] == 3639
    assert birmingham.loc["lac", "no_qualified_social_worker"] == 232
    assert birmingham.loc["lac", "open_cases"] == 1999
    assert set(birmingham["layer"]) == {"published+simulated"}
    essex_feb = table[(table["council"] == "Essex") & (table["snapshot_date"] == "2010-02-01")
                      & (table["case_type"] == "cin")].iloc[0]
    assert essex_feb["no_professional"] > 1000 and essex_feb["no_professional_qualifier"] == "at_least"


def test_barnsley_leads_only_as_published(returns):
    # The 16 November figures put Barnsley's 165 first; the 6 December correction leaves it 9.
    published = analysis.ranking(returns, view="as_published")
    corrected = analysis.ranking(returns)
    assert published.iloc[0]["council"] == "Barnsley"
    barnsley = corrected[corrected["council"] == "Barnsley"].iloc[0]
    assert barnsley["count"] == 9 and barnsley["rank"] > 1
    change = analysis.ranking_change(returns)
    assert set(change["view"]) == {"as_corrected", "as_published"}
    assert change.iloc[0]["council"] == "Barnsley"


def test_corrected_national_in_long_form(returns):
    long = analysis.long_views(analysis.corrected_national(returns)).set_index(["case_type", "view"])
    assert long.loc[("lac", "as_published"), "count"] == 448
    assert long.loc[("lac", "as_corrected"), "shown"] == "397 to 406"
    assert long.loc[("total", "as_corrected"), "change_low"] == -156


def test_layers_count_councils_by_their_return_and_name_figures_from_a_person():
    import pandas as pd

    from unallocated.analysis import layers

    rows = pd.DataFrame({
        "council_code": ["370", "370", "209", "209", "", ""],
        "case_type": ["cin"] * 6,
        "category": ["unallocated", "total", "unallocated", "unallocated", "unallocated", "total"],
        "detail": ["not_given", "", "not_given", "in_transit", "not_given", ""],
        "layer": ["simulated", "simulated", "real_return", "review", "real_return", "real_return"],
        "source": ["a.xlsx!S!C1", "a.xlsx!S!C2", "b.csv!csv!C3", "review.csv row 1: b.csv", "n.csv!csv!C1", "n.csv!csv!C2"],
    })
    # a council the resolver does not know (no code) is in no count
    assert layers.council_layers(rows) == {"simulated": 1, "real_return": 1}
    assert layers.rests_on(rows) == "2 councils: 1 real return, 1 simulated; 1 figure from a person's reading"
    # under the councils' reading a case in transit is not counted: nor is the figure a person keyed for it
    assert layers.reviewed_count(rows, "councils_reading") == 0 and layers.reviewed_count(rows, "no_professional") == 1
    assert layers.page_label(rows).startswith("SIMULATED DATA: returns of 2 councils")
    assert layers.term("as_published") == "before the correction" and layers.term("real_return") == "real returns"
    assert layers.plain("kept as not_supplied; as_corrected") == "kept as not supplied; as corrected"
