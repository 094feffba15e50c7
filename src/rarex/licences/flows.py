"""The licence state machine (DUR Art. 18, ECL Art. 35): suspension, reinstatement,
revocation by a senior officer; expiry when validity ends."""

from __future__ import annotations

from rarex.core.states import StateMachine, Transition
from rarex.licences.models import LicenceStatus as L

LICENCE = StateMachine(
    "licence",
    [
        Transition("suspend", frozenset({L.active}), L.suspended, "suspended_at"),
        Transition("reinstate", frozenset({L.suspended}), L.active, "reinstated_at"),
        Transition("revoke", frozenset({L.active, L.suspended}), L.revoked, "revoked_at"),
        Transition("expire", frozenset({L.active, L.suspended}), L.expired, "expired_at"),
    ],
)
