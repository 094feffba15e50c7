"""The amendment state machine (DUR Art. 18 para. 3): requested, accepted (by an officer, or
deemed accepted once the pack's acceptance window has passed: Administrative Licensing Law
Art. 32), recommended by an officer, decided by a different senior officer; withdrawn by the holder, or lapsed when the licence
stops being amendable (suspended, revoked, expired) while the request is open."""

from __future__ import annotations

from rarex.amendments.models import AmendmentStatus as A
from rarex.core.states import StateMachine, Transition

OPEN = frozenset({A.pending, A.under_review, A.recommended})

AMENDMENT = StateMachine(
    "amendment",
    [
        # Acceptance starts the 20-working-day clock; deem_accept is the system recording that
        # nobody acted within the acceptance window.
        Transition("accept", frozenset({A.pending}), A.under_review, "accepted_at"),
        Transition("deem_accept", frozenset({A.pending}), A.under_review, "accepted_at"),
        Transition("recommend", frozenset({A.under_review}), A.recommended, "recommended_at"),
        # Countersigning, as for applications: a senior officer who did not recommend decides.
        Transition("decide", frozenset({A.recommended}), None, "decided_at"),
        Transition("withdraw", OPEN, A.withdrawn, "withdrawn_at"),
        # Only the licence service does this, when it suspends, revokes or expires the licence.
        Transition("lapse", OPEN, A.lapsed, "lapsed_at"),
    ],
)

#: Transitions no user asks for: not listed among an amendment's allowed actions.
SYSTEM_ACTIONS = frozenset({"lapse", "deem_accept"})
