"""The council reports' SVG charts: the house style of `unallocated.analysis.figures`, well-formed SVG
whose title is the chart's title, simulated counts badged, gaps left as gaps, and each chart saved
with the CSV of what it draws (layer and view columns), the same bytes on every run."""
from __future__ import annotations

import base64
import re
import stat
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from unallocated.analysis import figures, svgcharts

SVG = "{http://www.w3.org/2000/svg}"


def _series(values: dict[tuple[str, int], float | None]) -> pd.DataFrame:
    rows = []
    for (geography, year), value in values.items():
        rows.append({"measure": "cin_rate", "label": "Children in need", "unit": "per 10,000 children",
                     "year": year, "geography": geography,
                     "name": {"council": "Testshire", "region": "North East", "England": "England"}[geography],
                     "value": value, "why": "" if value is not None else "withheld by DfE",
                     "layer": "official", "view": "as_published"})
    return pd.DataFrame(rows)


def _totals(layer: str = "simulated") -> pd.DataFrame:
    return pd.DataFrame({
        "definition": ["no_professional", "no_qualified_social_worker"],
        "definition_title": ["No professional allocated", "No qualified social worker"],
        "shown": ["0 to 9", "165"], "count": [9, 165], "qualifier": ["at_most", "exact"],
        "low": [0.0, 165.0], "high": [9.0, 165.0], "layer": [layer, layer], "view": ["as_corrected"] * 2})


def test_house_style_agrees_with_figures():
    assert svgcharts.PALETTE == figures.PALETTE
    assert svgcharts.LAYER_SOURCES == figures.LAYER_SOURCES


def test_official_lines_is_svg_titled_with_a_gap_for_a_missing_year():
    values = {(g, y): 100.0 + y - 2010 for g in ("council", "region", "England") for y in range(2010, 2016)}
    values[("council", 2012)] = None
    svg = svgcharts.official_lines(_series(values), title="Testshire: a title & more", subtitle="sub")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Testshire: a title & more"
    council_lines = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == svgcharts.PALETTE["official"]]
    # 2010-2011 and 2013-2015: two lines, none across the missing 2012
    assert sorted(len(p.get("points").split()) for p in council_lines) == [2, 3]
    assert "SIMULATED" not in svg
    assert svgcharts.LAYER_SOURCES["official"] in svg


def test_official_lines_says_why_a_council_has_no_figure():
    values = {(g, y): (None if g == "council" else 50.0) for g in ("council", "region", "England") for y in (2010, 2011)}
    svg = svgcharts.official_lines(_series(values), title="t", subtitle="s")
    assert "No figure for Testshire: withheld by DfE" in svg


def test_definition_bars_badge_simulated_and_show_the_range():
    svg = svgcharts.definition_bars(_totals(), "no_professional", title="Barnsley: 9", subtitle="s",
                                    layers=["simulated"])
    ET.fromstring(svg)
    assert "SIMULATED DATA" in svg and 'url(#hatch)' in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "0 to 9" in texts and "165" in texts
    assert "No professional allocated (chosen)" in texts
    real = svgcharts.definition_bars(_totals("real_return"), "no_professional", title="t", subtitle="s",
                                     layers=["real_return"])
    assert "SIMULATED" not in real


def test_axis_labels_are_written_by_display():
    values = {(g, y): 37.5 for g in ("council", "region", "England") for y in (2010, 2011)}
    texts = [t.text for t in ET.fromstring(svgcharts.official_lines(_series(values), title="t", subtitle="s")).iter(f"{SVG}text")]
    assert "12.5" in texts and "50" in texts  # ticks of a 0-50 axis, as display.number writes them


