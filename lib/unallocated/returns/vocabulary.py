"""The words the reader knows, and the closed-world test every figure's labels must pass.

Every wording the reader understands is a row of `data/vocabulary.csv` (described in
`docs/vocabulary_data_dictionary.md`): its `kind` says what it does, `means` what it stands for,
`pattern` is a regular expression over the label's normalised text (lower case, "&" read as
"and"), and `example` is a wording it must match (a test holds every row to its example).

Kinds, in the order they claim words:

| kind | what a match does |
| --- | --- |
| `heading` | the whole text is a structural heading (notes, council, date, neutral): nothing else to read |
| `excludes` | names case types a figure leaves out ("other than CP and LAC"): not case types it counts |
| `includes` | the figure includes another ("including child protection"): withheld, never counted twice |
| `no_qualified` | "not allocated to a qualified social worker": other staff and unallocated together |
| `aside` | a clause about cases counted as allocated or not included: moves nothing |
| `case_type`, `category`, `role`, `reason` | what the figure counts (`unallocated.returns.labels.classify` reads these, first match in file order) |
| `relative` | the figure is given relative to another ("the remaining", "a further"): withheld |
| `not_a_count` | the figure is something else (a rate, a staff figure, a count over a period, families): withheld, with what it seems to be |
| `neutral` | words that add nothing the reader needs ("the number of", "open cases", "as at") |

A figure's labels are *explained* when every word in them is claimed by some row and no row
of kind `includes`, `relative` or `not_a_count` matched. Dates and numbers are claimed by the
date reader and need no row. Anything else withholds the figure, and the issue names the words
(`Accounting.unknown`). To teach the reader a wording, add a row: deliberately, with an example,
because a word made `neutral` is a word the reader will stop asking about.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from unallocated import paths

__all__ = ["Entry", "Accounting", "KINDS", "entries", "patterns", "account", "normalise", "VOCABULARY"]

#: Where the vocabulary lives; `UNALLOCATED_VOCABULARY` points a newsroom's own copy (or a test's).
VOCABULARY = paths.DATA / "vocabulary.csv"

#: Kinds in the order they claim words (a later kind never takes a word an earlier one took).
KINDS = ("heading", "excludes", "within", "includes", "no_qualified", "aside", "case_type", "category",
         "role", "reason", "relative", "not_a_count", "neutral")
#: Kinds that withhold a figure whose labels they match.
BLOCKING = ("includes", "relative", "not_a_count")
COLUMNS = ("kind", "means", "pattern", "example", "note")


@dataclass(frozen=True)
class Entry:
    kind: str
    means: str
    pattern: re.Pattern[str]
    example: str
    note: str
    line: int


def _path() -> Path:
    env = os.environ.get("UNALLOCATED_VOCABULARY")
    return Path(env) if env else VOCABULARY


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Entry, ...]:
    from unallocated.errors import UnallocatedError

    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise UnallocatedError(f"{path}: vocabulary lacks column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, 2):
            kind = (row["kind"] or "").strip()
            if kind not in KINDS:
                raise UnallocatedError(f"{path} line {line}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            try:
                pattern = re.compile(row["pattern"])
            except re.error as err:
                raise UnallocatedError(f"{path} line {line}: pattern does not compile ({err})") from err
            out.append(Entry(kind, (row["means"] or "").strip(), pattern, row["example"] or "",
                             row["note"] or "", line))
    return tuple(out)


def entries() -> tuple[Entry, ...]:
    """Every row of the vocabulary, in file order."""
    return _load(_path())


def patterns(kind: str) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, means) of one kind, in file order: the tables `labels.classify` reads."""
    return [(e.pattern, e.means) for e in entries() if e.kind == kind]


