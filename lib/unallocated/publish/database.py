"""`outputs/unallocated.db`: the published tables in one SQLite database, written with sqlite-utils.

Each table is created from the data dictionary before a row goes in: declared column types
(council codes are TEXT, so '201' keeps its digits as written), the primary key, foreign keys
to the tables they name, and indexes (council code and round among them). A column the
dictionary does not describe (a tracker's own) is TEXT. The database is built in a temporary file
beside the target and renamed over it only when complete and its foreign keys check: a build that
fails leaves the previous database as it was.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from unallocated.errors import UnallocatedError
from unallocated.files import atomic_write
from unallocated.schema import Table

#: SQLite column type for each dictionary type (dates are ISO text).
SQL_TYPES = {"text": str, "date": str, "integer": int, "number": float, "boolean": bool}


class PublishError(UnallocatedError):
    """The published tables break a rule the dictionary sets (a foreign key with no row to refer to)."""


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values: missing is None, never NaN or pandas.NA."""
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict(orient="records")


def _creation_order(specs: dict[str, Table]) -> list[str]:
    """Tables before the tables that refer to them."""
    done: list[str] = []

    def visit(name: str, seen: tuple[str, ...] = ()) -> None:
        if name in done or name in seen:
            return
        for column in specs[name].columns:
            if column.references:
                visit(column.references.split(".")[0], seen + (name,))
        done.append(name)

    for name in specs:
        visit(name)
    return done


def fill(db_path: Path, frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> None:
    """Create every table in `db_path` as the dictionary declares it and insert its rows."""
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    try:
        for name in _creation_order(specs):
            spec, frame = specs[name], frames[name]
            table = db.table(name)
            table.create(
                {c.name: SQL_TYPES[c.type] for c in spec.columns},
                pk=list(spec.primary_key) if len(spec.primary_key) > 1 else (spec.primary_key[0] if spec.primary_key else None),
                not_null={c for c in spec.primary_key},
                foreign_keys=[(c.name, *c.references.split(".")) for c in spec.columns if c.references],
            )
            table.insert_all(records(frame[spec.column_names]), batch_size=2000)
            for index in spec.indexes:
                table.create_index(list(index), find_unique_name=True)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            raise PublishError(f"{len(broken)} row(s) refer to nothing: the first is in {table} "
                               f"(row {rowid}), referring to {parent}")
        db.execute("ANALYZE")
        db.conn.commit()
    finally:
        db.close()


def write_database(path: Path, frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> Path:
    """Build the database at `path`, atomically: a failed build leaves the previous one."""
    return atomic_write(Path(path), lambda tmp: fill(tmp, frames, specs), suffix=".db")


def foreign_keys(path: Path) -> list[tuple[str, str, str, str]]:
    """(table, column, other table, other column) of every foreign key in the database."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        return [(t, r[3], r[2], r[4]) for t in tables for r in conn.execute(f"PRAGMA foreign_key_list('{t}')")]
