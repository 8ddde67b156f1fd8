"""unallocated: the 2010 FOI returns on unallocated children's social care cases, and the tools
that read, define, correct and check them.

In a notebook, four functions are all a reporter needs (each returns a pandas table):

    unallocated.returns_2010()         the 2010 returns, one row per figure, with council names
    unallocated.definitions()          the definitions of "unallocated" as a table
    unallocated.council("Barnsley")    one council's cases under each definition, with bounds
    unallocated.official_stats("Hull") one council's official statistics (DfE), every year

(`unallocated.returns` and `unallocated.official`, without the suffix, are the modules that
read returns files and fetch the official files.)
A council may be given by any name the resolver takes ("Hull", "Brighton & Hove") or its DfE
or ONS code; one that cannot be found raises `CouncilNotFound` naming it.

Three layers of numbers are kept apart everywhere: official statistics (DfE/ONS), published
figures (what the 2010 coverage printed) and FOI returns (real or simulated): every table has a
`layer` column. The modules underneath (`analysis`, `councils`, `categories`, `display`, ...)
hold the rest.
"""
__version__ = "0.1.0"
__all__ = ["returns_2010", "definitions", "council", "official_stats"]


def returns_2010(corrected: bool = True):
    """The 89 returns of the November 2010 round, one row per figure, with council names.

    `corrected=True` (the default) applies the corrections register (`data/corrections.csv`);
    `corrected=False` gives them as published. The `layer` column says whether they are real
    or simulated."""
    from unallocated import dataset

    return dataset.returns_2010(corrected=corrected)


def definitions():
    """The definitions of "unallocated": name, title and what each counts, in plain English."""
    import pandas as pd

    from unallocated.categories import DEFINITIONS

    return pd.DataFrame([{"name": d.name, "title": d.title, "description": d.description}
                         for d in DEFINITIONS.values()])


def council(name_or_code: str, corrected: bool = True):
    """One council's cases under each definition of "unallocated", by case type.

    One row per case type and definition, with `count`, `qualifier`, `low`, `high` (the bounds
    on the true number), `shown` (how to write it: "0 to 9", "at least 540"), `view` and
    `layer`. Raises `CouncilNotFound` for a name or code the resolver cannot find, and
    `LookupError` naming the council when it sent no return in the 2010 round."""
    import pandas as pd

    from unallocated import analysis, councils, display
    from unallocated.categories import CASE_TYPES, DEFINITIONS, count_under

    who = councils.resolve(name_or_code)
    table = returns_2010(corrected=corrected)
    mine = table[table["council_code"] == who.old_la_code]
    if mine.empty:
        raise LookupError(f"{who.name} ({who.old_la_code}) sent no return in the 2010 round "
                          f"({analysis.layer_of(table)} returns: the set of responders is "
                          f"{'simulated' if analysis.layer_of(table) == 'simulated' else 'as received'})")
    parts = []
    for name in DEFINITIONS:
        got = count_under(mine, name, by=("case_type",))
        got.insert(1, "definition", name)
        parts.append(got)
    out = pd.concat(parts, ignore_index=True).drop(columns="councils", errors="ignore")
    out["case_type"] = pd.Categorical(out["case_type"], categories=list(CASE_TYPES), ordered=True)
    out = out.sort_values("case_type", kind="stable").reset_index(drop=True)
    out["case_type"] = out["case_type"].astype(str)
    out.insert(0, "council", who.name)
    out = display.with_shown(out)
    out["view"] = analysis.view_of(mine)
    out["layer"] = analysis.layer_of(mine)
    return out


def official_stats(name_or_code: str):
    """One council's official statistics (DfE), one row per year and measure (official layer).

    Raises `CouncilNotFound` for a name or code the resolver cannot find."""
    from unallocated import councils, reference

    who = councils.resolve(name_or_code)
    table = reference.load_official_stats()
    mine = table[(table["geography_level"] == "la") & (table["old_la_code"] == who.old_la_code)]
    return mine.reset_index(drop=True)
