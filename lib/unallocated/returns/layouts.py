"""Read the meaning of one sheet: which cells are counts, what each count is, and the rest.

A count's meaning comes from the labels around it, read the way a person reads a table:
 - its *row key*: the label text to its left in the same row ("Child protection", or a
   question such as "How many children ... have no allocated social worker?");
 - its *column key*: the heading above it, taken from the nearest header band (one or more
   heading rows; a merged "Allocated" over "Qualified" and "Other staff" is read into both);
 - a *section* heading (a row holding only "Looked after children"), then the sheet's name.
Row and column keys are merged, so case types as rows and case types as columns are the same
problem. A council column or date column in a header band gives each row its council or date
(compiled sheets, one row per council).

Every non-empty cell leaves with one status: "mapped" (it became a returns row), "label"
(a label, heading, title, note or checked total) or "issue" (reported in issues.csv). No cell
is left without one, which is what makes the nothing-lost accounting hold.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace

from unallocated.returns.dates import (
    MENTIONED,
    NEVER,
    STATED,
    date_mentions,
    date_role,
    dates_with_roles,
    find_date,
    parse_date,
)
from unallocated.returns.files import Sheet, cell_pos, cell_ref
from unallocated.returns.issues import extra
from unallocated.returns.labels import Label, classify, normalise, partial, reasons_in_note, roles_in_note
from unallocated.returns.letters import PLAINLY_NOT_COUNTS
from unallocated.returns.numbers import count_numbers
from unallocated.returns.markers import FOOTNOTED, number_from_cell, parse_count, split_value_note
from unallocated.returns.vocabulary import account
from unallocated.schema import UNSPECIFIED_DETAIL, allowed_details

__all__ = ["Record", "SheetResult", "read_sheet", "apply_reasons", "apply_roles", "withhold", "withhold_untied"]

MAPPED, LABEL, ISSUE = "mapped", "label", "issue"

# Sheets that hold instructions or notes only: every cell is prose, nothing is a count.
_PROSE_SHEETS = re.compile(r"instruction|guidance|read ?me|notes?$|cover|help|contents|"
                           r"definitions|about", re.I)
# Text that names a council in a title ("Return from Sunderland City Council").
_COUNCIL_WORDS = re.compile(r"council|borough|county|return from|response from|"
                            r"authority:|city of", re.I)
_PROSE_WORDS = 4  # a text cell of this many words or more is read as a note, not a label


@dataclass
class Record:
    """One count read from a cell, before the file's council, date and layer are added."""

    case_type: str
    category: str
    detail: str
    count: int | None
    qualifier: str
    sheet: str
    row: int
    col: int
    raw: str
    detail_source: str = "default"  # "heading" (a column or row said it), "note", "default"
    council_text: str | None = None  # from a council column, when the sheet is compiled
    council_ref: str | None = None
    date: str | None = None  # from a date column
    part_of: bool = False  # its row opens "of which": a part of the row above, which `_reconcile` checks

    @property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)


@dataclass
class Total:
    """A count that sums other counts: a grand total across case types, or 'Allocated'."""

    kind: str  # "grand" or "allocated"
    case_type: str | None
    category: str
    count: int | None
    qualifier: str
    sheet: str
    ref: str
    raw: str
    council_text: str | None = None


@dataclass
class SheetResult:
    name: str
    records: list[Record] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    status: dict[tuple[int, int], str] = field(default_factory=dict)
    issues: list[tuple] = field(default_factory=list)  # cell, raw, problem[, returns.issues.extra(...)]
    councils: list[tuple[str, str]] = field(default_factory=list)  # council text, cell
    dates: list[tuple[str, str, int]] = field(default_factory=list)  # ISO date, cell, strength (dates.date_role)
    # Prose cells (notes, titles): (cell, text, numbers a note used as reasons). Their other
    # numbers are read by `unallocated.returns.letters`, never dropped.
    prose: list[tuple[str, str, list[int]]] = field(default_factory=list)
    # Numbers that are plainly not counts (cell, number as written, what it is): the reader lists
    # them once per file (issues.csv kind `not_a_count`).
    not_counts: list[tuple[str, str, str]] = field(default_factory=list)

    def issue(self, pos: tuple[int, int] | None, raw: str, problem: str, more: dict | None = None) -> None:
        ref = cell_ref(*pos) if pos else ""
        self.issues.append((ref, raw, problem, *([more] if more else [])))
        if pos is not None:
            self.status[pos] = ISSUE


_ESTIMATED = re.compile(r"\bestimated?\b|\bestimates\b|\bapprox(?:imate|\.)?\b", re.I)


#: Sheet names the loaders give (a CSV, a letter's text, a PDF page, a Word table): not the council's words.
_LOADER_SHEET = re.compile(r"csv|text|page \d+(?: table \d+)?|table \d+|text box \d+|footnotes|endnotes|comments",
                           re.I)


def _strip_councils(text: str) -> str:
    """The text without the pieces of it that name a council ("Barnet - response to FOI request"
    -> "response to FOI request"): a council's name is who answered, not what a figure counts."""
    if not text or not re.search(r"[A-Za-z]{3}", text):
        return text
    return _strip_councils_cached(text)


@functools.lru_cache(maxsize=4096)
def names_a_council(piece: str) -> bool:
    """Whether the words are a council's name (any name the resolver takes)."""
    from unallocated.errors import CouncilNotFound
    from unallocated.sources.councils import resolve

    words = piece.strip(" -–—:;,.()[]")
    if not re.search(r"[A-Za-z]{3}", words):
        return False
    try:
        resolve(words, suggest=False)
        return True
    except (CouncilNotFound, LookupError):
        return False


#: A row that totals the council's own rows: "Surrey total", "Total for Surrey", "Surrey (all areas)".
_COUNCIL_TOTAL = re.compile(r"^\s*(?:(?P<a>.+?)\s+(?:total|\(all areas\)|all areas)|total\s+(?:for\s+)?(?P<b>.+?))\s*$", re.I)


def council_total_row(label: str) -> bool:
    """'Surrey total' beside area rows: the council's total, its name no word the figure needs."""
    m = _COUNCIL_TOTAL.match(label or "")
    return bool(m) and names_a_council(m.group("a") or m.group("b"))


@functools.lru_cache(maxsize=4096)
def _strip_councils_cached(text: str) -> str:
    pieces = re.split(r"(\s[-–—|/]\s|[:;,()\[\]])", text)
    kept = [p for p in pieces if not names_a_council(p)]
    # "Herefordshire, County of": a council named across pieces
    if len(kept) == len(pieces) and names_a_council(text.split(":")[0]):
        return text.split(":", 1)[1] if ":" in text else ""
    return "".join(kept)


@dataclass(frozen=True)
class _Why:
    text: str
    proposable: bool  # one reading is likely: offer it
    withhold: bool = True  # the figure is its category's, unread: keep an empty row (False: not a count)


#: A one-cell row that reads as a note rather than a section heading: a sentence, or a note's opening.
_NOTE_LIKE = re.compile(r"\.$|^(?:notes?|n\.?b\.?|please note|source)\b|^(?:\S+\s+){10,}", re.I)
_BREAKDOWN = re.compile(r"^\s*(?:of which|of whom|of these|including|incl\.?|inc\.?)\s*:?\s*(?=[A-Za-z])", re.I)
#: A row that names a team, service or unit: its figures are that team's caseload.
_TEAM = re.compile(r"\b(?:team|teams|service|unit|hub|pod|locality|office)\s*$", re.I)
#: Words that make a team's row a category after all ("Unallocated - held by duty team").
_CATEGORY_WORDS = re.compile(r"allocat|\bheld\b|\bwith\b|\bunder\b|\bby\b|\btotal\b", re.I)
#: A heading that names people ("Qualified social workers", "Social work assistants") ...
_PEOPLE = re.compile(r"\b(?:social workers|assistants|trainees|students|workers|staff|advisers|advisors|"
                     r"practitioners|officers|employees)\b", re.I)
