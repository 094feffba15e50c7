"""Licences: issued from an approved application; suspended, and after a suspension
reinstated, put under an ordered amendment, withdrawn (撤回) or revoked (撤销), each on a coded
ground of the pack (grounds.yaml); stopped while a replacing application is pending and handed
back when it is granted (DUR Art. 18 para. 2); expired.

Validity runs from the decision date for the months asked (default and maximum from the
policy pack's licence type); every change is a transition of :data:`flows.LICENCE` with its
audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.applications.models import ApplicationStatus as AS
from rarex.core import audit
from rarex.core.authz import Principal, get_visible, require, scope
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, Problem
from rarex.core.ids import next_value
from rarex.licences import hooks
from rarex.licences.flows import GROUND_REQUIRED, LICENCE
from rarex.licences.models import FINAL, Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.policy.models import Ground, Pack
from rarex.policy.service import get_pack

#: The audit event each grounded action writes on the licence's stream.
EVENTS = {"suspend": "licence.suspended", "reinstate": "licence.reinstated", "order_amendment": "licence.amendment_ordered",
          "withdraw": "licence.withdrawn", "revoke": "licence.revoked"}


def _event(session: Session, actor: Principal, lic: Licence, type: str, *, before=None, after=None, reason=None) -> None:
    """Write an event on the licence's stream and tell the listeners (a signed document is issued)."""
    event = audit.record(session, type=type, actor=actor, subject_type="licence", subject_id=lic.number,
                         before=before, after=after, reason=reason)
    hooks.licence_event_written(session, lic, type, event.occurred_at)


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


def check_ground(pack: Pack, action: str, code: str | None) -> Ground | None:
    """The pack ground ``code`` for ``action``; a 400 listing the codes that fit when it does
    not (or when the action needs one and none is given)."""
    fits = [g.code for g in pack.grounds_for(action)]
    if code is None:
        if action in GROUND_REQUIRED:
            raise Problem(f"{action} needs a ground: one of {', '.join(fits)}", slug="ground-required",
                          title="Ground required", field="ground", allowed_grounds=fits)
        return None
    ground = pack.grounds.get(code)
    if ground is None or action not in ground.actions:
        why = f"unknown ground {code!r}" if ground is None else f"ground {code} ({ground.legal_ref}) does not support {action}"
        raise Problem(f"{why}; for {action} use one of {', '.join(fits) or 'none'}", slug="ground-not-allowed",
                      title="Ground does not fit the action", field="ground", allowed_grounds=fits)
    return ground


def _open_replacement(session: Session, lic: Licence) -> str | None:
    """The reference of a submitted application that replaces ``lic`` and is not decided or
    withdrawn (a returned one still counts: it was filed)."""
    return session.execute(select(Application.reference).where(
        Application.replaces_licence_id == lic.id, Application.submitted_at.is_not(None),
        Application.status.not_in([AS.approved, AS.refused, AS.withdrawn]),
    ).limit(1)).scalar_one_or_none()


def _move_grounded(session: Session, actor: Principal, lic: Licence, action: str, reason: str, ground: Ground | None,
                   at: dt.datetime | None, **extra) -> Licence:
    """Apply a grounded action to a licence the caller has locked, with its audit event."""
    t = LICENCE.check(action, lic.status)
    before = lic.status
    target = t.target
    waiting = _open_replacement(session, lic) if action == "reinstate" else None
    if waiting is not None:  # use stays stopped until the replacing application is decided
        target = L.replacement_pending
    lic.status = target
    lic.status_reason = reason
    lic.status_ground = ground.code if ground else None
    setattr(lic, t.stamp, at or utcnow())
    session.flush()
    after = {"status": lic.status, **extra}
    if ground is not None:
        after.update(ground=ground.code, ground_label=ground.label_en, legal_ref=ground.legal_ref)
    if waiting is not None:
        after["replacing_application"] = waiting
    _event(session, actor, lic, EVENTS[action], before={"status": before}, after=after, reason=reason)
    if before == L.under_amendment:
        hooks.lapse_amendment(session, actor, lic, f"licence {lic.status}: {reason}", at)
    if action == "reinstate":
        exhaust_if_all_drawn(session, actor, lic, at=at)
    return lic


def control(session: Session, actor: Principal, number: str, action: str, reason: str, ground: str | None = None,
            *, at: dt.datetime | None = None) -> Licence:
    """A senior officer's action on a licence, on a ground of the pack that supports it:

    - ``suspend``: use stops while the ministry checks (DUR Art. 18 para. 4);
    - ``reinstate``: after checking, use resumes (back to replacement_pending if a replacing
      application is open);
    - ``order_amendment``: the holder must amend; unusable until its amendment is approved (a
      refused or withdrawn one leaves the order standing);
    - ``withdraw`` (撤回): final, the licence was lawful but its circumstances changed;
    - ``revoke`` (撤销): final (ECL Art. 35; DUR Art. 20 para. 2).

    While a revocation proposed on an exclusion awaits signature only revocation is allowed.
    """
    require(actor, "licence.control")
    g = check_ground(get_pack(), action, ground)
    lic = get(session, actor, number, for_update=True)
    if lic.revocation_pending and action != "revoke":
        LICENCE.check(action, lic.status)  # a forbidden transition says so first
        raise Conflict(
            f"licence {lic.number} awaits the signature of its revocation ({lic.revocation_ground}: "
            f"{lic.revocation_reason}); the law says such a licence shall be revoked (DUR Art. 20 para. 2): "
            "sign the revocation instead", current_state=str(lic.status), revocation_ground=lic.revocation_ground)
    return _move_grounded(session, actor, lic, action, reason, g, at)


