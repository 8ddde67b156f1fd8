"""The notebook runner: parameters checked before injection, failures collected, outputs atomic."""
from __future__ import annotations

import nbformat
import pytest

from unallocated.run.runner import Job, ParameterError, describe_failure, run_jobs, validate_parameters


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
    with pytest.raises(ParameterError, match=r"unknown parameter .lable.; valid: label, limit"):
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
    # nbconvert parses, every committed notebook's page must be exactly what nbconvert's stock
    # exporter makes with the same template, preprocessors and title.
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from unallocated import paths
    from unallocated.run.runner import NO_ALT_TEXT, _to_html, exporter_options, page_resources

    stock_exporter = HTMLExporter(**exporter_options())
    images = 0
    for path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        stock, _ = stock_exporter.from_notebook_node(nb, resources=page_resources(nb, path.stem))
        ours = _to_html(nb, path.stem)
        assert str(BeautifulSoup(ours, features="html.parser")) == stock, path.name
        images += stock.count("<img")
    assert images >= 4  # the edits were exercised: the figures are images


def _page_notebook():
    """A small notebook with what the pages must handle: a hidden input, a figure, headings."""
    import base64

    nb = nbformat.v4.new_notebook()
    png = base64.b64decode(  # a 1x1 PNG
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    hidden = nbformat.v4.new_code_cell("secret_setup = 1  # HIDDEN-INPUT", metadata={"tags": ["remove_input"]})
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="shown output\n")]
    figure = nbformat.v4.new_code_cell("show_figure()")
    figure.outputs = [nbformat.v4.new_output("display_data", data={
        "image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"})]
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect width="2" height="2"/></svg>'
    vector = nbformat.v4.new_code_cell("show_svg()")
    vector.outputs = [nbformat.v4.new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<SVG>"})]
    nb.cells = [nbformat.v4.new_markdown_cell("Some text\n\n```\n# not a heading\n```\n\n## A level-2 heading"),
                hidden, figure, vector,
                nbformat.v4.new_markdown_cell("# The **real** title & more\n\n# A second H1")]
    return nb, png, svg


def test_pages_have_a_title_hidden_inputs_alt_text_and_nothing_from_the_network(tmp_path, monkeypatch):
    import json
    import re
    from html.parser import HTMLParser

    from unallocated import paths
    from unallocated.run import runner

    nb, png, svg = _page_notebook()
    # The figure as `figures.save` leaves it: NAME.png beside NAME.json with its title.
    monkeypatch.setattr(paths, "OUTPUTS", tmp_path)
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "01-x.png").write_bytes(png)
    (tmp_path / "figures" / "01-x.json").write_text(json.dumps({"title": 'Barnsley: 9 "truly" unallocated'}))
    (tmp_path / "figures" / "04-y.svg").write_text(svg)
    (tmp_path / "figures" / "04-y.json").write_text(json.dumps({"title": "An SVG chart's title"}))
    page = runner._to_html(nb, "toy-name")

    found = {"title": [], "img": [], "fetched": []}

    class Read(HTMLParser):
        in_title = False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            self.in_title = tag == "title"
            if tag == "img":
                found["img"].append(a)
            for key in ("src", "href"):
                if tag in ("script", "link", "img", "iframe") and a.get(key) and not a[key].startswith(("data:", "#")):
                    found["fetched"].append(a[key])

        def handle_data(self, data):
            if self.in_title:
                found["title"].append(data)

        def handle_endtag(self, tag):
            self.in_title = False

    Read().feed(page)
    assert found["title"] == ["The real title &amp; more".replace("&amp;", "&")]
    assert [img["alt"] for img in found["img"]] == ['Barnsley: 9 "truly" unallocated', "An SVG chart's title"]
    assert found["fetched"] == []
    assert "HIDDEN-INPUT" not in page and "shown output" in page
    assert not re.search(r"<script[^>]*\bsrc=", page) and "cdnjs" not in page and "mathjax" not in page.lower()
    # Self-contained: the image is embedded.
    assert found["img"][0]["src"].startswith("data:image/png;base64,")

    # No heading anywhere: the page is named after the notebook, never nbconvert's "Notebook".
    nb.cells = nb.cells[:4]
    assert runner.page_title(nb, "toy-name") == "toy-name"
    # A heading shown by a code cell (a report's Markdown output) counts; a hidden one does not.
    shown = nbformat.v4.new_code_cell("display(Markdown(heading))")
    shown.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "# Barnsley\n\ntext"})]
    hidden_heading = nbformat.v4.new_markdown_cell("# 04 · Council profile", metadata={"tags": ["remove_cell"]})
    nb.cells = [hidden_heading, *nb.cells, shown]
    assert runner.page_title(nb, "toy-name") == "Barnsley"
    # Run on a later round (its `round` parameter, as papermill records it), the title names the
    # round, and says SIMULATED where the register says the round is.
    from unallocated.rounds import round as rounds

    later = next((r for r in rounds.all_rounds() if r.name != "2010"), None)
    if later is not None:
        nb.metadata["papermill"] = {"parameters": {"round": later.name}}
        assert runner.page_title(nb, "toy-name") == (
            f"Barnsley (round {later.name}{', SIMULATED' if later.simulated else ''})")
    nb.metadata["papermill"] = {"parameters": {"round": "2010"}}
    assert runner.page_title(nb, "toy-name") == "Barnsley"
    nb.metadata.pop("papermill")
    # An image with no saved figure keeps nbconvert's own wording rather than none.
    (tmp_path / "figures" / "01-x.json").unlink()
    assert f'alt="{runner.NO_ALT_TEXT}"' in runner._to_html(nb, "toy-name")


