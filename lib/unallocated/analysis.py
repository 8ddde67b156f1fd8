"""The investigation's tables: what the notebooks show, computed here so they stay thin and tested.

Every table carries a `layer` column (or says in its docstring which layer it draws on):
`simulated` for numbers from the shipped 2010 returns, `official` for DfE/ONS statistics,
`published` for what the coverage printed.
"""
from __future__ import annotations

import pandas as pd

from unallocated import categories, corrections, councils, reference
from unallocated.categories import CASE_TYPES, DEFINITIONS, count_under, get_definition, open_caseload

#: Case-type labels for tables and charts.
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need"}

#: The DfE measure at 31 March 2010 that sizes each case type. DfE's children-in-need count
#: includes children on protection plans and looked after, so for a council's whole caseload the
#: children-in-need figure alone is the denominator.
DFE_MEASURE = {"cp": "child_protection_plans", "lac": "looked_after", "cin": "cin_other_than_cp_lac"}

#: The councils the coverage named, and what each said (the project's summary, with the source).
NAMED_COUNCILS: dict[str, tuple[str, str]] = {
    "Sunderland": ("Said its 7 child protection cases were a snapshot of cases in transit between teams.",
                   "Community Care, 6 Dec 2010"),
    "Derbyshire": ("With Lincolnshire, said its unallocated children-in-need figure included cases awaiting "
                   "closure, cases worked by partner agencies and cases only receiving financial payments.",
                   "Community Care, 6 Dec 2010"),
    "Lincolnshire": ("With Derbyshire, said the same of its children-in-need figure.", "Community Care, 6 Dec 2010"),
    "Barnet": ("Said its 18% of looked-after cases were with social work assistants, trainees, family support "
               "and leaving-care workers.", "Community Care, 6 Dec 2010"),
    "Barnsley": ("Corrected: all but 9 of the 165 cases reported as unallocated were with professionals other "
                 "than a social worker.", "Community Care correction, 6 Dec 2010"),
    "Birmingham": ("Reported as cases 'unallocated to a social worker': no qualified social worker, not "
                   "necessarily no one.", "Community Care, 16 Nov 2010"),
}


def layer_of(returns: pd.DataFrame) -> str:
    """The layer a returns table's numbers belong to ('simulated', 'real_return', or a mix)."""
    layers = sorted(set(returns["layer"].dropna()))
    return "+".join(layers) if layers else "none"


def headline(returns: pd.DataFrame, definition: str = "no_professional") -> pd.DataFrame:
    """Cases under a definition by case type, plus the total: the 'more than 8,000' table."""
    by_type = count_under(returns, definition, by=("case_type",))
    by_type = by_type.set_index("case_type").reindex(list(CASE_TYPES)).reset_index()
    total = count_under(returns, definition, by=()).assign(case_type="total")
    table = pd.concat([by_type, total], ignore_index=True)
    table.insert(1, "label", table["case_type"].map({**CASE_TYPE_LABELS, "total": "All three"}))
    table["definition"] = get_definition(definition).name
    table["layer"] = layer_of(returns)
    return table


def council_counts(returns: pd.DataFrame, definition: str) -> pd.DataFrame:
    """One row per council and case type, with a column per measure used by the share figures."""
    return count_under(returns, definition, by=("council_code", "case_type"))


