"""The review desk: every figure the reader withheld, put before a person on one page.

`python -m unallocated review FOLDER` reads the folder as `ingest` does (its manifest and its
review.csv applied), and writes one self-contained page, `review.html` (inline CSS and script,
nothing fetched, so it opens offline, from a shared drive and inside JupyterLab). The page lists
every item that needs a person, grouped by file, the most consequential first:

1. figures that would be unallocated counts (they move the headline totals);
2. replies not read at all (a scan, a legacy .doc): a form keys that reply's figures, by page;
3. other figures the reader withheld;
4. text the reader could not place, and points about a whole file.

Each figure is shown in its context, taken again from the original file (`context`), with the
reader's reason and, where the reader proposes one, the likely reading, ready to accept. The
person's decisions are kept in the browser until a button writes them as review.csv rows (who,
when, the note, and the checksum of the file as they saw it); `ingest` then applies them, and
the next `review` lists only what is still open. A decision whose file has changed since is
stale: shown as such, never applied.

Everything taken from a reply reaches the page as data (JSON inside a
`<script type="application/json">`, every `<` escaped) and is put on the page as text by the
script (`textContent`), never as markup. Values written to review.csv that would start a
formula are neutralised (`unallocated.files.spreadsheet_safe`).

The issues table is read by contract: `file, sheet, cell, raw, problem, kind,
proposed_case_type, proposed_category, proposed_detail, proposed_count, proposed_qualifier,
grounds`; a missing column is empty, and a missing `kind` is `file` for an issue with neither
sheet nor cell, else `needs_reading`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

import pandas as pd

from unallocated.files import atomic_write_text, spreadsheet_safe
from unallocated.returns.checks import split_source
from unallocated.returns.context import ContextCache, context_for
from unallocated.returns.review import REVIEW_COLUMNS, STALE, file_sha256, read_review
from unallocated.schema import (CASE_TYPES, CATEGORIES, OTHER_ROLES, QUALIFIERS,
                                UNALLOCATED_REASONS, allowed_details)

__all__ = ["ISSUE_CONTRACT", "KINDS", "normalise_issues", "proposal_of", "reading_text",
           "desk_data", "render_page", "build_desk", "merge_review", "register", "TIERS"]

#: The columns of issues.csv the desk reads (the reader's contract); missing ones are empty.
ISSUE_CONTRACT = ["file", "sheet", "cell", "raw", "problem", "kind", "proposed_case_type",
                  "proposed_category", "proposed_detail", "proposed_count", "proposed_qualifier",
                  "grounds"]

#: What an issue is about (issues.csv `kind`).
KINDS = {
    "needs_reading": "a figure that may be a count: a person reads it",
    "not_a_count": "numbers that are plainly something else (question numbers, years, references)",
    "file": "about the whole file",
}

#: How much an item can change the figures, most first (the page's order).
TIERS = {
    0: "may change the unallocated totals",
    1: "a reply not read at all: none of its figures is in the table",
    2: "a figure the reader withheld",
    3: "text the reader could not place",
    4: "about the whole file",
}

#: The reading written for a count and its qualifier; `reading_text` and the page agree.
READING_FOR = {"exact": "{n}", "at_most": "up to {n}", "at_least": "at least {n}",
               "approx": "about {n}", "suppressed": "*", "not_supplied": "n/a"}

_QUOTED_FIGURE = re.compile(r"\('(?:[^'()]*?\s)?(\d[\d,]*)'\)")


def normalise_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues table with every contract column, as stripped strings; `kind` derived where
    it is missing or empty (no sheet and no cell: `file`; else `needs_reading`)."""
    table = issues.copy()
    for col in ISSUE_CONTRACT:
        if col not in table.columns:
            table[col] = ""
    table = table[ISSUE_CONTRACT + [c for c in table.columns if c not in ISSUE_CONTRACT]]
    table = table.fillna("").astype(str).apply(lambda c: c.str.strip())
    derived = ((table["sheet"] == "") & (table["cell"] == "")).map({True: "file", False: "needs_reading"})
    table["kind"] = table["kind"].where(table["kind"] != "", derived)
    return table


def reading_text(count, qualifier: str) -> str:
    """The review.csv reading for a count and qualifier ("up to 4" for 4 at_most), which
    `review` reads back as the same count and qualifier."""
    if qualifier not in READING_FOR:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if qualifier in ("suppressed", "not_supplied"):
        return READING_FOR[qualifier]
    if count is None or str(count).strip() == "":
        raise ValueError(f"a {qualifier} reading needs a count")
    return READING_FOR[qualifier].format(n=int(str(count).replace(",", "")))


