"""Content hashes for incremental runs: an output is rebuilt only when what it was made from
changed (its notebook, its parameters, the data it reads, or the library's source)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from unallocated import paths


def hash_bytes(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "little"))  # length-prefixed: no ambiguity between chunks
        digest.update(chunk)
    return digest.hexdigest()


def hash_files(files: Iterable[Path], root: Path = paths.ROOT) -> str:
    """Hash of the files' relative names and contents, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def hash_tree(folder: Path, pattern: str = "**/*") -> str:
    return hash_files(p for p in Path(folder).glob(pattern) if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def library_hash() -> str:
    """Hash of the package's source, its data dictionary (`dictionary.toml`, which the schema's
    codes come from) and the reader's vocabulary (`data/vocabulary.csv`, what every wording in a
    reply means): a change to any of them reads the returns again and reruns everything."""
    package = paths.ROOT / "lib" / "unallocated"
    return hash_files([*(p for p in package.glob("**/*.py") if "__pycache__" not in p.parts),
                       package / "dictionary.toml", paths.DATA / "vocabulary.csv"])


def hash_json(value) -> str:
    return hash_bytes(json.dumps(value, sort_keys=True, default=str).encode())
