"""`read_returns`: FOI return files in, the tidy returns table and its issues out.

For each file: open it (`files`), read each sheet's meaning (`layouts`), settle the file's
council, snapshot date and layer (from the file, its name, or the manifest), reconcile
subtotals and grand totals, then run the consistency checks (`checks`) over everything.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unallocated.errors import ReturnReadError, UnallocatedError
from unallocated.returns.checks import (
    above_caseload_rows,
    duplicated_in_a_file,
    in_two_returns,
    over_total_rows,
    run_checks,
    split_source,
)
from unallocated.returns.dates import find_date
from unallocated.returns.files import cell_pos, cell_ref, load_sheets
from unallocated.returns.labels import REASON_PATTERNS, classify, partial, reasons_in_note, roles_in_note
from unallocated.returns.layouts import (BLANK_MEANS_NIL, ISSUE, LABEL, MAPPED, Record, SheetResult, apply_reasons,
                                         apply_roles, read_sheet, withhold, withhold_untied)
from unallocated.returns.markers import parse_count
from unallocated.returns.letters import sentences
from unallocated.returns.numbers import count_numbers
from unallocated.returns.side_tables import read_side_table
from unallocated.returns.issues import extra, issue_frame
from unallocated.schema import LAYERS, RETURN_COLUMNS, UNSPECIFIED_DETAIL

__all__ = ["IngestResult", "read_returns", "resolve_council", "FILE_COLUMNS"]

#: Columns of `IngestResult.files`: the per-file accounting.
FILE_COLUMNS = ["file", "sheets", "non_empty_cells", "mapped", "labels", "issues", "rows",
                "council_code", "council", "snapshot_date", "layer",
                "format", "outcome", "reason", "needs_review"]

#: What became of a file (files.csv `outcome`).
OUTCOMES = ("read", "read_with_issues", "read_from_review", "not_read", "not_a_return")


@dataclass
class IngestResult:
    """What `read_returns` read.

    returns: the tidy table (RETURN_COLUMNS). issues: everything worth a look (schema.ISSUE_COLUMNS).
    files: per-file accounting (FILE_COLUMNS); for every file non_empty_cells == mapped +
    labels + issues, counting cells. unreadable: files that could not be read (file, reason).
    """

    returns: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    unreadable: pd.DataFrame


# -- councils -------------------------------------------------------------------------------

_FILENAME_NOISE = re.compile(
    r"\b(?:foi|foia|eir|return|returns|response|reply|request|unallocated|cases?|data|final|"
    r"draft|copy|v\d+|version|ref|children|social|care|csc|figures|redacted|\d+)\b", re.I)


def resolve_council(text: str) -> tuple[str, str] | None:
    """(old_la_code, name) for a council named anywhere in `text`, or None.

    Tries the whole text, then the text without "Return from"-style openings, then each piece
    between dashes, colons, commas and brackets. Uses `unallocated.sources.councils.resolve`.
    """
    resolve, not_found = _resolver()
    if resolve is None:
        return None
    for candidate in _council_candidates(text):
        try:
            council = resolve(candidate, suggest=False)
        except not_found:
            continue
        return str(council.old_la_code), str(council.name)
    return None


def _out_of_scope(code: str | None, date: str | None, texts: list[str]) -> str | None:
    """Why a file's council is out of this round's scope, or None.

    code resolved: the council did not run children's services at the snapshot date (2010 when
    undated). No code: a text names a Welsh, Scottish, Northern Irish or district council."""
    try:
        from unallocated.sources.councils import get, resolve
        from unallocated.errors import CouncilNotFound
    except ImportError:
        return None
    if code:
        try:
            council = get(code)
        except (LookupError, CouncilNotFound):
            return None
        m = re.match(r"(\d{4})", str(date or ""))
        year = int(m.group(1)) if m else 2010
        if not council.active_in(year):
            span = (f"created {council.from_year}" if council.from_year and council.from_year > year
                    else f"ended {council.to_year}")
            return f"{council.name}: did not exist in {year} ({span})"
        return None
    for text in texts:
        for candidate in _council_candidates(text) if text else []:
            try:
                resolve(candidate, suggest=False)
            except CouncilNotFound as err:
                if str(err.reason).startswith("out of scope"):
                    return f"{candidate}: {err.reason}"
            except LookupError:
                continue
            else:
                break
    return None


def _resolver():
    try:
        from unallocated.sources.councils import resolve
        from unallocated.errors import CouncilNotFound
    except ImportError:  # the resolver is optional while the project is being built
        return None, None
    return resolve, (CouncilNotFound, LookupError)


def _council_candidates(text: str) -> list[str]:
    t = " ".join(str(text).split())
    out = [t]
    stripped = re.sub(r"^(?:.*?\b(?:return|response|reply|answer|information|submission)\s+)?"
                      r"(?:from|by|for|of)\s+(?:the\s+)?", "", t, flags=re.I)
    out.append(stripped)
    for piece in re.split(r"\s[-–—|/]\s|[:;,()\[\]]", stripped):  # "Cyngor ... / Wrexham County Borough Council"
        piece = piece.strip()
        if piece:
            out.append(piece)
            out.append(re.sub(r"^(?:the\s+)", "", piece, flags=re.I))
            # "Wigan Council Children's Services": the council, then the department
            out.append(_DEPARTMENT.sub("", piece).strip())
    return [c for c in dict.fromkeys(out) if re.search(r"[A-Za-z]{3,}", c)]


_DEPARTMENT = re.compile(r"\s+(?:children(?:['’]s)?|children and young people(?:['’]s)?|"
                         r"families|family|social care|safeguarding|people)\b.*$", re.I)


def _council_from_filename(name: str) -> tuple[str, str] | None:
    stem = re.sub(r"[_\-.]+", " ", Path(name).stem)
    cleaned = " ".join(_FILENAME_NOISE.sub(" ", stem).split())
    words = cleaned.split()
    # "camden childrens services" -> "camden childrens" -> "camden": the longest run of
    # leading words that names a council (never a part from the middle of the name).
    for n in range(len(words), 0, -1):
        hit = resolve_council(" ".join(words[:n]))
        if hit:
            return hit
    return None


# -- inputs ---------------------------------------------------------------------------------

#: Files in a returns folder that are not returns: listed in files.csv, never read.
NOT_RETURNS = re.compile(r"^(?:manifest|review|files|returns|issues|corrections|requests)\.csv$|"
                         r"^readme(?:\.\w+)?$|\.md$", re.I)


def _expand(paths, exclude: set[Path]) -> list[tuple[Path, str, Path | None]]:
    """(path, display name, folder given) for every file; folders are walked recursively, sorted.

    Every file is listed, whatever its format: `read_returns` decides what it is (a return read,
    not read and why, or not a return such as the manifest)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[tuple[Path, str, Path | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file()
                           and not q.name.startswith((".", "~$"))
                           and q.resolve() not in exclude)
            out.extend((q, q.relative_to(p).as_posix(), p) for q in found)
        else:
            out.append((p, p.name, None))
    return out


_SIMULATED = re.compile(r"\bsimulated\b|\bnot a real (?:foi )?(?:return|reply|response)\b|"
                        r"\bfictional\b|\bsynthetic (?:data|return)\b", re.I)


def _says_simulated(sheets) -> tuple[str, str, str] | None:
    """(sheet, cell, text) of the first cell saying the file is simulated, else None."""
    for sheet in sheets:
        for pos, cell in sorted(sheet.cells.items()):
            if isinstance(cell.raw, str) and _SIMULATED.search(cell.raw):
                return sheet.name, cell_ref(*pos), cell.raw
    return None


def _read_manifest(manifest) -> dict[str, dict[str, str]] | None:
    """The manifest as {file name as written: its non-empty fields}, the first row winning."""
    m = _manifest_table(manifest)
    if m is None:
        return None
    rows: dict[str, dict[str, str]] = {}
    for record in m.to_dict("records"):
        fields = {k: str(v).strip() for k, v in record.items() if str(v).strip()}
        rows.setdefault(str(record["file"]).strip(), fields)
    return rows


def _manifest_table(manifest) -> pd.DataFrame | None:
    if manifest is None:
        return None
    if isinstance(manifest, pd.DataFrame):
        m = manifest.copy()
        missing = {"file", "council"} - set(m.columns)
        if missing:
            raise UnallocatedError(f"{manifest}: manifest lacks column(s) "
                                   f"{', '.join(sorted(missing))} (needs file, council; "
                                   f"optional snapshot_date, layer)")
    else:
        m = read_side_table(manifest, "manifest", {"file", "council"},
                            "needs file, council; optional snapshot_date, layer")
    return m.fillna("").astype(str)


def _manifest_row(m: dict[str, dict[str, str]] | None, display: str) -> dict[str, str]:
    if m is None:
        return {}
    for key in (display, Path(display).name):
        if key in m:
            return m[key]
    return {}


# -- one file -------------------------------------------------------------------------------

@dataclass
class _FileOut:
    rows: list[dict]
    issues: list[tuple]
    accounting: dict


def _numbers_in_notes(sheet, res) -> None:
    """A note on a sheet about unallocated cases ("Of the 14 unallocated, 3 are in transit
    from another authority") whose numbers no rule used is an issue naming its cell: it may
    change a count, and a person decides."""
    used = {ref: set(nums) for ref, _text, nums in res.prose}
    for pos, cell in sheet.cells.items():
        if res.status.get(pos) != LABEL or not isinstance(cell.value, str):
            continue
        if len(cell.raw.split()) < 5:  # a heading ("Section 47 enquiries"), not a note
            continue
        text = re.sub(r"^\s*(?:q(?:uestion)?\s*)?\(?\d{1,2}[.):]\s+", "", cell.raw, flags=re.I)
        if classify(text).category != "unallocated":
            continue  # only a note about unallocated cases can change what the story counts
        ref = cell_ref(*pos)
        numbers = [n for n in count_numbers(text)
                   if int(n.replace(",", "")) not in used.get(ref, set())]
        if numbers:
            res.issues.append((ref, cell.raw, f"a note with numbers ({', '.join(numbers)}) that "
                                              f"no count or reason used: check whether it "
                                              f"changes a count, and key it in review.csv if so"))
            res.status[pos] = ISSUE


_NOTES_HEADING = re.compile(r"^\s*(?:notes?|footnotes?|notes to the table)\s*:?\s*$", re.I)
_NOTE_LABEL = re.compile(r"^\s*(?:notes?|footnote|n\.?\s?b\.?)\s*\w{0,3}\s*[:.)-]\s*", re.I)


def _notes_in_the_letter(sheets, results) -> None:
    """A letter's sentences that say what a table of the same file holds ("(a) Looked after:
    leaving care personal advisers.", "The 29 children in need cases were awaiting closure"): a
    role or a reason for a count of the case type the sentence names, given only where it fits
    that count exactly (the number it states, or the one count of that case type it can mean)."""
    letter = [s for s in sheets if getattr(s, "unit", "")]
    # the tables: other sheets, and a table typed in the letter itself (its rows of several cells)
    tables = [res for res in results if res.records]
    if not letter or not tables:
        return
    for sheet in letter:
        per_row: dict[int, list] = {}
        for pos in sheet.cells:
            per_row.setdefault(pos[0], []).append(pos)
        # the letter's prose: its rows of one cell (a table typed in it has rows of several)
        # ("Notes" on a line of its own heads what follows: never the start of its first sentence)
        text = " ".join(sheet.cells[cells[0]].raw for _r, cells in sorted(per_row.items())
                        if len(cells) == 1 and not _NOTES_HEADING.match(sheet.cells[cells[0]].raw))
        for sentence in sentences(text):
            sentence = _NOTE_LABEL.sub("", sentence)  # "Note 2: of the 136 ..." says what follows is a note
            label = classify(sentence)
            if label.case_type is None:
                # "Cases shown as allocated to other staff are held by family support workers": a
                # role for the table's other-staff counts, given only where one case type has any
                if label.category == "allocated_other" and not count_numbers(sentence):
                    for res in tables:
                        apply_roles(res.records, res.records, roles_in_note(sentence))
                continue
            roles = roles_in_note(sentence)
            # a role tied to nothing is kept only beside roles tied to case types ("..., except for ...")
            roles = [(ct, role, n) for ct, role, n in roles if ct is not None or n is not None
                     or any(c is not None for c, _r, _n in roles)]
            reasons = reasons_in_note(sentence) if label.category == "unallocated" or count_numbers(sentence) else []
            # "mainly cases awaiting closure": true of most of a count, so of no count whole; what it
            # speaks of is withheld below like any role or reason the reader could not tie
            some = partial(sentence)
            for res in tables:
                if not some:
                    apply_roles(res.records, res.records, roles)
                if reasons and not some:
                    mine = [r for r in res.records if r.case_type == label.case_type]
                    apply_reasons(res.records, mine, reasons, split=False)
                for case_type in dict.fromkeys([label.case_type, *(ct for ct, _r, _n in roles if ct)]):
                    withhold_untied(res, sentence, case_type, roles if case_type == label.case_type else
                            [x for x in roles if x[0] == case_type], reasons if case_type == label.case_type else [])


def _breakdown_in_another_table(results) -> None:
    """'Table 2 breaks down the Other staff and Not allocated columns of Table 1 by role and by
    reason': a count with no role (or reason) of its own in one table, and counts of the same case
    type and category by role (reason) in another table of the reply. Where they add up to it, it
    is their subtotal, read as a label; where they do not, it is withheld, naming the other table;
    never added to them."""
    for res in results:
        for rec in list(res.records):
            if rec.category not in UNSPECIFIED_DETAIL or rec.detail != UNSPECIFIED_DETAIL[rec.category] or rec.count is None:
                continue
            parts = [(other, x) for other in results if other is not res for x in other.records
                     if (x.council_text, x.date, x.case_type, x.category) ==
                     (rec.council_text, rec.date, rec.case_type, rec.category)
                     and x.detail != UNSPECIFIED_DETAIL[rec.category] and x.detail_source == "heading"]
            if not parts:
                continue
            counts = [x.count for _o, x in parts]
            if None not in counts and all(x.qualifier == "exact" for _o, x in parts) \
                    and rec.qualifier == "exact" and sum(counts) == rec.count:
                res.records.remove(rec)
                res.status[(rec.row, rec.col)] = LABEL  # read, as the sum of its parts
                continue
            withhold(res, rec, f"another table of the reply ({parts[0][0].name}) gives these {rec.case_type} cases "
                               f"by {'role' if rec.category == 'allocated_other' else 'reason'}, adding up to "
                               f"{sum(c for c in counts if c is not None)}, not {rec.count}: not read (never added "
                               f"to them)", parts[0][0].name)


def _reasons_tables(sheets, results) -> None:
    """A table of reasons beside the table it explains ("Table 2: cases not allocated, by reason":
    a row per reason, a column per case type): where its reasons add up, case type by case type,
    to the unallocated count the other table gives with no reason, that count is split into them
    (each row's source is its reason cell); where they do not, the count is withheld, naming the
    table. Its cells are otherwise figures with no category, each an issue."""
    from unallocated.schema import UNALLOCATED_REASONS

    open_ = [(res, x) for res in results for x in res.records
             if x.category == "unallocated" and x.detail == "not_given" and x.detail_source == "default"
             and x.count is not None and x.qualifier == "exact"]
    if not open_:
        return
    for sheet, res in zip(sheets, results):
        per_row: dict[int, dict[int, str]] = {}  # row -> column -> the case type heading it
        for (r, c), cell in sheet.cells.items():
            if isinstance(cell.value, str):
                lab = classify(cell.raw)
                if lab.case_type and not lab.category and not lab.detail:
                    per_row.setdefault(r, {})[c] = lab.case_type
        header = next((r for r, cols in sorted(per_row.items()) if len(set(cols.values())) >= 2), None)
        if header is None:
            continue
        columns = per_row[header]
        first_col: dict[int, int] = {}  # each row's label is its first cell
        for r, c in sheet.cells:
            first_col[r] = min(c, first_col.get(r, c))
        by_type: dict[str, list[tuple[str, int, tuple[int, int]]]] = {}
        for (r, c), cell in sorted(sheet.cells.items()):
            if r <= header or c != first_col[r] or not isinstance(cell.value, str):
                continue
            reason = classify(cell.raw).detail
            if reason not in UNALLOCATED_REASONS or reason == "not_given":
                continue
            for col, case_type in columns.items():
                if res.status.get((r, col)) == MAPPED:
                    continue  # read already, as a count of its own (`_breakdown_in_another_table`)
                got = sheet.cells.get((r, col))
                count, qualifier, problem = parse_count(got.value) if got is not None else (None, None, "blank")
                if problem is None and qualifier == "exact" and count is not None:
                    by_type.setdefault(case_type, []).append((reason, count, (r, col)))
        if not by_type:
            continue
        for target_res, rec in open_:
            parts = by_type.get(rec.case_type)
            if not parts or target_res is res or rec not in target_res.records:
                continue
            cells = {cell_ref(*pos) for _r, _n, pos in parts}
            if sum(n for _r, n, _p in parts) == rec.count:
                at = target_res.records.index(rec)
                target_res.records[at:at + 1] = [
                    Record(**{**rec.__dict__, "count": n, "detail": reason, "detail_source": "note",
                              "sheet": sheet.name, "row": pos[0], "col": pos[1], "raw": sheet.cells[pos].raw})
                    for reason, n, pos in parts]
                res.issues[:] = [i for i in res.issues if i[0] not in cells]
                for _r, _n, pos in parts:
                    res.status[pos] = LABEL  # read, as the split of the count it explains
            else:
                withhold(target_res, rec, f"a table of reasons ({sheet.name}) gives {sum(n for _r, n, _p in parts)} "
                                          f"{rec.case_type} cases by reason, not the {rec.count} this count says: "
                                          f"not read", sheet.name)


def _read_file(path: Path, display: str, mrow: dict[str, str], layer: str) -> _FileOut:
    sheets, read_notes = load_sheets(path)
    issues: list[tuple] = [(display, sheets[0].name if sheets else "", "", "", note)
                           for note in read_notes]
    # "A blank cell means nil" anywhere in the reply (a notes sheet, a line under the table)
    blank_means_nil = any(isinstance(cell.value, str) and BLANK_MEANS_NIL.search(cell.raw)
                          for s in sheets for cell in s.cells.values())
    results = [read_sheet(s, blank_means_nil) for s in sheets]
    for sheet, res in zip(sheets, results):
        if not getattr(sheet, "unit", ""):  # a letter's text is read by sentence already
            _numbers_in_notes(sheet, res)
    _notes_in_the_letter(sheets, results)
    _reasons_tables(sheets, results)
    _breakdown_in_another_table(results)

    # Council: the manifest when it has the file, else the return's own title cells, else its
    # file name. When two disagree it is an issue and the earlier one wins.
    code = name = None
    named = [(text, res.name, ref) for res in results for text, ref in res.councils]
    in_file = None
    for text, sheet, ref in named:
        hit = resolve_council(text)
        if hit:
            in_file = hit
            break
    in_name = _council_from_filename(display)
    in_manifest = resolve_council(mrow["council"]) if mrow.get("council") else None
    if mrow.get("council") and in_manifest is None:
        issues.append((display, "", "", mrow["council"], "council in the manifest not recognised"))
    how = ""
    for hit, where in ((in_manifest, "manifest"), (in_file, "file"), (in_name, "file name")):
        if hit is None:
            continue
        if code is None:
            (code, name), how = hit, where
        elif hit[0] != code:
            issues.append((display, "", "", hit[1],
                           f"the {how} says {name} ({code}), the {where} says {hit[1]} "
                           f"({hit[0]}); the {how} is used"))
    if code is None and mrow.get("council"):
        name = mrow["council"]
    if code is None and name is None:
        if named:
            text, sheet, ref = named[0]
            name = text
            issues.append((display, sheet, ref, text, "council not recognised: rows have an "
                           "empty council_code"))
        elif not any(r.council_text for res in results for r in res.records):
            issues.append((display, "", "", "", "no council named in the file, its name or "
                           "the manifest: rows have an empty council_code"))
        elif _resolver()[0] is None:
            issues.append((display, "", "", "", "council resolver not available"))

    # Snapshot date: the date the file most plainly says its figures are for ("Snapshot date:",
    # "as at", "week ending" beat a sentence with figures, which beats a date merely mentioned,
    # which beats the date the request asked for); else the manifest. Two different dates of
    # that strength are an issue: the first is used.
    dates = [(d, res.name, ref, strength) for res in results for d, ref, strength in res.dates]
    strongest = max((s for *_x, s in dates), default=None)
    top = [x for x in dates if x[3] == strongest]
    date = top[0][0] if top else (mrow.get("snapshot_date") or None)
    for d, sheet, ref, _s in top[1:]:
        if d != date:
            issues.append((display, sheet, ref, d, f"a second snapshot date {d}; {date} is used"))
    if date is None and not any(r.date for res in results for r in res.records):
        issues.append((display, "", "", "", "no snapshot date in the file or the manifest"))

    # Scope: a council out of scope (Welsh, a district) or one that did not exist at the round's
    # date keeps its rows, named, but with an empty council_code: out of every national total.
    scope = _out_of_scope(code, date, [mrow.get("council", "")] + [t for t, _, _ in named]
                          + [Path(display).stem.replace("_", " ")])
    if scope:
        issues = [i for i in issues if not i[4].startswith("council not recognised")]
        issues.append((display, "", "", name or "", f"council out of scope: {scope}; its rows "
                       "are kept with an empty council_code, out of every national total"))
        name = name or scope.split(":")[0]
        code = None

    file_layer = mrow.get("layer") or layer
    said = _says_simulated(sheets)
    if said and file_layer == "real_return":
        sheet_name, ref, raw = said
        issues.append((display, sheet_name, ref, raw,
                       "the file says it is simulated but was to be labelled real_return; "
                       "its rows are labelled simulated"))
        file_layer = "simulated"
    if file_layer not in LAYERS:
        issues.append((display, "", "", file_layer, f"unknown layer {file_layer!r}; "
                       f"expected one of {', '.join(LAYERS)}"))

    rows: list[dict] = []
    unresolved: dict[str, tuple[str, str] | None] = {}
    for sheet, res in zip(sheets, results):
        _reconcile(res, sheet)
        for ref, raw, problem, *more in res.issues:
            issues.append((display, res.name, ref, raw, problem, *more))
        for rec in res.records:
            rcode, rname = code, name
            if rec.council_text is not None:
                if rec.council_text not in unresolved:
                    unresolved[rec.council_text] = resolve_council(rec.council_text)
                    if unresolved[rec.council_text] is None:
                        issues.append((display, res.name, rec.council_ref, rec.council_text,
                                       "council not recognised: its rows have an empty "
                                       "council_code"))
                hit = unresolved[rec.council_text]
                rcode, rname = hit if hit else (None, rec.council_text)
            rows.append({
                "council_code": rcode or "", "council": rname or "",
                "snapshot_date": rec.date or date or "", "case_type": rec.case_type,
                "category": rec.category, "detail": rec.detail, "count": rec.count,
                "qualifier": rec.qualifier, "layer": file_layer,
                "source": f"{display}!{rec.sheet or res.name}!{rec.ref}", "raw": rec.raw,
            })
            said = find_date(rec.raw) if rec.count is not None and date and not rec.date else None
            if said and not str(date).startswith(said):
                # "at 31 March 2010 there were 51 ...": a figure for another date than the return's
                _withhold(rows[-1], issues, display, f"a figure given for {said}, not for the return's "
                          f"snapshot date {date}: not read (key it in review.csv if wanted)")

    not_counts = [(res.name, ref, number, what) for res in results for ref, number, what in res.not_counts]
    if not_counts:
        issues.append(_not_counts_issue(display, not_counts))
    _split_in_prose(rows, issues, display)
    _withhold_if_a_note_corrects(sheets, rows, issues, display)

    # Accounting: every non-empty cell has exactly one status.
    counts = {MAPPED: 0, LABEL: 0, ISSUE: 0}
    total_cells = 0
    for sheet, res in zip(sheets, results):
        for pos, cell in sheet.cells.items():
            total_cells += 1
            status = res.status.get(pos)
            if status is None:  # defensive: a cell no rule claimed is an issue, never lost
                issues.append((display, sheet.name, cell_ref(*pos), cell.raw,
                               "cell not read by any rule"))
                status = ISSUE
            counts[status] += 1
    accounting = {"file": display, "sheets": len(sheets), "non_empty_cells": total_cells,
                  "mapped": counts[MAPPED], "labels": counts[LABEL], "issues": counts[ISSUE],
                  "rows": len(rows), "council_code": code or "", "council": name or "",
                  "snapshot_date": date or "", "layer": file_layer}
    return _FileOut(rows, issues, accounting)


def _not_counts_issue(display: str, found: list[tuple[str, str, str, str]]) -> tuple:
    """The numbers of a file that are plainly not counts, in one issue (kind not_a_count): each
    with where it is and what it is, so none is lost and none asks a person for a decision."""
    sheets = sorted({sheet for sheet, _r, _n, _w in found})
    by_what: dict[str, int] = {}
    for _s, _r, _n, what in found:
        by_what[what] = by_what.get(what, 0) + 1
    listed = "; ".join(f"{sheet}!{ref} {number!r} ({what})" for sheet, ref, number, what in found)
    summary = ", ".join(f"{n} {what}" if n == 1 else f"{n} × {what}" for what, n in by_what.items())
    return (display, sheets[0] if len(sheets) == 1 else "", "", listed,
            f"{len(found)} number(s) that are not counts of open cases: {summary}; none is read",
            extra("not_a_count"))


def _withhold(row: dict, issues: list[tuple], display: str, problem: str, propose: bool = False) -> None:
    """A row read from a file, kept but with no number: the issue names its cell and says why, and
    (`propose`) offers the reading it had, when that reading is likely still the council's (a note
    says some figure of the reply is wrong, not which)."""
    proposal = Record(row["case_type"], row["category"], row["detail"], row["count"], row["qualifier"], "", 0, 0,
                      row["raw"]) if propose and row["count"] is not None else None
    issues.append((display, *split_source(row["source"])[1:], row["raw"], problem,
                   extra("needs_reading", proposal, row["raw"])))
    row["count"], row["qualifier"] = None, "not_supplied"


#: A note saying figures in the reply are wrong or misplaced ("the LAC and CIN figures have been
#: entered in the wrong rows", "should read 57, not 75").
_CORRECTING = re.compile(r"\bshould (?:read|be|have been)\b|\bin error\b|\bwrong (?:rows?|columns?|lines?|boxes|box|cells?|figures?)\b|"
                         r"\b(?:transposed|swapped|reversed)\b|\bincorrect(?:ly)?\b|\bcorrect(?:ed)? figures?\b|"
                         r"\brevised figures?\b|\bamended figures?\b|\berratum\b", re.I)


def _withhold_if_a_note_corrects(sheets, rows: list[dict], issues: list[tuple], display: str) -> None:
    """When the reply itself says some of its figures are wrong or in the wrong place, which of
    them is not sure: none of the file's counts is a number until review.csv says which."""
    for sheet in sheets:
        for pos, cell in sorted(sheet.cells.items()):
            text = str(cell.raw)
            if len(re.findall(r"[A-Za-z]{2,}", text)) >= 4 and _CORRECTING.search(text):
                held = [r for r in rows if r["count"] is not None]
                issues.append((display, sheet.name, cell_ref(*pos), text,
                               f"the reply says some of its figures are wrong or misplaced: all {len(held)} counts "
                               f"of this file are withheld until review.csv gives the right ones"))
                for r in held:
                    _withhold(r, issues, display, f"withheld: a note ({sheet.name} {cell_ref(*pos)}) says "
                                                  f"figures in this reply are wrong or misplaced", propose=True)
                return


_DATES_IN_TEXT = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                            r"(?:\s+\d{4})?\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d{2}\b")


