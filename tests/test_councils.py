"""Council identity: the committed table, name and code resolution, successors, the CLI.

Expected codes were checked by hand against the raw files (osr28-2010ud.csv for old codes,
SFR21_CLA_2011.csv for ONS codes), not computed by the code under test.
"""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from unallocated.sources import councils as C
from unallocated import paths
from unallocated.errors import CouncilNotFound

RAW = paths.RAW_OFFICIAL
needs_raw = pytest.mark.skipif(not (RAW / "osr28-2010ud.csv").exists(),
                               reason="raw official files not fetched (make data)")


# --------------------------------------------------------------------------- the table


def test_152_councils_in_2010_plus_six_successors():
    df = C.load_councils()
    assert df["in_2010"].sum() == 152
    assert len(df) == 158
    assert df["old_la_code"].is_unique and df["ons_code"].is_unique and df["name"].is_unique
    assert df["old_la_code"].str.fullmatch(r"\d{3}").all()
    assert df["ons_code"].str.fullmatch(r"E\d{8}").all()
    assert set(df.loc[~df["in_2010"], "old_la_code"]) == {"838", "839", "940", "941", "942", "943"}
    assert df["region"].nunique() == 9


def test_table_rows_known_values():
    df = C.load_councils().set_index("old_la_code")
    assert df.loc["201", ["ons_code", "name", "region"]].tolist() == [
        "E09000001", "City of London", "London"]
    assert df.loc["420", ["ons_code", "name", "region"]].tolist() == [
        "E06000053", "Isles of Scilly", "South West"]
    # Gateshead: the 2011 file's code is kept, the later one is an alias
    assert df.loc["390", "ons_code"] == "E08000020"
    assert "E08000037" in df.loc["390", "other_ons_codes"].split(";")
    assert df.loc["929", "ons_code"] == "E06000048"
    assert df.loc["839", "predecessors"] == "837;836;835"
    assert df.loc["909", "to_year"] == 2023 and df.loc["942", "from_year"] == 2023
    assert pd.isna(df.loc["302", "to_year"])


def test_loaded_table_is_a_copy():
    a = C.load_councils()
    a.loc[0, "name"] = "changed"
    assert C.load_councils().loc[0, "name"] == "City of London"


# --------------------------------------------------------------------------- resolving

HARD_NAMES = {
    "Sunderland City Council": "394",
    "London Borough of Barnet": "302",
    "Royal Borough of Kensington and Chelsea": "207",
    "Brighton & Hove": "846",
    "Bristol, City of": "801",
    "Hull City Council": "810",
    "Durham County Council": "840",
    "St. Helens": "342",
    "Herefordshire, County of": "884",
    "Bedford Borough": "822",
    "  isles   OF scilly ": "420",
    "City of London": "201",
    "Kingston upon Hull": "810",
    "Kingston upon Thames": "314",
    "Barnsley": "370",
    "Birmingham City Council": "330",
    "Essex County Council": "881",
    "Lincolnshire": "925",
    "Cheshire East5": "895",          # footnote marker in sfr27-2010amv5.xls
    "Medway Towns": "887",            # LAA1's name for Medway
    "Stoke-On-Trent": "861",
    "City of York Council": "816",
}


@pytest.mark.parametrize("name,code", HARD_NAMES.items())
def test_hard_names(name, code):
    assert C.resolve(name).old_la_code == code


@pytest.mark.parametrize("city,county", [
    ("Derby", "Derbyshire"), ("Leicester", "Leicestershire"),
    ("Nottingham", "Nottinghamshire"), ("York", "North Yorkshire"),
])
def test_city_is_never_its_county(city, county):
    expected = {"Derby": ("831", "830"), "Leicester": ("856", "855"),
                "Nottingham": ("892", "891"), "York": ("816", "815")}[city]
    assert (C.resolve(city).old_la_code, C.resolve(county).old_la_code) == expected
    assert C.resolve(f"{city} City Council").old_la_code == expected[0]
    assert C.resolve(f"{county} County Council").old_la_code == expected[1]


def test_durham_and_bristol_forms():
    for name in ("Durham", "County Durham", "Durham County Council"):
        assert C.resolve(name).old_la_code == "840"
    for name in ("Bristol", "Bristol City Council", "City of Bristol", "Bristol  City of"):
        assert C.resolve(name).old_la_code == "801"
    assert C.resolve("Hull").old_la_code == C.resolve("Kingston Upon Hull, City of").old_la_code


def test_codes_resolve():
    assert C.resolve("394").name == "Sunderland"
    assert C.resolve("E09000003").old_la_code == "302"
    assert C.resolve("e08000037").old_la_code == "390"   # later Gateshead code
    assert C.resolve("E06000057").old_la_code == "929"   # later Northumberland code
    council = C.resolve("207")
    assert council == C.Council("207", "E09000020", "Kensington and Chelsea", "London", True)


def test_council_is_frozen():
    with pytest.raises(AttributeError):
        C.resolve("302").name = "x"


