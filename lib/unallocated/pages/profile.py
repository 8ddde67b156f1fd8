"""One council's report: its 2010 return under each definition, its correction, its official
figures beside its region and England, and the boundary changes since, in plain English.

The council profile notebook (`notebooks/04-council-profile.ipynb`) shows what this module
computes; every sentence of its summary is written here from the data, so a test can read it.

Three layers, never mixed without a label, and every sentence says which it rests on in words:

* the 2010 return ("a SIMULATED return" in the shipped returns; "a real return" for a
  newsroom's own; figures a person keyed in review.csv said to be a person's reading); the
  region's and England's totals it is compared with say how many councils of each they add up
  ("16 councils: 1 real return, 15 simulated");
* the published figures the coverage printed about the council, written as the register words
  them (`unallocated.model.published`), each with whether the council's return agrees with it,
  said only where a check on the return says so; and the corrections register;
* official statistics (DfE/ONS).

Which 89 councils responded to the 2010 request was never published: the set of responders in
the shipped returns is itself simulated, and a council with no return is said to be so, not to
have refused. Text from a reply (a raw cell, a note beside a figure, a file name) is escaped
wherever the report shows it (`md` in Markdown; pandas escapes its tables).

Official figures
----------------
`official_series` gives, for each year 2010-2025, the council's, its region's and England's
children-in-need, child-protection and looked-after rates per 10,000 children and the average
caseload of a case-holding social worker. A rate is DfE's own wherever DfE published one (the
council's 514.5 for City of London in 2010, England's 341), never recomputed from a later
population; where DfE published none (a region's children in need in 2010-2012, whose files have
no region rows; any year after the last release with rates the project holds) it is the
project's, from DfE's counts over the child population DfE uses (for a region or England, its
councils' counts and populations summed), and `basis` says which and how (`published_by_dfe`).
England's 2010 totals are DfE's (375,900 children in need, rounded by DfE and including its
estimates for councils with missing data), not a sum of councils; a region's 2010 total where
DfE published none is the project's sum, said so. The caseload is an average, so it cannot be
summed: the region's and England's are DfE's own rows. A missing value says why: suppressed, not
supplied by the council, not applicable (the council did not exist), or not in the official
files the project holds for that year (looked-after children by council for 2013-2018,
workforce figures before 2017).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unallocated.sources import councils as council_ids
from unallocated import display, paths
from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under, get_definition
from unallocated.sources.councils import Council

#: Case-type labels, as in `unallocated.analysis`.
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need",
                    "total": "All three"}

#: The measures of the official chart: (count measure or None, label, unit).
OFFICIAL_MEASURES: dict[str, tuple[str | None, str, str]] = {
    "cin_rate": ("children_in_need", "Children in need", "per 10,000 children"),
    "cpp_rate": ("child_protection_plans", "On a child protection plan", "per 10,000 children"),
    "lac_rate": ("looked_after", "Looked after", "per 10,000 children"),
    "caseload": (None, "Social worker's caseload", "cases per case-holding social worker (FTE)"),
}
POPULATION = "child_population_0_17"
CASELOAD = "caseload_fte"
YEARS = range(2010, 2026)

#: What a missing official value's status means, for a reader.
STATUS_WHY = {
    "suppressed": "withheld by DfE (a number from 1 to 5)",
    "not_supplied": "not supplied by the council ('..' in DfE's file)",
    "confidential": "withheld by DfE for confidentiality",
    "not_available": "not available in DfE's file",
    "not_applicable": "not applicable in DfE's file (the council was not responsible that year)",
    "low": "rounds to zero in DfE's file",
    "fewer_than_5": "fewer than 5 in DfE's file",
}
NOT_IN_FILES = "not in the official files the project holds for this year"
MISSING_IN_RETURNS_NOTE = (
    "Which 89 councils responded to Community Care's 2010 request was never published: the set of "
    "responders in the shipped returns is itself SIMULATED.")


# --------------------------------------------------------------------------- who


def council_of(council: str | Council) -> Council:
    """The council a name or code refers to (anything `councils.resolve` takes, or a Council).

    Raises `CouncilNotFound`, naming the closest councils, for one it cannot find: never an
    empty result. A successor council created after 2010 (Cumberland, say) is found too.
    """
    if isinstance(council, Council):
        return council
    try:
        return council_ids.resolve(council)
    except council_ids.CouncilNotFound:
        # A name only a successor has (e.g. "Cumberland") resolves for a later year.
        return council_ids.resolve(council, year=2025)


def report_file(council: Council) -> str:
    """The file name of a council's report in `outputs/profiles/` (the default definition, as
    corrected), for links between reports and from the front page."""
    from unallocated.pages.names import report_stem

    return f"{report_stem(council)}.html"


def _linked(council: Council) -> str:
    """The council's name as a link to its report, which sits in the same folder."""
    return f"[{council.name}]({report_file(council)})"


def covered(council: Council) -> list[Council]:
    """The 2010 councils whose returns describe this council's area: itself, or its predecessors."""
    return council_ids.covers(council)


def _year_text(year: int) -> str:
    return f"1 April {year}"


# --------------------------------------------------------------------------- its return


def view_of(returns: pd.DataFrame) -> str:
    """'as_corrected' when the corrections register was applied to the table, else 'as_published'."""
    return "as_corrected" if "correction" in returns.columns else "as_published"


@functools.lru_cache(maxsize=1)
def _register() -> dict[str, dict]:
    from unallocated.model.corrections import load_corrections

    table = load_corrections()
    return {row["correction_id"]: row for row in table.to_dict("records")}


def correction_text(correction_id: str) -> str:
    """'corrections register barnsley-2010-12-06 (Community Care, 6 December 2010)'."""
    row = _register().get(correction_id)
    if row is None:
        return f"corrections register {correction_id}"
    return f"corrections register {correction_id} (Community Care, {row['correction_date']:%-d %B %Y})"


def _cells(rows: list[dict]) -> str:
    """Where counted rows came from: the council's cells, or the corrections register.
    `rows`: the return's rows as records (plain Python: this runs 32 times a council)."""
    parts: list[str] = []
    corrected = {r["correction"] for r in rows if not _missing(r.get("correction"))}
    for cid in sorted(corrected):
        parts.append(correction_text(cid))
    by_sheet: dict[str, list[str]] = {}
    for r in rows:
        source = r.get("source")
        if not _missing(r.get("correction")) or _missing(source):
            continue
        where, _, cell = str(source).rpartition("!")
        by_sheet.setdefault(where or str(source), [])
        if cell and cell not in by_sheet[where]:
            by_sheet[where].append(cell)
    for where, cells in by_sheet.items():
        parts.append(f"{where}!{', '.join(cells)}" if cells else where)
    return "; ".join(parts)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _counted(records: list[dict], definition, case_type: str | None) -> list[dict]:
    return [r for r in records if (case_type is None or r["case_type"] == case_type)
            and definition.counts(r["category"], r["detail"])]


CASES_COLUMNS = ["council_code", "council", "definition", "definition_title", "case_type", "label", "shown",
                 "count", "qualifier", "low", "high", "view", "layer", "source", "return_status"]


#: Results kept by the content of the returns table they were computed from: `build` and
#: `summary` ask for the same council's tables several times, and a worker runs many councils
#: (each notebook gets its own copy of the same returns, so identity would never match). Keyed
#: by content, a table changed in place cannot return a stale answer; callers get copies.
_MEMO: dict[tuple, object] = {}


def _fingerprint(returns: pd.DataFrame) -> tuple:
    """What the table holds, as a short key: its columns, their types and a hash of every value."""
    import hashlib

    try:
        values = pd.util.hash_pandas_object(returns, index=True).to_numpy().tobytes()
    except TypeError:  # an unhashable cell (a list): nothing is reused for such a table
        return ("unhashable", id(returns), object())
    return (tuple(returns.columns), tuple(str(t) for t in returns.dtypes),
            hashlib.blake2b(values, digest_size=16).hexdigest())


def _memo(returns: pd.DataFrame, key: tuple, compute):
    memo_key = (_fingerprint(returns), *key)
    if memo_key in _MEMO:
        value = _MEMO[memo_key]
    else:
        if len(_MEMO) > 2000:
            _MEMO.clear()
        value = compute()
        _MEMO[memo_key] = value
    return value.copy() if hasattr(value, "copy") else value