def _split_in_prose(rows: list[dict], issues: list[tuple], display: str) -> None:
    """An unallocated count with no reason, which a sentence of the same file splits by reason
    but which the sentence reader did not take ("Of the 19 not allocated, 14 were in transit"):
    read as no reason given it would count the 14 under every definition, so it is withheld."""
    sentences = [i for i in issues if i[4].startswith("a number in prose")]
    if not sentences:
        return
    for row in rows:
        if row["category"] != "unallocated" or row["detail"] != "not_given" or not row["count"]:
            continue
        n = str(row["count"])
        for _, sheet, ref, raw, *_rest in sentences:
            text = _DATES_IN_TEXT.sub(" ", str(raw).lower())  # "on 31 october 2010" is no count
            numbers = re.findall(r"(?<![\d,])\d{1,3}(?:,\d{3})*(?![\d,])", text)
            # The count restated beside a reason ("All 4 of these cases were in transit"), or
            # beside other numbers in a sentence about unallocated cases.
            if n in [x.replace(",", "") for x in numbers] and any(p.search(text) for p, _ in REASON_PATTERNS) and (
                    len(numbers) == 1 or re.search(r"not allocated|unallocated|without an? (?:allocated )?(?:social )?worker", text)):
                _withhold(row, issues, display, f"a sentence ({sheet} {ref}) splits these {n} unallocated cases "
                                                f"by reason, which the reader does not do: the count is withheld "
                                                f"until review.csv gives the split")
                break


