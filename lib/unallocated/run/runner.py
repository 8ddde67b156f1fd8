"""Run the investigation's notebooks: parameters checked, injected by papermill, executed on warm
kernels, written atomically, exported to HTML, failures collected rather than fatal.

Why not papermill's own `execute_notebook` per notebook? It starts a fresh kernel each time
(about 1.5 s), which for 152 council profiles is minutes. Here each worker process keeps one
kernel alive and runs notebook after notebook on it, clearing the user's names, figures and
working directory between runs, while papermill still does what it is for: injecting the
parameters cell. Kernels boot in the background (`prestart_kernel`, `start_workers`) while the
caller does other work (reads the returns, prepares the first notebook), and import what every
notebook imports (`PRELOAD`).
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import tempfile
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unallocated import paths
from unallocated.run import parameters
from unallocated.run.parameters import ParameterError  # noqa: F401 (re-exported)
from unallocated.files import atomic_write_text

KERNEL_NAME = "unallocated"


@dataclass(frozen=True)
class Job:
    """One notebook run: which notebook, with which parameters, written where."""

    notebook: Path
    parameters: dict[str, Any]
    output: Path  # executed notebook (.ipynb); HTML goes beside it with .html
    label: str = ""

    @property
    def html(self) -> Path:
        return self.output.with_suffix(".html")


@dataclass
class Result:
    job: Job
    ok: bool
    seconds: float = 0.0
    failed_cell: int | None = None  # index of the failing cell in the executed notebook
    error: str = ""
    outputs: list[Path] = field(default_factory=list)


def notebook_defaults(notebook: Path) -> dict[str, Any]:
    """The names and default values in the cell tagged `parameters`."""
    return {name: p.default for name, p in parameters.of_notebook(notebook).items()}


def validate_parameters(notebook: Path, values: dict[str, Any]) -> dict[str, Any]:
    """Check names, types and values against the notebook's parameters cell (`unallocated.run.parameters`).

    Papermill would inject a misspelt name without complaint (it only logs it); the notebook's
    own check cell would then refuse it, but only once its kernel has started: here it is
    refused before anything runs. Returns the values to inject (a council by its canonical name).
    """
    return parameters.check(values, parameters.of_notebook(notebook), Path(notebook).stem)


# --- worker side: one warm kernel per process -------------------------------------------------

_KERNEL: dict[str, Any] = {}
_PRESTART: threading.Thread | None = None


#: What every notebook imports first. A warm kernel imports it as soon as it has booted, so
#: that when the kernel boots while its process waits (for the parent to hash the inputs, say)
#: the first notebook does not wait for pandas. Nothing else is run: a notebook still starts
#: from an empty namespace.
PRELOAD = ("import pandas, unallocated.analysis, unallocated.rounds.dataset\n"
           # What a notebook can change and the reset restores: environment, warning filters.
           "import os as _os, warnings as _w\n"
           "get_ipython().user_ns_hidden['_unallocated_saved'] = (dict(_os.environ), list(_w.filters))\n"
           # Leaves the kernel as `_reset_kernel` would: the first notebook needs no reset.
           "del _os, _w, pandas, unallocated")


def _start_kernel() -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.util import run_sync

    # nbclient's own (async) kernel manager and client, kept for the life of this process.
    # Batch runs stay out of the user's IPython history (~/.ipython): 152 profiles a run.
    starter = NotebookClient(nbformat.v4.new_notebook(), kernel_name=KERNEL_NAME,
                             extra_arguments=["--HistoryManager.enabled=False"])
    km = starter.create_kernel_manager()
    # Local sockets, not TCP: the kernel only ever talks to this process (and ipykernel warns,
    # on every start, that TCP traffic is unencrypted). The path is absolute because the kernel
    # runs in notebooks/ and a relative one would name different files for the two processes.
    km.transport = "ipc"
    sockets = Path(tempfile.mkdtemp(prefix="unallocated-kernel-"))
    km.ip = str(sockets / "ipc")
    try:
        # The kernel writes where this process does (`paths.OUTPUTS`), whatever its environment.
        starter.start_new_kernel(cwd=str(paths.NOTEBOOKS),
                                 env={**os.environ, "UNALLOCATED_OUTPUTS": str(paths.OUTPUTS)})
        kc = starter.start_new_kernel_client()
    except BaseException:  # no kernel spec, a kernel that died or never answered
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
        raise
    _KERNEL.update(km=km, kc=kc)
    atexit.register(_stop_kernel)
    # A failed import is left for the notebook's own cell to report, with its traceback.
    reply = run_sync(kc.execute_interactive)(PRELOAD, silent=True, store_history=False, timeout=120)
    _KERNEL["fresh"] = reply["content"]["status"] == "ok"


def _stop_kernel() -> None:
    from nbclient.util import run_sync

    if _PRESTART is not None and _PRESTART is not threading.current_thread():
        # A kernel still booting is shut down once it is up (boot and preload have time limits).
        _PRESTART.join()
    if _KERNEL:
        _KERNEL["kc"].stop_channels()
        run_sync(_KERNEL["km"].shutdown_kernel)(now=True)
        shutil.rmtree(Path(_KERNEL["km"].ip).parent, ignore_errors=True)
        _KERNEL.clear()


def _reset_kernel() -> None:
    """Clear what the last notebook left: its variables, figures and working directory."""
    from nbclient.util import run_sync

    # Not `%reset -f`: it also runs a full garbage collection, 130 ms a notebook. Removing the
    # user's names (and the output history that holds on to their values) is what matters.
    code = ("_ip = get_ipython()\n"
            "[_ip.user_ns.pop(n) for n in [n for n in list(_ip.user_ns)\n"
            "    if n not in _ip.user_ns_hidden and not n.startswith('_')]]\n"
            "_ip.user_ns.get('Out', {}).clear()\n"
            # The parameters cell's declarations (`unallocated.run.parameters` reads them).
            "_ip.user_ns.pop('__annotations__', None)\n"
            # Figures are closed only if pyplot is loaded: importing it would cost 0.3 s.
            "import os as _os, sys as _sys\n_plt = _sys.modules.get('matplotlib.pyplot')\n"
            "_plt and _plt.close('all')\n"
            f"_os.chdir({str(paths.NOTEBOOKS)!r})\n"
            # Everything else a notebook can change that would alter the next one's output:
            # pandas options (06 widens max_colwidth), matplotlib's rcParams, numpy's print
            # options, warning filters, environment variables.
            "_pd = _sys.modules.get('pandas')\n"
            "if _pd is not None:\n"
            "    import warnings as _w\n"
            "    with _w.catch_warnings():\n"
            "        _w.simplefilter('ignore'); _pd.reset_option('all')\n"
            # Module-level caches a notebook could mutate in place (ingest returns copies).
            "_an = _sys.modules.get('unallocated.analysis.tables')\n"
            "_an and _an._VIEW_CACHE.clear()\n"
            "_mpl = _sys.modules.get('matplotlib')\n"
            "_mpl and _mpl.rcdefaults()\n"
            "_np = _sys.modules.get('numpy')\n"
            "_np and _np.set_printoptions(**{'edgeitems': 3, 'threshold': 1000, 'floatmode': 'maxprec', 'precision': 8,\n"
            "    'suppress': False, 'linewidth': 75, 'nanstr': 'nan', 'infstr': 'inf', 'sign': '-', 'formatter': None,\n"
            "    'legacy': False})\n"
            "_saved = _ip.user_ns_hidden.get('_unallocated_saved')\n"
            "if _saved:\n"
            "    import warnings as _w\n"
            "    _w.filters[:] = _saved[1]; _w._filters_mutated()\n"
            "    _os.environ.clear(); _os.environ.update(_saved[0])\n"
            "del _ip, _os, _sys, _plt, _pd, _mpl, _np, _saved, _an")
    reply = run_sync(_KERNEL["kc"].execute_interactive)(code, store_history=False, silent=True, timeout=60)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel reset failed: {reply['content']}")


def _atomic_write_text(path: Path, text: str) -> None:
    atomic_write_text(path, text)


def run_job(job: Job, html: bool = True) -> Result:
    """Execute one job on this process's warm kernel. Never raises: failures are in the Result."""
    import time

    import nbformat
    import papermill
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    # The notebook is read and parameterized before waiting for a kernel still booting.
    nb = _source_notebook(job.notebook)
    nb = papermill.parameterize.parameterize_notebook(nb, job.parameters, kernel_name=KERNEL_NAME)
    if _PRESTART is not None:
        _PRESTART.join()
    try:
        if not _KERNEL:
            _start_kernel()
        if not _KERNEL.pop("fresh", False):  # a kernel that has run a notebook (or failed its preload)
            _reset_kernel()
        client = _client_class()(nb, km=_KERNEL["km"], timeout=600, kernel_name=KERNEL_NAME,
                                 resources={"metadata": {"path": str(paths.NOTEBOOKS)}})
        client.kc = _KERNEL["kc"]
        if html and _EXPORTER is None:
            # Import nbconvert and compile its templates while the kernel works: this process is
            # only waiting meanwhile.
            threading.Thread(target=_warm_exporter, daemon=True).start()
        client.execute()
    except CellExecutionError as err:
        failed = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                       and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        failed_path = job.output.with_suffix(".failed.ipynb")
        _atomic_write_text(failed_path, nbformat.writes(nb))
        return Result(job, False, time.perf_counter() - start, failed, f"{err.ename}: {err.evalue}", [failed_path])
    except Exception as err:  # a dead kernel or a timeout: record it, restart for the next job
        _stop_kernel()
        return Result(job, False, time.perf_counter() - start, None, f"{type(err).__name__}: {err}")
    _strip_volatile(nb)
    written = [job.output]
    _atomic_write_text(job.output, _writes(nb))
    job.output.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    if html:
        _atomic_write_text(job.html, _to_html(nb, job.output.stem))
        written.append(job.html)
    return Result(job, True, time.perf_counter() - start, outputs=written)


