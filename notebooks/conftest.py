"""nbval's failure report made readable for an editor.

When a cell marked `# NBVAL_CHECK_OUTPUT` gives other output than the committed notebook, nbval
asks pytest to explain the difference, and pytest's own explanation of two long strings is a
character diff of raw HTML whose `-` and `+` are easy to read the wrong way round. This hook
answers instead: tables are shown row by row as text, and the rows that changed are printed
under their column names, marked as the committed notebook's and this run's.
"""
from __future__ import annotations

import difflib
import html
import re

_ROW = re.compile(r"<tr\b.*?>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd]\b.*?>(.*?)</t[hd]>", re.S)
_TAG = re.compile(r"<.*?>", re.S)


def output_lines(output: str) -> list[str]:
    """An output as lines of text: an HTML table one line per row, cells joined by " | "."""
    if "<table" not in output:
        return output.splitlines()
    return [" | ".join(html.unescape(_TAG.sub("", cell)).strip() for cell in _CELL.findall(row))
            for row in _ROW.findall(output)]


def explain(committed: str, this_run: str) -> list[str] | None:
    before, after = output_lines(committed), output_lines(this_run)
    lines = []
    for op, b1, b2, a1, a2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op != "equal":
            lines += [f"  committed notebook: {line}" for line in before[b1:b2]]
            lines += [f"  this run:           {line}" for line in after[a1:a2]]
    if not lines:
        return None
    columns = [f"  columns:            {before[0]}"] if "<table" in committed and before else []
    return ["committed notebook and this run disagree:", *columns, *lines]


def pytest_assertrepr_compare(config, op, left, right):
    # nbval compares reference_output (left, from the .ipynb) == test_output (right, this run).
    if op == "==" and isinstance(left, str) and isinstance(right, str):
        return explain(left, right)
    return None
