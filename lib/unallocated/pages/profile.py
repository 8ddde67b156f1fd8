"""One council's report: its 2010 return under each definition, its correction, its official
figures beside its region and England, and the boundary changes since, in plain English.

The council profile notebook (`notebooks/04-council-profile.ipynb`) shows what this module
computes; every sentence of its summary is written here from the data, so a test can read it.

Three layers, never mixed without a label:

* the 2010 return (`simulated` in the shipped returns; `real_return` for a newsroom's own);
* the published figures the coverage printed about the council, and the corrections register;
* official statistics (DfE/ONS), `official`.

Which 89 councils responded to the 2010 request was never published: the set of responders in
the shipped returns is itself simulated, and a council with no return is said to be so, not to
have refused.

Official figures
----------------
`official_series` gives, for each year 2010-2025, the council's, its region's and England's
children-in-need, child-protection and looked-after rates per 10,000 children and the average
caseload of a case-holding social worker. The three rates are computed the same way for all
three geographies, from DfE's counts and the child population DfE uses as its denominator
(`child_population_0_17`): for the region and England, the counts and populations of their
councils are summed, so a region's rate exists in every year its councils' counts do (DfE's
files have no region rows for 2010-2012). DfE's own published rates differ slightly where they
used an older population estimate. The caseload is an average, so it cannot be summed: the
region's and England's are DfE's own rows. A missing value says why: suppressed, not supplied by
the council, not applicable (the council did not exist), or not in the official files the
project holds for that year (looked-after children by council for 2013-2018, workforce figures
before 2017).
"""
from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass

import pandas as pd

from unallocated.sources import councils as council_ids
from unallocated import display, paths
from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under, get_definition
from unallocated.sources.councils import Council

#: Case-type labels, as in `unallocated.analysis`.
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need",
                    "total": "All three"}
#: How a reader is told which view a table shows.
VIEW_TEXT = {"as_published": "as the council returned it", "as_corrected": "after the corrections register"}

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


def cases_by_definition(returns: pd.DataFrame, council: str | Council) -> pd.DataFrame:
    """A council's cases under every definition, by case type and in total, shown with bounds.

    One row per (2010 council, definition, case type), with `count`, `qualifier`, `low`, `high`
    (see `categories.count_under`), `shown` (what a reader sees: "0 to 9", "at least 540"), the
    `view` of the table (as published or as corrected), its `layer`, and `source`: the cells of
    the council's file the figure adds up, or the corrections register where a correction
    restated them. For a successor council, the rows of each 2010 council whose area it covers.
    A council with no return gets one row per definition with `return_status` "no_return" and
    `shown` saying so, never an empty table. Raises `CouncilNotFound` for an unknown council.
    """
    who = council_of(council)
    return _memo(returns, ("cases", who.old_la_code), lambda: _cases_by_definition(returns, who))


def _cases_by_definition(returns: pd.DataFrame, who: Council) -> pd.DataFrame:
    view = view_of(returns)
    records = []
    for member in covered(who):
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
    cols = ["case_type", "category", "detail", "count", "qualifier", "layer", "source"]
    table = mine[cols].copy()
    table.insert(3, "shown", [display.show(c, q) for c, q in zip(table["count"], table["qualifier"])])
    table["view"] = "as_published"
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- published figures


