"""Recognise the words councils use for case types, categories, roles and reasons.

Everything the reader knows about wording is in `data/vocabulary.csv`, in one place: add a
wording by adding a row (`unallocated.returns.vocabulary`). Patterns are searched in lower-cased
text with "&" read as "and". The first matching row of each kind wins, so more specific
wordings come first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from unallocated.returns import vocabulary
from unallocated.returns.vocabulary import normalise

__all__ = ["Label", "classify", "normalise", "partial", "reasons_in_note", "roles_in_note", "HEADING_KINDS"]


# The wording tables are rows of data/vocabulary.csv (`unallocated.returns.vocabulary`), in file
# order: the first matching row of each kind wins, so more specific wordings come first there.
#: Case type wordings -> case_type.
CASE_TYPE_PATTERNS: list[tuple[re.Pattern[str], str]] = vocabulary.patterns("case_type")
#: Category wordings -> category. Unallocated comes first: "no allocated social worker" contains
#: "allocated". Bare "Allocated" (the parent of a two-row header) is a subtotal of the two
#: allocated categories; the reader checks it against them and never maps it as a category.
CATEGORY_PATTERNS: list[tuple[re.Pattern[str], str]] = vocabulary.patterns("category")
#: Roles of the person holding an `allocated_other` case -> detail.
ROLE_PATTERNS: list[tuple[re.Pattern[str], str]] = vocabulary.patterns("role")
#: Reasons a case is unallocated -> detail.
REASON_PATTERNS: list[tuple[re.Pattern[str], str]] = vocabulary.patterns("reason")
#: Column or row headings that are not categories: what each kind of heading means.
HEADING_KINDS: list[tuple[re.Pattern[str], str]] = vocabulary.patterns("heading")


@dataclass(frozen=True)
class Label:
    """What a piece of label text says. Any field may be None when the text does not say."""

    case_type: str | None = None
    category: str | None = None
    detail: str | None = None
    kind: str | None = None  # notes / council / date / neutral heading, when it is one of those

    @property
    def recognised(self) -> bool:
        return any((self.case_type, self.category, self.detail, self.kind))


def _first(patterns: list[tuple[re.Pattern[str], str]], text: str) -> str | None:
    """The match that appears earliest in the text (ties: earliest pattern)."""
    best: tuple[int, int, str] | None = None
    for order, (pattern, value) in enumerate(patterns):
        m = pattern.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, value)
    return best[2] if best else None


def _first_in_order(patterns: list[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, value in patterns:
        if pattern.search(text):
            return value
    return None


# A role offered as one of several kinds of staff ("SWA / unqualified", "assistant or other staff").
_ANY_UNQUALIFIED = re.compile(r"(?:/|\bor\b)\s*(?:any\s+|other\s+)?(?:unqualified|non[- ]?qualified|other staff|other workers?)\b|"
                              r"\b(?:unqualified|non[- ]?qualified|other staff|other workers?)\s*(?:/|\bor\b)")


def _role(t: str) -> str | None:
    """The role a label names; "other" when it names several ("SWA/FSW": assistants and family
    support workers together, which no one role can hold) or one among unqualified staff ("SWA /
    unqualified")."""
    roles = {value for pattern, value in ROLE_PATTERNS if pattern.search(t)}
    if len(roles - {"other"}) > 1 or (roles and _ANY_UNQUALIFIED.search(t)):
        return "other"
    return _first_in_order(ROLE_PATTERNS, t)


_NO_QUALIFIED = vocabulary.patterns("no_qualified")[0][0]


def classify(text: str) -> Label:
    """Read a label, heading or question: which case type, category and detail it names.

    >>> classify("Allocated to family support worker")
    Label(case_type=None, category='allocated_other', detail='family_support', kind=None)
    >>> classify("How many children subject to a child protection plan have no allocated social worker?").category
    'unallocated'
    """
    t = normalise(text)
    if not t:
        return Label()
    for pattern, kind in HEADING_KINDS:
        if pattern.search(t):
            return Label(kind=kind)
    case_type = _first(CASE_TYPE_PATTERNS, t)
    if _NO_QUALIFIED.search(t):
        # "Cases not allocated to a qualified social worker" holds the cases other staff hold
        # as well as the unallocated ones: neither category, so never read as either.
        return Label(case_type=case_type, kind="no_qualified")
    category = _first_in_order(CATEGORY_PATTERNS, t)
    detail = None
    if category == "allocated_other":
        detail = _role(t)
    elif category in (None, "unallocated", "allocated"):
        reason = _first_in_order(REASON_PATTERNS, t)
        if reason and not _ASIDE.search(t):
            # ("... financial payments only are counted as allocated" names no unallocated case)
            # "awaiting closure" or "duty team" on its own heads an unallocated column.
            category, detail = "unallocated", reason
    if category is None:
        role = _role(t)
        if role:
            category, detail = "allocated_other", role
    return Label(case_type=case_type, category=category, detail=detail)


#: Words that say a role or reason holds for part of the cases, not all: "mainly", "the majority".
_PARTIAL = re.compile(r"\b(?:mainly|mostly|largely|predominantly|principally|chiefly|in the main|the majority|"
                      r"most of (?:them|these|those|the)|almost all|nearly all|the bulk)\b", re.I)


def partial(text: str) -> bool:
    """Whether a note gives its role or reason for only part of the cases ("mainly cases awaiting
    closure"): it then names no count's role or reason."""
    return bool(_PARTIAL.search(str(text)))


def roles_in_note(text: str) -> list[tuple[str | None, str, int | None]]:
    """The roles a note gives for cases held by other staff: (case type or None, role, number or
    None). A clause gives its role to the case types it names ("looked after children - leaving
    care personal advisers"); where a clause names several roles, each takes the case types in
    the bracket after it ("social work assistants (child protection and children in need) and
    leaving care workers (looked after)") and the number in it ("family support workers (29)").
    A role no case type or number can be tied to, beside another, is left out."""
    out: list[tuple[str | None, str, int | None]] = []
    for raw_clause in re.split(r"[;\n]|\.\s", str(text)):
        clause = " ".join(raw_clause.lower().replace("&", " and ").split())  # brackets kept: they tie roles to case types
        if classify(clause).category == "unallocated":
            continue  # about cases no one holds ("in transit between the Safeguarding and Family Support teams")
        roles = [(m.start(), value) for pattern, value in ROLE_PATTERNS for m in pattern.finditer(clause)
                 if not re.match(r"[a-z' ]{0,20}\bteams?\b", clause[m.end():])]  # "Leaving Care Team" is a team
        roles = sorted({(s, v) for s, v in roles if v != "other" or len(roles) == 1})
        # one role named twice over ("leaving care personal advisers") is one mention
        roles = [r for k, r in enumerate(roles) if not (k and roles[k - 1][1] == r[1] and r[0] - roles[k - 1][0] < 25)]
        if not roles:
            continue
        if len({v for _s, v in roles}) == 1:
            role = roles[0][1]
            types = [v for p, v in CASE_TYPE_PATTERNS if p.search(clause)] or [None]
            number = _number_by(clause, roles[0][0])
            out += [(t, role, number if len(types) == 1 else None) for t in types]
            continue
        for k, (start, role) in enumerate(roles):
            end = roles[k + 1][0] if k + 1 < len(roles) else len(clause)
            bracket = re.search(r"\(([^)]*)\)", clause[start:end])
            inside = bracket.group(1) if bracket else ""
            types = [v for p, v in CASE_TYPE_PATTERNS if p.search(inside)]
            if not bracket:
                # "personal advisers and social work assistants for looked after children, and family
                # support workers for children in need": roles joined by 'and' share the case types
                # the 'for ...' after the last of them names
                group_end = k
                while group_end + 1 < len(roles) and _joins(_role_gap(clause, roles, group_end)):
                    group_end += 1
                tail_end = roles[group_end + 1][0] if group_end + 1 < len(roles) else len(clause)
                segment = clause[roles[group_end][0]:tail_end]
                tail = re.search(r"\b(?:for|with|holding|hold)\b(.*)", segment)
                if re.search(r"\b(?:except|apart from|other than|but not)\b", segment):
                    tail = None  # "assistants, except for looked after children": not theirs
                types = [v for p, v in CASE_TYPE_PATTERNS if p.search(tail.group(1))] if tail else []
            numbers = _numbers_in(inside)
            number = numbers[0] if len(numbers) == 1 else _number_by(clause, start)
            if not types and number is not None and not bracket:
                # "Of the 118 looked after children ..., 97 were ... personal adviser ... and 21 were
                # allocated to social work assistants": the one case type the clause names
                named = [v for p, v in CASE_TYPE_PATTERNS if p.search(clause)]
                types = named if len(named) == 1 else []
            if not types and number is None:
                if re.search(r"\b(?:except|apart from|other than|but not)\b", clause[start:end]):
                    out.append((None, role, None))  # "... are assistants, except for looked after children, where ..."
                continue
            for t in types or ([v for p, v in CASE_TYPE_PATTERNS if p.search(clause)][:1] if number is not None
                               else []) or [None]:
                out.append((t, role, number if len(types) <= 1 else None))
    return out


def _joins(gap: str) -> bool:
    """Whether the words between two roles only join them ("and", ", ", "or", with the next role's
    first words: "and social work"), naming no case type and nothing they are 'for'."""
    return bool(re.match(r"^(?:,\s*)?(?:and\b|or\b|&|,)", gap)) and len(gap.split()) <= 4 \
        and not re.search(r"\b(?:for|with|in|on|to)\b", gap) and not any(p.search(gap) for p, _v in CASE_TYPE_PATTERNS)


def _role_gap(clause: str, roles: list[tuple[int, str]], k: int) -> str:
    """The words between the end of role k's name and the start of role k+1's."""
    name = re.match(r"[a-z' -]*?(?:workers?|assistants?|advisers?|advisors?|students?|officers?|practitioners?|"
                    r"managers?|staff|team)\b", clause[roles[k][0]:roles[k + 1][0]])
    after = roles[k][0] + (name.end() if name else 0)
    return clause[after:roles[k + 1][0]].strip()


def _number_by(clause: str, start: int) -> int | None:
    """The number written right before a role ("24 Personal Advisers", "4 social work assistants")
    or in a bracket right after it ("family support workers (29)"); None for any other number in
    the clause (an age, "16+ team", is not how many cases)."""
    # "24 Personal Advisers", "21 were allocated to social work assistants": up to six words between,
    # none of them 'and' (which starts another item) and no comma
    before = re.search(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})*|\d+)\s+(?:(?!and\b|or\b)[a-z'-]+\s+){0,6}$", clause[:start])
    # "young people aged 16 or 17 with a personal adviser": an age, not how many
    if before and not _AGE_BEFORE.search(clause[:before.start(1)]):
        return int(before.group(1).replace(",", ""))
    after = re.match(r"[a-z' -]{0,40}?\(\s*(\d+)\s*\)", clause[start:])
    return int(after.group(1)) if after else None


#: The words before a number that make it an age ("aged 16 or 17", "ages 14-", "age").
_AGE_BEFORE = re.compile(r"\bage[sd]?\s+(?:(?:between|of|from)\s+)?(?:\d+\s*(?:or|to|and|-|–)\s*)?$", re.I)


def _numbers_in(text: str) -> list[int]:
    """The whole numbers in a note that may be counts (not dates, sections of the Act, references)."""
    from unallocated.returns.numbers import count_numbers

    return [int(n.replace(",", "")) for n in count_numbers(text)]


_NOTE_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.]*%)")


