"""The small tables a person keeps beside the returns: the manifest and review.csv."""
from __future__ import annotations

import pandas as pd

from unallocated.errors import UnallocatedError


def read_side_table(path, what: str, required: set[str], columns_hint: str) -> pd.DataFrame:
    """A small csv a person keeps beside the returns (the manifest, review.csv), as strings;
    raises UnallocatedError naming the file when it cannot be read or lacks a column."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise UnallocatedError(f"{path}: cannot read {what} ({err})") from err
    missing = required - set(table.columns)
    if missing:
        raise UnallocatedError(f"{path}: {what} lacks column(s) {', '.join(sorted(missing))}"
                               f" ({columns_hint})")
    return table
