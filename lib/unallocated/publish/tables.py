"""The tables the data desk and partners get: every round's returns, issues, files, review
decisions and tracker, each council's figures and the national totals under every definition (as
published and as corrected), and the registers and reference tables, each typed and ordered as
the data dictionary (`unallocated/dictionary.toml`) says.

    from unallocated.publish import tables
    built = tables.build()            # Built: .frames {name: DataFrame}, .notes [what to tell]

A round is any folder under the returns folder (`data/raw/returns/<round>/`), read through
`unallocated.rounds.dataset` as the notebooks read it. A round's `review.csv` and tracker
(`requests.csv`) are read as CSV with the columns they have: the columns the dictionary describes
come first, any other is kept as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from unallocated import display, paths, schema
from unallocated.schema import Column, Table

#: A round's tracker and a person's decisions, kept beside its returns.
TRACKER_FILE = "requests.csv"
REVIEW_FILE = "review.csv"

#: The tracker's columns the canned queries read (a tracker without one gets it empty).
TRACKER_QUERY_COLUMNS = ("council_code", "status", "due_date", "reply_date")

_REVIEW_SOURCE = re.compile(r"^review\.csv row (\d+)")


@dataclass
class Built:
    """The published tables, in the dictionary's order, and what the build has to say."""

    frames: dict[str, pd.DataFrame]
    specs: dict[str, Table]  # the dictionary's tables, with any extra columns a round's files had
    notes: list[str] = field(default_factory=list)


#: Folders beside the rounds that are not rounds (the Essex and Birmingham timelines).
NOT_ROUNDS = {"timelines"}


def round_folders(root: Path | None = None) -> list[Path]:
    """Every round: the rounds the register (`rounds.csv`) lists first, in its order, then any other
    folder of returns under the returns folder, by name (a newsroom's round not yet registered)."""
    import csv

    root = Path(root or paths.RAW_RETURNS)
    folders = {p.name: p for p in root.iterdir()
               if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in NOT_ROUNDS}
    register = root / "rounds.csv"
    listed = []
    if register.is_file():
        with register.open(newline="", encoding="utf-8") as f:
            listed = [row["name"] for row in csv.DictReader(f) if row.get("name") in folders]
    return [folders[n] for n in listed] + [folders[n] for n in sorted(folders) if n not in listed]


# ------------------------------------------------------------------------------------ typing

def _text(series: pd.Series) -> pd.Series:
    out = series.astype("string")
    return out.mask(out.str.strip().fillna("") == "", pd.NA)


def _boolean(series: pd.Series) -> pd.Series:
    if series.dtype == bool:
        return series.astype("boolean")
    text = series.astype("string").str.strip().str.lower()
    known = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    bad = sorted(set(text.dropna()) - set(known) - {""})
    if bad:
        raise ValueError(f"not true or false: {bad[:5]}")
    return text.map(known).astype("boolean")


def typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The frame's columns in the dictionary's order, each of its type; a column the dictionary
    lacks is kept after them as text. Empty text is missing (NULL in the database)."""
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise ValueError(f"{table.name}: columns {missing} missing from the data")
    out = {}
    for column in table.columns:
        values = frame[column.name]
        try:
            if column.type == "integer":
                values = pd.to_numeric(values.astype("string").str.strip().replace("", pd.NA)).astype("Int64")
            elif column.type == "number":
                values = pd.to_numeric(values.astype("string").str.strip().replace("", pd.NA)).astype("Float64")
            elif column.type == "boolean":
                values = _boolean(values)
            else:
                values = _text(values)
        except (ValueError, TypeError) as err:
            raise ValueError(f"{table.name}.{column.name} is not {column.type}: {err}") from None
        out[column.name] = values.reset_index(drop=True)
    for extra in (c for c in frame.columns if c not in table.column_names):
        out[extra] = _text(frame[extra]).reset_index(drop=True)
    return pd.DataFrame(out)


def with_extra_columns(table: Table, frame: pd.DataFrame, origin: str) -> Table:
    """The dictionary's table plus a described text column for each column `frame` adds."""
    extra = tuple(Column(name=c, type="text", missing="empty: not given",
                         description=f"A column of {origin} that the data dictionary does not describe, kept as written.")
                  for c in frame.columns if c not in table.column_names)
    return Table(**{**table.__dict__, "columns": table.columns + extra}) if extra else table


