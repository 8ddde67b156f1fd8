"""Consistency checks on the tidy returns table. They report; they never drop or change data: the
reader withholds (empties the count of, keeping the row and its raw text) what some of them name:
parts larger than their total (`over_total_rows`), a count larger than the council's official
caseload allows (`above_caseload_rows`), one category given twice in a file, two files for one return.

Each check takes the returns DataFrame (RETURN_COLUMNS) and yields issue rows
(file, sheet, cell, raw, problem). `file`, `sheet` and `cell` come from the row's `source`.
"""
from __future__ import annotations

import re

from collections.abc import Iterator

import pandas as pd

__all__ = ["duplicated_in_a_file", "in_two_returns", "over_total_rows", "above_caseload_rows", "run_checks",
           "split_source"]

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


def _over_total(df: pd.DataFrame) -> pd.DataFrame:
    """(council, date, case type, layer) groups whose exact parts add up to more than their one
    exact total, with the row of the total, the parts' sum and the total."""
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
        return pd.DataFrame(columns=["n", "exact", "total", "row", "parts_exact", "parts"])
    t = totals.groupby(keys).agg(n=("_row", "size"), exact=("_exact", "all"), total=("count", "first"),
                                 row=("_row", "first"))
    p = parts.groupby(keys).agg(parts_exact=("_exact", "all"), parts=("count", "sum"))
    both = t.join(p, how="inner")
    # several totals are reported by duplicate_categories instead
    return both[(both["n"] == 1) & both["exact"] & both["parts_exact"] & (both["parts"] > both["total"])]


def parts_exceed_total(df: pd.DataFrame) -> Iterator[Issue]:
    """Allocated + unallocated cases larger than the council's own total of open cases: every
    count of that case type in that return is withheld (which of them is wrong is not sure), each
    cell named."""
    over = _over_total(df)
    if over.empty:
        return
    withheld = over_total_rows(df)
    for (_, _, case_type, _), r in over.iterrows():
        problem = (f"parts larger than the total: allocated and unallocated {case_type} cases add up to "
                   f"{int(r['parts'])}, the total of open cases is {int(r['total'])}; every {case_type} count of "
                   f"this return is withheld until review.csv says which is right")
        total_row = df.iloc[int(r["row"])]
        same = withheld & (df["case_type"] == case_type) & (_who(df) == _who(df.iloc[[int(r["row"])]]).iloc[0]) \
            & (df["snapshot_date"].fillna("") == (total_row["snapshot_date"] or ""))
        for _, row in df[same].iterrows():
            yield _issue(row, problem)


def over_total_rows(df: pd.DataFrame) -> pd.Series:
    """True for each count of a return whose parts add up to more than its total."""
    over = _over_total(df)
    if over.empty:
        return pd.Series(False, index=df.index)
    keys = set(over.index)
    who, date = _who(df), df["snapshot_date"].astype(object).where(df["snapshot_date"].notna(), "\uffff")
    layer = df["layer"].astype(object).where(df["layer"].notna(), "\uffff")
    return pd.Series([(w, d, c, lay) in keys for w, d, c, lay in zip(who, date, df["case_type"], layer)],
                     index=df.index) & df["count"].notna()


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
        # a count withheld by an earlier check is compared by what the reply wrote
        counts = set(g["count"].astype(object).where(g["count"].notna(), "raw: " + g["raw"].astype(str).str.strip()))
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


#: A council's total of open cases (or the part of it with a qualified social worker, most of it) this
#: much above DfE's count at 31 March of the year is not believed: six months' growth explains a few
#: per cent, not a half. The unallocated and other staff's cases, a small part, get no margin.
TOTAL_MARGIN = 1.5
_WITH_MARGIN = ("total", "allocated_qualified")
#: A caseload this small (the City of London's, the Isles of Scilly's) checks nothing: a few
#: children more or less move it by more than any margin, and DfE rounds or suppresses it.
SMALLEST_CASELOAD = 5


