"""The tracker: statuses change only through events their status allows; overdue is computed from
dates; letters are written only when the row calls for them; `round new` and `round status`."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from unallocated import paths
from unallocated.rounds import letters, tracker
from unallocated.rounds import round as rounds
from unallocated.rounds.tracker import TrackerError
from unallocated.sources import councils

D = dt.date


@pytest.fixture
def table():
    asked = [councils.get(c) for c in ("370", "383", "909")]
    return tracker.blank(asked, "t")


def test_a_blank_tracker_lists_every_council_asked_and_nothing_sent(table):
    assert list(table.columns) == tracker.COLUMNS
    assert list(table["reference"]) == ["t-370", "t-383", "t-909"]
    assert {tracker.state(r, D(2026, 1, 1)).shown for _, r in table.iterrows()} == {"not sent"}
    assert tracker.check(table) == []


def test_send_reply_and_the_transitions_the_status_allows(table):
    t = tracker.record(table, "370", "send", D(2026, 11, 9))
    with pytest.raises(TrackerError, match="already sent"):
        tracker.record(t, "370", "send", D(2026, 11, 10))
    with pytest.raises(TrackerError, match="a reply to a request never sent"):
        tracker.record(table, "383", "reply", D(2026, 11, 10), status="successful")
    with pytest.raises(TrackerError, match="must be one of"):
        tracker.record(t, "370", "reply", D(2026, 11, 20), status="overdue")
    done = tracker.record(t, "Barnsley", "reply", D(2026, 11, 20), status="successful", files="b.xlsx")
    row = done.set_index("council_code").loc["370"]
    assert (row["status"], row["held"], row["reply_files"]) == ("successful", "held", "b.xlsx")
    with pytest.raises(TrackerError, match="cannot record reply while the request is successful"):
        tracker.record(done, "370", "reply", D(2026, 11, 21), status="refused", exemptions="s12")
    with pytest.raises(TrackerError, match="cannot record withdraw while the request is successful"):
        tracker.record(done, "370", "withdraw", D(2026, 11, 21))


def test_clarification_stops_the_clock_and_restarts_it(table):
    t = tracker.record(table, "383", "send", D(2026, 11, 9))
    t = tracker.record(t, "383", "clarification_asked", D(2026, 11, 12))
    row = t.set_index("council_code").loc["383"]
    assert row["status"] == "clarification_needed"
    late = tracker.state(row, D(2027, 3, 1))
    assert not late.overdue and late.shown == "clarification needed" and late.due.paused
    t = tracker.record(t, "383", "clarification_given", D(2026, 11, 20))
    row = t.set_index("council_code").loc["383"]
    assert row["status"] == "awaiting_response" and tracker.due(row).due == D(2026, 12, 21)
    assert not tracker.state(row, D(2026, 12, 21)).overdue
    assert tracker.state(row, D(2026, 12, 22)).overdue


def test_overdue_and_very_overdue_are_computed_from_the_dates(table):
    t = tracker.record(table, "370", "send", D(2026, 11, 9))
    row = t.set_index("council_code").loc["370"]
    assert tracker.state(row, D(2026, 12, 8)).shown == "awaiting response"  # due that day
    assert tracker.state(row, D(2026, 12, 9)).shown == "overdue"
    st = tracker.state(row, D(2027, 1, 20))
    assert st.very_overdue and st.shown == "very overdue"
    assert "overdue" not in tracker.COLUMNS and "due" not in tracker.COLUMNS  # never stored


def test_refusal_review_and_the_ico_only_after_40_working_days(table):
    t = tracker.record(table, "909", "send", D(2026, 11, 9))
    with pytest.raises(TrackerError, match="refused without the exemption"):
        tracker.record(t, "909", "reply", D(2026, 12, 1), status="refused")
    t = tracker.record(t, "909", "reply", D(2026, 12, 1), status="refused", exemptions="s12", held="held")
    with pytest.raises(TrackerError, match="cannot record ico_complaint while the request is refused"):
        tracker.record(t, "909", "ico_complaint", D(2026, 12, 2))
    t = tracker.record(t, "909", "review_asked", D(2026, 12, 2))
    row = t.set_index("council_code").loc["909"]
    forty = tracker.deadlines.working_days_after(D(2026, 12, 2), 40).day
    assert not tracker.ico_complaint_allowed(row, forty)
    with pytest.raises(TrackerError, match="unanswered after 40 working days"):
        tracker.record(t, "909", "ico_complaint", forty)
    r = rounds.Round("t", D(2025, 3, 31), D(2025, 3, 31), "simulated")
    with pytest.raises(TrackerError, match="no complaint to the ICO yet"):
        letters.ico(r, row, forty)
    after = forty + dt.timedelta(days=1)
    t = tracker.record(t, "909", "ico_complaint", after)
    text = letters.ico(r, row, after)
    assert "Information Commissioner" in text and "41 working days later" in text and "SIMULATED" in text


def test_a_chaser_only_for_an_overdue_request_and_it_says_how_the_date_was_reached(table):
    t = tracker.record(table, "370", "send", D(2026, 11, 9))
    row = t.set_index("council_code").loc["370"].copy()
    row["council_code"] = "370"
    r = rounds.Round("t", D(2025, 3, 31), D(2025, 3, 31), "real_return")
    with pytest.raises(TrackerError, match="no chaser: the request is awaiting response, due 2026-12-08"):
        letters.chaser(r, row, D(2026, 12, 1))
    text = letters.chaser(r, row, D(2026, 12, 10))
    assert "8 December 2026" in text and "Saint Andrew's Day" in text and "2 working days past" in text


def test_a_dispute_must_name_its_correction(table):
    t = tracker.record(table, "370", "send", D(2026, 11, 9))
    t = tracker.record(t, "370", "reply", D(2026, 11, 20), status="successful")
    with pytest.raises(TrackerError, match="no right-of-reply letter was sent"):
        tracker.record(t, "370", "right_of_reply_answer", D(2026, 12, 1), answer="agrees")
    t = tracker.record(t, "370", "right_of_reply_sent", D(2026, 11, 25))
    with pytest.raises(TrackerError, match="must name its correction"):
        tracker.record(t, "370", "right_of_reply_answer", D(2026, 12, 1), answer="disputes")
    t = tracker.record(t, "370", "right_of_reply_answer", D(2026, 12, 1), answer="disputes", correction="b-1")
    assert t.set_index("council_code").loc["370", "right_of_reply_correction"] == "b-1"


def test_round_new_then_status_from_the_command_line(tmp_path):
    root = tmp_path / "returns"
    root.mkdir()
    shutil.copy(paths.RAW_RETURNS / "rounds.csv", root / "rounds.csv")
    env = {**os.environ, "UNALLOCATED_RETURNS": str(root), "UNALLOCATED_OUTPUTS": str(tmp_path / "out")}

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "unallocated", "round", *args], env=env,
                              capture_output=True, text=True, cwd=paths.ROOT)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert "153 councils with children's services on 2025-03-31" in run("new", "t2", "--date", "2025-03-31")
    table = tracker.load(root / "t2" / "requests.csv")
    codes = set(table["council_code"])
    assert len(table) == 153 and {"838", "839", "940", "941", "942", "943"} <= codes and not codes & {"835", "909", "928"}
    letter = (tmp_path / "out" / "rounds" / "t2" / "letters" / "request" / "839-bournemouth-christchurch-and-poole.md").read_text()
    assert "Bournemouth, Christchurch and Poole (DfE code 839)" in letter and "t2-839" in letter
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "out" / "rounds" / "t2" / "letters" / "request" / "839-bournemouth-christchurch-and-poole.xlsx")
    assert wb["Return"]["B3"].value == "Bournemouth, Christchurch and Poole" and "839" in wb.properties.subject
    run("record", "t2", "370", "send", "--date", "2026-11-09")
    run("record", "t2", "Leeds", "send", "--date", "2026-11-09")
    run("record", "t2", "383", "reply", "--date", "2026-11-30", "--status", "refused", "--exemptions", "s12")
    out = run("status", "t2", "--today", "2026-12-10")
    assert "Barnsley (370, Yorkshire and The Humber): overdue, due 2026-12-08, 2 working days late" in out
    assert "30 Nov (Saint Andrew's Day (Scotland))" in out
    assert "Yorkshire and The Humber" in out and "50%" in out  # two asked there, one answered
    with pytest.raises(AssertionError, match="already in"):
        run("new", "t2", "--date", "2025-03-31")