def _strip_volatile(nb) -> None:
    """Remove what changes from run to run (timings, kernel ids), so outputs are reproducible."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        # One print can reach the kernel's output as one stream message or several, depending
        # on timing: merge consecutive pieces of the same stream so the bytes do not vary.
        merged = []
        for output in cell.get("outputs", []):
            if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == output.get("name")):
                merged[-1]["text"] = merged[-1]["text"] + output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged
        for output in cell.get("outputs", []):
            # A warm kernel's own counter keeps rising across notebooks; show the notebook's.
            if "execution_count" in output:
                output["execution_count"] = cell.get("execution_count")
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
    papermill_meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "exception", "input_path", "output_path"):
        papermill_meta.pop(key, None)


_EXPORTER: Any = None
_SOURCES: dict[tuple[str, int], Any] = {}


def _source_notebook(path: Path):
    """The notebook to run, read (and validated) once per process and copied for each job."""
    import copy

    import papermill

    key = (str(path), path.stat().st_mtime_ns)
    if key not in _SOURCES:
        _SOURCES[key] = papermill.iorw.load_notebook_node(str(path))  # also gives cells a tags list
    return copy.deepcopy(_SOURCES[key])


def _writes(nb) -> str:
    """Serialise like nbformat.writes, without re-validating a notebook made from a valid one."""
    from nbformat.v4.nbjson import JSONWriter

    return JSONWriter().writes(nb)


_EXPORTER_LOCK = threading.Lock()
_EXPORT_LOCK = threading.Lock()

# nbconvert's HTMLExporter renders its template, then re-parses the whole page (300 kB, most of
# it the inlined JupyterLab CSS) with BeautifulSoup only to add two attributes: alt text on
# images without any, and tabindex="0" on cell inputs and outputs. That pass is three quarters
# of the export time. The runner makes the same edits on the template's own markup instead; a
# test checks that every notebook's page parses to exactly the document nbconvert makes.
NO_ALT_TEXT = "No description has been provided for this image"  # nbconvert's own wording
# Where html.parser sees no tags: script and style contents, and comments.
_RAW_TEXT = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.S | re.I)
_START_TAG = re.compile(r"""<(img|div)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*?)(\s*/?>)""", re.I)
_ATTRIBUTE = re.compile(r"""\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_FOCUSABLE_CLASSES = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}


