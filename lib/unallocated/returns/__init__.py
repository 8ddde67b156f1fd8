"""Read councils' FOI returns, whatever their layout, into the tidy returns table.

    from unallocated.returns import read_returns
    result = read_returns("data/raw/returns", manifest="data/manifests/returns.csv")
    result.returns   # RETURN_COLUMNS, one row per count
    result.issues    # ISSUE_COLUMNS, everything a person should look at
    result.files     # per-file accounting: non_empty_cells == mapped + labels + issues

Modules: `markers` (a cell's text -> count and qualifier), `vocabulary` (every wording the reader
knows, `data/vocabulary.csv`, and the closed-world test of a figure's labels), `labels`
(wordings -> case type, category, detail), `dates`, `files` (every format -> grids of cells),
`layouts` (a sheet's meaning), `letters` (figures in prose), `checks` (consistency), `issues`
(issues.csv), `reader` (`read_returns`), `review` (a person's decisions), `cli` (`ingest`).
"""
from unallocated.returns.cli import register
from unallocated.returns.labels import classify
from unallocated.returns.markers import parse_count
from unallocated.returns.reader import FILE_COLUMNS, IngestResult, read_returns, resolve_council

__all__ = ["read_returns", "IngestResult", "parse_count", "classify", "resolve_council",
           "register", "FILE_COLUMNS"]
