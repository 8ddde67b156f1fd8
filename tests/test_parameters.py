"""Notebook parameters: declared with types, checked by name, type and value, refused in one line."""
from __future__ import annotations

import nbformat
import pytest

from unallocated.run import parameters
from unallocated.run.parameters import Parameter, ParameterError, check, check_notebook, declared

CELL = '''council: str = "Sunderland"  # any name the resolver takes, or a DfE code
definition: str = "no_professional"  # a definition of unallocated
apply_corrections: bool = True  # true or false
top: int = 15
'''


def test_the_parameters_cell_declares_names_types_defaults_and_help():
    found = declared(CELL)
    assert list(found) == ["council", "definition", "apply_corrections", "top"]
    assert found["council"] == Parameter("council", "str", "Sunderland", "any name the resolver takes, or a DfE code")
    assert found["apply_corrections"] == Parameter("apply_corrections", "bool", True, "true or false")
    assert found["top"].help == ""
    # An untyped cell (a notebook from elsewhere) takes its defaults' types.
    assert declared("label = 'x'\nflag = False\nnames = ['a']")["flag"].type == "bool"
    assert declared("names = ['a']")["names"].type == "list[str]"
    with pytest.raises(ParameterError, match="has type 'dict'"):
        declared("options: dict = {}")


def test_unknown_names_are_refused_listing_the_valid_ones():
    with pytest.raises(ParameterError) as err:
        check({"councll": "Barnsley"}, declared(CELL), "04-council-profile")
    assert str(err.value) == ("04-council-profile: unknown parameter 'councll'; "
                              "valid: council, definition, apply_corrections, top")


@pytest.mark.parametrize("given, expected", [(True, True), (False, False), ("true", True), ("False", False)])
def test_booleans_are_true_or_false_only(given, expected):
    assert check({"apply_corrections": given}, declared(CELL)) == {"apply_corrections": expected}


@pytest.mark.parametrize("given", ["no", "yes", "", 1, 0, None])
def test_anything_else_is_not_a_boolean(given):
    with pytest.raises(ParameterError, match="'apply_corrections' must be true or false"):
        check({"apply_corrections": given}, declared(CELL))


def test_values_are_checked_against_what_they_name():
    params = declared(CELL)
    assert check({"council": "Brighton & Hove"}, params) == {"council": "Brighton and Hove"}
    assert check({"council": 302}, params) == {"council": "Barnet"}  # papermill's -p council 302
    with pytest.raises(ParameterError, match=r"unknown council 'Barnslee'; closest: Barnsley"):
        check({"council": "Barnslee"}, params)
    with pytest.raises(ParameterError, match="unknown definition 'no_one'; valid: councils_reading, "):
        check({"definition": "no_one"}, params)
    with pytest.raises(ParameterError, match="'top' must be int"):
        check({"top": "15"}, params)
    with pytest.raises(ParameterError, match="'top' must be at least 1"):
        check({"top": 0}, params)
    shown = declared('councils_shown: list[str] = ["Essex"]')
    assert check({"councils_shown": ["essex county council"]}, shown) == {"councils_shown": ["Essex"]}
    with pytest.raises(ParameterError, match="must be a list of names"):
        check({"councils_shown": "Essex"}, shown)


def _namespace(*history, **values):
    return {"__annotations__": {"council": str, "apply_corrections": bool}, "In": ["", *history, "check"], **values}


def test_the_notebook_check_sees_papermills_injected_names_and_fixes_booleans():
    ns = _namespace(CELL, "# Parameters\ncouncll = \"Barnsley\"\n", council="Sunderland", councll="Barnsley",
                    apply_corrections=True)
    with pytest.raises(ParameterError, match="unknown parameter 'councll'; valid: council, apply_corrections"):
        check_notebook(ns)
    ns = _namespace(CELL, "# Parameters\napply_corrections = \"false\"\n", council="Sunderland",
                    apply_corrections="false")
    check_notebook(ns)
    assert ns["apply_corrections"] is False and ns["council"] == "Sunderland"
    # Edited in JupyterLab: an undeclared assignment in the parameters cell is refused too.
    ns = _namespace("council: str = 'Leeds'\ncouncl = 'Barnsley'", council="Leeds", councl="Barnsley",
                    apply_corrections=True)
    with pytest.raises(ParameterError, match="unknown parameter 'councl'"):
        check_notebook(ns)
    # Any other cell run before the check (out of order in JupyterLab) is not taken for one.
    ns = _namespace("x = 1", council="Leeds", apply_corrections=True, x=1)
    check_notebook(ns)
    with pytest.raises(ParameterError, match="run the cell tagged 'parameters' first"):
        check_notebook({"In": ["", "check"]})


def test_in_a_notebook_the_error_is_one_line_without_a_traceback():
    err = ParameterError("unknown parameter 'councll'; valid: council")
    assert err._render_traceback_() == ["ParameterError: unknown parameter 'councll'; valid: council"]


@pytest.mark.slow
def test_plain_papermill_refuses_before_anything_is_written(tmp_path, capsys):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    cell = nbformat.v4.new_code_cell(CELL)
    cell.metadata["tags"] = ["parameters"]
    written = tmp_path / "written.txt"
    nb.cells = [cell, nbformat.v4.new_code_cell("from unallocated import parameters\nparameters.check_notebook(globals())"),
                nbformat.v4.new_code_cell(f"open({str(written)!r}, 'w').write(council)")]
    source = tmp_path / "in.ipynb"
    nbformat.write(nb, source)
    for bad, message in [({"councll": "Barnsley"}, "ParameterError: unknown parameter 'councll'; valid: council, "),
                         ({"apply_corrections": "no"}, "ParameterError: parameter 'apply_corrections' must be true or false, got 'no'")]:
        with pytest.raises(PapermillExecutionError) as err:
            papermill.execute_notebook(source, tmp_path / "out.ipynb", parameters=bad, progress_bar=False)
        assert not written.exists()
        assert err.value.traceback == [err.value.traceback[0]] and err.value.traceback[0].startswith(message)
    papermill.execute_notebook(source, tmp_path / "out.ipynb", parameters={"council": "846"}, progress_bar=False)
    assert written.read_text() == "Brighton and Hove"


def test_every_notebook_declares_typed_parameters_and_checks_them_first():
    from unallocated import paths

    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        source = nb.cells[at].source
        found = parameters.of_notebook(path)
        assert found and source.count(":") >= len(found), path.name
        assert all(f"{name}: {p.type} = " in source and p.help for name, p in found.items()), path.name
        assert "parameters.check_notebook(globals())" in nb.cells[at + 1].source, path.name
        assert all(c.cell_type == "markdown" for c in nb.cells[:at]), path.name