@functools.lru_cache(maxsize=1)
def _published() -> list[dict[str, str]]:
    with open(paths.DATA / "published_figures.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def published_about(council: Council) -> list[dict[str, str]]:
    """Figures the 2010 coverage printed that name this council (from data/published_figures.csv)."""
    return [r for r in _published() if council.name in [c.strip() for c in r["councils"].split(";")]]


def corrections_for(council: Council) -> list[dict]:
    """Rows of the corrections register about this council."""
    return [r for r in _register().values() if str(r["council_code"]) == council.old_la_code]


# --------------------------------------------------------------------------- official figures


@functools.lru_cache(maxsize=1)
def _official_index():
    """(code, year, measure) -> (value, status) for council rows; (region, year, measure) and
    (year, measure) for DfE's own region and England rows."""
    from unallocated.sources import reference

    t = reference.load_official_stats()
    wanted = {POPULATION, CASELOAD, *[m for m, _, _ in OFFICIAL_MEASURES.values() if m]}
    t = t[t["measure"].isin(wanted)]
    la, region, england = {}, {}, {}
    columns = ["geography_level", "old_la_code", "name", "year", "measure", "value", "status"]
    for level, code, name, year, measure, value, status in zip(*(t[c].tolist() for c in columns)):
        key_value = (None if pd.isna(value) else float(value), status)
        if level == "la":
            la[(code, int(year), measure)] = key_value
        elif level == "regional":
            region[(name, int(year), measure)] = key_value
        elif level == "national":
            england[(int(year), measure)] = key_value
    years_with = {}
    for (code, year, measure), (value, _) in la.items():
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
    """The rate per 10,000 children over `codes`, how many councils had both figures, of how many."""
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


SERIES_COLUMNS = ["measure", "label", "unit", "year", "geography", "name", "value", "shown", "why", "basis",
                  "councils_counted", "councils_in_area", "layer", "view"]


def official_series(council: str | Council, years: range = YEARS) -> pd.DataFrame:
    """The council's official rates and caseload by year, beside its region's and England's.

    One row per measure, year and geography ("council", "region", "England"); `value` is empty
    where there is no figure and `why` says why; `basis` says how it was computed;
    `councils_counted` of `councils_in_area` had both a count and a population (layer official).
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
                value, used, _ = _rate([who.old_la_code], year, measure)
                why = "" if value is not None else _why_no_rate(who, year, measure)
                rows.append({**base, "geography": "council", "name": who.name, "value": value, "why": why,
                             "basis": "DfE count / DfE's child population x 10,000", "councils_counted": used,
                             "councils_in_area": 1})
                for geography, name, codes in (("region", who.region, region_codes), ("England", "England", all_codes)):
                    value, used, total = _rate(codes, year, measure)
                    why = "" if value is not None else NOT_IN_FILES
                    if value is not None and used < total:
                        why = f"computed from {used} of its {total} councils (the others have no figure)"
                    rows.append({**base, "geography": geography, "name": name, "value": value, "why": why,
                                 "basis": "sum of its councils' DfE counts / their child population x 10,000",
                                 "councils_counted": used, "councils_in_area": total})
            else:
                got = la.get((who.old_la_code, year, CASELOAD))
                value = got[0] if got else None
                rows.append({**base, "geography": "council", "name": who.name, "value": value,
                             "why": "" if value is not None else _why_missing(who, year, CASELOAD),
                             "basis": "as DfE published it", "councils_counted": int(value is not None),
                             "councils_in_area": 1})
                for geography, name, got in (("region", who.region, region_rows.get((who.region, year, CASELOAD))),
                                             ("England", "England", england_rows.get((year, CASELOAD)))):
                    value = got[0] if got else None
                    rows.append({**base, "geography": geography, "name": name, "value": value,
                                 "why": "" if value is not None else (STATUS_WHY.get(got[1], got[1]) if got else NOT_IN_FILES),
                                 "basis": "as DfE published it (an average: not summed from councils)",
                                 "councils_counted": pd.NA, "councils_in_area": pd.NA})
    table = pd.DataFrame.from_records(rows)
    table["shown"] = [display.number(v) if v is not None and not pd.isna(v) else w for v, w in zip(table["value"], table["why"])]
    return table[SERIES_COLUMNS]


def missing_official(series: pd.DataFrame, all_geographies: bool = False) -> pd.DataFrame:
    """The council's missing official figures (with `all_geographies`, its region's and England's
    too), grouped into runs of years with the same reason."""
    mine = series[(all_geographies | (series["geography"] == "council")) & series["value"].isna()]
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
    and rates, each missing value replaced by why it is missing (layer official)."""
    who = council_of(council)
    la = _official_index()[0]
    region_codes, all_codes = _la_codes(who.region, year), _la_codes(None, year)
    rows = []
    for key, (measure, label, _) in OFFICIAL_MEASURES.items():
        if measure is None:
            continue
        got = la.get((who.old_la_code, year, measure))
        mine = got[0] if got else None

        def total(codes):
            values = [la.get((c, year, measure)) for c in codes]
            known = [v[0] for v in values if v and v[0] is not None]
            return (sum(known) if known else None), len(known), len(codes)

        region_n, r_used, r_all = total(region_codes)
        england_n, e_used, e_all = total(all_codes)
        rates = {g: _rate(codes, year, measure)[0] for g, codes in
                 (("council", [who.old_la_code]), ("region", region_codes), ("England", all_codes))}
        rows.append({
            "measure": label, "council_count": mine, "council_rate_per_10k": rates["council"],
            "region_count": region_n, "region_rate_per_10k": rates["region"],
            "england_count": england_n, "england_rate_per_10k": rates["England"],
            "council_note": "" if mine is not None else _why_missing(who, year, measure),
            "region_note": "" if r_used == r_all else f"sum of {r_used} of {r_all} councils (the others have no figure)",
            "england_note": "" if e_used == e_all else f"sum of {e_used} of {e_all} councils (the others have no figure)",
            "layer": "official", "view": "as_published",
        })
    return pd.DataFrame(rows)