@dataclass(frozen=True)
class Accounting:
    """What a label's words say, word by word. `unknown` are words no row of the vocabulary
    claims; `blockers` are (kind, means, words) of matches that withhold a figure."""

    text: str
    heading: str | None
    case_types: tuple[str, ...]
    excluded: tuple[str, ...]
    categories: tuple[str, ...]
    roles: tuple[str, ...]
    reasons: tuple[str, ...]
    blockers: tuple[tuple[str, str, str], ...]
    unknown: tuple[str, ...]

    @property
    def explained(self) -> bool:
        return not self.unknown and not self.blockers

    def why_not(self) -> str:
        """Why a figure these words label is not read, in plain words ('' when explained)."""
        parts = []
        for kind, means, words in self.blockers:
            if kind == "not_a_count":
                parts.append(f"it seems to be {means} ({words!r})")
            elif kind == "includes":
                parts.append(f"it includes or overlaps another figure ({words!r})")
            else:
                parts.append(f"it is given relative to another figure ({words!r})")
        if self.unknown:
            shown = ", ".join(repr(w) for w in dict.fromkeys(self.unknown))
            parts.append(f"words the reader cannot account for: {shown}")
        return "; ".join(parts)


def normalise(text: str) -> str:
    """Lower-case, '&' as 'and', punctuation other than - and / as spaces, single spaces."""
    t = str(text).lower().replace("&", " and ").replace("\u00a0", " ")
    t = re.sub(r"[\u2018\u2019`']", "", t)
    t = re.sub(r"[^\w\s/<>+*%.:-]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


_WORD = re.compile(r"[a-z][a-z']*")
_CASE_WORDS = {"cp": re.compile(r"child(?:ren)? protection|\bcp\b|\bcpp\b"),
               "lac": re.compile(r"looked[- ]after|\blac\b|\bcla\b|\bin care\b"),
               "cin": re.compile(r"\bin need\b|\bcin\b")}


def _claimed(claimed: bytearray, word: re.Match) -> bool:
    """Every letter of the word claimed, or all but a plural ending ("assistants", "teams")."""
    start, end = word.start(), word.end()
    if all(claimed[start:end]):
        return True
    for ending in ("s", "es"):
        if word.group(0).endswith(ending) and end - len(ending) > start and all(claimed[start:end - len(ending)]):
            return True
    return False


@lru_cache(maxsize=8192)
def account(text: str) -> Accounting:
    """Account for every word of a label, a heading, a note or a sentence.

    >>> account("Children in need (including child protection)").blockers
    (('includes', 'overlap', 'including'),)
    >>> account("Number of families").why_not()
    "it seems to be families or households rather than children ('families')"
    >>> account("Looked after children: unallocated").explained
    True
    """
    from unallocated.returns.dates import _PATTERNS as DATE_PATTERNS
    # "Sheet1", "Q2", "s47": letters and digits apart, so the word is read as a word
    t = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", normalise(text))
    claimed = bytearray(len(t))
    found: dict[str, list[str]] = {k: [] for k in KINDS}
    blockers: list[tuple[str, str, str]] = []
    excluded: list[str] = []

    def claim(start: int, end: int) -> bool:
        if start == end or any(claimed[start:end]):
            return False
        claimed[start:end] = b"\x01" * (end - start)
        return True

    for pattern, _kind in DATE_PATTERNS:  # dates are read by the date reader, not words
        for m in pattern.finditer(t):
            claim(m.start(), m.end())
    ordered = sorted(entries(), key=lambda e: KINDS.index(e.kind))
    heading = None
    for e in ordered:
        if e.kind == "heading":
            m = e.pattern.search(t)
            if m and (m.end() - m.start() >= len(t.rstrip(" :")) - 1 or e.means == "notes"):
                heading = e.means
                claim(0, len(t))
            continue
        for m in e.pattern.finditer(t):
            if not claim(m.start(), m.end()):
                continue
            words = m.group(0).strip()
            if e.kind in BLOCKING:
                blockers.append((e.kind, e.means, words))
            elif e.kind == "excludes":
                excluded += [code for code, pat in _CASE_WORDS.items() if pat.search(words)]
            elif e.means:
                found[e.kind].append(e.means)
    unknown = tuple(m.group(0) for m in _WORD.finditer(t) if not _claimed(claimed, m))
    return Accounting(text, heading, tuple(dict.fromkeys(found["case_type"])), tuple(dict.fromkeys(excluded)),
                      tuple(dict.fromkeys(found["category"])), tuple(dict.fromkeys(found["role"])),
                      tuple(dict.fromkeys(found["reason"])), tuple(blockers), unknown)
