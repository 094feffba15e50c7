"""``rarex demo load``: a year of realistic, fictional licensing history.

Everything goes through the real services (the same rules, checks and audit events a user
would trigger), backdated with their ``at`` parameter. The history is deterministic (seeded)
so screenshots and figures can be compared between runs. Loading twice changes nothing: the
presence of the ``admin1`` user marks a loaded database.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications import service as apps
from rarex.applications.schemas import ApplicationIn, ItemIn, Outcome
from rarex.core.authz import Principal, Role
from rarex.core.calendar import calendar_for
from rarex.demo import data, restricted, trade
from rarex.licences.models import Licence
from rarex.licences.service import expire_due
from rarex.parties import verification
from rarex.parties.models import ComplianceProfile, Organisation, Party, Violation
from rarex.parties.versions import add_version
from rarex.policy.service import get_pack
from rarex.users import service as users
from rarex.users.models import User

SEED = 2025
# Submissions per month of 2025 after No. 18 took effect (4 April), shaped like the 2025
# export volumes in FACTS.md: a dip in May, a rise through the summer, easing in December.
MONTHS_2025 = {4: 24, 5: 22, 6: 34, 7: 40, 8: 38, 9: 40, 10: 36, 11: 36, 12: 30}
OPEN_CASES = 12  # recent cases still in the officers' queue
#: The large, well-run producers (15, 14 and 12 years of exports, ICP audited) that hold the
#: first general licences from December 2025 (data.EXPORTERS indexes).
GENERAL_HOLDERS = [0, 10, 1]
STAFF = [("officer1", Role.officer), ("officer2", Role.officer), ("senior1", Role.senior_officer),
         ("senior2", Role.senior_officer), ("customs1", Role.customs), ("auditor1", Role.auditor), ("admin1", Role.admin)]
PDF = b"%PDF-1.4\n% rarex demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class LoadResult:
    loaded: bool
    passwords: dict[str, str]
    organisations: int = 0
    applications: int = 0
    licences: int = 0
    general_licences: int = 0
    shipments: int = 0


def is_loaded(session: Session) -> bool:
    return session.execute(select(User.id).where(User.username == "admin1")).first() is not None


def _uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    base = "9113" + "".join(rng.choice("0123456789") for _ in range(4)) + "MA" + "".join(rng.choice(alphabet) for _ in range(7))
    return base + uscc.calc_check_digit(base)


def _at(day: dt.date, tz, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz).astimezone(dt.UTC)


def load(
    session: Session, password: str | None = None, progress: Callable[[int, int], None] | None = None,
    scale: float = 1.0,
) -> LoadResult:
    """Load the demo data unless it is there already. ``password`` fixes every demo password;
    ``scale`` shrinks the 2025 history (tests load a fifth of it)."""
    if is_loaded(session):
        return LoadResult(loaded=False, passwords={})
    rng = random.Random(SEED)
    pack = get_pack()
    cal = calendar_for(pack.calendar)
    system = Principal.system("demo-loader")
    passwords: dict[str, str] = {}
    restricted.import_demo_list(session, system)

    def new_user(username: str, role: Role, org_id: int | None = None) -> Principal:
        pw = password or secrets.token_urlsafe(12)
        passwords[username] = pw
        u = users.create_user(session, system, username=username, role=role, password=pw, org_id=org_id)
        return users.principal_for(u)

    staff = {name: new_user(name, role) for name, role in STAFF}

    orgs, exporters = [], []
    org_parties: dict[int, list[Party]] = {}
    for n, (en, zh, city, icp, years, briefings, stable, violation) in enumerate(data.EXPORTERS, start=1):
        org = Organisation(name_en=en, name_zh=zh, uscc=_uscc(rng), address=f"Industrial Park, {city}, China",
                           contact_name=rng.choice(["Li Na", "Wang Jun", "Zhang Wei", "Liu Yang", "Chen Jing", "Zhao Lei"]),
                           contact_email=f"export.compliance@demo-exporter-{n}.example.cn", contact_phone=f"+86 10 5555 {n:04d}")
        session.add(org)
        session.flush()
        session.add(ComplianceProfile(
            org_id=org.id, has_icp=icp, icp_established_on=dt.date(2025 - min(years, 8), 3, 1) if icp else None,
            icp_last_audit_on=dt.date(2025, 1, 15) if icp else None, export_experience_years=years,
            briefings_attended=briefings, last_briefing_on=dt.date(2025, 4, 18) if briefings else None,
            stable_channels=stable, notes="",
        ))
        if violation:
            session.add(Violation(org_id=org.id, kind=violation, decided_on=dt.date(2023, 6, 12),
                                  description="Export of controlled items beyond the licensed quantity",
                                  legal_ref="ECL Art. 34; DUR Art. 39"))
        orgs.append(org)
        exporters.append(new_user(f"exporter{n}", Role.exporter, org.id))
        # each exporter keeps 3-5 foreign customers on file
        chosen = rng.sample(data.END_USERS, rng.randint(3, 5))
        org_parties[org.id] = []
        for name, country, city_, business in chosen:
            # The demo's customers are civil manufacturers (data.END_USERS): their category says so,
            # so prohibitions judge them (a Japanese civil end user is not covered by Ann. 2026 No. 1).
            p = Party(org_id=org.id, name=name, country=country, address=f"{city_}, {country}", business=business,
                      end_user_category="civil")
            session.add(p)
            org_parties[org.id].append(p)
    session.flush()
    for party in (p for parties in org_parties.values() for p in parties):
        add_version(session, party, None)  # version 1, as create_party records it
    for org in orgs:  # an officer has checked each profile, as before any general licence
        verification.verify_profile(session, staff["officer1"], org.id, note="Demo: ICP audit report and export record seen")

    # Bigger, better-run exporters apply more often.
    weights = [3 if (e[3] and e[4] >= 8) else 1 for e in data.EXPORTERS]
    plan: list[tuple[dt.date, str]] = []
    for month, count in MONTHS_2025.items():
        for _ in range(max(1, round(count * scale))):
            day = dt.date(2025, month, rng.randint(7 if month == 4 else 1, 28))
            plan.append((day, ""))
    # exactly ~70% approval among decided cases (FACTS.md section 4, unconfirmed figure)
    decided = len(plan)
    n_withdrawn = round(decided * 0.05)
    n_approved = round((decided - n_withdrawn) * 0.70)
    outcomes = ["approve"] * n_approved + ["refuse"] * (decided - n_withdrawn - n_approved) + ["withdraw"] * n_withdrawn
    rng.shuffle(outcomes)
    plan = [(d, o) for (d, _), o in zip(sorted(plan), outcomes, strict=True)]
    today = pack.today()
    for k in range(OPEN_CASES):
        plan.append((cal.add_working_days(today - dt.timedelta(days=40), k * 2), "open"))

    result = LoadResult(loaded=True, passwords=passwords, organisations=len(orgs))
    total = len(plan)
    for i, (day, outcome) in enumerate(plan):
        idx = rng.choices(range(len(orgs)), weights=weights)[0]
        exporter, org = exporters[idx], orgs[idx]
        _one_application(session, rng, cal, pack, staff, exporter, org_parties[org.id], day, outcome, today)
        result.applications += 1
        if progress:
            progress(i + 1, total)
    numbers = trade.Declarations()
    result.shipments = trade.ship_individual_licences(session, rng, pack, staff["customs1"], today, numbers)
    holders = [exporters[i] for i in GENERAL_HOLDERS]
    result.general_licences, general_shipments = trade.general_licences(
        session, rng, pack, cal, staff, holders, today, numbers, PDF)
    result.shipments += general_shipments
    expire_due(session, system, today)
    # cases nobody accepted within 5 working days of receipt are accepted on receipt by law
    apps.deem_accept_due(session, system, today)
    result.licences = len(session.execute(select(Licence.id)).all())
    return result


def _one_application(session, rng, cal, pack, staff, exporter, parties, day, outcome, today) -> None:
    tz = pack.tz
    consignee, end_user = rng.choice(parties), rng.choice(parties)
    lines = rng.sample(data.ITEMS, rng.choice([1, 1, 1, 2]))
    items = []
    for code, hs, desc, unit, typical, price in lines:
        qty = Decimal(max(1, round(typical * rng.uniform(0.2, 1.6))))
        items.append(ItemIn(control_code=code, hs_code=hs, description=desc, quantity=qty, unit=unit,
                            value=(qty * Decimal(price) * Decimal(str(round(rng.uniform(0.9, 1.1), 2)))).quantize(Decimal("0.01")),
                            currency="USD"))
    body = ApplicationIn(licence_type="individual", consignee_id=consignee.id, end_user_id=end_user.id,
                         end_use=rng.choice(data.END_USES), end_use_category="civil", requested_validity_months=rng.choice([6, 6, 12]), items=items)
    app = apps.create(session, exporter, body, at=_at(day, tz, 9))
    for doc_type in pack.required_documents("individual"):
        apps.add_document(session, exporter, app.id, doc_type=doc_type, filename=f"{doc_type}.pdf",
                          content_type="application/pdf", data=PDF)
    submitted = day
    apps.submit(session, exporter, app.id, at=_at(submitted, tz, 11))
    if outcome == "open" and rng.random() < 0.3:
        return  # still waiting to be accepted
    accepted = cal.add_working_days(submitted, rng.randint(1, 3))
    if accepted > today:
        return
    officer = staff[rng.choice(["officer1", "officer2"])]
    restricted.clear_hits(session, officer, app.id, at=_at(accepted, tz, 9))
    apps.accept(session, officer, app.id, at=_at(accepted, tz))
    cursor = accepted
    stopped = 0  # working days the clock stood still: they do not count toward the 45
    if rng.random() < 0.35:  # a third of cases need more information; the clock keeps running meanwhile
        asked = cal.add_working_days(cursor, rng.randint(3, 10))
        answered = cal.add_working_days(asked, rng.randint(3, 15))
        if asked > today:
            return
        apps.request_information(session, officer, app.id, "Please provide the end user's signed end-use certificate "
                                 "and photographs of the packed goods.", at=_at(asked, tz))
        if answered > today or outcome == "open":
            return
        apps.respond(session, exporter, app.id, "Certificate and photographs uploaded.", at=_at(answered, tz))
        cursor = answered
    if rng.random() < 0.15:  # some items go to the expert panel; that time does not count (DUR Art. 17)
        asked = cal.add_working_days(cursor, rng.randint(1, 5))
        answered = cal.add_working_days(asked, rng.randint(5, 20))
        if asked > today:
            return
        apps.stop_clock(session, officer, app.id, "expert_opinion", "Expert panel asked whether the magnet alloy's "
                        "composition falls under the listed entry.", at=_at(asked, tz))
        if answered > today:
            return
        apps.restart_clock(session, officer, app.id, "Panel opinion received: the composition matches the listed entry.",
                           at=_at(answered, tz))
        stopped += cal.working_days_between(asked, answered)
        cursor = answered
    if outcome == "open" and rng.random() < 0.1:  # a rare case goes to the State Council: no deadline
        apps.refer_to_state_council(session, staff["senior1"], app.id, "The end user's programme may have a major "
                                    "effect on national security; referred for approval.",
                                    at=_at(min(cal.add_working_days(cursor, 2), today), tz, 16))
        return
    if outcome == "withdraw":
        apps.withdraw(session, exporter, app.id, "The customer cancelled the order.", at=_at(cal.add_working_days(cursor, 2), tz))
        return
    if outcome == "open":
        return
    # decided within the 45 working days from acceptance (plus any stopped days)
    room = 40 + stopped - (cal.working_days_between(accepted, cursor))
    recommended = cal.add_working_days(cursor, rng.randint(min(5, room), min(25, room)))
    decided = cal.add_working_days(recommended, rng.randint(1, 5))
    overridden = rng.random() < 0.05
    final = Outcome.approve if outcome == "approve" else Outcome.refuse
    rec = (Outcome.refuse if final == Outcome.approve else Outcome.approve) if overridden else final
    reasons = rng.choice(data.REFUSAL_REASONS) if rec == Outcome.refuse else "Civil end use verified; end user known."
    apps.recommend(session, officer, app.id, rec, reasons, at=_at(recommended, tz))
    senior = staff[rng.choice(["senior1", "senior2"])]
    if final == Outcome.approve and rng.random() < 0.25:
        final, conditions = Outcome.approve_with_conditions, ["No re-export without the ministry's permission",
                                                              "Report shipment and arrival within 10 working days"]
    else:
        conditions = []
    reasons = rng.choice(data.REFUSAL_REASONS) if final == Outcome.refuse else "Countersigned: " + (
        "end use verified." if not overridden else "on review the end use is credible.")
    apps.decide(session, senior, app.id, final, reasons, conditions, at=_at(decided, tz, 15))
