"""The data dictionary (`unallocated/dictionary.toml`, read by `unallocated.schema`) turned into what
people read: the allowed values of a column with their meanings, and the tables in `docs/`.

A doc holds a generated table between two markers:

    <!-- dictionary: overview returns_csv -->      column | type | unknown / not applicable | example
    <!-- dictionary: meanings corrections -->      column | type | meaning
    <!-- dictionary: values case_type -->          value | meaning
    ... the generated table ...
    <!-- end of generated table -->

`write_docs()` (`python -m unallocated publish --docs`) rewrites those tables and the whole of
`docs/publish_data_dictionary.md`; `stale_docs()` names every doc that disagrees with the
dictionary, which a test holds to be none.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

from unallocated import paths, schema
from unallocated.files import atomic_write_text
from unallocated.schema import Column, Table

#: The tables of the database and the partner package, in the order they are listed.
PUBLISHED_TABLES = [
    "rounds", "returns", "council_figures", "national_totals", "issues", "files", "review_decisions",
    "requests", "definitions", "published_figures", "corrections", "claims", "verdicts", "councils",
    "official_stats", "official_files",
]

#: The doc generated whole from the dictionary.
PUBLISH_DOC = "publish_data_dictionary.md"

_BLOCK = re.compile(r"(<!-- dictionary: (\w+) ([\w,]+) -->\n)(.*?)(<!-- end of generated table -->)", re.S)
_NOTE = ("<!-- Generated from lib/unallocated/dictionary.toml by `python -m unallocated publish --docs`: "
         "edit the dictionary, not this table. -->\n")


def vocabulary_from_code(reference: str) -> dict[str, str]:
    """A vocabulary that lives in the code using it ("module:NAME"), as {code: meaning}. A value
    that is not text (a metric's spec) gives its `description`."""
    module, _, name = reference.partition(":")
    found = getattr(importlib.import_module(module), name)
    return {code: value if isinstance(value, str) else value.description for code, value in found.items()}


def allowed_values(column: Column) -> dict[str, str]:
    """The codes a column may hold and what each means ({} when it is free)."""
    out: dict[str, str] = {}
    for name in column.values:
        out.update(schema.meanings(name))
    if column.values_from:
        out.update(vocabulary_from_code(column.values_from))
    return out


def vocabulary_meanings(name: str) -> dict[str, str]:
    """A vocabulary of the dictionary as the docs write it: meaning, then how councils write it."""
    return {code: f"{e['meaning']} ({e['written_as']})" if e.get("written_as") else e["meaning"]
            for code, e in schema.VOCABULARIES[name].items()}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def overview_table(table: Table) -> str:
    lines = ["| column | type | unknown / not applicable | example |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {_cell(c.type_words)} | {_cell(c.missing)} | {_cell(_code(c.example))} |"
              for c in table.columns]
    return "\n".join(lines) + "\n"


def meanings_table(table: Table) -> str:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {_cell(c.type_words)} | {_cell(c.description)} |" for c in table.columns]
    return "\n".join(lines) + "\n"


def values_table(vocabularies: list[str]) -> str:
    lines = ["| value | meaning |", "|---|---|"]
    for name in vocabularies:
        lines += [f"| `{code}` | {_cell(meaning)} |" for code, meaning in vocabulary_meanings(name).items()]
    return "\n".join(lines) + "\n"


def render_block(kind: str, argument: str) -> str:
    if kind == "overview":
        return overview_table(schema.TABLES[argument])
    if kind == "meanings":
        return meanings_table(schema.TABLES[argument])
    if kind == "values":
        return values_table(argument.split(","))
    raise ValueError(f"unknown generated table kind {kind!r}")


def refreshed(text: str) -> str:
    """A doc's text with every generated table rewritten from the dictionary."""
    return _BLOCK.sub(lambda m: m.group(1) + _NOTE + render_block(m.group(2), m.group(3)) + m.group(5), text)


def _licence_words(table: Table) -> str:
    return {"OGL-UK-3.0": "Open Government Licence v3.0 (Crown copyright)"}.get(table.licence, table.licence)


def publish_doc() -> str:
    """docs/publish_data_dictionary.md: every table of the database and the partner package."""
    out = [
        "# The database and the partner package: every table and column",
        "",
        _NOTE.strip(),
        "",
        "`python -m unallocated publish` (`make publish`) writes these tables into `outputs/unallocated.db`",
        "(SQLite, for Datasette: `make explore`) and, one CSV each, into `outputs/package/` with",
        "`datapackage.json` and `unallocated.xlsx`. The same descriptions are the Datasette column",
        "descriptions, the data package's field descriptions and the notes on the workbook's headings.",
        "",
        "**The 2010 returns that ship with the project are SIMULATED**: every row of `returns`,",
        "`council_figures` and `national_totals` says which layer its numbers are in (`layer`).",
        "",
        "**Unknown numbers.** In the database an unknown number is empty (NULL) and the row's",
        "`qualifier` (or, in `official_stats`, `status`) says why. In the package's CSV and Excel files",
        "the cell holds the code instead, so an unknown never reads as 0:",
        "",
        "| code | meaning |",
        "|---|---|",
        *[f"| `{code}` | {_cell(meaning)} |" for code, meaning in schema.MISSING_CODES.items()],
        "",
        "In `official_stats.value` the code is the row's `status` (the symbol the official file used).",
        "Text beginning with `=`, `+`, `-` or `@`, as text from a reply may, is written with a leading",
        "apostrophe in the CSV and Excel files, so a spreadsheet shows it and runs nothing; the database",
        "keeps it as received.",
        "",
    ]
    for name in PUBLISHED_TABLES:
        table = schema.TABLES[name]
        out += [f"## `{name}`: {table.title}", "", table.description, ""]
        facts = []
        if table.source:
            facts.append(f"Source: {table.source}.")
        if table.licence:
            facts.append(f"Licence: {_licence_words(table)}.")
        if table.primary_key:
            facts.append("Primary key: " + ", ".join(f"`{c}`" for c in table.primary_key) + ".")
        references = [f"`{c.name}` refers to `{c.references}`" for c in table.columns if c.references]
        if references:
            facts.append("Foreign keys: " + "; ".join(references) + ".")
        if table.indexes:
            facts.append("Indexed on " + "; ".join(", ".join(f"`{c}`" for c in i) for i in table.indexes) + ".")
        out += [" ".join(facts), "", "| column | type | meaning | unit | empty means |", "|---|---|---|---|---|"]
        out += [f"| `{c.name}` | {_cell(c.type_words)} | {_cell(c.description)} | {_cell(c.unit)} | {_cell(c.missing)} |"
                for c in table.columns]
        out.append("")
        for column in table.columns:
            values = allowed_values(column)
            if values:
                out += [f"`{name}.{column.name}` holds one of:", "", "| value | meaning |", "|---|---|"]
                out += [f"| `{code}` | {_cell(meaning)} |" for code, meaning in values.items()]
                out.append("")
    return "\n".join(out)


def doc_paths(docs: Path = paths.DOCS) -> list[Path]:
    return sorted(p for p in Path(docs).glob("*.md") if p.name != PUBLISH_DOC)


def stale_docs(docs: Path = paths.DOCS) -> list[str]:
    """Docs whose generated tables disagree with the dictionary (empty when all agree)."""
    stale = [p.name for p in doc_paths(docs) if refreshed(p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")]
    whole = Path(docs) / PUBLISH_DOC
    if not whole.exists() or whole.read_text(encoding="utf-8") != publish_doc():
        stale.append(PUBLISH_DOC)
    return stale


def write_docs(docs: Path = paths.DOCS) -> list[Path]:
    """Rewrite the generated tables of every doc, and the publish dictionary; returns what changed."""
    changed = []
    for path in doc_paths(docs):
        text = path.read_text(encoding="utf-8")
        new = refreshed(text)
        if new != text:
            atomic_write_text(path, new)
            changed.append(path)
    whole = Path(docs) / PUBLISH_DOC
    if not whole.exists() or whole.read_text(encoding="utf-8") != publish_doc():
        atomic_write_text(whole, publish_doc())
        changed.append(whole)
    return changed
