"""What the coverage's words mean, as numbers: each hedge written once, so every claim reads alike.

For reporters
-------------
A published sentence rarely says "exactly 8,338". It says "more than 8,000", "almost 80", "a
quarter", "nearly one in six", "all but nine". The fact-check needs to know, for each of those
phrases, which true values would make the sentence right. This module is that dictionary. Each
phrase becomes a set of accepted values (an interval); a figure from the data is then checked
against it.

==================================  =================================  ==========================
comparison (in ``data/claims.csv``)  accepted values                    e.g. (the 2010 coverage)
==================================  =================================  ==========================
``exact N``                         exactly N                          "448 children in care"
``none``                            exactly 0                          "none ... involved"
``more_than N`` (``over N``)        strictly above N                   "more than 8,000"
``at_least N``                      N or above
``fewer_than N`` (``less_than``,     0 up to, not including, N          "fewer than 5": 0 to 4
``under``)
``at_most N`` (``up_to``,            0 to N, N included                 "up to 12": 0 to 12
``no_more_than``)
``as_many_as N``                    N, or below it by at most 10%      "as many as 500": 450-500
``one_in N`` (``one in eight``)      a share whose reciprocal rounds    "one in eight":
                                    to N: above 1/(N+1/2), up to       11.76% to 13.33%
                                    1/(N-1/2)
``almost N`` (``nearly N``)         below N, by at most 10% of N       "almost 80": 72 to 79
``about N`` (``around N``)          within 5% of N either way          "about 40"
``percent N [of M]``                a share that rounds to N% (0 dp)   "6%": 5.5% to 6.49...%
``a_further_percent N [of M]``      the same, of the *further* group   "a further 3%"
``fraction P/Q`` (``a_quarter``,    within 10% of P/Q either way       "a quarter": 22.5% to 27.5%
``a_third``, ``half``)
``almost P/Q`` (``nearly P/Q``)     below P/Q, by at most 10% of it    "nearly one in six"
``all_but N of M``                  exactly M - N                      "all but nine" of 165: 156
``ratio N/M``                       N exactly, out of M exactly        "132 out of 404"
``fell_by <comparison>``            the fall (earlier minus later)     "fallen by more than 800"
                                    satisfies the inner comparison
==================================  =================================  ==========================

Why these widths
----------------
* **"almost" / "nearly": below, and within 10%.** Both words say the true figure falls short of
  the number, so the number itself and anything above fail. How far short: the coverage's own
  uses sit well inside 10% ("almost 80" for 79 is 1.3% short; "almost half" for 44 of 89 is 1.1%
  short; "nearly one in six" for 14 of 89 is 5.6% short), while a figure 10% or more below (70
  for "almost 80") is one a sub-editor would write as "about 70" or "more than 70". 10% admits
  every use the coverage made, with room, and nothing a careful editor would reject.
* **"about" / "around": within 5% either way.** A rounded figure: "about 40" for 38 to 42. Half
  the width of "almost", because the word gives no direction, so the interval is two-sided.
* **A fraction in words: within 10% of the fraction.** "A quarter" accepts 22.5% to 27.5%. Those
  are exactly the midpoints to the neighbouring fractions a newsroom uses ("one in five", 20%;
  "three in ten", 30%): a quarter is right when it is the nearest of them. Birmingham's 852 of
  3,639 (23.4%) is "a quarter"; 21% would be "one in five".
* **"N%": the share rounds to N at 0 decimal places**, rounding halves up (the newsroom rule):
  N - 0.5 <= 100 x share < N + 0.5. "A further N%" is read the same way; "further" is about
  *which* councils are counted (those not already in the previous figure), which is the
  metric's business, not the wording's.
* **"more than" / "over" are strict.** "More than 1,000" is not met by 1,000.
* **"fewer than" / "less than" / "under" are strict; "at most" / "up to" / "no more than" are
  not.** "Fewer than 5" is the reading of a council's "<5": 0 to 4, and 5 itself fails. "Up to
  12" and "no more than 12" admit 12. Neither has a floor: like "more than", which has no
  ceiling, the words bound the figure on one side only, and 0 is within them (a council with no
  such case is "fewer than 5"). Both are counts, never shares.
* **"as many as N": N or a little below, at most 10% below.** The phrase names the top of the
  range and stresses that it is large, so a figure above N fails (it would be "more than N"), and
  one far below N misleads: "as many as 500" for 300 is what an editor strikes. 10% is the width
  already argued for "almost"; unlike "almost", N itself is admitted ("as many as 500" for 500 is
  right). So [0.9 N, N].
* **"one in N": the share's reciprocal rounds to N** (halves up, as for "N%"): N - 1/2 <= 1/share
  < N + 1/2, i.e. 1/(N + 1/2) < share <= 1/(N - 1/2). "One in eight" (12.5%) is right for
  11.76% (exclusive) to 13.33%, where "one in seven" (14.3%) and "one in nine" (11.1%) take over:
  the phrase says eight is the nearest whole "one in". This differs from a named fraction's 10%
  on purpose: 10% of 1/N is wider than the gap to 1/(N+1) once N reaches 10, so "one in twelve"
  would accept what is "one in eleven". N must be 2 or more. Written ``one_in 8``, ``one_in eight``
  or ``one in eight``.
* **"all but N" of M is exact:** M - N, no more and no less. "N out of M" is exact in both parts.

How a data value is compared
----------------------------
A value from the returns is often not one number: a council wrote "<5" or "c. 40", or a
correction is known only as a total, so `unallocated.model.categories.count_under` gives hard bounds
(low, high). Those bounds are an interval, and the check is about the whole of it:

* ``holds`` if every value in the interval is accepted;
* ``fails`` if no value in it is accepted;
* ``undetermined`` otherwise, with the part that would hold and the part that would not spelled
  out (for example "the corrected count is 43 to 44 councils: 48.3% to 49.4%; 49% needs
  48.5% to 49.5%").

Shares are intervals too: numerator [a, b] over denominator [c, d] is [a / d, b / c].
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "ALMOST_TOLERANCE", "ABOUT_TOLERANCE", "FRACTION_TOLERANCE", "KINDS", "Interval", "Quantity",
    "Wording", "Check", "WordingError", "parse", "check", "fmt_number", "AS_MANY_AS_TOLERANCE",
]

#: "almost N" accepts [N x (1 - this), N): see the module docstring for why.
ALMOST_TOLERANCE = 0.10
#: "as many as N" accepts [N x (1 - this), N].
AS_MANY_AS_TOLERANCE = 0.10
#: "about N" accepts [N x (1 - this), N x (1 + this)].
ABOUT_TOLERANCE = 0.05
#: a fraction in words accepts [f x (1 - this), f x (1 + this)].
FRACTION_TOLERANCE = 0.10

#: Every kind of comparison, with what it means (the table in the module docstring, in words).
KINDS: dict[str, str] = {
    "exact": "exactly this number",
    "none": "exactly zero",
    "more_than": "strictly more than this number ('more than', 'over')",
    "at_least": "this number or more",
    "fewer_than": "strictly below this number, 0 included ('fewer than', 'less than', 'under')",
    "at_most": "this number or below, 0 included ('at most', 'up to', 'no more than')",
    "as_many_as": "this number, or below it by at most 10% ('as many as')",
    "one_in": "a share whose reciprocal rounds to this whole number ('one in eight')",
    "almost": "below this number, by at most 10% of it ('almost', 'nearly')",
    "about": "within 5% of this number either way ('about', 'around')",
    "percent": "a share that rounds to this whole percentage",
    "a_further_percent": "a share of a further group that rounds to this whole percentage",
    "fraction": "a share within 10% of this fraction ('a quarter', 'a third', 'half')",
    "all_but": "exactly M minus N ('all but N of M')",
    "ratio": "exactly N, out of exactly M ('N out of M')",
    "fell_by": "the fall from the earlier to the later figure satisfies the inner comparison",
}

_ALIASES = {"over": "more_than", "nearly": "almost", "around": "about", "approximately": "about",
            "less_than": "fewer_than", "under": "fewer_than", "up_to": "at_most", "no_more_than": "at_most"}
#: Multi-word phrases a register may write with spaces, read as their one-word kind.
_PHRASES = [("no more than", "no_more_than"), ("fewer than", "fewer_than"), ("less than", "less_than"),
            ("more than", "more_than"), ("at least", "at_least"), ("at most", "at_most"), ("up to", "up_to"),
            ("as many as", "as_many_as"), ("one in", "one_in"), ("all but", "all_but")]
#: Number words for "one in eight" (2 to 20).
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NAMED_FRACTIONS = {"a_quarter": "1/4", "a_third": "1/3", "one_third": "1/3", "half": "1/2", "a_half": "1/2"}


class WordingError(ValueError):
    """A comparison string that this module cannot read (names the string and what was expected)."""


# --------------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """A set of real numbers from `low` to `high`; each end open or closed; high may be inf."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def point(cls, x: float) -> "Interval":
        return cls(float(x), float(x))

    @classmethod
    def bounds(cls, low, high) -> "Interval":
        """Closed [low, high] from count_under-style bounds (high NaN or None = unbounded)."""
        lo = 0.0 if low is None or (isinstance(low, float) and math.isnan(low)) else float(low)
        hi = math.inf if high is None or (isinstance(high, float) and math.isnan(high)) else float(high)
        return cls(lo, hi, False, math.isinf(hi))

    @property
    def is_point(self) -> bool:
        return self.low == self.high and not (self.low_open or self.high_open)

    @property
    def empty(self) -> bool:
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def contains(self, other: "Interval") -> bool:
        """True if every number in `other` is in this interval."""
        if other.empty:
            return True
        low_ok = self.low < other.low or (self.low == other.low and (not self.low_open or other.low_open))
        high_ok = other.high < self.high or (self.high == other.high and (not self.high_open or other.high_open))
        return low_ok and high_ok

    def intersection(self, other: "Interval") -> "Interval":
        if self.low > other.low or (self.low == other.low and self.low_open):
            low, low_open = self.low, self.low_open
        else:
            low, low_open = other.low, other.low_open
        if self.high < other.high or (self.high == other.high and self.high_open):
            high, high_open = self.high, self.high_open
        else:
            high, high_open = other.high, other.high_open
        return Interval(low, high, low_open, high_open)

    def intersects(self, other: "Interval") -> bool:
        return not self.intersection(other).empty

    def __sub__(self, other: "Interval") -> "Interval":
        """{a - b : a in self, b in other} (used for a fall: earlier minus later)."""
        return Interval(self.low - other.high, self.high - other.low,
                        self.low_open or other.high_open, self.high_open or other.low_open)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.low + other.low, self.high + other.high,
                        self.low_open or other.low_open, self.high_open or other.high_open)

    def scaled(self, factor: float) -> "Interval":
        return Interval(self.low * factor, self.high * factor, self.low_open, self.high_open)

    def describe(self, percent: bool = False) -> str:
        """Plain words: '448', '397 to 406', 'more than 1,000', '22.5% to 27.5%'."""
        f = (lambda x: fmt_number(100 * x, 2) + "%") if percent else (lambda x: fmt_number(x, 2))
        if self.is_point:
            return f(self.low)
        if math.isinf(self.high) and math.isinf(self.low):
            return "any value"
        if math.isinf(self.high):
            return ("more than " if self.low_open else "at least ") + f(self.low)
        if math.isinf(self.low):
            return ("less than " if self.high_open else "at most ") + f(self.high)
        if not (self.low_open or self.high_open):
            return f"{f(self.low)} to {f(self.high)}"
        low = ("more than " if self.low_open else "at least ") + f(self.low)
        high = ("below " if self.high_open else "at most ") + f(self.high)
        return f"{low} and {high}"

    def __str__(self) -> str:
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{fmt_number(self.low, 4)}, {fmt_number(self.high, 4)}{hi}"