def _exact(xs) -> bool:
    return all(x.qualifier == "exact" and x.count is not None for x in xs)


def _line(sub: Record, parts: list[Record]) -> tuple | None:
    """The column (or row) a subtotal candidate sits in, when its parts sit across from it in its
    row (or column): ('column', sheet, col) or ('row', sheet, row)."""
    if parts and all(x.row == sub.row and x.sheet == sub.sheet for x in parts):
        return ("column", sub.sheet, sub.col, sub.category)
    if parts and all(x.col == sub.col and x.sheet == sub.sheet for x in parts):
        return ("row", sub.sheet, sub.row, sub.category)
    return None


#: Heading words that declare a figure the subtotal of the parts beside it ("Unallocated (total)").
_DECLARED_TOTAL = re.compile(r"\b(?:total|all|sub-?total)\b", re.I)


def _heading_says_total(sheet, line: tuple, records: list[Record]) -> bool:
    """Whether the words heading a column (above its first figure) or a row (before it) say total."""
    kind, _sheet, at, _category = line
    mine = [x for x in records if (x.col if kind == "column" else x.row) == at and x.sheet == _sheet]
    if sheet is None or not mine:
        return False
    first = min(x.row if kind == "column" else x.col for x in mine)
    words = [cell.raw for (r, c), cell in sheet.cells.items()
             if (c == at and r < first if kind == "column" else r == at and c < first)
             and isinstance(cell.value, str)]
    return any(_DECLARED_TOTAL.search(w) for w in words)


