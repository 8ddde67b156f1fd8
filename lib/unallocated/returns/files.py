"""Open one return file and hand back its sheets as plain grids of cells.

Whatever the format, a sheet becomes a `Sheet`: a mapping from (row, column), both 1-based as
in Excel, to the cell's value and its text as received, plus the merged ranges.

| format | read with | sheets |
| --- | --- | --- |
| csv, tsv, txt | the csv module; delimiter decided from the whole file; encoding detected | `csv` (a .txt letter with no table: `text`, one cell per paragraph, cell An = line n) |
| xlsx, xlsm | openpyxl (saved values; formulas read again only when a sheet has one) | every sheet, hidden ones flagged |
| xls | xlrd (number formats, hidden sheets, merges) | every sheet |
| ods | the file's own XML (value types, formulas, hidden tables, merges) | every table |
| eml | the standard library's e-mail parser | `text`: the Subject, From and the message's plain-text part (its HTML part only when there is no plain one, so one table is never read twice), one cell per line |
| docx | python-docx | `table N` per table, `text` (one cell per paragraph, cell An = paragraph n) |
| pdf (text layer) | pdfplumber | `page N table K` per ruled table; `page N` for the rest, a line per row, split into cells at wide gaps |

A cell the loader knows must not be read as a count carries a `problem` (a percentage format,
a formula with no saved value, a spreadsheet error, an ambiguous decimal comma): the reader
reports it where a count was asked for, never reads it as a number.

A file that cannot be read at all raises `ReturnReadError` naming the file and why; a scanned
PDF and a legacy Word .doc are refused with a message saying how to key them (`review.csv`).
The format libraries are imported only when a file of that kind is met.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from unallocated.errors import ReturnReadError

__all__ = ["Cell", "Sheet", "Loaded", "load_sheets", "load_file", "SUPPORTED", "REFUSED",
           "cell_ref", "KEY_BY_HAND"]

SUPPORTED = (".csv", ".tsv", ".txt", ".eml", ".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".pdf")
KEY_BY_HAND = ("key its figures into review.csv beside the returns (file, sheet, cell, reading, "
               "note; see the README), or save it in a format listed by `ingest --help`")
#: Formats councils send that cannot be read, and why.
REFUSED = {
    ".doc": "a legacy Word .doc, which cannot be read reliably; save it as .docx, or",
    ".rtf": "an RTF document; save it as .docx, or",
    ".jpg": "an image (a scan or photo): no text to read;",
    ".jpeg": "an image (a scan or photo): no text to read;",
    ".png": "an image (a scan or photo): no text to read;",
    ".tif": "an image (a scan or photo): no text to read;",
    ".tiff": "an image (a scan or photo): no text to read;",
    ".gif": "an image: no text to read;",
    ".msg": "an Outlook message; save its attachment or text, or",
    ".zip": "a zip archive; unpack it into the folder, or",
    ".odt": "an OpenDocument text file; save it as .docx, or",
    ".pages": "an Apple Pages document; export it as .docx, or",
    ".numbers": "an Apple Numbers workbook; export it as .xlsx, or",
}

#: A reply is untrusted input: these limits bound what one file may make the reader hold. A council's
#: workbook or letter is a few hundred kilobytes; these are two orders of magnitude above that.
MAX_FILE_BYTES = 50 * 2**20
#: The most a zipped file (xlsx, xlsm, docx, ods) may unpack to, all its parts together.
MAX_UNZIPPED_BYTES = 200 * 2**20
#: The most parts a zipped file may have.
MAX_ZIP_PARTS = 5000

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
    problem: str | None = None  # why this cell must not be read as a count, if the loader knows


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden: bool = False
    unit: str = ""  # "paragraph" or "line" when the sheet is a document's text (cell An)
    hidden_rows: set[int] = field(default_factory=set)  # a workbook's hidden rows and columns
    hidden_cols: set[int] = field(default_factory=set)


@dataclass
class Loaded:
    sheets: list[Sheet]
    notes: list[str]  # how the file was read, worth a person's eye (an encoding guessed)
    format: str
    encoding: str = ""


def cell_ref(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def cell_pos(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference: `cell_ref` the other way round ("B7" -> (7, 2))."""
    from openpyxl.utils import column_index_from_string

    m = re.match(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)), column_index_from_string(m.group(1))


def _raw_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _add(sheet: Sheet, row: int, col: int, value: object, raw: str | None = None,
         problem: str | None = None) -> None:
    if value is None and problem is None:
        return
    if isinstance(value, str) and not value.strip() and problem is None:
        return  # whitespace is an empty cell, not a value
    sheet.cells[(row, col)] = Cell(value, raw if raw is not None else _raw_text(value), problem)


def _what_is_it(head: bytes) -> str | None:
    for magic, name in _SIGNATURES.items():
        if head.startswith(magic):
            return name
    return None


def _percent(value: float) -> str:
    return f"{value * 100:.10g}%"


PERCENT_PROBLEM = "formatted as a percentage ({}), not a count"


