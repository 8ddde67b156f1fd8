"""What the national reports show an editor: each table in words, what its numbers rest on, and
a link to the CSV behind it.

The national notebooks (01, 02, 03, 05) compute their tables with `unallocated.analysis` and
save them whole as CSV (`outputs/tables/`, with the `layer` and `view` columns a data user
filters on); their pages show the same numbers as an editor reads them: views and layers in
words ("as corrected", "before the correction", "simulated returns"), every count as
`display.show` writes it, and no `count`, `low` or `high` column to misquote. Internal names
(`real_return`, `as_corrected`, `no_professional`) never reach the page.
"""
from __future__ import annotations

import html

import pandas as pd

from unallocated import display
from unallocated.analysis import layers
from unallocated.model.categories import get_definition

#: The output metadata key a page's print label travels in (`unallocated.run.runner.PRINT_LABEL`).
PRINT_LABEL = "unallocated_print_label"


def banner(returns: pd.DataFrame, definition: str | None = None,
           round: str = "2010") -> tuple[str, dict]:  # noqa: A002 (the notebooks' parameter)
    """The opening note of a national report: what its numbers rest on, in words, as Markdown,
    and the metadata that puts the same words at the top of every printed sheet. Display it
    with `display(Markdown(text), metadata=meta)`. `round` is the round the returns are of (the
    notebooks' parameter): a later round's note names it and the corrections of its own register."""
    from unallocated import analysis
    from unallocated.model.corrections import apply_corrections
    from unallocated.rounds.round import get

    which = get(round)
    counted = analysis.national_rows(returns)
    rests = layers.rests_on(counted, definition)
    if which.name == "2010":
        text = f"**What the numbers rest on:** the 2010 returns of {rests}."
    else:
        text = f"**What the numbers rest on:** the returns of the {which.name} round: {rests}."
    if layers.simulated_any(counted):
        text += (" **SIMULATED:** the councils' returns were never published, so the project's seeded generator "
                 "made them to agree with every published figure; which councils responded is simulated too."
                 if which.name == "2010" else
                 " **SIMULATED:** the project's seeded generator made these returns to show the method; no figure "
                 "in them is a council's.")
    left = analysis.left_out(returns)
    if len(left):
        when = "of 2010" if which.name == "2010" else f"on {which.councils_on.day} {which.councils_on:%B %Y}"
        # the council as the reply named it, and its file: text from a reply, escaped (Markdown passes markup on)
        text += (" Left out of every total: " + "; ".join(f"{html.escape(str(r.council))} ({html.escape(str(r.files))})"
                                                          for r in left.itertuples())
                 + f", not a council {when} the project knows.")
    if definition:
        d = get_definition(definition)
        text += f" Definition leading the tables: *{d.title.lower()}*."
    text += f" Corrections applied in the corrected view: {analysis.corrections_applied(apply_corrections(returns))}."
    label = layers.page_label(counted)
    if which.name != "2010":  # every printed sheet names the round, so none is taken for 2010's
        label = f"{label} (round {which.name})"
    return text, {PRINT_LABEL: label}


def csv_link(name: str, folder: str = "tables", what: str = "this table",
             columns: str | None = "`layer` and `view` columns") -> str:
    """A Markdown link, from a national page (`outputs/notebooks/`, or a later round's
    `outputs/rounds/NAME/notebooks/`), to the CSV behind a table or chart: `tables/NAME.csv` or
    `figures/NAME.csv` beside it; `columns` says which columns a data user filters on (None: the
    table has none of the layer and view columns)."""
    return f"The numbers behind {what}: [{name}.csv](../{folder}/{name}.csv) (CSV{', with ' + columns if columns else ''})."


def _cell(value):
    if isinstance(value, str):
        return layers.term(value)
    if isinstance(value, bool) or value is None:
        return value
    try:
        return display.number(value) or "\u2013"  # one way to write a number; a gap is a dash
    except (TypeError, ValueError):
        return value


