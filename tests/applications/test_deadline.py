"""The decision clock: acceptance within 5 working days of receipt (else deemed accepted on
receipt), 45 working days from acceptance, stopped only by identification, expert opinion or
on-site checks, no deadline on a State Council referral; China's calendar throughout."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from rarex.applications.deadline import ClockState, acceptance_due, deadline_info
from rarex.applications.models import ApplicationStatus as S
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def app(accepted_on, stops=(), status=S.under_review, decided_on=None, received=None, referred_on=None, deemed=False):
    received = received or accepted_on or D(2025, 5, 6)
    return SimpleNamespace(
        accepted_on=accepted_on, decided_on=decided_on, withdrawn_at=None, status=status, deemed_accepted=deemed,
        submitted_at=dt.datetime.combine(received, dt.time(10), SHANGHAI), referred_on=referred_on,
        clock_stops=[SimpleNamespace(kind=k, started_on=s, ended_on=e) for k, s, e in stops],
    )


def test_a_draft_has_no_clock():
    info = deadline_info(app(None, status=S.draft), get_pack(), D(2025, 6, 1))
    assert info.clock_state == ClockState.not_submitted and info.deadline is None and info.received_on is None


# --- acceptance: day 5 and day 6 around National Day 2025 -------------------------------------

# Received Thursday 25 Sep 2025. Working days after it: Fri 26 (1), Sun 28 (a working Sunday, 2),
# Mon 29 (3), Tue 30 (4); 1-8 Oct are off; Thu 9 Oct is the fifth, Fri 10 Oct the sixth.
RECEIVED, DAY_5, DAY_6 = D(2025, 9, 25), D(2025, 10, 9), D(2025, 10, 10)


def test_the_acceptance_window_is_5_working_days_over_the_holiday():
    pack = get_pack()
    assert acceptance_due(pack, RECEIVED) == DAY_5
    assert calendar_for(pack.calendar).working_days_between(RECEIVED, DAY_5) == 5


def test_on_day_5_the_case_still_awaits_acceptance():
    info = deadline_info(app(None, status=S.submitted, received=RECEIVED), get_pack(), DAY_5)
    assert info.clock_state == ClockState.awaiting_acceptance
    assert (info.received_on, info.acceptance_due, info.accepted_on, info.deemed_accepted) == (RECEIVED, DAY_5, None, False)
    assert info.deadline is None and info.working_days_left is None and info.clock_running is False
    assert "2025-10-09" in info.explanation_en and "deemed accepted on 2025-09-25" in info.explanation_en
    assert "视为自2025-09-25起受理" in info.explanation_zh and "Administrative Licensing Law Art. 32" in info.legal_ref


def test_on_day_6_the_case_is_deemed_accepted_on_receipt_and_the_45_days_run_from_then():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    info = deadline_info(app(None, status=S.submitted, received=RECEIVED), pack, DAY_6)
    assert info.clock_state == ClockState.running and info.clock_running
    assert (info.accepted_on, info.deemed_accepted) == (RECEIVED, True)
    assert info.deadline == cal.add_working_days(RECEIVED, 45)
    assert (info.working_days_used, info.working_days_left) == (6, 39)
    assert "deemed accepted on 2025-09-25" in info.explanation_en and "视为于2025-09-25受理" in info.explanation_zh
    assert "DUR Art. 17 para. 1" in info.legal_ref and "Art. 32" in info.legal_ref


def test_over_a_weekend_after_day_5_the_case_is_already_deemed_accepted():
    # Received Mon 2 Mar 2026: day 5 is Mon 9 Mar; the Saturday before it is still inside the window.
    pack = get_pack()
    received = D(2026, 3, 2)
    assert acceptance_due(pack, received) == D(2026, 3, 9)
    assert deadline_info(app(None, status=S.submitted, received=received), pack, D(2026, 3, 7)).clock_state == "awaiting_acceptance"
    assert deadline_info(app(None, status=S.submitted, received=received), pack, D(2026, 3, 10)).deemed_accepted


def test_a_recorded_acceptance_within_the_window_starts_the_clock_that_day():
    pack = get_pack()
    info = deadline_info(app(D(2025, 9, 29), received=RECEIVED), pack, DAY_6)
    assert (info.accepted_on, info.deemed_accepted, info.received_on) == (D(2025, 9, 29), False, RECEIVED)
    assert info.working_days_used == calendar_for(pack.calendar).working_days_between(D(2025, 9, 29), DAY_6) == 3  # 30 Sep, 9 and 10 Oct


# --- the 45 days -----------------------------------------------------------------------------


def test_deadline_is_45_working_days_after_acceptance_skipping_holidays():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    # Accepted Friday 2025-09-19; National Day week (1-8 Oct 2025) and the working Sundays 28 Sep / 11 Oct.
    info = deadline_info(app(D(2025, 9, 19)), pack, D(2025, 9, 19))
    assert info.deadline == cal.add_working_days(D(2025, 9, 19), 45)
    assert info.working_days_left == 45
    assert cal.working_days_between(D(2025, 9, 19), info.deadline) == 45
    assert not cal.is_working_day(D(2025, 10, 1)) and cal.is_working_day(D(2025, 9, 28))


def test_a_request_for_information_does_not_stop_the_clock():
    pack = get_pack()
    accepted = D(2025, 5, 6)
    running = deadline_info(app(accepted), pack, D(2025, 6, 3))
    waiting = deadline_info(app(accepted, status=S.information_requested), pack, D(2025, 6, 3))
    assert waiting.clock_state == ClockState.running and waiting.clock_running
    assert (waiting.deadline, waiting.working_days_left) == (running.deadline, running.working_days_left)
    assert "waiting for the applicant" in waiting.explanation_en.lower() and "不中止计时" in waiting.explanation_zh
    assert "DUR Art. 17 para. 3" in waiting.legal_ref


def test_an_expert_opinion_stops_the_clock_before_during_and_after():
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    accepted = D(2025, 5, 6)
    base = deadline_info(app(accepted), pack, accepted).deadline
    start, end = D(2025, 5, 12), D(2025, 5, 19)  # Monday to Monday: 5 working days in (S, E]
    # before: the day the stop starts still counts
    before = deadline_info(app(accepted, [("expert_opinion", start, None)]), pack, start)
    used_at_start = cal.working_days_between(accepted, start)
    assert before.working_days_used == used_at_start and before.clock_state == ClockState.stopped
    # during: the days left stand still and the deadline is not known
    during = deadline_info(app(accepted, [("expert_opinion", start, None)]), pack, D(2025, 5, 16))
    assert during.working_days_used == used_at_start and during.working_days_left == 45 - used_at_start
    assert during.deadline is None and during.clock_running is False and during.stopped_by == "expert_opinion"
    assert during.stopped_since == start and "2025-05-12" in during.explanation_en and "专家" in during.explanation_zh
    assert during.legal_ref == "DUR Art. 17 para. 3"
    # after: the clock runs again from the day after the end; the deadline moves by the 5 days
    after = deadline_info(app(accepted, [("expert_opinion", start, end)]), pack, D(2025, 5, 20))
    assert after.stopped_working_days == 5 and after.deadline == cal.add_working_days(base, 5)
    assert after.working_days_used == cal.working_days_between(accepted, D(2025, 5, 20)) - 5 == used_at_start + 1
    assert after.clock_state == ClockState.running


def test_a_state_council_referral_means_no_deadline():
    pack = get_pack()
    accepted = D(2025, 5, 6)
    info = deadline_info(app(accepted, referred_on=D(2025, 5, 20)), pack, D(2026, 1, 5))
    assert info.clock_state == ClockState.no_deadline and info.no_deadline_case == "state_council_referral"
    assert info.deadline is None and info.working_days_left is None and info.overdue is False
    assert "since 2025-05-20" in info.explanation_en and "国务院" in info.explanation_zh
    assert info.legal_ref == "DUR Art. 17 para. 2"
    # the watch list (found by screening) still gives no deadline of its own
    watch = deadline_info(app(accepted), pack, D(2026, 1, 5), no_deadline_case="watch_list_party")
    assert watch.no_deadline_case == "watch_list_party" and watch.legal_ref == "DUR Art. 26 para. 2"


def test_overdue_on_both_sides_of_the_deadline():
    pack = get_pack()
    accepted = D(2025, 5, 6)
    deadline = deadline_info(app(accepted), pack, accepted).deadline
    assert deadline_info(app(accepted), pack, deadline).overdue is False
    assert deadline_info(app(accepted), pack, deadline).working_days_left == 0
    next_wd = calendar_for(pack.calendar).add_working_days(deadline, 1)
    assert deadline_info(app(accepted), pack, next_wd).overdue is True
    decided_late = app(accepted, status=S.approved, decided_on=next_wd)
    late = deadline_info(decided_late, pack, D(2026, 1, 1))
    assert late.overdue is True and late.clock_state == ClockState.decided and "(late)" in late.explanation_en
    decided_on_time = app(accepted, status=S.approved, decided_on=deadline)
    assert deadline_info(decided_on_time, pack, D(2026, 1, 1)).overdue is False
