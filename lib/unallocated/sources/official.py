"""Fetch the raw official statistics files and check them against the committed manifest.

The files are Crown copyright (DfE, ONS; Open Government Licence v3.0) and are never committed:
`make data` copies them from a mirror directory (`UNALLOCATED_DATA_MIRROR`, by default
`../shared/data/dfe` beside the checkout) or downloads them from a `download_url` where the
manifest has one, and checks every file's SHA-256 before it is put in `data/raw/official/`.
A file that fails the check is never left behind: it is written under a temporary name and only
renamed into place once its checksum matches.
"""
from __future__ import annotations

import csv
import hashlib
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from unallocated import paths
from unallocated.errors import DataFileError
from unallocated.files import atomic_write

MANIFEST_COLUMNS = ["file", "publisher", "title", "url", "download_url", "licence", "copied_from", "sha256"]


@dataclass(frozen=True)
class OfficialFile:
    """One row of the manifest: a raw official file and where it comes from."""

    file: str  # path relative to data/raw/official (and to the mirror)
    publisher: str
    title: str
    url: str  # the publisher's page for the statistics
    download_url: str  # a direct address for the exact bytes, where one is known
    licence: str
    copied_from: str  # the public repository and commit the mirror copy was taken from
    sha256: str


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


def fetch_one(entry: OfficialFile, mirror: Path, dest_dir: Path = paths.RAW_OFFICIAL) -> str:
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
        def download(tmp: Path) -> None:
            with urllib.request.urlopen(entry.download_url, timeout=60) as response, open(tmp, "wb") as out:
                shutil.copyfileobj(response, out)
        try:
            _place_verified(entry, dest, download)
        except OSError as err:
            raise DataFileError(f"{entry.file}: download from {entry.download_url} failed: {err}") from None
        return f"downloaded from {entry.download_url}"
    raise DataFileError(
        f"{entry.file}: not found in the mirror {mirror} and the manifest has no download address; "
        f"get it from the publisher ({entry.url}) into that folder, or set UNALLOCATED_DATA_MIRROR"
    )


def fetch_all(mirror: Path | None = None, dest_dir: Path = paths.RAW_OFFICIAL,
              manifest: Path = paths.OFFICIAL_MANIFEST) -> dict[str, str]:
    """Fetch every file in the manifest; report all failures together, after trying them all."""
    mirror = mirror or paths.data_mirror()
    done: dict[str, str] = {}
    failures: list[str] = []
    for entry in load_manifest(manifest):
        try:
            done[entry.file] = fetch_one(entry, mirror, dest_dir)
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
    done = fetch_all(mirror=mirror)
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
    fetch.set_defaults(func=_cmd_fetch)
    check = sub.add_parser("verify", help="check the files already fetched against the manifest")
    check.set_defaults(func=_cmd_verify)
