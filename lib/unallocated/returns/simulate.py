"""SIMULATED 2010 FOI returns: a seeded generator that writes the returns the project runs on.

Why this exists
---------------
The 89 councils' real answers to Community Care's 2010 Freedom of Information request were never
published. To run end to end, the project makes a *simulated* set: 89 returns whose numbers agree
with every figure the coverage printed, sized against each council's real DfE caseload at
31 March 2010, and written out as the untidy spreadsheets councils really send. Nothing here is a
real council figure except the published ones, and every file says so on its face (a "Notes:"
cell reading "SIMULATED return made by the unallocated project; not a real council figure").

Command: ``python -m unallocated simulate`` (``make simulate``). Same seed, same bytes.

What it writes (all paths relative to the project root)
-------------------------------------------------------
* ``data/raw/returns/2010/``: the 89 returns (76 files: one compiled sheet holds several
  councils) and ``manifest.csv`` (file, council, council_code, layout, layer, snapshot_date; one
  row per council, so a compiled file appears once per council it holds). Nothing else.
* ``data/raw/returns/2010_vs_dfe.csv``: each council's returned open caseload beside its DfE
  figure, the DfE year used, the ratio and whether a published figure overrode the simulation.
* ``data/raw/returns/timelines/``: Essex (Dec 2009 to Jun 2010) and Birmingham (19 Aug 2010)
  snapshots, with their own ``manifest.csv``. Published figures sit in files of layer
  ``published``; what is filled in between sits in separate files of layer ``simulated``.
* ``data/simulated/2010_returns_truth.csv``: the tidy table (``schema.RETURN_COLUMNS``) that
  reading ``data/raw/returns/2010/`` must give back, row for row.
* ``data/simulated/2010_planted_issues.csv``: the cells planted to be unreadable, which the
  reader must report in issues.csv, and nothing else.
* ``data/simulated/timelines_truth.csv``: the same for the timelines.

Choices, and how each tension is resolved
-----------------------------------------
1. **"Almost 80" child protection cases**: the national CP total under ``no_professional`` is
   79. "Almost" means fewer than 80; 79 is the nearest whole number below it, and the headline
   still clears "more than 8,000" (79 + 448 + 7,811 = 8,338). The brief's sum 8,339 used 80.
2. **Which definition each published sentence implies.** The national totals 79 / 448 / 7,811
   and the four shares are read as ``no_professional`` (cases the councils listed as having no
   one allocated), except the LAC share, whose sentence counts "unallocated *or* allocated to
   non-qualified professionals" (``no_qualified_social_worker``), and the "further 3%", which
   counts councils whose CP cases were held by non-qualified staff but none unallocated.
   Birmingham's 58 CP / 644 LAC / 736 CIN "unallocated to a social worker" are read as
   ``no_qualified_social_worker`` (unallocated + allocated_other): 644 LAC cannot all be "no one
   allocated" inside a national 448. Birmingham's split (simulated): CP 38 unallocated + 20
   other staff; LAC 205 + 439; CIN 301 + 435.
3. **Shares of 89 councils, rounding checked**: CP unallocated 5/89 = 5.6% -> 6% (4 gives 4%,
   6 gives 7%); a further 3/89 = 3.4% -> 3%; LAC unallocated or non-qualified 14/89 = 15.7% ->
   16% ("nearly one in six"; 13 gives 15%, 15 gives 17%); CIN unallocated 44/89 = 49.4% -> 49%
   ("almost half"; 43 gives 48%, 45 gives 51%). Each count is the only one that rounds right.
4. **Barnet's 18%.** The council said its "unallocated" LAC cases were in fact held by social
   work assistants, trainees, family support and leaving-care workers, and the magazine replied
   that it had asked for exactly that. So the simulated return carries them as ``allocated_other``
   split across those four roles (as the council says it answered), and the coverage's "18%
   unallocated" is that figure read under ``no_qualified_social_worker``. They are not in the
   national 448. The LAC total is the DfE count (310) scaled like every other council, and the
   number chosen so that allocated_other / total rounds to 18%.
5. **Barnsley** returned 51 LAC and 114 CIN as ``unallocated`` (no reason given) and nothing as
   other staff: the return carries the wrong figures as returned. The correction register
   (``data/corrections.csv``) restates them later (156 to other professionals, 9 unallocated);
   the generator never applies it.
6. **Portsmouth 132 of 407 LAC, Brighton and Hove 132 of 404 LAC** are allocated_other with no
   unallocated LAC; the published totals win over DfE's 295 and 465 (Portsmouth +38%, outside the
   tolerance), and the difference is recorded in ``2010_vs_dfe.csv`` with ``published_total``.
   "Brighton and Hove 132 of 404" does not name the case type; the article's context implies LAC.
7. **Derbyshire + Lincolnshire "over one thousand" CIN between them**: a seeded total between
   1,001 and 1,099, split roughly by caseload, each council's unallocated broken down by reason
   (awaiting closure, partner agency, financial payments only, and some with no reason).
8. **Sunderland** 7 CP cases unallocated, reason in transit between teams, written in a
   letter-style answer: "7 (these were in transit between teams)".
9. **What a return's ``cin`` means.** DfE's children-in-need count at 31 March includes children
   on protection plans and looked-after children. A return's ``cin`` row counts the *other*
   children-in-need cases, so its expected size is DfE CIN minus CPP minus LAC (this is what
   makes Birmingham's published August 2010 CIN caseload, 3,639, sit beside DfE's
   7,173 - 1,241 - 2,035 = 3,897).
10. **Caseload sizing and tolerance.** Each returned total is the DfE expected figure times a
    seeded factor in [0.90, 1.10] (the snapshot is seven months after 31 March); tests allow
    +/-15%. Published totals win where they differ. Where DfE has no 2010 figure (``..``) the
    2011 figure is used, then 2012 (Derbyshire CIN and CPP 2010 are ``..``: 2011 used; Hackney
    CIN is ``..`` in 2010 and 2011: 2012 used); the year used is in ``2010_vs_dfe.csv``.
    Havering has no CIN figure in 2010, 2011 or 2012, so it is never drawn. No council's
    unallocated (or other-staff) cases exceed its caseload: caps of 15% (CP), 35% (LAC) and 30%
    (CIN) of the total apply to simulated values, and Birmingham's published ones fit.
11. **Which 89 councils answered is unknown.** The eight named councils are in; the other 81 are
    drawn by the seed from the remaining 143 councils with figures. The set is simulated.
12. **Snapshot dates** are simulated: each council counts on one of a few October / early
    November 2010 days, before the 16 November article.
13. **Markers.** ``<5`` is read as 4 (at_most), ``c. 40`` as 40 (approx), ``n/a`` as no number
    (not_supplied), ``nil`` as exact 0, "1,234" as 1234. They appear only in cells no published
    figure depends on (other-staff CIN counts, zero cells), so every published total stays exact.
14. **Planted problems.** A few cells hold text no reader can turn into a count ("see covering
    letter", "5%"). Their rows are in the truth table with an empty count (not_supplied) and the
    cells are listed in ``2010_planted_issues.csv``.
15. **Essex timeline.** Published: more than 1,000 unallocated CIN in February 2010 (count 1,001,
    at_least), none on the at-risk register (CP unallocated 0). Simulated: December 2009 (1,866:
    the published fall of more than 800 from at least 1,001 needs more than 1,801), the totals
    (CP + LAC + CIN above the published "more than 8,000"), and March to June 2010 (whether the
    end-of-May target was met was not published; the simulated path falls but does not claim
    it was). The emergency team of 21 social workers is context, not a count.
16. **Birmingham 19 August 2010.** Published: CIN total 3,639 and 2,787 with a qualified social
    worker (852 without); LAC total 1,999 and 232 without a qualified social worker, so 1,767
    with one (derived by subtraction, said in the file). Simulated: how the 852 and 232 split
    between other staff and no one.

The DfE caseloads come from ``unallocated.sources.reference.load_official_stats()`` (the committed
reference table derived from the raw DfE files), through `dfe_caseloads()`.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from unallocated import paths
from unallocated.schema import RETURN_COLUMNS
from unallocated.returns.template import xlsx_bytes

SEED = 20101116
N_COUNCILS = 89
SIMULATED_NOTE = "SIMULATED return made by the unallocated project; not a real council figure"
NOTE_CELL_TEXT = f"Notes: {SIMULATED_NOTE}"

RETURNS_2010 = Path("data/raw/returns/2010")
TIMELINES = Path("data/raw/returns/timelines")
VS_DFE = Path("data/raw/returns/2010_vs_dfe.csv")
SIMULATED_DIR = Path("data/simulated")
TRUTH = SIMULATED_DIR / "2010_returns_truth.csv"
PLANTED = SIMULATED_DIR / "2010_planted_issues.csv"
TIMELINES_TRUTH = SIMULATED_DIR / "timelines_truth.csv"

MANIFEST_COLUMNS = ["file", "council", "council_code", "layout", "layer", "snapshot_date"]
PLANTED_COLUMNS = ["file", "sheet", "cell", "raw", "problem"]
VS_DFE_COLUMNS = ["council_code", "council", "case_type", "dfe_cin", "dfe_cin_year", "dfe_cpp",
                  "dfe_cpp_year", "dfe_lac", "dfe_lac_year", "dfe_expected", "returned_total",
                  "ratio", "within_tolerance", "published_total", "note"]
TOLERANCE = 0.15
SIZE_FACTOR = (0.90, 1.10)
CASE_TYPES = ("cp", "lac", "cin")
CAPS = {"cp": 0.15, "lac": 0.35, "cin": 0.30}

_FIXED_TIME = dt.datetime(2010, 11, 16, 0, 0, 0)
_ZIP_TIME = (2010, 11, 16, 0, 0, 0)
SNAPSHOT_DATES = ["2010-10-01", "2010-10-08", "2010-10-15", "2010-10-22", "2010-10-29",
                  "2010-11-01"]

# Published national totals under no_professional, and the share counts (see docstring 1-3).
NATIONAL = {"cp": 79, "lac": 448, "cin": 7811}
N_CP_UNALLOCATED, N_CP_FURTHER, N_LAC_ANY, N_CIN_UNALLOCATED = 5, 3, 14, 44

NAMED = ["Sunderland", "Birmingham", "Portsmouth", "Brighton and Hove", "Barnet", "Barnsley",
         "Derbyshire", "Lincolnshire"]

ROLE_LABELS = {
    "assistant": "Allocated to a social work assistant",
    "trainee": "Allocated to a trainee social worker",
    "family_support": "Allocated to a family support worker",
    "leaving_care": "Allocated to a leaving care worker",
    "other": "Allocated to other staff (not qualified social worker)",
}
REASON_LABELS = {
    "in_transit": "Unallocated - in transit between teams",
    "awaiting_closure": "Unallocated - awaiting closure",
    "partner_agency": "Unallocated - worked by a partner agency",
    "financial_only": "Unallocated - financial payments only",
    "duty_team": "Unallocated - held by duty team",
    "not_given": "Unallocated - no reason given",
}
REASON_PROSE = {
    "in_transit": "these were in transit between teams",
    "awaiting_closure": "these cases were awaiting closure",
    "partner_agency": "these cases were being worked by partner agencies",
    "financial_only": "these young people were receiving financial payments only",
    "duty_team": "these were held by the duty team pending allocation",
}
CASE_LABELS = {"cp": "Child protection (CP plan)", "lac": "Looked after children",
               "cin": "Children in need (other than CP and LAC)"}


# ============================================================================ official caseloads


def dfe_caseloads() -> pd.DataFrame:
    """Each council's DfE CIN, CPP and LAC at 31 March, 2010 where published, else 2011, else 2012.

    One row per 2010 council: old_la_code, name, and for m in cin/cpp/lac the value `dfe_m` and
    the year used `dfe_m_year` (NaN if none of 2010-2012 has a figure). The one switch point to
    the official statistics: it reads the committed reference table.
    """
    from unallocated.sources.reference import load_official_stats

    measures = {"children_in_need": "cin", "child_protection_plans": "cpp", "looked_after": "lac"}
    t = load_official_stats()
    t = t[(t["geography_level"] == "la") & t["year"].isin([2010, 2011, 2012])
          & t["measure"].isin(list(measures))]
    from unallocated.sources.councils import load_councils

    councils = load_councils()
    councils = councils[councils["in_2010"].astype(str) == "True"][["old_la_code", "name"]]
    out = councils.copy().reset_index(drop=True)
    for measure, short in measures.items():
        sub = t[t["measure"] == measure]
        values, years = [], []
        for code in out["old_la_code"]:
            rows = sub[(sub["old_la_code"] == code) & sub["value"].notna()].sort_values("year")
            if len(rows):
                values.append(float(rows.iloc[0]["value"]))
                years.append(int(rows.iloc[0]["year"]))
            else:
                values.append(float("nan"))
                years.append(None)
        out[f"dfe_{short}"] = values
        out[f"dfe_{short}_year"] = years
    return out


def expected_totals(row) -> dict[str, float]:
    """Expected open caseload of a return, by case type (docstring choice 9)."""
    return {"cp": row["dfe_cpp"], "lac": row["dfe_lac"],
            "cin": row["dfe_cin"] - row["dfe_cpp"] - row["dfe_lac"]}


# ============================================================================ the plan (numbers)


@dataclass
class CaseFigures:
    total: int
    unallocated: dict[str, int] = field(default_factory=dict)  # reason -> n
    other: dict[str, int] = field(default_factory=dict)  # role -> n

    @property
    def u(self) -> int:
        return sum(self.unallocated.values())

    @property
    def o(self) -> int:
        return sum(self.other.values())

    @property
    def qualified(self) -> int:
        return self.total - self.u - self.o


@dataclass
class CouncilPlan:
    code: str
    name: str
    snapshot: str
    expected: dict[str, float]
    dfe: dict
    cases: dict[str, CaseFigures] = field(default_factory=dict)
    published_total: dict[str, bool] = field(default_factory=dict)
    layout: str = ""


def _split(rng: random.Random, n: int, keys: list[str], k: int | None = None) -> dict[str, int]:
    """Split n across a seeded subset of keys (every chosen key gets at least 1 when n allows)."""
    if n <= 0:
        return {}
    k = min(k or rng.randint(1, len(keys)), len(keys), n)
    chosen = sorted(rng.sample(keys, k), key=keys.index)
    cuts = sorted(rng.sample(range(1, n), k - 1)) if k > 1 else []
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, n])]
    return dict(zip(chosen, parts))


def _allocate(rng: random.Random, total: int, sizes: list[int], caps: list[int]) -> list[int]:
    """Share `total` over councils in proportion to caseload times a seeded factor, each at least
    1 and at most its cap (largest remainders; excess beyond a cap moves to the others)."""
    weights = [s * rng.uniform(0.3, 1.7) for s in sizes]
    out = [1] * len(sizes)
    left = total - len(sizes)
    while left > 0:
        open_ = [i for i in range(len(sizes)) if out[i] < caps[i]]
        if not open_:
            raise ValueError("caps too small for the total")
        w = sum(weights[i] for i in open_)
        shares = {i: left * weights[i] / w for i in open_}
        given = 0
        for i in open_:
            add = min(int(shares[i]), caps[i] - out[i])
            out[i] += add
            given += add
        if given == 0:  # hand out the remainder one by one, biggest fractional share first
            for i in sorted(open_, key=lambda i: (-(shares[i] % 1), i)):
                if given == left:
                    break
                if out[i] < caps[i]:
                    out[i] += 1
                    given += 1
        left -= given
    return out


def plan_returns(seed: int = SEED) -> list[CouncilPlan]:
    """Decide which councils answered and every number in their returns (no files written)."""
    rng = random.Random(seed)
    dfe = dfe_caseloads()
    dfe = dfe[dfe["dfe_cin"].notna() & dfe["dfe_cpp"].notna() & dfe["dfe_lac"].notna()]
    by_name = {r["name"]: r for _, r in dfe.iterrows()}
    missing = [n for n in NAMED if n not in by_name]
    if missing:
        raise ValueError(f"named councils without DfE figures: {missing}")
    others = sorted(n for n in by_name if n not in NAMED)
    drawn = sorted(rng.sample(others, N_COUNCILS - len(NAMED)))
    names = sorted(NAMED + drawn, key=lambda n: by_name[n]["old_la_code"])

    plans: dict[str, CouncilPlan] = {}
    for name in names:
        r = by_name[name]
        exp = expected_totals(r)
        plan = CouncilPlan(code=r["old_la_code"], name=name, snapshot=rng.choice(SNAPSHOT_DATES),
                           expected=exp, dfe=r.to_dict())
        for ct in CASE_TYPES:
            plan.cases[ct] = CaseFigures(total=max(0, round(exp[ct] * rng.uniform(*SIZE_FACTOR))))
            plan.published_total[ct] = False
        plans[name] = plan

    P = plans
    # --- named councils (published figures) -----------------------------------------------
    P["Sunderland"].cases["cp"].unallocated = {"in_transit": 7}
    b = P["Birmingham"].cases
    b["cp"].unallocated, b["cp"].other = {"duty_team": 38}, {"other": 20}
    b["lac"].unallocated, b["lac"].other = {"duty_team": 205}, {"other": 439}
    b["cin"].unallocated, b["cin"].other = {"duty_team": 301}, {"other": 435}
    for name, total in (("Portsmouth", 407), ("Brighton and Hove", 404)):
        P[name].cases["lac"] = CaseFigures(total=total, other={"other": 132})
        P[name].published_total["lac"] = True
    barnet = P["Barnet"].cases["lac"]
    n18 = round(0.18 * barnet.total)
    while round(100 * n18 / barnet.total) != 18:
        n18 += 1
    barnet.other = _split(rng, n18, ["assistant", "trainee", "family_support", "leaving_care"], 4)
    P["Barnsley"].cases["lac"].unallocated = {"not_given": 51}
    P["Barnsley"].cases["cin"].unallocated = {"not_given": 114}
    dl_total = rng.randint(1001, 1099)
    d_size, l_size = P["Derbyshire"].cases["cin"].total, P["Lincolnshire"].cases["cin"].total
    d_n = round(dl_total * d_size / (d_size + l_size) * rng.uniform(0.9, 1.1))
    for name, n in (("Derbyshire", d_n), ("Lincolnshire", dl_total - d_n)):
        P[name].cases["cin"].unallocated = _split(
            rng, n, ["awaiting_closure", "partner_agency", "financial_only", "not_given"], 4)

    fixed = {  # case types whose allocation the published figures decide
        "cp": {"Sunderland", "Birmingham", "Barnsley"},
        "lac": {"Birmingham", "Portsmouth", "Brighton and Hove", "Barnet", "Barnsley"},
        "cin": {"Birmingham", "Barnsley", "Derbyshire", "Lincolnshire"},
    }

    def pool(ct):
        return [n for n in names if n not in fixed[ct] and P[n].cases[ct].total >= 20]

    # --- CP: 3 more councils with unallocated cases, 3 with other staff only -----------------
    cp_pool = pool("cp")
    cp_u = sorted(rng.sample(cp_pool, N_CP_UNALLOCATED - 2))
    rest = NATIONAL["cp"] - 7 - 38
    caps = [max(1, int(P[n].cases["cp"].total * CAPS["cp"])) for n in cp_u]
    amounts = _allocate(rng, rest, [P[n].cases["cp"].total for n in cp_u], caps)
    for n, a in zip(cp_u, amounts):
        P[n].cases["cp"].unallocated = _split(rng, a, ["duty_team", "in_transit", "not_given"])
    cp_o = sorted(rng.sample([n for n in cp_pool if n not in cp_u], N_CP_FURTHER))
    for n in cp_o:
        P[n].cases["cp"].other = _split(rng, rng.randint(2, 12), ["assistant", "trainee", "family_support"])

    # --- LAC: 9 more councils, 6 with unallocated cases, 3 with other staff only -------------
    lac_pool = pool("lac")
    lac_any = sorted(rng.sample(lac_pool, N_LAC_ANY - 5))
    lac_u = sorted(rng.sample(lac_any, 6))
    rest = NATIONAL["lac"] - 51 - 205
    caps = [max(1, int(P[n].cases["lac"].total * CAPS["lac"])) for n in lac_u]
    amounts = _allocate(rng, rest, [P[n].cases["lac"].total for n in lac_u], caps)
    for n, a in zip(lac_u, amounts):
        P[n].cases["lac"].unallocated = _split(rng, a, ["duty_team", "in_transit", "not_given"])
    for n in lac_any:
        if n not in lac_u or rng.random() < 0.5:
            P[n].cases["lac"].other = _split(
                rng, rng.randint(3, max(4, P[n].cases["lac"].total // 12)),
                ["assistant", "trainee", "leaving_care"])

    # --- CIN: 40 more councils with unallocated cases; other staff anywhere ------------------
    cin_pool = pool("cin")
    cin_u = sorted(rng.sample(cin_pool, N_CIN_UNALLOCATED - 4))
    named_cin = 301 + 114 + dl_total
    rest = NATIONAL["cin"] - named_cin
    caps = [max(1, int(P[n].cases["cin"].total * CAPS["cin"])) for n in cin_u]
    amounts = _allocate(rng, rest, [P[n].cases["cin"].total for n in cin_u], caps)
    reasons = ["awaiting_closure", "partner_agency", "financial_only", "duty_team", "in_transit",
               "not_given"]
    for n, a in zip(cin_u, amounts):
        P[n].cases["cin"].unallocated = _split(rng, a, reasons, rng.randint(1, 3))
    for n in cin_pool:
        if rng.random() < 0.45:
            c = P[n].cases["cin"]
            room = int(c.total * CAPS["cin"]) - c.u
            want = round(c.total * rng.uniform(0.01, 0.08))
            if min(room, want) >= 2:
                c.other = _split(rng, min(room, want), ["assistant", "family_support", "trainee"])
    return [plans[n] for n in names]


# ============================================================================ cells and entries


@dataclass
class Entry:
    """One value cell of a return, as the tidy row the reader should make of it."""

    case_type: str
    category: str
    detail: str
    count: int | None
    qualifier: str
    raw: str
    planted: bool = False  # an unreadable cell: in issues.csv, and a row with an empty count (not_supplied)
    written: str | None = None  # the cell's text as a reader sees it, once written to a workbook


def fmt(n: int, commas: bool = True) -> str:
    return f"{n:,}" if commas else str(n)


def entries_for(plan: CouncilPlan, *, roles: bool, reasons: bool, zero_as: str = "0",
                commas: bool = True) -> list[Entry]:
    """The rows a return makes, given what its layout can say (breakdowns or only one column)."""
    out = []
    for ct in CASE_TYPES:
        c = plan.cases[ct]
        out.append(Entry(ct, "total", "", c.total, "exact", fmt(c.total, commas)))
        out.append(Entry(ct, "allocated_qualified", "", c.qualified, "exact", fmt(c.qualified, commas)))
        other = dict(c.other) if roles else ({"other": c.o} if c.o else {})
        if not other:
            out.append(Entry(ct, "allocated_other", "other", 0, "exact", zero_as))
        for role, n in other.items():
            out.append(Entry(ct, "allocated_other", role, n, "exact", fmt(n, commas)))
        unalloc = dict(c.unallocated) if reasons else ({"not_given": c.u} if c.u else {})
        if not unalloc:
            out.append(Entry(ct, "unallocated", "not_given", 0, "exact", zero_as))
        for reason, n in unalloc.items():
            out.append(Entry(ct, "unallocated", reason, n, "exact", fmt(n, commas)))
    return out


def _only_entry(entries: list[Entry], ct: str, category: str) -> Entry | None:
    hits = [e for e in entries if e.case_type == ct and e.category == category]
    return hits[0] if len(hits) == 1 else None


def apply_marker(entries: list[Entry], ct: str, kind: str) -> bool:
    """Rewrite the single other-staff cell of case type `ct` with a marker; True if done.

    kinds: 'lt5' (a value of 1-4 written '<5': count 4, at_most), 'circa' ('c. 40': rounded to
    tens, approx), 'na' ('n/a': not_supplied), 'see' / 'pct' (planted unreadable text).
    """
    e = _only_entry(entries, ct, "allocated_other")
    if e is None:
        return False
    if kind == "lt5":
        if not 1 <= (e.count or 0) <= 4:
            return False
        e.count, e.qualifier, e.raw = 4, "at_most", "<5"
    elif kind == "circa":
        if (e.count or 0) < 15:
            return False
        e.count, e.qualifier = int(round(e.count, -1)), "approx"
        e.raw = f"c. {e.count}"
    elif kind in ("na", "see", "pct"):
        if not e.count:
            return False
        e.raw = {"na": "n/a", "see": "see covering letter", "pct": "5%"}[kind]
        e.count, e.qualifier = None, "not_supplied"
        e.planted = kind != "na"
    return True


def _written(e: Entry, value):
    """Record what a workbook cell holds as text (a number cell reads back without commas)."""
    e.written = str(value)
    return value


def _as_read(e: Entry, fname: str) -> str:
    """The text a reader gets from the entry's cell: what was written, or for workbook grids
    (which store plain numbers as numbers) the number without its thousands commas."""
    if e.written is not None:
        return e.written
    return str(_cell_value(e.raw, False)) if fname.endswith(".xlsx") else e.raw


def _cell_value(raw: str, as_text: bool):
    """What goes into a spreadsheet cell: a number where the text is a plain number, else text."""
    if not as_text and re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", raw):
        return int(raw.replace(",", ""))
    return raw


# ============================================================================ writing files


def _xlsx_bytes(wb: Workbook) -> bytes:
    props = wb.properties
    props.creator = props.lastModifiedBy = "unallocated project (simulated)"
    props.created = props.modified = _FIXED_TIME
    props.title = SIMULATED_NOTE
    return xlsx_bytes(wb, _ZIP_TIME)


def _csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def _long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


@dataclass
class Written:
    file: str
    data: bytes
    layout: str
    councils: list[CouncilPlan]
    entries: dict[str, list[Entry]]  # council code -> entries
    cells: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    # (code, case_type, category+detail) -> (sheet, cell) for planted issues


def layout_title_block(plan: CouncilPlan, entries: list[Entry], as_text: bool) -> tuple[bytes, dict]:
    """Title block (rows 1-4), header on row 6, a row per case type, single-category columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "FOI response"
    ws["A1"] = f"{plan.name} Council - Children's Services"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Freedom of Information request: unallocated cases"
    ws["A3"] = f"Figures as at {_long_date(plan.snapshot)}"
    ws["A4"] = NOTE_CELL_TEXT
    headers = ["Case type", "Total open cases", "Allocated to qualified social worker",
               "Allocated to other staff (not qualified)", "Unallocated"]
    cols = {"total": 2, "allocated_qualified": 3, "allocated_other": 4, "unallocated": 5}
    for c, h in enumerate(headers, 1):
        ws.cell(row=6, column=c, value=h).font = Font(bold=True)
    where = {}
    for i, ct in enumerate(CASE_TYPES):
        r = 7 + i
        ws.cell(row=r, column=1, value=CASE_LABELS[ct])
        for e in entries:
            if e.case_type == ct:
                ws.cell(row=r, column=cols[e.category], value=_written(e, _cell_value(e.raw, as_text)))
                where[(ct, e.category, e.detail)] = ("FOI response", f"{'ABCDE'[cols[e.category] - 1]}{r}")
    return _xlsx_bytes(wb), where