def proposal_of(issue) -> dict | None:
    """The reader's proposed reading of an issue, complete enough to accept (case type,
    category, an allowed detail, a qualifier, and a count unless the qualifier has none), else
    None."""
    def get(key: str) -> str:
        return str(issue.get(key, "") or "").strip()

    ct, cat, detail = get("proposed_case_type"), get("proposed_category"), get("proposed_detail")
    count, qual = get("proposed_count").replace(",", ""), get("proposed_qualifier")
    if ct not in CASE_TYPES or cat not in CATEGORIES or qual not in QUALIFIERS:
        return None
    if detail and detail not in allowed_details(cat):
        return None
    if cat in ("unallocated", "allocated_other") and not detail:
        detail = "not_given" if cat == "unallocated" else "other"
    has_count = qual not in ("suppressed", "not_supplied")
    if has_count and not count.isdigit():
        return None
    return {"case_type": ct, "category": cat, "detail": detail,
            "count": int(count) if has_count else None, "qualifier": qual,
            "reading": reading_text(int(count) if has_count else None, qual),
            "grounds": get("grounds")}


def _partial(issue) -> dict:
    """Whatever proposed fields are valid, to fill the change form (never accepted as is)."""
    out = {}
    for field, allowed in (("case_type", CASE_TYPES), ("category", CATEGORIES), ("qualifier", QUALIFIERS)):
        value = str(issue.get(f"proposed_{field}", "") or "").strip()
        if value in allowed:
            out[field] = value
    count = str(issue.get("proposed_count", "") or "").replace(",", "").strip()
    if count.isdigit():
        out["count"] = int(count)
    detail = str(issue.get("proposed_detail", "") or "").strip()
    if detail and detail in allowed_details(out.get("category", "")):
        out["detail"] = detail
    return out


def _item_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _plain(text: str, folder: Path) -> str:
    """A reader's message without the folder's path (the page names files as issues.csv does)."""
    return str(text).replace(f"{folder}/", "").replace(f"{folder.resolve()}/", "")


def _figure(issue, proposal: dict | None) -> str:
    """The number to mark in the figure's sentence, as the reply writes it: the one the problem
    quotes, else the proposed count, whichever stands in the text ("over 40" is proposed as 41).
    Only for marking it on the page, never for reading it."""
    from unallocated.returns.context import figure_spans

    quoted = _QUOTED_FIGURE.search(issue["problem"])
    candidates = [quoted.group(1) if quoted else "",
                  str(proposal["count"]) if proposal and proposal.get("count") is not None else "",
                  str(_partial(issue).get("count", ""))]
    candidates = [c for c in candidates if c]
    return next((c for c in candidates if figure_spans(issue["raw"], c)), candidates[0] if candidates else "")


def _review_table(folder: Path) -> pd.DataFrame:
    path = Path(folder) / "review.csv"
    if path.is_file():
        return read_review(path)
    return pd.DataFrame(columns=REVIEW_COLUMNS)


@dataclass
class Desk:
    """What `build_desk` made: the page's data, and the numbers its summary prints."""

    data: dict
    items: int
    files: int
    councils: int
    unread: int
    stale: int


