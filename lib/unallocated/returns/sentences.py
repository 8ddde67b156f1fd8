"""Counts in sentences: letters (.docx, text-layer PDF, .txt) that answer in prose.

The rule: a number becomes a count only when one sentence names exactly one case type, one
category and one number, in a plain statement this module's patterns recognise::

    >>> [(f.case_type, f.category, f.count) for f in read_sentence(
    ...     "We currently have 12 child protection cases that are not allocated to a social worker.")]
    [('cp', 'unallocated', 12)]

The sentence is the count's `raw`. Any other number in prose (two numbers in one sentence, "of
which", "the remaining", "over 400", a percentage) is never a count: it is an issue that
states the reading it would have had, so a person can key it in review.csv. Dates ("30
September 2010") and reference numbers ("FOI 2010-1187", "request 2010/3381") are not
quantities and are passed over.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CASE_TYPES = (
    ("cp", re.compile(r"\bchild(?:ren)? protection\b|\bcp\b|\bchild protection plans?\b", re.I)),
    ("lac", re.compile(r"\blooked[- ]after\b|\bin care\b|\blac\b", re.I)),
    ("cin", re.compile(r"\bchildren[- ]in[- ]need\b|\bchild in need\b|\bcin\b", re.I)),
)
UNALLOCATED = re.compile(r"\b(?:not|never been) (?:been )?allocated\b|\bunallocated\b|"
                         r"\bno allocated\b|\bwithout an? allocated\b|\bawaiting allocation\b|"
                         r"\bhave no (?:named |qualified )?social worker\b", re.I)
ALLOCATED_QUALIFIED = re.compile(r"\ballocated to (?:an? )?qualified social workers?\b", re.I)
# Words that make a number relative to another, or not exact: never the plain pattern.
RELATIVE = re.compile(r"\b(?:of which|of whom|of these|of those|of them|remaining|of our|"
                      r"of the|out of|including|excluding|except|over|more than|fewer than|"
                      r"less than|under|about|around|approximately|roughly|nearly|almost|"
                      r"at least|up to|some|a further|another|also|per cent|percent)\b", re.I)
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# Dates and references: not quantities.
_NOT_QUANTITY = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? {MONTHS}\b(?: \d{{4}})?|\b{MONTHS} \d{{4}}\b|"
    r"\b\d{1,4}[/-]\d{1,4}(?:[/-]\d{1,4})?\b|"
    r"\b(?:ref(?:erence)?|foi|request|no\.?|number)\s*:?\s*[\w/-]*\d[\w/-]*|"
    r"\b(?:in|since|during|from|until|by|of) (?:19|20)\d\d\b|\b(?:19|20)\d\d(?=[-/]\d)", re.I)
_NUMBER = re.compile(r"(?<![\w.,£$])(£|\$)?(\d{1,3}(?:,\d{3})+(?!\d)|\d+)([.,]\d+)?(\s*%| per ?cent)?"
                     r"(?![\w])", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'(])")


@dataclass
class Finding:
    """A number in a sentence: a count (problem None) or an issue (problem says why)."""

    case_type: str | None
    category: str | None
    count: int | None
    number: str  # the number as written
    problem: str | None


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def _mask(sentence: str) -> str:
    """The sentence with dates and references blanked out, same length."""
    return _NOT_QUANTITY.sub(lambda m: " " * len(m.group(0)), sentence)


def count_numbers(text: str) -> list[str]:
    """The whole numbers in a text that could be counts, as written: not dates, references,
    percentages, money or decimals."""
    return [m.group(2) for m in _NUMBER.finditer(_mask(text))
            if not (m.group(1) or m.group(3) or m.group(4))]


def read_sentence(sentence: str) -> list[Finding]:
    masked = _mask(sentence)
    numbers = list(_NUMBER.finditer(masked))
    if not numbers:
        return []
    types = [code for code, pat in CASE_TYPES if pat.search(sentence)]
    unalloc = bool(UNALLOCATED.search(sentence))
    qualified = bool(ALLOCATED_QUALIFIED.search(sentence)) and not unalloc
    category = "unallocated" if unalloc else "allocated_qualified" if qualified else None
    case_type = types[0] if len(types) == 1 else None
    out = []
    for m in numbers:
        written = m.group(0).strip()
        whole = m.group(2).replace(",", "")
        count = int(whole) if not (m.group(1) or m.group(3) or m.group(4)) else None
        would = " ".join(x for x in (case_type or "?case type", category or "?category",
                                     written if count is None else str(count)) if x)
        why = None
        if m.group(4):
            why = "a percentage"
        elif m.group(1):
            why = "an amount of money"
        elif m.group(3):
            why = "not a whole number"
        elif len(numbers) > 1:
            why = f"one of {len(numbers)} numbers in the sentence"
        elif len(types) != 1:
            why = ("no case type named" if not types
                   else f"{len(types)} case types named ({', '.join(types)})")
        elif category is None:
            why = "no category (unallocated, or allocated to a qualified social worker) named"
        elif RELATIVE.search(sentence):
            why = f"the number is qualified or relative ({RELATIVE.search(sentence).group(0)!r})"
        if why is None:
            out.append(Finding(case_type, category, count, written, None))
        else:
            out.append(Finding(case_type, category, None, written,
                               f"a number in prose ({written!r}): {why}, so not read; it would "
                               f"read as {would}; key it in review.csv if that is right"))
    return out
