"""`make bench`: medians of the runs, the cold-over-floor ratio, written to outputs/bench.json."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

from unallocated import paths
from unallocated.run import bench


def test_bench_reports_medians_and_the_ratio_to_the_floor(monkeypatch, tmp_path, capsys):
    # Fake clocks: what each timed command "took", run after run.
    took = {"reproduce --force": [20.0, 30.0, 22.0], "reproduce": [1.0, 0.5, 0.7], "profile": [2.0, 2.9, 2.1],
            "ingest": [3.0, 3.0, 4.0]}
    calls = []

    def fake_cli(*args, env=None, ok=(0,)):
        key = " ".join(a for a in args[:2] if a.startswith(("reproduce", "profile", "ingest", "--force")))
        calls.append(args)
        return took[key].pop(0)

    floors = [10.0, 12.0, 11.0]
    monkeypatch.setattr(bench, "_timed_cli", fake_cli)
    monkeypatch.setattr(bench, "floor_once", lambda out: floors.pop(0))
    monkeypatch.setattr(paths, "OUTPUTS", tmp_path)
    assert bench._cmd_bench(SimpleNamespace(runs=3)) == 0  # never fails, whatever the figures
    report = json.loads((tmp_path / "bench.json").read_text())
    assert report["medians"] == {"cold_reproduce_s": 22.0, "warm_no_change_s": 0.7, "one_council_s": 2.1,
                                 "ingest_89_returns_s": 3.0, "floor_plain_functions_s": 11.0,
                                 "cold_over_floor": 2.0}
    assert report["all_runs"]["cold_reproduce_s"] == [20.0, 30.0, 22.0]
    assert report["targets"]["cold_over_floor"] == "<= 1.3" and report["runs"] == 3
    # The cold run is cold: forced, right after the cache was removed; the warm one is not forced.
    assert [c[:2] for c in calls[:3]] == [("reproduce", "--force"), ("reproduce", "--quiet"),
                                          ("profile", "Brighton & Hove")]
    assert re.search(r"cold_over_floor +2.0  \(<= 1.3\)", capsys.readouterr().out)
