"""Due dates under section 10 of the FOI Act: twenty working days after receipt, where a working
day excludes weekends and the bank holidays of any part of the United Kingdom."""
from __future__ import annotations

import datetime as dt

import pytest

from unallocated.rounds import deadlines


def test_due_received_friday_10_december_2010_is_thursday_13_january_2011():
    due = deadlines.due_date(dt.date(2010, 12, 10))
    assert due.due == dt.date(2011, 1, 13)
    # 4 January 2011 is a bank holiday in Scotland only: without it the answer would be the 12th.
    assert dt.date(2011, 1, 4) in dict(due.holidays_skipped)
    assert "Scotland" in dict(due.holidays_skipped)[dt.date(2011, 1, 4)]


def test_due_received_monday_9_november_2026_is_tuesday_8_december_st_andrews_day_counts():
    due = deadlines.due_date(dt.date(2026, 11, 9))
    assert due.due == dt.date(2026, 12, 8)
    assert dict(due.holidays_skipped) == {dt.date(2026, 11, 30): "Saint Andrew's Day (Scotland)"}
    assert "30 Nov (Saint Andrew's Day (Scotland))" in due.explain()


def test_due_received_friday_4_december_2026_is_thursday_7_january_2027():
    due = deadlines.due_date(dt.date(2026, 12, 4))
    assert due.due == dt.date(2027, 1, 7)
    assert [d for d, _ in due.holidays_skipped] == [dt.date(2026, 12, 25), dt.date(2026, 12, 28),
                                                    dt.date(2027, 1, 1), dt.date(2027, 1, 4)]


def test_england_alone_would_give_an_earlier_date():
    # The union matters: counting England's holidays only, St Andrew's Day would be a working day.
    days, day = 0, dt.date(2026, 11, 9)
    while days < 20:
        day += dt.timedelta(days=1)
        days += day.weekday() < 5 and day not in {dt.date(2026, 12, 25), dt.date(2026, 12, 28)}
    assert day == dt.date(2026, 12, 7) != deadlines.due_date(dt.date(2026, 11, 9)).due


def test_a_request_received_at_the_weekend_counts_from_the_next_working_day():
    # Saturday 7 November 2026: day one is Monday 9th, so the answer is due a day before Monday's.
    assert deadlines.due_date(dt.date(2026, 11, 7)).due == dt.date(2026, 12, 7)


def test_a_clarification_stops_the_clock_and_it_restarts_from_the_answer():
    waiting = deadlines.due_date(dt.date(2026, 11, 9), clarification_asked=dt.date(2026, 11, 12))
    assert waiting.paused and "no due date until the clarification arrives" in waiting.explain()
    given = deadlines.due_date(dt.date(2026, 11, 9), dt.date(2026, 11, 12), dt.date(2026, 11, 20))
    assert not given.paused and given.clock_starts == dt.date(2026, 11, 20)
    assert given.due == deadlines.working_days_after(dt.date(2026, 11, 20), 20).day == dt.date(2026, 12, 21)
    with pytest.raises(ValueError, match="before it was asked"):
        deadlines.due_date(dt.date(2026, 11, 9), dt.date(2026, 11, 12), dt.date(2026, 11, 10))


def test_working_days_between_and_very_overdue():
    assert deadlines.working_days_between(dt.date(2026, 11, 9), dt.date(2026, 12, 8)) == 20
    due = deadlines.due_date(dt.date(2026, 11, 9))
    assert deadlines.working_days_between(due.received, deadlines.very_overdue_date(due)) == 40
