"""The investigation's charts, in the house style (`unallocated.analysis.figures`).

Each function takes a table from `unallocated.analysis`, draws it, and returns the figure and
exactly the numbers drawn; `save(name, fig, data)` writes PNG, SVG and CSV under
`outputs/figures/`. Titles state the finding in words computed from the data, never typed in,
and literally true under the definition and view they state: "had no professional allocated"
(never "no worker" for cases another professional held), an approximate total with its range,
the corrected view by default with the figure before the correction beside it ("published" is
said only of what was printed), and how many councils of each layer the numbers rest on ("returns
of 89 councils, all simulated"; "90 councils: 1 real return, 89 simulated") in the title itself,
so the alt text a page gives the image says it too. A ranking names no leader while any of its
counts is simulated, and names under the chart every council it leaves out.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from unallocated import display, paths
from unallocated.analysis import figures
from unallocated.model.categories import get_definition

FIGURES = paths.OUTPUTS / "figures"


def _layers(layer) -> list[str]:
    """'simulated counts; official denominators' -> ['simulated', 'official']; a column of such
    values gives every layer any row names."""
    text = " ".join(map(str, layer)) if isinstance(layer, (list, tuple, pd.Series)) else str(layer)
    found = [name for name in ("simulated", "real_return", "published", "official") if name in text]
    if "review" in text and "real_return" not in found:
        found.insert(0, "real_return")  # a person's reading of a real reply: the councils' returns
    return found or ["simulated"]


def _simulated(layer) -> bool:
    text = " ".join(map(str, layer)) if isinstance(layer, (list, tuple, pd.Series)) else str(layer)
    return "simulated" in text


def _rests_on(table: pd.DataFrame) -> str:
    """'returns of 89 councils, all simulated': what the drawn totals rest on, from the table."""
    if "rests_on" in table.columns and table["rests_on"].notna().any():
        return "returns of " + str(table["rests_on"].dropna().iloc[0])
    return "returns"


def save(name: str, fig, data: pd.DataFrame, out_dir: Path | None = None) -> None:
    """Save the figure and its numbers; in a notebook, show the saved PNG and a link to the CSV
    of the numbers it draws (from the page, which sits in `notebooks/` beside `figures/`).

    By default under `figures/` of the round the notebook works on (`paths.round_outputs`):
    `outputs/figures/` for 2010, `outputs/rounds/NAME/figures/` for another round."""
    written = figures.save(fig, data, name, out_dir or paths.current_outputs() / "figures")
    try:
        from IPython import get_ipython
        from IPython.display import Image, Markdown, display
    except ImportError:  # pragma: no cover - IPython ships with the environment
        return
    if get_ipython() is not None:
        display(Image(data=written["png"].read_bytes(), format="png"))
        display(Markdown(f"The numbers this chart draws: [{name}.csv](../figures/{name}.csv) (CSV; the chart "
                         f"itself as [PNG](../figures/{name}.png) and [SVG](../figures/{name}.svg))."))


def _layer_bars(ax, labels, values, layer, texts: list[str], *, fontsize: float, margin: float,
                highs=None) -> None:
    """Horizontal bars, top to bottom, labelled with their values; simulated ones hatched.

    `layer` is one layer for every bar (a total that adds any simulated return is simulated),
    or one per bar (a ranking: each council's own return). With `highs`, each bar is drawn to
    its hard lower bound and a thin line runs on to its upper bound, so a range ("397 to 406")
    is not drawn as one number."""
    values = pd.Series(values, dtype="float64").reset_index(drop=True)
    each = list(layer) if isinstance(layer, (list, tuple, pd.Series)) else [layer] * len(values)
    simulated = [_simulated(x) for x in each]
    bars = ax.barh(list(labels), values, color=[figures.PALETTE["simulated" if s else "real_return"] for s in simulated],
                   edgecolor="white")
    for bar, sim in zip(bars, simulated):
        if sim:
            bar.set_hatch(figures.SIMULATED_HATCH)
    if highs is None:
        ax.bar_label(bars, labels=texts, padding=3, fontsize=fontsize)
    else:
        highs = pd.Series(highs, dtype="float64").reset_index(drop=True)
        for i, (lo, hi, text) in enumerate(zip(values, highs, texts)):
            end = lo
            if pd.notna(hi) and hi > lo:
                ax.plot([lo, hi], [i, i], color=figures.PALETTE["published"], linewidth=2.5, solid_capstyle="butt")
                end = hi
            text = textwrap.fill(text, 19, break_on_hyphens=False) if len(text) > 24 else text
            ax.annotate(text, (end, i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=fontsize)
        ax.set_xlim(0, float(pd.concat([values, highs]).max()) * (1 + margin))
    ax.invert_yaxis()
    if highs is None:
        ax.margins(x=margin)


#: What "had" means under each definition, for titles: literally true of the cases it counts.
HAD = {
    "no_professional": "had no professional allocated",
    "no_qualified_social_worker": "had no qualified social worker",
    "councils_reading": "were unallocated on the councils' own reading",
    "closure_still_open": "were unallocated, counting cases awaiting closure",
}


def _pick(table: pd.DataFrame, view: str) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    """The rows of the view to draw (the corrected one by default), the other view's rows if the
    table has them, and the view drawn."""
    present = list(dict.fromkeys(table["view"])) if "view" in table.columns else ["as_published"]
    drawn = view if view in present else present[0]
    other = [v for v in present if v != drawn]
    mine = table[table["view"] == drawn] if "view" in table.columns else table
    return mine, (table[table["view"] == other[0]] if other else None), drawn


def _view_words(view: str, returns_corrected: str = "") -> str:
    if view == "as_corrected":
        return "as corrected" + (f" ({returns_corrected})" if returns_corrected else "")
    return "before the correction" + (f" ({returns_corrected})" if returns_corrected else "")


def _lead(view: str) -> str:
    """How a title opens in a view: 'As corrected' or 'Before the correction'."""
    return display.VIEW_TEXT[view].capitalize()


def _applied(table: pd.DataFrame | None):
    """The register rows of the corrections a table's corrected view applied (its
    `attrs["corrections"]`, set by `analysis`); without that record, the 2010 coverage's register."""
    from unallocated.model.corrections import load_corrections, load_every_register

    if table is None or "corrections" not in table.attrs:
        return load_corrections()
    register = load_every_register()
    return register[register["correction_id"].isin(table.attrs["corrections"])]


