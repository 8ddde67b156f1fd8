"""Comparing two rounds: across boundary changes, on one definition, only on questions asked the
same way, with every council asked accounted for. What notebook 07-rounds shows.

Boundary changes. Councils are compared in the smallest groups that cover the same area in both
rounds, built from `data/reference/council_changes.csv` (each reorganisation with its statutory
instrument): a reorganisation that took effect between the two rounds' dates joins the councils
before it and after it into one group. So {Bournemouth, Poole, Dorset} of 2010 is compared with
{Bournemouth, Christchurch and Poole, Dorset Council} (Christchurch moved from the old county to
BCP), Northamptonshire with North and West Northamptonshire, Cumbria with Cumberland and
Westmorland and Furness. A change of ONS code alone keeps the DfE code: the same council.

A group is compared in a round only when every council of it in that round gave figures: a
part of an area is not the area. Otherwise the group is listed, with who did not answer, and
not compared. Changes carry bounds: the least the later figure can be less the most the earlier
can be, and the other way round.

Questions. Each round's request says, in its table, which categories were asked the same way as
in 2010 (`asked_same_way`). A definition is compared only when every category it counts was asked
the same way in both; otherwise both rounds' figures are shown side by side and not compared.

Every council asked. `accounting` gives one row per council asked in a round with what happened
(figures, refused, not held, no answer; for 2010, whose requests were not recorded: a return in
the data or none); `responders` compares the councils that gave figures with those that did not on
DfE's figures of the round's own year, with a permutation test of whether they differ.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from unallocated import display
from unallocated.model.categories import count_under, get_definition, open_caseload
from unallocated.rounds import dataset, tracker
from unallocated.rounds import round as rounds
from unallocated.sources import councils

#: Outcomes of a request, as `accounting` writes them.
OUTCOMES = ("gave figures", "gave some figures", "refused", "not held", "no answer yet",
            "waiting for our clarification", "withdrawn", "return in the data", "no return in the data")


# --- every council asked ---------------------------------------------------------------------

def accounting(r: rounds.Round | str, returns: pd.DataFrame | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """One row per council the round asked: code, name, region, `outcome` (one of `OUTCOMES`),
    `status` (the tracker's, empty for 2010), `has_figures` (rows in the round's returns)."""
    r = rounds.get(r)
    returns = dataset.round(r.name) if returns is None else returns
    with_rows = set(returns["council_code"].dropna().astype(str)) - {""}
    rows = []
    if r.tracker_path.exists():
        table = tracker.load(r.tracker_path)
        for _, t in table.iterrows():
            status = t["status"]
            outcome = {"successful": "gave figures", "partially_successful": "gave some figures", "refused": "refused",
                       "not_held": "not held", "awaiting_response": "no answer yet",
                       "clarification_needed": "waiting for our clarification", "withdrawn": "withdrawn",
                       "internal_review": "refused" if t["held"] != "not_held" else "not held"}[status]
            rows.append({"council_code": t["council_code"], "council": t["council"], "region": t["region"],
                         "outcome": outcome, "status": status, "has_figures": t["council_code"] in with_rows})
    else:  # 2010: who was asked is known, what happened to the requests without a return is not
        for c in sorted(r.councils(), key=lambda c: c.old_la_code):
            has = c.old_la_code in with_rows
            rows.append({"council_code": c.old_la_code, "council": c.name, "region": c.region,
                         "outcome": "return in the data" if has else "no return in the data", "status": "",
                         "has_figures": has})
    out = pd.DataFrame(rows)
    out["round"] = r.name
    out["layer"] = r.layer  # which councils answered is part of what a simulated round simulates
    return out


def accounting_summary(table: pd.DataFrame) -> pd.DataFrame:
    """How many councils had each outcome, with the total asked: no council left out."""
    counts = table["outcome"].value_counts()
    out = pd.DataFrame({"outcome": [o for o in OUTCOMES if o in counts.index]})
    out["councils"] = out["outcome"].map(counts).astype(int)
    out = pd.concat([out, pd.DataFrame([{"outcome": "asked", "councils": len(table)}])], ignore_index=True)
    out["round"] = table["round"].iloc[0] if len(table) else ""
    out["layer"] = table["layer"].iloc[0] if len(table) else ""
    return out


# --- which questions were asked the same way --------------------------------------------------

def asked_same_way(r: rounds.Round | str) -> dict[str, str]:
    """category -> how the round asked it, from the question table of its request wording: 'yes'
    when asked as in 2010, else the difference in words. The 2010 round asked itself the same way."""
    r = rounds.get(r)
    if r.name == rounds.DEFAULT:
        return {c: "yes" for c in ("total", "allocated_qualified", "allocated_other", "unallocated")}
    out = {}
    for line in r.request_path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] in ("total", "allocated_qualified", "allocated_other", "unallocated"):
            out[cells[1]] = cells[3]
    return out


def questions(a: rounds.Round | str, b: rounds.Round | str) -> pd.DataFrame:
    """Each category: how each round asked it, and whether the two can be compared."""
    how_a, how_b = asked_same_way(a), asked_same_way(b)
    rows = []
    for category in ("total", "allocated_qualified", "allocated_other", "unallocated"):
        x, y = how_a.get(category, "not asked"), how_b.get(category, "not asked")
        rows.append({"category": category, f"asked in {rounds.get(a).name}": x, f"asked in {rounds.get(b).name}": y,
                     "compared": x.startswith("yes") and y.startswith("yes")})
    return pd.DataFrame(rows)


def comparable(definition: str, a, b) -> tuple[bool, str]:
    """Whether a definition can be compared between two rounds, and if not, why (in words)."""
    table = questions(a, b).set_index("category")
    d = get_definition(definition)
    used = sorted({category for category, _ in d.pairs})
    differ = [c for c in used if not table.loc[c, "compared"]]
    if not differ:
        return True, ""
    return False, (f"'{d.title}' counts {', '.join(differ)}, which the two rounds did not ask the same way: "
                   f"both rounds' figures are shown, not compared")


# --- groups across boundary changes -----------------------------------------------------------

def groups(a: rounds.Round | str, b: rounds.Round | str) -> pd.DataFrame:
    """The smallest groups of councils covering the same area in both rounds: one row each, with
    the councils of each round (`codes_a`, `codes_b`, `councils_a`, `councils_b`) and what
    changed (`change`: the change id, 'same council', or 'ONS code changed (same council)')."""
    a, b = rounds.get(a), rounds.get(b)
    first, last = sorted([a.councils_on, b.councils_on])
    in_a = {c.old_la_code for c in a.councils()}
    in_b = {c.old_la_code for c in b.councils()}
    parent = {code: code for code in in_a | in_b}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joined: dict[str, str] = {}
    coded: dict[str, str] = {}
    for change in councils.load_changes():
        if change["kind"] == "code_change":
            coded[change["codes_before"]] = change["change_id"]
            continue
        day = dt.date.fromisoformat(change["effective_date"])
        if not first < day <= last:
            continue
        codes = [c for c in change["codes_before"].split(";") + change["codes_after"].split(";") if c in parent]
        for c in codes[1:]:
            parent[find(c)] = find(codes[0])
        for c in codes:
            joined[c] = change["change_id"]
    members: dict[str, list[str]] = {}
    for code in sorted(parent):
        members.setdefault(find(code), []).append(code)
    rows = []
    for codes in members.values():
        ca, cb = [c for c in codes if c in in_a], [c for c in codes if c in in_b]
        change = next((joined[c] for c in codes if c in joined), "")
        if not change:
            change = "ONS code changed (same council)" if codes[0] in coded and _code_changed_between(codes[0], first, last) \
                else "same council"
        rows.append({"group": " + ".join(councils.get(c).name for c in ca) + " \u2192 " + " + ".join(councils.get(c).name for c in cb)
                     if change not in ("same council", "ONS code changed (same council)") else councils.get(codes[0]).name,
                     "codes_a": ";".join(ca), "codes_b": ";".join(cb),
                     "councils_a": "; ".join(councils.get(c).name for c in ca),
                     "councils_b": "; ".join(councils.get(c).name for c in cb), "change": change})
    out = pd.DataFrame(rows)
    return out.sort_values(["change", "group"], key=lambda s: s.map(lambda v: (v in ("same council", "ONS code changed (same council)"), v))
                           if s.name == "change" else s).reset_index(drop=True)


def _code_changed_between(code: str, first: dt.date, last: dt.date) -> bool:
    """An ONS code change of this council that DfE's files first show between the two dates."""
    for change in councils.load_changes():
        if change["kind"] == "code_change" and change["codes_before"] == code:
            year = int(change["first_dfe_year_after"] or 0)
            return first.year < year <= last.year + 1
    return False


