"""`python -m unallocated ingest PATH... --out DIR`: read returns, write returns.csv and
issues.csv, print a one-screen summary. Exit 0 when every file was read (issues or not), 2 when
a file could not be read at all (the others are still written)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from unallocated.schema import LAYERS

__all__ = ["register", "write_csv_atomic", "summary"]


def write_csv_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    from unallocated.files import atomic_write

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            df.to_csv(fh, index=False, lineterminator="\n")

    atomic_write(path, write)  # readable by others (0644)


def summary(result) -> str:
    """The one-screen summary printed by `ingest`."""
    r, f = result.returns, result.files
    councils = r.loc[r["council_code"] != "", "council_code"].nunique()
    lines = [f"files read: {len(f)}   unreadable: {len(result.unreadable)}   rows: {len(r)}   "
             f"councils: {councils}   issues: {len(result.issues)}",
             "",
             f"{'file':<40} {'cells':>6} {'mapped':>6} {'labels':>6} {'issues':>6}"]
    shown = f.head(20)
    for _, row in shown.iterrows():
        name = row["file"] if len(row["file"]) <= 40 else "…" + row["file"][-39:]
        lines.append(f"{name:<40} {row['non_empty_cells']:>6} {row['mapped']:>6} "
                     f"{row['labels']:>6} {row['issues']:>6}")
    if len(f) > len(shown):
        lines.append(f"... and {len(f) - len(shown)} more files (see the files table)")
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
    lines.append("unallocated cases, sum of counts: " + ", ".join(parts))
    for _, u in result.unreadable.iterrows():
        lines.append(f"NOT READ: {u['reason']}")
    return "\n".join(lines)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from unallocated.returns.reader import read_returns

    if args.reference == "none":
        reference = None
    elif args.reference == "dfe-2010":
        from unallocated.reference import caseloads

        reference = caseloads(2010)
    else:
        reference = pd.read_csv(args.reference, dtype={"old_la_code": str})
    result = read_returns(args.paths, manifest=args.manifest, layer=args.layer,
                          reference=reference)
    out = Path(args.out)
    write_csv_atomic(result.returns, out / "returns.csv")
    write_csv_atomic(result.issues, out / "issues.csv")
    print(summary(result))
    print(f"\nwrote {out / 'returns.csv'} and {out / 'issues.csv'}")
    if len(result.unreadable):
        for _, u in result.unreadable.iterrows():
            print(f"error: {u['reason']}", file=sys.stderr)
        return 2
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "ingest", help="read FOI returns into returns.csv and issues.csv",
        description="Read FOI return files (csv, xlsx, xls; files or folders) into the tidy "
                    "returns table. Exit status 2 when a file cannot be read at all.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="return files or folders")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the two csv files")
    p.add_argument("--manifest", metavar="FILE",
                   help="csv with file, council[, snapshot_date, layer] per return file")
    p.add_argument("--layer", default="real_return", choices=list(LAYERS),
                   help="layer of files the manifest does not place (default real_return)")
    p.add_argument("--reference", metavar="FILE", default="dfe-2010",
                   help="caseloads to check unallocated counts against: 'dfe-2010' (default: DfE's "
                        "counts at 31 March 2010 from the reference table), 'none', or a csv with "
                        "old_la_code, case_type, caseload")
    p.set_defaults(func=_cmd_ingest)
