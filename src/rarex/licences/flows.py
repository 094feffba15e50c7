"""The licence state machine (DUR Arts. 18 and 20, ECL Art. 35): suspension by a senior
officer and its four outcomes (reinstate, order an amendment, withdraw 撤回, revoke 撤销);
expiry when validity ends; exhaustion when customs has drawn everything (or, for a type that
ends when used, made its one export), and replenishment when a cancelled shipment gives
quantity back to an exhausted licence; amendments; and replacement by a new application when
a key element changes (stopped while it is pending, handed back when it is granted)."""

from __future__ import annotations

from rarex.core.states import StateMachine, Transition
from rarex.licences.models import LicenceStatus as L

LICENCE = StateMachine(
    "licence",
    [
        # Use stops while the ministry checks (DUR Art. 18 para. 4), or at once when an Art. 20
        # exclusion arises for a general licence's holder (rarex.licences.exclusion).
        Transition("suspend", frozenset({L.active, L.exhausted, L.under_amendment, L.replacement_pending,
                                         L.amendment_ordered}), L.suspended, "suspended_at"),
        # The four outcomes of a suspension. Reinstating a licence whose replacing application
        # is still open puts it back to replacement_pending, not active (see service.control).
        Transition("reinstate", frozenset({L.suspended}), L.active, "reinstated_at"),
        Transition("order_amendment", frozenset({L.suspended}), L.amendment_ordered, "amendment_ordered_at"),
        Transition("withdraw", frozenset({L.suspended, L.amendment_ordered}), L.withdrawn, "withdrawn_at"),
        Transition("revoke", frozenset({L.active, L.exhausted, L.suspended, L.under_amendment, L.replacement_pending,
                                        L.amendment_ordered}), L.revoked, "revoked_at"),
        # From exhausted only when a cancelled shipment reopens a licence whose validity has
        # already ended: it must not become active again. The expiry job leaves exhausted
        # licences alone (nothing is left to use; "exhausted" is the more telling end).
        Transition("expire", frozenset({L.active, L.suspended, L.exhausted, L.under_amendment, L.replacement_pending,
                                        L.amendment_ordered}), L.expired, "expired_at"),
        # Only a shipment does these (rarex.shipments.service), inside its transaction.
        Transition("exhaust", frozenset({L.active}), L.exhausted, "exhausted_at"),
        Transition("replenish", frozenset({L.exhausted}), L.active, "replenished_at"),
        # Amendments (rarex.amendments, DUR Art. 18 para. 3): the licence may not be used while
        # one is pending. Suspending, revoking or expiring it (above) lapses the pending
        # amendment, since one status cannot say both "suspended" and "under amendment".
        # An exhausted licence may ask for more (a general licence whose quantities ran out
        # before its validity did); the amendment service refuses it for a type that ends
        # when used. After the decision it is exhausted again if nothing remains. A licence
        # whose amendment a senior officer ordered asks from amendment_ordered.
        Transition("request_amendment", frozenset({L.active, L.exhausted, L.amendment_ordered}), L.under_amendment,
                   "amendment_requested_at"),
        # Approved: the changes are applied and the version goes up.
        Transition("apply_amendment", frozenset({L.under_amendment}), L.active, "amended_at"),
        # Refused, withdrawn: the holder carries on under the licence as it was...
        Transition("close_amendment", frozenset({L.under_amendment}), L.active, "amendment_closed_at"),
        # ... unless the amendment was ordered: then the order stands and use stays stopped.
        Transition("close_ordered_amendment", frozenset({L.under_amendment}), L.amendment_ordered, "amendment_closed_at"),
        # Replacement (DUR Art. 18 para. 2), done by rarex.applications: the replacing
        # application's submission stops use; its refusal or withdrawal lets use resume; its
        # grant hands this licence back.
        Transition("stop_for_replacement", frozenset({L.active, L.exhausted}), L.replacement_pending,
                   "replacement_requested_at"),
        Transition("resume_after_replacement", frozenset({L.replacement_pending}), L.active, "replacement_closed_at"),
        Transition("hand_back", frozenset({L.replacement_pending, L.suspended}), L.handed_back, "handed_back_at"),
    ],
)

#: Transitions that follow from customs drawing and cancelling, never asked for by a user:
#: not listed among a licence's allowed actions.
DRAWDOWN_ACTIONS = frozenset({"exhaust", "replenish"})

#: Transitions that follow from an amendment's decision or withdrawal, never asked for on the
#: licence itself: not listed among a licence's allowed actions.
AMENDMENT_OUTCOMES = frozenset({"apply_amendment", "close_amendment", "close_ordered_amendment"})

#: Transitions that follow from a replacing application, never asked for on the licence itself.
REPLACEMENT_OUTCOMES = frozenset({"stop_for_replacement", "resume_after_replacement", "hand_back"})

#: Actions a senior officer takes on a licence with a coded ground (pack grounds.yaml), and what each does.
GROUNDED_ACTIONS = {
    "suspend": "Suspend use while the ministry checks (DUR Art. 18 para. 4)",
    "reinstate": "After a suspension, let use resume",
    "order_amendment": "After a suspension, order an amendment (unusable until the holder's amendment is approved)",
    "withdraw": "After a suspension, withdraw the licence (撤回, final)",
    "revoke": "Revoke the licence (撤销, final)",
}
#: Of those, the ones that need a ground; the others may name one.
GROUND_REQUIRED = frozenset({"suspend", "withdraw", "revoke"})
