"""The rules of an amendment's life (DUR Art. 18 para. 3): request, recommendation,
countersigned decision, withdrawal, lapse; and reading a licence's version history.

What may be amended is what FACTS.md §1.7 calls the *other* elements. The *key* elements (the
type of item, the destination country, the end user, the end use) need a new application, so
a change touching one is refused at request time, naming that rule.

A senior officer may order an amendment after a suspension (DUR Art. 18 para. 4): the licence
is then ``amendment_ordered`` and the holder's request is marked ``ordered``. Approval lets use
resume as for any amendment; a refused or withdrawn ordered amendment leaves the licence
``amendment_ordered`` (the order stands; the senior officer may then withdraw or revoke it).

While an amendment is open its licence is ``under_amendment``: "the licence may not be used
while the amendment is pending" (DUR Art. 18). Nothing here refuses shipments explicitly;
customs draws only on ``active`` licences (rarex.shipments), so the status is what stops use.
Approval applies the changes to the same licence row, keeps the number, adds one to
``version`` and stores the version it replaced in ``licence_versions``; ``drawn`` stays on each
line, so drawn quantities carry over. Refusal, withdrawal and lapse leave the licence as it was.

Locks are taken licence first, amendment second, in every path (the licence service's suspend,
revoke and expiry lapse an open amendment the same way round), so two of them never deadlock.
Every change writes its audit event in the caller's transaction: ``amendment.*`` on the
amendment's stream and ``licence.amendment_requested`` / ``licence.amended`` /
``licence.amendment_closed`` on ``licence:<number>``. ``at`` lets the system act at a past
moment (tests, replays); it is not exposed to users.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.amendments.flows import AMENDMENT, OPEN
from rarex.amendments.models import Amendment, LicenceVersion
from rarex.amendments.models import AmendmentStatus as A
from rarex.amendments.schemas import AmendmentIn, ChangeQuantity, CorrectDetail, ExtendValidity
from rarex.applications.deadline import acceptance_due, deemed_acceptance
from rarex.core import audit
from rarex.core.authz import Principal, get_visible, require, scope
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, Forbidden, InvalidInput, Problem
from rarex.core.units import check_unit
from rarex.licences import hooks as licence_hooks
from rarex.licences import service as licences
from rarex.licences.flows import LICENCE
from rarex.licences.models import Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.policy.service import get_pack

KEY_ELEMENTS_RULE = (
    "key elements of a licence (item type, destination country, end user, end use) cannot be amended: "
    "changing one needs a new application (DUR Art. 18)"
)

#: correct_detail fields that name a key element, and which one.
KEY_FIELDS = {
    "control_code": "the item type", "item": "the item type", "item_type": "the item type",
    "destination": "the destination country", "destination_country": "the destination country",
    "country": "the destination country",
    "end_user": "the end user", "end_user_id": "the end user",
    "end_use": "the end use",
}
#: correct_detail fields that another kind of change handles.
OTHER_KIND = {
    "quantity": "use a change_quantity change", "licensed": "use a change_quantity change",
    "valid_to": "use an extend_validity change",
    "valid_from": "the start of validity cannot be amended",
}
#: The kinds of change an amendment may ask for (``add_end_user`` was retired: DUR Art. 18 para. 2).
CHANGE_KINDS = frozenset({"change_quantity", "extend_validity", "correct_detail"})
#: Non-key details: field -> whether it belongs to a line (else to the licence).
DETAIL_FIELDS = {"description": True, "hs_code": True, "consignee_address_note": False}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or utcnow()


def legal_date(at: dt.datetime, pack=None) -> dt.date:
    """The date in the regime's time zone: the amendment clock counts in it."""
    return at.astimezone((pack or get_pack()).tz).date()


def _event(session: Session, actor: Principal, am: Amendment, type: str, *, before=None, after=None, reason=None) -> None:
    audit.record(session, type=type, actor=actor, subject_type="amendment", subject_id=am.id,
                 before=before, after=after, reason=reason)


def _licence_event(session: Session, actor: Principal, lic: Licence, type: str, *, before=None, after=None, reason=None) -> None:
    licences._event(session, actor, lic, type, before=before, after=after, reason=reason)


def line_snapshot(line: LicenceLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no, "control_code": line.control_code, "hs_code": line.hs_code,
        "description": line.description, "end_user_id": line.end_user_id,
        "end_user_version_id": line.end_user_version_id, "unit": line.unit,
        "licensed": line.licensed, "drawn": line.drawn, "value": line.value, "currency": line.currency,
    }


