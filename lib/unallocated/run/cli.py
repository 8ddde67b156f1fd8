"""Command line: `python -m unallocated COMMAND ...` (also installed as `unallocated`).

Each command lives in its own module, which exposes `register(subparsers)`; that function adds
the command's parser and sets `func` on it. Modules are imported only to build the parser, so
`--help` on one command does not pay for the others' heavy imports at run time.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from pathlib import Path

# The command line writes the project's outputs/ (`unallocated.paths`: a notebook run by hand
# writes build/scratch/). Set before any module reads it; notebook kernels started from here
# inherit it.
os.environ.setdefault("UNALLOCATED_OUTPUTS", str(Path(__file__).resolve().parents[3] / "outputs"))

from unallocated.errors import UnallocatedError

# command name -> module that registers it (kept in reading order for --help)
COMMANDS: dict[str, str] = {
    "data": "unallocated.sources.official",
    "reference": "unallocated.sources.reference",
    "councils": "unallocated.sources.councils",
    "ingest": "unallocated.returns",
    "review": "unallocated.returns.desk",
    "template": "unallocated.returns.template",
    "simulate": "unallocated.returns.simulate",
    "round": "unallocated.rounds.cli",
    "reproduce": "unallocated.run.reproduce",
    "factcheck": "unallocated.run.factcheck_cli",
    "publish": "unallocated.publish.cli",
    "bench": "unallocated.run.bench",
}


#: Commands registered by a module under another command's name.
ALSO_IN = {"profile": "unallocated.run.reproduce", "notebooks": "unallocated.run.reproduce",
           "explore": "unallocated.publish.cli"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only the module that defines it is imported (faster start)."""
    parser = argparse.ArgumentParser(
        prog="python -m unallocated",
        description="The unallocated-cases investigation: data, returns, definitions, fact-check.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = {**COMMANDS, **ALSO_IN}.get(command) if command else None
    for module_name in dict.fromkeys(COMMANDS.values()):
        if wanted is None or module_name == wanted:
            importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UnallocatedError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        # Ctrl-C: one line, not a traceback from every process; 130 is the shell's own status
        # for a command stopped by SIGINT.
        print(f"\n{err or 'interrupted'}", file=sys.stderr)
        return 130


def run() -> None:
    """The command-line entry point: `main`, then exit without the collector's final sweep.

    At exit Python garbage-collects every object the command made; after pandas and the
    notebook machinery are loaded that takes 0.2-0.4 s, longer than a small command's work.
    Freezing them first skips the sweep; files, kernels and atexit handlers close as usual.
    """
    code = main()
    gc.freeze()
    sys.exit(code)
