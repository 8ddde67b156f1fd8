"""The second round end to end: `round new` (through the seeded generator, which records every
event as `round record` would), the reader and review, the tracker page, the front page's link,
and the comparison notebook 07 under nbval against its committed outputs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from unallocated import paths
from unallocated.rounds import simulated

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (paths.RAW_RETURNS / simulated.NAME).is_dir(),
                                                   reason="no simulated round in data/raw/returns")]


def test_round_new_to_notebook_07_under_nbval(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copytree(paths.RAW_RETURNS / "2010", returns / "2010")
    registry = (paths.RAW_RETURNS / "rounds.csv").read_text().splitlines()
    (returns / "rounds.csv").write_text("\n".join(l for l in registry if not l.startswith(simulated.NAME)) + "\n")
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(tmp_path / "out")}

    def run(*args, ok=(0,)):
        done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, cwd=paths.ROOT)
        assert done.returncode in ok, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    # round new, then every event, through the generator (seeded: the committed round's bytes)
    run("-c", "import sys; from pathlib import Path; from unallocated.rounds import simulated; "
              "simulated.generate(Path(sys.argv[1]))", str(tmp_path))
    assert (returns / simulated.NAME / "requests.csv").read_bytes() == (paths.RAW_RETURNS / simulated.NAME / "requests.csv").read_bytes()
    # the reader and the review: every file read or set aside, one issue by design
    out = run("-m", "unallocated", "ingest", str(returns / simulated.NAME), "--out", str(tmp_path / "ingest"), ok=(1,))
    assert "need a person's review: 1 value(s)" in out
    status = run("-m", "unallocated", "round", "status", simulated.NAME, "--today", "2026-02-27")
    assert "Overdue (8;" in status and "England    153" in status
    # the tracker page and the front page's link to it
    run("-c", "from unallocated.pages import tracker; tracker.write('2025-simulated')")
    page = (tmp_path / "out" / "rounds" / simulated.NAME / "tracker.html").read_text()
    assert "SIMULATED" in page and page.count("<tr>") >= 153 + 10
    # the comparison notebook, checked against its committed outputs
    nbval = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                            str(paths.NOTEBOOKS / "07-rounds.ipynb")], env=env, capture_output=True, text=True,
                           cwd=paths.ROOT)
    assert nbval.returncode == 0, nbval.stdout[-4000:]
