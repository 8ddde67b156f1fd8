"""`make bench`: how long the investigation takes, as medians of several runs. Never fails.

Measured: a cold `reproduce` (every notebook and profile rerun, returns re-read), a warm rerun
with nothing changed, one council's profile, ingesting the 89 returns, and the floor: the same
tables and figures made by plain function calls in one process, with no notebooks. Results are
printed and written to `outputs/bench.json`.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from unallocated import paths


def _timed_cli(*args: str, env: dict | None = None, ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "unallocated", *args], cwd=paths.ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if done.returncode not in ok:
        raise subprocess.CalledProcessError(done.returncode, done.args)
    return time.perf_counter() - start


def floor_once(out_dir: Path) -> float:
    """The national tables, figures and fact-check and all 152 council reports (`profile.build`,
    what notebook 04 calls, with its charts), by plain function calls in one process: what
    `reproduce` makes, less the notebooks and their HTML."""
    start = time.perf_counter()
    code = f"""
import time
from pathlib import Path
from unallocated import analysis
from unallocated.analysis import charts
from unallocated.rounds import dataset
from unallocated.sources import councils
from unallocated.model.categories import DEFINITIONS
out = Path({str(out_dir)!r})
returns = dataset.ingest(dataset.ROUND_2010, use_cache=False).returns
corrected = dataset.returns_2010(corrected=True)
tables = {{
    "headline": analysis.headline(returns), "shares": analysis.published_shares(returns),
    "ranking": analysis.ranking(returns), "every": analysis.under_every_definition(returns),
    "walk": analysis.walk(returns), "named": analysis.named_councils(returns, corrected),
    "national": analysis.corrected_national(returns),
    "timeline": analysis.timeline_table(dataset.timelines()),
}}
tables["rankings"] = [analysis.ranking(returns, d) for d in DEFINITIONS]
for name, (fig, data) in {{
    "headline": charts.headline_bars(tables["headline"]), "ranking": charts.ranking_bars(tables["ranking"]),
    "definitions": charts.definitions_bars(tables["every"]), "walk": charts.walk_bars(tables["walk"]),
    "correction": charts.correction_ranges(tables["national"]),
    "essex": charts.timeline_lines(tables["timeline"], "Essex"),
    "birmingham": charts.timeline_lines(tables["timeline"], "Birmingham"),
}}.items():
    charts.save(name, fig, data, out)
for name, table in tables.items():
    if hasattr(table, "to_csv"):
        charts.save_table(name, table, out)
from unallocated.factcheck import report as factcheck_report
factcheck_report.run(out_dir=out / "factcheck")  # notebook 06's outputs
from unallocated.pages import profile
for council in councils.councils(in_2010=True):  # notebook 04's computation, with its defaults
    report = profile.build(council.name, out_dir=out / "profiles")
    code = council.old_la_code
    report.cases.to_csv(out / f"{{code}}-cases.csv")
    report.series.to_csv(out / f"{{code}}-official.csv")
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=paths.ROOT)
    return time.perf_counter() - start


def _commit() -> str:
    """The checked-out commit, marked `+changes` when the tree differs from it ("" outside git)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    return commit + ("+changes" if commit and git("status", "--porcelain", "--untracked-files=no") else "")


def measure(runs: int = 3) -> dict:
    env = dict(os.environ)
    results: dict[str, list[float]] = {"cold_reproduce_s": [], "warm_no_change_s": [], "one_council_s": [],
                                       "ingest_89_returns_s": [], "floor_plain_functions_s": []}
    scratch = paths.OUTPUTS / "bench-scratch"
    for i in range(runs):
        shutil.rmtree(paths.OUTPUTS / "cache", ignore_errors=True)
        results["cold_reproduce_s"].append(_timed_cli("reproduce", "--force", "--quiet", env=env))
        results["warm_no_change_s"].append(_timed_cli("reproduce", "--quiet", env=env))
        results["one_council_s"].append(_timed_cli("profile", "Brighton & Hove", "--force", env=env))
        results["ingest_89_returns_s"].append(
            _timed_cli("ingest", str(paths.RAW_RETURNS / "2010"), "--out", str(scratch / "ingest"),
                       "--manifest", str(paths.RAW_RETURNS / "2010" / "manifest.csv"), "--layer", "simulated", env=env,
                       ok=(0, 1)))  # 1: every file read, some values need review
        shutil.rmtree(scratch / "floor", ignore_errors=True)
        (scratch / "floor").mkdir(parents=True)
        results["floor_plain_functions_s"].append(floor_once(scratch / "floor"))
    shutil.rmtree(scratch, ignore_errors=True)
    medians = {k: round(statistics.median(v), 2) for k, v in results.items()}
    medians["cold_over_floor"] = round(medians["cold_reproduce_s"] / medians["floor_plain_functions_s"], 2)
    return {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": _commit(), "python": sys.version.split()[0],
            "runs": runs, "cores": os.cpu_count(), "medians": medians,
            "targets": {"cold_reproduce_s": "< 60", "cold_over_floor": "<= 2", "warm_no_change_s": "< 3",
                        "one_council_s": "< 3", "ingest_89_returns_s": "< 2"},
            "all_runs": {k: [round(x, 2) for x in v] for k, v in results.items()}}


def _cmd_bench(args) -> int:
    report = measure(args.runs)
    out = paths.OUTPUTS / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"median of {report['runs']} runs on {report['cores']} cores, commit {report['commit'] or 'unknown'} "
          f"(targets in brackets):")
    for key, value in report["medians"].items():
        target = report["targets"].get(key, "")
        print(f"  {key:<26} {value:>8}  {'(' + target + ')' if target else ''}")
    print(f"written to {out.relative_to(paths.ROOT) if out.is_relative_to(paths.ROOT) else out}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="time reproduce, one profile, ingest and the plain-function floor")
    parser.add_argument("--runs", type=int, default=3)
    parser.set_defaults(func=_cmd_bench)