def licence_snapshot(lic: Licence) -> dict[str, Any]:
    """The amendable state of a licence, as its version history and audit events record it."""
    return audit.jsonable({
        "version": lic.version, "valid_from": lic.valid_from, "valid_to": lic.valid_to,
        "conditions": list(lic.conditions or []), "consignee_address_note": lic.consignee_address_note or "",
        "lines": [line_snapshot(line) for line in lic.lines],
    })


# --- reading -------------------------------------------------------------------------------


def get(session: Session, actor: Principal, amendment_id: int, *, for_update: bool = False) -> Amendment:
    return get_visible(session, actor, "amendment.read", select(Amendment).where(Amendment.id == amendment_id),
                       Amendment.org_id, f"amendment {amendment_id}", for_update=for_update)


def list_(
    session: Session, actor: Principal, *, status: A | None = None, licence: str | None = None,
    org_id: int | None = None, after_id: int = 0, limit: int = 50,
) -> list[Amendment]:
    require(actor, "amendment.read")
    stmt = scope(select(Amendment), actor, Amendment.org_id).where(Amendment.id > after_id)
    if status:
        stmt = stmt.where(Amendment.status == status)
    if licence:
        stmt = stmt.join(Licence, Licence.id == Amendment.licence_id).where(Licence.number == licence)
    if org_id:
        stmt = stmt.where(Amendment.org_id == org_id)
    return list(session.execute(stmt.order_by(Amendment.id).limit(limit)).scalars())


def open_for(session: Session, licence_id: int, *, for_update: bool = False) -> Amendment | None:
    """The licence's pending or recommended amendment, if any (there is at most one)."""
    stmt = select(Amendment).where(Amendment.licence_id == licence_id, Amendment.status.in_(list(OPEN)))
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt.order_by(Amendment.id.desc()).limit(1)).scalar_one_or_none()


def versions(session: Session, actor: Principal, number: str) -> tuple[Licence, list[LicenceVersion]]:
    """The licence (its current version) and every version it had before, oldest first."""
    lic = licences.get(session, actor, number)
    past = session.execute(
        select(LicenceVersion).where(LicenceVersion.licence_id == lic.id).order_by(LicenceVersion.version)
    ).scalars().all()
    return lic, list(past)


def timeline(session: Session, actor: Principal, amendment_id: int) -> list[dict]:
    """The amendment's history; the ministry's deliberation only for those who may read it."""
    am = get(session, actor, amendment_id)
    return audit.timeline(session, actor, f"amendment:{am.id}")


# --- validating the changes ----------------------------------------------------------------


class _Errors:
    """Every problem with every change, so the holder fixes them all in one go."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, index: int, field: str | None, message: str) -> None:
        where = f"changes[{index}]" + (f".{field}" if field else "")
        self.items.append({"change_index": index, "field": where, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        raise InvalidInput(
            "; ".join(f"{e['field']}: {e['message']}" for e in self.items[:10]),
            field=first["field"], change_index=first["change_index"], errors=self.items,
        )


def validate_changes(session: Session, lic: Licence, changes: list, pack) -> list[dict[str, Any]]:
    """Check every change against the licence as it stands; return them in stored form.

    Each stored change records the value it replaces (``from``) so the officer sees both sides.
    Raises one 422 listing every problem, each named ``changes[i].field``.
    """
    errors = _Errors()
    lt = pack.licence_types.get(lic.licence_type)
    lines = {line.line_no: line for line in lic.lines}
    seen_lines: set[int] = set()
    seen_details: set[tuple[str, int | None]] = set()
    extended = False
    out: list[dict[str, Any]] = []

    for i, ch in enumerate(changes):
        if isinstance(ch, ChangeQuantity):
            if ch.line_no in seen_lines:
                errors.add(i, "line_no", f"line {ch.line_no} is changed twice in this request; give one quantity")
            seen_lines.add(ch.line_no)
            stored = _check_quantity(ch, i, errors, lines)
        elif isinstance(ch, ExtendValidity):
            if extended:
                errors.add(i, "valid_to", "validity is extended twice in this request; give one date")
            extended = True
            stored = _check_validity(lic, lt, ch, i, errors)
        elif isinstance(ch, CorrectDetail):
            stored = _check_detail(lic, ch, i, errors, lines, seen_details)
        else:  # pragma: no cover - the schema admits only the three kinds
            raise TypeError(type(ch).__name__)
        if stored is not None:
            out.append(stored)
    errors.raise_if_any()
    return audit.jsonable(out)


def _check_quantity(ch: ChangeQuantity, i, errors, lines):
    line = lines.get(ch.line_no)
    if line is None:
        errors.add(i, "line_no", f"the licence has no line {ch.line_no} (it has {', '.join(map(str, sorted(lines)))})")
        return None
    if ch.unit is not None:
        try:
            unit = check_unit(ch.unit)
        except Problem as exc:
            errors.add(i, "unit", exc.detail)
            return None
        if unit != line.unit:
            errors.add(i, "unit", f"line {line.line_no} is licensed in {line.unit}; give the new quantity in {line.unit}")
            return None
    if ch.quantity < line.drawn:
        errors.add(i, "quantity", (
            f"{ch.quantity} {line.unit} is below the {line.drawn} {line.unit} already drawn on line {line.line_no}; "
            "a licensed quantity never goes below what has been exported"
        ))
        return None
    if ch.quantity == line.licensed:
        errors.add(i, "quantity", f"line {line.line_no} is already licensed for {line.licensed} {line.unit}")
        return None
    return {"kind": "change_quantity", "line_no": line.line_no, "item": line.control_code, "unit": line.unit,
            "quantity": ch.quantity, "from": line.licensed, "drawn_at_request": line.drawn}


def validity_limit(lic: Licence, lt) -> dt.date | None:
    """The last day a licence of its type may run to: valid_from + the pack's maximum validity."""
    if lt is None or lt.max_validity_months is None:
        return None
    return lt.valid_to(lic.valid_from, lt.max_validity_months)


