"""unallocated: the 2010 FOI returns on unallocated children's social care cases, and the tools
that read, define, correct and check them.

In a notebook, five functions are all a reporter needs (each returns a pandas table):

    unallocated.round("2010")          a round's returns, one row per figure, with council names
    unallocated.returns_2010()         the same for the 2010 round (kept from before rounds were data)
    unallocated.definitions()          the definitions of "unallocated" as a table
    unallocated.council("Barnsley")    one council's cases under each definition, with bounds
    unallocated.official_stats("Hull") one council's official statistics (DfE), every year

(`unallocated.returns`, without the suffix, is the package that reads returns files.)
A council may be given by any name the resolver takes ("Hull", "Brighton & Hove") or its DfE
or ONS code; one that cannot be found raises `CouncilNotFound` naming it.

Three layers of numbers are kept apart everywhere: official statistics (DfE/ONS), published
figures (what the 2010 coverage printed) and FOI returns (real or simulated): every table has a
`layer` column. The modules underneath hold the rest, in folders that follow the pipeline
(the README's "How the code is laid out"): `sources` (official files, councils), `returns`
(reading replies), `rounds`, `model` (categories, definitions, corrections), `analysis`,
`factcheck`, `pages`, and `run` (the command line, which nothing imports).
"""
__version__ = "0.1.0"
__all__ = ["round", "returns_2010", "definitions", "council", "official_stats"]


def round(name: str = "2010", corrected: bool = True):  # noqa: A001 (the reporter's word for it)
    """A round's returns, one row per figure, with council names: `round("2010")` is Community
    Care's request of 2010; later rounds are listed in `data/raw/returns/rounds.csv`
    (`python -m unallocated round status NAME` says who answered).

    `corrected=True` (the default) applies the corrections that concern the round (the 2010
    coverage's register, `data/corrections.csv`, and the round's own from its right of reply);
    `corrected=False` gives the returns as received. The `layer` column says whether they are
    real or simulated. An unknown name raises `RoundError` listing the rounds."""
    from unallocated.rounds import dataset

    return dataset.round(name, corrected=corrected)


def returns_2010(corrected: bool = True):
    """The 89 returns of the November 2010 round: `round("2010", corrected)`."""
    return round("2010", corrected=corrected)


def definitions():
    """The definitions of "unallocated": name, title and what each counts, in plain English."""
    import pandas as pd

    from unallocated.model.categories import DEFINITIONS

    return pd.DataFrame([{"name": d.name, "title": d.title, "description": d.description}
                         for d in DEFINITIONS.values()])


def council(name_or_code: str, corrected: bool = True):
    """One council's cases under each definition of "unallocated", by case type.

    One row per case type and definition, with `count`, `qualifier`, `low`, `high` (the bounds
    on the true number), `shown` (how to write it: "0 to 9", "at least 540"), `view` and
    `layer`. Raises `CouncilNotFound` for a name or code the resolver cannot find, and
    `LookupError` naming the council when it sent no return in the 2010 round."""
    import pandas as pd

    from unallocated import analysis, display
    from unallocated.sources import councils
    from unallocated.model.categories import CASE_TYPES, DEFINITIONS, count_under

    who = councils.resolve(name_or_code)
    table = returns_2010(corrected=corrected)
    mine = table[table["council_code"] == who.old_la_code]
    if mine.empty:
        layer = analysis.layer_of(table)
        raise LookupError(f"{who.name} ({who.old_la_code}) sent no return in the 2010 round "
                          f"({display.layer_words(layer)}: the set of responders is "
                          f"{'simulated' if 'simulated' in layer else 'as received'})")
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
    from unallocated.sources import councils, reference

    who = councils.resolve(name_or_code)
    table = reference.load_official_stats()
    mine = table[(table["geography_level"] == "la") & (table["old_la_code"] == who.old_la_code)]
    return mine.reset_index(drop=True)


# Where modules lived before the package was laid out as the pipeline (December 2026). The old
# paths keep working for one release: importing one gives the module at its new place (the same
# object, so patching either patches both) and a DeprecationWarning naming that place.
_MOVED = {
    "official": "sources.official", "councils": "sources.councils", "reference": "sources.reference",
    "template": "returns.template", "simulate": "returns.simulate", "dataset": "rounds.dataset",
    "categories": "model.categories", "corrections": "model.corrections",
    "charts": "analysis.charts", "svgcharts": "analysis.svgcharts", "figures": "analysis.figures",
    "claims": "factcheck.claims", "wording": "factcheck.wording",
    "profile": "pages.profile", "frontpage": "pages.frontpage",
    "runner": "run.runner", "parameters": "run.parameters", "reproduce": "run.reproduce", "bench": "run.bench",
}


class _MovedModule:
    """Finder and loader for the old module paths in `_MOVED` (stdlib only: importing the
    package must stay free of its modules and of pandas)."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        import importlib.util

        old = fullname.removeprefix(__name__ + ".")
        if fullname == old or old not in _MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, cls())

    def create_module(self, spec):
        import importlib
        import warnings

        new = f"{__name__}.{_MOVED[spec.name.removeprefix(__name__ + '.')]}"
        warnings.warn(f"{spec.name} has moved to {new}; the old path goes in the next release",
                      DeprecationWarning, stacklevel=2)
        module = importlib.import_module(new)
        self._spec = module.__spec__  # the import system stamps the old spec on the module
        return module

    def exec_module(self, module):
        module.__spec__ = self._spec


def _install_moved_finder() -> None:
    import sys

    if not any(f is _MovedModule for f in sys.meta_path):
        sys.meta_path.append(_MovedModule)


_install_moved_finder()
