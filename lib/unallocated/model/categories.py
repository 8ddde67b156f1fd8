"""What counts as "unallocated": the allocation categories and the named definitions in the dispute.

For reporters
-------------
Every open case in a council's return sits in one category (see `CATEGORIES`): allocated to a
qualified social worker, allocated to someone else (an assistant, a trainee, a family support
worker, a leaving-care worker, another professional), or unallocated, with the reason the
council gave. The 2010 dispute was about which of those cases deserve the word "unallocated".
Each side's answer is a *definition* here, a named rule listing exactly which categories and
reasons it counts, so any figure can be computed under every reading:

==========================  ==================================================================
``councils_reading``        unallocated, minus the cases councils said should not count: in
                            transit between teams, awaiting closure, worked by a partner
                            agency, financial payments only. Narrowest.
``closure_still_open``      the councils' reading, plus cases awaiting closure: a retired
                            social worker's point that such cases stay open until formally
                            closed, so having no worker on them is a real gap.
``no_professional``         every case the council listed as unallocated, whatever the reason.
                            This is what the 16 November 2010 headline counted.
``no_qualified_social_worker``  no professional at all, plus cases held by staff who are not
                            qualified social workers. Widest: what Community Care asked for.
==========================  ==================================================================

Each is contained in the next: ``councils_reading <= closure_still_open <= no_professional <=
no_qualified_social_worker``, so for any council the counts can only grow down that list.

`count_under(returns, definition, by=...)` counts cases under a definition for each council, each
case type, or the whole country, and keeps track of how sure each number is.

How sure a number is: the qualifier algebra
-------------------------------------------
Councils wrote "<5", "over 1,000", "c. 40", "*". Each row of a returns table carries a count and a
qualifier (see `unallocated.schema.QUALIFIERS`); each is read as hard bounds (low, high) on the
true number:

==============  =========  ============  =====================================================
qualifier       low        high          meaning
==============  =========  ============  =====================================================
exact n         n          n
at_least n      n          unbounded     "over 1,000" is stored as 1,001, at least
at_most n       0          n             "<5" is stored as at_most 4
approx n        0          unbounded     "about 40": no hard bound, 40 is the best guess
suppressed      0          unbounded     withheld ("*"); count is empty
not_supplied    0          unbounded     not given ("n/a", blank); count is empty
==============  =========  ============  =====================================================

Unbounded is shown as NaN in the `high` column. When numbers are added up (`combine`):

* count is the sum of the numbers that are known; withheld or missing numbers add nothing to it,
  so the count becomes the *known part* and the qualifier says the truth may be higher;
* low and high are the sums of the lows and highs (high is unbounded if any part is);
* the qualifier is
    - ``exact`` if every part is exact (an empty sum is exact 0);
    - ``approx`` if any part is approx;
    - ``at_least`` if some part is at_least, suppressed or not_supplied and none is at_most;
    - ``at_most`` if some part is at_most and none is at_least, suppressed or not_supplied;
    - ``approx`` if both kinds are present: the count is then neither a floor nor a ceiling,
      and only the (low, high) range is a hard statement;
    - ``suppressed`` (or ``not_supplied`` when nothing was suppressed) if *no* part is known
      (exact zeros aside): count is empty.

A council's own total bounds its parts: when a council gave an exact (or at_most) total of open
cases for a case type, the high bound of anything counted within that return and case type is at
most that total. Nothing subtler is deduced (a withheld cell is not worked out by subtraction).

What is never counted, and what is counted as zero
--------------------------------------------------
* Rows with category ``total`` are never counted under any definition. They only bound the parts.
* A council that broke a case type down into categories but listed nothing under a definition's
  categories has exactly 0 under that definition.
* A council that gave only a total for a case type (no breakdown) has an *unknown* number under
  every definition: it counts as ``not_supplied`` (low 0, high its total), never as 0.
* A council that said nothing at all about a case type is left out of that case type.

Corrections
-----------
Tables produced by `unallocated.model.corrections.apply_corrections` carry bookkeeping columns
(`correction`, `correction_part`, ...). A correction known only as a total across case types
(Barnsley: 9 of 165) is a joint constraint; `count_under` solves it for each output row, so a
case type's corrected figure comes out as a range while the council's (or the country's) total
stays exact. See `unallocated.model.corrections`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, Sequence

from unallocated.errors import UnallocatedError
from unallocated.schema import (  # re-exported: `from unallocated.model.categories import CATEGORIES`
    CASE_TYPES,
    CATEGORIES,
    OTHER_ROLES,
    QUALIFIERS,
    RETURN_COLUMNS,
    UNALLOCATED_REASONS,
    allowed_details,
)

if TYPE_CHECKING:  # imported where tables are counted: the registry of definitions does without it
    import pandas as pd

__all__ = [
    "CASE_TYPES", "CATEGORIES", "OTHER_ROLES", "UNALLOCATED_REASONS", "QUALIFIERS", "allowed_details",
    "ALL_PAIRS", "Definition", "DEFINITIONS", "get_definition", "UnknownDefinition",
    "InvalidReturns", "AmbiguousReturns", "Bounded", "EXACT_ZERO", "row_bounds", "combine",
    "count_under", "council_shares", "open_caseload", "GROUPABLE_COLUMNS", "CORRECTION_COLUMNS",
]


class UnknownDefinition(UnallocatedError, LookupError):
    """A definition name that is not in the registry."""


class InvalidReturns(UnallocatedError, ValueError):
    """A returns table with a value the schema does not allow (names the row and the value)."""


class AmbiguousReturns(UnallocatedError, ValueError):
    """Adding up would mix two returns from one council (two snapshot dates, or two layers)."""


# --------------------------------------------------------------------------------------------
# Definitions
# --------------------------------------------------------------------------------------------

#: Every (category, detail) pair a case can be in, apart from the council's `total`.
ALL_PAIRS: frozenset[tuple[str, str]] = frozenset(
    [("allocated_qualified", "")]
    + [("allocated_other", role) for role in OTHER_ROLES]
    + [("unallocated", reason) for reason in UNALLOCATED_REASONS]
)

_UNALLOCATED = frozenset(("unallocated", r) for r in UNALLOCATED_REASONS)
_ALLOCATED_OTHER = frozenset(("allocated_other", r) for r in OTHER_ROLES)
#: The reasons councils gave in December 2010 for saying their cases were not really unallocated.
COUNCIL_EXCLUSIONS: tuple[str, ...] = ("in_transit", "awaiting_closure", "partner_agency", "financial_only")


@dataclass(frozen=True)
class Definition:
    """A named rule for what counts as an "unallocated" case.

    name: short identifier used in code and file names (``no_professional``).
    title: short label for chart titles and table headers.
    description: plain English for reporters: what it counts, what it leaves out, whose reading.
    pairs: the (category, detail) pairs it counts; detail is "" for ``allocated_qualified``.

    ``a <= b`` means every case counted by ``a`` is also counted by ``b``.
    """

    name: str
    title: str
    description: str
    pairs: frozenset[tuple[str, str]]

    def __post_init__(self) -> None:
        unknown = set(self.pairs) - ALL_PAIRS
        if unknown:
            raise ValueError(f"definition {self.name!r}: unknown (category, detail) pairs {sorted(unknown)}")

    def counts(self, category: str, detail: str = "") -> bool:
        """True if a case in this category (with this role or reason) counts under the definition."""
        return (category, _normal_detail(category, detail)) in self.pairs

    def excludes(self) -> frozenset[tuple[str, str]]:
        """The pairs this definition leaves out."""
        return ALL_PAIRS - self.pairs

    def __le__(self, other: "Definition") -> bool:
        return self.pairs <= other.pairs

    def __lt__(self, other: "Definition") -> bool:
        return self.pairs < other.pairs

    def __ge__(self, other: "Definition") -> bool:
        return self.pairs >= other.pairs

    def __gt__(self, other: "Definition") -> bool:
        return self.pairs > other.pairs

    def summary(self) -> str:
        """One line per counted pair, in words, for notebooks and footnotes."""
        lines = []
        for category, detail in sorted(self.pairs):
            words = CATEGORIES[category]
            if detail:
                words += ": " + allowed_details(category)[detail]
            lines.append(words)
        return "\n".join(lines)


_DEFINITION_LIST = [
    Definition(
        name="councils_reading",
        title="Unallocated, as councils read it",
        description=(
            "Cases the council listed as having no allocated worker, leaving out the cases councils "
            "said in December 2010 should not have been counted: cases in transit between teams "
            "(Sunderland), cases waiting to be closed, cases worked by a partner agency, and cases "
            "only receiving financial payments (Derbyshire, Lincolnshire). What is left is cases held "
            "by a duty team or manager with no named worker, and cases with no reason given. "
            "The narrowest reading."
        ),
        pairs=frozenset(p for p in _UNALLOCATED if p[1] not in COUNCIL_EXCLUSIONS),
    ),
    Definition(
        name="closure_still_open",
        title="Unallocated, counting cases awaiting closure",
        description=(
            "The councils' reading, plus cases waiting to be closed. A retired social worker, Philip "
            "Measures, argued that a case awaiting closure stays open until it is formally "
            "de-allocated and closed, so it should still have a worker; a case awaiting closure with "
            "no worker is therefore a real gap and counts. Cases in transit, worked by partner "
            "agencies or on financial payments only stay out, as the councils said. Wider than the "
            "councils' reading, narrower than 'no professional'."
        ),
        pairs=frozenset(p for p in _UNALLOCATED if p[1] not in COUNCIL_EXCLUSIONS)
        | {("unallocated", "awaiting_closure")},
    ),
    Definition(
        name="no_professional",
        title="No professional allocated",
        description=(
            "Every case the council listed as unallocated, whatever reason it gave (or none): no "
            "social worker and no other professional holds the case. This is the reading behind the "
            "16 November 2010 headline of more than 8,000 children."
        ),
        pairs=_UNALLOCATED,
    ),
    Definition(
        name="no_qualified_social_worker",
        title="No qualified social worker",
        description=(
            "No professional at all, plus cases held by someone who is not a qualified social "
            "worker: social work assistants, trainees, family support workers, leaving-care workers "
            "and other staff (Barnet's 18% of looked-after children, most of Barnsley's 165). This is "
            "what Community Care's FOI request asked for. The widest reading."
        ),
        pairs=_UNALLOCATED | _ALLOCATED_OTHER,
    ),
]

#: The registry, narrowest first: each definition counts everything the one before it counts.
DEFINITIONS: dict[str, Definition] = {d.name: d for d in _DEFINITION_LIST}


def get_definition(name: str | Definition) -> Definition:
    """The definition called `name` (a `Definition` is passed through unchanged).

    Raises `UnknownDefinition`, listing the valid names, for any other name.
    """
    if isinstance(name, Definition):
        return name
    try:
        return DEFINITIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(DEFINITIONS)
        raise UnknownDefinition(f"unknown definition of 'unallocated' {name!r}; valid names: {valid}") from None


# --------------------------------------------------------------------------------------------
# The qualifier algebra
# --------------------------------------------------------------------------------------------

class Bounded(NamedTuple):
    """A count with its qualifier and hard bounds. count is None when unknown; high may be inf."""

    count: int | None
    qualifier: str
    low: float
    high: float


EXACT_ZERO = Bounded(0, "exact", 0.0, 0.0)
_UNKNOWN = ("suppressed", "not_supplied")


def row_bounds(count, qualifier) -> Bounded:
    """Read one cell (count, qualifier) as hard bounds, per the table in the module docstring.

    A missing qualifier with a number is taken as exact; a qualifier that promises a number but
    has none is taken as not_supplied.
    """
    import pandas as pd

    known = count is not None and not pd.isna(count)
    if qualifier is None or (not isinstance(qualifier, str) and pd.isna(qualifier)):
        qualifier = "exact" if known else "not_supplied"
    if qualifier in _UNKNOWN or not known:
        return Bounded(None, qualifier if qualifier in _UNKNOWN else "not_supplied", 0.0, math.inf)
    n = int(count)
    if qualifier == "exact":
        return Bounded(n, "exact", float(n), float(n))
    if qualifier == "at_least":
        return Bounded(n, "at_least", float(n), math.inf)
    if qualifier == "at_most":
        return Bounded(n, "at_most", 0.0, float(n))
    if qualifier == "approx":
        return Bounded(n, "approx", 0.0, math.inf)
    raise InvalidReturns(f"unknown qualifier {qualifier!r}; valid: {', '.join(QUALIFIERS)}")


def combine(items: Iterable[Bounded]) -> Bounded:
    """Add bounded counts up, following the qualifier algebra in the module docstring.

    The algebra is associative and has `EXACT_ZERO` as identity, so adding per-council results
    gives the same answer as adding all the rows at once.
    """
    # exact zeros change nothing; dropping them keeps EXACT_ZERO a true identity, so that
    # 0 + withheld stays 'suppressed' however the sum is bracketed
    items = [i for i in items if i != EXACT_ZERO]
    if not items:
        return EXACT_ZERO
    known = [i.count for i in items if i.count is not None]
    low = float(sum(i.low for i in items))
    high = float(sum(i.high for i in items))  # inf if any part is unbounded
    quals = {i.qualifier for i in items}
    if not known:
        return Bounded(None, "suppressed" if "suppressed" in quals else "not_supplied", low, high)
    count = int(sum(known))
    if quals == {"exact"}:
        qualifier = "exact"
    elif "approx" in quals:
        qualifier = "approx"
    else:
        open_above = bool(quals & {"at_least", "suppressed", "not_supplied"})
        open_below = "at_most" in quals
        if open_above and open_below:
            qualifier = "approx"  # a point that is neither floor nor ceiling; (low, high) is the claim
        elif open_above:
            qualifier = "at_least"
        else:
            qualifier = "at_most"
    return Bounded(count, qualifier, low, high)


def _apply_cap(item: Bounded, cap: float) -> Bounded:
    """Bound `item` by a council's own total, unless that total contradicts the known part."""
    if math.isinf(cap) or item.high <= cap:
        return item
    if item.count is not None and item.count > cap:
        return item  # parts exceed the council's total: inconsistent return, trust neither as a bound
    if item.low > cap:
        return item
    return item._replace(high=float(cap))