#: ... and words that make it about the cases they hold.
_ALLOCATION = re.compile(r"allocat|\bheld\b|\bholding\b|\bcases?\b|caseload|\bwith\b", re.I)


@dataclass
class _Band:
    """Consecutive heading rows, and what each column's heading says."""

    first: int
    last: int
    text: dict[int, str]  # column -> composed heading text
    label: dict[int, Label]
    end: int = 10**9  # last row this band heads

    def kind(self, col: int) -> str | None:
        lab = self.label.get(col)
        return lab.kind if lab else None

    def is_value_column(self, col: int) -> bool:
        lab = self.label.get(col)
        return bool(lab and (lab.case_type or lab.category or lab.detail))


# Text that is a number gone wrong, not words: read where a count is, reported with its problem.
_NUMBERISH = re.compile(r"^\s*(?:[-−+(]?\s*\d[\d,.\s]*\)?\s*%?|#[A-Z/0-9]+[!?]?|#N/A|Err:\d+|"
                        r"\d+\s*(?:-|–|to)\s*\d+|between \d+ and \d+)\s*$", re.I)


def _has_figure(raw: str) -> bool:
    """Whether a cell writes a number (not only a mark: a row lettered 'C' is no suppressed figure)."""
    return bool(re.search(r"\d", str(raw)))


def _cell_kind(cell) -> str:
    value = cell.value
    if cell.problem:
        return "problem"
    if isinstance(value, (dt.date, dt.datetime)):
        return "date"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "value" if number_from_cell(value) else "problem"
    if number_from_cell(value):
        return "value"
    if isinstance(value, str):
        if parse_date(value):
            return "date"
        if split_value_note(value):
            return "mixed"
        if (_NUMBERISH.match(value) or FOOTNOTED.match(value.strip())) and parse_count(value)[2]:
            return "problem"
    return "text"


def _problem_of(cell) -> str:
    if cell.problem:
        return cell.problem
    return parse_count(cell.value)[2] or f"unrecognised value: {cell.raw!r}"


#: A note saying a blank cell means none ("A blank cell means nil", "blank = no cases").
BLANK_MEANS_NIL = re.compile(r"\bblank(?:\s+cells?)?\b[^.]{0,40}?(?:\bmeans?\b|=|\bindicates?\b|\bshows?\b)[^.]{0,30}?"
                             r"\b(?:nil|none|no cases|zero|0)\b", re.I)


def read_sheet(sheet: Sheet, blank_means_nil: bool = False) -> SheetResult:
    """Read one sheet. Never raises for content: what it cannot read becomes an issue. With
    `blank_means_nil` (the reply says a blank cell means none), every blank cell where the table
    has a meaning is an issue proposing 0, never 0 in the table."""
    res = SheetResult(sheet.name)
    if not sheet.unit and _PROSE_SHEETS.search(sheet.name.strip()) and not any(
            _cell_kind(c) in ("value", "mixed", "problem") for c in sheet.cells.values()):
        # Instructions or notes only. A date in instructions is an example, not this return's
        # snapshot date: not read. A sheet so named that holds numbers is read as any other.
        for pos in sheet.cells:
            res.status[pos] = LABEL
        return res
    listed = _case_list(sheet)
    if listed:
        # A list of children, one per row: a case list, not a table of counts. Which of them were
        # open on the snapshot date, and how each was held, is for a person to count, not the reader.
        n, column = listed
        res.issue(None, "", f"the sheet {sheet.name!r} lists {n:,} children or cases, one per row (their "
                            f"references in column {column}): a case list, not a table of counts, so nothing in it "
                            f"is read as a count; the counts it proposes (open cases: no close date) are for a "
                            f"person to check against the snapshot date and key in review.csv", extra("file"))
        for reading, rows in case_list_counts(sheet):
            res.issues.append(("", "", f"counted from the case list by its rule (a row with no close date is an "
                                       f"open case; its case type, whether allocated, the worker's role and the "
                                       f"reason, from their columns): {rows:,} row(s); not read; it would read as "
                                       f"{reading.case_type} {reading.category} {reading.detail} {reading.count}"
                                       .replace("  ", " ") + " (a proposed reading, for a person to confirm)",
                               extra("needs_reading", reading, f"case list {sheet.name!r}")))
        for pos in sheet.cells:
            res.status[pos] = LABEL
        return res
    _Reader(sheet, res, blank_means_nil).run()
    if sheet.unit:
        _read_prose(sheet, res)
    if sheet.hidden:
        _hide(sheet, res)
    elif sheet.hidden_rows or sheet.hidden_cols:
        _hide_cells(sheet, res)
    return res


#: A heading of a column that identifies a child or a case, one per row.
_ID_HEADING = re.compile(r"^\s*(?:(?:child|case|client|person|record|pupil)(?:'s|s)?[\s_-]*)?(?:ref(?:erence)?|id|"
                         r"identifier|no\.?|number|upn|ucn|nhs[\s_-]*number)\s*$", re.I)
_CASE_LIST_ROWS = 10


def _case_list(sheet: Sheet) -> tuple[int, str] | None:
    """(children listed, the column of their references) when a sheet is a list of children or
    cases, one per row: a heading row naming a reference or id column, then at least
    `_CASE_LIST_ROWS` rows each with a different reference and several other fields."""
    from openpyxl.utils import get_column_letter

    if sheet.unit:
        return None
    rows: dict[int, dict[int, str]] = {}
    for (r, c), cell in sheet.cells.items():
        rows.setdefault(r, {})[c] = str(cell.raw).strip()
    for r in sorted(rows):
        heads = rows[r]
        if len(heads) < 4:
            continue
        id_cols = [c for c, text in heads.items() if _ID_HEADING.search(text) and len(text) < 30]
        for c in id_cols:
            below = [rows[rr] for rr in sorted(rows) if rr > r]
            refs = [row.get(c, "") for row in below if len(row) >= 3]
            refs = [x for x in refs if x]
            if len(refs) >= _CASE_LIST_ROWS and len(set(refs)) == len(refs):
                return len(refs), get_column_letter(c)
    return None


_YES = re.compile(r"^(?:y|yes|true|1|allocated)$", re.I)
_NO = re.compile(r"^(?:n|no|false|0|unallocated|not allocated)$", re.I)


def case_list_counts(sheet: Sheet) -> list[tuple[Record, int]]:
    """The counts a case list gives by a documented rule, as proposals (never counts): a row is an
    open case when its close date column is empty; its case type, whether it is allocated (Y/N),
    the worker's role and the reason come from the columns whose headings name them. Per case type:
    the total, the cases with a qualified social worker, with other staff by role, and unallocated
    by reason. [] when the list has no column for the case type."""
    rows: dict[int, dict[int, str]] = {}
    for (r, c), cell in sheet.cells.items():
        rows.setdefault(r, {})[c] = str(cell.raw).strip()
    header_row = next((r for r in sorted(rows) if len(rows[r]) >= 4
                       and any(_ID_HEADING.search(x) for x in rows[r].values())), None)
    if header_row is None:
        return []
    heads = {c: normalise(x).replace(" ", "") for c, x in rows[header_row].items()}

    def column(*words: str) -> int | None:
        return next((c for c, h in heads.items() if any(w in h for w in words)), None)

    type_col = column("casetype", "legalstatus", "category", "type")
    allocated_col = column("allocated")
    role_col = column("workerrole", "role", "workertype", "worker")
    reason_col = column("reason")
    close_col = column("closedate", "enddate", "closed", "close")
    if type_col is None or allocated_col is None:
        return []
    counts: dict[tuple[str, str, str], int] = {}
    for r in sorted(rows):
        if r <= header_row or len(rows[r]) < 3:
            continue
        row = rows[r]
        if close_col is not None and row.get(close_col, ""):
            continue  # closed: not an open case
        case_type = classify(row.get(type_col, "")).case_type
        allocated = row.get(allocated_col, "")
        if case_type is None or not (_YES.match(allocated) or _NO.match(allocated)):
            return []  # a row the rule cannot read: propose nothing rather than a wrong sum
        keys = [(case_type, "total", "")]
        if _YES.match(allocated):
            role = classify(row.get(role_col, "")) if role_col is not None else Label()
            if role.category == "allocated_qualified":
                keys.append((case_type, "allocated_qualified", ""))
            elif role.category == "allocated_other":
                keys.append((case_type, "allocated_other", role.detail or "other"))
            else:
                return []
        else:
            reasons = account(row.get(reason_col, "")).reasons if reason_col is not None else ()
            keys.append((case_type, "unallocated", reasons[0] if len(reasons) == 1 else "not_given"))
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return [(Record(ct, cat, det, n, "exact", sheet.name, 0, 0, f"{n} rows"), n)
            for (ct, cat, det), n in sorted(counts.items())]


