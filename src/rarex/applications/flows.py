"""The application state machine (DUR Arts. 16-17): who moves a case from where to where."""

from __future__ import annotations

from rarex.applications.models import ApplicationStatus as S
from rarex.core.states import StateMachine, Transition

OPEN = frozenset({S.submitted, S.under_review, S.information_requested, S.recommended})
#: Under review: accepted and not yet recommended. Clock stops start and end only here.
REVIEW = frozenset({S.under_review, S.information_requested})

APPLICATION = StateMachine(
    "application",
    [
        Transition("edit", frozenset({S.draft}), S.draft),
        Transition("upload", frozenset({S.draft, S.information_requested}), None),
        Transition("remove_document", frozenset({S.draft, S.information_requested}), None),
        Transition("submit", frozenset({S.draft}), S.submitted, "submitted_at"),
        # Within the acceptance window the officer either returns the submission with every
        # correction at once, or accepts it (Administrative Licensing Law Art. 32); acceptance
        # starts the 45-working-day clock (DUR Art. 17 para. 1). Past the window the case is
        # deemed accepted on receipt: a return is refused, and deem_accept (the system) records it.
        Transition("return", frozenset({S.submitted}), S.draft),
        Transition("accept", frozenset({S.submitted}), S.under_review, "accepted_at"),
        Transition("deem_accept", frozenset({S.submitted}), S.under_review, "accepted_at"),
        # A request for information waits for the exporter but does not stop the clock (FACTS 1.6).
        Transition("request_information", frozenset({S.under_review}), S.information_requested),
        Transition("respond", frozenset({S.information_requested}), S.under_review),
        # Technical identification, expert opinion or an on-site check stops the clock (Art. 17 para. 3).
        Transition("stop_clock", REVIEW, None),
        Transition("restart_clock", REVIEW, None),
        # A referral to the State Council: from then no deadline runs (Art. 17 para. 2).
        Transition("refer", frozenset({S.under_review, S.information_requested, S.recommended}), None, "referred_at"),
        Transition("recommend", frozenset({S.under_review}), S.recommended, "recommended_at"),
        # A senior officer who did not recommend decides: approve (with or without conditions) or refuse.
        Transition("decide", frozenset({S.recommended}), None, "decided_at"),
        Transition("withdraw", frozenset({S.draft} | OPEN), S.withdrawn, "withdrawn_at"),
    ],
)

#: Transitions no user asks for: not listed among a case's allowed actions.
SYSTEM_ACTIONS = frozenset({"deem_accept"})
