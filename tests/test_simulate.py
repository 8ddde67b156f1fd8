"""The simulated 2010 returns and the register of published figures.

Expected numbers come from the published figures (the coverage's wording, kept in
`data/published_figures.csv` and restated here), never from running the generator.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from unallocated import paths
from unallocated.returns import simulate

ROOT = paths.ROOT
RETURNS = ROOT / simulate.RETURNS_2010
TIMELINES = ROOT / simulate.TIMELINES
TRUTH = ROOT / simulate.TRUTH
PLANTED = ROOT / simulate.PLANTED
VS_DFE = ROOT / simulate.VS_DFE
REGISTER = ROOT / "data" / "published_figures.csv"
SEEDS = ROOT.parent / "shared" / "seeds"
SHARED_FIGURES = ROOT.parent / "shared" / "data" / "published_figures.csv"

# ---- published figures (16 November / 6 December 2010) ------------------------------------
RESPONDING = 89
CP_ALMOST = 80  # "almost 80": the largest whole number below it
LAC, CIN = 448, 7811
HEADLINE_MORE_THAN = 8000
SHARES = {"cp_unallocated": 6, "cp_further_other": 3, "lac_any": 16, "cin_unallocated": 49}
BARNSLEY_LAC, BARNSLEY_CIN, BARNSLEY_TRULY = 51, 114, 9
DL_MORE_THAN = 1000


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    t = read_csv(TRUTH)
    t["n"] = pd.to_numeric(t["count"]).fillna(0).astype(int)
    return t


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return read_csv(RETURNS / "manifest.csv")


@pytest.fixture(scope="module")
def ingested():
    returns = pytest.importorskip("unallocated.returns")
    return returns.read_returns(RETURNS, manifest=RETURNS / "manifest.csv", layer="simulated")


def by_council(truth: pd.DataFrame) -> pd.DataFrame:
    """council x case_type x category sums (0 where absent)."""
    g = truth.pivot_table(index=["council", "case_type"], columns="category", values="n",
                          aggfunc="sum", fill_value=0)
    for col in ("total", "allocated_qualified", "allocated_other", "unallocated"):
        if col not in g:
            g[col] = 0
    return g


# ============================================================================ the folder


def test_folder_holds_only_the_returns_and_the_manifest(manifest):
    on_disk = {p.name for p in RETURNS.iterdir()}
    assert on_disk == set(manifest["file"]) | {"manifest.csv"}
    assert list(manifest.columns) == simulate.MANIFEST_COLUMNS
    assert manifest["council_code"].nunique() == RESPONDING == len(manifest)
    assert set(manifest["layer"]) == {"simulated"}


def test_at_least_six_layouts_across_csv_and_xlsx(manifest):
    assert manifest["layout"].nunique() >= 6
    assert {Path(f).suffix for f in manifest["file"]} == {".csv", ".xlsx"}
    assert {"title_block", "two_row_header", "columns_xlsx", "letter", "compiled", "long_csv",
            "template"} <= set(manifest["layout"])


def _file_text(path: Path) -> str:
    if path.suffix == ".csv":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                        if n.endswith(".xml"))


@pytest.mark.parametrize("folder", [RETURNS, TIMELINES])
def test_every_file_says_on_its_face_what_it_is(folder):
    for path in sorted(folder.iterdir()):
        if path.name == "manifest.csv":
            continue
        text = _file_text(path)
        assert "SIMULATED" in text or "PUBLISHED figures" in text, path.name


def test_named_councils_are_in_and_on_their_layouts(manifest):
    got = dict(zip(manifest["council"], manifest["layout"]))
    for name in simulate.NAMED:
        assert name in got, name
    assert got["Sunderland"] == "letter"
    assert got["Birmingham"] == "two_row_header"


# ============================================================================ determinism


@pytest.mark.slow
def test_generator_is_deterministic(tmp_path):
    simulate.generate(tmp_path)
    rels = [simulate.TRUTH, simulate.PLANTED, simulate.TIMELINES_TRUTH, simulate.VS_DFE]
    for folder in (simulate.RETURNS_2010, simulate.TIMELINES):
        new = sorted(p.name for p in (tmp_path / folder).iterdir())
        assert new == sorted(p.name for p in (ROOT / folder).iterdir()), folder
        rels += [folder / name for name in new]
    for rel in rels:
        assert (tmp_path / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


# ============================================================================ the figures


def test_national_totals_under_no_professional(truth):
    u = truth[truth["category"] == "unallocated"].groupby("case_type")["n"].sum()
    assert u["cp"] == CP_ALMOST - 1 and u["cp"] < CP_ALMOST
    assert u["lac"] == LAC
    assert u["cin"] == CIN
    assert u.sum() > HEADLINE_MORE_THAN
    assert truth["council_code"].nunique() == RESPONDING


def test_shares_of_councils_round_to_the_published_percentages(truth):
    g = by_council(truth)
    cp, lac, cin = (g.xs(ct, level="case_type") for ct in ("cp", "lac", "cin"))
    counts = {
        "cp_unallocated": int((cp["unallocated"] > 0).sum()),
        "cp_further_other": int(((cp["unallocated"] == 0) & (cp["allocated_other"] > 0)).sum()),
        "lac_any": int(((lac["unallocated"] + lac["allocated_other"]) > 0).sum()),
        "cin_unallocated": int((cin["unallocated"] > 0).sum()),
    }
    for key, pct in SHARES.items():
        assert round(100 * counts[key] / RESPONDING) == pct, (key, counts[key])
    assert counts == {"cp_unallocated": 5, "cp_further_other": 3, "lac_any": 14, "cin_unallocated": 44}


def test_named_councils_carry_the_published_figures(truth):
    g = by_council(truth)

    def get(council, ct, col):
        return int(g.loc[(council, ct), col])

    # Sunderland: 7 CP cases, no one allocated, in transit between teams.
    s = truth[(truth["council"] == "Sunderland") & (truth["case_type"] == "cp")
              & (truth["category"] == "unallocated")]
    assert s[["detail", "n"]].values.tolist() == [["in_transit", 7]]
    # Birmingham, "unallocated to a social worker": no qualified social worker.
    for ct, n in (("cp", 58), ("lac", 644), ("cin", 736)):
        assert get("Birmingham", ct, "unallocated") + get("Birmingham", ct, "allocated_other") == n
    assert get("Birmingham", "lac", "unallocated") < LAC
    # Portsmouth 132 of 407, Brighton and Hove 132 of 404 looked-after cases with non-social workers.
    for council, total in (("Portsmouth", 407), ("Brighton and Hove", 404)):
        assert get(council, "lac", "allocated_other") == 132
        assert get(council, "lac", "total") == total
        assert get(council, "lac", "unallocated") == 0
    # Barnet: 18% of its looked-after cases, held by assistants, trainees, family support and
    # leaving-care workers.
    b = truth[(truth["council"] == "Barnet") & (truth["case_type"] == "lac")
              & (truth["category"] == "allocated_other") & (truth["n"] > 0)]
    assert set(b["detail"]) == {"assistant", "trainee", "family_support", "leaving_care"}
    assert round(100 * b["n"].sum() / get("Barnet", "lac", "total")) == 18
    # Barnsley as returned: 51 LAC and 114 CIN unallocated, no reason, nothing with other staff.
    for ct, n in (("lac", BARNSLEY_LAC), ("cin", BARNSLEY_CIN)):
        rows = truth[(truth["council"] == "Barnsley") & (truth["case_type"] == ct)
                     & (truth["category"] == "unallocated") & (truth["n"] > 0)]
        assert rows[["detail", "n"]].values.tolist() == [["not_given", n]]
        assert get("Barnsley", ct, "allocated_other") == 0
    # Derbyshire + Lincolnshire: over one thousand CIN between them, with the stated reasons.
    dl = get("Derbyshire", "cin", "unallocated") + get("Lincolnshire", "cin", "unallocated")
    assert DL_MORE_THAN < dl < 1100
    reasons = set(truth[truth["council"].isin(["Derbyshire", "Lincolnshire"])
                        & (truth["category"] == "unallocated") & (truth["n"] > 0)]["detail"])
    assert {"awaiting_closure", "partner_agency", "financial_only"} <= reasons


def test_every_return_adds_up_and_nothing_exceeds_its_caseload(truth):
    g = by_council(truth)
    assert (g["unallocated"] <= g["total"]).all()
    assert (g["unallocated"] + g["allocated_other"] <= g["total"]).all()
    # where every cell is an exact number and none was planted unreadable, the parts make the total
    planted_files = set(read_csv(PLANTED)["file"])
    clean = truth[~truth["source"].isin(planted_files)]
    exact = clean.groupby(["council", "case_type"])["qualifier"].apply(lambda q: (q == "exact").all())
    full = g.loc[exact[exact].index]
    assert len(full) > 200
    assert (full["allocated_qualified"] + full["allocated_other"] + full["unallocated"] == full["total"]).all()


def test_caseloads_sized_against_dfe_and_differences_recorded():
    v = read_csv(VS_DFE)
    assert v["council_code"].nunique() == RESPONDING
    v["ratio_f"] = pd.to_numeric(v["ratio"])
    simulated = v[(v["published_total"] == "False") & v["ratio_f"].notna()]
    assert ((simulated["ratio_f"] - 1).abs() <= simulate.TOLERANCE).all()
    published = v[v["published_total"] == "True"].set_index(["council", "case_type"])
    assert int(published.loc[("Portsmouth", "lac"), "returned_total"]) == 407
    assert int(published.loc[("Portsmouth", "lac"), "dfe_lac"]) == 295
    assert published.loc[("Portsmouth", "lac"), "within_tolerance"] == "False"
    assert int(published.loc[("Brighton and Hove", "lac"), "dfe_lac"]) == 465
    derbys = v[(v["council"] == "Derbyshire") & (v["case_type"] == "cin")].iloc[0]
    assert derbys["dfe_cin_year"] == "2011" and "2011 figure used" in derbys["note"]
    # a return's cin counts children in need other than CP and LAC
    row = v[(v["council"] == "Birmingham") & (v["case_type"] == "cin")].iloc[0]
    assert int(row["dfe_expected"]) == int(row["dfe_cin"]) - int(row["dfe_cpp"]) - int(row["dfe_lac"])


# ============================================================================ ingestion


@pytest.mark.slow
def test_ingesting_the_folder_gives_back_the_truth_table(ingested):
    key = ["council_code", "council", "snapshot_date", "case_type", "category", "detail",
           "count", "qualifier", "layer", "raw"]
    got = ingested.returns.copy()
    got["count"] = got["count"].astype("string").fillna("")
    got["source"] = got["source"].str.split("!").str[0]
    want = read_csv(TRUTH)
    cols = key + ["source"]
    g = got[cols].astype(str).sort_values(cols).reset_index(drop=True)
    w = want[cols].astype(str).sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(g, w)
    assert ingested.unreadable.empty


@pytest.mark.slow
def test_issues_are_the_planted_problems_and_only_those(ingested):
    planted = read_csv(PLANTED)
    got = {(r.file, r.cell, r.raw) for r in ingested.issues.itertuples()}
    assert got == {(r.file, r.cell, r.raw) for r in planted.itertuples()}


@pytest.mark.slow
def test_definitions_on_the_ingested_returns(ingested):
    categories = pytest.importorskip("unallocated.model.categories")
    r = ingested.returns
    nat = categories.count_under(r, "no_professional", by=("case_type",)).set_index("case_type")
    assert [int(nat.loc[ct, "count"]) for ct in ("cp", "lac", "cin")] == [CP_ALMOST - 1, LAC, CIN]
    shares = categories.council_shares(r, "no_professional", responding=RESPONDING).set_index("case_type")
    assert round(100 * shares.loc["cp", "share"]) == SHARES["cp_unallocated"]
    assert round(100 * shares.loc["cin", "share"]) == SHARES["cin_unallocated"]
    wide = categories.council_shares(r, "no_qualified_social_worker", responding=RESPONDING)
    assert round(100 * wide.set_index("case_type").loc["lac", "share"]) == SHARES["lac_any"]
    per = categories.count_under(r, "no_qualified_social_worker").set_index(["council_code", "case_type"])
    for ct, n in (("cp", 58), ("lac", 644), ("cin", 736)):
        assert int(per.loc[("330", ct), "count"]) == n


@pytest.mark.slow
def test_barnsley_correction_moves_the_national_figures(ingested):
    corrections = pytest.importorskip("unallocated.model.corrections")
    categories = pytest.importorskip("unallocated.model.categories")
    corrected = corrections.apply_corrections(ingested.returns)
    before = categories.count_under(ingested.returns, "no_professional", by=())
    after = categories.count_under(corrected, "no_professional", by=())
    published_total = CP_ALMOST - 1 + LAC + CIN
    assert int(before["count"].iloc[0]) == published_total
    assert float(after["low"].iloc[0]) == float(after["high"].iloc[0]) == published_total - 156
    by_ct = categories.count_under(corrected, "no_professional", by=("case_type",)).set_index("case_type")
    assert (by_ct.loc["lac", "low"], by_ct.loc["lac", "high"]) == (LAC - BARNSLEY_LAC, LAC - BARNSLEY_LAC + BARNSLEY_TRULY)
    assert (by_ct.loc["cin", "low"], by_ct.loc["cin", "high"]) == (CIN - BARNSLEY_CIN, CIN - BARNSLEY_CIN + BARNSLEY_TRULY)


# ============================================================================ timelines


def test_timelines_carry_the_published_figures():
    t = read_csv(ROOT / simulate.TIMELINES_TRUTH)
    t["n"] = pd.to_numeric(t["count"]).fillna(0).astype(int)
    m = read_csv(TIMELINES / "manifest.csv")
    assert {p.name for p in TIMELINES.iterdir()} == set(m["file"]) | {"manifest.csv"}
    essex = t[t["council"] == "Essex"]
    feb = essex[(essex["snapshot_date"] == "2010-02-01") & (essex["layer"] == "published")
                & (essex["case_type"] == "cin") & (essex["category"] == "unallocated")].iloc[0]
    assert (feb["n"], feb["qualifier"]) == (1001, "at_least")  # "more than 1,000"
    dec = essex[(essex["snapshot_date"] == "2009-12-01") & (essex["category"] == "unallocated")
                & (essex["case_type"] == "cin")]["n"].sum()
    assert dec - 1000 > 800  # fell by more than 800 in two months
    totals = essex[(essex["snapshot_date"] == "2010-02-01") & (essex["category"] == "total")]["n"].sum()
    assert totals > 8000
    assert set(essex[essex["snapshot_date"] != "2010-02-01"]["layer"]) == {"simulated"}
    bham = t[(t["council"] == "Birmingham") & (t["snapshot_date"] == "2010-08-19")]
    pub = bham[bham["layer"] == "published"].set_index(["case_type", "category"])["n"]
    assert pub[("cin", "total")] == 3639 and pub[("cin", "allocated_qualified")] == 2787
    assert pub[("lac", "total")] == 1999
    no_qsw = bham[bham["category"].isin(["unallocated", "allocated_other"])].groupby("case_type")["n"].sum()
    assert no_qsw["cin"] == 852 and no_qsw["lac"] == 232


@pytest.mark.slow
def test_ingesting_the_timelines_gives_back_their_truth():
    returns = pytest.importorskip("unallocated.returns")
    res = returns.read_returns(TIMELINES, manifest=TIMELINES / "manifest.csv", layer="simulated")
    cols = ["council_code", "snapshot_date", "case_type", "category", "detail", "count",
            "qualifier", "layer"]
    got = res.returns.copy()
    got["count"] = got["count"].astype("string").fillna("")
    want = read_csv(ROOT / simulate.TIMELINES_TRUTH)
    g = got[cols].astype(str).sort_values(cols).reset_index(drop=True)
    w = want[cols].astype(str).sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(g, w)


# ============================================================================ the register


REGISTER_COLUMNS = ["figure_id", "article_date", "source_url", "councils", "case_types", "measure",
                    "value", "qualifier", "denominator", "as_of", "implied_definition", "layer",
                    "checked_against_seed", "seed_file", "seed_quote", "notes"]


def test_register_shape():
    reg = read_csv(REGISTER)
    assert list(reg.columns) == REGISTER_COLUMNS
    assert reg["figure_id"].is_unique
    assert reg["figure_id"].str.fullmatch(r"[a-z0-9][a-z0-9-]*").all()
    assert set(reg["layer"]) == {"published", "official"}
    assert set(reg["implied_definition"]) <= {"no_professional", "no_qualified_social_worker",
                                              "councils_reading", "closure_still_open", "n/a"}
    assert set(reg["checked_against_seed"]) == {"yes", "no"}
    for cts in reg["case_types"]:
        assert cts == "" or set(cts.split(";")) <= {"cp", "lac", "cin"}
    pd.to_numeric(reg["value"], errors="raise")
    from unallocated.sources.councils import load_councils
    names = set(load_councils()["name"]) | {"England", "England (responding councils)"}
    for councils in reg["councils"]:
        assert set(councils.split(";")) <= names, councils


def test_register_figures_checked_against_the_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    reg = read_csv(REGISTER)
    checked = reg[reg["checked_against_seed"] == "yes"]
    assert len(checked) >= 10
    for row in checked.itertuples():
        text = (SEEDS / row.seed_file).read_text(encoding="utf-8")
        assert row.seed_quote in text, row.figure_id


def test_register_holds_every_figure_of_the_reference_list():
    if not SHARED_FIGURES.exists():
        pytest.skip(f"reference list not found at {SHARED_FIGURES}")
    reg = read_csv(REGISTER)
    ours = {(d, v) for d, v in zip(reg["article_date"], reg["value"])}
    with open(SHARED_FIGURES, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["value"]:
                continue  # the Hansard statement has no figure
            date = "" if row["article_date"].startswith("undated") else row["article_date"]
            assert (date, row["value"]) in ours, row


def test_register_and_generator_agree_on_the_national_figures(truth):
    reg = read_csv(REGISTER).set_index("figure_id")
    assert reg.loc["cc2010-headline-cp", "qualifier"] == "almost"
    assert int(reg.loc["cc2010-headline-cp", "value"]) == CP_ALMOST
    assert int(reg.loc["cc2010-headline-lac", "value"]) == LAC
    assert int(reg.loc["cc2010-headline-cin", "value"]) == CIN
    assert int(reg.loc["cc2010-councils-responding", "value"]) == RESPONDING