_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def refuse_hostile_zip(path: Path, data: bytes) -> None:
    """Raise ReturnReadError, naming the limit, for a zipped reply that would unpack to more than
    MAX_UNZIPPED_BYTES or has more than MAX_ZIP_PARTS parts (a zip bomb), or whose XML declares a
    document type or entities (an entity expansion, or one that reaches outside the file).
    Only the zip's directory and the first bytes of each XML part are read, never the whole."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # not a zip we can open: the format's own loader says so
    if len(infos) > MAX_ZIP_PARTS:
        raise ReturnReadError(f"{path}: not read: {len(infos):,} parts in the file, more than the "
                              f"{MAX_ZIP_PARTS:,} a reply is allowed (a reply is untrusted input)")
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ReturnReadError(f"{path}: not read: it unpacks to {unzipped / 2**20:,.0f} MB, more than the "
                              f"{MAX_UNZIPPED_BYTES // 2**20} MB a reply is allowed (a reply is untrusted input)")
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as part:
                head = part.read(2048)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            continue
        if _DECLARATION.search(head):
            raise ReturnReadError(f"{path}: not read: its part {info.filename} declares a document type or "
                                  f"entities, which no spreadsheet or Word program writes (a reply is untrusted "
                                  f"input: such XML can expand without limit or reach outside the file)")


def load_sheets(path: Path) -> tuple[list[Sheet], list[str]]:
    """Read a file into sheets. Returns (sheets, notes about how it was read)."""
    loaded = load_file(path)
    return loaded.sheets, loaded.notes


def load_file(path: Path) -> Loaded:
    """Read a file into sheets (`Loaded`).

    Raises ReturnReadError for an empty file, an unsupported, refused or misnamed file, an
    encrypted workbook, a scanned PDF or text in no encoding we accept.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED:
        raise ReturnReadError(f"{path}: not read: {REFUSED[suffix]} {KEY_BY_HAND}")
    if suffix not in SUPPORTED:
        raise ReturnReadError(f"{path}: unsupported file type {suffix or '(none)'}; "
                              f"expected one of {', '.join(SUPPORTED)}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReturnReadError(f"{path}: not read: the file is {size / 2**20:,.0f} MB, more than the "
                                  f"{MAX_FILE_BYTES // 2**20} MB a reply is allowed (a reply is untrusted input)")
        data = path.read_bytes()
    except OSError as err:
        raise ReturnReadError(f"{path}: cannot open file ({err.strerror or err})") from err
    if data.startswith(_ZIP):
        refuse_hostile_zip(path, data)
    if not data.strip():
        raise ReturnReadError(f"{path}: empty file (no bytes)" if not data
                              else f"{path}: empty file (only whitespace)")
    if data.startswith(_OLE2) and b"W\x00o\x00r\x00d\x00D\x00o\x00c" in data:
        raise ReturnReadError(f"{path}: not read: a legacy Word .doc (named {suffix}), which "
                              f"cannot be read reliably; save it as .docx, or {KEY_BY_HAND}")
    if suffix in (".csv", ".tsv", ".txt"):
        return _load_text(path, data, suffix)
    if suffix == ".eml":
        return _load_eml(path, data)
    if suffix in (".xlsx", ".xlsm"):
        return Loaded(_load_xlsx(path, data), [], suffix[1:])
    if suffix == ".xls":
        return Loaded(_load_xls(path, data), [], "xls")
    if suffix == ".ods":
        return Loaded(_load_ods(path, data), [], "ods")
    if suffix == ".docx":
        sheets, struck = _load_docx(path, data)
        return Loaded(sheets, struck, "docx")
    return Loaded(_load_pdf(path, data), [], "pdf")


# -- text -----------------------------------------------------------------------------------

