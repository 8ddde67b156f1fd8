"""Fetch the raw official statistics files and check them against the committed manifest.

The files are Crown copyright (DfE, ONS; Open Government Licence v3.0) and are never committed:
`make data` copies them from a mirror directory (`UNALLOCATED_DATA_MIRROR`, by default
`../shared/data/dfe` beside the checkout) or, for a file the mirror lacks, downloads it from the
manifest's `download_url` (a public repository's copy, pinned to a commit, whose bytes were
checked against the checksum). Every file's SHA-256 is checked before it is put in
`data/raw/official/`; a file that fails the check is refused, naming the file and both checksums.

A download in progress is kept in `build/downloads/` (never in `data/raw/official/`): when the
server stops mid-file, the next request (in the same run, or the next `make data`) asks for the
rest with an HTTP Range header and appends it. Only a whole file whose checksum matches is copied
into place, under a temporary name renamed once complete. `UNALLOCATED_DOWNLOAD_BASE` (for
example `http://127.0.0.1:8000`) fetches every address from another server instead, keeping its
path: a newsroom's own copy, or a test's.
"""
from __future__ import annotations

import csv
import hashlib
import http.client
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from unallocated import paths
from unallocated.errors import DataFileError
from unallocated.files import atomic_write

MANIFEST_COLUMNS = ["file", "publisher", "title", "url", "publisher_url", "download_url", "licence",
                    "copied_from", "sha256"]

#: Where a download in progress is kept, so that the next run resumes it (never data/raw/official/).
PARTIAL_DOWNLOADS = paths.ROOT / "build" / "downloads"
#: How many times one run asks again for the rest of a file after the server stopped mid-file.
RESUMES = 5
#: Seconds to wait for a server's next bytes before giving up on the request.
TIMEOUT = 60


@dataclass(frozen=True)
class OfficialFile:
    """One row of the manifest: a raw official file and where it comes from."""

    file: str  # path relative to data/raw/official (and to the mirror)
    publisher: str
    title: str
    url: str  # the publisher's page for the statistics
    download_url: str  # a direct address for the exact bytes, checked against sha256
    licence: str
    copied_from: str  # the public repository and commit the mirror copy was taken from
    sha256: str
    publisher_url: str = ""  # the publisher's own page for this file or release, for citing (bytes not checked)


def load_manifest(path: Path = paths.OFFICIAL_MANIFEST) -> list[OfficialFile]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != MANIFEST_COLUMNS:
            raise DataFileError(f"{path}: expected columns {MANIFEST_COLUMNS}, found {reader.fieldnames}")
        return [OfficialFile(**row) for row in reader]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _place_verified(entry: OfficialFile, dest: Path, fill) -> None:
    """Write via `fill(tmp_path)` to a temporary file beside `dest`, check it, then rename."""
    def fill_checked(tmp: Path) -> None:
        fill(tmp)
        got = sha256_of(tmp)
        if got != entry.sha256:
            raise DataFileError(
                f"{entry.file}: checksum mismatch (expected sha256 {entry.sha256}, got {got}); "
                "the copy was discarded"
            )

    atomic_write(dest, fill_checked, suffix=".part")


class _Unreachable(DataFileError):
    """A server that could not be reached at all (so its other files are not tried this run)."""


def download_address(entry: OfficialFile) -> str:
    """The address to download `entry` from: its `download_url`, or the same path on the server
    `UNALLOCATED_DOWNLOAD_BASE` names."""
    base = os.environ.get("UNALLOCATED_DOWNLOAD_BASE")
    if not base or not entry.download_url:
        return entry.download_url
    url = urllib.parse.urlsplit(entry.download_url)
    return base.rstrip("/") + url.path + (f"?{url.query}" if url.query else "")


