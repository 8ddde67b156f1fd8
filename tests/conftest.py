"""Shared test set-up. Tests marked `needs_raw` skip, saying why, when `make data` has not run."""
from __future__ import annotations

import pytest

from unallocated.official import raw_available


def pytest_collection_modifyitems(config, items):
    # Unit tests first, slow ones (notebooks, whole data folders) last: a broken library fails fast.
    items.sort(key=lambda item: "slow" in item.keywords)
    if raw_available():
        return
    skip = pytest.mark.skip(reason="raw official files missing or changed: run `make data`")
    for item in items:
        if "needs_raw" in item.keywords:
            item.add_marker(skip)
