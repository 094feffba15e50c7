"""What names a party while it is still live: the cases and licences that a change of the
party's key elements would pull out from under their screening and decision. (An amendment
request no longer names parties of its own: adding an end user is a new application, which is
a case here.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from rarex.applications.flows import OPEN as OPEN_CASE
from rarex.applications.models import Application, ApplicationItem
from rarex.licences.models import Licence, LicenceLine
from rarex.parties.models import Party
from rarex.screening.cases import LIVE_LICENCE


@dataclass
class LiveUse:
    """The live licences (with the roles the party plays on each) and open cases that name one party."""

    licences: dict[Licence, list[str]] = field(default_factory=dict)
    applications: list[Application] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.licences or self.applications)


def live_use(session: Session, party: Party) -> LiveUse:
    pid = party.id
    use = LiveUse()
    on_line = select(LicenceLine.licence_id).where(LicenceLine.end_user_id == pid)
    licences = session.execute(select(Licence).where(
        Licence.org_id == party.org_id, Licence.status.in_(LIVE_LICENCE),
        or_(Licence.consignee_id == pid, Licence.end_user_id == pid, Licence.id.in_(on_line)),
    ).order_by(Licence.id)).scalars()
    for lic in licences:
        roles = ["consignee"] if lic.consignee_id == pid else []
        if lic.end_user_id == pid or any(line.end_user_id == pid for line in lic.lines):
            roles.append("end_user")
        use.licences[lic] = roles
    on_item = select(ApplicationItem.application_id).where(ApplicationItem.end_user_id == pid)
    use.applications = list(session.execute(select(Application).where(
        Application.org_id == party.org_id, Application.status.in_(OPEN_CASE),
        or_(Application.consignee_id == pid, Application.end_user_id == pid, Application.id.in_(on_item)),
    ).order_by(Application.id)).scalars())
    return use
