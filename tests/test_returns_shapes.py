"""Whole-file shapes and where figures hide: a list of children one per row is named as one, never
read as a table of counts; figures typed in a spreadsheet's text box, in a Word form's content
control or in a field are read; a figure the council struck through is never a count."""
from __future__ import annotations

import zipfile

import pytest

from returns_helpers import numbers_of, read_every_file, rows_of, write_csv, write_xlsx
from unallocated.returns import read_returns

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_list_of_children_one_per_row_is_named_and_never_read_as_counts(tmp_path):
    rows = [["Rutland County Council - open cases extract"], [],
            ["ChildRef", "Team", "CaseType", "WorkerRole", "Allocated", "OpenDate"]]
    rows += [[f"RCC{100 + i}", "Children's Team", "CIN", "Qualified SW", "Y", "01/04/2009"] for i in range(30)]
    path = write_csv(tmp_path / "rutland_extract.csv", rows)
    res = read_returns(path, reference=None)
    assert res.returns.empty  # 30 rows of children are not 30 counts, nor 1, nor 2009
    problem = " ".join(res.issues["problem"])
    assert "lists 30 children or cases, one per row (their references in column A)" in problem
    assert (res.files["non_empty_cells"] == res.files["mapped"] + res.files["labels"] + res.files["issues"]).all()


def test_a_table_with_a_reference_column_but_few_rows_is_read_as_a_table(tmp_path):
    path = write_csv(tmp_path / "barnet.csv", [["Ref", "Case type", "Total open cases", "Unallocated"],
                                               ["Q1", "Child protection", 210, 3], ["Q2", "Looked after", 295, 0]])
    res = read_returns(path, reference=None)
    assert ("cp", "unallocated", 3) in numbers_of(res)


