"""`review.csv`: a person's decisions about the reader's issues, applied on every ingest.

One row per decision (the README's ingest section is the data dictionary):

    file,sheet,cell,case_type,category,detail,reading,page,reviewer,note,decided_at,file_sha256
    leeds_reply.pdf,,,cp,unallocated,,12,2,AB,keyed from the scan,,
    kent.xlsx,Data,D7,cin,unallocated,,1 to 5,,AB,Excel turned 1-5 into a date,,
    kent.xlsx,2009,,,,,ignore,,AB,last year's figures,,

A reading is a count as a council would write it ("12", "<5", "c. 40", "*", "n/a"), a range
"1 to 5" (kept as at most 5, its raw "1 to 5"), "ignore" (the cell, or the whole sheet when
no cell is given, is not part of this round's return: its rows and issues are dropped), or
"noted" (a person has seen the issues at exactly that address and leaves the data as the reader
read it: those issues are dropped, nothing else changes). A value that came from review.csv has
the layer `review` and says in `source` which decision it came from (row, who, when, note); a
review row that matches nothing is an issue.

The review desk (`desk`) writes `decided_at` and `file_sha256`, the checksum of the file as the
person saw it. A row whose file has changed since (another checksum) is never applied: it
becomes an issue saying so, and the desk shows it as stale. Rows without a checksum (written by
hand) are applied as before. Values the desk writes that would start with `=`, `+`, `-` or `@`
carry a leading apostrophe so that a spreadsheet opening review.csv runs nothing
(`unallocated.files.spreadsheet_safe`); `read_review` takes it off again.
Pure apart from reading the checksummed files: DataFrames in, DataFrames out.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from unallocated.errors import UnallocatedError
from unallocated.files import unneutralise_formula
from unallocated.returns.issues import issue_frame
from unallocated.returns.side_tables import read_side_table
from unallocated.schema import CASE_TYPES, CATEGORIES, allowed_details

__all__ = ["REVIEW_COLUMNS", "read_review", "apply_review", "apply_noted",
           "file_sha256", "stale_problem", "REVIEW_LAYER"]

#: Columns of review.csv; file and reading are required in every row.
REVIEW_COLUMNS = ["file", "sheet", "cell", "case_type", "category", "detail", "reading", "page",
                  "reviewer", "note", "decided_at", "file_sha256"]

#: The layer of every row a person's reading put in the returns table (`schema.LAYERS`).
REVIEW_LAYER = "review"

#: The start of the issue a stale decision becomes (the desk finds stale rows by it).
STALE = "the file has changed since this decision"

_RANGE = re.compile(r"^\s*(\d+)\s*(?:to|-|–|—)\s*(\d+)\s*$", re.I)


def read_review(path) -> pd.DataFrame:
    """review.csv as strings; raises UnallocatedError when it cannot be read or lacks columns."""
    r = read_side_table(path, "review file", {"file", "reading"},
                        f"columns: {', '.join(REVIEW_COLUMNS)}")
    for col in REVIEW_COLUMNS:
        if col not in r.columns:
            r[col] = ""
    r = r.fillna("").astype(str).apply(lambda c: c.str.strip())
    return r.apply(lambda c: c.map(unneutralise_formula)) if len(r) else r


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes, as hex: what review.csv's `file_sha256` holds."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stale_problem(recorded: str, now: str) -> str:
    """Why a decision is not applied when its file's checksum is not the one it was made on."""
    return (f"{STALE} (checksum {recorded[:12]}… when decided, {now[:12]}… now): "
            f"not applied; decide it again on the review desk")


def _reading(text: str) -> tuple[int | None, str, str | None]:
    from unallocated.returns.markers import parse_count

    m = _RANGE.match(text)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        if low > high:
            return None, "not_supplied", f"a range whose low end is above its high end: {text!r}"
        return high, ("exact" if low == high else "at_most"), None
    return parse_count(text)