def decode_text(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding used, notes). BOMs first, then UTF-16 without BOM, UTF-8, Windows-1252;
    anything else is guessed by charset-normalizer and said so."""
    notes: list[str] = []
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, notes
            except UnicodeDecodeError as err:
                raise ReturnReadError(f"{path}: text with a {enc} byte-order mark that is not "
                                      f"valid {enc} ({err.reason})") from None
    if b"\x00" in data:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        enc = "utf-16-le" if odd > even * 4 else "utf-16-be" if even > odd * 4 else None
        if enc:
            try:
                text = data.decode(enc)
                notes.append(f"read as {enc} (no byte-order mark)")
                return text, enc, notes
            except UnicodeDecodeError:
                pass
        raise ReturnReadError(f"{path}: not a text file (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError as err:
        first_bad = err.start
    try:
        # Windows-1252 is what Excel and Notepad on a council PC save. Latin-1 is not tried:
        # it accepts any byte at all, so it would hide a corrupt file instead of reporting it.
        text = data.decode("cp1252")
        notes.append(f"not valid UTF-8 (byte {first_bad}); read as Windows-1252 (cp1252)")
        return text, "cp1252", notes
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    # A guess is taken only when it is a Western European encoding a UK council's PC could have
    # written; a guess of Cyrillic or Greek for an English return is noise, not a reading.
    if best is None or best.encoding.replace("-", "_").lower() not in _WESTERN:
        raise ReturnReadError(f"{path}: text in an unknown encoding (not UTF-8 at byte "
                              f"{first_bad}; not Windows-1252 either)")
    notes.append(f"encoding guessed as {best.encoding} (not UTF-8, not Windows-1252): check "
                 f"the labels read correctly")
    return str(best), best.encoding, notes


_WESTERN = {"latin_1", "iso8859_15", "mac_roman", "cp850", "cp437", "cp1252"}

_DELIMITERS = (",", ";", "\t", "|")


def choose_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number of fields, decided from
    the whole file: one comma inside a note cannot make a semicolon file comma-separated."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    best, best_score = ",", (-1, -1, -1)
    for order, d in enumerate(_DELIMITERS):
        widths = [len(r) for r in csv.reader(lines, delimiter=d)]
        split = [w for w in widths if w > 1]
        if not split:
            continue
        modal = max(set(split), key=split.count)
        score = (len(split), split.count(modal), -order)
        if score > best_score:
            best, best_score = d, score
    return best


def _looks_like_table(text: str, delimiter: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
    split = [w for w in widths if w > 1]
    # most lines split alike, or it is a letter (whose rows with tabs or pipes are still cut into
    # cells, `_lines_sheet`): a semicolon is in prose ("128 allocated; 0 unallocated"), and a
    # letter may hold a small table
    if len(split) < 2:
        return False
    modal = max(set(split), key=split.count)
    if split.count(modal) < max(2, 0.5 * len(lines)):
        return False
    # A letter whose sentences have commas splits alike too, but its figures sit inside its
    # fragments ("Response: Child protection 71. Looked after children 104"): a table has rows
    # with a cell that is a figure (or a mark for one) alone.
    rows = [r for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1]
    with_figure = sum(any(_FIGURE_CELL.match(v) for v in r) for r in rows)
    return with_figure >= 0.3 * len(rows)


#: A cell that is a figure alone, or a mark a table writes for one ("1,466", "<5", "*", "n/a", "-").
_FIGURE_CELL = re.compile(r"^\s*(?:[<>~≤≥]\s*|c\.?\s*)?(?:\d[\d,.]*%?|\*|x|-|–|n/?a|nil)\s*$", re.I)


_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d{1,2}\s*$")
_THOUSANDS_COMMA = re.compile(r"^\s*(?:[<>~]|c\.?\s*)?\d{1,3}(?:,\d{3})+\s*$")


def _load_text(path: Path, data: bytes, suffix: str) -> Loaded:
    other = _what_is_it(data[:8])
    if other or data.startswith((_ZIP, _OLE2)):
        raise ReturnReadError(f"{path}: not a text {suffix[1:]} file (looks like "
                              f"{other or 'a spreadsheet workbook'})")
    text, encoding, notes = decode_text(path, data)
    delimiter = "\t" if suffix == ".tsv" else choose_delimiter(text)
    if suffix == ".txt" and not _looks_like_table(text, delimiter):
        # One cell per line: the reader joins a line that wraps onto the next (it runs the width of
        # the text, or the next starts in lower case) and keeps short lines apart ("Q1. ...").
        sheet = _lines_sheet(text)
        if not sheet.cells:
            raise ReturnReadError(f"{path}: empty file (no text)")
        return Loaded([sheet], notes, "txt (text)", encoding)
    sheet = Sheet("csv")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    decimal_comma = delimiter != "," and any(_DECIMAL_COMMA.match(v) for row in rows for v in row)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            problem = None
            if decimal_comma and _THOUSANDS_COMMA.match(value):
                problem = (f"{value.strip()!r} in a file that writes decimal commas: it may be "
                           f"{value.strip().replace(',', '.')} rather than a thousands separator")
            _add(sheet, r, c, value, problem=problem)
    if not sheet.cells:
        raise ReturnReadError(f"{path}: empty file (no non-empty cells)")
    name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delimiter]
    return Loaded([sheet], notes, f"{suffix[1:]} ({name}-separated)", encoding)


def _lines_sheet(text: str) -> Sheet:
    """A letter's text as a sheet of lines (cell An = line n); the reader joins wrapped lines. A
    table typed in fixed-width columns (an e-mail's "CP   LAC   CIN" with figures under them) is
    split into its columns, so the table reader reads it as a table."""
    sheet = Sheet("text", unit="line")
    raw_lines = text.splitlines()
    lines = [line.expandtabs(8) for line in raw_lines]
    columns = _fixed_width_blocks(lines)
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        # a row of a table typed with pipes or tabs ("K1 | Secure children's homes | 1 | 0 |")
        for delimiter in ("|", "\t"):
            pieces = [p.strip() for p in raw_lines[n - 1].split(delimiter)]
            if len([p for p in pieces if p]) >= 2:
                for c, piece in enumerate(pieces, 1):
                    if piece:
                        _add(sheet, n, c, piece)
                break
        else:
            pieces = None
        if pieces is not None and len([p for p in pieces if p]) >= 2:
            continue
        cuts = columns.get(n - 1)
        if cuts is None:
            _add(sheet, n, 1, line.strip())
            continue
        for c, (a, b) in enumerate(cuts, 1):
            piece = line[a:b].strip()
            if piece:
                _add(sheet, n, c, piece)
    return sheet


#: A line with a gap of at least two spaces between words: perhaps a row of a fixed-width table.
_GAPPED = re.compile(r"\S {2,}\S")


def _fixed_width_blocks(lines: list[str]) -> dict[int, list[tuple[int, int]]]:
    """For each line of a fixed-width table, where to cut it into columns: {line index: [(start,
    end), ...]}. A table is three or more consecutive gapped lines, one of them with a figure, whose
    gaps line up: the columns are cut where every line of the block has a run of two or more spaces."""
    out: dict[int, list[tuple[int, int]]] = {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _GAPPED.search(lines[j].strip()) and not lines[j].lstrip().startswith(">"):
            j += 1
        block = lines[i:j]
        if len(block) >= 3 and any(re.search(r"\d", line) for line in block):
            width = max(len(line) for line in block)
            blank = [all(k >= len(line) or line[k] == " " for line in block) for k in range(width)]
            text_at = [k for k in range(width) if not blank[k]]
            cuts, start = [], text_at[0]
            for k in range(text_at[0] + 1, width + 1):
                gap = k < width and blank[k] and (k + 1 >= width or blank[k + 1])
                if k == width or (gap and not blank[k - 1]):
                    cuts.append((start, k))
                    start = next((m for m in range(k, width) if not blank[m]), width)
            cuts = [(a, b) for a, b in cuts if a < b]
            if len(cuts) >= 3:
                cuts[0] = (0, cuts[0][1])
                cuts[-1] = (cuts[-1][0], 10**6)
                out.update({i + k: cuts for k in range(len(block))})
        i = max(j, i + 1)
    return out


def _load_eml(path: Path, data: bytes) -> Loaded:
    """An e-mail saved as .eml: its Subject and From, then its plain-text body (the HTML body
    only when there is no plain one: the two are the same message, never read twice). Parts that
    are attachments are named in the notes, not read (save them beside the e-mail to read them)."""
    import email
    from email import policy

    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as err:  # the parser is lenient; anything it raises is a broken file
        raise ReturnReadError(f"{path}: not a readable e-mail ({err})") from err
    plain, html_parts, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            attachments.append(part.get_filename() or part.get_content_type())
            continue
        try:
            content = part.get_content()
        except (LookupError, UnicodeError, AssertionError):
            content = part.get_payload(decode=True).decode("cp1252", errors="replace")
        if part.get_content_type() == "text/plain":
            plain.append(str(content))
        elif part.get_content_type() == "text/html":
            html_parts.append(_html_text(str(content)))
    body = "\n".join(plain) if plain else "\n".join(html_parts)
    head = [f"Subject: {message['subject']}" if message["subject"] else "",
            f"From: {message['from']}" if message["from"] else ""]
    sheet = _lines_sheet("\n".join([*head, body]))
    if not sheet.cells:
        raise ReturnReadError(f"{path}: empty e-mail (no text)")
    notes = [f"e-mail attachment not read: {a} (save it beside the e-mail to read it)" for a in attachments]
    return Loaded([sheet], notes, "eml (e-mail)", "")


def _html_text(html: str) -> str:
    """The text of an HTML body, a line per block (paragraph, table row, line break)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.out: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("p", "br", "tr", "div", "li", "h1", "h2", "h3", "table"):
                self.out.append("\n")
            elif tag in ("td", "th"):
                self.out.append("  ")

        def handle_data(self, data):
            self.out.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.out)


