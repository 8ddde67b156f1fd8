"""When a council's answer is due under the Freedom of Information Act 2000, computed from dates,
never stored.

Section 10(1): a council must answer promptly and no later than the twentieth working day
following the date of receipt. Section 10(6): a working day is any day but a Saturday, a Sunday,
Christmas Day, Good Friday, or a bank holiday in *any part of the United Kingdom*: so the union
of the bank holidays of England and Wales, Scotland and Northern Ireland (St Andrew's Day and
St Patrick's Day count everywhere). The date of receipt itself need not be a working day (the
ICO's line to take): day one is the first working day after it.

A request for clarification (section 1(3)): the council need not answer until the clarification
arrives, and the date of receipt becomes the day it arrives (section 10(6)(b)). The clock is
stopped while the council waits, and the twenty working days are counted afresh from the
clarification.

Alaveteli (mySociety's FOI platform) calls an answer overdue after the twentieth working day
and very overdue after the fortieth; an internal review is expected within 20 working days and
the ICO accepts a complaint about one unanswered after 40. Those thresholds are here too.

Bank holidays come from the `holidays` package (pinned in requirements.txt), which computes
them offline; the names say which nation each holiday belongs to.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

#: The parts of the United Kingdom whose bank holidays are not working days (section 10(6)).
NATIONS = {"ENG": "England and Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
#: Working days a council has to answer (section 10(1)).
DUE_AFTER = 20
#: Alaveteli's 'very overdue': working days after the date of receipt.
VERY_OVERDUE_AFTER = 40
#: Working days after which the ICO accepts a complaint about an unanswered internal review.
REVIEW_COMPLAINT_AFTER = 40


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> dict[dt.date, str]:
    """Every bank holiday of `year` in any part of the UK, with its name and nations:
    {date(2026, 11, 30): "Saint Andrew's Day (Scotland)", ...}."""
    import holidays

    found: dict[dt.date, list[str]] = {}
    for code, nation in NATIONS.items():
        for day, name in holidays.country_holidays("GB", subdiv=code, years=[year]).items():
            found.setdefault(day, [])
            for part in name.split("; "):
                label = f"{part} ({nation})"
                if label not in found[day]:
                    found[day].append(label)
    return {day: _merge(names) for day, names in sorted(found.items())}


def _merge(labels: list[str]) -> str:
    """'Christmas Day (England and Wales)', '... (Scotland)' -> 'Christmas Day (England and Wales,
    Scotland)': one name per holiday, with every nation that keeps it."""
    by_name: dict[str, list[str]] = {}
    for label in labels:
        name, _, nation = label.rpartition(" (")
        by_name.setdefault(name, []).append(nation.rstrip(")"))
    everywhere = set(NATIONS.values())
    return "; ".join(name + ("" if set(nations) == everywhere else f" ({', '.join(nations)})")
                     for name, nations in by_name.items())


def not_working(day: dt.date) -> str:
    """Why `day` is not a working day ('Saturday', "Saint Andrew's Day (Scotland)"), or '' if it is."""
    if day.weekday() >= 5:
        return day.strftime("%A")
    return bank_holidays(day.year).get(day, "")


def is_working_day(day: dt.date) -> bool:
    return not not_working(day)


@dataclass(frozen=True)
class Count:
    """The `n`th working day after `start`, and the days skipped on the way that were not
    weekends (the bank holidays a reader would otherwise miss)."""

    start: dt.date
    n: int
    day: dt.date
    holidays_skipped: tuple[tuple[dt.date, str], ...] = field(default=())


def working_days_after(start: dt.date, n: int) -> Count:
    """The `n`th working day after `start` (day one is the first working day after it)."""
    day, counted, skipped = start, 0, []
    while counted < n:
        day += dt.timedelta(days=1)
        why = not_working(day)
        if not why:
            counted += 1
        elif day.weekday() < 5:
            skipped.append((day, why))
    return Count(start, n, day, tuple(skipped))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    day, counted = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    return counted


@dataclass(frozen=True)
class Due:
    """A statutory due date and how it was reached."""

    received: dt.date
    clock_starts: dt.date  # the date of receipt the twenty days count from
    due: dt.date
    holidays_skipped: tuple[tuple[dt.date, str], ...]
    clarification: tuple[dt.date, dt.date | None] | None = None  # (asked, answered)

    @property
    def paused(self) -> bool:
        """Waiting for a clarification the council asked for: no due date runs."""
        return self.clarification is not None and self.clarification[1] is None

    def explain(self) -> str:
        """How the date was computed, in words: the holidays skipped, a clarification."""
        def day(d: dt.date) -> str:
            return f"{d:%a} {d.day} {d:%B %Y}"

        if self.paused:
            asked = self.clarification[0]
            return (f"received {day(self.received)}; the council asked for clarification on {day(asked)}: "
                    f"no due date until the clarification arrives (s1(3)); the 20 working days then start again")
        text = f"received {day(self.received)}"
        if self.clarification is not None:
            asked, answered = self.clarification
            text += (f"; clarification asked {day(asked)}, given {day(answered)}: the 20 working days "
                     f"count from {day(self.clock_starts)} (s10(6))")
        text += f"; 20th working day after: {day(self.due)}"
        if self.holidays_skipped:
            text += "; bank holidays skipped: " + ", ".join(f"{d.day} {d:%b} ({name})" for d, name in self.holidays_skipped)
        else:
            text += "; no bank holiday in between"
        return text


def due_date(received: dt.date, clarification_asked: dt.date | None = None,
             clarification_given: dt.date | None = None) -> Due:
    """The statutory due date of a request received on `received` (section 10).

    With a clarification asked for (`clarification_asked`), the due date counts from the day it
    was given (`clarification_given`); until then there is none (`Due.paused`, `due` is then the
    date the original count would have given, for reference only).
    """
    if clarification_given is not None and clarification_asked is None:
        raise ValueError("a clarification given needs the date it was asked for")
    if clarification_asked is not None and clarification_asked < received:
        raise ValueError(f"clarification asked {clarification_asked} before the request was received {received}")
    if clarification_given is not None and clarification_given < clarification_asked:
        raise ValueError(f"clarification given {clarification_given} before it was asked for {clarification_asked}")
    start = clarification_given or received
    count = working_days_after(start, DUE_AFTER)
    clar = None if clarification_asked is None else (clarification_asked, clarification_given)
    return Due(received, start, count.day, count.holidays_skipped, clar)


def very_overdue_date(due: Due) -> dt.date:
    """The day after which Alaveteli would call the request very overdue: 40 working days after
    the date of receipt the clock counts from."""
    return working_days_after(due.clock_starts, VERY_OVERDUE_AFTER).day
