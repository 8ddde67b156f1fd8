"""Property: nothing is lost. For any grid of labels, numbers, markers and junk, in csv or
xlsx, every non-empty cell is mapped, a label, or an issue, and every row points at its cell."""
from __future__ import annotations

import string

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from returns_helpers import write_csv, write_xlsx
from unallocated.returns import read_returns
from unallocated.returns.files import cell_ref

LABELS = ["Child Protection", "LAC", "Children in care", "CIN cases", "Unallocated",
          "Not allocated", "Allocated to a qualified social worker", "Total open cases",
          "awaiting closure", "duty team", "trainee", "Allocated", "Total", "Notes", "Council",
          "Case type", "Sunderland", "Return from Sunderland City Council",
          "7 cases in transit between teams", "Snapshot date:", "31/03/2010"]
MARKERS = ["<5", "*", "x", "n/a", "nil", "none", "-", "c. 40", "approx 40", "over 1,000", "40+",
           "1,234", "7 (in transit)", "-3"]
junk = st.text(alphabet=string.ascii_letters + string.digits + " .,:-()%£", max_size=12)
cell = st.one_of(st.none(), st.sampled_from(LABELS), st.sampled_from(MARKERS),
                 st.integers(-5, 5000), junk)
# no ';' or tab in junk: a file whose every line has one is read as ;- or tab-separated
grid = st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=8)


def _check(res, grids: dict[str, list[list]], name: str):
    f = res.files
    assert (f["non_empty_cells"] == f["mapped"] + f["labels"] + f["issues"]).all()
    expected = sum(1 for rows in grids.values() for row in rows for v in row
                   if v is not None and str(v).strip())
    assert len(res.unreadable) or int(f["non_empty_cells"].sum()) == expected
    # every returns row points at a non-empty cell and carries its text as received
    texts = {f"{name}!{sheet}!{cell_ref(r, c)}": str(v) for sheet, rows in grids.items()
             for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)
             if v is not None and str(v).strip()}
    for source, raw in zip(res.returns["source"], res.returns["raw"]):
        assert source in texts
        assert raw.strip() == texts[source].strip()
    # a returns row's cell is listed as unrecognised only when the row keeps it as an unknown
    # count (empty, not_supplied): never a number read from a cell also called unreadable
    unknown = res.returns[res.returns["count"].isna() & (res.returns["qualifier"] == "not_supplied")]
    mapped_cells, unknown_cells = set(res.returns["source"]), set(unknown["source"])
    for _, i in res.issues.iterrows():
        where = f"{i['file']}!{i['sheet']}!{i['cell']}"
        if i["problem"].startswith(("unrecognised", "a value with no label")):
            if i["problem"].endswith("kept as not_supplied"):
                assert where in unknown_cells
            else:
                assert where not in mapped_cells


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=grid)
def test_nothing_lost_csv(tmp_path, rows):
    write_csv(tmp_path / "r.csv", rows)
    res = read_returns(tmp_path / "r.csv")
    if len(res.unreadable):  # an all-blank grid is an empty file: an error, not a loss
        assert "empty" in res.unreadable.iloc[0]["reason"]
        return
    _check(res, {"csv": [[None if v is None or not str(v).strip() else str(v) for v in row]
                         for row in rows]}, "r.csv")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets=st.lists(grid, min_size=1, max_size=3), merge=st.booleans())
def test_nothing_lost_xlsx(tmp_path, sheets, merge):
    grids = {f"S{i}": rows for i, rows in enumerate(sheets)}
    merges = {"S0": ["A1:B1"]} if merge else None
    path = write_xlsx(tmp_path / "r.xlsx", grids, merges=merges)
    res = read_returns(path)
    if len(res.unreadable):
        assert "empty" in res.unreadable.iloc[0]["reason"]
        return
    # what openpyxl kept (merging clears the covered cell B1)
    wb = openpyxl.load_workbook(path)
    kept = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}
    _check(res, kept, "r.xlsx")
