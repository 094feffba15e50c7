"""The licence state machine (DUR Art. 18, ECL Art. 35): suspension, reinstatement,
revocation by a senior officer; expiry when validity ends; exhaustion when customs has drawn
everything (or, for a type that ends when used, made its one export), and replenishment when
a cancelled shipment gives quantity back to an exhausted licence."""

from __future__ import annotations

from rarex.core.states import StateMachine, Transition
from rarex.licences.models import LicenceStatus as L

LICENCE = StateMachine(
    "licence",
    [
        Transition("suspend", frozenset({L.active, L.under_amendment}), L.suspended, "suspended_at"),
        Transition("reinstate", frozenset({L.suspended}), L.active, "reinstated_at"),
        Transition("revoke", frozenset({L.active, L.suspended, L.under_amendment}), L.revoked, "revoked_at"),
        # From exhausted only when a cancelled shipment reopens a licence whose validity has
        # already ended: it must not become active again. The expiry job leaves exhausted
        # licences alone (nothing is left to use; "exhausted" is the more telling end).
        Transition("expire", frozenset({L.active, L.suspended, L.exhausted, L.under_amendment}), L.expired, "expired_at"),
        # Only a shipment does these (rarex.shipments.service), inside its transaction.
        Transition("exhaust", frozenset({L.active}), L.exhausted, "exhausted_at"),
        Transition("replenish", frozenset({L.exhausted}), L.active, "replenished_at"),
        # Amendments (rarex.amendments, DUR Art. 18 para. 3): the licence may not be used while
        # one is pending. Suspending, revoking or expiring it (above) lapses the pending
        # amendment, since one status cannot say both "suspended" and "under amendment".
        # An exhausted licence may ask for more (a general licence whose quantities ran out
        # before its validity did); the amendment service refuses it for a type that ends
        # when used. After the decision it is exhausted again if nothing remains.
        Transition("request_amendment", frozenset({L.active, L.exhausted}), L.under_amendment, "amendment_requested_at"),
        # Approved: the changes are applied and the version goes up.
        Transition("apply_amendment", frozenset({L.under_amendment}), L.active, "amended_at"),
        # Refused, withdrawn: the holder carries on under the licence as it was.
        Transition("close_amendment", frozenset({L.under_amendment}), L.active, "amendment_closed_at"),
    ],
)

#: Transitions that follow from customs drawing and cancelling, never asked for by a user:
#: not listed among a licence's allowed actions.
DRAWDOWN_ACTIONS = frozenset({"exhaust", "replenish"})

#: Transitions that follow from an amendment's decision or withdrawal, never asked for on the
#: licence itself: not listed among a licence's allowed actions.
AMENDMENT_OUTCOMES = frozenset({"apply_amendment", "close_amendment"})