def _check_validity(lic: Licence, lt, ch: ExtendValidity, i, errors):
    limit = validity_limit(lic, lt)
    if limit is None:
        errors.add(i, "valid_to", f"a {lic.licence_type} has no validity period to extend")
        return None
    if ch.valid_to <= lic.valid_to:
        errors.add(i, "valid_to", f"{ch.valid_to} is not after the current last day of validity, {lic.valid_to}; "
                                  "an amendment may extend validity, not shorten it")
        return None
    if ch.valid_to > limit:
        errors.add(i, "valid_to", (
            f"{ch.valid_to} is beyond the maximum: a {lt.label_en.lower()} runs at most {lt.max_validity_months} months "
            f"from {lic.valid_from}, so its last day can be {limit} at the latest ({lt.legal_ref})"
        ))
        return None
    return {"kind": "extend_validity", "valid_to": ch.valid_to, "from": lic.valid_to, "limit": limit}


def _check_detail(lic: Licence, ch: CorrectDetail, i, errors, lines, seen):
    name = ch.field.strip().lower()
    if name in KEY_FIELDS:
        errors.add(i, "field", f"{name} is {KEY_FIELDS[name]}; {KEY_ELEMENTS_RULE}")
        return None
    if name in OTHER_KIND:
        errors.add(i, "field", f"{name} is not a detail: {OTHER_KIND[name]}")
        return None
    if name not in DETAIL_FIELDS:
        errors.add(i, "field", f"{ch.field!r} is not a detail an amendment corrects; one of {', '.join(DETAIL_FIELDS)}")
        return None
    on_line = DETAIL_FIELDS[name]
    if (name, ch.line_no) in seen:
        errors.add(i, "field", f"{name} is corrected twice in this request")
        return None
    seen.add((name, ch.line_no))
    if on_line:
        if ch.line_no is None:
            errors.add(i, "line_no", f"{name} belongs to a line: give line_no")
            return None
        line = lines.get(ch.line_no)
        if line is None:
            errors.add(i, "line_no", f"the licence has no line {ch.line_no} (it has {', '.join(map(str, sorted(lines)))})")
            return None
        current = getattr(line, name)
    else:
        if ch.line_no is not None:
            errors.add(i, "line_no", f"{name} belongs to the licence, not to a line: leave line_no out")
            return None
        current = getattr(lic, name) or ""
    value = ch.value
    if name == "description" and not value:
        errors.add(i, "value", "a line's description cannot be empty")
        return None
    if name == "hs_code" and not (value.isascii() and value.isdigit() and 4 <= len(value) <= 10):
        errors.add(i, "value", f"{value!r} is not a customs reference code (4 to 10 digits)")
        return None
    if value == current:
        errors.add(i, "value", f"{name} already reads {value!r}")
        return None
    return {"kind": "correct_detail", "field": name, "line_no": ch.line_no, "value": value, "from": current}


# --- the life of an amendment ----------------------------------------------------------------


