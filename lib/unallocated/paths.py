"""Where things live. Every path in the project is built from these constants, so notebooks,
tests and the command line never guess at the working directory."""
from __future__ import annotations

import os
from pathlib import Path

#: The project root: the folder that holds `lib/`, `data/`, `notebooks/`.
ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
#: Raw inputs, never edited by hand. `official/` is fetched by `make data` and git-ignored.
RAW = DATA / "raw"
RAW_OFFICIAL = RAW / "official"
#: FOI returns, one folder per round. `UNALLOCATED_RETURNS` points elsewhere (a newsroom's real
#: returns, or a test's altered copy).
RAW_RETURNS = Path(os.environ["UNALLOCATED_RETURNS"]).resolve() if os.environ.get("UNALLOCATED_RETURNS") else RAW / "returns"
#: Small tables derived by the project's own code from the raw official files (committed).
REFERENCE = DATA / "reference"
MANIFESTS = DATA / "manifests"
OFFICIAL_MANIFEST = MANIFESTS / "official_files.csv"

NOTEBOOKS = ROOT / "notebooks"
#: Where `make reproduce` and every other command write: the published outputs.
PROJECT_OUTPUTS = ROOT / "outputs"
#: Where a notebook run by hand (JupyterLab, papermill, nbconvert) writes, so that it never
#: leaves `outputs/` disagreeing with what `make reproduce` recorded.
SCRATCH = ROOT / "build" / "scratch"
#: Where figures, tables, pages and the cache go. The command line (`python -m unallocated`)
#: sets `UNALLOCATED_OUTPUTS` to `outputs/` and its notebook kernels inherit it; anything else
#: that imports the library without it (a notebook run by hand, a test) writes to SCRATCH.
OUTPUTS = Path(os.environ["UNALLOCATED_OUTPUTS"]).resolve() if os.environ.get("UNALLOCATED_OUTPUTS") else SCRATCH
DOCS = ROOT / "docs"


def data_mirror() -> Path:
    """The directory `make data` copies the official files from.

    `UNALLOCATED_DATA_MIRROR` overrides the default, `../shared/data/dfe` beside the checkout.
    """
    env = os.environ.get("UNALLOCATED_DATA_MIRROR")
    return Path(env).expanduser().resolve() if env else (ROOT.parent / "shared" / "data" / "dfe")


def project_path(text: str | Path) -> Path:
    """A path from the command line or a notebook parameter, read from the project root.

    'outputs/...' maps onto the project's outputs folder, so `UNALLOCATED_OUTPUTS` moves it.
    """
    p = Path(text)
    if p.is_absolute():
        return p
    if p.parts and p.parts[0] == "outputs":
        return OUTPUTS.joinpath(*p.parts[1:])
    return ROOT / p


#: The round whose pages a notebook is making (set by its parameters check; see `current_outputs`).
_working_round = "2010"


def round_outputs(name: str) -> Path:
    """Where a round's pages, figures and tables go: `outputs/` for the 2010 round, and
    `outputs/rounds/NAME/` for any other, so that no page of a later round (the simulated one
    above all) can be taken for one of 2010's."""
    return OUTPUTS if name == "2010" else OUTPUTS / "rounds" / name


def work_on_round(name: str) -> None:
    """Say which round the notebook running in this process works on (its `round` parameter):
    the figures and tables it saves go under `round_outputs(name)`. A notebook's parameters
    check calls it every time, so a warm kernel never carries one notebook's round into the next."""
    global _working_round
    _working_round = name


def current_outputs() -> Path:
    """`round_outputs` of the round the running notebook works on (2010 unless it says another)."""
    return round_outputs(_working_round)
