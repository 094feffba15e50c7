"""The 20-working-day clock (DUR Art. 18 para. 3; pack deadlines.amendment): from the ACCEPTANCE
of the amendment request ("自受理变更申请之日起"), which an officer gives within 5 working days of
receipt or which is deemed given on the day of receipt (Administrative Licensing Law Art. 32);
China's official working days, on both sides of every date."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import select

from rarex.amendments import service, views
from rarex.amendments.models import Amendment
from rarex.amendments.models import AmendmentStatus as A
from rarex.amendments.schemas import AmendmentIn
from rarex.applications.deadline import ClockState
from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal, Role
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack
from rarex.users.models import User

D = dt.date
Q = [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}]


def amendment(requested_on, status=A.under_review, decided_on=None, closed_on=None, accepted_on="same", deemed=False):
    accepted_on = requested_on if accepted_on == "same" else accepted_on
    return SimpleNamespace(requested_on=requested_on, status=status, decided_on=decided_on, closed_on=closed_on,
                           accepted_on=accepted_on, deemed_accepted=deemed)


def test_twenty_working_days_from_acceptance_skipping_national_day():
    pack = get_pack()
    assert pack.deadlines.amendment_working_days == 20 and pack.deadlines.amendment.counted_from == "acceptance"
    cal = calendar_for(pack.calendar)
    # Accepted Friday 26 Sep 2025. By hand: Sun 28 Sep (a working Sunday), 29, 30 Sep = 3; 1-8 Oct
    # off; 9, 10 Oct, Sat 11 Oct (working) = 6; then 13-17, 20-24, 27-30 Oct = 20 on Thursday 30 Oct.
    accepted = D(2025, 9, 26)
    info = views.deadline_info(amendment(D(2025, 9, 24), accepted_on=accepted), pack, accepted)
    assert info.deadline == D(2025, 10, 30) and info.accepted_on == accepted
    assert cal.working_days_between(accepted, info.deadline) == 20 and info.working_days_left == 20


def test_pending_request_awaits_acceptance_until_day_5_and_is_deemed_accepted_on_receipt_from_day_6():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    requested = D(2025, 9, 25)  # day 5 is Thu 9 Oct (National Day week off), day 6 Fri 10 Oct
    waiting = views.deadline_info(amendment(requested, A.pending, accepted_on=None), pack, D(2025, 10, 9))
    assert waiting.clock_state == ClockState.awaiting_acceptance and waiting.deadline is None
    assert waiting.acceptance_due == D(2025, 10, 9) and waiting.working_days_left is None
    deemed = views.deadline_info(amendment(requested, A.pending, accepted_on=None), pack, D(2025, 10, 10))
    assert deemed.clock_state == ClockState.running and (deemed.accepted_on, deemed.deemed_accepted) == (requested, True)
    assert deemed.deadline == cal.add_working_days(requested, 20) and deemed.working_days_used == 6
    assert "DUR Art. 18 para. 3" in deemed.legal_ref and "Art. 32" in deemed.legal_ref


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
    assert decided_late.clock_state == ClockState.decided
    withdrawn = views.deadline_info(amendment(requested, A.withdrawn, closed_on=D(2026, 3, 9)), pack, D(2026, 12, 1))
    assert withdrawn.working_days_used == 5 and not withdrawn.overdue and withdrawn.clock_state == ClockState.closed


def _actor(session, username: str, role: Role) -> Principal:
    u = session.execute(select(User).where(User.username == username)).scalar_one()
    return Principal(u.id, u.username, role, u.org_id)


def test_the_clock_counts_from_acceptance_not_from_the_request(aw, session):
    """17:30 UTC on Friday 6 March 2026 is already Saturday 7 March in Beijing time; the officer
    accepts on Wednesday 11 March, inside the window: the 20 days run from the 11th."""
    n = aw.licence()
    data = AmendmentIn(changes=Q, reason="contract changed")
    am = service.request(session, _actor(session, "exp", Role.exporter), n, data, at=dt.datetime(2026, 3, 6, 17, 30, tzinfo=dt.UTC))
    assert am.requested_on == D(2026, 3, 7)
    pending = views.detail(session, am, today=D(2026, 3, 9))
    assert pending.deadline is None and pending.deadline_info.clock_state == ClockState.awaiting_acceptance
    assert pending.deadline_info.acceptance_due == D(2026, 3, 13)
    service.accept(session, _actor(session, "off", Role.officer), am.id, at=dt.datetime(2026, 3, 11, 2, tzinfo=dt.UTC))
    session.commit()
    assert (am.status, am.accepted_on, am.deemed_accepted) == (A.under_review, D(2026, 3, 11), False)
    out = views.detail(session, am, today=D(2026, 3, 12))
    assert out.deadline == calendar_for(get_pack().calendar).add_working_days(D(2026, 3, 11), 20) == D(2026, 4, 9)
    assert out.working_days_left == 19 and out.deadline_info.working_days_used == 1


def test_an_officer_accepting_after_the_window_gets_acceptance_dated_on_receipt(aw, session):
    n = aw.licence()
    am = service.request(session, _actor(session, "exp", Role.exporter), n, AmendmentIn(changes=Q, reason="contract changed"),
                         at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC))
    service.accept(session, _actor(session, "off", Role.officer), am.id, at=dt.datetime(2026, 3, 10, 2, tzinfo=dt.UTC))
    assert (am.accepted_on, am.deemed_accepted) == (D(2026, 3, 2), True)


def test_the_job_records_deemed_acceptance_from_day_6_not_on_day_5(aw, session, cli):
    n = aw.licence()
    am = service.request(session, _actor(session, "exp", Role.exporter), n, AmendmentIn(changes=Q, reason="contract changed"),
                         at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC))  # Monday; day 5 is Monday 9 March
    session.commit()
    r = cli("deem-accepted", "--on", "2026-03-09", "--json")
    assert r.exit_code == 0, r.output
    assert '"count": 0' in r.output
    r = cli("deem-accepted", "--on", "2026-03-10", "--json")
    assert r.exit_code == 0 and '"count": 1' in r.output, r.output
    session.expire_all()
    row = session.get(Amendment, am.id)
    assert (row.status, row.accepted_on, row.deemed_accepted) == (A.under_review, D(2026, 3, 2), True)
    ev = session.execute(select(AuditEvent).where(AuditEvent.type == "amendment.deemed_accepted")).scalar_one()
    assert ev.after["accepted_on"] == "2026-03-02" and "Art. 32" in ev.reason


def test_api_shows_acceptance_then_deadline_and_days_left(aw):
    n = aw.licence()
    am = aw.ask(n, Q)
    pack = get_pack()
    today = pack.today()
    cal = calendar_for(pack.calendar)
    assert am["requested_on"] == today.isoformat() and am["status"] == "pending"
    assert am["deadline"] is None and am["clock_state"] == "awaiting_acceptance"
    assert am["deadline_info"]["acceptance_due"] == cal.add_working_days(today, 5).isoformat()
    assert am["deadline_info"]["explanation_zh"]
    am = aw.accept(am["id"])
    assert am["status"] == "under_review" and am["accepted_on"] == today.isoformat()
    assert am["deadline"] == cal.add_working_days(today, 20).isoformat()
    assert am["working_days_left"] == 20 and am["deadline_info"]["working_days_allowed"] == 20
    assert am["overdue"] is False and am["deadline_info"]["clock_running"] is True
