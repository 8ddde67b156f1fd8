"""`python -m unallocated ingest PATH... --out DIR`: read returns, write returns.csv, issues.csv
and files.csv, print a one-screen summary.

Exit status (EXIT_STATUS): 0 when every file was read and nothing needs a person's review; 1 when
every file was read but some values need review (issues.csv); 2 when a file could not be read at
all (the others are still read and written)."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from unallocated.errors import UnallocatedError
from unallocated.schema import LAYERS

__all__ = ["register", "write_csv_atomic", "summary", "exit_status", "EXIT_STATUS", "reference_table"]

EXIT_STATUS = ("exit status: 0 every file was read and nothing needs review (numbers that are plainly "
               "not counts may still be listed); 1 every file was read but some values need a person's "
               "review (see issues.csv); 2 a file could not be read at all (see files.csv; the rest are "
               "still written)")


def exit_status(result) -> int:
    """0 all read, nothing to review; 1 all read, some values need review; 2 a file not read."""
    if len(result.unreadable):
        return 2
    return 1 if len(_for_a_person(result.issues)) else 0


def _for_a_person(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues that ask a person for a decision: not the lists of numbers that are plainly not
    counts (kind not_a_count), which are there to be seen, not decided."""
    return issues[issues["kind"] != "not_a_count"] if "kind" in issues.columns else issues


def write_csv_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    from unallocated.files import atomic_write

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            df.to_csv(fh, index=False, lineterminator="\n")

    atomic_write(path, write)  # readable by others (0644)


def summary(result) -> str:
    """The one-screen summary printed by `ingest`: every file not read is named."""
    r, allf = result.returns, result.files
    f = allf[allf["outcome"].isin(["read", "read_with_issues"])]
    councils = r.loc[r["council_code"] != "", "council_code"].nunique()
    not_read = allf[allf["outcome"] == "not_read"]
    not_returns = allf[allf["outcome"] == "not_a_return"]
    lines = [f"files read: {len(f)}   not read: {len(not_read)}   not returns: "
             f"{len(not_returns)}   rows: {len(r)}   councils: {councils}   "
             f"issues: {len(result.issues)}",
             "",
             f"{'file':<40} {'cells':>6} {'mapped':>6} {'labels':>6} {'issues':>6}"]
    shown = f.head(20)
    for _, row in shown.iterrows():
        name = row["file"] if len(row["file"]) <= 40 else "…" + row["file"][-39:]
        lines.append(f"{name:<40} {row['non_empty_cells']:>6} {row['mapped']:>6} "
                     f"{row['labels']:>6} {row['issues']:>6}")
    if len(f) > len(shown):
        lines.append(f"... and {len(f) - len(shown)} more files (see files.csv)")
    lines.append(f"{'total':<40} {f['non_empty_cells'].sum():>6} {f['mapped'].sum():>6} "
                 f"{f['labels'].sum():>6} {f['issues'].sum():>6}")
    un = r[r["category"] == "unallocated"]
    parts = []
    for ct in ("cp", "lac", "cin"):
        g = un[un["case_type"] == ct]
        hedged = (g["qualifier"] != "exact").sum()
        parts.append(f"{ct} {int(g['count'].sum()):,}" + (f" ({hedged} not exact)" if hedged
                                                         else ""))
    lines.append("")
    lines.append("unallocated cases, sum of counts in the files read: " + ", ".join(parts))
    n = len(_for_a_person(result.issues))
    lines.append(f"need a person's review: {n:,} value(s) or cell(s) in issues.csv" if n
                 else "need a person's review: none")
    plain = result.issues[result.issues["kind"] == "not_a_count"] if "kind" in result.issues.columns else []
    if len(plain):
        lines.append(f"numbers that are plainly not counts (dates, references, question numbers, ...): listed "
                     f"once per file in {len(plain):,} issue(s) of kind not_a_count")
    for _, u in not_read.iterrows():
        lines.append(f"NOT READ: {u['file']}: {u['reason']}")
    return "\n".join(lines)


def reference_table(option: str) -> pd.DataFrame | None:
    """The caseloads `--reference` names: None for 'none'; DfE's at 31 March of each return's own
    year for 'dfe'; of one year for 'dfe-2010' (any year DfE published); else the csv at that
    path (old_la_code, case_type, caseload, and optionally year)."""
    if option == "none":
        return None
    year = re.fullmatch(r"dfe(?:-(\d{4}))?", option)
    if year:
        from unallocated.sources.reference import caseloads

        try:
            table = caseloads(int(year.group(1)) if year.group(1) else None)
        except KeyError:  # no measure at all for that year
            table = pd.DataFrame()
        if table.empty:
            raise UnallocatedError(f"--reference {option}: no DfE caseloads for {year.group(1) or 'any year'} here")
        return table
    return pd.read_csv(option, dtype={"old_la_code": str})


def _cmd_ingest(args: argparse.Namespace) -> int:
    from unallocated.returns.reader import read_returns

    result = read_returns(args.paths, manifest=args.manifest, layer=args.layer,
                          reference=reference_table(args.reference), review=args.review)
    out = Path(args.out)
    write_csv_atomic(result.returns, out / "returns.csv")
    write_csv_atomic(result.issues, out / "issues.csv")
    write_csv_atomic(result.files, out / "files.csv")
    print(summary(result))
    print(f"\nwrote {out / 'returns.csv'}, {out / 'issues.csv'} and {out / 'files.csv'}")
    for _, u in result.unreadable.iterrows():
        print(f"error: {u['file']}: {u['reason']}", file=sys.stderr)
    return exit_status(result)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ingest", help="read FOI returns into returns.csv, issues.csv and files.csv",
        description="Read FOI return files (files or folders; a folder's manifest.csv is used "
                    "when --manifest is not given) into the tidy returns table. files.csv lists "
                    "every file given with its outcome (read, read_with_issues, not_read and "
                    "why, not_a_return). " + EXIT_STATUS + ".")
    p.add_argument("paths", nargs="+", metavar="PATH", help="return files or folders")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for returns.csv, issues.csv and files.csv")
    p.add_argument("--manifest", metavar="FILE",
                   help="csv with file, council[, snapshot_date, layer] per return file (default: "
                        "manifest.csv in each folder given, when there is one)")
    p.add_argument("--review", metavar="FILE",
                   help="csv of a person's readings (file, sheet, cell, case_type, category, "
                        "detail, reading, page, reviewer, note), applied on every run (default: "
                        "review.csv in each folder given, when there is one)")
    p.add_argument("--layer", default="real_return", choices=[k for k in LAYERS if k != "review"],
                   help="layer of files the manifest does not place (default real_return)")
    p.add_argument("--reference", metavar="FILE", default="dfe",
                   help="caseloads to check counts against: 'dfe' (default: DfE's counts at 31 March of "
                        "each return's year, from the reference table), 'dfe-2010' for one year, 'none', or a csv with "
                        "old_la_code, case_type, caseload")
    p.set_defaults(func=_cmd_ingest)
