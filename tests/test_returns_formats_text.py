"""csv and txt: delimiter from the whole file, thousands separators, decimal commas and
encodings, each written with the csv module in that encoding."""
from __future__ import annotations

import csv
import io

import pytest

from returns_helpers import assert_nothing_lost, rows_of, cells_named
from unallocated.returns import read_returns
from unallocated.returns.files import load_file

ROWS = [["Case type", "Total", "Unallocated", "Notes"],
        ["Child protection", "1,817", "12", "Figures checked, as agreed; see letter"],
        ["Looked after", "3,380", "7", ""],
        ["Children in need", "2,794", "140", ""]]
WANT = {("cp", "total", "", 1817, "exact"), ("cp", "unallocated", "not_given", 12, "exact"),
        ("lac", "total", "", 3380, "exact"), ("lac", "unallocated", "not_given", 7, "exact"),
        ("cin", "total", "", 2794, "exact"), ("cin", "unallocated", "not_given", 140, "exact")}


def _text(rows, delimiter):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _rows(res):
    return {(c, k, d or "", n, q) for c, k, d, n, q in rows_of(res)}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                           ("utf-16-le", b"\xff\xfe"), ("cp1252", b"")])
@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_every_delimiter_encoding_and_suffix_reads_the_same(tmp_path, delimiter, encoding, bom,
                                                            suffix):
    rows = [r[:] for r in ROWS]
    rows[3][3] = "£250 spent – “in transit” cases none"  # Windows-1252 punctuation in a note
    p = tmp_path / f"lincolnshire{suffix}"
    p.write_bytes(bom + _text(rows, delimiter).encode(encoding))
    loaded = load_file(p)
    assert loaded.encoding.replace("-sig", "").replace("-le", "") in (
        encoding.replace("-le", ""), "utf-16"), loaded.encoding
    res = read_returns(p)
    assert_nothing_lost(res)
    got = _rows(res)
    assert got == WANT, (delimiter, encoding, got ^ WANT)


def test_semicolon_file_with_decimal_comma_percentages(tmp_path):
    rows = [["Case type", "Total", "Unallocated", "% not allocated"],
            ["Child protection", "401", "0", "0,0"],
            ["Looked after", "640", "11", "1,7"],
            ["Children in need", "4102", "640", "15,6"]]
    p = tmp_path / "derbyshire.csv"
    p.write_text(_text(rows, ";"), encoding="utf-8")
    res = read_returns(p)
    assert_nothing_lost(res)
    counts = {(c, k, n) for c, k, _d, n, _q in rows_of(res) if n is not None}
    assert counts == {("cp", "total", 401), ("cp", "unallocated", 0), ("lac", "total", 640),
                      ("lac", "unallocated", 11), ("cin", "total", 4102),
                      ("cin", "unallocated", 640)}
    # "1,7" is never 17 and never 1: it is a decimal, so not a count; its cell is named
    for n in (17, 1, 156, 15):
        assert n not in set(res.returns["count"].dropna().astype(int))
    assert {"D2", "D3", "D4"} <= cells_named(res)


def test_a_decimal_comma_count_is_an_issue_not_125(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Case type;Unallocated\nChild protection;12,5\nLooked after;4\n", encoding="utf-8")
    res = read_returns(p)
    assert 125 not in set(res.returns["count"].dropna().astype(int))
    assert 12 not in set(res.returns["count"].dropna().astype(int))
    assert "B2" in set(res.issues["cell"])


def test_one_comma_in_a_note_does_not_make_a_semicolon_file_comma_separated(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Case type;Unallocated;Notes\nChild protection;5;held, for now, by duty team\n"
                 "Looked after;4;\nChildren in need;30;\n", encoding="utf-8")
    assert load_file(p).format == "csv (semicolon-separated)"


def test_a_fixed_width_table_in_an_email_is_read_as_a_table_with_its_notes(tmp_path):
    body = ("Subject: FOI-8847\n\nPlease see table 1 below, which shows the cases open on 30 September 2010.\n\n"
            "                                        CP      LAC      CIN\n"
            "Total open cases                        331      497    1,624\n"
            "Qualified social worker                 327      455    1,402\n"
            "Other staff (see note 1)                  4       42       86\n"
            "Unallocated (see note 2)                  0        0      136\n\n"
            "Note 1: other staff are social work assistants, except for looked after children, where 38 are "
            "leaving care personal advisers and 4 are social work assistants.\n"
            "Note 2: of the 136 unallocated children in need cases, 102 were awaiting closure and 34 were held by "
            "the duty team.\n\nLeicester City Council\n")
    path = tmp_path / "leicester_reply.eml"
    path.write_text("From: FOI <foi@example.invalid>\nContent-Type: text/plain; charset=utf-8\n" + body)
    got = rows_of(read_returns(path, reference=None), "case_type", "category", "detail", "count")
    assert {("cp", "total", "", 331), ("cin", "total", "", 1624), ("cp", "allocated_other", "assistant", 4),
            ("lac", "allocated_other", "leaving_care", 38), ("lac", "allocated_other", "assistant", 4),
            ("cin", "unallocated", "awaiting_closure", 102), ("cin", "unallocated", "duty_team", 34)} <= got


def test_a_letter_with_a_few_pipe_rows_and_list_items_is_a_letter_and_nothing_is_lost(tmp_path):
    path = tmp_path / "devon_reply.txt"
    path.write_text("2. How many children were looked after by your local authority at these dates\n"
                    "a) at 31 March 2018 – 694\nb) at 31 March 2017 – 682\n"
                    "3. How many were placed outside the county?\n"
                    "Code | Placement | 31 March 18 | 31 March 17 |\nK1 | Secure children's homes | 1 | 0 |\n"
                    "The children in need total was 1,204; 98 of them were unallocated; the rest were held by the duty team.\n",
                    encoding="utf-8")
    res = read_returns(path, reference=None)
    assert set(res.issues["sheet"]) <= {"text", ""}  # read as a letter, not as a semicolon or pipe table
    # each list item is its own line (not joined to the one above), read, and for another date
    # than the return's or in conflict with it, named for a person
    raws = set(res.issues["raw"])
    assert {"a) at 31 March 2018 – 694", "b) at 31 March 2017 – 682"} <= raws
    assert res.returns["count"].dropna().tolist() == []
    assert_nothing_lost(res)
