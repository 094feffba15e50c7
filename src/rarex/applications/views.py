"""Build the API's view of applications: names instead of ids, the deadline, allowed actions.

Names are fetched in one query per list, not one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.deadline import deadline_info
from rarex.applications.flows import APPLICATION, SYSTEM_ACTIONS
from rarex.applications.models import Application
from rarex.applications.schemas import (
    ApplicationOut,
    ApplicationSummary,
    CheckOut,
    ClockStopOut,
    DeadlineOut,
    DocumentOut,
    InformationRequestOut,
    ItemOut,
    PartyBrief,
)
from rarex.applications.service import open_stop
from rarex.core.authz import Principal, allowed
from rarex.core.bilingual import Said
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
            clock_state=d.clock_state, acceptance_due=d.acceptance_due, overdue=d.overdue,
        ))
    return out


#: What a reader without ``deliberation.read`` sees of the screening check: that it ran and
#: its outcome, not which list entries matched, their scores or how an officer resolved them.
SCREENING_WITHHELD = Said("every party was screened against the restricted-party lists; any match is reviewed by the ministry",
                          "所有当事方均已与受限制当事方清单比对；任何匹配均由主管部门审查")


def _checks(app: Application, deliberation: bool) -> list[CheckOut]:
    return visible_checks([CheckOut.model_validate(c) for c in app.checks], deliberation)


def visible_checks(out: list[CheckOut], deliberation: bool) -> list[CheckOut]:
    """The checks as a reader with or without ``deliberation.read`` may see them (stored or a precheck)."""
    if deliberation:
        return out
    return [c.model_copy(update={"message": SCREENING_WITHHELD.en, "message_zh": SCREENING_WITHHELD.zh,
                                "details": None}) if c.check == screening.CHECK else c
            for c in out]


def detail(session: Session, app: Application, today: dt.date | None = None, *,
           reader: Principal | None = None) -> ApplicationOut:
    """The case as ``reader`` may see it: without ``deliberation.read`` (the exporter), the
    screening check says only that it ran, and the recommendation is left out until decided
    on. No reader (the CLI, the system) sees everything."""
    deliberation = reader is None or allowed(reader, "deliberation.read")
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
    user_ids = {u for u in (app.recommended_by, app.decided_by, app.special_approved_by) if u}
    users = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()) if user_ids else {}
    licence_no = session.execute(select(Licence.number).where(Licence.application_id == app.id)).scalar_one_or_none()

    clock = DeadlineOut(**deadline_info(app, pack, today, no_deadline_case=no_deadline.get(app.id)).as_dict())

    def brief(ref):
        return PartyBrief.model_validate(parties[ref]) if ref in parties else None

    return ApplicationOut(
        **base.model_dump(),
        consignee=brief(consignee),
        end_user=brief(end_user),
        end_users=[b for b in (brief(r) for r in end_users) if b],
        end_use=app.end_use,
        end_use_category=app.end_use_category,
        requested_validity_months=app.requested_validity_months,
        items=[ItemOut.model_validate(i) for i in app.items],
        documents=[DocumentOut.model_validate(d) for d in app.documents],
        checks=_checks(app, deliberation),
        clock_stops=[ClockStopOut.model_validate(s) for s in app.clock_stops],
        information_requests=[InformationRequestOut.model_validate(r) for r in app.information_requests],
        deadline_info=clock,
        referred_on=app.referred_on,
        referral_reason=app.referral_reason,
        accepted_on=app.accepted_on,
        recommendation=app.recommendation if deliberation else None,
        recommendation_reasons=app.recommendation_reasons if deliberation else None,
        recommended_by=users.get(app.recommended_by) if deliberation else None,
        decision_reasons=app.decision_reasons,
        decided_by=users.get(app.decided_by),
        conditions=list(app.conditions or []),
        special_approval=({"by": users.get(app.special_approved_by), "at": app.special_approved_at,
                           "listings": app.special_approval_listings} if app.special_approved_at else None),
        licence_number=licence_no,
        replaces_licence=session.execute(select(Licence.number).where(Licence.id == app.replaces_licence_id)).scalar_one()
        if app.replaces_licence_id else None,
        allowed_actions=_actions(app, clock),
    )


def _actions(app: Application, clock: DeadlineOut) -> list[str]:
    """What may be asked of the case now: its state machine's actions, less those its clock
    rules out (a return once deemed accepted, a second stop, restarting a running clock, a
    second referral)."""
    stopped = open_stop(app) is not None
    ruled_out = set(SYSTEM_ACTIONS)
    if clock.deemed_accepted:
        ruled_out.add("return")
    ruled_out |= {"stop_clock", "recommend"} if stopped else {"restart_clock"}
    if app.referred_on is not None:
        ruled_out.add("refer")
    return [a for a in APPLICATION.allowed_actions(app.status) if a not in ruled_out]
