"""Find a snapshot date in a cell: a real date, "31/03/2010", "31 March 2010", or "March 2010"."""
from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_date", "find_date"]

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _iso(y: int, m: int, d: int | None) -> str | None:
    try:
        return dt.date(y, m, d).isoformat() if d else f"{dt.date(y, m, 1):%Y-%m}"
    except ValueError:
        return None


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "the end of September 2010": the month's last day
    (re.compile(rf"\b(?:the\s+)?end\s+of\s+{_MONTH},?\s+(\d{{4}})\b"), "end_mon_y"),
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b"), "dmy"),  # UK order
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH},? (\d{{4}})\b"), "d_mon_y"),
    (re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})\b"), "mon_d_y"),
    (re.compile(rf"\b{_MONTH}[ -]?(\d{{4}})\b"), "mon_y"),
    (re.compile(r"\b(\d{4})-(\d{2})\b"), "ym"),
]


def find_date(text: str) -> str | None:
    """The first date written anywhere in the text, as YYYY-MM-DD or YYYY-MM (month only)."""
    t = str(text).lower()
    for pattern, kind in _PATTERNS:
        m = pattern.search(t)
        if not m:
            continue
        g = m.groups()
        if kind == "ymd":
            out = _iso(int(g[0]), int(g[1]), int(g[2]))
        elif kind == "dmy":
            out = _iso(_year(g[2]), int(g[1]), int(g[0]))
        elif kind == "d_mon_y":
            out = _iso(int(g[2]), _MONTHS[g[1]], int(g[0]))
        elif kind == "mon_d_y":
            out = _iso(int(g[2]), _MONTHS[g[0]], int(g[1]))
        elif kind == "end_mon_y":
            month, year = _MONTHS[g[0]], int(g[1])
            out = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
        elif kind == "mon_y":
            out = _iso(int(g[1]), _MONTHS[g[0]], None)
        elif int(g[1]) == (int(g[0]) + 1) % 100:
            continue  # "2009-10": a financial year (April to March), not October 2009
        else:
            out = _iso(int(g[0]), int(g[1]), None)
        if out:
            return out
    return None