def _hide_cells(sheet: Sheet, res: SheetResult) -> None:
    """A count in a hidden row or column is never read (a hidden column often holds last year's
    figures beside this year's): it is an issue naming its cell, with the reading it would have."""
    from openpyxl.utils import get_column_letter

    def where(row: int, col: int) -> str | None:
        if col in sheet.hidden_cols:
            return f"in a hidden column {get_column_letter(col)}"
        if row in sheet.hidden_rows:
            return f"in a hidden row {row}"
        return None

    _not_read(res, where, " (a hidden row or column often holds another year's figures)")


def _hide(sheet: Sheet, res: SheetResult) -> None:
    """A hidden sheet is never read as this round's return (councils leave last year's figures
    in one): each count it would have given is an issue naming its cell, with that reading."""
    res.issues.insert(0, ("", "", f"hidden sheet {sheet.name!r}: not read as this return (a "
                                  f"hidden sheet often holds another year's figures); its "
                                  f"counts are listed as issues"))
    _not_read(res, lambda row, col: f"on hidden sheet {sheet.name!r}")
    res.councils.clear()
    res.dates.clear()
    res.prose.clear()


def _not_read(res: SheetResult, where, why: str = "") -> None:
    """Each count and total at a place `where(row, col)` names (None: read as usual) becomes an
    issue with the reading it would have had, and leaves the records."""
    kept = []
    for rec in res.records:
        place = where(rec.row, rec.col)
        if place is None:
            kept.append(rec)
            continue
        what = f"{rec.case_type} {rec.category} {rec.detail}".strip()
        shown = rec.count if rec.count is not None else rec.qualifier
        res.issues.append((rec.ref, rec.raw, f"{place}: would read as {what} {shown}; not read{why}"))
        res.status[(rec.row, rec.col)] = ISSUE
    res.records[:] = kept
    totals = []
    for total in res.totals:
        pos = cell_pos(total.ref)
        place = where(*pos)
        if place is None:
            totals.append(total)
            continue
        res.issues.append((total.ref, total.raw, f"{place}: a total; not read"))
        res.status[pos] = ISSUE
    res.totals[:] = totals


def _read_prose(sheet: Sheet, res: SheetResult) -> None:
    """A letter's text (sheet.unit set: a .docx, a PDF page, a .txt letter): its lines or
    paragraphs (the rows of one cell) are read by `unallocated.returns.letters`; a number there
    is a count only when its sentence is fully explained, else an issue naming the paragraph or
    line where the sentence starts, with a proposed reading where one is likely."""
    from unallocated.returns.letters import read_letter

    rows: dict[int, list[tuple[int, int]]] = {}
    for pos in sheet.cells:
        rows.setdefault(pos[0], []).append(pos)
    paragraphs: list[tuple[tuple[int, int], str]] = []
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    open_para: list = []
    widest = max((len(sheet.cells[p[0]].raw.strip()) for p in rows.values() if len(p) == 1),
                 default=0)
    for r in sorted(rows):
        if len(rows[r]) != 1 or res.status.get(rows[r][0]) == MAPPED:
            open_para = []
            continue
        pos = rows[r][0]
        text = sheet.cells[pos].raw.strip()
        # A wrapped line continues the sentence above: it starts in lower case, or the line
        # above ran (nearly) the full width without ending its sentence. A title does neither.
        if sheet.unit == "line" and open_para and open_para[0] == r - 1 and not _LIST_ITEM.match(text) and (
                text[:1].islower() or open_para[1] >= 0.8 * widest):
            start, prev = paragraphs[-1]
            paragraphs[-1] = (start, f"{prev} {text}")
            members[start].append(pos)
        else:
            paragraphs.append((pos, text))
            members[pos] = [pos]
        ended = sheet.unit != "line" or re.search(r"[.!?:]$", text)
        open_para = [] if ended else [r, len(text)]
    # An e-mail's quoted lines (">") go to the letter reader too: their questions give the answers
    # below them their meaning, and their figures (an earlier answer a correction leaves standing)
    # are proposals at most, never counts.
    for f in read_letter(paragraphs):
        pos = f.pos
        if f.counted:
            r = f.reading
            explicit = r.detail not in ("", "not_given", "other")
            res.records.append(Record(r.case_type, r.category, r.detail, r.count, r.qualifier, sheet.name,
                                      pos[0], pos[1], f.sentence, "heading" if explicit else "default"))
            res.status[pos] = MAPPED
        elif f.not_a_count:
            res.not_counts.append((cell_ref(*pos), f.number, f.not_a_count))
        else:
            _prose_issue(res, pos, f.sentence, f.problem, extra("needs_reading", f.reading, f.sentence))
    # Every line of a paragraph shares its first line's status; words with no figure are prose.
    for start, lines in members.items():
        res.status.setdefault(start, LABEL)
        for pos in lines[1:]:
            res.status[pos] = LABEL if res.status[start] == MAPPED else res.status[start]


#: A key to a table's symbols: "- = nil", "* : fewer than five", "x denotes between 1 and 5".
_LEGEND = re.compile(r"^\s*(?:key\s*:?\s*)?['\"]?(?P<sym>-|–|—|\*|x|\.\.|c)['\"]?\s*(?:=|:|means|denotes|indicates|is)\s*"
                     r"(?P<meaning>[^=]{2,60})$", re.I)
_LEGEND_NIL = re.compile(r"(?:nil|none|zero|0|no cases?|nothing)\.?", re.I)
_LEGEND_FEWER = re.compile(r"^(?:fewer|less)\s+than\s+(\d{1,2})\b|^<\s*(\d{1,2})\b|^between\s+1\s+and\s+(\d{1,2})\b", re.I)

#: A line that opens an item of a list ("a) at 31 March 2018 – 694", "(ii) ..."): never the
#: wrapped end of the line above, though it starts in lower case.
_LIST_ITEM = re.compile(r"^\s*\(?(?:[a-h]|i{1,3}|iv|v|vi{0,3})\)\s|^\s*[a-h]\.\s")


def _prose_issue(res: SheetResult, pos: tuple[int, int], text: str, problem: str, more: dict | None = None) -> None:
    """An issue on a paragraph or line; one that was only a label becomes an issue (one that
    also gave a count stays mapped)."""
    res.issues.append((cell_ref(*pos), text, problem, *([more] if more else [])))
    if res.status.get(pos) in (None, LABEL):
        res.status[pos] = ISSUE


