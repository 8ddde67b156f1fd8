"""Consistency checks on the tidy returns table. They report; they never drop or change data.

Each check takes the returns DataFrame (RETURN_COLUMNS) and yields issue rows
(file, sheet, cell, raw, problem). `file`, `sheet` and `cell` come from the row's `source`.
"""
from __future__ import annotations

import re

from collections.abc import Iterator

import pandas as pd

__all__ = ["duplicated_in_a_file", "in_two_returns", "run_checks", "split_source"]

Issue = tuple[str, str, str, str, str]


_REVIEWED = re.compile(r"^\S+ row \d+: (?P<where>.*?)(?: — .*)?$", re.S)


def split_source(source: str) -> tuple[str, str, str]:
    """'dir/file.xlsx!Return!C7' -> ('dir/file.xlsx', 'Return', 'C7'); a value keyed in review
    ('review.csv row 2: kent.xlsx!Data!D7 — by AB') gives the cell it was keyed for."""
    m = _REVIEWED.match(str(source))
    if m:
        source = m.group("where")
    # The sheet name may itself hold '!', the file name rarely: split from both ends.
    file, _, rest = str(source).partition("!")
    sheet, _, cell = rest.rpartition("!")
    return file, sheet, cell


def _issue(row: pd.Series, problem: str) -> Issue:
    file, sheet, cell = split_source(row["source"])
    return file, sheet, cell, str(row["raw"]), problem


def _who(df: pd.DataFrame) -> pd.Series:
    """The council a row belongs to: its code, or its name as given when unresolved."""
    code = df["council_code"].fillna("").astype(str)
    return code.where(code != "", "name:" + df["council"].fillna("").astype(str))


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    """The table with the council a row belongs to (`_who`) and the file it came from (`_file`)."""
    return df.assign(_who=_who(df), _file=df["source"].map(lambda s: split_source(s)[0]))


def _exact(group: pd.DataFrame) -> bool:
    return bool((group["qualifier"] == "exact").all() and group["count"].notna().all())


def negative_counts(df: pd.DataFrame) -> Iterator[Issue]:
    for _, row in df[df["count"].notna() & (df["count"] < 0)].iterrows():
        yield _issue(row, f"negative count {int(row['count'])}")


def parts_exceed_total(df: pd.DataFrame) -> Iterator[Issue]:
    """Allocated + unallocated cases larger than the council's own total of open cases."""
    keys = ["_who", "snapshot_date", "case_type", "layer"]
    # One pass of group sums rather than a loop over groups; a missing date or layer is a group
    # of its own (the sentinel sorts last, where groupby puts missing keys).
    keyed = df.assign(_who=_who(df), _exact=(df["qualifier"] == "exact") & df["count"].notna(),
                      _row=range(len(df)),
                      snapshot_date=df["snapshot_date"].astype(object).where(df["snapshot_date"].notna(), "\uffff"),
                      layer=df["layer"].astype(object).where(df["layer"].notna(), "\uffff"))
    totals = keyed[keyed["category"] == "total"]
    parts = keyed[keyed["category"].isin(["allocated_qualified", "allocated_other", "unallocated"])]
    if totals.empty or parts.empty:
        return
    t = totals.groupby(keys).agg(n=("_row", "size"), exact=("_exact", "all"), total=("count", "first"),
                                 row=("_row", "first"))
    p = parts.groupby(keys).agg(parts_exact=("_exact", "all"), parts=("count", "sum"))
    both = t.join(p, how="inner")
    # several totals are reported by duplicate_categories instead
    over = both[(both["n"] == 1) & both["exact"] & both["parts_exact"] & (both["parts"] > both["total"])]
    for (_, _, case_type, _), r in over.iterrows():
        yield _issue(df.iloc[int(r["row"])], f"parts larger than the total: allocated and "
                     f"unallocated {case_type} cases add up to {int(r['parts'])}, "
                     f"the total of open cases is {int(r['total'])}")


DUPLICATE_KEYS = ["_file", "_who", "snapshot_date", "case_type", "category", "detail", "layer"]
WITHHELD = ("withheld from the table (the definitions would add them up): which is the council's "
            "figure, or whether they are parts to add, is for a person to decide in review.csv")