def _edit_tag(match: re.Match, in_body: bool) -> str:
    tag, attrs, end = match.groups()
    found = {a.group(1).lower(): a for a in _ATTRIBUTE.finditer(attrs)}
    if tag.lower() == "img":
        return match.group(0) if "alt" in found else f'<{tag}{attrs} alt="{NO_ALT_TEXT}"{end}'
    classes = set((found["class"].group(2) or "").strip("\"'").split()) if "class" in found else set()
    if not in_body or not classes & _FOCUSABLE_CLASSES:  # nbconvert: `.jp-Notebook div.…`
        return match.group(0)
    if "tabindex" in found:  # nbconvert sets the value, where the attribute already stands
        old = found["tabindex"]
        return f'<{tag}{attrs[:old.start()]} tabindex="0"{attrs[old.end():]}{end}'
    return f'<{tag}{attrs} tabindex="0"{end}'


def _accessible(html: str) -> str:
    """The edits HTMLExporter makes with BeautifulSoup, made on the rendered page's text:
    alt text on every image without any; tabindex on the body's cell inputs and outputs (the
    template's <body> carries the class jp-Notebook)."""
    body = html.find("<body")
    body = len(html) if body < 0 else body
    pieces, done = [], 0
    for raw in [*_RAW_TEXT.finditer(html), None]:
        stop = raw.start() if raw else len(html)
        pieces.append(_START_TAG.sub(lambda m: _edit_tag(m, done + m.start() > body), html[done:stop]))
        if raw:
            pieces.append(raw.group(0))
            done = raw.end()
    return "".join(pieces)


