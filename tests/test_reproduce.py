"""`make reproduce`: national notebooks and profiles run, identical bytes twice, clear errors."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from unallocated import paths
from unallocated.run import reproduce
from unallocated.run.runner import Job, ParameterError


def run_cli(*args, outputs):
    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(outputs)}
    return subprocess.run([sys.executable, "-m", "unallocated", *args], capture_output=True, text=True,
                          env=env, cwd=paths.ROOT, timeout=600)


def digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "cache" not in p.parts and p.name != ".state.json"}


def test_profile_parameters_are_checked_before_anything_runs():
    with pytest.raises(ParameterError, match="unknown council .Brighten and Hove.; closest: Brighton and Hove"):
        reproduce.profile_job("Brighten and Hove")
    with pytest.raises(Exception, match="unknown definition .no_one.; valid: councils_reading"):
        reproduce.profile_job("Leeds", definition="no_one")
    job = reproduce.profile_job("Brighton & Hove")
    assert job.parameters == {"council": "Brighton and Hove"}
    assert job.output.name == "846-brighton-and-hove.ipynb"


def test_one_profile_is_checked_and_keyed_without_importing_pandas(tmp_path):
    # `make profile` checks the council and definition and hashes the council's rows while its
    # kernel boots; pandas alone would take longer than that. Only the first run, with no
    # cache, reads the returns with pandas.
    code = ("import sys\nfrom unallocated import reproduce\n"
            "job = reproduce.profile_job('Brighton & Hove', 'no_qualified_social_worker')\n"
            "reproduce._job_hashes([job])\nprint('pandas' in sys.modules)")
    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    assert [r.stdout for r in runs] == ["True\n", "False\n"]


def test_every_profile_is_planned_once():
    jobs = reproduce.profile_jobs()
    assert len(jobs) == 158 and len({j.output for j in jobs}) == 158
    # the six councils created since 2010 have reports too: their predecessors' reports link them
    names = {j.output.name for j in jobs}
    assert {"839-bournemouth-christchurch-and-poole.ipynb", "942-cumberland.ipynb",
            "943-westmorland-and-furness.ipynb", "940-north-northamptonshire.ipynb"} <= names


@pytest.mark.slow
def test_national_notebooks_and_a_profile_give_identical_bytes_twice(tmp_path):
    out = tmp_path / "outputs"
    first = run_cli("reproduce", "--no-profiles", "--quiet", outputs=out)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Looked after            448 -> 397 to 406" in first.stdout
    assert "2010 returns of 89 councils, all simulated" in first.stdout
    assert "0 failed" in first.stdout
    a = digests(out)
    second = run_cli("reproduce", "--no-profiles", "--quiet", "--force", outputs=out)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 unchanged" in second.stdout
    b = digests(out)
    assert {name.rsplit(".", 1)[-1] for name in a} >= {"png", "svg", "csv", "html", "ipynb"}
    assert a == b
    # nbval never compares images: the figures are checked against the hashes `make notebooks`
    # recorded with the committed outputs (same pinned matplotlib, same data).
    assert reproduce.figure_hashes(out / "figures") == reproduce.read_figure_hashes()
    # Nothing changed: the rerun skips every notebook.
    third = run_cli("reproduce", "--no-profiles", "--quiet", outputs=out)
    assert "0 run," in third.stdout, third.stdout


@pytest.mark.slow
def test_a_failing_notebook_is_named_and_does_not_stop_the_rest(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "unallocated", "display_name": "Python (unallocated)", "language": "python"}
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("1 / (x - 1)")]
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    monkeypatch.setattr(reproduce, "STATE", tmp_path / "state.json")
    jobs = [Job(broken, {}, tmp_path / "out" / "broken.ipynb", "broken"),
            Job(broken, {"x": 2}, tmp_path / "out" / "fine.ipynb", "fine")]
    results, skipped = reproduce.run(jobs, workers=1, progress=False)
    assert [r.ok for r in results] == [False, True]
    text = reproduce.summary(results, skipped, 1.0)
    assert "FAILED broken: cell 2: ZeroDivisionError: division by zero" in text
    assert not (tmp_path / "out" / "broken.ipynb").exists()


INCREMENTAL = """
import json, sys
from unallocated.run import reproduce
jobs = reproduce.national_jobs()[:1] + [reproduce.profile_job(n) for n in ("Hammersmith and Fulham", "Sunderland")]
results, skipped = reproduce.run(jobs, workers=1, progress=False)
print(json.dumps({"ran": [r.job.label for r in results], "ok": all(r.ok for r in results), "skipped": skipped}))
"""


@pytest.mark.slow
def test_changing_one_return_reruns_only_what_depends_on_it(tmp_path):
    import json
    import shutil

    returns = tmp_path / "returns"
    shutil.copytree(paths.RAW_RETURNS, returns)
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(tmp_path / "out")}

    def run_subset():
        done = subprocess.run([sys.executable, "-c", INCREMENTAL], capture_output=True, text=True, env=env,
                              cwd=paths.ROOT, timeout=600)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run_subset()
    assert first["ok"] and len(first["ran"]) == 3
    assert run_subset()["ran"] == []  # nothing changed
    altered = returns / "2010" / "hammersmith_and_fulham_foi_data.csv"
    altered.write_bytes(altered.read_bytes().replace(b"in transit between teams,82", b"in transit between teams,83"))
    # The national notebook and Hammersmith and Fulham's profile rerun; Sunderland's does not.
    assert run_subset()["ran"] == ["01-national-picture", "profile Hammersmith and Fulham"]


@pytest.mark.slow
def test_profile_command_runs_then_skips_and_leaves_no_kernel_behind(tmp_path):
    # The kernel boots only when the profile must run, and is shut down (its socket folder
    # removed) before the command exits, whether it ran or skipped.
    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(tmp_path / "out"), "TMPDIR": str(tmp_path)}

    def profile(*extra):
        return subprocess.run([sys.executable, "-m", "unallocated", "profile", "Barnet", *extra], capture_output=True,
                              text=True, env=env, cwd=paths.ROOT, timeout=300)

    ran, skipped = profile(), profile()
    assert ran.returncode == 0 and "profile Barnet: ok" in ran.stdout, ran.stderr
    assert skipped.returncode == 0 and "profile Barnet: unchanged, skipped" in skipped.stdout
    assert (tmp_path / "out" / "profiles" / "302-barnet.html").exists()
    assert not list(tmp_path.glob("unallocated-kernel-*"))
    assert "Parent appears to have exited" not in ran.stderr + skipped.stderr


STALE = """
import json
from unallocated.run import reproduce
jobs = [j for j in reproduce.national_jobs() if j.label == "03-corrections"]
results, skipped = reproduce.run(jobs, workers=1, progress=False)
print(json.dumps({"ran": [r.job.label for r in results], "ok": all(r.ok for r in results),
                  "summary": reproduce.summary(results, skipped, 1.0)}))
