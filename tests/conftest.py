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


#: A council with no return in the shipped data, whose real return a newsroom drops in, and a
#: council the resolver does not know. Their replies carry text that must stay text on every
#: page: a script and an image with an onerror handler, in a note beside a figure and in a cell
#: the reader cannot read. The reader withholds a figure whose cell holds words it cannot account
#: for (the note beside Lewisham's 70), so Lewisham's flagged total is its looked-after one: its
#: parts (470 + 6 + 4) add up to more than the 470 it gives.
REAL_COUNCIL, UNKNOWN_COUNCIL = "Lewisham", "Narnia County Council"
PLANTED_SCRIPT = "<script>alert('planted')</script>"
PLANTED_IMAGE = "<img src=x onerror=alert('planted')>"
REAL_RETURN = f"""Council,{REAL_COUNCIL}
Date,2010-10-15

Case type,Category,Number
Child protection,Total open cases,301
Child protection,Allocated to a qualified social worker,290
Child protection,Unallocated - no reason given,11
Looked after children,Total open cases,470
Looked after children,Allocated to a qualified social worker,470
Looked after children,Allocated to other staff (not qualified social worker),6
Looked after children,Unallocated - no reason given,4
Children in need,Total open cases,"1,900"
Children in need,Allocated to a qualified social worker,"1,850"
Children in need,Allocated to other staff (not qualified social worker),30
Children in need,Unallocated - no reason given,"70 (see note {PLANTED_SCRIPT} {PLANTED_IMAGE})"
"""
UNKNOWN_RETURN = f"""Council,{UNKNOWN_COUNCIL}
Date,2010-10-15

Case type,Category,Number
Child protection,Total open cases,30
Child protection,Allocated to a qualified social worker,20
Child protection,Unallocated - no reason given,{PLANTED_IMAGE}
Children in need,Total open cases,100
Children in need,Allocated to a qualified social worker,90
Children in need,Unallocated - no reason given,10
"""


@pytest.fixture(scope="session")
def real_return_run(tmp_path_factory):
    """A whole `make reproduce` into a temporary folder on a copy of the returns folder with two
    returns dropped in as a newsroom would (no manifest row): a real one from Lewisham (its
    looked-after parts add up to more than its total, which the reader flags, and a figure with a
    note the reader withholds for a person) and one from a
    council the project does not know. Gives (returns folder, outputs folder, the run)."""
    import os
    import shutil
    import subprocess
    import sys

    from unallocated import paths

    if not any((paths.RAW_RETURNS / "2010").glob("*.xlsx")):
        pytest.skip("simulated returns not in data/raw/returns/2010 (make simulate)")
    base = tmp_path_factory.mktemp("real-return")
    returns, out = base / "returns", base / "outputs"
    shutil.copytree(paths.RAW_RETURNS, returns)
    (returns / "2010" / "lewisham_foi_reply.csv").write_text(REAL_RETURN, encoding="utf-8")
    (returns / "2010" / "narnia_foi_reply.csv").write_text(UNKNOWN_RETURN, encoding="utf-8")
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(out)}
    done = subprocess.run([sys.executable, "-m", "unallocated", "reproduce", "--quiet"], env=env,
                          capture_output=True, text=True, cwd=paths.ROOT, timeout=900)
    return returns, out, done
