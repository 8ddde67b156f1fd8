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
        elif kind == "mon_y":
            out = _iso(int(g[1]), _MONTHS[g[0]], None)
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
