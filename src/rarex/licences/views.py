"""Build the API's view of licences: holder and end-user names, remaining quantities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.licences import hooks
from rarex.licences.flows import AMENDMENT_OUTCOMES, DRAWDOWN_ACTIONS, LICENCE, REPLACEMENT_OUTCOMES
from rarex.licences.models import Licence
from rarex.licences.prohibitions import prohibited_lines
from rarex.licences.schemas import GroundOut, LicenceOut, LicenceSummary, LineOut, PendingRevocationOut
from rarex.parties.models import Organisation
from rarex.parties.versions import resolve
from rarex.policy.service import get_pack


def ground_out(code: str | None) -> GroundOut | None:
    return None if code is None else ground(code)


def ground(code: str) -> GroundOut:
    """A ground as the pack states it; a code the pack no longer has shows as the bare code."""
    g = get_pack().grounds.get(code)
    if g is None:
        return GroundOut(code=code, label_en=code, label_zh=code, legal_ref="")
    return GroundOut(code=g.code, label_en=g.label_en, label_zh=g.label_zh, legal_ref=g.legal_ref)


def allowed_actions(lic: Licence) -> list[str]:
    """What a user may ask of the licence now; while a revocation awaits signature, only that."""
    if lic.revocation_pending:
        return ["sign_revocation", "revoke"]
    hidden = DRAWDOWN_ACTIONS | AMENDMENT_OUTCOMES | REPLACEMENT_OUTCOMES
    return [a for a in LICENCE.allowed_actions(lic.status) if a not in hidden]


def summaries(session: Session, lics: Sequence[Licence]) -> list[LicenceSummary]:
    ids = {lic.org_id for lic in lics}
    names = {row.id: row for row in session.execute(
        select(Organisation.id, Organisation.name_en, Organisation.name_zh).where(Organisation.id.in_(ids)))} if ids else {}
    return [
        LicenceSummary(number=lic.number, type=lic.licence_type, status=lic.status,
                       holder=names[lic.org_id].name_en if lic.org_id in names else "",
                       holder_zh=names[lic.org_id].name_zh if lic.org_id in names else "",
                       org_id=lic.org_id, valid_from=lic.valid_from, valid_to=lic.valid_to, issued_at=lic.issued_at,
                       version=lic.version)
        for lic in lics
    ]


def detail(session: Session, lic: Licence, on: dt.date | None = None) -> LicenceOut:
    """The licence with its lines; ``use_prohibited`` judged on ``on`` (default: today in the pack's zone)."""
    pack = get_pack()
    # Each party as the licence was decided on, whatever was edited on file since.
    consignee = (lic.consignee_id, lic.consignee_version_id)
    parties = {ref: p.name for ref, p in resolve(
        session, [consignee, *((line.end_user_id, line.end_user_version_id) for line in lic.lines)]).items()}
    reference = session.execute(select(Application.reference).where(Application.id == lic.application_id)).scalar_one()
    pending = hooks.pending_amendment(session, lic)
    linked = [i for i in (lic.replaces_id, lic.replaced_by_id) if i]
    links: dict[int, str] = dict(session.execute(
        select(Licence.id, Licence.number).where(Licence.id.in_(linked))).all()) if linked else {}
    proposal = (PendingRevocationOut(ground=ground(lic.revocation_ground or ""), reason=lic.revocation_reason or "",
                                     proposed_at=lic.revocation_proposed_at)
                if lic.revocation_pending and lic.revocation_proposed_at is not None else None)
    return LicenceOut(
        **summaries(session, [lic])[0].model_dump(),
        application=reference,
        consignee=parties.get(consignee),
        end_use=lic.end_use,
        conditions=list(lic.conditions or []),
        status_reason=lic.status_reason,
        status_ground=ground_out(lic.status_ground),
        pending_revocation=proposal,
        replaces=links.get(lic.replaces_id) if lic.replaces_id else None,
        replaced_by=links.get(lic.replaced_by_id) if lic.replaced_by_id else None,
        handed_back_at=lic.handed_back_at,
        consignee_address_note=lic.consignee_address_note or "",
        pending_amendment=pending,
        end_use_category=lic.end_use_category,
        report_required=lic.report_required,
        report_reason=lic.report_reason,
        use_prohibited=prohibited_lines(session, lic, pack, on or pack.today()),
        lines=[
            LineOut(line_no=line.line_no, item=line.control_code, end_user=str(line.end_user_id or ""),
                    end_user_name=parties.get((line.end_user_id, line.end_user_version_id), ""), description=line.description, hs_code=line.hs_code,
                    unit=line.unit, licensed=line.licensed, drawn=line.drawn, remaining=line.remaining,
                    value=line.value, currency=line.currency)
            for line in lic.lines
        ],
        allowed_actions=allowed_actions(lic),
    )
