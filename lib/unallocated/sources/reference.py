"""The official statistics reference table: one tidy, long table built from the raw DfE/ONS files.

`build_official_stats()` reads the unmodified official files in `data/raw/official/` and returns
one row per geography (England, region, council) per year per measure. `write_reference()` saves
it as `data/reference/official_stats.csv` (committed, so notebooks work without the raw files)
with a provenance file beside it. `load_official_stats()` reads the committed table back.

Conventions, for anyone reading the table:

* `year` is the year of the 31 March snapshot (2010 means "at 31 March 2010"). For the workforce
  measures it is the DfE collection year (September of the previous year for the 2017-2025
  files: the EES `time_period` as published).
* `child_population_0_17` for a year is the denominator DfE uses for rates at 31 March of that
  year: the ONS mid-year estimate of the *previous* year (footnote 4 of SFR27/2010 table LAA1:
  "rates ... derived using the mid-year population estimates for 2009"; the 2021-2025 looked-after
  file carries the ONS mid-(year-1) figure as its own `population_estimate`). 2010-2012 come from
  the population columns DfE printed in its own children-in-need files (`Mid2009Pop0-17` and so
  on), 2013-2025 from the ONS file (mid-2012 to mid-2024).
* Missing values are NaN with a `status` saying which symbol the file used; they are never 0.
* Published rates are kept as DfE published them. DfE's children-in-need rates for 2013-2023 were
  computed with ONS estimates of an earlier vintage than the (post-2021-Census, revised) ONS file
  here, so they do not equal `children_in_need / child_population_0_17` exactly; see
  `rate_check()`.
* Council rows are keyed by DfE's old three-digit LA code (text). England and the regions have an
  empty `old_la_code` (the 2010-2012 CIN files give England "921", which is also Isle of Wight's
  code) and are keyed by `ons_code`.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from unallocated import paths
from unallocated.errors import DataFileError

CSV_NAME = "official_stats.csv"
PROVENANCE_NAME = "official_stats.provenance.json"

COLUMNS = [
    "geography_level", "old_la_code", "ons_code", "name", "region", "year",
    "measure", "value", "status", "source_file", "source_column",
]

#: Every measure in the table, with what it means.
MEASURES: dict[str, str] = {
    "children_in_need": "children in need at 31 March (episodes open at 31 March)",
    "children_in_need_rate_per_10k": "children in need at 31 March per 10,000 children aged 0-17, as DfE published it",
    "child_protection_plans": "children subject of a child protection plan at 31 March",
    "cpp_rate_per_10k": "child protection plans at 31 March per 10,000 children aged 0-17, as DfE published it",
    "looked_after": "children looked after at 31 March",
    "looked_after_rate_per_10k": "children looked after at 31 March per 10,000 children under 18, as DfE published it",
    "child_population_0_17": "ONS mid-year estimate of children aged 0-17 for the previous mid-year (DfE's rate denominator)",
    "sw_fte": "children and family social workers in post, full-time equivalent (csww inpost_fte)",
    "vacancy_rate_fte": "social worker vacancy rate, FTE, percent",
    "agency_rate_fte": "agency social worker rate, FTE, percent",
    "caseload_fte": "average caseload per case-holding social worker, FTE",
    "turnover_rate_fte": "social worker turnover rate, FTE, percent",
}

#: What each status means.
STATUSES: dict[str, str] = {
    "ok": "a value as published",
    "suppressed": "x in the 2010-2012 DfE files: a number from 1 to 5, withheld",
    "not_supplied": "'..': the council supplied no data",
    "confidential": "c (EES): withheld for confidentiality",
    "not_available": "x (EES): not available",
    "not_applicable": "z (EES) or '.' (SFR tables): not applicable, e.g. the council did not exist",
    "low": "low (EES): rounds to zero but is not zero",
    "fewer_than_5": "k (EES): fewer than 5",
    "low_reliability": "u (EES): low reliability; value kept where one is given",
    "derived": "computed by this project from published figures, not published itself",
}

# Symbols used by the 2010-2012 DfE files (osr/SFR csv and the SFR27/2010 Excel tables).
_OLD_SYMBOLS = {"x": "suppressed", "..": "not_supplied", ".": "not_applicable", "": "not_supplied"}
# Symbols used by explore-education-statistics (EES) files, 2013 onwards.
_EES_SYMBOLS = {
    "c": "confidential", "x": "not_available", "z": "not_applicable", "low": "low",
    "k": "fewer_than_5", "u": "low_reliability", "": "not_available",
}
_LEVELS = {"national": "national", "regional": "regional", "local authority": "la", "la": "la",
           "region": "regional"}

# Raw files this module reads, relative to the raw folder.
F_CIN_2010 = "osr28-2010ud.csv"
F_CIN_2011 = "osr26-2011ud.csv"
F_CIN_2012 = "SFR27-2012ud.csv"
F_CLA_2010 = "sfr27-2010amv5.xls"
F_CLA_2011 = "SFR21_CLA_2011.csv"
F_CLA_2012 = "SFR20_CLA2012.csv"
F_CIN_EES = "b1_children_in_need_2013_to_2025.csv"
F_CIN_EES_2023 = "release-2023/b1_children_in_need_2013_to_2023.csv"
F_CPP_EES = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
F_CLA_EES = "cla_number_and_rate_per_10k_children.csv"
F_CLA_EES_2023 = "release-2023/cla_number_and_rate_per_10k_children.csv"
F_CSWW = "csww_indicators_2017_to_2025.csv"
F_ONS = "ons_mid-year_population_estimates_2012_to_2024.csv"

RAW_FILES = [F_CIN_2010, F_CIN_2011, F_CIN_2012, F_CLA_2010, F_CLA_2011, F_CLA_2012, F_CIN_EES,
             F_CIN_EES_2023, F_CPP_EES, F_CLA_EES, F_CLA_EES_2023, F_CSWW, F_ONS]

_NATIONAL_CODE = "E92000001"


# --------------------------------------------------------------------------- reading helpers

def _path(raw_dir: Path, name: str) -> Path:
    p = Path(raw_dir) / name
    if not p.is_file():
        raise DataFileError(f"raw official file {name!r} not found in {Path(raw_dir)} (run `make data`)")
    return p


def _read_csv(raw_dir: Path, name: str, encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Read a raw CSV with every cell as text, so symbols and commas survive to be parsed here."""
    p = _path(raw_dir, name)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding=encoding)
    except (UnicodeDecodeError, pd.errors.ParserError, OSError) as err:
        raise DataFileError(f"cannot read {name!r} in {Path(raw_dir)}: {err}") from err
    df.columns = [c.strip() for c in df.columns]  # SFR CLA headers end with a stray space
    return df


