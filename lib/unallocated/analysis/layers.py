"""Which layer every number rests on, said in words a reader reads.

A national total adds up many councils' returns, and with a newsroom's real returns in the
folder they are no longer all of one layer: some councils' returns are real, the rest simulated,
and some figures in a real return are a person's reading of the reply (`review.csv`). Every
total, chart and sentence that adds rows up says how many councils of each layer it rests on:

    >>> rests_on(returns)                      # doctest: +SKIP
    '89 councils: 1 real return, 88 simulated; 2 figures from a person's reading'

A council's return is *simulated* when any of its rows is (a simulated return stays simulated
whatever a person keyed into it), else a *real return*; a figure is *from a person's reading*
when its layer is `review` or its `source` is a row of review.csv. Only councils with a code are
counted: a council the resolver does not know, or one out of scope, is in no national total.

`term` is the one place an internal name (`real_return`, `as_corrected`, `no_professional`,
`at_most`) becomes words; `INTERNAL_NAMES` lists the names that must never reach a reader.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from unallocated import display
from unallocated.model.categories import DEFINITIONS, get_definition
from unallocated.schema import CATEGORIES, OTHER_ROLES, QUALIFIERS, UNALLOCATED_REASONS

#: Names of the data that a page, a title or an alt text never shows (tables and CSVs keep them).
INTERNAL_NAMES: tuple[str, ...] = tuple(sorted(
    {"real_return", "as_corrected", "as_published", *DEFINITIONS, *[q for q in QUALIFIERS if "_" in q],
     *[c for c in CATEGORIES if "_" in c], *[d for d in (*OTHER_ROLES, *UNALLOCATED_REASONS) if "_" in d]}))

_QUALIFIER_WORDS = {"exact": "exact", "at_least": "at least", "at_most": "at most", "approx": "about",
                    "suppressed": "withheld", "not_supplied": "not supplied"}
_CATEGORY_WORDS = {"total": "open cases", "allocated_qualified": "qualified social worker",
                   "allocated_other": "another professional", "unallocated": "no professional allocated"}
_CASE_TYPE_WORDS = {"cp": "child protection", "lac": "looked after", "cin": "children in need"}


def term(name: str) -> str:
    """An internal name in words: a layer, a view, a definition, a qualifier, a category, a
    detail or a case type ('real_return' -> 'real returns', 'as_published' -> 'before the
    correction', 'no_professional' -> 'no professional allocated'). Anything else is returned
    as it is, so free text passes through."""
    text = "" if name is None or (not isinstance(name, str) and pd.isna(name)) else str(name)
    if text in display.LAYER_WORDS:
        return display.LAYER_WORDS[text]
    if text in display.VIEW_TEXT:
        return display.VIEW_TEXT[text]
    if text in DEFINITIONS:
        return get_definition(text).title.lower()
    if text in _QUALIFIER_WORDS:
        return _QUALIFIER_WORDS[text]
    if text in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[text]
    if text in OTHER_ROLES:
        return OTHER_ROLES[text]
    if text in UNALLOCATED_REASONS:
        return UNALLOCATED_REASONS[text]
    if text in _CASE_TYPE_WORDS:
        return _CASE_TYPE_WORDS[text]
    if "+" in text or ";" in text:
        return display.layer_words(text)
    return text


def plain(text) -> str:
    """Free text (an issue the reader wrote, say) with every internal name in it put in words:
    "kept as not_supplied" -> "kept as not supplied"."""
    import re

    out = "" if text is None else str(text)
    for name in INTERNAL_NAMES:
        if name in out:
            out = re.sub(rf"\b{name}\b", term(name), out)
    return out


def from_a_person(returns: pd.DataFrame) -> pd.Series:
    """True for each row that is a person's reading of a reply (layer `review`, or a value keyed
    in review.csv, whose `source` names its row there)."""
    layer = returns["layer"].astype("string").fillna("")
    source = returns["source"].astype("string").fillna("") if "source" in returns.columns else layer.where(False, "")
    return ((layer == "review") | source.str.startswith("review.csv")).astype(bool)


def _with_code(returns: pd.DataFrame) -> pd.DataFrame:
    return returns[returns["council_code"].fillna("").astype(str) != ""]


def council_layer(layers: Iterable) -> str:
    """One council's return's layer from the layers of its rows: simulated if any row is, else a
    real return; a return read wholly by a person is 'review'."""
    found = {str(x) for x in layers if x is not None and not pd.isna(x)}
    if "simulated" in found:
        return "simulated"
    if "real_return" in found:
        return "real_return"
    rest = sorted(found - {"review"})
    return rest[0] if rest else ("review" if found else "none")


def council_layers(returns: pd.DataFrame) -> dict[str, int]:
    """How many councils' returns of each layer the rows hold (councils with a code only)."""
    rows = _with_code(returns)
    counts: dict[str, int] = {}
    for _, layers in rows.groupby("council_code", sort=True)["layer"]:
        layer = council_layer(layers)
        counts[layer] = counts.get(layer, 0) + 1
    return counts


def layer_by_council(returns: pd.DataFrame) -> dict[str, str]:
    """council code -> the layer of its return (see `council_layer`)."""
    rows = _with_code(returns)
    return {str(code): council_layer(layers) for code, layers in rows.groupby("council_code", sort=True)["layer"]}


def reviewed_count(returns: pd.DataFrame, definition: str | None = None,
                   case_types: Iterable[str] | None = None) -> int:
    """How many figures (rows) a total adds up that came from a person's reading: rows the
    definition counts (every row when None), of the case types given."""
    rows = _with_code(returns)
    if rows.empty:
        return 0
    mask = from_a_person(rows)
    if case_types is not None:
        mask &= rows["case_type"].isin(list(case_types)).to_numpy()
    if definition is not None and mask.any():
        d = get_definition(definition)
        detail = rows["detail"].astype("string").fillna("")
        counted = [d.counts(c, x) for c, x in zip(rows["category"].astype(str), detail)]
        mask &= pd.Series(counted, index=rows.index)
    return int(mask.sum())


def rests_on(returns: pd.DataFrame, definition: str | None = None,
             case_types: Iterable[str] | None = None) -> str:
    """'89 councils: 1 real return, 88 simulated; 2 figures from a person's reading': how many
    councils of each layer a total over these rows rests on, and how many of the figures it adds
    came from a person's reading (under `definition`, of `case_types`, when given)."""
    return display.councils_by_layer(council_layers(returns), reviewed_count(returns, definition, case_types))


def simulated_any(returns: pd.DataFrame) -> bool:
    """True when any council's return in the rows is simulated."""
    return "simulated" in council_layers(returns)


def page_label(returns: pd.DataFrame) -> str:
    """What a page's numbers rest on, for the top of every printed sheet: 'SIMULATED DATA:
    returns of 89 councils, all simulated', or 'Returns of 90 councils: 1 real return, 89
    simulated' with SIMULATED DATA in front whenever any return is simulated."""
    words = f"returns of {rests_on(returns)}"
    return f"SIMULATED DATA: {words}" if simulated_any(returns) else words[0].upper() + words[1:]


#: A council's return in words, one council at a time (a table's "its return" column).
RETURN_WORDS = {"simulated": "simulated", "real_return": "real return", "review": "read by a person",
                "none": "no return"}


def return_words(layer) -> str:
    """A council's own return in words: 'simulated', 'real return' (from the layer of its rows,
    or a ranking's 'simulated counts; official denominators')."""
    text = str(layer).split(" counts")[0]
    return RETURN_WORDS.get(council_layer(text.split("+")), display.layer_words(text))