def _lock_licence(session: Session, licence_id: int) -> Licence:
    stmt = select(Licence).where(Licence.id == licence_id).with_for_update()
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def request(session: Session, actor: Principal, number: str, data: AmendmentIn, *, at: dt.datetime | None = None) -> Amendment:
    """The holder asks to amend an active (or, for a type that does not end when used,
    exhausted) licence of its own; the licence stops being usable until the decision."""
    require(actor, "amendment.request")
    lic = licences.get(session, actor, number, for_update=True)
    pending = open_for(session, lic.id)
    if pending is not None:
        raise Conflict(
            f"licence {lic.number} already has amendment {pending.id} pending; only one amendment may be open at a "
            "time: withdraw it, or wait for its decision",
            current_state=str(lic.status), pending_amendment=pending.id,
        )
    LICENCE.check("request_amendment", lic.status)
    pack = get_pack()
    lt = pack.licence_types.get(lic.licence_type)
    if lic.status == L.exhausted and lt is not None and lt.ends_when_used:
        raise Conflict(f"licence {lic.number} is exhausted: {lt.label_en.lower()}s end once the export is made "
                       f"({lt.legal_ref}); apply for a new licence instead", current_state=str(lic.status))
    now = _now(at)
    today = legal_date(now, pack)
    if lic.valid_to < today:
        raise Conflict(f"licence {lic.number}'s validity ended on {lic.valid_to}; it can no longer be amended",
                       current_state=str(lic.status))
    changes = validate_changes(session, lic, data.changes, pack)
    am = Amendment(
        licence_id=lic.id, org_id=lic.org_id, status=A.pending, base_version=lic.version, changes=changes,
        reason=data.reason, requested_by=actor.user_id, requested_at=now, requested_on=today,
        ordered=lic.status == L.amendment_ordered,
    )
    session.add(am)
    session.flush()
    before = lic.status
    lic.status = L.under_amendment
    lic.amendment_requested_at = now
    lic.status_reason = (f"amendment {am.id} pending: the licence may not be used while the amendment is pending "
                         "(DUR Art. 18)")
    session.flush()
    _event(session, actor, am, "amendment.requested", after={
        "status": am.status, "licence": lic.number, "base_version": am.base_version, "changes": changes,
        "requested_on": am.requested_on, "acceptance_due": acceptance_due(pack, am.requested_on), "ordered": am.ordered,
    }, reason=data.reason)
    _licence_event(session, actor, lic, "licence.amendment_requested", before={"status": before},
                   after={"status": lic.status, "amendment": am.id}, reason=lic.status_reason)
    return am


def accept(session: Session, actor: Principal, amendment_id: int, *, at: dt.datetime | None = None) -> Amendment:
    """Accept the request: its 20 working days count from today ("自受理变更申请之日起"). Past
    the acceptance window it was already accepted, by law, on the day it was received."""
    require(actor, "amendment.review")
    am = get(session, actor, amendment_id, for_update=True)
    t = AMENDMENT.check("accept", am.status)
    pack = get_pack()
    now = _now(at)
    deemed = deemed_acceptance(pack, am.requested_on, legal_date(now, pack))
    am.status, am.accepted_at, am.accepted_by = t.target, now, actor.user_id
    am.accepted_on, am.deemed_accepted = deemed or legal_date(now, pack), deemed is not None
    session.flush()
    _event(session, actor, am, "amendment.accepted", before={"status": A.pending},
           after={"status": am.status, "accepted_on": am.accepted_on, "deemed": am.deemed_accepted})
    return am


def deem_accept_due(session: Session, actor: Principal, today: dt.date | None = None) -> list[Amendment]:
    """Record the acceptance of every pending request nobody accepted within the acceptance
    window: accepted on the day it was received (Administrative Licensing Law Art. 32)."""
    require(actor, "case.deem_accept")
    pack = get_pack()
    today = today or pack.today()
    pending = session.execute(
        select(Amendment).where(Amendment.status == A.pending).order_by(Amendment.id).with_for_update()
    ).scalars().all()
    acc = pack.deadlines.acceptance
    done = []
    for am in pending:
        deemed = deemed_acceptance(pack, am.requested_on, today)
        if deemed is None:
            continue
        t = AMENDMENT.check("deem_accept", am.status)
        am.status, am.accepted_at, am.accepted_on, am.deemed_accepted = t.target, utcnow(), deemed, True
        session.flush()
        _event(session, actor, am, "amendment.deemed_accepted", before={"status": A.pending},
               after={"status": am.status, "accepted_on": deemed, "acceptance_due": acceptance_due(pack, deemed)},
               reason=f"not accepted within {acc.working_days} working days of receipt ({acc.legal_ref})")
        done.append(am)
    return done


