"""The tracker: one row per council asked, in the round folder's `requests.csv`
(`docs/requests_data_dictionary.md` describes every column).

What is stored is what happened, with its date: sent, received, a clarification asked and given,
the reply and what it said, chasers, an internal review, a complaint to the ICO, the right of
reply. What follows from dates is computed, never stored: the statutory due date
(`deadlines.due_date`), whether a request is overdue or very overdue today, whether a complaint
to the ICO may be made. A stored due date goes stale the day a clarification arrives or a
holiday table is corrected; a computed one cannot.

Statuses, modelled on Alaveteli's (mySociety's FOI platform):

    awaiting_response      sent, no answer yet
    clarification_needed   the council asked what we meant; the clock is stopped
    successful             the figures were given
    partially_successful   some were given, some refused or not held
    not_held               the council says it does not hold the information
    refused                refused, citing an exemption or the cost limit
    internal_review        we asked the council to review its answer
    withdrawn              we withdrew the request

The status changes only through `record(table, council, event, date, ...)`, which refuses an
event the status does not allow (a reply to a request never sent, a complaint to the ICO about
a review not yet 40 working days old): `EVENTS` lists what each event needs and leads to.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unallocated.errors import UnallocatedError
from unallocated.rounds import deadlines

COLUMNS = [
    "council_code", "council", "region", "reference", "sent", "received", "clarification_asked",
    "clarification_given", "status", "held", "exemptions_cited", "reply_date", "reply_files", "chasers",
    "internal_review_asked", "internal_review_reply", "internal_review_outcome", "ico_complaint",
    "right_of_reply_sent", "right_of_reply_answer", "right_of_reply_date", "right_of_reply_correction", "notes",
]
DATE_COLUMNS = ["sent", "received", "clarification_asked", "clarification_given", "reply_date",
                "internal_review_asked", "internal_review_reply", "ico_complaint", "right_of_reply_sent",
                "right_of_reply_date"]
STATUSES = ("awaiting_response", "clarification_needed", "successful", "partially_successful", "not_held",
            "refused", "internal_review", "withdrawn")
#: A final answer (to the request or to its review).
ANSWERS = ("successful", "partially_successful", "not_held", "refused")
#: Answers that gave figures.
GAVE_FIGURES = ("successful", "partially_successful")
HELD = ("held", "part_held", "not_held")
#: Grounds for refusal the tracker records (s12 and s14 are not exemptions in the Act's sense, but
#: they are what a refusal cites, so they share the column).
EXEMPTIONS = {"s12": "cost of compliance exceeds the appropriate limit", "s14": "vexatious or repeated request",
              "s21": "information accessible by other means", "s22": "intended for future publication",
              "s40": "personal information", "s43": "commercial interests"}
REVIEW_OUTCOMES = ("upheld", "overturned", "partly_overturned")
RIGHT_OF_REPLY_ANSWERS = ("agrees", "disputes")


class TrackerError(UnallocatedError, ValueError):
    """A tracker row, or an event recorded on it, that does not hold together (names the council)."""


def blank(councils, round_name: str) -> pd.DataFrame:
    """A tracker listing every council asked, nothing sent yet: status awaiting_response with no
    `sent` date reads as 'not sent' (see `state`)."""
    rows = []
    for c in sorted(councils, key=lambda c: c.old_la_code):
        row = dict.fromkeys(COLUMNS, "")
        row.update(council_code=c.old_la_code, council=c.name, region=c.region,
                   reference=f"{round_name}-{c.old_la_code}", status="awaiting_response")
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def load(path: Path) -> pd.DataFrame:
    """Read a tracker (all text; empty cells ''), checking its columns and every row (`check`)."""
    path = Path(path)
    if not path.exists():
        raise TrackerError(f"{path}: no tracker (`python -m unallocated round new` writes one)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if list(table.columns) != COLUMNS:
        raise TrackerError(f"{path}: expected columns {COLUMNS}, found {list(table.columns)}")
    problems = check(table)
    if problems:
        raise TrackerError(f"{path}: " + "; ".join(problems))
    return table


def save(table: pd.DataFrame, path: Path) -> Path:
    from unallocated.files import atomic_write_text

    problems = check(table)
    if problems:
        raise TrackerError("; ".join(problems))
    atomic_write_text(Path(path), table[COLUMNS].to_csv(index=False, lineterminator="\n"))
    return Path(path)


def _date(value: str, council: str, column: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TrackerError(f"{council}: {column} {value!r} is not a date YYYY-MM-DD") from None


def dates(row) -> dict[str, dt.date | None]:
    return {c: _date(row[c], row["council"], c) for c in DATE_COLUMNS}


def chaser_dates(row) -> list[dt.date]:
    return [_date(d, row["council"], "chasers") for d in row["chasers"].split(";") if d]


def check(table: pd.DataFrame) -> list[str]:
    """Every way the rows do not hold together, one sentence each (empty when they do)."""
    problems = []
    if table["council_code"].duplicated().any():
        problems.append(f"councils listed twice: {sorted(set(table.loc[table['council_code'].duplicated(), 'council']))}")
    for _, row in table.iterrows():
        who = row["council"] or row["council_code"]
        try:
            d = dates(row)
            chasers = chaser_dates(row)
        except TrackerError as err:
            problems.append(str(err))
            continue
        status = row["status"]
        if status not in STATUSES:
            problems.append(f"{who}: status {status!r} is not one of {', '.join(STATUSES)}")
            continue
        if row["held"] and row["held"] not in HELD:
            problems.append(f"{who}: held {row['held']!r} is not one of {', '.join(HELD)}")
        bad = [e for e in row["exemptions_cited"].split(";") if e and e not in EXEMPTIONS]
        if bad:
            problems.append(f"{who}: exemptions_cited {bad} not among {', '.join(EXEMPTIONS)}")
        if row["internal_review_outcome"] and row["internal_review_outcome"] not in REVIEW_OUTCOMES:
            problems.append(f"{who}: internal_review_outcome {row['internal_review_outcome']!r} not one of {REVIEW_OUTCOMES}")
        if row["right_of_reply_answer"] and row["right_of_reply_answer"] not in RIGHT_OF_REPLY_ANSWERS:
            problems.append(f"{who}: right_of_reply_answer {row['right_of_reply_answer']!r} not one of {RIGHT_OF_REPLY_ANSWERS}")
        order = [("sent", "received"), ("received", "clarification_asked"), ("clarification_asked", "clarification_given"),
                 ("received", "reply_date"), ("reply_date", "internal_review_asked"),
                 ("internal_review_asked", "internal_review_reply"), ("internal_review_asked", "ico_complaint"),
                 ("reply_date", "right_of_reply_sent"), ("right_of_reply_sent", "right_of_reply_date")]
        for first, then in order:
            if d[first] and d[then] and d[then] < d[first]:
                problems.append(f"{who}: {then} {d[then]} is before {first} {d[first]}")
        if any(d[c] for c in DATE_COLUMNS if c != "sent") and not d["sent"]:
            problems.append(f"{who}: dates recorded for a request never sent")
        if d["sent"] and not d["received"]:
            problems.append(f"{who}: sent but no received date (an e-mail is received the day it is sent)")
        if any(c < (d["received"] or c) for c in chasers):
            problems.append(f"{who}: a chaser dated before the request was received")
        if status in ANSWERS and not (d["reply_date"] or d["internal_review_reply"]):
            problems.append(f"{who}: status {status} without a reply_date")
        if status == "clarification_needed" and (not d["clarification_asked"] or d["clarification_given"]):
            problems.append(f"{who}: clarification_needed needs clarification_asked and no clarification_given")
        if d["clarification_asked"] and not d["clarification_given"] and status not in ("clarification_needed", "withdrawn"):
            problems.append(f"{who}: clarification asked and not given, but status {status}")
        if status == "internal_review" and not d["internal_review_asked"]:
            problems.append(f"{who}: status internal_review without internal_review_asked")
        if status == "refused" and not row["exemptions_cited"]:
            problems.append(f"{who}: refused without the exemption or limit it cited")
        if status == "not_held" and row["held"] != "not_held":
            problems.append(f"{who}: status not_held but held is {row['held']!r}")
        if d["ico_complaint"] and not ico_complaint_allowed(row, d["ico_complaint"]):
            problems.append(f"{who}: complaint to the ICO on {d['ico_complaint']} before an internal review was "
                            f"{deadlines.REVIEW_COMPLAINT_AFTER} working days unanswered")
        if row["right_of_reply_answer"] == "disputes" and not row["right_of_reply_correction"]:
            problems.append(f"{who}: a disputed right of reply names no correction (a row of the round's corrections.csv)")
    return problems


# --- what the dates say, computed ---------------------------------------------------------------

def due(row) -> deadlines.Due | None:
    """The statutory due date of the row's request (None before it is received)."""
    d = dates(row)
    if not d["received"]:
        return None
    return deadlines.due_date(d["received"], d["clarification_asked"], d["clarification_given"])


