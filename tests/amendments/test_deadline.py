"""The 20-working-day clock (DUR Art. 18 para. 3; pack deadlines.amendment): from the request
date in the pack's time zone, China's official working days, on both sides of the deadline."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import select

from rarex.amendments import service, views
from rarex.amendments.models import AmendmentStatus as A
from rarex.amendments.schemas import AmendmentIn
from rarex.core.authz import Principal, Role
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack
from rarex.users.models import User

D = dt.date


def amendment(requested_on, status=A.pending, decided_on=None, closed_on=None):
    return SimpleNamespace(requested_on=requested_on, status=status, decided_on=decided_on, closed_on=closed_on)


def test_twenty_working_days_from_the_request_skipping_national_day():
    pack = get_pack()
    assert pack.deadlines.amendment_working_days == 20
    cal = calendar_for(pack.calendar)
    # Requested Friday 26 Sep 2025. By hand: Sun 28 Sep (a working Sunday), 29, 30 Sep = 3; 1-8 Oct
    # off; 9, 10 Oct, Sat 11 Oct (working) = 6; then 13-17, 20-24, 27-30 Oct = 20 on Thursday 30 Oct.
    requested = D(2025, 9, 26)
    info = views.deadline_info(amendment(requested), pack, requested)
    assert info.deadline == D(2025, 10, 30)
    assert cal.working_days_between(requested, info.deadline) == 20 and info.working_days_left == 20


def test_on_both_sides_of_the_deadline():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    requested = D(2026, 3, 2)
    deadline = views.deadline_info(amendment(requested), pack, requested).deadline
    on_the_day = views.deadline_info(amendment(requested), pack, deadline)
    assert (on_the_day.working_days_left, on_the_day.overdue) == (0, False)
    day_after = cal.add_working_days(deadline, 1)
    late = views.deadline_info(amendment(requested), pack, day_after)
    assert (late.working_days_left, late.overdue) == (-1, True)
    # a decision on the deadline is in time, one working day later is not; the clock stops at the decision
    assert not views.deadline_info(amendment(requested, A.approved, decided_on=deadline), pack, D(2026, 12, 1)).overdue
    decided_late = views.deadline_info(amendment(requested, A.refused, decided_on=day_after), pack, D(2026, 12, 1))
    assert decided_late.overdue and decided_late.working_days_left == -1 and not decided_late.clock_running
    withdrawn = views.deadline_info(amendment(requested, A.withdrawn, closed_on=D(2026, 3, 9)), pack, D(2026, 12, 1))
    assert withdrawn.working_days_used == 5 and not withdrawn.overdue


def test_request_date_is_the_date_in_shanghai(aw, session):
    """17:30 UTC on Friday 6 March 2026 is already Saturday 7 March in Beijing time."""
    n = aw.licence()
    exp = session.execute(select(User).where(User.username == "exp")).scalar_one()
    actor = Principal(exp.id, exp.username, Role.exporter, exp.org_id)
    data = AmendmentIn(changes=[{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], reason="contract changed")
    am = service.request(session, actor, n, data, at=dt.datetime(2026, 3, 6, 17, 30, tzinfo=dt.UTC))
    session.commit()
    assert am.requested_on == D(2026, 3, 7)
    out = views.detail(session, am, today=D(2026, 3, 9))
    cal = calendar_for(get_pack().calendar)
    assert out.deadline == cal.add_working_days(D(2026, 3, 7), 20) == D(2026, 4, 3)
    assert out.working_days_left == 19 and out.deadline_info.working_days_used == 1


def test_api_shows_deadline_and_days_left(aw):
    n = aw.licence()
    am = aw.ask(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    pack = get_pack()
    today = pack.today()
    assert am["requested_on"] == today.isoformat()
    assert am["deadline"] == calendar_for(pack.calendar).add_working_days(today, 20).isoformat()
    assert am["working_days_left"] == 20 and am["deadline_info"]["working_days_allowed"] == 20
    assert am["overdue"] is False and am["deadline_info"]["clock_running"] is True
