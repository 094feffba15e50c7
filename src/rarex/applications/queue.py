"""The officer's queue: the open cases, most urgent first, with the filters a desk needs.

Urgency is the legal clock (DUR Art. 17; ALL Art. 32): a case past its deadline comes first,
then the fewest working days left, counting for a case not yet accepted the days left to
accept it or ask for corrections (after which it is deemed accepted). A stopped clock keeps
its days left; a case with no deadline (State Council referral, watch-listed party) comes last.
The deadlines are computed for the open cases only (the queue is those), not for every case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, lazyload

from rarex.applications import views
from rarex.applications.deadline import ClockState
from rarex.applications.flows import OPEN
from rarex.applications.models import Application, ApplicationItem
from rarex.applications.models import ApplicationStatus as S
from rarex.applications.schemas import ApplicationSummary
from rarex.core.authz import Principal, require, scope
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack
from rarex.screening.models import HitStatus, ScreeningHit

#: Flags an officer filters the queue by.
FLAGS = ("overdue", "awaiting_acceptance", "stopped", "no_deadline", "open_hits")


@dataclass(frozen=True)
class QueueRow:
    case: ApplicationSummary
    open_hits: int
    #: Working days left to act: to decide, or (not yet accepted) to accept; None: no deadline.
    days_to_act: int | None


def queue(session: Session, actor: Principal, *, statuses: Collection[S] | None = None, licence_type: str | None = None,
          element: str | None = None, flag: str | None = None, today: dt.date | None = None) -> list[QueueRow]:
    require(actor, "application.review")
    pack = get_pack()
    today = today or pack.today()
    wanted = [s for s in (statuses or OPEN) if s in OPEN]
    # Only the clock's columns and stops are read here: the other collections (items,
    # documents, checks, requests) would be selectin-loaded for every open case, and the texts
    # and JSON columns decoded, and never used (at 10,000 open cases that was half the time).
    stmt = (scope(select(Application), actor, Application.org_id).where(Application.status.in_(wanted))
            .options(lazyload(Application.items), lazyload(Application.documents), lazyload(Application.checks),
                     lazyload(Application.information_requests),
                     defer(Application.conditions), defer(Application.special_approval_listings),
                     defer(Application.end_use), defer(Application.recommendation_reasons),
                     defer(Application.decision_reasons), defer(Application.referral_reason)))
    if licence_type:
        stmt = stmt.where(Application.licence_type == licence_type)
    if element:
        codes = [e.code for e in pack.entries if e.element == element]
        stmt = stmt.where(Application.id.in_(select(ApplicationItem.application_id)
                                             .where(ApplicationItem.control_code.in_(codes or [""]))))
    apps = list(session.execute(stmt).scalars())
    hits = dict(session.execute(
        select(ScreeningHit.application_id, func.count()).where(
            ScreeningHit.application_id.in_([a.id for a in apps]), ScreeningHit.status == HitStatus.open,
            ScreeningHit.alert.is_(True)).group_by(ScreeningHit.application_id)).all()) if apps else {}
    cal = calendar_for(pack.calendar)
    rows = []
    for case in views.summaries(session, apps, today):
        days: int | None
        if case.clock_state == ClockState.awaiting_acceptance and case.acceptance_due is not None:
            days = cal.working_days_between(today, case.acceptance_due)  # past the due day it is deemed accepted
        else:
            days = case.working_days_left
        rows.append(QueueRow(case, hits.get(case.id, 0), days))
    if flag:
        rows = [r for r in rows if _flagged(r, flag)]
    rows.sort(key=lambda r: (r.days_to_act is None, r.days_to_act if r.days_to_act is not None else 0, r.case.id))
    return rows


def _flagged(row: QueueRow, flag: str) -> bool:
    if flag == "open_hits":
        return row.open_hits > 0
    if flag == "overdue":
        return row.case.overdue
    return row.case.clock_state == flag