# -- xlsx -----------------------------------------------------------------------------------

def _load_xlsx(path: Path, data: bytes) -> list[Sheet]:
    if data.startswith(_OLE2):
        raise ReturnReadError(f"{path}: encrypted or password-protected workbook (an OLE2 "
                              f"container, not an xlsx zip); save it without a password")
    if not data.startswith(_ZIP):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a spreadsheet ({other or 'not an xlsx zip file'})")
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if "word/document.xml" in names:
                raise ReturnReadError(f"{path}: a Word document named .xlsx; rename it .docx")
            has_formula = any(re.search(rb"<(?:\w+:)?f[ >]", z.read(n))
                              for n in names if n.startswith("xl/worksheets/"))
        # Not read_only: merged ranges are needed and read-only mode does not report them.
        # rich_text: a superscript "1" after "396" is a footnote mark, not a digit of 3961
        with warnings.catch_warnings():  # its text boxes are read by `_xlsx_text_boxes`, not lost
            warnings.filterwarnings("ignore", message="DrawingML support is incomplete")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False) if has_formula else None
    except ReturnReadError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise ReturnReadError(f"{path}: not a readable xlsx workbook ({err})") from err
    sheets = []
    for ws in wb.worksheets:
        sheet = Sheet(ws.title, hidden=ws.sheet_state != "visible")
        fws = formulas[ws.title] if formulas is not None else None
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, CellRichText):
                    marked = _rich_text_mark(value)
                    if marked is not None:
                        _add(sheet, cell.row, cell.column, marked[0], problem=marked[1])
                        continue
                    value = str(value)
                if value is None and fws is not None:
                    f = fws.cell(cell.row, cell.column).value
                    if isinstance(f, str) and f.startswith("="):
                        _add(sheet, cell.row, cell.column, f, problem=(
                            f"a formula with no saved value ({f}): the file was not saved by a "
                            f"spreadsheet program, so its result is unknown"))
                    elif f is not None and not isinstance(f, str):  # an array formula object
                        _add(sheet, cell.row, cell.column, str(getattr(f, "text", f)),
                             problem="a formula with no saved value")
                    continue
                if _is_number(value) and "%" in (cell.number_format or ""):
                    _add(sheet, cell.row, cell.column, value, raw=_percent(value),
                         problem=PERCENT_PROBLEM.format(_percent(value)))
                    continue
                stale = _stale_sum(ws, fws, cell.row, cell.column, value) if fws is not None else None
                if stale is not None:
                    _add(sheet, cell.row, cell.column, value, problem=stale)
                    continue
                shown = _formatted(value, cell.number_format)
                if shown is not None:  # "<"0 shows 5 as "<5": the council's reading is what is shown
                    _add(sheet, cell.row, cell.column, shown)
                    continue
                if _is_number(value) and cell.font is not None and cell.font.strike:
                    _add(sheet, cell.row, cell.column, value, problem=(
                        "struck through in the file: the council crossed the figure out; not read"))
                    continue
                note = _comment_on(cell) if _is_number(value) else ""
                if note:  # "this figure is wrong, the correct figure is 41": a caveat, so not read
                    _add(sheet, cell.row, cell.column, value, problem=(
                        f"a figure with a comment on it ({note!r}): read the comment, then key the "
                        f"figure in review.csv"))
                    continue
                _add(sheet, cell.row, cell.column, value)
        sheet.merges = [(m.min_row, m.min_col, m.max_row, m.max_col)
                        for m in ws.merged_cells.ranges]
        sheet.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        sheet.hidden_cols = {c for dim in ws.column_dimensions.values() if dim.hidden
                             for c in range(dim.min or 0, (dim.max or dim.min or 0) + 1) if c > 0}
        sheets.append(sheet)
    sheets += _xlsx_text_boxes(data, [ws.title for ws in wb.worksheets])
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty workbook (no non-empty cells)")
    return sheets


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _xlsx_text_boxes(data: bytes, titles: list[str]) -> list[Sheet]:
    """Text typed in a worksheet's drawn text boxes (a figure a council put in a box beside its
    table), as a sheet of paragraphs per box named after its worksheet: read like a letter."""
    import posixpath
    import xml.etree.ElementTree as ET

    out: list[Sheet] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        drawings = sorted(n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
        if not drawings:
            return out
        owner: dict[str, str] = {}  # drawing part -> worksheet title, through the relationships
        try:
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
            ns_r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
            for s in book.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
                target = rels.get(s.get(f"{ns_r}id"), "")
                part = posixpath.normpath(posixpath.join("xl", target.lstrip("/").removeprefix("xl/")))
                rel_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
                if rel_part in names:
                    for r in ET.fromstring(z.read(rel_part)):
                        if r.get("Target", "").endswith(".xml") and "drawing" in r.get("Type", ""):
                            owner[posixpath.normpath(posixpath.join(posixpath.dirname(part), r.get("Target")))] = s.get("name")
        except (KeyError, ET.ParseError):
            pass
        for drawing in drawings:
            root = ET.fromstring(z.read(drawing))
            for k, body in enumerate(root.iter("{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}txBody"), 1):
                paras = ["".join(t.text or "" for t in p.iter(f"{_A}t")) for p in body.iter(f"{_A}p")]
                sheet = Sheet(f"{owner.get(drawing, 'drawing')} text box {k}", unit="paragraph")
                for i, text_ in enumerate(p for p in paras if p.strip()):
                    _add(sheet, i + 1, 1, text_)
                if sheet.cells:
                    out.append(sheet)
    return out


def _is_number(value) -> bool:
    """A cell's value is a number (True and False are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _rich_text_mark(value) -> tuple[str, str] | None:
    """(plain text, problem) for rich text with a superscript or subscript run (a footnote mark
    set small: "396" + superscript "1"), else None."""
    runs = list(value)
    plain = str(value)
    small = [str(r.text) for r in runs if getattr(getattr(r, "font", None), "vertAlign", None)
             in ("superscript", "subscript")]
    if not small:
        return None
    mark = small[0]
    return plain, (f"a count with a footnote mark ({plain.replace(mark, '', 1)!r} with a raised "
                   f"{mark!r}): read the footnote, then key it in review.csv; not read as {plain}")


# A number format that adds text: "<"0, 0" (est.)", \c\.0. Its literal text is what a reader sees.
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.')
_FORMAT_NUMBER = re.compile(r"#,##0|#,#|0+|#+")


def _formatted(value, number_format: str | None) -> str | None:
    """The text a number shows under a format that adds words or signs to it ("<5", "62 (est.)"),
    or None when the format adds none (the number is read as it is)."""
    if not _is_number(value) or not number_format:
        return None
    section = number_format.split(";")[0 if value >= 0 else min(1, number_format.count(";"))]
    if not _FORMAT_LITERAL.search(section):
        return None
    parts = []
    rest = section
    while rest:
        m = _FORMAT_LITERAL.match(rest)
        if m:
            token = m.group(0)
            parts.append(token[1:-1] if token.startswith('"') else token[1:])
            rest = rest[m.end():]
            continue
        m = _FORMAT_NUMBER.match(rest)
        if m:
            parts.append(f"{abs(value):,g}" if "," in m.group(0) else f"{abs(value):g}")
            rest = rest[m.end():]
            continue
        if rest[0] in "_*":  # padding and fill: no text of their own
            rest = rest[2:]
            continue
        parts.append(rest[0] if rest[0] not in "[]" else "")
        rest = rest[1:]
    return "".join(parts).strip() or None


_REF = r"\$?([A-Z]{1,3})\$?(\d+)"


def _stale_sum(ws, fws, row: int, col: int, value) -> str | None:
    """Why a sum's saved value cannot be trusted: it is not the sum of its cells' saved values
    (the file was changed and saved without recalculating), else None. Only plain sums are
    checked (=SUM(B6:D6), =B6+C6+D6)."""
    from openpyxl.utils import column_index_from_string

    if not _is_number(value):
        return None
    formula = fws.cell(row, col).value
    if not isinstance(formula, str):
        return None
    f = formula.replace(" ", "").upper()
    refs: list[tuple[int, int]] = []
    m = re.fullmatch(rf"=SUM\({_REF}:{_REF}\)", f)
    if m:
        c1, r1, c2, r2 = column_index_from_string(m[1]), int(m[2]), column_index_from_string(m[3]), int(m[4])
        refs = [(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)]
    elif re.fullmatch(rf"={_REF}(?:\+{_REF})+", f):
        refs = [(int(r), column_index_from_string(c)) for c, r in re.findall(_REF, f)]
    if not refs or (row, col) in refs:
        return None
    parts = [ws.cell(r, c).value for r, c in refs]
    if any(p is None and isinstance(fws.cell(r, c).value, str) for p, (r, c) in zip(parts, refs)):
        return None  # a part is itself a formula with no saved value: reported on its own
    total = sum(p for p in parts if _is_number(p))
    if abs(total - value) < 1e-9:
        return None
    return (f"a sum ({formula}) whose saved value {value:g} is not the sum of its cells now "
            f"({total:g}): the file was changed without recalculating, so which is right is not sure")


def _comment_on(cell) -> str:
    """The text of a cell's comment (note), one line, or ''."""
    comment = getattr(cell, "comment", None)
    return " ".join(str(comment.text).split())[:200] if comment is not None and comment.text else ""


# -- xls ------------------------------------------------------------------------------------

def _load_xls(path: Path, data: bytes) -> list[Sheet]:
    if data.startswith(_ZIP):
        raise ReturnReadError(f"{path}: an xlsx workbook named .xls; rename it to .xlsx")
    if not data.startswith(_OLE2):
        other = _what_is_it(data[:8])
        if data.lstrip()[:1] in (b"<",):
            other = other or "an HTML or XML page saved with an .xls name"
        raise ReturnReadError(f"{path}: not a spreadsheet ({other or 'not an xls file'})")
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as err:  # xlrd raises XLRDError and others for damaged files
        why = ("encrypted or password-protected workbook" if "encrypt" in str(err).lower()
               else str(err))
        raise ReturnReadError(f"{path}: cannot read xls workbook ({why})") from err
    sheets = []
    for sh in book.sheets():
        sheet = Sheet(sh.name, hidden=bool(sh.visibility))
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                kind, value = cell.ctype, cell.value
                if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if kind == xlrd.XL_CELL_ERROR:
                    text = xlrd.error_text_from_code.get(value, "#ERROR")
                    _add(sheet, r + 1, c + 1, text, problem=f"a spreadsheet error {text}, "
                                                           f"not a count")
                    continue
                if kind == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate_as_datetime(value, book.datemode)
                    except Exception:  # noqa: BLE001 - an impossible date serial
                        pass
                elif kind == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif kind == xlrd.XL_CELL_NUMBER:
                    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                    if fmt is not None and "%" in fmt.format_str:
                        _add(sheet, r + 1, c + 1, value, raw=_percent(value),
                             problem=PERCENT_PROBLEM.format(_percent(value)))
                        continue
                _add(sheet, r + 1, c + 1, value)
        sheet.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells]
        sheet.hidden_rows = {r + 1 for r, info in sh.rowinfo_map.items() if info.hidden}
        sheet.hidden_cols = {c + 1 for c, info in sh.colinfo_map.items() if info.hidden}
        sheets.append(sheet)
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty workbook (no non-empty cells)")
    return sheets


