"""docs/returns_data_dictionary.md lists exactly the columns and values in schema.py."""
from __future__ import annotations

import re

from unallocated import schema
from unallocated.paths import DOCS

TEXT = (DOCS / "returns_data_dictionary.md").read_text(encoding="utf-8")


def _section(title: str, level: str = "###") -> str:
    m = re.search(rf"^{level} {re.escape(title)}\n(.*?)(?=^#{{2,3}} |\Z)", TEXT, re.M | re.S)
    assert m, f"no section {title!r}"
    return m.group(1)


def _table_values(text: str) -> list[list[str]]:
    """First-column `code` values of each markdown table in the text, table by table."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        m = re.match(r"^\| `([^`]+)` \|", line)
        if m:
            current.append(m.group(1))
        elif current:
            tables.append(current)
            current = []
    return tables


def test_every_column_has_a_section():
    returns = _section("Columns of `returns.csv`", "##")
    assert returns is not None
    for col in schema.RETURN_COLUMNS + schema.ISSUE_COLUMNS:
        assert re.search(rf"^### {col}$", TEXT, re.M), col


def test_overview_tables_list_the_columns_in_order():
    tables = [t for t in _table_values(TEXT) if t[0] in ("council_code", "file")]
    assert tables[0] == schema.RETURN_COLUMNS
    assert tables[1] == schema.ISSUE_COLUMNS


def test_allowed_values_match_schema():
    assert _table_values(_section("case_type")) == [list(schema.CASE_TYPES)]
    assert _table_values(_section("category")) == [list(schema.CATEGORIES)]
    assert _table_values(_section("detail")) == [list(schema.OTHER_ROLES),
                                                 list(schema.UNALLOCATED_REASONS)]
    assert _table_values(_section("qualifier")) == [list(schema.QUALIFIERS)]
    assert _table_values(_section("layer")) == [list(schema.LAYERS)]


def test_every_column_says_what_unknown_is_and_gives_an_example():
    for col in schema.RETURN_COLUMNS + schema.ISSUE_COLUMNS:
        body = _section(col)
        assert "Example:" in body, col
    for col in schema.RETURN_COLUMNS:
        body = _section(col)
        assert re.search(r"Unknown|Never empty|Not applicable|never empty", body), col


def test_issue_kinds_match_schema():
    assert _table_values(_section("kind")) == [list(schema.ISSUE_KINDS)]
