"""Whatever ingest writes, the definitions accept: count_under never raises on its table."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from returns_helpers import write_csv, write_xlsx
from unallocated.model.categories import DEFINITIONS, count_under
from unallocated.returns import read_returns


@pytest.fixture(scope="module")
def odd_table(tmp_path_factory):
    d = tmp_path_factory.mktemp("odd")
    write_csv(d / "sunderland.csv", [  # hedges, suppression, a percentage, a negative, prose
        ["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
        ["Case type", "Total", "Allocated to a qualified social worker", "Unallocated"],
        ["CP", "c. 40", "*", "<5"], ["LAC", "n/a", "18%", "-3"], ["CIN", "1,817", "", "see note"]])
    write_xlsx(d / "barnet.xlsx", {"Data": [  # a date where a range was, an error value
        ["Council:", "Barnet"], ["Snapshot date:", dt.datetime(2010, 9, 30)], [],
        ["Case type", "Unallocated"], ["CP", dt.datetime(2010, 5, 1)], ["LAC", "#REF!"],
        ["CIN", "over 1,000"]]})
    write_csv(d / "nowhere_council.csv", [  # no council anyone knows, no date
        ["Case type", "Unallocated"], ["CP", 3], ["LAC", 0]])
    write_csv(d / "wrexham.csv", [  # a Welsh council
        ["Council:", "Wrexham"], ["Case type", "Unallocated"], ["CP", 2]])
    (d / "leeds.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64)
    write_csv(d / "review.csv", [  # values keyed by a person, a range among them
        ["file", "sheet", "cell", "case_type", "category", "detail", "reading", "page",
         "reviewer", "note"],
        ["leeds.doc", "", "", "cp", "unallocated", "", "1 to 5", "1", "AB", ""],
        ["leeds.doc", "", "", "lac", "unallocated", "in_transit", "4", "1", "AB", ""],
        ["leeds.doc", "", "", "cin", "total", "", "*", "1", "AB", ""]])
    res = read_returns(d)
    assert len(res.returns) and len(res.issues)
    assert res.returns["source"].str.startswith("review.csv").sum() == 3
    assert "negative count -3" in " ".join(res.issues["problem"])  # the cell is named ...
    assert not (res.returns["count"].dropna() < 0).any()  # ... and no negative number is kept
    return res.returns


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
@pytest.mark.parametrize("by", [("council_code", "case_type"), ("case_type",), ()])
def test_count_under_never_raises_on_an_ingested_table(odd_table, name, by):
    out = count_under(odd_table, name, by=by)
    assert isinstance(out, pd.DataFrame)
    assert {"count", "qualifier", "low", "high"} <= set(out.columns)
