"""Writing files so that a reader never sees half of one, and colleagues can open it.

Every output, figure, table, cache entry and fetched file the project writes goes through
`atomic_write`: the content is written to a temporary file beside the target, given the mode an
ordinary `open()` would give (0644 under the usual umask 022; `tempfile` makes its files 0600,
owner-only, so a page copied to a shared drive or a web server would not open for anyone else),
then renamed into place.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process's umask (read without changing it for longer than two system calls)."""
    with _UMASK_LOCK:
        current = os.umask(0o022)
        os.umask(current)
    return current


def file_mode() -> int:
    """The mode `open(path, "w")` gives a new file: 0o666 less the umask."""
    return 0o666 & ~umask()


def atomic_write(path: Path, write: Callable[[Path], object], suffix: str = ".tmp") -> Path:
    """Call `write(tmp)` to fill a temporary file beside `path`, then rename it to `path`.

    The temporary file is removed if `write` fails; `path` is then left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: Path, text: str, newline: str | None = None) -> Path:
    """Write `text` as UTF-8 (`newline=""` keeps line endings exactly as given)."""
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline=newline) as f:
            f.write(text)
    return atomic_write(path, write)


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


#: What a spreadsheet takes for the start of a formula (OWASP's list: =, +, -, @, and tab and
#: carriage return, which some spreadsheets skip before one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet will show and never run: a string beginning with `=`, `+`, `-`, `@`
    (or a tab or carriage return) gets a leading apostrophe; anything else is returned as it is.

    Text from a council's reply reaches CSV and Excel files the project writes (a cell's raw text,
    a file name, a reviewer's note); "=HYPERLINK(...)" or "-2+3" there would otherwise be a formula
    to whoever opens the file. Numbers are not text and pass unchanged (-5 stays a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise_formula(value: str) -> str:
    """The text `spreadsheet_safe` was given: its leading apostrophe taken off again (what a person
    keyed in review.csv reads back as they keyed it)."""
    text = str(value)
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
