"""`round new NAME --date YYYY-MM-DD`: a new round's folder, for the councils with children's
services on that date (boundary changes applied), its request wording, its tracker, and one
request letter and pre-filled return template per council.

What it writes:

    data/raw/returns/NAME/request.md     the request's wording, versioned with the round; the
                                         letters fill in {{council}}, {{reference}}, ...
    data/raw/returns/NAME/requests.csv   the tracker: every council asked, nothing sent yet
    data/raw/returns/NAME/manifest.csv   empty: a row per reply as replies arrive
    data/raw/returns/NAME/review.csv     empty: a person's decisions on what the reader was unsure of
    data/raw/returns/rounds.csv          the round added to the register
    outputs/rounds/NAME/letters/request/CODE-name.md    one request letter per council
    outputs/rounds/NAME/letters/request/CODE-name.xlsx  the return template, pre-filled for it
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from unallocated.rounds import round as rounds
from unallocated.rounds import tracker
from unallocated.schema import OTHER_ROLES, UNALLOCATED_REASONS

#: The questions each case type is asked, and the category of the returns table each maps to: a
#: reply's figures then read straight into the definitions. The last column says whether 2010
#: asked it the same way (the comparison compares only those; the rest are shown, not compared).
QUESTIONS = [
    ("Q1", "How many cases were open on {{figures_as_at}}?", "total", "", "yes"),
    ("Q2", "Of those, how many were allocated to a qualified, registered social worker?",
     "allocated_qualified", "", "no: 2010 did not ask it"),
    ("Q3", "How many were allocated to another professional and not to a qualified social worker, by role "
     "(social work assistant, social worker in training, family support worker, leaving-care worker, other)?",
     "allocated_other", "; ".join(OTHER_ROLES), "no: 2010 did not ask it"),
    ("Q4", "How many were allocated to no one, by the reason your council records (in transit between teams, "
     "awaiting closure, worked by a partner agency, financial payments only, held by a duty team or manager, "
     "no reason recorded)?", "unallocated",
     "; ".join(UNALLOCATED_REASONS),
     "no: 2010 asked for cases with 'no allocated social worker', which councils read as Q3 and Q4 together or as Q4 alone"),
]

CASE_TYPES_ASKED = [("cp", "children subject to a child protection plan"),
                    ("lac", "children looked after by the council"),
                    ("cin", "other children in need (not on a plan and not looked after)")]


def request_wording() -> str:
    """The default request: the letter's body, with `{{...}}` for what each council's letter fills
    in, and the table mapping each question to the category of the returns table."""
    lines = [
        "Dear Freedom of Information officer,",
        "",
        "Under the Freedom of Information Act 2000 I ask {{council}} (DfE code {{code}}) for the following "
        "figures, as at {{figures_as_at}}, for each of:",
        "",
        *[f"- {label} (`{code}`)" for code, label in CASE_TYPES_ASKED],
        "",
        *[f"{qid}. {text}" for qid, text, *_ in QUESTIONS],
        "",
        "A case allocated to a social worker and to someone else counts once, under Q2. Please give each "
        "figure as a number; where a figure is small and you would rather not give it exactly, give a range "
        "('fewer than 5') rather than leave it out, and where your council does not record a figure, say so. "
        "The attached return (an Excel workbook, already filled in with your council's name) has a cell for "
        "each answer; a letter or your own table is as welcome.",
        "",
        "Please quote our reference {{reference}}. The Act asks for an answer within twenty working days.",
        "",
        "## How each question maps to the returns table",
        "",
        "| question | category | details | asked the same way in 2010 |",
        "| --- | --- | --- | --- |",
        *[f"| {qid} | {category} | {details} | {same} |" for qid, _, category, details, same in QUESTIONS],
        "",
    ]
    return "\n".join(lines)


def create(name: str, on: dt.date, layer: str = "real_return", description: str = "",
           wording: str | None = None, letters: bool = True, today: dt.date | None = None) -> rounds.Round:
    """Make the round's folder, tracker and letters (see the module docstring); refuses a name
    already in the register or a folder already there."""
    from unallocated.files import atomic_write_bytes, atomic_write_text
    from unallocated.returns.review import REVIEW_COLUMNS
    from unallocated.returns.template import template_bytes

    if name in (rounds.names() if rounds.registry_path().exists() else []):
        raise rounds.RoundError(f"round {name!r} is already in {rounds.registry_path()}")
    r = rounds.Round(name, on, on, layer, "", "", description or f"Request for figures at {on.isoformat()}.")
    if r.folder.exists() and any(r.folder.iterdir()):
        raise rounds.RoundError(f"{r.folder} exists and is not empty")
    if not rounds.NAME_RE.match(name):
        raise rounds.RoundError(f"round name {name!r}: lower-case letters, digits and '-' only")
    r.folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(r.request_path, wording or request_wording())
    asked = r.councils()
    tracker.save(tracker.blank(asked, name), r.tracker_path)
    atomic_write_text(r.folder / "manifest.csv", "file,council,snapshot_date,layer\n")
    atomic_write_text(r.folder / "review.csv", ",".join(REVIEW_COLUMNS) + "\n")
    rounds.add(r)
    if letters:
        from unallocated.rounds.letters import write_letters

        table = tracker.load(r.tracker_path)
        written, _ = write_letters("request", r, table, today or dt.date.today())
        for path in written:
            code = path.name.split("-", 1)[0]
            who = next(c for c in asked if c.old_la_code == code)
            atomic_write_bytes(path.with_suffix(".xlsx"), template_bytes(on, (who.name, who.old_la_code)))
    return r


def letters_folder(r: rounds.Round) -> Path:
    return r.outputs / "letters"
