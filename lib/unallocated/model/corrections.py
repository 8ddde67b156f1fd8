"""Corrections as data: a register of restatements, applied to returns so every figure can be shown
as published and as corrected.

For reporters
-------------
`data/corrections.csv` lists each correction the magazine published: who, what was printed, what
is right, when and where the correction appeared, and why (columns described in
`docs/corrections_data_dictionary.md`). Nothing in the returns is edited by hand: the library reads
the register and produces a corrected copy of the returns table, leaving the original alone.

The one correction so far is Barnsley (Community Care, 6 December 2010): reported with 51
unallocated looked-after children and 114 unallocated children in need, it had in fact allocated
all but 9 of those 165 cases to professionals other than a social worker. The magazine gave only
the total, 9, not how it splits between the two case types. So after correction:

* Barnsley's unallocated looked-after cases are somewhere from 0 to 9, and its children-in-need
  cases somewhere from 0 to 9, but the two together are exactly 9;
* the national figures become ranges: 448 looked-after becomes 397 to 406, 7,811 children in need
  becomes 7,697 to 7,706, while the total across case types falls by exactly 156.

How a correction is applied (for engineers)
-------------------------------------------
Every published row the correction covers (council, case types, category, snapshot) is one
*part* p with published count P[p]. Let u[p] be the unknown number of its cases that stay
unallocated after the correction: 0 <= u[p] <= P[p] and sum(u) = the corrected total (9). Each
part becomes two rows:

* the original category and detail, count = the most u[p] can be, qualifier ``at_most``
  (``exact`` when u[p] is pinned, e.g. a one-part correction), correction_sign +1: value u[p];
* `corrected_to_category` / `corrected_to_detail` (allocated_other / other), count = the most
  P[p] - u[p] can be, qualifier ``at_most`` or ``exact``, correction_sign -1: value P[p] - u[p].

Both rows carry the correction id in `correction` plus bookkeeping columns (`correction_part`,
`correction_sign`, `correction_part_published`, `correction_total_published`,
`correction_total_corrected`). `unallocated.model.categories.count_under` reads them and, for each
output row, works out the least and greatest the corrected rows in it can add up to under the
joint constraint. That is why a case type gets a range while the council total stays exact, and
why "no qualified social worker" is unchanged by the Barnsley correction (u[p] + P[p] - u[p] is
exactly P[p]). Read the count and qualifier of corrected rows on their own only as a rough view:
adding them by hand would overstate (9 + 9 is not 9).

A correction applies to rows of its council (matched by code, or by name), its case types and
its published category; when it has no snapshot date, to returns whose snapshot date is on or
before the correction date (a correction cannot concern a return made later, such as next year's
round). If the table's numbers do not match the published values the correction is about, that is
an error by default (`strict=True`): applying "9 of 165" to a different 165 would be inventing.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from unallocated import paths
from unallocated.model.categories import (
    CORRECTION_COLUMNS,
    Definition,
    count_under,
    get_definition,
)
from unallocated.errors import DataFileError, UnallocatedError
from unallocated.schema import CASE_TYPES, CATEGORIES, RETURN_COLUMNS, allowed_details

#: The register's columns, in order (see docs/corrections_data_dictionary.md).
REGISTER_COLUMNS = [
    "correction_id", "council", "council_code", "snapshot_date", "case_types", "category_published",
    "published_values", "published_total", "corrected_unallocated_total", "corrected_to_category",
    "corrected_to_detail", "correction_date", "source_url", "reason",
]
CORRECTIONS_PATH = paths.DATA / "corrections.csv"

__all__ = [
    "REGISTER_COLUMNS", "CORRECTIONS_PATH", "CorrectionError", "CorrectionMismatch", "load_corrections",
    "round_registers", "load_every_register",
    "apply_corrections", "CorrectionViews", "correction_views", "as_published_and_corrected",
]


class CorrectionError(UnallocatedError, ValueError):
    """The corrections register is malformed (names the row and the column)."""


class CorrectionMismatch(UnallocatedError, ValueError):
    """The returns do not hold the figures a correction is about, so it cannot be applied."""


def _parse_values(text: str, where: str) -> dict[str, int]:
    values: dict[str, int] = {}
    for item in str(text).split(";"):
        key, sep, number = item.partition("=")
        key = key.strip()
        if not sep or key not in CASE_TYPES:
            raise CorrectionError(f"{where}: published_values item {item!r} is not 'case_type=number'")
        try:
            values[key] = int(number)
        except ValueError:
            raise CorrectionError(f"{where}: published_values item {item!r} has no whole number") from None
    return values


def load_corrections(path: str | Path = CORRECTIONS_PATH) -> pd.DataFrame:
    """Read and check the corrections register.

    Returns one row per correction with the register's columns, typed: council_code as text,
    dates as Timestamps (snapshot_date NaT when not published), whole numbers as int, plus
    `values`, the published values parsed into a dict {case_type: count}.
    Raises `DataFileError` if the file is missing, `CorrectionError` if a row is inconsistent
    (the parts must add up to published_total; the corrected total cannot exceed it; categories
    and details must be ones the schema allows).
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"{path}: corrections register not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != REGISTER_COLUMNS:
        raise CorrectionError(f"{path}: expected columns {REGISTER_COLUMNS}, found {list(table.columns)}")
    if table["correction_id"].duplicated().any():
        raise CorrectionError(f"{path}: duplicate correction_id {table['correction_id'][table['correction_id'].duplicated()].tolist()}")
    records = []
    for i, row in table.iterrows():
        where = f"{path.name} row {i + 2} ({row['correction_id']})"
        case_types = [c.strip() for c in row["case_types"].split(";") if c.strip()]
        if not case_types or any(c not in CASE_TYPES for c in case_types):
            raise CorrectionError(f"{where}: case_types {row['case_types']!r} must be ';'-separated from {list(CASE_TYPES)}")
        values = _parse_values(row["published_values"], where)
        if sorted(values) != sorted(case_types):
            raise CorrectionError(f"{where}: published_values covers {sorted(values)}, case_types {sorted(case_types)}")
        try:
            published_total = int(row["published_total"])
            corrected_total = int(row["corrected_unallocated_total"])
        except ValueError:
            raise CorrectionError(f"{where}: published_total and corrected_unallocated_total must be whole numbers") from None
        if sum(values.values()) != published_total:
            raise CorrectionError(f"{where}: published_values add to {sum(values.values())}, not published_total {published_total}")
        if not 0 <= corrected_total <= published_total:
            raise CorrectionError(f"{where}: corrected total {corrected_total} outside 0..{published_total}")
        if row["category_published"] not in CATEGORIES or row["category_published"] == "total":
            raise CorrectionError(f"{where}: category_published {row['category_published']!r} is not a case category")
        to_cat, to_detail = row["corrected_to_category"], row["corrected_to_detail"]
        if to_cat not in CATEGORIES or to_cat == "total":
            raise CorrectionError(f"{where}: corrected_to_category {to_cat!r} is not a case category")
        allowed = allowed_details(to_cat)
        if (allowed and to_detail not in allowed) or (not allowed and to_detail):
            raise CorrectionError(f"{where}: corrected_to_detail {to_detail!r} not allowed for {to_cat!r}")
        try:
            correction_date = pd.Timestamp(row["correction_date"])
            snapshot = pd.Timestamp(row["snapshot_date"]) if row["snapshot_date"] else pd.NaT
        except ValueError:
            raise CorrectionError(f"{where}: dates must be YYYY-MM-DD") from None
        records.append({
            **row.to_dict(),
            "snapshot_date": snapshot, "correction_date": correction_date,
            "published_total": published_total, "corrected_unallocated_total": corrected_total,
            "values": values,
        })
    return pd.DataFrame.from_records(records, columns=[*REGISTER_COLUMNS, "values"])


