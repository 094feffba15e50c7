"""What the amendments domain attaches to licences, so that licences never imports it.

Amendments build on licences (they change a licence's lines and validity), so licences sits
below them in the layers. Two things about a licence still depend on its amendments: a
licence that leaves ``under_amendment`` for another reason (suspended, revoked, expired) must
close the pending amendment in the same transaction, and a licence's view names that pending
amendment. :mod:`rarex.amendments.service` registers both with :func:`register_amendments`
when it is imported; the web app and the CLI import every domain at start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.licences.models import Licence


@dataclass(frozen=True)
class AmendmentHooks:
    #: Close the licence's open amendment: (session, actor, licence, why, at).
    lapse: Callable[..., object]
    #: The id of the licence's open amendment, or None: (session, licence).
    pending: Callable[[Session, Licence], int | None]


_amendments: AmendmentHooks | None = None


def register_amendments(hooks: AmendmentHooks) -> None:
    global _amendments
    _amendments = hooks


def lapse_amendment(session: Session, actor: Principal, lic: Licence, why: str, at: dt.datetime | None) -> None:
    """Close the pending amendment of a licence that left ``under_amendment`` (see module)."""
    if _amendments is None:
        raise RuntimeError(f"licence {lic.number} was under amendment but the amendments domain is not loaded "
                           "to close it: import rarex.amendments.service")
    _amendments.lapse(session, actor, lic, why, at=at)


def pending_amendment(session: Session, lic: Licence) -> int | None:
    return _amendments.pending(session, lic) if _amendments is not None else None


#: Called after each audit event on a licence's stream, in its transaction: (session, licence,
#: event type, when). rarex.documents registers one to issue a signed document on the events
#: that change what a licence document says (licences sits below documents in the layers).
_listeners: list[Callable[[Session, Licence, str, dt.datetime], None]] = []


def on_licence_event(listener: Callable[[Session, Licence, str, dt.datetime], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def licence_event_written(session: Session, lic: Licence, type: str, at: dt.datetime) -> None:
    for listener in _listeners:
        listener(session, lic, type, at)