def _read_side_csv(path: Path) -> pd.DataFrame:
    from unallocated.errors import DataFileError

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise DataFileError(f"{path}: cannot read it as CSV ({err})") from err
    table.columns = [str(c).strip() for c in table.columns]
    return table


# ------------------------------------------------------------------------------------ rounds

@dataclass
class _Round:
    name: str
    folder: Path
    views: dict[str, pd.DataFrame]  # as_published, as_corrected
    issues: pd.DataFrame
    files: pd.DataFrame
    review: pd.DataFrame | None
    tracker: pd.DataFrame | None


def _read_round(folder: Path) -> _Round:
    from unallocated.model.corrections import apply_corrections
    from unallocated.rounds import dataset

    got = dataset.ingest(folder)
    views = {"as_published": got.returns, "as_corrected": apply_corrections(got.returns)}
    review = _read_side_csv(folder / REVIEW_FILE) if (folder / REVIEW_FILE).is_file() else None
    tracker = _read_side_csv(folder / TRACKER_FILE) if (folder / TRACKER_FILE).is_file() else None
    return _Round(folder.name, folder, views, got.issues, got.files, review, _with_due_dates(tracker))


def _with_due_dates(tracker: pd.DataFrame | None) -> pd.DataFrame | None:
    """The tracker with what its dates make of it on the day of publishing (`rounds.tracker.
    with_state`: `due_date`, how it was computed, `state`, `overdue`, `very_overdue`,
    `working_days_late`, and `state_on`, that day): computed, never stored in requests.csv. A
    tracker without the round's columns (a newsroom's own) is published as it is."""
    import datetime as dt

    from unallocated.rounds import tracker as requests

    if tracker is None or not {"status", "sent", "received"} <= set(tracker.columns):
        return tracker
    today = dt.date.today()
    out = requests.with_state(tracker.fillna(""), today).rename(columns={"due": "due_date"})
    out["state_on"] = today.isoformat()
    return out


def _returns_rows(r: _Round) -> pd.DataFrame:
    from unallocated.model.categories import row_bounds

    parts = []
    for view, frame in r.views.items():
        frame = frame.reset_index(drop=True)
        bounds = [row_bounds(None if pd.isna(c) else int(c), q) for c, q in zip(frame["count"], frame["qualifier"])]
        review_row = frame["source"].fillna("").str.extract(_REVIEW_SOURCE, expand=False)
        parts.append(frame[schema.RETURN_COLUMNS].assign(
            round=r.name, view=view, row=range(1, len(frame) + 1),
            low=[b.low for b in bounds],
            high=[None if b.high == float("inf") else b.high for b in bounds],
            shown=[display.show(None if pd.isna(c) else int(c), q) for c, q in zip(frame["count"], frame["qualifier"])],
            correction=frame["correction"] if "correction" in frame.columns else pd.NA,
            from_review=review_row.notna(),
            review_row=review_row,
        ))
    return pd.concat(parts, ignore_index=True)