#: The page template: nbconvert's JupyterLab page with nothing fetched from the network
#: (require.js, MathJax, Mermaid and widget loaders all come from a CDN, and no notebook here
#: needs them), the notebook's own title, each figure's alt text from its metadata, the print
#: stylesheet every page carries (`unallocated.build.print_css`: A4, nothing cut, what the
#: numbers rest on at the top of every sheet) and a footer naming the commit, the data's hash
#: and the build date.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- macro with_alt(img, alt) -%}
{%- if alt -%}
{{ img | replace('<img ', '<img alt="' ~ (alt | escape_html_keep_quotes | replace('"', '&quot;')) ~ '" ', 1) }}
{%- else -%}
{{ img }}
{%- endif -%}
{%- endmacro -%}
{% block data_png scoped %}{{ with_alt(super(), output | get_metadata('alt', 'image/png')) }}{% endblock data_png %}
{% block data_svg scoped %}{{ with_alt(super(), output | get_metadata('alt', 'image/svg+xml')) }}{% endblock data_svg %}
{% block extra_css %}
<style type="text/css">
{{ resources.unallocated_css }}
</style>
{% endblock extra_css %}
{% block body_footer %}
{{ resources.unallocated_footer }}
</main>
</body>
{% endblock body_footer %}
"""

#: How a report page looks beside nbconvert's own styles: no notebook prompts ("Out[5]:"), and
#: tables that wrap their cells within the window rather than scroll sideways.
REPORT_CSS = """
.jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { max-width: 28em; white-space: normal; overflow-wrap: break-word; }
"""

#: Cell tags that hide part of a cell in the page (the executed .ipynb keeps everything).
#: The parameters cell and papermill's injected one are left out of the page: shown together
#: they read "council = 'Sunderland'" above "council = 'Barnsley'"; each page states in its
#: text the council, view and definition it was run for.
HIDDEN_BY_TAG = {"remove_input_tags": {"remove_input"},
                 "remove_cell_tags": {"remove_cell", "parameters", "injected-parameters"},
                 "remove_all_outputs_tags": {"remove_output"}}


def exporter_options() -> dict[str, Any]:
    """How the page exporter is configured (the test builds nbconvert's stock exporter with the
    same options, to check the runner's faster pass gives the same document)."""
    from jinja2 import DictLoader
    from nbconvert.preprocessors import TagRemovePreprocessor

    return {"template_name": "lab", "template_file": "unallocated-page.html.j2",
            "extra_loaders": [DictLoader({"unallocated-page.html.j2": PAGE_TEMPLATE})],
            "preprocessors": [TagRemovePreprocessor(enabled=True, **HIDDEN_BY_TAG),
                              _figure_alt_preprocessor()()]}


_H1_MARKDOWN = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$|^ {0,3}(\S.*?)[ \t]*\n {0,3}=+[ \t]*$", re.M)
_H1_HTML = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.S | re.M)