def _nbconvert_soup_pass(html):
    """What nbconvert 7.17's HTMLExporter.from_notebook_node does after rendering (the oracle)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


def _duplicate_attributes(html):
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names = [name for name, _ in attrs]
            found.extend((tag, n) for n in set(names) if names.count(n) > 1)

        handle_startendtag = handle_starttag

    Collect().feed(html)
    return found


def test_accessibility_edits_match_nbconvert_on_awkward_markup():
    from bs4 import BeautifulSoup

    from unallocated.run.runner import _accessible

    page = """<html><head><img src="logo.png"><script>var x = '<img src=a.png>';</script>
<div class="jp-Cell-inputWrapper">in the head</div></head>
<body class="jp-Notebook">
<div class="jp-Cell-inputWrapper">plain</div>
<div class="jp-OutputArea-output-x">not the class</div><div-x class="jp-OutputArea-output">custom</div-x>
<DIV CLASS="a jp-OutputArea-output b" data-x="1">upper case</DIV>
<div class=jp-Cell-inputWrapper tabindex="-1">unquoted, tabindex already set</div>
<div class='jp-OutputArea-output' TabIndex=2 id="o">another tabindex</div>
<img src="a.png" alt="chart"><img src="b.png" ALT="upper"><img src="c.png" alt><IMG SRC="d.png">
<img src="e.png" title="x > y"><img src="f.png"/><img src="g.png" />
<!-- <img src="in-a-comment.png"> --><script>document.write('<img src="h.png">')</script>
<style>img { border: 0 }</style><p>text with <img src=i.png> inline</p>
</body></html>"""
    ours = _accessible(page)
    assert str(BeautifulSoup(ours, features="html.parser")) == _nbconvert_soup_pass(page)
    assert _duplicate_attributes(ours) == []
    # Script and comment text is left exactly as it was.
    assert "<script>document.write('<img src=\"h.png\">')</script>" in ours
    assert '<!-- <img src="in-a-comment.png"> -->' in ours
    assert '<div class="jp-Cell-inputWrapper">in the head</div>' in ours  # outside .jp-Notebook


def _kernel_report_notebook(tmp_path):
    """A notebook that prints, as JSON, its kernel's pid and socket path, whether pandas is
    loaded and the names it can see."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    params = nbformat.v4.new_code_cell("label = 'default'")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import json, os, sys\nfrom ipykernel.connect import get_connection_info\n"
        "print(json.dumps({'pid': os.getpid(), 'ip': json.loads(get_connection_info())['ip'],\n"
        "    'pandas': 'pandas' in sys.modules, 'names': sorted(n for n in dir() if not n.startswith('_'))}))")]
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    return path


def _kernel_reports(results):
    import json

    assert all(r.ok for r in results), [r.error for r in results]
    return [json.loads(nbformat.read(r.job.output, as_version=4).cells[-1].outputs[0]["text"]) for r in results]


NOTEBOOK_NAMES = ["In", "Out", "exit", "get_connection_info", "get_ipython", "json", "label", "open", "os",
                  "quit", "sys"]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_kernels_preload_yet_notebooks_start_clean_and_kernels_are_shut_down(tmp_path, workers, monkeypatch):
    from pathlib import Path

    import psutil

    from unallocated.run.runner import start_workers

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # the kernels' IPython home

    notebook = _kernel_report_notebook(tmp_path)
    jobs = [Job(notebook, {"label": f"run{i}"}, tmp_path / f"run{i}.ipynb") for i in range(4)]
    if workers == 1:  # the kernel starts in this process, on the first job
        reports = _kernel_reports(run_jobs(jobs, workers=1, progress=False, html=False))
    else:  # the kernels boot as the workers start, before any job is given
        pool = start_workers(2)
        try:
            reports = _kernel_reports(run_jobs(jobs, progress=False, html=False, pool=pool))
        finally:
            pool.shutdown()
    # Pandas is already loaded, yet each notebook sees only its own names.
    assert [(r["pandas"], r["names"]) for r in reports] == [(True, NOTEBOOK_NAMES)] * 4
    kernels = {r["pid"] for r in reports}
    assert len(kernels) <= workers  # four notebooks, one warm kernel per worker
    # Shut down with their workers, not left to notice on their own that their parent is gone,
    # and their socket folders removed.
    assert not [pid for pid in kernels if psutil.pid_exists(pid)], "kernels outlived their workers"
    assert not [r["ip"] for r in reports if Path(r["ip"]).parent.exists()]
    # Batch runs leave the user's IPython history alone.
    assert (tmp_path / "ipython").is_dir() and not list((tmp_path / "ipython").rglob("history.sqlite"))


