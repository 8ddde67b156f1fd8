"""Builders for the return fixtures the tests write into tmp_path (no shared fixture files)."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from unallocated.schema import RETURN_COLUMNS


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               cells: dict[str, dict[str, object]] | None = None) -> Path:
    """sheets: name -> rows (lists, None for an empty cell), written from A1.
    merges: name -> ranges such as "C5:D5". cells: name -> {"B4": value} written after."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for ref, value in (cells or {}).get(name, {}).items():
            ws[ref] = value
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def rows_of(result, *cols: str) -> set[tuple]:
    """The returns table as a set of tuples of the named columns (count as int or None)."""
    cols = cols or ("case_type", "category", "detail", "count", "qualifier")
    out = set()
    for rec in result.returns[list(cols)].to_dict("records"):
        out.add(tuple(None if (k == "count" and (v is None or v != v or str(v) == "<NA>"))
                      else (int(v) if k == "count" else v) for k, v in rec.items()))
    return out


def assert_nothing_lost(result) -> None:
    f = result.files
    assert (f["non_empty_cells"] == f["mapped"] + f["labels"] + f["issues"]).all(), f
    assert list(result.returns.columns) == RETURN_COLUMNS


#: The four questions' headings, as a council's table usually gives them.
FOUR_QUESTIONS = ["Case type", "Total open cases", "Allocated to a qualified social worker",
                  "Allocated to other staff", "Unallocated"]


def read_every_file(path):
    """read_returns on `path`, every file read and every cell accounted for."""
    from unallocated.returns import read_returns

    res = read_returns(path, reference=None)
    assert not len(res.unreadable), res.unreadable.to_dict("records")
    assert_nothing_lost(res)
    return res


def numbers_of(result) -> set[tuple]:
    """(case type, category, count) of the rows that hold a number."""
    return {r for r in rows_of(result, "case_type", "category", "count") if r[2] is not None}


def write_letter(path: Path, paragraphs: list[str]):
    """A Word reply of plain paragraphs; returns the document, saved, for a test to add to."""
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return doc


def pdf_page(heading: str):
    """An fpdf2 document with one page, its first line written: a test draws the rest."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(20, 20, heading)
    return pdf


def write_word_table(path: Path, heading: str, rows: list[list[str]]):
    """A Word reply: a heading paragraph and one table; returns (document, table), saved."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(heading)
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(path)
    return doc, table


def problems_of(result) -> str:
    """Every problem in issues.csv, joined: for a test that looks for one wording."""
    return " | ".join(result.issues["problem"])


def cells_named(result) -> set[str]:
    """Every cell an issue names: its `cell`, and each cell the file's not_a_count issue lists in
    `raw` ("sheet!D2 '5' (a percentage); sheet!D3 ...")."""
    import re

    named = set(result.issues["cell"])
    for raw in result.issues.loc[result.issues["kind"] == "not_a_count", "raw"]:
        named |= set(re.findall(r"!([A-Z]+\d+) ", raw))
    return named
