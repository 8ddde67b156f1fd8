"""Atomic writes: never half a file, and readable by others like any file `open()` makes."""
from __future__ import annotations

import os

import pytest

from unallocated.files import atomic_write, atomic_write_bytes, atomic_write_text, file_mode


@pytest.fixture
def umask():
    def set_to(mask):
        os.umask(mask)
    old = os.umask(0o022)
    yield set_to
    os.umask(old)


def test_written_files_get_the_mode_open_gives_not_tempfiles_owner_only(tmp_path, umask):
    umask(0o022)
    page = atomic_write_text(tmp_path / "deep" / "page.html", "<p>x</p>\r\n", newline="")
    assert page.stat().st_mode & 0o777 == 0o644
    assert page.read_bytes() == b"<p>x</p>\r\n"
    with open(tmp_path / "plain", "w") as f:  # what the mode must match
        f.write("x")
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o644 == file_mode()
    umask(0o077)
    assert atomic_write_bytes(tmp_path / "private.bin", b"\0").stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = atomic_write_text(tmp_path / "t.csv", "old\n")

    def fail(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(target, fail)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_figures_tables_and_fetched_files_are_readable_by_others(tmp_path, umask):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from unallocated.analysis import charts, figures
    from unallocated.sources.official import OfficialFile, sha256_of, fetch_one

    umask(0o022)
    fig, _ = plt.subplots()
    written = figures.save(fig, pd.DataFrame({"a": [1]}), "f", tmp_path / "figs")
    table = charts.save_table("t", pd.DataFrame({"a": [1]}), tmp_path / "tables")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "x.csv").write_text("a\n1\n")
    entry = OfficialFile("x.csv", "p", "t", "u", "", "l", "c", sha256_of(mirror / "x.csv"))
    fetch_one(entry, mirror, tmp_path / "raw")
    for path in [*written.values(), table, tmp_path / "raw" / "x.csv"]:
        assert path.stat().st_mode & 0o777 == 0o644, path


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://example.invalid\",\"x\")", "'=HYPERLINK(\"http://example.invalid\",\"x\")"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-", "'-"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("7 (in transit)", "7 (in transit)"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_text_a_spreadsheet_would_run_is_neutralised(text, safe):
    from unallocated.files import spreadsheet_safe

    assert spreadsheet_safe(text) == safe


def test_numbers_and_missing_values_pass_unchanged():
    from unallocated.files import spreadsheet_safe

    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(None) is None and spreadsheet_safe(2.5) == 2.5
