"""`make data` without a mirror: each official file downloaded from its verified address, checked
against its SHA-256, refused on a mismatch (naming the file and both checksums), resumed with an
HTTP Range request where a server stopped, and never left half-written in data/raw/official/.

Every download here is from a server on 127.0.0.1 (tests/http_mirror.py), never the network."""
from __future__ import annotations

import csv
import hashlib
import http.server
import re
import socket
import threading
import urllib.parse
from pathlib import Path

import pytest

from http_mirror import lay_out_as_addresses, serving
from unallocated import paths
from unallocated.errors import DataFileError
from unallocated.sources import official

GOOD = b"code,children\n" + b"".join(f"{i:03d},{i * 7}\n".encode() for i in range(400))
LATER = b"year,value\n" + b"".join(f"{2000 + i},{i}\n".encode() for i in range(300))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_manifest(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=official.MANIFEST_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({"publisher": "DfE", "title": "t", "url": "https://example.invalid/page",
                             "licence": "OGL", **row})
    return path


@pytest.fixture
def places(tmp_path):
    """An empty mirror, the raw folder and the folder for downloads in progress."""
    out = {name: tmp_path / name for name in ("mirror", "raw", "partial", "served")}
    out["mirror"].mkdir()
    out["served"].mkdir()
    return out


def fetch(places, manifest):
    return official.fetch_all(mirror=places["mirror"], dest_dir=places["raw"], manifest=manifest,
                              partial_dir=places["partial"])


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_downloads_check_and_resume_a_file_the_server_cut_off(tmp_path, places):
    served = places["served"]
    (served / "sub").mkdir()
    (served / "a.csv").write_bytes(GOOD)
    (served / "sub" / "b.csv").write_bytes(LATER)
    with serving(served, stop_after={"/sub/b.csv": 1000}) as server:
        manifest = write_manifest(tmp_path / "m.csv", [
            {"file": "a.csv", "download_url": server.url("a.csv"), "sha256": sha(GOOD)},
            {"file": "sub/b.csv", "download_url": server.url("sub/b.csv"), "sha256": sha(LATER)},
        ])
        done = fetch(places, manifest)
        requests = server.requests
    assert done == {"a.csv": f"downloaded from {server.url('a.csv')}",
                    "sub/b.csv": f"downloaded from {server.url('sub/b.csv')}"}
    assert (places["raw"] / "a.csv").read_bytes() == GOOD
    assert (places["raw"] / "sub" / "b.csv").read_bytes() == LATER
    # b.csv: the first answer stopped after 1000 bytes; the second asked for the rest, and got it.
    assert [r for r in requests if r[0] == "/sub/b.csv"] == [("/sub/b.csv", None, 200),
                                                             ("/sub/b.csv", "bytes=1000-", 206)]
    assert files_in(places["partial"]) == []


def test_a_corrupted_file_is_refused_naming_it_and_both_checksums(tmp_path, places):
    served = places["served"]
    tampered = GOOD.replace(b"007,49", b"007,94")
    (served / "a.csv").write_bytes(tampered)
    (served / "c.csv").write_bytes(LATER)
    with serving(served) as server:
        manifest = write_manifest(tmp_path / "m.csv", [
            {"file": "a.csv", "download_url": server.url("a.csv"), "sha256": sha(GOOD)},
            {"file": "c.csv", "download_url": server.url("c.csv"), "sha256": sha(LATER)},
        ])
        with pytest.raises(DataFileError) as err:
            fetch(places, manifest)
    message = str(err.value)
    assert "1 official file(s) could not be fetched" in message
    assert f"a.csv: checksum mismatch: the manifest says sha256 {sha(GOOD)}" in message
    assert f"gave {sha(tampered)}" in message
    # The good file arrives; the bad one leaves nothing, neither in the raw folder nor half-kept.
    assert files_in(places["raw"]) == ["c.csv"]
    assert files_in(places["partial"]) == []


def test_a_download_stopped_in_one_run_resumes_in_the_next(tmp_path, places, monkeypatch):
    served = places["served"]
    (served / "a.csv").write_bytes(GOOD)
    monkeypatch.setattr(official, "RESUMES", 0)  # this run gives up when the server stops
    with serving(served, stop_after={"/a.csv": 2500}) as server:
        manifest = write_manifest(tmp_path / "m.csv", [
            {"file": "a.csv", "download_url": server.url("a.csv"), "sha256": sha(GOOD)}])
        with pytest.raises(DataFileError) as err:
            fetch(places, manifest)
        assert "a.csv: download from" in str(err.value) and "2500 bytes are kept" in str(err.value)
        assert files_in(places["raw"]) == []  # never a half file where the raw files go
        assert (places["partial"] / "a.csv.part").read_bytes() == GOOD[:2500]

        assert fetch(places, manifest) == {"a.csv": f"downloaded from {server.url('a.csv')}"}
        assert server.requests == [("/a.csv", None, 200), ("/a.csv", "bytes=2500-", 206)]
    assert (places["raw"] / "a.csv").read_bytes() == GOOD
    assert files_in(places["partial"]) == []


def test_a_server_that_ignores_range_gives_the_whole_file_again(tmp_path, places):
    served = places["served"]
    (served / "a.csv").write_bytes(GOOD)
    places["partial"].mkdir()
    (places["partial"] / "a.csv.part").write_bytes(b"left from an earlier run of another copy")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(served), **k)  # no Range
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{httpd.server_address[1]}/a.csv"
        manifest = write_manifest(tmp_path / "m.csv", [{"file": "a.csv", "download_url": address, "sha256": sha(GOOD)}])
        fetch(places, manifest)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (places["raw"] / "a.csv").read_bytes() == GOOD