def recommend(session: Session, actor: Principal, amendment_id: int, recommendation: str, reasons: str,
              *, at: dt.datetime | None = None) -> Amendment:
    require(actor, "amendment.review")
    am = get(session, actor, amendment_id, for_update=True)
    t = AMENDMENT.check("recommend", am.status)
    before = am.status
    am.status = t.target
    am.recommendation, am.recommendation_reasons = recommendation, reasons
    am.recommended_by, am.recommended_at = actor.user_id, _now(at)
    session.flush()
    _event(session, actor, am, "amendment.recommended", before={"status": before},
           after={"status": am.status, "recommendation": recommendation}, reason=reasons)
    return am


def _locked_pair(session: Session, actor: Principal, amendment_id: int) -> tuple[Amendment, Licence]:
    """The amendment and its licence, both locked, licence first (see the module docstring)."""
    am = get(session, actor, amendment_id)
    lic = _lock_licence(session, am.licence_id)
    session.refresh(am, with_for_update=True)  # re-read under the lock: another decision may have won
    return am, lic


def decide(session: Session, actor: Principal, amendment_id: int, decision: str, reasons: str,
           *, at: dt.datetime | None = None) -> Amendment:
    """A senior officer other than the recommender approves (a new version) or refuses."""
    require(actor, "amendment.decide")
    am, lic = _locked_pair(session, actor, amendment_id)
    AMENDMENT.check("decide", am.status)
    if actor.user_id is not None and actor.user_id == am.recommended_by:
        raise Forbidden("the officer who recommended may not also decide (countersigning needs a second officer)")
    now = _now(at)
    pack = get_pack()
    if decision == "approve":
        LICENCE.check("apply_amendment", lic.status)
        _refuse_retired_kinds(am)
        _recheck_drawn(lic, am)
    else:
        LICENCE.check(_closing(am), lic.status)
    am.status = A.approved if decision == "approve" else A.refused
    am.decision, am.decision_reasons = decision, reasons
    am.decided_by, am.decided_at, am.decided_on = actor.user_id, now, legal_date(now, pack)
    if decision == "approve":
        _apply(session, actor, am, lic, now, reasons)
    else:
        _close(lic, am, now, "refused")
    session.flush()
    _event(session, actor, am, f"amendment.{am.status.value}", before={"status": A.recommended},
           after={"status": am.status, "decision": decision, "overrides_recommendation": decision != am.recommendation,
                  "resulting_version": am.resulting_version}, reason=reasons)
    if decision != "approve":
        _licence_event(session, actor, lic, "licence.amendment_closed", before={"status": L.under_amendment},
                       after={"status": lic.status, "amendment": am.id, "outcome": am.status}, reason=reasons)
    licences.exhaust_if_all_drawn(session, actor, lic, at=now)
    return am


def _refuse_retired_kinds(am: Amendment) -> None:
    """An amendment requested with a kind rarex no longer offers cannot be approved."""
    retired = sorted({ch["kind"] for ch in am.changes} - CHANGE_KINDS)
    if retired:
        raise Conflict(
            f"amendment {am.id} asks for {', '.join(retired)}, which is not an amendment: the end user is a key element, "
            "so another end user needs a new application (DUR Art. 18 para. 2). Refuse this amendment; the holder "
            "applies again from the licence.", current_state=str(am.status), retired_kinds=retired)


def _closing(am: Amendment) -> str:
    """The licence transition a refused or withdrawn amendment makes: an ordered one leaves the order standing."""
    return "close_ordered_amendment" if am.ordered else "close_amendment"


def _close(lic: Licence, am: Amendment, now: dt.datetime, outcome: str) -> None:
    t = LICENCE.check(_closing(am), lic.status)
    lic.status, lic.amendment_closed_at = t.target, now
    if am.ordered:
        lic.status_reason = (f"ordered amendment {am.id} {outcome}: the order stands and the licence may not be used "
                             "(DUR Art. 18 para. 4)")
    else:
        lic.status_reason = f"amendment {am.id} {outcome}: the licence carries on under its terms (DUR Art. 18)"