def _under_one_parent(sheet, sub: Record, parts: list[Record]) -> bool:
    """Whether a merged heading above (or before) them spans the figure and the parts beside it
    alike ('Allocated' merged over 'Qualified social worker', 'Family support worker' and 'Other
    unqualified'): siblings under one parent, so the figure is one more part, never their subtotal."""
    if sheet is None or not parts:
        return False
    across = all(x.row == sub.row for x in parts)
    for r1, c1, r2, c2 in sheet.merges:
        if across and r2 < sub.row and c1 < c2 and all(c1 <= x.col <= c2 for x in [sub, *parts]):
            return True
        if not across and c2 < sub.col and r1 < r2 and all(r1 <= x.row <= r2 for x in [sub, *parts]):
            return True
    return False


def _figure(rec: Record) -> int | None:
    """A record's count, or for one withheld for its words, the count its cell wrote (exact only)."""
    if rec.count is not None:
        return rec.count if rec.qualifier == "exact" else None
    count, qualifier, problem = parse_count(rec.raw) if rec.raw else (None, None, "empty")
    return count if problem is None and qualifier == "exact" else None


def _row_words(sheet, row: int, before_col: int) -> str:
    """The text cells of a row left of its first figure: its label."""
    return " ".join(cell.raw for (r, c), cell in sorted(sheet.cells.items())
                    if r == row and c < before_col and isinstance(cell.value, str))