def cases_by_definition(returns: pd.DataFrame, council: str | Council,
                        members: list[Council] | None = None) -> pd.DataFrame:
    """A council's cases under every definition, by case type and in total, shown with bounds.

    One row per (2010 council, definition, case type), with `count`, `qualifier`, `low`, `high`
    (see `categories.count_under`), `shown` (what a reader sees: "0 to 9", "at least 540"), the
    `view` of the table (as published or as corrected), its `layer`, and `source`: the cells of
    the council's file the figure adds up, or the corrections register where a correction
    restated them. For a successor council, the rows of each 2010 council whose area it covers
    (or of `members`, for a later round: `round_members`).
    A council with no return gets one row per definition with `return_status` "no_return" and
    `shown` saying so, never an empty table. Raises `CouncilNotFound` for an unknown council.
    """
    who = council_of(council)
    members = covered(who) if members is None else members
    return _memo(returns, ("cases", who.old_la_code, *(m.old_la_code for m in members)),
                 lambda: _cases_by_definition(returns, members))


def _cases_by_definition(returns: pd.DataFrame, members: list[Council]) -> pd.DataFrame:
    view = view_of(returns)
    records = []
    for member in members:
        mine = returns[returns["council_code"] == member.old_la_code]
        if mine.empty:
            for name, d in DEFINITIONS.items():
                records.append({"council_code": member.old_la_code, "council": member.name, "definition": name,
                                "definition_title": d.title, "case_type": "total", "label": CASE_TYPE_LABELS["total"],
                                "shown": "no return", "count": pd.NA, "qualifier": pd.NA, "low": math.nan,
                                "high": math.nan, "view": view, "layer": "none", "source": "",
                                "return_status": "no_return"})
            continue
        layer = "+".join(sorted(set(mine["layer"].dropna()))) or "none"
        cells = mine[[c for c in ("case_type", "category", "detail", "source", "correction")
                        if c in mine.columns]].to_dict("records")
        for name, d in DEFINITIONS.items():
            by_type = count_under(mine, name, by=("case_type",)).set_index("case_type")
            total = count_under(mine, name, by=()).iloc[0]
            for case_type in [*CASE_TYPES, "total"]:
                if case_type == "total":
                    got = total
                elif case_type in by_type.index:
                    got = by_type.loc[case_type]
                else:
                    continue
                records.append({
                    "council_code": member.old_la_code, "council": member.name, "definition": name,
                    "definition_title": d.title, "case_type": case_type, "label": CASE_TYPE_LABELS[case_type],
                    "shown": display.show_row(got), "count": got["count"], "qualifier": got["qualifier"],
                    "low": got["low"], "high": got["high"], "view": view, "layer": layer,
                    "source": _cells(_counted(cells, d, None if case_type == "total" else case_type)),
                    "return_status": "returned"})
    table = pd.DataFrame.from_records(records, columns=CASES_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table


def lead_with(table: pd.DataFrame, definition: str) -> pd.DataFrame:
    """The same table with the chosen definition's rows first (the others in registry order)."""
    name = get_definition(definition).name
    order = {n: i for i, n in enumerate([name, *[n for n in DEFINITIONS if n != name]])}
    keyed = table.assign(_d=table["definition"].map(order), _v=table["view"].map({"as_corrected": 0, "as_published": 1}))
    return keyed.sort_values(["council_code", "_d", "_v"], kind="stable").drop(columns=["_d", "_v"]).reset_index(drop=True)


def return_rows(returns: pd.DataFrame, council: Council) -> pd.DataFrame:
    """The council's return as it sent it: one row per cell read, each shown as a reader sees it."""
    mine = returns[returns["council_code"] == council.old_la_code]
    if "correction" in mine.columns:
        mine = mine[mine["correction"].isna()]
    cols = ["case_type", "category", "detail", "count", "qualifier", "layer", "source", "raw"]
    table = mine[[c for c in cols if c in mine.columns]].copy()
    table.insert(3, "shown", [display.show(c, q) for c, q in zip(table["count"], table["qualifier"])])
    table["view"] = "as_published"
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- published figures


def published_about(council: Council) -> list[dict[str, str]]:
    """Figures the 2010 coverage printed that name this council (`unallocated.model.published`)."""
    from unallocated.model import published

    return published.about(council.name)


def corrections_for(council: Council) -> list[dict]:
    """Rows of the corrections register about this council."""
    return [r for r in _register().values() if str(r["council_code"]) == council.old_la_code]


# --------------------------------------------------------------------------- official figures

#: DfE's own published rate for each count measure of the official chart.
PUBLISHED_RATE = {"children_in_need": "children_in_need_rate_per_10k", "child_protection_plans": "cpp_rate_per_10k",
                  "looked_after": "looked_after_rate_per_10k"}
#: What DfE says of its own figures, by the file they come from (the files' metadata).
FILE_NOTES = {
    "osr28-2010ud.csv": "DfE's, rounded to the nearest 100, with its estimates for councils with missing data",
}
BASIS_DFE = "as DfE published it"
BASIS_COUNCIL = "the project's: DfE's count / the child population DfE uses x 10,000 (DfE published no rate)"
BASIS_AREA = ("the project's: its councils' DfE counts summed / their child population x 10,000 (DfE published "
              "no rate for the area this year)")


@functools.lru_cache(maxsize=1)
def _official_index():
    """(code, year, measure) -> (value, status, source file) for council rows; (region, year,
    measure) and (year, measure) for DfE's own region and England rows."""
    from unallocated.sources import reference

    t = reference.load_official_stats()
    wanted = {POPULATION, CASELOAD, *[m for m, _, _ in OFFICIAL_MEASURES.values() if m], *PUBLISHED_RATE.values()}
    t = t[t["measure"].isin(wanted)]
    la, region, england = {}, {}, {}
    columns = ["geography_level", "old_la_code", "name", "year", "measure", "value", "status", "source_file"]
    for level, code, name, year, measure, value, status, source in zip(*(t[c].tolist() for c in columns)):
        key_value = (None if pd.isna(value) else float(value), status, source)
        if level == "la":
            la[(code, int(year), measure)] = key_value
        elif level == "regional":
            region[(name, int(year), measure)] = key_value
        elif level == "national":
            england[(int(year), measure)] = key_value
    years_with = {}
    for (code, year, measure), (value, _, _) in la.items():
        if value is not None:
            years_with.setdefault(measure, set()).add(year)
    return la, region, england, years_with


@functools.lru_cache(maxsize=None)  # the official tables do not change within a process
def _la_codes(region: str | None, year: int) -> tuple[str, ...]:
    la = _official_index()[0]
    codes = []
    for c in council_ids.councils():
        if region is not None and c.region != region:
            continue
        if any((c.old_la_code, year, m) in la for m in (POPULATION, "children_in_need")):
            codes.append(c.old_la_code)
    return tuple(codes)


def _why_missing(council: Council, year: int, measure: str) -> str:
    la, _, _, years_with = _official_index()
    got = la.get((council.old_la_code, year, measure))
    if got is not None and got[0] is None:
        return STATUS_WHY.get(got[1], got[1])
    if year not in years_with.get(measure, set()):
        return NOT_IN_FILES
    if council.from_year is not None and year <= council.from_year:
        return f"{council.name} was created on {_year_text(council.from_year)}"
    if council.to_year is not None and year > council.to_year:
        names = " and ".join(s.name for s in council_ids.successors(council))
        return f"{council.name} ceased on {_year_text(council.to_year)}" + (f" (now {names})" if names else "")
    return "no figure for this council in DfE's file for this year"


def _why_no_rate(council: Council, year: int, measure: str) -> str:
    la = _official_index()[0]
    count = la.get((council.old_la_code, year, measure))
    if count is None or count[0] is None:
        return _why_missing(council, year, measure)
    return f"no child population to divide by: {_why_missing(council, year, POPULATION)}"


def _rate(codes, year: int, measure: str) -> tuple[float | None, int, int]:
    """The project's rate per 10,000 children over `codes`, how many councils had both figures,
    of how many (used where DfE published no rate)."""
    return _rate_of(tuple(codes), year, measure)


@functools.lru_cache(maxsize=4096)  # England's and each region's rates recur on every page
def _rate_of(codes: tuple[str, ...], year: int, measure: str) -> tuple[float | None, int, int]:
    la = _official_index()[0]
    count = population = 0.0
    used = 0
    for code in codes:
        n, p = la.get((code, year, measure)), la.get((code, year, POPULATION))
        if n and p and n[0] is not None and p[0] is not None:
            count, population, used = count + n[0], population + p[0], used + 1
    return (round(10000 * count / population, 1) if used and population else None), used, len(codes)


def _published_rate(geography: str, key, year: int, measure: str) -> float | None:
    """DfE's own rate for a council (key: its code), a region (its name) or England, if DfE
    published one that year."""
    la, region, england, _ = _official_index()
    rate = PUBLISHED_RATE[measure]
    got = {"council": la.get((key, year, rate)), "region": region.get((key, year, rate)),
           "England": england.get((year, rate))}[geography]
    return got[0] if got and got[0] is not None else None


def rate_of(geography: str, key, codes, year: int, measure: str) -> tuple[float | None, str, int, int]:
    """A rate per 10,000 children as a reader should see it: DfE's own where DfE published one,
    else the project's, and the basis saying which (value, basis, councils counted, of how many)."""
    published = _published_rate(geography, key, year, measure)
    if published is not None:
        return published, BASIS_DFE, len(codes), len(codes)
    value, used, total = _rate(codes, year, measure)
    return value, (BASIS_COUNCIL if geography == "council" else BASIS_AREA), used, total


SERIES_COLUMNS = ["measure", "label", "unit", "year", "geography", "name", "value", "shown", "why", "basis",
                  "published_by_dfe", "councils_counted", "councils_in_area", "layer", "view"]


def official_series(council: str | Council, years: range = YEARS) -> pd.DataFrame:
    """The council's official rates and caseload by year, beside its region's and England's.

    One row per measure, year and geography ("council", "region", "England"); `value` is empty
    where there is no figure and `why` says why. A rate is DfE's own where DfE published one
    (`published_by_dfe`), else the project's from DfE's counts and child populations, and
    `basis` says which and how; `councils_counted` of `councils_in_area` had both a count and a
    population (layer official).
    """
    who = council_of(council)
    return _official_series(who, tuple(years)).copy()


@functools.lru_cache(maxsize=8)
def _official_series(who: Council, years: tuple[int, ...]) -> pd.DataFrame:
    la, region_rows, england_rows, _ = _official_index()
    rows = []
    for year in years:
        region_codes, all_codes = _la_codes(who.region, year), _la_codes(None, year)
        for key, (measure, label, unit) in OFFICIAL_MEASURES.items():
            base = {"measure": key, "label": label, "unit": unit, "year": year, "layer": "official",
                    "view": "as_published"}
            if measure is not None:
                value, basis, used, _ = rate_of("council", who.old_la_code, [who.old_la_code], year, measure)
                why = "" if value is not None else _why_no_rate(who, year, measure)
                rows.append({**base, "geography": "council", "name": who.name, "value": value, "why": why,
                             "basis": basis, "published_by_dfe": basis == BASIS_DFE, "councils_counted": used,
                             "councils_in_area": 1})
                for geography, name, codes in (("region", who.region, region_codes), ("England", "England", all_codes)):
                    value, basis, used, total = rate_of(geography, name, codes, year, measure)
                    why = "" if value is not None else NOT_IN_FILES
                    if value is not None and basis != BASIS_DFE and used < total:
                        why = f"computed from {used} of its {total} councils (the others have no figure)"
                    rows.append({**base, "geography": geography, "name": name, "value": value, "why": why,
                                 "basis": basis, "published_by_dfe": basis == BASIS_DFE,
                                 "councils_counted": used, "councils_in_area": total})
            else:
                got = la.get((who.old_la_code, year, CASELOAD))
                value = got[0] if got else None
                rows.append({**base, "geography": "council", "name": who.name, "value": value,
                             "why": "" if value is not None else _why_missing(who, year, CASELOAD),
                             "basis": BASIS_DFE, "published_by_dfe": value is not None,
                             "councils_counted": int(value is not None), "councils_in_area": 1})
                for geography, name, got in (("region", who.region, region_rows.get((who.region, year, CASELOAD))),
                                             ("England", "England", england_rows.get((year, CASELOAD)))):
                    value = got[0] if got else None
                    rows.append({**base, "geography": geography, "name": name, "value": value,
                                 "why": "" if value is not None else (STATUS_WHY.get(got[1], got[1]) if got else NOT_IN_FILES),
                                 "basis": BASIS_DFE + " (an average: not summed from councils)",
                                 "published_by_dfe": value is not None,
                                 "councils_counted": pd.NA, "councils_in_area": pd.NA})
    table = pd.DataFrame.from_records(rows)
    table["shown"] = [display.number(v) if v is not None and not pd.isna(v) else w for v, w in zip(table["value"], table["why"])]
    return table[SERIES_COLUMNS]


def missing_official(series: pd.DataFrame, all_geographies: bool = False) -> pd.DataFrame:
    """The council's missing official figures (with `all_geographies`, its region's and England's
    too), grouped into runs of years with the same reason."""
    mine = series[(all_geographies | (series["geography"] == "council")) & series["value"].isna()]
    return _runs(mine, all_geographies)


def project_rates(series: pd.DataFrame) -> pd.DataFrame:
    """The rates in the series that are the project's own (DfE published none), grouped into
    runs of years: what the page lists under the official table, with how they were computed."""
    mine = series[series["value"].notna() & ~series["published_by_dfe"].astype(bool)]
    return _runs(mine.assign(why=mine["basis"]), True)


def _runs(mine: pd.DataFrame, all_geographies: bool) -> pd.DataFrame:
    runs: dict[tuple[str, str, str], list[str]] = {}
    for (label, why, geography), group in mine.groupby(["label", "why", "geography"], sort=False):
        years = sorted(group["year"])
        spans, start = [], years[0]
        for a, b in zip(years, years[1:] + [None]):
            if b != a + 1:
                spans.append(str(start) if start == a else f"{start}-{a}")
                start = b
        runs.setdefault((label, ", ".join(spans), why), []).append(geography)
    rows = []
    for (label, years, why), where in runs.items():
        if all_geographies:
            names = {"council": "council", "region": "region", "England": "England"}
            label = f"{label} ({_join([names[g] for g in where])})"
        rows.append({"measure": label, "years": years, "why": why, "layer": "official"})
    return pd.DataFrame(rows, columns=["measure", "years", "why", "layer"])


def official_2010_table(council: str | Council, year: int = 2010) -> pd.DataFrame:
    """The council's official caseloads at 31 March `year` beside its region and England: counts
    and rates as DfE published them; where DfE published none (a region's children in need in
    2010), the project's sum of the councils' counts and its rate, each with a note saying so.
    A missing value is replaced by why it is missing (layer official)."""
    who = council_of(council)
    la, region_rows, england_rows, _ = _official_index()
    region_codes, all_codes = _la_codes(who.region, year), _la_codes(None, year)
    rows = []
    for key, (measure, label, _) in OFFICIAL_MEASURES.items():
        if measure is None:
            continue
        got = la.get((who.old_la_code, year, measure))
        mine = got[0] if got else None

        def area(codes, published, england=False):
            if published and published[0] is not None:
                return published[0], (FILE_NOTES.get(published[2], "as DfE published it") if england else
                                      "as DfE published it")
            values = [la.get((c, year, measure)) for c in codes]
            known = [v[0] for v in values if v and v[0] is not None]
            return (sum(known) if known else None), (f"the project's sum of {len(known)} of its {len(codes)} "
                                                     f"councils' DfE counts (DfE published no total)")

        region_n, region_note = area(region_codes, region_rows.get((who.region, year, measure)))
        england_n, england_note = area(all_codes, england_rows.get((year, measure)), england=True)
        rates = {g: rate_of(g, k, codes, year, measure) for g, k, codes in
                 (("council", who.old_la_code, [who.old_la_code]), ("region", who.region, region_codes),
                  ("England", "England", all_codes))}

        def rate_note(rate):
            if rate[0] is None or rate[1] == BASIS_DFE:
                return ""
            return "rate: the project's, over their child population" if rate[1] == BASIS_AREA else \
                "rate: the project's, over the child population DfE uses"

        def joined(*notes):
            return "; ".join(n for n in notes if n)

        rows.append({
            "measure": label, "council_count": mine, "council_rate_per_10k": rates["council"][0],
            "region_count": region_n, "region_rate_per_10k": rates["region"][0],
            "england_count": england_n, "england_rate_per_10k": rates["England"][0],
            "council_note": joined("" if mine is not None else _why_missing(who, year, measure),
                                   rate_note(rates["council"])),
            "region_note": joined(region_note if region_note != "as DfE published it" else "", rate_note(rates["region"])),
            "england_note": joined(england_note if england_note != "as DfE published it" else "",
                                   rate_note(rates["England"])),
            "layer": "official", "view": "as_published",
        })
    return pd.DataFrame(rows)


def official_2010_shown(table: pd.DataFrame, council: Council, year: int = 2010) -> pd.DataFrame:
    """`official_2010_table` (of `year`) as a reader reads it: one text column per geography."""
    def cell(count, rate, note):
        if count is None or pd.isna(count):
            return note or "no figure"
        text = f"{display.number(count)}"
        if rate is not None and not pd.isna(rate):
            text += f" ({display.number(rate)} per 10,000)"
        return text + (f"; {note}" if note else "")

    at = f"at 31 March {year}"
    return pd.DataFrame({
        at: table["measure"],
        council.name: [cell(c, r, n) for c, r, n in zip(table["council_count"], table["council_rate_per_10k"], table["council_note"])],
        f"{council.region} (region)": [cell(c, r, n) for c, r, n in zip(table["region_count"], table["region_rate_per_10k"], table["region_note"])],
        "England": [cell(c, r, n) for c, r, n in zip(table["england_count"], table["england_rate_per_10k"], table["england_note"])],
    }).set_index(at)


# --------------------------------------------------------------------------- comparison


def _per_100(row: pd.Series, denominator: float | None) -> str:
    """Cases under a definition per 100 children in need, with the count's bounds carried over."""
    if denominator is None or pd.isna(denominator) or not denominator or pd.isna(row["count"]):
        return ""

    def scale(x):
        return None if x is None or pd.isna(x) else round(100 * float(x) / denominator, 1)

    high = row["high"]
    return display.show(scale(row["count"]), row["qualifier"], scale(row["low"]),
                        math.nan if high is None or pd.isna(high) else scale(high))


def _area_total(returns: pd.DataFrame, definition: str, codes: set[str]) -> tuple[pd.Series, float | None, int, str]:
    """Cases under a definition across responding councils in `codes`, their DfE children in
    need at 31 March 2010 (only councils with a DfE figure: the denominator and numerator agree),
    how many councils, and what those councils' returns are, in words ("12 councils, all
    simulated")."""
    return _memo(returns, ("area", definition, frozenset(codes)), lambda: _area_total_of(returns, definition, codes))


def _area_total_of(returns: pd.DataFrame, definition: str, codes: set[str]) -> tuple[pd.Series, float | None, int, str]:
    from unallocated.analysis import layers

    la = _official_index()[0]
    with_dfe = {c for c in codes if (la.get((c, 2010, "children_in_need")) or (None,))[0] is not None}
    subset = returns[returns["council_code"].isin(with_dfe)]
    if subset.empty:
        return pd.Series({"count": pd.NA, "qualifier": pd.NA, "low": math.nan, "high": math.nan}), None, 0, ""
    got = count_under(subset, definition, by=()).iloc[0]
    cin = sum(la[(c, 2010, "children_in_need")][0] for c in set(subset["council_code"]))
    return got, cin, subset["council_code"].nunique(), layers.rests_on(subset, definition)


# --------------------------------------------------------------------------- the summary


@dataclass
class Report:
    """What the report's top says: heading, summary paragraphs, and the notes under it."""

    council: Council
    heading: str
    paragraphs: list[str]

    def markdown(self) -> str:
        return "\n\n".join([f"# {self.heading}", *self.paragraphs])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _figures_sentence(table: pd.DataFrame, definition: str, view: str) -> str:
    rows = table[(table["definition"] == definition) & (table["view"] == view)].set_index("case_type")
    parts = [f"{CASE_TYPE_LABELS[t].lower()} {rows.loc[t, 'shown']}" for t in CASE_TYPES if t in rows.index]
    total = rows.loc["total", "shown"] if "total" in rows.index else "not known"
    return f"{total} cases in total ({_join(parts)})" if parts else f"{total} cases"


def md(text) -> str:
    """Text from a reply (a council's note, a raw cell, a file name), safe in Markdown: HTML
    escaped, so `<script>` is shown, never run, and Markdown's marks escaped, so it is shown as
    written."""
    import html as html_lib
    import re

    marked = re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", " ".join(str(text).split()))
    return html_lib.escape(marked, quote=False)


def layer_phrase(layer: str) -> str:
    """A council's return in words: 'a SIMULATED return', 'a real return'."""
    return {"simulated": "a SIMULATED return", "real_return": "a real return",
            "review": "a reply read by a person"}.get(layer, f"a return ({display.layer_words(layer)})")


def needs_review(council: Council | None = None, csv: bool = False, round: str = "2010") -> pd.DataFrame:  # noqa: A002
    """Every value of a round (2010 unless named) the reader could not take without a person (ingest's
    issues.csv), with the council its file is from (council_code "" when the project does not
    know the council): council_code, council, file, sheet, cell, raw, problem (and, with `csv`,
    the file's layer and the view, for the CSV the front page links). With `council`, only that
    council's."""
    if csv:
        return _needs_review(paths.RAW_RETURNS, round).copy()
    table = _needs_review(paths.RAW_RETURNS, round)[["council_code", "council", "file", "sheet", "cell", "raw", "problem"]]
    if council is not None:
        table = table[table["council_code"] == council.old_la_code]
    return table.reset_index(drop=True)


@functools.lru_cache(maxsize=2)
def _needs_review(folder: Path, round: str = "2010") -> pd.DataFrame:  # noqa: A002
    # Kept per process like the round's tables themselves (`dataset`, keyed by the folder):
    # a worker runs many reports on the same returns.
    from unallocated.rounds import dataset

    got = dataset.ingest(Path(folder) / round)
    keep = [c for c in ("file", "council_code", "council", "layer") if c in got.files.columns]
    files = got.files[keep].astype("string").fillna("")
    issues = got.issues.astype("string").fillna("")
    table = issues.merge(files, on="file", how="left").fillna("")
    if "layer" not in table.columns:
        table["layer"] = ""
    # the values as the reply gave them, before any correction (a CSV's `view`)
    return table.assign(view="as_published")[["council_code", "council", "file", "sheet", "cell", "raw", "problem",
                                              "layer", "view"]]


def from_a_person(returns: pd.DataFrame, council: Council) -> pd.DataFrame:
    """The council's figures that came from a person's reading of its reply (review.csv), as a
    reader reads them: case type, what, cases, source."""
    from unallocated.analysis import layers

    mine = returns[returns["council_code"] == council.old_la_code]
    if "correction" in mine.columns:
        mine = mine[mine["correction"].isna()]
    mine = mine[layers.from_a_person(mine)]
    return pd.DataFrame({
        "case type": [layers.term(t) for t in mine["case_type"]],
        "held by": [_what(c, d) for c, d in zip(mine["category"], mine["detail"])],
        "cases": [display.show(c, q) for c, q in zip(mine["count"], mine["qualifier"])],
        "source": mine["source"].astype(str).tolist(),
    })


def _person_shown(rows: pd.DataFrame) -> pd.DataFrame:
    """`from_a_person` from a council's `return_rows`."""
    from unallocated.analysis import layers

    mine = rows[layers.from_a_person(rows)] if len(rows) else rows
    return pd.DataFrame({
        "case type": [layers.term(t) for t in mine["case_type"]],
        "held by": [_what(c, d) for c, d in zip(mine["category"], mine["detail"])],
        "cases": mine["shown"].tolist(),
        "source": mine["source"].astype(str).tolist(),
    })


#: What a cell of a return counts, in words a table has room for.
_WHAT = {"total": "open cases", "allocated_qualified": "a qualified social worker",
         ("allocated_other", "assistant"): "a social work assistant", ("allocated_other", "trainee"): "a trainee",
         ("allocated_other", "family_support"): "a family support worker",
         ("allocated_other", "leaving_care"): "a leaving-care worker",
         ("allocated_other", "other"): "other staff (role not given)", ("allocated_other", ""): "other staff",
         ("unallocated", "not_given"): "no one allocated (no reason given)", ("unallocated", ""): "no one allocated"}


def _what(category, detail) -> str:
    from unallocated.schema import UNALLOCATED_REASONS

    detail = "" if _missing(detail) else str(detail)
    if (category, detail) in _WHAT:
        return _WHAT[category, detail]
    if category in _WHAT:
        return _WHAT[category]
    if category == "unallocated":
        return f"no one allocated: {UNALLOCATED_REASONS.get(detail, detail)}"
    return f"{category} {detail}".strip()


@functools.lru_cache(maxsize=1)
def _claims_by_figure() -> dict[str, list]:
    """The fact-check's claims about the 2010 returns, by the published figure they check."""
    from unallocated.factcheck import claims

    out: dict[str, list] = {}
    for claim in claims.load_claims():
        if claim.metric in ("not_checkable", "official") or claim.params.get("data", "returns_2010") != "returns_2010":
            continue
        out.setdefault(claim.published_figure_id, []).append(claim)
    return out


def printed_about(members: list[Council], received: pd.DataFrame) -> list[tuple[dict[str, str], bool | None]]:
    """What the coverage printed about these councils, each with whether their 2010 returns (as
    received) agree with it under the reading the sentence implies: True or False, or None when
    nothing in a 2010 return speaks to it (another date, a count of staff, a local paper's
    figure). A claim of agreement is made only where a check says so."""
    from unallocated.factcheck import claims as fc
    from unallocated.factcheck.wording import check

    sources = fc.Sources(returns=received)
    out = []
    seen = set()
    for member in members:
        for row in published_about(member):
            if row["figure_id"] in seen:
                continue
            seen.add(row["figure_id"])
            verdicts = []
            for claim in _claims_by_figure().get(row["figure_id"], []):
                try:  # on the view the sentence is about: the correction's own claim on the corrected returns
                    got = fc.measure(claim, sources, claim.view)
                except fc.NotCheckable:
                    continue
                verdicts.append(check(claim.comparison, got.quantity).holds)
            out.append((row, all(verdicts) if verdicts else None))
    return out


def summary(council: str | Council, returns: pd.DataFrame, definition: str = "no_professional",
            published_returns: pd.DataFrame | None = None) -> Report:
    """The heading and plain-English summary of a council's report, written from the data.

    `returns`: the returns the report shows (as corrected when the corrections register was
    applied); `published_returns`: the same returns as received, to say what a correction
    changed (defaults to `returns`). The chosen `definition` leads. Every sentence says what its
    numbers rest on in words: the council's return (a SIMULATED return, a real return), its
    region's and England's responding councils ("12 councils, all simulated"), official
    statistics as DfE published them or the project's own rates; printed figures are written
    as the register words them.
    """
    from unallocated.analysis import layers
    from unallocated.model import published as register

    who = council_of(council)
    d = get_definition(definition)
    view = view_of(returns)
    published_returns = returns if published_returns is None else published_returns
    paragraphs: list[str] = []
    region_codes = {c.old_la_code for c in council_ids.councils(in_2010=True) if c.region == who.region}
    in_folder, simulated_set, _ = _round_facts(published_returns)

    if not who.in_2010:
        preds = covered(who)
        note = council_ids.SUCCESSORS.get(who.old_la_code, (None, (), ""))[2]
        paragraphs.append(
            f"**Boundary change.** {who.name} was created on {_year_text(who.from_year)}, covering {note}. "
            f"It did not exist in 2010, so its 2010 figures are those of the councils whose area it covers: "
            f"{_join([_linked(p) for p in preds])}.")

    own_layers = []
    for member in covered(who):
        mine = returns[returns["council_code"] == member.old_la_code]
        table = cases_by_definition(returns, member)
        lead = f"{member.name}'s" if member is not who else "Its"
        if mine.empty:
            paragraphs.append(
                f"**No return in the returns folder.** {member.name} is not among the {in_folder} councils whose 2010 "
                f"returns are in the project's returns folder."
                + (f" {MISSING_IN_RETURNS_NOTE} So this does not mean {member.name} did not answer; nothing is known "
                   f"of its 2010 return." if simulated_set else " Nothing is known of its 2010 return."))
            continue
        layer = layers.council_layer(mine["layer"])
        own_layers.append(layer)
        person = int(layers.from_a_person(mine[mine["correction"].isna()] if "correction" in mine.columns else mine).sum())
        split = not who.in_2010 and len(council_ids.successors(member)) > 1
        snapshot = pd.Timestamp(mine["snapshot_date"].iloc[0])
        figures = _figures_sentence(table, d.name, view)
        changed = ""
        if view == "as_corrected" and corrections_for(member):
            before = _figures_sentence(cases_by_definition(published_returns, member), d.name,
                                       view_of(published_returns))
            changed = (f" as corrected (before the correction: {before})" if before != figures else
                       "; the correction does not change them under this definition")
        read = f"; {person} of its figures from a person's reading of the reply" if person else ""
        text = (f"**{lead} 2010 return** ({layer_phrase(layer)}, snapshot {snapshot:%-d %B %Y}{read}). Under the "
                f"chosen definition, *{d.title.lower()}*, {member.name} had {figures}{changed}.")
        others = [f"{get_definition(n).title.lower()}: {table[(table['definition'] == n) & (table['case_type'] == 'total') & (table['view'] == view)]['shown'].iloc[0]}"
                  for n in DEFINITIONS if n != d.name]
        text += f" Under the other readings: {'; '.join(others)}."
        if split:  # Dorset's return counts all of the old county, of which Christchurch is now BCP
            text += (f" These are figures for the whole of {member.name}, only part of whose area is now "
                     f"{who.name}: they are not {who.name}'s own, and are not added to anything here.")
        paragraphs.append(text)

        for corr in corrections_for(member):
            before = cases_by_definition(published_returns, member)
            published = _figures_sentence(before, corr.get("category_published") == "unallocated" and "no_professional" or d.name,
                                          view_of(published_returns))
            corrected = _figures_sentence(table, "no_professional", view)
            paragraphs.append(
                f"**Correction.** On {corr['correction_date']:%-d %B %Y} Community Care corrected {member.name}'s "
                f"figures ({corr['source_url']}): it had been reported with {published} with no professional "
                f"allocated; in fact all but {corr['corrected_unallocated_total']} of those {corr['published_total']} were held "
                f"by professionals other than a social worker. "
                + (f"As corrected, with no professional allocated: {corrected}. The magazine gave only the total, "
                   f"so each case type is a range while the total is exact."
                   if view == "as_corrected" else "This report shows the figures before that correction.")
                + f" Source of the corrected figures: the corrections register (`data/corrections.csv`, "
                  f"{corr['correction_id']}), not a cell of the council's file.")

        waiting = _waiting_paragraph(member, needs_review(member))
        if waiting:
            paragraphs.append(waiting + " A file flagged as a whole is counted as read, so check it before quoting "
                                        "these figures.")
        if person:
            paragraphs.append(
                f"**From a person's reading.** {person} of {member.name}'s figures were decided by a person reading "
                f"the reply (review.csv), not by the reader: they are listed under the return below.")

        # Comparison with its region's and England's responding councils, on DfE's denominator.
        la = _official_index()[0]
        own = la.get((member.old_la_code, 2010, "children_in_need"))
        total_row = table[(table["definition"] == d.name) & (table["case_type"] == "total") & (table["view"] == view)].iloc[0]
        region_got, region_cin, region_n, region_rests = _area_total(returns, d.name, region_codes)
        england_got, england_cin, england_n, england_rests = _area_total(
            returns, d.name, set(returns["council_code"].dropna()))
        compare = []
        if own and own[0] is not None:
            compare.append(f"{member.name} had {_per_100(total_row, own[0])} such cases per 100 children in need "
                           f"({layer_phrase(layer)}; DfE, 31 March 2010: {display.number(own[0])} children in need)")
        else:
            why = STATUS_WHY.get(own[1], own[1]) if own else NOT_IN_FILES
            compare.append(f"{member.name} has no rate: DfE's children-in-need figure for it at 31 March 2010 is {why}")
        if region_cin:
            compare.append(f"the responding councils of {who.region} had {_per_100(region_got, region_cin)} per 100 "
                           f"(their returns: {region_rests})")
        if england_cin:
            compare.append(f"the responding councils in England with a DfE figure had "
                           f"{_per_100(england_got, england_cin)} per 100 (their returns: {england_rests})")
        paragraphs.append(f"**Compared with its region and England** (same definition): {'; '.join(compare)}. "
                          f"The children in need are official statistics.")

    paragraphs.append(_official_sentence(who))
    if who.in_2010 and council_ids.successors(who):
        succ = council_ids.successors(who)
        paragraphs.append(
            f"**Boundary change.** {who.name} ceased on {_year_text(who.to_year)}: its area is now covered by "
            f"{_join([_linked(s) for s in succ])} ({'; '.join(f'{s.name}: {council_ids.SUCCESSORS[s.old_la_code][2]}' for s in succ)}). "
            f"Their reports carry the official figures from then on.")

    printed = printed_about(covered(who), published_returns)
    if printed:
        agree = [r for r, ok in printed if ok]
        differ = [r for r, ok in printed if ok is False]
        kind = ("simulated return" if own_layers and all(x == "simulated" for x in own_layers) else "return")
        lines = []
        for row, ok in printed:
            if ok is True:
                status = f"the {kind} agrees with it"
            elif ok is False:
                status = f"the {kind} does not agree with it under the reading the sentence implies"
            else:
                status = "nothing in the 2010 return speaks to it (another date, or not a count of its cases)"
            lines.append(f"- {register.sentence(row)}: {status}.")
        checked = len(agree) + len(differ)
        made = ""
        if checked:
            made = (f" {checked} of them {'is' if checked == 1 else 'are'} about the 2010 returns: the {kind} agrees "
                    f"with {len(agree)}" + (f" and not with {len(differ)}" if differ else "") + "."
                    + (" (The generator was built to agree with the printed figures: agreeing shows that, not that "
                       "a council's real return would.)" if kind == "simulated return" else ""))
        paragraphs.append(f"**What the coverage printed** about {_join(sorted({m.name for m in covered(who) if published_about(m)}))}, "
                          f"as printed.{made}\n\n" + "\n".join(lines))

    if own_layers and all(x == "simulated" for x in own_layers):
        paragraphs.append(
            "**What the numbers rest on.** Every count from the 2010 return is SIMULATED: the councils' "
            "returns were never published, so the project's seeded generator made them to agree with every "
            "published figure. The official figures (DfE/ONS) are real. " + MISSING_IN_RETURNS_NOTE)
    elif own_layers:
        paragraphs.append(
            "**What the numbers rest on.** The counts of this report's 2010 return are the council's own "
            "(a real return, as the project's reader read it). The official figures (DfE/ONS) are real."
            + (" The region's and England's totals above also add simulated returns, as their counts of councils "
               "say; which councils are in the simulated set was itself simulated." if simulated_set else ""))
    else:
        paragraphs.append("**What the numbers rest on.** "
                          + (MISSING_IN_RETURNS_NOTE + " " if simulated_set else "")
                          + "The official figures (DfE/ONS) are real.")
    heading = f"{who.name}: unallocated children's cases in 2010, and its official figures since"
    return Report(who, heading, paragraphs)


def _official_sentence(who: Council) -> str:
    table = official_2010_table(who) if who.in_2010 else None
    latest = official_series(who)
    mine = latest[(latest["measure"] == "cin_rate") & (latest["geography"] == "council") & latest["value"].notna()]
    text = "**Official figures.** "

    def whose(basis: str) -> str:
        return "DfE's rate" if basis == BASIS_DFE else "the project's rate from DfE's counts and child populations"

    if table is not None:
        row = table.iloc[0]
        at2010 = latest[(latest["measure"] == "cin_rate") & (latest["year"] == 2010)].set_index("geography")
        if row["council_count"] is not None and not pd.isna(row["council_count"]):
            text += (f"At 31 March 2010 DfE counted {display.number(row['council_count'])} children in need in "
                     f"{who.name}, {display.number(row['council_rate_per_10k'])} per 10,000 children "
                     f"({whose(at2010.loc['council', 'basis'])}), against "
                     f"{display.number(row['region_rate_per_10k'])} in {who.region} ({whose(at2010.loc['region', 'basis'])}"
                     + ("" if at2010.loc["region", "basis"] == BASIS_DFE else ": DfE published no regional figure for 2010")
                     + ") and "
                     f"{display.number(row['england_rate_per_10k'])} in England ({whose(at2010.loc['England', 'basis'])}; "
                     f"England's {display.number(row['england_count'])} children in need as DfE published them). ")
        else:
            text += f"DfE has no children-in-need figure for {who.name} at 31 March 2010: {row['council_note']}. "
    if not mine.empty:
        year = int(mine["year"].max())
        at = latest[(latest["measure"] == "cin_rate") & (latest["year"] == year)].set_index("geography")
        bases = set(at["basis"])
        how = ("DfE's rates" if bases == {BASIS_DFE} else
               "the project's rates from DfE's counts and the child population DfE uses: DfE published none for that "
               "year in the files the project holds")
        text += (f"In {year} the rate was {display.number(at.loc['council', 'value'])} in {who.name}, "
                 f"{display.number(at.loc['region', 'value'])} in its region and "
                 f"{display.number(at.loc['England', 'value'])} in England ({how}).")
    return text.strip()


# --------------------------------------------------------------------------- charts


def official_chart_title(who: Council, series: pd.DataFrame) -> str:
    """The official chart's title, stating the latest children-in-need rate against region and
    England, and whether the rates are DfE's or the project's."""
    cin = series[(series["measure"] == "cin_rate")]
    mine = cin[(cin["geography"] == "council") & cin["value"].notna()]
    if mine.empty:
        return f"{who.name}: no official children-in-need rate in 2010-2025"
    year = int(mine["year"].max())
    at = cin[cin["year"] == year].set_index("geography")

    def n(v):
        return display.number(round(v)) if v is not None and not pd.isna(v) else "no figure"

    whose = "DfE's rates" if set(at["basis"]) == {BASIS_DFE} else "the project's rates: DfE published none that year"
    return (f"{who.name} in {year}: {n(at.loc['council', 'value'])} children in need per 10,000 children, against "
            f"{n(at.loc['region', 'value'])} in {who.region} and {n(at.loc['England', 'value'])} in England ({whose})")


OFFICIAL_SUBTITLE = ("Rates per 10,000 children aged 0-17 as DfE published them; a hollow point is the project's own "
                     "rate (DfE's counts over the child population DfE uses), for a year DfE published none. Caseload "
                     "as DfE published it. A gap is a year with no figure: the table below says why.")


def definitions_chart_title(who: Council, totals: pd.DataFrame, chosen: str) -> str:
    """'Barnsley, a SIMULATED return: 9 cases had no professional allocated as corrected; 165 had
    no qualified social worker'."""
    from unallocated.analysis import layers

    row = totals[totals["definition"] == chosen].iloc[0]
    widest = totals[totals["definition"] == "no_qualified_social_worker"].iloc[0]
    verb = {"no_professional": "had no professional allocated",
            "no_qualified_social_worker": "had no qualified social worker",
            "councils_reading": "were unallocated as councils read it",
            "closure_still_open": "were unallocated, counting cases awaiting closure"}
    view = " as corrected" if row["view"] == "as_corrected" else " before the correction"
    layer = layers.council_layer(str(totals["layer"].iloc[0]).split("+"))
    title = f"{who.name}, {layer_phrase(layer)}: {row['shown']} cases {verb.get(chosen, 'were counted')}{view}"
    if chosen != "no_qualified_social_worker":
        title += f"; {widest['shown']} {verb['no_qualified_social_worker']}"
    return title


# --------------------------------------------------------------------------- the whole report


@dataclass
class Profile:
    """Everything a council's report shows, computed once (the notebook only displays it)."""

    council: Council
    definition: str
    view: str
    report: Report
    cases: pd.DataFrame
    returns_rows: dict[str, pd.DataFrame]
    series: pd.DataFrame
    missing: pd.DataFrame
    official_2010: pd.DataFrame | None
    charts: dict[str, tuple[str, str]]  # name -> (svg, title)
    files: dict[str, str] = None  # what -> file name in the charts folder (the CSV behind it)
    person: dict[str, pd.DataFrame] = None  # council name -> its figures from a person's reading
    label: str = ""  # what the page's numbers rest on, at the top of every printed sheet
    members: list[Council] | None = None  # whose returns it shows (`covered`, or `round_members` in a later round)
    official_year: int = 2010  # the year of `official_2010`: 31 March of the round's year

    def cases_shown(self) -> pd.DataFrame:
        """The cases table as a reader reads it: one row per reading of "unallocated" (the
        chosen one first, marked) and view (as corrected; before the correction where it
        differs), a column per case type, and what the figures rest on, in words. Ranges and
        hedges as `display.show` writes them; where each figure comes from is in the CSV."""
        from unallocated.analysis import layers

        rows = []
        members = covered(self.council) if self.members is None else self.members
        several = len(members) > 1 or members != [self.council]
        for (code, definition, view), group in self.cases.groupby(["council_code", "definition", "view"], sort=False):
            by_type = group.set_index("case_type")["shown"]
            title = get_definition(definition).title + (" (chosen)" if definition == self.definition else "")
            row = {"council": group["council"].iloc[0]} if several else {}
            returned = group["return_status"].iloc[0] == "returned"
            row.update({"reading of \u201cunallocated\u201d": title,
                        "figures": display.VIEW_TEXT.get(view, view) if returned else "\u2013"})
            for t in [*CASE_TYPES, "total"]:
                row[CASE_TYPE_LABELS[t]] = by_type.get(t, "no return" if not returned else "\u2013")
            row["return"] = (layer_phrase(layers.council_layer(str(group["layer"].iloc[0]).split("+")))
                             .removeprefix("a ") if returned else "no return")
            rows.append(row)
        table = pd.DataFrame(rows)
        return table.set_index("council" if several else "reading of \u201cunallocated\u201d")

    def official_table(self) -> pd.DataFrame:
        """The official series as a reader reads it: a row per year, the council, its region and
        England for each measure; a gap is a dash (`missing_markdown` says why), and a rate the
        project computed where DfE published none is marked * (`missing_markdown` says how)."""
        text = []
        for v, dfe in zip(self.series["value"], self.series["published_by_dfe"]):
            if v is None or pd.isna(v):
                text.append("\u2013")
            else:
                text.append(display.number(v) + ("" if bool(dfe) else "*"))
        s = self.series.assign(text=text)
        s["geography"] = s["geography"].map({"council": self.council.name, "region": "region", "England": "England"})
        wide = s.pivot(index="year", columns=["label", "geography"], values="text")
        order = [(label, g) for _, label, _ in OFFICIAL_MEASURES.values()
                 for g in (self.council.name, "region", "England")]
        wide = wide[order]
        wide.columns = pd.MultiIndex.from_tuples(order, names=["official statistics", ""])
        return wide

    def missing_markdown(self) -> str:
        """The gaps in the official table, and the rates the project computed, as short lists."""
        runs = missing_official(self.series, all_geographies=True)
        ours = project_rates(self.series)
        parts = []
        if runs.empty:
            parts.append("Every official figure in the table is present.")
        else:
            lines = [f"- {r['measure']}, {r['years']}: {r['why']}" for _, r in runs.iterrows()]
            parts.append("**Why a figure is missing** (a dash in the table):\n\n" + "\n".join(lines))
        if not ours.empty:
            lines = [f"- {r['measure']}, {r['years']}: {r['why']}" for _, r in ours.iterrows()]
            parts.append("**The project's own rates** (marked * in the table; DfE published none):\n\n" + "\n".join(lines))
        return "\n\n".join(parts)

    def links_markdown(self, what: str) -> str:
        """A link to the CSV behind a table or chart of the report, from the report's folder."""
        name = (self.files or {}).get(what)
        words = {"official": "this chart and table", "cases": "this table", "return": "these tables"}.get(what, "this chart")
        return f"The numbers behind {words}: [as CSV](charts/{name})." if name else ""


def _return_shown(rows: pd.DataFrame) -> pd.DataFrame:
    """A council's return, cell by cell, as a reader reads it: what each cell counts, in words;
    the count as written in the reply (any note with it: text from the reply, escaped on the
    page) and as the project reads it; whose figures they are."""
    from unallocated.analysis import layers

    return pd.DataFrame({
        "case type": [layers.term(t) for t in rows["case_type"]],
        "held by": [_what(c, d) for c, d in zip(rows["category"], rows["detail"])],
        "cases": rows["shown"].tolist(),
        "as written": rows["raw"].fillna("").astype(str).tolist() if "raw" in rows.columns else "",
        "figures": ["a person's reading" if p else layers.return_words(x)
                    for x, p in zip(rows["layer"], layers.from_a_person(rows))] if len(rows) else [],
        "source": rows["source"].tolist(),
    }).set_index("case type")


def build(council: str | Council, definition: str = "no_professional", apply_corrections: bool = True,
          out_dir: Path | None = None, round: str = "2010") -> Profile:  # noqa: A002 (the notebook's parameter)
    """Compute a council's report; with `out_dir`, save its charts there (SVG and CSV) and the
    CSVs behind its tables.

    For the 2010 round the report tells its coverage, its correction and DfE's figures at 31
    March 2010; for a later round (`round_summary`), that round's return, its corrections and DfE's
    figures at 31 March of the round's year."""
    from unallocated.rounds.round import get
    from unallocated.rounds import dataset

    who = council_of(council)
    d = get_definition(definition)
    if get(round).name != "2010":
        return _build_later(who, d.name, get(round), apply_corrections, out_dir)
    published = dataset.returns_2010(corrected=False)
    returns = dataset.returns_2010(corrected=True) if apply_corrections else published
    cases = lead_with(cases_by_definition(returns, who), d.name)
    if apply_corrections and any(corrections_for(m) for m in covered(who)):
        before = lead_with(cases_by_definition(published, who), d.name)
        touched = before["council_code"].isin([m.old_la_code for m in covered(who) if corrections_for(m)])
        cases = lead_with(pd.concat([cases, before[touched]], ignore_index=True), d.name)
    series = official_series(who)
    charts, files, stem = _charts_and_files(
        who, covered(who), cases, series, d.name, view_of(returns),
        lambda member: f"{member.name}'s 2010 return, all case types, under each reading of 'unallocated'"
                       + ("; as corrected (data/corrections.csv)" if view_of(returns) == "as_corrected" else ""))
    received = {m.name: return_rows(published, m) for m in covered(who)}
    profile = Profile(
        council=who, definition=d.name, view=view_of(returns),
        report=summary(who, returns, d.name, published), cases=cases,
        returns_rows={name: _return_shown(rows) for name, rows in received.items()},
        series=series, missing=missing_official(series),
        official_2010=official_2010_shown(official_2010_table(who), who) if who.in_2010 else None,
        charts=charts, files=files, person={name: _person_shown(rows) for name, rows in received.items()},
        label=_round_facts(published)[2])
    if out_dir is not None:
        _save(profile, cases, received, stem, out_dir)
    return profile


def _charts_and_files(who: Council, members: list[Council], cases: pd.DataFrame, series: pd.DataFrame,
                      definition: str, view: str, subtitle) -> tuple[dict[str, tuple[str, str]], dict[str, str], str]:
    """A report's charts (the official series; each member's return under each definition, whose
    subtitle `subtitle(member)` begins), the CSV file behind each chart and table, and its file stem."""
    from unallocated.analysis import svgcharts
    from unallocated.pages.names import report_stem

    title = official_chart_title(who, series)
    charts: dict[str, tuple[str, str]] = {"official": (svgcharts_official(series, title), title)}
    for member in members:
        totals = cases[(cases["council_code"] == member.old_la_code) & (cases["case_type"] == "total")
                       & (cases["view"] == view) & (cases["return_status"] == "returned")]
        if totals.empty:
            continue
        title = definitions_chart_title(member, totals, definition)
        kinds = [x for x in ("simulated", "real_return") if any(x in lay for lay in totals["layer"])]
        charts[f"definitions-{member.old_la_code}"] = (svgcharts.definition_bars(
            totals, definition, title=title, layers=kinds or ["simulated"],
            subtitle=subtitle(member) + ". A paler bar is a range: the count is known only between its ends."), title)
    stem = report_stem(who)
    files = {"official": f"{stem}-official.csv", "cases": f"{stem}-cases-{definition}.csv", "return": f"{stem}-return.csv"}
    files.update({name: f"{stem}-{name}-{definition}.csv" for name in charts if name.startswith("definitions-")})
    return charts, files, stem


def _save(profile: Profile, cases: pd.DataFrame, received: dict[str, pd.DataFrame], stem: str, out_dir: Path) -> None:
    """The report's charts (SVG and the CSV each draws) and the CSVs behind its tables."""
    from unallocated.analysis import svgcharts
    from unallocated.files import atomic_write

    svgcharts.save(f"{stem}-official", profile.charts["official"][0], profile.series, out_dir)
    for name, (svg, _) in profile.charts.items():
        if name.startswith("definitions-"):
            code = name.split("-", 1)[1]
            data = cases[(cases["council_code"] == code) & (cases["case_type"] == "total")]
            svgcharts.save(f"{stem}-{name}-{profile.definition}", svg, data, out_dir)
    everything = pd.concat([rows.assign(council=name) for name, rows in received.items()], ignore_index=True)
    for key, frame in (("cases", cases), ("return", everything)):
        atomic_write(Path(out_dir) / profile.files[key],
                     lambda tmp, f=frame: f.to_csv(tmp, index=False, lineterminator="\n"))


def _round_facts(returns: pd.DataFrame) -> tuple[int, bool, str]:
    """Of the whole round (councils the project knows): how many councils' returns, whether any
    is simulated, and the label every printed sheet of a report carries."""
    def compute():
        from unallocated.analysis import layers

        counted = returns[returns["council_code"].fillna("").astype(str) != ""]
        return int(counted["council_code"].nunique()), layers.simulated_any(counted), layers.page_label(counted)
    return _memo(returns, ("round",), compute)


def svgcharts_official(series: pd.DataFrame, title: str) -> str:
    from unallocated.analysis import svgcharts

    return svgcharts.official_lines(series, title=title, subtitle=OFFICIAL_SUBTITLE)


# --------------------------------------------------------------------------- a later round


def round_members(council: Council, round_) -> list[Council]:
    """The councils whose returns in a later round describe `council`'s area: itself if it had
    children's services on the round's date, else the councils that had by then taken over its
    area (Cumbria in 2025: Cumberland, and Westmorland and Furness); empty for one created after."""
    asked = {c.old_la_code for c in round_.councils()}
    if council.old_la_code in asked:
        return [council]
    return [s for s in council_ids.successors(council) if s.old_la_code in asked]


def round_summary(who: Council, round_, returns: pd.DataFrame, definition: str,
                  published_returns: pd.DataFrame, members: list[Council]) -> Report:
    """The heading and summary of a council's report for a round after 2010, written from the
    data like `summary`: its return in that round under each definition, what a correction of the
    round changed, what waits for a person's review, DfE's figures at 31 March of the round's year,
    and what the numbers rest on. The 2010 coverage and its correction belong to the 2010 report."""
    from unallocated.analysis import layers

    d = get_definition(definition)
    view = view_of(returns)
    year = (round_.figures_as_at or round_.councils_on).year
    paragraphs = [f"**Round {md(round_.name)}.** This report is for {md(round_.label)}: "
                  f"{md(round_.description)}" if round_.description else f"**Round {md(round_.name)}.**"]
    if members != [who]:
        paragraphs.append(
            f"**Boundary change.** {who.name} had no children's services on {round_.councils_on:%-d %B %Y}: "
            + (f"its area was then covered by {_join([_linked(m) for m in members])}, whose returns follow."
               if members else "it did not yet exist."))
    own_layers = []
    for member in members:
        mine = returns[returns["council_code"] == member.old_la_code]
        table = cases_by_definition(returns, member, [member])
        if mine.empty:
            paragraphs.append(f"**No return in the round's folder.** Nothing of {member.name}'s reply to round "
                              f"{md(round_.name)} is in its returns folder; {_tracker_words(round_, member)}.")
            continue
        layer = layers.council_layer(mine["layer"])
        own_layers.append(layer)
        snapshot = pd.Timestamp(mine["snapshot_date"].iloc[0])
        figures = _figures_sentence(table, d.name, view)
        changed = ""
        if view == "as_corrected":
            before = _figures_sentence(cases_by_definition(published_returns, member, [member]), d.name,
                                       view_of(published_returns))
            if before != figures:
                changed = f" as corrected (before the correction: {before})"
        others = [f"{get_definition(n).title.lower()}: "
                  f"{table[(table['definition'] == n) & (table['case_type'] == 'total') & (table['view'] == view)]['shown'].iloc[0]}"
                  for n in DEFINITIONS if n != d.name]
        paragraphs.append(
            f"**{member.name}'s return** ({layer_phrase(layer)}, snapshot {snapshot:%-d %B %Y}). Under the chosen "
            f"definition, *{d.title.lower()}*, {member.name} had {figures}{changed}. Under the other readings: "
            f"{'; '.join(others)}.")
        waiting = _waiting_paragraph(member, needs_review(member, round=round_.name))
        if waiting:
            paragraphs.append(waiting)
        table_year = official_2010_table(member, year)
        cin = table_year.iloc[0]
        if cin["council_count"] is not None and not pd.isna(cin["council_count"]):
            paragraphs.append(
                f"**Official figures.** At 31 March {year} DfE counted {display.number(cin['council_count'])} "
                f"children in need in {member.name} (official statistics, real).")
    if own_layers and all(x == "simulated" for x in own_layers):
        paragraphs.append(f"**What the numbers rest on.** Every count of this round's return is SIMULATED: the "
                          f"project's seeded generator made it, and no figure in it is a council's. The official "
                          f"figures (DfE/ONS) are real.")
    elif own_layers:
        paragraphs.append("**What the numbers rest on.** The counts are the council's own return as the project's "
                          "reader read it (and a person, where the report says so). The official figures (DfE/ONS) "
                          "are real.")
    else:
        paragraphs.append("**What the numbers rest on.** There is no return; the official figures (DfE/ONS) are real.")
    heading = f"{who.name}: unallocated children's cases in round {round_.name}"
    return Report(who, heading, paragraphs)


def _waiting_paragraph(member: Council, waiting: pd.DataFrame) -> str:
    """'Waiting for a person's review': each value of the council's reply the reader withheld, with
    its cell, what it wrote (escaped: text from a reply) and why; '' when there is none."""
    from unallocated.analysis import layers

    if not len(waiting):
        return ""
    items = "; ".join(
        f"{md(r.file)} {md(' '.join(x for x in (r.sheet, r.cell) if x))} "
        f"(written &ldquo;{md(r.raw)}&rdquo;): {md(layers.plain(r.problem))}" for r in waiting.itertuples())
    return (f"**Waiting for a person's review.** The reader could not take {len(waiting)} value"
            f"{'s' if len(waiting) != 1 else ''} of {member.name}'s reply on its own: {items}. A value "
            f"withheld is in no total.")


def _tracker_words(round_, council: Council) -> str:
    """What the round's tracker says of a council's request: 'its request's status on the tracker
    is awaiting response', or that the round keeps no tracker."""
    from unallocated.rounds import tracker

    if not round_.tracker_path.is_file():
        return "the round keeps no tracker of who answered"
    rows = tracker.load(round_.tracker_path)
    mine = rows[rows["council_code"].astype(str) == council.old_la_code]
    status = str(mine["status"].iloc[0]).replace("_", " ") if len(mine) else ""
    return (f"its request's status on the round's tracker is {md(status)}" if status else
            "the round's tracker records no status for its request")


def _build_later(who: Council, definition: str, round_, apply_corrections: bool, out_dir: Path | None) -> Profile:
    """`build` for a round after 2010 (see `round_summary`)."""
    from unallocated.rounds import dataset

    members = round_members(who, round_)
    published = dataset.round(round_.name, corrected=False)
    returns = dataset.round(round_.name, corrected=True) if apply_corrections else published
    cases = lead_with(cases_by_definition(returns, who, members), definition)
    series = official_series(who)
    charts, files, stem = _charts_and_files(
        who, members, cases, series, definition, view_of(returns),
        lambda member: f"{member.name}'s return in round {round_.name}, all case types, under each reading of "
                       f"'unallocated'" + ("; as corrected" if view_of(returns) == "as_corrected" else ""))
    received = {m.name: return_rows(published, m) for m in members}
    year = (round_.figures_as_at or round_.councils_on).year
    at_year = [m for m in members if m is who] or members[:1]
    profile = Profile(
        council=who, definition=definition, view=view_of(returns),
        report=round_summary(who, round_, returns, definition, published, members), cases=cases,
        returns_rows={name: _return_shown(rows) for name, rows in received.items()},
        series=series, missing=missing_official(series),
        official_2010=(official_2010_shown(official_2010_table(at_year[0], year), at_year[0], year)
                       if at_year else None),
        charts=charts, files=files,
        person={name: _person_shown(rows) for name, rows in received.items()},
        label=_round_facts(published)[2], members=members, official_year=year)
    if out_dir is not None:
        _save(profile, cases, received, stem, out_dir)
    return profile