def official_2010_shown(table: pd.DataFrame, council: Council) -> pd.DataFrame:
    """`official_2010_table` as a reader reads it: one text column per geography."""
    def cell(count, rate, note):
        if count is None or pd.isna(count):
            return note or "no figure"
        text = f"{display.number(count)}"
        if rate is not None and not pd.isna(rate):
            text += f" ({display.number(rate)} per 10,000)"
        return text + (f"; {note}" if note else "")

    return pd.DataFrame({
        "at 31 March 2010": table["measure"],
        council.name: [cell(c, r, n) for c, r, n in zip(table["council_count"], table["council_rate_per_10k"], table["council_note"])],
        f"{council.region} (region)": [cell(c, r, n) for c, r, n in zip(table["region_count"], table["region_rate_per_10k"], table["region_note"])],
        "England": [cell(c, r, n) for c, r, n in zip(table["england_count"], table["england_rate_per_10k"], table["england_note"])],
        "layer": table["layer"],
    })


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


def _area_total(returns: pd.DataFrame, definition: str, codes: set[str]) -> tuple[pd.Series, float | None, int]:
    """Cases under a definition across responding councils in `codes`, and their DfE children in
    need at 31 March 2010 (only councils with a DfE figure: the denominator and numerator agree)."""
    return _memo(returns, ("area", definition, frozenset(codes)), lambda: _area_total_of(returns, definition, codes))


def _area_total_of(returns: pd.DataFrame, definition: str, codes: set[str]) -> tuple[pd.Series, float | None, int]:
    la = _official_index()[0]
    with_dfe = {c for c in codes if (la.get((c, 2010, "children_in_need")) or (None,))[0] is not None}
    subset = returns[returns["council_code"].isin(with_dfe)]
    if subset.empty:
        return pd.Series({"count": pd.NA, "qualifier": pd.NA, "low": math.nan, "high": math.nan}), None, 0
    got = count_under(subset, definition, by=()).iloc[0]
    cin = sum(la[(c, 2010, "children_in_need")][0] for c in set(subset["council_code"]))
    return got, cin, subset["council_code"].nunique()


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


