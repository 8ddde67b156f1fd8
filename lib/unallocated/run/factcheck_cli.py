"""`python -m unallocated factcheck`: check every claim, write the report, and optionally run
notebook 06 (the notebook runner lives on this floor, so the command does too)."""
from __future__ import annotations

import argparse
import sys

from unallocated import paths
from unallocated.factcheck.report import (
    CLAIMS_PATH,
    DEFAULT_OUT,
    NOTEBOOK,
    by_evidence,
    run,
    summary,
    text_table,
)
from unallocated.paths import project_path


def run_notebook() -> int:
    """Run notebooks/06-fact-check.ipynb with its defaults into outputs/notebooks/ (and HTML)."""
    from unallocated.run.runner import Job, describe_failure, run_jobs

    notebook = paths.NOTEBOOKS / f"{NOTEBOOK}.ipynb"
    job = Job(notebook, {}, paths.OUTPUTS / "notebooks" / f"{NOTEBOOK}.ipynb", NOTEBOOK)
    (result,) = run_jobs([job], workers=1, progress=False)
    if not result.ok:
        print(f"notebook failed: {describe_failure(result)}", file=sys.stderr)
        return 1
    print(f"notebook: {job.output} and {job.html}")
    return 0


def _cmd(args: argparse.Namespace) -> int:
    status = 0
    if args.notebook:
        status = run_notebook()
    table, verdicts = run(args.claims, args.out)
    print(text_table(verdicts))
    print()
    print(summary(verdicts))
    print(by_evidence(verdicts)[["evidence", "claims", "verdicts"]].to_string(index=False))
    if any(v.simulated for v in verdicts):
        print("SIMULATED: verdicts on simulated returns show the simulated data agree with a claim, "
              "not that any council's real return does.")
    out = project_path(args.out)
    print(f"wrote {out / 'factcheck.csv'} and {out / 'factcheck.html'}")
    failed = [v for v in verdicts if v.failed_must_hold]
    if failed:
        print(f"FAILED: {len(failed)} claim(s) marked must_hold fail: "
              + ", ".join(v.claim.claim_id for v in failed), file=sys.stderr)
        return 1
    return status


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "factcheck", help="check every published claim against the returns and official statistics",
        description=("Check each claim in the claims register as published and as corrected; write "
                     "factcheck.csv and factcheck.html; exit 1 if a must_hold claim fails, 2 on bad input."))
    p.add_argument("--claims", default=str(CLAIMS_PATH.relative_to(paths.ROOT)),
                   help="claims register (default: data/claims.csv)")
    p.add_argument("--out", default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    p.add_argument("--notebook", action="store_true",
                   help="also run notebooks/06-fact-check.ipynb into outputs/notebooks/")
    p.set_defaults(func=_cmd)