def _council_rows(r: _Round) -> pd.DataFrame:
    from unallocated.analysis import national_rows
    from unallocated.model.categories import DEFINITIONS, count_under

    by = ["council_code", "council", "snapshot_date", "layer", "case_type"]
    case_order = {c: i for i, c in enumerate(schema.CASE_TYPES)}
    parts = []
    for view, frame in r.views.items():
        frame = national_rows(frame)
        for position, name in enumerate(DEFINITIONS):
            got = count_under(frame, name, by=by).drop(columns="councils")
            parts.append(got.assign(view=view, definition=name, _definition=position))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=by)
    rows = pd.concat([rows, _no_return_rows(r, rows)], ignore_index=True)
    rows["_case"] = rows["case_type"].map(case_order)
    rows = rows.sort_values(["view", "council_code", "snapshot_date", "layer", "_case", "_definition"],
                            kind="stable", na_position="first")
    rows = display.with_shown(rows)
    rows["row"] = rows.groupby("view").cumcount() + 1
    return rows.assign(round=r.name).drop(columns=["_case", "_definition"])


#: Tracker statuses that record a reply (the tracker's words, lower case, spaces as underscores).
REPLIED = ("successful", "partially_successful", "not_held", "refused", "internal_review")


def _no_return_qualifier(request: pd.Series) -> str:
    """Why a council the tracker lists has no figures: it holds no such information (not_held),
    it has not replied (no_reply), or it replied without a figure the reader has (not_supplied:
    a refusal, or a reply whose figures are not among the returns read)."""
    words = {c: str(request.get(c, "") or "").strip().lower().replace(" ", "_") for c in ("status", "outcome")}
    if "not_held" in words.values():
        return "not_held"
    if str(request.get("reply_date", "") or "").strip() or words["status"] in REPLIED:
        return "not_supplied"
    return "no_reply"


def _no_return_rows(r: _Round, figures: pd.DataFrame) -> pd.DataFrame:
    """For a council the round's tracker lists that sent no return: its figures are unknown, never
    0, and the tracker says why (`_no_return_qualifier`)."""
    from unallocated.model.categories import DEFINITIONS

    if r.tracker is None or "council_code" not in r.tracker.columns:
        return pd.DataFrame()
    returned = set(figures["council_code"].dropna().astype(str)) if len(figures) else set()
    rows = []
    for _, request in r.tracker.iterrows():
        code = str(request["council_code"]).strip()
        if not code or code in returned:
            continue
        qualifier = _no_return_qualifier(request)
        for position, name in enumerate(DEFINITIONS):
            for case_type in schema.CASE_TYPES:
                for view in r.views:
                    rows.append({"council_code": code, "council": str(request.get("council", "")).strip(),
                                 "snapshot_date": pd.NA, "layer": pd.NA, "case_type": case_type, "count": pd.NA,
                                 "qualifier": qualifier, "low": None, "high": None, "view": view,
                                 "definition": name, "_definition": position})
    return pd.DataFrame(rows)


def _national_rows(r: _Round) -> tuple[pd.DataFrame, str]:
    from unallocated.analysis import national_rows as national_rows_of
    from unallocated.analysis import tables as analysis_tables
    from unallocated.model.categories import DEFINITIONS, AmbiguousReturns

    if not national_rows_of(r.views["as_published"]).shape[0]:
        return pd.DataFrame(), "no: no council's return has been read in this round"
    try:
        parts = [analysis_tables.headline(r.views["as_published"], name) for name in DEFINITIONS]
    except AmbiguousReturns as err:
        return pd.DataFrame(), f"no: {err}"
    table = pd.concat(parts, ignore_index=True).assign(round=r.name)
    return table, "yes"


def _side_rows(r: _Round, frame: pd.DataFrame | None, row_column: str, ensure: tuple[str, ...] = ()) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame()
    frame = frame.copy()
    for column in ensure:
        if column not in frame.columns:
            frame[column] = ""
    frame.insert(0, row_column, range(1, len(frame) + 1))
    frame.insert(0, "round", r.name)
    return frame


# ------------------------------------------------------------------------------------ registers