# -- ods ------------------------------------------------------------------------------------

_NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0"}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _odf_text(el) -> str:
    """The text of a cell: its paragraphs, with ODF's space and tab elements expanded."""
    out: list[str] = []

    def walk(node):
        if node.text:
            out.append(node.text)
        for child in node:
            if child.tag == _q("text", "s"):
                out.append(" " * int(child.get(_q("text", "c"), "1")))
            elif child.tag == _q("text", "tab"):
                out.append("\t")
            elif child.tag == _q("text", "line-break"):
                out.append("\n")
            else:
                walk(child)
            if child.tail:
                out.append(child.tail)

    paras = []
    for p in el.findall(_q("text", "p")):
        out.clear()
        walk(p)
        paras.append("".join(out))
    return "\n".join(paras)


def _load_ods(path: Path, data: bytes) -> list[Sheet]:
    import xml.etree.ElementTree as ET

    if not data.startswith(_ZIP):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a spreadsheet ({other or 'not an ods zip file'})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "encrypted" in z.read("META-INF/manifest.xml").decode("utf-8", "replace") \
                    if "META-INF/manifest.xml" in z.namelist() else False:
                raise ReturnReadError(f"{path}: encrypted or password-protected workbook")
            root = ET.fromstring(z.read("content.xml"))
    except ReturnReadError:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as err:
        raise ReturnReadError(f"{path}: not a readable ods workbook ({err})") from err
    hidden_styles = {s.get(_q("style", "name")) for s in root.iter(_q("style", "style"))
                     if any(p.get(_q("table", "display")) == "false"
                            for p in s.findall(_q("style", "table-properties")))}
    sheets = []
    for table in root.iter(_q("table", "table")):
        sheet = Sheet(table.get(_q("table", "name"), f"Sheet{len(sheets) + 1}"),
                      hidden=table.get(_q("table", "style-name")) in hidden_styles)
        col = 0
        for column in table.iter(_q("table", "table-column")):  # hidden columns (visibility collapse)
            crep = int(column.get(_q("table", "number-columns-repeated"), "1"))
            if column.get(_q("table", "visibility"), "visible") != "visible":
                sheet.hidden_cols.update(range(col + 1, col + 1 + min(crep, 1000)))
            col += crep
        r = 0
        for row in table.iter(_q("table", "table-row")):
            rrep = int(row.get(_q("table", "number-rows-repeated"), "1"))
            row_hidden = row.get(_q("table", "visibility"), "visible") != "visible"
            cells = list(row)
            empty_row = all(_odf_text(c) == "" and c.get(_q("office", "value-type")) is None
                            for c in cells)
            if empty_row:
                r += rrep
                continue
            for _ in range(min(rrep, 1000)):
                r += 1
                if row_hidden:
                    sheet.hidden_rows.add(r)
                c = 0
                for cell in cells:
                    crep = int(cell.get(_q("table", "number-columns-repeated"), "1"))
                    if cell.tag == _q("table", "covered-table-cell"):
                        c += crep
                        continue
                    for _k in range(min(crep, 1000)):
                        c += 1
                        _ods_cell(sheet, r, c, cell)
                    if crep > 1000:
                        c += crep - 1000
                    rs = int(cell.get(_q("table", "number-rows-spanned"), "1"))
                    cs = int(cell.get(_q("table", "number-columns-spanned"), "1"))
                    if rs > 1 or cs > 1:
                        sheet.merges.append((r, c, r + rs - 1, c + cs - 1))
        sheets.append(sheet)
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty workbook (no non-empty cells)")
    return sheets