# --- the comparison -----------------------------------------------------------------------------

def _group_figure(returns: pd.DataFrame, codes: list[str], measure: str) -> dict:
    mine = returns[returns["council_code"].isin(codes)]
    if mine.empty:
        return {"count": pd.NA, "qualifier": "not_supplied", "low": pd.NA, "high": pd.NA}
    got = (open_caseload(mine, by=()) if measure == "open cases" else count_under(mine, measure, by=())).iloc[0]
    return {k: got[k] for k in ("count", "qualifier", "low", "high")}


def compare(a: rounds.Round | str, b: rounds.Round | str, definition: str = "no_professional",
            corrected: bool = True, today: dt.date | None = None) -> pd.DataFrame:
    """One row per group and measure ('open cases', and the definition): each round's figure with
    its bounds and who answered, and the change with bounds where the group answered in full in
    both rounds and the question was asked the same way; otherwise `compared` is False and
    `why_not` says why."""
    a, b = rounds.get(a), rounds.get(b)
    ra, rb = dataset.round(a.name, corrected), dataset.round(b.name, corrected)
    acc = {a.name: accounting(a, ra, today).set_index("council_code"), b.name: accounting(b, rb, today).set_index("council_code")}
    same_def, why_def = comparable(definition, a, b)
    rows = []
    for _, g in groups(a, b).iterrows():
        for measure in ("open cases", definition):
            row = {"group": g["group"], "change": g["change"], "measure": measure}
            missing = []
            for side, r, ret, codes in (("a", a, ra, g["codes_a"]), ("b", b, rb, g["codes_b"])):
                codes = [c for c in codes.split(";") if c]
                gave = [c for c in codes if acc[r.name].loc[c, "has_figures"]]
                fig = _group_figure(ret, gave, measure)
                row.update({f"{side}_{k}": v for k, v in fig.items()})
                row[f"{side}_answered"] = f"{len(gave)} of {len(codes)}"
                missing += [f"{councils.get(c).name} ({r.name}: {acc[r.name].loc[c, 'outcome']})" for c in codes if c not in gave]
            asked_ok = measure == "open cases" or same_def
            row["compared"] = not missing and asked_ok
            row["why_not"] = "" if row["compared"] else (
                ("not every council of the group gave figures: " + "; ".join(missing)) if missing else why_def)
            if row["compared"]:
                row["change_low"] = row["b_low"] - (row["a_high"] if pd.notna(row["a_high"]) else np.nan)
                row["change_high"] = (row["b_high"] - row["a_low"]) if pd.notna(row["b_high"]) else np.nan
            else:
                row["change_low"] = row["change_high"] = np.nan
            rows.append(row)
    out = pd.DataFrame(rows)
    for side in ("a", "b"):
        out = display.with_shown(out, f"{side}_")
    out["change_shown"] = [_change_words(lo, hi) if c else "not compared" for lo, hi, c in
                           zip(out["change_low"], out["change_high"], out["compared"])]
    out["layer"] = f"{a.layer} ({a.name}); {b.layer} ({b.name})"
    return out.rename(columns={c: c.replace("a_", f"{a.name}_", 1) if c.startswith("a_") else
                               c.replace("b_", f"{b.name}_", 1) if c.startswith("b_") else c for c in out.columns})