def _corrections_words(table: pd.DataFrame | None = None) -> str:
    register = _applied(table)
    return "; ".join(f"{r.council}, {r.correction_date.day} {r.correction_date:%B %Y}" for r in register.itertuples())


def _spans_case_types(table: pd.DataFrame | None = None) -> bool:
    """A correction given only as a total across case types (Barnsley's): each case type a range."""
    return any(len(v) > 1 for v in _applied(table)["values"])


def _whose_totals(table: pd.DataFrame | None = None) -> str:
    """"Barnsley's total of 9": what a correction that gave only a total across case types gave."""
    register = _applied(table)
    return " and ".join(f"{r.council}'s total of {r.corrected_unallocated_total}" for r in register.itertuples())


def _beside(mine: pd.DataFrame, other: pd.DataFrame | None, key: str, other_view: str | None) -> list[str]:
    """Each bar's label: its shown value, and the other view's where it differs."""
    texts = []
    lookup = {} if other is None else dict(zip(other[key], other["shown"]))
    word = display.VIEW_TEXT.get(other_view or "", "")
    for k, shown in zip(mine[key], mine["shown"]):
        o = lookup.get(k)
        texts.append(shown if o is None or o == shown else f"{shown} ({o} {word})")
    return texts


def _returns_words(table: pd.DataFrame) -> str:
    """The subtitle's words for the returns: how many councils of each layer, SIMULATED in
    capitals when any are."""
    words = _rests_on(table)
    return words.replace("simulated", "SIMULATED") if _simulated(table["layer"]) else words