def _registers() -> dict[str, pd.DataFrame]:
    from unallocated.factcheck.claims import CLAIMS_PATH, Sources, evaluate_all, load_claims, verdict_table
    from unallocated.model.categories import DEFINITIONS
    from unallocated.model.corrections import CORRECTIONS_PATH, round_registers
    from unallocated.sources import official, reference
    from unallocated.sources.councils import COUNCILS_CSV

    verdicts = verdict_table(evaluate_all(load_claims(), Sources()))
    return {
        "definitions": pd.DataFrame([
            {"name": d.name, "title": d.title, "description": d.description,
             "counts": ";".join(f"{c}/{d_}" if d_ else c for c, d_ in sorted(d.pairs))}
            for d in DEFINITIONS.values()]),
        "published_figures": _read_side_csv(paths.DATA / "published_figures.csv"),
        # the coverage's register and every round's own (a right-of-reply dispute), as written
        "corrections": pd.concat([_read_side_csv(path) for path in (CORRECTIONS_PATH, *round_registers())],
                                 ignore_index=True).fillna(""),
        "claims": _read_side_csv(CLAIMS_PATH),
        "verdicts": verdicts,
        "councils": _read_side_csv(COUNCILS_CSV),
        "official_stats": reference.load_official_stats(),
        "official_files": pd.DataFrame([e.__dict__ for e in official.load_manifest()]),
    }


def build(root: Path | None = None) -> Built:
    """Every published table, typed and ordered as the dictionary says."""
    from unallocated.analysis import layer_of

    rounds = [_read_round(folder) for folder in round_folders(root)]
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in
                                                ("returns", "council_figures", "national_totals", "issues",
                                                 "files", "review_decisions", "requests")}
    round_rows, notes = [], []
    for r in rounds:
        published = r.views["as_published"]
        totals, has_totals = _national_rows(r)
        collected["returns"].append(_returns_rows(r))
        collected["council_figures"].append(_council_rows(r))
        collected["national_totals"].append(totals)
        collected["issues"].append(r.issues.reset_index(drop=True).assign(round=r.name, row=lambda t: range(1, len(t) + 1)))
        collected["files"].append(r.files.assign(round=r.name))
        collected["review_decisions"].append(_side_rows(r, r.review, "review_row"))
        collected["requests"].append(_side_rows(r, r.tracker, "request_row", TRACKER_QUERY_COLUMNS))
        if r.tracker is not None:
            lacking = [c for c in TRACKER_QUERY_COLUMNS if c not in r.tracker.columns]
            if lacking:
                notes.append(f"round {r.name}: the tracker has no {', '.join(lacking)} column(s); "
                             "the overdue and response-rate queries find nothing there")
        round_rows.append({
            "round": r.name, "layers": layer_of(published) if len(published) else "",
            "files": sum(1 for p in r.folder.rglob("*") if p.is_file()),
            "councils_returned": published["council_code"].replace("", pd.NA).dropna().nunique(),
            "returns_rows": len(published), "issues": len(r.issues), "tracker": r.tracker is not None,
            "review_decisions": 0 if r.review is None else len(r.review), "national_totals": has_totals,
        })
    frames: dict[str, pd.DataFrame] = {"rounds": pd.DataFrame(round_rows, columns=schema.TABLES["rounds"].column_names)}
    for name, parts in collected.items():
        parts = [p for p in parts if len(p)]
        frames[name] = (pd.concat(parts, ignore_index=True) if parts
                        else pd.DataFrame(columns=schema.TABLES[name].column_names))
    frames.update(_registers())
    specs = {}
    for name in frames:
        table = schema.TABLES[name]
        if name in ("review_decisions", "requests"):
            origin = {"review_decisions": "a round's review.csv", "requests": "a round's tracker (requests.csv)"}[name]
            for column in table.column_names:
                if column not in frames[name].columns:
                    frames[name][column] = pd.NA
            table = with_extra_columns(table, frames[name], origin)
        specs[name] = table
        frames[name] = typed(frames[name], table)
    from unallocated.publish.dictionary import PUBLISHED_TABLES

    order = [n for n in PUBLISHED_TABLES if n in frames]
    return Built({n: frames[n] for n in order}, {n: specs[n] for n in order}, notes)
