from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    stream: str
    seq: int
    type: str
    occurred_at: dt.datetime
    actor: str
    actor_role: str | None
    subject_type: str
    subject_id: str
    before: Any
    after: Any
    reason: str | None
    prev_hash: str
    hash: str


class TimelineEventOut(AuditEventOut):
    """An event of a case's or licence's timeline, as the reader may see it."""

    redacted: bool = Field(description="true when parts only the ministry may read were left out "
                                       "(screening hits, recommendations); the hash is of the whole event")


class AuditEventPage(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None


class FindingOut(BaseModel):
    event_id: int | None
    stream: str | None
    seq: int | None
    reason: str


class VerifyOut(BaseModel):
    ok: bool
    events: int
    streams: int
    checkpoints: int
    first_bad_event: FindingOut | None
    findings: list[FindingOut]
