"""Council reports' charts, drawn as SVG text in the house style, without matplotlib.

Why not `unallocated.analysis.figures`? A council report must run in under 3 s, and 152 of them in a cold
`make reproduce` under 60 s. Importing matplotlib and seaborn costs a fresh kernel 0.8 s, and
drawing and saving a four-panel figure 0.5 s more; these charts are simple lines and bars, and
as SVG text they take milliseconds and embed in the page as an image that stays sharp at any
size. They follow the house style of `unallocated.analysis.figures`: the title states the finding, the
subtitle what is measured, a source line names the layer of every number, simulated numbers are
hatched and badged "SIMULATED DATA" on the chart itself, and the same colours (a test holds
`PALETTE` and `LAYER_SOURCES` equal to those of `unallocated.analysis.figures`). Every chart is saved with
a CSV of exactly the numbers it draws, with `layer` and `view` columns; the output is the same
bytes on every run.
"""
from __future__ import annotations

import base64
import html
import math
import textwrap
from pathlib import Path

import pandas as pd

#: As in `unallocated.analysis.figures` (a test checks they agree).
PALETTE = {"official": "#4c72b0", "published": "#222222", "simulated": "#dd8452", "real_return": "#55a868"}
LAYER_SOURCES: dict[str, str] = {
    "official": "Official statistics: DfE children in need, looked-after children and workforce; ONS population",
    "published": "Published figures: Community Care coverage, 2010",
    "simulated": "SIMULATED FOI returns made by this project's seeded generator, not real council figures",
    "real_return": "Councils' FOI returns",
}
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
WIDTH = 760
#: How each geography is drawn in the official chart: colour, dash pattern, line width.
GEOGRAPHY_STYLE = {"council": (PALETTE["official"], "", 2.6), "region": ("#7f7f7f", "6 3", 1.8),
                   "England": ("#222222", "2 3", 1.6)}


def source_line(layers) -> str:
    names = list(dict.fromkeys(layers))
    return "Source: " + ". ".join(LAYER_SOURCES[n] for n in names) + "."


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _text(x, y, text, size=11, weight="normal", fill="#222222", anchor="start", extra="") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}"{extra}>{_esc(text)}</text>')


def _lines(x, y, text, width_chars, size, **kw) -> tuple[list[str], float]:
    out = []
    for line in textwrap.wrap(text, width_chars) or [""]:
        out.append(_text(x, y, line, size, **kw))
        y += size * 1.3
    return out, y


def _nice_max(value: float) -> float:
    if value <= 0 or math.isnan(value):
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _fmt(v: float) -> str:
    """An axis label: as `unallocated.display.number` writes every number."""
    from unallocated import display

    return display.number(v)


BADGE_X, BADGE_WIDTH = WIDTH - 138, 126
#: Advance widths of DejaVu Sans Bold (the charts' first font) for the printable ASCII
#: characters, in thousandths of the font size, so a title is wrapped where it would run into
#: the SIMULATED DATA badge rather than where a count of characters guesses (a test measures
#: every title line with the font itself). Any other character counts as wide as "W".
_BOLD_WIDTHS = [348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696,
                696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821,
                837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457,
                365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
                716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838]


def _bold_width(text: str, size: float) -> float:
    """How wide `text` is in DejaVu Sans Bold at `size` px, with 2% to spare (kerning, hinting)."""
    units = sum(_BOLD_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 1103 for c in text)
    return units * size / 1000 * 1.02


