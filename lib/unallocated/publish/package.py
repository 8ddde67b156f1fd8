"""`outputs/package/`: the data package for partner newsrooms, written from the data dictionary.

    README.md          what is in the package, the layers, how sure each number is
    LICENCE.md         the licence notes: official statistics under the Open Government Licence
                       v3.0; the published figures are facts with their sources; the simulated returns
                       are the project's invention and say so
    datapackage.json   a Frictionless data package (v2): every CSV with its fields' types, units and
                       descriptions, allowed values, primary and foreign keys, and the missing-value
                       codes labelled (suppressed, not supplied, not held, no reply)
    <table>.csv        one per published table (UTF-8, comma-separated, a header row)
    unallocated.xlsx   one sheet per table, each heading carrying its column's note, and a README
                       sheet first

In the CSV and Excel files an unknown number is the code saying why (`suppressed`, `not_supplied`,
`not_held`, `no_reply`; in official_stats the row's status), never a blank that could be read as
0, and text beginning with `=`, `+`, `-` or `@` is written by `unallocated.files.spreadsheet_safe`
so a spreadsheet shows it and runs nothing. The folder is built beside the old one and swapped in
whole, so a failed build leaves the previous package.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from unallocated import __version__, schema
from unallocated.files import atomic_write_text, file_mode, spreadsheet_safe, umask
from unallocated.publish.dictionary import allowed_values
from unallocated.publish.metadata import DESCRIPTION, OGL, TITLE
from unallocated.schema import Column, Table

WORKBOOK = "unallocated.xlsx"
OGL_LICENCE = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
               "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
#: The tables whose numbers are the returns (real or simulated), so a reader of a row sees its layer.
RETURNS_TABLES = ("returns", "council_figures", "national_totals")

_EMPTY_LABEL = "empty: not known or not applicable (the column's description says which)"


# ------------------------------------------------------------------------------------ cells

def _official_status_codes() -> dict[str, str]:
    from unallocated.sources.reference import STATUSES

    return {code: meaning for code, meaning in STATUSES.items() if code not in ("ok", "derived")}


def missing_codes_for(table: Table, column: Column) -> dict[str, str]:
    """The codes an unknown number of this column is written as, with their labels."""
    if not column.missing_codes:
        return {}
    if "status" in table.column_names:  # official_stats: the symbol the official file used
        return _official_status_codes()
    return dict(schema.MISSING_CODES)


def _reason_column(table: Table) -> str:
    return "status" if "status" in table.column_names else "qualifier"


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def cell_values(frame: pd.DataFrame, table: Table) -> list[list]:
    """Rows as the package writes them: numbers as numbers, an unknown number as the code saying
    why, booleans as true/false, text made spreadsheet-safe; missing is None."""
    out = []
    reason = _reason_column(table)
    codes = {c.name: missing_codes_for(table, c) for c in table.columns}
    for row in frame[table.column_names].itertuples(index=False):
        values = dict(zip(table.column_names, row))
        cells = []
        for column in table.columns:
            value = values[column.name]
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                code = values.get(reason) if codes[column.name] else None
                cells.append(code if code in codes[column.name] else None)
            elif column.type == "boolean":
                cells.append(bool(value))
            elif column.type == "integer":
                cells.append(int(value))
            elif column.type == "number":
                cells.append(float(value))
            else:
                cells.append(spreadsheet_safe(str(value)))
        out.append(cells)
    return out


def csv_text(frame: pd.DataFrame, table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    for cells in cell_values(frame, table):
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else
                                                _number(v) if isinstance(v, float) else v) for v in cells])
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ datapackage

_FRICTIONLESS_TYPES = {"text": "string", "date": "date", "integer": "integer", "number": "number", "boolean": "boolean"}


def field_descriptor(table: Table, column: Column, unit_words: bool = True) -> dict:
    from unallocated.publish.metadata import column_description

    field = {"name": column.name, "type": _FRICTIONLESS_TYPES[column.type], "description": column_description(column)}
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    constraints = {}
    if column.missing == "never empty" or column.name in table.primary_key:
        constraints["required"] = True
    values = allowed_values(column)
    if column.values and values:
        constraints["enum"] = list(values)
    if constraints:
        field["constraints"] = constraints
    codes = missing_codes_for(table, column)
    if codes:
        field["missingValues"] = [{"value": "", "label": _EMPTY_LABEL},
                                  *({"value": code, "label": label} for code, label in codes.items())]
    return field


def resource_descriptor(name: str, table: Table, rows: int) -> dict:
    foreign_keys = [{"fields": [c.name], "reference": {"resource": c.references.split(".")[0],
                                                       "fields": [c.references.split(".")[1]]}}
                    for c in table.columns if c.references]
    descriptor = {
        "name": name,
        "type": "table",
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": table.title,
        "description": table.description + f" {rows} rows.",
        "sources": [{"title": table.source}] if table.source else [],
        "schema": {
            "fields": [field_descriptor(table, c) for c in table.columns],
            "missingValues": [{"value": "", "label": _EMPTY_LABEL}],
        },
    }
    if table.primary_key:
        descriptor["schema"]["primaryKey"] = list(table.primary_key)
    if foreign_keys:
        descriptor["schema"]["foreignKeys"] = foreign_keys
    if table.licence == "OGL-UK-3.0":
        descriptor["licenses"] = [OGL_LICENCE]
    if not descriptor["sources"]:
        del descriptor["sources"]
    return descriptor


def datapackage(frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> dict:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "unallocated-cases-2010",
        "title": TITLE,
        "description": DESCRIPTION + (" In these CSV files an unknown number is the code saying why "
                                      "(see each field's missingValues), never 0; text beginning with =, +, - or @ "
                                      "starts with an apostrophe so a spreadsheet runs nothing. LICENCE.md has "
                                      "the licence notes."),
        "version": __version__,
        "keywords": ["FOI", "children's social care", "unallocated cases", "social workers", "England", "2010"],
        "sources": [
            {"title": "Community Care, 16 November and 6 December 2010",
             "path": "https://www.communitycare.co.uk/2010/12/06/councils-clarify-position-over-unallocated-children-cases/"},
            {"title": "Department for Education and Office for National Statistics official statistics (official_files lists each file)",
             "path": "https://explore-education-statistics.service.gov.uk/"},
        ],
        "resources": [resource_descriptor(name, specs[name], len(frames[name])) for name in frames],
    }


# ------------------------------------------------------------------------------------ workbook

def _excel_text(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def write_workbook(path: Path, frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    from unallocated.publish.metadata import column_description

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    readme = book.create_sheet("README")
    for line in _readme_rows(frames, specs):
        readme.append([_excel_text(spreadsheet_safe(v)) for v in line])
    for name, frame in frames.items():
        table = specs[name]
        sheet = book.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.name)
            cell.font = bold
            cell.comment = Comment(column_description(column), "data dictionary", width=420, height=200)
            header.append(cell)
        sheet.append(header)
        for cells in cell_values(frame, table):
            sheet.append([_excel_text(v) for v in cells])
    book.save(path)


def _readme_rows(frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> list[list[str]]:
    rows = [[TITLE], [DESCRIPTION], [],
            ["Each sheet is one table; the note on each column heading says what the column holds, its unit, "
             "its allowed values and what an empty cell means. An unknown number is the code saying why:"]]
    rows += [[code, meaning] for code, meaning in schema.MISSING_CODES.items()]
    rows += [[], ["sheet", "rows", "what it holds"]]
    rows += [[name, str(len(frames[name])), f"{specs[name].title}. {specs[name].description}"] for name in frames]
    rows += [[], ["sheet", "column", "type", "description"]]
    from unallocated.publish.metadata import column_description

    rows += [[name, c.name, c.type, column_description(c)] for name in frames for c in specs[name].columns]
    return rows


# ------------------------------------------------------------------------------------ notes

def readme_text(frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> str:
    lines = [f"# {TITLE}", "", DESCRIPTION, "",
             "## The files", "",
             "| file | rows | what it holds |", "|---|---:|---|"]
    lines += [f"| `{name}.csv` | {len(frames[name])} | {specs[name].title} |" for name in frames]
    lines += [
        "", f"`datapackage.json` describes every column (type, unit, allowed values, what an empty cell "
        f"means, keys); `{WORKBOOK}` holds the same tables, one sheet each, with each column's description "
        "as a note on its heading and a README sheet first. `LICENCE.md` has the licence notes.", "",
        "## Unknown numbers", "",
        "An unknown number is never 0 and never a bare blank: the cell holds the code saying why.", "",
        "| code | meaning |", "|---|---|",
        *[f"| `{code}` | {meaning} |" for code, meaning in schema.MISSING_CODES.items()],
        "", "In `official_stats.csv` an unknown value holds its row's `status` (the symbol the official file "
        "used: `suppressed`, `not_supplied`, `confidential`, ...).", "",
        "## How sure each number is", "",
        "Every count keeps its `qualifier` (`exact`, `at_least`, `at_most`, `approx`) and, where they are known, "
        "`low` and `high`, the hard bounds on the true number; `shown` is how to write it (\"0 to 9\", "
        "\"at least 540\"). Use `shown`, never the bare `count`. A corrected figure known only as a total across "
        "case types (Barnsley, 6 December 2010: 9 of 165) is a range by case type. Do not add rows of "
        "`returns.csv` in the `as_corrected` view by hand: `council_figures.csv` and `national_totals.csv` "
        "do it with the correction's constraint.", "",
        "## Text from replies", "",
        "Text that came from a council's reply and begins with `=`, `+`, `-` or `@` starts with an apostrophe "
        "here (`'=SUM(A1)`), so opening a file in a spreadsheet runs nothing. The database "
        "(`unallocated.db`) keeps the text as received.", "",
    ]
    return "\n".join(lines)


LICENCE_TEXT = f"""# Licence notes