def summary(council: str | Council, returns: pd.DataFrame, definition: str = "no_professional",
            published_returns: pd.DataFrame | None = None) -> Report:
    """The heading and plain-English summary of a council's report, written from the data.

    `returns`: the returns the report shows (as corrected when the corrections register was
    applied); `published_returns`: the same returns as published, to say what a correction
    changed (defaults to `returns`). The chosen `definition` leads.
    """
    who = council_of(council)
    d = get_definition(definition)
    view = view_of(returns)
    published_returns = returns if published_returns is None else published_returns
    paragraphs: list[str] = []
    region_codes = {c.old_la_code for c in council_ids.councils(in_2010=True) if c.region == who.region}
    simulated_any = False

    if not who.in_2010:
        preds = covered(who)
        note = council_ids.SUCCESSORS.get(who.old_la_code, (None, (), ""))[2]
        paragraphs.append(
            f"**Boundary change.** {who.name} was created on {_year_text(who.from_year)}, covering {note}. "
            f"It did not exist in 2010, so its 2010 figures are those of the councils whose area it covers: "
            f"{_join([_linked(p) for p in preds])}.")

    for member in covered(who):
        mine = returns[returns["council_code"] == member.old_la_code]
        table = cases_by_definition(returns, member)
        lead = f"{member.name}'s" if member is not who else "Its"
        if mine.empty:
            paragraphs.append(
                f"**No return in the shipped data.** {member.name} is not among the 89 councils whose 2010 "
                f"returns are in the project's returns folder. {MISSING_IN_RETURNS_NOTE} So this does not mean "
                f"{member.name} did not answer; nothing is known of its 2010 return.")
            continue
        layer = "+".join(sorted(set(mine["layer"].dropna())))
        simulated_any = simulated_any or "simulated" in layer
        split = not who.in_2010 and len(council_ids.successors(member)) > 1
        layer_word = "SIMULATED " if "simulated" in layer else ""
        snapshot = pd.Timestamp(mine["snapshot_date"].iloc[0])
        figures = _figures_sentence(table, d.name, view)
        changed = ""
        if view == "as_corrected" and corrections_for(member):
            before = _figures_sentence(cases_by_definition(published_returns, member), d.name,
                                       view_of(published_returns))
            changed = (f" after correction (as published: {before})" if before != figures else
                       "; the correction does not change them under this definition")
        text = (f"**{lead} 2010 return** ({layer_word}{'return' if layer_word else layer}, snapshot "
                f"{snapshot:%-d %B %Y}). Under the chosen definition, *{d.title.lower()}*, {member.name} had "
                f"{figures}{changed}.")
        others = [f"{get_definition(n).title.lower()}: {table[(table['definition'] == n) & (table['case_type'] == 'total') & (table['view'] == view)]['shown'].iloc[0]}"
                  for n in DEFINITIONS if n != d.name]
        text += f" Under the other readings: {'; '.join(others)}."
        if split:  # Dorset's return counts all of the old county, of which Christchurch is now BCP
            text += (f" These are figures for the whole of {member.name}, only part of whose area is now "
                     f"{who.name}: they are not {who.name}'s own, and are not added to anything here.")
        paragraphs.append(text)

        for corr in corrections_for(member):
            before = cases_by_definition(published_returns, member)
            after = table
            published = _figures_sentence(before, corr.get("category_published") == "unallocated" and "no_professional" or d.name,
                                          view_of(published_returns))
            corrected = _figures_sentence(after, "no_professional", view)
            paragraphs.append(
                f"**Correction.** On {corr['correction_date']:%-d %B %Y} Community Care corrected {member.name}'s "
                f"figures ({corr['source_url']}): it had been reported with {published} with no professional "
                f"allocated; in fact all but {corr['corrected_unallocated_total']} of those {corr['published_total']} were held "
                f"by professionals other than a social worker. "
                + (f"As corrected, with no professional allocated: {corrected}. The magazine gave only the total, "
                   f"so each case type is a range while the total is exact."
                   if view == "as_corrected" else "This report shows the figures as published, before that correction.")
                + f" Source of the corrected figures: the corrections register (`data/corrections.csv`, "
                  f"{corr['correction_id']}), not a cell of the council's file.")

        # Comparison with its region's and England's responding councils, on DfE's denominator.
        la = _official_index()[0]
        own = la.get((member.old_la_code, 2010, "children_in_need"))
        total_row = table[(table["definition"] == d.name) & (table["case_type"] == "total") & (table["view"] == view)].iloc[0]
        region_got, region_cin, region_n = _area_total(returns, d.name, region_codes)
        england_got, england_cin, england_n = _area_total(returns, d.name, set(returns["council_code"].dropna()))
        compare = []
        if own and own[0] is not None:
            compare.append(f"{member.name} had {_per_100(total_row, own[0])} such cases per 100 children in need "
                           f"(DfE, 31 March 2010: {display.number(own[0])} children in need)")
        else:
            why = STATUS_WHY.get(own[1], own[1]) if own else NOT_IN_FILES
            compare.append(f"{member.name} has no rate: DfE's children-in-need figure for it at 31 March 2010 is {why}")
        if region_cin:
            compare.append(f"the {region_n} responding councils of {who.region} had {_per_100(region_got, region_cin)} per 100")
        if england_cin:
            compare.append(f"the {england_n} responding councils in England with a DfE figure had {_per_100(england_got, england_cin)} per 100")
        paragraphs.append(f"**Compared with its region and England** (same definition): {'; '.join(compare)}. "
                          f"The counts are from the {layer_word.lower().strip() or layer} returns; the children in need are official.")

    paragraphs.append(_official_sentence(who))
    if not who.in_2010:
        pass
    elif council_ids.successors(who):
        succ = council_ids.successors(who)
        paragraphs.append(
            f"**Boundary change.** {who.name} ceased on {_year_text(who.to_year)}: its area is now covered by "
            f"{_join([_linked(s) for s in succ])} ({'; '.join(f'{s.name}: {council_ids.SUCCESSORS[s.old_la_code][2]}' for s in succ)}). "
            f"Their reports carry the official figures from then on.")

    published = [r for m in covered(who) for r in published_about(m)]
    said = (f" The coverage printed {len(published)} figure{'s' if len(published) != 1 else ''} about "
            f"{_join(sorted({m.name for m in covered(who) if published_about(m)}))} "
            f"({'; '.join(_figure_text(r) for r in published[:4])}"
            f"{'; ...' if len(published) > 4 else ''}), which the simulated return was made to agree with."
            if published else "")
    if simulated_any:
        paragraphs.append(
            "**Which numbers are simulated.** Every count from the 2010 return is SIMULATED: the councils' "
            "returns were never published, so the project's seeded generator made them to agree with every "
            "published figure." + said + " The official figures (DfE/ONS) are real. " + MISSING_IN_RETURNS_NOTE)
    else:
        paragraphs.append("**Which numbers are simulated.** " + MISSING_IN_RETURNS_NOTE
                          + " The official figures (DfE/ONS) are real." + said)
    heading = f"{who.name}: unallocated children's cases in 2010, and its official figures since"
    return Report(who, heading, paragraphs)


