"""The data dictionary, machine-readable: every table the project writes or publishes, its columns,
their types, units in words, allowed values and what an empty cell means.

The one place to edit a description is `dictionary.toml` beside this module. The returns table's
columns and codes below (`CASE_TYPES`, `CATEGORIES`, ..., `RETURN_COLUMNS`) are read from it, the
tables in `docs/` are generated from it (a test holds them to it), and `python -m unallocated
publish` writes the Datasette metadata, `datapackage.json` and the Excel column notes from it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

#: The dictionary's file.
DICTIONARY_PATH = Path(__file__).with_name("dictionary.toml")

#: Column types the dictionary allows.
TYPES = ("text", "integer", "number", "date", "boolean")


@dataclass(frozen=True)
class Column:
    """One column of a table, as the dictionary describes it."""

    name: str
    type: str
    description: str
    missing: str = ""
    example: str = ""
    format: str = ""
    unit: str = ""
    values: tuple[str, ...] = ()  # vocabularies of this file
    values_from: str = ""  # "module:NAME", a vocabulary that lives in the code using it
    references: str = ""  # "table.column"
    missing_codes: bool = False

    @property
    def type_words(self) -> str:
        """The type as the docs write it: 'text, 3 digits'."""
        return f"{self.type}, {self.format}" if self.format else self.type


@dataclass(frozen=True)
class Table:
    """One table: what it holds, where it comes from, its keys and its columns in order."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    source: str = ""
    source_url: str = ""
    licence: str = ""
    primary_key: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r} in {DICTIONARY_PATH.name}")


def _load(path: Path = DICTIONARY_PATH) -> tuple[dict[str, str], dict[str, dict[str, dict[str, str]]], dict[str, Table]]:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    vocabularies = {name: {code: dict(entry) for code, entry in codes.items()}
                    for name, codes in raw.get("vocabularies", {}).items()}
    tables: dict[str, Table] = {}
    for name, spec in raw["tables"].items():  # in file order: a column may come `from` an earlier table
        columns = []
        for col in spec["columns"]:
            col = dict(col)
            origin = col.pop("from", None)
            if origin:
                base = tables[origin].column(col["name"])
                col = {**base.__dict__, **col}
            values = col.get("values", ())
            col["values"] = (values,) if isinstance(values, str) else tuple(values)
            unknown = [v for v in col["values"] if v not in vocabularies]
            if col.get("type") not in TYPES or unknown:
                raise ValueError(f"{path.name}: {name}.{col.get('name')}: type {col.get('type')!r} "
                                 f"(one of {TYPES}), unknown vocabularies {unknown}")
            columns.append(Column(**col))
        tables[name] = Table(
            name=name, title=spec["title"], description=spec["description"], columns=tuple(columns),
            source=spec.get("source", ""), source_url=spec.get("source_url", ""),
            licence=spec.get("licence", ""), primary_key=tuple(spec.get("primary_key", ())),
            indexes=tuple(tuple(i) for i in spec.get("indexes", ())),
        )
    return dict(raw.get("missing_codes", {})), vocabularies, tables


MISSING_CODES, VOCABULARIES, TABLES = _load()


def meanings(vocabulary: str) -> dict[str, str]:
    """A vocabulary as {code: meaning}, in the dictionary's order."""
    return {code: entry["meaning"] for code, entry in VOCABULARIES[vocabulary].items()}


#: Case types, in the order the coverage reports them.
CASE_TYPES: dict[str, str] = meanings("case_type")

#: Where an open case stands. `total` is the council's own total of open cases.
CATEGORIES: dict[str, str] = meanings("category")

#: `detail` for `allocated_other`: the role of the person holding the case.
OTHER_ROLES: dict[str, str] = meanings("other_role")

#: `detail` for `unallocated`: the reason the council gave.
UNALLOCATED_REASONS: dict[str, str] = meanings("unallocated_reason")

#: How exact a count is, from the wording in the cell.
QUALIFIERS: dict[str, str] = meanings("qualifier")

#: Which of the three layers a number belongs to.
LAYERS: dict[str, str] = meanings("layer")

#: Columns of `returns.csv`, in order.
RETURN_COLUMNS: list[str] = TABLES["returns_csv"].column_names

#: Columns of `issues.csv`, in order. The `proposed_*` columns hold the reading the reader thinks
#: likely, for a person to confirm (empty where none is likely); `grounds` the words it rests on.
ISSUE_COLUMNS: list[str] = TABLES["issues_csv"].column_names

#: What an issue is about (`issues.csv` `kind`).
ISSUE_KINDS: dict[str, str] = meanings("issue_kind")


#: The detail a count takes when its words name no role (other staff) or no reason (unallocated).
UNSPECIFIED_DETAIL: dict[str, str] = {"allocated_other": "other", "unallocated": "not_given"}


def allowed_details(category: str) -> dict[str, str]:
    """The `detail` values allowed for a category ({} means detail must be empty)."""
    if category == "allocated_other":
        return OTHER_ROLES
    if category == "unallocated":
        return UNALLOCATED_REASONS
    return {}
