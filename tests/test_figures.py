"""The house style: layers named, simulated data marked, identical bytes on every run."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from unallocated.analysis import figures


def draw(out_dir, simulated=True):
    data = pd.DataFrame({"case_type": ["cp", "lac", "cin"], "count": [79, 448, 7811], "layer": "simulated"})
    fig, ax = figures.new_figure()
    ax.barh(data["case_type"], data["count"])
    figures.finish(fig, ax, title="A finding", subtitle="Definition: no professional allocated",
                   layers=["simulated", "published"], simulated=simulated, view="as_corrected",
                   rests_on="returns of 3 councils, all simulated")
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in ax.texts]
    return figures.save(fig, data, "chart", out_dir), texts, data


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_saves_png_svg_and_the_numbers_drawn(tmp_path):
    written, _, data = draw(tmp_path)
    assert sorted(written) == ["csv", "json", "png", "svg"]
    words = json.loads(written["json"].read_text())
    # What the chart says, in the words an editor reads: never the tables' internal names.
    assert words["title"] == "A finding" and words["simulated"]
    assert words["layers"] == ["simulated returns", "published figures"]
    assert words["view"] == "as corrected" and words["rests_on"] == "returns of 3 councils, all simulated"
    assert written["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in written["svg"].read_bytes()[:500]
    pd.testing.assert_frame_equal(pd.read_csv(written["csv"]), data)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_same_bytes_on_every_run(tmp_path):
    first, _, _ = draw(tmp_path / "a")
    second, _, _ = draw(tmp_path / "b")
    for ext in ("png", "svg", "csv", "json"):
        assert digest(first[ext]) == digest(second[ext]), ext


def test_source_line_names_every_layer_and_simulated_is_marked_on_the_chart(tmp_path):
    _, texts, _ = draw(tmp_path)
    source = next(t for t in texts if t.startswith("Source:"))
    assert "SIMULATED FOI returns" in source and "Published figures" in source
    assert "SIMULATED DATA" in texts
    _, texts, _ = draw(tmp_path / "real", simulated=False)
    assert "SIMULATED DATA" not in texts


def test_a_chart_must_name_its_layers():
    with pytest.raises(ValueError, match="names its layers"):
        figures.source_line([])
    with pytest.raises(ValueError, match="made_up"):
        figures.source_line(["made_up"])
