"""Workbook traps, written with openpyxl, xlwt and odfpy: hidden sheets, a data sheet named
like prose, formulas with and without saved values, percentages, negatives, error cells and
a date Excel made from "1-5"."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from returns_helpers import assert_nothing_lost, rows_of, cells_named
from unallocated.returns import read_returns

HEAD = ["Case type", "Total", "Unallocated"]


def _counts(res):
    return {(c, k, n) for c, k, _d, n, _q in rows_of(res) if n is not None}


def _book(path, sheets, hidden=(), edit=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    if edit:
        edit(wb)
    wb.save(path)
    return path


def test_hidden_sheet_is_never_read_and_is_named(tmp_path):
    p = _book(tmp_path / "wigan.xlsx",
              {"Cover": [["Dear requester, please find our reply attached."]],
               "Figures and notes": [HEAD, ["Child protection", 234, 3], ["Looked after", 300, 5]],
               "2009": [HEAD, ["Child protection", 999, 88], ["Looked after", 777, 66]]},
              hidden=("2009",))
    res = read_returns(p)
    assert_nothing_lost(res)
    assert _counts(res) == {("cp", "total", 234), ("cp", "unallocated", 3),
                            ("lac", "total", 300), ("lac", "unallocated", 5)}
    hidden = res.issues[res.issues["sheet"] == "2009"]
    assert hidden["problem"].str.contains("hidden sheet '2009'").any()
    assert {"C2", "C3"} <= set(hidden["cell"])  # each count it would have given is named


def test_formula_without_saved_value_is_an_issue_with_the_formula_as_raw(tmp_path):
    p = _book(tmp_path / "f.xlsx", {"Data": [HEAD, ["Child protection", "=SUM(C2:C2)", 3]]})
    res = read_returns(p)
    assert_nothing_lost(res)
    assert ("cp", "total", 0) not in _counts(res)
    hit = res.issues[res.issues["cell"] == "B2"]
    assert (hit["raw"] == "=SUM(C2:C2)").all() and len(hit) >= 1
    assert hit["problem"].str.contains("formula").any()


def test_percentages_are_never_counts(tmp_path):
    def fmt(wb):
        wb["Data"]["D3"].number_format = "0%"

    p = _book(tmp_path / "p.xlsx", {"Data": [HEAD + ["% unallocated"],
                                             ["Child protection", 200, 36, "18%"],
                                             ["Looked after", 100, 1, 1]]}, edit=fmt)
    res = read_returns(p)
    assert_nothing_lost(res)
    assert _counts(res) == {("cp", "total", 200), ("cp", "unallocated", 36),
                            ("lac", "total", 100), ("lac", "unallocated", 1)}
    assert {"D2", "D3"} <= cells_named(res)


@pytest.mark.parametrize("bad", [-4, "#REF!", "#DIV/0!"])
def test_negatives_and_error_cells_are_issues_never_counts(tmp_path, bad):
    p = _book(tmp_path / "e.xlsx", {"Data": [HEAD, ["Child protection", 20, bad],
                                             ["Looked after", 10, 2]]})
    res = read_returns(p)
    assert_nothing_lost(res)
    assert ("cp", "unallocated", 4) not in _counts(res)  # never the sign dropped
    assert "C2" in set(res.issues["cell"])
    if bad == -4:
        # kept as written (the truth of round 1 asks for that) and always reported
        assert res.issues[res.issues["cell"] == "C2"]["problem"].str.contains("negative").any()
    else:
        assert not any(c == "cp" and k == "unallocated" for c, k, _n in _counts(res))


def test_a_date_made_from_1_to_5_is_an_issue_saying_it_may_be_a_range(tmp_path):
    p = _book(tmp_path / "d.xlsx", {"Data": [HEAD, ["Child protection", 20, dt.datetime(2010, 5, 1)],
                                             ["Looked after", 10, 2]]})
    res = read_returns(p)
    hit = res.issues[res.issues["cell"] == "C2"]
    assert hit["problem"].str.contains("range").any()
    assert not any(n in (1, 5, 2010) for (c, k, n) in _counts(res) if c == "cp")


def test_xls_written_by_xlwt_reads_like_xlsx(tmp_path):
    import xlwt

    wb = xlwt.Workbook()
    cover = wb.add_sheet("Cover letter")
    cover.write(0, 0, "Gateshead Council: our reply to your request")
    ws = wb.add_sheet("Return")
    for r, row in enumerate([HEAD, ["Child protection", 1817, 9], ["Looked after", 300, 4]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    p = tmp_path / "gateshead.xls"
    wb.save(str(p))
    res = read_returns(p)
    assert_nothing_lost(res)
    assert _counts(res) == {("cp", "total", 1817), ("cp", "unallocated", 9),
                            ("lac", "total", 300), ("lac", "unallocated", 4)}


def test_ods_written_by_odfpy_with_a_non_whole_number(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="Return")
    for row in [HEAD, ["Child protection", 50, 2.5], ["Looked after", 300, 4]]:
        tr = TableRow()
        for v in row:
            if isinstance(v, str):
                tc = TableCell(valuetype="string")
            else:
                tc = TableCell(valuetype="float", value=v)
            tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    p = tmp_path / "somerset.ods"
    doc.save(str(p))
    res = read_returns(p)
    assert_nothing_lost(res)
    got = _counts(res)
    assert {("cp", "total", 50), ("lac", "total", 300), ("lac", "unallocated", 4)} <= got
    assert not any(c == "cp" and k == "unallocated" for c, k, _n in got)  # 2.5 is never 2 or 3
    assert "C2" in set(res.issues["cell"])