def published_shares(returns: pd.DataFrame, responding: int | None = None) -> pd.DataFrame:
    """The four shares of councils the coverage printed, recomputed from the returns.

    cp_no_professional: councils with child protection cases allocated to no professional (6%).
    cp_other_only: councils with CP cases held by other professionals but none unallocated (a further 3%).
    lac_not_qualified: councils with looked-after cases unallocated or with non-qualified staff (16%).
    cin_unallocated: councils with unallocated children-in-need cases (49%).

    `councils` counts councils whose best figure is 1 or more; `councils_low` those certain to
    have one (a withheld or unreadable count is not assumed to be zero, nor to be more), and
    `councils_high` those that may have one. The percentage the coverage printed is in the
    register of published figures, not here.
    """
    n = responding or int(returns["council_code"].dropna().nunique())

    def having(definition: str, case_type: str) -> dict[str, set[str]]:
        per = council_counts(returns, definition)
        per = per[per["case_type"] == case_type]
        return {"best": set(per.loc[per["count"].fillna(0) >= 1, "council_code"]),
                "low": set(per.loc[per["low"] >= 1, "council_code"]),
                "high": set(per.loc[per["high"].isna() | (per["high"] >= 1), "council_code"])}

    cp_none, cp_any = having("no_professional", "cp"), having("no_qualified_social_worker", "cp")
    # "A further" share: councils with CP cases held by other staff and certainly none unallocated
    # (for the certain count), or possibly none (for the possible count).
    cp_other = {"best": cp_any["best"] - cp_none["best"], "low": cp_any["low"] - cp_none["high"],
                "high": cp_any["high"] - cp_none["low"]}
    rows = [
        ("cp_no_professional", "Child protection cases allocated to no professional", cp_none),
        ("cp_other_only", "Child protection cases with other professionals only (a further share)", cp_other),
        ("lac_not_qualified", "Looked-after cases unallocated or with non-qualified staff",
         having("no_qualified_social_worker", "lac")),
        ("cin_unallocated", "Children-in-need cases unallocated", having("no_professional", "cin")),
    ]
    return pd.DataFrame([
        {"share_id": key, "what": what, "councils": len(codes["best"]), "councils_low": len(codes["low"]),
         "councils_high": len(codes["high"]), "of_councils": n,
         "percent": round(100 * len(codes["best"]) / n, 1), "percent_rounded": round(100 * len(codes["best"]) / n),
         "layer": layer_of(returns)}
        for key, what, codes in rows
    ])


def official_2010() -> pd.DataFrame:
    """Each council's official caseloads at 31 March 2010 (layer: official)."""
    table = reference.wide(year=2010)
    # A return's `cin` row counts children in need other than CP and LAC (see the data
    # dictionary); DfE's children-in-need figure includes both, so subtract them to compare.
    table["cin_other_than_cp_lac"] = table["children_in_need"] - table["child_protection_plans"] - table["looked_after"]
    return table.set_index("old_la_code")


def ranking(returns: pd.DataFrame, definition: str = "no_professional",
            case_type: str | None = None) -> pd.DataFrame:
    """Councils ranked by cases under a definition per 100 open cases.

    Two denominators are shown side by side: the council's own count of open cases in its
    return (simulated layer here) and DfE's count at 31 March 2010 (official layer). The rank
    uses DfE's, so councils are compared on the same, real, footing; where DfE has no figure
    (Derbyshire's children in need in 2010) the council is unranked, not ranked on zero.
    """
    types = [case_type] if case_type else list(CASE_TYPES)
    subset = returns[returns["case_type"].isin(types)]
    counts = count_under(subset, definition, by=("council_code",))
    opened = open_caseload(subset, by=("council_code",))[["council_code", "count"]].rename(columns={"count": "open_cases_in_return"})
    table = counts.merge(opened, on="council_code", how="left")
    official = official_2010()
    measure = DFE_MEASURE[case_type] if case_type else "children_in_need"
    table["dfe_open_cases_2010"] = table["council_code"].map(official[measure])
    table["council"] = table["council_code"].map(official["name"])
    table["per_100_return"] = (100 * table["count"].astype("float64") / table["open_cases_in_return"].astype("float64")).round(1)
    table["per_100_dfe"] = (100 * table["count"].astype("float64") / table["dfe_open_cases_2010"]).round(1)
    table["rank"] = table["per_100_dfe"].rank(ascending=False, method="min").astype("Int64")
    table = table.sort_values(["rank", "council"], na_position="last").reset_index(drop=True)
    table["definition"] = get_definition(definition).name
    table["case_types"] = "+".join(types)
    table["layer"] = f"{layer_of(returns)} counts; official denominators"
    return table[["rank", "council_code", "council", "count", "qualifier", "open_cases_in_return", "per_100_return",
                  "dfe_open_cases_2010", "per_100_dfe", "definition", "case_types", "layer"]]


def under_every_definition(returns: pd.DataFrame) -> pd.DataFrame:
    """The headline by case type under each definition, narrowest first (long form)."""
    return pd.concat([headline(returns, name) for name in DEFINITIONS], ignore_index=True)


