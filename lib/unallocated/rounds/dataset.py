"""The investigation's datasets, read once and cached: what notebooks and the fact-check import.

    from unallocated.rounds import dataset
    returns = dataset.round("2010")              # a round's returns, tidy (RETURN_COLUMNS)
    corrected = dataset.round("2010", corrected=True)   # its corrections register applied
    timelines = dataset.timelines()              # Essex and Birmingham through 2009-2010

`returns_2010(corrected)` is `round("2010", corrected)`, kept for the notebooks and code that
called it before rounds were data.

Ingesting the 89 returns takes seconds; a notebook run takes a fraction of that. So the tidy
tables are cached as parquet under `outputs/cache/`, keyed by a hash of the return files, their
manifest and the library's source: any change to either re-reads them, nothing else does.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from unallocated import paths
from unallocated.hashing import hash_bytes, hash_tree, library_hash

if TYPE_CHECKING:  # imported where tables are read: `council_hashes` does without it
    import pandas as pd

ROUND_2010 = paths.RAW_RETURNS / "2010"
TIMELINES = paths.RAW_RETURNS / "timelines"
CACHE = paths.OUTPUTS / "cache"


@dataclass(frozen=True)
class Ingested:
    """A folder of returns as tidy tables: counts, issues, and per-file accounting."""

    returns: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame


def folder_hash(folder: Path) -> str:
    return hash_bytes(hash_tree(folder).encode(), library_hash().encode())


def _ingest(folder: Path) -> Ingested:
    from unallocated.returns import read_returns

    manifest = folder / "manifest.csv"
    # The manifest says which layer each file is in (the shipped returns: simulated); a file it
    # does not place is taken to be a council's real return, the reader's default.
    from unallocated.sources.reference import caseloads

    # each return is checked against DfE's caseloads of its own year (`returns.checks`)
    result = read_returns(folder, manifest=manifest if manifest.exists() else None, reference=caseloads(None))
    return Ingested(result.returns, result.issues, result.files)


def _typed(returns: pd.DataFrame) -> pd.DataFrame:
    returns = returns.copy()
    returns["count"] = returns["count"].astype("Int64")
    for column in returns.columns:
        if column != "count":
            returns[column] = returns[column].astype("string")
    return returns


def _cached_paths(folder: Path) -> dict[str, Path]:
    key = folder_hash(folder)[:16]
    paths_ = {part: CACHE / f"{folder.name}-{key}-{part}.parquet" for part in ("returns", "issues", "files")}
    paths_["council_hashes"] = CACHE / f"{folder.name}-{key}-council_hashes.json"
    return paths_


def _council_hashes(returns: pd.DataFrame) -> dict[str, str]:
    """council code -> hash of that council's rows of the tidy returns table."""
    return {str(code): hash_bytes(rows.to_csv(index=False).encode())
            for code, rows in returns.groupby("council_code", sort=True)}


def ingest(folder: Path = ROUND_2010, use_cache: bool = True) -> Ingested:
    """Read every return in `folder` (with its manifest), through the parquet cache.

    Returns copies: a notebook that edits a table in place cannot change the next one's."""
    got = _ingest_cached(Path(folder), use_cache)
    return Ingested(got.returns.copy(), got.issues.copy(), got.files.copy())


@lru_cache(maxsize=4)
def _ingest_cached(folder: Path = ROUND_2010, use_cache: bool = True) -> Ingested:
    import pandas as pd

    folder = Path(folder)
    cached = _cached_paths(folder)
    if use_cache and all(p.exists() for p in cached.values()):
        return Ingested(*(pd.read_parquet(cached[p]) for p in ("returns", "issues", "files")))
    result = _ingest(folder)
    result = Ingested(_typed(result.returns), result.issues.astype("string"), result.files)
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"{folder.name}-*"):
            if old.suffix in (".parquet", ".json") and old not in cached.values():
                old.unlink(missing_ok=True)  # another process may be clearing them too
        for part, path in cached.items():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")  # two processes may write at once
            if part == "council_hashes":
                tmp.write_text(json.dumps(_council_hashes(result.returns), indent=0, sort_keys=True))
            else:
                getattr(result, part).to_parquet(tmp, index=False)
            tmp.replace(path)
    return result


def council_hashes(folder: Path = ROUND_2010) -> dict[str, str]:
    """A hash of each council's rows in the tidy table of `folder`'s returns, by council code.

    What `reproduce` keys a council's profile on. Written beside the parquet cache, so that a
    single profile's command can tell whether its council's rows changed without pandas."""
    cached = _cached_paths(Path(folder))
    if not all(p.exists() for p in cached.values()):
        returns = ingest(Path(folder)).returns  # writes the cache, this file included
        if not cached["council_hashes"].exists():  # read earlier in this process, files since removed
            return _council_hashes(returns)
    return json.loads(cached["council_hashes"].read_text())


def round(name: str = "2010", corrected: bool = False) -> pd.DataFrame:  # noqa: A001 (the issue's name)
    """A round's returns, one row per figure (`unallocated.rounds.round` lists the rounds).

    `corrected=True` applies the corrections that concern them: the register of the 2010
    coverage (`data/corrections.csv`) and each round's own (a right-of-reply dispute).
    """
    from unallocated.rounds.round import get

    return _round_returns(paths.RAW_RETURNS, get(name).name, corrected).copy()


def returns_2010(corrected: bool = False) -> pd.DataFrame:
    """The 89 returns of the November 2010 round (simulated: see `data/raw/returns/2010/`):
    `round("2010", corrected)`."""
    return round("2010", corrected)


@lru_cache(maxsize=8)
def _round_returns(root: Path, name: str, corrected: bool) -> pd.DataFrame:
    # Cached per process: 152 council profiles run on two warm kernels would otherwise apply
    # the corrections register 152 times. `root` keys the cache to the returns location.
    returns = _ingest_cached(root / name, True).returns
    if corrected:
        from unallocated.model.corrections import apply_corrections

        returns = apply_corrections(returns)
    return returns


def register(name: str = "2010") -> pd.DataFrame:
    """The corrections register of a round (`load_corrections`): for 2010 the coverage's
    (`data/corrections.csv`), for another round its folder's `corrections.csv`, made from its
    right of reply; an empty register (same columns) when it has none yet."""
    import pandas as pd

    from unallocated.model.corrections import REGISTER_COLUMNS, load_corrections
    from unallocated.rounds.round import get

    path = get(name).corrections_path
    if not path.exists():
        return pd.DataFrame(columns=[*REGISTER_COLUMNS, "values"])
    return load_corrections(path)


def timelines() -> pd.DataFrame:
    """Essex and Birmingham snapshots through 2009-2010 (published values and simulated fill)."""
    return ingest(TIMELINES).returns.copy()