def round_registers() -> list[Path]:
    """The registers a round keeps in its own folder (`data/raw/returns/NAME/corrections.csv`):
    the corrections its right of reply produced."""
    return sorted(p for p in paths.RAW_RETURNS.glob("*/corrections.csv") if p.is_file())


def load_every_register() -> pd.DataFrame:
    """The register of the 2010 coverage and every round's own, as one table.

    A round's correction must give the return's `snapshot_date`: without one it would apply to
    every earlier return of the council (the rule for the coverage's corrections), and so reach
    into another round. Correction ids must be unique across the registers."""
    tables = [load_corrections()]
    for path in round_registers():
        table = load_corrections(path)
        undated = table.loc[table["snapshot_date"].isna(), "correction_id"].tolist()
        if undated:
            raise CorrectionError(f"{path}: a round's correction must give snapshot_date (the return it "
                                  f"corrects); missing for {undated}")
        tables.append(table)
    every = pd.concat(tables, ignore_index=True)
    twice = every.loc[every["correction_id"].duplicated(), "correction_id"].tolist()
    if twice:
        raise CorrectionError(f"correction ids used in two registers: {twice}")
    return every


def _code(value) -> str | None:
    """Council codes compare as text: 370, 370.0 and '370' are the same council."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _ensure_columns(returns: pd.DataFrame) -> pd.DataFrame:
    out = returns.copy()
    for c in CORRECTION_COLUMNS:
        if c not in out.columns:
            out[c] = pd.Series([pd.NA] * len(out), index=out.index, dtype="string" if c == "correction" else "Int64")
    return out


def _matching(returns: pd.DataFrame, corr: pd.Series) -> pd.Series:
    codes = returns["council_code"].map(_code)
    names = returns["council"].astype("string").str.strip().str.casefold() if "council" in returns else None
    mask = codes == _code(corr["council_code"])
    if names is not None:
        mask = mask | (names == str(corr["council"]).strip().casefold()).fillna(False)
    mask &= returns["case_type"].isin(list(corr["values"]))
    mask &= returns["category"] == corr["category_published"]
    mask &= returns["correction"].isna()  # idempotent: never correct a corrected row again
    snap = pd.to_datetime(returns["snapshot_date"], errors="coerce") if "snapshot_date" in returns else None
    if snap is not None:
        if pd.isna(corr["snapshot_date"]):
            mask &= snap.isna() | (snap <= corr["correction_date"])
        else:
            mask &= snap == corr["snapshot_date"]
    return mask.fillna(False).astype(bool)


def apply_corrections(returns: pd.DataFrame, corrections: pd.DataFrame | None = None,
                      strict: bool = True) -> pd.DataFrame:
    """The corrected returns table: the input is not changed (it stays the as-published view).

    corrections: the register from `load_corrections` (default: `load_every_register()`, the
        2010 coverage's and every round's own; each applies only to the returns it names).
    strict: if a correction's council is in the table but its figures differ from the published
        values (or are not exact), raise `CorrectionMismatch`; with strict=False, warn and skip.

    Returns the table with the bookkeeping columns of `categories.CORRECTION_COLUMNS` added; rows
    a correction covers are replaced by their corrected pairs (see the module docstring), other
    rows are unchanged with `correction` empty. Corrections whose council is not in the table are
    skipped silently.
    """
    if corrections is None:
        corrections = load_every_register()
    out = _ensure_columns(returns)
    for _, corr in corrections.iterrows():
        mask = _matching(out, corr)
        if not mask.any():
            continue
        hit = out[mask]
        # one system per return (snapshot date and layer): two returns are two separate problems
        keys = [c for c in ("snapshot_date", "layer") if c in hit.columns]
        groups = hit.groupby(keys, dropna=False, sort=False) if keys else [((), hit)]
        replacements, drop = [], []
        for _, rows in groups:
            problem = _mismatch(rows, corr)
            if problem:
                message = f"correction {corr['correction_id']} not applied: {problem}"
                if strict:
                    raise CorrectionMismatch(message + " (use strict=False to skip it with a warning)")
                warnings.warn(message, stacklevel=2)
                continue
            replacements.append(_corrected_rows(rows, corr))
            drop.extend(rows.index)
        if replacements:
            kept = out.drop(index=drop)
            out = pd.concat([kept, *replacements], ignore_index=True)
    out["count"] = out["count"].astype("Int64")
    return out.reset_index(drop=True)


def _mismatch(rows: pd.DataFrame, corr: pd.Series) -> str:
    council = corr["council"]
    if not (rows["qualifier"] == "exact").all():
        return f"{council}'s {corr['category_published']} rows are not all exact numbers"
    for case_type, published in corr["values"].items():
        found = int(rows.loc[rows["case_type"] == case_type, "count"].sum())
        if found != published:
            return f"{council} has {found} {corr['category_published']} {case_type} cases in the table, the correction is about {published}"
    return ""


def _corrected_rows(rows: pd.DataFrame, corr: pd.Series) -> pd.DataFrame:
    total_pub, total_cor = int(corr["published_total"]), int(corr["corrected_unallocated_total"])
    new = []
    for part, (_, row) in enumerate(rows.iterrows(), start=1):
        p = int(row["count"])
        # row-level range of u[p] given the others can absorb at most total_pub - p
        u_lo, u_hi = max(0, total_cor - (total_pub - p)), min(p, total_cor)
        book = {
            "correction": corr["correction_id"], "correction_part": part, "correction_part_published": p,
            "correction_total_published": total_pub, "correction_total_corrected": total_cor,
        }
        stay = row.to_dict() | book | {
            "count": u_hi, "qualifier": "exact" if u_lo == u_hi else "at_most", "correction_sign": 1,
        }
        moved = row.to_dict() | book | {
            "category": corr["corrected_to_category"], "detail": corr["corrected_to_detail"],
            "count": p - u_lo, "qualifier": "exact" if u_lo == u_hi else "at_most", "correction_sign": -1,
        }
        new.extend([stay, moved])
    frame = pd.DataFrame.from_records(new, columns=rows.columns)
    for c in CORRECTION_COLUMNS[1:]:
        frame[c] = frame[c].astype("Int64")
    frame["correction"] = frame["correction"].astype("string")
    return frame


@dataclass(frozen=True)
class CorrectionViews:
    """The same returns twice, with the same columns: as the coverage published them, and corrected."""

    as_published: pd.DataFrame
    corrected: pd.DataFrame

    def stacked(self) -> pd.DataFrame:
        """Both views in one table, labelled by a `view` column ('as_published' / 'corrected')."""
        return pd.concat([self.as_published.assign(view="as_published"), self.corrected.assign(view="corrected")],
                         ignore_index=True)


def correction_views(returns: pd.DataFrame, corrections: pd.DataFrame | None = None,
                     strict: bool = True) -> CorrectionViews:
    """Both views of the returns: as published (bookkeeping columns empty) and corrected."""
    return CorrectionViews(_ensure_columns(returns), apply_corrections(returns, corrections, strict=strict))


def as_published_and_corrected(returns: pd.DataFrame, definition: str | Definition,
                               by: Sequence[str] = ("council_code", "case_type"),
                               corrections: pd.DataFrame | None = None, strict: bool = True) -> pd.DataFrame:
    """A figure as published and as corrected, side by side, under one definition.

    Columns: the `by` columns; published_count, published_qualifier, published_low,
    published_high; corrected_count, corrected_qualifier, corrected_low, corrected_high (see
    `count_under` for what each means); change_low, change_high: how far the corrected figure
    moved from an exact published one (empty when the published figure is not exact or the
    corrected one unbounded); councils; corrections: the correction ids that touch the row.

    Example: national looked-after under "no_professional" reads published 448 exact,
    corrected 406 at_most with low 397, change -51 to -42.
    """
    definition = get_definition(definition)
    by = list(by)
    views = correction_views(returns, corrections, strict=strict)
    published = count_under(views.as_published, definition, by=by)
    corrected = count_under(views.corrected, definition, by=by)
    measures = ["count", "qualifier", "low", "high"]
    pub = published.rename(columns={m: f"published_{m}" for m in measures})
    cor = corrected.rename(columns={m: f"corrected_{m}" for m in measures}).drop(columns="councils")
    if by:
        both = pub.merge(cor, on=by, how="outer")
    else:
        both = pd.concat([pub.reset_index(drop=True), cor.reset_index(drop=True)], axis=1)
    exact = both["published_qualifier"] == "exact"
    base = both["published_count"].astype("float64")
    both["change_low"] = (both["corrected_low"] - base).where(exact)
    both["change_high"] = (both["corrected_high"] - base).where(exact)
    ids = _ids_by_group(views.corrected, definition, by)
    both["corrections"] = [ids.get(tuple(key), "") for key in both[by].itertuples(index=False)] if by else [ids.get((), "")] * len(both)
    cols = [*by, "published_count", "published_qualifier", "published_low", "published_high",
            "corrected_count", "corrected_qualifier", "corrected_low", "corrected_high",
            "change_low", "change_high", "councils", "corrections"]
    both["councils"] = both["councils"].fillna(0).astype("int64")
    return both[cols].reset_index(drop=True)


def _ids_by_group(corrected: pd.DataFrame, definition: Definition, by: list[str]) -> dict[tuple, str]:
    """';'-joined correction ids among the rows each group counts under the definition."""
    hit = corrected[corrected["correction"].notna()]
    # A boolean Series, not a list: an empty list would select no columns instead of no rows.
    hit = hit[pd.Series([definition.counts(c, d) for c, d in zip(hit["category"], hit["detail"])],
                        index=hit.index, dtype=bool)]
    found: dict[tuple, set] = {}
    for key, correction in zip(hit[by].itertuples(index=False) if by else [()] * len(hit), hit["correction"]):
        found.setdefault(tuple(key), set()).add(correction)
    return {key: ";".join(sorted(ids)) for key, ids in found.items()}