# --------------------------------------------------------------------------------------------
# Reading a returns table
# --------------------------------------------------------------------------------------------

#: Columns `count_under` may group by (a return's identity; never category or detail).
GROUPABLE_COLUMNS = ("council_code", "council", "snapshot_date", "layer", "case_type")
#: Bookkeeping columns added by `unallocated.model.corrections.apply_corrections`.
CORRECTION_COLUMNS = [
    "correction", "correction_part", "correction_sign", "correction_part_published",
    "correction_total_published", "correction_total_corrected",
]
_REQUIRED = ("council_code", "case_type", "category", "detail", "count", "qualifier")


def _is_missing(value) -> bool:
    import pandas as pd

    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _normal_detail(category: str, detail) -> str:
    """Blank detail means 'no reason given' for unallocated, 'other' for allocated_other."""
    detail = "" if _is_missing(detail) else str(detail).strip()
    if category == "unallocated" and not detail:
        return "not_given"
    if category == "allocated_other" and not detail:
        return "other"
    return detail


def _key(value):
    """A hashable, comparable stand-in for a cell (NaN/NaT/NA become None)."""
    import pandas as pd

    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


class _Row(NamedTuple):
    unit: tuple  # (by values..., council_code, snapshot_date, layer, case_type)
    group: tuple  # by values
    council: object
    case_type: str
    category: str
    pair: tuple[str, str]
    bounds: Bounded
    system: tuple | None  # correction system: (correction id, council, snapshot, layer)
    part: object
    sign: int
    part_published: int
    total_published: int
    total_corrected: int