#: A row that says it is the whole: "Total", "Surrey total", "County total", never "Sub-total".
_WHOLE_TOTAL = re.compile(r"\b(?:total|all areas|all teams|whole county|county-wide total)\b", re.I)
_SUBTOTAL = re.compile(r"\bsub-?\s?totals?\b", re.I)


def _rows_adding_up(res: SheetResult, sheet=None) -> None:
    """A table by area (or team) with the council's total row: the rows that add up, column by
    column, to one row of the same figures are its breakdown, never counted beside it ('North East',
    'North West', ... above 'Surrey total'). Their cells become labels, their issues one note; the
    total row stands (or not) on its own words."""
    rows: dict[int, dict[tuple, Record]] = {}
    for rec in res.records:
        key = (rec.council_text, rec.date, rec.case_type, rec.category, rec.detail, rec.col)
        rows.setdefault(rec.row, {})[key] = rec
    if len(rows) < 3:
        return
    for total_row, mine in rows.items():
        others = {r: got for r, got in rows.items() if r != total_row and set(got) == set(mine)}
        if len(others) < 2 or len(mine) < 2 or any(_figure(x) is None for x in mine.values()):
            continue
        if not any(_figure(x) for x in mine.values()):
            continue  # a row of zeros adds up to anything of zeros
        # its label must say it is the total ('Sub-total' leaves other parts out)
        words = _row_words(sheet, total_row, min(x.col for x in mine.values())) if sheet is not None else ""
        if not _WHOLE_TOTAL.search(words) or _SUBTOTAL.search(words):
            continue
        sums = {k: [_figure(got[k]) for got in others.values()] for k in mine}
        if all(None not in v and sum(v) == _figure(mine[k]) for k, v in sums.items()):
            parts = {(r, x.col) for r, got in others.items() for x in got.values()}
            res.records[:] = [x for x in res.records if (x.row, x.col) not in parts]
            for pos in parts:
                res.status[pos] = LABEL
            refs = {cell_ref(*pos) for pos in parts}
            # ... and the words naming those rows ('North East') are their labels, not a puzzle
            part_rows = set(others)
            labels = {i[0] for i in res.issues
                      if i[0] and cell_pos(i[0])[0] in part_rows and str(i[2]).startswith("unrecognised text")}
            res.issues[:] = [i for i in res.issues if i[0] not in refs | labels]
            listed = ", ".join(str(r) for r in sorted(others))
            res.issues.append((cell_ref(total_row, min(x.col for x in mine.values())), "", (
                f"rows {listed} add up, column by column, to row {total_row}: read as its breakdown (by area or "
                f"team), not counted beside it"), extra("not_a_count")))
            return