def test_successors_and_covers():
    bcp = C.resolve("Bournemouth, Christchurch and Poole")
    assert (bcp.old_la_code, bcp.ons_code, bcp.in_2010) == ("839", "E06000058", False)
    assert bcp.predecessors == ("837", "836", "835")
    assert [c.old_la_code for c in C.covers("839")] == ["837", "836", "835"]
    assert [c.old_la_code for c in C.covers("North Northamptonshire")] == ["928"]
    assert [c.old_la_code for c in C.covers("West Northamptonshire")] == ["928"]
    assert [c.old_la_code for c in C.covers("E06000063")] == ["909"]     # Cumberland
    assert [c.old_la_code for c in C.covers("Westmorland & Furness")] == ["909"]
    assert [c.old_la_code for c in C.covers("Barnet")] == ["302"]
    assert {c.old_la_code for c in C.successors("Cumbria")} == {"942", "943"}


def test_dorset_depends_on_year():
    assert C.resolve("Dorset").old_la_code == "835"          # the investigation's year
    assert C.resolve("Dorset County Council").old_la_code == "835"
    assert C.resolve("Dorset", year=2021).old_la_code == "838"
    assert C.resolve("Dorset Council").old_la_code == "838"
    assert [c.old_la_code for c in C.covers("838")] == ["835"]


@pytest.mark.parametrize("name,reason,candidate", [
    ("Cardiff", "out of scope (Welsh council)", None),
    ("W06000015", "out of scope (Welsh council)", None),
    ("Glasgow City", "out of scope (Scottish council)", None),
    ("Colchester", "out of scope (district council: children's services are run by Essex)",
     "Essex"),
    ("Harrogate", "out of scope (district council, abolished 2023: children's services were "
                  "run by North Yorkshire)", "North Yorkshire"),
])
def test_out_of_scope(name, reason, candidate):
    with pytest.raises(CouncilNotFound) as err:
        C.resolve(name)
    assert err.value.reason == reason
    assert err.value.name == name
    if candidate:
        assert err.value.candidates[0] == candidate


def test_unknown_and_ambiguous():
    with pytest.raises(CouncilNotFound) as err:
        C.resolve("Sunderlnd")
    assert err.value.reason == "unknown" and err.value.candidates[0] == "Sunderland"
    with pytest.raises(CouncilNotFound) as err:
        C.resolve("London")     # a region, not the City of London
    assert err.value.reason == "unknown"
    with pytest.raises(CouncilNotFound) as err:
        C.resolve("Kingston")
    assert err.value.reason == "ambiguous"
    assert set(err.value.candidates) == {"Kingston upon Thames", "Kingston upon Hull, City of"}
    with pytest.raises(CouncilNotFound) as err:
        C.resolve("Cheshire")
    assert err.value.reason.startswith("ambiguous (split in 2009")
    with pytest.raises(CouncilNotFound) as err:
        C.resolve("314 / 318")
    assert err.value.reason.startswith("ambiguous (joint figures")
    assert err.value.candidates == ["Kingston upon Thames", "Richmond upon Thames"]


# --------------------------------------------------------------------------- command line


def _cli(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "unallocated", "councils", *args],
                          capture_output=True, text=True, cwd=paths.ROOT)
    if "ModuleNotFoundError: No module named 'unallocated." in proc.stderr:
        pytest.skip("another command's module is not written yet: " + proc.stderr.splitlines()[-1])
    return proc


def test_cli_resolve_ok():
    proc = _cli("resolve", "London Borough of Barnet", "420")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "London Borough of Barnet\t302\tE09000003\tBarnet",
        "420\t420\tE06000053\tIsles of Scilly",
    ]


def test_cli_resolve_failure_prints_good_names_and_exits_2():
    proc = _cli("resolve", "Sunderland City Council", "Cardiff", "Derbyshire")
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        "Sunderland City Council\t394\tE08000024\tSunderland",
        "Derbyshire\t830\tE10000007\tDerbyshire",
    ]
    assert "'Cardiff'" in proc.stderr and "Welsh" in proc.stderr


def test_cli_list():
    proc = _cli("list")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["old_la_code", "ons_code", "name"]
    assert len(lines) == 159


# --------------------------------------------------------------------------- against raw files


def _official_names_and_codes() -> list[tuple[str, str, str, int]]:
    """(file, name or code, expected old code, year) for every council row of every file."""
    out: list[tuple[str, str, str, int]] = []
    for rel, enc in C.CIN_FILES:
        df = pd.read_csv(RAW / rel, encoding=enc, dtype=str, usecols=["geog_l", "geog_c", "geog_n"])
        df = df[df["geog_l"] == "LA"]
        out += [(rel, v, code, 2010) for code, n in zip(df["geog_c"], df["geog_n"])
                for v in (code, n)]
    for rel in C.CLA_FILES:
        df = pd.read_csv(RAW / rel, dtype=str, usecols=["New_geog_code", "geog_l", "geog_c",
                                                        "geog_n"])
        df = df[df["geog_l"] == "LA"]
        out += [(rel, v, code, 2011) for code, ons, n in
                zip(df["geog_c"], df["New_geog_code"], df["geog_n"]) for v in (code, ons, n)]
    ees = C.read_ees_councils(RAW)
    ees = ees[~ees["old_la_code"].str.contains("/")]
    out += [(f, v, code, year) for f, code, ons, n, year in
            zip(ees["file"], ees["old_la_code"], ees["new_la_code"], ees["la_name"],
                ees["time_period"]) for v in (code, ons, n)]
    return out