def _plain(text: str) -> str:
    """Markdown or HTML inline text as a browser title shows it."""
    import html as html_lib

    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", text)
    return " ".join(html_lib.unescape(text).split())


def _first_h1(text: str, markdown: bool = True) -> str | None:
    if markdown:
        found = _H1_MARKDOWN.search(_FENCE.sub("", text))
        html_found = _H1_HTML.search(text)
        if found and (not html_found or found.start() < html_found.start()):
            return _plain(found.group(1) or found.group(2)) or None
        return _plain(html_found.group(1)) or None if html_found else None
    found = _H1_HTML.search(text)
    return _plain(found.group(1)) or None if found else None


def page_title(nb, name: str) -> str:
    """The page's <title>: the first level-1 heading a reader sees (a markdown cell, or a
    Markdown or HTML output), else the notebook's name, never nbconvert's "Notebook"; for a page
    run on a round other than 2010 (its `round` parameter), with the round named and SIMULATED
    in words where the round is, so no tab or link takes it for 2010's page."""
    title = _heading_title(nb, name)
    chosen = (nb.metadata.get("papermill") or {}).get("parameters", {}).get("round")
    if chosen and str(chosen) != "2010":
        from unallocated.rounds.round import RoundError, get

        try:
            r = get(str(chosen))
            title += f" (round {r.name}{', SIMULATED' if r.simulated else ''})"
        except RoundError:
            title += f" (round {chosen})"
    return title


def _heading_title(nb, name: str) -> str:
    hidden = HIDDEN_BY_TAG["remove_input_tags"] | HIDDEN_BY_TAG["remove_cell_tags"]
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown" and not tags & hidden:
            title = _first_h1(cell.source)
        elif cell.cell_type == "code" and not tags & (HIDDEN_BY_TAG["remove_cell_tags"]
                                                      | HIDDEN_BY_TAG["remove_all_outputs_tags"]):
            title = None
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    title = _first_h1(_joined(data["text/markdown"]))
                elif "text/html" in data:
                    title = _first_h1(_joined(data["text/html"]), markdown=False)
                if title:
                    break
        else:
            continue
        if title:
            return title
    return name


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


_ALT_INDEX: dict[tuple[str, int], dict[str, str]] = {}


def figure_titles(folder: Path) -> dict[str, str]:
    """SHA-256 of each saved figure's PNG -> its title (from NAME.json, see `figures.save`).

    A notebook shows a figure as the PNG it saved (`charts.save`), so the page can give the
    image the figure's title as its alt text. Cached while the folder is unchanged."""
    import hashlib

    folder = Path(folder)
    try:
        key = (str(folder), folder.stat().st_mtime_ns)
    except FileNotFoundError:
        return {}
    if key not in _ALT_INDEX:
        index = {}
        for meta in sorted(folder.glob("*.json")):
            try:
                title = json.loads(meta.read_text(encoding="utf-8")).get("title")
            except (OSError, ValueError, AttributeError):
                continue
            for image in (meta.with_suffix(".png"), meta.with_suffix(".svg")):
                if title and image.exists():
                    index[hashlib.sha256(image.read_bytes()).hexdigest()] = title
        _ALT_INDEX.clear()
        _ALT_INDEX[key] = index
    return _ALT_INDEX[key]


