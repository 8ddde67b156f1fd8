"""One way to show a number: a count with its qualifier and bounds, as a reader should see it.

Every table, title, page, fact-check line and README figure goes through `show`, so a number
whose qualifier is not exact is never printed bare:

==========================================  ===========================  =====================
what the library holds                       shown                         why
==========================================  ===========================  =====================
count 9, exact                               ``9``
count 9, at_most, low 0, high 9              ``0 to 9``                    hard bounds, both ends
count 406, at_most, low 397, high 406        ``397 to 406``
count 540, at_least, low 540, no high        ``at least 540``
count 1001, at_least (from "over 1,000")     ``at least 1,001``
count 50, approx, no bounds                  ``about 50``
count 11758, approx, low 11704, high 19813   ``about 11,758 (11,704 to 19,813)``
count 4, at_most, no bounds given            ``fewer than 5``              one cell, "<5"
count 12, at_most, low 3, no bounds given    ``at most 12``
suppressed                                   ``withheld``
not_supplied                                 ``not supplied``
not_supplied, low 0, high 120                ``not supplied (0 to 120)``
no_reply (not_held)                          ``no reply`` (``not held``)
==========================================  ===========================  =====================

The rule: when finite bounds are given and differ, they are the statement ("0 to 9"); when only
a floor is known, "at least"; an approximate count keeps "about" and shows whatever bounds are
hard. When no bounds are given (a single cell as the council wrote it), the qualifier's own
wording is used. Bounds win over the qualifier because they are what the library can defend:
Barnsley's corrected looked-after figure is "0 to 9", not "9".

`number` formats a plain number the same way everywhere (thousands separators, no trailing
zeros); `share` formats a fraction as a percentage and `share_range` a share known only between
two bounds ("48.3% to 49.4%"). `with_shown` adds to a table a ``shown`` column (or
``PREFIX_shown``) holding exactly what `show` gives for each row, so tables keep ``count``,
``qualifier``, ``low``, ``high`` as columns and the text a reader sees is derived from them.
`VIEW_TEXT` says in words which view of the returns a table or chart shows: "as corrected", or
"before the correction" (never "as published" for a sum of returns: "published" is said only of
what was printed). `LAYER_WORDS` names each layer of numbers in words, and `councils_by_layer`
says how many councils of each layer a total rests on ("89 councils: 1 real return, 88
simulated"); `printed` writes a published figure as its register words it ("more than 8,000",
"18% of Barnet's LAC total"). Internal names (`real_return`, `as_corrected`) never reach a
reader: these are the words that do.
"""
from __future__ import annotations

import math
from typing import Any

#: The two views of the returns, in words (tables carry the key in their `view` column). A sum
#: of returns before the corrections register is "before the correction": nobody printed it.
VIEW_TEXT = {"as_published": "before the correction", "as_corrected": "as corrected"}

#: Each layer of numbers in words (tables carry the key in their `layer` column).
LAYER_WORDS = {
    "official": "official statistics",
    "published": "published figures",
    "real_return": "real returns",
    "review": "a person's reading of a reply",
    "simulated": "simulated returns",
}
#: How a council's return is counted in `councils_by_layer`: (one, several).
_COUNCIL_LAYER = {"real_return": ("real return", "real returns"), "simulated": ("simulated", "simulated"),
                  "review": ("read by a person", "read by a person"),
                  "published": ("published", "published")}
#: The order layers are listed in: real before simulated, so a real return is never lost at the end.
_LAYER_ORDER = ["real_return", "review", "published", "simulated"]

#: What a reader sees for a count that is not known at all (the last two: a council with no
#: return in a round whose tracker says why, `unallocated.publish`).
UNKNOWN_TEXT = {"suppressed": "withheld", "not_supplied": "not supplied", "not_held": "not held",
                "no_reply": "no reply"}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(value))
    except TypeError:
        # pandas.NA and friends: treat anything that is not a plain number as missing
        return str(value) in ("<NA>", "NaT", "nan", "None")


