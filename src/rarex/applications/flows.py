"""The application state machine (DUR Arts. 16-17): who moves a case from where to where."""

from __future__ import annotations

from rarex.applications.models import ApplicationStatus as S
from rarex.core.states import StateMachine, Transition

OPEN = frozenset({S.submitted, S.under_review, S.information_requested, S.recommended})

APPLICATION = StateMachine(
    "application",
    [
        Transition("edit", frozenset({S.draft}), S.draft),
        Transition("upload", frozenset({S.draft, S.information_requested}), None),
        Transition("remove_document", frozenset({S.draft, S.information_requested}), None),
        Transition("submit", frozenset({S.draft}), S.submitted, "submitted_at"),
        # The officer returns an incomplete submission to the exporter instead of accepting it.
        Transition("return", frozenset({S.submitted}), S.draft),
        # Acceptance starts the 45-working-day clock (DUR Art. 17 para. 1).
        Transition("accept", frozenset({S.submitted}), S.under_review, "accepted_at"),
        # A request for information stops the clock until the exporter responds (Art. 17 para. 3).
        Transition("request_information", frozenset({S.under_review}), S.information_requested),
        Transition("respond", frozenset({S.information_requested}), S.under_review),
        Transition("recommend", frozenset({S.under_review}), S.recommended, "recommended_at"),
        # A senior officer who did not recommend decides: approve (with or without conditions) or refuse.
        Transition("decide", frozenset({S.recommended}), None, "decided_at"),
        Transition("withdraw", frozenset({S.draft} | OPEN), S.withdrawn, "withdrawn_at"),
    ],
)
