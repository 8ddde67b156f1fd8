"""Metamorphic: one return, written in every supported format and every layout, reads back to
the same tidy table.

11 formats (csv comma UTF-8, csv semicolon UTF-8 with BOM, csv tab UTF-16, csv pipe
Windows-1252, txt tab, xlsx with a cover sheet, xlsm with its data on "Figures and notes", xls,
ods, docx table, text-layer PDF table) x 3 layouts (case types as rows, case types as columns,
long: one row per count) = 33 combinations.
"""
from __future__ import annotations

import pytest

from return_writers import writers
from returns_helpers import assert_nothing_lost, rows_of
from unallocated.returns import read_returns

COUNTS = {("cp", "total"): 1817, ("cp", "allocated_qualified"): 1790, ("cp", "unallocated"): 27,
          ("lac", "total"): 640, ("lac", "allocated_qualified"): 629, ("lac", "unallocated"): 11,
          ("cin", "total"): 3945, ("cin", "allocated_qualified"): 3729, ("cin", "unallocated"): 216}
CASE = {"cp": "Child protection", "lac": "Looked after children", "cin": "Children in need"}
CAT = {"total": "Total open cases", "allocated_qualified": "Allocated to a qualified social worker",
       "unallocated": "Unallocated"}
WANT = {(c, k, "not_given" if k == "unallocated" else "", n) for (c, k), n in COUNTS.items()}


def wide():
    return [["Case type"] + list(CAT.values())] + [
        [CASE[c]] + [COUNTS[(c, k)] for k in CAT] for c in CASE]


def transposed():
    return [[""] + list(CASE.values())] + [[CAT[k]] + [COUNTS[(c, k)] for c in CASE] for k in CAT]


def long():
    return [["Case type", "Category", "Number"]] + [
        [CASE[c], CAT[k], COUNTS[(c, k)]] for c in CASE for k in CAT]


LAYOUTS = {"wide": wide, "transposed": transposed, "long": long}
WRITERS = writers()
COMBINATIONS = [(f, lay) for f in WRITERS for lay in LAYOUTS]


def test_combination_count_matches_the_docstring():
    assert len(COMBINATIONS) == 33 == len(WRITERS) * len(LAYOUTS)


@pytest.mark.parametrize("fmt, layout", COMBINATIONS)
def test_every_format_and_layout_reads_to_the_same_table(tmp_path, fmt, layout):
    path = WRITERS[fmt](tmp_path, "sunderland_return", LAYOUTS[layout]())
    res = read_returns(path)
    assert res.unreadable.empty, res.unreadable
    assert_nothing_lost(res)
    got = {(c, k, d or "", n) for c, k, d, n, _q in rows_of(res)}
    assert got == WANT, (fmt, layout, sorted(got ^ WANT))
    assert set(rows_of(res, "qualifier")) == {("exact",)}