def _request_rest(address: str, part: Path) -> None:
    """One request for what `part` still lacks (all of it when it is empty), appended to it.

    Raises `ConnectionError` when the server stops before the end it announced."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "unallocated (make data)"}
    if have:
        headers["Range"] = f"bytes={have}-"
    with urllib.request.urlopen(urllib.request.Request(address, headers=headers), timeout=TIMEOUT) as response:
        resumed = have and response.status == 206 and \
            response.headers.get("Content-Range", "").startswith(f"bytes {have}-")
        announced = response.headers.get("Content-Length")
        written = 0
        with open(part, "ab" if resumed else "wb") as out:  # a server that ignores Range sends it all
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                written += len(block)
        if announced is not None and written < int(announced):
            raise ConnectionError(f"the server stopped after {written} of {announced} bytes")


def _download(entry: OfficialFile, address: str, part: Path) -> None:
    """Bring `part` to the whole file: ask again for the rest while the server keeps stopping
    mid-file and sending more each time; a server that cannot be reached fails at once."""
    part.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for _ in range(1 + RESUMES):
        before = part.stat().st_size if part.exists() else 0
        try:
            _request_rest(address, part)
            return
        except urllib.error.HTTPError as err:
            if err.code == 416 and before:  # nothing after the end: the part is already whole
                return
            raise DataFileError(f"{entry.file}: download from {address} failed: HTTP {err.code} {err.reason}") from None
        except urllib.error.URLError as err:
            raise _Unreachable(f"{entry.file}: download from {address} failed: {err.reason}") from None
        except (ConnectionError, http.client.HTTPException, TimeoutError, OSError) as err:
            last_error = err
            if (part.stat().st_size if part.exists() else 0) <= before:
                break  # no progress: asking again would only repeat it
    got = part.stat().st_size if part.exists() else 0
    raise DataFileError(
        f"{entry.file}: download from {address} stopped ({last_error}); {got} bytes are kept in "
        f"{part} and the next `make data` asks for the rest"
    )


def fetch_one(entry: OfficialFile, mirror: Path, dest_dir: Path = paths.RAW_OFFICIAL,
              partial_dir: Path = PARTIAL_DOWNLOADS) -> str:
    """Make sure `entry` is in `dest_dir` with the right checksum. Returns what was done."""
    dest = dest_dir / entry.file
    if dest.exists() and sha256_of(dest) == entry.sha256:
        return "present"
    source = mirror / entry.file
    if source.is_file():
        try:
            _place_verified(entry, dest, lambda tmp: shutil.copyfile(source, tmp))
        except DataFileError as err:
            raise DataFileError(f"{err} (copied from {source})") from None
        return f"copied from {mirror}"
    if entry.download_url:
        address = download_address(entry)
        part = Path(partial_dir) / f"{entry.file}.part"
        _download(entry, address, part)
        got = sha256_of(part)
        if got != entry.sha256:
            part.unlink()
            raise DataFileError(
                f"{entry.file}: checksum mismatch: the manifest says sha256 {entry.sha256}, the download "
                f"from {address} gave {got}; the download was discarded and nothing was put in {dest_dir}"
            )
        _place_verified(entry, dest, lambda tmp: shutil.copyfile(part, tmp))
        part.unlink()
        for folder in part.parents:  # the subfolders a download made (ons/, release-2023/)
            if folder == Path(partial_dir) or not folder.is_relative_to(partial_dir) or any(folder.iterdir()):
                break
            folder.rmdir()
        return f"downloaded from {address}"
    raise DataFileError(
        f"{entry.file}: not found in the mirror {mirror} and the manifest has no download address; "
        f"get it from the publisher ({entry.url}) into that folder, or set UNALLOCATED_DATA_MIRROR"
    )


def fetch_all(mirror: Path | None = None, dest_dir: Path = paths.RAW_OFFICIAL,
              manifest: Path = paths.OFFICIAL_MANIFEST, download: bool = True,
              partial_dir: Path = PARTIAL_DOWNLOADS) -> dict[str, str]:
    """Fetch every file in the manifest; report all failures together, after trying them all.

    `download=False` copies from the mirror only (what `make test` does: no network). A server
    that cannot be reached is not asked for its other files in the same run."""
    mirror = mirror or paths.data_mirror()
    done: dict[str, str] = {}
    failures: list[str] = []
    unreachable: dict[str, str] = {}
    for entry in load_manifest(manifest):
        if not download:
            entry = OfficialFile(**{**entry.__dict__, "download_url": ""})
        host = urllib.parse.urlsplit(download_address(entry)).netloc
        if host in unreachable:
            failures.append(f"{entry.file}: not downloaded: {host} could not be reached ({unreachable[host]})")
            continue
        try:
            done[entry.file] = fetch_one(entry, mirror, dest_dir, partial_dir)
        except _Unreachable as err:
            unreachable[host] = str(err).rsplit(": ", 1)[-1]
            failures.append(str(err))
        except DataFileError as err:
            failures.append(str(err))
    if failures:
        raise DataFileError(f"{len(failures)} official file(s) could not be fetched:\n  " + "\n  ".join(failures))
    return done


def verify(dest_dir: Path = paths.RAW_OFFICIAL, manifest: Path = paths.OFFICIAL_MANIFEST) -> list[str]:
    """Problems with the files already in `dest_dir` (empty list when all are present and intact)."""
    problems = []
    for entry in load_manifest(manifest):
        path = dest_dir / entry.file
        if not path.is_file():
            problems.append(f"{entry.file}: missing from {dest_dir} (run `make data`)")
        elif sha256_of(path) != entry.sha256:
            problems.append(f"{entry.file}: checksum does not match the manifest")
    return problems


def raw_available(dest_dir: Path = paths.RAW_OFFICIAL) -> bool:
    """True when every raw official file is present and intact (tests that need them skip otherwise)."""
    return not verify(dest_dir)


def _cmd_fetch(args) -> int:
    mirror = Path(args.mirror).resolve() if args.mirror else None
    done = fetch_all(mirror=mirror, download=not args.mirror_only)
    for name, how in done.items():
        print(f"{name}\t{how}")
    print(f"{len(done)} official files verified in {paths.RAW_OFFICIAL.relative_to(paths.ROOT)}/")
    return 0


def _cmd_verify(args) -> int:
    problems = verify()
    if problems:
        raise DataFileError("\n  ".join(["official files are not as the manifest says:", *problems]))
    print(f"all {len(load_manifest())} official files present and intact")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("data", help="fetch and verify the raw official statistics files")
    sub = parser.add_subparsers(dest="data_command", required=True)
    fetch = sub.add_parser("fetch", help="copy (or download) every file in the manifest and check its SHA-256")
    fetch.add_argument("--mirror", help="folder holding the files (default: $UNALLOCATED_DATA_MIRROR or ../shared/data/dfe)")
    fetch.add_argument("--mirror-only", action="store_true",
                       help="copy from the mirror only, never download (what `make test` does)")
    fetch.set_defaults(func=_cmd_fetch)
    check = sub.add_parser("verify", help="check the files already fetched against the manifest")
    check.set_defaults(func=_cmd_verify)