def headline_bars(table: pd.DataFrame, view: str = "as_corrected"):
    """Cases by case type under one definition (an `analysis.headline` table), in one view with
    the other view's figures beside it."""
    mine, other, drawn = _pick(table, view)
    other_view = None if other is None else other["view"].iloc[0]
    parts = mine[mine["case_type"] != "total"]
    total = mine.loc[mine["case_type"] == "total"].iloc[0]
    definition = get_definition(total["definition"])
    layer = total["layer"]
    fig, ax = figures.new_figure(3.8)
    _layer_bars(ax, parts["label"], parts["low"].fillna(parts["count"].astype("float64")), layer,
                _beside(parts, None if other is None else other[other["case_type"] != "total"], "case_type", other_view),
                fontsize=9, margin=0.55, highs=parts["high"])
    ax.set_xlabel("children")
    title = f"{total['shown']} children {HAD.get(definition.name, 'were counted: ' + definition.title.lower())}"
    title = f"{_lead(drawn)}, {title}"
    if other is not None:
        o = other.loc[other["case_type"] == "total"].iloc[0]
        title += f" ({o['shown']} {display.VIEW_TEXT[other_view]})"
    title += f"; {_rests_on(mine)}"
    ranged = parts[parts["low"] != parts["high"]]["label"].str.lower().tolist()
    if other is not None:  # ranges the correction made: exact before it, a range as corrected
        was = other[other["case_type"] != "total"].set_index("case_type")
        exact_before = [was.loc[c, "low"] == was.loc[c, "high"] if c in was.index else True for c in parts["case_type"]]
        by_correction = parts[(parts["low"] != parts["high"]).to_numpy() & pd.Series(exact_before).to_numpy()]["label"].str.lower().tolist()
    else:
        by_correction = ranged
    sub = (f"Definition: {definition.title.lower()}; {_view_words(drawn, _corrections_words(table))}; "
           f"{_returns_words(mine)}.")
    if by_correction and by_correction == ranged:
        who = " and ".join(f"{c}'s" for c in _applied(table)["council"])
        sub += f" {' and '.join(ranged).capitalize()} are ranges: the correction gave only {who} total."
    elif ranged:
        sub += (f" {' and '.join(ranged).capitalize()} are ranges: some councils withheld figures or left parts "
                "out, and those are counted between their bounds.")
    figures.finish(fig, ax, title=title, subtitle=sub, layers=_layers(layer), simulated=_simulated(layer), view=drawn,
                   rests_on=_rests_on(mine))
    cols = ["case_type", "label", "count", "qualifier", "low", "high", "shown", "definition", "view", "layer",
            "rests_on", "from_a_person"]
    # the bars, and the totals the title states
    return fig, table[[c for c in cols if c in table.columns]]


def definitions_bars(table: pd.DataFrame, view: str = "as_corrected"):
    """The national total under every definition (an `analysis.under_every_definition` table)."""
    totals = table[table["case_type"] == "total"].copy()
    totals["title"] = totals["definition"].map(lambda d: get_definition(d).title)
    mine, other, drawn = _pick(totals, view)
    other_view = None if other is None else other["view"].iloc[0]
    layer = mine["layer"].iloc[0]
    fig, ax = figures.new_figure(3.8)
    _layer_bars(ax, [textwrap.fill(t, 24) for t in mine["title"]], mine["low"], layer, _beside(mine, other, "definition", other_view),
                fontsize=8.5, margin=0.6, highs=mine["high"])
    ax.set_xlabel("children")
    narrow, wide = mine.iloc[0], mine.iloc[-1]
    title = (f"{_lead(drawn)}, {narrow['shown']} cases "
             f"{HAD[narrow['definition']]}; {wide['shown']} {HAD[wide['definition']]} ({_rests_on(mine)})")
    figures.finish(fig, ax, title=title,
                   subtitle=(f"Definitions from narrowest (top) to widest; all case types; "
                             f"{_view_words(drawn, _corrections_words(table))}; {_returns_words(mine)}"),
                   layers=_layers(layer), simulated=_simulated(layer), view=drawn, rests_on=_rests_on(mine))
    keep = ["definition", "title", "count", "qualifier", "low", "high", "shown", "view", "layer", "rests_on"]
    return fig, totals[[c for c in keep if c in totals.columns]]


