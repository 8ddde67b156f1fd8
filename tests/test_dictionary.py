"""The one data dictionary (lib/unallocated/dictionary.toml): the docs are generated from it and
agree with it, and it names exactly the columns the code and the committed files have."""
from __future__ import annotations

import csv
import shutil

import pytest

from unallocated import paths, schema
from unallocated.publish import dictionary
from unallocated.publish.dictionary import PUBLISHED_TABLES, allowed_values


def header(path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def test_the_docs_agree_with_the_dictionary():
    stale = dictionary.stale_docs()
    assert not stale, f"{stale}: run `python -m unallocated publish --docs` after editing lib/unallocated/dictionary.toml"


def test_a_doc_edited_by_hand_is_seen_and_rewritten(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(paths.DOCS, docs)
    path = docs / "corrections_data_dictionary.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("| `reason` | text | In our own words", "| `reason` | text | In my words"), encoding="utf-8")
    (docs / dictionary.PUBLISH_DOC).write_text("stale\n", encoding="utf-8")
    assert dictionary.stale_docs(docs) == ["corrections_data_dictionary.md", dictionary.PUBLISH_DOC]
    assert {p.name for p in dictionary.write_docs(docs)} == {"corrections_data_dictionary.md", dictionary.PUBLISH_DOC}
    assert path.read_text(encoding="utf-8") == text and dictionary.stale_docs(docs) == []


def test_the_returns_vocabularies_come_from_the_dictionary():
    assert list(schema.CASE_TYPES) == ["cp", "lac", "cin"]
    assert list(schema.QUALIFIERS) == ["exact", "at_least", "at_most", "approx", "suppressed", "not_supplied"]
    assert schema.RETURN_COLUMNS == ["council_code", "council", "snapshot_date", "case_type", "category", "detail",
                                     "count", "qualifier", "layer", "source", "raw"]
    assert schema.TABLES["returns"].column("case_type").values == ("case_type",)


def test_the_dictionary_names_the_columns_the_code_writes():
    from unallocated.factcheck.claims import CLAIM_COLUMNS
    from unallocated.model.corrections import REGISTER_COLUMNS
    from unallocated.returns import FILE_COLUMNS
    from unallocated.returns.review import REVIEW_COLUMNS
    from unallocated.sources import official, reference

    assert schema.TABLES["files_csv"].column_names == FILE_COLUMNS
    assert schema.TABLES["review_csv"].column_names == REVIEW_COLUMNS
    assert schema.TABLES["claims"].column_names == CLAIM_COLUMNS == header(paths.DATA / "claims.csv")
    assert schema.TABLES["corrections"].column_names == REGISTER_COLUMNS == header(paths.DATA / "corrections.csv")
    assert schema.TABLES["published_figures"].column_names == header(paths.DATA / "published_figures.csv")
    assert schema.TABLES["councils"].column_names == header(paths.REFERENCE / "councils.csv")
    assert schema.TABLES["official_stats"].column_names == reference.COLUMNS
    assert schema.TABLES["official_files"].column_names == official.MANIFEST_COLUMNS == header(paths.OFFICIAL_MANIFEST)


@pytest.mark.parametrize("name", PUBLISHED_TABLES)
def test_every_published_column_is_described(name):
    table = schema.TABLES[name]
    assert table.title and table.description
    for column in table.columns:
        assert column.description and column.missing and column.example != "", (name, column.name)
        if column.type in ("integer", "number") and column.name not in ("row",):
            assert column.unit, f"{name}.{column.name}: a number needs its unit in words"
        if column.references:
            other, _, key = column.references.partition(".")
            assert key in schema.TABLES[other].column_names
        if column.values or column.values_from:
            assert allowed_values(column), (name, column.name)
    assert set(table.primary_key) <= set(table.column_names)
    assert all(set(i) <= set(table.column_names) for i in table.indexes)


def test_the_missing_value_codes_are_the_four_the_package_labels():
    assert list(schema.MISSING_CODES) == ["suppressed", "not_supplied", "not_held", "no_reply"]
