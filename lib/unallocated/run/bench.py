"""`make bench`: how long the investigation takes, as medians of several runs. Never fails.

Measured: a cold `reproduce` (every notebook and profile rerun, returns re-read), a warm rerun
with nothing changed, one council's profile, ingesting the 89 returns, and the floor: what
`reproduce` makes (the 2010 round's tables, figures, fact-check, council reports and front page,
and each later round's tables, figures and tracker page) by plain function calls in one process,
with no notebooks. Results are
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
    """What `reproduce` makes, less the notebooks and their HTML, by plain function calls in one
    process: the national tables, figures and fact-check (notebooks 01-03, 05, 06), the 158
    council reports (`profile.build`, what notebook 04 calls, with its charts and CSVs: the 152
    councils of 2010 and the 6 created since), each later round's pages (notebooks 01-03 and 07
    on its returns, read afresh) and its tracker page, and the front page, each under the names
    and folders `reproduce` gives them."""
    start = time.perf_counter()
    code = f"""
import time
from pathlib import Path
import pandas as pd
from unallocated import analysis
from unallocated.analysis import charts
from unallocated.files import atomic_write_text
from unallocated.rounds import compare, dataset
from unallocated.rounds import round as rounds
from unallocated.sources import councils
from unallocated.model.categories import DEFINITIONS
out = Path({str(out_dir)!r})

def national(returns, corrected, register, where):
    # notebooks 01 to 03 on one round's returns, saved as they save them
    figures, tables = where / "figures", where / "tables"
    headline, every = analysis.headline(returns), analysis.under_every_definition(returns)
    walk, ranking = analysis.walk(returns), analysis.ranking(returns)
    before = analysis.ranking(returns, view="as_published")
    national = analysis.corrected_national(returns)
    for name, (fig, data) in {{
        "01-headline": charts.headline_bars(headline), "01-ranking": charts.ranking_bars(ranking, other=before),
        "02-definitions": charts.definitions_bars(every), "02-walk": charts.walk_bars(walk),
        "03-correction": charts.correction_ranges(national),
    }}.items():
        charts.save(name, fig, data, figures)
    for name, table in {{
        "01-headline": headline, "01-shares": analysis.published_shares(returns), "01-ranking": ranking,
        "02-definitions": every, "02-walk": walk, "02-named-councils": analysis.named_councils(returns, corrected),
        "02-rankings": pd.concat([analysis.ranking(returns, d) for d in DEFINITIONS], ignore_index=True),
        "03-register": register, "03-national": analysis.long_views(national),
        "03-ranking-change": analysis.ranking_change(returns),
    }}.items():
        charts.save_table(name, table, tables)

returns = dataset.ingest(dataset.ROUND_2010, use_cache=False).returns
national(returns, dataset.returns_2010(corrected=True), dataset.register("2010"), out)
timeline = analysis.timeline_table(dataset.timelines())  # notebook 05
charts.save_table("05-timelines", timeline, out / "tables")
for council in ("Essex", "Birmingham"):
    fig, data = charts.timeline_lines(timeline, council)
    charts.save(f"05-{{council.lower()}}", fig, data, out / "figures")
from unallocated.factcheck import report as factcheck_report
factcheck_report.run(out_dir=out / "factcheck")  # notebook 06's outputs
from unallocated.pages import profile
every_council = [c.name for c in councils.councils(in_2010=True)] + [c.old_la_code for c in councils.councils(in_2010=False)]
for council in every_council:  # notebook 04's computation, with its defaults
    report = profile.build(council, out_dir=out / "profiles" / "charts")
    code = councils.resolve(council).old_la_code
    report.cases.to_csv(out / "profiles" / f"{{code}}-cases.csv")
    report.series.to_csv(out / "profiles" / f"{{code}}-official.csv")
from unallocated.pages import frontpage, tracker
for later in tracker.later_rounds():  # each later round: notebooks 01 to 03 and 07, its tracker page
    where = out / "rounds" / later.name
    returns = dataset.ingest(later.folder, use_cache=False).returns
    national(returns, dataset.round(later.name, corrected=True), dataset.register(later.name), where)
    earlier = rounds.get("2010")
    for name, table in {{
        "07-accounting": pd.concat([compare.accounting(r) for r in (earlier, later)], ignore_index=True),
        "07-questions": compare.questions(earlier, later), "07-groups": compare.groups(earlier, later),
        "07-responders": pd.concat([compare.responders(r) for r in (earlier, later)], ignore_index=True),
        "07-estimate": pd.concat([compare.national_estimate(r, "no_professional") for r in (earlier, later)],
                                 ignore_index=True),
    }}.items():
        charts.save_table(name, table, where / "tables")
    comparison = compare.compare(earlier, later, "no_professional")
    charts.save_table("07-comparison", comparison, where / "tables")
    charts.save_table("07-only-one-round", compare.only_one_round(comparison, earlier.name, later.name), where / "tables")
    atomic_write_text(where / tracker.PAGE, tracker.render(later, outputs=out))
frontpage.write(out)
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
            "targets": {"cold_reproduce_s": "< 60", "cold_over_floor": "<= 1.3", "warm_no_change_s": "< 3",
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
