"""One return written in every supported format, with the real writer of each format
(openpyxl, xlwt, odfpy, python-docx, fpdf2, the csv module in each encoding)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

# format name -> (suffix, writer)
TEXT_FORMATS = {
    "csv-comma-utf8": (".csv", ",", "utf-8", b""),
    "csv-semicolon-utf8bom": (".csv", ";", "utf-8", b"\xef\xbb\xbf"),
    "csv-tab-utf16": (".csv", "\t", "utf-16-le", b"\xff\xfe"),
    "csv-pipe-cp1252": (".csv", "|", "cp1252", b""),
    "txt-tab-utf8": (".txt", "\t", "utf-8", b""),
}


def _cells(rows):
    return [["" if v is None else v for v in row] for row in rows]


def write_text(path: Path, rows, delimiter=",", encoding="utf-8", bom=b"") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [[f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v for v in row]
         for row in _cells(rows)])
    path.write_bytes(bom + buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows, sheet="Return", cover=True) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if cover:
        ws.title = "Cover letter"
        ws["A1"] = "Dear requester, our reply to your request is on the next sheet."
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    wb.save(path)
    return path


def write_xls(path: Path, rows, sheet="Return") -> Path:
    import xlwt

    wb = xlwt.Workbook()
    wb.add_sheet("Cover letter").write(0, 0, "Dear requester, our reply is on the next sheet.")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.save(str(path))
    return path


def write_ods(path: Path, rows, sheet="Return") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name=sheet)
    width = max(len(r) for r in rows)
    for row in rows:
        tr = TableRow()
        for v in list(row) + [None] * (width - len(row)):
            if v is None:
                tc = TableCell()
            elif isinstance(v, (int, float)):
                tc = TableCell(valuetype="float", value=v)
                tc.addElement(P(text=str(v)))
            else:
                tc = TableCell(valuetype="string")
                tc.addElement(P(text=str(v)))
            tr.addElement(tc)
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    doc.save(str(path))
    return path


def write_docx(path: Path, rows) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Our reply to your request for information.")
    width = max(len(r) for r in rows)
    t = doc.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                t.cell(r, c).text = f"{v:,}" if isinstance(v, int) else str(v)
    doc.save(path)
    return path


def write_pdf(path: Path, rows) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.cell(0, 8, "Our reply to your request for information.", new_x="LMARGIN", new_y="NEXT")
    width = max(len(r) for r in rows)
    text = [[("" if v is None else (f"{v:,}" if isinstance(v, int) else str(v)))
             for v in list(row) + [None] * (width - len(row))] for row in rows]
    widths = [max(pdf.get_string_width(t[c]) for t in text) + 4 for c in range(width)]
    for row in rows:
        for w, v in zip(widths, list(row) + [None] * (width - len(row))):
            pdf.cell(w, 7, "" if v is None else (f"{v:,}" if isinstance(v, int) else str(v)),
                     border=1)
        pdf.ln(7)
    pdf.output(str(path))
    return path


def writers():
    """format name -> function(folder, stem, rows) -> path."""
    out = {}
    for name, (suffix, delim, enc, bom) in TEXT_FORMATS.items():
        out[name] = (lambda folder, stem, rows, suffix=suffix, delim=delim, enc=enc, bom=bom:
                     write_text(folder / f"{stem}{suffix}", rows, delim, enc, bom))
    out["xlsx"] = lambda folder, stem, rows: write_xlsx(folder / f"{stem}.xlsx", rows)
    out["xlsm"] = lambda folder, stem, rows: write_xlsx(folder / f"{stem}.xlsm", rows,
                                                        sheet="Figures and notes")
    out["xls"] = lambda folder, stem, rows: write_xls(folder / f"{stem}.xls", rows)
    out["ods"] = lambda folder, stem, rows: write_ods(folder / f"{stem}.ods", rows)
    out["docx"] = lambda folder, stem, rows: write_docx(folder / f"{stem}.docx", rows)
    out["pdf"] = lambda folder, stem, rows: write_pdf(folder / f"{stem}.pdf", rows)
    return out
