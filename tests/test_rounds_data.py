"""Rounds as data: a round is a row of `data/raw/returns/rounds.csv` and a folder; the 2010 round
reads exactly as `returns_2010` did, and the councils asked follow the boundary changes."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import unallocated
from unallocated import paths
from unallocated.rounds import dataset
from unallocated.rounds import round as rounds
from unallocated.run import parameters
from unallocated.sources import councils


def test_round_2010_is_returns_2010_in_both_views():
    for corrected in (True, False):
        a, b = unallocated.round("2010", corrected=corrected), unallocated.returns_2010(corrected=corrected)
        pd.testing.assert_frame_equal(a, b)
    as_read = dataset.ingest(dataset.ROUND_2010).returns
    pd.testing.assert_frame_equal(dataset.round("2010").reset_index(drop=True), as_read.reset_index(drop=True))
    assert dataset.round("2010")["council_code"].nunique() == 89


def test_an_unknown_round_is_refused_naming_the_known_ones():
    with pytest.raises(rounds.RoundError, match=r"unknown round '2011'.*known: 2010"):
        unallocated.round("2011")
    with pytest.raises(parameters.ParameterError, match=r"parameter 'round': unknown round '2011'"):
        parameters.check({"round": "2011"}, {"round": parameters.Parameter("round", "str", "2010")})


def test_the_2010_round_keeps_its_register_and_wording_beside_its_folder():
    r = rounds.get("2010")
    assert r.corrections_path == paths.DATA / "corrections.csv"
    assert "was not published" in r.request_path.read_text()
    assert list(dataset.register("2010")["correction_id"]) == ["barnsley-2010-12-06"]
    assert r.outputs == paths.OUTPUTS and r.simulated
    assert "SIMULATED" in r.label


def test_a_later_round_has_its_own_outputs_folder():
    assert paths.round_outputs("2010") == paths.OUTPUTS
    assert paths.round_outputs("2025-simulated") == paths.OUTPUTS / "rounds" / "2025-simulated"


@pytest.mark.parametrize("day, present, absent, n", [
    (dt.date(2010, 11, 16), {"835", "836", "837", "928", "909"}, {"838", "839", "940", "941", "942", "943"}, 152),
    (dt.date(2019, 3, 31), {"835", "836", "837"}, {"838", "839"}, 152),
    (dt.date(2019, 4, 1), {"838", "839", "928"}, {"835", "836", "837"}, 151),
    (dt.date(2021, 4, 1), {"940", "941", "909"}, {"928"}, 152),
    (dt.date(2025, 3, 31), {"838", "839", "940", "941", "942", "943"}, {"835", "836", "837", "928", "909"}, 153),
])
def test_councils_asked_on_a_date_follow_the_boundary_changes(day, present, absent, n):
    codes = {c.old_la_code for c in councils.councils_on(day)}
    assert present <= codes and not (absent & codes)
    assert len(codes) == n


def test_a_rounds_register_must_date_its_corrections(tmp_path, monkeypatch):
    from unallocated.model import corrections

    folder = tmp_path / "2025-x"
    folder.mkdir()
    header = ",".join(corrections.REGISTER_COLUMNS)
    (folder / "corrections.csv").write_text(
        header + "\nleeds-x,Leeds,383,,cin,unallocated,cin=10,10,4,allocated_other,other,2025-12-01,r.pdf,why\n")
    monkeypatch.setattr(paths, "RAW_RETURNS", tmp_path)
    with pytest.raises(corrections.CorrectionError, match="must give snapshot_date.*leeds-x"):
        corrections.load_every_register()
