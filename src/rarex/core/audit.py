"""The tamper-evident audit log.

Every change writes one :class:`AuditEvent` in the same transaction as the change itself
(``record``). Events are chained *per stream* (one stream per subject, e.g. ``application:12``
or ``licence:7``): each holds the SHA-256 of the previous event of its stream, and
:class:`AuditHead` keeps each stream's last sequence number and hash. Writers on different
subjects therefore never wait on one another; only writers on the same subject serialise, on
that subject's head row.

Deleting the *last* events of a stream together with rewinding its head cannot be seen from
the chain alone, so :func:`checkpoint` periodically seals every stream head into a chain of
checkpoints. :func:`verify` recomputes every hash, checks the sequences have no gaps, that
heads match the streams, and that every checkpoint still matches the events it sealed.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, bindparam, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from rarex.core.authz import Principal, event_view
from rarex.core.db import Base, UTCDateTime, utcnow

GENESIS = "0" * 64


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("stream", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream: Mapped[str] = mapped_column(String(120), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in canonical form."""
        return {
            "stream": self.stream,
            "seq": self.seq,
            "type": self.type,
            "occurred_at": self.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_user_id": self.actor_user_id,
            "actor": self.actor,
            "actor_role": self.actor_role,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return sha256_json(self.payload())


class AuditHead(Base):
    """The last event of each stream: the row a writer locks to append."""

    __tablename__ = "audit_heads"

    stream: Mapped[str] = mapped_column(String(120), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A seal over every stream head at one moment, chained to the previous checkpoint."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    heads: Mapped[dict[str, list]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def compute_hash(self) -> str:
        return sha256_json(
            {
                "created_at": self.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "heads": self.heads,
                "prev_hash": self.prev_hash,
            }
        )


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON (Decimals and dates as strings) so hashes are stable."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def sha256_json(obj: Any) -> str:
    data = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


_HEADS = AuditHead.__table__
_EVENTS = AuditEvent.__table__
_EVENT_COLUMNS = [c.name for c in _EVENTS.columns if c.name != "id"]
# Built once and reused: record() runs in every write of the system (shipments above all), and
# a statement object that is reused keeps its compiled form and cache key.
_LOCK_HEAD = select(_HEADS.c.seq, _HEADS.c.hash).where(_HEADS.c.stream == bindparam("stream")).with_for_update()
_INSERT_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)
_MOVE_HEAD = update(_HEADS).where(_HEADS.c.stream == bindparam("at_stream")).values(
    seq=bindparam("seq"), hash=bindparam("hash"))
_NEW_HEAD = insert(_HEADS)
_VIEW_COLUMNS = [c.name for c in _EVENTS.columns if c.name != "actor_user_id"]


def record(
    session: Session,
    *,
    type: str,
    actor: Principal,
    subject_type: str,
    subject_id: Any,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event to the subject's stream, inside the caller's transaction.

    Lock the stream's head row, hash the event onto it, insert the event, move the head. It
    runs as three Core statements rather than through the ORM's unit of work, which cost more
    CPU than everything else a shipment does (bench/drawdown.py). The event returned is a
    detached copy with its id and hash; pending ORM changes are flushed first, so events stay
    in the order their changes reached the database.
    """
    session.flush()
    conn = session.connection()
    stream = f"{subject_type}:{subject_id}"
    head = conn.execute(_LOCK_HEAD, {"stream": stream}).first()
    seq, prev_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    event = AuditEvent(
        stream=stream,
        seq=seq + 1,
        type=type,
        occurred_at=utcnow(),
        actor_user_id=actor.user_id,
        actor=actor.username,
        actor_role=str(actor.role) if actor.role else None,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=jsonable(before),
        after=jsonable(after),
        reason=reason,
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    event.id = conn.execute(_INSERT_EVENT, {c: getattr(event, c) for c in _EVENT_COLUMNS}).scalar_one()
    if head is not None:
        conn.execute(_MOVE_HEAD, {"at_stream": stream, "seq": event.seq, "hash": event.hash})
    else:
        conn.execute(_NEW_HEAD, {"stream": stream, "seq": event.seq, "hash": event.hash})
    cached = session.identity_map.get(identity_key(AuditHead, stream))
    if cached is not None:  # a head this session loaded earlier must not go stale
        set_committed_value(cached, "seq", event.seq)
        set_committed_value(cached, "hash", event.hash)
    return event


def stream_events(session: Session, stream: str) -> list[AuditEvent]:
    """One stream's events in order: a case's or a licence's timeline (``application:12``)."""
    return list(session.execute(select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq)).scalars())


def timeline(session: Session, actor: Principal, stream: str) -> list[dict[str, Any]]:
    """A stream's events as ``actor`` may read them (core.authz.event_view); the caller has
    already checked that ``actor`` may read the subject itself."""
    return [event_view(actor, {c: getattr(e, c) for c in _VIEW_COLUMNS}) for e in stream_events(session, stream)]


def checkpoint(session: Session) -> AuditCheckpoint:
    """Seal all stream heads; run periodically (``rarex audit checkpoint``)."""
    last = session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).scalar_one_or_none()
    heads = {h.stream: [h.seq, h.hash] for h in session.execute(select(AuditHead).order_by(AuditHead.stream)).scalars()}
    cp = AuditCheckpoint(created_at=utcnow(), heads=heads, prev_hash=last.hash if last else GENESIS)
    cp.hash = cp.compute_hash()
    session.add(cp)
    session.flush()
    return cp


