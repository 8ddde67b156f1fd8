"""The investigation's tables: what the notebooks show, computed here so they stay thin and tested.

Every table carries a `layer` column (`simulated` for numbers from the shipped 2010 returns,
`official` for DfE/ONS statistics, `published` for what the coverage printed; joined with "+"
when a total mixes them) and a `view` column: `as_corrected` (the corrections register applied:
Barnsley, 6 December 2010) or `as_published` (the returns as received, before the correction).
A national table also says in `rests_on` how many councils of each layer its totals rest on
("89 councils: 1 real return, 88 simulated"; `unallocated.analysis.layers`), and the headline
how many of the figures each total adds came from a person's reading (`from_a_person`). The national tables hold both views, corrected first,
so a notebook shows the corrected figure with the published one beside it. A count keeps its
`count`, `qualifier`, `low` and `high` columns, and the text a reader sees is in `shown`,
derived from them by `unallocated.display` ("397 to 406", "about 11,758 (11,704 to 19,813)").
"""
from __future__ import annotations

import pandas as pd

from unallocated import display
from unallocated.analysis import layers
from unallocated.model import categories, corrections
from unallocated.sources import councils, reference
from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under, get_definition, open_caseload

#: Case-type labels for tables and charts.
CASE_TYPE_LABELS = {"cp": "Child protection", "lac": "Looked after", "cin": "Children in need"}

#: The views every national table holds, in the order shown (the corrected view first).
VIEWS = ("as_corrected", "as_published")

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


def view_of(returns: pd.DataFrame) -> str:
    """'as_corrected' if a correction has been applied to these returns, else 'as_published'."""
    if "correction" in returns.columns and returns["correction"].notna().any():
        return "as_corrected"
    return "as_published"


def corrections_applied(returns: pd.DataFrame | None = None) -> str:
    """Which corrections the corrected view applies, in words: 'Barnsley, Community Care, 6 December
    2010'. Without corrected returns, the 2010 coverage's register; with them (a `correction`
    column), the corrections they carry, from any round's register (a later round's own is a
    council's right of reply, and says so)."""
    coverage = corrections.load_corrections()
    register = coverage
    if returns is not None and "correction" in returns.columns:
        used = set(returns["correction"].dropna())
        every = corrections.load_every_register()
        register = every[every["correction_id"].isin(used)] if used else every.iloc[:0]
    if register.empty:
        return "none"
    from_coverage = set(coverage["correction_id"])
    return "; ".join(f"{r.council}, {'Community Care' if r.correction_id in from_coverage else 'right of reply'}, "
                     f"{r.correction_date.day} {r.correction_date:%B %Y}" for r in register.itertuples())


_VIEW_CACHE: list = []


def views(returns: pd.DataFrame, wanted: tuple[str, ...] = VIEWS) -> dict[str, pd.DataFrame]:
    """The returns in each wanted view. Returns already corrected give only the corrected view
    (a correction cannot be undone); the last result is remembered, so a notebook's tables share
    one application of the register."""
    if view_of(returns) == "as_corrected":
        return {"as_corrected": returns} if "as_corrected" in wanted else {}
    out = {}
    for view in wanted:
        if view == "as_published":
            out[view] = returns
        else:
            if _VIEW_CACHE and _VIEW_CACHE[0] is returns:
                corrected = _VIEW_CACHE[1]
            else:
                corrected = corrections.apply_corrections(returns)
                _VIEW_CACHE[:] = [returns, corrected]
            out[view] = corrected
    return out


