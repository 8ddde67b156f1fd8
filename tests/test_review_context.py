"""The context the review desk shows around a withheld figure, taken again from the original
file by the address the reader gave it (issues.csv's sheet and cell), for every format.

Each file is written by the real writer of its format (`return_writers`, `returns_helpers`),
read by the reader, and the context is asked for at the address of the reader's own issue."""
from __future__ import annotations

import pytest

from return_writers import writers
from returns_helpers import FOUR_QUESTIONS, pdf_page, write_letter, write_xlsx
from unallocated.returns import read_returns
from unallocated.returns.context import ContextCache, context_for

ROWS = [["Council:", "Leeds"], ["Snapshot date:", "30/09/2010"], [], FOUR_QUESTIONS,
        ["Child protection", 500, 490, 5, "12*"], ["Looked after", 1400, 1380, 10, 7],
        ["Children in need", 5000, 4800, 100, 60]]


def _issue_at(path, raw: str):
    """(sheet, cell, raw) of the reader's issue whose text is `raw` (contains it, for prose)."""
    issues = read_returns(path, reference=None).issues
    hit = issues[issues["raw"].str.contains(raw, regex=False) & (issues["cell"] != "")]
    assert len(hit), f"the reader raised no issue at {raw!r}: {issues.to_dict('records')}"
    return hit.iloc[0]["sheet"], hit.iloc[0]["cell"], hit.iloc[0]["raw"]


def _cell(ctx: dict, ref: str) -> dict:
    return next(c for r in ctx["rows"] for c in r["cells"] if c["ref"] == ref)


@pytest.mark.parametrize("fmt", sorted(writers()))
def test_a_grid_around_the_figure_with_its_headings_in_every_tabular_format(tmp_path, fmt):
    path = writers()[fmt](tmp_path, "leeds_reply", ROWS)
    sheet, cell, _ = _issue_at(path, "12*")
    ctx = context_for(path, sheet, cell)
    assert ctx["kind"] == "grid" and ctx["target"] == cell == "E5"
    assert ctx["target_text"] == "12*"
    assert ctx["row_heading"] == "Child protection"
    assert ctx["column_heading"] == "Unallocated"
    target = [c["ref"] for r in ctx["rows"] for c in r["cells"] if c["target"]]
    assert target == ["E5"]
    shown = {c["ref"]: c["text"] for r in ctx["rows"] for c in r["cells"] if c["text"]}
    # the rows either side and the heading row, every column to its row heading
    assert shown["A5"] == "Child protection" and shown["E4"] == "Unallocated" and shown["A7"] == "Children in need"
    assert {c["letter"] for c in ctx["columns"]} == set("ABCDE")
    assert {c["ref"] for r in ctx["rows"] for c in r["cells"] if c["heading"]} == {"A5", "E4"}
    if fmt == "pdf":
        assert ctx["where"] == "PDF page 1, ruled table 1"
    elif fmt == "docx":
        assert ctx["where"] == "Word document, table 1"


def test_a_workbook_marks_hidden_rows_merged_cells_and_comments(tmp_path):
    import openpyxl
    from openpyxl.comments import Comment

    path = write_xlsx(tmp_path / "leeds.xlsx", {"Return": ROWS + [["Last year", None, None, None, 44]]},
                      merges={"Return": ["B1:C1"]})
    wb = openpyxl.load_workbook(path)
    ws = wb["Return"]
    ws["E6"].comment = Comment("3 of these are awaiting closure", "FOI")
    ws.row_dimensions[8].hidden = True
    ws.column_dimensions["D"].hidden = True
    wb.save(path)
    cache = ContextCache()
    ctx = context_for(path, "Return", "E6", cache=cache)
    assert _cell(ctx, "E6")["target"] and _cell(ctx, "E6")["comment"] == "3 of these are awaiting closure"
    assert next(r for r in ctx["rows"] if r["index"] == 8)["hidden"]
    assert _cell(ctx, "E8")["hidden"] and _cell(ctx, "E8")["text"] == "44"
    assert next(c for c in ctx["columns"] if c["letter"] == "D")["hidden"]
    hidden_row = context_for(path, "Return", "E8", cache=cache)
    assert hidden_row["target_text"] == "44" and hidden_row["row_heading"] == "Last year"
    title = context_for(path, "Return", "B2", cache=cache)  # near the merged title cells
    assert _cell(title, "B1")["merged"] == "B1:C1" and _cell(title, "C1")["merged"] == "B1:C1"


def test_a_hidden_sheet_and_a_gap_to_a_far_heading(tmp_path):
    rows = [["Case type", "Unallocated"]] + [[f"Team {n}", n] for n in range(1, 15)] + [["Children in need", "12*"]]
    path = write_xlsx(tmp_path / "far.xlsx", {"Old": rows})
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Old"].sheet_state = "hidden"
    wb.create_sheet("Cover")["A1"] = "Our reply"
    wb.save(path)
    ctx = context_for(path, "Old", "B16")
    assert ctx["hidden_sheet"] and ctx["column_heading"] == "Unallocated"
    indexes = [r["index"] for r in ctx["rows"]]
    assert indexes[0] == 1 and indexes[1] == 13 and next(r for r in ctx["rows"] if r["index"] == 13)["gap_before"]