def walk_bars(walk: pd.DataFrame, view: str = "as_corrected"):
    """From 'no qualified social worker' to the councils' reading (an `analysis.walk` table)."""
    mine, other, drawn = _pick(walk, view)
    other_view = None if other is None else other["view"].iloc[0]
    layer = mine["layer"].iloc[0]
    fig, ax = figures.new_figure(4.2)
    labels = [s if not d else f"{s}\n= {get_definition(d).title.lower()}" for s, d in
              zip(mine["step"], mine["definition_reached"])]
    _layer_bars(ax, labels, mine["low"], layer, _beside(mine, other, "step", other_view),
                fontsize=8, margin=0.5, highs=mine["high"])
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("cases still counted as unallocated")
    first, last = mine.iloc[0], mine.iloc[-1]
    part = display.share_range(last["low"] / first["high"], last["high"] / first["low"], 0)
    widest = (display.number(first["low"]) if first["low"] == first["high"]
              else f"{display.number(first['low'])} to {display.number(first['high'])}")
    title = (f"{_lead(drawn)}, the councils' reading keeps "
             f"{last['shown']} cases: {part} of the {widest} with no qualified social worker ({_rests_on(mine)})")
    figures.finish(fig, ax, title=title,
                   subtitle=("Each bar removes one group of cases councils said should not count; "
                             f"{_view_words(drawn, _corrections_words(walk))}; {_returns_words(mine)}"),
                   layers=_layers(layer), simulated=_simulated(layer), view=drawn, rests_on=_rests_on(mine))
    return fig, walk