def test_a_kernel_that_cannot_start_is_a_failed_result_and_leaves_nothing_behind(tmp_path, monkeypatch):
    import tempfile

    from unallocated.run import runner

    monkeypatch.setattr(runner, "KERNEL_NAME", "no-such-kernel")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the socket folders would be
    notebook = _kernel_report_notebook(tmp_path)
    results = run_jobs([Job(notebook, {}, tmp_path / f"run{i}.ipynb", f"run{i}") for i in range(2)],
                       workers=1, progress=False, html=False)
    assert [r.ok for r in results] == [False, False]
    assert all("NoSuchKernel" in r.error for r in results), [r.error for r in results]
    assert describe_failure(results[0]).startswith("run0: before any cell: NoSuchKernel")
    assert not list(tmp_path.glob("unallocated-kernel-*"))


@pytest.mark.slow
def test_the_reset_restores_what_a_notebook_changes_so_order_does_not_matter(tmp_path):
    # 06 widens pandas' max_colwidth; a profile run after it on the same warm kernel used to
    # print its source column whole instead of cut. Every such setting is restored between runs.
    changer = nbformat.v4.new_notebook()
    changer.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    changer.cells = [nbformat.v4.new_code_cell(
        "import os, warnings, pandas as pd, numpy as np, matplotlib\n"
        "pd.set_option('display.max_colwidth', 7)\nmatplotlib.rcParams['lines.linewidth'] = 9\n"
        "np.set_printoptions(precision=2)\nwarnings.filterwarnings('ignore', message='left behind')\nos.environ['LEFT_BEHIND'] = '1'\n"
        "os.chdir('/')")]
    reader = nbformat.v4.new_notebook(metadata=changer.metadata)
    reader.cells = [nbformat.v4.new_code_cell(
        "import os, warnings, pandas as pd, numpy as np, matplotlib\n"
        "print(pd.get_option('display.max_colwidth'), matplotlib.rcParams['lines.linewidth'],\n"
        "      np.get_printoptions()['precision'], 'left behind' in str(warnings.filters),\n"
        "      'LEFT_BEHIND' in os.environ, os.getcwd().endswith('notebooks'))")]
    nbformat.write(changer, tmp_path / "changer.ipynb")
    nbformat.write(reader, tmp_path / "reader.ipynb")
    out = tmp_path / "out"
    jobs = [Job(tmp_path / f"{name}.ipynb", {}, out / f"{i}-{name}.ipynb") for i, name in
            enumerate(["reader", "changer", "reader"])]
    results = run_jobs(jobs, workers=1, progress=False, html=False)
    assert all(r.ok for r in results), [r.error for r in results]
    first, _, second = ("".join(o.get("text", "") for o in nbformat.read(r.job.output, as_version=4).cells[-1].outputs) for r in results)
    assert first == second == "50 1.5 8 False False True\n"


@pytest.mark.slow
def test_a_batch_of_real_notebooks_gives_the_same_bytes_in_either_order(tmp_path, monkeypatch):
    # Issue 13: two `make reproduce FORCE=1` in a row gave 33 profiles that differed, because the
    # warm kernel kept 06's pandas options. Run 06 and two profiles in one order then the other,
    # each on one warm kernel, and compare every file written (notebooks, pages, figures, tables).
    from unallocated import paths as paths_

    batch = [("06", paths_.NOTEBOOKS / "06-fact-check.ipynb", {}),
             ("barnsley", paths_.NOTEBOOKS / "04-council-profile.ipynb", {"council": "Barnsley"}),
             ("essex", paths_.NOTEBOOKS / "04-council-profile.ipynb", {"council": "Essex"})]
    trees = {}
    for run, order in (("a", batch), ("b", batch[::-1])):
        out = tmp_path / run
        monkeypatch.setattr(paths_, "OUTPUTS", out)
        jobs = [Job(nb, params, out / "notebooks" / f"{label}.ipynb", label) for label, nb, params in order]
        results = run_jobs(jobs, workers=1, progress=False, html=True)
        assert all(r.ok for r in results), [r.error for r in results]
        trees[run] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(trees["a"]) > 6, sorted(trees["a"])
    assert trees["a"].keys() == trees["b"].keys()
    differ = [str(p) for p in trees["a"] if trees["a"][p] != trees["b"][p]]
    assert not differ, differ