def parse_date(value: object) -> str | None:
    """A cell that is a date and nothing else, as ISO text; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    t = value.strip()
    found = find_date(t)
    if not found:
        return None
    # Only a cell that holds little besides the date counts as a date cell.
    rest = re.sub(r"[\d/.\-,\s]|(?i:st|nd|rd|th|of)\b", "", t.lower())
    rest = re.sub(_MONTH, "", rest)
    return found if len(rest) <= 2 else None


# -- which date the figures are for --------------------------------------------------------------
#
# A reply holds many dates: the letter's, the request's, a report's run date, the date asked for
# and the date the figures are for. Each mention gets a strength, from the words just before it
# (and the sentence it sits in); the file's snapshot date is the strongest.

#: Strengths, weakest first: a run, sent, received, letter or due date is NEVER the snapshot; the
#: date a request asked for is weaker than a date merely mentioned, which is weaker than the date
#: of a sentence that gives figures, which is weaker than one that says the figures are for it.
NEVER, REQUESTED, MENTIONED, WITH_FIGURES, STATED = 0, 1, 2, 3, 4

#: Words just before a date that make it never the figures' date: when something was run,
#: printed, sent, received or is due, or the letter's own date.
_NEVER_BEFORE = re.compile(
    r"(?:\b(?:run|printed|generated|produced|extracted|exported|created|downloaded|refreshed|updated)\b"
    r"(?:\s+(?:on|at|date|time))?|\b(?:response|reply|letter|print|run|report run|issue)?\s*date\b"
    r"(?:\s+of\s+(?:response|reply|letter|issue))?|\breceived\b(?:\s+(?:it\s+)?on)?|\bsent\b(?:\s+you)?(?:\s+on)?|"
    r"\bdated\b|\bwritten\s+on\b|\brequest\s+(?:of|dated|made\s+on|received\s+on)|\bby\b|\bbefore\b|\bwithin\b|"
    r"\bdue\b(?:\s+(?:on|by))?|\bdeadline\b|\b(?:response|reply|letter|acknowledg\w*)(?:\s+(?:of|on)|\s*,)|\bversion\b|\bfrom\b|\bsince\b|\buntil\b|\bto\b|\bexpires?\b)"
    r"\s*[:.,-]?\s*$", re.I)
#: Words just before a date that say the figures are for it.
_STATED_BEFORE = re.compile(
    r"(?:\bas\s+(?:at|of)|\bposition\s+(?:at|as\s+at|on|of)|\bsnapshot(?:\s+(?:date|of|at|on|taken\s+on))?|"
    r"\bfigures?\s+(?:are\s+|were\s+|is\s+)?(?:for|as\s+at|at|on|relate\s+to|refer\s+to)(?:\s+cases\s+open\s+on)?|"
    r"\bdata\s+(?:as\s+at|for|at|on)|\bweek\s+ending|\bw/e|\bat\s+(?:the\s+)?close\s+of\s+(?:business|play)\s+on|"
    r"\bcensus\s+(?:date|day)|\b(?:is|was|are|were)\s+open\s+(?:at|on)|\bcases\s+open\s+(?:at|on)|"
    r"\bopen\s+(?:at|on)|\bthe\s+position\s+(?:at|on)|\bdate\s+of\s+(?:snapshot|data|extract\s+data))"
    r"\s*[:.,-]?\s*$", re.I)
#: A sentence that quotes the request: its dates are the date asked for, not the figures' date.
_REQUEST = re.compile(r"\b(?:your\s+request|you\s+asked|request(?:ed)?\s+for|requested|asked\s+for|"
                      r"you\s+requested|the\s+request)\b|\?\s*$", re.I)
#: A sentence in which the council answers in its own words ("We have answered using ...").
_ANSWERS = re.compile(r"\b(?:we\s+have\s+(?:answered|used|given|provided)|instead|rather\s+than|"
                      r"nearest|taken\s+from|these\s+figures|the\s+figures\s+(?:below|above|in\s+this))\b", re.I)


def date_mentions(text: str) -> list[tuple[str, int, int]]:
    """Every date written in the text: (ISO date or month, start, end), in order, none overlapping."""
    t = str(text).lower()
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(t)
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(t):
            if any(taken[m.start():m.end()]):
                continue
            iso = find_date(m.group(0))
            if iso:
                found.append((iso, m.start(), m.end()))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return sorted(found, key=lambda x: x[1])


#: A sentence about an earlier answer or another figure ("in July we gave a figure of 2,958 ...;
#: that figure was as at 31 March 2010"): its date is not this reply's.
_EARLIER = re.compile(r"\b(?:that|the\s+earlier|the\s+previous|an\s+earlier|our\s+earlier|last\s+year'?s)\s+"
                      r"(?:figure|figures|reply|response|return|answer)\b|\bwe\s+gave\b|\bpreviously\b|"
                      r"\bin\s+our\s+(?:reply|response|letter)\s+to\b", re.I)

#: Words after a date that say the figures are for it ("extracted on Friday 29 October 2010 and
#: show the cases open on that day").
_STATED_AFTER = re.compile(r"^[^.?!]{0,40}?\b(?:show|shows|showing|give|gives|reflect|reflects|are|is)\s+(?:the\s+)?"
                           r"(?:cases|position|figures|children|caseload)\s+(?:open\s+|held\s+)?(?:on|at|as\s+at)\s+"
                           r"(?:that|this|the\s+same)\s+(?:day|date)\b", re.I)


#: A sentence that gives a date's figures only to compare ("Census figures at 31/03/2010 are
#: shown for comparison only"): its date is not the reply's.
_COMPARISON = re.compile(r"\bfor comparison\b|\bcomparison only\b|\bfor reference only\b|\bcompared with\b", re.I)
#: Words of a short heading that make its date the letter's, not a table's ("Received at", "Printed on").
_NOT_A_TABLE = re.compile(r"\b(?:received|sent|printed|run|produced|generated|extracted|exported|dated|due|"
                          r"requests?|requested|letter|reply|response|deadline|updated|created|closed|opened)\b", re.I)
#: A short heading naming what a table is and the date it is at ("Allocation at 30/09/2010").
_HEADING_AT = re.compile(r"^\s*(?:[A-Za-z'()-]+\s+){1,4}(?:at|on|as at)\s*[:,-]?\s*$", re.I)


def date_role(before: str, sentence: str = "", holds_figures: bool = False, after: str = "") -> int:
    """How strongly a date is the date the figures are for (NEVER .. STATED), from the words just
    before it, the sentence it sits in and the words right after it."""
    tail = before[-60:]
    stated = bool(_STATED_BEFORE.search(tail) or _STATED_AFTER.search(after)
                  or (_HEADING_AT.match(before) and not after.strip(" .:") and not _NOT_A_TABLE.search(before)))
    if not stated and _NEVER_BEFORE.search(tail):
        return NEVER
    if _REQUEST.search(sentence) and not _ANSWERS.search(sentence):
        return REQUESTED
    if _COMPARISON.search(sentence):
        return NEVER  # "shown for comparison only": a date the reply says is not its figures'
    if _EARLIER.search(sentence):
        return MENTIONED  # "that figure was as at 31 March 2010": another figure's date
    if stated:
        return STATED
    return WITH_FIGURES if holds_figures else MENTIONED


def dates_with_roles(text: str, holds_figures: bool = False, within: int | None = None) -> list[tuple[str, int]]:
    """(ISO date, strength) of every date in a text, each read within its own sentence; with
    `within`, only the dates that start before that position (the rest of the text is context: a
    letter's next line, where a wrapped date or sentence goes on)."""
    out = []
    for iso, start, end in date_mentions(text):
        if within is not None and start >= within:
            continue
        s0 = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("\n", 0, start)) + 1
        e0 = min([i for i in (text.find(". ", end), text.find("? ", end)) if i >= 0] + [len(text)])
        out.append((iso, date_role(text[s0:start], text[s0:e0 + 1], holds_figures, text[end:e0 + 1])))
    return out