def _figure_text(row: dict[str, str]) -> str:
    return f"{row['value']} {row['measure']}, {row['article_date'] or 'undated'}"


def _official_sentence(who: Council) -> str:
    table = official_2010_table(who) if who.in_2010 else None
    latest = official_series(who)
    mine = latest[(latest["measure"] == "cin_rate") & (latest["geography"] == "council") & latest["value"].notna()]
    text = "**Official figures.** "
    if table is not None:
        row = table.iloc[0]
        if row["council_count"] is not None and not pd.isna(row["council_count"]):
            text += (f"At 31 March 2010 DfE counted {display.number(row['council_count'])} children in need in "
                     f"{who.name}, {display.number(row['council_rate_per_10k'])} per 10,000 children, against "
                     f"{display.number(row['region_rate_per_10k'])} in {who.region} and "
                     f"{display.number(row['england_rate_per_10k'])} in England. ")
        else:
            text += f"DfE has no children-in-need figure for {who.name} at 31 March 2010: {row['council_note']}. "
    if not mine.empty:
        year = int(mine["year"].max())
        at = latest[(latest["measure"] == "cin_rate") & (latest["year"] == year)].set_index("geography")["value"]
        text += (f"In {year} the rate was {display.number(at['council'])} in {who.name}, "
                 f"{display.number(at['region'])} in its region and {display.number(at['England'])} in England.")
    return text.strip()