def fmt_number(x: float, digits: int = 1) -> str:
    """1234.0 -> '1,234'; 0.056 -> '0.056'; inf -> 'inf'."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Quantity:
    """What the data say, as intervals: the value the wording is about, and for shares its parts.

    value: a count, a share (0 to 1) or a change, as an interval of possible true values.
    numerator, denominator: for shares and 'N out of M' (both intervals), else None.
    """

    value: Interval
    numerator: Interval | None = None
    denominator: Interval | None = None

    @classmethod
    def count(cls, low, high=None) -> "Quantity":
        return cls(Interval.bounds(low, low if high is None else high))

    @classmethod
    def share(cls, numerator: Interval, denominator: Interval) -> "Quantity":
        if denominator.low <= 0:
            raise WordingError(f"a share needs a positive denominator, got {denominator}")
        value = Interval(numerator.low / denominator.high if not math.isinf(denominator.high) else 0.0,
                         numerator.high / denominator.low)
        return cls(value, numerator, denominator)

    @property
    def is_share(self) -> bool:
        return self.denominator is not None


# --------------------------------------------------------------------------------------------
# Wordings
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wording:
    """One comparison, parsed: its kind, the accepted interval, and what it means in words.

    scale: 'count' (compared with a count or a change) or 'share' (compared with a share, 0-1).
    stated_denominator: M in 'percent N of M' / 'all_but N of M' / 'ratio N/M', when given.
    inner: for 'fell_by', the comparison the fall must satisfy.
    """

    text: str
    kind: str
    accepted: Interval
    scale: str
    meaning: str
    number: float | None = None
    stated_denominator: float | None = None
    inner: "Wording | None" = field(default=None, repr=False)


def _number(token: str, text: str) -> float:
    token = token.replace(",", "").rstrip("%")
    try:
        return float(token)
    except ValueError:
        raise WordingError(f"comparison {text!r}: {token!r} is not a number") from None


def _fraction(token: str, text: str) -> Fraction:
    try:
        return Fraction(token.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise WordingError(f"comparison {text!r}: {token!r} is not a fraction like 1/4") from None


def _of(rest: list[str], text: str) -> float | None:
    if not rest:
        return None
    if len(rest) == 2 and rest[0] == "of":
        return _number(rest[1], text)
    raise WordingError(f"comparison {text!r}: expected nothing or 'of M' after the number, got {' '.join(rest)!r}")


def parse(text: str) -> Wording:
    """Read a comparison string from the claims register (grammar: the module docstring's table).

    Raises `WordingError` naming the string for anything it cannot read.
    """
    if not isinstance(text, str) or not text.strip():
        raise WordingError(f"empty comparison {text!r}; kinds: {', '.join(KINDS)}")
    normal = " ".join(text.strip().split())
    low = normal.lower()
    for phrase, kind in _PHRASES:
        if low == phrase or low.startswith(phrase + " "):
            normal = kind + normal[len(phrase):]
            break
    words = normal.split()
    head, rest = words[0].lower(), words[1:]
    head = _ALIASES.get(head, head)
    if head in _NAMED_FRACTIONS:
        head, rest = "fraction", [_NAMED_FRACTIONS[head], *rest]

    if head == "fell_by":
        if not rest:
            raise WordingError(f"comparison {text!r}: 'fell_by' needs an inner comparison, e.g. 'fell_by more_than 800'")
        inner = parse(" ".join(rest))
        if inner.scale != "count":
            raise WordingError(f"comparison {text!r}: a fall is a count; {inner.kind!r} compares shares")
        return Wording(text, "fell_by", inner.accepted, "count",
                       f"fell by {inner.meaning}", inner.number, None, inner)
    if head == "none":
        if rest:
            raise WordingError(f"comparison {text!r}: 'none' takes no number")
        return Wording(text, "none", Interval.point(0), "count", "none (exactly 0)", 0.0)
    if head not in KINDS:
        raise WordingError(f"comparison {text!r}: unknown kind {words[0]!r}; kinds: {', '.join(KINDS)}")
    if not rest:
        raise WordingError(f"comparison {text!r}: {head!r} needs a number")
    token, rest = rest[0], rest[1:]

    if head == "one_in":
        word = token.lower()
        n = float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else _number(token, text)
        if rest:
            raise WordingError(f"comparison {text!r}: nothing may follow 'one_in N'")
        if n < 2 or not n.is_integer():
            raise WordingError(f"comparison {text!r}: 'one in N' needs a whole N of 2 or more")
        accepted = Interval(1 / (n + 0.5), 1 / (n - 0.5), True, False)
        meaning = (f"one in {fmt_number(n)} ({fmt_number(100 / n, 1)}%): the nearest 'one in' is {fmt_number(n)}, "
                   f"a share above {fmt_number(100 * accepted.low, 2)}% and up to {fmt_number(100 * accepted.high, 2)}%")
        return Wording(text, "one_in", accepted, "share", meaning, 1 / n)
    if head == "ratio":
        if "/" not in token:
            raise WordingError(f"comparison {text!r}: ratio is written N/M, e.g. 'ratio 132/404'")
        n, m = (_number(t, text) for t in token.split("/", 1))
        if rest:
            raise WordingError(f"comparison {text!r}: nothing may follow 'ratio N/M'")
        return Wording(text, "ratio", Interval.point(n), "count", f"exactly {fmt_number(n)} out of exactly {fmt_number(m)}",
                       n, m)
    if head == "fraction" or (head == "almost" and "/" in token):
        f = _fraction(token, text)
        if rest:
            raise WordingError(f"comparison {text!r}: nothing may follow the fraction")
        value = float(f)
        if head == "almost":
            accepted = Interval(value * (1 - ALMOST_TOLERANCE), value, False, True)
            meaning = (f"just below {f} ({fmt_number(100 * value, 1)}%): at least "
                       f"{fmt_number(100 * accepted.low, 1)}% and below {fmt_number(100 * value, 1)}%")
            return Wording(text, "almost", accepted, "share", meaning, value)
        accepted = Interval(value * (1 - FRACTION_TOLERANCE), value * (1 + FRACTION_TOLERANCE))
        meaning = (f"{f} ({fmt_number(100 * value, 1)}%), within 10% of it: "
                   f"{fmt_number(100 * accepted.low, 2)}% to {fmt_number(100 * accepted.high, 2)}%")
        return Wording(text, "fraction", accepted, "share", meaning, value)
    if head in ("percent", "a_further_percent"):
        n = _number(token, text)
        m = _of(rest, text)
        accepted = Interval((n - 0.5) / 100, (n + 0.5) / 100, False, True)
        further = "a further " if head == "a_further_percent" else ""
        meaning = f"{further}{fmt_number(n)}%: a share from {fmt_number(n - 0.5)}% up to (not including) {fmt_number(n + 0.5)}%"
        return Wording(text, head, accepted, "share", meaning, n, m)
    if head == "all_but":
        n = _number(token, text)
        m = _of(rest, text)
        if m is None:
            raise WordingError(f"comparison {text!r}: 'all_but N' needs 'of M', e.g. 'all_but 9 of 165'")
        return Wording(text, "all_but", Interval.point(m - n), "count",
                       f"all but {fmt_number(n)} of {fmt_number(m)}: exactly {fmt_number(m - n)}", n, m)

    n = _number(token, text)
    if rest:
        raise WordingError(f"comparison {text!r}: nothing may follow the number in {head!r}")
    if head == "exact":
        return Wording(text, "exact", Interval.point(n), "count", f"exactly {fmt_number(n)}", n)
    if head == "more_than":
        return Wording(text, "more_than", Interval(n, math.inf, True, True), "count", f"more than {fmt_number(n)}", n)
    if head == "at_least":
        return Wording(text, "at_least", Interval(n, math.inf, False, True), "count", f"at least {fmt_number(n)}", n)
    if head == "fewer_than":
        return Wording(text, "fewer_than", Interval(0.0, n, False, True), "count", f"fewer than {fmt_number(n)}", n)
    if head == "at_most":
        return Wording(text, "at_most", Interval(0.0, n), "count", f"at most {fmt_number(n)} (0 to {fmt_number(n)})", n)
    if head == "as_many_as":
        accepted = Interval(n * (1 - AS_MANY_AS_TOLERANCE), n)
        return Wording(text, "as_many_as", accepted, "count",
                       f"as many as {fmt_number(n)}: {fmt_number(accepted.low)} to {fmt_number(n)}", n)
    if head == "almost":
        accepted = Interval(n * (1 - ALMOST_TOLERANCE), n, False, True)
        return Wording(text, "almost", accepted, "count",
                       f"almost {fmt_number(n)}: at least {fmt_number(accepted.low)} and below {fmt_number(n)}", n)
    if head == "about":
        accepted = Interval(n * (1 - ABOUT_TOLERANCE), n * (1 + ABOUT_TOLERANCE))
        return Wording(text, "about", accepted, "count",
                       f"about {fmt_number(n)}: {fmt_number(accepted.low)} to {fmt_number(accepted.high)}", n)
    raise WordingError(f"comparison {text!r}: {head!r} cannot be used this way")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """The result of comparing a value with a wording.

    status: 'holds' (the whole value interval is accepted), 'fails' (none of it is), or
        'undetermined' (part is): `explanation` then says which part.
    accepted: the interval the wording accepts; tested: the value interval compared with it.
    """

    status: str
    accepted: Interval
    tested: Interval
    explanation: str

    @property
    def holds(self) -> bool:
        return self.status == "holds"


def _status(accepted: Interval, value: Interval) -> str:
    if accepted.contains(value):
        return "holds"
    if not accepted.intersects(value):
        return "fails"
    return "undetermined"


def check(wording: Wording | str, quantity: Quantity | Interval | float | int) -> Check:
    """Compare a value from the data with a wording: holds, fails or undetermined, with reasons.

    `quantity` may be a plain number (exact), an `Interval` or a `Quantity`. Share wordings need a
    share (a Quantity made with `Quantity.share`, or a number between 0 and 1); 'ratio N/M' needs
    a Quantity with numerator and denominator.
    """
    if isinstance(wording, str):
        wording = parse(wording)
    if isinstance(quantity, (int, float)):
        quantity = Quantity(Interval.point(quantity))
    elif isinstance(quantity, Interval):
        quantity = Quantity(quantity)
    percent = wording.scale == "share"

    if wording.kind == "ratio":
        if quantity.numerator is None or quantity.denominator is None:
            raise WordingError(f"{wording.text!r} compares a count out of a total; the value has no denominator")
        want_den = Interval.point(wording.stated_denominator)
        s_num = _status(wording.accepted, quantity.numerator)
        s_den = _status(want_den, quantity.denominator)
        statuses = {s_num, s_den}
        status = "fails" if "fails" in statuses else "undetermined" if "undetermined" in statuses else "holds"
        got = f"{quantity.numerator.describe()} out of {quantity.denominator.describe()}"
        explanation = f"needs {wording.meaning}; the data give {got}"
        return Check(status, wording.accepted, quantity.numerator, explanation)

    value = quantity.value
    if percent and not quantity.is_share and not (0 <= value.low and value.high <= 1):
        raise WordingError(f"{wording.text!r} compares a share (0 to 1); got {value}")
    status = _status(wording.accepted, value)
    need = wording.accepted.describe(percent=percent)
    got = value.describe(percent=percent)
    if quantity.is_share:
        got = f"{quantity.numerator.describe()} of {quantity.denominator.describe()} = {got}"
    explanation = f"'{wording.text}' means {wording.meaning}; the data give {got}"
    if status == "undetermined":
        part_in = wording.accepted.intersection(value)
        explanation += (f": undetermined, because the value is only known as a range; it holds if the true value "
                        f"is {part_in.describe(percent=percent)}, and fails otherwise")
    elif status == "fails":
        explanation += f", outside {need}"
    if wording.stated_denominator is not None and quantity.denominator is not None and wording.kind != "all_but":
        if not Interval.point(wording.stated_denominator).contains(quantity.denominator):
            explanation += (f" (the wording's denominator is {fmt_number(wording.stated_denominator)}, "
                            f"the data's {quantity.denominator.describe()})")
    return Check(status, wording.accepted, value, explanation)

