"""The investigation's datasets, read once and cached: what notebooks and the fact-check import.

    from unallocated import dataset
    returns = dataset.returns_2010()             # the November 2010 round, tidy (RETURN_COLUMNS)
    corrected = dataset.returns_2010(corrected=True)
    timelines = dataset.timelines()              # Essex and Birmingham through 2009-2010

Ingesting the 89 returns takes seconds; a notebook run takes a fraction of that. So the tidy
tables are cached as parquet under `outputs/cache/`, keyed by a hash of the return files, their
manifest and the library's source: any change to either re-reads them, nothing else does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from unallocated import paths
from unallocated.hashing import hash_bytes, hash_tree, library_hash

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
    from unallocated.reference import caseloads

    result = read_returns(folder, manifest=manifest if manifest.exists() else None, reference=caseloads(2010))
    return Ingested(result.returns, result.issues, result.files)


def _typed(returns: pd.DataFrame) -> pd.DataFrame:
    returns = returns.copy()
    returns["count"] = returns["count"].astype("Int64")
    for column in returns.columns:
        if column != "count":
            returns[column] = returns[column].astype("string")
    return returns


@lru_cache(maxsize=4)
def ingest(folder: Path = ROUND_2010, use_cache: bool = True) -> Ingested:
    """Read every return in `folder` (with its manifest), through the parquet cache."""
    folder = Path(folder)
    key = folder_hash(folder)[:16]
    cached = {part: CACHE / f"{folder.name}-{key}-{part}.parquet" for part in ("returns", "issues", "files")}
    if use_cache and all(p.exists() for p in cached.values()):
        return Ingested(*(pd.read_parquet(cached[p]) for p in ("returns", "issues", "files")))
    result = _ingest(folder)
    result = Ingested(_typed(result.returns), result.issues.astype("string"), result.files)
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"{folder.name}-*.parquet"):
            old.unlink()
        for part, path in cached.items():
            tmp = path.with_suffix(".tmp")
            getattr(result, part).to_parquet(tmp, index=False)
            tmp.replace(path)
    return result


def returns_2010(corrected: bool = False) -> pd.DataFrame:
    """The 89 returns of the November 2010 round (simulated: see `data/raw/returns/2010/`).

    `corrected=True` applies the corrections register (`data/corrections.csv`).
    """
    return _returns_2010(paths.RAW_RETURNS, corrected).copy()


@lru_cache(maxsize=4)
def _returns_2010(folder: Path, corrected: bool) -> pd.DataFrame:
    # Cached per process: 152 council profiles run on two warm kernels would otherwise apply
    # the corrections register 152 times. `folder` keys the cache to the returns location.
    returns = ingest(folder / "2010").returns
    if corrected:
        from unallocated.corrections import apply_corrections

        returns = apply_corrections(returns)
    return returns


def timelines() -> pd.DataFrame:
    """Essex and Birmingham snapshots through 2009-2010 (published values and simulated fill)."""
    return ingest(TIMELINES).returns.copy()
