"""Imports started from a page and run in the background: what each is doing, in the database.

A page that takes a file too long to import while the browser waits (a restricted-party list,
a customs file of declarations) records a job here and hands the work to a thread of the
process that received the file (:mod:`rarex.web.jobs`), which runs the same code as the CLI
and reports its progress into the job's row. Any worker of any host can then answer "how far
is it" and "what came of it", because the answer lives in the database, not in the process
(DESIGN rule 12).

Each progress report is a short write transaction of its own, at most one every
:data:`REPORT_EVERY` seconds, so under SQLite's single writer it waits no longer than one
batch of the import itself; a report that finds the database busy is dropped (the next one
says more).

A process that dies mid-import (a restart, a crash) leaves its job ``running`` with nobody
behind it. Such a job reads as interrupted (:func:`state`): its runner was a process of this
host that no longer exists, or it has reported nothing for ``RAREX_LIST_IMPORT_STALE_MINUTES``.
Whatever it committed stays (a customs declaration is recorded whole or not at all); a list
version it was still staging is removed by the list's next import (screening/list_import.py).
The person imports the file again; both imports are safe to repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from rarex.core.authz import Principal
from rarex.core.db import Base, UTCDateTime, is_busy, unit_of_work, utcnow
from rarex.core.errors import NotFound
from rarex.core.settings import get_settings

log = logging.getLogger("rarex.jobs")

#: Seconds between two progress reports of one job.
REPORT_EVERY = 0.5


class JobStatus(StrEnum):
    running = "running"
    done = "done"
    failed = "failed"


class Job(Base):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True, comment="customs-declarations or screening-list")
    subject: Mapped[str] = mapped_column(String(200), default="", comment="what is imported into: a list's name")
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger, comment="bytes of the uploaded file")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    owner: Mapped[str] = mapped_column(String(120), comment="username of who started it")
    runner: Mapped[str] = mapped_column(String(300), comment="host:pid of the process running it")
    status: Mapped[JobStatus] = mapped_column(Enum(JobStatus, native_enum=False, length=16, validate_strings=True),
                                              default=JobStatus.running)
    done: Mapped[int] = mapped_column(BigInteger, default=0, comment="units of work done (bytes, declarations)")
    total: Mapped[int] = mapped_column(BigInteger, default=0, comment="units of work in all; 0 while unknown")
    phase: Mapped[str] = mapped_column(String(40), default="", server_default="",
                                       comment="the step that done and total count (a list import: reading, then indexing); "
                                               "empty for a job of one step")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, comment="the last report: a heartbeat")
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, comment="what the import gave, when done")
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True,
                                                          comment="{slug, detail, extra} of the refusal, when failed")


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def create(actor: Principal, *, kind: str, filename: str, size: int, subject: str = "") -> int:
    """Record a new running job in a transaction of its own (committed before any thread starts)."""
    with unit_of_work() as session:
        job = Job(kind=kind, subject=subject, filename=filename[:255], size=size, owner_id=actor.user_id,
                  owner=actor.username, runner=this_runner()[:300])
        session.add(job)
        session.flush()
        return job.id


def _write(job_id: int, **values: Any) -> bool:
    with unit_of_work() as session:
        found = session.execute(update(Job).where(Job.id == job_id).values(updated_at=utcnow(), **values))
        return bool(getattr(found, "rowcount", 0))


def report(job_id: int, done: int, total: int, phase: str = "") -> None:
    """Progress, best effort: a busy database drops this report, the next one says more."""
    try:
        _write(job_id, done=done, total=total, phase=phase)
    except Exception as exc:
        if not is_busy(exc):
            raise
        log.info("job %s: progress report dropped, the database was busy", job_id)


def finish(job_id: int, result: dict[str, Any]) -> None:
    _write(job_id, status=JobStatus.done, result=result, finished_at=utcnow())


def fail(job_id: int, error: dict[str, Any]) -> None:
    _write(job_id, status=JobStatus.failed, error=error, finished_at=utcnow())


class Reporter:
    """A progress callback ``(done, total)`` that writes at most one report every REPORT_EVERY
    seconds, each naming the job's step ``phase`` (empty for a job of one step)."""

    def __init__(self, job_id: int, phase: str = ""):
        self.job_id = job_id
        self.phase = phase
        self._last = 0.0

    def step(self, phase: str) -> Reporter:
        """The callback of this job's step ``phase``: its first report is written at once, so the
        page says which step the job is on as soon as the step starts counting."""
        return Reporter(self.job_id, phase)

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= REPORT_EVERY or (total and done >= total):
            self._last = now
            report(self.job_id, done, total, self.phase)


def get(session: Session, job_id: int, kind: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.kind != kind:
        raise NotFound(f"import {job_id} not found")
    return job


def recent(session: Session, kind: str, *, limit: int = 10, owner_id: int | None = None) -> list[Job]:
    stmt = select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(limit)
    if owner_id is not None:
        stmt = stmt.where(Job.owner_id == owner_id)
    return list(session.execute(stmt).scalars())


def _process_gone(runner: str) -> bool:
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another host's process: only its silence tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, under another user
        return False
    return False


def state(job: Job, now: dt.datetime | None = None) -> str:
    """running, done, failed, or interrupted (running, but nobody is behind it any more)."""
    if job.status != JobStatus.running:
        return job.status.value
    silence = (now or utcnow()) - job.updated_at
    if silence > dt.timedelta(minutes=get_settings().list_import_stale_minutes) or _process_gone(job.runner):
        return "interrupted"
    return "running"