def ico_complaint_allowed(row, today: dt.date) -> bool:
    """The ICO's condition: an internal review was asked for and is unanswered after 40 working days."""
    d = dates(row)
    return bool(d["internal_review_asked"]) and (not d["internal_review_reply"] or d["internal_review_reply"] > today) \
        and deadlines.working_days_between(d["internal_review_asked"], today) > deadlines.REVIEW_COMPLAINT_AFTER


@dataclass(frozen=True)
class State:
    """A row's state on a day: its status, and what the dates make of it."""

    status: str
    shown: str  # what a reader sees: 'not sent', 'overdue', 'very overdue', or the status in words
    due: deadlines.Due | None
    overdue: bool
    very_overdue: bool
    working_days_late: int


SHOWN = {"awaiting_response": "awaiting response", "clarification_needed": "clarification needed",
         "successful": "successful", "partially_successful": "partially successful", "not_held": "not held",
         "refused": "refused", "internal_review": "internal review", "withdrawn": "withdrawn"}


def state(row, today: dt.date) -> State:
    """The row as it stands on `today`: overdue when awaiting a response past its due date, very
    overdue past 40 working days (Alaveteli's thresholds). Dates after `today` are not yet known."""
    status = row["status"]
    d = dates(row)
    if not d["sent"] or d["sent"] > today:
        return State(status, "not sent", None, False, False, 0)
    got = due(row)
    overdue = very = False
    days = 0
    if status == "awaiting_response" and got is not None and not got.paused and today > got.due:
        overdue = True
        days = deadlines.working_days_between(got.due, today)
        very = today > deadlines.very_overdue_date(got)
    shown = "very overdue" if very else "overdue" if overdue else SHOWN[status]
    return State(status, shown, got, overdue, very, days)