def test_an_ods_comment_is_marked(tmp_path):
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Return")
    for row in ROWS:
        tr = TableRow()
        for v in list(row) + [None] * (5 - len(row)):
            if v is None:
                tc = TableCell()
            elif isinstance(v, int):
                tc = TableCell(valuetype="float", value=v)
                tc.addElement(P(text=str(v)))
            else:
                tc = TableCell(valuetype="string")
                tc.addElement(P(text=v))
            if v == 7:
                note = Annotation()
                note.addElement(P(text="includes 2 in transit"))
                tc.addElement(note)
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "leeds.ods"
    doc.save(str(path))
    ctx = context_for(path, "Return", "E5")
    assert _cell(ctx, "E6")["comment"] == "includes 2 in transit" and _cell(ctx, "E6")["text"] == "7"
    assert _cell(ctx, "E5")["comment"] == ""


def test_a_word_letter_shows_the_paragraph_with_the_figure_marked(tmp_path):
    path = tmp_path / "york.docx"
    write_letter(path, ["City of York Council", "FOI reply, 30 September 2010",
                        "Thank you for your request. We had 14 child protection cases and 3 looked after "
                        "children not allocated to a social worker. We hold 210 cases in all.",
                        "Yours faithfully"])
    sheet, cell, raw = _issue_at(path, "14 child protection")
    ctx = context_for(path, sheet, cell, figure="3", sentence=raw)
    assert ctx["kind"] == "prose" and ctx["where"] == "Word document, paragraph 3"
    assert ctx["before"] == ["FOI reply, 30 September 2010"] and ctx["after"] == ["Yours faithfully"]
    text = ctx["paragraph"]
    marked = {what: text[a:b] for a, b, what in ctx["marks"]}
    assert marked["sentence"] == raw and marked["figure"] == "3"
    figure = next(m for m in ctx["marks"] if m[2] == "figure")
    assert text[figure[0] - 4:figure[1] + 7] == "and 3 looked"  # the 3 of the sentence, not of 30 or 2010


def test_a_text_letter_shows_its_lines_near_the_figure(tmp_path):
    path = tmp_path / "hull_reply.txt"
    path.write_text("Hull City Council\n\nFOI reply, 30 September 2010\n\nThere were over 40 children in need "
                    "cases\nwaiting for a social worker in the north team.\n\nRegards\n", encoding="utf-8")
    sheet, cell, raw = _issue_at(path, "over 40")
    assert (sheet, cell) == ("text", "A5")  # the line the sentence starts on
    ctx = context_for(path, sheet, cell, figure="40", sentence=raw)
    assert ctx["kind"] == "lines" and ctx["where"] == "text file, line 5" and ctx["page"] is None
    target = next(line for line in ctx["lines"] if line["target"])
    a, b, what = target["marks"][0]
    assert target["n"] == 5 and what == "figure" and target["text"][a:b] == "40"
    assert target["text"].startswith("There were over 40 children in need cases")
    # the sentence goes on to the next line (or is read whole as one paragraph): all of it is marked
    assert "waiting for a social worker in the north team." in " ".join(line["text"] for line in ctx["lines"] if line["part_of"])
    assert any(line["text"] == "Regards" and not line["part_of"] for line in ctx["lines"])


def test_a_pdf_page_shows_its_lines_near_the_figure(tmp_path):
    pdf = pdf_page("Kirklees Council FOI reply 30 September 2010")
    for n, line in enumerate(["Dear requester,", "Unallocated child protection cases: 7 (of which 2 in transit)",
                              "Looked after children unallocated: about 15", "Yours sincerely"]):
        pdf.text(20, 30 + 10 * n, line)
    path = tmp_path / "kirklees_reply.pdf"
    pdf.output(str(path))
    sheet, cell, raw = _issue_at(path, "(of which 2 in transit)")
    assert sheet == "page 1"
    ctx = context_for(path, sheet, cell, figure="15", sentence=raw)
    assert ctx["kind"] == "page" and ctx["page"] == 1 and ctx["where"].startswith("PDF page 1, line ")
    lines = {line["text"]: line for line in ctx["lines"]}
    assert "Kirklees Council FOI reply 30 September 2010" in lines and "Yours sincerely" in lines
    assert lines["Unallocated child protection cases: 7 (of which 2 in transit)"]["target"]
    about = lines["Looked after children unallocated: about 15"]
    a, b, what = about["marks"][0]
    assert about["part_of"] and what == "figure" and about["text"][a:b] == "15"
    assert not lines["Yours sincerely"]["part_of"]


def test_an_address_no_longer_in_the_file_says_so(tmp_path):
    path = writers()["xlsx"](tmp_path, "leeds_reply", ROWS)
    assert context_for(path, "No such sheet", "E5")["kind"] == "missing"
    assert "not in the file" in context_for(path, "No such sheet", "E5")["why"]
    assert context_for(path, "Return", "not a cell")["kind"] == "missing"
    scan = tmp_path / "scan.pdf"
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(scan))
    gone = context_for(scan, "page 1", "A1")
    assert gone["kind"] == "missing" and "scanned PDF" in gone["why"] and str(tmp_path) not in gone["why"]


def test_text_from_a_reply_is_kept_verbatim_never_interpreted(tmp_path):
    payload = '<img src=x onerror="alert(1)">'
    path = write_xlsx(tmp_path / "leeds.xlsx", {"Return": ROWS[:4] + [["Child protection", 500, 490, 5, payload]]})
    sheet, cell, _ = _issue_at(path, payload)
    ctx = context_for(path, sheet, cell)
    assert ctx["target_text"] == payload and _cell(ctx, cell)["full"] == payload
