"""Licences: issued from an approved application, suspended, reinstated, revoked, expired.

Validity runs from the decision date for the months asked (default and maximum from the
policy pack's licence type); every change is a transition of :data:`flows.LICENCE` with its
audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.core import audit
from rarex.core.authz import Principal, get_visible, require, scope
from rarex.core.db import utcnow
from rarex.core.ids import next_value
from rarex.licences import hooks
from rarex.licences.flows import LICENCE
from rarex.licences.models import Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.policy.service import get_pack


def _event(session: Session, actor: Principal, lic: Licence, type: str, *, before=None, after=None, reason=None) -> None:
    audit.record(session, type=type, actor=actor, subject_type="licence", subject_id=lic.number,
                 before=before, after=after, reason=reason)


def licence_number(session: Session, licence_type: str, year: int) -> str:
    """The next number of a licence type in a year, written as the pack says (pack.yaml
    ``licence_number``, the type's ``number_series``); one counter per type and year."""
    return get_pack().licence_number(licence_type, year, next_value(session, f"licence:{licence_type}:{year}"))


def issue_from_application(session: Session, actor: Principal, app: Application, *, at: dt.datetime | None = None) -> Licence:
    """Issue the licence an approval grants (called by the decision, in its transaction)."""
    pack = get_pack()
    lt = pack.licence_types[app.licence_type]
    valid_from = app.decided_on
    valid_to = lt.valid_to(valid_from, app.requested_validity_months)
    lic = Licence(
        number=licence_number(session, app.licence_type, valid_from.year),
        licence_type=app.licence_type,
        status=L.active,
        org_id=app.org_id,
        application_id=app.id,
        consignee_id=app.consignee_id,
        end_user_id=app.end_user_id,
        consignee_version_id=app.consignee_version_id,
        end_user_version_id=app.end_user_version_id,
        end_use=app.end_use,
        end_use_category=app.end_use_category,
        conditions=list(app.conditions or []),
        report_required=any(x.get("report_required") for x in app.special_approval_listings or []),
        report_reason=_report_reason(app.special_approval_listings),
        valid_from=valid_from,
        valid_to=valid_to,
        issued_by=actor.user_id,
        issued_at=at or utcnow(),
    )
    lic.lines = [
        LicenceLine(
            line_no=i.line_no, control_code=i.control_code, hs_code=i.hs_code, description=i.description,
            end_user_id=i.end_user_id or app.end_user_id,
            end_user_version_id=i.end_user_version_id if i.end_user_id else app.end_user_version_id, unit=i.unit, licensed=i.quantity, value=i.value,
            currency=i.currency,
        )
        for i in app.items
    ]
    session.add(lic)
    session.flush()
    _event(session, actor, lic, "licence.issued", after={
        "application": app.reference, "type": lic.licence_type, "valid_from": valid_from, "valid_to": valid_to,
        "lines": [{"item": line.control_code, "end_user": line.end_user_id, "licensed": line.licensed, "unit": line.unit}
                  for line in lic.lines],
        "conditions": lic.conditions,
    })
    return lic


def _report_reason(listings: list[dict] | None) -> str | None:
    """Why the holder must report on the deal: the listings a special approval covered."""
    needing = [x for x in listings or [] if x.get("report_required")]
    if not needing:
        return None
    return "special approval of a deal with a control-listed party; report on the deal: " + "; ".join(
        f"{x['party_name']} ~ {x['entity_name']} ({x['list_name']} {x['entity_id']}, {x['legal_ref']})" for x in needing)


def timeline(session: Session, actor: Principal, number: str) -> list[dict]:
    """The licence's history (issue, shipments, amendments, suspension...) for anyone who may
    read the licence; the ministry's deliberation only for those who may read it."""
    lic = get(session, actor, number)
    return audit.timeline(session, actor, f"licence:{lic.number}")


def get(session: Session, actor: Principal, number: str, *, for_update: bool = False) -> Licence:
    return get_visible(session, actor, "licence.read", select(Licence).where(Licence.number == number),
                       Licence.org_id, f"licence {number}", for_update=for_update)


def list_(
    session: Session, actor: Principal, *, status: L | None = None, licence_type: str | None = None,
    org_id: int | None = None, after_id: int = 0, limit: int = 50,
) -> list[Licence]:
    require(actor, "licence.read")
    stmt = scope(select(Licence), actor, Licence.org_id).where(Licence.id > after_id)
    if status:
        stmt = stmt.where(Licence.status == status)
    if licence_type:
        stmt = stmt.where(Licence.licence_type == licence_type)
    if org_id:
        stmt = stmt.where(Licence.org_id == org_id)
    return list(session.execute(stmt.order_by(Licence.id).limit(limit)).scalars())


def _transition(session: Session, actor: Principal, number: str, action: str, reason: str, at: dt.datetime | None) -> Licence:
    require(actor, "licence.control")
    lic = get(session, actor, number, for_update=True)
    t = LICENCE.check(action, lic.status)
    before = lic.status
    lic.status = t.target
    lic.status_reason = reason
    setattr(lic, t.stamp, at or utcnow())
    session.flush()
    _event(session, actor, lic, f"licence.{action}d",
           before={"status": before}, after={"status": lic.status}, reason=reason)
    if before == L.under_amendment:
        hooks.lapse_amendment(session, actor, lic, f"licence {action}d: {reason}", at)
    return lic


def suspend(session: Session, actor: Principal, number: str, reason: str, *, at: dt.datetime | None = None) -> Licence:
    """Use is suspended while the ministry re-examines the factors it weighed (DUR Art. 18)."""
    return _transition(session, actor, number, "suspend", reason, at)


def reinstate(session: Session, actor: Principal, number: str, reason: str, *, at: dt.datetime | None = None) -> Licence:
    return _transition(session, actor, number, "reinstate", reason, at)


def revoke(session: Session, actor: Principal, number: str, reason: str, *, at: dt.datetime | None = None) -> Licence:
    """Revocation is final (ECL Art. 35; DUR Art. 18)."""
    return _transition(session, actor, number, "revoke", reason, at)


def expire_due(session: Session, actor: Principal, today: dt.date | None = None) -> list[Licence]:
    """Mark every active, suspended or under-amendment licence whose validity ended before
    ``today`` as expired (a pending amendment then lapses)."""
    require(actor, "licence.expire")
    today = today or get_pack().today()
    due = session.execute(
        select(Licence)
        .where(Licence.status.in_([L.active, L.suspended, L.under_amendment]), Licence.valid_to < today)
        .order_by(Licence.id)
        .with_for_update()
    ).scalars().all()
    for lic in due:
        before = lic.status
        lic.status, lic.expired_at = L.expired, utcnow()
        lic.status_reason = f"validity ended on {lic.valid_to}"
        _event(session, actor, lic, "licence.expired", before={"status": before}, after={"status": L.expired},
               reason=lic.status_reason)
        if before == L.under_amendment:
            hooks.lapse_amendment(session, actor, lic, lic.status_reason, None)
    session.flush()
    return list(due)


# --- drawdown transitions (called by rarex.shipments.service inside its transaction) -------


def _move(session: Session, actor: Principal, lic: Licence, action: str, event_type: str, reason: str,
          at: dt.datetime | None) -> Licence:
    """Apply a transition to a licence the caller has already locked, with its audit event.

    The shipment service holds the licence row lock (``FOR UPDATE``) for its whole
    transaction, so these take the Licence object rather than a number: re-reading it here
    would cost a round trip inside the lock on the hottest path rarex has.
    """
    t = LICENCE.check(action, lic.status)
    before = lic.status
    lic.status = t.target
    lic.status_reason = reason
    setattr(lic, t.stamp, at or utcnow())
    _event(session, actor, lic, event_type, before={"status": before}, after={"status": lic.status}, reason=reason)
    return lic


def exhaust(session: Session, actor: Principal, lic: Licence, reason: str, *, at: dt.datetime | None = None) -> Licence:
    """Everything is drawn, or a type that ends when used (DUR Art. 15) made its export."""
    return _move(session, actor, lic, "exhaust", "licence.exhausted", reason, at)


def exhaust_if_all_drawn(session: Session, actor: Principal, lic: Licence, *, at: dt.datetime | None = None) -> bool:
    """After an amendment's outcome: an active licence with nothing left on any line is
    exhausted (an approved quantity cut to what was drawn, or an exhausted licence's request
    refused or withdrawn). Returns whether it was."""
    if lic.status != L.active or not lic.lines or any(line.remaining > 0 for line in lic.lines):
        return False
    exhaust(session, actor, lic, "every licensed quantity has been drawn", at=at)
    return True


def replenish(session: Session, actor: Principal, lic: Licence, reason: str, *, at: dt.datetime | None = None) -> Licence:
    """A cancelled shipment gave quantity back to an exhausted licence that is still valid."""
    return _move(session, actor, lic, "replenish", "licence.replenished", reason, at)


def expire_exhausted(session: Session, actor: Principal, lic: Licence, *, at: dt.datetime | None = None) -> Licence:
    """A cancelled shipment reopens an exhausted licence whose validity has already ended."""
    return _move(session, actor, lic, "expire", "licence.expired", f"validity ended on {lic.valid_to}", at)
