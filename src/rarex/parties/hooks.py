"""What higher domains attach to the facts parties records, so that parties never imports them.

A criminal or serious administrative penalty, or a stated tie to a foreign control-list
party, may bring a holder under an exclusion from general licences and registration (DUR
Art. 20): the holder's general licences stop at once, in the same transaction as the fact.
Licences sits above parties, so it registers its reaction here
(:mod:`rarex.licences.exclusion`); the web app and the CLI import every domain at start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from rarex.core.authz import Principal

#: (session, actor, org_id, what was recorded, at) -> anything; run in the recording transaction.
ExclusionListener = Callable[[Session, Principal, int, str, "dt.datetime | None"], object]

_listeners: list[ExclusionListener] = []


def on_exclusion_fact(listener: ExclusionListener) -> ExclusionListener:
    """Register a reaction to a fact that may exclude a holder (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def exclusion_fact_recorded(session: Session, actor: Principal, org_id: int, what: str,
                            at: dt.datetime | None = None) -> None:
    """Tell every registered domain that a fact bearing on DUR Art. 20 was recorded for ``org_id``."""
    for listener in _listeners:
        listener(session, actor, org_id, what, at)
