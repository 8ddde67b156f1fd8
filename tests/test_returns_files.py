"""Files that cannot be read, encodings, consistency checks and the ingest command."""
from __future__ import annotations

import pandas as pd
import pytest

from returns_helpers import assert_nothing_lost, rows_of, write_csv, write_xlsx
from unallocated.run.cli import main
from unallocated.errors import ReturnReadError
from unallocated.returns import read_returns
from unallocated.returns.files import load_sheets


def test_empty_file(tmp_path):
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    with pytest.raises(ReturnReadError, match=r"empty\.xlsx: empty file"):
        load_sheets(p)


def test_png_renamed_xlsx(tmp_path):
    p = tmp_path / "photo.xlsx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(ReturnReadError, match=r"photo\.xlsx: not a spreadsheet \(a PNG image\)"):
        load_sheets(p)


def test_text_renamed_xlsx(tmp_path):
    p = tmp_path / "letter.xlsx"
    p.write_text("Dear Sir, we have 7 unallocated cases.")
    with pytest.raises(ReturnReadError, match=r"letter\.xlsx: not a spreadsheet"):
        load_sheets(p)


def test_encrypted_xlsx(tmp_path):
    p = tmp_path / "locked.xlsx"
    p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"EncryptedPackage" + b"\x00" * 500)
    with pytest.raises(ReturnReadError, match=r"locked\.xlsx: encrypted or password-protected"):
        load_sheets(p)


def test_cp1252_csv_is_read_with_an_issue(tmp_path):
    p = write_csv(tmp_path / "sunderland.csv",
                  [["Case type", "Unallocated", "Notes"], ["CP", 7, "Café team – in transit"]],
                  encoding="cp1252")
    res = read_returns(p)
    assert_nothing_lost(res)
    assert rows_of(res) == {("cp", "unallocated", "in_transit", 7, "exact")}
    assert res.issues["problem"].str.contains("Windows-1252").any()


def test_undecodable_csv_is_an_error(tmp_path):
    p = tmp_path / "broken.csv"
    p.write_bytes(b"Case type,Unallocated\nCP,\x81\x8d\x90\n")
    with pytest.raises(ReturnReadError, match=r"broken\.csv: text in an unknown encoding"):
        load_sheets(p)


def test_unreadable_file_is_listed_and_others_still_read(tmp_path):
    write_csv(tmp_path / "sunderland.csv", [["Case type", "Unallocated"], ["CP", 7]])
    (tmp_path / "z_locked.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64)
    res = read_returns(tmp_path)
    assert list(res.unreadable["file"]) == ["z_locked.xlsx"]
    assert "encrypted" in res.unreadable.iloc[0]["reason"]
    assert len(res.returns) == 1 and list(res.files["file"]) == ["sunderland.csv", "z_locked.xlsx"]
    assert list(res.files["outcome"]) == ["read_with_issues", "not_read"]  # no date: an issue


def test_consistency_checks_report_without_dropping(tmp_path):
    write_csv(tmp_path / "sunderland.csv", [
        ["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
        ["Case type", "Total open cases", "Allocated to a qualified social worker", "Unallocated"],
        ["CP", 10, 9, 4],          # 9 + 4 > 10
        ["LAC", 50, 45, -1],       # negative
        ["CIN", 100, 90, 10],
        ["Children in need", None, None, 12],  # CIN unallocated given twice, different values
    ])
    write_csv(tmp_path / "sunderland_again.csv", [
        ["Council:", "Sunderland City Council"], ["Snapshot date:", "2010-03-31"],
        ["Case type", "Unallocated"], ["CP", 4],
    ])
    reference = pd.DataFrame({"old_la_code": ["394"], "case_type": ["cp"], "caseload": [5]})
    res = read_returns(tmp_path, reference=reference)
    assert_nothing_lost(res)
    problems = " | ".join(res.issues["problem"])
    assert "parts larger than the total" in problems
    assert "negative count -1" in problems
    assert "given twice with different values" in problems
    assert "two returns for the same council and date" in problems
    assert "larger than the council's DfE open caseload" in problems  # 4 + 4 > 5, the two returns' together
    assert len(res.returns) == 3 * 3 + 1 + 1  # nothing dropped
    # ... but the twice-given CIN unallocated is no number: added up it would read 22
    twice = res.returns[(res.returns["case_type"] == "cin") & (res.returns["category"] == "unallocated")]
    assert len(twice) == 2 and twice["count"].isna().all() and set(twice["raw"]) == {"10", "12"}
    assert "withheld from the table" in problems


def test_cli_ingest_ok_and_broken(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "sunderland.csv",
              [["Case type", "Unallocated"], ["CP", 7], ["LAC", "<5"]])
    out = tmp_path / "out"
    assert main(["ingest", str(tmp_path / "in"), "--out", str(out)]) == 1  # read; no date: review
    printed = capsys.readouterr().out
    assert "files read: 1" in printed and "sunderland.csv" in printed
    assert "cp 7" in printed
    returns = pd.read_csv(out / "returns.csv", dtype=str)
    assert list(returns["raw"]) == ["7", "<5"]
    (tmp_path / "in" / "broken.xlsx").write_text("not a workbook")
    assert main(["ingest", str(tmp_path / "in"), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "broken.xlsx: not a spreadsheet" in captured.err
    assert len(pd.read_csv(out / "returns.csv")) == 2  # the readable file is still written
    issues = pd.read_csv(out / "issues.csv", dtype=str)
    assert issues["file"].eq("broken.xlsx").any()
    assert not list(out.glob("*.tmp"))
