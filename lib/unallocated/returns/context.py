"""The context of a figure the reader withheld, taken from the original file by its address.

An issue names a file, a sheet and a cell as the reader saw them (`returns.files`): a workbook's
sheet and A1 cell; `csv` for a CSV file; `table N` for a Word table; `text` (cell An = paragraph
n, or the line a .txt letter's paragraph starts on), `text box N`, `footnotes`, `endnotes`,
`comments` for a Word document's prose; `page N` for a PDF page's lines (a line per row, split
into cells at wide gaps) and `page N table K` for a ruled PDF table. `context_for` reopens the
file with the reader's own loader, so the address means the same thing here as in issues.csv,
and returns what a person needs to judge the figure, as plain data (the review desk shows it
as text, never as markup):

- a grid (`kind: "grid"`): the cells around the figure, with the heading of its row and of its
  column kept in view, and hidden rows and columns, merged cells and comments marked;
- prose (`kind: "prose"`): the paragraph, with the sentence and the figure marked, and the
  paragraphs before and after it;
- a PDF page (`kind: "page"`): the page's lines near the figure, the figure's lines marked;
  a text letter's lines (`kind: "lines"`) the same way;
- `kind: "missing"` when the address is not in the file any more (it changed), saying so.

Marks are `[start, end, what]` character spans (`what` is `figure` or `sentence`).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from unallocated.errors import ReturnReadError
from unallocated.returns.files import Loaded, Sheet, cell_ref, load_file

__all__ = ["context_for", "ContextCache", "figure_spans", "GRID_ROWS_AROUND", "GRID_COLS_AROUND"]

#: How many rows and columns either side of the figure a grid shows.
GRID_ROWS_AROUND = 3
GRID_COLS_AROUND = 3
#: Paragraphs shown before and after a prose figure's paragraph; lines around a PDF figure.
PARAGRAPHS_AROUND = 1
LINES_AROUND = 4
#: A grid cell longer than this is cut (the full text is in `full`).
CELL_CHARS = 80

_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_LETTERS = re.compile(r"[A-Za-z]{3,}")


def _position(cell: str) -> tuple[int, int] | None:
    from openpyxl.utils import column_index_from_string

    m = _REF.match(cell.strip().upper())
    return (int(m.group(2)), column_index_from_string(m.group(1))) if m else None


class ContextCache:
    """Each file opened once while a page is built (a file with 30 items is read once)."""

    def __init__(self):
        self._loaded: dict[Path, Loaded | str] = {}
        self._comments: dict[tuple[Path, str], dict[tuple[int, int], str]] = {}

    def loaded(self, path: Path) -> Loaded | str:
        """The file as the reader loads it, or why it could not be loaded."""
        path = Path(path)
        if path not in self._loaded:
            try:
                self._loaded[path] = load_file(path)
            except ReturnReadError as err:
                self._loaded[path] = str(err).replace(f"{path}: ", "", 1)
        return self._loaded[path]

    def comments(self, path: Path, sheet: str) -> dict[tuple[int, int], str]:
        """{(row, col): comment text} of one sheet of an xlsx, xlsm or ods workbook."""
        key = (Path(path), sheet)
        if key not in self._comments:
            try:
                self._comments[key] = _comments(Path(path), sheet)
            except (OSError, zipfile.BadZipFile, KeyError, ValueError):
                self._comments[key] = {}
        return self._comments[key]


def context_for(path, sheet: str, cell: str, *, figure: str = "", sentence: str = "",
                cache: ContextCache | None = None) -> dict:
    """What surrounds the figure at `sheet`!`cell` of the file at `path` (see the module's doc).

    figure: the number to mark in prose ("14"); sentence: the text the issue quotes (its raw),
    marked in the paragraph. Neither changes which cells are shown."""
    cache = cache or ContextCache()
    loaded = cache.loaded(path)
    if isinstance(loaded, str):
        return {"kind": "missing", "why": f"the file cannot be opened now: {loaded}"}
    found = next((s for s in loaded.sheets if s.name == sheet), None)
    pos = _position(cell)
    if found is None or pos is None:
        what = f"sheet {sheet!r}" if found is None else f"cell {cell!r}"
        return {"kind": "missing", "why": f"{what} is not in the file as it is now (it may have "
                                           f"changed since it was read)"}
    if found.unit == "line":
        return _lines(found, pos, figure, sentence, loaded.format)
    if found.unit:
        return _prose(found, pos, figure, sentence, loaded.format)
    return _grid(found, pos, cache.comments(Path(path), sheet)
                 if loaded.format in ("xlsx", "xlsm", "ods") else {}, loaded.format)


# -- grids ----------------------------------------------------------------------------------

def _is_value(sheet: Sheet, pos: tuple[int, int]) -> bool:
    """A number, or text a council writes for one ("1,631", "nil", "<5", "n/a")."""
    from unallocated.returns.markers import parse_count

    cell = sheet.cells.get(pos)
    if cell is None:
        return False
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return True
    return isinstance(cell.value, str) and parse_count(cell.raw)[2] is None


def _is_label(sheet: Sheet, pos: tuple[int, int]) -> bool:
    cell = sheet.cells.get(pos)
    return (cell is not None and isinstance(cell.value, str) and bool(_LETTERS.search(cell.raw))
            and not _is_value(sheet, pos))


def _headings(sheet: Sheet, row: int, col: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(row headings, column headings): the words left of the figure in its row and above it in
    its column that stand in a column (a row) holding no figures, as headings do ("Children in
    need", "Allocated to a trainee social worker"); else the nearest words, when none does."""
    value_rows, value_cols = _lines_with_values(sheet)

    def headings(candidates, holds_values):
        labels = [p for p in candidates if _is_label(sheet, p)]
        pure = [p for p in labels if not holds_values(p)]
        return pure or labels[:1]

    row_headings = headings([(row, c) for c in range(1, col)], lambda p: p[1] in value_cols)
    col_headings = headings([(r, col) for r in range(row - 1, 0, -1)], lambda p: p[0] in value_rows)
    # Above the figure, only the nearest block of headings (a title far above is not one).
    if len(col_headings) > 1:
        block = [col_headings[0]]
        for p in col_headings[1:]:
            if block[-1][0] - p[0] > 1:
                break
            block.append(p)
        col_headings = block
    return row_headings, sorted(col_headings)


_VALUE_LINES: dict[int, tuple[Sheet, set[int], set[int]]] = {}


def _lines_with_values(sheet: Sheet) -> tuple[set[int], set[int]]:
    """The rows and the columns of a sheet that hold a figure, worked out once per sheet."""
    known = _VALUE_LINES.get(id(sheet))
    if known is None or known[0] is not sheet:
        values = [q for q in sheet.cells if _is_value(sheet, q)]
        known = (sheet, {r for r, _ in values}, {c for _, c in values})
        if len(_VALUE_LINES) > 64:
            _VALUE_LINES.clear()
        _VALUE_LINES[id(sheet)] = known
    return known[1], known[2]


def _merged_at(sheet: Sheet, r: int, c: int) -> str:
    for r1, c1, r2, c2 in sheet.merges:
        if r1 <= r <= r2 and c1 <= c <= c2:
            return f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
    return ""


def _grid(sheet: Sheet, pos: tuple[int, int], comments: dict, fmt: str) -> dict:
    from openpyxl.utils import get_column_letter

    row, col = pos
    max_row = max([r for r, _ in sheet.cells] + [row])
    max_col = max([c for _, c in sheet.cells] + [col])
    row_headings, col_headings = _headings(sheet, row, col)
    rows = set(range(max(1, row - GRID_ROWS_AROUND), min(max_row, row + GRID_ROWS_AROUND) + 1))
    cols = set(range(max(1, col - GRID_COLS_AROUND), min(max_col, col + GRID_COLS_AROUND) + 1))
    rows.update(r for r, _ in col_headings)
    cols.update(c for _, c in row_headings)
    rows_sorted, cols_sorted = sorted(rows), sorted(cols)
    out_rows = []
    for i, r in enumerate(rows_sorted):
        cells = []
        for c in cols_sorted:
            got = sheet.cells.get((r, c))
            text = got.raw if got is not None else ""
            cells.append({
                "text": text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…",
                "full": text,
                "ref": cell_ref(r, c),
                "target": (r, c) == pos,
                "heading": (r, c) in row_headings or (r, c) in col_headings,
                "merged": _merged_at(sheet, r, c),
                "comment": comments.get((r, c), ""),
                "problem": (got.problem or "") if got is not None else "",
                "hidden": c in sheet.hidden_cols or r in sheet.hidden_rows,
            })
        out_rows.append({"index": r, "hidden": r in sheet.hidden_rows,
                         "gap_before": i > 0 and r != rows_sorted[i - 1] + 1, "cells": cells})
    columns = [{"index": c, "letter": get_column_letter(c), "hidden": c in sheet.hidden_cols,
                "gap_before": i > 0 and c != cols_sorted[i - 1] + 1}
               for i, c in enumerate(cols_sorted)]
    target = sheet.cells.get(pos)
    return {
        "kind": "grid", "sheet": sheet.name, "format": fmt, "where": _where(sheet.name, fmt),
        "hidden_sheet": sheet.hidden, "target": cell_ref(*pos),
        "target_text": target.raw if target is not None else "",
        "row_heading": " · ".join(sheet.cells[p].raw for p in row_headings),
        "column_heading": " · ".join(sheet.cells[p].raw for p in col_headings),
        "columns": columns, "rows": out_rows,
    }


def _where(sheet: str, fmt: str) -> str:
    if fmt == "docx" and sheet.startswith("table "):
        return f"Word document, {sheet}"
    m = re.match(r"page (\d+) table (\d+)$", sheet)
    if m:
        return f"PDF page {m.group(1)}, ruled table {m.group(2)}"
    if sheet == "csv":
        return "the CSV file"
    return f"sheet {sheet!r}"


def _comments(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(path)
        if sheet not in wb.sheetnames:
            return {}
        return {(c.row, c.column): " ".join(str(c.comment.text).split())
                for row in wb[sheet].iter_rows() for c in row
                if c.comment is not None and c.comment.text}
    if suffix == ".ods":
        return _ods_comments(path, sheet)
    return {}


def _ods_comments(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Annotations of an ods table, placed as the reader places cells (repeats, covered cells)."""
    import xml.etree.ElementTree as ET

    from unallocated.returns.files import _odf_text, _q

    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    table = next((t for t in root.iter(_q("table", "table")) if t.get(_q("table", "name")) == sheet), None)
    if table is None:
        return {}
    found: dict[tuple[int, int], str] = {}
    r = 0
    for row in table.iter(_q("table", "table-row")):
        rrep = int(row.get(_q("table", "number-rows-repeated"), "1"))
        cells = list(row)
        if all(_odf_text(c) == "" and c.get(_q("office", "value-type")) is None
               and c.find(_q("office", "annotation")) is None for c in cells):
            r += rrep
            continue
        for _ in range(min(rrep, 1000)):
            r += 1
            c = 0
            for cell in cells:
                crep = int(cell.get(_q("table", "number-columns-repeated"), "1"))
                note = cell.find(_q("office", "annotation"))
                for _k in range(min(crep, 1000)):
                    c += 1
                    if note is not None and cell.tag != _q("table", "covered-table-cell"):
                        text = " ".join(_odf_text(note).split())
                        if text:
                            found[(r, c)] = text
                if crep > 1000:
                    c += crep - 1000
    return found


# -- prose ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])")


def figure_spans(text: str, figure: str, within: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Where `figure` ("14", "1,234") stands in `text` as a whole number: inside `within` when
    it is there, else anywhere. With no figure: every number inside `within`."""
    lo, hi = within or (0, len(text))
    numbers = [(m.start(), m.end()) for m in _NUMBER.finditer(text)]
    if not figure:
        return [s for s in numbers if lo <= s[0] and s[1] <= hi] if within else []
    want = figure.replace(",", "")
    hits = [s for s in numbers if text[s[0]:s[1]].replace(",", "") == want]
    inside = [s for s in hits if lo <= s[0] and s[1] <= hi]
    return inside or hits


def _marks(text: str, figure: str, sentence: str) -> list[list]:
    marks: list[list] = []
    span = None
    said = " ".join(sentence.split())
    if said:
        at = text.find(said)
        if at < 0:  # the sentence as far as it goes on this line (a PDF sentence wraps)
            at = said.find(text) if text and text in said else -1
            span = (0, len(text)) if at >= 0 else None
        else:
            span = (at, at + len(said))
    if span and span != (0, len(text)):
        marks.append([span[0], span[1], "sentence"])
    for s in figure_spans(text, figure, span):
        marks.append([s[0], s[1], "figure"])
    return sorted(marks, key=lambda m: (m[0], m[2] != "sentence"))


def _prose(sheet: Sheet, pos: tuple[int, int], figure: str, sentence: str, fmt: str) -> dict:
    order = sorted(p for p in sheet.cells if p[1] == 1)
    if pos not in sheet.cells:
        return {"kind": "missing", "why": f"{sheet.unit} {pos[0]} of {sheet.name!r} is not in the "
                                           f"file as it is now"}
    i = order.index(pos)
    text = " ".join(sheet.cells[pos].raw.split())
    around = lambda ps: [" ".join(sheet.cells[p].raw.split()) for p in ps]  # noqa: E731
    what = {"docx": "Word document", "pdf": "PDF"}.get(fmt, "text file")
    part = "" if sheet.name == "text" else f", {sheet.name}"
    unit = "line" if sheet.unit == "line" else "paragraph"
    return {
        "kind": "prose", "sheet": sheet.name, "format": fmt, "unit": unit,
        "where": f"{what}{part}, {unit} {pos[0]}",
        "before": around(order[max(0, i - PARAGRAPHS_AROUND):i]),
        "paragraph": text, "marks": _marks(text, figure, sentence),
        "after": around(order[i + 1:i + 1 + PARAGRAPHS_AROUND]),
    }


def _lines(sheet: Sheet, pos: tuple[int, int], figure: str, sentence: str, fmt: str) -> dict:
    """The lines near the figure, of a PDF page (each line its cells joined by wide gaps) or of a
    text letter (whose cells are its lines, or its paragraphs by their first line)."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), cell in sheet.cells.items():
        by_row.setdefault(r, []).append((c, " ".join(cell.raw.split())))
    if pos[0] not in by_row:
        return {"kind": "missing", "why": f"line {pos[0]} of {sheet.name!r} is not in the file as it is now"}
    said = " ".join(sentence.split())
    lines = []
    figure_marked = False
    for r in range(max(1, pos[0] - LINES_AROUND), max(by_row) + 1):
        if r > pos[0] + LINES_AROUND:
            break
        if r not in by_row:
            continue
        parts = [t for _, t in sorted(by_row[r])]
        text = "    ".join(parts)
        # The figure's own line, and the lines its sentence wraps onto.
        part_of = r == pos[0] or (r > pos[0] and said and all(p in said for p in parts)
                                  and all(x["part_of"] for x in lines if x["n"] >= pos[0]))
        marks = []
        if part_of:
            for s in figure_spans(text, figure, (0, len(text)) if not figure else None):
                if figure and figure_marked:
                    break
                marks.append([s[0], s[1], "figure"])
            figure_marked = figure_marked or bool(marks)
        lines.append({"n": r, "text": text, "target": r == pos[0], "part_of": bool(part_of),
                      "marks": marks})
    page = re.match(r"page (\d+)", sheet.name)
    if page:
        return {"kind": "page", "sheet": sheet.name, "format": fmt, "page": int(page.group(1)),
                "where": f"PDF page {page.group(1)}, line {pos[0]}", "lines": lines}
    return {"kind": "lines", "sheet": sheet.name, "format": fmt, "page": None,
            "where": f"text file, line {pos[0]}", "lines": lines}