def _prepare(returns: pd.DataFrame, by: Sequence[str]) -> tuple[list[_Row], list[str]]:
    """Validate a returns table and turn it into plain records (fast, and easy to reason about)."""
    import pandas as pd

    if not isinstance(returns, pd.DataFrame):
        raise InvalidReturns(f"expected a pandas DataFrame of returns, got {type(returns).__name__}")
    missing = [c for c in _REQUIRED if c not in returns.columns]
    if missing:
        raise InvalidReturns(f"returns table lacks columns {missing}; expected {RETURN_COLUMNS}")
    by = list(by)
    bad = [c for c in by if c not in GROUPABLE_COLUMNS]
    if bad:
        raise InvalidReturns(
            f"cannot group by {bad}: group by any of {list(GROUPABLE_COLUMNS)}; to split by reason "
            "or role, count under a narrower Definition instead"
        )
    for c in by:
        if c not in returns.columns:
            raise InvalidReturns(f"cannot group by {c!r}: the returns table has no such column")
    has_corr = "correction" in returns.columns
    if has_corr:
        lacking = [c for c in CORRECTION_COLUMNS if c not in returns.columns]
        if lacking:
            raise InvalidReturns(f"corrected returns table lacks bookkeeping columns {lacking}")

    def column(name):
        return returns[name].tolist() if name in returns.columns else [None] * len(returns)

    cols = {c: column(c) for c in set(_REQUIRED) | set(GROUPABLE_COLUMNS) | (set(CORRECTION_COLUMNS) if has_corr else set())}
    return_layer = _return_layers(cols)
    rows: list[_Row] = []
    for i in range(len(returns)):
        where = f"row {returns.index[i]!r}"
        case_type, category = cols["case_type"][i], cols["category"][i]
        if case_type not in CASE_TYPES:
            raise InvalidReturns(f"{where}: unknown case_type {case_type!r}; valid: {', '.join(CASE_TYPES)}")
        if category not in CATEGORIES:
            raise InvalidReturns(f"{where}: unknown category {category!r}; valid: {', '.join(CATEGORIES)}")
        detail = _normal_detail(category, cols["detail"][i])
        allowed = allowed_details(category)
        if (allowed and detail not in allowed) or (not allowed and detail):
            raise InvalidReturns(
                f"{where}: detail {detail!r} not allowed for {category!r}; valid: {', '.join(allowed) or 'empty'}"
            )
        count, qualifier = cols["count"][i], cols["qualifier"][i]
        if not _is_missing(qualifier) and qualifier not in QUALIFIERS:
            raise InvalidReturns(f"{where}: unknown qualifier {qualifier!r}; valid: {', '.join(QUALIFIERS)}")
        if not _is_missing(count) and count < 0:
            raise InvalidReturns(f"{where}: negative count {count!r}")
        bounds = row_bounds(count, qualifier)
        council = _key(cols["council_code"][i])
        snapshot = _key(cols["snapshot_date"][i])
        layer = return_layer[i]
        group = tuple(_key(cols[c][i]) for c in by)
        unit = group + (council, snapshot, layer, case_type)
        system = part = None
        sign = part_pub = total_pub = total_cor = 0
        if has_corr and not _is_missing(cols["correction"][i]):
            system = (cols["correction"][i], council, snapshot, layer)
            part = _key(cols["correction_part"][i])
            sign = int(cols["correction_sign"][i])
            part_pub = int(cols["correction_part_published"][i])
            total_pub = int(cols["correction_total_published"][i])
            total_cor = int(cols["correction_total_corrected"][i])
        rows.append(_Row(unit, group, council, case_type, category, (category, detail), bounds,
                         system, part, sign, part_pub, total_pub, total_cor))
    _check_unambiguous(rows, by)
    return rows, by


