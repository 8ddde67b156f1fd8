"""`ingest FOLDER`: files.csv lists every file, the summary names what was not read, the exit
status says whether a person has work to do, and the folder's manifest is used by default."""
from __future__ import annotations

import pandas as pd

from returns_helpers import write_csv, write_xlsx
from unallocated.run.cli import main

CLEAN = [["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
         ["Case type", "Unallocated"], ["CP", 7], ["LAC", 4]]


def _ingest(folder, out, capsys, *extra):
    status = main(["ingest", str(folder), "--out", str(out), "--reference", "none", *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_clean_folder_exits_0_and_files_csv_lists_the_manifest_as_not_a_return(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "sunderland.csv", CLEAN)
    write_csv(tmp_path / "in" / "manifest.csv", [["file", "council", "layer"],
                                                 ["sunderland.csv", "Sunderland", "simulated"]])
    status, printed, _ = _ingest(tmp_path / "in", tmp_path / "out", capsys)
    assert status == 0
    files = pd.read_csv(tmp_path / "out" / "files.csv", dtype=str, keep_default_na=False)
    assert dict(zip(files["file"], files["outcome"])) == {"manifest.csv": "not_a_return",
                                                          "sunderland.csv": "read"}
    assert "need a person's review: none" in printed
    # the folder's manifest was used without --manifest: the rows are simulated, not real
    returns = pd.read_csv(tmp_path / "out" / "returns.csv", dtype=str)
    assert set(returns["layer"]) == {"simulated"}


def test_unsupported_files_are_named_not_read_and_exit_2(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "sunderland.csv", CLEAN)
    (tmp_path / "in" / "leeds_reply.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64)
    (tmp_path / "in" / "kent.rtf").write_text("{\\rtf1 12 cases}")
    (tmp_path / "in" / "README").write_text("FOI replies received")
    status, printed, err = _ingest(tmp_path / "in", tmp_path / "out", capsys)
    assert status == 2
    files = pd.read_csv(tmp_path / "out" / "files.csv", dtype=str, keep_default_na=False)
    outcome = dict(zip(files["file"], files["outcome"]))
    assert outcome == {"README": "not_a_return", "kent.rtf": "not_read",
                       "leeds_reply.doc": "not_read", "sunderland.csv": "read"}
    assert (files.set_index("file").loc[["kent.rtf", "leeds_reply.doc"], "reason"] != "").all()
    assert "NOT READ: kent.rtf" in printed and "NOT READ: leeds_reply.doc" in printed
    assert "not read: 2" in printed
    # the council of an unread file is still given, from its name, so a person knows whose it is
    assert files.set_index("file").loc["leeds_reply.doc", "council"] == "Leeds"
    assert "leeds_reply.doc" in err


def test_read_but_needs_review_exits_1_and_the_summary_says_how_many(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "sunderland.csv", CLEAN[:-1] + [["LAC", "about forty"]])
    status, printed, _ = _ingest(tmp_path / "in", tmp_path / "out", capsys)
    assert status == 1
    issues = pd.read_csv(tmp_path / "out" / "issues.csv", dtype=str)
    assert "need a person's review: %d value(s)" % len(issues) in printed
    files = pd.read_csv(tmp_path / "out" / "files.csv", dtype=str)
    assert list(files["outcome"]) == ["read_with_issues"]
    assert list(files["needs_review"]) == [str(len(issues))]


def test_help_documents_the_exit_status(capsys):
    try:
        main(["ingest", "--help"])
    except SystemExit:
        pass
    text = " ".join(capsys.readouterr().out.split())
    assert "0 every file was read and nothing needs review" in text
    assert "2 a file could not be read at all" in text


def test_a_file_that_says_it_is_simulated_is_never_real_return(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    write_xlsx(tmp_path / "in" / "sunderland.xlsx",
               {"Return": [["SIMULATED RETURN - not a real council figure"]] + CLEAN})
    write_csv(tmp_path / "in" / "manifest.csv", [["file", "council", "layer"],
                                                 ["sunderland.xlsx", "Sunderland", "real_return"]])
    status, _, _ = _ingest(tmp_path / "in", tmp_path / "out", capsys)
    returns = pd.read_csv(tmp_path / "out" / "returns.csv", dtype=str)
    assert len(returns) == 2 and set(returns["layer"]) == {"simulated"}
    issues = pd.read_csv(tmp_path / "out" / "issues.csv", dtype=str)
    said = issues[issues["problem"].str.contains("says it is simulated")]
    assert list(said["cell"]) == ["A1"] and status == 1