#: Each step of the walk from the widest reading to the narrowest: what it takes away.
WALK_STEPS: list[tuple[str, set[tuple[str, str]]]] = [
    ("held by other professionals", {("allocated_other", d) for d in categories.OTHER_ROLES}),
    ("in transit between teams", {("unallocated", "in_transit")}),
    ("worked by a partner agency", {("unallocated", "partner_agency")}),
    ("financial payments only", {("unallocated", "financial_only")}),
    # Last, so the walk passes through the retired social worker's reading on its way.
    ("awaiting closure", {("unallocated", "awaiting_closure")}),
]


def walk(returns: pd.DataFrame) -> pd.DataFrame:
    """From 'no qualified social worker' down to the councils' reading, one reason at a time.

    Each row removes one group of cases; `remaining` is what is left under the reading reached.
    The readings passed on the way are named where they are reached.
    """
    remaining_pairs = set(get_definition("no_qualified_social_worker").pairs)
    reached = {frozenset(d.pairs): name for name, d in DEFINITIONS.items()}
    start = count_under(returns, "no_qualified_social_worker", by=())
    rows = [{"step": "no qualified social worker", "removed": pd.NA, "remaining": start["count"].iloc[0],
             "qualifier": start["qualifier"].iloc[0], "definition_reached": "no_qualified_social_worker"}]
    for label, pairs in WALK_STEPS:
        removed_def = categories.Definition(name=f"walk:{label}", title=label, description=label,
                                            pairs=frozenset(pairs))
        removed = count_under(returns, removed_def, by=())
        remaining_pairs -= pairs
        left = count_under(returns, categories.Definition(name="walk", title="", description="",
                                                          pairs=frozenset(remaining_pairs)), by=())
        rows.append({"step": f"less {label}", "removed": removed["count"].iloc[0], "remaining": left["count"].iloc[0],
                     "qualifier": left["qualifier"].iloc[0],
                     "definition_reached": reached.get(frozenset(remaining_pairs), "")})
    table = pd.DataFrame(rows)
    table["layer"] = layer_of(returns)
    return table


def named_councils(returns: pd.DataFrame, corrected: pd.DataFrame | None = None) -> pd.DataFrame:
    """The councils the coverage named: their counts under every definition, beside what they said."""
    records = []
    for name, (said, source) in NAMED_COUNCILS.items():
        code = councils.resolve(name).old_la_code
        mine = returns[returns["council_code"] == code]
        row = {"council": name, "council_code": code, "in_returns": not mine.empty, "what_the_council_said": said,
               "source": source}
        for definition in DEFINITIONS:
            got = count_under(mine, definition, by=()) if not mine.empty else None
            row[definition] = got["count"].iloc[0] if got is not None else pd.NA
        if corrected is not None and not mine.empty:
            fixed = count_under(corrected[corrected["council_code"] == code], "no_professional", by=())
            row["no_professional_corrected"] = _as_range(fixed.iloc[0])
        records.append(row)
    table = pd.DataFrame(records)
    table["layer"] = layer_of(returns)
    return table


def _as_range(row: pd.Series) -> str:
    low, high = row["low"], row["high"]
    if pd.notna(high) and low == high:
        return f"{int(low):,}"
    return f"{int(low):,} to {int(high):,}" if pd.notna(high) else f"at least {int(low):,}"


def corrected_national(returns: pd.DataFrame, definition: str = "no_professional") -> pd.DataFrame:
    """National figures by case type and in total, as published and as corrected (ranges)."""
    by_type = corrections.as_published_and_corrected(returns, definition, by=("case_type",))
    total = corrections.as_published_and_corrected(returns, definition, by=()).assign(case_type="total")
    by_type = by_type.set_index("case_type").reindex(list(CASE_TYPES)).reset_index()
    table = pd.concat([by_type, total], ignore_index=True)
    table.insert(1, "label", table["case_type"].map({**CASE_TYPE_LABELS, "total": "All three"}))
    table["corrected_range"] = [
        _as_range(pd.Series({"low": lo, "high": hi})) for lo, hi in zip(table["corrected_low"], table["corrected_high"])]
    table["definition"] = definition
    table["layer"] = layer_of(returns)
    return table


# --- one council ------------------------------------------------------------------------------

