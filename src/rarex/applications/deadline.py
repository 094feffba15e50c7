"""The decision deadline: N working days from acceptance, not counting clock stops.

DUR Art. 17: the ministry decides within the pack's ``decision_working_days`` (45) of accepting
an application; time spent waiting for the applicant, on technical identification, expert
opinion or on-site checks does not count. A clock stop that starts on day S and ends on day E
removes the working days in (S, E]: the day the request went out still counts, the day the
answer arrived does not. While a stop is open the deadline is not known, only the days left.

:func:`working_day_clock` is that clock without the application around it; amendments
(DUR Art. 18 para. 3, 20 working days from the request) run on it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rarex.applications.models import Application, ApplicationStatus
from rarex.core.calendar import WorkingCalendar, calendar_for


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

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def working_day_clock(
    cal: WorkingCalendar,
    allowed: int,
    started_on: dt.date | None,
    today: dt.date,
    *,
    stops: Iterable = (),
    ended_on: dt.date | None = None,
    decided_on: dt.date | None = None,
    closed: bool = False,
) -> DeadlineInfo:
    """``allowed`` working days from ``started_on``, less the working days of clock ``stops``.

    The one clock every decision deadline of the regime runs on: applications (DUR Art. 17,
    from acceptance, with stops) and amendments (DUR Art. 18 para. 3, from the request, no
    stops). ``stops`` have ``started_on``/``ended_on`` (None while open); ``ended_on`` is the day
    the case closed (decided, withdrawn), after which no day counts; ``decided_on`` judges
    whether a closed case was decided late.
    """
    if started_on is None:
        return DeadlineInfo(allowed, None, None, None, None, False, 0, False)
    end = ended_on or today
    stopped = 0
    open_stop = None
    for stop in stops:
        if stop.ended_on is None:
            open_stop = stop
            stopped += cal.working_days_between(stop.started_on, end)
        else:
            stopped += cal.working_days_between(stop.started_on, min(stop.ended_on, end))
    used = cal.working_days_between(started_on, end) - stopped
    left = allowed - used
    running = open_stop is None and not closed
    deadline = None if open_stop is not None else cal.add_working_days(started_on, allowed + stopped)
    overdue = left < 0 if not closed else bool(deadline and decided_on and decided_on > deadline)
    return DeadlineInfo(
        working_days_allowed=allowed,
        accepted_on=started_on,
        deadline=deadline,
        working_days_used=used,
        working_days_left=left,
        clock_running=running,
        stopped_working_days=stopped,
        overdue=overdue,
        caveat=cal.caveat(*(d for d in (deadline, today) if d)),
    )


def deadline_info(app: Application, pack, today: dt.date, *, no_deadline_case: str | None = None) -> DeadlineInfo:
    """The case's decision deadline; none at all when ``no_deadline_case`` (a code of the pack's
    ``no_deadline_cases``) applies to it (DUR Art. 17 para. 2, Art. 26 para. 2)."""
    allowed = pack.deadlines.decision_working_days
    if no_deadline_case is not None:
        case = pack.deadlines.no_deadline_cases[no_deadline_case]
        return DeadlineInfo(None, app.accepted_on, None, None, None, False, 0, False,
                            no_deadline=f"{case.label_en} ({case.legal_ref}): no decision deadline runs")
    if app.accepted_on is None:
        return DeadlineInfo(allowed, None, None, None, None, False, 0, False)
    closed = app.status in (ApplicationStatus.approved, ApplicationStatus.refused, ApplicationStatus.withdrawn)
    return working_day_clock(
        calendar_for(pack.calendar), allowed, app.accepted_on, today,
        stops=app.clock_stops,
        ended_on=app.decided_on or (app.withdrawn_at and app.withdrawn_at.astimezone(pack.tz).date()),
        decided_on=app.decided_on,
        closed=closed,
    )
