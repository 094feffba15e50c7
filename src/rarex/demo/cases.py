"""The demo's applications: each case's life as officers would have lived it, through the services.

A regular case is submitted on a past working day and planned to the end (acceptance within
1-3 working days, perhaps a request for information and an expert opinion, a recommendation
and a countersigned decision well inside the 45 working days); every step dated before today
is taken, so recent cases stop wherever they stand today, never late. On top of those, one
case is planted at each stage of the clock (:data:`STAGES`), dated back from today in working
days so the officers' queue always shows every state, including one overdue case on purpose.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from sqlalchemy.orm import Session

from rarex.applications import service as apps
from rarex.applications.schemas import ApplicationIn, ItemIn, Outcome
from rarex.core.authz import Principal
from rarex.core.calendar import WorkingCalendar
from rarex.core.db import utcnow
from rarex.demo import clock, data, restricted

PDF = b"%PDF-1.4\n% rarex demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: The planted open cases: stage -> (submitted, accepted, last step) in working days before
#: today (None: that step not taken). The decision clock allows 45 working days.
STAGES: dict[str, tuple[int, int | None, int | None]] = {
    "just_submitted": (0, None, None),            # received today
    "awaiting_acceptance": (2, None, None),       # inside the 5-working-day acceptance window
    "deemed_accepted": (8, None, None),           # nobody acted in 5 working days: accepted on receipt by law
    "information_requested": (12, 10, 3),         # waiting for the exporter; the clock keeps running
    "under_review": (17, 15, None),               # accepted, the officer is reviewing
    "clock_stopped": (27, 25, 6),                 # an expert opinion stops the clock (DUR Art. 17 para. 3)
    "referred": (22, 20, 5),                      # referred to the State Council: no deadline
    "recommended": (32, 30, 2),                   # awaiting a senior officer's countersignature
    "near_deadline": (44, 42, None),              # 3 working days left
    "overdue": (52, 50, None),                    # 5 working days past the deadline, on purpose
}


class Flow:
    def __init__(self, session: Session, rng: random.Random, pack, cal: WorkingCalendar, staff: dict, today: dt.date):
        self.session, self.rng, self.pack, self.cal, self.staff, self.today = session, rng, pack, cal, staff, today
        self.tz = pack.tz

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return clock.at(day, self.tz, hour)

    def outcome(self) -> str:
        """About 70% of decided cases approved (FACTS.md section 4, unconfirmed), 5% withdrawn."""
        r = self.rng.random()
        return "withdraw" if r < 0.05 else "approve" if r < 0.05 + 0.95 * 0.70 else "refuse"

    def _submit(self, exporter: Principal, parties, submitted: dt.datetime):
        rng = self.rng
        consignee, end_user = rng.choice(parties), rng.choice(parties)
        items = []
        for code, hs, desc, unit, typical, price in rng.sample(data.ITEMS, rng.choice([1, 1, 1, 2])):
            qty = Decimal(max(1, round(typical * rng.uniform(0.2, 1.6))))
            value = (qty * Decimal(price) * Decimal(str(round(rng.uniform(0.9, 1.1), 2)))).quantize(Decimal("0.01"))
            items.append(ItemIn(control_code=code, hs_code=hs, description=desc, quantity=qty, unit=unit, value=value,
                                currency="USD"))
        body = ApplicationIn(licence_type="individual", consignee_id=consignee.id, end_user_id=end_user.id,
                             end_use=rng.choice(data.END_USES), end_use_category="civil",
                             requested_validity_months=rng.choice([6, 6, 12]), items=items)
        app = apps.create(self.session, exporter, body, at=submitted - dt.timedelta(hours=2))
        for doc_type in self.pack.required_documents("individual"):
            apps.add_document(self.session, exporter, app.id, doc_type=doc_type, filename=f"{doc_type}.pdf",
                              content_type="application/pdf", data=PDF)
        apps.submit(self.session, exporter, app.id, at=submitted)
        return app

    def _accept(self, officer: Principal, app_id: int, day: dt.date) -> None:
        restricted.clear_hits(self.session, officer, app_id, at=self.at(day, 9))
        apps.accept(self.session, officer, app_id, at=self.at(day))

    def _ask(self, officer: Principal, app_id: int, day: dt.date) -> None:
        apps.request_information(self.session, officer, app_id, "Please provide the end user's signed end-use "
                                 "certificate and photographs of the packed goods.", at=self.at(day))

    def _stop(self, officer: Principal, app_id: int, day: dt.date) -> None:
        apps.stop_clock(self.session, officer, app_id, "expert_opinion", "Expert panel asked whether the magnet "
                        "alloy's composition falls under the listed entry.", at=self.at(day))

    def regular(self, exporter: Principal, parties, day: dt.date, outcome: str) -> None:
        """A case submitted on ``day``: its whole life is planned, then every step dated
        before today is taken (so a recent case stops wherever it stands today)."""
        rng, cal, s = self.rng, self.cal, self.session
        app = self._submit(exporter, parties, self.at(day, 11))
        officer = self.staff[rng.choice(["officer1", "officer2"])]
        ask = rng.random() < 0.35  # a third of cases need more information; the clock keeps running meanwhile
        expert = rng.random() < 0.15  # some go to the expert panel; that time does not count (DUR Art. 17)
        accepted = cal.add_working_days(day, rng.randint(1, 3))
        steps: list[tuple[dt.date, Callable[[], object]]] = [(accepted, partial(self._accept, officer, app.id, accepted))]
        cursor, stopped = accepted, 0
        # (asked after, answered after, ask, answer) in working days
        pairs = [((3, 10), (3, 15), self._ask, partial(apps.respond, s, exporter, app.id, "Certificate and photographs uploaded."))
                 ] if ask else []
        if expert:
            pairs.append(((1, 5), (5, 20), self._stop, partial(
                apps.restart_clock, s, officer, app.id, "Panel opinion received: the composition matches the listed entry.")))
        for first, second, start, end in pairs:
            asked = cal.add_working_days(cursor, rng.randint(*first))
            answered = cal.add_working_days(asked, rng.randint(*second))
            steps += [(asked, partial(start, officer, app.id, asked)), (answered, partial(end, at=self.at(answered)))]
            if start == self._stop:
                stopped = cal.working_days_between(asked, answered)
            cursor = answered
        if outcome == "withdraw":
            withdrawn = cal.add_working_days(cursor, 2)
            steps.append((withdrawn, partial(apps.withdraw, s, exporter, app.id, "The customer cancelled the order.",
                                             at=self.at(withdrawn))))
        else:
            steps += self._decision(officer, app.id, outcome, accepted, cursor, stopped)
        for when, act in steps:
            if when >= self.today:
                return
            act()

    def _decision(self, officer: Principal, app_id: int, outcome: str, accepted: dt.date, cursor: dt.date,
                  stopped: int) -> list[tuple[dt.date, Callable[[], object]]]:
        """Recommendation and countersigned decision within the 45 working days from acceptance
        (plus any stopped days)."""
        rng, cal, s = self.rng, self.cal, self.session
        room = max(1, 40 - (cal.working_days_between(accepted, cursor) - stopped))
        recommended = cal.add_working_days(cursor, rng.randint(min(5, room), min(25, room)))
        decided = cal.add_working_days(recommended, rng.randint(1, 5))
        overridden = rng.random() < 0.05
        final = Outcome.approve if outcome == "approve" else Outcome.refuse
        rec = (Outcome.refuse if final == Outcome.approve else Outcome.approve) if overridden else final
        conditional = final == Outcome.approve and rng.random() < 0.25
        reason = rng.choice(data.REFUSAL_REASONS)
        senior = self.staff[rng.choice(["senior1", "senior2"])]
        conditions: list[str] = []
        if conditional:
            final, conditions = Outcome.approve_with_conditions, ["No re-export without the ministry's permission",
                                                                  "Report shipment and arrival within 10 working days"]
        reasons = reason if final == Outcome.refuse else "Countersigned: " + (
            "end use verified." if not overridden else "on review the end use is credible.")
        return [
            (recommended, partial(apps.recommend, s, officer, app_id, rec,
                                  reason if rec == Outcome.refuse else "Civil end use verified; end user known.",
                                  at=self.at(recommended))),
            (decided, partial(apps.decide, s, senior, app_id, final, reasons, conditions, at=self.at(decided, 15))),
        ]

    def planted(self, stage: str, exporter: Principal, parties) -> str:
        """An open case at ``stage`` today (see :data:`STAGES`); returns its reference."""
        sub, acc, step = STAGES[stage]
        back = lambda n: clock.working_days_back(self.cal, self.today, n)  # noqa: E731
        submitted = just_now(self.pack, self.today) if sub == 0 else self.at(back(sub), 11)
        app = self._submit(exporter, parties, submitted)
        officer = self.staff["officer1" if len(stage) % 2 else "officer2"]
        if acc is None:
            return app.reference  # not accepted (deemed_accepted: the loader's deem_accept_due records it)
        self._accept(officer, app.id, back(acc))
        if stage == "information_requested":
            assert step is not None
            self._ask(officer, app.id, back(step))
        elif stage == "clock_stopped":
            assert step is not None
            self._stop(officer, app.id, back(step))
        elif stage == "referred":
            assert step is not None
            apps.refer_to_state_council(self.session, self.staff["senior1"], app.id, "The end user's programme may have "
                                        "a major effect on national security; referred for approval.", at=self.at(back(step), 16))
        elif stage == "recommended":
            assert step is not None
            apps.recommend(self.session, officer, app.id, Outcome.approve, "Civil end use verified; end user known.",
                           at=self.at(back(step)))
        return app.reference


def just_now(pack, today: dt.date) -> dt.datetime:
    """The moment of today's submission: 08:30 in the regime's time zone, or a minute ago if
    the history is loaded earlier in the morning (never in the future, never yesterday)."""
    planned = clock.at(today, pack.tz, 8, 30)
    now = utcnow() - dt.timedelta(minutes=1)
    if today != pack.today() or now >= planned:
        return planned
    return max(now, clock.at(today, pack.tz, 0, 1))