@pytest.mark.needs_raw
@needs_raw
def test_every_official_name_and_code_resolves_to_its_own_code():
    failures = []
    for rel, value, code, year in _official_names_and_codes():
        # A ceased council's name is shared with its successor only for Dorset; files keep
        # old Dorset rows after 2019, so its name is checked at the 2010 reading.
        y = C.REFERENCE_YEAR if code in C.CEASED else year
        try:
            got = C.resolve(value, year=y).old_la_code
        except CouncilNotFound as err:
            got = f"error: {err}"
        if got != code:
            failures.append((rel, value, code, got))
    assert failures == []


@pytest.mark.needs_raw
@needs_raw
def test_joint_rows_raise_ambiguous():
    ees = C.read_ees_councils(RAW)
    joint = ees[ees["old_la_code"].str.contains("/")].drop_duplicates("old_la_code")
    assert set(joint["old_la_code"]) == {"314 / 318", "940 / 941"}
    for _, row in joint.iterrows():
        for value in (row["old_la_code"], row["new_la_code"], row["la_name"]):
            with pytest.raises(CouncilNotFound, match="joint figures"):
                C.resolve(value)


@pytest.mark.needs_raw
@needs_raw
def test_ons_files_resolve_or_are_out_of_scope():
    pop = C.read_popest_names(RAW)
    for name, code in zip(pop["name"], pop["code"]):
        if code.startswith("E"):
            # the file lists councils as of April 2021
            assert C.resolve(name, year=2021).old_la_code == C.resolve(code).old_la_code, name
            assert code in {C.resolve(code).ons_code} | set(
                C.load_councils().set_index("old_la_code").loc[
                    C.resolve(code).old_la_code, "other_ons_codes"].split(";"))
        else:
            with pytest.raises(CouncilNotFound, match="out of scope"):
                C.resolve(name)
            with pytest.raises(CouncilNotFound, match="out of scope"):
                C.resolve(code)
    ltla = pd.read_csv(RAW / C.LTLA_FILE, encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    for name, code in set(zip(ltla["UTLA23NM"], ltla["UTLA23CD"])):
        if code.startswith("E"):
            assert C.resolve(name, year=2023).old_la_code == C.resolve(code).old_la_code, name
        else:
            with pytest.raises(CouncilNotFound, match="Welsh"):
                C.resolve(name)
    districts = ltla[ltla["LTLA23CD"] != ltla["UTLA23CD"]]
    for name, upper in zip(districts["LTLA23NM"], districts["UTLA23NM"]):
        with pytest.raises(CouncilNotFound, match="district council") as err:
            C.resolve(name)
        assert err.value.candidates[0] == C.resolve(upper).name


@pytest.mark.needs_raw
@needs_raw
def test_looked_after_2010_workbook_names_resolve():
    sheet = pd.read_excel(RAW / "sfr27-2010amv5.xls", sheet_name="LAA1", engine="calamine",
                          header=None, dtype=str)
    # council rows sit between the England row and the footnotes; region rows are skipped
    regions = {"North East", "North West", "Yorkshire and The Humber", "East Midlands",
               "West Midlands", "East of England", "London", "Inner London", "Outer London",
               "South East", "South West"}
    names = [n for n in sheet.iloc[8:188, 2].dropna() if n.strip() and n not in regions]
    resolved, split = {}, []
    for n in names:
        try:
            resolved[n] = C.resolve(n).old_la_code
        except CouncilNotFound as err:
            assert err.reason.startswith("ambiguous (split in 2009"), n
            split.append(n)
    assert sorted(split) == ["Bedfordshire5", "Cheshire5"]
    assert len(set(resolved.values())) == 152
    assert resolved["Medway Towns"] == "887" and resolved["Bedford Borough5"] == "822"


@pytest.mark.needs_raw
@needs_raw
def test_build_matches_committed_table():
    built = C.build_councils_table(RAW)
    committed = pd.read_csv(C.COUNCILS_CSV, dtype=str, keep_default_na=False)
    as_text = built.astype(object).where(built.notna(), "").astype(str)
    pd.testing.assert_frame_equal(as_text.reset_index(drop=True), committed)
    oos = C.build_out_of_scope_table(RAW)
    pd.testing.assert_frame_equal(
        oos, pd.read_csv(C.OUT_OF_SCOPE_CSV, dtype=str, keep_default_na=False))