def _return_layers(cols: dict[str, list]) -> list:
    """The layer of the return each row belongs to. A person's reading of a reply (layer
    `review`) belongs to that council's return of the same snapshot date when there is one (a
    figure a person read in a real or simulated return is part of it, not a second return); a
    council's figures that all came from a person's reading are a return of their own."""
    layers = [_key(x) for x in cols["layer"]]
    keys = list(zip((_key(x) for x in cols["council_code"]), (_key(x) for x in cols["snapshot_date"])))
    read_by_the_reader: dict[tuple, set] = {}
    for k, layer in zip(keys, layers):
        if layer != "review":
            read_by_the_reader.setdefault(k, set()).add(layer)
    return [next(iter(read_by_the_reader[k])) if layer == "review" and len(read_by_the_reader.get(k, ())) == 1
            else layer for k, layer in zip(keys, layers)]


def _check_unambiguous(rows: list[_Row], by: list[str]) -> None:
    """Refuse to add two returns from one council together (they would double count)."""
    seen: dict[tuple, set] = {}
    for r in rows:
        seen.setdefault((r.group, r.council, r.case_type), set()).add(r.unit[-3:-1])
    for (group, council, case_type), versions in seen.items():
        if len(versions) > 1:
            shown = "; ".join(f"snapshot {s}, layer {lay}" for s, lay in sorted(versions, key=str))
            raise AmbiguousReturns(
                f"council {council!r} has {len(versions)} returns for {case_type!r} ({shown}); adding them "
                "would double count. Filter the table to one snapshot and layer, or add 'snapshot_date' "
                "and 'layer' to `by`."
            )


