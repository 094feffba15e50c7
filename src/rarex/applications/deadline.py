"""The decision clock of a case: acceptance, the working days from it, stops, and why.

Acceptance (Administrative Licensing Law Arts. 32 and 82; the pack's ``acceptance`` rule):
within N (5) working days of receiving the materials the authority accepts the request or tells
the applicant every correction at once. If it does neither, the request is deemed accepted on
the day the materials were received. That holds without anyone acting: from the first day past
the window a case shows as deemed accepted, its clock counted from receipt, whether or not
``rarex deem-accepted`` has recorded it yet.

The decision (DUR Art. 17: 45 working days; amendments, Art. 18 para. 3: 20) counts from
acceptance. Only technical identification, expert opinion and on-site checks stop it (Art. 17
para. 3; the pack's ``clock_stop_kinds``); a request for more information does not. A stop that
starts on day S and ends on day E removes the working days in (S, E]: the day it started still
counts, the day it ended does not. While a stop is open the deadline is not known, only the
days left. No deadline runs at all in the pack's ``no_deadline_cases`` (a State Council
referral, Art. 17 para. 2; a watch-listed party, Art. 26 para. 2).

:func:`case_clock` is that clock without the application around it; amendments run on it too.
Every answer carries a ``clock_state`` and a one-line explanation in English and Chinese with
the legal reference it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rarex.applications.models import Application, ApplicationStatus
from rarex.core.calendar import WorkingCalendar, calendar_for


class ClockState(StrEnum):
    not_submitted = "not_submitted"
    awaiting_acceptance = "awaiting_acceptance"
    running = "running"
    stopped = "stopped"
    no_deadline = "no_deadline"
    decided = "decided"
    closed = "closed"


@dataclass(frozen=True)
class DeadlineInfo:
    working_days_allowed: int | None
    accepted_on: dt.date | None
    deadline: dt.date | None
    working_days_used: int | None
    working_days_left: int | None
    clock_running: bool
    stopped_working_days: int
    overdue: bool
    caveat: str | None = None
    #: Why no deadline runs (a no-deadline case of the pack), when one applies.
    no_deadline: str | None = None
    clock_state: ClockState = ClockState.not_submitted
    received_on: dt.date | None = None
    #: The last day to accept or ask for corrections; past it the case is deemed accepted.
    acceptance_due: dt.date | None = None
    deemed_accepted: bool = False
    stopped_by: str | None = None
    stopped_since: dt.date | None = None
    no_deadline_case: str | None = None
    explanation_en: str = ""
    explanation_zh: str = ""
    legal_ref: str = ""

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def acceptance_due(pack, received_on: dt.date) -> dt.date:
    """The last working day of the acceptance window that opened on ``received_on``."""
    return calendar_for(pack.calendar).add_working_days(received_on, pack.deadlines.acceptance.working_days)


def deemed_acceptance(pack, received_on: dt.date, today: dt.date) -> dt.date | None:
    """The day a request received on ``received_on`` and neither accepted nor returned counts as
    accepted, once ``today`` is past the window; None while the window is open."""
    if today <= acceptance_due(pack, received_on):
        return None
    return received_on  # the pack's ``deemed_accepted_on: receipt``


def _counted(cal: WorkingCalendar, started_on: dt.date, end: dt.date, stops: Iterable) -> tuple[int, int, Any]:
    """Working days used since ``started_on`` up to ``end``, days stopped, and the open stop."""
    stopped, open_stop = 0, None
    for stop in stops:
        if stop.ended_on is None:
            open_stop = stop
            stopped += cal.working_days_between(stop.started_on, end)
        else:
            stopped += cal.working_days_between(stop.started_on, min(stop.ended_on, end))
    return cal.working_days_between(started_on, end) - stopped, stopped, open_stop


def case_clock(
    pack,
    rule,
    today: dt.date,
    *,
    received_on: dt.date | None,
    accepted_on: dt.date | None,
    deemed: bool = False,
    stops: Iterable = (),
    no_deadline_case: str | None = None,
    no_deadline_since: dt.date | None = None,
    ended_on: dt.date | None = None,
    decided_on: dt.date | None = None,
    closed: bool = False,
    waiting_for_applicant: bool = False,
) -> DeadlineInfo:
    """The clock of one case under ``rule`` (the pack's ``decision`` or ``amendment``).

    ``received_on`` is the day the materials arrived (None: not submitted); ``accepted_on`` the
    recorded acceptance (None: not yet, and then it is deemed once the window passed);
    ``stops`` have ``kind``/``started_on``/``ended_on``; ``ended_on`` is the day the case closed
    (decided, withdrawn, lapsed), after which no day counts; ``decided_on`` says it was decided.
    """
    acc = pack.deadlines.acceptance
    cal = calendar_for(pack.calendar)
    allowed = rule.working_days
    due = acceptance_due(pack, received_on) if received_on is not None else None
    if accepted_on is None and received_on is not None:
        deemed_on = deemed_acceptance(pack, received_on, ended_on or today)
        if deemed_on is not None:
            accepted_on, deemed = deemed_on, True
    base = {"working_days_allowed": allowed, "received_on": received_on, "acceptance_due": due,
            "accepted_on": accepted_on, "deemed_accepted": deemed and accepted_on is not None}

    def info(state: ClockState, en: str, zh: str, ref: str, **kw) -> DeadlineInfo:
        fields = {"deadline": None, "working_days_used": None, "working_days_left": None, "clock_running": False,
                  "stopped_working_days": 0, "overdue": False, **base, **kw}
        return DeadlineInfo(clock_state=state, explanation_en=en, explanation_zh=zh, legal_ref=ref, **fields)

    if received_on is None:
        if closed:
            return info(ClockState.closed, f"Closed on {ended_on} before it was submitted; no clock ran.",
                        f"于{ended_on}在提交前结束，未计时。", acc.legal_ref)
        return info(ClockState.not_submitted, "Not submitted: no clock runs until the materials are received.",
                    "尚未提交：收到申请材料前不计时。", acc.legal_ref)
    if no_deadline_case is not None and decided_on is None and not closed:
        case = pack.deadlines.no_deadline_cases[no_deadline_case]
        since = f" since {no_deadline_since}" if no_deadline_since else ""
        since_zh = f"自{no_deadline_since}起" if no_deadline_since else ""
        return info(ClockState.no_deadline, f"No decision deadline{since}: {case.label_en}.",
                    f"{since_zh}不适用审查期限：{case.label_zh}。", case.legal_ref,
                    working_days_allowed=None, no_deadline_case=no_deadline_case,
                    no_deadline=f"{case.label_en} ({case.legal_ref}): no decision deadline runs")
    if accepted_on is None:
        if closed:
            return info(ClockState.closed, f"Closed on {ended_on} before it was accepted; no clock ran.",
                        f"于{ended_on}在受理前结束，未计时。", acc.legal_ref)
        return info(ClockState.awaiting_acceptance,
                    f"Received on {received_on}; to be accepted, or every correction asked for at once, by {due} "
                    f"({acc.working_days} working days); otherwise deemed accepted on {received_on}, and the "
                    f"{allowed} working days count from then.",
                    f"已于{received_on}收到申请材料；应于{due}前受理或者一次告知需要补正的全部内容（{acc.working_days}个工作日），"
                    f"逾期即视为自{received_on}起受理，{allowed}个工作日自受理之日起算。", acc.legal_ref)
    end = ended_on or today
    used, stopped, open_stop = _counted(cal, accepted_on, end, stops)
    left = allowed - used
    deadline = None if open_stop is not None else cal.add_working_days(accepted_on, allowed + stopped)
    overdue = (left < 0) if decided_on is None else bool(deadline and decided_on > deadline)
    numbers = {"deadline": deadline, "working_days_used": used, "working_days_left": left, "stopped_working_days": stopped,
               "overdue": overdue, "caveat": cal.caveat(*(d for d in (deadline, today) if d))}
    how = (f"deemed accepted on {accepted_on} (neither accepted nor returned within {acc.working_days} working days "
           f"of receipt, {acc.legal_ref})" if base["deemed_accepted"] else f"accepted on {accepted_on}")
    how_zh = (f"视为于{accepted_on}受理（收到材料后{acc.working_days}个工作日内未受理也未告知补正）" if base["deemed_accepted"]
              else f"于{accepted_on}受理")
    ref = f"{rule.legal_ref}; {acc.legal_ref}" if base["deemed_accepted"] else rule.legal_ref
    if decided_on is not None:
        late = " (late)" if overdue else ""
        return info(ClockState.decided,
                    f"Decided on {decided_on}{late}: {how}, {used} of {allowed} working days used.",
                    f"已于{decided_on}作出决定{'（逾期）' if overdue else ''}：{how_zh}，用时{used}个工作日（期限{allowed}个工作日）。",
                    ref, **numbers)
    if closed:
        return info(ClockState.closed, f"Closed on {ended_on} without a decision: {how}; no clock runs any more.",
                    f"于{ended_on}未经决定而结束：{how_zh}；不再计时。", ref, **numbers)
    if open_stop is not None:
        kind = pack.deadlines.clock_stop_kinds[open_stop.kind]
        return info(ClockState.stopped,
                    f"Clock stopped since {open_stop.started_on} for {kind.label_en.lower()}: that time does not "
                    f"count ({how}; {used} of {allowed} working days used, {left} left).",
                    f"自{open_stop.started_on}起因{kind.label_zh}停止计时，该期间不计入审查期限（{how_zh}；"
                    f"已用{used}个工作日，尚余{left}个）。",
                    kind.legal_ref, stopped_by=open_stop.kind, stopped_since=open_stop.started_on, **numbers)
    en = (f"Clock running: {how}; {allowed} working days run to {deadline}, {left} left"
          f"{' (OVERDUE)' if overdue else ''}.")
    zh = f"正在计时：{how_zh}；{allowed}个工作日至{deadline}届满，尚余{left}个{'（已逾期）' if overdue else ''}。"
    if waiting_for_applicant:
        en += (" Waiting for the applicant's answer to a request for more information, which does not stop the "
               "clock (only technical identification, expert opinion and on-site checks do).")
        zh += "正在等待申请人补充材料；补充材料不中止计时（仅技术鉴别、专家评审和实地核查的时间不计入）。"
        ref = f"{ref}; DUR Art. 17 para. 3"
    return info(ClockState.running, en, zh, ref, clock_running=True, **numbers)


def received_on(app: Application, pack) -> dt.date | None:
    """The day the materials now before the ministry were received: the last submission (a
    resubmission after a return is a new receipt). None for a draft."""
    if app.status == ApplicationStatus.draft or app.submitted_at is None:
        return None
    return app.submitted_at.astimezone(pack.tz).date()


def deadline_info(app: Application, pack, today: dt.date, *, no_deadline_case: str | None = None) -> DeadlineInfo:
    """The case's clock. A State Council referral on the case, or ``no_deadline_case`` (a code
    of the pack's ``no_deadline_cases`` found by screening: the watch list), means no deadline."""
    if app.referred_on is not None:
        no_deadline_case = "state_council_referral"
    withdrawn_on = app.withdrawn_at.astimezone(pack.tz).date() if app.withdrawn_at else None
    return case_clock(
        pack, pack.deadlines.decision, today,
        received_on=received_on(app, pack), accepted_on=app.accepted_on, deemed=app.deemed_accepted,
        stops=app.clock_stops, no_deadline_case=no_deadline_case, no_deadline_since=app.referred_on,
        ended_on=app.decided_on or withdrawn_on, decided_on=app.decided_on,
        closed=app.status in (ApplicationStatus.approved, ApplicationStatus.refused, ApplicationStatus.withdrawn),
        waiting_for_applicant=app.status == ApplicationStatus.information_requested,
    )
