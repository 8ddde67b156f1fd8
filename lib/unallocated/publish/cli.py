"""`python -m unallocated publish` (`make publish`) and `python -m unallocated explore` (`make explore`).

publish writes, from every round under the returns folder and the registers:

    outputs/unallocated.db                 the SQLite database (sqlite-utils)
    outputs/unallocated.metadata.json      its Datasette metadata: descriptions, sources, canned queries
    outputs/package/                       the partner package: CSVs, datapackage.json, the workbook, notes

`publish --docs` rewrites the tables in docs/ from the data dictionary instead. explore starts
Datasette on 127.0.0.1 with that metadata (publishing first when the database is missing) and
prints its address; Ctrl-C stops it.
"""
from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from pathlib import Path

from unallocated import paths

DATABASE_NAME = "unallocated.db"
METADATA_NAME = "unallocated.metadata.json"
PACKAGE_NAME = "package"


def outputs(out: str | Path | None = None) -> dict[str, Path]:
    folder = paths.project_path(out) if out else paths.OUTPUTS
    return {"database": folder / DATABASE_NAME, "metadata": folder / METADATA_NAME, "package": folder / PACKAGE_NAME}


def publish(out: str | Path | None = None, returns_root: Path | None = None, package: bool = True) -> dict:
    """Build every published table and write the database, its metadata and the package.
    Returns where each went, the tables' row counts and the build's notes."""
    from unallocated.files import atomic_write_text
    from unallocated.publish import database, metadata, package as package_module, tables

    where = outputs(out)
    built = tables.build(returns_root)
    database.write_database(where["database"], built.frames, built.specs)
    atomic_write_text(where["metadata"], json.dumps(metadata.datasette_metadata(built.specs), indent=2,
                                                    ensure_ascii=False) + "\n")
    if package:
        package_module.write_package(where["package"], built.frames, built.specs)
    return {"where": where, "rows": {n: len(f) for n, f in built.frames.items()}, "notes": built.notes,
            "rounds": built.frames["rounds"]}


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _cmd_publish(args: argparse.Namespace) -> int:
    if args.docs:
        from unallocated.publish.dictionary import write_docs

        changed = write_docs()
        print("\n".join(f"rewrote {_show(p)}" for p in changed) or "docs/ already agree with the data dictionary")
        return 0
    done = publish(args.out, package=not args.no_package)
    for r in done["rounds"].itertuples():
        print(f"round {r.round}: {r.councils_returned} councils, {r.returns_rows} figures ({r.layers}), "
              f"{r.issues} issues, tracker: {'yes' if r.tracker else 'none'}")
    print("tables: " + ", ".join(f"{name} {n:,}" for name, n in done["rows"].items()))
    for note in done["notes"]:
        print(f"note: {note}")
    where = done["where"]
    print(f"database: {_show(where['database'])} (Datasette metadata: {_show(where['metadata'])}; `make explore` opens it)")
    if not args.no_package:
        print(f"partner package: {_show(where['package'])}/ (datapackage.json, one CSV per table, unallocated.xlsx, LICENCE.md)")
    return 0


def datasette_command(database: Path, metadata: Path, host: str, port: int) -> list[str]:
    # -i: immutable, the file is only read (counts are exact, nothing locks it)
    return [sys.executable, "-m", "datasette", "serve", "-i", str(database), "--metadata", str(metadata),
            "--host", host, "--port", str(port)]


def _cmd_explore(args: argparse.Namespace) -> int:
    where = outputs(args.out)
    if not where["database"].exists() or not where["metadata"].exists():
        print(f"no database at {_show(where['database'])} yet: publishing first")
        publish(args.out, package=False)
    command = datasette_command(where["database"], where["metadata"], args.host, args.port)
    print(f"Datasette: http://{args.host}:{args.port}/unallocated (Ctrl-C stops it)", flush=True)
    server = subprocess.Popen(command)

    def stop(signum, frame):  # `kill` stops Datasette too, as Ctrl-C does, never leaving it behind
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        print("Datasette stopped")
        return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish", help="write the SQLite database, its Datasette metadata and the partner data package",
        description="Write outputs/unallocated.db, outputs/unallocated.metadata.json and outputs/package/ "
                    "from every round under the returns folder and the registers.")
    parser.add_argument("--out", help="folder to write into (default: outputs/)")
    parser.add_argument("--no-package", action="store_true", help="the database and its metadata only")
    parser.add_argument("--docs", action="store_true",
                        help="rewrite the tables in docs/ from the data dictionary (lib/unallocated/dictionary.toml) instead")
    parser.set_defaults(func=_cmd_publish)

    explore = subparsers.add_parser("explore", help="browse the database in Datasette on 127.0.0.1 (Ctrl-C stops it)")
    explore.add_argument("--out", help="folder holding the database (default: outputs/)")
    explore.add_argument("--host", default="127.0.0.1")
    explore.add_argument("--port", type=int, default=8001)
    explore.set_defaults(func=_cmd_explore)
