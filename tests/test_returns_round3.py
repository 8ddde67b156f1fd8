"""Traps found by the third adversarial round (15 replies built by a session that had not read
the reader): one per class, each asserting what a reporter needs. The rule throughout: a value
the reader is not sure of is an issue naming its cell, never a number in returns.csv."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from returns_helpers import FOUR_QUESTIONS, read_every_file as _read, numbers_of as _numbers, rows_of, write_xlsx, cells_named
from unallocated.model.categories import count_under

HEAD = FOUR_QUESTIONS


def _named(res, *cells: str) -> bool:
    return set(cells) <= cells_named(res)


def test_teams_with_subtotals_are_withheld_not_added_up(tmp_path):
    # Lambeth-style: a row per team and a sub-total. Added up, the council's figure would double.
    p = write_xlsx(tmp_path / "lambeth.xlsx", {"Caseload by team": [
        ["Lambeth Council: caseload by team at 31 October 2010"], [],
        ["Team", "Case type", "Total open cases", "Unallocated"],
        ["Referral and assessment", "Children in need", 312, 18],
        ["CIN North", "Children in need", 405, 8],
        ["Sub-total", "Children in need", 717, 26]]})
    res = _read(p)
    cin = res.returns[(res.returns["case_type"] == "cin") & (res.returns["category"] == "unallocated")]
    assert len(cin) == 3 and cin["count"].isna().all()  # 18, 8 and 26: none is a number yet
    assert _named(res, "D4", "D5", "D6")
    assert res.issues["problem"].str.contains("withheld from the table").any()
    got = count_under(res.returns, "no_professional", by=()).iloc[0]
    assert got["qualifier"] != "exact"  # never 52, never 26 stated as sure


def test_two_snapshot_dates_in_one_sheet_are_withheld(tmp_path):
    p = tmp_path / "wakefield.txt"
    p.write_bytes("Wakefield Council\n\nCase type\tMeasure\t31/10/2010\t30/11/2010\n"
                  "Child protection\tUnallocated\t2\t3\n".encode("utf-16"))
    res = _read(p)
    assert not _numbers(res) and _named(res, "C4", "D4")


def test_a_change_since_last_year_column_is_not_counts(tmp_path):
    p = write_xlsx(tmp_path / "sefton.xlsx", {"Response": [
        ["Sefton Council"], ["Position at 31/10/2010"], [],
        ["", "Number", "Change since last year", "% change"],
        ["Child protection open cases", 231, 12, 0.05],
        ["Child protection cases not allocated", 4, 3, 0.1]]})
    res = _read(p)
    assert _numbers(res) == {("cp", "total", 231), ("cp", "unallocated", 4)}
    assert _named(res, "C5", "C6")
    assert (res.issues["problem"] + res.issues["raw"]).str.contains("a change or an earlier figure").any()


def test_a_staff_row_is_not_a_count_of_cases(tmp_path):
    p = write_xlsx(tmp_path / "plymouth.xlsx", {"Return": [
        ["Plymouth City Council, 30 September 2010"], [],
        ["", "Child protection", "Looked after"],
        ["Allocated to a qualified social worker", 180, 391],
        ["Qualified social workers in post (FTE)", 42, 51]]})
    res = _read(p)
    assert _numbers(res) == {("cp", "allocated_qualified", 180), ("lac", "allocated_qualified", 391)}
    assert _named(res, "B5", "C5")


def test_hidden_columns_and_rows_are_never_read_as_this_return(tmp_path):
    path = write_xlsx(tmp_path / "wirral.xlsx", {"FOI": [
        ["Wirral Council, 31 October 2010"], [],
        ["Case type", "2009", "2010"],
        ["Child protection: total open cases", 402, 410],
        ["Child protection: not allocated", 9, 6],
        ["Children in need: not allocated", None, 310]]})
    wb = openpyxl.load_workbook(path)
    wb["FOI"].column_dimensions["B"].hidden = True  # last year's figures, hidden
    wb["FOI"].row_dimensions[6].hidden = True
    wb.save(path)
    res = _read(path)
    assert _numbers(res) == {("cp", "total", 410), ("cp", "unallocated", 6)}
    assert _named(res, "B4", "B5", "C6")
    assert res.issues["problem"].str.contains("hidden column B").any()
    assert res.issues["problem"].str.contains("hidden row 6").any()


def test_a_hidden_column_in_a_legacy_xls_is_not_read(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("Return")
    for r, row in enumerate([["Croydon Council, 30 November 2010"], [], ["Case type", "2009", "2010"],
                             ["Child protection: not allocated", 9, 6]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    ws.col(1).hidden = True
    book.save(str(tmp_path / "croydon.xls"))
    res = _read(tmp_path / "croydon.xls")
    assert _numbers(res) == {("cp", "unallocated", 6)} and _named(res, "B4")


@pytest.mark.parametrize("raw", ["6\u00b9", "12 (a)", "121 [b]", "12*", "40\u2020"])
def test_a_count_with_a_footnote_mark_is_an_issue_never_lost(tmp_path, raw):
    p = write_xlsx(tmp_path / "wirral.xlsx", {"Return": [
        ["Wirral Council, 31 October 2010"], [], HEAD, ["Child protection", 402, 391, 2, raw],
        [], ["(a) see the covering letter"]]})
    res = _read(p)
    row = res.returns[(res.returns["case_type"] == "cp") & (res.returns["category"] == "unallocated")]
    assert len(row) == 1 and row["count"].isna().all() and row["raw"].iloc[0] == raw
    assert res.issues.loc[res.issues["cell"] == "E4", "problem"].str.contains("footnote mark").any()


def test_the_council_in_the_title_beats_the_file_name_and_says_so(tmp_path):
    p = write_xlsx(tmp_path / "sefton_foi_response_2010.xlsx", {"Response": [
        ["Freedom of Information request \u2013 Wigan Council Children's Services"], ["At 31/10/2010"], [],
        HEAD, ["Child protection", 231, 225, 2, 4]]})
    res = _read(p)
    assert set(res.returns["council"]) == {"Wigan"}
    assert res.issues["problem"].str.contains("the file says Wigan").any()


def test_a_subtotal_beside_approximate_parts_is_withheld_and_its_parts_kept(tmp_path):
    p = write_xlsx(tmp_path / "bury.xlsx", {"Sheet1": [
        ["Bury Council - Children's Services"], ["At 31/10/2010"], [],
        ["", "Child Protection"],
        ["Total open cases", 247], ["Allocated to a qualified social worker", 239],
        ["Allocated to other staff", 3], ["    of which: social work assistants", 3],
        ["    of which: leaving care personal advisers", "\u2013"]]})
    res = _read(p)
    shown = {(d, c) for t, cat, d, c in rows_of(res, "case_type", "category", "detail", "count")
             if cat == "allocated_other"}
    assert ("assistant", 3) in shown and ("other", 3) not in shown  # 3 + 3 would count them twice
    assert ("other", None) in shown
    assert _named(res, "B7")


def test_a_role_label_naming_two_roles_is_other(tmp_path):
    p = write_xlsx(tmp_path / "croydon.xlsx", {"Return": [
        ["Croydon Council, 30 November 2010"], [], ["Case type", "Allocated to other professional (SWA/FSW)"],
        ["Child protection", 11]]})
    assert rows_of(_read(p), "case_type", "category", "detail", "count") == {("cp", "allocated_other", "other", 11)}


def test_answers_in_words_and_not_held_are_issues_in_a_letter(tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("Nottinghamshire County Council, 1 November 2010")
    doc.add_paragraph("Question 3: How many child protection cases are allocated to a social work assistant?")
    doc.add_paragraph("Answer: Twelve. These cases were held by social work assistants.")
    doc.add_paragraph("Question 4: How many children in need cases are allocated to other staff?")
    doc.add_paragraph("Answer: We do not hold this information centrally.")
    doc.save(tmp_path / "notts.docx")
    res = _read(tmp_path / "notts.docx")
    assert not _numbers(res)
    problems = " | ".join(res.issues["problem"])
    assert "a number in words ('Twelve')" in problems
    assert "not held or not available" in problems


def test_a_blank_where_a_count_was_asked_is_not_supplied_never_zero(tmp_path):
    p = write_xlsx(tmp_path / "knowsley.xlsx", {"Response": [
        ["Knowsley Metropolitan Borough Council"], ["Snapshot: 01.11.2010"], [], HEAD,
        ["Child Protection", 163, 158, 0, 5], ["Looked After Children", 312, 305, 7, None]]})
    res = _read(p)
    lac = res.returns[(res.returns["case_type"] == "lac") & (res.returns["category"] == "unallocated")]
    assert len(lac) == 1 and lac["count"].isna().all() and lac["qualifier"].iloc[0] == "not_supplied"
    assert _named(res, "E6")
    got = count_under(res.returns, "no_professional", by=("case_type",)).set_index("case_type")
    assert got.loc["lac", "qualifier"] != "exact"  # not a silent 0


def test_a_blank_under_a_breakdown_heading_is_left_alone(tmp_path):
    # A wide grid of reasons (the shipped returns' layout): a blank there means none of that kind.
    p = write_xlsx(tmp_path / "darlington.xlsx", {"Return": [
        ["Council:", "Darlington"], ["Snapshot date:", dt.datetime(2010, 10, 29)], [],
        ["Case type", "Total open cases", "Allocated to a qualified social worker",
         "Unallocated: in transit between teams", "Unallocated: awaiting closure"],
        ["Child protection", 82, 78, 4, None]]})
    res = _read(p)
    assert rows_of(res, "case_type", "category", "detail", "count") == {
        ("cp", "total", "", 82), ("cp", "allocated_qualified", "", 78), ("cp", "unallocated", "in_transit", 4)}


def test_a_hidden_column_and_row_in_an_ods_are_not_read(tmp_path):
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="Return")
    t.addElement(TableColumn())
    t.addElement(TableColumn(visibility="collapse"))  # B: last year's
    t.addElement(TableColumn())
    rows = [["Cornwall Council, 31 October 2010"], [], ["Case type", "2009", "2010"],
            ["Child protection: not allocated", 9, 6], ["Looked after: not allocated", 4, 3]]
    for r, row in enumerate(rows, 1):
        tr = TableRow(visibility="collapse") if r == 5 else TableRow()
        for v in row + [None] * (3 - len(row)):
            tc = (TableCell() if v is None else TableCell(valuetype="float", value=v) if isinstance(v, int)
                  else TableCell(valuetype="string"))
            if v is not None:
                tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    doc.save(str(tmp_path / "cornwall.ods"))
    res = _read(tmp_path / "cornwall.ods")
    assert _numbers(res) == {("cp", "unallocated", 6)} and _named(res, "B4", "C5")


def test_a_column_of_roles_or_reasons_in_words_gives_each_row_its_role_and_reason(tmp_path):
    p = write_xlsx(tmp_path / "tameside.xlsx", {"Summary": [
        ["Tameside MBC, snapshot 30.09.2010"], [],
        ["Case type", "Allocated to qualified SW", "Allocated to non-qualified worker", "Unallocated", "Total open",
         "Role of non-qualified worker", "Reason unallocated"],
        ["Looked after", 341, 17, 2, 360, "Personal Adviser (Leaving Care)", "In transit between teams"],
        ["Children in need", 866, 58, 44, 968, "Family Support Worker", "Held on duty pending allocation"]]})
    got = rows_of(_read(p), "case_type", "category", "detail", "count")
    assert {("lac", "allocated_other", "leaving_care", 17), ("lac", "unallocated", "in_transit", 2),
            ("cin", "allocated_other", "family_support", 58), ("cin", "unallocated", "duty_team", 44)} <= got


def test_a_table_by_team_is_a_breakdown_and_its_total_row_is_read(tmp_path):
    p = write_xlsx(tmp_path / "redbridge.xlsx", {"Teams": [
        ["London Borough of Redbridge, open cases by team at 30 September 2010"], [],
        ["Team", "Looked after", "LAC unallocated"],
        ["Children Looked After Team", 168, 0], ["Leaving Care Team", 52, 2], ["Total", 220, 2]]})
    res = _read(p)
    assert not any(cat == "allocated_other" for _ct, cat, _n in _numbers(res))  # 52 is not other staff's cases
    assert "is a team's (a table by team)" in " ".join(res.issues["problem"])


def test_a_financial_year_is_never_a_snapshot_date_and_a_wrapped_date_is_read_with_what_follows(tmp_path):
    from unallocated.returns.dates import find_date

    assert find_date("In 2009-10 the county received 7,204 referrals") is None  # April 2009 to March 2010
    assert find_date("figures for 2010-09") == "2010-09"
    letter = tmp_path / "cheshire_letter.txt"
    letter.write_text("Dear Ms Cole\n\nThe figures were extracted from our case management system on Friday 29 October\n"
                      "2010 and show the cases open on that day.\n\nThere were 318 looked after children.\n",
                      encoding="utf-8")
    res = _read(letter)
    assert set(res.returns["snapshot_date"]) == {"2010-10-29"}


def test_the_date_of_an_earlier_figure_is_not_the_replys(tmp_path):
    letter = tmp_path / "cambs_letter.txt"
    letter.write_text("The figures relate to cases open at midnight on 30 September 2010.\n\n"
                      "There were 486 looked after children.\n\n"
                      "In July we gave another publication a figure of 2,958; that figure was as at 31\n"
                      "March 2010 and included children subject to a plan.\n", encoding="utf-8")
    res = _read(letter)
    assert set(res.returns["snapshot_date"]) == {"2010-09-30"}
