"""Turn the text in a value cell into a count and a qualifier.

Councils write numbers as text ("1,000", "1 000"), hedge them ("c. 40", "over 1,000", "40+"),
suppress small ones ("<5", "*", "x") or decline to answer ("n/a", "-"). `parse_count` maps each
of these to (count, qualifier, problem) and never turns a missing number into a silent 0:
only "0", "nil" and "none" mean zero.
"""
from __future__ import annotations

import functools
import re

__all__ = ["parse_count", "split_value_note", "number_from_cell"]

# A number as councils type it: digits with optional thousands separators (comma, space,
# non-breaking or thin space) and an optional ".0" that spreadsheets add.
_NUM = r"[-−]?\d{1,3}(?:[,\s\u00a0\u202f]\d{3})+|[-−]?\d+"
_NUM_RE = re.compile(rf"^(?P<n>{_NUM})(?P<frac>\.\d+)?$")

_SUPPRESSED = {"*", "**", "***", "x", "[x]", "[c]", "c", "supp", "suppressed", "withheld",
               "redacted", "not disclosed", "small number", "small numbers"}
_NOT_SUPPLIED = {"n/a", "na", "n.a.", "n.a", "-", "--", "–", "—", "..", "...", "?",
                 "not known", "unknown", "nk", "n/k", "not available", "not recorded",
                 "not applicable", "no data", "not supplied", "tbc"}
_ZERO = {"nil", "none", "zero", "nil return", "no cases", "nothing"}

# (pattern around a number, qualifier, adjustment to turn a strict bound into a count)
# "<5" means 0-4, so the count is 4 at_most; "over 1,000" means 1,001 or more.
_HEDGES: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(rf"^(?:<|less than|fewer than|under|below)\s*(?P<n>{_NUM})$"), "at_most", -1),
    (re.compile(rf"^(?:<=|≤|up to|no more than|at most|not more than|maximum of|max\.?)\s*"
                rf"(?P<n>{_NUM})$"), "at_most", 0),
    (re.compile(rf"^(?P<n>{_NUM})\s*(?:or fewer|or less|at most|max(?:imum)?)$"), "at_most", 0),
    (re.compile(rf"^(?:>|over|more than|greater than|in excess of|above|upwards of)\s*"
                rf"(?P<n>{_NUM})$"), "at_least", 1),
    (re.compile(rf"^(?:>=|≥|at least|minimum of|min\.?|not less than|no fewer than)\s*"
                rf"(?P<n>{_NUM})$"), "at_least", 0),
    (re.compile(rf"^(?P<n>{_NUM})\s*(?:\+|plus|or more|and over|and above|at least)$"),
     "at_least", 0),
    (re.compile(rf"^(?:c\.?|ca\.?|circa|approx\.?|approximately|about|around|roughly|"
                rf"~|est\.?|estimated|nearly|almost|some)\s*(?P<n>{_NUM})$"), "approx", 0),
    (re.compile(rf"^(?P<n>{_NUM})\s*(?:\(?approx\.?\)?|\(?approximately\)?|\(?estimated?\)?|"
                rf"\(?est\.?\)?|\(?circa\)?|or so)$"), "approx", 0),
]


#: A number with a footnote mark after it: "6¹", "12*", "12 (a)", "121 [b]", "40†".
FOOTNOTED = re.compile(r"^[<>~]?\s*\d[\d,]*\s*(?:[\u00b9\u00b2\u00b3\u2070-\u2079*\u2020\u2021\u00a7]+|"
                       r"\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)|\[\s*(?:[a-z]|\d{1,2})\s*\])$", re.I)


def _to_int(text: str) -> int:
    return int(re.sub(r"[,\s\u00a0\u202f]", "", text).replace("−", "-"))


def _normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


#: A figure followed by its percentage in brackets: "72 (100%)", "1,402 (82.5 %)".
_WITH_SHARE = re.compile(r"^\s*([^()%]*?\d[^()%]*?)\s*\(\s*\d{1,3}(?:\.\d+)?\s*%\s*\)\s*$")
#: The same share at the start of what follows a figure: "14 (16%): 11 personal advisers, ...".
_SHARE_FIRST = re.compile(r"^\s*\(\s*\d{1,3}(?:\.\d+)?\s*%\s*\)\s*[:;,-]?\s*")


