"""What every page says it was built from (the commit, the data's hash and the build date), and
how every page prints (A4, nothing cut, what its numbers rest on at the top of every sheet).

`make reproduce` works these out once (`current()`) and puts them in the environment
(`UNALLOCATED_BUILD_COMMIT`, `UNALLOCATED_BUILD_DATA`, `UNALLOCATED_BUILD_DATE`, and
`UNALLOCATED_BUILD_LABEL`, what the returns rest on: "SIMULATED DATA: returns of 89 councils, all
simulated"), so the notebook kernels, the page exporter and the front page all print the same
footer and label without working them out again; anything run on its own (a notebook in
JupyterLab, a test) works out the first three itself, and its page states its own label.

* commit: `git rev-parse --short HEAD`, with "+ changes" when the work tree differs from it
  (`git status --porcelain`, data and library alike), or "not a git checkout";
* data: the first 12 hex digits of a SHA-256 over the returns folder (names relative to it, so
  a copy elsewhere hashes the same), the registers in `data/` and the reference tables;
* date: the build's date (UTC, ISO), or `SOURCE_DATE_EPOCH`'s when it is set, so a rebuild
  can give the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import html
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from unallocated import paths

ENV = {"commit": "UNALLOCATED_BUILD_COMMIT", "data": "UNALLOCATED_BUILD_DATA", "date": "UNALLOCATED_BUILD_DATE"}
LABEL_ENV = "UNALLOCATED_BUILD_LABEL"


@dataclass(frozen=True)
class Build:
    commit: str
    data: str
    date: str
    label: str = ""

    def sentence(self) -> str:
        return (f"Built from commit {self.commit}, data {self.data} (SHA-256 of the returns, registers and "
                f"reference tables), on {self.date}.")

    def footer_html(self) -> str:
        return f'<footer class="build"><p>{html.escape(self.sentence())}</p></footer>'

    def env(self) -> dict[str, str]:
        return {**{ENV[k]: getattr(self, k) for k in ENV}, **({LABEL_ENV: self.label} if self.label else {})}


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=paths.ROOT, capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0:
            return "not a git checkout"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                               capture_output=True, text=True, timeout=10)
        return head.stdout.strip() + (" + changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"


def data_files() -> list[tuple[str, Path]]:
    """(name as hashed, path) of every data file the pages are made from."""
    out = [(f"returns/{p.relative_to(paths.RAW_RETURNS)}", p) for p in sorted(paths.RAW_RETURNS.rglob("*"))
           if p.is_file()]
    out += [(f"data/{p.name}", p) for p in sorted(paths.DATA.glob("*.csv"))]
    out += [(f"reference/{p.name}", p) for p in sorted(paths.REFERENCE.glob("*")) if p.is_file()]
    return out


def data_hash() -> str:
    digest = hashlib.sha256()
    for name, path in data_files():
        digest.update(name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def _date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch and epoch.isdigit()
            else _dt.datetime.now(_dt.timezone.utc))
    return when.date().isoformat()


def current(fresh: bool = False) -> Build:
    """The build this process belongs to: from the environment `make reproduce` set, else (or
    with `fresh`) worked out now."""
    if not fresh and all(os.environ.get(v) for v in ENV.values()):
        return Build(**{k: os.environ[v] for k, v in ENV.items()}, label=os.environ.get(LABEL_ENV, ""))
    return Build(commit=_commit(), data=data_hash(), date=_date(), label=os.environ.get(LABEL_ENV, ""))


def export(build: Build) -> None:
    """Put the build in this process's environment, for the kernels and workers it starts."""
    os.environ.update(build.env())


def _css_string(text: str) -> str:
    return '"' + " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_css(label: str) -> str:
    """The print stylesheet every page carries: A4 with room to spare; `label` (what the page's
    numbers rest on: "SIMULATED DATA: returns of 89 councils, all simulated") at the top of every
    printed sheet and the page number at its foot; tables as wide as the sheet, their cells
    wrapping rather than running off it, headings repeated on each sheet; nothing sticky or
    interactive (the search box) printed."""
    return f"""
@page {{ size: A4; margin: 16mm 11mm 15mm;
  @top-left {{ content: {_css_string(label)}; font: bold 8.5pt sans-serif; color: #a4501b; }}
  @bottom-right {{ content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }} }}
@media print {{
  html, body {{ font-size: 9pt; }}
  main, body {{ max-width: none !important; margin: 0 !important; padding: 0 !important; }}
  .no-print, #search, label[for="search"], #count, .jp-InputPrompt, .jp-OutputPrompt {{ display: none !important; }}
  table {{ width: 100% !important; max-width: 100% !important; table-layout: auto !important; font-size: 7.5pt !important; }}
  th, td, td small, .no-return {{ white-space: normal !important; overflow-wrap: break-word; word-break: normal; }}
  th button {{ display: none !important; }}
  .print-only {{ display: inline !important; }}
  thead {{ display: table-header-group; }}
  thead th {{ position: static !important; }}
  tr, img, svg, figure {{ break-inside: avoid; page-break-inside: avoid; }}
  h1, h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
  img, svg {{ max-width: 100% !important; height: auto !important; }}
  .jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-Cell, .jp-OutputArea {{ overflow: visible !important; }}
  .jp-RenderedHTMLCommon table {{ font-size: 7pt !important; }}
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {{ padding: 2px 3px !important; max-width: none !important; }}
  a {{ color: inherit; text-decoration: none; }}
  footer.build {{ border-top: 1px solid #999; margin-top: 1em; font-size: 7.5pt; color: #444; }}
}}
.print-only {{ display: none; }}
footer.build {{ color: #555; font-size: .8rem; margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: .5rem; }}
"""