@dataclass
class Finding:
    reason: str
    event_id: int | None = None
    stream: str | None = None
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "stream": self.stream, "seq": self.seq, "reason": self.reason}


@dataclass
class VerifyResult:
    events: int = 0
    streams: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_bad(self) -> Finding | None:
        if not self.findings:
            return None
        with_id = [f for f in self.findings if f.event_id is not None]
        return min(with_id, key=lambda f: f.event_id) if with_id else self.findings[0]

    def as_dict(self) -> dict[str, Any]:
        first = self.first_bad
        return {
            "ok": self.ok,
            "events": self.events,
            "streams": self.streams,
            "checkpoints": self.checkpoints,
            "first_bad_event": first.as_dict() if first else None,
            "findings": [f.as_dict() for f in self.findings],
        }


def verify(session: Session) -> VerifyResult:
    """Check every stream, every head and every checkpoint; collect what does not hold."""
    result = VerifyResult()
    seen: dict[str, dict[int, str]] = {}
    last: dict[str, tuple[int, str]] = {}
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.stream, AuditEvent.seq)).scalars()
    for ev in rows:
        result.events += 1
        prev_seq, prev_hash = last.get(ev.stream, (0, GENESIS))
        if ev.seq != prev_seq + 1:
            result.findings.append(
                Finding(f"events {prev_seq + 1}..{ev.seq - 1} of the stream are missing", ev.id, ev.stream, ev.seq)
            )
        elif ev.prev_hash != prev_hash:
            result.findings.append(Finding("previous-hash link broken (an earlier event was changed)", ev.id, ev.stream, ev.seq))
        if ev.compute_hash() != ev.hash:
            result.findings.append(Finding("content does not match its hash (event was edited)", ev.id, ev.stream, ev.seq))
        last[ev.stream] = (ev.seq, ev.hash)
        seen.setdefault(ev.stream, {})[ev.seq] = ev.hash
        session.expunge(ev)
    result.streams = len(last)

    heads = {h.stream: (h.seq, h.hash) for h in session.execute(select(AuditHead)).scalars()}
    for stream, (seq, h) in heads.items():
        if last.get(stream) != (seq, h):
            have = last.get(stream, (0, GENESIS))[0]
            result.findings.append(Finding(f"stream head says event {seq} but the stream ends at {have} (events deleted)", None, stream, seq))
    for stream in last.keys() - heads.keys():
        result.findings.append(Finding("stream has events but no head (head deleted)", None, stream, None))

    prev = GENESIS
    for cp in session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).scalars():
        result.checkpoints += 1
        if cp.prev_hash != prev or cp.compute_hash() != cp.hash:
            result.findings.append(Finding(f"checkpoint {cp.id} was altered or a checkpoint before it removed"))
        for stream, (seq, h) in cp.heads.items():
            if seen.get(stream, {}).get(seq) != h:
                result.findings.append(
                    Finding(f"checkpoint {cp.id} sealed event {seq} of this stream, which is now missing or changed", None, stream, seq)
                )
        prev = cp.hash
    return result