# A clause about cases that are NOT among the unallocated ("22 cases receiving financial
# payments only are counted as allocated", "... are not included", "excluded from the figures").
_ASIDE = vocabulary.patterns("aside")[0][0]


def reasons_in_note(text: str) -> list[tuple[str, int | None]]:
    """The reasons for unallocated cases a free-text note gives, each with its number if stated.

    "7 cases in transit between teams; 2 awaiting closure" -> [("in_transit", 7),
    ("awaiting_closure", 2)]. A clause gives at most one reason; its number is the last number
    written before the reason's words (or the first after them, if none before). A clause about
    cases that are not among the unallocated ("22 cases receiving financial payments only are
    counted as allocated", "... not included") gives nothing.
    """
    out: list[tuple[str, int | None]] = []
    # A line that wraps ("6 of these cases\nare awaiting closure") goes on the same clause.
    from unallocated.returns.numbers import plain_numbers

    text = plain_numbers(str(text))[1]  # "section 17 payments", dates and references are not counts
    lowered = re.sub(r"\n\s*(?=[a-z])", " ", text).lower().replace("&", " and ")
    for clause in re.split(r"[;\n]|,(?!\d{3})|\band\b|\.\s", lowered):
        found = None
        for pattern, reason in REASON_PATTERNS:
            m = pattern.search(clause)
            if m and (found is None or m.start() < found[0]):
                found = (m.start(), reason)
        if not found:
            continue
        if _ASIDE.search(clause):  # about cases counted elsewhere: moves nothing
            continue
        nums_before = [m for m in _NOTE_NUMBER.finditer(clause[: found[0]])]
        nums_after = [m for m in _NOTE_NUMBER.finditer(clause[found[0]:])]
        pick = nums_before[-1] if nums_before else (nums_after[0] if nums_after else None)
        number = int(pick.group(1).replace(",", "")) if pick else None
        if number is None and re.search(r"\b(?:none|nil|zero)\b", clause):
            number = 0  # "in transit cases: none" gives the reason no cases
        out.append((found[1], number))
    return out