**Official statistics** (`official_stats.csv`, `councils.csv`, `official_files.csv`): Crown
copyright, published by the Department for Education and the Office for National Statistics under
the [Open Government Licence v3.0]({OGL["license_url"]}). Contains public sector information
licensed under the Open Government Licence v3.0. `official_files.csv` names every file they come
from, its publisher's page and the address its bytes were checked at.

**Published figures** (`published_figures.csv`, `claims.csv`, `corrections.csv`): figures printed
by Community Care and the Colchester Gazette in 2010, transcribed with the address of each article.
The figures are facts; the articles are their publishers' copyright and are not reproduced here
(a few words of wording are quoted to identify a figure). The measures, notes and reasons are the
project's own words.

**Returns** (`returns.csv`, `council_figures.csv`, `national_totals.csv`, `issues.csv`,
`files.csv`): the councils' real 2010 returns were never published. **The 2010 returns in this
package are SIMULATED**: made by the project's seeded generator to agree with every published
figure, sized against the real 2010 caseloads, and not any council's real return. Every row says
so in its `layer` column (`simulated`). A round of real returns says `real_return` instead.

**The project's own tables** (the verdicts, definitions, the tracker and review decisions, and
everything above that is not official statistics): the repository states no licence for its own
work. Ask the newsroom that published this package before reusing them.
"""


# ------------------------------------------------------------------------------------ the folder

def fill(folder: Path, frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        atomic_write_text(folder / f"{name}.csv", csv_text(frame, specs[name]), newline="")
    atomic_write_text(folder / "datapackage.json",
                      json.dumps(datapackage(frames, specs), indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(folder / "README.md", readme_text(frames, specs))
    atomic_write_text(folder / "LICENCE.md", LICENCE_TEXT)
    write_workbook(folder / WORKBOOK, frames, specs)
    os.chmod(folder / WORKBOOK, file_mode())


def write_package(folder: Path, frames: dict[str, pd.DataFrame], specs: dict[str, Table]) -> Path:
    """Build the package in a new folder beside `folder`, then swap it in whole."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        fill(staging, frames, specs)
        os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes it owner-only
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return folder