def _with_corrections(table: pd.DataFrame, chosen: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Record on the table (`attrs["corrections"]`) which corrections its corrected view applied,
    so a chart can name them (the 2010 coverage's Barnsley, or a later round's own)."""
    corrected = chosen.get("as_corrected")
    used = () if corrected is None or "correction" not in corrected.columns else \
        tuple(sorted(set(corrected["correction"].dropna())))
    table.attrs["corrections"] = used
    return table


def _finish(table: pd.DataFrame, returns: pd.DataFrame, view: str, prefix: str = "") -> pd.DataFrame:
    """Add `shown` (from count/qualifier/low/high), `view`, `layer` and `rests_on`."""
    table = display.with_shown(table, prefix) if f"{prefix}qualifier" in table.columns else table.copy()
    table["view"] = view
    table["layer"] = layer_of(returns)
    table["rests_on"] = layers.rests_on(returns)
    return table


def national_rows(returns: pd.DataFrame) -> pd.DataFrame:
    """The rows a national total counts: those with a council_code (ingest leaves it empty for a
    council out of scope, not existing at the round's date, or not recognised; see issues.csv)."""
    return returns[returns["council_code"].fillna("").astype(str) != ""]


def left_out(returns: pd.DataFrame) -> pd.DataFrame:
    """The councils in the returns that no national total, chart or ranking counts, one row each:
    `council` as the file named it, `files` (their sources' files) and `why` (not recognised, out
    of scope or not existing at the round's date: ingest's issues.csv says which)."""
    rows = returns[returns["council_code"].fillna("").astype(str) == ""]
    out = []
    for name, group in rows.groupby(rows["council"].fillna("(no council named)").astype(str), sort=True):
        files = sorted({str(s).split("!", 1)[0] for s in group["source"].dropna()})
        out.append({"council": name, "files": "; ".join(files), "rows": len(group),
                    "why": "not a council of 2010 the project knows (see issues.csv)"})
    return pd.DataFrame(out, columns=["council", "files", "rows", "why"])


def _one_headline(returns: pd.DataFrame, definition: str, view: str) -> pd.DataFrame:
    returns = national_rows(returns)
    by_type = count_under(returns, definition, by=("case_type",))
    by_type = by_type.set_index("case_type").reindex(list(CASE_TYPES)).reset_index()
    total = count_under(returns, definition, by=()).assign(case_type="total")
    table = pd.concat([by_type, total], ignore_index=True)
    table.insert(1, "label", table["case_type"].map({**CASE_TYPE_LABELS, "total": "All three"}))
    table["definition"] = get_definition(definition).name
    table["from_a_person"] = [layers.reviewed_count(returns, definition, list(CASE_TYPES) if t == "total" else [t])
                              for t in table["case_type"]]
    return _finish(table, returns, view)


def headline(returns: pd.DataFrame, definition: str = "no_professional",
             wanted: tuple[str, ...] = VIEWS) -> pd.DataFrame:
    """Cases under a definition by case type, plus the total: the 'more than 8,000' table.

    One block of rows per view (corrected first): case_type, label, count, qualifier, low, high,
    councils, definition, shown, view, layer. Pass the returns as received.
    """
    chosen = views(returns, wanted)
    return _with_corrections(pd.concat([_one_headline(r, definition, v) for v, r in chosen.items()], ignore_index=True),
                             chosen)


def council_counts(returns: pd.DataFrame, definition: str) -> pd.DataFrame:
    """One row per council and case type, with a column per measure used by the share figures."""
    return count_under(returns, definition, by=("council_code", "case_type"))


def _one_shares(returns: pd.DataFrame, n: int, view: str) -> pd.DataFrame:
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
    table = pd.DataFrame([
        {"share_id": key, "what": what, "councils": len(codes["best"]), "councils_low": len(codes["low"]),
         "councils_high": len(codes["high"]), "of_councils": n,
         "councils_shown": display.show(len(codes["best"]), "exact" if len(codes["low"]) == len(codes["high"])
                                        else "at_most", len(codes["low"]), len(codes["high"])),
         "percent": round(100 * len(codes["best"]) / n, 1), "percent_rounded": round(100 * len(codes["best"]) / n),
         "percent_shown": display.share_range(len(codes["low"]) / n, len(codes["high"]) / n)}
        for key, what, codes in rows
    ])
    return _finish(table, returns, view)


def published_shares(returns: pd.DataFrame, responding: int | None = None,
                     wanted: tuple[str, ...] = VIEWS) -> pd.DataFrame:
    """The four shares of councils the coverage printed, recomputed from the returns, in each view.

    cp_no_professional: councils with child protection cases allocated to no professional (6%).
    cp_other_only: councils with CP cases held by other professionals but none unallocated (a further 3%).
    lac_not_qualified: councils with looked-after cases unallocated or with non-qualified staff (16%).
    cin_unallocated: councils with unallocated children-in-need cases (49%).

    `councils` counts councils whose best figure is 1 or more; `councils_low` those certain to
    have one (a withheld or unreadable count is not assumed to be zero, nor to be more), and
    `councils_high` those that may have one; `councils_shown` and `percent_shown` say it in words
    ("43 to 44", "48.3% to 49.4%": Barnsley's corrected children in need are 0 to 9). The
    percentage the coverage printed is in the register of published figures, not here.
    """
    returns = national_rows(returns)
    n = responding or int(returns["council_code"].dropna().nunique())
    return pd.concat([_one_shares(r, n, v) for v, r in views(returns, wanted).items()], ignore_index=True)


def dfe_year(returns: pd.DataFrame) -> int:
    """The year of the DfE figures to set beside returns: the last 31 March on or before their
    earliest snapshot date (2010 for the returns of autumn 2010; 2025 for figures asked at 31
    March 2025). Returns without a date are taken to be 2010's."""
    dates = pd.to_datetime(returns.get("snapshot_date", pd.Series(dtype="string")), errors="coerce").dropna()
    if dates.empty:
        return 2010
    first = dates.min()
    return first.year if (first.month, first.day) >= (3, 31) else first.year - 1


def official_2010() -> pd.DataFrame:
    """Each council's official caseloads at 31 March 2010 (layer: official)."""
    return official_at(2010)


def official_at(year: int) -> pd.DataFrame:
    """Each council's official caseloads at 31 March `year` (layer: official)."""
    table = reference.wide(year=year)
    # A return's `cin` row counts children in need other than CP and LAC (see the data
    # dictionary); DfE's children-in-need figure includes both, so subtract them to compare.
    table["cin_other_than_cp_lac"] = table["children_in_need"] - table["child_protection_plans"] - table["looked_after"]
    return table.set_index("old_la_code")


#: Why a council in the returns is not ranked.
NOT_RANKED_NO_DFE = "no DfE count of children in need at 31 March 2010 to rank them by"


def not_ranked_no_dfe(year: int) -> str:
    return NOT_RANKED_NO_DFE.replace("2010", str(year))


def ranking(returns: pd.DataFrame, definition: str = "no_professional",
            case_type: str | None = None, view: str = "as_corrected") -> pd.DataFrame:
    """Councils ranked by cases under a definition per 100 open cases, in one view (default corrected).

    Two denominators are shown side by side: the council's own count of open cases in its
    return (simulated layer here) and DfE's count at 31 March 2010 (official layer). The rank
    uses DfE's, so councils are compared on the same, real, footing; where DfE has no figure
    (Derbyshire's children in need in 2010) the council is unranked, not ranked on zero, and
    `not_ranked` says why. The rank is on the best figure; `per_100_dfe_low` / `_high` carry the
    bounds, so a chart can say when a lead is not certain.
    """
    chosen = views(returns, (view,))
    if not chosen:
        raise ValueError(f"returns already corrected: no {view!r} view of them")
    returns = national_rows(chosen[view])
    year = dfe_year(returns)
    types = [case_type] if case_type else list(CASE_TYPES)
    subset = returns[returns["case_type"].isin(types)]
    counts = count_under(subset, definition, by=("council_code",))
    opened = open_caseload(subset, by=("council_code",))[["council_code", "count"]].rename(columns={"count": "open_cases_in_return"})
    table = counts.merge(opened, on="council_code", how="left")
    official = official_at(year)
    dfe_column = f"dfe_open_cases_{year}"
    measure = DFE_MEASURE[case_type] if case_type else "children_in_need"
    table[dfe_column] = table["council_code"].map(official[measure])
    table["council"] = table["council_code"].map(official["name"])
    table["per_100_return"] = (100 * table["count"].astype("float64") / table["open_cases_in_return"].astype("float64")).round(1)
    dfe = table[dfe_column].astype("float64")
    table["per_100_dfe"] = (100 * table["count"].astype("float64") / dfe).round(1)
    table["per_100_dfe_low"] = (100 * table["low"].astype("float64") / dfe).round(1)
    table["per_100_dfe_high"] = (100 * table["high"].astype("float64") / dfe).round(1)
    table["rank"] = table["per_100_dfe"].rank(ascending=False, method="min").astype("Int64")
    table["not_ranked"] = table["per_100_dfe"].isna().map({True: not_ranked_no_dfe(year), False: ""})
    table = table.sort_values(["rank", "council"], na_position="last").reset_index(drop=True)
    table["definition"] = get_definition(definition).name
    table["case_types"] = "+".join(types)
    table = display.with_shown(table)
    table["view"] = view
    # Each council's own layer: a real return is never labelled simulated, nor the reverse.
    own = layers.layer_by_council(returns)
    table["layer"] = [f"{own.get(str(c), 'none')} counts; official denominators" for c in table["council_code"]]
    table["rests_on"] = layers.rests_on(returns)
    table = table[["rank", "council_code", "council", "count", "qualifier", "low", "high", "shown",
                   "open_cases_in_return", "per_100_return", dfe_column, "per_100_dfe", "per_100_dfe_low",
                   "per_100_dfe_high", "not_ranked", "definition", "case_types", "view", "layer", "rests_on"]]
    return _with_corrections(table, chosen)


def under_every_definition(returns: pd.DataFrame, wanted: tuple[str, ...] = VIEWS) -> pd.DataFrame:
    """The headline by case type under each definition, narrowest first (long form), in each view."""
    chosen = views(returns, wanted)
    return _with_corrections(pd.concat([headline(returns, name, wanted) for name in DEFINITIONS], ignore_index=True),
                             chosen)


#: Each step of the walk from the widest reading to the narrowest: what it takes away.
WALK_STEPS: list[tuple[str, set[tuple[str, str]]]] = [
    ("held by other professionals", {("allocated_other", d) for d in categories.OTHER_ROLES}),
    ("in transit between teams", {("unallocated", "in_transit")}),
    ("worked by a partner agency", {("unallocated", "partner_agency")}),
    ("financial payments only", {("unallocated", "financial_only")}),
    # Last, so the walk passes through the retired social worker's reading on its way.
    ("awaiting closure", {("unallocated", "awaiting_closure")}),
]

_MEASURES = ("count", "qualifier", "low", "high")


def _one_walk(returns: pd.DataFrame, view: str) -> pd.DataFrame:
    remaining_pairs = set(get_definition("no_qualified_social_worker").pairs)
    reached = {frozenset(d.pairs): name for name, d in DEFINITIONS.items()}
    returns = national_rows(returns)
    start = count_under(returns, "no_qualified_social_worker", by=()).iloc[0]
    rows = [{"step": "no qualified social worker", **{f"removed_{m}": pd.NA for m in _MEASURES},
             **{m: start[m] for m in _MEASURES}, "definition_reached": "no_qualified_social_worker"}]
    for label, pairs in WALK_STEPS:
        removed_def = categories.Definition(name=f"walk:{label}", title=label, description=label,
                                            pairs=frozenset(pairs))
        removed = count_under(returns, removed_def, by=()).iloc[0]
        remaining_pairs -= pairs
        left = count_under(returns, categories.Definition(name="walk", title="", description="",
                                                          pairs=frozenset(remaining_pairs)), by=()).iloc[0]
        rows.append({"step": f"less {label}", **{f"removed_{m}": removed[m] for m in _MEASURES},
                     **{m: left[m] for m in _MEASURES},
                     "definition_reached": reached.get(frozenset(remaining_pairs), "")})
    table = pd.DataFrame(rows)
    table = display.with_shown(table, "removed_")
    table.loc[table["removed_count"].isna(), "removed_shown"] = ""
    return _finish(table, returns, view)


def walk(returns: pd.DataFrame, wanted: tuple[str, ...] = VIEWS) -> pd.DataFrame:
    """From 'no qualified social worker' down to the councils' reading, one reason at a time.

    Each row removes one group of cases (`removed_*`); `count` (with its qualifier and bounds)
    is what is left under the reading reached, named in `definition_reached`. One block per view.
    """
    chosen = views(returns, wanted)
    return _with_corrections(pd.concat([_one_walk(r, v) for v, r in chosen.items()], ignore_index=True), chosen)


def named_councils(returns: pd.DataFrame, corrected: pd.DataFrame | None = None,
                   wanted: tuple[str, ...] = VIEWS) -> pd.DataFrame:
    """The councils the coverage named: their counts under every definition in each view, beside
    what they said (long form: one row per council, definition and view). What they said was said
    of the 2010 round: for another round's returns the table has the same columns and no rows."""
    chosen = views(returns, wanted)
    if dfe_year(returns) != 2010:
        empty = pd.DataFrame(columns=["council", "council_code", "in_returns", "definition", *_MEASURES,
                                      "what_the_council_said", "source", "view", "shown", "layer"])
        return empty
    if corrected is not None and "as_corrected" in chosen:
        chosen["as_corrected"] = corrected
    records = []
    for name, (said, source) in NAMED_COUNCILS.items():
        code = councils.resolve(name).old_la_code
        for view, table in chosen.items():
            mine = table[table["council_code"] == code]
            for definition in DEFINITIONS:
                row = {"council": name, "council_code": code, "in_returns": not mine.empty, "definition": definition}
                if mine.empty:
                    row.update({"count": pd.NA, "qualifier": "not_supplied", "low": pd.NA, "high": pd.NA})
                else:
                    got = count_under(mine, definition, by=()).iloc[0]
                    row.update({m: got[m] for m in _MEASURES})
                row.update({"what_the_council_said": said, "source": source, "view": view})
                records.append(row)
    table = display.with_shown(pd.DataFrame(records))
    own = layers.layer_by_council(returns)
    table["layer"] = [own.get(str(c), "none") for c in table["council_code"]]
    return table


def corrected_national(returns: pd.DataFrame, definition: str = "no_professional") -> pd.DataFrame:
    """National figures by case type and in total, as published and as corrected, side by side
    (wide: published_* and corrected_* columns; `long_views` turns it into one row per view)."""
    returns = national_rows(returns)
    by_type = corrections.as_published_and_corrected(returns, definition, by=("case_type",))
    total = corrections.as_published_and_corrected(returns, definition, by=()).assign(case_type="total")
    by_type = by_type.set_index("case_type").reindex(list(CASE_TYPES)).reset_index()
    table = pd.concat([by_type, total], ignore_index=True)
    table.insert(1, "label", table["case_type"].map({**CASE_TYPE_LABELS, "total": "All three"}))
    table["published_shown"] = [display.show_row(r, "published_") for _, r in table.iterrows()]
    table["corrected_shown"] = [display.show_row(r, "corrected_") for _, r in table.iterrows()]
    table["corrected_range"] = table["corrected_shown"]
    table["definition"] = definition
    table["layer"] = layer_of(returns)
    table["rests_on"] = layers.rests_on(returns)
    corrected = corrections.apply_corrections(returns)
    table.attrs["corrections"] = tuple(sorted(set(corrected["correction"].dropna())))
    return table


def long_views(wide: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """A published_*/corrected_* side-by-side table as one row per view (corrected first), with
    count, qualifier, low, high, shown and view; `change_low`/`change_high` stay on corrected rows."""
    measures = ["count", "qualifier", "low", "high"]
    side = {f"{p}_{m}" for p in ("published", "corrected") for m in [*measures, "shown"]} | {"corrected_range"}
    common = [c for c in wide.columns if c not in side and c not in ("change_low", "change_high", "layer", "rests_on")]
    keys = keys or common
    blocks = []
    for view, prefix in (("as_corrected", "corrected_"), ("as_published", "published_")):
        block = wide[keys].copy()
        for m in measures:
            block[m] = wide[f"{prefix}{m}"]
        block = display.with_shown(block)
        for c in ("change_low", "change_high"):
            if c in wide.columns:
                block[c] = wide[c] if view == "as_corrected" else pd.NA
        block["view"] = view
        for c in ("layer", "rests_on"):
            if c in wide.columns:
                block[c] = wide[c]
        blocks.append(block)
    return pd.concat(blocks, ignore_index=True)


def ranking_change(returns: pd.DataFrame, definition: str = "no_professional") -> pd.DataFrame:
    """Councils whose rank moves with the corrections: one row per council and view, largest move first."""
    after = ranking(returns, definition, view="as_corrected")
    before = ranking(returns, definition, view="as_published")
    moved = before[["council_code", "rank"]].merge(after[["council_code", "rank"]], on="council_code",
                                                  suffixes=("_published", "_corrected"))
    moved["rank_change"] = moved["rank_published"] - moved["rank_corrected"]
    moved = moved[moved["rank_change"].fillna(0) != 0]
    order = moved.reindex(moved["rank_change"].abs().sort_values(ascending=False, kind="stable").index)
    keep = ["council_code", "council", "rank", "count", "qualifier", "low", "high", "shown", "per_100_dfe",
            "definition", "view", "layer"]
    blocks = []
    for table in (after, before):
        block = order[["council_code", "rank_change"]].merge(table[keep], on="council_code", how="left")
        blocks.append(block)
    out = pd.concat(blocks, ignore_index=True)
    return out[["council_code", "council", "view", "rank", "rank_change", *keep[3:-2], "layer"]]


# --- one council ------------------------------------------------------------------------------

def council_counts_by_definition(returns: pd.DataFrame, code: str) -> pd.DataFrame:
    """A council's cases by case type under every definition (empty when it sent no return).

    `code` is a DfE code or any name the resolver takes ("Barnsley", "370"); a council the
    resolver cannot find raises `CouncilNotFound` naming it."""
    code = councils.resolve(code).old_la_code
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
    the 852 and 232 between other staff and no one); the `layer` column then names both. Each
    reading has its count (named after the definition), `_qualifier`, `_low`, `_high` and
    `_shown`. The view is as published: no correction in the register concerns these snapshots.
    """
    labelled = timelines.copy()
    mixed = labelled.groupby(["council_code", "snapshot_date"])["layer"].transform(
        lambda s: "+".join(sorted(set(s))))
    labelled["layer"] = mixed
    by = ("council_code", "council", "snapshot_date", "layer", "case_type")
    table = open_caseload(labelled, by=by)[list(by) + ["count"]].rename(columns={"count": "open_cases"})
    for name in ("no_professional", "no_qualified_social_worker"):
        got = count_under(labelled, name, by=by)[list(by) + list(_MEASURES)]
        got = display.with_shown(got, column=f"{name}_shown")
        table = table.merge(got.rename(columns={"count": name, **{m: f"{name}_{m}" for m in _MEASURES[1:]}}),
                            on=list(by), how="outer")
    official = official_2010()
    table["dfe_comparable_31_march_2010"] = [official.loc[c, DFE_MEASURE[t]] if c in official.index else pd.NA
                                  for c, t in zip(table["council_code"], table["case_type"])]
    from unallocated.model import published

    # Which of the two readings the coverage printed on that date: the rest is simulated, even
    # where it sits beside published totals (Birmingham's split of its 852).
    for name in ("no_professional", "no_qualified_social_worker"):
        table[f"{name}_printed"] = [
            published.on_date(str(council), str(t), str(date)[:10], name) is not None
            for council, t, date in zip(table["council"], table["case_type"], table["snapshot_date"])]
    # No correction in the register concerns these councils and dates: both views are the same.
    table["view"] = "as_published"
    return table.sort_values(["council", "snapshot_date", "case_type"]).reset_index(drop=True)
