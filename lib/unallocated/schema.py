"""The tidy returns table: every FOI return, whatever its layout, becomes rows of these columns.

The data dictionary for humans is `docs/returns_data_dictionary.md`; this module is the
machine-readable version, and a test checks that the two agree.
"""
from __future__ import annotations

#: Case types, in the order the coverage reports them.
CASE_TYPES: dict[str, str] = {
    "cp": "child protection: a child subject to a child protection plan",
    "lac": "looked after: a child in the council's care (also 'children in care', 'CIC', 'LAC')",
    "cin": "child in need: an open children-in-need case that is neither CP nor LAC in the return",
}

#: Where an open case stands. `total` is the council's own total of open cases.
CATEGORIES: dict[str, str] = {
    "total": "all open cases of that type, as the council counted them",
    "allocated_qualified": "allocated to a qualified (registered) social worker",
    "allocated_other": "allocated to a professional who is not a qualified social worker",
    "unallocated": "no professional allocated, whatever the reason the council gave",
}

#: `detail` for `allocated_other`: the role of the person holding the case.
OTHER_ROLES: dict[str, str] = {
    "assistant": "social work assistant",
    "trainee": "trainee or student social worker",
    "family_support": "family support worker",
    "leaving_care": "leaving-care (personal adviser) worker",
    "other": "another professional, or unqualified staff with no role given",
}

#: `detail` for `unallocated`: the reason the council gave.
UNALLOCATED_REASONS: dict[str, str] = {
    "in_transit": "in transit between teams",
    "awaiting_closure": "waiting to be closed",
    "partner_agency": "worked by a partner agency (health, education, voluntary sector)",
    "financial_only": "receiving financial payments only",
    "duty_team": "held by a duty team or a manager, with no named worker",
    "not_given": "no reason given",
}

#: How exact a count is, from the wording in the cell.
QUALIFIERS: dict[str, str] = {
    "exact": "a plain number",
    "at_least": "the true number is this or more ('40+' gives 40; 'over 1,000' gives 1001)",
    "at_most": "the true number is this or fewer ('<5' gives count 4, at_most)",
    "approx": "about this number ('c. 40', 'approx 40', 'about 40')",
    "suppressed": "the council withheld the number (e.g. '*', 'x'); count is empty",
    "not_supplied": "no number given ('n/a', '-', blank where one was asked); count is empty",
}

#: Which of the three layers a number belongs to.
LAYERS: dict[str, str] = {
    "real_return": "a council's actual FOI return",
    "published": "a figure printed in the 2010 coverage",
    "simulated": "made by the project's seeded generator; not a real council figure",
    "review": "a person's reading of a council's reply (a figure keyed or decided in review.csv)",
}

#: Columns of `returns.csv`, in order.
RETURN_COLUMNS: list[str] = [
    "council_code", "council", "snapshot_date", "case_type", "category", "detail",
    "count", "qualifier", "layer", "source", "raw",
]

#: Columns of `issues.csv`, in order.
ISSUE_COLUMNS: list[str] = ["file", "sheet", "cell", "raw", "problem"]


def allowed_details(category: str) -> dict[str, str]:
    """The `detail` values allowed for a category ({} means detail must be empty)."""
    if category == "allocated_other":
        return OTHER_ROLES
    if category == "unallocated":
        return UNALLOCATED_REASONS
    return {}