def _ods_cell(sheet: Sheet, r: int, c: int, cell) -> None:
    vt = cell.get(_q("office", "value-type"))
    text = _odf_text(cell)
    formula = cell.get(_q("table", "formula"))
    value = cell.get(_q("office", "value"))
    if vt is None:
        if formula and not text:
            _add(sheet, r, c, formula, problem=f"a formula with no saved value ({formula})")
        elif text:
            _add(sheet, r, c, text)
        return
    if vt in ("float", "percentage", "currency"):
        if value is None:
            if formula:
                _add(sheet, r, c, formula, problem=f"a formula with no saved value ({formula})")
            return
        number = float(value)
        number = int(number) if number.is_integer() else number
        if vt == "percentage":
            _add(sheet, r, c, number, raw=_percent(float(number)),
                 problem=PERCENT_PROBLEM.format(_percent(float(number))))
        elif vt == "currency":
            _add(sheet, r, c, number, raw=text or str(number),
                 problem=f"a money amount ({text or number}), not a count")
        else:
            _add(sheet, r, c, number)
    elif vt == "date":
        iso = cell.get(_q("office", "date-value"), "")
        try:
            _add(sheet, r, c, dt.datetime.fromisoformat(iso), raw=iso[:10] if
                 iso.endswith("T00:00:00") or len(iso) == 10 else iso)
        except ValueError:
            _add(sheet, r, c, text or iso)
    elif vt == "boolean":
        _add(sheet, r, c, cell.get(_q("office", "boolean-value")) == "true")
    else:  # string, time
        if formula and re.match(r"^(?:#\w+[!?/0]*|Err:\d+)$", text or ""):
            _add(sheet, r, c, text, problem=f"a spreadsheet error {text}, not a count")
        else:
            _add(sheet, r, c, text)


# -- docx -----------------------------------------------------------------------------------

