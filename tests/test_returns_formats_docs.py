"""Word .docx and PDF replies, written with python-docx and fpdf2: answers in a table and in
sentences read to the same counts; a scanned PDF and a legacy .doc are refused with a message
that says how to key them."""
from __future__ import annotations

import pytest

from returns_helpers import assert_nothing_lost, rows_of
from unallocated.errors import ReturnReadError
from unallocated.returns import read_returns
from unallocated.returns.files import load_sheets

HEAD = ["Case type", "Total open", "Qualified SW", "Other staff", "Unallocated"]
BODY = [["Child protection", "541", "530", "4", "7"],
        ["Looked after children", "1,082", "1,031", "40", "11"],
        ["Children in need", "3,945", "3,518", "211", "216"]]
TABLE = {("cp", "total", "", 541), ("cp", "allocated_qualified", "", 530),
         ("cp", "allocated_other", "other", 4), ("cp", "unallocated", "not_given", 7),
         ("lac", "total", "", 1082), ("lac", "allocated_qualified", "", 1031),
         ("lac", "allocated_other", "other", 40), ("lac", "unallocated", "not_given", 11),
         ("cin", "total", "", 3945), ("cin", "allocated_qualified", "", 3518),
         ("cin", "allocated_other", "other", 211), ("cin", "unallocated", "not_given", 216)}
SENTENCES = ["We currently have 12 child protection cases that are not allocated to a social worker.",
             "There are 214 children in need cases awaiting allocation, of which 60 are awaiting closure."]


def _rows(res):
    return {(c, k, d or "", n) for c, k, d, n, _q in rows_of(res)}


def write_docx(path, table=True, sentences=()):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Norfolk County Council - Response to FOI request")
    doc.add_paragraph("Figures as at 31 August 2010")
    if table:
        t = doc.add_table(rows=1 + len(BODY), cols=len(HEAD))
        for r, row in enumerate([HEAD] + BODY):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    for s in sentences:
        doc.add_paragraph(s)
    doc.save(path)
    return path


def write_pdf(path, table=True, sentences=(), ruled=False):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Norfolk County Council - Response to FOI request", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Figures as at 31 August 2010", new_x="LMARGIN", new_y="NEXT")
    if table:
        widths = [45, 25, 28, 25, 25]
        for row in [HEAD] + BODY:
            for w, v in zip(widths, row):
                pdf.cell(w, 7, v, border=1 if ruled else 0)
            pdf.ln(7)
    for s in sentences:
        pdf.multi_cell(120, 6, s, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("writer", [write_docx, write_pdf,
                                    lambda p, **k: write_pdf(p, ruled=True, **k)],
                         ids=["docx", "pdf", "pdf-ruled"])
def test_table_reads_every_count_in_its_column(tmp_path, writer):
    suffix = ".docx" if writer is write_docx else ".pdf"
    p = writer(tmp_path / f"norfolk{suffix}")
    res = read_returns(p)
    assert_nothing_lost(res)
    assert _rows(res) == TABLE


@pytest.mark.parametrize("writer, suffix", [(write_docx, ".docx"), (write_pdf, ".pdf")])
def test_sentences_one_count_and_issues_for_the_rest(tmp_path, writer, suffix):
    p = writer(tmp_path / f"norfolk{suffix}", table=False, sentences=SENTENCES)
    res = read_returns(p)
    assert_nothing_lost(res)
    assert _rows(res) == {("cp", "unallocated", "not_given", 12)}
    raw = set(res.returns["raw"])
    assert raw == {SENTENCES[0]}
    issues = " ".join(res.issues["problem"])
    # 60 of the 214 are awaiting closure: each part is proposed with its reason, the rest without
    assert "'214'" in issues and "would read as cin unallocated 154" in issues
    assert "would read as cin unallocated awaiting_closure 60" in issues
    assert "'60'" in issues


def test_scanned_pdf_is_refused_with_how_to_key_it(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a page with marks but no text layer
    p = tmp_path / "scan.pdf"
    pdf.output(str(p))
    with pytest.raises(ReturnReadError, match=r"scanned PDF.*review\.csv"):
        load_sheets(p)


def test_legacy_doc_is_refused_with_how_to_key_it(tmp_path):
    p = tmp_path / "reply.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(ReturnReadError, match=r"not read.*review\.csv"):
        load_sheets(p)


def test_format_libraries_are_imported_lazily():
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from unallocated.returns import read_returns; "
            "from unallocated.paths import RAW_RETURNS; read_returns(RAW_RETURNS / '2010'); "
            "print(sorted(m for m in ('pdfplumber', 'pdfminer', 'docx', 'odf', 'xlrd', "
            "'charset_normalizer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
