"""The amendment state machine (DUR Art. 18 para. 3): requested, recommended by an officer,
decided by a different senior officer; withdrawn by the holder, or lapsed when the licence
stops being amendable (suspended, revoked, expired) while the request is open."""

from __future__ import annotations

from rarex.amendments.models import AmendmentStatus as A
from rarex.core.states import StateMachine, Transition

OPEN = frozenset({A.pending, A.recommended})

AMENDMENT = StateMachine(
    "amendment",
    [
        Transition("recommend", frozenset({A.pending}), A.recommended, "recommended_at"),
        # Countersigning, as for applications: a senior officer who did not recommend decides.
        Transition("decide", frozenset({A.recommended}), None, "decided_at"),
        Transition("withdraw", OPEN, A.withdrawn, "withdrawn_at"),
        # Only the licence service does this, when it suspends, revokes or expires the licence.
        Transition("lapse", OPEN, A.lapsed, "lapsed_at"),
    ],
)

#: Transitions no user asks for: not listed among an amendment's allowed actions.
SYSTEM_ACTIONS = frozenset({"lapse"})