def _ordinal(n) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ranking_bars(ranking: pd.DataFrame, top: int = 15, other: pd.DataFrame | None = None):
    """The councils with most cases per 100 open cases (an `analysis.ranking` table).

    `other`: the same ranking in the other view, to say where a correction moved a council.
    While any council's count is simulated the title names no leader (a simulated figure on a
    real council is not a finding); with real returns alone it names the leader only when its
    lead is certain, and then "of the N councils that can be ranked" when some cannot. Every
    council the ranking leaves out is named under the chart, with its rate on its own caseload.
    """
    shown = ranking.dropna(subset=["per_100_dfe"]).head(top)
    left_out = ranking[ranking["per_100_dfe"].isna()]
    ranked_n = int(ranking["per_100_dfe"].notna().sum())
    view = shown["view"].iloc[0] if "view" in shown.columns else "as_published"
    definition = get_definition(shown["definition"].iloc[0])
    simulated = _simulated(ranking["layer"])
    fig, ax = figures.new_figure(6.0)
    _layer_bars(ax, shown["council"], shown["per_100_dfe"], shown["layer"].tolist(),
                [f"{v:.1f}" for v in shown["per_100_dfe"]], fontsize=8.5, margin=0.12)
    ax.tick_params(axis="y", labelsize=8.5)
    year = next((c.rsplit("_", 1)[1] for c in ranking.columns if c.startswith("dfe_open_cases_")), "2010")
    ax.set_xlabel(f"cases per 100 children in need at 31 March {year} (DfE)")
    what = f"cases that {HAD.get(definition.name, 'were unallocated')}".replace("cases that had", "cases with")
    # the corrections of the corrected view: this ranking's, or the other view's when this one is before them
    corrected = ranking if view == "as_corrected" else other if other is not None else ranking
    corrected_codes = set(_applied(corrected)["council_code"].astype(str))
    rests = _rests_on(ranking)
    of_ranked = f"the {ranked_n} councils that can be ranked" if len(left_out) else f"all {ranked_n} councils"
    lead, second = shown.iloc[0], shown.iloc[1] if len(shown) > 1 else shown.iloc[0]
    certain = len(shown) == 1 or lead.get("per_100_dfe_low", lead["per_100_dfe"]) > second.get(
        "per_100_dfe_high", second["per_100_dfe"])
    if simulated:
        title = (f"{_lead(view)}, {what} per 100 children in need: the {len(shown)} highest of {of_ranked} "
                 f"({rests}; no council is named first on simulated figures)")
    elif view == "as_published" and str(lead["council_code"]) in corrected_codes:
        title = (f"Before the correction, {lead['council']} ranked first of {of_ranked}; the "
                 f"{_corrections_words(corrected)} correction withdrew that figure ({rests})")
    elif certain:
        title = f"{_lead(view)}, {lead['council']} had most {what} for its caseload of {of_ranked} ({rests})"
    else:
        title = (f"{_lead(view)}, {lead['council']} and {second['council']} had most {what} for their "
                 f"caseloads of {of_ranked} ({rests})")
    notes = []
    if not left_out.empty:
        reason = left_out["not_ranked"].iloc[0] if "not_ranked" in left_out.columns else "no DfE denominator"
        own = []
        for _, row in left_out.iterrows():
            rate = row.get("per_100_return")
            own.append(f"{row['council']} ({display.number(rate)} per 100 open cases in its own return)"
                       if rate is not None and not pd.isna(rate) else str(row["council"]))
        listed = ", ".join(own[:-1]) + " and " + own[-1] if len(own) > 1 else own[0]
        notes.append(f"Not ranked, {reason}: {listed}.")
    if other is not None and "view" in other.columns:
        o_view = other["view"].iloc[0]
        for code in sorted(corrected_codes):
            mine_row, o_row = ranking[ranking["council_code"].astype(str) == code], other[other["council_code"].astype(str) == code]
            if not mine_row.empty and not o_row.empty and pd.notna(mine_row["rank"].iloc[0]):
                notes.append(f"{mine_row['council'].iloc[0]} ranks {_ordinal(mine_row['rank'].iloc[0])} "
                             f"{display.VIEW_TEXT[view]} ({mine_row['shown'].iloc[0]} cases), "
                             f"{_ordinal(o_row['rank'].iloc[0])} {display.VIEW_TEXT[o_view]} ({o_row['shown'].iloc[0]}).")
    sub = (f"Definition: {definition.title.lower()}; top {len(shown)} councils; "
           f"{_view_words(view, _corrections_words(corrected))}; {_returns_words(ranking)}"
           + ("; a hatched bar is a SIMULATED return" if simulated else ""))
    figures.finish(fig, ax, title=title, subtitle=sub, layers=_layers(ranking["layer"]), simulated=simulated,
                   view=view, note=" ".join(notes), rests_on=rests)
    return fig, pd.concat([shown, left_out], ignore_index=True)


