"""The corrections register and the Barnsley restatement (Community Care, 6 December 2010)."""
from __future__ import annotations

import csv
import math
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unallocated import paths, schema
from unallocated.model.categories import CORRECTION_COLUMNS, DEFINITIONS, count_under
from unallocated.model.corrections import (
    CORRECTIONS_PATH,
    REGISTER_COLUMNS,
    CorrectionError,
    CorrectionMismatch,
    apply_corrections,
    as_published_and_corrected,
    correction_views,
    load_corrections,
)

INF = math.inf
URL = "https://www.communitycare.co.uk/2010/12/06/councils-clarify-position-over-unallocated-children-cases/"


def make(rows, snapshot="2010-10-01") -> pd.DataFrame:
    records = [{
        "council_code": code, "council": name, "snapshot_date": snapshot, "case_type": case_type,
        "category": category, "detail": detail, "count": count, "qualifier": qualifier,
        "layer": "simulated", "source": "test", "raw": str(count),
    } for code, name, case_type, category, detail, count, qualifier in rows]
    table = pd.DataFrame.from_records(records, columns=schema.RETURN_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table


# The national published figures, 80 CP, 448 LAC and 7,811 CIN, with Barnsley's 51 and 114 in
# them; Barnsley's children-in-care figure split over two reasons to show parts within a case type.
NATIONAL = [
    ("370", "Barnsley", "lac", "unallocated", "not_given", 30, "exact"),
    ("370", "Barnsley", "lac", "unallocated", "duty_team", 21, "exact"),
    ("370", "Barnsley", "cin", "unallocated", "not_given", 114, "exact"),
    ("370", "Barnsley", "cin", "total", "", 1114, "exact"),
    ("370", "Barnsley", "cin", "allocated_qualified", "", 1000, "exact"),
    ("999", "Rest of England", "cp", "unallocated", "not_given", 80, "exact"),
    ("999", "Rest of England", "lac", "unallocated", "not_given", 448 - 51, "exact"),
    ("999", "Rest of England", "cin", "unallocated", "not_given", 7811 - 114, "exact"),
]


def figures(frame: pd.DataFrame, **where) -> tuple:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    row = frame.iloc[0]
    high = INF if pd.isna(row["high"]) else row["high"]
    return int(row["count"]), row["qualifier"], row["low"], high


# --- the register ---------------------------------------------------------------------------

def test_register_file_holds_the_barnsley_correction():
    with open(CORRECTIONS_PATH, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == REGISTER_COLUMNS
    barnsley = {r["council"]: r for r in rows}["Barnsley"]
    assert barnsley["council_code"] == "370"
    assert barnsley["case_types"] == "lac;cin"
    assert barnsley["category_published"] == "unallocated"
    assert barnsley["published_values"] == "lac=51;cin=114"
    assert (barnsley["published_total"], barnsley["corrected_unallocated_total"]) == ("165", "9")
    assert (barnsley["corrected_to_category"], barnsley["corrected_to_detail"]) == ("allocated_other", "other")
    assert barnsley["correction_date"] == "2010-12-06"
    assert barnsley["source_url"] == URL
    assert barnsley["reason"]


def test_load_corrections_types_and_parses():
    register = load_corrections()
    row = register.set_index("council").loc["Barnsley"]
    assert row["values"] == {"lac": 51, "cin": 114}
    assert row["published_total"] == 165 and row["corrected_unallocated_total"] == 9
    assert row["correction_date"] == pd.Timestamp("2010-12-06")
    assert pd.isna(row["snapshot_date"])


@pytest.mark.needs_raw
def test_barnsley_code_is_370_in_the_official_2010_file():
    table = pd.read_csv(paths.RAW_OFFICIAL / "osr28-2010ud.csv", usecols=["geog_l", "geog_c", "geog_n"], dtype=str)
    assert table.loc[table["geog_n"] == "Barnsley", "geog_c"].tolist() == ["370"]


def test_data_dictionary_describes_every_column():
    text = (paths.DOCS / "corrections_data_dictionary.md").read_text(encoding="utf-8")
    for column in REGISTER_COLUMNS + CORRECTION_COLUMNS:
        assert f"`{column}`" in text, column


@pytest.mark.parametrize("field, value, message", [
    ("published_values", "lac=51;cin=100", "add to"),
    ("corrected_unallocated_total", "200", "outside"),
    ("case_types", "lac;in", "case_types"),
    ("corrected_to_detail", "manager", "not allowed"),
    ("published_values", "lac=51", "covers"),
])
def test_load_corrections_rejects_inconsistent_rows(tmp_path, field, value, message):
    with open(CORRECTIONS_PATH, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0][field] = value
    path = tmp_path / "corrections.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=REGISTER_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CorrectionError, match=message):
        load_corrections(path)


# --- Barnsley: the sanity targets -----------------------------------------------------------

def test_national_figures_become_ranges_and_total_falls_by_exactly_156():
    published = make(NATIONAL)
    corrected = apply_corrections(published)
    by_type = count_under(corrected, "no_professional", by=("case_type",))
    assert figures(by_type, case_type="lac") == (406, "at_most", 397, 406)
    assert figures(by_type, case_type="cin") == (7706, "at_most", 7697, 7706)
    assert figures(by_type, case_type="cp") == (80, "exact", 80, 80)
    before = count_under(published, "no_professional", by=())
    after = count_under(corrected, "no_professional", by=())
    assert figures(before) == (8339, "exact", 8339, 8339)
    assert figures(after) == (8183, "exact", 8183, 8183)
    assert int(before["count"].iloc[0]) - int(after["count"].iloc[0]) == 156


def test_barnsley_per_case_type_is_a_range_and_its_total_is_exact():
    corrected = apply_corrections(make(NATIONAL))
    barnsley = corrected[corrected["council_code"] == "370"]
    per_type = count_under(barnsley, "no_professional")
    assert figures(per_type, case_type="lac") == (9, "at_most", 0, 9)
    assert figures(per_type, case_type="cin") == (9, "at_most", 0, 9)
    assert figures(count_under(barnsley, "no_professional", by=("council_code",))) == (9, "exact", 9, 9)


def test_no_qualified_social_worker_is_unchanged_by_the_barnsley_correction():
    # all 165 lacked a qualified social worker either way: the correction only moves them
    side = as_published_and_corrected(make(NATIONAL), "no_qualified_social_worker", by=("case_type",))
    side = side.set_index("case_type")
    for case_type in ("lac", "cin"):
        row = side.loc[case_type]
        assert row["published_count"] == row["corrected_count"]
        assert row["corrected_qualifier"] == "exact"
        assert (row["change_low"], row["change_high"]) == (0, 0)


def test_as_published_and_corrected_side_by_side():
    side = as_published_and_corrected(make(NATIONAL), "no_professional", by=("case_type",)).set_index("case_type")
    lac = side.loc["lac"]
    assert (lac["published_count"], lac["published_qualifier"]) == (448, "exact")
    assert (lac["corrected_count"], lac["corrected_qualifier"], lac["corrected_low"]) == (406, "at_most", 397)
    assert (lac["change_low"], lac["change_high"]) == (-51, -42)
    assert lac["corrections"] == "barnsley-2010-12-06"
    assert side.loc["cp", "corrections"] == ""
    total = as_published_and_corrected(make(NATIONAL), "no_professional", by=()).iloc[0]
    assert (total["change_low"], total["change_high"]) == (-156, -156)
    assert total["corrections"] == "barnsley-2010-12-06"


def test_corrected_rows_record_the_correction_and_the_original_stays():
    published = make(NATIONAL)
    snapshot = published.copy()
    views = correction_views(published)
    pd.testing.assert_frame_equal(published, snapshot)  # input untouched
    assert views.as_published["correction"].isna().all()
    assert list(views.as_published.columns) == list(views.corrected.columns)
    moved = views.corrected[views.corrected["category"] == "allocated_other"]
    assert set(moved["correction"]) == {"barnsley-2010-12-06"}
    assert set(moved["detail"]) == {"other"}
    assert sorted(moved["correction_part_published"]) == [21, 30, 114]
    stay = views.corrected[(views.corrected["correction"].notna()) & (views.corrected["category"] == "unallocated")]
    assert sorted(stay["count"]) == [9, 9, 9] and set(stay["qualifier"]) == {"at_most"}
    untouched = views.corrected[views.corrected["council_code"] == "999"]
    assert untouched["correction"].isna().all() and len(untouched) == 3
    assert set(views.stacked()["view"]) == {"as_published", "corrected"}


def test_filtered_table_still_gives_a_range_not_the_joint_total():
    # the CIN parts are filtered out; LAC alone must stay 0..9, not collapse to exactly 9
    corrected = apply_corrections(make(NATIONAL))
    lac_only = corrected[corrected["case_type"] == "lac"]
    assert figures(count_under(lac_only, "no_professional", by=())) == (406, "at_most", 397, 406)


def test_apply_is_idempotent_and_skips_absent_councils():
    once = apply_corrections(make(NATIONAL))
    twice = apply_corrections(once)
    pd.testing.assert_frame_equal(once, twice)
    elsewhere = make([r for r in NATIONAL if r[0] != "370"])
    assert apply_corrections(elsewhere)["correction"].isna().all()


def test_later_round_is_not_corrected():
    later = make(NATIONAL, snapshot="2011-11-01")
    assert apply_corrections(later)["correction"].isna().all()


def test_mismatched_figures_are_refused_or_skipped_with_warning():
    wrong = make([r if r[4] != "duty_team" else r[:5] + (20, "exact") for r in NATIONAL])
    with pytest.raises(CorrectionMismatch, match="50"):
        apply_corrections(wrong)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = apply_corrections(wrong, strict=False)
    assert any("barnsley-2010-12-06" in str(w.message) for w in caught)
    assert result["correction"].isna().all()


def test_definitions_that_exclude_a_part_still_bound_correctly():
    # Barnsley's 21 LAC held by a duty team count under councils_reading; if they had been
    # 'in transit' the councils' reading would leave them out, before and after correction.
    rows = [r if r[4] != "duty_team" else r[:4] + ("in_transit",) + r[5:] for r in NATIONAL]
    corrected = apply_corrections(make(rows))
    barnsley = corrected[corrected["council_code"] == "370"]
    # in-transit part holds 0..9 of the 9; the rest of LAC counted holds 0..9 too
    assert figures(count_under(barnsley, "councils_reading", by=("case_type",)), case_type="lac") == (9, "at_most", 0, 9)
    assert figures(count_under(barnsley, "councils_reading", by=()) ) == (9, "at_most", 0, 9)
    assert figures(count_under(barnsley, "no_professional", by=())) == (9, "exact", 9, 9)


# --- property: corrections keep the definition chain and the bounds --------------------------

@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(schema.UNALLOCATED_REASONS)), min_size=1, max_size=3),
    st.lists(st.sampled_from(sorted(schema.UNALLOCATED_REASONS)), min_size=1, max_size=3),
    st.integers(0, 51), st.integers(0, 114),
    st.sampled_from([("council_code", "case_type"), ("case_type",), ()]),
)
def test_corrected_counts_respect_chain_and_constraint(lac_reasons, cin_reasons, lac_first, cin_first, by):
    def split(total, first, reasons):
        amounts = [first] + [0] * (len(reasons) - 1)
        amounts[-1] += total - first
        return list(zip(reasons, amounts))

    rows = [("370", "Barnsley", ct, "unallocated", reason, n, "exact")
            for ct, parts in (("lac", split(51, lac_first, lac_reasons)), ("cin", split(114, cin_first, cin_reasons)))
            for reason, n in parts]
    rows += [r for r in NATIONAL if r[0] == "999"]
    corrected = apply_corrections(make(rows))
    chain = ["councils_reading", "closure_still_open", "no_professional", "no_qualified_social_worker"]
    results = [count_under(corrected, name, by=by) for name in chain]
    for narrow, wide in zip(results, results[1:]):
        for (_, n), (_, w) in zip(narrow.iterrows(), wide.iterrows()):
            assert n["count"] <= w["count"] and n["low"] <= w["low"] and n["high"] <= w["high"]
    for result in results:
        assert ((result["low"] <= result["count"]) & (result["count"] <= result["high"])).all()
    national = count_under(corrected, "no_professional", by=())
    assert (int(national["count"].iloc[0]), national["qualifier"].iloc[0]) == (8183, "exact")
    widest = count_under(corrected, "no_qualified_social_worker", by=())
    assert int(widest["count"].iloc[0]) == 8339 and widest["qualifier"].iloc[0] == "exact"