def number(x: Any, digits: int = 1) -> str:
    """1234 -> '1,234'; 12.50 -> '12.5'; a missing value -> '' (never '0' or 'nan')."""
    if _missing(x):
        return ""
    x = float(x)
    if math.isinf(x):
        return "no upper bound" if x > 0 else "no lower bound"
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def share(fraction: Any, digits: int = 0) -> str:
    """0.4944 -> '49%'; missing -> ''."""
    if _missing(fraction):
        return ""
    return f"{float(fraction) * 100:.{digits}f}%"


def share_range(low: Any, high: Any, digits: int = 1) -> str:
    """A share known between two bounds: (0.483, 0.494) -> '48.3% to 49.4%'; equal bounds -> one figure."""
    if _missing(low) or _missing(high):
        return share(high if _missing(low) else low, digits)
    a, b = share(low, digits), share(high, digits)
    return a if a == b else f"{a} to {b}"


def _range(low: float, high: float) -> str:
    return f"{number(low)} to {number(high)}"


def show(count: Any, qualifier: Any = "exact", low: Any = None, high: Any = None) -> str:
    """What a reader sees for a count with its qualifier and, where known, hard bounds.

    count: the best figure (None/NaN/NA when unknown). qualifier: one of
    `unallocated.schema.QUALIFIERS` (missing means exact when there is a count).
    low, high: hard bounds; leave both out for a single cell as written; high NaN or inf means
    no upper bound.

    >>> show(9, "at_most", 0, 9)
    '0 to 9'
    >>> show(540, "at_least", 540, float("nan"))
    'at least 540'
    >>> show(4, "at_most")
    'fewer than 5'
    """
    if _missing(qualifier):
        qualifier = "exact" if not _missing(count) else "not_supplied"
    bounds_given = not (_missing(low) and _missing(high))
    lo = 0.0 if _missing(low) else float(low)
    hi = math.inf if _missing(high) else float(high)

    if qualifier in UNKNOWN_TEXT or _missing(count):
        text = UNKNOWN_TEXT.get(qualifier, "not supplied")
        if bounds_given and not math.isinf(hi):
            return f"{text} ({_range(lo, hi)})"
        if bounds_given and lo > 0:
            return f"{text} (at least {number(lo)})"
        return text

    if not bounds_given:
        n = float(count)
        if qualifier == "exact":
            return number(n)
        if qualifier == "at_least":
            return f"at least {number(n)}"
        if qualifier == "at_most":
            return f"fewer than {number(n + 1)}"
        if qualifier == "approx":
            return f"about {number(n)}"
        raise ValueError(f"unknown qualifier {qualifier!r}")

    if qualifier == "approx":
        if math.isinf(hi):
            return f"about {number(count)}" + (f" (at least {number(lo)})" if lo > 0 else "")
        return f"about {number(count)} ({_range(lo, hi)})"
    if lo == hi:
        return number(lo)
    if math.isinf(hi):
        return f"at least {number(lo)}"
    return _range(lo, hi)


