"""The blank return a newsroom sends councils for the next round of the FOI request.

`write_template(path)` writes an Excel workbook with two sheets:

* "Instructions": what to count, on which day, and what every column means, in plain English,
  using the same categories as the analysis (`unallocated.schema`), so what comes back maps
  one-to-one onto the tidy returns table.
* "Return": the form. A1 title; B3 the council's name; B4 the snapshot date; header row 6; one
  row per case type (7 child protection, 8 looked after, 9 children in need); column O notes.

The layout is exported (`HEADERS`, `CASE_TYPE_ROWS`, `COLUMN_TO_CATEGORY`, cell addresses) so the
returns reader can read a filled-in template back exactly. The file's bytes are the same on every
run (fixed document dates and zip timestamps), so it can be committed and checked.

Command line: ``python -m unallocated template --out return_template.xlsx``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.writer.excel import ExcelWriter

from unallocated.schema import CASE_TYPES, CATEGORIES, OTHER_ROLES, UNALLOCATED_REASONS

__all__ = [
    "TITLE", "RETURN_SHEET", "INSTRUCTIONS_SHEET", "COUNCIL_CELL", "SNAPSHOT_CELL", "HEADER_ROW",
    "FIRST_DATA_ROW", "HEADERS", "COLUMN_TO_CATEGORY", "CASE_TYPE_ROWS", "NOTES_HEADER",
    "write_template", "template_bytes", "register",
]

TITLE = "Freedom of Information request: children's social care cases without an allocated social worker"
RETURN_SHEET = "Return"
INSTRUCTIONS_SHEET = "Instructions"
COUNCIL_CELL = "B3"
SNAPSHOT_CELL = "B4"
HEADER_ROW = 6
FIRST_DATA_ROW = 7
NOTES_HEADER = "Notes"

#: Header text of each number column -> (category, detail) in the tidy returns table.
COLUMN_TO_CATEGORY: dict[str, tuple[str, str]] = {
    "Total open cases": ("total", ""),
    "Allocated to a qualified social worker": ("allocated_qualified", ""),
    "Allocated to other staff: social work assistant": ("allocated_other", "assistant"),
    "Allocated to other staff: trainee social worker": ("allocated_other", "trainee"),
    "Allocated to other staff: family support worker": ("allocated_other", "family_support"),
    "Allocated to other staff: leaving care worker": ("allocated_other", "leaving_care"),
    "Allocated to other staff: other professional": ("allocated_other", "other"),
    "Unallocated: in transit between teams": ("unallocated", "in_transit"),
    "Unallocated: awaiting closure": ("unallocated", "awaiting_closure"),
    "Unallocated: worked by a partner agency": ("unallocated", "partner_agency"),
    "Unallocated: financial payments only": ("unallocated", "financial_only"),
    "Unallocated: held by a duty team or manager": ("unallocated", "duty_team"),
    "Unallocated: no reason given": ("unallocated", "not_given"),
}

#: Row 6 of the Return sheet, columns A to O.
HEADERS: list[str] = ["Case type", *COLUMN_TO_CATEGORY, NOTES_HEADER]

#: Label in column A -> case type, in row order from row 7.
CASE_TYPE_ROWS: dict[str, str] = {
    "Child protection (child protection plan)": "cp",
    "Looked after children (children in care)": "lac",
    "Children in need (other open cases)": "cin",
}

# Fixed document and zip dates make the bytes reproducible (1 Jan 2011: the next round's year).
_FIXED = dt.datetime(2011, 1, 1, 0, 0, 0)
_ZIP_TIME = (2011, 1, 1, 0, 0, 0)


def _instructions(snapshot_date: dt.date | None) -> list[tuple[str, str]]:
    """(heading, text) pairs for the Instructions sheet. Written for council FOI officers."""
    when = (f"Please count the cases open on {snapshot_date.day} {snapshot_date:%B %Y}" if snapshot_date
            else "Please count the cases open on a single day: the date named in our request letter")
    lines: list[tuple[str, str]] = [
        ("", TITLE),
        ("What we are asking", (
            "For each of three kinds of children's social care case, how many cases were open on one "
            "day, and who (if anyone) each case was allocated to. Please fill in the 'Return' sheet "
            "and send the workbook back as it is: do not add, remove or reorder rows or columns.")),
        ("The snapshot date", (
            f"{when}. Write the date you actually used in cell {SNAPSHOT_CELL} of the 'Return' "
            "sheet, even if it is the date we asked for, and your council's name in cell "
            f"{COUNCIL_CELL}.")),
        ("Count each case once", (
            "Every open case goes in exactly one column: allocated to a qualified social worker, "
            "allocated to another member of staff, or unallocated. So, for each row, the columns "
            "from 'Allocated to a qualified social worker' to 'Unallocated: no reason given' should "
            "add up to 'Total open cases'. A case allocated to a qualified social worker and also "
            "supported by other staff counts as allocated to the qualified social worker.")),
        ("Rows: the three kinds of case", ""),
    ]
    row_words = {
        "cp": "children subject to a child protection plan on the snapshot date",
        "lac": "children looked after by the council (in its care) on the snapshot date",
        "cin": "other open children-in-need cases: do not count here any child already counted as "
               "child protection or looked after",
    }
    for label, case_type in CASE_TYPE_ROWS.items():
        lines.append((label, row_words[case_type].capitalize() + "."))
    lines.append(("Columns", ""))
    column_words = {
        "total": "All open cases of that kind, however they are allocated.",
        "allocated_qualified": "Cases " + CATEGORIES["allocated_qualified"] + ", named as the case's worker.",
    }
    for header, (category, detail) in COLUMN_TO_CATEGORY.items():
        if category in column_words:
            text = column_words[category]
        elif category == "allocated_other":
            text = (f"Cases whose named worker is not a qualified social worker: {OTHER_ROLES[detail]}. "
                    "Count the case here even if a qualified social worker supervises that worker.")
        else:
            why = ("for any other reason, or no reason recorded" if detail == "not_given"
                   else f"because the case is {UNALLOCATED_REASONS[detail]}")
            text = (f"Cases with no named worker of their own, {why}. "
                    "Please include these: we report each reason separately.")
        lines.append((header, text))
    lines.append((NOTES_HEADER, "Anything we should know to read the row correctly, for example a "
                                "different snapshot date or a definition your council uses."))
    lines += [
        ("Numbers you cannot give", (
            "Write 0 where there are no cases. If you must withhold a small number, write '<5' rather "
            "than leaving the cell empty, and say why in Notes. Leave a cell empty only if your "
            "council does not record that figure; please say so in Notes.")),
        ("Why we ask in this detail", (
            "In 2010 the same request produced figures that councils later said included cases in "
            "transit, awaiting closure, worked by partner agencies or on financial payments only, and "
            "cases held by staff other than qualified social workers. Asking for each separately lets "
            "us report your figures under every reading, and avoid misreporting them.")),
    ]
    return lines


def _build(snapshot_date: dt.date | None, council: tuple[str, str] | None = None) -> Workbook:
    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    info = wb.active
    info.title = INSTRUCTIONS_SHEET
    info.column_dimensions["A"].width = 48
    info.column_dimensions["B"].width = 100
    for i, (heading, text) in enumerate(_instructions(snapshot_date), start=1):
        info.cell(row=i, column=1, value=heading or None).font = bold
        cell = info.cell(row=i, column=2, value=text or None)
        cell.alignment = wrap
        if i == 1:
            cell.font = Font(bold=True, size=13)

    ws = wb.create_sheet(RETURN_SHEET)
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=13)
    ws["A3"], ws["A4"] = "Council:", "Snapshot date:"
    ws["A3"].font = ws["A4"].font = bold
    answer = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: cells the council fills in
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for ref in (COUNCIL_CELL, SNAPSHOT_CELL):
        ws[ref].fill, ws[ref].border = answer, box
    ws[SNAPSHOT_CELL].number_format = "yyyy-mm-dd"
    if council is not None:  # pre-filled for one council: its name where it would write it
        ws[COUNCIL_CELL] = council[0]
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.alignment, cell.border = bold, Alignment(wrap_text=True, vertical="top"), box
    for r, label in enumerate(CASE_TYPE_ROWS, start=FIRST_DATA_ROW):
        ws.cell(row=r, column=1, value=label).border = box
        for col in range(2, len(HEADERS) + 1):
            cell = ws.cell(row=r, column=col)
            cell.fill, cell.border = answer, box
            if col < len(HEADERS):
                cell.number_format = "#,##0"
    ws.column_dimensions["A"].width = 42
    for col in range(2, len(HEADERS)):
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=col).column_letter].width = 16
    ws.column_dimensions[ws.cell(row=HEADER_ROW, column=len(HEADERS)).column_letter].width = 40
    ws.row_dimensions[HEADER_ROW].height = 60
    ws.freeze_panes = f"B{FIRST_DATA_ROW}"
    wb.active = wb.index(ws)  # open on the form

    props = wb.properties
    props.title = TITLE
    props.creator = props.lastModifiedBy = "unallocated project"
    props.created = props.modified = _FIXED
    if council is not None:  # and its DfE code where a reader of the file finds it without a cell
        props.subject = f"{council[0]}, DfE code {council[1]}"
    return wb


def xlsx_bytes(wb, zip_time: tuple[int, int, int, int, int, int] = _ZIP_TIME) -> bytes:
    """A workbook as .xlsx bytes that are the same on every run (shared with `simulate`).

    openpyxl's own save stamps the clock into the document properties and each zip entry;
    here the properties are whatever the caller set and every entry carries `zip_time`.
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(name))
    return fixed.getvalue()


def template_bytes(snapshot_date: dt.date | None = None, council: tuple[str, str] | None = None) -> bytes:
    """The template as .xlsx bytes, identical on every call with the same arguments; with
    `council` (name, DfE code), pre-filled for that council."""
    return xlsx_bytes(_build(snapshot_date, council))


def write_template(path: str | Path, snapshot_date: dt.date | None = None) -> Path:
    """Write the blank return to `path` (.xlsx) and return the path.

    snapshot_date: if given, the Instructions name it as the day to count; otherwise they refer to
    the date in the request letter. The council still writes the date it used in B4.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_bytes(snapshot_date))
    return path


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _cmd_template(args) -> int:
    out = write_template(args.out, args.snapshot_date)
    print(f"wrote {out}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("template", help="write the blank FOI return template for councils (.xlsx)")
    parser.add_argument("--out", required=True, help="where to write the .xlsx file")
    parser.add_argument("--snapshot-date", type=_iso_date, help="YYYY-MM-DD: the day councils should count (named in the instructions)")
    parser.set_defaults(func=_cmd_template)