def _recheck_drawn(lic: Licence, am: Amendment) -> None:
    """Drawn quantities cannot grow while the licence is under amendment, but the approval
    must not rest on that: a quantity below what is drawn is never written."""
    lines = {line.line_no: line for line in lic.lines}
    for ch in am.changes:
        if ch["kind"] == "change_quantity" and Decimal(ch["quantity"]) < lines[ch["line_no"]].drawn:
            line = lines[ch["line_no"]]
            raise Conflict(f"line {line.line_no} now has {line.drawn} {line.unit} drawn, more than the {ch['quantity']} "
                           "asked for; refuse this amendment", current_state=str(am.status))


def _apply(session: Session, actor: Principal, am: Amendment, lic: Licence, now: dt.datetime, reasons: str) -> None:
    """Keep the version being replaced, apply the changes, and make the next version."""
    before = licence_snapshot(lic)
    made_by = session.execute(
        select(Amendment.id).where(Amendment.licence_id == lic.id, Amendment.resulting_version == lic.version)
    ).scalar_one_or_none()
    session.add(LicenceVersion(
        licence_id=lic.id, version=lic.version, valid_from=lic.valid_from, valid_to=lic.valid_to,
        conditions=list(lic.conditions or []), consignee_address_note=lic.consignee_address_note or "",
        consignee_version_id=lic.consignee_version_id, end_user_version_id=lic.end_user_version_id,
        lines=before["lines"], made_by_amendment_id=made_by, started_at=lic.amended_at or lic.issued_at,
        superseded_by_amendment_id=am.id, superseded_at=now,
    ))
    lines = {line.line_no: line for line in lic.lines}
    for ch in am.changes:
        kind = ch["kind"]
        if kind == "change_quantity":
            lines[ch["line_no"]].licensed = Decimal(ch["quantity"])
        elif kind == "extend_validity":
            lic.valid_to = dt.date.fromisoformat(ch["valid_to"])
        elif kind == "correct_detail":
            target = lines[ch["line_no"]] if ch["line_no"] is not None else lic
            setattr(target, ch["field"], ch["value"])
    lic.version += 1
    am.resulting_version = lic.version
    t = LICENCE.check("apply_amendment", lic.status)
    lic.status = t.target
    lic.amended_at = now
    lic.status_reason = f"amended by amendment {am.id}: version {lic.version}"
    session.flush()
    _licence_event(session, actor, lic, "licence.amended", before={"status": L.under_amendment, **before},
                   after={"status": lic.status, "amendment": am.id, **licence_snapshot(lic)}, reason=reasons)


def withdraw(session: Session, actor: Principal, amendment_id: int, reason: str, *, at: dt.datetime | None = None) -> Amendment:
    """The holder withdraws an open amendment; the licence is usable again, unchanged."""
    require(actor, "amendment.withdraw")
    am, lic = _locked_pair(session, actor, amendment_id)
    t = AMENDMENT.check("withdraw", am.status)
    LICENCE.check(_closing(am), lic.status)
    now = _now(at)
    before = am.status
    am.status, am.withdrawn_at = t.target, now
    am.closed_on, am.closed_reason = legal_date(now), reason
    _close(lic, am, now, "withdrawn")
    session.flush()
    _event(session, actor, am, "amendment.withdrawn", before={"status": before}, after={"status": am.status}, reason=reason)
    _licence_event(session, actor, lic, "licence.amendment_closed", before={"status": L.under_amendment},
                   after={"status": lic.status, "amendment": am.id, "outcome": am.status}, reason=reason)
    licences.exhaust_if_all_drawn(session, actor, lic, at=now)
    return am


def lapse_pending(session: Session, actor: Principal, lic: Licence, why: str, *, at: dt.datetime | None = None) -> Amendment | None:
    """Close the open amendment of a licence that was suspended, revoked or expired.

    Called by :mod:`rarex.licences.service` in its transaction, with the licence already
    locked and moved on; no permission of its own (the licence action was authorised).
    """
    am = open_for(session, lic.id, for_update=True)
    if am is None:
        return None
    t = AMENDMENT.check("lapse", am.status)
    now = _now(at)
    before = am.status
    am.status, am.lapsed_at = t.target, now
    am.closed_on, am.closed_reason = legal_date(now), why
    session.flush()
    _event(session, actor, am, "amendment.lapsed", before={"status": before},
           after={"status": am.status, "licence_status": lic.status}, reason=why)
    return am


def _pending_id(session: Session, lic: Licence) -> int | None:
    am = open_for(session, lic.id)
    return am.id if am is not None else None


# Licences sits below amendments: it reaches these through its hooks and never imports this module.
licence_hooks.register_amendments(licence_hooks.AmendmentHooks(lapse=lapse_pending, pending=_pending_id))
