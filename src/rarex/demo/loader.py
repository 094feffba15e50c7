"""``rarex demo load``: about twenty months of realistic, fictional licensing history up to today.

Everything goes through the real services (the same rules, checks and audit events a user
would trigger), backdated with their ``at`` parameter and counted on the pack's working-day
calendar. The history is built relative to the day it is loaded (:mod:`rarex.demo.clock`), so
whatever day a newcomer runs it the system is live: general licences in force with shipments
up to yesterday, individual licences with quantity left, and open cases at every stage of the
clock, none late except the one meant to be. It is deterministic for a given day (seeded from
the date). Loading twice changes nothing: the presence of the ``admin1`` user marks a loaded
database.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.applications import service as apps
from rarex.core.authz import Principal, Role
from rarex.core.calendar import calendar_for
from rarex.demo import cases, clock, data, restricted, trade
from rarex.licences.models import Licence
from rarex.licences.service import expire_due
from rarex.parties import verification
from rarex.parties.models import ComplianceProfile, Organisation, Party, Violation
from rarex.parties.versions import add_version
from rarex.policy.service import get_pack
from rarex.users import service as users
from rarex.users.models import User

#: The large, well-run producers (15, 14, 12 and 11 years of exports, ICP audited) that hold
#: general licences (data.EXPORTERS indexes), with the days after the first general licences
#: of December 2025 on which each got its first.
GENERAL_HOLDERS = [(0, 0), (10, 0), (1, 2), (4, 69)]
STAFF = [("officer1", Role.officer), ("officer2", Role.officer), ("senior1", Role.senior_officer),
         ("senior2", Role.senior_officer), ("customs1", Role.customs), ("auditor1", Role.auditor), ("admin1", Role.admin)]


@dataclass
class LoadResult:
    loaded: bool
    passwords: dict[str, str]
    today: dt.date | None = None
    organisations: int = 0
    applications: int = 0
    licences: int = 0
    general_licences: int = 0
    shipments: int = 0
    #: The reference of the open case planted at each stage of the clock (cases.STAGES).
    stages: dict[str, str] = field(default_factory=dict)


def is_loaded(session: Session) -> bool:
    return session.execute(select(User.id).where(User.username == "admin1")).first() is not None


def seed_for(today: dt.date) -> int:
    """The same day always gives the same history."""
    return int(today.strftime("%Y%m%d"))


def controlled_from(pack) -> dt.date:
    """The day the demo's items came under control (No. 18: 2025-04-04), from the pack."""
    return min(e.effective_from for e in (pack.entry(code) for code, *_ in data.ITEMS) if e is not None)


def _uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    base = "9113" + "".join(rng.choice("0123456789") for _ in range(4)) + "MA" + "".join(rng.choice(alphabet) for _ in range(7))
    return base + uscc.calc_check_digit(base)