def council_counts_by_definition(returns: pd.DataFrame, code: str) -> pd.DataFrame:
    """A council's cases by case type under every definition (empty when it sent no return)."""
    mine = returns[returns["council_code"] == code]
    if mine.empty:
        return pd.DataFrame(columns=["case_type", "label", *DEFINITIONS, "layer"])
    table = pd.DataFrame({"case_type": list(CASE_TYPES)})
    for name in DEFINITIONS:
        got = count_under(mine, name, by=("case_type",)).set_index("case_type")
        table[name] = table["case_type"].map(got["count"]).astype("Int64")
    table.insert(1, "label", table["case_type"].map(CASE_TYPE_LABELS))
    table["layer"] = layer_of(mine)
    return table


#: The official measures a council profile shows, in reading order.
CONTEXT_MEASURES = ["children_in_need", "children_in_need_rate_per_10k", "child_protection_plans", "cpp_rate_per_10k",
                    "looked_after", "looked_after_rate_per_10k"]
WORKFORCE_MEASURES = ["vacancy_rate_fte", "agency_rate_fte", "caseload_fte"]


def official_context(code: str, year: int = 2010) -> pd.DataFrame:
    """The council's official figures at 31 March `year`, beside its region and England (official)."""
    council = councils.get(code)
    table = reference.load_official_stats()
    table = table[(table["year"] == year) & table["measure"].isin(CONTEXT_MEASURES)]
    pick = {
        council.name: table[(table["geography_level"] == "la") & (table["old_la_code"] == code)],
        f"{council.region} (region)": table[(table["geography_level"] == "regional") & (table["name"] == council.region)],
        "England": table[table["geography_level"] == "national"],
    }
    columns = {}
    for label, rows in pick.items():
        columns[label] = rows.drop_duplicates("measure").set_index("measure")["value"]
    out = pd.DataFrame(columns).reindex(CONTEXT_MEASURES)
    out.index.name = f"at 31 March {year}"
    status = pick[council.name].drop_duplicates("measure").set_index("measure")["status"].reindex(CONTEXT_MEASURES)
    out["status"] = status.fillna("not_in_file")
    out["layer"] = "official"
    return out.reset_index()


def trend(code: str, years: range = range(2013, 2026)) -> pd.DataFrame:
    """The council's official caseloads and workforce, year by year (official)."""
    table = reference.load_official_stats()
    mine = table[(table["geography_level"] == "la") & (table["old_la_code"] == code) & table["year"].isin(years)
                 & table["measure"].isin(CONTEXT_MEASURES + WORKFORCE_MEASURES)]
    wide = mine.pivot_table(index="year", columns="measure", values="value", aggfunc="first")
    wide = wide.reindex(index=list(years), columns=CONTEXT_MEASURES + WORKFORCE_MEASURES)
    wide["layer"] = "official"
    return wide.reset_index()


# --- timelines --------------------------------------------------------------------------------

def timeline_table(timelines: pd.DataFrame) -> pd.DataFrame:
    """Each council's snapshots: open cases and cases under two readings, with each value's layer.

    A snapshot can mix layers (Birmingham, 19 August 2010: published totals, simulated split of
    the 852 and 232 between other staff and no one); the `layer` column then names both.
    """
    labelled = timelines.copy()
    mixed = labelled.groupby(["council_code", "snapshot_date"])["layer"].transform(
        lambda s: "+".join(sorted(set(s))))
    labelled["layer"] = mixed
    by = ("council_code", "council", "snapshot_date", "layer", "case_type")
    table = open_caseload(labelled, by=by)[list(by) + ["count"]].rename(columns={"count": "open_cases"})
    for name in ("no_professional", "no_qualified_social_worker"):
        got = count_under(labelled, name, by=by)[list(by) + ["count", "qualifier"]]
        table = table.merge(got.rename(columns={"count": name, "qualifier": f"{name}_qualifier"}), on=list(by), how="outer")
    official = official_2010()
    table["dfe_comparable_31_march_2010"] = [official.loc[c, DFE_MEASURE[t]] if c in official.index else pd.NA
                                  for c, t in zip(table["council_code"], table["case_type"])]
    return table.sort_values(["council", "snapshot_date", "case_type"]).reset_index(drop=True)
