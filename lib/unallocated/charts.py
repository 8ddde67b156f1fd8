"""The investigation's charts, in the house style (`unallocated.figures`).

Each function takes a table from `unallocated.analysis`, draws it, and returns the figure and
exactly the numbers drawn; `save(name, fig, data)` writes PNG, SVG and CSV under
`outputs/figures/`. Titles state the finding in words computed from the data, never typed in.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from unallocated import figures, paths
from unallocated.categories import get_definition

FIGURES = paths.OUTPUTS / "figures"


def _layers(layer: str) -> list[str]:
    """'simulated counts; official denominators' -> ['simulated', 'official']."""
    found = [name for name in ("simulated", "real_return", "published", "official") if name in layer]
    return found or ["simulated"]


def _simulated(layer: str) -> bool:
    return "simulated" in layer


def save(name: str, fig, data: pd.DataFrame, out_dir: Path = FIGURES) -> None:
    """Save the figure and its numbers; in a notebook, show the saved PNG and where it went."""
    written = figures.save(fig, data, name, out_dir)
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython ships with the environment
        return
    if get_ipython() is not None:
        display(Image(data=written["png"].read_bytes(), format="png"))
        where = written["png"].with_suffix("")
        shown = where.relative_to(paths.ROOT) if where.is_relative_to(paths.ROOT) else where
        print(f"saved {shown}.png, .svg and .csv (the numbers drawn)")


def _layer_bars(ax, labels, values, layer: str, texts: list[str], *, fontsize: float, margin: float) -> None:
    """Horizontal bars, top to bottom, labelled with their values; simulated ones hatched."""
    simulated = _simulated(layer)
    bars = ax.barh(labels, values, color=figures.PALETTE["simulated" if simulated else "real_return"],
                   hatch=figures.SIMULATED_HATCH if simulated else None, edgecolor="white")
    ax.bar_label(bars, labels=texts, padding=3, fontsize=fontsize)
    ax.invert_yaxis()
    ax.margins(x=margin)


def headline_bars(table: pd.DataFrame):
    """Cases by case type under one definition (a `analysis.headline` table)."""
    parts = table[table["case_type"] != "total"]
    total = table.loc[table["case_type"] == "total"].iloc[0]
    definition = get_definition(total["definition"])
    layer = total["layer"]
    fig, ax = figures.new_figure(3.6)
    _layer_bars(ax, parts["label"], parts["count"].astype(float), layer,
                [f"{int(v):,}" for v in parts["count"]], fontsize=9, margin=0.12)
    ax.set_xlabel("children")
    biggest = parts.sort_values("count", ascending=False).iloc[0]
    figures.finish(fig, ax,
                   title=f"{int(total['count']):,} children: {biggest['label'].lower()} cases are "
                         f"{100 * biggest['count'] / total['count']:.0f}% of them",
                   subtitle=f"Definition: {definition.title.lower()} ({int(total['councils'])} councils' returns)",
                   layers=_layers(layer), simulated=_simulated(layer))
    return fig, parts[["case_type", "label", "count", "qualifier", "definition", "layer"]]


def definitions_bars(table: pd.DataFrame):
    """The national total under every definition (an `analysis.under_every_definition` table)."""
    totals = table[table["case_type"] == "total"].copy()
    totals["title"] = totals["definition"].map(lambda d: get_definition(d).title)
    layer = totals["layer"].iloc[0]
    fig, ax = figures.new_figure(3.8)
    _layer_bars(ax, totals["title"], totals["count"].astype(float), layer,
                [f"{int(v):,}" for v in totals["count"]], fontsize=9, margin=0.14)
    ax.set_xlabel("children")
    low, high = totals["count"].min(), totals["count"].max()
    figures.finish(fig, ax, title=f"Depending on the reading, {int(low):,} to {int(high):,} children had no worker",
                   subtitle="Definitions from narrowest (top) to widest; all case types",
                   layers=_layers(layer), simulated=_simulated(layer))
    return fig, totals[["definition", "title", "count", "qualifier", "layer"]]


def walk_bars(walk: pd.DataFrame):
    """From 'no qualified social worker' to the councils' reading (an `analysis.walk` table)."""
    layer = walk["layer"].iloc[0]
    fig, ax = figures.new_figure(4.0)
    labels = [s if not d else f"{s}\n= {get_definition(d).title.lower()}" for s, d in
              zip(walk["step"], walk["definition_reached"])]
    _layer_bars(ax, labels, walk["remaining"].astype(float), layer,
                [f"{int(v):,}" for v in walk["remaining"]], fontsize=8.5, margin=0.14)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("children still counted as unallocated")
    first, last = walk["remaining"].iloc[0], walk["remaining"].iloc[-1]
    figures.finish(fig, ax, title=f"The councils' reading keeps {100 * last / first:.0f}% of the widest count",
                   subtitle="Each bar removes one group of cases councils said should not count",
                   layers=_layers(layer), simulated=_simulated(layer))
    return fig, walk