def _parse(cells: pd.Series, symbols: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Text cells -> (float values, status). Thousands commas go; symbols give NaN and a status."""
    text = cells.astype(str).str.strip()
    num = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    status = pd.Series("ok", index=cells.index, dtype=object)
    bad = num.isna()
    unknown = sorted(set(text[bad]) - set(symbols))
    if unknown:
        raise DataFileError(f"unrecognised cell values {unknown[:5]} in column {cells.name!r}")
    status[bad] = text[bad].map(symbols)
    return num.astype(float), status


def _norm_name(name: str) -> str:
    """Compare council names across files: case, punctuation, '&', footnote digits ignored."""
    s = re.sub(r"\d+$", "", str(name).strip()).lower().replace("&", "and")
    return re.sub(r"[^a-z]", "", s)


_NAME_ALIASES = {"medwaytowns": "medway", "bedford": "bedfordborough"}


def _rows(meta: pd.DataFrame, year: int, measure: str, values: pd.Series, status: pd.Series,
          source_file: str, source_column: str) -> pd.DataFrame:
    """Long rows for one measure: `meta` holds geography_level, old_la_code, ons_code, name, region."""
    out = meta[["geography_level", "old_la_code", "ons_code", "name", "region"]].copy()
    out["year"] = year
    out["measure"] = measure
    out["value"] = values.to_numpy()
    out["status"] = status.to_numpy()
    out["source_file"] = source_file
    out["source_column"] = source_column
    return out


# --------------------------------------------------------------------------- 2010-2012 files

def _old_meta(df: pd.DataFrame) -> pd.DataFrame:
    """Geography columns for the 2010-2012 DfE csv files (geog_l, geog_c, geog_n[, New_geog_code])."""
    level = df["geog_l"].str.strip().str.lower().map(_LEVELS)
    meta = pd.DataFrame({
        "geography_level": level,
        "old_la_code": np.where(level == "la", df["geog_c"].str.strip().str.zfill(3), ""),
        "ons_code": df["New_geog_code"].str.strip() if "New_geog_code" in df else "",
        "name": df["geog_n"].str.strip(),
        "region": "",
    }, index=df.index)
    meta.loc[level == "national", "ons_code"] = _NATIONAL_CODE
    return meta


def _cin_old(raw_dir: Path) -> list[pd.DataFrame]:
    """Children in need, child protection plans, their rates and DfE's 0-17 population, 2010-2012."""
    spec = [
        # file, year, encoding, {measure: column}
        (F_CIN_2010, 2010, "utf-8", {
            "children_in_need": "CINAt310310", "children_in_need_rate_per_10k": "CINRatePer10K",
            "child_protection_plans": "CPPAt310310", "cpp_rate_per_10k": "CPPAt310310RatePer10k",
            "child_population_0_17": "Mid2009Pop0-17"}),
        # SOURCES.md: the 2011 file is latin-1 (its header row and names are ASCII, but not all of it)
        (F_CIN_2011, 2011, "latin-1", {
            "children_in_need": "CINAt310311", "children_in_need_rate_per_10k": "CINRatePer10K",
            "child_protection_plans": "CPPAt310311", "cpp_rate_per_10k": "CPPAt310311RatePer10k",
            "child_population_0_17": "Mid2010Pop0-17"}),
        (F_CIN_2012, 2012, "latin-1", {
            "children_in_need": "CINAt310312", "children_in_need_rate_per_10k": "CINAt310312RatePer10k",
            "child_protection_plans": "CPPAt310312", "cpp_rate_per_10k": "CPPAt310312Rate",
            "child_population_0_17": "Mid2011Pop0-17"}),
    ]
    out = []
    for name, year, enc, cols in spec:
        df = _read_csv(raw_dir, name, encoding=enc)
        meta = _old_meta(df)
        for measure, col in cols.items():
            if col not in df:
                raise DataFileError(f"{name!r} in {Path(raw_dir)} has no column {col!r}")
            v, s = _parse(df[col].rename(col), _OLD_SYMBOLS)
            out.append(_rows(meta, year, measure, v, s, name, col))
    return out


def _cla_2010(raw_dir: Path, codes_by_name: dict[str, str]) -> list[pd.DataFrame]:
    """Looked after at 31 March 2010 and its rate, from SFR27/2010 table LAA1 (a formatted sheet).

    The sheet's first column holds pre-2009 SSDA903 codes, not DfE's three-digit codes, and the
    2009 unitaries have none, so councils are matched to the 2010 CIN file by name.
    """
    p = _path(raw_dir, F_CLA_2010)
    try:
        sheet = pd.read_excel(p, sheet_name="LAA1", engine="calamine", header=None, dtype=object)
    except Exception as err:  # calamine raises its own error types
        raise DataFileError(f"cannot read sheet LAA1 of {F_CLA_2010!r} in {Path(raw_dir)}: {err}") from err
    # Find the header row holding the years; numbers are the first 2010, rates the second.
    hdr = next((i for i in range(min(20, len(sheet)))
                if [str(x).split(".")[0] for x in sheet.iloc[i] if pd.notna(x)].count("2010") == 2), None)
    if hdr is None:
        raise DataFileError(f"{F_CLA_2010!r}: sheet LAA1 has no header row with the year 2010 twice")
    year_cols = [j for j, x in enumerate(sheet.iloc[hdr]) if pd.notna(x) and str(x).split(".")[0] == "2010"]
    n_col, r_col = year_cols
    body = sheet.iloc[hdr + 1:]
    name_col = 2
    body = body[body[name_col].notna() & body[n_col].notna()]
    body = body[~body[name_col].astype(str).str.strip().str.lower().str.startswith("source")]
    rows = []
    regions = _region_codes_by_name()
    for _, r in body.iterrows():
        raw_name = str(r[name_col]).strip()
        n_cell, r_cell = str(r[n_col]).strip(), str(r[r_col]).strip()
        if n_cell == ".":
            continue  # Cheshire, Bedfordshire: abolished in 2009, no 2010 figure
        key = _NAME_ALIASES.get(_norm_name(raw_name), _norm_name(raw_name))
        if key == "england":
            level, code, ons, region = "national", "", _NATIONAL_CODE, ""
        elif key in regions:
            level, code, ons, region = "regional", "", regions[key][0], regions[key][1]
        elif key in codes_by_name:
            level, code, ons, region = "la", codes_by_name[key], "", ""
        else:
            raise DataFileError(f"{F_CLA_2010!r} LAA1: council {raw_name!r} not found in {F_CIN_2010!r}")
        rows.append({"geography_level": level, "old_la_code": code, "ons_code": ons,
                     "name": re.sub(r"\d+$", "", raw_name).strip(), "region": region,
                     "n": n_cell, "r": r_cell})
    meta = pd.DataFrame(rows)
    out = []
    for measure, col, label in [("looked_after", "n", "LAA1 numbers 2010"),
                                ("looked_after_rate_per_10k", "r", "LAA1 rates 2010")]:
        v, s = _parse(meta[col].rename(label), _OLD_SYMBOLS)
        out.append(_rows(meta, 2010, measure, v, s, F_CLA_2010, label))
    return out


def _region_codes_by_name() -> dict[str, tuple[str, str]]:
    """Normalised region name -> (EES region code, region name) for England's regions."""
    names = {
        "E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
        "E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East of England",
        "E12000007": "London", "E12000008": "South East", "E12000009": "South West",
        "E13000001": "Inner London", "E13000002": "Outer London",
    }
    return {_norm_name(n): (c, n) for c, n in names.items()}


def _cla_old(raw_dir: Path) -> list[pd.DataFrame]:
    """Looked after at 31 March 2011 and 2012 (SFR21/2011, SFR20/2012 underlying data)."""
    out = []
    regions = _region_codes_by_name()
    for name, year, col in [(F_CLA_2011, 2011, "CLA_Mar2011"), (F_CLA_2012, 2012, "CLA_Mar2012")]:
        df = _read_csv(raw_dir, name, encoding="latin-1")
        if col not in df:
            raise DataFileError(f"{name!r} in {Path(raw_dir)} has no column {col!r}")
        meta = _old_meta(df)
        # Inner and Outer London share London's code in these files: take codes from the names.
        reg = meta["geography_level"] == "regional"
        meta.loc[reg, "ons_code"] = meta.loc[reg, "name"].map(lambda n: regions[_norm_name(n)][0])
        meta.loc[reg, "name"] = meta.loc[reg, "name"].map(lambda n: regions[_norm_name(n)][1])
        v, s = _parse(df[col].rename(col), _OLD_SYMBOLS)
        out.append(_rows(meta, year, "looked_after", v, s, name, col))
    return out


# --------------------------------------------------------------------------- EES files, 2013+

def _ees_meta(df: pd.DataFrame) -> pd.DataFrame:
    level = df["geographic_level"].str.strip().str.lower().map(_LEVELS)
    if level.isna().any():
        raise DataFileError(f"unexpected geographic_level {sorted(set(df['geographic_level'][level.isna()]))}")
    la = level == "la"
    meta = pd.DataFrame({
        "geography_level": level,
        "old_la_code": np.where(la, df["old_la_code"].str.strip(), ""),
        "ons_code": np.where(la, df["new_la_code"].str.strip(),
                             np.where(level == "regional", df["region_code"].str.strip(), _NATIONAL_CODE)),
        "name": np.where(la, df["la_name"].str.strip(),
                         np.where(level == "regional", df["region_name"].str.strip(), "England")),
        "region": np.where(level == "national", "", df["region_name"].str.strip()),
    }, index=df.index)
    return meta


def _ees(raw_dir: Path, name: str, cols: dict[str, str], *, years=None, rows=None,
         year_offset: int = 0) -> list[pd.DataFrame]:
    """Long rows from an EES file: one measure per column, one year per `time_period`."""
    df = _read_csv(raw_dir, name)
    if rows is not None:
        df = df[rows(df)]
    df = df.assign(_year=df["time_period"].astype(int) + year_offset)
    if years is not None:
        df = df[df["_year"].isin(years)]
    meta = _ees_meta(df)
    out = []
    for measure, col in cols.items():
        if col not in df:
            raise DataFileError(f"{name!r} in {Path(raw_dir)} has no column {col!r}")
        v, s = _parse(df[col].rename(col), _EES_SYMBOLS)
        for year in sorted(df["_year"].unique()):
            m = (df["_year"] == year).to_numpy()
            out.append(_rows(meta[m], int(year), measure, v[m], s[m], name, col))
    return out


def _lac_rows(df: pd.DataFrame) -> pd.Series:
    """The 'looked after at 31 March' rows, not starting/ceasing (column name differs by release)."""
    col = "population_type" if "population_type" in df else "population_count"
    return df[col].str.contains("31 March", regex=False)


# --------------------------------------------------------------------------- the table

def build_official_stats(raw_dir: Path = paths.RAW_OFFICIAL) -> pd.DataFrame:
    """Build the long official statistics table from the raw DfE/ONS files in `raw_dir`.

    Returns columns `COLUMNS`, one row per geography, year and measure (see `MEASURES`), sorted.
    Raises `DataFileError` naming the file and folder when a raw file is missing or unreadable.
    """
    raw_dir = Path(raw_dir)
    parts: list[pd.DataFrame] = []
    parts += _cin_old(raw_dir)
    cin2010 = _read_csv(raw_dir, F_CIN_2010)
    la2010 = cin2010[cin2010["geog_l"].str.strip() == "LA"]
    codes_by_name = {_norm_name(n): c.strip().zfill(3) for n, c in zip(la2010["geog_n"], la2010["geog_c"])}
    parts += _cla_2010(raw_dir, codes_by_name)
    parts += _cla_old(raw_dir)
    parts += _ees(raw_dir, F_CIN_EES, {"children_in_need": "At31_episodes"})
    # The 2025 release dropped the rate columns; the 2023 release still publishes them.
    parts += _ees(raw_dir, F_CIN_EES_2023, {"children_in_need_rate_per_10k": "At31_episodes_rate"})
    # d5 has one total row per geography and year (category is the table name); the duration
    # breakdowns are separate columns, so CPP_At31 is the total.
    parts += _ees(raw_dir, F_CPP_EES, {"child_protection_plans": "CPP_At31"})
    parts += _ees(raw_dir, F_CLA_EES, {"looked_after": "children_count",
                                       "looked_after_rate_per_10k": "rate_per_10000"}, rows=_lac_rows)
    # 2019-2020 only from the 2023 release: later years are taken from the newer (revised) release.
    parts += _ees(raw_dir, F_CLA_EES_2023, {"looked_after": "number",
                                            "looked_after_rate_per_10k": "rate_per_10000"},
                  rows=_lac_rows, years=[2019, 2020])
    # ONS mid-year Y is DfE's denominator for 31 March Y+1 (see module docstring).
    parts += _ees(raw_dir, F_ONS, {"child_population_0_17": "population_estimate"}, year_offset=1)
    parts += _ees(raw_dir, F_CSWW, {"sw_fte": "inpost_fte", "vacancy_rate_fte": "vacancy_rate_fte",
                                    "agency_rate_fte": "agency_rate_fte", "caseload_fte": "caseload_fte",
                                    "turnover_rate_fte": "turnover_rate_fte"})
    table = pd.concat(parts, ignore_index=True)
    table = _harmonise_geography(table)
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    return _sort(table)


def _harmonise_geography(t: pd.DataFrame) -> pd.DataFrame:
    """One name, ONS code and region per council (and per region), whatever file a row came from.

    For councils: the name, ONS code and region in the latest EES file that has the council
    (current codes, so `ons_code` is not necessarily the code in use that year); councils that
    never appear in an EES file keep the 2011 looked-after file's code and their own name.
    """
    t = t.copy()
    la = t["geography_level"] == "la"
    ees = t[la & t["source_file"].isin([F_CIN_EES, F_CPP_EES, F_ONS, F_CLA_EES, F_CSWW])]
    latest = ees.sort_values(["year", "source_file"]).drop_duplicates("old_la_code", keep="last")
    by_code = latest.set_index("old_la_code")[["ons_code", "name", "region"]]
    older = t[la & (t["ons_code"] != "") & ~t["old_la_code"].isin(by_code.index)]
    older = older.sort_values("year").drop_duplicates("old_la_code", keep="last")
    first_names = t[la].sort_values("year").drop_duplicates("old_la_code").set_index("old_la_code")["name"]
    for col in ["ons_code", "name", "region"]:
        mapped = t.loc[la, "old_la_code"].map(by_code[col])
        if col == "ons_code":
            mapped = mapped.fillna(t.loc[la, "old_la_code"].map(older.set_index("old_la_code")["ons_code"]))
        if col == "name":
            mapped = mapped.fillna(t.loc[la, "old_la_code"].map(first_names))
        t.loc[la, col] = mapped.fillna("")
    # Some EES files file London boroughs under Inner/Outer London: use the nine regions for councils.
    t.loc[la, "region"] = t.loc[la, "region"].replace({"Inner London": "London", "Outer London": "London"})
    reg = t["geography_level"] == "regional"
    names = {c: n for c, n in _region_codes_by_name().values()}
    t.loc[reg, "name"] = t.loc[reg, "ons_code"].map(names)
    # A region's `region` is itself; Inner and Outer London are parts of London.
    t.loc[reg, "region"] = t.loc[reg, "name"].replace({"Inner London": "London", "Outer London": "London"})
    nat = t["geography_level"] == "national"
    t.loc[nat, ["old_la_code", "ons_code", "name", "region"]] = ["", _NATIONAL_CODE, "England", ""]
    return t


_LEVEL_ORDER = {"national": 0, "regional": 1, "la": 2}


def _sort(t: pd.DataFrame) -> pd.DataFrame:
    key = t["geography_level"].map(_LEVEL_ORDER)
    t = t.assign(_k=key).sort_values(
        ["_k", "ons_code", "old_la_code", "measure", "year", "source_file"], kind="mergesort",
        key=lambda s: s if s.name in ("_k", "year") else s.astype(str))
    return t.drop(columns="_k").reset_index(drop=True)[COLUMNS]


# --------------------------------------------------------------------------- writing and loading

def _format_value(v: float) -> str:
    # Shortest repr that round-trips: stable across runs and platforms, no float noise.
    if v != v:
        return ""
    return repr(int(v)) if float(v).is_integer() else repr(float(v))


def to_csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as the exact bytes written to `official_stats.csv`."""
    t = table[COLUMNS].copy()
    t["value"] = t["value"].map(_format_value)
    buf = io.StringIO()
    t.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _sha256(path: Path) -> str:
    from unallocated.sources.official import sha256_of

    return sha256_of(path)


def write_reference(out_dir: Path = paths.REFERENCE, raw_dir: Path = paths.RAW_OFFICIAL) -> dict:
    """Build the table from `raw_dir` and write the CSV and its provenance JSON into `out_dir`.

    Returns the provenance record (also written as `official_stats.provenance.json`).
    """
    out_dir, raw_dir = Path(out_dir), Path(raw_dir)
    table = build_official_stats(raw_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / CSV_NAME
    data = to_csv_bytes(table)
    csv_path.write_bytes(data)
    rows_by_file = table.groupby("source_file").size()
    prov = {
        "table": f"data/reference/{CSV_NAME}",
        "made_by": "unallocated.sources.reference.build_official_stats",
        "command": "python -m unallocated reference build",
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": int(len(table)),
        "rows_by_measure": {k: int(v) for k, v in table.groupby("measure").size().items()},
        "years": [int(table["year"].min()), int(table["year"].max())],
        "raw_files": [
            {"file": name, "sha256": _sha256(_path(raw_dir, name)), "rows_in_table": int(rows_by_file.get(name, 0))}
            for name in RAW_FILES
        ],
        "notes": [
            "Symbols in the raw files are NaN in `value` with a `status`; never 0.",
            "child_population_0_17 for year Y is the ONS mid-(Y-1) estimate, DfE's rate denominator;"
            " 2010-2012 from the population columns in DfE's own children-in-need files.",
            "children_in_need_rate_per_10k 2013-2023 is from the 2023 release of the b1 file"
            " (the 2025 release has no rates); DfE computed it with an older ONS vintage.",
            "looked_after 2019-2020 from the 2023 release of the looked-after file; 2021-2025 from the 2025 release.",
        ],
    }
    (out_dir / PROVENANCE_NAME).write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
    return prov


_DTYPES = {"geography_level": str, "old_la_code": str, "ons_code": str, "name": str, "region": str,
           "year": int, "measure": str, "value": float, "status": str, "source_file": str,
           "source_column": str}


def read_official_csv(path: Path) -> pd.DataFrame:
    """Read an `official_stats.csv` with codes as text (leading zeros kept) and empty text as ''."""
    df = pd.read_csv(path, dtype={k: v for k, v in _DTYPES.items() if v is str},
                     keep_default_na=False, na_values={"value": [""]})
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df[COLUMNS]


@functools.lru_cache(maxsize=2)
def _load_cached(path: str) -> pd.DataFrame:
    return read_official_csv(Path(path))


def load_official_stats(path: Path | None = None) -> pd.DataFrame:
    """The committed official statistics table (a fresh copy; the file is read once per session)."""
    p = Path(path) if path is not None else paths.REFERENCE / CSV_NAME
    if not p.is_file():
        raise DataFileError(f"{p.name} not found in {p.parent}: run `python -m unallocated reference build`")
    return _load_cached(str(p.resolve())).copy()


def wide(year: int | None = None, geography_level: str | None = "la",
         table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Measures as columns: one row per geography (and year), values only (statuses dropped).

    `year=None` keeps every year (a `year` column); `geography_level=None` keeps every level.
    """
    t = load_official_stats() if table is None else table
    if year is not None:
        t = t[t["year"] == year]
    if geography_level is not None:
        t = t[t["geography_level"] == geography_level]
    index = ["geography_level", "old_la_code", "ons_code", "name", "region", "year"]
    w = t.set_index(index + ["measure"])["value"].unstack("measure")
    w = w.reindex(columns=[m for m in MEASURES if m in w.columns]).reset_index()
    w.columns.name = None
    if year is not None:
        w = w.drop(columns="year")
    return w.sort_values([c for c in index if c in w.columns]).reset_index(drop=True)


# --------------------------------------------------------------------------- rate checks

def rate_check(table: pd.DataFrame, count: str, rate: str, *, digits: int,
               count_rounding: dict[str, float] | None = None) -> pd.DataFrame:
    """Recompute `count / child_population_0_17 x 10,000` and compare with the published `rate`.

    `digits` is how many decimals DfE rounded the rate to; the tolerance is half a unit in that
    place, plus, where national or regional counts are published rounded (`count_rounding`,
    e.g. {"national": 10}), the rate that half a rounding step of the count can move. Returns one
    row per geography-year where the count, population and rate all have values, with `agrees`.
    """
    key = ["geography_level", "old_la_code", "ons_code", "name", "year"]
    def pick(m):
        x = table[(table["measure"] == m) & table["value"].notna()]
        return x[key + ["value"]].rename(columns={"value": m})
    pop = "child_population_0_17"
    c = pick(count).merge(pick(pop), on=key).merge(pick(rate), on=key)
    c = c.rename(columns={count: "count", pop: "population", rate: "published_rate"})
    c["recomputed_rate"] = c["count"] / c["population"] * 10_000
    step = c["geography_level"].map(count_rounding or {}).fillna(0.0)
    c["tolerance"] = 0.5 * 10.0 ** -digits + (step / 2) / c["population"] * 10_000 + 1e-9
    c["difference"] = c["recomputed_rate"] - c["published_rate"]
    c["agrees"] = c["difference"].abs() <= c["tolerance"]
    return c.reset_index(drop=True)


# --------------------------------------------------------------------------- command line

def _summary_lines(t: pd.DataFrame) -> list[str]:
    nat = t[(t["geography_level"] == "national") & (t["year"] == 2010)].set_index("measure")
    def fmt(m):
        if m not in nat.index:
            return "-"
        v = nat.loc[m, "value"]
        return f"{v:,.0f}" if v == v else nat.loc[m, "status"]
    councils = (t[(t["geography_level"] == "la") & (t["status"] == "ok")]
                .groupby("year")["old_la_code"].nunique())
    lines = [
        f"England at 31 March 2010: children in need {fmt('children_in_need')}, "
        f"child protection plans {fmt('child_protection_plans')}, looked after {fmt('looked_after')}",
        "councils with at least one published value, by year: "
        + ", ".join(f"{y}: {n}" for y, n in councils.items()),
    ]
    return lines


def _cmd_build(args) -> int:
    prov = write_reference(Path(args.out_dir), Path(args.raw_dir))
    _load_cached.cache_clear()
    table = read_official_csv(Path(args.out_dir) / CSV_NAME)
    print(f"wrote {Path(args.out_dir) / CSV_NAME} and {PROVENANCE_NAME}")
    print(f"rows: {prov['rows']}; councils: {table.loc[table['geography_level'] == 'la', 'old_la_code'].nunique()}; "
          f"years: {prov['years'][0]}-{prov['years'][1]}")
    for line in _summary_lines(table):
        print(line)
    return 0


def _cmd_show(args) -> int:
    path = Path(args.out_dir) / CSV_NAME
    t = load_official_stats(path)
    print(f"{path} ({len(t)} rows, measures: {', '.join(sorted(t['measure'].unique()))})")
    for line in _summary_lines(t):
        print(line)
    return 0


def _cmd_check(args) -> int:
    path = Path(args.out_dir) / CSV_NAME
    if not path.is_file():
        raise DataFileError(f"{CSV_NAME} not found in {path.parent}: run `python -m unallocated reference build`")
    fresh = to_csv_bytes(build_official_stats(Path(args.raw_dir)))
    committed = path.read_bytes()
    if fresh == committed:
        print(f"{path}: identical to a rebuild from {args.raw_dir}")
        return 0
    import difflib
    diff = list(difflib.unified_diff(committed.decode().splitlines(), fresh.decode().splitlines(),
                                     "committed", "rebuilt", lineterm="", n=0))
    print(f"{path} differs from a rebuild from {args.raw_dir} ({len(diff)} diff lines; first 40):",
          file=sys.stderr)
    for line in diff[:40]:
        print(line, file=sys.stderr)
    return 2


def register(subparsers) -> None:
    """Add the `reference` command (build / show / check) to the command line."""
    p = subparsers.add_parser("reference", help="the official statistics reference table",
                              description="Build, show or check data/reference/official_stats.csv.")
    p.add_argument("--raw-dir", default=str(paths.RAW_OFFICIAL), help="raw official files (default: %(default)s)")
    p.add_argument("--out-dir", default=str(paths.REFERENCE), help="reference folder (default: %(default)s)")
    sub = p.add_subparsers(dest="reference_command", metavar="ACTION", required=True)
    for name, func, text in [
        ("build", _cmd_build, "rebuild the table from the raw files and write it"),
        ("show", _cmd_show, "summarise the committed table"),
        ("check", _cmd_check, "rebuild in memory and compare with the committed file (exit 2 if different)"),
    ]:
        sp = sub.add_parser(name, help=text, description=text)
        sp.set_defaults(func=func)


#: The DfE measure that bounds each case type of a return. A return's `cin` row counts children
#: in need other than CP and LAC, and DfE's children-in-need count includes both, so it is an
#: upper bound, not an equal.
CASELOAD_MEASURES = {"cp": "child_protection_plans", "lac": "looked_after", "cin": "children_in_need"}


def caseloads(year: int | None = 2010) -> pd.DataFrame:
    """Each council's DfE open caseload by case type at 31 March `year` (old_la_code, case_type,
    caseload): what `returns.read_returns(reference=...)` checks counts against. `year=None`: every
    year DfE published, with a `year` column (each return is then checked against its own year's)."""
    table = wide(year=year)
    frames = [pd.DataFrame({"old_la_code": table["old_la_code"], "case_type": case_type,
                            "caseload": table[measure], **({"year": table["year"]} if year is None else {})})
              for case_type, measure in CASELOAD_MEASURES.items() if measure in table.columns]
    return pd.concat(frames, ignore_index=True).dropna(subset=["caseload"]).reset_index(drop=True)
