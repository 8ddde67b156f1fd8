"""Numbers in a council's words that are plainly not counts of open cases, and the ones that may be.

Dates, references, phone numbers, sections of the Act, postcodes, times, years, page and question
numbers, money, percentages and decimals are named for what they are (`plain_numbers`), so a
letter's reader, a note's reader and a person reading issues.csv all see the same thing; the
whole numbers left over may be counts (`count_numbers`).
"""
from __future__ import annotations

import re

__all__ = ["plain_numbers", "count_numbers", "mask", "CANDIDATE", "HEDGE", "QUESTION_NUMBER"]

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
HEDGE = (r"(?:fewer than|less than|under|below|more than|over|greater than|in excess of|at least|"
          r"no more than|up to|at most|approximately|approx\.?|about|around|roughly|circa|c\.|ca\.|"
          r"nearly|almost|some|just over|just under)")
_NUM = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"

#: Numbers that are plainly not counts, by what they are: each pattern's group `n` is the number.
_NOT_COUNTS: list[tuple[str, re.Pattern[str]]] = [
    ("a date", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\b\.?(?:,?\s+\d{{4}})?|"
                          rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\b{_MONTHS}\.?\s+\d{{4}}\b|"
                          r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
                          rf"\b{_WEEKDAYS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)),
    # "young people aged 16 or over", "aged 16 and 17", "14-year-olds", "who have turned 18": an age.
    # Only the figure (group `num`) is blanked: "aged" is left for the vocabulary, which names
    # a subgroup of the children.
    ("an age", re.compile(r"\b(?:aged?|turn(?:ed|s|ing)?|reach(?:ed|es|ing)?|age of)\s+(?:between\s+|under\s+|over\s+)?"
                          r"(?P<num>\d{1,2}(?:\s*(?:-|–|to|and|or)\s*\d{1,2}\b)?(?:\s*\+|\s+(?:or|and)\s+(?:over|older|above|"
                          r"under))?)", re.I)),
    ("an age", re.compile(r"\b(?P<num>\d{1,2}(?:\s*(?:-|–|to)\s*\d{1,2})?)(?:[- ]years?(?:[- ]olds?|\s+of\s+age)|"
                          r"(?:st|nd|rd|th)\s+birthday)\b|\b(?:over|under)-(?P<n2>\d{1,2})s\b", re.I)),
    ("a reference", re.compile(r"\b(?:our|your|my)?\s*(?:ref(?:erence)?|foi|foia|eir|request|case|complaint|"
                               r"enquiry|log)\.?\s*(?:no\.?|number|ref(?:erence)?|id)?\s*[:#]?\s*"
                               r"(?=[\w/-]*\d)[A-Za-z]*[-/]?[\w/-]*\d[\w/-]*", re.I)),
    ("a reference", re.compile(r"\b[A-Za-z]{1,6}[-/]\d[\w]*(?:[-/]\w+)*\b|\b\d+(?:/\d+)+\b|\b\d+-\d{3,}\b")),
    ("a phone number", re.compile(r"(?:\+44\s?|\b0)\(?\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b|"
                                  r"\b(?:tel|telephone|phone|fax|mobile)\.?\s*:?\s*[\d\s()+-]{6,}", re.I)),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")),
    ("a section of the Act", re.compile(r"\b(?:sections?|s\.|ss\.|regulations?|reg\.|articles?|schedule|"
                                        r"paragraphs?|para\.?|part)\s*(?:\d+[a-z]?(?:\(\w+\))*"
                                        r"(?:\s*(?:,|and|or|to|-)\s*\d+[a-z]?(?:\(\w+\))*)*)", re.I)),
    ("a section of the Act", re.compile(r"\bs\s?\d{1,2}\b(?:\(\w+\))*", re.I)),
    ("a time", re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm)?\b|\b\d{1,2}\s*(?:am|pm)\b", re.I)),
    ("a year", re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)(?:[-/]\d{2,4})?\b(?!\s*(?:cases?|children|child|looked|"
                          r"young|open|unallocated|allocated|were|are|have|had|cin|cp|lac)\b)", re.I)),
    # "(1) the total number of cases, (2) the number allocated ...": a list inside a sentence
    ("a question number", re.compile(r"\(\s*(?:\d{1,2}|[a-h]|[ivx]{1,4})\s*\)(?=\s*[A-Za-z])")),
    ("a page or part number", re.compile(r"\b(?:page|pages|pp?\.|appendix|annex|table|item|point|question|q|"
                                         r"chapter|version|v)\s*\.?\s*\d+(?:\s*of\s*\d+)?\b", re.I)),
    ("an amount of money", re.compile(r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million|bn))?|\b\d[\d,]*(?:\.\d+)?\s?"
                                      r"(?:pounds|pence|p)\b", re.I)),
    ("a percentage", re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b)", re.I)),
    # "12.5", "12,5" (a decimal comma); never "1,240", whose comma separates thousands
    ("not a whole number", re.compile(r"\b\d+\.\d+\b|\b\d+,\d{1,2}\b(?!\d)|\b\d+,\d{4,}\b")),
]
# A list or question number at the start of a paragraph or sentence: "1)", "2.", "(c)", "Q3:".
QUESTION_NUMBER = re.compile(r"^\s*(?:(?:q(?:uestion)?|part|item|point|request|note|footnote)\s*\.?\s*(\d{1,2}[a-z]?)\s*[.:)\-]?|"
                              r"\(?(\d{1,2}[a-z]?|[a-z]|[ivx]{1,4})[.)](?!\d)|(\d{1,2})\s*[-:]\s)\s*", re.I)
CANDIDATE = re.compile(rf"(?:(?<=\s)|^|(?<=[(\[\"'“]))(?:(?P<hedge>{HEDGE})\s+|(?P<sign>[<>≤≥~])\s?)?"
                        rf"(?P<n>{_NUM})(?![\w.,]*\d)(?!%)(?P<plus>\+)?", re.I)

def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span blanked (spans reaching past either end are cut to the text)."""
    chars = list(text)
    for s, e in spans:
        for i in range(max(s, 0), min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


def plain_numbers(sentence: str) -> tuple[list[tuple[str, str, int, int]], str]:
    """(what, written, start, end) for numbers that are plainly not counts, and the sentence
    with them blanked out (same length)."""
    found: list[tuple[str, str, int, int]] = []
    masked = sentence
    m = QUESTION_NUMBER.match(masked)
    if m and re.search(r"\d|\(", m.group(0)) and m.end() < len(masked):
        found.append(("a question number", m.group(0).strip(), m.start(), m.end()))
        masked = mask(masked, [(m.start(), m.end())])
    for what, pattern in _NOT_COUNTS:
        for m in pattern.finditer(masked):
            if not re.search(r"\d", m.group(0)):
                continue
            group = next((g for g in ("num", "n2") if g in pattern.groupindex and m.group(g)), None)
            if group:
                found.append((what, m.group(group).strip(), m.start(group), m.end(group)))
                continue
            found.append((what, m.group(0).strip(), m.start(), m.end()))
        masked = mask(masked, [(s, e) for w, _t, s, e in found if w == what])
    return found, masked



def count_numbers(text: str) -> list[str]:
    """The whole numbers in a text that could be counts, as written: not dates, references,
    question numbers, percentages, money or decimals."""
    return [m.group("n") for m in CANDIDATE.finditer(plain_numbers(text)[1])]