def duplicated_in_a_file(df: pd.DataFrame) -> pd.Series:
    """True for each row whose file gives its council, date, case type, category and detail more
    than once (a breakdown by team, two dates in one sheet, a repeated table)."""
    return _keyed(df).groupby(DUPLICATE_KEYS, dropna=False)["category"].transform("size") > 1


def in_two_returns(df: pd.DataFrame) -> pd.Series:
    """True for each row of a council, date and layer that more than one file gives (an
    original and a corrected version, say)."""
    coded = df["council_code"].fillna("") != ""
    n = _keyed(df).groupby(["council_code", "snapshot_date", "layer"], dropna=False)["_file"].transform("nunique")
    return coded & (n > 1)


def duplicate_categories(df: pd.DataFrame) -> Iterator[Issue]:
    """One category given twice for the same council, date and case type."""
    keyed = _keyed(df)
    keys = ["_who", "snapshot_date", "case_type", "category", "detail", "layer"]
    # Only groups of two or more rows are looked at: finding them first keeps this one pass.
    keyed = keyed[keyed.groupby(keys, dropna=False)["category"].transform("size") > 1]
    for _, g in keyed.groupby(keys, dropna=False):
        files = g["_file"].unique()
        counts = set(g["count"].astype(object).where(g["count"].notna(), None))
        where = ", ".join(g["source"])
        if len(files) > 1:
            continue  # two returns for one council: reported once by duplicate_returns
        if len(counts) > 1 or len(set(g["qualifier"])) > 1:
            problem = (f"{g['category'].iloc[0]} {g['detail'].iloc[0] or ''} {g['case_type'].iloc[0]} "
                       f"given twice with different values ({where}): {WITHHELD}").replace("  ", " ")
        else:
            problem = (f"{g['category'].iloc[0]} {g['case_type'].iloc[0]} given twice with the same "
                       f"value ({where}): {WITHHELD}")
        for i in range(len(g)):  # each cell withheld is named, each with its own raw text
            yield _issue(g.iloc[i], problem)


def duplicate_returns(df: pd.DataFrame) -> Iterator[Issue]:
    """Two files giving a return for the same council and snapshot date."""
    keyed = df[df["council_code"].fillna("") != ""]
    keyed = _keyed(keyed)
    for (code, date, layer), g in keyed.groupby(["council_code", "snapshot_date", "layer"],
                                                 dropna=False):
        files = list(dict.fromkeys(g["_file"]))
        if len(files) > 1:
            first = g.iloc[0]
            yield (files[1], "", "", "", f"two returns for the same council and date: "
                   f"{first['council']} ({code}) {date or 'undated'} in {' and '.join(files)}; "
                   f"neither is read (added up they would count the council twice) until review.csv "
                   f"ignores the one that does not count")


def above_caseload(df: pd.DataFrame, reference: pd.DataFrame | None) -> Iterator[Issue]:
    """Unallocated cases above the council's DfE open caseload for that case type."""
    if reference is None or reference.empty:
        return
    ref = reference.assign(old_la_code=reference["old_la_code"].astype(str))
    caseload = ref.groupby(["old_la_code", "case_type"])["caseload"].max().to_dict()
    un = df[(df["category"] == "unallocated") & df["count"].notna()
            & (df["council_code"].fillna("") != "")]
    for (code, date, case_type), g in un.groupby(["council_code", "snapshot_date",
                                                  "case_type"], dropna=False):
        limit = caseload.get((str(code), case_type))
        if limit is None or pd.isna(limit):
            continue
        total = int(g["count"].sum())
        if total > limit:
            yield _issue(g.iloc[0], f"unallocated {case_type} cases ({total}) larger than "
                         f"the council's DfE open caseload for {case_type} ({int(limit)})")


def run_checks(df: pd.DataFrame, reference: pd.DataFrame | None = None) -> list[Issue]:
    """All the checks, in a fixed order."""
    out: list[Issue] = []
    for check in (negative_counts, parts_exceed_total, duplicate_categories,
                  duplicate_returns):
        out.extend(check(df))
    out.extend(above_caseload(df, reference))
    return out