@functools.cache
def _client_class():
    """nbclient's NotebookClient for a kernel this process keeps warm across notebooks.

    nbclient's own set-up would start a kernel (there is one), clean it up after the notebook
    (it serves the next) and, while a notebook runs, answer SIGINT and SIGTERM by shutting the
    kernel down; afterwards it leaves Python's Ctrl-C handler in place. Here Ctrl-C is the
    parent's to answer (in one line), and a worker told to stop kills its kernel itself
    (`_worker_started`), so the set-up does nothing at all."""
    from contextlib import asynccontextmanager

    from nbclient import NotebookClient

    class WarmKernelClient(NotebookClient):
        @asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            yield

    return WarmKernelClient


@functools.cache
def _figure_alt_preprocessor():
    """The preprocessor class, made when nbconvert is first needed (it is slow to import)."""
    from nbconvert.preprocessors import Preprocessor

    class FigureAltText(Preprocessor):
        """Give each PNG output without alt text (output metadata `alt`) its saved figure's title."""

        def preprocess(self, nb, resources):
            import base64
            import hashlib

            titles = None
            for cell in nb.cells:
                for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                    data = output.get("data", {})
                    for mime in ("image/png", "image/svg+xml"):
                        if mime not in data or output.get("metadata", {}).get(mime, {}).get("alt"):
                            continue
                        if titles is None:
                            titles = figure_titles(paths.OUTPUTS / "figures")  # charts.FIGURES
                            for folder in sorted((paths.OUTPUTS / "rounds").glob("*/figures")):  # later rounds'
                                titles = {**titles, **figure_titles(folder)}
                        try:
                            raw = (base64.b64decode(_joined(data[mime])) if mime == "image/png"
                                   else _joined(data[mime]).encode("utf-8"))
                        except ValueError:
                            continue
                        digest = hashlib.sha256(raw).hexdigest()
                        if digest in titles:
                            output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = titles[digest]
            return nb, resources

    return FigureAltText




