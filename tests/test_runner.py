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


def test_html_pages_are_the_documents_nbconvert_makes():
    # The runner skips bleach-cleaning code cells (the notebooks are the project's own) and makes
    # nbconvert's alt-text and tabindex edits without re-parsing the page. Parsed the way
    # nbconvert parses, every committed notebook's page must be exactly the stock exporter's.
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from unallocated import paths
    from unallocated.runner import NO_ALT_TEXT, _to_html

    stock_exporter = HTMLExporter(template_name="lab")
    images = 0
    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        stock, _ = stock_exporter.from_notebook_node(nb)
        ours = _to_html(nb)
        assert str(BeautifulSoup(ours, features="html.parser")) == stock, path.name
        images += stock.count(NO_ALT_TEXT)
    assert images >= 4  # the edits were exercised: the figures are images without alt text


def test_accessibility_edits_touch_only_the_body_and_the_named_classes():
    from unallocated.runner import _accessible

    page = ('<head><img src="logo.png"></head><body class="jp-Notebook">'
            '<div class="jp-Cell-inputWrapper">x</div><div class="jp-OutputArea-output-x">y</div>'
            '<div class="a jp-OutputArea-output b" data-x="1">z</div><img src="a.png" alt="chart">'
            '<img src="b.png"/></body>')
    assert _accessible(page) == (
        '<head><img src="logo.png"></head><body class="jp-Notebook">'
        '<div class="jp-Cell-inputWrapper" tabindex="0">x</div><div class="jp-OutputArea-output-x">y</div>'
        '<div class="a jp-OutputArea-output b" data-x="1" tabindex="0">z</div><img src="a.png" alt="chart">'
        '<img src="b.png" alt="No description has been provided for this image"/></body>')


@pytest.mark.slow
def test_workers_started_early_run_jobs_on_clean_kernels_and_shut_them_down(tmp_path):
    import glob
    import tempfile

    import psutil

    from unallocated.runner import start_workers

    def kernel_dirs():
        return set(glob.glob(f"{tempfile.gettempdir()}/unallocated-kernel-*"))

    before = kernel_dirs()

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    params = nbformat.v4.new_code_cell("label = 'default'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import os, sys\nprint(os.getpid(), 'pandas' in sys.modules, sorted(n for n in dir() if not n.startswith('_')))")]
    path = tmp_path / "pid.ipynb"
    nbformat.write(nb, path)
    pool = start_workers(2)
    try:
        results = run_jobs([Job(path, {"label": f"run{i}"}, tmp_path / f"run{i}.ipynb") for i in range(4)],
                           progress=False, html=False, pool=pool)
    finally:
        pool.shutdown()
    assert all(r.ok for r in results)
    printed = [nbformat.read(r.job.output, as_version=4).cells[-1].outputs[0]["text"].split(" ", 2)
               for r in results]
    # The kernel preloaded pandas, yet a notebook sees only its own names.
    assert {(preloaded, names) for _, preloaded, names in printed} == {
        ("True", "['In', 'Out', 'exit', 'get_ipython', 'label', 'open', 'os', 'quit', 'sys']\n")}
    kernels = {int(pid) for pid, _, _ in printed}
    assert len(kernels) <= 2  # four notebooks, at most one warm kernel per worker
    # Shut down with their workers, not left to notice on their own that their parent is gone.
    assert not [pid for pid in kernels if psutil.pid_exists(pid)], "kernels outlived their workers"
    assert kernel_dirs() == before
