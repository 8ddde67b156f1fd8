"""The review desk's data and its decisions as data: items from the issues table (in the reader's
new contract, and in the old five columns), their order, proposals and context; review.csv's
checksums, 'noted', the layer `review`; rows merged into the folder; nothing from a reply ever
markup on the page or a formula in a spreadsheet."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from review_fixtures import IMAGE, SCRIPT, write_every_kind, with_proposals
from returns_helpers import write_csv
from unallocated.files import spreadsheet_safe, unneutralise_formula
from unallocated.returns import read_returns
from unallocated.returns.desk import (ISSUE_CONTRACT, _review_table, desk_data, merge_review,
                                      normalise_issues, page_json, proposal_of, reading_text,
                                      render_page, write_review_csv)
from unallocated.returns.markers import parse_count
from unallocated.returns.review import REVIEW_COLUMNS, file_sha256, read_review
from unallocated.run.cli import COMMANDS, main
from unallocated.schema import LAYERS

CLEAN = [["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], [],
         ["Case type", "Unallocated"], ["CP", 7], ["LAC", "see note"]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_every_kind(tmp_path_factory.mktemp("desk") / "replies")


@pytest.fixture(scope="module")
def read(folder):
    return read_returns(folder, reference=None)


def _items(data):
    return [it for g in data["groups"] for it in g["items"]]


def _review_file(path, rows):
    write_csv(path, [REVIEW_COLUMNS] + [[r.get(c, "") for c in REVIEW_COLUMNS] for r in rows])


# -- the issues table ---------------------------------------------------------------------------

def test_a_table_of_the_old_five_columns_reads_as_the_contract():
    old = pd.DataFrame([["a.xlsx", "", "", "", "no snapshot date"],
                        ["a.xlsx", "Data", "D7", "12*", "a count with a footnote mark"],
                        ["a.xlsx", "Data", "", "", "a sheet's point"]],
                       columns=["file", "sheet", "cell", "raw", "problem"])
    table = normalise_issues(old)
    assert list(table.columns) == ISSUE_CONTRACT
    assert list(table["kind"]) == ["file", "needs_reading", "needs_reading"]
    assert (table["proposed_count"] == "").all() and proposal_of(table.iloc[1]) is None


def test_a_kind_given_is_kept_and_a_missing_one_derived():
    given = pd.DataFrame([{"file": "a.pdf", "sheet": "page 1", "cell": "", "raw": "2010", "problem": "a year",
                           "kind": "not_a_count"},
                          {"file": "a.pdf", "sheet": "page 1", "cell": "A3", "raw": "12", "problem": "?", "kind": ""}])
    assert list(normalise_issues(given)["kind"]) == ["not_a_count", "needs_reading"]


@pytest.mark.parametrize("fields, expected", [
    (dict(proposed_case_type="cp", proposed_category="unallocated", proposed_count="14", proposed_qualifier="exact"),
     dict(case_type="cp", category="unallocated", detail="not_given", count=14, qualifier="exact", reading="14")),
    (dict(proposed_case_type="lac", proposed_category="unallocated", proposed_detail="in_transit",
          proposed_count="1,204", proposed_qualifier="approx"),
     dict(detail="in_transit", count=1204, reading="about 1204")),
    (dict(proposed_case_type="cin", proposed_category="total", proposed_count="", proposed_qualifier="suppressed"),
     dict(detail="", count=None, reading="*")),
    (dict(proposed_case_type="cp", proposed_category="allocated_other", proposed_count="4", proposed_qualifier="at_most"),
     dict(detail="other", reading="up to 4")),
])
def test_a_complete_proposal_is_ready_to_accept(fields, expected):
    got = proposal_of(pd.Series({**dict.fromkeys(ISSUE_CONTRACT, ""), **fields}))
    assert got is not None and {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("fields", [
    dict(proposed_count="14", proposed_qualifier="exact"),  # no case type or category
    dict(proposed_case_type="cp", proposed_category="unallocated", proposed_count="14", proposed_qualifier=""),
    dict(proposed_case_type="cp", proposed_category="unallocated", proposed_count="c. 14", proposed_qualifier="exact"),
    dict(proposed_case_type="cp", proposed_category="total", proposed_detail="in_transit", proposed_count="3",
         proposed_qualifier="exact"),  # a detail the category does not allow
    dict(proposed_case_type="xx", proposed_category="unallocated", proposed_count="3", proposed_qualifier="exact"),
])
def test_an_incomplete_or_invalid_proposal_is_never_offered_to_accept(fields):
    assert proposal_of(pd.Series({**dict.fromkeys(ISSUE_CONTRACT, ""), **fields})) is None


@pytest.mark.parametrize("qualifier", ["exact", "at_most", "at_least", "approx", "suppressed", "not_supplied"])
@pytest.mark.parametrize("count", [0, 1, 4, 15, 1204])
def test_a_reading_written_by_the_desk_reads_back_as_the_same_count(count, qualifier):
    text = reading_text(count, qualifier)
    got_count, got_qualifier, problem = parse_count(text)
    assert problem is None and got_qualifier == qualifier
    assert got_count == (None if qualifier in ("suppressed", "not_supplied") else count)
    assert not text.startswith(("=", "+", "-", "@"))


# -- items ----------------------------------------------------------------------------------------

def test_every_kind_of_item_grouped_by_file_most_consequential_first(folder, read):
    data = desk_data(folder, with_proposals(read.issues), read.files, read.returns)
    items = _items(data)
    groups = [g["file"] for g in data["groups"] if g["items"]]
    tiers = [g["tier"] for g in data["groups"] if g["items"]]
    assert tiers == sorted(tiers)
    # unallocated figures first, the file with most of them first (Leeds's cells under "Unallocated",
    # York's, Kirklees's and Hull's proposals), then the replies not read at all, then the rest
    shown = [g for g in data["groups"] if g["items"]]
    unallocated = [sum(it["tier"] == 0 for it in g["items"]) for g in shown]
    assert set(groups[:4]) == {"leeds_foi_reply.xlsx", "york_foi_letter.docx", "kirklees_reply.pdf", "hull_reply.txt"}
    assert unallocated[:4] == sorted(unallocated[:4], reverse=True) and min(unallocated[:4]) > 0
    assert not any(unallocated[4:])
    assert groups[4:6] == ["bolton_reply.doc", "wigan_scan.pdf"]
    by = {(it["file"], it["cell"], it["figure"]): it for it in items}
    assert {it["type"] for it in items} == {"figure", "file", "unread"}
    # the scan and the .doc: one item each, with the reason in plain words and no path in it
    scan = by[("wigan_scan.pdf", "", "")]
    assert scan["type"] == "unread" and scan["tier"] == 1 and "scanned PDF" in scan["problem"]
    assert str(folder) not in scan["problem"]
    assert not any(it["type"] == "file" and it["file"] == "wigan_scan.pdf" for it in items)
    # proposals as the contract gives them, the context from the file
    york = by[("york_foi_letter.docx", "A4", "14")]
    assert york["proposal"]["reading"] == "14" and york["proposal"]["case_type"] == "cp"
    assert york["context"]["kind"] == "prose" and york["tier"] == 0
    three = by[("york_foi_letter.docx", "A4", "3")]
    assert three["id"] != york["id"] and three["proposal"]["case_type"] == "lac"
    kirklees = by[("kirklees_reply.pdf", "A2", "15")]
    assert kirklees["context"]["kind"] == "page" and kirklees["proposal"]["reading"] == "about 15"
    assert by[("kirklees_reply.pdf", "A2", "7")]["proposal"] is None  # a count alone is no proposal
    assert by[("kirklees_reply.pdf", "A2", "7")]["prefill"] == {"count": 7}
    # a spreadsheet cell the reader kept as not supplied: its case type and category fill the form
    e4 = next(it for it in items if it["file"] == "leeds_foi_reply.xlsx" and it["cell"] == "E4")
    assert e4["context"]["kind"] == "grid" and e4["proposal"] is None
    assert e4["prefill"] == {"case_type": "cp", "category": "unallocated", "detail": "not_given"}
    assert e4["not_a_count"] == "ignore"
    # not_a_count issues are listed with their file, never items
    kirklees_group = next(g for g in data["groups"] if g["file"] == "kirklees_reply.pdf")
    assert "2010" in [n["raw"] for n in kirklees_group["not_a_count"]]
    assert len(items) == len({it["id"] for it in items})
    # points about a whole file are one item per file, last in its group
    hull = next(g for g in data["groups"] if g["file"] == "hull_reply.txt")
    assert hull["items"][-1]["type"] == "file" and "no snapshot date" in hull["items"][-1]["problem"]


def test_the_old_five_columns_give_the_same_items_without_proposals(folder, read):
    data = desk_data(folder, read.issues[["file", "sheet", "cell", "raw", "problem"]], read.files, read.returns)
    items = _items(data)
    assert all(it["proposal"] is None for it in items)
    assert {it["type"] for it in items} == {"figure", "file", "unread"}
    prose = [it for it in items if it["file"] == "york_foi_letter.docx" and it["cell"] == "A4"]
    assert len(prose) == 2 and all(it["context"]["kind"] == "prose" for it in prose)


def test_points_about_a_file_and_its_sheets_are_one_item_noted_at_each_address(folder, read):
    issues = pd.concat([read.issues, pd.DataFrame([
        {"file": "leeds_foi_reply.xlsx", "sheet": "", "cell": "", "raw": "", "problem": "no snapshot date"},
        {"file": "leeds_foi_reply.xlsx", "sheet": "Return", "cell": "", "raw": "", "problem": "read as Windows-1252"},
    ])], ignore_index=True)
    data = desk_data(folder, issues, read.files, read.returns)
    leeds = next(g for g in data["groups"] if g["file"] == "leeds_foi_reply.xlsx")
    points = [it for it in leeds["items"] if it["type"] == "file"]
    assert len(points) == 1 and points[0]["addresses"] == [["", ""], ["Return", ""]]
    assert points[0]["problem"] == "no snapshot date; read as Windows-1252" and leeds["items"][-1] is points[0]
    assert not any(it["type"] == "figure" and it["cell"] == "" for it in leeds["items"])


def test_not_a_count_keeps_a_number_the_reader_read_at_the_same_cell(folder, read):
    issues = pd.concat([read.issues, pd.DataFrame([{
        "file": "leeds_foi_reply.xlsx", "sheet": "Return", "cell": "B4", "raw": "500",
        "problem": "a total larger than the council's caseload"}])], ignore_index=True)
    data = desk_data(folder, issues, read.files, read.returns)
    b4 = next(it for it in _items(data) if it["cell"] == "B4")
    assert b4["not_a_count"] == "noted"  # 'ignore' would drop the 500 the reader read there
    assert b4["reader_rows"][0]["count"] == 500


def test_a_noted_address_stays_decided_when_a_check_raises_it_again(folder, read):
    review = pd.DataFrame([{**dict.fromkeys(REVIEW_COLUMNS, ""), "file": "leeds_foi_reply.xlsx",
                            "sheet": "Return", "cell": "E6", "reading": "noted", "reviewer": "AB"}])
    data = desk_data(folder, read.issues, read.files, read.returns, review)
    assert not any(it["cell"] == "E6" and it["file"] == "leeds_foi_reply.xlsx" for it in _items(data))
    leeds = next(g for g in data["groups"] if g["file"] == "leeds_foi_reply.xlsx")
    assert [e["values"]["reading"] for e in leeds["decided"]] == ["noted"]


# -- decisions as data: review.csv ----------------------------------------------------------------

def test_a_decision_on_a_changed_file_is_stale_never_applied(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "sunderland.csv", CLEAN)
    sha = file_sha256(d / "sunderland.csv")
    _review_file(d / "review.csv", [
        dict(file="sunderland.csv", sheet="csv", cell="B6", case_type="lac", category="unallocated",
             reading="3", reviewer="AB", note="the note says 3", decided_at="2026-12-04T10:31:00Z", file_sha256=sha)])
    applied = read_returns(d, reference=None)
    lac = applied.returns[applied.returns["case_type"] == "lac"]
    assert list(zip(lac["count"], lac["layer"])) == [(3, "review")]
    assert lac["source"].iloc[0] == ("review.csv row 1: sunderland.csv!csv!B6 — by AB on 2026-12-04T10:31:00Z, "
                                     "the note says 3")
    assert not (applied.issues["cell"] == "B6").any()

    write_csv(d / "sunderland.csv", CLEAN[:-1] + [["LAC", "see the note below"]])  # the council sends it again
    stale = read_returns(d, reference=None)
    assert not (stale.returns["layer"] == "review").any()
    problem = stale.issues.loc[stale.issues["problem"].str.startswith("review.csv row 1:"), "problem"]
    assert len(problem) == 1 and "the file has changed since this decision" in problem.iloc[0]
    assert (stale.issues["cell"] == "B6").sum() == 2  # the figure's own issue is open again
    data = desk_data(d, stale.issues, stale.files, stale.returns, _review_table(d))
    assert data["existing"][0]["stale"] and [it["cell"] for it in _items(data)] == ["B6"]
    group = next(g for g in data["groups"] if g["file"] == "sunderland.csv")
    assert group["decided"][0]["stale"] and group["sha256"] == file_sha256(d / "sunderland.csv")


def test_a_row_without_a_checksum_is_applied_as_before(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "sunderland.csv", CLEAN)
    _review_file(d / "review.csv", [dict(file="sunderland.csv", sheet="csv", cell="B6", case_type="lac",
                                         category="unallocated", reading="<5", reviewer="AB")])
    res = read_returns(d, reference=None)
    lac = res.returns[res.returns["case_type"] == "lac"]
    assert list(zip(lac["count"], lac["qualifier"], lac["layer"])) == [(4, "at_most", "review")]
    assert lac["source"].iloc[0] == "review.csv row 1: sunderland.csv!csv!B6 — by AB"


def test_noted_drops_the_issues_at_exactly_that_address(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "nowhere.csv", [["Case type", "Unallocated"], ["CP", 3], ["LAC", "see note"]])
    before = read_returns(d, reference=None)
    file_level = before.issues[(before.issues["sheet"] == "") & (before.issues["cell"] == "")]
    assert len(file_level)  # no council, no date
    _review_file(d / "review.csv", [dict(file="nowhere.csv", reading="noted", reviewer="AB", note="seen"),
                                    dict(file="nowhere.csv", sheet="csv", cell="Z9", reading="noted")])
    after = read_returns(d, reference=None)
    assert not ((after.issues["sheet"] == "") & (after.issues["cell"] == "")
                & (after.issues["file"] == "nowhere.csv")).any()
    assert (after.issues["cell"] == "B3").any()  # the cell's own issue is still open
    assert after.issues["problem"].str.startswith("review.csv row 2: 'noted' matches no issue").any()
    assert after.returns.drop(columns=[]).equals(before.returns)  # nothing else changed


def test_noted_holds_for_an_issue_the_checks_raise_on_every_run(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "sunderland.csv", CLEAN[:-1] + [["LAC", -3]])
    before = read_returns(d, reference=None)
    at = before.issues[before.issues["problem"].str.contains("negative count")]
    assert list(zip(at["sheet"], at["cell"])) == [("csv", "B6")]  # raised by the checks, after review
    _review_file(d / "review.csv", [dict(file="sunderland.csv", sheet="csv", cell="B6", reading="noted",
                                         reviewer="AB", file_sha256=file_sha256(d / "sunderland.csv"))])
    after = read_returns(d, reference=None)
    assert not (after.issues["cell"] == "B6").any() and not after.issues["problem"].str.startswith("review.csv").any()
    assert after.returns["count"].isna().sum() == before.returns["count"].isna().sum()  # still no number


def test_a_reading_of_a_simulated_reply_says_so_in_source(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "sunderland.csv", CLEAN)
    write_csv(d / "manifest.csv", [["file", "council", "layer"], ["sunderland.csv", "Sunderland", "simulated"]])
    _review_file(d / "review.csv", [dict(file="sunderland.csv", sheet="csv", cell="B6", case_type="lac",
                                         category="unallocated", reading="2", reviewer="AB")])
    res = read_returns(d, reference=None)
    row = res.returns[res.returns["layer"] == "review"].iloc[0]
    assert row["source"].endswith("by AB, a reading of a simulated file")
    assert "review" in LAYERS


def test_values_that_would_start_a_formula_are_neutralised_and_read_back():
    for value in ("=HYPERLINK(\"http://x\")", "+1", "-", "-3", "@SUM(A1)", "\tx"):
        safe = spreadsheet_safe(value)
        assert safe.startswith("'") and unneutralise_formula(safe) == value
    for value in ("12", "up to 5", "'quoted'", "", "a-b"):
        assert spreadsheet_safe(value) == value and unneutralise_formula(value) == value


def test_review_csv_written_by_the_desk_runs_nothing_and_reads_back(tmp_path):
    rows = pd.DataFrame([{**dict.fromkeys(REVIEW_COLUMNS, ""), "file": "a.csv", "sheet": "csv", "cell": "B6",
                          "case_type": "cp", "category": "unallocated", "reading": "-",
                          "note": "=cmd|' /C calc'!A0", "reviewer": "@AB"}])
    write_review_csv(rows, tmp_path / "review.csv")
    text = (tmp_path / "review.csv").read_text(encoding="utf-8")
    assert "'=cmd" in text and ",'-," in text and ",'@AB," in text
    assert read_review(tmp_path / "review.csv").iloc[0][["reading", "note", "reviewer"]].tolist() == \
        ["-", "=cmd|' /C calc'!A0", "@AB"]


def test_rows_saved_on_the_page_are_merged_into_the_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    write_csv(d / "sunderland.csv", CLEAN)
    old = dict(file="sunderland.csv", sheet="csv", cell="B6", case_type="lac", category="unallocated",
               reading="3", reviewer="AB", file_sha256="0" * 64)  # decided on another version: stale
    hand = dict(file="sunderland.csv", sheet="csv", cell="B5", case_type="cp", category="unallocated",
                reading="7", reviewer="CD")
    _review_file(d / "review.csv", [old, hand])
    new = dict(old, reading="4", file_sha256=file_sha256(d / "sunderland.csv"))
    incoming = pd.DataFrame([{**dict.fromkeys(REVIEW_COLUMNS, ""), **r} for r in (old, hand, new)])
    merged, added, dropped = merge_review(d, incoming)
    assert (added, dropped) == (1, 1)
    assert merged[["cell", "reading"]].values.tolist() == [["B5", "7"], ["B6", "4"]]
    # the command does the same, and rebuilds the page
    saved = tmp_path / "download.csv"
    write_review_csv(incoming, saved)
    out = tmp_path / "page.html"
    assert main(["review", str(d), "--add", str(saved), "--out", str(out), "--reference", "none"]) == 0
    assert read_review(d / "review.csv")[["cell", "reading"]].values.tolist() == [["B5", "7"], ["B6", "4"]]
    assert main(["review", str(d), "--add", str(saved), "--out", str(out), "--reference", "none"]) == 0
    assert len(read_review(d / "review.csv")) == 2  # adding the same file twice adds nothing


# -- the page ---------------------------------------------------------------------------------------

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self.tags: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self._in = (dict(attrs), [])

    def handle_data(self, data):
        if self._in is not None:
            self._in[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            self.scripts.append((self._in[0], "".join(self._in[1])))
            self._in = None


def test_words_from_a_reply_reach_the_page_as_data_never_markup(folder, read):
    data = desk_data(folder, with_proposals(read.issues), read.files, read.returns)
    data["title"] = "Review desk: </script><script>alert(1)</script><!--"
    page = render_page(data)
    parsed = _Scripts()
    parsed.feed(page)
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json", None]
    assert parsed.tags.count("img") == 0 and parsed.tags.count("script") == 2
    embedded = json.loads(parsed.scripts[0][1])
    assert embedded == json.loads(page_json(data))
    texts = set(_strings(embedded))
    assert SCRIPT in texts and any(IMAGE in t for t in texts)  # kept, word for word, as data
    assert "<" not in parsed.scripts[0][1]  # every '<' escaped: nothing can close the element
    assert "http://" not in page and "https://" not in page  # nothing fetched
    assert "textContent" in parsed.scripts[1][1] and "innerHTML" not in parsed.scripts[1][1]


def test_the_review_command_writes_the_page(tmp_path, folder, capsys):
    assert COMMANDS["review"] == "unallocated.returns.desk"
    out = tmp_path / "review.html"
    assert main(["review", str(folder), "--out", str(out), "--reference", "none"]) == 0
    said = capsys.readouterr().out
    assert "items to decide" in said and str(out) in said and "2 replies not read at all among them" in said
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["review", str(tmp_path / "nowhere"), "--out", str(out)]) == 2


def test_every_open_item_of_the_shipped_returns_can_be_cleared_from_the_desk(tmp_path):
    import shutil

    from unallocated import paths

    shipped = paths.RAW_RETURNS / "2010"
    if not any(shipped.glob("*.xlsx")):
        pytest.skip("simulated returns not in data/raw/returns/2010 (make simulate)")
    folder = tmp_path / "2010"
    shutil.copytree(shipped, folder)
    res = read_returns(folder, reference=None)
    data = desk_data(folder, res.issues, res.files, res.returns, _review_table(folder))
    items = _items(data)
    assert {(it["file"], it["cell"]) for it in items} == {
        (f, c) for f, c in zip(res.issues["file"], res.issues["cell"])}
    assert all(it["context"]["kind"] == "grid" and it["context"]["target_text"] == it["raw"] for it in items)
    # what the page writes for "not a count" on each, as the page writes it
    rows = [{**dict.fromkeys(REVIEW_COLUMNS, ""), "file": it["file"], "sheet": it["sheet"], "cell": it["cell"],
             "reading": it["not_a_count"], "reviewer": "AB", "decided_at": "2026-12-04T10:31:00Z",
             "file_sha256": data["groups"][[g["file"] for g in data["groups"]].index(it["file"])]["sha256"]}
            for it in items]
    write_review_csv(pd.DataFrame(rows), folder / "review.csv")
    cleared = read_returns(folder, reference=None)
    assert cleared.issues.empty and len(cleared.returns) == len(res.returns) - len(items)
    again = desk_data(folder, cleared.issues, cleared.files, cleared.returns, _review_table(folder))
    assert _items(again) == []


def test_the_figure_marked_is_the_number_as_the_reply_writes_it():
    from unallocated.returns.desk import _figure

    issue = {**dict.fromkeys(ISSUE_CONTRACT, ""), "raw": "There were over 40 children in need cases.",
             "problem": "a number in prose ('over 40'): not read", "proposed_case_type": "cin",
             "proposed_category": "unallocated", "proposed_count": "41", "proposed_qualifier": "at_least"}
    assert _figure(issue, proposal_of(issue)) == "40"  # read as at least 41, written 40
    bare = {**issue, "problem": "not read"}
    assert _figure(bare, proposal_of(bare)) == "41"  # nothing better to mark by


def test_one_figure_with_several_reasons_is_one_item_naming_each(tmp_path):
    rows = [["Council:", "Sunderland"], ["Snapshot date:", "31/03/2010"], ["Children in need by locality"], [],
            ["Locality", "Open", "Not allocated (held by locality duty team)"], ["Northbank", 120, 12],
            ["Southfield", 90, 7]]
    write_csv(tmp_path / "sunderland.csv", rows)
    res = read_returns(tmp_path, reference=None)
    at_c5 = res.issues[res.issues["cell"] == "C6"]
    assert len(at_c5) >= 2  # the reader gives this cell two reasons
    items = [it for it in _items(desk_data(tmp_path, res.issues, res.files, res.returns)) if it["cell"] == "C6"]
    assert len(items) == 1
    assert all(p.split(";")[0].strip()[:40] in items[0]["problem"] for p in at_c5["problem"])
