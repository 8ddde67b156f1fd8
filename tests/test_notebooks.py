"""The committed notebooks: clean, self-explaining, and guarded by nbval.

`make test` re-executes every notebook with `pytest --nbval-lax`; cells marked
`# NBVAL_CHECK_OUTPUT` (those that show a published number) must reproduce their committed
outputs. These tests check the notebooks' shape and prove the guard bites.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from unallocated import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
LEAKS = re.compile(r"/work/|/home/|/root/|/tmp/|/Users/|C:\\\\")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_question_inputs_outputs_and_parameters(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    for heading in ("**Question.**", "**Inputs.**", "**Outputs.**"):
        assert heading in first.source, heading
    assert "parameters" in nb.cells[1].metadata.get("tags", []), "second cell is the parameters cell"
    assert nb.metadata["kernelspec"]["name"] == "unallocated"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_outputs_are_clean_and_in_order(path):
    text = path.read_text()
    assert not LEAKS.search(text), f"{path.name} carries an absolute path: {LEAKS.search(text).group(0)}"
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert all(c.outputs for c in code if "NBVAL_CHECK_OUTPUT" in c.source), "checked cells have outputs"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    assert "papermill" not in nb.metadata


def test_every_cell_showing_a_published_headline_number_is_checked():
    nb = nbformat.read(paths.NOTEBOOKS / "01-national-picture.ipynb", as_version=4)
    checked = [c for c in nb.cells if c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source]
    shown = "".join(o.get("data", {}).get("text/plain", "") for c in checked for o in c.outputs)
    for number in ("448", "7,811", "8,338"):  # as the report shows them (display's separators)
        assert number in shown


@pytest.mark.slow
def test_changing_one_return_makes_notebook_validation_fail_with_the_numbers(tmp_path):
    returns = tmp_path / "returns"
    shutil.copytree(paths.RAW_RETURNS, returns)
    altered = returns / "2010" / "hammersmith_and_fulham_foi_data.csv"
    text = altered.read_text()
    assert "Children in need,Unallocated - in transit between teams,82\n" in text
    # one more case unallocated, and one more open (else its parts would add up to more than its
    # total, and the reader would withhold the return's counts)
    assert 'Children in need,Total open cases,"1,078"\n' in text
    altered.write_text(text.replace("in transit between teams,82\n", "in transit between teams,83\n")
                       .replace('Total open cases,"1,078"', 'Total open cases,"1,079"'))
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(tmp_path / "out")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "-q",
                          str(paths.NOTEBOOKS / "01-national-picture.ipynb")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    report = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout)
    assert run.returncode != 0
    assert "01-national-picture.ipynb::Cell 3" in report  # names the notebook and the headline cell (after the parameters check)
    assert "Cell outputs differ" in report
    # The report (notebooks/conftest.py) shows the changed rows, labelled: which numbers the
    # committed notebook has and which the data now give.
    assert re.search(r"columns: +\| as corrected \| before the correction \| from a person's reading", report)
    # a row per case type: as corrected first, then before the correction
    assert re.search(r"committed notebook: Children in need \| 7,697 to 7,706 \| 7,811 \|", report)
    assert re.search(r"this run: +Children in need \| 7,698 to 7,707 \| 7,812 \|", report)
    assert re.search(r"committed notebook: All three \| 8,182 \| 8,338 \|", report)
    assert re.search(r"this run: +All three \| 8,183 \| 8,339 \|", report)


def _report_hooks():
    import importlib.util

    spec = importlib.util.spec_from_file_location("notebook_report", paths.NOTEBOOKS / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_validation_report_labels_committed_and_new_lines_of_text_and_tables():
    hooks = _report_hooks()
    assert hooks.explain("Total: 8,338\nCouncils: 89\n", "Total: 8,339\nCouncils: 89\n") == [
        "committed notebook and this run disagree:",
        "  committed notebook: Total: 8,338",
        "  this run:           Total: 8,339",
    ]
    table = ('<table><thead><tr><th>case</th><th>count</th></tr></thead><tbody>'
             '<tr><td>cp</td><td>{}</td></tr><tr><td>cin &amp; lac</td><td>5</td></tr></tbody></table>')
    assert hooks.output_lines(table.format(79)) == ["case | count", "cp | 79", "cin & lac | 5"]
    assert hooks.explain(table.format(79), table.format(80)) == [
        "committed notebook and this run disagree:",
        "  columns:            case | count",
        "  committed notebook: cp | 79",
        "  this run:           cp | 80",
    ]
    assert hooks.explain("-- none --\nx", "-- 3 councils --\nx") == [
        "committed notebook and this run disagree:",
        "  committed notebook: -- none --",
        "  this run:           -- 3 councils --",
    ]
    assert hooks.explain("same", "same") is None  # pytest's own report is kept