def layout_two_row_header(plan: CouncilPlan, entries: list[Entry]) -> tuple[bytes, dict]:
    """Two-row header: merged 'Allocated' over 'Qualified social worker' / 'Other staff'."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = f"{plan.name}: open cases and allocation at {_long_date(plan.snapshot)}"
    ws["A3"], ws["B3"], ws["C3"], ws["E3"] = "Case type", "Total open cases", "Allocated", "Unallocated"
    ws["C4"], ws["D4"] = "Qualified social worker", "Other staff"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:D3")
    ws.merge_cells("E3:E4")
    for ref in ("A3", "B3", "C3", "E3", "C4", "D4"):
        ws[ref].font = Font(bold=True)
        ws[ref].alignment = Alignment(horizontal="center", wrap_text=True)
    cols = {"total": 2, "allocated_qualified": 3, "allocated_other": 4, "unallocated": 5}
    where = {}
    for i, ct in enumerate(CASE_TYPES):
        r = 5 + i
        ws.cell(row=r, column=1, value={"cp": "Child Protection", "lac": "Looked After Children",
                                        "cin": "Children in Need"}[ct])
        for e in entries:
            if e.case_type == ct:
                ws.cell(row=r, column=cols[e.category], value=_written(e, _cell_value(e.raw, False)))
                where[(ct, e.category, e.detail)] = ("Sheet1", f"{'ABCDE'[cols[e.category] - 1]}{r}")
    ws["A10"] = NOTE_CELL_TEXT
    return _xlsx_bytes(wb), where


def _row_label(category: str, detail: str) -> str:
    if category == "total":
        return "Total open cases"
    if category == "allocated_qualified":
        return "Allocated to a qualified social worker"
    if category == "allocated_other":
        return ROLE_LABELS[detail]
    return REASON_LABELS[detail]


def _rows_in_order(entries: list[Entry]) -> list[tuple[str, str]]:
    order = []
    for e in entries:
        key = (e.category, e.detail)
        if key not in order:
            order.append(key)
    rank = {"total": 0, "allocated_qualified": 1, "allocated_other": 2, "unallocated": 3}
    return sorted(order, key=lambda k: (rank[k[0]], order.index(k)))


def _columns_grid(plan: CouncilPlan, entries: list[Entry]) -> tuple[list[list], dict]:
    """Case types as columns: a row per category (and role / reason), CP | LAC | CIN."""
    grid = [[f"{plan.name} - response to FOI request (cases open on {_long_date(plan.snapshot)})"],
            [],
            ["", "Child protection", "Looked after", "Children in need"]]
    where = {}
    keys = _rows_in_order(entries)
    # A row for every key, filled with the case type's entry or left blank-as-zero.
    for category, detail in keys:
        row = [_row_label(category, detail)]
        for j, ct in enumerate(CASE_TYPES):
            e = next((e for e in entries if e.case_type == ct and e.category == category
                      and e.detail == detail), None)
            row.append(e.raw if e else "")
            if e:
                where[(ct, category, detail)] = (len(grid) + 1, 2 + j)
        grid.append(row)
    grid.append([])
    grid.append([NOTE_CELL_TEXT])
    return grid, where


def fill_gaps_for_columns(entries: list[Entry], zero_as: str) -> list[Entry]:
    """In a case-types-as-columns grid every row has a cell for each case type.

    The zero placeholder rows ("Allocated to other staff", "Unallocated") are dropped where the
    grid already breaks that category down by role or reason and nobody has a figure on them;
    then every case type gets a zero in every remaining row it has no figure for.
    """
    keys = _rows_in_order(entries)

    def placeholder(category: str, detail: str) -> bool:
        same = [e for e in entries if (e.category, e.detail) == (category, detail)]
        return (detail in ("other", "not_given") and all(e.count == 0 for e in same)
                and any(k[0] == category and k[1] != detail for k in keys))

    out = [e for e in entries if not placeholder(e.category, e.detail)]
    keys = _rows_in_order(out)
    for ct in CASE_TYPES:
        for category, detail in keys:
            if not any(e.case_type == ct and (e.category, e.detail) == (category, detail) for e in out):
                out.append(Entry(ct, category, detail, 0, "exact", zero_as))
    return out


def layout_columns_xlsx(plan, entries) -> tuple[bytes, dict]:
    grid, where = _columns_grid(plan, entries)
    wb = Workbook()
    ws = wb.active
    ws.title = "Response"
    for r, row in enumerate(grid, 1):
        for c, v in enumerate(row, 1):
            if v != "":
                ws.cell(row=r, column=c, value=_cell_value(v, False) if c > 1 and r > 3 else v)
    cells = {k: ("Response", f"{'ABCD'[c - 1]}{r}") for k, (r, c) in where.items()}
    return _xlsx_bytes(wb), cells


def layout_columns_csv(plan, entries) -> tuple[bytes, dict]:
    grid, where = _columns_grid(plan, entries)
    cells = {k: ("", f"{'ABCD'[c - 1]}{r}") for k, (r, c) in where.items()}
    return _csv_bytes(grid), cells


def layout_letter(plan: CouncilPlan, entries: list[Entry]) -> tuple[bytes, dict]:
    """An answer sheet laid out like the reply letter: question in A, answer in B."""
    wb = Workbook()
    ws = wb.active
    ws.title = "FOI answers"
    ws["A1"] = f"Our ref: FOI/{plan.code}/2010 - {plan.name} City Council" if plan.name == "Sunderland" \
        else f"Our ref: FOI/{plan.code}/2010 - {plan.name}"
    ws["A2"] = f"Information as at {_long_date(plan.snapshot)}"
    ws["A3"] = NOTE_CELL_TEXT
    nouns = {"cp": "children subject to a child protection plan",
             "lac": "looked after children", "cin": "children in need (other than CP and LAC)"}
    q = 0
    r = 5
    where = {}
    for ct in CASE_TYPES:
        for e in [e for e in entries if e.case_type == ct]:
            q += 1
            if e.category == "total":
                text = f"{q}. What was the total number of open cases of {nouns[ct]}?"
            elif e.category == "allocated_qualified":
                text = f"{q}. How many {nouns[ct]} were allocated to a qualified social worker?"
            elif e.category == "allocated_other":
                text = (f"{q}. How many {nouns[ct]} were allocated to other professionals (not "
                        f"qualified social workers)?")
            else:
                text = f"{q}. How many {nouns[ct]} had no allocated worker at all?"
            answer = e.raw
            if e.category == "unallocated" and e.detail in REASON_PROSE and e.count:
                answer = f"{e.raw} ({REASON_PROSE[e.detail]})"
            ws.cell(row=r, column=1, value=text)
            ws.cell(row=r, column=2, value=_written(e, answer if not re.fullmatch(r"\d+", answer)
                    else int(answer)))
            where[(ct, e.category, e.detail)] = ("FOI answers", f"B{r}")
            r += 1
    return _xlsx_bytes(wb), where


def layout_long_csv(plan: CouncilPlan, entries: list[Entry]) -> tuple[bytes, dict]:
    """Long csv: a row per (case type, category), numbers as text with commas, notes column."""
    rows = [["Council", plan.name], ["Date", plan.snapshot], [NOTE_CELL_TEXT], [],
            ["Case type", "Category", "Number"]]
    where = {}
    ct_words = {"cp": "Child protection", "lac": "Looked after children", "cin": "Children in need"}
    for e in entries:
        rows.append([ct_words[e.case_type], _row_label(e.category, e.detail), e.raw])
        where[(e.case_type, e.category, e.detail)] = ("", f"C{len(rows)}")
    return _csv_bytes(rows), where


def layout_template(plan: CouncilPlan, entries: list[Entry]) -> tuple[bytes, dict]:
    """The project's own blank return (`unallocated.returns.template`), filled in."""
    from unallocated.returns import template as tpl

    wb = load_workbook(io.BytesIO(tpl.template_bytes()))
    ws = wb[tpl.RETURN_SHEET]
    ws[tpl.COUNCIL_CELL] = plan.name
    ws[tpl.SNAPSHOT_CELL] = dt.datetime.fromisoformat(plan.snapshot)
    col_of = {v: i + 2 for i, v in enumerate(tpl.COLUMN_TO_CATEGORY.values())}
    row_of = {ct: tpl.FIRST_DATA_ROW + i for i, ct in enumerate(tpl.CASE_TYPE_ROWS.values())}
    notes_col = len(tpl.HEADERS)
    where = {}
    for e in entries:
        r, c = row_of[e.case_type], col_of[(e.category, e.detail)]
        ws.cell(row=r, column=c, value=_written(e, _cell_value(e.raw, False)))
        where[(e.case_type, e.category, e.detail)] = (tpl.RETURN_SHEET, ws.cell(row=r, column=c).coordinate)
    ws.cell(row=tpl.FIRST_DATA_ROW + 4, column=1, value=NOTE_CELL_TEXT)
    del notes_col
    return _xlsx_bytes(wb), where


