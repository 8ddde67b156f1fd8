"""Issues as the reader makes them: a tuple (file, sheet, cell, raw, problem), optionally with a
sixth element, a dict of what else is known (`kind`, `proposal`, `grounds`), turned into the
`issues.csv` table (`schema.ISSUE_COLUMNS`) in one place."""
from __future__ import annotations

import pandas as pd

from unallocated.schema import ISSUE_COLUMNS

__all__ = ["extra", "issue_frame", "kind_of"]


def extra(kind: str | None = None, proposal=None, grounds: str = "") -> dict:
    """The sixth element of an issue tuple. `proposal` has case_type, category, detail, count and
    qualifier (a `letters.Reading` or a `layouts.Record`)."""
    return {"kind": kind, "proposal": proposal, "grounds": grounds}


def kind_of(sheet: str, cell: str) -> str:
    """An issue's kind when its maker did not say: about the whole file when it names no cell."""
    return "needs_reading" if cell else "file"


def _row(issue: tuple) -> list:
    file, sheet, cell, raw, problem = (str(x) if x is not None else "" for x in issue[:5])
    more = issue[5] if len(issue) > 5 and isinstance(issue[5], dict) else {}
    p = more.get("proposal")
    proposed = ["", "", "", "", ""]
    if p is not None and p.count is not None:
        proposed = [p.case_type or "", p.category or "", p.detail or "", str(int(p.count)), p.qualifier or ""]
    return [file, sheet, cell, raw, problem, more.get("kind") or kind_of(sheet, cell), *proposed,
            str(more.get("grounds") or (raw if p is not None else ""))]


def issue_frame(issues) -> pd.DataFrame:
    """issues.csv as a table of strings, from issue tuples (5 or 6 elements) or a table that has
    the first five columns (older issues.csv files: kind is derived, proposals are empty)."""
    if isinstance(issues, pd.DataFrame):
        table = issues.copy()
        for col in ISSUE_COLUMNS:
            if col not in table.columns:
                table[col] = ""
        missing_kind = table["kind"].fillna("") == ""
        table.loc[missing_kind, "kind"] = [kind_of(s, c) for s, c in
                                           zip(table.loc[missing_kind, "sheet"], table.loc[missing_kind, "cell"])]
        return table[ISSUE_COLUMNS].fillna("").astype(str)
    return pd.DataFrame([_row(i) for i in issues], columns=ISSUE_COLUMNS).fillna("").astype(str)
