"""review.csv: a person's readings are applied on every ingest and say so in `source`."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from returns_helpers import write_csv, write_xlsx
from unallocated.run.cli import main
from unallocated.returns import read_returns

REVIEW_HEAD = ["file", "sheet", "cell", "case_type", "category", "detail", "reading", "page",
               "reviewer", "note"]
CLEAN = [["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
         ["Case type", "Unallocated"], ["CP", 7], ["LAC", 4]]


def test_a_scan_keyed_in_review_csv_gets_into_the_table(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "leeds_reply.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64)
    write_csv(tmp_path / "in" / "review.csv", [
        REVIEW_HEAD,
        ["leeds_reply.doc", "", "", "cp", "unallocated", "", "12", "2", "AB", "keyed from the reply"],
        ["leeds_reply.doc", "", "", "lac", "unallocated", "", "<5", "2", "AB", ""]])
    status = main(["ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                   "--reference", "none"])
    assert status == 0  # every file read (one through review.csv), nothing left to review
    returns = pd.read_csv(tmp_path / "out" / "returns.csv", dtype=str, keep_default_na=False)
    got = {(r.case_type, r.count, r.qualifier, r.raw) for r in returns.itertuples()}
    assert got == {("cp", "12", "exact", "12"), ("lac", "4", "at_most", "<5")}
    assert set(returns["council"]) == {"Leeds"}
    assert returns["source"].iloc[0] == ("review.csv row 1: leeds_reply.doc — page 2, by AB, "
                                         "keyed from the reply")
    files = pd.read_csv(tmp_path / "out" / "files.csv", dtype=str, keep_default_na=False)
    outcome = dict(zip(files["file"], files["outcome"]))
    assert outcome == {"leeds_reply.doc": "read_from_review", "review.csv": "not_a_return"}


def test_ignore_a_sheet_and_read_a_date_cell_as_a_range(tmp_path):
    (tmp_path / "in").mkdir()
    write_xlsx(tmp_path / "in" / "sunderland.xlsx",
               {"2010": CLEAN[:-1] + [["LAC", dt.datetime(2010, 5, 1)]],
                "2009": CLEAN[:-2] + [["CP", 99]]})
    before = read_returns(tmp_path / "in")
    cell = before.issues.loc[before.issues["sheet"].eq("2010") & before.issues["cell"].ne(""),
                             "cell"]
    assert len(cell)  # the date is an issue, not a number
    # The old sheet gives CP again: neither reading is a number until a person decides.
    old = before.returns[before.returns["raw"] == "99"]
    assert len(old) == 1 and old["count"].isna().all()
    assert before.issues["problem"].str.contains("given twice with different values").any()
    write_csv(tmp_path / "in" / "review.csv", [
        REVIEW_HEAD,
        ["sunderland.xlsx", "2009", "", "", "", "", "ignore", "", "AB", "last year's"],
        ["sunderland.xlsx", "2010", cell.iloc[0], "lac", "unallocated", "", "1 to 5", "", "AB",
         "Excel turned 1-5 into a date"]])
    after = read_returns(tmp_path / "in")
    assert not (after.returns["raw"] == "99").any()
    assert after.returns.loc[after.returns["case_type"] == "cp", "count"].notna().all()  # 2010's alone
    lac = after.returns[after.returns["case_type"] == "lac"]
    assert list(zip(lac["count"], lac["qualifier"], lac["raw"])) == [(5, "at_most", "1 to 5")]
    assert lac["source"].iloc[0].startswith(f"review.csv row 2: sunderland.xlsx!2010!{cell.iloc[0]}")
    assert not (after.issues["cell"] == cell.iloc[0]).any()


def test_a_review_row_that_matches_nothing_is_an_issue(tmp_path):
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "sunderland.csv", CLEAN)
    write_csv(tmp_path / "in" / "review.csv", [
        REVIEW_HEAD,
        ["sunderland.csv", "csv", "Z99", "cp", "unallocated", "", "3", "", "AB", ""],
        ["nowhere.xlsx", "", "", "cp", "unallocated", "", "3", "", "AB", ""],
        ["sunderland.csv", "csv", "B5", "cp", "unallocated", "", "lots", "", "AB", ""]])
    res = read_returns(tmp_path / "in")
    problems = list(res.issues["problem"])
    assert any(p.startswith("review.csv row 1: matches no row or issue") for p in problems)
    assert any(p.startswith("review.csv row 2: matches no file") for p in problems)
    assert any(p.startswith("review.csv row 3: reading not understood") for p in problems)
    assert sorted(res.returns["count"].tolist()) == [4, 7]  # nothing changed by a bad row


def test_the_readme_documents_every_review_column_and_the_exit_status():
    from pathlib import Path

    from unallocated.returns.review import REVIEW_COLUMNS

    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Reading new returns"):text.index("## Data dictionaries")]
    for col in REVIEW_COLUMNS:
        assert f"| `{col}` |" in section, col
    for status in ("**0**", "**1**", "**2**"):
        assert status in section