def _load_docx(path: Path, data: bytes) -> tuple[list[Sheet], list[str]]:
    if not data.startswith(_ZIP):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a Word document ({other or 'not a docx zip file'})")
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several kinds for a damaged package
        raise ReturnReadError(f"{path}: not a readable docx document ({err})") from err
    text = Sheet("text", unit="paragraph")
    sheets = [text]
    struck: list[str] = []
    n = 0
    body = document.element.body
    for child in _docx_blocks(body):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n += 1
            _add(text, n, 1, _docx_text(child, struck, f"paragraph {n}"))
        elif tag == "tbl":
            _docx_table(Table(child, document), sheets)
    # Text boxes (a figure typed in a drawn box) are outside the body's paragraphs. A box saved
    # twice (the drawing and its fallback for old Word) is read once.
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    boxes = [b for b in body.iter(f"{_W}txbxContent") if not any(a.tag == fallback for a in b.iterancestors())]
    parts = [(f"text box {k}", _paragraph_texts(box)) for k, box in enumerate(boxes, 1)] + _docx_notes(data)
    for name, paras in parts:
        sheet = Sheet(name, unit="paragraph")
        for i, text_ in enumerate(paras, 1):
            _add(sheet, i, 1, text_)
        sheets.append(sheet)
    for section in document.sections:  # a council's name is often only in the letterhead
        for p in section.header.paragraphs:
            if p.text.strip():
                n += 1
                _add(text, n, 1, p.text)
    if not any(s.cells for s in sheets):
        raise ReturnReadError(f"{path}: empty document (no text)")
    return [s for s in sheets if s.cells], struck


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Elements that hold a paragraph's runs besides the paragraph itself: links, fields, content
#: controls (a form's filled-in box), smart tags. Tracked insertions and deletions are not read here.
_RUN_HOLDERS = {"hyperlink", "fldSimple", "smartTag", "customXml", "sdt", "sdtContent", "bdo", "dir"}


def _docx_blocks(body):
    """The body's paragraphs and tables in order, with those inside block content controls (a
    form's boxes) and custom XML, which python-docx's body does not list."""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "tbl"):
            yield child
        elif tag in ("sdt", "sdtContent", "customXml"):
            yield from _docx_blocks(child)


