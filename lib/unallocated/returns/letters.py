"""Figures in letters: a council's reply in prose (.docx, a PDF's text, a .txt or an e-mail).

Councils answer an FOI request in sentences: the question repeated above its answer, figures
for several case types in one sentence, reference numbers, dates, sections of the Act and
answers to neighbouring questions (staff, caseload per worker, counts over a year) everywhere.
This module reads a letter paragraph by paragraph and says, for every number in it, one of:

- a **count**: the only candidate number in its sentence, and every word of the sentence (and of
  the question it answers, when the sentence leans on it) is accounted for by the vocabulary
  (`unallocated.returns.vocabulary`), naming one case type and one category;
- a **proposed reading**: a number that is likely a count, with the case type, category,
  detail, count and qualifier it would have, for a person to confirm (two figures in one
  sentence, words the reader cannot account for, a figure given relative to another, a number
  in words, "nil" under a question);
- **needs reading** with no proposal: a number that may be a count but whose meaning the
  letter does not settle (a count over a period, families, a subgroup);
- **not a count**: numbers that are plainly something else (question numbers, years, dates,
  references, phone numbers, sections of the Act, percentages, money, staff figures, averages),
  which the reader lists once per file.

A question or a short heading ("Looked after children:", "Q2. How many ... unallocated?") is the
context of the paragraphs under it until the next one: an answer that names no case type or
category ("There were 3 such cases", "Answer: 4") takes them from its question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from unallocated.returns.dates import find_date
from unallocated.returns.labels import CASE_TYPE_PATTERNS, classify
from unallocated.returns.markers import parse_count
from unallocated.returns.numbers import CANDIDATE, HEDGE, QUESTION_NUMBER, count_numbers, mask, plain_numbers  # noqa: F401 (count_numbers: re-exported)
from unallocated.returns.vocabulary import Accounting, account
from unallocated.schema import UNSPECIFIED_DETAIL

__all__ = ["Reading", "Finding", "read_letter", "sentences", "count_numbers", "PLAINLY_NOT_COUNTS"]

#: What a not_a_count match makes a number: plainly something else (listed once per file), or a
#: figure a person should still look at (a count over a period may answer the question asked).
PLAINLY_NOT_COUNTS = {"a percentage or rate", "an average or a caseload per worker", "a staff figure",
                      "an amount of money", "a length of time", "a change or an earlier figure"}

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90})
_UNIT_WORDS = (r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
               r"sixteen|seventeen|eighteen|nineteen")
_BELOW_100 = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|"
              rf"seven|eight|nine))?|{_UNIT_WORDS})")
_BELOW_1000 = rf"(?:(?:one|two|three|four|five|six|seven|eight|nine|a)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})"
_WORD_NUMBER = re.compile(rf"\b(?:(?P<hedge>{HEDGE})\s+)?(?P<w>{_BELOW_1000}(?:\s+thousand(?:,?\s+(?:and\s+)?"
                          rf"{_BELOW_1000})?)?)\b", re.I)


def _word_value(written: str) -> int:
    """'two hundred and seventy-eight' -> 278; 'one thousand and twelve' -> 1012."""
    total = current = 0
    for word in re.findall(r"[a-z]+", written.lower()):
        if word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif word == "a":
            current = 1
        elif word != "and":
            current += _NUMBER_WORDS[word]
    return total + current


_NIL = re.compile(r"^\W*(?:answer|response|a\d*)?\W*(?:nil|none|zero|no cases?|nil return)\W*$", re.I)
_NOT_HELD = re.compile(r"\b(?:do(?:es)? not|don['’]t|cannot|can['’]t|are unable to|is unable to) (?:hold|record|"
                       r"collect|provide|identify|extract|split|distinguish|separate|break)\b|\bnot (?:held|recorded|collected|available)\b", re.I)
_REFUSED = re.compile(r"\b(?:will not (?:be )?provid\w*|(?:is|are) (?:being )?withheld|(?:is|are) exempt\w*|"
                      r"(?:we )?(?:have )?not disclosed|(?:we )?(?:are|is) (?:\w+ )?refusing|refus(?:e|ed|al)\b|"
                      r"(?:section|s\.?)\s*(?:12|40|41|43)\b.{0,60}\bappl(?:y|ies)|exceed(?:s|ed)? the (?:appropriate|cost) limit)",
                      re.I)
_ABOUT_CASES = re.compile(r"\bcases?\b|\ballocat|\bchild|\bplans?\b|\bsocial work|\binformation\b|\bfigures?\b",
                          re.I)
# Where a sentence's clauses part: not before a bracket that follows a figure ("15 (leaving care
# workers)": the bracket says what the 15 are).
_CLAUSE = re.compile(r";|:|,\s+|\s+(?:and|but|while|whilst|whereas)\s+|(?<!\d)\s+\(|\)\s*", re.I)
_QUESTION_WORDS = re.compile(r"\b(?:how many|what (?:is|was|were|are)|please (?:provide|state|confirm|tell|give)|"
                             r"number of|can you|could you|would you|the total number)\b", re.I)
#: A sentence that says how many there were, with no category: the total of open cases.
_EXISTENCE = re.compile(r"\bthere (?:were|are|was|is)\b|\bwe (?:currently )?(?:have|had|hold|held)\b|"
                        r"\bthe (?:total )?number of\b|"
                        r"\b(?:were|are|was|is) (?:being )?(?:looked after|subject to|on (?:a |the )?(?:child protection )?"
                        r"(?:plans?|register)|open|in care)\b|\bopen to (?:the )?(?:service|children's social care)\b", re.I)
# Categories that may sit beside another in one label without making it ambiguous.
_GENERIC = {"allocated", "total"}


@dataclass(frozen=True)
class Reading:
    case_type: str
    category: str
    detail: str
    count: int | None
    qualifier: str


@dataclass
class Finding:
    """One number in a letter. `counted`: a count for the table (reading set). Otherwise an issue:
    `problem` says why, `reading` is the proposal (or None), `not_a_count` what it plainly is."""

    pos: object
    sentence: str
    number: str
    reading: Reading | None = None
    counted: bool = False
    problem: str | None = None
    not_a_count: str | None = None
    date: str | None = None


@dataclass
class _Number:
    start: int
    end: int
    written: str
    count: int | None
    qualifier: str
    in_words: bool = False
    zero_word: bool = False  # "No child protection cases were ...", "none were unallocated"


@dataclass
class _Context:
    text: str
    number: str | None
    acc: Accounting
    #: the case type of the question before, when this one names none ("2. Number of those
    #: allocated to a qualified social worker" after "1. Total number of open child protection cases")
    borrowed: str | None = None

    def meaning(self) -> tuple[str | None, str | None, str]:
        case_type, category, detail = _meaning(self.text, self.acc)
        if case_type is None and not _case_types(self.acc):
            case_type = self.borrowed
        return case_type, category, detail

    def case_type(self) -> str | None:
        """The one case type this question names, or borrows."""
        types = _case_types(self.acc)
        return types[0] if len(types) == 1 else self.borrowed if not types else None


_ABBREVIATION = re.compile(r"\b(?:c|ca|approx|no|nos|ref|tel|e\.g|i\.e|etc|s|ss|para|reg|st|mr|mrs|ms|dr|cllr|"
                           r"p|pp|fig|incl|inc|excl|est|q|[a-z])\.$", re.I)
# after . ! or ?, or a closing quote right after one ('... open?" Response: ...')
_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[A-Z0-9£\"'(“])")


def sentences(text: str) -> list[str]:
    """A paragraph's sentences: split after . ! or ?, but not after an abbreviation ("c. 40",
    "Ref. 12", "s. 40") or a list number at the start ("3. How many ...")."""
    text = " ".join(str(text).split())
    out: list[str] = []
    start = 0
    for m in _BREAK.finditer(text):
        piece = text[start:m.start()]
        if _ABBREVIATION.search(piece) or re.fullmatch(r"\s*(?:q(?:uestion)?\s*)?\(?\d{1,2}[a-z]?[.)]", piece, re.I):
            continue
        out.append(piece.strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


_NIL_WORD = re.compile(r"\b(?:nil|none|zero)\b", re.I)
#: A zero word that closes an item of a list ("CP none; LAC 7"): followed by a separator or the end.
_LIST_ZERO = re.compile(r"\b(?:nil|none|zero)\b(?=\s*(?:[;,.)]|$|(?:on|at|as at)\s+(?:that|the|this)\s+(?:date|day)\b))", re.I)
#: A zero said in words: "No child protection cases were unallocated", "and none were", "None of these".
_ZERO_STATEMENT = re.compile(r"(?:^\s*|[:;,(]\s*|\b(?:and|but|there (?:were|are|was|is))\s+)(?P<w>no|none|nil|not one|not a single)"
                             r"\b(?=\s+(?:(?:[\w-]+\s+){0,5}?(?:cases?|child|children|looked|young|plans?|were|was|are|is|of (?:these|them|those)|had|have)\b))",
                             re.I)


def _candidates(masked: str) -> list[_Number]:
    out = []
    for m in _ZERO_STATEMENT.finditer(masked):
        out.append(_Number(m.start("w"), m.end("w"), m.group("w"), 0, "exact", in_words=True, zero_word=True))
    for m in _LIST_ZERO.finditer(masked):  # "Child protection none; looked after none; children in need 46"
        if not any(n.start <= m.start() < n.end for n in out):
            out.append(_Number(m.start(), m.end(), m.group(0), 0, "exact", in_words=True, zero_word=True))
    if len(re.findall(r"[A-Za-z]+", masked)) <= 6:  # "Child protection: none." answers; "none of ..." does not
        for m in _NIL_WORD.finditer(masked):
            if not any(n.start <= m.start() < n.end for n in out):
                out.append(_Number(m.start(), m.end(), m.group(0), 0, "exact", in_words=True, zero_word=True))
    for m in CANDIDATE.finditer(masked):
        written = m.group(0).strip()
        count, qualifier, problem = parse_count(written.replace("+", " +").replace(" +", "+")
                                                if m.group("plus") else written)
        if problem:
            count, qualifier, problem = parse_count(m.group("n"))
        out.append(_Number(m.start(), m.end(), written, count, qualifier))
    for m in _WORD_NUMBER.finditer(masked):
        words = m.group("w").lower().replace("-", " ").split()
        value = _word_value(m.group("w"))
        hedge = m.group("hedge")
        count, qualifier, _ = parse_count(f"{hedge} {value}" if hedge else str(value))
        if words == ["one"] and not hedge:
            continue  # "one of", "one child": too common as a word to be a figure
        out.append(_Number(m.start(), m.end(), m.group(0).strip(), count, qualifier, in_words=True))
    return sorted(out, key=lambda n: n.start)


def _categories(acc: Accounting) -> list[str]:
    """The categories a text names that matter (the generic 'allocated' and 'total' beside a more
    specific one say nothing more; 'qualified' inside 'not qualified' is part of 'other'). A reason
    a case has no worker names the category unallocated ("open to a partner agency ...")."""
    cats = list(acc.categories)
    if acc.reasons and all(c in _GENERIC for c in cats):
        cats = ["unallocated"]
    specific = [c for c in cats if c not in _GENERIC]
    if "allocated_other" in specific and "allocated_qualified" in specific:
        specific.remove("allocated_qualified")
    if specific:
        return specific
    return [c for c in cats if c == "total"]


def _case_types(acc: Accounting) -> list[str]:
    return [c for c in acc.case_types if c not in acc.excluded]


def _meaning(text: str, acc: Accounting) -> tuple[str | None, str | None, str]:
    """(case type, category, detail) a text names, each None when it names none or several."""
    types = _case_types(acc)
    cats = _categories(acc)
    lab = classify(text)
    category = lab.category if lab.category in cats or (lab.category and not cats) else (cats[0] if len(cats) == 1 else None)
    if category == "allocated" or (len(cats) > 1):
        category = None
    detail = lab.detail or ""
    if category is None and acc.reasons and not acc.categories and len(acc.reasons) == 1:
        category, detail = "unallocated", acc.reasons[0]
    if category == "unallocated" and len(acc.reasons) == 1:
        detail = acc.reasons[0]
    if category == "allocated_other" and len(acc.roles) == 1:
        detail = acc.roles[0]
    if category is None and not cats and not acc.reasons and not acc.roles and _EXISTENCE.search(text):
        category = "total"  # "There were 583 children looked after": how many there were, all told
    if category in ("allocated_other", "unallocated") and not detail:
        detail = "other" if category == "allocated_other" else "not_given"
    if category not in ("allocated_other", "unallocated"):
        detail = ""
    return (types[0] if len(types) == 1 else None), category, detail


def _kind_of_blockers(acc: Accounting) -> tuple[str | None, bool]:
    """(what the number plainly is, or None; whether a proposal is still sensible)."""
    plain = [means for kind, means, _ in acc.blockers if kind == "not_a_count" and means in PLAINLY_NOT_COUNTS]
    if plain:
        return plain[0], False
    other = [kind for kind, _, _ in acc.blockers if kind in ("not_a_count", "includes")]
    return None, not other


def _is_question(sentence: str) -> bool:
    s = sentence.strip()
    if s.endswith("?"):
        return True
    # "We have not given the exact number of the latter ...": the council speaking, not a question
    if re.match(r"^\W*(?:\(?[a-h]\)\s*)?(?:we|i|it|this|these|that|those|our|they|the council|the authority)\b", s, re.I):
        return False
    return bool(_QUESTION_WORDS.search(s) and not re.search(r"\d", plain_numbers(s)[1]))


def _question_number(text: str) -> str | None:
    m = QUESTION_NUMBER.match(text)
    if not m:
        return None
    return next((g for g in m.groups() if g), None)


def _heading(sentence: str, acc: Accounting) -> bool:
    """A short line that names what follows ("Looked after children:", "Unallocated cases")."""
    words = re.findall(r"[A-Za-z]+", sentence)
    return bool(words) and len(words) <= 8 and bool(acc.case_types or acc.categories) and (
        sentence.rstrip().endswith(":") or not re.search(r"[.!]$", sentence.strip()))


def read_letter(paragraphs: list[tuple[object, str]]) -> list[Finding]:
    """Read a letter's paragraphs ((pos, text) in order): a Finding for every number.

    A quoted line (">" in an e-mail: the request, or an earlier message) is read the same way,
    but nothing in it is ever a count: what it would have been is a proposal at most."""
    out: list[Finding] = []
    context: _Context | None = None
    questions: dict[str, _Context] = {}
    order: list[str] = []  # the case types the last sentence naming several named, in its order
    item_types: dict[str, str] = {}  # "(a)" -> the case type a lettered part named
    list_type: str | None = None
    list_pos = None
    for pos, text in paragraphs:
        quoted = text.lstrip().startswith(">")
        if quoted:
            text = re.sub(r"^(?:\s*>)+\s?", "", text)
        own_number = _question_number(text)
        # A list of "label: value" lines ("Child protection plans: 158" / "Allocated to a qualified
        # social worker: 158" / ...) carries its case type down its lines, as a paragraph's sentences do.
        in_list = bool(_LIST_LINE.match(text)) and list_pos is not None and _next_line(list_pos, pos)
        previous_type: str | None = list_type if in_list else None  # the one case type the sentence before named
        # "(a) Child protection: 176" under one question, "(a) All 176." under the next: a lettered
        # part answers for the case type its letter had before
        item = _ITEM.match(text)
        if item:
            named = _case_types(account(plain_numbers(text)[1]))
            if len(named) == 1:
                item_types[item.group(1).lower()] = named[0]
            elif not named and item.group(1).lower() in item_types:
                previous_type = item_types[item.group(1).lower()]
        for sentence in sentences(text):
            found: list[Finding] = []
            plain, masked = plain_numbers(sentence)
            own_types = _case_types(account(masked))
            borrowed, previous_type = (previous_type if not own_types else None), (
                own_types[0] if len(own_types) == 1 else previous_type if not own_types else None)
            if _LIST_LINE.match(text):
                list_type, list_pos = previous_type, pos
            numbers = _candidates(masked)
            date = find_date(sentence)
            # "2. Of these, the number allocated to a qualified social worker": a numbered line naming a
            # category and giving no figure heads the answers under it, as a question does
            numbered_heading = bool(own_number) and not numbers and bool(_categories(account(masked)))
            if _is_question(sentence) or (not numbers and (_heading(sentence, account(masked)) or numbered_heading)):
                acc = account(masked)
                if acc.case_types or acc.categories or acc.reasons or acc.roles:
                    context = _Context(sentence, own_number, acc,
                                       borrowed=context.case_type() if context is not None else None)
                    if own_number:
                        questions[own_number] = context
                if not numbers:
                    out += [Finding(pos, sentence, w, not_a_count=what) for what, w, _s, _e in plain]
                    # "We are refusing this part of your request under section 12": it names what it
                    # refuses as a question would, and is still an answer for a person to key
                    problem = None if _is_question(sentence) and sentence.rstrip().endswith("?") else (
                        _no_digits_problem(sentence))
                    if problem:
                        out.append(Finding(pos, sentence, "", problem=problem))
                    continue
            found += [Finding(pos, sentence, w, not_a_count=what) for what, w, _s, _e in plain]
            ctx = questions.get(own_number) if own_number and own_number in questions else context
            if not numbers and _NIL.match(_ITEM.sub("", sentence)) and context is not None:
                found.append(_nil(pos, sentence, context, borrowed))
            elif not numbers:
                problem = _no_digits_problem(sentence)
                if problem:
                    found.append(Finding(pos, sentence, "", problem=problem))
            elif len(numbers) == 1 and numbers[0].zero_word:
                found += _zero(pos, sentence, masked, numbers[0], ctx, date, borrowed)
            elif len(numbers) == 1 and _ALL_OF_THEM.search(masked, numbers[0].end):
                found += _all_of_them(pos, sentence, masked, numbers[0], ctx, date, borrowed)
            elif len(numbers) == 1:
                found.append(_one(pos, sentence, masked, numbers[0], ctx, date, borrowed))
                found += _all_before(found[-1], masked, numbers[0])
            else:
                found += (_respectively(pos, sentence, masked, numbers, ctx, date, order)
                          or _several(pos, sentence, masked, numbers, ctx, date, borrowed))
            if not found and _THIS_FIGURE.search(sentence):
                # "(c) Children in need: 2,214. Please note that this figure includes the children
                # counted at (a) and (b)": a sentence after a figure that says more of it
                _said_more(out, pos, sentence)
            if quoted:
                for f in found:
                    if f.not_a_count is None:
                        f.counted = False
                        f.problem = ("in a quoted line (the request or an earlier message, not the council's answer): "
                                     + (f.problem or _problem(f.number, "a figure", f.reading)))
            out += found
            named_in_order = _types_in_order(masked)
            if len(named_in_order) > 1 and len(numbers) > 1:
                # "child protection, looked after and children in need cases numbering 548, 786 and
                # 2,934": the order a later 'respectively' with no case types of its own follows
                order = named_in_order
    _parts_after(out)
    return out


#: Words that point back to the figure just given ("this figure includes ...", "that number excludes ...").
_THIS_FIGURE = re.compile(r"\b(?:this|that|these|those|the\s+above|the\s+previous)\s+(?:figures?|numbers?|totals?|counts?)\b",
                          re.I)


def _said_more(found: list[Finding], pos, sentence: str) -> None:
    """The figures of the last sentence with any in the same paragraph are not counted as they
    stand when the next sentence speaks of 'this figure': their reading is only proposed."""
    mine = [f for f in found if f.pos == pos and not f.not_a_count]
    if not mine:
        return
    last = mine[-1].sentence
    for f in mine:
        if f.sentence == last and f.counted:
            f.counted = False
            f.problem = _problem(f.number, f"the sentence after it says more of it ({sentence.strip()[:100]!r})",
                                 f.reading)


_BACK_REFERENCE = re.compile(r"\bof (?:these|those|them|whom|which)\b|\bthe (?:other|remaining|rest)\b|\bthe remainder\b",
                             re.I)


def _parts_after(findings: list[Finding]) -> None:
    """A figure with no reason or role, followed in its paragraph (or the lines of its list) by
    figures of the same case type and category that give reasons or roles ("65 cases had no
    allocated worker. 40 of these ... financial support; the other 25 ..."; "Unallocated: 239, made
    up as follows:" and a line per reason): those are its parts. When they add up to it, it is
    their subtotal and not a figure of its own; when they do not, it is never counted as it
    stands, only proposed, for a person to split."""
    for i, whole in enumerate(findings):
        r = whole.reading
        if r is None or r.category not in ("unallocated", "allocated_other") or r.qualifier != "exact" \
                or r.detail not in ("not_given", "other", ""):
            continue
        parts, last = [], whole.pos
        for f in findings[i + 1:]:
            if f.not_a_count and (f.pos == last or _next_line(last, f.pos)):
                last = f.pos
                continue
            if f.reading is None or f.reading.case_type != r.case_type or f.reading.category != r.category \
                    or not (f.pos == last or _next_line(last, f.pos)):
                break
            parts.append(f)
            last = f.pos
        if whole.counted:
            # "65 cases had no allocated worker. 40 of these are ...": a sentence after it in its
            # paragraph that takes part of it says it has more to it than its own sentence
            later = next((f for f in findings[i + 1:] if f.pos == whole.pos and f.sentence != whole.sentence
                          and not f.not_a_count and _BACK_REFERENCE.search(f.sentence)), None)
            if later is not None:
                whole.counted = False
                whole.problem = _problem(whole.number, f"the sentence after it takes part of it ({later.sentence.strip()[:80]!r})", r)
                continue
        if not any(f.reading.detail not in ("not_given", "other", "") for f in parts):
            continue
        total = sum(f.reading.count or 0 for f in parts)
        listed = ", ".join(f.number for f in parts)
        if total == r.count and all(f.reading.qualifier == "exact" for f in parts):
            whole.reading, whole.counted = None, False
            whole.problem = _problem(whole.number, f"the figures after it ({listed}) are its parts and add up to it",
                                     None)
        elif whole.counted:
            whole.counted = False
            whole.problem = _problem(whole.number, f"the figures after it ({listed}) give reasons or roles for "
                                     f"{total} of them, not all {r.count}", r)



#: A lettered part of an answer: "(a) ...", "b) ...".
_ITEM = re.compile(r"^\s*\(?([a-h])\)\s+", re.I)


def _nil(pos, sentence: str, ctx: _Context, borrowed: str | None = None) -> Finding:
    """"Nil." or "None." under a question: 0 is the likely reading, for a person to confirm
    (a word in a letter is never a count on its own)."""
    case_type, category, detail = ctx.meaning()
    case_type = case_type or borrowed
    reading = Reading(case_type, category, detail, 0, "exact") if case_type and category else None
    why = f"{sentence.strip()!r} under the question {ctx.text.strip()!r}"
    return Finding(pos, sentence, sentence.strip(), reading=reading, problem=_problem(sentence.strip(), why, reading))


def _no_digits_problem(sentence: str) -> str | None:
    """A sentence with no figure in digits may still answer: that a figure is not held, or is
    refused (under section 12, or withheld under section 40): not_supplied or suppressed, never 0."""
    if _REFUSED.search(sentence):
        return ("says figures are refused or withheld (an exemption, or the cost limit): not a count (key what "
                "it refuses in review.csv as * for withheld or n/a for not provided, for the questions it names)")
    # "A11 Not held.": a short answer under its question says so of the figure asked for
    if _NOT_HELD.search(sentence) and (_ABOUT_CASES.search(sentence) or len(re.findall(r"[A-Za-z]+", sentence)) <= 4):
        return ("says the figure is not held or not available: not a count (key it in review.csv as n/a, "
                "for the question it answers, if so)")
    return None


#: A "label: value" line of a list in a letter ("Unallocated: Nil return", "Looked after children: 207").
_LIST_LINE = re.compile(r"^\s*[^:.?!]{2,70}:\s*[^:?!]{1,60}$")
#: A case type given with a number and nothing else ("Child protection plans: 158").
_BARE_TYPE = re.compile(r"^\W*(?:[A-Za-z'-]+\s+){0,5}[A-Za-z'-]+\s*[:\-–]\s*\S+\W*$")


def _next_line(before, pos) -> bool:
    """Whether a paragraph at `pos` is the line right after the one at `before` (a letter's lines
    are rows of one column: a blank line between them ends a list)."""
    try:
        return pos[0] == before[0] + 1 and pos[1] == before[1]
    except (TypeError, IndexError):
        return False


def _zero(pos, sentence: str, masked: str, number: _Number, ctx: _Context | None, date: str | None,
          borrowed: str | None = None) -> list[Finding]:
    """A zero said in words ("No child protection or looked after cases were unallocated"): 0 is
    proposed for each case type it names (or the sentence's before it, or its question's), never
    counted on its own."""
    words = _without(masked, number)
    acc = account(words)
    types = _case_types(acc) or ([borrowed] if borrowed else [])
    _t, category, detail = _meaning(words, acc)
    if ctx is not None:
        c_type, c_cat, c_detail = ctx.meaning()
        types = types or ([c_type] if c_type else [])
        if category is None and not _categories(acc):
            category, detail = c_cat, c_detail
    plain, proposable = _kind_of_blockers(acc)
    if plain or not proposable or not types or category is None:
        why = acc.why_not() or ("no case type named" if not types else "no single category named")
        return [Finding(pos, sentence, number.written, problem=_problem(
                    number.written, f"a number in words ({number.written!r}), a zero; {why}", None),
                        not_a_count=plain, date=date)]
    out = []
    for case_type in types:
        reading = Reading(case_type, category, detail, 0, "exact")
        out.append(Finding(pos, sentence, number.written, reading=reading, date=date, problem=_problem(
            number.written, f"a number in words ({number.written!r}), a zero" + (f", for {len(types)} case types"
                                                                              if len(types) > 1 else ""),
            reading)))
    return out


#: "118 cases, all allocated to a qualified social worker": the figure is how many there were, and
#: what follows "all" says where every one of them is.
_ALL_OF_THEM = re.compile(r"(?:,|\band\b|\s)\s*(?:and\s+)?(?:all|each)\b(?:\s+(?:of\s+(?:them|these|which|whom)|were|are|was|"
                          r"is|have|has|had|been|being|currently|an?))*\s+(?P<rest>(?:un)?allocated\b.*|held by\b.*)", re.I)


def _all_of_them(pos, sentence: str, masked: str, number: _Number, ctx: _Context | None, date: str | None,
                 borrowed: str | None) -> list[Finding]:
    """A figure and then "all allocated to ...": the figure read as the total (with what comes before
    "all"), and the same figure proposed for the category "all" names, for a person to confirm."""
    tail = _ALL_OF_THEM.search(masked, number.end)
    tail_category = _meaning(tail.group("rest"), account(tail.group("rest")))[1]
    if ctx is not None and tail_category and ctx.meaning()[1] == tail_category:
        # "Q3. How many were allocated to someone other than a qualified social worker?" /
        # "Looked after children: 12, all held by personal advisers": the figure answers the
        # question, and "all" says who they are
        return [_one(pos, sentence, masked, number, ctx, date, borrowed)]
    before = masked[:tail.start()]
    # what comes before "all" is how many there were: never the question's category
    total = _one(pos, sentence, before, number, None, date, borrowed)
    acc = account(_without(before, number))
    asked = ctx.case_type() if ctx is not None else None
    types = _case_types(acc) or ([borrowed] if borrowed else []) or ([asked] if asked else [])
    if (total.reading is None and not total.not_a_count and len(types) == 1 and not _categories(acc)
            and number.count is not None and _kind_of_blockers(acc) == (None, True)):
        # "Child protection: 118 cases, all ...": a case type and a figure, before "all": how many
        total = Finding(pos, sentence, number.written, Reading(types[0], "total", "", number.count, number.qualifier),
                        counted=not (number.in_words or acc.why_not() or not _case_types(acc)), date=date)
        if not total.counted:
            total.problem = _problem(number.written, "a case type and a figure before 'all': its total", total.reading)
    if total.not_a_count or total.reading is None or total.reading.category != "total":
        return [_one(pos, sentence, masked, number, ctx, date, borrowed)]
    acc = account(tail.group("rest"))
    _t, category, detail = _meaning(tail.group("rest"), acc)
    plain, proposable = _kind_of_blockers(acc)
    if category in (None, "total") or plain or not proposable or number.count is None:
        return [total]
    reading = Reading(total.reading.case_type, category, detail, number.count, number.qualifier)
    every = Finding(pos, sentence, number.written, reading=reading, date=date, problem=_problem(
        number.written, "the same figure as the total, for 'all' of them", reading))
    return [total, every]


def _all_before(finding: Finding, masked: str, number: _Number) -> list[Finding]:
    """"All 244 child protection cases were allocated to a qualified social worker": the figure is
    also how many there were, proposed as the total for a person to confirm."""
    r = finding.reading
    if r is None or r.category == "total" or r.qualifier != "exact" or not _ALL_BEFORE.search(masked[:number.start]):
        return []
    total = Reading(r.case_type, "total", "", r.count, "exact")
    return [Finding(finding.pos, finding.sentence, finding.number, reading=total, date=finding.date,
                    problem=_problem(finding.number, "'all' of them: the same figure as the total", total))]


_ALL_BEFORE = re.compile(r"(?:^|[:;,]\s*|\b(?:and|of)\s+)\W*all\s+(?:of\s+)?(?:the\s+|our\s+)?$", re.I)


def _without(masked: str, number: _Number) -> str:
    return masked[:number.start] + " " * (number.end - number.start) + masked[number.end:]


def _one(pos, sentence: str, masked: str, number: _Number, ctx: _Context | None, date: str | None,
         borrowed: str | None = None) -> Finding:
    words = _without(masked, number)
    acc = account(words)
    case_type, category, detail = _meaning(words, acc)
    used_context = False
    if borrowed and case_type is None and not _case_types(acc):
        # "Of these, 298 were allocated ..." after "There were 306 looked after children.": the
        # case type of the sentence before, for a person to confirm
        case_type = borrowed
    if ctx is not None and (case_type is None and not _case_types(acc) or category is None and not _categories(acc)):
        c_type, c_cat, c_detail = ctx.meaning()
        if case_type is None and not _case_types(acc):
            case_type, used_context = c_type, True
            borrowed = c_type if c_type and not _case_types(ctx.acc) else borrowed
        if category is None and not _categories(acc):
            category, detail, used_context = c_cat, c_detail, True
        elif category == "unallocated" and detail == "not_given" and c_cat == "unallocated":
            detail = c_detail
    bare_total = False
    if case_type and category is None and not _categories(acc) and _BARE_TYPE.match(sentence) and _case_types(acc):
        category, detail, bare_total = "total", "", True  # "Looked after children: 207" heading a list
    plain, proposable = _kind_of_blockers(acc)
    finding = Finding(pos, sentence, number.written, date=date)
    if plain and not _kind_of_blockers(_own_clause(masked, number))[0]:
        # "The number of CIN cases changes by the hour ..., but on 11 October there were more than
        # 700": the words that make it look like something else are in another clause, so it may
        # well be a count; a person reads it (no proposal: that clause may still be about it)
        finding.problem = _problem(number.written, f"{acc.why_not()}, in another clause of the sentence than "
                                                   f"the figure; not sure", None)
        return finding
    if plain:
        finding.not_a_count = plain
        return finding
    reading = (Reading(case_type, category, detail, number.count, number.qualifier)
               if case_type and category and proposable and number.count is not None else None)
    reasons = []
    if acc.why_not():
        reasons.append(acc.why_not())
    if used_context and ctx is not None and ctx.acc.why_not():
        reasons.append(f"the question it answers has {ctx.acc.why_not()}")
    if number.in_words:
        reasons.append(f"a number in words ({number.written!r})")
    if borrowed and case_type == borrowed and not _case_types(acc):
        reasons.append("its case type is the one the sentence or question before it names")
    if bare_total:
        reasons.append("a case type with a number and no category: read as its total")
    if not case_type:
        types = _case_types(acc)
        reasons.append(f"{len(types)} case types named ({', '.join(types)})" if types else "no case type named")
    if not category:
        reasons.append("no single category (unallocated, allocated to a qualified social worker or to other "
                       "staff, total) named")
    if reading and not reasons:
        finding.reading, finding.counted = reading, True
        return finding
    finding.reading = reading
    finding.problem = _problem(number.written, "; ".join(reasons) or "not sure", reading)
    return finding


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
#: The words between a part and its whole: "401 out of 412", "401 of the 412", "401 of our 412".
_OUT_OF = re.compile(r"\s*(?:out\s+of|of)\s+(?:the\s+|all\s+|our\s+|a\s+total\s+of\s+)?", re.I)


def _types_in_order(text: str) -> list[str]:
    """The case types a text names, in the order it names them."""
    found, lowered = [], text.lower()
    for pattern, case_type in CASE_TYPE_PATTERNS:
        m = pattern.search(lowered)
        if m:
            found.append((m.start(), case_type))
    return [t for _s, t in sorted(found)]


def _respectively(pos, sentence: str, masked: str, numbers: list[_Number], ctx: _Context | None,
                  date: str | None, order: list[str]) -> list[Finding]:
    """'The figures for child protection, looked after and children in need are 212, 340 and 1,904
    respectively' (or, after a sentence naming them in that order, 'Of the open cases, 543, 702 and
    2,401 respectively were allocated to a qualified social worker'): the n-th figure is the n-th
    case type, each proposed with the sentence's category. Nothing when the case types named (here,
    or in that order before) are not as many as the figures, or the sentence names no category."""
    if not _RESPECTIVELY.search(masked):
        return []
    words = mask(masked, [(n.start, n.end) for n in numbers])
    types = _types_in_order(words) or order
    if len(types) != len(numbers) or len(set(types)) != len(types):
        return []
    acc = account(words)
    _t, category, detail = _meaning(words, acc)
    if category is None and not _categories(acc) and _EXISTENCE.search(words):
        category, detail = "total", ""  # "there were ... cases numbering 548, 786 and 2,934 respectively"
    if category is None and not _categories(acc) and ctx is not None:
        _c, category, detail = ctx.meaning()  # the question it answers names the category
    if category is None:
        return []
    detail = detail or UNSPECIFIED_DETAIL.get(category, "")
    out = []
    for number, case_type in zip(numbers, types):
        reading = (Reading(case_type, category, detail, number.count, number.qualifier)
                   if number.count is not None else None)
        out.append(Finding(pos, sentence, number.written, reading=reading, date=date, problem=_problem(
            number.written, f"'respectively': {len(numbers)} figures for {', '.join(types)} in that order", reading)))
    return out


def _several(pos, sentence: str, masked: str, numbers: list[_Number], ctx: _Context | None,
             date: str | None, borrowed: str | None = None) -> list[Finding]:
    """Several figures in one sentence: never a count, always for a person, one proposal each.

    Each figure is read against its own clause: its case type, and its category when the clause
    names one. A predicate after the last figure ("2 looked-after and 10 CIN cases are unallocated,
    held by the team manager") is shared by the figures whose clauses name no category; where
    clauses name their own ("211 looked after, 198 with a qualified social worker, ..."), a clause
    that names only a case type is its total. Parts given "of which" a figure (or listed after it
    with reasons that add up to it) are proposed with their reasons, and the figure itself as what
    its parts leave, or not at all when they account for it."""
    whole = account(mask(masked, [(n.start, n.end) for n in numbers]))
    _s_type, s_cat, _d = _meaning(sentence, whole)
    if s_cat is None and ctx is not None and not _categories(whole):
        _c, s_cat, _d = _meaning(ctx.text, ctx.acc)
    bounds = _clause_bounds(masked, numbers)
    # A reason or role shared by the figures is in a clause of its own ("..., held by the team
    # manager"); one in a clause with another figure belongs to that figure ("of which 60 are
    # awaiting closure").
    shared = " ".join(masked[a:b] for a, b in zip(bounds, bounds[1:])
                      if not any(a <= n.start < b for n in numbers))
    s_detail = _meaning(shared, account(shared))[2] if shared.strip() else ""
    if not s_detail or _meaning(shared, account(shared))[1] not in (None, s_cat):
        s_detail = ""
    clauses = []
    for number in numbers:
        start = max(b for b in bounds if b <= number.start)
        end = min(b for b in bounds if b >= number.end)
        before = max((b for b in bounds if b < start), default=None)
        if before is not None and masked[:start].rstrip().endswith(":") and not any(
                before <= n.start < start for n in numbers):
            start = before  # "Unallocated: 434": the words before the colon say what the figure is
        text = mask(masked[start:end], [(n.start - start, n.end - start) for n in numbers if start <= n.start < end])
        # "Of the 371 looked after children, 352 had ...": the figure the others are taken from
        whole_of = bool(_WHOLE_OF.match(masked[start:number.start]))
        part_of = bool(_PART_OF.match(text))
        text = _PART_OF.sub(" ", text) if part_of else text
        acc = account(text)
        clauses.append((number, text, acc, part_of, bool(_categories(acc) or acc.reasons or acc.roles), whole_of))
    with_category = [c for c in clauses if c[4]]
    # the predicate is shared when only the last figure's clause names a category
    shared_predicate = len(with_category) == 1 and with_category[0] is clauses[-1] and len(clauses) > 1
    # ... and a label before a colon heads every item of the list after it ("Allocated to a qualified
    # social worker: CP 157; LAC 216; CIN 1,162")
    label = masked.split(":", 1)[0] if ":" in masked else ""
    if label and not any(n.start < len(label) for n in numbers) and _categories(account(label)):
        shared_predicate = True
        _t, s_cat, label_detail = _meaning(label, account(label))
        s_detail = s_detail or label_detail
    findings: list[Finding] = []
    for number, text, acc, part_of, named, whole_of in clauses:
        types = _case_types(acc)
        case_type = types[0] if len(types) == 1 else None
        if case_type is None and not types:
            sentence_types = _case_types(whole)
            case_type = sentence_types[0] if len(sentence_types) == 1 else None
            if case_type is None and not sentence_types:
                # "More than 420 were allocated ..." after "we had 441 looked after children": the
                # case type of the sentence before, or of the question it answers
                case_type = borrowed or (ctx.meaning()[0] if ctx is not None else None)
        _t, category, detail = _meaning(text, acc)
        if category is None and not named:
            if whole_of and with_category:
                category, detail = "total", ""
            elif types and with_category and not shared_predicate:
                category, detail = "total", ""  # "Bournemouth: 211 looked after, 198 with a qualified ..."
            else:
                category, detail = s_cat, s_detail
        elif category == s_cat and detail in ("not_given", "other") and s_detail:
            detail = s_detail  # "2 looked-after and 10 CIN cases are unallocated, held by the manager"
        plain, proposable = _kind_of_blockers(acc)
        finding = Finding(pos, sentence, number.written, date=date)
        if plain:
            finding.not_a_count = plain
        elif case_type and category and proposable and number.count is not None:
            detail = detail or UNSPECIFIED_DETAIL.get(category, "")
            finding.reading = Reading(case_type, category, detail, number.count, number.qualifier)
        findings.append(finding)
    # "401 out of 412 cases were allocated ...", "401 of the 412": the second is the whole, the
    # total of that case type, never a second figure of the sentence's category
    for (a, fa), (b, fb) in zip(zip(numbers, findings), list(zip(numbers, findings))[1:]):
        if _OUT_OF.fullmatch(masked[a.end:b.start]) and fb.reading is not None and b.count is not None:
            fb.reading = Reading(fb.reading.case_type, "total", "", b.count, b.qualifier)
    _parts_and_whole(findings, [c[3] for c in clauses])
    candidates = [f for f in findings if f.not_a_count is None]
    described = ", ".join(f"{f.number} {_CASE_WORDS[f.reading.case_type]}" if f.reading else f"{f.number} (not sure what)"
                          for f in candidates)
    for f in candidates:
        why = f"{len(candidates)} figures in one sentence: {described}" if len(candidates) > 1 else (
            whole.why_not() or "not sure")
        if f.problem:  # a note the parts-and-whole check left
            why = f"{why}; {f.problem}"
        f.problem = _problem(f.number, why, f.reading)
    return findings


def _own_clause(masked: str, number: _Number) -> Accounting:
    """The words of the clause a lone figure sits in (`_clause_bounds`), accounted for."""
    bounds = _clause_bounds(masked, [number])
    start = max(b for b in bounds if b <= number.start)
    end = min(b for b in bounds if b >= number.end)
    return account(_without(masked, number)[start:end])


def _clause_bounds(masked: str, numbers: list[_Number]) -> list[int]:
    """Where a sentence's clauses start and end. Items a semicolon parts, one figure each ("Child
    protection 3, held by a trainee; looked after 14, held by leaving care advisers"), are clauses
    whole; a bracket right after a figure's clause is part of it ("9 children in need (in transit)")."""
    found = list(_CLAUSE.finditer(masked))
    has_number = lambda a, b: any(a <= n.start < b for n in numbers)  # noqa: E731
    cuts = [m.end() for m in found if ";" in m.group(0)]
    items = list(zip([0, *cuts], [*cuts, len(masked)]))
    if cuts and all(sum(a <= n.start < b for n in numbers) <= 1 for a, b in items):
        found = [m for m in found if ";" in m.group(0) or ":" in m.group(0)]
    # a clause never ends inside a figure ("five hundred and twenty-six" holds an 'and')
    bounds = sorted({0, len(masked), *(m.end() for m in found
                                       if not any(n.start < m.start() < n.end or n.start < m.end() < n.end
                                                  for n in numbers))})
    for m in found:
        if "(" in m.group(0) and m.end() in bounds:
            i = bounds.index(m.end())
            if 0 < i < len(bounds) - 1 and has_number(bounds[i - 1], bounds[i]) and \
                    not has_number(bounds[i], bounds[i + 1]):
                bounds.remove(m.end())
    return bounds


#: The words before a figure that the figures after it are taken from ("Of the 371 ...", "Out of all 52").
_WHOLE_OF = re.compile(r"^\W*(?:out\s+)?of\s+(?:the\s+|all\s+(?:the\s+)?|our\s+)?(?:total\s+(?:of\s+)?)?$", re.I)
#: A clause that gives part of the figure before it ("of which 64 were awaiting closure").
_PART_OF = re.compile(r"^\W*(?:of which|of whom|of these|of those|of them|including|incl\.?)\b[\s:,]*", re.I)


def _parts_and_whole(findings: list[Finding], part_of: list[bool]) -> None:
    """A figure followed by parts of it (same case type and category, each with its own reason or
    role): when the parts add up to it, the figure is their subtotal and is not proposed; when
    they are given "of which" it and fall short, the figure is proposed as what they leave."""
    i = 0
    while i < len(findings):
        whole = findings[i]
        r = whole.reading
        if r is None or r.category not in ("unallocated", "allocated_other") or r.detail not in ("not_given", "other", "") \
                or r.qualifier != "exact":
            i += 1
            continue
        parts, j = [], i + 1
        while j < len(findings) and findings[j].reading is not None \
                and findings[j].reading.case_type == r.case_type and findings[j].reading.category == r.category:
            parts.append((findings[j], part_of[j]))
            j += 1
        named = [f for f, _ in parts if f.reading.detail not in ("not_given", "other") and f.reading.qualifier == "exact"]
        if not named:
            i += 1
            continue
        total = sum(f.reading.count for f, _ in parts if f.reading.count is not None)
        if total == r.count:
            whole.reading = None
            whole.problem = f"the figures after it ({', '.join(f.number for f, _ in parts)}) are its parts and add up to it"
        elif total < r.count and any(flag for _, flag in parts):
            whole.reading = Reading(r.case_type, r.category, r.detail, r.count - total, "exact")
            whole.problem = (f"{whole.number} less its parts given after it ({', '.join(f.number for f, _ in parts)}) "
                             f"is {r.count - total}, the cases with no reason given")
        i = j


_CASE_WORDS = {"cp": "child protection", "lac": "looked after", "cin": "children in need"}


def _problem(written: str, why: str, reading: Reading | None) -> str:
    if reading is None:
        return f"a number in prose ({written!r}): {why}; not read"
    shown = reading.count if reading.qualifier == "exact" else f"{reading.count} ({reading.qualifier})"
    detail = reading.detail if reading.detail not in ("not_given", "other") else ""
    what = " ".join(x for x in (reading.case_type, reading.category, detail) if x)
    return (f"a number in prose ({written!r}): {why}; not read; it would read as {what} {shown} (a proposed "
            f"reading, for a person to confirm)")
