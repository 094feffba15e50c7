"""Deemed acceptance at start-up and from cron (``rarex deem-accepted``): every application or
amendment request nobody accepted or returned within the pack's acceptance window is accepted on
the day it was received (Administrative Licensing Law Art. 32). It lives here, above both
domains, so one job records both."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from rarex.amendments import service as amendments
from rarex.amendments.models import Amendment
from rarex.applications import service as applications
from rarex.applications.models import Application
from rarex.core.authz import Principal
from rarex.core.db import unit_of_work

log = logging.getLogger("rarex")


def deem_accept_due(session: Session, actor: Principal, today: dt.date | None = None) -> tuple[list[Application], list[Amendment]]:
    """Record every deemed acceptance due on ``today``, applications and amendments, in one transaction."""
    return applications.deem_accept_due(session, actor, today), amendments.deem_accept_due(session, actor, today)


def deem_accept_on_startup() -> int:
    """Record the deemed acceptances that fell due while the server was down, before serving."""
    actor = Principal.system("startup")
    try:
        with unit_of_work() as session:
            n = sum(len(done) for done in deem_accept_due(session, actor))
    except (OperationalError, ProgrammingError) as exc:  # database not migrated yet
        log.warning("deemed acceptance skipped at start-up: %s", exc.__class__.__name__)
        return 0
    if n:
        log.info("recorded %d deemed acceptance(s)", n)
    return n
