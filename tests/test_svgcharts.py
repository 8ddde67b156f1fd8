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