def desk_data(folder, issues: pd.DataFrame, files: pd.DataFrame, returns: pd.DataFrame,
              review: pd.DataFrame | None = None, *, review_name: str = "review.csv",
              built_at: str | None = None) -> dict:
    """The page's data: items grouped by file, most consequential first.

    issues, files and returns as `read_returns` gives them with review.csv applied (issues in
    the contract above, missing columns allowed); review: the review.csv rows (read_review).
    Files are reopened under `folder` for their context and checksum."""
    folder = Path(folder)
    issues = normalise_issues(issues)
    review = (pd.DataFrame(columns=REVIEW_COLUMNS) if review is None else review.copy())
    for col in REVIEW_COLUMNS:
        if col not in review.columns:
            review[col] = ""
    review = review.fillna("").astype(str)
    files = files.fillna("").astype(str) if len(files) else files
    by_file = {r["file"]: r for r in files.to_dict("records")}

    # Problems with review.csv's own rows (the rows that could not be applied), by row number.
    own = re.compile(rf"^{re.escape(review_name)} row (\d+): (.*)$", re.S)
    row_problems: dict[int, str] = {}
    keep = []
    for i, problem in enumerate(issues["problem"]):
        m = own.match(problem)
        if m:
            row_problems[int(m.group(1))] = m.group(2)
        keep.append(not m)
    issues = issues[keep]
    stale_rows = {n for n, p in row_problems.items() if p.startswith(STALE)}

    # Addresses a person has noted: issues the checks raise again after review stay decided.
    noted = {(r["file"], r["sheet"], r["cell"]) for n, r in enumerate(review.to_dict("records"), 1)
             if r["reading"].lower() == "noted" and n not in stale_rows and n not in row_problems}

    # The reader's own rows, by address (what it kept at a withheld figure's cell).
    reader_rows: dict[tuple[str, str, str], list[dict]] = {}
    for r in returns.to_dict("records"):
        if str(r.get("layer", "")) == "review":
            continue
        count = r.get("count")
        count = None if count is None or pd.isna(count) else int(count)
        reader_rows.setdefault(split_source(r["source"]), []).append(
            {"case_type": r["case_type"], "category": r["category"], "detail": r["detail"],
             "count": count, "qualifier": r["qualifier"], "raw": r["raw"]})

    cache = ContextCache()
    checksums: dict[str, str] = {}

    def checksum(name: str) -> str:
        if name not in checksums:
            path = folder / name
            checksums[name] = file_sha256(path) if path.is_file() else ""
        return checksums[name]

    groups: dict[str, dict] = {}

    def group(name: str) -> dict:
        if name not in groups:
            f = by_file.get(name, {})
            path = folder / name
            groups[name] = {
                "file": name, "council": f.get("council", ""), "council_code": f.get("council_code", ""),
                "council_key": f.get("council_code") or f.get("council") or name,
                "format": f.get("format", path.suffix.lstrip(".")), "outcome": f.get("outcome", ""),
                "sha256": checksum(name), "uri": path.resolve().as_uri() if path.exists() else "",
                "not_a_count": [], "decided": [], "items": []}
        return groups[name]

    seen: set[str] = set()
    same_place: dict[tuple, dict] = {}
    unread = {name for name, f in by_file.items() if f.get("outcome") == "not_read"}
    file_points: dict[str, list[dict]] = {}
    for issue in issues.to_dict("records"):
        name = issue["file"]
        address = (name, issue["sheet"], issue["cell"])
        if issue["kind"] == "not_a_count":
            group(name)["not_a_count"].append({"sheet": issue["sheet"], "cell": issue["cell"],
                                               "raw": issue["raw"], "problem": _plain(issue["problem"], folder)})
            continue
        if address in noted:
            continue
        if issue["kind"] == "file" or not issue["cell"]:  # about a file or a sheet: no figure to show
            if name in unread and issue["problem"].startswith("file not read"):
                continue  # the unread file is an item of its own, with the form to key it
            file_points.setdefault(name, []).append(
                {"sheet": issue["sheet"], "cell": issue["cell"], "raw": issue["raw"],
                 "problem": _plain(issue["problem"], folder)})
            continue
        proposal = proposal_of(issue)
        figure = _figure(issue, proposal)
        item_id = _item_id(name, issue["sheet"], issue["cell"], issue["raw"], issue["problem"], figure,
                           *(issue[c] for c in ISSUE_CONTRACT[6:11]))
        if item_id in seen:
            continue
        seen.add(item_id)
        # a sentence holds several figures, each its own item; a cell with one number is one place
        place = (name, issue["sheet"], issue["cell"], issue["raw"],
                 figure if len(re.findall(r"\d[\d,]*", issue["raw"])) > 1 else "")
        same = same_place.get(place)
        if same is not None:
            # one figure, several reasons (words it cannot account for, and given twice): one
            # item a person decides once, naming every reason
            same["problem"] += "; also: " + _plain(issue["problem"], folder)
            if same["proposal"] is None and proposal is not None:
                same["proposal"] = proposal
            continue
        prefill = dict(_partial(issue))
        kept = reader_rows.get(address, [])
        if kept and "case_type" not in prefill:
            prefill.update({k: kept[0][k] for k in ("case_type", "category", "detail")})
        likely = (proposal or prefill).get("category", "")
        # A value cell (the reader kept a row there) or a number may change a total; other text
        # ("Regards", a heading it could not place) is last among the figures.
        tier = 0 if likely == "unallocated" else 2 if kept or re.search(r"\d", issue["raw"]) else 3
        context = context_for(folder / name, issue["sheet"], issue["cell"], figure=figure,
                              sentence=issue["raw"], cache=cache)
        group(name)["items"].append({
            "id": item_id, "type": "figure", "file": name, "sheet": issue["sheet"],
            "cell": issue["cell"], "raw": issue["raw"], "problem": _plain(issue["problem"], folder),
            "kind": issue["kind"], "tier": tier, "figure": figure, "proposal": proposal,
            "prefill": prefill, "reader_rows": kept, "context": context,
            # "Not a count" drops the cell (ignore) unless the reader kept a number there, which
            # an ignore would drop too: then the issue is noted and the number stays.
            "not_a_count": "noted" if any(k["count"] is not None for k in kept) else "ignore",
        })
        same_place[place] = group(name)["items"][-1]
    for name, points in file_points.items():
        group(name)["items"].append({
            "id": _item_id(name, "", "", "file", *[p["problem"] for p in points]),
            "type": "file", "file": name, "sheet": "", "cell": "", "raw": "", "kind": "file",
            "problem": "; ".join(p["problem"] for p in points), "points": points, "tier": 4,
            # 'noted' is written for each address the points stand at (the file's, a sheet's)
            "addresses": [list(a) for a in dict.fromkeys((p["sheet"], p["cell"]) for p in points)],
            "figure": "", "proposal": None, "prefill": {}, "reader_rows": [], "context": None,
            "not_a_count": "noted"})
    for name in sorted(unread):
        f = by_file[name]
        group(name)["items"].append({
            "id": _item_id(name, "", "", "not read"), "type": "unread",
            "file": name, "sheet": "", "cell": "", "raw": "", "kind": "file", "tier": 1,
            "problem": _plain(f.get("reason", ""), folder).replace(f"{folder / name}: ", "")
                      .replace(f"{name}: ", "", 1),
            "figure": "", "proposal": None, "prefill": {}, "reader_rows": [], "context": None,
            "not_a_count": ""})

    existing = []
    for n, r in enumerate(review.to_dict("records"), 1):
        entry = {"row": n, "stale": n in stale_rows, "problem": row_problems.get(n, ""),
                 "values": {c: r.get(c, "") for c in REVIEW_COLUMNS}}
        existing.append(entry)
        if r["file"] in groups or n in stale_rows or n in row_problems:
            group(r["file"])["decided"].append(entry)

    ordered = []
    for g in groups.values():
        g["items"].sort(key=lambda it: (it["tier"], it["sheet"], _cell_order(it["cell"])))
        g["tier"] = min((it["tier"] for it in g["items"]), default=9)
        ordered.append(g)
    ordered.sort(key=lambda g: (g["tier"], -sum(it["tier"] == 0 for it in g["items"]), g["file"]))
    built_at = built_at or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "title": f"Review desk: {folder.name}",
        "folder": folder.name, "folder_path": str(folder.resolve()),
        "identity": hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16],
        "built_at": built_at, "review_file": review_name,
        "review_path": str((folder / review_name).resolve()),
        "columns": REVIEW_COLUMNS, "tiers": {str(k): v for k, v in TIERS.items()},
        "vocab": {"case_types": CASE_TYPES, "categories": CATEGORIES,
                  "details": {"allocated_other": OTHER_ROLES, "unallocated": UNALLOCATED_REASONS},
                  "qualifiers": QUALIFIERS, "reading_for": READING_FOR},
        "groups": ordered, "existing": existing,
        "commands": {
            "add": f"python -m unallocated review {_shell(folder)} --add ~/Downloads/{review_name}",
            "ingest": f"python -m unallocated ingest {_shell(folder)} --out DIR"},
    }