COMPILED_HEADERS = [("cp", "total", "CP total open"), ("cp", "allocated_qualified", "CP allocated to qualified SW"),
                    ("cp", "allocated_other", "CP allocated to other staff"), ("cp", "unallocated", "CP unallocated"),
                    ("lac", "total", "LAC total open"), ("lac", "allocated_qualified", "LAC allocated to qualified SW"),
                    ("lac", "allocated_other", "LAC allocated to other staff"), ("lac", "unallocated", "LAC unallocated"),
                    ("cin", "total", "CIN total open"), ("cin", "allocated_qualified", "CIN allocated to qualified SW"),
                    ("cin", "allocated_other", "CIN allocated to other staff"), ("cin", "unallocated", "CIN unallocated")]


def layout_compiled(plans: list[CouncilPlan], entries: dict[str, list[Entry]]) -> tuple[bytes, dict]:
    """A compiled sheet from a shared FOI service: a row per council."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Compiled"
    ws["A1"] = "Shared information governance service - compiled FOI response for member councils"
    ws["A2"] = NOTE_CELL_TEXT
    head = ["Council", "LA code", "Snapshot date"] + [h for _, _, h in COMPILED_HEADERS]
    for c, h in enumerate(head, 1):
        ws.cell(row=4, column=c, value=h).font = Font(bold=True)
    where = {}
    for i, plan in enumerate(plans):
        r = 5 + i
        ws.cell(row=r, column=1, value=plan.name)
        ws.cell(row=r, column=2, value=plan.code)
        ws.cell(row=r, column=3, value=dt.datetime.fromisoformat(plan.snapshot)).number_format = "dd/mm/yyyy"
        for j, (ct, cat, _) in enumerate(COMPILED_HEADERS):
            e = _only_entry(entries[plan.code], ct, cat)
            c = 4 + j
            ws.cell(row=r, column=c, value=_written(e, _cell_value(e.raw, False)))
            where[(plan.code, ct, cat, e.detail)] = ("Compiled", ws.cell(row=r, column=c).coordinate)
    return _xlsx_bytes(wb), where


# ============================================================================ assembling the set

LAYOUTS = ["title_block", "two_row_header", "columns_xlsx", "columns_csv", "letter", "long_csv",
           "template", "compiled"]
#: What each layout can break down: (roles, reasons).
CAPABILITY = {"title_block": (False, False), "two_row_header": (False, False),
              "columns_xlsx": (True, True), "columns_csv": (True, True), "letter": (False, True),
              "long_csv": (True, True), "template": (True, True), "compiled": (False, False)}
NAMED_LAYOUTS = {"Sunderland": "letter", "Birmingham": "two_row_header",
                 "Portsmouth": "title_block", "Brighton and Hove": "long_csv",
                 "Barnet": "columns_xlsx", "Barnsley": "title_block",
                 "Derbyshire": "columns_csv", "Lincolnshire": "template"}
N_COMPILED = 14


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _filename(plan: CouncilPlan, layout: str) -> str:
    ext = ".csv" if layout in ("columns_csv", "long_csv") else ".xlsx"
    stem = {"title_block": "foi_response", "two_row_header": "unallocated_cases",
            "columns_xlsx": "foi_reply", "columns_csv": "foi_reply", "letter": "foi_letter",
            "long_csv": "foi_data", "template": "return"}[layout]
    return f"{_slug(plan.name)}_{stem}{ext}"


def _letter_ok(plan: CouncilPlan) -> bool:
    """The letter answers one figure per question: at most one reason per case type."""
    return all(len(plan.cases[ct].unallocated) <= 1 for ct in CASE_TYPES)



#: Writers for one council's return, by layout ("title_block" takes an extra argument and
#: "compiled" holds several councils; both are handled where the files are written).
SINGLE_LAYOUTS = {
    "two_row_header": layout_two_row_header, "columns_xlsx": layout_columns_xlsx,
    "columns_csv": layout_columns_csv, "letter": layout_letter, "long_csv": layout_long_csv,
    "template": layout_template,
}

def build_2010(seed: int = SEED):
    """Everything for the 2010 folder, in memory: files, manifest, truth, planted issues, vs DfE."""
    rng = random.Random(seed + 1)
    plans = plan_returns(seed)
    rest = [p for p in plans if p.name not in NAMED_LAYOUTS]
    compiled = sorted(rng.sample(rest, N_COMPILED), key=lambda p: p.code)
    for p in plans:
        p.layout = NAMED_LAYOUTS.get(p.name, "")
    for p in compiled:
        p.layout = "compiled"
    cycle = ["title_block", "two_row_header", "columns_xlsx", "columns_csv", "letter", "long_csv",
             "template"]
    todo = [p for p in plans if not p.layout]
    rng.shuffle(todo)
    for i, p in enumerate(todo):
        layout = cycle[i % len(cycle)]
        if layout == "letter" and not _letter_ok(p):
            layout = "long_csv"
        p.layout = layout

    # Sunderland answers by letter: one reason per case type (its CP reason is published).
    sund = next(p for p in plans if p.name == "Sunderland")
    for ct in ("lac", "cin"):
        c = sund.cases[ct]
        if len(c.unallocated) > 1:
            c.unallocated = {max(c.unallocated, key=c.unallocated.get): c.u}

    zeros = {p.code: ("nil" if p.layout in ("long_csv", "letter") and rng.random() < 0.5 else "0")
             for p in plans}

    def make_entries(p: CouncilPlan) -> list[Entry]:
        roles, reasons = CAPABILITY[p.layout]
        es = entries_for(p, roles=roles, reasons=reasons, zero_as=zeros[p.code],
                         commas=p.layout not in ("two_row_header", "compiled", "template"))
        if p.layout in ("columns_xlsx", "columns_csv"):
            es = fill_gaps_for_columns(es, zeros[p.code])
        return es

    entries: dict[str, list[Entry]] = {p.code: make_entries(p) for p in plans}

    # Markers and planted problems, each in a non-named council's CIN other-staff cell.
    order = sorted(plans, key=lambda p: (rng.random(), p.code))
    used: set[str] = set()
    planted: dict[str, str] = {}  # code -> kind

    def candidates(layouts):
        return [p for p in order if p.layout in layouts and p.name not in NAMED and p.code not in used]

    small = candidates(("long_csv",))[0]  # a small other-staff figure, written '<5'
    small.cases["cin"].other = {"other": 3}
    entries[small.code] = make_entries(small)
    assert apply_marker(entries[small.code], "cin", "lt5")
    used.add(small.code)
    for kind, layouts in (("circa", ("long_csv", "title_block")), ("na", ("two_row_header", "long_csv")),
                          ("see", ("long_csv",)), ("pct", ("title_block",))):
        for p in candidates(layouts):
            if apply_marker(entries[p.code], "cin", kind):
                used.add(p.code)
                if kind in ("see", "pct"):
                    planted[p.code] = kind
                break
        else:
            raise AssertionError(f"no council to carry marker {kind}")

    files: dict[str, bytes] = {}
    manifest, truth, planted_rows = [], [], []

    def add_truth(p: CouncilPlan, fname: str, es: list[Entry]):
        for e in es:
            # An unreadable cell is still a row: its count is unknown (not_supplied), not absent.
            count, qualifier = ("", "not_supplied") if e.planted else (
                "" if e.count is None else e.count, e.qualifier)
            truth.append({"council_code": p.code, "council": p.name, "snapshot_date": p.snapshot,
                          "case_type": e.case_type, "category": e.category, "detail": e.detail,
                          "count": count, "qualifier": qualifier,
                          "layer": "simulated", "source": fname,
                          "raw": _as_read(e, fname)})

    for p in plans:
        if p.layout == "compiled":
            continue
        es = entries[p.code]
        fname = _filename(p, p.layout)
        if p.layout == "title_block":
            data, where = layout_title_block(p, es, as_text=p.name != "Barnsley")
        else:
            data, where = SINGLE_LAYOUTS[p.layout](p, es)
        files[fname] = data
        manifest.append({"file": fname, "council": p.name, "council_code": p.code,
                         "layout": p.layout, "layer": "simulated", "snapshot_date": p.snapshot})
        add_truth(p, fname, es)
        if p.code in planted:
            e = _only_entry(es, "cin", "allocated_other")
            sheet, cell = where[("cin", "allocated_other", e.detail)]
            planted_rows.append({"file": fname, "sheet": sheet, "cell": cell, "raw": e.raw,
                                 "problem": f"unrecognised value: {e.raw!r}; kept as not_supplied"})

    fname = "shared_service_compiled_foi_response.xlsx"
    data, where = layout_compiled(compiled, entries)
    files[fname] = data
    for p in compiled:
        manifest.append({"file": fname, "council": p.name, "council_code": p.code,
                         "layout": "compiled", "layer": "simulated", "snapshot_date": p.snapshot})
        add_truth(p, fname, entries[p.code])

    manifest.sort(key=lambda r: (r["file"], r["council_code"]))
    truth_df = pd.DataFrame(truth, columns=RETURN_COLUMNS)
    truth_df = truth_df.sort_values(["council_code", "case_type", "category", "detail"],
                                    kind="stable").reset_index(drop=True)
    return {"plans": plans, "files": files, "manifest": manifest, "truth": truth_df,
            "planted": planted_rows, "vs_dfe": vs_dfe_table(plans)}


def vs_dfe_table(plans: list[CouncilPlan]) -> pd.DataFrame:
    rows = []
    for p in plans:
        d = p.dfe
        for ct in CASE_TYPES:
            exp = p.expected[ct]
            tot = p.cases[ct].total
            ratio = tot / exp if exp else float("nan")
            years = {k: int(d[f"dfe_{k}_year"]) for k in ("cin", "cpp", "lac")}
            notes = []
            used = {"cp": ["cpp"], "lac": ["lac"], "cin": ["cin", "cpp", "lac"]}[ct]
            for k in used:
                if years[k] != 2010:
                    notes.append(f"DfE {k.upper()} at 31 March 2010 not published ('..'): "
                                 f"{years[k]} figure used")
            if p.published_total[ct]:
                notes.append(f"published total {tot} wins over DfE-based {exp:.0f} "
                             f"({100 * (ratio - 1):+.0f}%)")
            rows.append({"council_code": p.code, "council": p.name, "case_type": ct,
                         "dfe_cin": int(d["dfe_cin"]), "dfe_cin_year": years["cin"],
                         "dfe_cpp": int(d["dfe_cpp"]), "dfe_cpp_year": years["cpp"],
                         "dfe_lac": int(d["dfe_lac"]), "dfe_lac_year": years["lac"],
                         "dfe_expected": int(exp), "returned_total": tot,
                         "ratio": f"{ratio:.3f}" if exp else "",
                         "within_tolerance": bool(exp and abs(ratio - 1) <= TOLERANCE) or (exp == 0 and tot == 0),
                         "published_total": p.published_total[ct], "note": "; ".join(notes)})
    return pd.DataFrame(rows, columns=VS_DFE_COLUMNS)


# ============================================================================ timelines


def _tl_entry(ct, category, detail, count, qualifier, raw) -> Entry:
    return Entry(ct, category, detail, count, qualifier, raw)


TIMELINE_NOTE_PUBLISHED = ("Notes: PUBLISHED figures as printed by Community Care (source in the "
                           "manifest); laid out as a return by the unallocated project")


def build_timelines() -> dict:
    """Essex Dec 2009 - Jun 2010 and Birmingham 19 Aug 2010 (docstring choices 15-16)."""
    essex_url = ("https://www.communitycare.co.uk/2010/02/01/"
                 "more-than-1000-unallocated-children-in-need-cases-in-essex/")
    bham_url = ("https://www.communitycare.co.uk/2010/08/26/"
                "850-birmingham-children-in-need-lack-social-workers/")
    snaps = []  # (council, code, date, layer, source_note, entries)
    # Essex: simulated totals (CP + LAC + CIN above 8,000) and the unallocated CIN path.
    essex_u = {"2009-12-01": 1866, "2010-01-04": 1402, "2010-03-01": 688, "2010-04-01": 371,
               "2010-05-04": 164, "2010-06-01": 57}
    essex_tot = {"2009-12-01": (801, 1431, 6295), "2010-01-04": (786, 1436, 6318),
                 "2010-02-01": (774, 1440, 6342), "2010-03-01": (765, 1443, 6370),
                 "2010-04-01": (760, 1446, 6401), "2010-05-04": (771, 1452, 6433),
                 "2010-06-01": (779, 1458, 6460)}
    for date, (cp, lac, cin) in essex_tot.items():
        es = [_tl_entry("cp", "total", "", cp, "exact", fmt(cp)),
              _tl_entry("lac", "total", "", lac, "exact", fmt(lac)),
              _tl_entry("cin", "total", "", cin, "exact", fmt(cin))]
        if date in essex_u:
            u = essex_u[date]
            es.append(_tl_entry("cin", "unallocated", "not_given", u, "exact", fmt(u)))
            es.append(_tl_entry("cp", "unallocated", "not_given", 0, "exact", "0"))
        snaps.append(("Essex", "881", date, "simulated", "", es))
    snaps.append(("Essex", "881", "2010-02-01", "published", essex_url, [
        _tl_entry("cin", "unallocated", "not_given", 1001, "at_least", "more than 1,000"),
        _tl_entry("cp", "unallocated", "not_given", 0, "exact", "none"),
    ]))
    # Birmingham 19 August 2010.
    snaps.append(("Birmingham", "330", "2010-08-19", "published", bham_url, [
        _tl_entry("cin", "total", "", 3639, "exact", "3,639"),
        _tl_entry("cin", "allocated_qualified", "", 2787, "exact", "2,787"),
        _tl_entry("lac", "total", "", 1999, "exact", "1,999"),
        _tl_entry("lac", "allocated_qualified", "", 1767, "exact", "1,767"),
    ]))
    snaps.append(("Birmingham", "330", "2010-08-19", "simulated", "", [
        _tl_entry("cin", "allocated_other", "other", 534, "exact", "534"),
        _tl_entry("cin", "unallocated", "not_given", 318, "exact", "318"),
        _tl_entry("lac", "allocated_other", "other", 171, "exact", "171"),
        _tl_entry("lac", "unallocated", "not_given", 61, "exact", "61"),
    ]))

    files, manifest, truth = {}, [], []
    for council, code, date, layer, url, es in snaps:
        fname = f"{_slug(council)}_{date}_{layer}.csv"
        if layer == "published":
            note = f"{TIMELINE_NOTE_PUBLISHED}: {url}"
            if council == "Birmingham":
                note += ("; LAC allocated to a qualified social worker 1,767 = 1,999 - 232, "
                         "derived from the published figures")
            if council == "Essex":
                note += ("; 'none' of the unallocated cases involved children on the at-risk "
                         "register (CP plans)")
        else:
            note = NOTE_CELL_TEXT
            if council == "Birmingham":
                note += ("; how the published 852 CIN and 232 LAC without a qualified social "
                         "worker split between other staff and no one is simulated")
        rows = [["Council", council], ["Date", date], [note], [],
                ["Case type", "Category", "Number"]]
        ct_words = {"cp": "Child protection", "lac": "Looked after children", "cin": "Children in need"}
        for e in es:
            rows.append([ct_words[e.case_type], _row_label(e.category, e.detail), e.raw])
            truth.append({"council_code": code, "council": council, "snapshot_date": date,
                          "case_type": e.case_type, "category": e.category, "detail": e.detail,
                          "count": "" if e.count is None else e.count, "qualifier": e.qualifier,
                          "layer": layer, "source": fname, "raw": e.raw})
        files[fname] = _csv_bytes(rows)
        manifest.append({"file": fname, "council": council, "council_code": code,
                         "layout": "long_csv", "layer": layer, "snapshot_date": date})
    manifest.sort(key=lambda r: r["file"])
    truth_df = pd.DataFrame(truth, columns=RETURN_COLUMNS)
    return {"files": files, "manifest": manifest, "truth": truth_df}


# ============================================================================ output


def _table_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def generate(root: Path = paths.ROOT, seed: int = SEED) -> dict[str, Path]:
    """Write every output under `root` (the project root by default). Returns what was written.

    The 2010 and timelines folders are emptied of files first, so they hold exactly what this run
    makes.
    """
    root = Path(root)
    built = build_2010(seed)
    tl = build_timelines()
    written = {}
    for folder, files, manifest in ((RETURNS_2010, built["files"], built["manifest"]),
                                    (TIMELINES, tl["files"], tl["manifest"])):
        out = root / folder
        out.mkdir(parents=True, exist_ok=True)
        for old in out.iterdir():
            if old.is_file():
                old.unlink()
        for name, data in sorted(files.items()):
            (out / name).write_bytes(data)
        (out / "manifest.csv").write_bytes(_table_bytes(pd.DataFrame(manifest, columns=MANIFEST_COLUMNS)))
        written[str(folder)] = out
    (root / SIMULATED_DIR).mkdir(parents=True, exist_ok=True)
    for rel, df in ((TRUTH, built["truth"]), (PLANTED, pd.DataFrame(built["planted"], columns=PLANTED_COLUMNS)),
                    (TIMELINES_TRUTH, tl["truth"]), (VS_DFE, built["vs_dfe"])):
        (root / rel).write_bytes(_table_bytes(df))
        written[str(rel)] = root / rel
    return written


def _cmd_simulate(args) -> int:
    written = generate(Path(args.root), args.seed)
    for name, path in written.items():
        print(f"wrote {path}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "simulate", help="write the SIMULATED 2010 FOI returns (seeded; same bytes every run)")
    parser.add_argument("--root", default=str(paths.ROOT),
                        help="project root to write under (default: this checkout)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.set_defaults(func=_cmd_simulate)
