"""Open one return file and hand back its sheets as plain grids of cells.

Whatever the format (csv, xlsx, xls), a sheet becomes a `Sheet`: a mapping from (row, column),
both 1-based as in Excel, to the cell's value and its text as received, plus the merged ranges.
A file that cannot be read at all raises `ReturnReadError` naming the file and why.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from unallocated.errors import ReturnReadError

__all__ = ["Cell", "Sheet", "load_sheets", "SUPPORTED", "cell_ref"]

SUPPORTED = (".csv", ".xlsx", ".xlsm", ".xls")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SIGNATURES = {  # what a misnamed file most often turns out to be, for the error message
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


@dataclass(frozen=True)
class Cell:
    value: object  # str, int, float, datetime/date, bool
    raw: str  # the text as received


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2


def cell_ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _raw_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _add(sheet: Sheet, row: int, col: int, value: object) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if not value.strip():
            return  # whitespace is an empty cell, not a value
    sheet.cells[(row, col)] = Cell(value, _raw_text(value))


def _what_is_it(head: bytes) -> str | None:
    for magic, name in _SIGNATURES.items():
        if head.startswith(magic):
            return name
    return None


def load_sheets(path: Path) -> tuple[list[Sheet], list[str]]:
    """Read a file into sheets. Returns (sheets, notes about how it was read, e.g. encoding).

    Raises ReturnReadError for an empty file, an unsupported or misnamed file, an encrypted
    workbook or text in no encoding we accept.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReturnReadError(f"{path}: unsupported file type {suffix or '(none)'}; "
                              f"expected one of {', '.join(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReturnReadError(f"{path}: cannot open file ({err.strerror or err})") from err
    if not data.strip():
        raise ReturnReadError(f"{path}: empty file (no bytes)" if not data
                              else f"{path}: empty file (only whitespace)")
    if suffix == ".csv":
        return _load_csv(path, data)
    if suffix in (".xlsx", ".xlsm"):
        return _load_xlsx(path, data), []
    return _load_xls(path, data), []


def _load_csv(path: Path, data: bytes) -> tuple[list[Sheet], list[str]]:
    notes: list[str] = []
    other = _what_is_it(data[:8])
    if other or data.startswith((_ZIP, _OLE2)):
        raise ReturnReadError(f"{path}: not a text csv file (looks like "
                              f"{other or 'a spreadsheet workbook'})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        notes.append("read as UTF-16 (byte-order mark)")
    else:
        if b"\x00" in data:
            raise ReturnReadError(f"{path}: not a text csv file (contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            # Windows-1252 is what Excel on a council PC saves. Latin-1 is not tried: it
            # accepts any byte at all, so it would hide a corrupt file instead of reporting it.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ReturnReadError(
                    f"{path}: text in an unknown encoding (not UTF-8: {err.reason} at byte "
                    f"{err.start}; not Windows-1252 either)") from None
            notes.append(f"not valid UTF-8 (byte {err.start}); read as Windows-1252 (cp1252)")
    delimiter = _delimiter(text)
    sheet = Sheet("csv")
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        for c, value in enumerate(row, 1):
            _add(sheet, r, c, value)
    if not sheet.cells:
        raise ReturnReadError(f"{path}: empty file (no non-empty cells)")
    return [sheet], notes


def _delimiter(text: str) -> str:
    """Comma, unless no line has one and every line has tabs (or, on two lines or more,
    semicolons): csv.Sniffer guesses wrong on a one-column file with ';' in a note."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines or any("," in ln for ln in lines):
        return ","
    if all("\t" in ln for ln in lines):
        return "\t"
    if len(lines) >= 2 and all(";" in ln for ln in lines):
        return ";"
    return ","


def _load_xlsx(path: Path, data: bytes) -> list[Sheet]:
    if data.startswith(_OLE2):
        raise ReturnReadError(f"{path}: encrypted or password-protected workbook (an OLE2 "
                              f"container, not an xlsx zip); save it without a password")
    if not data.startswith(_ZIP):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a spreadsheet ({other or 'not an xlsx zip file'})")
    import openpyxl

    try:
        # Not read_only: merged ranges are needed and read-only mode does not report them.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise ReturnReadError(f"{path}: not a readable xlsx workbook ({err})") from err
    sheets = []
    for ws in wb.worksheets:
        sheet = Sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                _add(sheet, cell.row, cell.column, cell.value)
        sheet.merges = [(m.min_row, m.min_col, m.max_row, m.max_col)
                        for m in ws.merged_cells.ranges]
        sheets.append(sheet)
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty workbook (no non-empty cells)")
    return sheets


def _load_xls(path: Path, data: bytes) -> list[Sheet]:
    if data.startswith(_ZIP):
        raise ReturnReadError(f"{path}: an xlsx workbook named .xls; rename it to .xlsx")
    if not data.startswith(_OLE2):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a spreadsheet ({other or 'not an xls file'})")
    # calamine is the engine pandas uses for .xls; it is used directly here because cell
    # positions (for `source`) must survive leading empty rows and columns.
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises its own exception types, and PasswordError
        kind = type(err).__name__
        why = "encrypted or password-protected workbook" if "Password" in kind else str(err)
        raise ReturnReadError(f"{path}: cannot read xls workbook ({why})") from err
    sheets = []
    for name in wb.sheet_names:
        ws = wb.get_sheet_by_name(name)
        sheet = Sheet(name)
        # skip_empty_area=False keeps row and column numbers counted from A1.
        for i, row in enumerate(ws.to_python(skip_empty_area=False)):
            for j, value in enumerate(row):
                if value == "":
                    continue
                _add(sheet, i + 1, j + 1, value)
        for rng in ws.merged_cell_ranges or []:
            (ra, ca), (rb, cb) = rng
            sheet.merges.append((ra + 1, ca + 1, rb + 1, cb + 1))
        sheets.append(sheet)
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty workbook (no non-empty cells)")
    return sheets
