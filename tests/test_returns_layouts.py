"""One fixture per layout, built here; expected values written by hand."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from returns_helpers import assert_nothing_lost, rows_of, write_csv, write_xlsx
from unallocated.returns import read_returns


def test_filled_in_template_is_read_exactly(tmp_path):
    from unallocated.returns.template import template_bytes

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    ws = wb["Return"]
    ws["B3"] = "Sunderland City Council"
    ws["B4"] = dt.datetime(2010, 3, 31)
    #          B    C   D  E  F  G  H  I  J  K  L  M  N   O
    ws.append([])
    for col, v in zip("BCDEFGHIJKLMN", [30, 20, 1, 0, 0, 0, 2, 7, 0, 0, 0, 0, 0]):
        ws[f"{col}7"] = v
    ws["O7"] = "The 7 cases were moving between area teams on the day"
    for col, v in zip("BCDEFGHIJKLMN", [50, 45, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 2]):
        ws[f"{col}8"] = v
    for col, v in zip("BCDEFGHIJKLMN", [400, 300, 10, 0, 5, 0, 0, 0, 20, 15, "<5", 10, 36]):
        ws[f"{col}9"] = v
    wb.save(tmp_path / "return.xlsx")

    res = read_returns(tmp_path / "return.xlsx")
    assert_nothing_lost(res)
    assert set(res.returns["council_code"]) == {"394"}
    assert set(res.returns["snapshot_date"]) == {"2010-03-31"}
    got = rows_of(res)
    assert ("cp", "total", "", 30, "exact") in got
    assert ("cp", "allocated_qualified", "", 20, "exact") in got
    assert ("cp", "allocated_other", "assistant", 1, "exact") in got
    assert ("cp", "allocated_other", "other", 2, "exact") in got
    # the template's own "in transit" column already says why: the note does not move it
    assert ("cp", "unallocated", "in_transit", 7, "exact") in got
    assert ("lac", "allocated_other", "leaving_care", 2, "exact") in got
    assert ("lac", "unallocated", "not_given", 2, "exact") in got
    assert ("cin", "unallocated", "financial_only", 4, "at_most") in got
    assert ("cin", "unallocated", "duty_team", 10, "exact") in got
    assert len(res.returns) == 39  # 13 value columns x 3 case types
    assert res.returns.set_index("source").loc["return.xlsx!Return!L9", "raw"] == "<5"
    f = res.files.iloc[0]
    assert f["mapped"] == 39 and f["issues"] == 0
    assert res.issues.empty, res.issues


def test_title_block_and_header_below_first_row(tmp_path):
    rows = [
        ["Return from Sunderland City Council"],
        ["Freedom of Information request: unallocated cases, figures as at 31 March 2010"],
        [],
        ["Case type", "Total open cases", "Allocated to a qualified social worker",
         "Allocated to unqualified staff", "Not allocated"],
        ["Child Protection", "120", "110", "3", "7"],
        ["Looked After Children", "1,020", "990", "18", "12"],
        ["Children in Need", "2 400", "2,000", "100", "300"],
    ]
    res = read_returns(write_xlsx(tmp_path / "foi.xlsx", {"Sheet1": rows}))
    assert_nothing_lost(res)
    assert set(res.returns["council_code"]) == {"394"}
    assert set(res.returns["snapshot_date"]) == {"2010-03-31"}
    assert rows_of(res) == {
        ("cp", "total", "", 120, "exact"), ("cp", "allocated_qualified", "", 110, "exact"),
        ("cp", "allocated_other", "other", 3, "exact"), ("cp", "unallocated", "not_given", 7, "exact"),
        ("lac", "total", "", 1020, "exact"), ("lac", "allocated_qualified", "", 990, "exact"),
        ("lac", "allocated_other", "other", 18, "exact"),
        ("lac", "unallocated", "not_given", 12, "exact"),
        ("cin", "total", "", 2400, "exact"), ("cin", "allocated_qualified", "", 2000, "exact"),
        ("cin", "allocated_other", "other", 100, "exact"),
        ("cin", "unallocated", "not_given", 300, "exact"),
    }
    assert "foi.xlsx!Sheet1!E5" in set(res.returns["source"])


def test_two_row_header_with_merged_cells(tmp_path):
    rows = [
        ["London Borough of Barnet"],
        [],
        ["Case type", "Total", "Allocated", None, "Unallocated"],
        [None, None, "Qualified social worker", "Other staff", None],
        ["CP", 200, 190, 8, 2],
        ["LAC", 300, 240, 54, 6],
    ]
    path = write_xlsx(tmp_path / "barnet.xlsx", {"Data": rows},
                      merges={"Data": ["C3:D3", "A3:A4", "B3:B4", "E3:E4"]})
    res = read_returns(path, manifest=None)
    assert_nothing_lost(res)
    assert set(res.returns["council_code"]) == {"302"}
    assert rows_of(res) == {
        ("cp", "total", "", 200, "exact"), ("cp", "allocated_qualified", "", 190, "exact"),
        ("cp", "allocated_other", "other", 8, "exact"), ("cp", "unallocated", "not_given", 2, "exact"),
        ("lac", "total", "", 300, "exact"), ("lac", "allocated_qualified", "", 240, "exact"),
        ("lac", "allocated_other", "other", 54, "exact"),
        ("lac", "unallocated", "not_given", 6, "exact"),
    }


def test_case_types_as_columns_with_grand_total_column(tmp_path):
    rows = [
        ["Council:", "Brighton & Hove"],
        ["Snapshot date:", "30/09/2010"],
        [],
        [None, "Children subject to a CP plan", "Children in care", "CIN cases", "Total"],
        ["Total open cases", 300, 400, 1500, 2200],
        ["Unallocated", 3, 10, 150, 163],
        ["No allocated worker - awaiting closure", 0, 0, 20, 20],
    ]
    res = read_returns(write_csv(tmp_path / "return.csv", rows))
    assert_nothing_lost(res)
    assert set(res.returns["council_code"]) == {"846"}
    assert set(res.returns["snapshot_date"]) == {"2010-09-30"}
    # the total column is checked, never added in: 3 + 10 + 150 = 163. "Unallocated" is the
    # whole; the reason row is part of it, so 150 - 20 = 130 are left with no reason given.
    assert rows_of(res) == {
        ("cp", "total", "", 300, "exact"), ("lac", "total", "", 400, "exact"),
        ("cin", "total", "", 1500, "exact"),
        ("cp", "unallocated", "not_given", 3, "exact"),
        ("lac", "unallocated", "not_given", 10, "exact"),
        ("cin", "unallocated", "not_given", 130, "exact"),
        ("cp", "unallocated", "awaiting_closure", 0, "exact"),
        ("lac", "unallocated", "awaiting_closure", 0, "exact"),
        ("cin", "unallocated", "awaiting_closure", 20, "exact"),
    }
    assert set(res.returns["source"].str.split("!").str[1]) == {"csv"}
    assert res.files.iloc[0]["labels"] == 4 + 4 + 3 + 3  # meta, headings, row labels, totals
    # A grand total that disagrees with its parts is reported, and still not added in.
    rows[5][4] = 170
    res = read_returns(write_csv(tmp_path / "return.csv", rows))
    bad = res.issues[res.issues["cell"] == "E6"]
    assert len(bad) == 1 and "170" in bad.iloc[0]["problem"] and "163" in bad.iloc[0]["problem"]
    assert "return.csv!csv!E6" not in set(res.returns["source"])


def test_letter_layout_question_and_answer(tmp_path):
    rows = [
        ["Dear Sir/Madam, in response to your request under the Freedom of Information Act"],
        ["How many children subject to a child protection plan have no allocated social worker?",
         "7 (these cases were in transit between teams)"],
        ["How many looked after children have no allocated social worker?", "nil"],
        ["How many children in need cases are not allocated?", "c. 40"],
        ["How many children in need cases are allocated to a qualified social worker?",
         "see attached"],
    ]
    path = write_xlsx(tmp_path / "letter.xlsx", {"Response": rows})
    manifest = pd.DataFrame({"file": ["letter.xlsx"], "council": ["Sunderland"],
                             "snapshot_date": ["2010-03"]})
    res = read_returns(path, manifest=manifest)
    assert_nothing_lost(res)
    assert rows_of(res) == {
        ("cp", "unallocated", "in_transit", 7, "exact"),
        ("lac", "unallocated", "not_given", 0, "exact"),
        ("cin", "unallocated", "not_given", 40, "approx"),
        # "see attached" where a count was asked: kept as an unknown, never dropped (or 0)
        ("cin", "allocated_qualified", "", None, "not_supplied"),
    }
    assert set(res.returns["snapshot_date"]) == {"2010-03"}
    assert set(res.returns["council_code"]) == {"394"}
    bad = res.issues[res.issues["cell"] == "B5"]
    assert len(bad) == 1 and "see attached" in bad.iloc[0]["raw"]
    assert "kept as not_supplied" in bad.iloc[0]["problem"]
    assert res.files.iloc[0]["issues"] == 0  # the cell is accounted for as mapped (and reported)


def test_compiled_sheet_one_row_per_council(tmp_path):
    rows = [
        ["Unallocated cases by council, as at 31 March 2010"],
        ["Council", "CP unallocated", "LAC unallocated", "CIN unallocated"],
        ["Sunderland", 7, 0, 12],
        ["Barnet", "<5", 10, "n/a"],
        ["Atlantis", 1, 2, 3],
    ]
    res = read_returns(write_csv(tmp_path / "compiled.csv", rows))
    assert_nothing_lost(res)
    got = rows_of(res, "council_code", "case_type", "count", "qualifier")
    assert got == {
        ("394", "cp", 7, "exact"), ("394", "lac", 0, "exact"), ("394", "cin", 12, "exact"),
        ("302", "cp", 4, "at_most"), ("302", "lac", 10, "exact"), ("302", "cin", None, "not_supplied"),
        ("", "cp", 1, "exact"), ("", "lac", 2, "exact"), ("", "cin", 3, "exact"),
    }
    assert set(res.returns.loc[res.returns["council_code"] == "", "council"]) == {"Atlantis"}
    assert (res.issues["raw"] == "Atlantis").sum() == 1


def test_several_sheets_one_per_case_type(tmp_path):
    sheets = {
        "CP": [["Category", "Number"], ["Allocated to a qualified social worker", 50],
               ["Unallocated", 2]],
        "LAC": [["Category", "Number"], ["Allocated to family support worker", 4],
                ["Unallocated", 1]],
        "CIN": [["Category", "Number"], ["Held by non-social work staff", 30],
                ["Unallocated", "over 1,000"]],
    }
    res = read_returns(write_xlsx(tmp_path / "derbyshire_foi_2010.xlsx", sheets))
    assert_nothing_lost(res)
    assert set(res.returns["council_code"]) == {"830"}  # Derbyshire, from the file name
    assert rows_of(res) == {
        ("cp", "allocated_qualified", "", 50, "exact"), ("cp", "unallocated", "not_given", 2, "exact"),
        ("lac", "allocated_other", "family_support", 4, "exact"),
        ("lac", "unallocated", "not_given", 1, "exact"),
        ("cin", "allocated_other", "other", 30, "exact"),
        ("cin", "unallocated", "not_given", 1001, "at_least"),
    }


def test_note_gives_reason_for_part_of_a_count(tmp_path):
    rows = [
        ["Case type", "Unallocated", "Notes"],
        ["Child protection", 12, "7 cases in transit between teams"],
        ["Looked after children", 3, None],
        [],
        ["Note: the 3 looked after children are awaiting closure"],
    ]
    res = read_returns(write_xlsx(tmp_path / "sunderland.xlsx", {"S": rows}))
    assert_nothing_lost(res)
    assert rows_of(res) == {
        ("cp", "unallocated", "in_transit", 7, "exact"),
        ("cp", "unallocated", "not_given", 5, "exact"),
        ("lac", "unallocated", "awaiting_closure", 3, "exact"),
    }
    # both cp rows come from the one cell
    assert set(res.returns.loc[res.returns["case_type"] == "cp", "source"]) == {
        "sunderland.xlsx!S!B2"}


def test_unallocated_subtotal_beside_reasons(tmp_path):
    rows = [
        ["Case type", "Unallocated (total)", "Unallocated - in transit between teams",
         "awaiting closure", "partner agency"],
        ["CIN", 100, 10, 20, 30],
        ["LAC", 5, 3, 3, 0],
    ]
    res = read_returns(write_csv(tmp_path / "barnsley.csv", rows))
    assert_nothing_lost(res)
    assert rows_of(res) == {
        ("cin", "unallocated", "not_given", 40, "exact"),  # 100 less the 60 with reasons
        ("cin", "unallocated", "in_transit", 10, "exact"),
        ("cin", "unallocated", "awaiting_closure", 20, "exact"),
        ("cin", "unallocated", "partner_agency", 30, "exact"),
        ("lac", "unallocated", "in_transit", 3, "exact"),
        ("lac", "unallocated", "awaiting_closure", 3, "exact"),
        ("lac", "unallocated", "partner_agency", 0, "exact"),
    }
    bad = res.issues[res.issues["cell"] == "B3"]
    assert len(bad) == 1 and "parts larger than the total" in bad.iloc[0]["problem"]


def test_markers_in_a_table_and_junk(tmp_path):
    rows = [
        ["Case type", "Unallocated", "Allocated to social work assistant", "Allocated to trainee",
         "Allocated to leaving care worker"],
        ["CP", "*", "x", "-", "none"],
        ["LAC", "approx 40", "about 40", "40+", "more than 1,000"],
        ["CIN", "see note", "18%", "1 000", "zzz"],
        ["qwerty"],
    ]
    res = read_returns(write_csv(tmp_path / "sunderland.csv", rows))
    assert_nothing_lost(res)
    assert rows_of(res) == {
        ("cp", "unallocated", "not_given", None, "suppressed"),
        ("cp", "allocated_other", "assistant", None, "suppressed"),
        ("cp", "allocated_other", "trainee", None, "not_supplied"),
        ("cp", "allocated_other", "leaving_care", 0, "exact"),
        ("lac", "unallocated", "not_given", 40, "approx"),
        ("lac", "allocated_other", "assistant", 40, "approx"),
        ("lac", "allocated_other", "trainee", 40, "at_least"),
        ("lac", "allocated_other", "leaving_care", 1001, "at_least"),
        ("cin", "allocated_other", "trainee", 1000, "exact"),
        # words where a count was asked ("see note", "18%", "zzz"): unknown counts, never dropped
        ("cin", "unallocated", "not_given", None, "not_supplied"),
        ("cin", "allocated_other", "assistant", None, "not_supplied"),
        ("cin", "allocated_other", "leaving_care", None, "not_supplied"),
    }
    cells = set(res.issues["cell"])
    assert {"B4", "C4", "E4", "A5"} <= cells
    # Only the stray "qwerty" is an issue and nothing else; the three unreadable counts are
    # mapped (as not_supplied) and also listed in issues.csv.
    assert res.files.iloc[0]["issues"] == 1


def test_no_council_anywhere_is_reported(tmp_path):
    rows = [["Case type", "Unallocated"], ["CP", 3]]
    res = read_returns(write_csv(tmp_path / "return_07.csv", rows))
    assert list(res.returns["council_code"]) == [""]
    assert res.issues["problem"].str.contains("no council named").any()
    # the manifest fills the gap
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,council,snapshot_date,layer\nreturn_07.csv,Essex,2010-03-31,"
                        "simulated\n")
    res = read_returns(tmp_path, manifest=manifest)
    assert list(res.returns["council_code"]) == ["881"]
    assert list(res.returns["layer"]) == ["simulated"]
    assert list(res.returns["snapshot_date"]) == ["2010-03-31"]
    assert list(res.files["file"]) == ["return_07.csv"]  # the manifest itself is not read
