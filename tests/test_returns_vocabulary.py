"""The reader's vocabulary (data/vocabulary.csv) is data a newsroom extends deliberately: every row
is held to its example, the kinds are those the docs describe, a broken row is refused naming its
line, and the closed world holds: a label with a word no row claims is never read as a count."""
from __future__ import annotations

import re

import pytest

from returns_helpers import write_csv
from unallocated import paths
from unallocated.errors import UnallocatedError
from unallocated.returns import read_returns, vocabulary
from unallocated.returns.vocabulary import KINDS, account, entries, normalise

DOCS = (paths.DOCS / "vocabulary_data_dictionary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("entry", entries(), ids=lambda e: f"line{e.line}-{e.kind}-{e.means}")
def test_every_row_matches_its_own_example(entry):
    text = normalise(entry.example)
    assert entry.pattern.search(text), f"line {entry.line}: {entry.pattern.pattern!r} does not match {entry.example!r}"


def test_the_docs_describe_every_kind_in_the_order_they_claim_words():
    table = DOCS.split("a later kind never takes")[1]
    assert re.findall(r"^\| `(\w+)` \|", table, re.M) == list(KINDS)


def test_a_row_that_does_not_compile_is_refused_naming_its_line(tmp_path, monkeypatch):
    bad = tmp_path / "vocabulary.csv"
    bad.write_text((paths.DATA / "vocabulary.csv").read_text(encoding="utf-8") + "neutral,,(unclosed,x,\n",
                   encoding="utf-8")
    monkeypatch.setenv("UNALLOCATED_VOCABULARY", str(bad))
    with pytest.raises(UnallocatedError, match=r"line \d+: pattern does not compile"):
        vocabulary.entries()


def test_an_unknown_kind_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "vocabulary.csv"
    bad.write_text("kind,means,pattern,example,note\nguess,cp,cp,cp,\n", encoding="utf-8")
    monkeypatch.setenv("UNALLOCATED_VOCABULARY", str(bad))
    with pytest.raises(UnallocatedError, match="unknown kind 'guess'"):
        vocabulary.entries()


@pytest.mark.parametrize("label, words", [
    ("Children in need (including child protection)", "includes or overlaps"),
    ("Looked after children: number of families", "families or households"),
    ("Looked after children: social workers in post (FTE)", "a staff figure"),
    ("Looked after children: average caseload per worker", "an average or a caseload per worker"),
    ("Looked after children referred during the year", "a count over a period"),
    ("Looked after boys", "a subgroup of the children"),
    ("Looked after children (North locality team and Fostering panel)", "'fostering', 'panel'"),
])
def test_a_label_the_vocabulary_cannot_explain_withholds_its_figure(tmp_path, label, words):
    path = write_csv(tmp_path / "ealing.csv", [["Case type", "Unallocated"], [label, 12]])
    res = read_returns(path, reference=None)
    assert res.returns["count"].isna().all()  # never 12, whatever the words turn out to mean
    assert any(words in p for p in res.issues["problem"] + res.issues["raw"]), list(res.issues["problem"])


def test_the_same_table_with_known_words_is_read():
    acc = account("Looked after children: unallocated, awaiting closure")
    assert acc.explained and acc.case_types == ("lac",) and acc.reasons == ("awaiting_closure",)


def test_cases_other_than_cp_and_lac_are_children_in_need_alone():
    acc = account("Children in need (other than CP and LAC)")
    assert acc.explained and acc.case_types == ("cin",) and set(acc.excluded) == {"cp", "lac"}
