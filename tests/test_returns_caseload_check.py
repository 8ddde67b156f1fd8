"""A count above the council's DfE caseload is withheld and reported, by default, from the
reference tables (Sunderland had 408 children on protection plans at 31 March 2010: osr28-2010ud.csv)."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd

from returns_helpers import write_csv
from unallocated import paths
from unallocated.sources.reference import caseloads


def test_caseloads_come_from_the_official_table():
    table = caseloads(2010).set_index(["old_la_code", "case_type"])["caseload"]
    assert table[("394", "cp")] == 408
    assert table[("394", "cin")] == 2243
    assert ("830", "cin") not in table.index  # Derbyshire: '..' in 2010, missing, not 0


def test_ingest_flags_unallocated_above_the_dfe_caseload(tmp_path):
    rows = [["Council", "Sunderland"], ["Snapshot date", "2010-11-01"], [],
            ["Case type", "Total open cases", "Unallocated"], ["Child protection", 620, 500], ["Looked after", 400, 3]]
    (tmp_path / "returns").mkdir()
    write_csv(tmp_path / "returns" / "sunderland.csv", rows)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "unallocated", "ingest", str(tmp_path / "returns"), "--out", str(out)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert run.returncode == 1, run.stderr  # every file read, a value needs review
    issues = pd.read_csv(out / "issues.csv", dtype=str)
    problems = issues["problem"].tolist()
    assert any("unallocated cp cases (500) larger than the council's DfE open caseload for cp at 31 March 2010 (408)" in p
               for p in problems), problems
    assert any("total cp cases (620) more than half as much again as the council's DfE open caseload for cp at 31 March 2010 "
                  "(408)" in p
               for p in problems), problems
    assert not any("lac" in p for p in problems)
    # Not believed, so never a number: the row stays, with no count, its raw text and its issue.
    returns = pd.read_csv(out / "returns.csv", dtype=str, keep_default_na=False)
    cp = returns[returns["case_type"] == "cp"].set_index("category")
    assert cp.loc["unallocated", "count"] == "" and cp.loc["unallocated", "raw"] == "500"
    assert cp.loc["total", "count"] == "" and "400" in set(returns["count"])  # lac's 400 is within its caseload


def test_each_return_is_checked_against_dfe_of_its_own_year_and_a_tiny_caseload_checks_nothing():
    from unallocated.returns.checks import above_caseload_rows

    reference = pd.DataFrame({"old_la_code": ["394", "394", "202"], "case_type": ["cp", "cp", "cp"],
                              "caseload": [408, 200, 2], "year": [2010, 2025, 2025]})
    rows = pd.DataFrame({"council_code": ["394", "394", "202"], "snapshot_date": ["2010-11-01", "2025-03-31", "2025-03-31"],
                         "case_type": ["cp", "cp", "cp"], "category": ["unallocated"] * 3,
                         "count": pd.array([300, 300, 5], dtype="Int64")})
    # 300 is within 2010's 408 but above 2025's 200; the City of London's 2 is too small to check
    assert above_caseload_rows(rows, reference).tolist() == [False, True, False]
    assert len(caseloads(None)) > len(caseloads(2010)) and "year" in caseloads(None).columns
