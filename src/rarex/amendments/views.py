"""Build the API's view of amendments: licence numbers and names instead of ids, the
20-working-day deadline, allowed actions; and a licence's versions, current one last.

Names are fetched in one query per list, not one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.amendments.flows import AMENDMENT, OPEN, SYSTEM_ACTIONS
from rarex.amendments.models import Amendment, LicenceVersion
from rarex.amendments.schemas import (
    AmendmentDeadlineOut,
    AmendmentOut,
    AmendmentSummary,
    LicenceVersionOut,
    VersionLineOut,
)
from rarex.amendments.service import licence_snapshot
from rarex.applications.deadline import DeadlineInfo, case_clock
from rarex.core.authz import Principal, allowed
from rarex.licences.models import Licence
from rarex.parties.models import Organisation
from rarex.policy.service import get_pack
from rarex.users.models import User


def deadline_info(am: Amendment, pack, today: dt.date) -> DeadlineInfo:
    """DUR Art. 18 para. 3: decided within the pack's ``amendment_working_days`` (20) of the
    request's acceptance ("自受理变更申请之日起"). The request date is the day of receipt: an
    officer accepts within the acceptance window, or the request is deemed accepted on it
    (Administrative Licensing Law Art. 32). No clock stops; the clock ends on the decision,
    withdrawal or lapse date.
    """
    return case_clock(
        pack, pack.deadlines.amendment, today, received_on=am.requested_on, accepted_on=am.accepted_on,
        deemed=am.deemed_accepted, ended_on=am.decided_on or am.closed_on, decided_on=am.decided_on,
        closed=am.status not in OPEN,
    )


def _lookups(session: Session, ams: Sequence[Amendment]) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    lic_ids = {a.licence_id for a in ams}
    org_ids = {a.org_id for a in ams}
    lics = {i: (n, t) for i, n, t in session.execute(
        select(Licence.id, Licence.number, Licence.licence_type).where(Licence.id.in_(lic_ids))).all()} if lic_ids else {}
    orgs = dict(session.execute(select(Organisation.id, Organisation.name_en).where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    return lics, orgs


def summaries(session: Session, ams: Sequence[Amendment], today: dt.date | None = None) -> list[AmendmentSummary]:
    pack = get_pack()
    today = today or pack.today()
    lics, orgs = _lookups(session, ams)
    out = []
    for a in ams:
        d = deadline_info(a, pack, today)
        number, ltype = lics.get(a.licence_id, ("", ""))
        out.append(AmendmentSummary(
            id=a.id, licence=number, licence_type=ltype, org_id=a.org_id, organisation=orgs.get(a.org_id, ""),
            status=a.status, kinds=", ".join(dict.fromkeys(c["kind"] for c in a.changes)), base_version=a.base_version,
            requested_at=a.requested_at, requested_on=a.requested_on, accepted_on=d.accepted_on,
            clock_state=d.clock_state, deadline=d.deadline,
            working_days_left=d.working_days_left, overdue=d.overdue, decided_on=a.decided_on, decision=a.decision,
            resulting_version=a.resulting_version,
        ))
    return out


def detail(session: Session, am: Amendment, today: dt.date | None = None, *,
           reader: Principal | None = None) -> AmendmentOut:
    """The amendment as ``reader`` may see it: without ``deliberation.read`` (the holder) the
    officer's recommendation is left out; no reader (the CLI) sees everything."""
    deliberation = reader is None or allowed(reader, "deliberation.read")
    pack = get_pack()
    today = today or pack.today()
    base = summaries(session, [am], today)[0]
    user_ids = {u for u in (am.requested_by, am.recommended_by, am.decided_by) if u}
    users = dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()) if user_ids else {}
    d = deadline_info(am, pack, today)
    return AmendmentOut(
        **base.model_dump(),
        changes=list(am.changes),
        reason=am.reason,
        requested_by=users.get(am.requested_by),
        recommendation=am.recommendation if deliberation else None,
        recommendation_reasons=am.recommendation_reasons if deliberation else None,
        recommended_by=users.get(am.recommended_by) if deliberation else None,
        recommended_at=am.recommended_at,
        decision_reasons=am.decision_reasons,
        decided_by=users.get(am.decided_by),
        decided_at=am.decided_at,
        withdrawn_at=am.withdrawn_at,
        lapsed_at=am.lapsed_at,
        closed_reason=am.closed_reason,
        deadline_info=AmendmentDeadlineOut(requested_on=am.requested_on, **d.as_dict()),
        allowed_actions=[a for a in AMENDMENT.allowed_actions(am.status) if a not in SYSTEM_ACTIONS],
    )


def _line_out(line: dict) -> VersionLineOut:
    return VersionLineOut(
        line_no=line["line_no"], item=line["control_code"], hs_code=line["hs_code"], description=line["description"],
        end_user=str(line["end_user_id"] or ""), unit=line["unit"], licensed=line["licensed"], drawn=line["drawn"],
        value=line["value"], currency=line["currency"],
    )


def versions(session: Session, lic: Licence, past: Sequence[LicenceVersion]) -> list[LicenceVersionOut]:
    """Every version, oldest first; the last is the licence as it stands (``current``)."""
    out = [
        LicenceVersionOut(
            version=v.version, current=False, valid_from=v.valid_from, valid_to=v.valid_to,
            conditions=list(v.conditions or []), consignee_address_note=v.consignee_address_note or "",
            lines=[_line_out(line) for line in v.lines], started_at=v.started_at,
            made_by_amendment=v.made_by_amendment_id, superseded_at=v.superseded_at,
            superseded_by_amendment=v.superseded_by_amendment_id,
        )
        for v in past
    ]
    made_by = session.execute(
        select(Amendment.id).where(Amendment.licence_id == lic.id, Amendment.resulting_version == lic.version)
    ).scalar_one_or_none()
    now = licence_snapshot(lic)
    out.append(LicenceVersionOut(
        version=lic.version, current=True, valid_from=lic.valid_from, valid_to=lic.valid_to,
        conditions=now["conditions"], consignee_address_note=now["consignee_address_note"],
        lines=[_line_out(line) for line in now["lines"]], started_at=lic.amended_at or lic.issued_at,
        made_by_amendment=made_by, superseded_at=None, superseded_by_amendment=None,
    ))
    return out