def parse_count(text: object) -> tuple[int | None, str, str | None]:
    """Read one value cell: returns (count or None, qualifier, problem or None).

    The qualifier is one of `schema.QUALIFIERS`. A problem is a short reason the text could not
    be read as a count; the caller reports it in issues.csv (count None, qualifier
    not_supplied). Pure: no I/O, no state.

    >>> parse_count("1,234")
    (1234, 'exact', None)
    >>> parse_count("<5")
    (4, 'at_most', None)
    >>> parse_count("*")
    (None, 'suppressed', None)
    """
    if text is None:
        return None, "not_supplied", None
    if isinstance(text, bool):
        return None, "not_supplied", f"a true/false value, not a count: {text!r}"
    if isinstance(text, int):
        return int(text), "exact", None
    if isinstance(text, float):
        if text != text:  # NaN: an empty cell that pandas filled in
            return None, "not_supplied", None
        if text.is_integer():
            return int(text), "exact", None
        return None, "not_supplied", f"not a whole number: {text!r}"
    raw = str(text)
    share = _WITH_SHARE.match(raw)
    if share:  # "72 (100%)": the count, with its share of the row beside it
        return parse_count(share.group(1))
    t = _normalise(raw)
    if t == "":
        return None, "not_supplied", None
    if t in _ZERO:
        return 0, "exact", None
    if t in _SUPPRESSED:
        return None, "suppressed", None
    if t in _NOT_SUPPLIED:
        return None, "not_supplied", None
    m = _NUM_RE.match(t)
    if m:
        frac = m.group("frac")
        if frac and int(frac[1:]) != 0:
            return None, "not_supplied", f"not a whole number: {raw!r}"
        return _to_int(m.group("n")), "exact", None
    for pattern, qualifier, adjust in _HEDGES:
        m = pattern.match(t)
        if m:
            return _to_int(m.group("n")) + adjust, qualifier, None
    if re.match(rf"^(?:{_NUM})(?:\.\d+)?\s*%$", t):
        return None, "not_supplied", f"a percentage, not a count: {raw!r}"
    if FOOTNOTED.match(t):
        return None, "not_supplied", (f"a count with a footnote mark ({raw!r}): the footnote may say "
                                      f"what it counts or that part of it is something else; not read")
    return None, "not_supplied", f"unrecognised value: {raw!r}"


def number_from_cell(value: object) -> bool:
    """True when a cell holds a count or a recognised marker (no problem reading it)."""
    count, qualifier, problem = parse_count(value)
    if problem is not None:
        return False
    if isinstance(value, str) and _normalise(value) == "":
        return False
    return True


_SEPARATORS = " -–—:;,."


@functools.lru_cache(maxsize=8192)  # pure; the same labels recur in every council's file
def split_value_note(text: str) -> tuple[str, str] | None:
    """Split "7 (these cases were in transit between teams)" into ("7", note).

    Returns None unless the cell starts with something `parse_count` reads cleanly and the rest
    contains words. The longest readable prefix wins, so "over 1,000 cases" keeps its hedge.
    A list number such as "1. Enter the number" is not split: a count is never followed by a
    full stop.
    """
    spaced = re.sub(r"([(\[])", r" \1", text.strip())
    tokens = spaced.split()
    for k in range(len(tokens) - 1, 0, -1):
        head = " ".join(tokens[:k])
        if head.endswith(".") and re.search(r"\d\.$", head):
            continue
        head = head.rstrip(" -–—:;,")
        rest = " ".join(tokens[k:]).strip()
        if not head or not re.search(r"[a-zA-Z]{2,}", rest):
            continue
        if not re.search(r"\d", head) and _normalise(head) not in (_ZERO | _SUPPRESSED):
            continue  # only a number, nil/none or a suppression mark can lead a value cell
        if re.fullmatch(r"\d{1,2}\+", head) and re.match(r"[A-Za-z]", rest):
            return None  # "16+ personal adviser", "18+ team": an age group naming a role or team
        count, _, problem = parse_count(head)
        if problem is None:
            note = _SHARE_FIRST.sub("", rest).strip(_SEPARATORS).strip()
            if note.startswith(("(", "[")) and note.endswith((")", "]")):
                note = note[1:-1].strip()
            return head, note
    return None