def _reconcile(res: SheetResult, sheet=None) -> None:
    """Subtotals and grand totals: check them against their parts, never count them twice.

    - An unallocated (or allocated-other) count with no reason, beside counts by reason in
      the same row, is their subtotal: what it has beyond its parts stays as not_given
      (other); if the parts account for it all it becomes a label; parts larger -> issue.
    - 'Allocated' is checked against qualified + other.
    - A total across case types is checked against the case types' figures.
    """
    _rows_adding_up(res, sheet)
    groups: dict[tuple, list[Record]] = {}
    for rec in res.records:
        if rec.category in ("unallocated", "allocated_other"):
            key = (rec.council_text, rec.date, rec.case_type, rec.category)
            groups.setdefault(key, []).append(rec)
    found: list[tuple[Record, list[Record]]] = []
    for key, group in groups.items():
        # "Allocated to other worker" above rows opening "of which:": the rows say they are its
        # parts, so its generic 'other' heading makes it their subtotal all the same
        below = [x for x in group if x.part_of]
        headed = [x for x in group if x.detail_source == "heading"
                  and not (below and not x.part_of and x.detail in UNSPECIFIED_DETAIL.values()
                           and all(x.row < p.row or x.col < p.col for p in below))]
        subtotals = [x for x in group if x not in headed
                     and all((x.row, x.col) != (h.row, h.col) for h in headed)]
        if not headed or not subtotals:
            continue
        parts = [x for x in group if x not in subtotals]
        for sub in subtotals:
            if _under_one_parent(sheet, sub, parts):
                continue  # a sibling: its count stands as it is, with its own default detail
            found.append((sub, parts))
    # A column (or row) of such figures is a subtotal everywhere or nowhere: where one of its
    # figures is smaller than the parts beside it, it cannot be their subtotal, so on every row it
    # may as well be one more part ('Other unqualified' beside 'Family support worker'), and
    # neither reading is safe: each of its figures is withheld, the part reading proposed.
    # A heading that calls it a total is believed: a figure below its parts is then an error in
    # that row alone ('parts larger than the total', below).
    not_subtotal = {_line(sub, parts) for sub, parts in found
                    if _exact([sub, *parts]) and sub.count < sum(x.count for x in parts)} - {None}
    not_subtotal = {line for line in not_subtotal if not _heading_says_total(sheet, line, res.records)}
    for sub, parts in found:
        where = sub.ref
        line = _line(sub, parts)
        if line in not_subtotal:
            beside = ", ".join(f"{x.detail} {x.count}" for x in parts)
            what = "reason" if sub.category == "unallocated" else "role"
            withhold(res, sub, f"a figure with no {what} of its own beside counts by {what} ({beside}), in a "
                               f"{line[0]} that cannot be their subtotal (elsewhere it is smaller than its neighbours): "
                               f"whether it is one more part or a subtotal here is not clear; not read", sub.raw)
            continue
        if not _exact([sub, *parts]):
            # Added to its parts it would count them twice, and what it holds beyond them
            # cannot be worked out: the subtotal is no number, its parts stay.
            res.issues.append((where, sub.raw, f"{sub.category} {sub.case_type} subtotal "
                               f"beside counts by {'reason' if sub.category == 'unallocated' else 'role'} "
                               f"with approximate values: its count is withheld (added to its parts it "
                               f"would count them twice); check by hand"))
            sub.count, sub.qualifier = None, "not_supplied"
            continue
        rest = sub.count - sum(x.count for x in parts)
        if rest > 0:
            sub.count = rest  # the part of the subtotal no heading explains
        else:
            res.records.remove(sub)
            res.status[(sub.row, sub.col)] = LABEL
            if rest < 0:
                res.issues.append((where, sub.raw, f"parts larger than the total: "
                                   f"{sub.category} {sub.case_type} by reason add up to "
                                   f"{sub.count - rest}, the subtotal is {sub.count}"))

    for total in res.totals:
        if total.kind == "allocated":
            parts = [x for x in res.records if x.case_type == total.case_type
                     and x.council_text == total.council_text
                     and x.category in ("allocated_qualified", "allocated_other")]
            what = f"'Allocated' {total.case_type}"
        else:
            parts = [x for x in res.records if x.council_text == total.council_text
                     and (x.category == total.category)]
            what = f"total {total.category} across case types"
        pos = cell_pos(total.ref)
        if not parts:
            res.issues.append((total.ref, total.raw, f"{what} with no figures to check it "
                               f"against; not mapped (no category for it)"))
            res.status[pos] = ISSUE
            continue
        if _exact([total, *parts]):
            s = sum(x.count for x in parts)
            if s != total.count:
                res.issues.append((total.ref, total.raw, f"{what} is {total.count} but the "
                                   f"figures it sums add up to {s}; the total is not mapped"))
        else:  # it cannot be checked: said, never dropped without a word
            res.issues.append((total.ref, total.raw, f"{what}: the figures it sums are not all exact, "
                               f"so it cannot be checked against them; the total is not mapped"))
            res.status[pos] = ISSUE