# --------------------------------------------------------------------------------------------
# Corrections known only as a joint total (solved per output row)
# --------------------------------------------------------------------------------------------

def _system_parts(rows: list[_Row]) -> dict[tuple, tuple[dict, int, int]]:
    """For each correction system: {part: published count}, published total, corrected total."""
    systems: dict[tuple, tuple[dict, int, int]] = {}
    for r in rows:
        if r.system is None:
            continue
        parts, _, _ = systems.setdefault(r.system, ({}, r.total_published, r.total_corrected))
        parts[r.part] = r.part_published
    return systems


def _solve(coefs: dict, parts: dict, total_published: int, total_corrected: int) -> tuple[int, int]:
    """Least and greatest of sum(coef[p] * u[p]) over 0 <= u[p] <= published[p], sum(u) = total.

    u[p] is the part of the corrected total left unallocated in part p (one published row).
    Filling the corrected total greedily, best coefficient first, reaches each extreme. Parts not
    in the table at hand (filtered out) are pooled with coefficient 0.
    """
    caps = [(coefs.get(p, 0), cap) for p, cap in parts.items()]
    unseen = max(0, total_published - sum(parts.values()))
    if unseen:
        caps.append((0, unseen))

    def fill(order) -> int:
        left, value = total_corrected, 0
        for coef, cap in order:
            take = min(cap, left)
            value += coef * take
            left -= take
        return value

    lo = fill(sorted(caps, key=lambda c: c[0]))
    hi = fill(sorted(caps, key=lambda c: -c[0]))
    return lo, hi


