"""The notebook runner: parameters checked before injection, failures collected, outputs atomic."""
from __future__ import annotations

import nbformat
import pytest

from unallocated.runner import Job, ParameterError, describe_failure, run_jobs, validate_parameters


@pytest.fixture
def toy_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    params = nbformat.v4.new_code_cell("label = 'default'\nlimit = 3")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Toy"),
        params,
        nbformat.v4.new_code_cell("leftover = globals().get('leftover_from_last_run')\nprint(label, limit, leftover)"),
        nbformat.v4.new_code_cell("leftover_from_last_run = label\nassert limit < 10, f'limit {limit} too big'"),
    ]
    path = tmp_path / "toy.ipynb"
    nbformat.write(nb, path)
    return path


def test_unknown_or_mistyped_parameters_are_errors(toy_notebook):
    assert validate_parameters(toy_notebook, {"label": "x"}) == {"label": "x"}
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['lable'\]"):
        validate_parameters(toy_notebook, {"lable": "x"})
    with pytest.raises(ParameterError, match="'limit' must be int"):
        validate_parameters(toy_notebook, {"limit": "3"})


@pytest.mark.slow
def test_runs_on_warm_kernels_and_collects_failures(toy_notebook, tmp_path):
    out = tmp_path / "out"
    jobs = [Job(toy_notebook, {"label": f"run{i}", "limit": 99 if i == 2 else i}, out / f"run{i}.ipynb", f"run{i}")
            for i in range(4)]
    results = run_jobs(jobs, workers=1, progress=False)
    assert [r.ok for r in results] == [True, True, False, True]
    assert describe_failure(results[2]) == "run2: cell 4: AssertionError: limit 99 too big"
    # The failing run leaves its executed notebook aside, never where a good output goes.
    assert not (out / "run2.ipynb").exists() and (out / "run2.failed.ipynb").exists()
    executed = nbformat.read(out / "run3.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    # Papermill's injected cell follows the defaults; counts start at 1 in every notebook.
    assert "injected-parameters" in code[1].metadata["tags"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    # The warm kernel was reset: nothing from the previous notebook is visible.
    assert code[2].outputs[0]["text"] == "run3 3 None\n"
    assert (out / "run3.html").read_text().lstrip().lower().startswith("<!doctype html>")


def test_html_pages_are_what_nbconvert_makes_without_the_skipped_cleaning():
    # The runner skips bleach-cleaning code cells (the notebooks are the project's own); the
    # pages must be exactly what the stock exporter makes of them.
    from nbconvert import HTMLExporter

    from unallocated import paths
    from unallocated.runner import _to_html

    for name in ("01-national-picture.ipynb", "04-council-profile.ipynb"):
        nb = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
        stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        assert _to_html(nb) == stock, name