# --------------------------------------------------------------------------- charts


def official_chart_title(who: Council, series: pd.DataFrame) -> str:
    """The official chart's title, stating the latest children-in-need rate against region and England."""
    cin = series[(series["measure"] == "cin_rate")]
    mine = cin[(cin["geography"] == "council") & cin["value"].notna()]
    if mine.empty:
        return f"{who.name}: no official children-in-need rate in 2010-2025"
    year = int(mine["year"].max())
    at = cin[cin["year"] == year].set_index("geography")["value"]

    def n(v):
        return display.number(round(v)) if v is not None and not pd.isna(v) else "no figure"

    return (f"{who.name} in {year}: {n(at['council'])} children in need per 10,000 children, against "
            f"{n(at['region'])} in {who.region} and {n(at['England'])} in England")


OFFICIAL_SUBTITLE = ("Rates per 10,000 children aged 0-17, computed the same way for the council, its region and "
                     "England (DfE counts over the child population DfE uses); caseload as DfE published it. "
                     "A gap is a year with no figure: the table below says why.")


def definitions_chart_title(who: Council, totals: pd.DataFrame, chosen: str) -> str:
    """'Barnsley: 9 cases had no professional allocated (as corrected); 165 had no qualified social worker'."""
    row = totals[totals["definition"] == chosen].iloc[0]
    widest = totals[totals["definition"] == "no_qualified_social_worker"].iloc[0]
    verb = {"no_professional": "had no professional allocated",
            "no_qualified_social_worker": "had no qualified social worker",
            "councils_reading": "were unallocated as councils read it",
            "closure_still_open": "were unallocated, counting cases awaiting closure"}
    view = " (as corrected)" if row["view"] == "as_corrected" else " (as returned)"
    title = f"{who.name}: {row['shown']} cases {verb.get(chosen, 'were counted')}{view}"
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

    def cases_shown(self) -> pd.DataFrame:
        """The cases table as displayed: chosen definition first; bounds and view kept."""
        cols = ["definition", "label", "shown", "count", "qualifier", "low", "high", "view", "layer", "source"]
        if len(covered(self.council)) > 1 or not self.council.in_2010:
            cols = ["council", *cols]
        table = self.cases[cols].rename(columns={"label": "case type", "shown": "cases"})
        # Bounds as counts are written everywhere ("1,204", never "1204.0"); none for no return.
        for bound in ("low", "high"):
            table[bound] = [display.number(v) or "\u2013" for v in table[bound]]
        table["qualifier"] = table["qualifier"].astype(object).where(table["qualifier"].notna(), "\u2013")
        table = table.set_index("council" if "council" in cols else "definition")
        # The bare count stays in the CSV beside the charts; a reader sees `cases` and its bounds.
        return table.drop(columns=["count"])

    def official_table(self) -> pd.DataFrame:
        """The official series as a reader reads it: a row per year, the council, its region and
        England for each measure; a gap is a dash, and `missing_markdown` says why."""
        s = self.series.assign(text=[display.number(v) if v is not None and not pd.isna(v) else "\u2013"
                                     for v in self.series["value"]])
        s["geography"] = s["geography"].map({"council": self.council.name, "region": "region", "England": "England"})
        wide = s.pivot(index="year", columns=["label", "geography"], values="text")
        order = [(label, g) for _, label, _ in OFFICIAL_MEASURES.values()
                 for g in (self.council.name, "region", "England")]
        wide = wide[order]
        wide.columns = pd.MultiIndex.from_tuples(order, names=["official (DfE/ONS)", ""])
        return wide

    def missing_markdown(self) -> str:
        """The gaps in the official table as a short list of reasons."""
        runs = missing_official(self.series, all_geographies=True)
        if runs.empty:
            return "Every official figure in the table is present."
        lines = [f"- {r['measure']}, {r['years']}: {r['why']}" for _, r in runs.iterrows()]
        return "**Why a figure is missing** (a dash in the table):\n\n" + "\n".join(lines)