def _correction_item(rows: list[_Row], systems) -> list[Bounded]:
    """Bounded contributions of corrected rows in one output group, one per correction system."""
    per_system: dict[tuple, tuple[dict, list]] = {}
    for r in rows:
        coefs, base = per_system.setdefault(r.system, ({}, [0]))
        coefs[r.part] = coefs.get(r.part, 0) + r.sign
        if r.sign < 0:  # the moved row's value is published[p] - u[p]
            base[0] += r.part_published
    items = []
    for system, (coefs, base) in per_system.items():
        parts, total_pub, total_cor = systems[system]
        lo, hi = _solve(coefs, parts, total_pub, total_cor)
        lo, hi = base[0] + lo, base[0] + hi
        items.append(Bounded(hi, "exact" if lo == hi else "at_most", float(lo), float(hi)))
    return items


# --------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------

def _cap_of(totals: list[_Row]) -> float:
    if len(totals) != 1:
        return math.inf  # none, or a council that gave two totals: no bound taken from it
    return totals[0].bounds.high


def _aggregate(returns: pd.DataFrame, by: Sequence[str], unit_rows: Callable) -> pd.DataFrame:
    """Shared engine: `unit_rows(unit) -> (plain item, corrected rows)` for one return and case type."""
    import pandas as pd

    rows, by = _prepare(returns, by)
    systems = _system_parts(rows)
    units: dict[tuple, list[_Row]] = {}
    for r in rows:
        units.setdefault(r.unit, []).append(r)
    groups: dict[tuple, dict] = {}
    for unit, members in units.items():
        g = groups.setdefault(members[0].group, {"items": [], "corrected": [], "councils": set()})
        item, corrected = unit_rows(members)
        g["items"].append(item)
        g["corrected"].extend(corrected)
        g["councils"].add(members[0].council)
    if not by and not groups:
        groups[()] = {"items": [], "corrected": [], "councils": set()}
    records = []
    for group, g in groups.items():
        total = combine(g["items"] + _correction_item(g["corrected"], systems))
        records.append(dict(zip(by, group)) | {
            "count": total.count, "qualifier": total.qualifier, "low": total.low,
            "high": math.nan if math.isinf(total.high) else total.high, "councils": len(g["councils"]),
        })
    out = pd.DataFrame.from_records(records, columns=[*by, "count", "qualifier", "low", "high", "councils"])
    out["count"] = out["count"].astype("Int64")
    out["low"] = out["low"].astype("float64")
    out["high"] = out["high"].astype("float64")
    out["councils"] = out["councils"].astype("int64")
    if by:
        try:
            out = out.sort_values(by, na_position="last", kind="stable")
        except TypeError:
            pass  # mixed types in a key column: keep first-seen order rather than fail
    return out.reset_index(drop=True)