def _shell(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _cell_order(cell: str) -> tuple[int, str]:
    m = re.match(r"([A-Z]+)(\d+)$", cell or "")
    return (int(m.group(2)), m.group(1).rjust(3)) if m else (0, cell or "")


# -- the page -------------------------------------------------------------------------------

def page_json(data: dict) -> str:
    """The page's data as JSON safe inside a <script> element: every '<' is escaped, so no
    text from a reply can end the element or open another."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=False)
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_page(data: dict) -> str:
    """review.html: the template with the data embedded (see `page_json`)."""
    template = resources.files("unallocated.returns").joinpath("desk_page.html").read_text(encoding="utf-8")
    return (template.replace("{{TITLE}}", escape(data["title"]))
            .replace("{{DATA}}", page_json(data)))


# -- building it from a folder --------------------------------------------------------------

def build_desk(folder, out, *, reference=None) -> Desk:
    """Read the folder as ingest does, and write review.html to `out`."""
    from unallocated.returns.reader import read_returns

    folder = Path(folder)
    result = read_returns(folder, reference=reference)
    data = desk_data(folder, result.issues, result.files, result.returns, _review_table(folder))
    atomic_write_text(Path(out), render_page(data))
    items = [it for g in data["groups"] for it in g["items"]]
    councils = {g["council_key"] for g in data["groups"] if g["items"]}
    return Desk(data, len(items), sum(bool(g["items"]) for g in data["groups"]), len(councils),
                sum(it["type"] == "unread" for it in items),
                sum(e["stale"] for e in data["existing"]))


def merge_review(folder, incoming: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """FOLDER/review.csv with the rows of `incoming` it lacks added: (rows, added, dropped).

    A stale row (its file has changed since it was decided) is dropped once another row decides
    the same address on the file as it is now: the page's download and the folder may both hold
    it, and adding the same download twice adds nothing."""
    folder = Path(folder)
    current = _review_table(folder)
    for table in (current, incoming):
        for col in REVIEW_COLUMNS:
            if col not in table.columns:
                table[col] = ""
    current = current[REVIEW_COLUMNS].fillna("").astype(str).reset_index(drop=True)
    incoming = incoming[REVIEW_COLUMNS].fillna("").astype(str)
    have = {tuple(r) for r in current.itertuples(index=False)}
    added = incoming[[tuple(r) not in have for r in incoming.itertuples(index=False)]].drop_duplicates()
    both = pd.concat([current.assign(_new=False), added.assign(_new=True)], ignore_index=True)
    sums: dict[str, str] = {}

    def stale(r) -> bool:
        if not r.file_sha256 or not (folder / r.file).is_file():
            return False
        if r.file not in sums:
            sums[r.file] = file_sha256(folder / r.file)
        return sums[r.file] != r.file_sha256.lower()

    is_stale = [stale(r) for r in both.itertuples()]
    decided_now = {(r.file, r.sheet, r.cell) for r, s in zip(both.itertuples(), is_stale) if not s}
    superseded = [s and (r.file, r.sheet, r.cell) in decided_now for r, s in zip(both.itertuples(), is_stale)]
    kept = both[[not x for x in superseded]]
    dropped = int((~both["_new"] & pd.Series(superseded)).sum())
    return kept.drop(columns="_new").reset_index(drop=True), int(kept["_new"].sum()), dropped


def write_review_csv(table: pd.DataFrame, path: Path) -> None:
    """review.csv, every value neutralised against spreadsheet formulas."""
    from unallocated.returns.cli import write_csv_atomic

    safe = table[REVIEW_COLUMNS].fillna("").astype(str).apply(lambda c: c.map(spreadsheet_safe))
    write_csv_atomic(safe, Path(path))


def _default_out(folder: Path) -> Path:
    from unallocated import paths

    return paths.OUTPUTS / "review" / folder.resolve().name / "review.html"


def _cmd_review(args: argparse.Namespace) -> int:
    from unallocated.errors import UnallocatedError
    from unallocated.returns.cli import reference_table

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UnallocatedError(f"{folder}: not a folder of returns")
    if args.add:
        merged, added, dropped = merge_review(folder, read_review(args.add))
        if added or dropped:
            write_review_csv(merged, folder / "review.csv")
        print(f"{folder / 'review.csv'}: {added} row(s) added"
              + (f", {dropped} stale row(s) they decide again dropped" if dropped else ""))
    out = Path(args.out) if args.out else _default_out(folder)
    desk = build_desk(folder, out, reference=reference_table(args.reference))
    print(f"{_n(desk.items, 'item')} to decide in {_n(desk.files, 'file')} ({_n(desk.councils, 'council')}), "
          f"{_n(desk.unread, 'reply', 'replies')} not read at all among them"
          + (f"; {_n(desk.stale, 'stale decision')} in review.csv, shown on the page" if desk.stale else ""))
    print(f"wrote {out}: open it in a browser (or JupyterLab: Trust HTML). Save review.csv from "
          f"the page, then: python -m unallocated review {folder} --add FILE, and ingest again.")
    return 0


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "review", help="write review.html, the review desk: every figure the reader withheld, "
                       "to decide in the browser",
        description="Read a folder of returns as ingest does and write one self-contained page "
                    "(review.html) listing every item that needs a person: figures the reader "
                    "withheld, shown in their context, replies not read at all, and points "
                    "about whole files. Decisions made on the page are saved as review.csv "
                    "rows; --add puts a saved file's rows into FOLDER/review.csv.")
    p.add_argument("folder", metavar="FOLDER", help="a folder of returns (e.g. data/raw/returns/2010)")
    p.add_argument("--out", metavar="FILE",
                   help="where to write the page (default: outputs/review/FOLDER-NAME/review.html)")
    p.add_argument("--add", metavar="FILE",
                   help="a review.csv saved from the page: add the rows FOLDER/review.csv lacks "
                        "(dropping stale rows they decide again), then rebuild the page")
    p.add_argument("--reference", metavar="FILE", default="dfe",
                   help="caseloads to check counts against, as for ingest "
                        "('dfe', 'dfe-2010', 'none' or a csv)")
    p.set_defaults(func=_cmd_review)