def apply_review(review: pd.DataFrame, returns: pd.DataFrame, issues: pd.DataFrame,
                 files: pd.DataFrame, name: str = "review.csv", located: dict | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Apply each review row; returns (returns, issues, files) with the decisions applied.

    files must have file, outcome, council_code, council, snapshot_date, layer; a not_read file
    that gets a value from review becomes `read_from_review`. located: {file as in files.csv:
    its path}, to check each row's `file_sha256`; a row whose file now has another checksum is
    an issue, never applied (without `located`, checksums are not checked)."""
    returns, issues, files = returns.copy(), issues.copy(), files.copy()
    for col in REVIEW_COLUMNS:
        if col not in review.columns:
            review = review.assign(**{col: ""})
    checksums: dict[str, str] = {}
    new_rows: list[dict] = []
    new_issues: list[tuple] = []
    from unallocated.returns.checks import split_source

    parts = [split_source(s) for s in returns["source"]]
    src_file = pd.Series([p[0] for p in parts], index=returns.index, dtype=object)
    src_sheet = pd.Series([p[1] for p in parts], index=returns.index, dtype=object)
    src_cell = pd.Series([p[2] for p in parts], index=returns.index, dtype=object)
    keep_rows = pd.Series(True, index=returns.index)
    keep_issues = pd.Series(True, index=issues.index)
    for i, r in review.iterrows():
        n = i + 1
        label = f"{name} row {n}"
        where = "!".join((r["file"], r["sheet"], r["cell"])).rstrip("!")

        def problem(text: str) -> None:
            new_issues.append((r["file"], r["sheet"], r["cell"], r["reading"],
                               f"{label}: {text}"))

        known = files["file"] == r["file"]
        if not known.any():
            problem(f"matches no file ingested ({r['file']!r})")
            continue
        recorded = r["file_sha256"].lower()
        if recorded and located is not None and r["file"] in located:
            if r["file"] not in checksums:
                checksums[r["file"]] = file_sha256(located[r["file"]])
            if checksums[r["file"]] != recorded:
                problem(stale_problem(recorded, checksums[r["file"]]))
                continue
        at_rows = src_file == r["file"]
        at_issues = issues["file"] == r["file"]
        if r["sheet"]:
            at_rows &= src_sheet == r["sheet"]
            at_issues &= issues["sheet"] == r["sheet"]
        if r["cell"]:
            at_rows &= src_cell == r["cell"]
            at_issues &= issues["cell"] == r["cell"]
        if r["reading"].lower() == "noted":
            continue  # applied by `apply_noted`, once the checks have raised their issues too
        if r["reading"].lower() == "ignore":
            if not (r["sheet"] or r["cell"]):
                problem("'ignore' needs a sheet or a cell")
                continue
            if not ((at_rows & keep_rows).any() or (at_issues & keep_issues).any()):
                problem(f"'ignore' matches no row or issue at {where}")
                continue
            keep_rows &= ~at_rows
            keep_issues &= ~at_issues
            continue
        if r["case_type"] not in CASE_TYPES or r["category"] not in CATEGORIES:
            problem(f"needs case_type ({', '.join(CASE_TYPES)}) and category "
                    f"({', '.join(CATEGORIES)}); got {r['case_type']!r}, {r['category']!r}")
            continue
        if r["detail"] and r["detail"] not in allowed_details(r["category"]):
            problem(f"detail {r['detail']!r} is not allowed for {r['category']}")
            continue
        count, qualifier, why = _reading(r["reading"])
        if why:
            problem(f"reading not understood: {why}")
            continue
        facc = files[known].iloc[0]
        unread = facc["outcome"] == "not_read"
        if not unread and r["cell"] and not (at_rows.any() or at_issues.any()):
            problem(f"matches no row or issue at {where}")
            continue
        # The reviewed value replaces what the reader made of that cell and of that case type
        # and category in that file (a person's reading wins over the machine's).
        same = (src_file == r["file"]) & (returns["case_type"] == r["case_type"]) \
            & (returns["category"] == r["category"]) & (returns["detail"] == r["detail"])
        keep_rows &= ~(same | (at_rows if r["cell"] else False))
        if r["cell"]:
            keep_issues &= ~at_issues
        if unread:
            keep_issues &= ~((issues["file"] == r["file"])
                             & issues["problem"].str.startswith("file not read"))
        who = " ".join(x for x in (f"by {r['reviewer']}" if r["reviewer"] else "",
                                   f"on {r['decided_at']}" if r["decided_at"] else "") if x)
        # A person's reading of a simulated reply is still a simulated number: said in words.
        of_layer = (f"a reading of a {facc['layer'].replace('_', ' ')} file"
                    if facc["layer"] and facc["layer"] != "real_return" else "")
        how = ", ".join(x for x in (f"page {r['page']}" if r["page"] else "", who, r["note"],
                                    of_layer) if x)
        new_rows.append({
            "council_code": facc["council_code"], "council": facc["council"],
            "snapshot_date": facc["snapshot_date"], "case_type": r["case_type"],
            "category": r["category"], "detail": r["detail"], "count": count,
            "qualifier": qualifier, "layer": REVIEW_LAYER,
            "source": f"{label}: {where}" + (f" — {how}" if how else ""),
            "raw": r["reading"]})
        if unread:
            files.loc[known, "outcome"] = "read_from_review"
            files.loc[known, "reason"] = (facc["reason"] + "; values keyed in " + name).strip("; ")
    added = pd.DataFrame(new_rows, columns=returns.columns)
    returns = pd.concat([returns[keep_rows], added], ignore_index=True) if len(added) \
        else returns[keep_rows].reset_index(drop=True)
    returns["count"] = returns["count"].astype("Int64")
    issues = pd.concat([issues[keep_issues],
                        issue_frame(new_issues)], ignore_index=True)
    return returns, issues.fillna("").astype(str), files


def apply_noted(review: pd.DataFrame, issues: pd.DataFrame, name: str = "review.csv",
                located: dict | None = None) -> pd.DataFrame:
    """Drop the issues a person noted (reading `noted`): those at exactly the row's address (a
    file's own issues when sheet and cell are empty, a sheet's when only the cell is, a cell's).
    Run after the consistency checks, so an issue they raise again on every run stays noted. A
    noted row that matches no issue is itself one; a stale row (`apply_review` said so) is not
    applied."""
    issues = issues.copy()
    keep = pd.Series(True, index=issues.index)
    problems: list[tuple] = []
    checksums: dict[str, str] = {}
    for i, r in review.reset_index(drop=True).iterrows():
        if r["reading"].lower() != "noted":
            continue
        recorded = r.get("file_sha256", "").lower()
        if recorded and located is not None and r["file"] in located:
            if r["file"] not in checksums:
                checksums[r["file"]] = file_sha256(located[r["file"]])
            if checksums[r["file"]] != recorded:
                continue
        exact = (issues["file"] == r["file"]) & (issues["sheet"] == r["sheet"]) & (issues["cell"] == r["cell"])
        if not exact.any():
            where = "!".join((r["file"], r["sheet"], r["cell"])).rstrip("!")
            found = {**dict.fromkeys(issues.columns, ""), "file": r["file"], "sheet": r["sheet"],
                     "cell": r["cell"], "raw": r["reading"],
                     "problem": f"{name} row {i + 1}: 'noted' matches no issue at {where}"}
            if "kind" in issues.columns:
                found["kind"] = "needs_reading" if r["cell"] else "file"
            problems.append(found)
            continue
        keep &= ~exact
    return pd.concat([issues[keep], pd.DataFrame(problems, columns=issues.columns)],
                     ignore_index=True).fillna("").astype(str)


def review_path(folder: Path) -> Path:
    return Path(folder) / "review.csv"