def test_save_needs_layer_and_view_and_writes_the_same_bytes_readable_by_others(tmp_path):
    svg = svgcharts.definition_bars(_totals(), "no_professional", title="t", subtitle="s", layers=["simulated"])
    with pytest.raises(ValueError, match="layer and view"):
        svgcharts.save("x", svg, _totals().drop(columns=["view"]), tmp_path)
    first = svgcharts.save("x", svg, _totals(), tmp_path)
    before = {k: p.read_bytes() for k, p in first.items()}
    again = svgcharts.save("x", svgcharts.definition_bars(_totals(), "no_professional", title="t", subtitle="s",
                                                          layers=["simulated"]), _totals(), tmp_path)
    assert {k: p.read_bytes() for k, p in again.items()} == before
    for p in first.values():
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
    assert list(pd.read_csv(first["csv"]).columns)[-2:] == ["layer", "view"]


def test_img_tag_alt_is_the_title_and_embeds_the_svg():
    svg = svgcharts.definition_bars(_totals(), "no_professional", title='Say "9"', subtitle="s", layers=["simulated"])
    tag = svgcharts.img_tag(svg, 'Say "9"')
    assert 'alt="Say &quot;9&quot;"' in tag
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', tag).group(1)
    assert base64.b64decode(data).decode("utf-8") == svg


def _title_lines(svg: str) -> list[tuple[float, str]]:
    """(x, text) of each line of a chart's title: the bold 16 px text at its top."""
    return [(float(t.get("x")), t.text) for t in ET.fromstring(svg).iter(f"{SVG}text")
            if t.get("font-size") == "16" and t.get("font-weight") == "bold"]


#: Titles as the reports write them, the longest kinds (a long name, ranges, capitals).
TITLES = [
    "Barnsley, a SIMULATED return: 9 cases had no professional allocated as corrected; 165 had no qualified social worker",
    "Kingston upon Hull, City of, a SIMULATED return: 1,234 cases had no professional allocated as corrected; "
    "about 11,758 (11,704 to 19,813) had no qualified social worker",
    "BOURNEMOUTH, CHRISTCHURCH AND POOLE, A SIMULATED RETURN: WWWW MMMM WWWW MMMM WWWW MMMM WWWW MMMM WWWW",
    "Windsor and Maidenhead, a SIMULATED return: not supplied (0 to 1,258) cases had no professional allocated",
]


@pytest.mark.parametrize("title", TITLES)
def test_the_simulated_badge_never_covers_a_word_of_the_title(title):
    # Issue 21: on every council chart with a return the badge covered words of the title.
    # Each line is measured with the font the chart names first (DejaVu Sans Bold, which
    # matplotlib ships), not estimated.
    import os

    import matplotlib
    from PIL import ImageFont

    font = ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans-Bold.ttf"), 16)
    for simulated in (True, False):
        svg = svgcharts.definition_bars(_totals("simulated" if simulated else "real_return"), "no_professional",
                                        title=title, subtitle="s", layers=["simulated" if simulated else "real_return"])
        lines = _title_lines(svg)
        assert " ".join(text for _, text in lines) == " ".join(title.split())
        badge = [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.get("stroke") == svgcharts.PALETTE["simulated"]]
        assert bool(badge) == simulated
        right_edge = float(badge[0].get("x")) - 4 if simulated else svgcharts.WIDTH - 10
        for x, text in lines:
            assert x + font.getlength(text) <= right_edge, (simulated, text, x + font.getlength(text), right_edge)


def test_official_lines_marks_the_projects_own_rates_hollow():
    values = {("council", 2010): 229.3, ("council", 2011): 271.7, ("region", 2010): 338.5, ("region", 2011): 348.7,
              ("England", 2010): 341.0, ("England", 2011): 346.2}
    series = _series(values)
    # DfE published the council's and England's rates; the region's are the project's own
    series["published_by_dfe"] = series["geography"] != "region"
    root = ET.fromstring(svgcharts.official_lines(series, title="t", subtitle="s"))
    colour = svgcharts.GEOGRAPHY_STYLE["region"][0]
    region = [c for c in root.iter(f"{SVG}circle") if c.get("stroke") == colour]
    others = [c for c in root.iter(f"{SVG}circle") if c.get("stroke") != colour]
    assert region and {c.get("fill") for c in region} == {"white"}
    assert others and "white" not in {c.get("fill") for c in others}
