"""`import unallocated`: the few functions a reporter needs, by name or code, refusing the unknown."""
from __future__ import annotations

import subprocess
import sys

import pytest

import unallocated
from unallocated import analysis
from unallocated.rounds import dataset
from unallocated.sources.councils import CouncilNotFound, councils


def test_dir_and_help_offer_the_reporters_functions_first():
    public = [n for n in dir(unallocated) if not n.startswith("_")]
    assert {"returns_2010", "definitions", "council", "official_stats"} <= set(public)
    doc = unallocated.__doc__
    assert doc.index("unallocated.council(") < doc.index("modules underneath")


def test_importing_the_package_imports_neither_pandas_nor_the_modules():
    code = "import sys, unallocated; print(sorted(m for m in sys.modules if m.startswith(('pandas', 'unallocated.'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_returns_carry_council_names_and_both_views():
    corrected, published = unallocated.returns_2010(), unallocated.returns_2010(corrected=False)
    assert corrected["council"].nunique() == published["council"].nunique() == 89
    assert analysis.view_of(corrected) == "as_corrected" and analysis.view_of(published) == "as_published"


def test_definitions_table_lists_every_definition():
    table = unallocated.definitions()
    assert list(table["name"]) == ["councils_reading", "closure_still_open", "no_professional",
                                   "no_qualified_social_worker"]
    assert table["description"].str.len().min() > 20


@pytest.mark.parametrize("who", ["Barnsley", "370", "Barnsley Metropolitan Borough Council"])
def test_council_by_name_or_code_shows_bounds(who):
    table = unallocated.council(who).set_index(["case_type", "definition"])
    assert set(table["council"]) == {"Barnsley"}
    # The correction: all but nine of 165 went to other professionals: 0 to 9 in each, not 9.
    assert table.loc[("lac", "no_professional"), "shown"] == "0 to 9"
    assert table.loc[("cin", "no_professional"), "shown"] == "0 to 9"
    assert table.loc[("lac", "no_qualified_social_worker"), "count"] == 51
    assert set(table["view"]) == {"as_corrected"} and set(table["layer"]) == {"simulated"}


def test_an_unknown_council_is_refused_by_name():
    with pytest.raises(CouncilNotFound, match="Barnslee.*Barnsley"):
        unallocated.council("Barnslee")
    with pytest.raises(CouncilNotFound, match="Barnslee"):
        unallocated.official_stats("Barnslee")
    with pytest.raises(CouncilNotFound, match="Barnslee"):
        analysis.council_counts_by_definition(dataset.returns_2010(), "Barnslee")


def test_a_council_without_a_return_is_refused_not_an_empty_table():
    returned = set(dataset.returns_2010()["council_code"])
    absent = next(c for c in councils(in_2010=True) if c.old_la_code not in returned)
    with pytest.raises(LookupError, match=f"{absent.name}.*no return.*simulated"):
        unallocated.council(absent.name)


def test_counts_by_definition_accepts_a_name():
    returns = dataset.returns_2010()
    by_name = analysis.council_counts_by_definition(returns, "Barnsley")
    assert not by_name.empty and by_name.equals(analysis.council_counts_by_definition(returns, "370"))


def test_official_statistics_for_one_council():
    table = unallocated.official_stats("Hull")
    assert set(table["old_la_code"]) == {"810"} and set(table["geography_level"]) == {"la"}
    assert {"children_in_need", "looked_after"} <= set(table["measure"])
    assert table["year"].min() <= 2010 <= table["year"].max()


def test_no_module_shadows_the_functions_once_imported():
    import importlib
    import pkgutil

    for mod in pkgutil.walk_packages(unallocated.__path__, "unallocated."):
        if mod.name != "unallocated.__main__":
            importlib.import_module(mod.name)
    assert all(callable(getattr(unallocated, n)) for n in unallocated.__all__)