def test_an_unreachable_server_fails_fast_and_is_not_asked_again(tmp_path, places):
    with socket.socket() as s:  # a free port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    manifest = write_manifest(tmp_path / "m.csv", [
        {"file": name, "download_url": f"http://127.0.0.1:{port}/{name}", "sha256": sha(GOOD)}
        for name in ("a.csv", "b.csv")])
    with pytest.raises(DataFileError) as err:
        fetch(places, manifest)
    message = str(err.value)
    assert "2 official file(s) could not be fetched" in message
    assert f"b.csv: not downloaded: 127.0.0.1:{port} could not be reached" in message
    assert files_in(places["raw"]) == []


def test_mirror_only_never_downloads(tmp_path, places):
    manifest = write_manifest(tmp_path / "m.csv", [
        {"file": "a.csv", "download_url": "http://127.0.0.1:9/a.csv", "sha256": sha(GOOD)}])
    with pytest.raises(DataFileError, match="a.csv: not found in the mirror .* no download address"):
        official.fetch_all(mirror=places["mirror"], dest_dir=places["raw"], manifest=manifest,
                           partial_dir=places["partial"], download=False)


def test_download_base_keeps_the_address_path(monkeypatch):
    entry = official.load_manifest()[0]
    monkeypatch.setenv("UNALLOCATED_DOWNLOAD_BASE", "http://127.0.0.1:8123/")
    assert official.download_address(entry) == "http://127.0.0.1:8123" + urllib.parse.urlsplit(entry.download_url).path


def test_every_official_file_has_a_pinned_download_address_and_a_page_to_cite():
    for entry in official.load_manifest():
        assert re.fullmatch(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+", entry.download_url), entry.file
        assert entry.url.startswith("https://"), entry.file
        assert entry.publisher_url == "" or entry.publisher_url.startswith(("https://", "http://")), entry.file


def test_the_readme_lists_what_make_data_downloads_and_from_where():
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+)` \| [\d,]+ \| <?(https://raw\.githubusercontent\.com/\S+?)>? \|$", text, re.M))
    assert listed == {e.file: e.download_url for e in official.load_manifest()}


@pytest.mark.skipif(not paths.data_mirror().is_dir(), reason="no mirror of the official files beside the clone")
def test_the_whole_manifest_downloads_from_a_copy_of_the_mirror(tmp_path, places, monkeypatch):
    """Every file of the real manifest, from a local server laid out as the download addresses
    (UNALLOCATED_DOWNLOAD_BASE), with no mirror: 24 files, each checked, sizes as the README says."""
    entries = official.load_manifest()
    lay_out_as_addresses(entries, paths.data_mirror(), places["served"])
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    sizes = {f: int(n.replace(",", "")) for f, n in re.findall(r"^\| `([^`]+)` \| ([\d,]+) \| <?https://raw", text, re.M)}
    with serving(places["served"]) as server:
        monkeypatch.setenv("UNALLOCATED_DOWNLOAD_BASE", server.base)
        done = fetch(places, paths.OFFICIAL_MANIFEST)
    assert sorted(done) == sorted(e.file for e in entries) and len(done) == 24
    assert all(how.startswith(f"downloaded from {server.base}/") for how in done.values())
    assert official.verify(places["raw"]) == []
    assert sizes == {e.file: (places["raw"] / e.file).stat().st_size for e in entries}
