"""Build the API's view of applications: names instead of ids, the deadline, allowed actions.

Names are fetched in one query per list, not one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.deadline import deadline_info
from rarex.applications.flows import APPLICATION
from rarex.applications.models import Application
from rarex.applications.schemas import (
    ApplicationOut,
    ApplicationSummary,
    CheckOut,
    ClockStopOut,
    DeadlineOut,
    DocumentOut,
    ItemOut,
    PartyBrief,
)
from rarex.licences.models import Licence
from rarex.parties.models import Organisation
from rarex.parties.versions import resolve
from rarex.policy.service import get_pack
from rarex.screening import cases as screening
from rarex.users.models import User


def _org_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Organisation.id, Organisation.name_en).where(Organisation.id.in_(ids)))
    return dict(rows.all())


def summaries(session: Session, apps: Sequence[Application], today: dt.date | None = None,
              no_deadline: dict[int, str] | None = None) -> list[ApplicationSummary]:
    """``no_deadline`` (application id -> no-deadline case) is looked up when not given."""
    pack = get_pack()
    today = today or pack.today()
    names = _org_names(session, {a.org_id for a in apps})
    if no_deadline is None:
        no_deadline = screening.no_deadline_cases(session, [a.id for a in apps], pack)
    out = []
    for a in apps:
        d = deadline_info(a, pack, today, no_deadline_case=no_deadline.get(a.id))
        out.append(ApplicationSummary(
            id=a.id, reference=a.reference, org_id=a.org_id, organisation=names.get(a.org_id, ""),
            licence_type=a.licence_type, status=a.status, created_at=a.created_at, submitted_at=a.submitted_at,
            decided_on=a.decided_on, decision=a.decision, deadline=d.deadline, working_days_left=d.working_days_left,
        ))
    return out


def detail(session: Session, app: Application, today: dt.date | None = None) -> ApplicationOut:
    pack = get_pack()
    today = today or pack.today()
    no_deadline = screening.no_deadline_cases(session, [app.id], pack)
    base = summaries(session, [app], today, no_deadline)[0]
    # Each party as the case froze it on submission (as it stands now while a draft).
    consignee = (app.consignee_id, app.consignee_version_id)
    end_user = (app.end_user_id, app.end_user_version_id)
    end_users = list(dict.fromkeys(r for r in ((i.end_user_id, i.end_user_version_id) if i.end_user_id else end_user
                                               for i in app.items) if r[0]))
    if app.end_user_id and end_user not in end_users:
        end_users.insert(0, end_user)
    parties = resolve(session, [consignee, end_user, *end_users])
    user_ids = {u for u in (app.recommended_by, app.decided_by) if u}
    users = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()) if user_ids else {}
    licence_no = session.execute(select(Licence.number).where(Licence.application_id == app.id)).scalar_one_or_none()

    def brief(ref):
        return PartyBrief.model_validate(parties[ref]) if ref in parties else None

    return ApplicationOut(
        **base.model_dump(),
        consignee=brief(consignee),
        end_user=brief(end_user),
        end_users=[b for b in (brief(r) for r in end_users) if b],
        end_use=app.end_use,
        requested_validity_months=app.requested_validity_months,
        items=[ItemOut.model_validate(i) for i in app.items],
        documents=[DocumentOut.model_validate(d) for d in app.documents],
        checks=[CheckOut.model_validate(c) for c in app.checks],
        clock_stops=[ClockStopOut.model_validate(s) for s in app.clock_stops],
        deadline_info=DeadlineOut(**deadline_info(app, pack, today, no_deadline_case=no_deadline.get(app.id)).as_dict()),
        accepted_on=app.accepted_on,
        recommendation=app.recommendation,
        recommendation_reasons=app.recommendation_reasons,
        recommended_by=users.get(app.recommended_by),
        decision_reasons=app.decision_reasons,
        decided_by=users.get(app.decided_by),
        conditions=list(app.conditions or []),
        licence_number=licence_no,
        allowed_actions=APPLICATION.allowed_actions(app.status),
    )