def words(table: pd.DataFrame, columns: dict[str, str], keep_index: str | None = None,
          text: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table with only `columns` (old name -> heading): each internal name in them in words
    (`layers.term`), each number as `display.number` writes it, indexed by `keep_index` (the
    first heading when not given), so no row number a reader would take for data. `text` names
    columns of free text (a group of councils, a reason in a sentence): kept as written, with
    any internal name in them put in words (`layers.plain`), never read as a layer."""
    def cell(column, value):
        return layers.plain(value) if column in text and isinstance(value, str) else _cell(value)

    out = pd.DataFrame({heading: [cell(column, v) for v in table[column]] for column, heading in columns.items()})
    return out.set_index(keep_index or next(iter(columns.values())))


def headline(table: pd.DataFrame) -> pd.DataFrame:
    """An `analysis.headline` table as a reader reads it: a row per case type, the figure as
    corrected and before the correction, how many of its figures came from a person's reading."""
    rows = []
    for case_type, group in table.groupby("case_type", sort=False):
        by_view = group.set_index("view")
        rows.append({"case type": group["label"].iloc[0],
                     "as corrected": by_view["shown"].get("as_corrected", ""),
                     "before the correction": by_view["shown"].get("as_published", ""),
                     "from a person's reading": int(by_view["from_a_person"].get("as_corrected", 0))})
    return pd.DataFrame(rows).set_index("case type")


def by_definition(table: pd.DataFrame, column: str = "shown") -> pd.DataFrame:
    """An `analysis.under_every_definition` table: a row per definition and view, a column per
    case type, in words."""
    wide = table.pivot_table(index=["definition", "view"], columns="case_type", values=column, aggfunc="first",
                             sort=False)[["cp", "lac", "cin", "total"]]
    wide.index = pd.MultiIndex.from_tuples([(get_definition(d).title, layers.term(v)) for d, v in wide.index],
                                           names=["definition", "figures"])
    wide.columns = ["child protection", "looked after", "children in need", "all three"]
    return wide


def ranking(table: pd.DataFrame, top: int) -> pd.DataFrame:
    """An `analysis.ranking` table's first `top` rows and every council it leaves out, in words,
    each with whose figures its count is (its own return's layer)."""
    shown = pd.concat([table.dropna(subset=["per_100_dfe"]).head(top), table[table["per_100_dfe"].isna()]])
    return pd.DataFrame({
        "rank": [("not ranked" if pd.isna(r) else int(r)) for r in shown["rank"]],
        "council": shown["council"].tolist(),
        "cases": shown["shown"].tolist(),
        "per 100 children in need (DfE)": [display.number(v) or "\u2013" for v in shown["per_100_dfe"]],
        "per 100 open cases in its return": [display.number(v) or "\u2013" for v in shown["per_100_return"]],
        "figures": [layers.term(v) for v in shown["view"]],
        "its return": [layers.return_words(v) for v in shown["layer"]],
    }).set_index("rank")


def rounds_banner(earlier, later) -> tuple[str, dict]:
    """The opening note of the comparison of two rounds (notebook 07): what each round's numbers
    rest on, in words, and the print label for every sheet. `earlier` and `later` are
    `unallocated.rounds.round.Round`s."""
    from unallocated import analysis
    from unallocated.rounds import dataset

    parts, simulated = [], []
    for r in (earlier, later):
        counted = analysis.national_rows(dataset.round(r.name))
        parts.append(f"the {r.name} round's returns of {layers.rests_on(counted)}")
        if layers.simulated_any(counted):
            simulated.append(r.name)
    text = f"**What the numbers rest on:** {parts[0]}, and {parts[1]}; DfE's figures (official) are real."
    if simulated:
        which = " and ".join(simulated)
        text += (f" **SIMULATED:** every count from the {which} round{'s' if len(simulated) > 1 else ''}, and which "
                 "councils answered, was made by the project's seeded generator: the comparison shows the method, "
                 "not a finding.")
    label = f"Round {later.name} compared with round {earlier.name}"
    label = f"SIMULATED DATA: {label}, {' and '.join(simulated)} simulated" if simulated else label
    return text, {PRINT_LABEL: label}


def yes_no(value) -> str:
    """A true/false cell in words."""
    return "yes" if bool(value) else "no"