def count_under(returns: pd.DataFrame, definition: str | Definition,
                by: Sequence[str] = ("council_code", "case_type")) -> pd.DataFrame:
    """Count the cases each council (or case type, or the country) has under a definition.

    returns: a returns table (columns of `unallocated.schema.RETURN_COLUMNS`), as published or as
        corrected by `unallocated.model.corrections.apply_corrections`.
    definition: a name from `DEFINITIONS` or a `Definition`.
    by: columns to group by, from `GROUPABLE_COLUMNS`; ``by=()`` gives one national row,
        ``by=("case_type",)`` one row per case type, the default one row per council and case type.

    Returns a DataFrame with the `by` columns and:
      count      best figure (Int64; empty when nothing is known), see the qualifier
      qualifier  exact / at_least / at_most / approx / suppressed / not_supplied, per the algebra
      low, high  hard bounds on the true number (high NaN = no upper bound)
      councils   how many councils contribute to the row

    Raises `AmbiguousReturns` if a council has two returns (snapshot dates or layers) that would be
    added together; filter first or group by `snapshot_date` and `layer`.
    """
    definition = get_definition(definition)
    pairs = definition.pairs

    def unit_rows(members: list[_Row]):
        parts = [r for r in members if r.category != "total"]
        cap = _cap_of([r for r in members if r.category == "total"])
        chosen = [r for r in parts if r.pair in pairs]
        plain = [r.bounds for r in chosen if r.system is None]
        corrected = [r for r in chosen if r.system is not None]
        if chosen:
            item = combine(plain)
        elif parts:
            item = EXACT_ZERO  # broken down, nothing listed here: a true zero
        else:
            item = Bounded(None, "not_supplied", 0.0, math.inf)  # only a total: unknown, not zero
        return _apply_cap(item, cap), corrected

    return _aggregate(returns, by, unit_rows)


def open_caseload(returns: pd.DataFrame, by: Sequence[str] = ("council_code", "case_type")) -> pd.DataFrame:
    """Open cases per council and case type: the denominator for shares such as Barnet's 18%.

    Uses the council's own total where it gave a number for it; otherwise the sum of the parts
    (qualified + other staff + unallocated), so a council that gave both is never counted twice.
    A withheld total with no parts stays unknown. Same columns and grouping as `count_under`.
    """

    def unit_rows(members: list[_Row]):
        totals = [r for r in members if r.category == "total"]
        parts = [r for r in members if r.category != "total"]
        if len(totals) == 1 and totals[0].bounds.count is not None:
            return totals[0].bounds, []
        if parts:
            return combine(r.bounds for r in parts if r.system is None), [r for r in parts if r.system is not None]
        return combine(r.bounds for r in totals), []

    return _aggregate(returns, by, unit_rows)


def council_shares(returns: pd.DataFrame, definition: str | Definition, case_type: str | None = None,
                   responding: int | None = None) -> pd.DataFrame:
    """Share of responding councils with at least one case under a definition, by case type.

    This is the kind of figure the coverage printed as "6% of councils" (CP, no professional) or
    "almost half" (49%, CIN). The denominator is every council in the returns table (all those
    that responded), or `responding` if given (the coverage used 89).

    One row per case type (only `case_type` if given), with:
      councils_responding       the denominator
      councils_with_cases       councils whose best figure is 1 or more
      councils_with_cases_low   councils certain to have at least one (low >= 1)
      councils_with_cases_high  councils that may have one (high >= 1 or unbounded)
      share, share_low, share_high   the three counts divided by the denominator (0 to 1)
    """
    import pandas as pd

    definition = get_definition(definition)
    if case_type is not None and case_type not in CASE_TYPES:
        raise InvalidReturns(f"unknown case_type {case_type!r}; valid: {', '.join(CASE_TYPES)}")
    per = count_under(returns, definition, by=("council_code", "case_type"))
    denominator = responding if responding is not None else int(returns["council_code"].dropna().nunique())
    wanted = [case_type] if case_type else list(CASE_TYPES)
    records = []
    for ct in wanted:
        sub = per[per["case_type"] == ct]
        best = int((sub["count"].fillna(0) >= 1).sum())
        low = int((sub["low"] >= 1).sum())
        high = int((sub["high"].isna() | (sub["high"] >= 1)).sum())

        def share(n):
            return n / denominator if denominator else math.nan

        records.append({
            "case_type": ct, "definition": definition.name, "councils_responding": denominator,
            "councils_with_cases": best, "councils_with_cases_low": low, "councils_with_cases_high": high,
            "share": share(best), "share_low": share(low), "share_high": share(high),
        })
    return pd.DataFrame.from_records(records)