def _caseloads(df: pd.DataFrame, reference: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """For each row, its council's DfE open caseload of its case type, and the year (31 March) it
    is for: with a `year` column in `reference`, the latest year at or before the row's snapshot
    date (the earliest DfE has, for a date before it; the largest, for a row with no date)."""
    if reference is None or reference.empty:
        nothing = pd.Series(float("nan"), index=df.index)
        return nothing, nothing
    ref = reference.assign(old_la_code=reference["old_la_code"].astype(str))
    if "year" not in ref.columns:
        ref = ref.assign(year=float("nan"))
    by_key: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for code, ct, year, caseload in ref[["old_la_code", "case_type", "year", "caseload"]].itertuples(index=False):
        by_key.setdefault((code, ct), []).append((year, caseload))
    values, years = [], []
    for code, ct, date in zip(df["council_code"].fillna(""), df["case_type"], df["snapshot_date"].fillna("")):
        known = sorted(by_key.get((str(code), ct), []), key=lambda x: (x[0] != x[0], x[0]))
        if not known:
            values.append(float("nan"))
            years.append(float("nan"))
            continue
        if date[:4].isdigit() and known[0][0] == known[0][0]:
            before = [k for k in known if k[0] <= int(date[:4])] or known[:1]
            year, caseload = before[-1]
        else:
            year, caseload = max(known, key=lambda x: x[1])
        values.append(caseload if caseload >= SMALLEST_CASELOAD else float("nan"))
        years.append(year)
    return pd.Series(values, index=df.index, dtype=float), pd.Series(years, index=df.index, dtype=float)


def _caseload_limits(df: pd.DataFrame, reference: pd.DataFrame | None) -> pd.Series:
    """For each row, the most its count can be before it is not believed (NaN: no limit): the
    unallocated or other staff's cases no more than the council's DfE open caseload of that case
    type, a total or the cases with a qualified social worker no more than TOTAL_MARGIN times it."""
    limit = _caseloads(df, reference)[0]
    return limit.where(~df["category"].isin(_WITH_MARGIN), limit * TOTAL_MARGIN)


def _caseload_sums(df: pd.DataFrame) -> pd.Series:
    """For each row, what is compared with the caseload: a total's own count; for a part, the sum of
    that category's counts for the council, date and case type (its reasons or roles together)."""
    keys = [df["council_code"].fillna(""), df["snapshot_date"].fillna(""), df["case_type"], df["category"]]
    summed = df["count"].astype("Float64").groupby(keys, dropna=False).transform("sum")
    return df["count"].astype("Float64").where(df["category"] == "total", summed)


def above_caseload_rows(df: pd.DataFrame, reference: pd.DataFrame | None) -> pd.Series:
    """True for each count larger than its council's official caseload allows (`_caseload_limits`)."""
    limit = _caseload_limits(df, reference)
    return (df["count"].notna() & limit.notna() & (_caseload_sums(df) > limit)).astype(bool)


def above_caseload(df: pd.DataFrame, reference: pd.DataFrame | None) -> Iterator[Issue]:
    """A count larger than the council's own DfE open caseload of that case type (a category's
    counts taken together; a total or the qualified social workers' part more than half as much again as
    it): withheld, with the comparison."""
    if reference is None or reference.empty:
        return
    (caseloads, years), sums = _caseloads(df, reference), _caseload_sums(df)
    for i in df.index[above_caseload_rows(df, reference)]:
        row = df.loc[i]
        margin = row["category"] in _WITH_MARGIN
        caseload = caseloads[i]
        what = "more than half as much again as" if margin else "larger than"
        together = f" ({int(row['count'])} here)" if sums[i] != row["count"] else ""
        at = f" at 31 March {int(years[i])}" if years[i] == years[i] else ""
        yield _issue(row, f"{row['category']} {row['case_type']} cases ({int(sums[i])}{together}) {what} the "
                     f"council's DfE open caseload for {row['case_type']}{at} ({int(caseload)}): withheld (a figure "
                     f"for something else, or a typing slip); key it in review.csv if it is right")


def run_checks(df: pd.DataFrame, reference: pd.DataFrame | None = None) -> list[Issue]:
    """All the checks, in a fixed order."""
    out: list[Issue] = []
    for check in (negative_counts, parts_exceed_total, duplicate_categories,
                  duplicate_returns):
        out.extend(check(df))
    out.extend(above_caseload(df, reference))
    return out
