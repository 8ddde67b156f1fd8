"""Letters filled from the tracker: the request, a chaser, an internal-review request, a complaint
to the ICO (only when its conditions hold), and the right-of-reply letter.

Each function takes the round and one tracker row and returns the letter as markdown; each
refuses (`TrackerError`) when the row does not call for that letter: a chaser for a request not
yet overdue, a complaint to the ICO before an internal review is 40 working days unanswered.
`write_letters` writes one kind for every row that calls for it, under
`outputs/rounds/NAME/letters/KIND/CODE-name.md` (letters are made from the tracker and the
round's wording, so they are outputs, rebuilt at will; the tracker records what was sent).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from unallocated.rounds import deadlines, tracker
from unallocated.rounds.round import Round
from unallocated.rounds.tracker import TrackerError

KINDS = ("request", "chaser", "review", "ico", "right_of_reply")


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _head(r: Round, row, today: dt.date, subject: str) -> list[str]:
    lines = []
    if r.simulated:
        lines.append("> SIMULATED: a letter of the project's illustrative round; no council was sent it.\n")
    lines += [f"To: the Freedom of Information officer, {row['council']}",
              f"Our reference: {row['reference']}", f"Date: {_day(today)}", "", f"## {subject}", ""]
    return lines


def fill(text: str, r: Round, row) -> str:
    """The round's wording with the council's name, code, reference and the date filled in."""
    as_at = _day(r.figures_as_at) if r.figures_as_at else "the date of your reply"
    for key, value in {"council": row["council"], "code": row["council_code"], "reference": row["reference"],
                       "figures_as_at": as_at, "round": r.name}.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def request(r: Round, row, today: dt.date) -> str:
    wording = r.request_path.read_text(encoding="utf-8")
    return "\n".join(_head(r, row, today, "Request for information under the Freedom of Information Act 2000")) \
        + fill(wording, r, row) + "\n"


def chaser(r: Round, row, today: dt.date) -> str:
    st = tracker.state(row, today)
    if not st.overdue:
        raise TrackerError(f"{row['council']}: no chaser: the request is {st.shown}"
                           + (f", due {st.due.due}" if st.due and not st.due.paused else ""))
    body = [f"We asked {row['council']} for information on {_day(st.due.received)} (our reference "
            f"{row['reference']}). Section 10 of the Freedom of Information Act 2000 required an answer by "
            f"{_day(st.due.due)}, the twentieth working day after it was received; today is "
            f"{st.working_days_late} working days past that date and we have had no answer.",
            "", "Please send the information, or a refusal notice giving the exemption relied on, as soon as "
            "possible. If you need us to clarify the request, tell us what is unclear.",
            "", f"How the date was computed: {st.due.explain()}."]
    return "\n".join(_head(r, row, today, f"Overdue response to our request {row['reference']}") + body) + "\n"


def review(r: Round, row, today: dt.date) -> str:
    st = tracker.state(row, today)
    if row["internal_review_asked"]:
        raise TrackerError(f"{row['council']}: an internal review was already asked for on {row['internal_review_asked']}")
    if row["status"] in ("refused", "partially_successful", "not_held"):
        why = {"refused": f"refused the request, citing {_grounds(row)}",
               "partially_successful": "answered the request in part" + (f", citing {_grounds(row)}" if row["exemptions_cited"] else ""),
               "not_held": "said the information is not held"}[row["status"]]
        reason = (f"On {_day(tracker.dates(row)['reply_date'])} the council {why}. We ask for an internal review "
                  "of that decision.")
    elif st.overdue:
        reason = (f"Our request has had no answer although it was due on {_day(st.due.due)}. We ask for an "
                  "internal review of the council's failure to answer within the time the Act allows.")
    else:
        raise TrackerError(f"{row['council']}: no internal review to ask for: the request is {st.shown}")
    body = [reason, "", "The figures we asked for are counts of cases, not information about any person; where "
            "a count is small, giving it as a range (for example 'fewer than 5') would answer the request "
            "without identifying anyone.", "", "Please reply within 20 working days, as the ICO recommends."]
    return "\n".join(_head(r, row, today, f"Internal review of our request {row['reference']}") + body) + "\n"


def _answer_words(row) -> str:
    """What the first answer said, from the row's outcome columns (its status may since be a review)."""
    if row["held"] == "not_held":
        return "saying the information is not held"
    if row["exemptions_cited"]:
        return f"{'refusing it' if row['held'] != 'part_held' else 'answering in part'}, citing {_grounds(row)}"
    return "giving the figures"


