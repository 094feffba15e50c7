"""The decision deadline: N working days from acceptance, not counting clock stops.

DUR Art. 17: the ministry decides within the pack's ``decision_working_days`` (45) of accepting
an application; time spent waiting for the applicant, on technical identification, expert
opinion or on-site checks does not count. A clock stop that starts on day S and ends on day E
removes the working days in (S, E]: the day the request went out still counts, the day the
answer arrived does not. While a stop is open the deadline is not known, only the days left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rarex.applications.models import Application, ApplicationStatus
from rarex.core.calendar import calendar_for


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

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def deadline_info(app: Application, pack, today: dt.date) -> DeadlineInfo:
    allowed = pack.deadlines.decision_working_days
    if app.accepted_on is None:
        return DeadlineInfo(allowed, None, None, None, None, False, 0, False)
    cal = calendar_for(pack.calendar)
    end = app.decided_on or (app.withdrawn_at and app.withdrawn_at.astimezone(pack.tz).date()) or today
    stopped = 0
    open_stop = None
    for stop in app.clock_stops:
        if stop.ended_on is None:
            open_stop = stop
            stopped += cal.working_days_between(stop.started_on, end)
        else:
            stopped += cal.working_days_between(stop.started_on, min(stop.ended_on, end))
    used = cal.working_days_between(app.accepted_on, end) - stopped
    left = allowed - used
    closed = app.status in (ApplicationStatus.approved, ApplicationStatus.refused, ApplicationStatus.withdrawn)
    running = open_stop is None and not closed
    deadline = None if open_stop is not None else cal.add_working_days(app.accepted_on, allowed + stopped)
    overdue = left < 0 if not closed else bool(deadline and app.decided_on and app.decided_on > deadline)
    return DeadlineInfo(
        working_days_allowed=allowed,
        accepted_on=app.accepted_on,
        deadline=deadline,
        working_days_used=used,
        working_days_left=left,
        clock_running=running,
        stopped_working_days=stopped,
        overdue=overdue,
        caveat=cal.caveat(*(d for d in (deadline, today) if d)),
    )