def build(council: str | Council, definition: str = "no_professional", apply_corrections: bool = True,
          out_dir: Path | None = None, round: str = "2010") -> Profile:  # noqa: A002 (the notebook's parameter)
    """Compute a council's report; with `out_dir`, save its charts there (SVG and CSV).

    The report is written for the 2010 round (its coverage, its correction, DfE's figures at 31
    March 2010); another round is refused, naming where its councils are shown instead."""
    from unallocated.rounds import dataset
    from unallocated.rounds.round import RoundError, get
    from unallocated.pages.names import report_stem

    if get(round).name != "2010":
        raise RoundError(f"the council report is written for the 2010 round; round {round!r} has its "
                         f"councils on its tracker page (outputs/rounds/{round}/tracker.html) and in "
                         f"07-rounds, each council with its request, its reply and its figures")
    who = council_of(council)
    d = get_definition(definition)
    published = dataset.returns_2010(corrected=False)
    returns = dataset.returns_2010(corrected=True) if apply_corrections else published
    cases = lead_with(cases_by_definition(returns, who), d.name)
    if apply_corrections and any(corrections_for(m) for m in covered(who)):
        before = lead_with(cases_by_definition(published, who), d.name)
        touched = before["council_code"].isin([m.old_la_code for m in covered(who) if corrections_for(m)])
        cases = lead_with(pd.concat([cases, before[touched]], ignore_index=True), d.name)
    series = official_series(who)
    charts: dict[str, tuple[str, str]] = {}
    title = official_chart_title(who, series)
    charts["official"] = (svgcharts_official(series, title), title)
    for member in covered(who):
        totals = cases[(cases["council_code"] == member.old_la_code) & (cases["case_type"] == "total")
                       & (cases["view"] == view_of(returns)) & (cases["return_status"] == "returned")]
        if totals.empty:
            continue
        from unallocated.analysis import svgcharts

        title = definitions_chart_title(member, totals, d.name)
        layers = [x for x in ("simulated", "real_return") if any(x in lay for lay in totals["layer"])]
        subtitle = (f"{member.name}'s 2010 return, all case types, under each reading of 'unallocated'"
                    + ("; as corrected (data/corrections.csv)" if view_of(returns) == "as_corrected" else "")
                    + ". A paler bar is a range: the count is known only between its ends.")
        charts[f"definitions-{member.old_la_code}"] = (
            svgcharts.definition_bars(totals, d.name, title=title, subtitle=subtitle, layers=layers or ["simulated"]),
            title)
    profile = Profile(
        council=who, definition=d.name, view=view_of(returns),
        report=summary(who, returns, d.name, published), cases=cases,
        returns_rows={m.name: return_rows(published, m) for m in covered(who)},
        series=series, missing=missing_official(series),
        official_2010=official_2010_shown(official_2010_table(who), who) if who.in_2010 else None,
        charts=charts)
    if out_dir is not None:
        from unallocated.analysis import svgcharts

        stem = report_stem(who)
        svgcharts.save(f"{stem}-official", charts["official"][0], series, out_dir)
        for name, (svg, _) in charts.items():
            if name.startswith("definitions-"):
                code = name.split("-", 1)[1]
                data = cases[(cases["council_code"] == code) & (cases["case_type"] == "total")]
                svgcharts.save(f"{stem}-{name}-{d.name}", svg, data, out_dir)
    return profile


def svgcharts_official(series: pd.DataFrame, title: str) -> str:
    from unallocated.analysis import svgcharts

    return svgcharts.official_lines(series, title=title, subtitle=OFFICIAL_SUBTITLE)