# -- the public function --------------------------------------------------------------------

def read_returns(paths, *, manifest=None, layer: str = "real_return",
                 reference: pd.DataFrame | None = None, review=None) -> IngestResult:
    """Read FOI return files (csv, xlsx, xls; files or folders) into the tidy returns table.

    manifest: optional CSV path or DataFrame with columns file, council and optionally
    snapshot_date, layer; it supplies what a file does not say itself (default: manifest.csv in
    each folder given, when there is one). review: optional review.csv path (default: review.csv
    in each folder given): a person's readings, applied after the reader's (see `review`). layer: the layer for
    files the manifest does not place. reference: optional DataFrame (old_la_code, case_type,
    caseload) of DfE open caseloads, to flag unallocated counts larger than a caseload.

    Never raises for a file's content or for a file it cannot open: those are listed in
    `unreadable` (and in `issues`). Raises UnallocatedError only for a bad manifest or layer.
    """
    if layer not in LAYERS:
        raise UnallocatedError(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    m = _read_manifest(manifest)
    exclude = {Path(manifest).resolve()} if isinstance(manifest, (str, Path)) else set()
    folder_manifests: dict[Path, dict[str, dict[str, str]] | None] = {}
    rows: list[dict] = []
    issues: list[tuple] = []
    accounting: list[dict] = []
    unreadable: list[tuple[str, str]] = []
    located: dict[str, Path] = {}  # file as in files.csv -> its path, for review.csv's checksums
    for path, display, folder in _expand(paths, exclude):
        located.setdefault(display, path)
        fmt = path.suffix.lower().lstrip(".")
        blank = {"file": display, "sheets": 0, "non_empty_cells": 0, "mapped": 0, "labels": 0,
                 "issues": 0, "rows": 0, "council_code": "", "council": "", "snapshot_date": "",
                 "layer": "", "format": fmt, "reason": ""}
        if folder is not None and NOT_RETURNS.search(path.name):
            accounting.append({**blank, "outcome": "not_a_return",
                               "reason": "not a return (by its name)"})
            continue
        fm = m
        if fm is None and folder is not None:  # the folder's own manifest, as dataset.py does
            if folder not in folder_manifests:
                own = folder / "manifest.csv"
                folder_manifests[folder] = _read_manifest(own) if own.exists() else None
            fm = folder_manifests[folder]
        try:
            try:
                out = _read_file(path, display, _manifest_row(fm, display), layer)
            except (ReturnReadError, MemoryError, RecursionError):
                raise
            except Exception as err:  # noqa: BLE001 (a reply is untrusted input: one file never stops a run)
                raise ReturnReadError(f"{display}: not read: the reader failed on it ({type(err).__name__}: {err}); "
                                      f"that is a fault in the reader, to report with the file; key its figures "
                                      f"into review.csv meanwhile") from err
        except ReturnReadError as err:
            unreadable.append((display, str(err)))
            issues.append((display, "", "", "", f"file not read: {err}"))
            mrow = _manifest_row(fm, display)
            hit = (resolve_council(mrow["council"]) if mrow.get("council") else None) \
                or _council_from_filename(display)
            accounting.append({**blank, "outcome": "not_read", "reason": str(err),
                               "council_code": hit[0] if hit else "",
                               "council": hit[1] if hit else mrow.get("council", ""),
                               "snapshot_date": mrow.get("snapshot_date", ""),
                               "layer": mrow.get("layer") or layer})
            continue
        rows.extend(out.rows)
        issues.extend(out.issues)
        accounting.append({**out.accounting, "format": fmt, "reason": ""})

    returns = pd.DataFrame(rows, columns=RETURN_COLUMNS)
    returns["count"] = returns["count"].astype("Int64")
    for col in RETURN_COLUMNS:
        if col != "count":
            returns[col] = returns[col].fillna("").astype(str)
    files_df = pd.DataFrame(accounting, columns=FILE_COLUMNS)
    for col in ("outcome", "reason", "format"):
        files_df[col] = files_df[col].astype(object).where(files_df[col].notna(), "")
    issues_df = issue_frame(issues)
    from unallocated.returns.review import apply_noted, apply_review, read_review

    reviews = [(read_review(rpath), Path(rpath).name) for rpath in _review_paths(paths, review)]
    for table, name in reviews:
        returns, issues_df, files_df = apply_review(table, returns, issues_df, files_df, name=name,
                                                    located=located)
    issues_df = pd.concat([issues_df, issue_frame(run_checks(returns, reference))],
                          ignore_index=True).fillna("").astype(str)
    # A negative count is an issue (run_checks named its cell), never a number in the table:
    # the definitions refuse it, and no council has fewer than no cases.
    negative = returns["count"].notna() & (returns["count"] < 0)
    # A council given by two files for one date (an original and a corrected version): added up
    # they would count it twice. Each withheld cell is named, as for any value not read.
    two = in_two_returns(returns)
    if two.any():
        issues_df = pd.concat([issues_df, issue_frame(
            [(*split_source(r.source), r.raw, "withheld: another file gives a return for the same council and "
              "date (see 'two returns' in issues.csv); review.csv decides which counts")
             for r in returns[two & returns["count"].notna()].itertuples()])],
            ignore_index=True)
    # One category given more than once by a file (teams, two dates, a repeated table): the
    # definitions would add the readings up, so none of them is a number until a person decides
    # (run_checks named them). All these rows stay, empty, with their raw text and source.
    withheld = negative | two | duplicated_in_a_file(returns) | over_total_rows(returns) \
        | above_caseload_rows(returns, reference)
    if withheld.any():
        returns.loc[withheld, "count"] = pd.NA
        returns.loc[withheld, "qualifier"] = "not_supplied"
    for table, name in reviews:  # issues a person noted, the checks' among them
        issues_df = apply_noted(table, issues_df, name=name, located=located)
    per_file = issues_df["file"].value_counts()
    files_df["needs_review"] = [int(per_file.get(f, 0)) for f in files_df["file"]]
    read = files_df["outcome"].isin(["", "read", "read_with_issues"])
    files_df.loc[read, "outcome"] = ["read_with_issues" if n else "read"
                                     for n in files_df.loc[read, "needs_review"]]
    still_unread = set(files_df.loc[files_df["outcome"] == "not_read", "file"])
    unreadable = [u for u in unreadable if u[0] in still_unread]
    return IngestResult(returns, issues_df, files_df,
                        pd.DataFrame(unreadable, columns=["file", "reason"]))


def _review_paths(paths, review) -> list[Path]:
    """review.csv files to apply: the one given, else review.csv in each folder given."""
    if review is not None:
        return [Path(review)]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return [Path(p) / "review.csv" for p in paths
            if Path(p).is_dir() and (Path(p) / "review.csv").is_file()]
