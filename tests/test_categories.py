"""Definitions of "unallocated" and counting under them, with hand-worked expected values."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unallocated import schema
from unallocated.model.categories import (
    ALL_PAIRS,
    CATEGORIES,
    DEFINITIONS,
    EXACT_ZERO,
    AmbiguousReturns,
    Bounded,
    Definition,
    InvalidReturns,
    UnknownDefinition,
    combine,
    council_shares,
    count_under,
    get_definition,
    open_caseload,
    row_bounds,
)
from unallocated.errors import UnallocatedError

INF = math.inf


def make(rows) -> pd.DataFrame:
    """A returns table from (council_code, case_type, category, detail, count, qualifier) tuples."""
    records = []
    for code, case_type, category, detail, count, qualifier in rows:
        records.append({
            "council_code": code, "council": f"Council {code}", "snapshot_date": "2010-10-01",
            "case_type": case_type, "category": category, "detail": detail, "count": count,
            "qualifier": qualifier, "layer": "simulated", "source": "test", "raw": "" if count is None else str(count),
        })
    table = pd.DataFrame.from_records(records, columns=schema.RETURN_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table


def one(frame: pd.DataFrame, **where) -> dict:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    row = frame.iloc[0].to_dict()
    row["count"] = None if pd.isna(row["count"]) else int(row["count"])
    row["high"] = INF if pd.isna(row["high"]) else row["high"]
    return row


def summary(row: dict) -> tuple:
    return row["count"], row["qualifier"], row["low"], row["high"]


# --- the registry ---------------------------------------------------------------------------

def test_registry_names_and_order():
    assert list(DEFINITIONS) == ["councils_reading", "closure_still_open", "no_professional",
                                 "no_qualified_social_worker"]
    d = DEFINITIONS
    assert d["councils_reading"] <= d["closure_still_open"] <= d["no_professional"] <= d["no_qualified_social_worker"]
    assert d["councils_reading"] < d["no_professional"] < d["no_qualified_social_worker"]


def test_definitions_count_exactly_the_documented_pairs():
    reasons = set(schema.UNALLOCATED_REASONS)
    roles = set(schema.OTHER_ROLES)
    d = DEFINITIONS
    assert d["no_professional"].pairs == {("unallocated", r) for r in reasons}
    assert d["no_qualified_social_worker"].pairs == (
        {("unallocated", r) for r in reasons} | {("allocated_other", r) for r in roles})
    assert d["councils_reading"].pairs == {("unallocated", "duty_team"), ("unallocated", "not_given")}
    assert d["closure_still_open"].pairs == d["councils_reading"].pairs | {("unallocated", "awaiting_closure")}
    for definition in d.values():
        assert ("allocated_qualified", "") not in definition.pairs
        assert not any(category == "total" for category, _ in definition.pairs)
        assert definition.title and len(definition.description) > 80
        assert definition.pairs <= ALL_PAIRS


def test_counts_treats_blank_detail_as_not_given_or_other():
    assert DEFINITIONS["councils_reading"].counts("unallocated", "")  # blank reason = not given
    assert not DEFINITIONS["councils_reading"].counts("unallocated", "in_transit")
    assert DEFINITIONS["no_qualified_social_worker"].counts("allocated_other", None)
    assert not DEFINITIONS["no_professional"].counts("total")


def test_get_definition_unknown_name_lists_valid_names():
    with pytest.raises(UnknownDefinition) as err:
        get_definition("unallocted")
    message = str(err.value)
    for name in DEFINITIONS:
        assert name in message
    assert isinstance(err.value, UnallocatedError)
    assert get_definition(DEFINITIONS["no_professional"]) is DEFINITIONS["no_professional"]


def test_categories_re_exported_from_schema():
    assert CATEGORIES is schema.CATEGORIES


def test_definition_rejects_unknown_pairs():
    with pytest.raises(ValueError):
        Definition("x", "x", "x", frozenset({("unallocated", "lost")}))


# --- the qualifier algebra ------------------------------------------------------------------

@pytest.mark.parametrize("count, qualifier, expected", [
    (5, "exact", Bounded(5, "exact", 5, 5)),
    (1000, "at_least", Bounded(1000, "at_least", 1000, INF)),
    (4, "at_most", Bounded(4, "at_most", 0, 4)),
    (40, "approx", Bounded(40, "approx", 0, INF)),
    (None, "suppressed", Bounded(None, "suppressed", 0, INF)),
    (None, "not_supplied", Bounded(None, "not_supplied", 0, INF)),
    (7, None, Bounded(7, "exact", 7, 7)),
    (None, "exact", Bounded(None, "not_supplied", 0, INF)),
])
def test_row_bounds(count, qualifier, expected):
    assert row_bounds(count, qualifier) == expected


def B(count, qualifier):
    return row_bounds(count, qualifier)


@pytest.mark.parametrize("items, expected", [
    ([], EXACT_ZERO),
    ([B(3, "exact"), B(4, "exact")], Bounded(7, "exact", 7, 7)),
    ([B(3, "exact"), B(1000, "at_least")], Bounded(1003, "at_least", 1003, INF)),
    ([B(3, "exact"), B(4, "at_most")], Bounded(7, "at_most", 3, 7)),
    ([B(1000, "at_least"), B(4, "at_most")], Bounded(1004, "approx", 1000, INF)),
    ([B(3, "exact"), B(40, "approx")], Bounded(43, "approx", 3, INF)),
    ([B(3, "exact"), B(None, "suppressed")], Bounded(3, "at_least", 3, INF)),  # the known part
    ([B(4, "at_most"), B(None, "not_supplied")], Bounded(4, "approx", 0, INF)),
    ([B(None, "suppressed"), B(None, "not_supplied")], Bounded(None, "suppressed", 0, INF)),
    ([B(None, "not_supplied")], Bounded(None, "not_supplied", 0, INF)),
    ([B(0, "exact"), B(None, "suppressed")], Bounded(None, "suppressed", 0, INF)),  # zeros add nothing
])
def test_combine_hand_worked(items, expected):
    assert combine(items) == expected


# --- counting: hand-worked tables -------------------------------------------------------------

# Council 1, CP: total 10; 3 in transit, reason-not-given withheld, at most 4 with a trainee,
# 2 with a qualified social worker. Council 2, CIN: only a total of 100. Council 3, LAC: 20 cases,
# 18 qualified, 2 duty team, no allocated_other rows at all.
HAND = [
    ("1", "cp", "total", "", 10, "exact"),
    ("1", "cp", "allocated_qualified", "", 2, "exact"),
    ("1", "cp", "unallocated", "in_transit", 3, "exact"),
    ("1", "cp", "unallocated", "not_given", None, "suppressed"),
    ("1", "cp", "allocated_other", "trainee", 4, "at_most"),
    ("2", "cin", "total", "", 100, "exact"),
    ("3", "lac", "total", "", 20, "exact"),
    ("3", "lac", "allocated_qualified", "", 18, "exact"),
    ("3", "lac", "unallocated", "duty_team", 2, "exact"),
]


@pytest.mark.parametrize("definition, council, case_type, expected", [
    # withheld 'not given' is all the councils' reading sees: unknown, bounded by the total of 10
    ("councils_reading", "1", "cp", (None, "suppressed", 0, 10)),
    ("no_professional", "1", "cp", (3, "at_least", 3, 10)),
    ("no_qualified_social_worker", "1", "cp", (7, "approx", 3, 10)),
    # only a total: unknown under every definition, never zero
    ("no_professional", "2", "cin", (None, "not_supplied", 0, 100)),
    ("councils_reading", "3", "lac", (2, "exact", 2, 2)),
    # broken down, no allocated_other listed: the extra part is a true zero
    ("no_qualified_social_worker", "3", "lac", (2, "exact", 2, 2)),
    ("closure_still_open", "3", "lac", (2, "exact", 2, 2)),
])
def test_count_under_hand_worked(definition, council, case_type, expected):
    result = count_under(make(HAND), definition)
    assert list(result.columns) == ["council_code", "case_type", "count", "qualifier", "low", "high", "councils"]
    assert str(result["count"].dtype) == "Int64"
    row = one(result, council_code=council, case_type=case_type)
    assert summary(row) == expected
    assert row["councils"] == 1


def test_count_under_national_and_by_case_type():
    table = make(HAND)
    national = count_under(table, "no_professional", by=())
    assert len(national) == 1
    row = one(national)
    # 3 (at least; +withheld) + unknown CIN (0..100) + 2 = known part 5, at_least, 5..112
    assert summary(row) == (5, "at_least", 5, 112)
    assert row["councils"] == 3
    by_type = count_under(table, "no_professional", by=("case_type",))
    assert list(by_type["case_type"]) == ["cin", "cp", "lac"]
    assert summary(one(by_type, case_type="lac")) == (2, "exact", 2, 2)


def test_total_rows_never_counted():
    table = make([("9", "cin", "total", "", 500, "exact")])
    for name in DEFINITIONS:
        row = one(count_under(table, name, by=()))
        assert row["count"] is None and row["qualifier"] == "not_supplied"


def test_total_bounds_a_withheld_part_only_when_consistent():
    capped = make([("1", "cp", "total", "", 6, "exact"), ("1", "cp", "unallocated", "not_given", None, "suppressed")])
    assert summary(one(count_under(capped, "no_professional"))) == (None, "suppressed", 0, 6)
    # a part larger than the total: the return contradicts itself, so no bound is taken from it
    inconsistent = make([("1", "cp", "total", "", 6, "exact"), ("1", "cp", "unallocated", "not_given", 9, "at_least")])
    assert summary(one(count_under(inconsistent, "no_professional"))) == (9, "at_least", 9, INF)


def test_empty_table():
    empty = make([])
    assert summary(one(count_under(empty, "no_professional", by=()))) == (0, "exact", 0, 0)
    assert len(count_under(empty, "no_professional")) == 0


def test_two_snapshots_of_one_council_are_refused_unless_grouped():
    table = pd.concat([make(HAND), make(HAND).assign(snapshot_date="2010-08-19")], ignore_index=True)
    with pytest.raises(AmbiguousReturns, match="double count"):
        count_under(table, "no_professional", by=())
    result = count_under(table, "no_professional", by=("snapshot_date", "case_type"))
    assert len(result) == 6


def test_invalid_values_are_named():
    with pytest.raises(InvalidReturns, match="lost"):
        count_under(make([("1", "cp", "unallocated", "lost", 1, "exact")]), "no_professional")
    with pytest.raises(InvalidReturns, match="category"):
        count_under(make([("1", "cp", "unassigned", "", 1, "exact")]), "no_professional")
    with pytest.raises(InvalidReturns, match="group by"):
        count_under(make(HAND), "no_professional", by=("detail",))


def test_open_caseload_prefers_total_and_never_double_counts():
    table = make([
        ("1", "cp", "total", "", 10, "exact"),  # total and parts: the total
        ("1", "cp", "allocated_qualified", "", 7, "exact"),
        ("1", "cp", "unallocated", "not_given", 3, "exact"),
        ("2", "cp", "allocated_qualified", "", 7, "exact"),  # parts only: their sum
        ("2", "cp", "allocated_other", "assistant", 4, "at_most"),
        ("3", "cp", "total", "", None, "suppressed"),  # withheld total, parts given: the parts
        ("3", "cp", "allocated_qualified", "", 5, "exact"),
    ])
    result = open_caseload(table)
    assert summary(one(result, council_code="1")) == (10, "exact", 10, 10)
    assert summary(one(result, council_code="2")) == (11, "at_most", 7, 11)
    assert summary(one(result, council_code="3")) == (5, "exact", 5, 5)
    assert summary(one(open_caseload(table, by=()))) == (26, "at_most", 22, 26)


def test_council_shares_hand_worked():
    table = make([
        ("1", "cp", "unallocated", "not_given", 2, "exact"),  # has cases
        ("2", "cp", "unallocated", "not_given", 0, "exact"),  # none
        ("3", "cp", "unallocated", "not_given", 4, "at_most"),  # best guess yes, may be none
        ("4", "cin", "total", "", 50, "exact"),  # no CP answer at all: still in the denominator
    ])
    share = council_shares(table, "no_professional", case_type="cp").iloc[0]
    assert share["councils_responding"] == 4
    assert (share["councils_with_cases"], share["councils_with_cases_low"], share["councils_with_cases_high"]) == (2, 1, 2)
    assert share["share"] == pytest.approx(0.5)
    every = council_shares(table, "no_professional", responding=89)
    assert list(every["case_type"]) == ["cp", "lac", "cin"]
    assert every.set_index("case_type").loc["cp", "share"] == pytest.approx(2 / 89)


# --- property tests -------------------------------------------------------------------------

QUALIFIER_WEIGHTS = ["exact"] * 6 + ["at_least", "at_most", "approx", "suppressed", "not_supplied"]


@st.composite
def returns_tables(draw):
    rows = []
    pairs = sorted(ALL_PAIRS)
    for code in draw(st.lists(st.sampled_from(["1", "2", "3", "4", "5"]), min_size=0, max_size=5, unique=True)):
        for case_type in draw(st.lists(st.sampled_from(list(schema.CASE_TYPES)), min_size=1, max_size=3, unique=True)):
            if draw(st.booleans()):
                q = draw(st.sampled_from(QUALIFIER_WEIGHTS))
                n = None if q in ("suppressed", "not_supplied") else draw(st.integers(0, 500))
                rows.append((code, case_type, "total", "", n, q))
            for category, detail in draw(st.lists(st.sampled_from(pairs), max_size=6)):
                q = draw(st.sampled_from(QUALIFIER_WEIGHTS))
                n = None if q in ("suppressed", "not_supplied") else draw(st.integers(0, 200))
                rows.append((code, case_type, category, detail, n, q))
    return make(rows)


def _as_numbers(row) -> tuple[float, float, float]:
    count = 0 if pd.isna(row["count"]) else int(row["count"])
    high = INF if pd.isna(row["high"]) else row["high"]
    return count, row["low"], high


CHAIN = ["councils_reading", "closure_still_open", "no_professional", "no_qualified_social_worker"]


@settings(max_examples=100, deadline=None)
@given(returns_tables(), st.sampled_from([("council_code", "case_type"), ("council_code",), ("case_type",), ()]))
def test_definition_chain_is_monotone(table, by):
    results = [count_under(table, name, by=by).set_index(list(by)) if by else count_under(table, name, by=())
               for name in CHAIN]
    for narrow, wide in zip(results, results[1:]):
        assert list(narrow.index) == list(wide.index)
        for key in narrow.index:
            n_count, n_low, n_high = _as_numbers(narrow.loc[key])
            w_count, w_low, w_high = _as_numbers(wide.loc[key])
            assert n_count <= w_count and n_low <= w_low and n_high <= w_high


@settings(max_examples=100, deadline=None)
@given(returns_tables(), st.sampled_from(CHAIN))
def test_bounds_hold_and_national_is_the_sum_of_councils(table, name):
    per_council = count_under(table, name, by=("council_code",))
    national = one(count_under(table, name, by=()))
    for _, row in per_council.iterrows():
        count, low, high = _as_numbers(row)
        assert 0 <= low <= high
        if not pd.isna(row["count"]):
            assert low <= count <= high
        else:
            assert row["qualifier"] in ("suppressed", "not_supplied")
        if row["qualifier"] == "exact":
            assert low == count == high
    parts = [Bounded(None if pd.isna(r["count"]) else int(r["count"]), r["qualifier"], r["low"],
                     INF if pd.isna(r["high"]) else r["high"]) for _, r in per_council.iterrows()]
    assert combine(parts) == Bounded(national["count"], national["qualifier"], national["low"], national["high"])
    assert national["councils"] == table["council_code"].nunique()


bounded_items = st.builds(
    lambda q, n: row_bounds(None if q in ("suppressed", "not_supplied") else n, q),
    st.sampled_from(QUALIFIER_WEIGHTS), st.integers(0, 1000),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(bounded_items, max_size=8), st.lists(bounded_items, max_size=8))
def test_combine_is_associative_and_bounded(left, right):
    whole = combine(left + right)
    assert whole == combine([combine(left), combine(right)])
    assert whole.low <= whole.high
    if whole.count is not None:
        assert whole.low <= whole.count <= whole.high
