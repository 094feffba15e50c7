"""Parties on a list whose listings act on deals (the control list: ECL Art. 18; DUR Arts. 28-30).

The pack's ``party_measures`` name each such list and the effects a listing may have (a ban,
or special approval with a report on the deal). A deal's parties are screened against the list
as it stood on the date (:func:`rarex.screening.lists.version_on`); a party matches a listing
when the name scores an alert and no officer has cleared the case's hit on that entity as a
false positive (a confirmed hit and an unresolved alert both count: see prohibitions.yaml).
The listing's effect is the entity's ``programs`` value naming an effect, else the default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.bilingual import Said
from rarex.parties.versions import PartyView
from rarex.policy.models import Pack
from rarex.screening.lists import version_on
from rarex.screening.models import HitStatus, ListEntity, ScreeningHit
from rarex.screening.service import matcher_for, screen_names


@dataclass(frozen=True)
class Listing:
    """One deal party matching one listing, with what the listing does to the deal."""

    measure: str
    list_name: str
    list_version: int
    role: str
    party_id: int
    party_name: str
    entity_id: str
    entity_name: str
    score: float
    #: confirmed (an officer confirmed the hit) or unresolved (an alert nobody has resolved).
    resolution: str
    effect: str
    kind: str  # ban or special_approval
    effect_label_en: str
    effect_label_zh: str
    #: Whether the list entry names its effect; False: the pack's default effect.
    effect_stated: bool
    report_required: bool
    legal_ref: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return self.said().en

    def said(self) -> Said:
        """The match and what the listing does to the deal, in English and Chinese."""
        return Said(
            f"{self.role} {self.party_name} ~ {self.entity_name} ({self.list_name} v{self.list_version} "
            f"{self.entity_id}, {self.resolution}, score {self.score:.2f}): {self.effect_label_en}"
            + ("" if self.effect_stated else " (the listing states no effect; read as the pack's default)")
            + f" ({self.legal_ref})",
            f"{ROLE_ZH.get(self.role, self.role)}{self.party_name} ~ {self.entity_name}（{self.list_name} v{self.list_version} "
            f"{self.entity_id}，{RESOLUTION_ZH.get(self.resolution, self.resolution)}，相似度{self.score:.2f}）："
            f"{self.effect_label_zh}" + ("" if self.effect_stated else "（清单未载明措施，按政策包默认措施处理）")
            + f"（{self.legal_ref}）",
        )


#: The words for a party's role and a hit's resolution in a Chinese reason.
ROLE_ZH = {"consignee": "收货人", "end_user": "最终用户"}
RESOLUTION_ZH = {"confirmed": "已确认", "unresolved": "未处理"}


def listings(session: Session, pack: Pack, parties: Sequence[tuple[str, PartyView]], on: dt.date, *,
             application_id: int | None = None, licence_id: int | None = None) -> list[Listing]:
    """Every (party, listing) match on the pack's measure lists as they stood on ``on``; the
    resolutions of the case's hits (``application_id`` or ``licence_id``) are honoured."""
    out: list[Listing] = []
    for measure in pack.party_measures.values():
        version = version_on(session, measure.party_list, on)
        if version is None or not parties:
            continue
        matcher = matcher_for(session, [version])
        found = [(role, party, h) for role, party in parties
                 for h in screen_names(matcher, [party.name, party.name_local], party.country) if h.alert]
        if not found:
            continue
        resolved = _resolutions(session, measure.party_list, application_id, licence_id)
        programs = dict(session.execute(select(ListEntity.id, ListEntity.programs).where(
            ListEntity.id.in_({h.entry.ref for _, _, h in found}))).all())
        for role, party, h in found:
            status = resolved.get((party.id, h.entry.entity_id))
            if status == HitStatus.false_positive:
                continue
            effect, stated = measure.effect_of(programs.get(h.entry.ref) or [])
            out.append(Listing(
                measure=measure.code, list_name=measure.party_list, list_version=version.version, role=role,
                party_id=party.id, party_name=party.name, entity_id=h.entry.entity_id, entity_name=h.entry.name,
                score=h.score, resolution="confirmed" if status == HitStatus.confirmed else "unresolved",
                effect=effect.code, kind=effect.kind, effect_label_en=effect.label_en, effect_label_zh=effect.label_zh,
                effect_stated=stated, report_required=effect.report_required, legal_ref=effect.legal_ref,
            ))
    return out


def _resolutions(session: Session, list_name: str, application_id: int | None, licence_id: int | None
                 ) -> dict[tuple[int, str], HitStatus]:
    if application_id is None and licence_id is None:
        return {}
    stmt = select(ScreeningHit.party_id, ScreeningHit.entity_id, ScreeningHit.status).where(
        ScreeningHit.list_name == list_name)
    stmt = stmt.where(ScreeningHit.application_id == application_id) if application_id is not None else stmt.where(
        ScreeningHit.licence_id == licence_id)
    out: dict[tuple[int, str], HitStatus] = {}
    for pid, eid, status in session.execute(stmt).all():
        # A confirmation outweighs a clearance of the same entity in another screening.
        if out.get((pid, eid)) != HitStatus.confirmed:
            out[(pid, eid)] = HitStatus(status)
    return out