def correction_ranges(table: pd.DataFrame):
    """National figures before the correction and as corrected (an `analysis.corrected_national`
    table): the sum of the returns before it as a point, the corrected figure as a range."""
    from unallocated import analysis

    parts = table[table["case_type"].isin(["lac", "cin"])]
    layer = table["layer"].iloc[0]
    fig, axes = figures.new_figure(3.6)
    fig.clf()
    axes = fig.subplots(1, 2)
    for ax, (_, row) in zip(axes, parts.iterrows()):
        # Points and a range, not bars: the axis does not start at zero, so bars would mislead.
        ax.plot([0], [row["published_count"]], "o", color=figures.PALETTE["published"], markersize=9)
        middle = (row["corrected_low"] + row["corrected_high"]) / 2
        ax.errorbar([1], [middle], yerr=[[middle - row["corrected_low"]], [row["corrected_high"] - middle]],
                    fmt="none", ecolor=figures.PALETTE["simulated" if _simulated(layer) else "real_return"],
                    elinewidth=8, capsize=0)
        ax.set_xticks([0, 1], ["before the\ncorrection", "as corrected\n(range)"])
        ax.set_xlim(-0.6, 1.6)
        ax.set_title(f"{row['label']}\n{display.show_row(row, 'published_')} \u2192 {display.show_row(row, 'corrected_')}",
                     fontsize=10)
        span = max(row["published_count"] - row["corrected_low"], 1)  # a case type the correction left alone: still a window
        ax.set_ylim(row["corrected_low"] - span * 0.5, row["published_count"] + span * 0.3)
    total = table[table["case_type"] == "total"].iloc[0]
    definition = get_definition(total["definition"])
    exact_cut = total["corrected_low"] == total["corrected_high"]
    cut = (display.number(total["published_count"] - total["corrected_low"]) if exact_cut else
           f"{display.number(total['published_count'] - total['corrected_high'])} to "
           f"{display.number(total['published_count'] - total['corrected_low'])}")
    if not (total["published_low"] == total["published_high"]):  # both ranges: the best figures' difference
        cut = f"about {display.number(total['published_count'] - total['corrected_count'])}"
    who = _corrections_words(table)
    rests = _rests_on(table)
    title = (f"The correction ({who}) cuts the total that {HAD.get(definition.name, 'was counted')} by {cut}, "
             f"from {display.show_row(total, 'published_')} before it to {display.show_row(total, 'corrected_')} "
             f"as corrected ({rests})")
    figures.finish(fig, axes[0], title=title,
                   subtitle=(f"By case type the corrected figures are ranges: only {_whose_totals(table)} is known; "
                             f"{_returns_words(table)}" if _spans_case_types(table) else
                             f"The correction concerns one case type; the ranges are figures councils withheld or left "
                             f"out, counted between their bounds; {_returns_words(table)}"),
                   layers=["published", *_layers(layer)], simulated=_simulated(layer), view="as_corrected",
                   rests_on=rests)
    return fig, analysis.long_views(table)


TABLES = paths.OUTPUTS / "tables"


def save_table(name: str, table: pd.DataFrame, out_dir: Path | None = None) -> Path:
    """Write a table the notebooks show as CSV (atomically; same bytes for the same table), by
    default under `tables/` of the round the notebook works on (as `save`)."""
    path = Path(out_dir or paths.current_outputs() / "tables") / f"{name}.csv"
    figures._atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"))
    return path