class _Reader:
    def __init__(self, sheet: Sheet, res: SheetResult, blank_means_nil: bool = False):
        self.blank_means_nil = blank_means_nil
        self._constant_columns: dict[int, bool] = {}  # `_constant_column`, computed once per column
        self.sheet = sheet
        self.res = res
        self.cells = sheet.cells
        self.kind = {pos: _cell_kind(c) for pos, c in self.cells.items()}
        # A figure in a merged range (E6:E7) stands for several rows or columns at once (CP and
        # LAC together, say): which one it belongs to is not sure, so it is not read.
        for r1, c1, r2, c2 in sheet.merges:
            top = (r1, c1)
            if (r2 > r1 or c2 > c1) and self.kind.get(top) in ("value", "mixed"):
                span = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
                self.cells[top] = replace(self.cells[top], problem=(
                    f"a figure in merged cells {span}: it stands for several rows or columns at once, "
                    f"so which case type or category it counts is not sure"))
                self.kind[top] = "problem"
        # Heading text at every position a merged range covers (key reading only: the
        # covered cells are empty and are not counted as cells).
        self.text_at: dict[tuple[int, int], str] = {
            pos: c.raw for pos, c in self.cells.items() if self.kind[pos] == "text"}
        for r1, c1, r2, c2 in sheet.merges:
            top = self.text_at.get((r1, c1))
            if top is None:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.text_at.setdefault((r, c), top)
        self.merged_wide = {(r1, c1) for r1, c1, r2, c2 in sheet.merges if c2 > c1}
        self.rows: dict[int, list[int]] = {}
        for r, c in sorted(self.cells):
            self.rows.setdefault(r, []).append(c)
        self._labels: dict[str, Label] = {}
        # In a letter (a sheet of paragraphs or lines), a row of one cell is prose, read by
        # `_read_prose`; rows of several cells (a table laid out in a PDF) are read here.
        self.prose_rows = {r for r, cols in self.rows.items() if len(cols) == 1} if sheet.unit else set()

    def label(self, text: str) -> Label:
        if text not in self._labels:
            self._labels[text] = classify(text)
        return self._labels[text]

    # -- structure -------------------------------------------------------------------------

    def run(self) -> None:
        self.meta_rows = self._metadata()
        self.bands = self._bands()
        self.sections = self._sections()
        self.sheet_label = self.label(self.sheet.name)
        self._values()
        self._notes_and_rest()
        self._legends()

    def _legends(self) -> None:
        """A key the reply gives to its symbols ("- = nil", "* fewer than five"): a cell holding only
        that symbol, which the reader kept with no count, gets the key's reading as a proposal,
        naming the key; never a count (the key may speak of another table)."""
        keys: dict[str, tuple[int, str | None, str, str]] = {}
        for pos, cell in self.cells.items():
            m = _LEGEND.match(cell.raw)
            if not m:
                continue
            meaning = m.group("meaning").strip()
            bound = _LEGEND_FEWER.search(meaning)
            if _LEGEND_NIL.fullmatch(meaning):
                keys[m.group("sym").lower()] = (0, "exact", cell.raw.strip(), cell_ref(*pos))
            elif bound:
                below = next(int(g) for g in bound.groups() if g)
                keys[m.group("sym").lower()] = (below - 1, "at_most", cell.raw.strip(), cell_ref(*pos))
        if not keys:
            return
        for rec in self.res.records:
            key = keys.get(str(rec.raw).strip().lower())
            if key is None or rec.count is not None:
                continue
            count, qualifier, text, where = key
            proposal = Record(**{**rec.__dict__, "count": count, "qualifier": qualifier})
            self.res.issue((rec.row, rec.col), rec.raw, f"{rec.raw!r}: the reply's key ({where}: {text!r}) reads it as "
                           f"{'0' if count == 0 else f'at most {count}'}; kept with no count until a person confirms it",
                           extra("needs_reading", proposal, text))

    def _metadata(self) -> set[int]:
        """'Council:' | name and 'Snapshot date:' | date pairs, titles naming a council, and every
        date a text gives, with how strongly it is the date the figures are for (`dates.date_role`):
        'Snapshot date:' beats 'as at' in a note, which beats the date a request asked for; a run
        date or the letter's own date never counts."""
        meta_rows: set[int] = set()
        for r, cols in self.rows.items():
            if len(cols) == 2 and self.kind[(r, cols[0])] == "text":
                left, right = (r, cols[0]), (r, cols[1])
                kind = self.label(self.cells[left].raw).kind
                if kind == "council" and self.kind[right] in ("text", "value"):
                    self.res.councils.append((self.cells[right].raw, cell_ref(*right)))
                    self.res.status[left] = self.res.status[right] = LABEL
                    meta_rows.add(r)
                elif kind == "date" or (self.kind[right] == "date" and date_mentions(self.cells[left].raw) == []
                                        and re.search(r"\b(?:date|as at|as of|ending|position|snapshot|run)\b",
                                                      self.cells[left].raw, re.I)):
                    iso = parse_date(self.cells[right].value) or find_date(self.cells[right].raw)
                    self.res.status[left] = LABEL
                    strength = STATED if kind == "date" else date_role(self.cells[left].raw + " ")
                    if iso:
                        if strength > NEVER:
                            self.res.dates.append((iso, cell_ref(*right), strength))
                        self.res.status[right] = LABEL
                    else:
                        self.res.issue(right, self.cells[right].raw,
                                       "snapshot date not recognised")
                    meta_rows.add(r)
        for pos, cell in self.cells.items():
            if pos in self.res.status:
                continue
            if self.kind[pos] == "date" and isinstance(cell.value, (dt.date, dt.datetime)):
                left = self.cells.get((pos[0], pos[1] - 1))
                if left is not None and self.kind[(pos[0], pos[1] - 1)] == "text":
                    strength = date_role(left.raw + " ")
                    if strength > MENTIONED:
                        self.res.dates.append((parse_date(cell.value), cell_ref(*pos), strength))
                continue
            if self.kind[pos] != "text":
                continue
            if len(self.rows[pos[0]]) == 1 and _COUNCIL_WORDS.search(cell.raw):
                self.res.councils.append((cell.raw, cell_ref(*pos)))
                self.res.status[pos] = LABEL
                self.res.prose.append((cell_ref(*pos), cell.raw, []))
            text, within = cell.raw, None
            below = (pos[0] + 1, pos[1])
            if self.sheet.unit == "line" and len(self.rows[pos[0]]) == 1 and below in self.cells \
                    and len(self.rows.get(below[0], [])) == 1 and not re.search(r"[.!?:]\s*$", cell.raw):
                # a letter's line goes on below it: a date or its sentence may wrap ("on Friday 29
                # October" / "2010 and show the cases open on that day")
                text, within = f"{cell.raw} {self.cells[below].raw}", len(cell.raw)
            found = [(iso, s) for iso, s in dates_with_roles(text, holds_figures=bool(count_numbers(cell.raw)),
                                                             within=within) if s > NEVER]
            for iso, strength in found:
                self.res.dates.append((iso, cell_ref(*pos), strength))
            if found and re.search(r"\b(as at|as of|snapshot|at)\b", cell.raw, re.I):
                self.res.status[pos] = LABEL
        return meta_rows

    def _is_header_row(self, r: int) -> bool:
        if r in self.meta_rows:
            return False
        cols = self.rows[r]
        if any(self.kind[(r, c)] in ("value", "mixed", "problem") for c in cols):
            return False
        labels = [self.label(self.cells[(r, c)].raw) for c in cols if self.kind[(r, c)] == "text"]
        recognised = [lab for lab in labels if lab.recognised]
        if len(recognised) < 2:
            return False
        if account(self.cells[(r, cols[0])].raw).heading == "notes" and any(
                self.kind[(rr, c)] == "value" for rr in self.rows if rr < r for c in self.rows[rr]):
            return False  # "Reason not allocated | held by team manager | ...": notes on the counts above
        # A heading row names several columns along one axis (two case types, two categories)
        # or heads a council/date/notes column. One case type beside one category is a data
        # row's key whose count is missing or unreadable ("see covering letter"), not headings.
        case_types = sum(1 for lab in recognised if lab.case_type)
        categories = sum(1 for lab in recognised if lab.category)
        structural = sum(1 for lab in recognised if lab.kind)
        return case_types >= 2 or categories >= 2 or structural >= 1

    def _bands(self) -> list[_Band]:
        header_rows = [r for r in sorted(self.rows) if self._is_header_row(r)]
        groups: list[list[int]] = []
        for r in header_rows:
            if groups and r == groups[-1][-1] + 1:
                groups[-1].append(r)
            else:
                groups.append([r])
        bands = []
        for rows in groups:
            # A row of spanning headings just above ("Allocated" merged over two columns).
            above = rows[0] - 1
            if above in self.rows and above not in self.meta_rows and all(
                    self.kind[(above, c)] == "text" for c in self.rows[above]) and any(
                    (above, c) in self.merged_wide for c in self.rows[above]):
                rows = [above, *rows]
            cols = sorted({c for (r, c) in self.text_at if r in rows})
            text: dict[int, str] = {}
            for c in cols:
                parts = []
                for i, r in enumerate(rows):
                    t = self.text_at.get((r, c))
                    if t is None and i < len(rows) - 1 and self.text_at.get((rows[-1], c)):
                        # Unmerged spanning heading: a blank upper cell over a sub-heading
                        # belongs to the nearest heading on its left.
                        for cc in range(c - 1, 0, -1):
                            if (r, cc) in self.text_at:
                                t = self.text_at[(r, cc)]
                                break
                    if t and (not parts or parts[-1] != t):
                        parts.append(t)
                text[c] = " ".join(parts)
            bands.append(_Band(rows[0], rows[-1], text, {c: self.label(t) for c, t in
                                                          text.items()}))
            for r in rows:
                for c in self.rows.get(r, []):
                    self.res.status.setdefault((r, c), LABEL)
        # A band heads the rows below it until the next band, or a blank row after its data.
        for i, band in enumerate(bands):
            stop = bands[i + 1].first - 1 if i + 1 < len(bands) else max(self.rows)
            seen_data = False
            for r in range(band.last + 1, stop + 1):
                if r not in self.rows:
                    if seen_data:
                        stop = r - 1
                        break
                    continue
                seen_data = True
            band.end = stop
        return bands

    def _metadata_refs(self) -> set[str]:
        return {ref for _t, ref in self.res.councils} | {ref for _d, ref, _s in self.res.dates}

    def _band_for(self, r: int) -> _Band | None:
        for band in self.bands:
            if band.last < r <= band.end:
                return band
        return None

    def _sections(self) -> dict[int, Label]:
        """Rows holding one label alone ("Looked after children") head the rows below."""
        current = Label()
        current_text = ""
        out: dict[int, Label] = {}
        self.section_text: dict[int, str] = {}
        band_rows = {r for b in self.bands for r in range(b.first, b.last + 1)}
        for r in sorted(self.rows):
            cols = self.rows[r]
            if r not in band_rows and r not in self.meta_rows and len(cols) == 1 \
                    and self.kind[(r, cols[0])] == "text":
                text = self.cells[(r, cols[0])].raw
                lab = self.label(text)
                # a sentence under a table ("Unallocated children in need cases were held by the
                # duty team.") is a note on it, not the heading of a section
                if (lab.case_type or lab.category) and not _NOTE_LIKE.search(text.strip()):
                    current = lab
                    # a title (naming the council or the date) is not a section's heading
                    if cell_ref(r, cols[0]) not in self._metadata_refs():
                        current_text = self.cells[(r, cols[0])].raw
                    self.res.status.setdefault((r, cols[0]), LABEL)
            out[r] = current
            self.section_text[r] = current_text
        return out

    # -- counts ----------------------------------------------------------------------------

    def _constant_column(self, col: int) -> bool:
        """Whether a column holds one value on every row it fills (a council code down a long table)."""
        known = self._constant_columns
        if col not in known:
            values = {self.cells[(r, cc)].raw.strip() for (r, cc) in self.cells
                      if cc == col and self.kind[(r, cc)] == "value"}
            known[col] = len(values) == 1
        return known[col]

    def _row_key(self, r: int, c: int, band: _Band | None) -> tuple[str, list[tuple[int, int]]]:
        parts, used = [], []
        after_figure = False
        for cc in self.rows.get(r, []):
            if cc >= c:
                break
            pos = (r, cc)
            if band and band.kind(cc) in ("council", "date", "notes"):
                continue  # a code or date column leading a long table is no figure
            if self.kind[pos] in ("value", "mixed") and _has_figure(self.cells[pos].raw):
                after_figure = after_figure or not self._constant_column(cc)  # a code column ('331' on every row) is no figure
                continue
            if self.kind[pos] != "text":
                continue
            if band and band.is_value_column(cc):
                continue
            if after_figure:
                # a role or reason written after a figure describes that figure ("27 | Leaving care
                # personal advisers | 6"), never the figures further along its row
                lab = self.label(self.cells[pos].raw)
                if lab.detail and not lab.case_type:
                    continue
            parts.append(self.cells[pos].raw)
            used.append(pos)
        return " ".join(parts), used

    def _values(self) -> None:
        for pos in sorted(self.cells):
            if pos in self.res.status or self.kind[pos] not in ("value", "mixed", "problem") \
                    or pos[0] in self.prose_rows:
                continue
            r, c = pos
            band = self._band_for(r)
            if band and band.kind(c) in ("council", "date", "notes"):
                continue  # read with its row
            self._value(pos, band)
        self._blanks()

    def _blanks(self) -> None:
        """A blank cell where a table asks for a count is not supplied, never 0: an empty row and
        an issue, as for a cell that cannot be read. Asked for: its column's heading names a
        category with no detail, and its row gave counts in two of the band's other such columns."""
        covered = {(r, c) for r1, c1, r2, c2 in self.sheet.merges
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        read_in: dict[int, set[int]] = {}
        meanings_in: dict[int, set[tuple]] = {}
        for rec in self.res.records:
            read_in.setdefault(rec.row, set()).add(rec.col)
            meanings_in.setdefault(rec.row, set()).add((rec.case_type, rec.category, rec.detail))
        for band in self.bands:
            # A blank under a breakdown heading ("Unallocated: awaiting closure") commonly means
            # none of that kind, and the row's own figures still stand; a blank under one of the
            # four questions themselves ("Unallocated") leaves the question unanswered.
            columns = [c for c, lab in band.label.items() if lab.category and not lab.detail and not lab.kind]
            if self.blank_means_nil:  # "A blank cell means nil": any column of the table, any row of it
                columns = [c for c, lab in band.label.items() if (lab.category or lab.case_type) and not lab.kind]
            for r, cols in read_in.items():
                if not band.last < r <= band.end or len(cols & set(columns)) < (1 if self.blank_means_nil else 2):
                    continue
                for c in columns:
                    pos = (r, c)
                    if pos in self.cells or pos in covered or c in cols:
                        continue
                    meaning = self._meaning_at(pos, band)
                    if meaning is None or not meaning[0] or meaning[4]:  # no case type, or a total
                        continue
                    case_type, category, detail, explicit, _total = meaning
                    if (case_type, category, detail) in meanings_in.get(r, set()):
                        continue  # the row answers it in another column ("actual" beside "estimated")
                    council, council_ref, date = self._row_council(r, band)
                    self.res.records.append(Record(case_type, category, detail, None, "not_supplied",
                                                   self.sheet.name, r, c, "",
                                                   "heading" if explicit else "default", council,
                                                   council_ref, date))
                    if self.blank_means_nil:
                        proposal = Record(case_type, category, detail, 0, "exact", "", 0, 0, "")
                        self.res.issues.append((cell_ref(*pos), "", "a blank cell, which the reply says means none: "
                                                "kept as not_supplied, 0 proposed for a person to confirm",
                                                extra("needs_reading", proposal, "blank cell means nil")))
                        continue
                    self.res.issues.append((cell_ref(*pos), "", "a blank cell where the table asks for "
                                                                "a count: kept as not_supplied, never 0"))

    def _row_council(self, r: int, band: _Band | None) -> tuple[str | None, str | None,
                                                                  str | None]:
        council = ref = date = None
        if band:
            for cc in self.rows.get(r, []):
                kind = band.kind(cc)
                cell = self.cells[(r, cc)]
                if kind == "council" and council is None:
                    council, ref = cell.raw, cell_ref(r, cc)
                    self.res.status.setdefault((r, cc), LABEL)
                elif kind == "date" and date is None:
                    date = parse_date(cell.value) or find_date(cell.raw)
                    if date:
                        self.res.status.setdefault((r, cc), LABEL)
        return council, ref, date

    def _value(self, pos: tuple[int, int], band: _Band | None) -> None:
        r, c = pos
        cell = self.cells[pos]
        key_text, key_cells = self._row_key(r, c, band)
        row_lab = self.label(key_text) if key_text else Label()
        col_lab = band.label.get(c, Label()) if band else Label()
        meaning, problem = _merge(row_lab, col_lab, self.sections.get(r, Label()),
                                  self.sheet_label)
        note = None
        value_text: object = cell.value
        if self.kind[pos] == "mixed":
            if meaning is None:
                return  # a sentence that starts with a number, not a count: read as text
            value_text, note = split_value_note(cell.raw)
        for kp in key_cells:
            if row_lab.recognised:
                self.res.status.setdefault(kp, LABEL)
        if problem:
            self.res.issue(pos, cell.raw, problem if self.kind[pos] != "problem"
                           else f"{_problem_of(cell)}; {problem}")
            return
        rate_heading = self._rate_heading(pos, band) if meaning is not None else ""
        if rate_heading:
            # A column or row of rates ("% unallocated") holds no count, even a whole number:
            # each cell is listed with what it is, and no row stands beside the real count.
            self.res.not_counts.append((cell_ref(*pos), cell.raw, f"in a column or row of {rate_heading}"))
            self.res.status[pos] = ISSUE
            return
        if self.kind[pos] == "problem":
            self._unreadable_count(pos, meaning, band, _problem_of(cell))
            return
        count, qualifier, parse_problem = parse_count(value_text)
        if parse_problem:
            self._unreadable_count(pos, meaning, band, parse_problem)
            return
        if qualifier == "exact" and any(_ESTIMATED.search(h) for h in self._headings(r, c, band) if h):
            qualifier = "approx"  # under an "(estimated)" heading: about that many, not exactly
        council, council_ref, date = self._row_council(r, band)
        case_type, category, detail, explicit, total_kind = meaning
        why, texts = self._unexplained(r, c, band, key_text, note, meaning)
        if why:
            grounds = " | ".join(t for t in texts if t)
            proposal = (Record(case_type, category, detail, count, qualifier, self.sheet.name, r, c, cell.raw)
                        if case_type and not total_kind and why.proposable else None)
            problem = f"not read: {why.text}" + (
                f"; it would read as {case_type} {category} {detail if explicit else ''} {count}".replace("  ", " ")
                + " (a proposed reading, for a person to confirm)" if proposal else "")
            if case_type and not total_kind and why.withhold:
                # The figure stays as a row with no number: its case type has a part nobody can
                # read yet, so no total counts it as 0 (or as its digits).
                self.res.records.append(Record(case_type, category, detail, None, "not_supplied", self.sheet.name,
                                               r, c, cell.raw, "heading" if explicit else "default", council,
                                               council_ref, date))
                self.res.status[pos] = MAPPED
                self.res.issues.append((cell_ref(*pos), cell.raw, f"{problem}; kept as not_supplied",
                                        extra("needs_reading", proposal, grounds)))
            else:
                self.res.issue(pos, cell.raw, problem, extra("needs_reading", proposal, grounds))
            return
        if total_kind:
            self.res.totals.append(Total(total_kind, case_type, category, count, qualifier,
                                         self.sheet.name, cell_ref(*pos), cell.raw, council))
            self.res.status[pos] = LABEL
            return
        rec = Record(case_type, category, detail, count, qualifier, self.sheet.name, r, c,
                     cell.raw, "heading" if explicit else "default", council, council_ref, date,
                     part_of=bool(_BREAKDOWN.match(key_text or "")))
        self.res.records.append(rec)
        self.res.status[pos] = MAPPED
        if note:
            problem = apply_reasons(self.res.records, [rec], reasons_in_note(note))
            apply_roles(self.res.records, [rec], [(None, role, n) for _ct, role, n in roles_in_note(note)])
            if problem:
                self.res.issues.append((cell_ref(*pos), cell.raw, problem))

    # -- everything else -------------------------------------------------------------------

    def _notes_and_rest(self) -> None:
        for pos in sorted(self.cells):
            if pos in self.res.status or pos[0] in self.prose_rows:
                continue
            r, c = pos
            cell = self.cells[pos]
            kind = self.kind[pos]
            band = self._band_for(r)
            row_records = [x for x in self.res.records if x.row == r]
            in_notes_col = bool(band and band.kind(c) == "notes")
            right_of_values = (bool(row_records) and c > max(x.col for x in row_records)
                               and not (band and band.is_value_column(c)))
            words = len(re.findall(r"[A-Za-z]{2,}", cell.raw))
            if kind in ("text", "mixed") and not row_records:
                # A row of notes under the counts ("Reason not allocated | held by team manager |
                # | awaiting transfer"): each cell speaks for the count above it in its column.
                # (its label is the row's first cell: the cells beside it are the other columns' notes)
                key_cells = self._row_key(r, c, band)[1]
                key_text = self.cells[key_cells[0]].raw if key_cells else ""
                above = [x for x in self.res.records if x.col == c and x.row < r
                         and (band is None or x.row >= band.last)]
                if key_text and account(key_text).heading == "notes" and above:
                    # ... the count of the category it speaks of: a role for the other staff's row,
                    # a reason for the unallocated one, the nearest above otherwise
                    self.res.status[pos] = LABEL
                    lab = self.label(cell.raw)
                    fits = [x for x in above if lab.category and x.category == lab.category]
                    self._attach_note(pos, cell.raw, [max(fits or above, key=lambda x: x.row)])
                    continue
            if kind in ("text", "mixed") and (in_notes_col or right_of_values):
                self.res.status[pos] = LABEL
                self._attach_note(pos, cell.raw, row_records)
                continue
            if band and band.kind(c) in ("council", "date"):
                self.res.status[pos] = LABEL  # a council or date column, in a row of no counts
                continue
            if kind == "date":
                meaning = self._meaning_at(pos, band)
                if meaning is not None:
                    self._unreadable_count(pos, meaning, band, (
                        f"a date ({cell.raw}) where a count was asked for: it may be a range "
                        f"such as 1-5 that a spreadsheet turned into a date"))
                    continue
                self.res.issue(pos, cell.raw, "a date that is not the snapshot date of a "
                                              "return (not next to a 'Snapshot date' label)")
                continue
            if kind == "value":
                self.res.issue(pos, cell.raw, "a value with no label: no case type or "
                                              "category for it in its row, column or section")
                continue
            if self._in_value_position(pos, band):
                # Where a count was asked for, words are a problem to report, not a note.
                self._unreadable_count(pos, self._meaning_at(pos, band), band,
                                       f"unrecognised value: {cell.raw!r}")
                continue
            if kind == "mixed":  # "1 (family support worker)": a figure, even with no place
                self.res.issue(pos, cell.raw, f"a figure with words ({cell.raw!r}) where the reader "
                                              f"finds no count asked for: not read; key it in review.csv "
                                              f"if it answers the request")
                continue
            if words >= _PROSE_WORDS:
                self.res.status[pos] = LABEL
                self._attach_note(pos, cell.raw, row_records)
            elif self.label(cell.raw).recognised:
                self.res.status[pos] = LABEL
            else:
                self.res.issue(pos, cell.raw, f"unrecognised text: {cell.raw!r}")

    def _meaning_at(self, pos: tuple[int, int], band: _Band | None):
        """What a count in this cell would mean (None when its labels do not say)."""
        r, c = pos
        key_text, _ = self._row_key(r, c, band)
        if not key_text and not (band and band.is_value_column(c)):
            return None
        row_lab = self.label(key_text) if key_text else Label()
        col_lab = band.label.get(c, Label()) if band else Label()
        if not (row_lab.recognised or (band and band.is_value_column(c))):
            return None
        meaning, _problem = _merge(row_lab, col_lab, self.sections.get(r, Label()),
                                   self.sheet_label)
        return meaning

    def _unexplained(self, r: int, c: int, band: _Band | None, key_text: str, note: str | None,
                     meaning) -> tuple[_Why | None, list[str]]:
        """Why a figure's labels do not explain it (None when they do), and those labels: its row's
        label, its column's heading, its section heading, the sheet's name and a note in its cell.
        Every word must be one the vocabulary knows; none may say the figure includes another, is
        relative to another, or is not a count of open cases; the labels together name at most one
        case type; and a role or 'qualified social worker' heading must be about cases allocated,
        not a count of the staff themselves."""
        # In a table, a row opening "of which:" is a part of the row above, which `_reconcile`
        # checks against its subtotal: the words say where the row sits, not what it counts.
        key_text = _BREAKDOWN.sub("", key_text)
        if council_total_row(key_text):
            key_text = "Total"  # "Surrey total": the council's name is who answered
        texts = [key_text, band.text.get(c, "") if band else "", _strip_councils(self.section_text.get(r, "")),
                 "" if _LOADER_SHEET.fullmatch(self.sheet.name) else _strip_councils(self.sheet.name), note or ""]
        accs = [account(t) for t in texts if t]
        reasons = [a.why_not() for a in accs if a.why_not()]
        proposable = not any(kind in ("includes", "not_a_count") for a in accs for kind, _m, _w in a.blockers)
        types = list(dict.fromkeys(ct for a in accs for ct in a.case_types if ct not in a.excluded))
        if len(types) > 1:
            reasons.append(f"its labels name {len(types)} case types ({', '.join(types)})")
            proposable = False
        case_type, category = meaning[0], meaning[1]
        if key_text and _TEAM.search(key_text.strip()) and not _CATEGORY_WORDS.search(key_text) \
                and self.label(key_text).category != "unallocated":  # "transferring between teams" is a reason
            # "Leaving Care Team", "Family Support & Child Protection North": a team's row of a table by
            # team, whose name sounds like a role or a case type but says whose caseload it is
            return _Why(f"the row {key_text.strip()!r} is a team's (a table by team): its figures are that "
                        f"team's caseload, not what the council's figure counts", False), texts
        if category in ("allocated_qualified", "allocated_other"):
            named_by = [t for t in texts[:2] if t and self.label(t).category in (category, "allocated_other")]
            if named_by and all(_PEOPLE.search(t) and not _ALLOCATION.search(t) for t in named_by) \
                    and not self._beside_case_counts(r, band):
                return _Why(f"the heading {named_by[0]!r} counts staff, not the cases allocated to them (no "
                            f"heading beside it counts cases: total, unallocated)", False, False), texts
        if not reasons:
            return None, texts
        return _Why("; ".join(dict.fromkeys(reasons)), proposable), texts

    def _beside_case_counts(self, r: int, band: _Band | None) -> bool:
        """Whether the figure's table counts cases: a heading of its band, or a row label in it,
        names the total of open cases or the unallocated ones ("Other staff" beside "Total open"
        and "Unallocated" holds cases; beside "Average caseload" and "FTE", people)."""
        labels = list(band.text.values()) if band else []
        rows = range(band.last + 1, band.end + 1) if band else sorted(self.rows)
        labels += [self._row_key(rr, 10**6, band)[0] for rr in rows if rr in self.rows]
        return any(self.label(t).category in ("total", "unallocated") and account(t).explained
                   for t in labels if t)

    def _rate_heading(self, pos: tuple[int, int], band: _Band | None) -> str:
        """What a cell's column or row heading says it holds when that is plainly not a count of
        cases (rates, changes since last year, staff, averages, money, lengths of time), with the
        heading; else ''."""
        for heading in self._headings(*pos, band):
            if not heading:
                continue
            for kind, means, _words in account(heading).blockers:
                if kind == "not_a_count" and means in PLAINLY_NOT_COUNTS:
                    return f"{means} ({' '.join(str(heading).split())!r})"
        return ""

    def _headings(self, r: int, c: int, band: _Band | None) -> tuple[str, str, str]:
        """What heads a cell: its band's column heading, its row's label, the words above it."""
        return (band.text.get(c, "") if band else ""), self._row_key(r, c, band)[0], self._text_above(r, c)

    def _text_above(self, r: int, c: int) -> str:
        """The first words above a cell in its column, past any numbers: a column's heading even
        where the reader did not take its row for a heading ("Change since last year")."""
        for rr in range(r - 1, 0, -1):
            cell = self.cells.get((rr, c))
            if cell is None or self.kind[(rr, c)] in ("value", "date"):
                continue
            raw = str(cell.raw)
            if re.search(r"[A-Za-z]{2,}", raw):
                return raw
        return ""

    def _in_value_position(self, pos: tuple[int, int], band: _Band | None) -> bool:
        return self._meaning_at(pos, band) is not None

    def _unreadable_count(self, pos: tuple[int, int], meaning, band: _Band | None,
                          problem: str) -> None:
        """A cell where a count was asked for but cannot be read ("see covering letter", "5%").

        It still becomes a row, with an empty count and qualifier `not_supplied`, so that the
        case type is known to have an unknown part: dropping it would let a sum treat the
        category as an exact 0. The problem goes to issues.csv as well.
        """
        cell = self.cells[pos]
        if meaning is None or meaning[4]:  # no meaning, or a grand/allocated total: report only
            self.res.issue(pos, cell.raw, problem)
            return
        r, c = pos
        council, council_ref, date = self._row_council(r, band)
        case_type, category, detail, explicit, _total = meaning
        self.res.records.append(Record(case_type, category, detail, None, "not_supplied",
                                       self.sheet.name, r, c, cell.raw,
                                       "heading" if explicit else "default", council,
                                       council_ref, date))
        self.res.status[pos] = MAPPED
        self.res.issues.append((cell_ref(*pos), cell.raw, f"{problem}; kept as not_supplied"))

    def _attach_note(self, pos: tuple[int, int], text: str, row_records: list[Record]) -> None:
        if any(cell_pos(ref) == pos for ref, _t, _u in self.res.prose):
            return
        used: list[int] = []  # the note's numbers a reason used (`_numbers_in_notes` names the rest)
        self.res.prose.append((cell_ref(*pos), text, used))
        roles = roles_in_note(text)
        if partial(text):
            # "mainly awaiting closure": a role or reason for most of a count, so for no count whole
            named = self.label(text).case_type
            pool = row_records or self.res.records
            for case_type in [named] if named else sorted({x.case_type for x in pool if x.case_type}):
                withhold_untied(self.res, text, case_type, roles, reasons_in_note(text))
            return
        if roles:
            apply_roles(self.res.records, row_records or self.res.records, roles)
            # 'Family support workers (approx. 140); social work assistants (19)' beside 'c.160'
            for case_type in sorted({x.case_type for x in row_records if x.case_type}):
                withhold_untied(self.res, text, case_type, roles, [], numbers_only=True)
        pool = row_records or self.res.records
        # A note of several clauses, each naming its case type ("LAC unallocated = in transit; CIN
        # unallocated: 41 awaiting closure, 17 no reason recorded"): each clause speaks for its own.
        clauses = [c for c in re.split(r"[;\n]|\.\s", text) if c.strip()]
        typed = [(self.label(c).case_type, c) for c in clauses]
        if len({ct for ct, _ in typed if ct}) > 1:
            parts = [([x for x in pool if x.case_type == ct], c) for ct, c in typed if ct]
        else:
            case_type = self.label(text).case_type
            parts = [(row_records or [x for x in pool if case_type is None or x.case_type == case_type], text)]
        problems = []
        for candidates, clause in parts:
            reasons = reasons_in_note(clause)
            if not reasons:
                continue
            # A note in the row may split a count ("7 of these are in transit"); a note under the
            # table only names the reason of a count it fits exactly: which count it splits is not sure.
            problem = apply_reasons(self.res.records, candidates, reasons, split=bool(row_records), used=used)
            if problem:
                problems.append(problem)
        if problems:
            self.res.issues.append((cell_ref(*pos), text, "; ".join(problems)))


Meaning = tuple[str | None, str, str, bool, str | None]


def _merge(row: Label, col: Label, section: Label, sheet: Label) -> tuple[Meaning | None,
                                                                          str | None]:
    """Combine what the row, the column, the section and the sheet name say about a count.

    Returns ((case_type, category, detail, detail_explicit, total_kind), None) or
    (None, problem). total_kind is "grand" for a total across case types and "allocated"
    for a bare 'Allocated' subtotal; both are checked, never mapped.
    """
    if row.case_type and col.case_type and row.case_type != col.case_type:
        return None, f"row says {row.case_type}, column says {col.case_type}"
    case_type = row.case_type or col.case_type or section.case_type or sheet.case_type
    cats = [x for x in (row.category, col.category) if x]
    total_involved = "total" in cats
    if len(set(cats)) == 2:
        a, b = cats
        if "total" in cats:
            category = b if a == "total" else a  # "Total" row x "Unallocated" column
        elif "allocated" in cats:
            category = b if a == "allocated" else a  # "Allocated" over "Qualified"
        else:
            return None, f"row says {row.category}, column says {col.category}"
    elif cats:
        category = cats[0]
    else:
        category = section.category or sheet.category
    if category is None:
        return None, "no category (unallocated, allocated, total) in its row or column"
    details = [x for x in (col.detail, row.detail) if x]
    if len(set(details)) > 1:
        return None, f"two details for one count: {details[0]} and {details[1]}"
    allowed = allowed_details(category)
    detail = details[0] if details and details[0] in allowed else None
    explicit = detail is not None
    if detail is None:
        detail = UNSPECIFIED_DETAIL.get(category, "")
    if case_type is None:
        if total_involved:
            return (None, category, detail, explicit, "grand"), None
        return None, f"no case type (CP, LAC, CIN) in its row, column or section for {category}"
    if category == "allocated":
        return (case_type, category, "", False, "allocated"), None
    return (case_type, category, detail, explicit, None), None


def apply_roles(records: list[Record], candidates: list[Record], roles: list[tuple[str | None, str, int | None]]) -> None:
    """Give the roles a note states to the cases held by other staff it describes. A role tied to a
    case type goes to that case type's count; one with no case type to the one count it can refer
    to. Roles with numbers that add up to a count split it into a row per role (from the same
    cell); numbers that do not add up move nothing. Only a count whose heading named no role, or only 'other', takes one."""
    # "Other staff" or "Other workers" says no more than 'other': a note naming the role says more
    # a count of 0 has no one to give a role to
    open_ = [x for x in candidates if x.category == "allocated_other" and x.detail == "other"
             and x.detail_source != "note" and x.count != 0]
    named_types = {ct for ct, _r, _n in roles if ct is not None}
    for target in list(open_):
        mine = [(role, n) for ct, role, n in roles if ct == target.case_type]
        # "other staff are social work assistants, except for looked after children, where ...": a
        # role with no case type is the other case types' when the note names the rest apart
        mine = mine or [(role, n) for ct, role, n in roles if ct is None and
                        (len({x.case_type for x in open_}) == 1 or (named_types and target.case_type not in named_types))]
        if not mine:
            continue
        if len(mine) == 1 and mine[0][1] in (None, target.count):
            target.detail, target.detail_source = mine[0][0], "note"
        elif all(n is not None for _r, n in mine) and target.count is not None and target.qualifier == "exact" \
                and sum(n for _r, n in mine) == target.count:
            at = records.index(target)
            records[at:at + 1] = [Record(**{**target.__dict__, "count": n, "detail": role, "detail_source": "note"})
                                  for role, n in mine]


def apply_reasons(records: list[Record], candidates: list[Record],
                  reasons: list[tuple[str, int | None]], split: bool = True,
                  used: list[int] | None = None) -> str | None:
    """Give the reason a note states to the unallocated count it explains.

    A reason with no number explains the one unallocated count it can refer to. A reason with
    a number N explains a count of exactly N, or (with `split`) the first N of a larger count:
    that count is split in two rows from the same cell (N with the reason, the rest not_given).
    Returns a problem when a stated number is larger than any count it could explain.
    """
    problems = []
    # A reason named again without its number ("26 were worked by partner agencies (health and
    # education)") adds nothing to the one with it.
    numbered = {reason for reason, n in reasons if n is not None}
    reasons = [(reason, n) for reason, n in reasons if n is not None or reason not in numbered]
    # a count of 0 has no case to give a reason to
    open_ = [x for x in candidates if x.category == "unallocated" and x.detail_source == "default"
             and x.detail == "not_given" and x.count != 0]
    if len(reasons) > 1 and all(n for _r, n in reasons):
        whole = [x for x in open_ if x.qualifier == "exact" and x.count == sum(n for _r, n in reasons)]
        if len(whole) == 1:
            # parts that add up to exactly one count: it is their sum, under the table or not
            x = whole[0]
            at = records.index(x)
            records[at:at + 1] = [Record(**{**x.__dict__, "count": n, "detail": reason, "detail_source": "note"})
                                  for reason, n in reasons]
            used is not None and used.extend(n for _r, n in reasons)
            return None
    for reason, n in reasons:
        open_ = [x for x in candidates if x.category == "unallocated"
                 and x.detail_source == "default" and x.detail == "not_given" and x.count != 0]
        if not open_:
            continue
        if n == 0:
            continue  # a reason the note says no case has
        if n is None:
            if len(open_) == 1:
                open_[0].detail, open_[0].detail_source = reason, "note"
            continue
        exact = [x for x in open_ if x.count == n]
        larger = [x for x in open_ if x.count is not None and x.count > n
                  and x.qualifier == "exact"]
        if exact:
            exact[0].detail, exact[0].detail_source = reason, "note"
            used is not None and used.append(n)
        elif larger and not split:
            continue  # left for a person: `_numbers_in_notes` names the note's numbers
        elif larger:
            x = larger[0]
            x.count -= n
            part = Record(**{**x.__dict__, "count": n, "detail": reason,
                             "detail_source": "note"})
            records.insert(records.index(x), part)
            candidates.append(part)
            used is not None and used.append(n)
        else:
            problems.append(f"note gives {n} cases {reason}, more than the unallocated "
                            f"count it could explain")
    return "; ".join(problems) or None


def withhold(res: SheetResult, rec: Record, problem: str, grounds: str) -> None:
    """A count the reader read but cannot stand behind: the issue at its cell says why and proposes
    the reading it had, for a person to confirm; the row stays, with no number."""
    proposal = Record(rec.case_type, rec.category, rec.detail, rec.count, rec.qualifier, "", 0, 0, rec.raw)
    res.issues.append((rec.ref, rec.raw, problem, extra("needs_reading", proposal, grounds)))
    rec.count, rec.qualifier = None, "not_supplied"


def withhold_untied(res: SheetResult, sentence: str, case_type: str, roles: list, reasons: list,
                    numbers_only: bool = False) -> None:
    """A sentence giving roles (or reasons) for a case type's other-staff (or unallocated) cases
    that the table's count did not take whole ('131 are held by family support workers and 66 by
    community support workers' beside a table's 197; '9 were awaiting closure; for the other four
    no reason is recorded' beside 13): the count's role is in words the reader could not tie to it,
    so it is withheld, its reading proposed, naming the sentence. A count the sentence's role or
    reason fitted exactly (the number it states, or the one count it can mean) stands. With
    `numbers_only` (a note in the count's own row, naming its roles: 'Family support workers and
    social work assistants' is a count of other staff, of mixed roles), only a number the note
    gives that no count has withholds it."""
    for category, given in (("allocated_other", [(r, n) for ct, r, n in roles if ct in (None, case_type)]),
                            ("unallocated", reasons)):
        default = UNSPECIFIED_DETAIL[category]
        if not given:
            continue
        mine = [x for x in res.records if x.case_type == case_type and x.category == category]
        counts = {x.count for x in mine}
        unmatched = [n for _d, n in given if n is not None and n not in counts]
        for rec in mine:
            # a heading's own role or reason ("Social work assistant") is not the sentence's to change;
            # 'Other staff' says no more than other
            if rec.count in (None, 0) or rec.detail_source == "heading" and rec.detail != default:
                continue
            if not (unmatched or (not numbers_only and rec.detail_source != "note" and rec.detail == default)):
                continue
            what = "roles" if category == "allocated_other" else "reasons"
            withhold(res, rec, f"a sentence of the reply gives {what} for these cases that the reader could not tie "
                               f"to this count ('{' '.join(sentence.split())[:160]}'): not read", sentence)