def ranking_bars(ranking: pd.DataFrame, top: int = 15):
    """The councils with most cases per 100 open cases (an `analysis.ranking` table)."""
    shown = ranking.dropna(subset=["per_100_dfe"]).head(top)
    layer = shown["layer"].iloc[0]
    definition = get_definition(shown["definition"].iloc[0])
    fig, ax = figures.new_figure(4.8)
    _layer_bars(ax, shown["council"], shown["per_100_dfe"], layer,
                [f"{v:.1f}" for v in shown["per_100_dfe"]], fontsize=8.5, margin=0.12)
    ax.tick_params(axis="y", labelsize=8.5)
    ax.set_xlabel("cases per 100 children in need at 31 March 2010 (DfE)")
    lead = shown.iloc[0]
    figures.finish(fig, ax, title=f"{lead['council']} had most cases without a worker for its caseload",
                   subtitle=f"Definition: {definition.title.lower()}; top {len(shown)} councils",
                   layers=_layers(layer), simulated=_simulated(layer))
    return fig, shown


def correction_ranges(table: pd.DataFrame):
    """National figures as published and corrected (an `analysis.corrected_national` table)."""
    parts = table[table["case_type"].isin(["lac", "cin"])]
    layer = table["layer"].iloc[0]
    fig, axes = figures.new_figure(3.4)
    fig.clf()
    axes = fig.subplots(1, 2)
    for ax, (_, row) in zip(axes, parts.iterrows()):
        # Points and a range, not bars: the axis does not start at zero, so bars would mislead.
        ax.plot([0], [row["published_count"]], "o", color=figures.PALETTE["published"], markersize=9)
        middle = (row["corrected_low"] + row["corrected_high"]) / 2
        ax.errorbar([1], [middle], yerr=[[middle - row["corrected_low"]], [row["corrected_high"] - middle]],
                    fmt="none", ecolor=figures.PALETTE["simulated"], elinewidth=8, capsize=0)
        ax.set_xticks([0, 1], ["as published", "corrected\n(range)"])
        ax.set_xlim(-0.6, 1.6)
        ax.set_title(f"{row['label']}\n{int(row['published_count']):,} \u2192 {row['corrected_range']}", fontsize=10)
        span = row["published_count"] - row["corrected_low"]
        ax.set_ylim(row["corrected_low"] - span * 0.5, row["published_count"] + span * 0.3)
    total = table[table["case_type"] == "total"].iloc[0]
    figures.finish(fig, axes[0],
                   title=f"The Barnsley correction cuts the total by {int(total['published_count'] - total['corrected_low'])}",
                   subtitle="Corrected figures by case type are ranges: only the total of 9 is known",
                   layers=["published", *_layers(layer)], simulated=_simulated(layer))
    return fig, table


TABLES = paths.OUTPUTS / "tables"


def save_table(name: str, table: pd.DataFrame, out_dir: Path = TABLES) -> Path:
    """Write a table the notebooks show as CSV (atomically; same bytes for the same table)."""
    path = Path(out_dir) / f"{name}.csv"
    figures._atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"))
    return path


def timeline_lines(table: pd.DataFrame, council: str):
    """Cases with no one allocated over time for one council (an `analysis.timeline_table`)."""
    rows = table[(table["council"] == council) & (table["case_type"] == "cin")].copy()
    rows["date"] = pd.to_datetime(rows["snapshot_date"])
    fig, ax = figures.new_figure(3.8)
    for definition, style in (("no_professional", "-o"), ("no_qualified_social_worker", "--s")):
        ax.plot(rows["date"], rows[definition].astype(float), style, color=figures.PALETTE["simulated"],
                label=get_definition(definition).title, markersize=5)
    published = rows[rows["layer"].str.contains("published")]
    ax.scatter(published["date"], published["no_qualified_social_worker"].astype(float), s=120, facecolors="none",
               edgecolors=figures.PALETTE["published"], linewidths=2, zorder=5, label="date of a published figure")
    ax.set_ylabel("children-in-need cases")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    layers = sorted({part for value in rows["layer"] for part in value.split("+")})
    # The title states what was published; the line between published dates is simulated.
    point = published.iloc[0]
    measure = "no_professional" if point["no_professional_qualifier"] == "at_least" else "no_qualified_social_worker"
    more = "more than " if point[f"{measure}_qualifier"] == "at_least" else ""
    shown = int(point[measure]) - (1 if more else 0)  # "more than 1,000" is stored as 1,001
    who = "with no one allocated" if measure == "no_professional" else "without a qualified social worker"
    figures.finish(fig, ax,
                   title=f"{council}: {more}{shown:,} children-in-need cases {who} on {point['date']:%d %B %Y}",
                   subtitle="Circled: dates with a published figure; the rest of the line is simulated",
                   layers=layers, simulated="simulated" in layers)
    return fig, rows.drop(columns="date")
