"""A folder of replies with every kind of item the review desk shows, written by the real
writers of each format (openpyxl, python-docx, fpdf2, plain text), and issues tables built by
hand in the reader's contract (`unallocated.returns.desk.ISSUE_CONTRACT`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from returns_helpers import pdf_page, write_letter, write_xlsx

#: Text that would run if a page put a reply's words in as markup.
SCRIPT = "<script>window.__pwned = 1</script>"
IMAGE = '<img src=x onerror="window.__pwned = 2">'

LEEDS_ROWS = [
    ["Leeds City Council: FOI reply", None, None, None, None],
    ["Snapshot at 30 September 2010"],
    ["Case type", "Total open cases", "Allocated to a qualified social worker", "Allocated to other staff",
     "Unallocated"],
    ["Child protection", 500, 490, 5, "1-5"],
    ["Looked after", 1400, 1380, 10, SCRIPT],
    ["Children in need", 5000, 4800, 100, "12*"],
    ["Last year CIN", None, None, None, 40],  # a hidden row: last year's figure
]
YORK_PARAGRAPHS = [
    "City of York Council",
    "Freedom of Information request: unallocated cases at 30 September 2010",
    "Dear Sir, thank you for your request.",
    "We had 14 child protection cases and 3 looked after children not allocated to a social worker.",
    f"Children in need: of the 210 open cases, about 20 were awaiting allocation {IMAGE}.",
    "Yours faithfully",
]


def write_leeds(folder: Path) -> Path:
    """A workbook: a date where a range was (E4), markup in a cell (E5), a footnote mark and a
    comment (E6), last year's figure in a hidden row (E7), a merged title (A1:C1)."""
    import openpyxl
    from openpyxl.comments import Comment

    path = write_xlsx(folder / "leeds_foi_reply.xlsx", {"Return": LEEDS_ROWS}, merges={"Return": ["A1:C1"]})
    wb = openpyxl.load_workbook(path)
    ws = wb["Return"]
    ws["E6"].comment = Comment("includes 3 awaiting closure", "FOI team")
    ws.row_dimensions[7].hidden = True
    wb.save(path)
    return path


def write_kirklees(folder: Path, second_line: str = "Looked after children unallocated: about 15") -> Path:
    pdf = pdf_page("Kirklees Council FOI reply 30 September 2010")
    pdf.text(20, 30, "Unallocated child protection cases: 7 (of which 2 in transit)")
    pdf.text(20, 40, second_line)
    path = folder / "kirklees_reply.pdf"
    pdf.output(str(path))
    return path


def write_scan(path: Path) -> Path:
    """A PDF with no text layer: what a scanner makes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60)
    pdf.add_page()
    pdf.rect(20, 20, 120, 60)
    pdf.output(str(path))
    return path


def write_every_kind(folder: Path) -> Path:
    """Spreadsheet figures, a Word letter's and a text letter's sentences, a PDF page's lines,
    a scanned PDF and a legacy .doc (neither read at all)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_leeds(folder)
    write_letter(folder / "york_foi_letter.docx", YORK_PARAGRAPHS)
    (folder / "hull_reply.txt").write_text(
        "Hull City Council\n\nFOI reply, 30 September 2010\n\nThere were over 40 children in need cases\n"
        "waiting for a social worker in the north team.\n\nRegards\n", encoding="utf-8")
    write_kirklees(folder)
    write_scan(folder / "wigan_scan.pdf")
    (folder / "bolton_reply.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100
                                              + "WordDocument".encode("utf-16-le"))
    return folder


YORK_A4 = YORK_PARAGRAPHS[3]
KIRKLEES_A2 = ("Unallocated child protection cases: 7 (of which 2 in transit) "
               "Looked after children unallocated: about 15")

#: Issues as the reader's contract gives them, written by hand: at these addresses they stand in
#: for whatever the reader says, so a test depends on the contract, not on the reader's wording.
HAND_BUILT = [
    dict(file="york_foi_letter.docx", sheet="text", cell="A4", raw=YORK_A4,
         problem="two figures in one sentence (14 and 3): not read", kind="needs_reading",
         proposed_case_type="cp", proposed_category="unallocated", proposed_detail="not_given",
         proposed_count="14", proposed_qualifier="exact",
         grounds="'14 child protection cases' ... 'not allocated to a social worker'"),
    dict(file="york_foi_letter.docx", sheet="text", cell="A4", raw=YORK_A4,
         problem="two figures in one sentence (14 and 3): not read", kind="needs_reading",
         proposed_case_type="lac", proposed_category="unallocated", proposed_detail="not_given",
         proposed_count="3", proposed_qualifier="exact",
         grounds="'3 looked after children not allocated to a social worker'"),
    dict(file="kirklees_reply.pdf", sheet="page 1", cell="A2", raw=KIRKLEES_A2,
         problem="a figure with 'about': not read as exact", kind="needs_reading",
         proposed_case_type="lac", proposed_category="unallocated", proposed_detail="",
         proposed_count="15", proposed_qualifier="approx",
         grounds="'Looked after children unallocated: about 15'"),
    dict(file="kirklees_reply.pdf", sheet="page 1", cell="A2", raw=KIRKLEES_A2,
         problem="two numbers in one sentence (7 and 2): not read", kind="needs_reading",
         proposed_count="7"),
    dict(file="kirklees_reply.pdf", sheet="page 1", cell="", raw="2010",
         problem="a year, not a count", kind="not_a_count"),
]


def with_proposals(issues: pd.DataFrame) -> pd.DataFrame:
    """The reader's issues in the new contract: `kind` and `proposed_*` columns (as the reader
    gives them, or empty with kind derived, as the fallback does, for a reader of the old five
    columns), and at the addresses of HAND_BUILT those rows instead."""
    table = issues.copy()
    for col in ("kind", "proposed_case_type", "proposed_category", "proposed_detail",
                "proposed_count", "proposed_qualifier", "grounds"):
        if col not in table.columns:  # a reader of the old five columns
            table[col] = ""
    table["kind"] = [k or ("file" if not (s or c) else "needs_reading")
                     for k, s, c in zip(table["kind"], table["sheet"], table["cell"])]
    replaced = {(h["file"], h["sheet"], h["cell"]) for h in HAND_BUILT if h["cell"]}
    # (review.csv's own problems at those addresses stay: they are about the decisions, not the figures)
    table = table[[(f, s, c) not in replaced or p.startswith("review.csv row ")
                   for f, s, c, p in zip(table["file"], table["sheet"], table["cell"], table["problem"])]]
    return pd.concat([table, pd.DataFrame(HAND_BUILT)], ignore_index=True).fillna("")
