"""Fetching the raw official files: checksums, clear errors, nothing half-written."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from unallocated import paths
from unallocated.sources import official
from unallocated.errors import DataFileError


def write_manifest(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=official.MANIFEST_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in official.MANIFEST_COLUMNS})
    return path


def entry_for(name: str, content: bytes) -> dict:
    return {"file": name, "publisher": "DfE", "title": "t", "url": "https://example.invalid/page",
            "licence": "OGL", "sha256": hashlib.sha256(content).hexdigest()}


def test_manifest_lists_every_mirrored_file_with_provenance():
    entries = official.load_manifest()
    assert len(entries) == 24
    names = {e.file for e in entries}
    assert {"osr28-2010ud.csv", "sfr27-2010amv5.xls", "release-2023/b1_children_in_need_2013_to_2023.csv"} <= names
    for e in entries:
        assert len(e.sha256) == 64 and e.publisher and e.title and e.url.startswith("https://")
        assert e.licence == "Open Government Licence v3.0"


def test_copies_from_mirror_and_checks(tmp_path):
    mirror, dest = tmp_path / "mirror", tmp_path / "raw"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "sub" / "a.csv").write_bytes(b"x,y\n1,2\n")
    manifest = write_manifest(tmp_path / "m.csv", [entry_for("sub/a.csv", b"x,y\n1,2\n")])
    done = official.fetch_all(mirror=mirror, dest_dir=dest, manifest=manifest)
    assert done == {"sub/a.csv": f"copied from {mirror}"}
    assert (dest / "sub" / "a.csv").read_bytes() == b"x,y\n1,2\n"
    # A second run finds it already there.
    assert official.fetch_all(mirror=mirror, dest_dir=dest, manifest=manifest) == {"sub/a.csv": "present"}


def test_missing_file_names_it_and_where_it_looked(tmp_path):
    manifest = write_manifest(tmp_path / "m.csv", [entry_for("gone.csv", b"data")])
    with pytest.raises(DataFileError) as err:
        official.fetch_all(mirror=tmp_path / "nowhere", dest_dir=tmp_path / "raw", manifest=manifest)
    message = str(err.value)
    assert "gone.csv" in message and str(tmp_path / "nowhere") in message
    assert "https://example.invalid/page" in message


def test_corrupt_file_is_rejected_and_nothing_is_left_behind(tmp_path):
    mirror, dest = tmp_path / "mirror", tmp_path / "raw"
    mirror.mkdir()
    (mirror / "a.csv").write_bytes(b"tampered")
    (mirror / "b.csv").write_bytes(b"good")
    manifest = write_manifest(tmp_path / "m.csv", [entry_for("a.csv", b"original"), entry_for("b.csv", b"good")])
    with pytest.raises(DataFileError) as err:
        official.fetch_all(mirror=mirror, dest_dir=dest, manifest=manifest)
    assert "a.csv: checksum mismatch" in str(err.value)
    # The good file still arrives; the bad one leaves neither a file nor a temporary part.
    assert sorted(p.name for p in dest.iterdir()) == ["b.csv"]


def test_download_address_is_used_when_the_mirror_lacks_the_file(tmp_path):
    published = tmp_path / "publisher" / "file.csv"
    published.parent.mkdir()
    published.write_bytes(b"from the publisher")
    row = entry_for("file.csv", b"from the publisher") | {"download_url": published.as_uri()}
    manifest = write_manifest(tmp_path / "m.csv", [row])
    done = official.fetch_all(mirror=tmp_path / "empty", dest_dir=tmp_path / "raw", manifest=manifest,
                              partial_dir=tmp_path / "partial")
    assert done["file.csv"].startswith("downloaded from file://")
    assert (tmp_path / "raw" / "file.csv").read_bytes() == b"from the publisher"


@pytest.mark.needs_raw
def test_fetched_files_match_the_manifest():
    assert official.verify() == []


def test_raw_official_files_are_not_tracked_by_git():
    ignore = (paths.ROOT / ".gitignore").read_text().splitlines()
    assert "data/raw/official/" in ignore


def test_each_committed_provenance_names_code_that_exists():
    """A provenance file names the function that made its table; after a move of modules it must
    still name one a reader can open (the 2010 layout's 'unallocated.councils' no longer exists)."""
    import importlib
    import json

    for provenance in sorted((paths.ROOT / "data" / "reference").glob("*.provenance.json")):
        made_by = json.loads(provenance.read_text())["made_by"]
        module, _, function = made_by.rpartition(".")
        made = getattr(importlib.import_module(module), function, None)
        assert callable(made), (provenance.name, made_by)
        # named where it is defined, not through an old name kept as an alias
        assert f"{made.__module__}.{made.__qualname__}" == made_by, (provenance.name, made_by)
