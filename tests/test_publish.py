"""`python -m unallocated publish`: the SQLite database, its Datasette metadata and the partner
package, built from the shipped 2010 returns plus a planted round with a tracker, a person's
decisions and reply text that a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from unallocated import paths, schema
from unallocated.publish import cli, database, package, tables
from unallocated.publish.dictionary import PUBLISHED_TABLES
from unallocated.publish.metadata import canned_queries

pytestmark = pytest.mark.slow

FORMULA = '=HYPERLINK("http://example.invalid","click")'

PLANTED_RETURN = f'''Council,Leeds
Date,2011-10-03

Case type,Category,Number
Child protection,Total open cases,400
Child protection,Allocated to a qualified social worker,390
Child protection,Unallocated - no reason given,"{FORMULA.replace('"', '""')}"
Looked after children,Total open cases,900
Looked after children,Allocated to a qualified social worker,900
Looked after children,Unallocated - no reason given,-
Children in need,Total open cases,2000
Children in need,Allocated to a qualified social worker,1990
Children in need,Unallocated - no reason given,@10
'''
PLANTED_REVIEW = '''file,sheet,cell,case_type,category,detail,reading,page,reviewer,note
leeds_foi_data.csv,csv,C13,cin,unallocated,,10,,AB,"=the cell read @10, a figure with a stray @"
'''
# Leeds replied and returned; Barnsley replied that it holds no such figures; Wakefield is late.
PLANTED_TRACKER = '''council,council_code,reference,sent,due_date,status,outcome,reply_date,notes
Leeds,383,FOI-2011-383,2011-09-05,2011-10-03,successful,held,2011-10-03,
Barnsley,370,FOI-2011-370,2011-09-05,2011-10-03,not held,not held,2011-09-30,+ said the figures are not kept centrally
Wakefield,384,FOI-2011-384,2011-09-05,2011-10-03,awaiting response,,,
'''


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("returns")
    shutil.copytree(paths.RAW_RETURNS / "2010", root / "2010")
    planted = root / "2011"
    planted.mkdir()
    (planted / "leeds_foi_data.csv").write_text(PLANTED_RETURN, encoding="utf-8")
    (planted / "review.csv").write_text(PLANTED_REVIEW, encoding="utf-8")
    (planted / "requests.csv").write_text(PLANTED_TRACKER, encoding="utf-8")
    out = tmp_path_factory.mktemp("outputs")
    done = cli.publish(out, returns_root=root)
    return done["where"]


@pytest.fixture(scope="module")
def workbook(published):
    from openpyxl import load_workbook

    return load_workbook(published["package"] / package.WORKBOOK)  # once: 20,000 rows take seconds


def query(db: Path, sql: str, **params) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------------------------ database

def test_every_table_is_in_the_database_with_its_declared_columns_and_types(published):
    db = published["database"]
    with sqlite3.connect(db) as conn:
        found = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert set(PUBLISHED_TABLES) <= found
        for name in PUBLISHED_TABLES:
            columns = {r[1]: r[2] for r in conn.execute(f"PRAGMA table_info('{name}')")}
            spec = schema.TABLES[name]
            assert list(columns)[:len(spec.columns)] == spec.column_names, name
            for column in spec.columns:
                assert columns[column.name] == {"text": "TEXT", "date": "TEXT", "integer": "INTEGER",
                                                "number": "REAL", "boolean": "INTEGER"}[column.type], (name, column.name)
        # Council codes stay text: City of London is '201', never 201 or 201.0.
        assert conn.execute("select typeof(council_code), council_code from returns where council = 'City of London' "
                            "limit 1").fetchone() == ("text", "201")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_keys_and_indexes_are_declared(published):
    db = published["database"]
    keys = set(database.foreign_keys(db))
    assert {("returns", "council_code", "councils", "old_la_code"), ("returns", "round", "rounds", "round"),
            ("council_figures", "definition", "definitions", "name"), ("verdicts", "claim_id", "claims", "claim_id"),
            ("claims", "published_figure_id", "published_figures", "figure_id"),
            ("returns", "correction", "corrections", "correction_id")} <= keys
    with sqlite3.connect(db) as conn:
        for name in ("returns", "council_figures", "official_stats", "councils"):
            pk = [r[1] for r in sorted(conn.execute(f"PRAGMA table_info('{name}')"), key=lambda r: r[5]) if r[5]]
            assert pk == list(schema.TABLES[name].primary_key), name
        indexed = {(t, tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{i}')")))
                   for t, i in conn.execute("select tbl_name, name from sqlite_master where type = 'index'")}
    for table in ("returns", "council_figures"):
        assert (table, ("council_code",)) in indexed and (table, ("round",)) in indexed


def test_every_round_is_published_with_its_layer(published):
    rounds = query(published["database"], "select * from rounds order by round")
    assert [(r["round"], r["layers"], r["tracker"], r["review_decisions"]) for r in rounds] == [
        ("2010", "simulated", 0, 0), ("2011", "real_return+review", 1, 1)]  # a person keyed one figure (layer review)
    assert query(published["database"], "select distinct layer from returns where round = '2010'") == [{"layer": "simulated"}]
    assert rounds[0]["national_totals"] == "yes" and rounds[0]["councils_returned"] == 89


def test_barnsley_in_every_round(published):
    sql = canned_queries()["council_in_every_round"]["sql"]
    rows = query(published["database"], sql, council="Barnsley")
    by = {(r["round"], r["view"], r["case_type"], r["definition"]): r for r in rows}
    # 2010: the correction (9 of 165, split unknown) makes each case type a range after it.
    assert by["2010", "as_published", "lac", "no_professional"]["shown"] == "51"
    assert by["2010", "as_corrected", "lac", "no_professional"]["shown"] == "0 to 9"
    assert by["2010", "as_corrected", "cin", "no_qualified_social_worker"]["shown"] == "114"
    assert {r["layer"] for r in rows if r["round"] == "2010"} == {"simulated"}
    # 2011: the tracker says Barnsley holds no such figures; unknown, never 0.
    planted = [r for r in rows if r["round"] == "2011"]
    assert planted and {(r["qualifier"], r["count"], r["shown"]) for r in planted} == {("not_held", None, "not held")}
    assert query(published["database"], sql, council="370") == rows


def test_national_totals_as_published_and_as_corrected(published):
    rows = query(published["database"], canned_queries()["national_totals"]["sql"])
    mine = {(r["round"], r["definition"], r["case_type"]): (r["as_published"], r["as_corrected"]) for r in rows}
    assert mine["2010", "no_professional", "lac"] == ("448", "397 to 406")
    assert mine["2010", "no_professional", "cin"] == ("7,811", "7,697 to 7,706")
    assert mine["2010", "no_professional", "total"] == ("8,338", "8,182")
    assert {r["round"] for r in rows} == {"2010", "2011"}


def test_overdue_and_response_rate_read_the_tracker(published):
    db = published["database"]
    overdue = query(db, canned_queries()["overdue_requests"]["sql"], today="2011-11-01")
    assert [(r["round"], r["council"], r["days_past_due"]) for r in overdue] == [("2011", "Wakefield", 29)]
    assert query(db, canned_queries()["overdue_requests"]["sql"], today="2011-10-01") == []
    rates = query(db, canned_queries()["response_rate_by_region"]["sql"])
    assert rates == [{"round": "2011", "region": "Yorkshire and The Humber", "asked": 3, "replied": 2,
                      "percent_replied": 66.7}]


def test_tracker_queries_return_no_rows_without_a_tracker(published, tmp_path):
    copy = tmp_path / "no-tracker.db"
    shutil.copyfile(published["database"], copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("delete from requests")
    for name in ("overdue_requests", "response_rate_by_region"):
        assert query(copy, canned_queries()[name]["sql"], today="") == []


def test_figures_from_a_persons_reading(published):
    rows = query(published["database"], canned_queries()["figures_from_a_persons_reading"]["sql"])
    assert [(r["council"], r["case_type"], r["shown"], r["reviewer"]) for r in rows] == [("Leeds", "cin", "10", "AB")]
    assert rows[0]["note"].startswith("=the cell read")  # the database keeps a note as written


def test_a_failed_build_leaves_the_previous_database_and_package(published, monkeypatch):
    before_db = published["database"].read_bytes()
    before_csv = (published["package"] / "returns.csv").read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(database, "records", broken)
    with pytest.raises(RuntimeError):
        cli.publish(published["database"].parent, returns_root=paths.RAW_RETURNS)
    assert published["database"].read_bytes() == before_db
    monkeypatch.undo()
    monkeypatch.setattr(package, "write_workbook", broken)
    built = tables.build(paths.RAW_RETURNS)
    with pytest.raises(RuntimeError):
        package.write_package(published["package"], built.frames, built.specs)
    assert (published["package"] / "returns.csv").read_bytes() == before_csv
    leftovers = [p.name for p in published["database"].parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


# ------------------------------------------------------------------------------------ package

def test_the_package_validates_with_frictionless(published):
    validate = Path(sys.executable).with_name("frictionless")
    done = subprocess.run([str(validate), "validate", "--json", "datapackage.json"], cwd=published["package"],
                          capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    errors = [(t["name"], e["message"]) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"] and not errors and done.returncode == 0, errors[:5]
    assert {t["name"] for t in report["tasks"]} == set(PUBLISHED_TABLES)


def test_missing_values_are_labelled_codes_never_zero(published):
    descriptor = json.loads((published["package"] / "datapackage.json").read_text())
    resource = {r["name"]: r for r in descriptor["resources"]}
    count = {f["name"]: f for f in resource["council_figures"]["schema"]["fields"]}["count"]
    labels = {m["value"]: m["label"] for m in count["missingValues"]}
    assert {"suppressed", "not_supplied", "not_held", "no_reply"} <= set(labels)
    assert labels["no_reply"].startswith("no reply")
    figures = read_csv(published["package"] / "council_figures.csv")
    wakefield = {r["count"] for r in figures if r["council"] == "Wakefield"}
    barnsley_2011 = {r["count"] for r in figures if r["council"] == "Barnsley" and r["round"] == "2011"}
    assert wakefield == {"no_reply"} and barnsley_2011 == {"not_held"}
    returns = read_csv(published["package"] / "returns.csv")
    assert {r["count"] for r in returns if r["qualifier"] == "not_supplied"} == {"not_supplied"}
    # In the database an unknown is NULL, and the qualifier says why.
    assert query(published["database"], "select distinct count from returns where qualifier = 'not_supplied'") == [{"count": None}]


def test_formulas_from_replies_are_neutralised_in_every_csv_and_the_workbook(published, workbook):
    folder = published["package"]
    for path in folder.glob("*.csv"):
        for row in csv.reader(open(path, newline="", encoding="utf-8")):
            risky = [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
            assert not risky, (path.name, risky)
    returns = read_csv(folder / "returns.csv")
    assert "'" + FORMULA in {r["raw"] for r in returns}
    assert "'-" in {r["raw"] for r in returns}
    assert "'" + FORMULA in {r["raw"] for r in read_csv(folder / "issues.csv")}
    assert read_csv(folder / "review_decisions.csv")[0]["note"].startswith("'=the cell read")
    assert any(r["notes"].startswith("'+ said") for r in read_csv(folder / "requests.csv"))

    book = workbook
    assert book.sheetnames == ["README", *PUBLISHED_TABLES]
    for sheet in ("returns", "issues", "review_decisions", "requests"):
        cells = [c for row in book[sheet].iter_rows(min_row=2) for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], sheet
        assert not [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@")], sheet
    assert "'" + FORMULA in {c.value for row in book["returns"].iter_rows(min_row=2) for c in row}
    # The database keeps the reply's text as received.
    assert query(published["database"], "select count(*) as n from returns where raw = :raw", raw=FORMULA) == [{"n": 2}]


def test_every_column_is_described_in_the_metadata_the_package_and_the_workbook(published, workbook):
    metadata = json.loads(published["metadata"].read_text())["databases"]["unallocated"]
    descriptor = json.loads((published["package"] / "datapackage.json").read_text())
    book = workbook
    with sqlite3.connect(published["database"]) as conn:
        for name in PUBLISHED_TABLES:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info('{name}')")]
            described = metadata["tables"][name]["columns"]
            assert all(described.get(c) for c in columns), (name, [c for c in columns if not described.get(c)])
            assert metadata["tables"][name]["description"] and metadata["tables"][name]["source"]
            fields = next(r for r in descriptor["resources"] if r["name"] == name)["schema"]["fields"]
            assert [f["name"] for f in fields] == columns and all(f["description"] == described[f["name"]] for f in fields)
            header = next(book[name].iter_rows(max_row=1))
            assert [c.value for c in header] == columns
            assert [c.comment.text for c in header] == [described[c] for c in columns]
    assert metadata["tables"]["official_stats"]["license"] == "Open Government Licence v3.0"
    assert "count" in metadata["tables"]["returns"]["columns"] and "Unit: cases" in metadata["tables"]["returns"]["columns"]["count"]


def test_simulated_is_said_in_the_package_and_every_row(published):
    descriptor = json.loads((published["package"] / "datapackage.json").read_text())
    assert "SIMULATED" in descriptor["description"]
    assert "SIMULATED" in (published["package"] / "LICENCE.md").read_text()
    assert "Open Government Licence v3.0" in (published["package"] / "LICENCE.md").read_text()
    for name in ("returns", "council_figures", "national_totals"):
        rows = [r for r in read_csv(published["package"] / f"{name}.csv") if r["round"] == "2010"]
        assert rows and {r["layer"] for r in rows} == {"simulated"}, name
    official = next(r for r in descriptor["resources"] if r["name"] == "official_stats")
    assert official["licenses"][0]["name"] == "OGL-UK-3.0"


def test_the_command_line_registers_publish_and_explore():
    from unallocated.run.cli import ALSO_IN, COMMANDS, build_parser

    assert COMMANDS["publish"] == ALSO_IN["explore"] == "unallocated.publish.cli"
    parser = build_parser()
    assert parser.parse_args(["publish", "--no-package"]).func.__name__ == "_cmd_publish"
    assert parser.parse_args(["explore", "--port", "9001"]).port == 9001


def test_a_round_with_only_its_tracker_says_why_each_figure_is_unknown(tmp_path):
    """A new round before any reply is read: every council the tracker lists is unknown, with the
    reason, and there is no national total (a total over no returns is not 0)."""
    (tmp_path / "2026").mkdir()
    (tmp_path / "2026" / "requests.csv").write_text(PLANTED_TRACKER, encoding="utf-8")
    built = tables.build(tmp_path)
    figures = built.frames["council_figures"]
    reasons = {council: set(rows["qualifier"]) for council, rows in figures.groupby("council")}
    assert reasons == {"Barnsley": {"not_held"}, "Leeds": {"not_supplied"}, "Wakefield": {"no_reply"}}
    assert figures["count"].isna().all() and len(figures) == 3 * 2 * 3 * 4
    assert set(figures["shown"]) == {"not held", "not supplied", "no reply"}
    assert built.frames["national_totals"].empty
    assert built.frames["rounds"]["national_totals"].tolist() == ["no: no council's return has been read in this round"]