def with_state(table: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The tracker with the computed columns a reader needs on `today` (never written back):
    `due`, `due_explained`, `state`, `overdue`, `very_overdue`, `working_days_late`."""
    out = table.copy()
    states = [state(r, today) for _, r in table.iterrows()]
    out["due"] = [s.due.due.isoformat() if s.due and not s.due.paused else "" for s in states]
    out["due_explained"] = [s.due.explain() if s.due else "" for s in states]
    out["state"] = [s.shown for s in states]
    out["overdue"] = [s.overdue for s in states]
    out["very_overdue"] = [s.very_overdue for s in states]
    out["working_days_late"] = [s.working_days_late for s in states]
    return out


# --- events: the only way a status changes -------------------------------------------------------

#: event -> (statuses it may follow, status it leads to; None keeps the status or takes the reply's)
EVENTS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "send": (("awaiting_response",), "awaiting_response"),
    "clarification_asked": (("awaiting_response",), "clarification_needed"),
    "clarification_given": (("clarification_needed",), "awaiting_response"),
    "chaser": (("awaiting_response", "internal_review"), None),
    "reply": (("awaiting_response",), None),
    "review_asked": (("partially_successful", "not_held", "refused", "awaiting_response"), "internal_review"),
    "review_reply": (("internal_review",), None),
    "ico_complaint": (("internal_review",), None),
    "withdraw": (("awaiting_response", "clarification_needed", "internal_review"), "withdrawn"),
    "right_of_reply_sent": (GAVE_FIGURES, None),
    "right_of_reply_answer": (GAVE_FIGURES, None),
}


def record(table: pd.DataFrame, council: str, event: str, on: dt.date, *, status: str = "", held: str = "",
           exemptions: str = "", files: str = "", outcome: str = "", answer: str = "", correction: str = "",
           note: str = "") -> pd.DataFrame:
    """The tracker with one event recorded for one council (by code or name): a new table, the
    old one untouched. Refuses an event its status does not allow, naming both."""
    if event not in EVENTS:
        raise TrackerError(f"unknown event {event!r}; one of {', '.join(EVENTS)}")
    table = table.copy()
    hits = table.index[(table["council_code"] == council) | (table["council"].str.casefold() == council.casefold())]
    if len(hits) != 1:
        raise TrackerError(f"no council {council!r} in the tracker")
    i = hits[0]
    row = table.loc[i]
    who = row["council"]
    allowed, leads_to = EVENTS[event]
    if row["status"] not in allowed:
        raise TrackerError(f"{who}: cannot record {event} while the request is {row['status']} "
                           f"(allowed after: {', '.join(allowed)})")
    d = dates(row)
    day = on.isoformat()
    if event == "send":
        if d["sent"]:
            raise TrackerError(f"{who}: already sent on {d['sent']}")
        table.loc[i, ["sent", "received"]] = [day, day]
    elif event == "clarification_asked":
        table.loc[i, "clarification_asked"] = day
    elif event == "clarification_given":
        table.loc[i, "clarification_given"] = day
    elif event == "chaser":
        if not d["sent"]:
            raise TrackerError(f"{who}: no request sent to chase")
        table.loc[i, "chasers"] = ";".join([*filter(None, row["chasers"].split(";")), day])
    elif event in ("reply", "review_reply"):
        if status not in ANSWERS:
            raise TrackerError(f"{who}: a reply's status must be one of {', '.join(ANSWERS)}, not {status!r}")
        if event == "reply":
            if not d["sent"]:
                raise TrackerError(f"{who}: a reply to a request never sent")
            table.loc[i, "reply_date"] = day
        else:
            if outcome not in REVIEW_OUTCOMES:
                raise TrackerError(f"{who}: a review's outcome must be one of {', '.join(REVIEW_OUTCOMES)}")
            table.loc[i, ["internal_review_reply", "internal_review_outcome"]] = [day, outcome]
        table.loc[i, "status"] = status
        table.loc[i, "held"] = held or {"not_held": "not_held", "successful": "held",
                                        "partially_successful": "part_held"}.get(status, row["held"])
        table.loc[i, "exemptions_cited"] = exemptions or row["exemptions_cited"]
        if files:
            table.loc[i, "reply_files"] = ";".join([*filter(None, row["reply_files"].split(";")), files])
    elif event == "review_asked":
        if row["status"] == "awaiting_response":
            got = due(row)
            if got is None or got.paused or on <= got.due:
                raise TrackerError(f"{who}: an internal review of a request not yet answered may be asked only once it is overdue")
        table.loc[i, "internal_review_asked"] = day
    elif event == "ico_complaint":
        if not ico_complaint_allowed(row, on):
            raise TrackerError(f"{who}: a complaint to the ICO needs an internal review unanswered after "
                               f"{deadlines.REVIEW_COMPLAINT_AFTER} working days (asked {d['internal_review_asked']})")
        table.loc[i, "ico_complaint"] = day
    elif event == "right_of_reply_sent":
        table.loc[i, "right_of_reply_sent"] = day
    elif event == "right_of_reply_answer":
        if not d["right_of_reply_sent"]:
            raise TrackerError(f"{who}: no right-of-reply letter was sent")
        if answer not in RIGHT_OF_REPLY_ANSWERS:
            raise TrackerError(f"{who}: the answer must be one of {', '.join(RIGHT_OF_REPLY_ANSWERS)}")
        if answer == "disputes" and not correction:
            raise TrackerError(f"{who}: a dispute must name its correction (a row of the round's corrections.csv)")
        table.loc[i, ["right_of_reply_answer", "right_of_reply_date", "right_of_reply_correction"]] = [answer, day, correction]
    if leads_to is not None:
        table.loc[i, "status"] = leads_to
    if note:
        table.loc[i, "notes"] = "; ".join(filter(None, [row["notes"], note]))
    problems = check(table.loc[[i]])
    if problems:
        raise TrackerError("; ".join(problems))
    return table


# --- the status report -------------------------------------------------------------------------

def by_region(table: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per region and for England: councils asked, answered (any final answer), gave figures,
    answered after the due date, refused, not held, still waiting, overdue; and the response rate
    (answered / asked)."""
    t = with_state(table, today)
    answered = t["status"].isin(ANSWERS) | t["internal_review_asked"].ne("")
    rows = []
    for region, part in [*t.groupby("region", sort=True), ("England", t)]:
        mask = answered.loc[part.index]
        asked = int((part["sent"] != "").sum())
        rows.append({
            "region": region, "asked": asked, "answered": int(mask.sum()),
            "gave_figures": int(part["status"].isin(GAVE_FIGURES).sum()),
            "answered_late": int(sum(1 for _, r in part.iterrows() if r["reply_date"] and r["due"]
                                     and r["reply_date"] > r["due"])),
            "refused": int((part["status"] == "refused").sum()), "not_held": int((part["status"] == "not_held").sum()),
            "waiting": int(part["status"].isin(["awaiting_response", "clarification_needed"]).sum() - (part["sent"] == "").sum()),
            "overdue": int(part["overdue"].sum()), "very_overdue": int(part["very_overdue"].sum()),
            "not_sent": int((part["sent"] == "").sum()),
        })
    out = pd.DataFrame(rows)
    out["response_rate"] = [f"{a / n:.0%}" if n else "\u2013" for a, n in zip(out["answered"], out["asked"])]
    return out


def report(table: pd.DataFrame, today: dt.date, title: str) -> str:
    """`round status`: who is overdue, the response rate by region, and how each due date was
    computed (grouped by the day the requests were received)."""
    t = with_state(table, today)
    lines = [title, f"On {today:%A} {today.day} {today:%B %Y}: {len(t)} councils in the tracker."]
    late = t[t["overdue"]].sort_values(["very_overdue", "working_days_late", "council"], ascending=[False, False, True])
    lines.append(f"\nOverdue ({len(late)}; very overdue: more than {deadlines.VERY_OVERDUE_AFTER} working days after receipt):")
    for _, r in late.iterrows():
        chased = f"; chased {r['chasers'].replace(';', ', ')}" if r["chasers"] else "; not chased yet"
        lines.append(f"  {r['council']} ({r['council_code']}, {r['region']}): {r['state']}, due {r['due']}, "
                     f"{r['working_days_late']} working days late{chased}")
    if late.empty:
        lines.append("  none")
    waiting_clar = t[t["status"] == "clarification_needed"]
    if not waiting_clar.empty:
        lines.append(f"\nClock stopped, waiting for our clarification ({len(waiting_clar)}):")
        lines += [f"  {r['council']}: asked {r['clarification_asked']}" for _, r in waiting_clar.iterrows()]
    review = t[(t["internal_review_asked"] != "") & (t["internal_review_reply"] == "")]
    if not review.empty:
        lines.append(f"\nInternal reviews unanswered ({len(review)}):")
        for _, r in review.iterrows():
            ok = ico_complaint_allowed(r, today)
            lines.append(f"  {r['council']}: asked {r['internal_review_asked']}"
                         + ("; a complaint to the ICO may now be made" if ok and not r["ico_complaint"] else "")
                         + (f"; complaint to the ICO {r['ico_complaint']}" if r["ico_complaint"] else ""))
    regions = by_region(table, today)
    lines.append("\nResponse by region (answered: any final answer, including refusals; rate = answered / asked):")
    lines.append(regions.to_string(index=False))
    lines.append("\nHow each due date was computed (20 working days after receipt; weekends and the bank "
                 "holidays of every part of the UK skipped):")
    sent = t[t["due_explained"] != ""]
    for text, part in sent.groupby("due_explained", sort=False):
        names = ", ".join(part["council"].head(4)) + (f" and {len(part) - 4} more" if len(part) > 4 else "")
        lines.append(f"  {len(part)} ({names}): {text}")
    return "\n".join(lines)