def _exporter():
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter
            from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
            from nbconvert.exporters.templateexporter import TemplateExporter

            class PageExporter(HTMLExporter):
                """HTMLExporter.from_notebook_node (nbconvert 7.17, pinned) without the soup pass."""

                def from_notebook_node(self, nb, resources=None, **kw):
                    langinfo = nb.metadata.get("language_info", {})
                    lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                    self.register_filter("highlight_code", self.filters.get(
                        "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                    resources = self._init_resources(resources)
                    self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                        notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                    html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                    return _accessible(html), resources

            _EXPORTER = PageExporter(**exporter_options())
            # The notebooks are the project's own, so bleach-cleaning their code cells changes
            # nothing (the same test compares the pages) and costs time on every profile.
            _EXPORTER.register_filter("clean_html", lambda html: html)
    return _EXPORTER


def _warm_exporter() -> None:
    """The exporter made, and its templates compiled by exporting an empty notebook."""
    import nbformat

    empty = nbformat.v4.new_notebook()
    with _EXPORT_LOCK:  # one export at a time: the exporter registers filters as it goes
        _exporter().from_notebook_node(empty, resources=page_resources(empty, "warm-up"))


def page_resources(nb, name: str) -> dict[str, Any]:
    """What the exporter is told about the page: its title, its styles (with the print label
    `make reproduce` put in the environment) and its footer."""
    from unallocated import build

    built = build.current()
    label = print_label(nb) or built.label
    return {"metadata": {"name": page_title(nb, name)},
            "unallocated_css": REPORT_CSS + build.print_css(label), "unallocated_footer": built.footer_html()}


#: The output metadata key a notebook sets (on any output) to say what its numbers rest on, for
#: the top of every printed sheet of its page: `display(..., metadata={PRINT_LABEL: text})`.
PRINT_LABEL = "unallocated_print_label"


def print_label(nb) -> str:
    """The first print label a notebook's outputs carry ('' when none does)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            label = output.get("metadata", {}).get(PRINT_LABEL)
            if label:
                return str(label)
    return ""


def _to_html(nb, name: str = "") -> str:
    """The notebook as a page an editor can open or mail alone: images embedded, nothing fetched."""
    with _EXPORT_LOCK:
        body, _ = _exporter().from_notebook_node(nb, resources=page_resources(nb, name or "Untitled notebook"))
    return body


def prestart_kernel() -> threading.Thread:
    """Start this process's kernel in the background (once); `run_job` waits for it. Call it
    only when a job will follow: a kernel still booting when the process exits is left behind."""
    global _PRESTART

    def boot() -> None:
        try:
            _KERNEL or _start_kernel()
        except Exception:  # `run_job` starts it again, and reports the failure on the job
            pass

    if _PRESTART is None or not _PRESTART.is_alive():
        _PRESTART = threading.Thread(target=boot, daemon=True)
        _PRESTART.start()
        # Should the caller fail before any job runs, the kernel is still shut down at exit.
        atexit.register(_stop_kernel)
    return _PRESTART


def _worker_started() -> None:
    """In each new worker process: boot its kernel now, and shut it down when the worker exits
    (pool workers leave without running atexit handlers)."""
    from multiprocessing.util import Finalize

    import signal

    global _PRESTART
    # Ctrl-C goes to the whole process group: the parent alone answers it (one line, and it
    # stops the workers), so a worker prints no traceback of its own. Told to stop (SIGTERM),
    # a worker kills its kernel at once, so nothing is left running or printing after it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _kill_kernel_and_exit)
    _KERNEL.clear()  # a forked copy of the parent's kernel handles: not this worker's to use or stop
    _PRESTART = None
    Finalize(None, _stop_kernel, exitpriority=10)
    prestart_kernel()


def _kill_kernel_and_exit(signum=None, frame=None) -> None:
    """A worker stopped mid-notebook: kill its kernel (a session of its own, so its whole
    process group) without waiting for it, and leave at once, printing nothing."""
    import signal

    try:
        km = _KERNEL.get("km")
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(Path(km.ip).parent, ignore_errors=True) if km is not None else None
    finally:
        os._exit(143)


def start_workers(workers: int = 2) -> ProcessPoolExecutor:
    """Worker processes started now, each booting its kernel, for `run_jobs(..., pool=)`.

    Start them before slow work in this process (hashing inputs, reading the returns) and the
    kernels boot meanwhile on the idle core."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started)
    pool.submit(int).result()  # the pool forks its workers on the first task
    return pool


def run_jobs(jobs: list[Job], workers: int = 2, progress: bool = True, html: bool = True,
             pool: ProcessPoolExecutor | None = None, on_result=None) -> list[Result]:
    """Run jobs on `workers` processes (or on `pool`'s), each with its own warm kernel; results
    in job order. The caller shuts down a pool it passes in. `on_result(result)` is called as
    each job finishes, so a caller can keep what is done should the run be interrupted: on
    Ctrl-C the jobs not started are cancelled, the workers stopped (their kernels follow them)
    and KeyboardInterrupt raised for the caller to report."""
    if not jobs:
        return []
    if pool is None and (workers <= 1 or len(jobs) == 1):
        prestart_kernel()  # here, one after another: it boots while the first notebook is prepared
        results = []
        try:
            for j in _progress(jobs, progress):
                results.append(run_job(j, html))
                if on_result:
                    on_result(results[-1])
        finally:
            _stop_kernel()
        return results
    results: dict[int, Result] = {}
    with nullcontext(pool) if pool else start_workers(min(workers, len(jobs))) as running:
        futures = {running.submit(run_job, job, html): i for i, job in enumerate(jobs)}
        try:
            for future in _progress(as_completed(futures), progress, total=len(jobs)):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception:  # the worker itself died
                    results[i] = Result(jobs[i], False, error=traceback.format_exc().strip().splitlines()[-1])
                if on_result:
                    on_result(results[i])
        except KeyboardInterrupt:
            stop_workers(running)
            raise
    return [results[i] for i in range(len(jobs))]


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: nothing more starts, and each worker is terminated (its kernel, started
    in a session of its own, sees its parent gone and exits)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)


def _progress(iterable, enabled: bool, total: int | None = None):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit="notebook", dynamic_ncols=True)


def describe_failure(result: Result) -> str:
    where = f"cell {result.failed_cell}" if result.failed_cell is not None else "before any cell"
    return f"{result.job.label or result.job.notebook.name}: {where}: {result.error}"


def parameters_json(parameters: dict[str, Any]) -> str:
    return json.dumps(parameters, sort_keys=True)