def _change_words(low, high) -> str:
    if pd.isna(low) and pd.isna(high):
        return "unknown"
    if pd.isna(high):
        return f"at least {_signed(low)}"
    if pd.isna(low):
        return f"at most {_signed(high)}"
    return _signed(low) if low == high else f"{_signed(low)} to {_signed(high)}"


def _signed(n) -> str:
    n = int(n)
    return f"+{display.number(n)}" if n > 0 else ("0" if n == 0 else f"\u2212{display.number(-n)}")


def only_one_round(comparison: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """The groups that answered in full in one round only: listed, never dropped."""
    open_cases = comparison[comparison["measure"] == "open cases"]
    full_a = open_cases[f"{a}_answered"].map(_all_answered)
    full_b = open_cases[f"{b}_answered"].map(_all_answered)
    out = open_cases[full_a != full_b][["group", "change", f"{a}_answered", f"{b}_answered", "why_not"]].copy()
    out["answered in full in"] = np.where(full_a[full_a != full_b], a, b)
    return out.reset_index(drop=True)


def _all_answered(text: str) -> bool:
    got, of = re.match(r"(\d+) of (\d+)", text).groups()
    return got == of and of != "0"


# --- responders and non-responders -----------------------------------------------------------

#: DfE measures set beside response (the round's own year): caseloads, rates, workforce.
RESPONSE_MEASURES = {"children_in_need": "children in need", "children_in_need_rate_per_10k": "children in need per 10,000",
                     "cpp_rate_per_10k": "protection plans per 10,000", "looked_after_rate_per_10k": "looked after per 10,000",
                     "caseload_fte": "caseload per social worker (FTE)"}


def dfe_year(r: rounds.Round | str) -> int:
    """The DfE year set beside a round: 31 March of its figures' date (or of its councils' date)."""
    r = rounds.get(r)
    day = r.figures_as_at or r.councils_on
    return day.year if (day.month, day.day) >= (3, 31) else day.year - 1


def responders(r: rounds.Round | str, acc: pd.DataFrame | None = None, permutations: int = 2000,
               seed: int = 22) -> pd.DataFrame:
    """Councils that gave figures against those that did not, on DfE's figures of the round's year:
    medians of each, how many councils have the figure, and a permutation test of the difference
    in means (the share of `permutations` random splits of the same sizes with a difference at
    least as large: a small share says response is related to the measure). Official layer for
    the DfE figures; which councils answered is the round's (simulated for both rounds shipped)."""
    from unallocated.sources import reference

    r = rounds.get(r)
    acc = accounting(r) if acc is None else acc
    year = dfe_year(r)
    table = reference.load_official_stats()
    table = table[(table["geography_level"] == "la") & (table["year"] == year)]
    wide = table.pivot_table(index="old_la_code", columns="measure", values="value", aggfunc="first")
    # Rates from the counts and ONS's child population, the same way every year (DfE's own rate
    # columns are not in every year's files).
    for count, rate in (("children_in_need", "children_in_need_rate_per_10k"),
                        ("child_protection_plans", "cpp_rate_per_10k"), ("looked_after", "looked_after_rate_per_10k")):
        if count in wide and "child_population_0_17" in wide:
            wide[rate] = (10_000 * wide[count] / wide["child_population_0_17"]).round(1)
    rng = np.random.default_rng(seed)
    rows = []
    gave = acc.set_index("council_code")["has_figures"]
    for measure, label in RESPONSE_MEASURES.items():
        values = wide[measure].reindex(gave.index) if measure in wide else pd.Series(np.nan, index=gave.index)
        known = values.notna()
        x, y = values[known & gave].to_numpy(float), values[known & ~gave].to_numpy(float)
        p = _permutation_p(x, y, rng, permutations) if len(x) and len(y) else np.nan
        rows.append({"measure": label, "dfe_year": year, "responders": int(len(x)), "non_responders": int(len(y)),
                     "no_dfe_figure": int((~known).sum()),
                     "responders_median": np.median(x) if len(x) else np.nan,
                     "non_responders_median": np.median(y) if len(y) else np.nan, "p_value": p,
                     "layer": f"official (DfE {year}); response: {r.layer}"})
    regions = acc.set_index("council_code")["region"].reindex(gave.index)
    rows.append({"measure": "region (share that gave figures)", "dfe_year": year, "responders": int(gave.sum()),
                 "non_responders": int((~gave).sum()), "no_dfe_figure": 0, "responders_median": np.nan,
                 "non_responders_median": np.nan, "p_value": _region_p(regions.to_numpy(), gave.to_numpy(), rng, permutations),
                 "layer": f"response: {r.layer}"})
    return pd.DataFrame(rows)


def _region_p(regions: np.ndarray, gave: np.ndarray, rng, n: int) -> float:
    """Permutation test of a chi-square statistic: is the share that gave figures the same in every region?"""
    labels, index = np.unique(regions, return_inverse=True)

    def statistic(g):
        asked = np.bincount(index, minlength=len(labels))
        yes = np.bincount(index, weights=g.astype(float), minlength=len(labels))
        expected = asked * g.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            parts = (yes - expected) ** 2 / expected + ((asked - yes) - (asked - expected)) ** 2 / (asked - expected)
        return np.nansum(parts)

    observed, g = statistic(gave), gave.copy()
    hits = 0
    for _ in range(n):
        rng.shuffle(g)
        hits += statistic(g) >= observed - 1e-12
    return round((hits + 1) / (n + 1), 3)


def _permutation_p(x: np.ndarray, y: np.ndarray, rng, n: int) -> float:
    both = np.concatenate([x, y])
    observed = abs(x.mean() - y.mean())
    hits = 0
    for _ in range(n):
        rng.shuffle(both)
        hits += abs(both[:len(x)].mean() - both[len(x):].mean()) >= observed - 1e-12
    return round((hits + 1) / (n + 1), 3)


def response_by_region(acc: pd.DataFrame) -> pd.DataFrame:
    """Asked, gave figures and the share, by region and for England."""
    rows = []
    for region, part in [*acc.groupby("region", sort=True), ("England", acc)]:
        rows.append({"region": region, "asked": len(part), "gave_figures": int(part["has_figures"].sum()),
                     "share": f"{part['has_figures'].mean():.0%}"})
    return pd.DataFrame(rows)


def national_estimate(r: rounds.Round | str, definition: str = "no_professional", corrected: bool = True) -> pd.DataFrame:
    """An ESTIMATE for every council asked, from the councils that gave figures, labelled as one.

    Assumption: the councils that gave no figures had as many cases under the definition, per
    child in need (DfE, the round's year), as those that did. Hard bounds without it: at least
    the responders' own figure (the others had none), at most that plus every open case of the
    others (all of theirs counted)."""
    from unallocated.sources import reference

    r = rounds.get(r)
    returns = dataset.round(r.name, corrected)
    acc = accounting(r, returns)
    year = dfe_year(r)
    wide = reference.wide(year=year).set_index("old_la_code")
    gave = acc.loc[acc["has_figures"], "council_code"]
    rest = acc.loc[~acc["has_figures"], "council_code"]
    mine = returns[returns["council_code"].isin(gave)]
    got = count_under(mine, definition, by=()).iloc[0]
    cin_gave = wide["children_in_need"].reindex(gave).sum(min_count=1)
    cin_rest = wide["children_in_need"].reindex(rest).sum(min_count=1)
    no_dfe = int(wide["children_in_need"].reindex(rest).isna().sum())
    rate = got["count"] / cin_gave if cin_gave else np.nan
    estimate = got["count"] + rate * (cin_rest if pd.notna(cin_rest) else 0)
    low = got["low"]
    high = got["high"] + (cin_rest if pd.notna(cin_rest) else np.nan) if pd.notna(got["high"]) else np.nan
    return pd.DataFrame([{
        "definition": get_definition(definition).name, "councils_asked": len(acc), "gave_figures": len(gave),
        "responders_figure": display.show_row(got), "estimate_all_asked": f"about {display.number(round(estimate))}",
        "hard_bounds": f"{display.number(low)} to {display.number(high) if pd.notna(high) else 'no upper bound'}",
        "assumption": (f"ESTIMATE: the {len(rest)} councils without figures are assumed to have as many cases per child "
                       f"in need (DfE, 31 March {year}) as the {len(gave)} with figures"
                       + (f"; {no_dfe} of them have no DfE figure and add nothing" if no_dfe else "")),
        "layer": f"{r.layer} counts; official denominators",
    }])
