"""Jobs that run on start-up and on a schedule (``rarex licences expire`` from cron)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError, ProgrammingError

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.licences.service import expire_due

log = logging.getLogger("rarex")


def expire_on_startup() -> int:
    """Expire licences past validity before serving, so no page shows a stale status."""
    try:
        with unit_of_work() as session:
            n = len(expire_due(session, Principal.system("startup")))
    except (OperationalError, ProgrammingError) as exc:  # database not migrated yet
        log.warning("licence expiry skipped at start-up: %s", exc.__class__.__name__)
        return 0
    if n:
        log.info("expired %d licence(s) past validity", n)
    return n
