"""Apply again from a licence: the end user is a key element (DUR Art. 18 para. 2).

Adding or replacing an end user is not an amendment: it is a new application, and the licence
it replaces is handed back when the new one is granted, with exports under it stopped
meanwhile. :func:`reapply` drafts that application pre-filled from the licence: the same
licence type, consignee, end use and items; each (item, end user) line with what remains of
it; the end users given in the request added, or put in place of the ones they replace. The
draft is an ordinary application (the exporter edits, uploads and submits it as any other) that
records which licence it replaces; :mod:`rarex.applications.service` stops the old licence at
submission, hands it back at grant and lets it carry on after a refusal or withdrawal.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.applications.models import ApplicationStatus as S
from rarex.applications.schemas import ApplicationIn, ItemIn, ReapplyIn
from rarex.applications.service import _event, create, legal_date
from rarex.core.authz import Principal, require
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, InvalidInput
from rarex.licences import service as licences
from rarex.licences.models import Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.policy.service import get_pack

CENT = Decimal("0.01")


def open_replacement(session: Session, lic: Licence) -> Application | None:
    """The application (draft or open) already replacing ``lic``, if any."""
    return session.execute(select(Application).where(
        Application.replaces_licence_id == lic.id,
        Application.status.not_in([S.approved, S.refused, S.withdrawn]),
    ).limit(1)).scalar_one_or_none()


def _remaining_value(line: LicenceLine) -> Decimal:
    """The line's value pro rata to what remains of its quantity."""
    if line.licensed <= 0:
        return Decimal(0)
    return (line.value * line.remaining / line.licensed).quantize(CENT, rounding=ROUND_HALF_UP)


def prefilled_items(lic: Licence, data: ReapplyIn) -> list[ItemIn]:
    """The licence's lines with what remains of them, each replaced end user's lines moved to
    the end user replacing it (unless that one brings its own items), then the given items."""
    errors = []
    on_licence = {line.end_user_id for line in lic.lines} | ({lic.end_user_id} if lic.end_user_id else set())
    moved: dict[int, int] = {}
    named: set[int] = set()
    for i, eu in enumerate(data.end_users):
        where = f"end_users[{i}]"
        if eu.end_user_id in named:
            errors.append((f"{where}.end_user_id", f"party {eu.end_user_id} is named twice"))
        named.add(eu.end_user_id)
        if eu.end_user_id in on_licence:
            errors.append((f"{where}.end_user_id", f"party {eu.end_user_id} is already an end user of licence {lic.number}"))
        if eu.replaces_end_user_id is None:
            if not eu.items:
                errors.append((f"{where}.items", "an added end user needs its lines (items)"))
        elif eu.replaces_end_user_id not in on_licence:
            errors.append((f"{where}.replaces_end_user_id",
                           f"party {eu.replaces_end_user_id} is not an end user of licence {lic.number}"))
        elif eu.replaces_end_user_id in moved:
            errors.append((f"{where}.replaces_end_user_id", f"party {eu.replaces_end_user_id} is replaced twice"))
        else:
            moved[eu.replaces_end_user_id] = eu.end_user_id
    if errors:
        raise InvalidInput("; ".join(f"{f}: {m}" for f, m in errors), field=errors[0][0],
                           errors=[{"field": f, "message": m} for f, m in errors])
    brings_own = {eu.end_user_id for eu in data.end_users if eu.items}
    items = []
    for line in lic.lines:
        user = line.end_user_id or lic.end_user_id
        user = moved.get(user, user) if user is not None else None
        if line.remaining <= 0 or (user in brings_own):
            continue
        items.append(ItemIn(control_code=line.control_code, hs_code=line.hs_code, description=line.description,
                            quantity=line.remaining, unit=line.unit, value=_remaining_value(line), currency=line.currency,
                            end_user_id=user))
    for eu in data.end_users:
        items += [item.model_copy(update={"end_user_id": eu.end_user_id}) for item in eu.items]
    return items


def reapply(session: Session, actor: Principal, number: str, data: ReapplyIn, *, at: dt.datetime | None = None
            ) -> Application:
    """Draft the application that replaces licence ``number`` (its holder's, or the console's)."""
    require(actor, "application.draft")
    lic = licences.get(session, actor, number, for_update=True)
    now = at or utcnow()
    pack = get_pack()
    licences.check_replaceable(lic, legal_date(now, pack))
    lt = pack.licence_types.get(lic.licence_type)
    if lic.status == L.exhausted and lt is not None and lt.ends_when_used:
        raise Conflict(f"licence {lic.number} is exhausted: {lt.label_en.lower()}s end once the export is made "
                       f"({lt.legal_ref}); draft a new application instead", current_state=str(lic.status))
    pending = open_replacement(session, lic)
    if pending is not None:
        raise Conflict(f"application {pending.reference} ({pending.status}) already replaces licence {lic.number}; "
                       "go on with it, or withdraw it first", current_state=str(lic.status), application=pending.id)
    moved = {eu.replaces_end_user_id: eu.end_user_id for eu in data.end_users if eu.replaces_end_user_id}
    main = moved.get(lic.end_user_id, lic.end_user_id) if lic.end_user_id else data.end_users[0].end_user_id
    app = create(session, actor, ApplicationIn(
        licence_type=lic.licence_type, consignee_id=lic.consignee_id, end_user_id=main, end_use=lic.end_use,
        items=prefilled_items(lic, data),
    ), at=now, org_id=lic.org_id)
    app.replaces_licence_id = lic.id
    session.flush()
    _event(session, actor, app, "application.reapplied", after={
        "replaces_licence": lic.number,
        "end_users": [{"end_user": eu.end_user_id, "replaces": eu.replaces_end_user_id} for eu in data.end_users],
    }, reason="a key element (the end user) changes: a new application replaces the licence (DUR Art. 18 para. 2)")
    return app