def sign_revocation(session: Session, actor: Principal, number: str, reason: str, *, at: dt.datetime | None = None) -> Licence:
    """A senior officer signs the revocation proposed when an exclusion arose (DUR Art. 20 para. 2)."""
    require(actor, "licence.control")
    lic = get(session, actor, number, for_update=True)
    if not lic.revocation_pending:
        raise Conflict(f"no revocation of licence {lic.number} awaits signature", current_state=str(lic.status))
    ground = check_ground(get_pack(), "revoke", lic.revocation_ground)
    return _move_grounded(session, actor, lic, "revoke", f"{lic.revocation_reason}. Signed: {reason}", ground, at,
                          proposed_at=lic.revocation_proposed_at, signed=True)


def pending_revocations(session: Session, actor: Principal, *, after_id: int = 0, limit: int = 50) -> list[Licence]:
    """Licences whose revocation waits for a senior officer's signature, in licence order (pages by id)."""
    require(actor, "licence.read")
    stmt = scope(select(Licence), actor, Licence.org_id).where(
        Licence.revocation_proposed_at.is_not(None), Licence.status.not_in(list(FINAL)), Licence.id > after_id)
    return list(session.execute(stmt.order_by(Licence.id).limit(limit)).scalars())


# --- replacement by a new application (DUR Art. 18 para. 2; called by rarex.applications) ----


def _lock(session: Session, licence_id: int) -> Licence:
    stmt = select(Licence).where(Licence.id == licence_id).with_for_update()
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def check_replaceable(lic: Licence, today: dt.date) -> None:
    """A licence a new application may replace: in use (active or exhausted) and still valid."""
    LICENCE.check("stop_for_replacement", lic.status)
    if lic.valid_to < today:
        raise Conflict(f"licence {lic.number}'s validity ended on {lic.valid_to}; there is nothing to replace: draft a "
                       "new application", current_state=str(lic.status))


def stop_for_replacement(session: Session, actor: Principal, licence_id: int, reference: str, today: dt.date,
                         *, at: dt.datetime | None = None) -> Licence:
    """The replacing application was submitted: exports under the licence stop until it is decided.
    Submitting again after the officer returned it changes nothing here."""
    lic = _lock(session, licence_id)
    if lic.status == L.replacement_pending:
        return lic
    check_replaceable(lic, today)
    return _move(session, actor, lic, "stop_for_replacement", "licence.replacement_requested",
                 f"application {reference} asks to replace this licence (a key element changes): exports under it "
                 "stop until that application is decided (DUR Art. 18 para. 2)", at)


def resume_after_replacement(session: Session, actor: Principal, licence_id: int, reference: str, outcome: str,
                             *, at: dt.datetime | None = None) -> Licence:
    """The replacing application was refused or withdrawn: the licence carries on (if it was
    stopped for it; a licence suspended meanwhile stays suspended)."""
    lic = _lock(session, licence_id)
    if lic.status == L.replacement_pending:
        _move(session, actor, lic, "resume_after_replacement", "licence.replacement_closed",
              f"application {reference} that would have replaced this licence was {outcome}: the licence carries on", at)
        exhaust_if_all_drawn(session, actor, lic, at=at)
    return lic


def hand_back(session: Session, actor: Principal, licence_id: int, new: Licence, reference: str,
              *, at: dt.datetime | None = None) -> Licence:
    """The replacing application was granted: the old licence is handed back (its drawn
    quantities stay on its lines) and the two licences name each other."""
    lic = _lock(session, licence_id)
    lic.replaced_by_id, new.replaces_id = new.id, lic.id
    if lic.status in LICENCE.table["hand_back"].sources:
        _move(session, actor, lic, "hand_back", "licence.handed_back",
              f"replaced by licence {new.number} (application {reference}); handed back (DUR Art. 18 para. 2)", at)
    else:  # it ended meanwhile (revoked, expired, ...): only the link is recorded
        _event(session, actor, lic, "licence.replaced", after={"status": lic.status, "replaced_by": new.number},
               reason=f"replaced by licence {new.number} (application {reference})")
    _event(session, actor, new, "licence.replaces", after={"replaces": lic.number})
    session.flush()
    return lic


def expire_due(session: Session, actor: Principal, today: dt.date | None = None) -> list[Licence]:
    """Mark every licence still in use or able to come back to use (active, suspended, under
    amendment, awaiting its replacement, under an ordered amendment) whose validity ended before
    ``today`` as expired (a pending amendment then lapses). Exhausted ones stay exhausted."""
    require(actor, "licence.expire")
    today = today or get_pack().today()
    due = session.execute(
        select(Licence)
        .where(Licence.status.in_([L.active, L.suspended, L.under_amendment, L.replacement_pending, L.amendment_ordered]),
               Licence.valid_to < today)
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
