"""The buyer's view and buyer invitations.

**Cover.** For one end-user party: every quantity line naming it (the line's own end user, or
the licence's when the line names none) on a licence still in force (not revoked, expired,
handed back or withdrawn, and valid today or later); per line and per element what remains,
the drawdown of the last ``window_days`` days (today included: a 90-day window starting 89
days ago) from recorded shipments, the daily rate it gives, and the days of cover
``floor(remaining / rate)`` (none when nothing was drawn in the window: "no recent
drawdown"); and the licences ending within ``expiring_within_days`` days (today + N included).
Dates are legal dates in the pack's time zone.

**Who sees it.** A buyer its own party only; an exporter its own end users; reviewers and
auditors any. Anything else is "not found", so party ids cannot be probed.

**The model.** A party is one exporter's record of a foreign firm (parties belong to an
organisation), so a buyer account is tied to exactly one party record, hence to the licences
of one exporter. A firm that buys from two exporters gets one buyer account from each. Linking
one account to several party records would need the exporters to agree they are the same
firm, which this model has no way to say; it is left for when parties are shared.

**Invitations.** The exporter invites for its own end users (another's party is not found), an
admin for any; the account is created at once with a one-time set-password link
(:mod:`rarex.users.invitations`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from rarex.buyers.schemas import CoverLine, CoverOut, ElementCover, ExpiringLicence, InvitationOut
from rarex.core.authz import Principal, Role, require
from rarex.core.errors import NotFound
from rarex.licences.models import FINAL, Licence, LicenceLine
from rarex.parties.models import Organisation, Party
from rarex.parties.service import get_party
from rarex.policy.models import Pack
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus
from rarex.users import invitations

WINDOW_DAYS = 90
EXPIRING_WITHIN_DAYS = 60
RATE_PLACES = Decimal("0.000001")


def visible_party(session: Session, actor: Principal, party_id: int, action: str = "buyer.cover.read") -> Party:
    """The party if ``actor`` may act on it for ``action``: a buyer its own, an exporter its own org's."""
    require(actor, action)
    if actor.role == Role.buyer and party_id != actor.party_id:
        raise NotFound(f"party {party_id} not found")
    return get_party(session, actor, party_id, action=action)


def cover(session: Session, actor: Principal, party_id: int | None = None, *, today: dt.date | None = None,
          window_days: int = WINDOW_DAYS, expiring_within_days: int = EXPIRING_WITHIN_DAYS,
          pack: Pack | None = None) -> CoverOut:
    """The cover of ``party_id`` (a buyer's own party when omitted)."""
    require(actor, "buyer.cover.read")
    if party_id is None:
        if actor.party_id is None:
            raise NotFound("name the end user (party_id): only a buyer account has one of its own", field="party_id")
        party_id = actor.party_id
    party = visible_party(session, actor, party_id)
    pack = pack or get_pack()
    today = today or pack.today()
    since = today - dt.timedelta(days=window_days - 1)
    rows = session.execute(
        select(LicenceLine, Licence, Organisation)
        .join(Licence, LicenceLine.licence_id == Licence.id).join(Organisation, Licence.org_id == Organisation.id)
        .where(or_(LicenceLine.end_user_id == party.id,
                   and_(LicenceLine.end_user_id.is_(None), Licence.end_user_id == party.id)),
               Licence.status.not_in(FINAL), Licence.valid_to >= today)
        .order_by(Licence.valid_to, Licence.number, LicenceLine.line_no)).all()
    drawn = _drawn_between(session, [line.id for line, _, _ in rows], since, today)
    lines: list[CoverLine] = []
    for line, lic, org in rows:
        entry = pack.entry(line.control_code)
        recent = drawn.get(line.id, Decimal(0))
        remaining = line.licensed - line.drawn
        days = _days_of_cover(remaining, recent, window_days)
        to_expiry = (lic.valid_to - today).days
        lines.append(CoverLine(
            licence_no=lic.number, licence_type=lic.licence_type, licence_status=lic.status.value, holder=org.name_en,
            holder_zh=org.name_zh, line_no=line.line_no, control_code=line.control_code,
            element=entry.element if entry else None, description=line.description, unit=line.unit,
            licensed=line.licensed, drawn=line.drawn, remaining=remaining, drawn_in_window=recent,
            daily_rate=_rate(recent, window_days), days_of_cover=days, valid_to=lic.valid_to, days_to_expiry=to_expiry,
            expires_soon=to_expiry <= expiring_within_days,
            expires_before_cover_ends=days is not None and to_expiry < days))
    expiring: dict[str, ExpiringLicence] = {}
    for c in lines:
        if c.expires_soon:
            expiring.setdefault(c.licence_no, ExpiringLicence(licence_no=c.licence_no, holder=c.holder, holder_zh=c.holder_zh,
                                                              valid_to=c.valid_to, days_to_expiry=c.days_to_expiry))
    return CoverOut(
        party_id=party.id, party_name=party.name, country=party.country, today=today, window_days=window_days,
        window_from=since, window_to=today, expiring_within_days=expiring_within_days, lines=lines,
        elements=_by_element(lines, window_days), expiring=list(expiring.values()))


def _drawn_between(session: Session, line_ids: list[int], since: dt.date, until: dt.date) -> dict[int, Decimal]:
    if not line_ids:
        return {}
    rows = session.execute(
        select(ShipmentLine.licence_line_id, func.sum(ShipmentLine.drawn))
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
        .where(ShipmentLine.licence_line_id.in_(line_ids), Shipment.status == ShipmentStatus.recorded,
               Shipment.shipped_on >= since, Shipment.shipped_on <= until)
        .group_by(ShipmentLine.licence_line_id)).all()
    return {int(line_id): total for line_id, total in rows}


def _rate(drawn: Decimal, days: int) -> Decimal:
    return (drawn / days).quantize(RATE_PLACES)


def _days_of_cover(remaining: Decimal, drawn: Decimal, days: int) -> int | None:
    """Whole days the remaining quantity lasts at the window's rate; None when nothing was drawn."""
    if drawn <= 0:
        return None
    return int((remaining * days / drawn).to_integral_value(rounding=ROUND_DOWN))


def _by_element(lines: list[CoverLine], window_days: int) -> list[ElementCover]:
    groups: dict[tuple[str | None, str], list[CoverLine]] = defaultdict(list)
    for c in lines:
        groups[(c.element, c.unit)].append(c)
    out = []
    for (element, unit), group in sorted(groups.items(), key=lambda kv: (kv[0][0] or "~", kv[0][1])):
        licensed, drawn = sum((c.licensed for c in group), Decimal(0)), sum((c.drawn for c in group), Decimal(0))
        recent = sum((c.drawn_in_window for c in group), Decimal(0))
        out.append(ElementCover(element=element, unit=unit, licensed=licensed, drawn=drawn, remaining=licensed - drawn,
                                drawn_in_window=recent, daily_rate=_rate(recent, window_days),
                                days_of_cover=_days_of_cover(licensed - drawn, recent, window_days)))
    return out


def invite(session: Session, actor: Principal, *, party_id: int, username: str, display_name: str = "") -> InvitationOut:
    """A buyer account for the end user ``party_id`` and its one-time set-password token."""
    party = visible_party(session, actor, party_id, action="buyer.invite")
    user, token, expires = invitations.invite(session, actor, username=username, display_name=display_name or party.name,
                                              role=Role.buyer, party_id=party.id)
    return InvitationOut(user_id=user.id, username=user.username, party_id=party.id, token=token,
                         set_password_path=f"{invitations.SET_PASSWORD_PATH}?token={token}", expires_at=expires)