def load(
    session: Session, password: str | None = None, progress: Callable[[int, int], None] | None = None,
    scale: float = 1.0, today: dt.date | None = None,
) -> LoadResult:
    """Load the demo data unless it is there already. ``password`` fixes every demo password;
    ``scale`` shrinks the monthly volumes (tests load a tenth); ``today`` is the day the history
    runs up to (default: today in the regime's time zone)."""
    if is_loaded(session):
        return LoadResult(loaded=False, passwords={})
    pack = get_pack()
    today = today or pack.today()
    rng = random.Random(seed_for(today))
    cal = calendar_for(pack.calendar)
    start = clock.history_start(today, controlled_from(pack))
    system = Principal.system("demo-loader")
    passwords: dict[str, str] = {}
    restricted.import_demo_list(session, system)

    def new_user(username: str, role: Role, org_id: int | None = None) -> Principal:
        pw = password or secrets.token_urlsafe(12)
        passwords[username] = pw
        u = users.create_user(session, system, username=username, role=role, password=pw, org_id=org_id)
        return users.principal_for(u)

    staff = {name: new_user(name, role) for name, role in STAFF}
    orgs, exporters, org_parties = _exporters(session, rng, staff, new_user, start, today)

    months = clock.months(start, today, scale)
    n_general = len(GENERAL_HOLDERS) * 3
    total = sum(m.submissions for m in months) + len(cases.STAGES) + n_general + 2
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)

    # Bigger, better-run exporters apply more often.
    weights = [3 if (e[3] and e[4] >= 8) else 1 for e in data.EXPORTERS]
    flow = cases.Flow(session, rng, pack, cal, staff, today)
    result = LoadResult(loaded=True, passwords=passwords, today=today, organisations=len(orgs))
    for month in months:
        days = sorted(clock.next_working_day(cal, month.first + dt.timedelta(days=rng.randint(0, (month.last - month.first).days)))
                      for _ in range(month.submissions))
        for day in days:
            idx = rng.choices(range(len(orgs)), weights=weights)[0]
            if day < today:
                flow.regular(exporters[idx], org_parties[orgs[idx].id], day, flow.outcome())
                result.applications += 1
            tick()
    for stage in cases.STAGES:
        idx = rng.choices(range(len(orgs)), weights=weights)[0]
        result.stages[stage] = flow.planted(stage, exporters[idx], org_parties[orgs[idx].id])
        result.applications += 1
        tick()

    numbers = trade.Declarations(seed_for(today))
    trade.control_some(session, rng, pack, staff, today)
    result.shipments = trade.ship_individual_licences(session, rng, pack, staff["customs1"], today, numbers)
    tick()
    holders = [(exporters[i], start_after) for i, start_after in GENERAL_HOLDERS]
    general = trade.GeneralLicences(session, rng, pack, cal, staff, today, numbers, cases.PDF)
    for exporter, offset in holders:
        first = clock.first_general_grant(clock.FIRST_GENERAL_LICENCES + dt.timedelta(days=offset), start)
        issued, apps_made = general.chain(exporter, first)
        result.general_licences += issued
        result.applications += apps_made
        tick(3)
    result.shipments += general.ship(start)
    expire_due(session, system, today)
    # cases nobody accepted within 5 working days of receipt are accepted on receipt by law
    apps.deem_accept_due(session, system, today)
    tick()
    result.licences = len(session.execute(select(Licence.id)).all())
    return result


def _exporters(session: Session, rng: random.Random, staff: dict, new_user, start: dt.date, today: dt.date):
    """The exporters, their users, compliance profiles and foreign customers, dated relative to
    the history: an audit a couple of months ago, a briefing this year, violations within the
    look-back."""
    orgs, exporters = [], []
    org_parties: dict[int, list[Party]] = {}
    for n, (en, zh, city, icp, years, briefings, stable, violation) in enumerate(data.EXPORTERS, start=1):
        org = Organisation(name_en=en, name_zh=zh, uscc=_uscc(rng), address=f"Industrial Park, {city}, China",
                           contact_name=rng.choice(["Li Na", "Wang Jun", "Zhang Wei", "Liu Yang", "Chen Jing", "Zhao Lei"]),
                           contact_email=f"export.compliance@demo-exporter-{n}.example.cn", contact_phone=f"+86 10 5555 {n:04d}")
        session.add(org)
        session.flush()
        session.add(ComplianceProfile(
            org_id=org.id, has_icp=icp, icp_established_on=dt.date(start.year - min(years, 8), 3, 1) if icp else None,
            icp_last_audit_on=clock.add_months(today, -2).replace(day=15) if icp else None, export_experience_years=years,
            briefings_attended=briefings, last_briefing_on=clock.add_months(today, -5).replace(day=18) if briefings else None,
            stable_channels=stable, notes="",
        ))
        if violation:
            session.add(Violation(org_id=org.id, kind=violation, decided_on=clock.add_months(start, -22).replace(day=12),
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
    return orgs, exporters, org_parties