"""


@pytest.mark.slow
def test_an_output_edited_or_removed_by_hand_is_rebuilt_and_the_summary_says_why(tmp_path):
    # Issue 13: a notebook run by hand rewrote figures and `make reproduce` said "unchanged".
    import json

    env = {**os.environ, "UNALLOCATED_OUTPUTS": str(tmp_path / "out")}

    def reproduce_03():
        done = subprocess.run([sys.executable, "-c", STALE], capture_output=True, text=True, env=env,
                              cwd=paths.ROOT, timeout=600)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert reproduce_03()["ran"] == ["03-corrections"]
    figure = tmp_path / "out" / "figures" / "03-correction.png"
    written = figure.read_bytes()
    os.utime(figure)  # touched, same bytes: still current
    assert reproduce_03()["ran"] == []
    figure.write_bytes(written + b"edited by hand")
    again = reproduce_03()
    assert again["ran"] == ["03-corrections"] and again["ok"]
    assert "rebuilt 03-corrections: output changed since written: " in again["summary"]
    assert "03-correction.png" in again["summary"]
    assert figure.read_bytes() == written  # rebuilt as it was
    (tmp_path / "out" / "tables" / "03-barnsley.csv").unlink()
    gone = reproduce_03()
    assert gone["ran"] == ["03-corrections"] and "output vanished since written: " in gone["summary"]
    assert reproduce_03()["ran"] == []


INTERRUPTED_AFTER = 1  # national reports finished before Ctrl-C


@pytest.mark.slow
def test_ctrl_c_stops_in_one_line_keeps_what_finished_and_marks_pages_from_older_data(tmp_path):
    # Issue 21: Ctrl-C printed five tracebacks, and an interrupted run left pages from two states
    # of the data side by side with nothing marking them.
    import json
    import shutil
    import signal
    import time

    returns, out = tmp_path / "returns", tmp_path / "out"
    shutil.copytree(paths.RAW_RETURNS, returns)
    env = {**os.environ, "UNALLOCATED_RETURNS": str(returns), "UNALLOCATED_OUTPUTS": str(out), "TMPDIR": str(tmp_path)}
    command = [sys.executable, "-m", "unallocated", "reproduce", "--no-profiles", "--quiet"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, cwd=paths.ROOT, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    before = json.loads((out / ".state.json").read_text())
    altered = returns / "2010" / "hammersmith_and_fulham_foi_data.csv"  # every national report now reads older data
    altered.write_bytes(altered.read_bytes().replace(b"in transit between teams,82", b"in transit between teams,83"))

    def finished() -> list[str]:
        try:
            now = json.loads((out / ".state.json").read_text())
        except (OSError, ValueError):
            return []
        return [k for k, v in now.items() if v.get("inputs") != before.get(k, {}).get("inputs")]

    # As a terminal does: Ctrl-C goes to the command's whole process group.
    running = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=paths.ROOT, start_new_session=True)
    deadline = time.monotonic() + 300
    while len(finished()) < INTERRUPTED_AFTER and time.monotonic() < deadline and running.poll() is None:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGINT)
    stdout, stderr = running.communicate(timeout=120)
    assert running.returncode == 130, stdout + stderr
    lines = [line for line in (stdout + stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stdout + stderr
    assert lines[0].startswith("interrupted: ") and "finished and kept" in lines[0]
    assert not list(tmp_path.glob("unallocated-kernel-*")), "a kernel's sockets left behind"
    done = finished()
    assert len(done) >= INTERRUPTED_AFTER
    # a report still built from the older data says so, until rebuilt; one rebuilt does not
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (out / "notebooks").glob("*.html")}
    stale = {name for name, text in pages.items() if reproduce.STALE_MARK in text}
    rebuilt = {Path(k).stem for k in done}
    assert stale and not stale & rebuilt and stale | rebuilt == set(pages), (stale, rebuilt)
    assert reproduce.STALE_MARK in (out / "index.html").read_text(encoding="utf-8")
    # the next run carries on: what finished is not run again, and the marks go
    again = subprocess.run(command, env=env, capture_output=True, text=True, cwd=paths.ROOT, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(done)} unchanged and skipped" in again.stdout
    assert not [p for p in (out / "notebooks").glob("*.html") if reproduce.STALE_MARK in p.read_text(encoding="utf-8")]
    assert reproduce.STALE_MARK not in (out / "index.html").read_text(encoding="utf-8")
