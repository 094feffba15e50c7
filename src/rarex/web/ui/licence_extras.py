"""What the licence page (ui/licences.py) shows of a licence after issue: the links to its usage
report, shipments and versions, its open amendment or replacing application, and whether the
signed-in user may ask for an amendment or apply again from it now. The conditions are the
services' own (amendments/service.request, applications/replacement.reapply), read here so the
page offers only what would be accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from rarex.amendments import service as amendments
from rarex.applications import replacement
from rarex.applications.models import Application
from rarex.core.authz import Principal, allowed
from rarex.licences.flows import LICENCE
from rarex.licences.models import Licence, LicenceStatus
from rarex.licences.views import detail
from rarex.parties.service import list_parties
from rarex.policy.service import get_pack


def _ends_when_used(lic: Licence) -> bool:
    lt = get_pack().licence_types.get(lic.licence_type)
    return lic.status == LicenceStatus.exhausted and lt is not None and lt.ends_when_used


def may_request_amendment(principal: Principal, lic: Licence, pending_id: int | None, today: dt.date) -> bool:
    """Whether the holder may ask for an amendment now (amendments/service.request's own conditions)."""
    return (allowed(principal, "amendment.request") and pending_id is None and lic.valid_to >= today
            and "request_amendment" in LICENCE.allowed_actions(lic.status) and not _ends_when_used(lic))


def may_reapply(principal: Principal, lic: Licence, open_app: Application | None, today: dt.date) -> bool:
    """Whether the holder may apply again from the licence now (replacement.reapply's conditions)."""
    return (allowed(principal, "application.draft") and open_app is None and lic.valid_to >= today
            and "stop_for_replacement" in LICENCE.allowed_actions(lic.status) and not _ends_when_used(lic))


def application_link(principal: Principal, app: Application) -> str:
    """Where the signed-in user reads the application: the exporter's application page, the officer's case."""
    if allowed(principal, "application.draft"):
        return f"/applications/{app.id}"
    if allowed(principal, "application.review") and app.status != "draft":
        return f"/cases/{app.id}"
    return ""


def licence_extras(session: Session, principal: Principal, lic: Licence) -> dict[str, Any]:
    """The licence page's links and exporter actions: usage, shipments, versions, amendment, reapply."""
    today = get_pack().today()
    pending = amendments.open_for(session, lic.id) if allowed(principal, "amendment.read") else None
    open_app = replacement.open_replacement(session, lic) if allowed(principal, "application.read") else None
    can_reapply = may_reapply(principal, lic, open_app, today)
    return {
        "pending_amendment_id": pending.id if pending else None,
        "can_amend": may_request_amendment(principal, lic, pending.id if pending else None, today),
        "can_read_amendments": allowed(principal, "amendment.read"),
        "can_read_shipments": allowed(principal, "shipment.read"),
        "replacing_app": ({"reference": open_app.reference, "status": str(open_app.status),
                           "href": application_link(principal, open_app)} if open_app else None),
        "can_reapply": can_reapply,
        "reapply_parties": _parties_for_reapply(session, principal, lic) if can_reapply else [],
        "licence_end_users": _licence_end_users(session, lic) if can_reapply else [],
    }


def _licence_end_users(session: Session, lic: Licence) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for line in detail(session, lic).lines:
        if line.end_user and int(line.end_user) not in seen:
            seen[int(line.end_user)] = line.end_user_name
    return list(seen.items())


def _parties_for_reapply(session: Session, principal: Principal, lic: Licence) -> list[tuple[int, str]]:
    """The holder's parties that are not already an end user of the licence."""
    on_licence = {line.end_user_id for line in lic.lines} | {lic.end_user_id}
    return [(p.id, f"{p.name} ({p.country})") for p in list_parties(session, principal, org_id=lic.org_id, limit=2000)
            if p.id not in on_licence]