def show_row(row: Any, prefix: str = "") -> str:
    """`show` on a mapping or pandas row with count/qualifier/low/high (optionally prefixed,
    e.g. prefix="corrected_" reads corrected_count, corrected_qualifier, ...)."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    return show(get(f"{prefix}count"), get(f"{prefix}qualifier"), get(f"{prefix}low"), get(f"{prefix}high"))


def is_exact(count: Any, qualifier: Any, low: Any = None, high: Any = None) -> bool:
    """True when `show` would print a single plain number."""
    text = show(count, qualifier, low, high)
    return text.replace(",", "").isdigit()


def with_shown(table: Any, prefix: str = "", column: str | None = None) -> Any:
    """The table with a `PREFIXshown` column: `show_row` of each row's PREFIXcount, PREFIXqualifier,
    PREFIXlow and PREFIXhigh (columns that are absent count as not given). Returns a copy."""
    out = table.copy()
    name = column or f"{prefix}shown"
    out[name] = [show_row(row, prefix) for _, row in out.iterrows()] if len(out) else []
    return out


def layer_words(layer: Any) -> str:
    """A `layer` value in words: 'simulated' -> 'simulated returns'; 'real_return+simulated' ->
    'real returns and simulated returns'; 'simulated counts; official denominators' keeps its
    own words with each layer named."""
    text = str(layer)
    parts = [p for p in text.replace(";", "+").replace(" counts", "").replace(" denominators", "").split("+")]
    names = [p.strip() for p in parts if p.strip()]
    if names and all(n in LAYER_WORDS for n in names):
        words = [LAYER_WORDS[n] for n in dict.fromkeys(names)]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    for key, word in LAYER_WORDS.items():
        text = text.replace(key, word)
    return text


def councils_by_layer(counts: Any, reviewed: int = 0) -> str:
    """How many councils of each layer a total rests on, in words.

    >>> councils_by_layer({"simulated": 88, "real_return": 1})
    '89 councils: 1 real return, 88 simulated'
    >>> councils_by_layer({"simulated": 89})
    '89 councils, all simulated'
    >>> councils_by_layer({"real_return": 1}, reviewed=2)
    "1 council, a real return; 2 figures from a person's reading"
    """
    counts = {k: int(v) for k, v in dict(counts).items() if int(v)}
    total = sum(counts.values())
    order = [k for k in _LAYER_ORDER if k in counts] + sorted(k for k in counts if k not in _LAYER_ORDER)
    noun = "council" if total == 1 else "councils"
    if not counts:
        text = "no councils"
    elif len(order) == 1:
        one, several = _COUNCIL_LAYER.get(order[0], (order[0], order[0]))
        if total == 1:
            text = f"1 council, {'a ' + one if one.endswith('return') else one}"
        else:
            text = f"{number(total)} {noun}, all {several}"
    else:
        parts = []
        for k in order:
            one, several = _COUNCIL_LAYER.get(k, (k, k))
            parts.append(f"{number(counts[k])} {one if counts[k] == 1 else several}")
        text = f"{number(total)} {noun}: " + ", ".join(parts)
    if reviewed:
        text += f"; {number(reviewed)} figure{'s' if reviewed != 1 else ''} from a person's reading"
    return text


#: A published figure's qualifier (`data/published_figures.csv`) as the coverage worded it.
_PRINTED = {
    "exact": "{n}", "more_than": "more than {n}", "over": "over {n}", "almost": "almost {n}",
    "nearly": "nearly {n}", "about": "about {n}", "percent": "{n}%", "a_further_percent": "a further {n}%",
    "a_quarter": "{n} (a quarter)", "one_third": "one-third", "all_but": "all but {n}", "none": "none",
    "not_recorded": "{n} (the wording around it was not recorded)",
}


def printed(value: Any, qualifier: Any = "exact", denominator: Any = "") -> str:
    """A published figure as its register words it: the qualifier, the unit and thousands
    separators; with `denominator` ('of 407 LAC cases', 'percent of Barnet's LAC total') what it
    is out of. The one way a printed figure is written on any page.

    >>> printed(8000, "more_than")
    'more than 8,000'
    >>> printed(18, "percent", "percent of Barnet's LAC total")
    "18% of Barnet's LAC total"
    >>> printed(132, "exact", "of 407 LAC cases")
    '132 of 407 LAC cases'
    """
    q = "exact" if _missing(qualifier) or str(qualifier) == "" else str(qualifier)
    if q not in _PRINTED:
        raise ValueError(f"unknown printed qualifier {q!r}")
    text = _PRINTED[q].format(n=number(value))
    of = "" if _missing(denominator) else str(denominator).strip()
    if of.startswith("percent of ") and "%" in text:
        text += " " + of.removeprefix("percent ")
    elif of.startswith("of ") and "%" not in text:
        text += " " + of
    return text
