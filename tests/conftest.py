"""Shared test set-up. Tests marked `needs_raw` skip, saying why, when `make data` has not run."""
from __future__ import annotations

import pytest

from unallocated.sources.official import raw_available


def pytest_collection_modifyitems(config, items):
    # Unit tests first, slow ones (notebooks, whole data folders) last: a broken library fails fast.
    items.sort(key=lambda item: "slow" in item.keywords)
    if raw_available():
        return
    skip = pytest.mark.skip(reason="raw official files missing or changed: run `make data`")
    for item in items:
        if "needs_raw" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def reproduced(tmp_path_factory):
    """A whole `make reproduce` (national notebooks, 152 profiles, front page) in a temporary
    outputs folder, once per test session; or the folder `UNALLOCATED_REPRODUCED` names, when it
    holds a finished run (to look at a run again without redoing it)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from unallocated import paths

    given = os.environ.get("UNALLOCATED_REPRODUCED")
    if given:
        out = Path(given).resolve()
        assert (out / "index.html").exists(), f"UNALLOCATED_REPRODUCED={given} holds no finished run"
        return out
    if not any((paths.RAW_RETURNS / "2010").glob("*.xlsx")):
        pytest.skip("simulated returns not in data/raw/returns/2010 (make simulate)")
    out = tmp_path_factory.mktemp("reproduced")
    done = subprocess.run([sys.executable, "-m", "unallocated", "reproduce", "--quiet", "--force"],
                          env={**os.environ, "UNALLOCATED_OUTPUTS": str(out)}, capture_output=True, text=True,
                          cwd=paths.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return out