def _with_text_box(path, text_lines: list[str]) -> None:
    """Add a drawn text box holding `text_lines` to the first worksheet, as Excel saves one."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    paras = "".join(f"<a:p><a:r><a:t>{line}</a:t></a:r></a:p>" for line in text_lines)
    parts["xl/drawings/drawing1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
        'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        f'<xdr:sp><xdr:txBody><a:bodyPr/>{paras}</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>'
        '</xdr:wsDr>').encode()
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>').encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


def test_figures_typed_in_a_spreadsheets_text_box_are_read_as_a_letter(tmp_path):
    path = write_xlsx(tmp_path / "oldham.xlsx", {"FOI": [
        ["Oldham Council - FOI 2010/1187"], ["Position at 30/09/2010"], [],
        ["Case type", "Total open", "Allocated to a qualified social worker"],
        ["Child protection", 212, 212], ["Looked after children", 452, 441]]})
    _with_text_box(path, ["Unallocated cases at 30/09/2010:",
                          "There were 3 looked after children without an allocated social worker."])
    res = read_every_file(path)
    assert ("lac", "unallocated", 3) in numbers_of(res)
    assert set(res.returns.loc[res.returns["raw"].str.startswith("There were 3"), "source"]) == {
        "oldham.xlsx!FOI text box 1!A2"}


def test_a_word_forms_content_control_and_a_field_are_read(tmp_path):
    pytest.importorskip("docx")
    from docx.oxml import parse_xml

    from returns_helpers import write_letter

    doc = write_letter(tmp_path / "havering.docx", ["Havering Council, response of 20 October 2010"])
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>There were 6 child protection cases without an allocated '
        f'social worker on 30 September 2010.</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    body.insert(len(body) - 1, parse_xml(
        f'<w:p {W}><w:r><w:t xml:space="preserve">There were </w:t></w:r><w:fldSimple w:instr=" DOCPROPERTY LAC ">'
        f'<w:r><w:t>11</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> looked after children without an '
        f'allocated social worker on 30 September 2010.</w:t></w:r></w:p>'))
    doc.save(tmp_path / "havering.docx")
    res = read_every_file(tmp_path / "havering.docx")
    assert {("cp", "unallocated", 6), ("lac", "unallocated", 11)} <= numbers_of(res)


def test_a_figure_struck_through_in_word_is_never_a_count_and_is_named(tmp_path):
    pytest.importorskip("docx")
    from docx.oxml import parse_xml

    from returns_helpers import write_letter

    doc = write_letter(tmp_path / "medway.docx", ["Medway Council, 1 November 2010"])
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:p {W}><w:r><w:t xml:space="preserve">There were </w:t></w:r><w:r><w:rPr><w:strike/></w:rPr>'
        f'<w:t>14</w:t></w:r><w:r><w:t xml:space="preserve"> 9 child protection cases without an allocated social '
        f'worker.</w:t></w:r></w:p>'))
    doc.save(tmp_path / "medway.docx")
    res = read_every_file(tmp_path / "medway.docx")
    assert ("cp", "unallocated", 9) in numbers_of(res) and 14 not in {n for *_, n in numbers_of(res)}
    assert "struck-through text in paragraph 2 not read: '14'" in " ".join(res.issues["problem"])


def test_a_figure_struck_through_in_a_spreadsheet_is_never_a_count(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    path = write_xlsx(tmp_path / "bexley.xlsx", {"Return": [["Case type", "Unallocated"], ["Child protection", 14]]})
    wb = load_workbook(path)
    wb["Return"]["B2"].font = Font(strike=True)
    wb.save(path)
    res = read_returns(path, reference=None)
    assert rows_of(res, "case_type", "category", "count") == {("cp", "unallocated", None)}
    assert "struck through in the file" in res.issues.loc[res.issues["cell"] == "B2", "problem"].iloc[0]


def test_a_case_list_proposes_the_counts_of_its_open_cases_by_a_documented_rule(tmp_path):
    rows = [["ChildRef", "CaseType", "WorkerRole", "Allocated", "UnallocatedReason", "OpenDate", "CloseDate"]]
    rows += [[f"R{i}", "CIN", "Qualified SW", "Y", "", "01/04/2009", ""] for i in range(12)]
    rows += [["R90", "CIN", "Family Support Worker", "Y", "", "01/04/2009", ""],
             ["R91", "LAC", "", "N", "In transfer to Leaving Care Team", "01/04/2009", ""],
             ["R92", "CIN", "Qualified SW", "Y", "", "01/04/2009", "16/09/2010"]]  # closed: not counted
    res = read_returns(write_csv(tmp_path / "rutland.csv", rows), reference=None)
    assert res.returns.empty
    proposed = {(r.proposed_case_type, r.proposed_category, r.proposed_detail, int(r.proposed_count))
                for r in res.issues.itertuples() if r.proposed_count}
    assert proposed == {("cin", "total", "", 13), ("cin", "allocated_qualified", "", 12),
                        ("cin", "allocated_other", "family_support", 1), ("lac", "total", "", 1),
                        ("lac", "unallocated", "in_transit", 1)}


def test_a_row_of_reasons_under_the_counts_gives_each_count_above_it_its_reason(tmp_path):
    path = write_xlsx(tmp_path / "kingston.xlsx", {"Allocation": [
        ["", "CP", "LAC", "CIN"],
        ["Open cases", 102, 127, 688],
        ["Not allocated", "<5", 0, 12],
        ["Reason not allocated", "held by team manager", None, "awaiting transfer to another team"]]})
    res = read_returns(path, reference=None)
    assert rows_of(res, "case_type", "category", "detail", "count") >= {
        ("cp", "unallocated", "duty_team", 4), ("lac", "unallocated", "not_given", 0),
        ("cin", "unallocated", "in_transit", 12)}


def test_a_note_gives_no_role_or_reason_to_a_count_of_0(tmp_path):
    path = write_xlsx(tmp_path / "bath.xlsx", {"Return": [
        ["", "Child protection", "Looked after", "Children in need"],
        ["Allocated to other staff", 0, 0, 27],
        ["Not allocated", 0, 6, 0],
        ["Notes: other staff are family support workers; the unallocated cases are awaiting closure."]]})
    res = read_returns(path, reference=None)
    rows = rows_of(res, "case_type", "category", "detail", "count")
    assert {("cp", "allocated_other", "other", 0), ("lac", "allocated_other", "other", 0),
            ("cin", "allocated_other", "family_support", 27), ("cp", "unallocated", "not_given", 0),
            ("lac", "unallocated", "awaiting_closure", 6), ("cin", "unallocated", "not_given", 0)} <= rows


@pytest.mark.parametrize("key, symbol, count, qualifier", [
    ("- = nil", "-", "0", "exact"), ("* fewer than five is shown as *", None, None, None),
    ("* = fewer than 5", "*", "4", "at_most"), ("Key: x denotes < 6", "x", "5", "at_most"),
])
def test_a_replys_key_to_its_symbols_proposes_their_reading_never_counts_it(tmp_path, key, symbol, count, qualifier):
    cell = symbol or "*"
    rows = [["Council:", "Wokingham"], ["Snapshot date:", "30/09/2010"], [],
            ["Case type", "Open cases", "No worker"], ["Child protection", 57, cell], ["Looked after", 84, 2], [], [key]]
    res = read_returns(write_csv(tmp_path / "wokingham.csv", rows), reference=None)
    cp = res.returns[(res.returns["case_type"] == "cp") & (res.returns["category"] == "unallocated")]
    assert cp["count"].isna().all()  # never a count
    at = res.issues[(res.issues["cell"] == "C5") & (res.issues["proposed_count"] != "")]
    if symbol is None:
        assert at.empty  # not a key of the form 'symbol = meaning'
    else:
        assert (at["proposed_count"].tolist(), at["proposed_qualifier"].tolist()) == ([count], [qualifier])
        assert key in at["problem"].iloc[0]