def _grounds(row) -> str:
    cited = [e for e in row["exemptions_cited"].split(";") if e]
    return ", ".join(f"section {e[1:]} ({tracker.EXEMPTIONS[e]})" for e in cited) or "no exemption"


def ico(r: Round, row, today: dt.date) -> str:
    if not tracker.ico_complaint_allowed(row, today):
        raise TrackerError(f"{row['council']}: no complaint to the ICO yet: it needs an internal review asked "
                           f"for and unanswered after {deadlines.REVIEW_COMPLAINT_AFTER} working days")
    d = tracker.dates(row)
    days = deadlines.working_days_between(d["internal_review_asked"], today)
    body = [f"Public authority: {row['council']}. Our reference: {row['reference']}.", "",
            f"We asked for information on {_day(d['received'])}"
            + (f"; the council answered on {_day(d['reply_date'])}, {_answer_words(row)}" if d["reply_date"] else
               "; the council has not answered")
            + f". We asked for an internal review on {_day(d['internal_review_asked'])}: {days} working days later "
            f"it is unanswered, past the {deadlines.REVIEW_COMPLAINT_AFTER} working days the ICO allows.",
            "", "We ask the Commissioner to decide whether the council has dealt with the request in accordance "
            "with Part I of the Freedom of Information Act 2000."]
    head = _head(r, row, today, f"Complaint under section 50: {row['council']}, {row['reference']}")
    head[0 if not r.simulated else 1] = "To: the Information Commissioner's Office"
    return "\n".join(head + body) + "\n"


def right_of_reply(r: Round, row, today: dt.date, figures: pd.DataFrame) -> str:
    """'This is how we read your reply': the council's figures as the project read them, each
    with where it was read, asking the council to say whether they are right."""
    if row["status"] not in tracker.GAVE_FIGURES:
        raise TrackerError(f"{row['council']}: no figures to put to the council: the request is {tracker.SHOWN[row['status']]}")
    mine = figures[figures["council_code"] == row["council_code"]]
    if mine.empty:
        raise TrackerError(f"{row['council']}: no figures read from its reply (see the round's issues.csv)")
    lines = ["Before we publish, this is how we read your reply. Please tell us by return whether each figure "
             "is right; if one is not, give the right figure and what the difference is.", "",
             "| case type | category | detail | figure | as you wrote it | where we read it |", "| --- | --- | --- | --- | --- | --- |"]
    for _, f in mine.iterrows():
        shown = f["shown"] if "shown" in f and f["shown"] else ("" if pd.isna(f["count"]) else str(f["count"]))
        lines.append(f"| {f['case_type']} | {f['category']} | {f['detail']} | {shown} | {f['raw']} | {f['source']} |")
    return "\n".join(_head(r, row, today, f"Your figures, before publication ({row['reference']})") + lines) + "\n"


def letter(kind: str, r: Round, row, today: dt.date, figures: pd.DataFrame | None = None) -> str:
    if kind not in KINDS:
        raise TrackerError(f"unknown letter {kind!r}; one of {', '.join(KINDS)}")
    if kind == "right_of_reply":
        return right_of_reply(r, row, today, figures if figures is not None else pd.DataFrame(columns=["council_code"]))
    return {"request": request, "chaser": chaser, "review": review, "ico": ico}[kind](r, row, today)


def write_letters(kind: str, r: Round, table: pd.DataFrame, today: dt.date, out_dir: Path | None = None,
                  figures: pd.DataFrame | None = None) -> tuple[list[Path], list[str]]:
    """Write a letter of `kind` for every council whose row calls for one; returns the files and,
    for the others, why not (one line each)."""
    import re

    from unallocated.files import atomic_write_text

    out_dir = Path(out_dir or r.outputs / "letters") / kind
    for old in out_dir.glob("*.md") if kind != "request" else ():  # made from the tracker: a row no longer calling for one loses it
        old.unlink()
    written, skipped = [], []
    for _, row in table.iterrows():
        try:
            text = letter(kind, r, row, today, figures)
        except TrackerError as err:
            skipped.append(str(err))
            continue
        name = re.sub(r"[^a-z0-9]+", "-", row["council"].lower()).strip("-")
        written.append(atomic_write_text(out_dir / f"{row['council_code']}-{name}.md", text))
    return written, skipped