def timeline_lines(table: pd.DataFrame, council: str):
    """Cases with no one allocated over time for one council (an `analysis.timeline_table`).

    A published figure is a black point; a bound ("more than 1,000") is drawn as a bound, an
    arrow up from it, never as a point; a simulated snapshot is a hollow orange marker on a
    dashed line, so an invented fall never reads like a printed one."""
    rows = table[(table["council"] == council) & (table["case_type"] == "cin")].copy()
    rows["date"] = pd.to_datetime(rows["snapshot_date"])
    rows = rows.sort_values("date")
    fig, ax = figures.new_figure(4.6)
    # Room above the highest point for the legend, so it never hides a point or a bound.
    top = max(1.0, float(pd.concat([rows["no_professional"], rows["no_qualified_social_worker"]]).astype(float).max()) * 2.2)
    published_rows = rows["no_professional_printed"] | rows["no_qualified_social_worker_printed"]
    for definition, dash, marker in (("no_professional", "--", "o"), ("no_qualified_social_worker", ":", "s")):
        values = rows[definition].astype(float)
        printed_here = rows[f"{definition}_printed"].astype(bool)
        ax.plot(rows["date"], values, dash, color=figures.PALETTE["simulated"], linewidth=1.2,
                label=f"{get_definition(definition).title} (line and hollow markers: SIMULATED)")
        sim = ~printed_here & values.notna()
        ax.scatter(rows.loc[sim, "date"], values[sim], marker=marker, s=30, facecolors="white",
                   edgecolors=figures.PALETTE["simulated"], linewidths=1.4, zorder=4)
        for (_, row), value in zip(rows[printed_here].iterrows(), values[printed_here]):
            if pd.isna(value):
                continue
            qualifier = row[f"{definition}_qualifier"]
            if qualifier == "at_least":
                # "more than 1,000": a bound, drawn from the bound upwards
                low = float(row[f"{definition}_low"]) if pd.notna(row[f"{definition}_low"]) else value
                ax.annotate("", xy=(row["date"], low + 0.22 * top), xytext=(row["date"], low),
                            arrowprops={"arrowstyle": "-|>", "color": figures.PALETTE["published"], "lw": 2})
                ax.plot([row["date"]], [low], "_", color=figures.PALETTE["published"], markersize=16, mew=2.5, zorder=5)
                from unallocated.model import published as register

                printed_row = register.on_date(council, "cin", str(row["snapshot_date"])[:10], definition)
                said = register.words(printed_row, with_denominator=False) if printed_row else display.show(
                    row[definition], qualifier)
                ax.annotate(f"{said} (published)", (row["date"], low + 0.22 * top),
                            xytext=(6, -4), textcoords="offset points", fontsize=8, va="top")
            else:
                ax.plot([row["date"]], [value], marker, color=figures.PALETTE["published"], markersize=8, zorder=5)
    ax.plot([], [], "o", color=figures.PALETTE["published"], label="a published figure (an arrow: a bound, 'more than')")
    ax.set_ylabel("children-in-need cases")
    ax.legend(loc="upper right", fontsize=7.5)
    ax.set_ylim(bottom=0, top=top)
    if rows["date"].nunique() == 1:  # one snapshot: a window around it, not years either side
        ax.set_xlim(rows["date"].min() - pd.Timedelta(days=45), rows["date"].max() + pd.Timedelta(days=45))
    fig.autofmt_xdate()
    layers = sorted({part for value in rows["layer"] for part in value.split("+")})
    # The title states what was published; the line between published dates is simulated.
    published = rows[published_rows]
    point = published.iloc[0]
    measure = "no_professional" if point["no_professional_printed"] else "no_qualified_social_worker"
    more = "more than " if point[f"{measure}_qualifier"] == "at_least" else ""
    shown = int(point[measure]) - (1 if more else 0)  # "more than 1,000" is stored as 1,001
    who = HAD[measure]
    view = rows["view"].iloc[0] if "view" in rows.columns else "as_published"
    sim_dates = int((~published_rows).sum())
    other = "no_qualified_social_worker" if measure == "no_professional" else "no_professional"
    if sim_dates:
        rest = f"the other {sim_dates} snapshot{'s are' if sim_dates != 1 else ' is'} simulated"
    else:
        rest = f"the figure beside it, {get_definition(other).title.lower()}, is simulated"
    figures.finish(fig, ax,
                   title=(f"{council}: {more}{shown:,} children-in-need cases {who} on {point['date'].day} "
                          f"{point['date']:%B %Y} (published); {rest}"),
                   subtitle=("Black: the published figure (an arrow where it is a bound); hollow markers on a "
                             "dashed line: SIMULATED snapshots. The same before the correction as corrected: no "
                             "correction in the register concerns these dates"),
                   layers=layers, simulated="simulated" in layers, view=view,
                   rests_on=f"1 council's snapshots: {len(published)} published, {sim_dates} simulated")
    return fig, rows.drop(columns="date")
