"""Council identity: manifest, then the return's title, then its file name; scope and dates."""
from __future__ import annotations

import pandas as pd

from returns_helpers import write_csv
from unallocated import analysis
from unallocated.returns import read_returns

DATED = ["Snapshot date:", "31/03/2010"]


def test_the_manifest_wins_and_a_disagreement_is_an_issue(tmp_path):
    write_csv(tmp_path / "barnet_reply.csv", [["Council:", "Sunderland"], DATED,
                                              ["Case type", "Unallocated"], ["CP", 5]])
    manifest = pd.DataFrame({"file": ["barnet_reply.csv"], "council": ["Leeds"]})
    res = read_returns(tmp_path, manifest=manifest)
    assert set(res.returns["council"]) == {"Leeds"}
    problems = " | ".join(res.issues["problem"])
    assert "the manifest says Leeds" in problems and "Sunderland" in problems
    assert "Barnet" in problems  # the file name disagrees too, and is named


def test_a_note_naming_another_council_does_not_decide_whose_return_it_is(tmp_path):
    write_csv(tmp_path / "sunderland_foi.csv", [
        ["Note: figures as agreed with Cheshire West and Chester"], ["Council:", "Sunderland"],
        DATED, ["Case type", "Unallocated"], ["CP", 5]])
    res = read_returns(tmp_path)
    assert set(res.returns["council_code"]) == {"394"}


def test_out_of_scope_and_not_yet_existing_councils_are_kept_but_out_of_national_totals(tmp_path):
    for stem, council, n in (("wrexham", "Wrexham County Borough Council", 200),
                             ("north_northamptonshire", "North Northamptonshire", 300),
                             ("cherwell", "Cherwell District Council", 400),
                             ("sunderland", "Sunderland", 5)):
        write_csv(tmp_path / f"{stem}.csv", [["Council:", council], DATED,
                                             ["Case type", "Unallocated"], ["CP", n]])
    res = read_returns(tmp_path)
    assert sorted(res.returns["count"].tolist()) == [5, 200, 300, 400]  # every row stays visible
    scoped = res.issues[res.issues["problem"].str.startswith("council out of scope")]
    assert set(scoped["file"]) == {"wrexham.csv", "north_northamptonshire.csv", "cherwell.csv"}
    assert "did not exist in 2010" in " ".join(scoped["problem"])
    kept_out = res.returns[res.returns["council_code"] == ""]
    assert sorted(kept_out["count"].tolist()) == [200, 300, 400]
    table = analysis.headline(res.returns, "no_professional", wanted=("as_published",))
    total = table[table["case_type"] == "total"].iloc[0]
    assert int(total["count"]) == 5  # the national total is Sunderland's alone
