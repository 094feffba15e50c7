"""The 45-working-day clock: starts at acceptance, stops for requests, counts China's calendar."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from rarex.applications.deadline import deadline_info
from rarex.applications.models import ApplicationStatus as S
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack

D = dt.date


def app(accepted_on, stops=(), status=S.under_review, decided_on=None):
    return SimpleNamespace(
        accepted_on=accepted_on, decided_on=decided_on, withdrawn_at=None, status=status,
        clock_stops=[SimpleNamespace(started_on=s, ended_on=e) for s, e in stops],
    )


def test_not_accepted_has_no_deadline():
    info = deadline_info(app(None), get_pack(), D(2025, 6, 1))
    assert info.deadline is None and info.working_days_left is None and info.clock_running is False


def test_deadline_is_45_working_days_after_acceptance_skipping_holidays():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    # Accepted Friday 2025-09-19; National Day week (1-8 Oct 2025) and the working Sundays 28 Sep / 11 Oct.
    info = deadline_info(app(D(2025, 9, 19)), pack, D(2025, 9, 19))
    assert info.deadline == cal.add_working_days(D(2025, 9, 19), 45)
    assert info.working_days_left == 45
    # Counting by hand: from 22 Sep, weekdays plus 28 Sep and 11 Oct, minus 1-3 and 6-8 Oct.
    assert cal.working_days_between(D(2025, 9, 19), info.deadline) == 45
    assert not cal.is_working_day(D(2025, 10, 1)) and cal.is_working_day(D(2025, 9, 28))


def test_a_clock_stop_pushes_the_deadline_by_its_working_days():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    accepted = D(2025, 5, 6)
    base = deadline_info(app(accepted), pack, D(2025, 5, 6)).deadline
    stop = (D(2025, 5, 12), D(2025, 5, 19))  # Monday to Monday: 5 working days in (S, E]
    info = deadline_info(app(accepted, [stop]), pack, D(2025, 5, 20))
    assert info.stopped_working_days == 5
    assert info.deadline == cal.add_working_days(base, 5)
    assert info.working_days_used == cal.working_days_between(accepted, D(2025, 5, 20)) - 5


def test_an_open_clock_stop_freezes_the_days_left():
    pack = get_pack()
    accepted = D(2025, 5, 6)
    a = app(accepted, [(D(2025, 5, 12), None)], status=S.information_requested)
    left_then = deadline_info(a, pack, D(2025, 5, 13)).working_days_left
    left_later = deadline_info(a, pack, D(2025, 6, 30)).working_days_left
    assert left_then == left_later and deadline_info(a, pack, D(2025, 6, 30)).clock_running is False
    assert deadline_info(a, pack, D(2025, 6, 30)).deadline is None


def test_overdue_on_both_sides_of_the_deadline():
    pack = get_pack()
    accepted = D(2025, 5, 6)
    deadline = deadline_info(app(accepted), pack, accepted).deadline
    assert deadline_info(app(accepted), pack, deadline).overdue is False
    assert deadline_info(app(accepted), pack, deadline).working_days_left == 0
    next_wd = calendar_for(pack.calendar).add_working_days(deadline, 1)
    assert deadline_info(app(accepted), pack, next_wd).overdue is True
    decided_late = app(accepted, status=S.approved, decided_on=next_wd)
    assert deadline_info(decided_late, pack, D(2026, 1, 1)).overdue is True
    decided_on_time = app(accepted, status=S.approved, decided_on=deadline)
    assert deadline_info(decided_on_time, pack, D(2026, 1, 1)).overdue is False