def _docx_text(element, struck: list[str], where: str) -> str:
    """A paragraph's text, run by run, through links, fields and content controls. Text the council
    struck through is left out (and named in `struck`): a crossed-out figure is never a count."""
    out = []
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in _RUN_HOLDERS:
            out.append(_docx_text(child, struck, where))
        elif tag == "r":
            props = child.find(f"{_W}rPr")
            strike = props is not None and any(
                s is not None and s.get(f"{_W}val", "true") not in ("0", "false")
                for s in (props.find(f"{_W}strike"), props.find(f"{_W}dstrike")))
            words = "".join(t.text or "" if t.tag == f"{_W}t" else "\t" if t.tag == f"{_W}tab" else " "
                            for t in child.iterchildren() if t.tag in (f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"))
            if strike and words.strip():
                struck.append(f"struck-through text in {where} not read: {words.strip()!r} (the council crossed it "
                              f"out; what replaces it is read)")
                continue
            out.append(words)
    return "".join(out)


def _tracked(element) -> tuple[str, str] | None:
    """(text, problem) for Word text with tracked changes not yet accepted (w:ins, w:del), else
    None: which version the council meant is not sure, and python-docx shows neither."""
    inserted = " ".join("".join(t.text or "" for t in e.iter(f"{_W}t")) for e in element.iter(f"{_W}ins")).strip()
    deleted = " ".join("".join(t.text or "" for t in e.iter(f"{_W}delText")) for e in element.iter(f"{_W}del")).strip()
    if not inserted and not deleted:
        return None
    kept = "".join(t.text or "" for t in element.iter(f"{_W}t")).strip()
    return kept or inserted or deleted, (
        f"tracked changes not accepted (deleted {deleted!r}, inserted {inserted!r}): which figure the council "
        f"meant is not sure; accept or reject the changes in Word and read the file again, or key it in review.csv")


def _docx_notes(data: bytes) -> list[tuple[str, list[str]]]:
    """The text of a Word file's footnotes, endnotes and comments, by part: a figure's caveat
    is often only there ("All 4 of these cases were in transit")."""
    import xml.etree.ElementTree as ET

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part, name in (("word/footnotes.xml", "footnotes"), ("word/endnotes.xml", "endnotes"),
                           ("word/comments.xml", "comments")):
            if part not in z.namelist():
                continue
            paras = [p for p in (t.strip() for t in _paragraph_texts(ET.fromstring(z.read(part)))) if p]
            if paras:
                out.append((name, paras))
    return out


def _paragraph_texts(element) -> list[str]:
    """The text of each Word paragraph (w:p) inside an XML element, in order."""
    return ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in element.iter(f"{_W}p")]


def _docx_table(table, sheets: list[Sheet]) -> None:
    """A Word table as a sheet, and each table nested in its cells as a sheet of its own."""
    sheet = Sheet(f"table {len(sheets)}")
    sheets.append(sheet)
    for r, row in enumerate(table.rows, 1):
        seen: dict[int, int] = {}
        for c, cell in enumerate(row.cells, 1):
            key = id(cell._tc)
            if key in seen:  # a merged cell repeats across the columns it spans
                first = seen[key]
                sheet.merges = [m for m in sheet.merges if m[:2] != (r, first)]
                sheet.merges.append((r, first, r, c))
                continue
            seen[key] = c
            changed = _tracked(cell._tc)
            if changed:
                _add(sheet, r, c, changed[0], problem=changed[1])
            else:
                _add(sheet, r, c, "\n".join(p.text for p in cell.paragraphs).strip())
            for inner in cell.tables:
                _docx_table(inner, sheets)


# -- pdf ------------------------------------------------------------------------------------

def _load_pdf(path: Path, data: bytes) -> list[Sheet]:
    if not data.startswith(b"%PDF"):
        other = _what_is_it(data[:8])
        raise ReturnReadError(f"{path}: not a PDF document ({other or 'no %PDF header'})")
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many kinds for damaged or encrypted files
        raise ReturnReadError(f"{path}: not a readable PDF ({type(err).__name__}: {err})") from err
    sheets: list[Sheet] = []
    chars = 0
    try:
        for pno, page in enumerate(pdf.pages, 1):
            chars += len(page.chars)
            turned = sum(not c.get("upright", True) for c in page.chars)
            if page.chars and turned > len(page.chars) / 2:
                # Text set sideways reads back in the wrong order ("892" for 298): not read.
                sheet = Sheet(f"page {pno}")
                _add(sheet, 1, 1, f"(page {pno}: {turned} of {len(page.chars)} characters turned sideways)",
                     problem=(f"the text on page {pno} is rotated (a table turned on its side), and "
                              f"rotated text reads back in the wrong order: not read; {KEY_BY_HAND}, naming the page"))
                sheets.append(sheet)
                continue
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for k, t in enumerate(tables, 1):
                sheet = Sheet(f"page {pno} table {k}")
                for r, row in enumerate(t.extract(), 1):
                    for c, value in enumerate(row, 1):
                        if value is not None:
                            _add(sheet, r, c, " ".join(value.split()))
                if sheet.cells:
                    sheets.append(sheet)

            def outside(obj, boxes=boxes):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            rest = page.filter(outside) if boxes else page
            words = rest.extract_words(keep_blank_chars=False, use_text_flow=False)
            sheet = _pdf_lines(words, f"page {pno}")
            if sheet.cells:
                sheets.append(sheet)
    except Exception as err:  # noqa: BLE001
        raise ReturnReadError(f"{path}: not a readable PDF ({type(err).__name__}: {err})") from err
    finally:
        pdf.close()
    if chars == 0:
        raise ReturnReadError(f"{path}: not read: a scanned PDF (no text layer on any page), so "
                              f"there is nothing to read; {KEY_BY_HAND}, naming the page")
    if not sheets:
        raise ReturnReadError(f"{path}: empty PDF (no text)")
    return sheets


_NUMBERLIKE = re.compile(r"[<>~]?\s*(?:c\.?\s*)?\d[\d,.\s\u00a0]*%?")


def _pdf_lines(words: list[dict], name: str) -> Sheet:
    """A page's words as rows: a line per row, split into cells where the gap between two
    words is wider than two spaces; cells are put in columns by their horizontal overlap,
    so a table laid out with spaces keeps its columns."""
    sheet = Sheet(name, unit="line")
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    segmented = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        segs: list[list[dict]] = [[line[0]]]
        for w in line[1:]:
            prev = segs[-1][-1]
            size = max(prev["bottom"] - prev["top"], 1)
            if w["x0"] - prev["x1"] > 1.2 * size:
                segs.append([w])
            else:
                segs[-1].append(w)
        segmented.append([(s[0]["x0"], s[-1]["x1"], " ".join(w["text"] for w in s)) for s in segs])
    # Runs of consecutive lines with more than one segment are tables. A table's columns are
    # the vertical strips of white that no word on any of its lines crosses: a header such as
    # "Total open  Qualified SW" keeps its columns even when its gaps are narrower than the
    # gap test above, and a number never slides into its neighbour's column.
    r = 0
    k = 0
    headings: list[tuple[float, float]] | None = None  # the last heading line read alone

    def place(row: int, col: int, text: str, x0: float, x1: float, lined_up: bool) -> None:
        # A number on a line read apart from the headings above it is in column `col` of its
        # own line only: unless it sits under the heading of that column, it is not lined up.
        if (headings is not None and not lined_up and _NUMBERLIKE.fullmatch(text)
                and not (col <= len(headings) and headings[col - 1][0] - 2 <= x1
                         and x0 <= headings[col - 1][1] + 2)):
            _add(sheet, row, col, text, problem=(
                f"a figure in a PDF table ({text!r}) that does not sit under the column heading it "
                f"would be read with: the columns of this table could not be lined up, so not read"))
            return
        _add(sheet, row, col, text)

    while k < len(lines):
        if len(segmented[k]) < 2:
            r += 1
            _add(sheet, r, 1, segmented[k][0][2])
            k += 1
            continue
        end = k
        while end < len(lines) and len(segmented[end]) >= 2:
            end += 1
        block = lines[k:end]
        if len(block) < 2:
            cols = [[(x0, x1, t)] for x0, x1, t in segmented[k]]
        else:
            size = sorted(w["bottom"] - w["top"] for ln in block for w in ln)[
                sum(len(ln) for ln in block) // 2]
            spans = sorted([w["x0"], w["x1"]] for ln in block for w in ln)
            strips: list[list[float]] = []
            for x0, x1 in spans:
                if strips and x0 - strips[-1][1] < 0.5 * max(size, 1):
                    strips[-1][1] = max(strips[-1][1], x1)
                else:
                    strips.append([x0, x1])
            cols = None
            own_headings = any(len(segmented[i]) >= 2 and not any(_NUMBERLIKE.fullmatch(t) for _, _, t in segmented[i])
                               for i in range(k, end))
        for n, line in enumerate(block):
            r += 1
            if cols is not None:
                for c, segs in enumerate(cols, 1):
                    place(r, c, segs[0][2], segs[0][0], segs[0][1], lined_up=False)
                if not any(_NUMBERLIKE.fullmatch(segs[0][2]) for segs in cols):
                    headings = [(segs[0][0], segs[0][1]) for segs in cols]
                continue
            texts: dict[int, list[str]] = {}
            for w in line:
                c = next(i for i, sp in enumerate(strips, 1) if sp[0] <= w["x0"] <= sp[1])
                texts.setdefault(c, []).append(w["text"])
            for c, words_ in sorted(texts.items()):
                # headings inside the block are lined up with its figures by the same strips
                place(r, c, " ".join(words_), strips[c - 1][0], strips[c - 1][1], lined_up=own_headings)
        if cols is None and own_headings:
            headings = None
        k = end
    return sheet
