"""A round of the FOI request as data: which councils were asked, on what date, in what words,
and where its returns, tracker, review decisions and corrections live.

The rounds are listed in `rounds.csv` beside the returns folders (`data/raw/returns/rounds.csv`,
or under `UNALLOCATED_RETURNS`), one row each:

    name           the round's name and its folder's (`2010`, `2025-simulated`)
    councils_on    the date that fixes which councils were asked: those with children's
                   services on that day, boundary changes applied
    figures_as_at  the date the request asked the figures for; empty when each reply chose
                   its own (2010: the replies give dates from October to November 2010)
    layer          what its returns are: `simulated` or `real_return`
    request        the request's wording (markdown), from the project root; empty: the
                   round folder's `request.md`
    corrections    its corrections register, from the project root; empty: the round folder's
                   `corrections.csv` (no file: no correction yet)
    description    in words, what the round is

A round's folder holds its returns, `manifest.csv`, `review.csv`, `request.md`, the tracker
`requests.csv` and `corrections.csv`. The 2010 round is the exception the shipped data needs:
its folder holds exactly what the generator writes (returns and manifest), so its wording sits
beside it (`2010_request.md`), its register is `data/corrections.csv`, and it has no tracker: who
was asked is known (every council of 2010), what happened to the requests that got no return
is not.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from unallocated import paths
from unallocated.errors import UnallocatedError

REGISTRY_COLUMNS = ["name", "councils_on", "figures_as_at", "layer", "request", "corrections", "description"]
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The round the investigation is about: the default of every notebook's `round` parameter.
DEFAULT = "2010"


class RoundError(UnallocatedError, ValueError):
    """An unknown round, or a registry row that cannot be used (names the round and the column)."""


def registry_path() -> Path:
    return paths.RAW_RETURNS / "rounds.csv"


@dataclass(frozen=True)
class Round:
    """One round of the request (see the module docstring for each field)."""

    name: str
    councils_on: dt.date
    figures_as_at: dt.date | None
    layer: str
    request: str = ""
    corrections: str = ""
    description: str = ""

    @property
    def folder(self) -> Path:
        return paths.RAW_RETURNS / self.name

    @property
    def request_path(self) -> Path:
        return paths.ROOT / self.request if self.request else self.folder / "request.md"

    @property
    def corrections_path(self) -> Path:
        return paths.ROOT / self.corrections if self.corrections else self.folder / "corrections.csv"

    @property
    def tracker_path(self) -> Path:
        return self.folder / "requests.csv"

    @property
    def simulated(self) -> bool:
        return self.layer == "simulated"

    @property
    def outputs(self) -> Path:
        """Where the round's pages go: `outputs/` for 2010, `outputs/rounds/NAME/` for any other,
        so a later round's pages can never be taken for 2010's."""
        return paths.OUTPUTS if self.name == DEFAULT else paths.OUTPUTS / "rounds" / self.name

    @property
    def label(self) -> str:
        """The round in words, saying what its returns are: 'the 2025-simulated round (SIMULATED
        returns, not real council figures)'."""
        what = "SIMULATED returns, not real council figures" if self.simulated else "councils' returns"
        return f"the {self.name} round ({what})"

    def councils(self):
        """The councils asked: those with children's services on `councils_on`."""
        from unallocated.sources.councils import councils_on

        return councils_on(self.councils_on)


def _date(text: str, name: str, column: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RoundError(f"{registry_path()}: round {name!r}: {column} {text!r} is not a date YYYY-MM-DD") from None


def _records() -> list[dict[str, str]]:
    path = registry_path()
    if not path.exists():
        raise RoundError(f"{path}: no register of rounds (it lists each round; see rounds/round.py)")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if rows and list(rows[0]) != REGISTRY_COLUMNS:
        raise RoundError(f"{path}: expected columns {REGISTRY_COLUMNS}, found {list(rows[0])}")
    return rows


def _round(row: dict[str, str]) -> Round:
    name = row["name"]
    if not NAME_RE.match(name):
        raise RoundError(f"{registry_path()}: round name {name!r}: lower-case letters, digits and '-' only")
    on = _date(row["councils_on"], name, "councils_on")
    if on is None:
        raise RoundError(f"{registry_path()}: round {name!r}: councils_on is required")
    if row["layer"] not in ("simulated", "real_return"):
        raise RoundError(f"{registry_path()}: round {name!r}: layer {row['layer']!r} is not simulated or real_return")
    return Round(name, on, _date(row["figures_as_at"], name, "figures_as_at"), row["layer"],
                 row["request"], row["corrections"], row["description"])


def all_rounds() -> list[Round]:
    """Every round in the register, in its order (the earliest first)."""
    return [_round(r) for r in _records()]


def names() -> list[str]:
    return [r["name"] for r in _records()]


def get(name: str | Round = DEFAULT) -> Round:
    """The round called `name`; `RoundError` naming the known rounds otherwise."""
    if isinstance(name, Round):
        return name
    name = str(name)
    for row in _records():
        if row["name"] == name:
            return _round(row)
    raise RoundError(f"unknown round {name!r}; known: {', '.join(names()) or '(none)'}")


def remove(name: str) -> bool:
    """Take a round out of the register (its folder is left alone); True if it was there."""
    path = registry_path()
    if not path.exists():
        return False
    rows = _records()
    kept = [r for r in rows if r["name"] != name]
    if len(kept) == len(rows):
        return False
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=REGISTRY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return True


def add(round_: Round) -> None:
    """Append a round to the register (refusing a name already there)."""
    if not NAME_RE.match(round_.name):
        raise RoundError(f"round name {round_.name!r}: lower-case letters, digits and '-' only")
    path = registry_path()
    existing = names() if path.exists() else []
    if round_.name in existing:
        raise RoundError(f"round {round_.name!r} is already in {path}")
    new = not path.exists()
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        if new:
            writer.writerow(REGISTRY_COLUMNS)
        writer.writerow([round_.name, round_.councils_on.isoformat(),
                         round_.figures_as_at.isoformat() if round_.figures_as_at else "", round_.layer,
                         round_.request, round_.corrections, round_.description])
