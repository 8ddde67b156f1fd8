"""One house style for every chart, and one way to save it.

Every figure states its finding in the title, the definition of "unallocated" in the subtitle,
and, in a source line, which layer each number comes from (official statistics, published
figures, simulated returns). Simulated values are marked on the chart itself. `save` writes the
PNG, the SVG and a CSV of exactly the numbers drawn, with byte-identical output on every run.
"""
from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; no display needed, and the same bytes everywhere
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

#: How each layer is named in a source line.
LAYER_SOURCES: dict[str, str] = {
    "official": "Official statistics: DfE children in need, looked-after children and workforce; ONS population",
    "published": "Published figures: Community Care coverage, 2010",
    "simulated": "SIMULATED FOI returns made by this project's seeded generator, not real council figures",
    "real_return": "Councils' FOI returns",
}

#: Newsroom column width: 6.5 in at 100 dpi is a 650-pixel-wide PNG.
COLUMN_WIDTH_IN = 6.5
DPI = 100
PALETTE = {"official": "#4c72b0", "published": "#222222", "simulated": "#dd8452", "real_return": "#55a868"}
SIMULATED_HATCH = "//"


def use_house_style() -> None:
    """Apply the house style (fonts, grid, deterministic SVG ids). Safe to call repeatedly."""
    sns.set_theme(context="notebook", style="whitegrid", font="DejaVu Sans")
    plt.rcParams.update({
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "figure.figsize": (COLUMN_WIDTH_IN, 4.2),
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "svg.hashsalt": "unallocated",  # fixed ids in SVG: same bytes on every run
        "svg.fonttype": "path",
    })


def source_line(layers: Iterable[str]) -> str:
    """The 'Source:' text naming every layer a chart draws on."""
    names = list(dict.fromkeys(layers))
    unknown = [n for n in names if n not in LAYER_SOURCES]
    if unknown or not names:
        raise ValueError(f"each chart names its layers, from {sorted(LAYER_SOURCES)}; got {names}")
    return "Source: " + ". ".join(LAYER_SOURCES[n] for n in names) + "."


def new_figure(height_in: float = 4.2):
    """A figure at column width with room above the axes for title and subtitle."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH_IN, height_in))
    return fig, ax


def finish(fig, ax, *, title: str, subtitle: str, layers: Iterable[str], simulated: bool,
           view: str | None = None, note: str = "", rests_on: str = "") -> None:
    """Title (the finding), subtitle (the definition and view), a note, source line, simulated mark.

    The title wraps at column width; the subtitle and the plot are placed below wherever the
    title ends, so a two-line title never runs into them. `note` (e.g. the councils left out of a
    ranking, and why) sits under the plot, above the source line. What the chart says is kept
    on the figure, and `save` writes it beside the CSV (``NAME.json``), so a test can read the
    title against the numbers: in words, as an editor reads them ("view": "as corrected",
    "layers": ["simulated returns", ...], "rests_on": "returns of 89 councils, all simulated"),
    never the tables' internal names.
    """
    layers = list(layers)
    height_px = fig.get_figheight() * fig.dpi
    heading = fig.text(0.02, 0.98, textwrap.fill(title, 58), ha="left", va="top", fontsize=13,
                       fontweight="bold")
    source_text = textwrap.fill(source_line(layers), 125)
    if note:
        source_text = textwrap.fill(note, 110) + "\n" + source_text
    source = fig.text(0.02, 0.01, source_text, ha="left", va="bottom", fontsize=7.5, color="#555555")
    renderer = fig.canvas.get_renderer()
    below_title = heading.get_window_extent(renderer).y0 / height_px - 0.015
    sub = fig.text(0.02, below_title, textwrap.fill(subtitle, 72 if simulated else 110), ha="left", va="top",
                   fontsize=9.5, color="#444444")
    if simulated:
        # On the chart itself, not only in the small print.
        fig.text(0.98, below_title, "SIMULATED DATA", ha="right", va="top",
                 fontsize=9, fontweight="bold", color=PALETTE["simulated"],
                 bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": PALETTE["simulated"]})
    top = sub.get_window_extent(renderer).y0 / height_px - 0.02
    bottom = source.get_window_extent(renderer).y1 / height_px + 0.01
    fig.tight_layout(rect=(0, bottom, 1, top))
    from unallocated import display

    fig._house_words = {"title": title, "subtitle": subtitle, "note": note,
                        "view": display.VIEW_TEXT.get(view, view) if view else None,
                        "layers": [display.LAYER_WORDS.get(x, x) for x in layers], "rests_on": rests_on,
                        "simulated": bool(simulated)}


def _atomic_write(path: Path, write) -> None:
    from unallocated.files import atomic_write

    atomic_write(path, write)  # readable by others (0644), never half-written


def save(fig, data: pd.DataFrame, name: str, out_dir: Path) -> dict[str, Path]:
    """Save `fig` as PNG and SVG, `data` (exactly the numbers drawn) as CSV and, for a chart made
    with `finish`, its title, subtitle, note, view and layers as JSON, atomically.

    Metadata that changes between runs (dates, software version) is left out, so a rerun on the
    same inputs gives the same bytes.
    """
    out_dir = Path(out_dir)
    written = {}
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = out_dir / f"{name}.{ext}"
        _atomic_write(path, lambda tmp, ext=ext, metadata=metadata: fig.savefig(tmp, format=ext, metadata=metadata))
        written[ext] = path
    csv_path = out_dir / f"{name}.csv"
    _atomic_write(csv_path, lambda tmp: data.to_csv(tmp, index=False, lineterminator="\n"))
    written["csv"] = csv_path
    words = getattr(fig, "_house_words", None)
    if words is not None:
        json_path = out_dir / f"{name}.json"
        text = json.dumps(words, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        _atomic_write(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        written["json"] = json_path
    plt.close(fig)
    return written
