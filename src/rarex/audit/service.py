"""Reading the audit log (writing and verifying live in :mod:`rarex.core.audit`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal, require


def list_events(
    session: Session,
    actor: Principal,
    *,
    stream: str | None = None,
    type: str | None = None,
    subject_type: str | None = None,
    after_id: int = 0,
    limit: int = 100,
    newest_first: bool = False,
) -> list[AuditEvent]:
    """Events oldest first after ``after_id``; or, ``newest_first``, newest first before it (0: from the newest)."""
    require(actor, "audit.read")
    if newest_first:
        q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if after_id:
            q = q.where(AuditEvent.id < after_id)
    else:
        q = select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id).limit(limit)
    if stream:
        q = q.where(AuditEvent.stream == stream)
    if type:
        q = q.where(AuditEvent.type == type)
    if subject_type:
        q = q.where(AuditEvent.subject_type == subject_type)
    return list(session.execute(q).scalars())
