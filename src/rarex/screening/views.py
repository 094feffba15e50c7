"""The API's and CLI's view of screening: search answers and hits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from rarex.core.inputs import InputDate
from rarex.screening import cases
from rarex.screening.models import HitStatus, ScreeningHit
from rarex.screening.service import Screened


class SearchIn(BaseModel):
    name: str = Field(min_length=1, max_length=500, description="The name to screen, in any script")
    country: str | None = Field(default=None, max_length=2, description="ISO 3166-1 alpha-2 code of the party's country")
    on: InputDate | None = Field(default=None, description="Screen against the lists as they stood at the end of this day")
    limit: int = Field(default=10, ge=1, le=50)


class SearchHit(BaseModel):
    entity_id: str = Field(description="The entity's id in the imported list file")
    list: str
    name: str
    matched_name: str = Field(description="The entity's name or alias that matched")
    score: float = Field(ge=0, le=1)
    alert: bool
    explanation: str


class ListRef(BaseModel):
    list: str
    version: int


class SearchOut(BaseModel):
    threshold: float
    lists: list[ListRef]
    hits: list[SearchHit]


class HitOut(BaseModel):
    id: int
    application_id: int | None
    application: str | None = Field(description="The application's reference, for a hit on an application")
    licence: str | None = Field(description="The licence's number, for a hit on a licence")
    party_id: int
    party_version_id: int | None = Field(description="The party version screened (null on hits from before versions)")
    party_role: str
    party: str
    list: str
    list_version_id: int
    entity_id: str
    entity_name: str
    score: float
    alert: bool
    explanation: str
    status: HitStatus
    screened_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution_reason: str | None


class HitPage(BaseModel):
    items: list[HitOut]
    next_cursor: str | None


class ResolveIn(BaseModel):
    resolution: Literal["false_positive", "confirmed"]
    reason: str = Field(min_length=5, max_length=4000)


def hits_out(session: Session, hits: Sequence[ScreeningHit]) -> list[HitOut]:
    labels = cases.case_labels(session, hits)
    return [
        HitOut(
            id=h.id, application_id=h.application_id, application=labels[h.id][0], licence=labels[h.id][1],
            party_id=h.party_id, party_version_id=h.party_version_id, party_role=h.party_role, party=h.query, list=h.list_name, list_version_id=h.version_id,
            entity_id=h.entity_id, entity_name=h.entity_name, score=h.score, alert=h.alert, explanation=h.explanation,
            status=h.status, screened_at=h.screened_at, resolved_at=h.resolved_at, resolved_by=h.resolved_by_name,
            resolution_reason=h.resolution_reason,
        )
        for h in hits
    ]


def hit_out(session: Session, hit: ScreeningHit) -> HitOut:
    return hits_out(session, [hit])[0]


def search_out(found: Screened) -> SearchOut:
    return SearchOut(
        threshold=found.threshold,
        lists=[ListRef(list=v.list.name, version=v.version) for v in found.versions],
        hits=[SearchHit(entity_id=h.entry.entity_id, list=h.entry.list_name, name=h.entry.name,
                        matched_name=h.matched_name, score=h.score, alert=h.alert, explanation=h.explanation)
              for h in found.hits],
    )