def _wrap_bold(text: str, width_px: float, size: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _bold_width(f"{lines[-1]} {word}", size) <= width_px:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _header(title: str, subtitle: str, simulated: bool) -> tuple[list[str], float]:
    # The title stops short of the badge when there is one, else of the right margin.
    room = (BADGE_X - 8 if simulated else WIDTH - 14) - 14
    parts, y = [], 26.0
    for line in _wrap_bold(title, room, 16):
        parts.append(_text(14, y, line, 16, "bold"))
        y += 16 * 1.3
    sub, y = _lines(14, y + 2, subtitle, 110, 11.5, fill="#444444")
    parts += sub
    if simulated:
        parts.append(f'<rect x="{BADGE_X}" y="8" width="{BADGE_WIDTH}" height="22" rx="4" fill="white" '
                     f'stroke="{PALETTE["simulated"]}"/>')
        parts.append(_text(BADGE_X + BADGE_WIDTH / 2, 24, "SIMULATED DATA", 11, "bold", PALETTE["simulated"], "middle"))
    return parts, y + 4


def _wrap_svg(parts: list[str], height: float, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" role="img">'
            f'<title>{_esc(title)}</title><rect width="100%" height="100%" fill="white"/>'
            + "".join(parts) + "</svg>\n")


def official_lines(series: pd.DataFrame, *, title: str, subtitle: str) -> str:
    """Small multiples, one panel per measure: the council, its region and England by year.

    `series`: a `profile.official_series` table. Missing values leave a gap; a panel whose
    council has no value at all says why in the panel.
    """
    measures = list(dict.fromkeys(series["measure"]))
    years = sorted(series["year"].unique())
    head, top = _header(title, subtitle, simulated=False)
    parts = head
    # Legend
    x = 14
    names = series.drop_duplicates("geography").set_index("geography")["name"]
    for geography, (colour, dash, width) in GEOGRAPHY_STYLE.items():
        parts.append(f'<line x1="{x}" y1="{top + 6}" x2="{x + 28}" y2="{top + 6}" stroke="{colour}" '
                     f'stroke-width="{width}" stroke-dasharray="{dash}"/>')
        label = names.get(geography, geography) + (" (region)" if geography == "region" else "")
        parts.append(_text(x + 34, top + 10, label, 11))
        x += 44 + 6.6 * len(label)
    top += 22
    cols, panel_w, panel_h, gap = 2, 350, 170, 30
    for i, measure in enumerate(measures):
        rows = series[series["measure"] == measure]
        px = 14 + (i % cols) * (panel_w + gap) + 36
        py = top + (i // cols) * (panel_h + 62) + 34
        w, h = panel_w - 40, panel_h - 30
        label, unit = rows["label"].iloc[0], rows["unit"].iloc[0]
        parts.append(_text(px - 36, py - 18, label, 12.5, "bold"))
        parts.append(_text(px - 36, py - 5, unit, 10, fill="#555555"))
        values = pd.to_numeric(rows["value"], errors="coerce")
        top_value = _nice_max(float(values.max()) * 1.05) if values.notna().any() else 1.0
        for k in range(5):
            v = top_value * k / 4
            y = py + h - h * k / 4
            parts.append(f'<line x1="{px}" y1="{y:.1f}" x2="{px + w}" y2="{y:.1f}" stroke="#e5e5e5"/>')
            parts.append(_text(px - 5, y + 3.5, _fmt(v), 9.5, fill="#555555", anchor="end"))

        def xpos(year):
            return px + w * (year - years[0]) / max(1, years[-1] - years[0])

        for year in years:
            if year % 5 == 0:
                parts.append(_text(xpos(year), py + h + 14, str(year), 9.5, fill="#555555", anchor="middle"))
        for geography, (colour, dash, width) in reversed(list(GEOGRAPHY_STYLE.items())):
            geo = rows[rows["geography"] == geography].sort_values("year")
            segment: list[str] = []
            paths: list[list[str]] = []
            points: list[str] = []
            by_dfe = geo["published_by_dfe"] if "published_by_dfe" in geo.columns else [True] * len(geo)
            for year, value, dfe in zip(geo["year"], geo["value"], by_dfe):
                if value is None or pd.isna(value):
                    if segment:
                        paths.append(segment)
                    segment = []
                    continue
                y = py + h - h * float(value) / top_value
                segment.append(f"{xpos(year):.1f},{y:.1f}")
                # A hollow point is the project's own rate: DfE published none that year.
                fill = colour if bool(dfe) else "white"
                points.append(f'<circle cx="{xpos(year):.1f}" cy="{y:.1f}" r="{2.2 if geography != "council" else 2.8}" '
                              f'fill="{fill}" stroke="{colour}" stroke-width="1.2"/>')
            if segment:
                paths.append(segment)
            for seg in paths:
                if len(seg) > 1:
                    parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                                 f'stroke-width="{width}" stroke-dasharray="{dash}"/>')
            parts += points
        mine = rows[rows["geography"] == "council"]
        if mine["value"].isna().all():
            why = mine["why"].iloc[-1] if len(mine) else "no figure"
            note, _ = _lines(px + 8, py + 20, f"No figure for {mine['name'].iloc[0]}: {why}", 52, 10, fill="#a33")
            parts += note
    bottom = top + ((len(measures) + cols - 1) // cols) * (panel_h + 62) + 4
    src, bottom = _lines(14, bottom, source_line(["official"]), 130, 9.5, fill="#555555")
    parts += src
    return _wrap_svg(parts, bottom + 4, title)


def definition_bars(table: pd.DataFrame, chosen: str, *, title: str, subtitle: str, layers: list[str]) -> str:
    """One council's cases in total under each definition: a bar to the least the count can be,
    a paler bar on to the most (a range), the value as a reader sees it; the chosen definition
    first and marked. `table`: total rows of `profile.cases_by_definition` for one council and
    view. Simulated counts are hatched and the chart badged."""
    simulated = any("simulated" in layer for layer in layers)
    head, top = _header(title, subtitle, simulated)
    parts = head
    colour = PALETTE["simulated" if simulated else "real_return"]
    parts.append(f'<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
                 f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
                 f'<line x1="0" y1="0" x2="0" y2="6" stroke="white" stroke-width="2"/></pattern></defs>')
    fill = "url(#hatch)" if simulated else colour
    # The bars leave room on the right for the longest value written beside them
    # ("about 11,758 (11,704 to 19,813)"), at about 7 px a character.
    longest = max([len(str(x)) for x in table["shown"]] + [4])
    bar_x = 320
    bar_w = min(340, WIDTH - bar_x - 20 - 7 * longest)
    highs = [float(h) if not pd.isna(h) else float(lo) for lo, h in zip(table["low"], table["high"])]
    scale = _nice_max(max([*highs, 1.0]))
    y = top + 10
    for (_, row), high in zip(table.iterrows(), highs):
        is_chosen = row["definition"] == chosen
        name = row["definition_title"] + (" (chosen)" if is_chosen else "")
        parts.append(_text(bar_x - 10, y + 15, name, 11.5, "bold" if is_chosen else "normal", anchor="end"))
        low = 0.0 if pd.isna(row["low"]) else float(row["low"])
        w_low, w_high = bar_w * low / scale, bar_w * high / scale
        if w_high > w_low:
            parts.append(f'<rect x="{bar_x + w_low:.1f}" y="{y + 3}" width="{w_high - w_low:.1f}" height="18" '
                         f'fill="{colour}" fill-opacity="0.3"/>')
        parts.append(f'<rect x="{bar_x}" y="{y + 3}" width="{w_low:.1f}" height="18" fill="{fill}"/>')
        parts.append(_text(bar_x + max(w_low, w_high) + 6, y + 16, row["shown"], 11.5, "bold" if is_chosen else "normal"))
        y += 30
    parts.append(f'<line x1="{bar_x}" y1="{top + 8}" x2="{bar_x}" y2="{y}" stroke="#999999"/>')
    src, bottom = _lines(14, y + 18, source_line(layers), 130, 9.5, fill="#555555")
    parts += src
    return _wrap_svg(parts, bottom + 4, title)


def save(name: str, svg: str, data: pd.DataFrame, out_dir: Path) -> dict[str, Path]:
    """Write the SVG and the CSV of what it draws (which must carry `layer` and `view`)."""
    missing = [c for c in ("layer", "view") if c not in data.columns]
    if missing:
        raise ValueError(f"a chart's CSV carries layer and view columns; {name} lacks {missing}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {"svg": out_dir / f"{name}.svg", "csv": out_dir / f"{name}.csv"}
    for key, text in (("svg", svg), ("csv", data.to_csv(index=False, lineterminator="\n"))):
        tmp = written[key].with_name(f".{written[key].name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o644)
        tmp.replace(written[key])
    return written


def img_tag(svg: str, alt: str) -> str:
    """The chart as an <img> with its title as alt text, embedded so the page stands alone."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    width = svg.split('width="', 1)[1].split('"', 1)[0]
    return (f'<img src="data:image/svg+xml;base64,{data}" alt="{_esc(alt)}" width="{width}" '
            f'style="max-width:100%;height:auto">')
