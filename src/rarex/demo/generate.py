"""``rarex demo generate``: a large synthetic history, written fast, for scale work.

Unlike ``rarex demo load`` it does not go through the services one case at a time (100,000
applications that way would take hours): it writes rows in bulk, on top of the demo's
organisations, parties and users (loaded first if they are not there). The rows are what the
services would have left, so the queue, case, licence and customs pages read them as they read
any other: submitted cases inside their acceptance window, accepted cases inside their 45
working days (counted on the pack's calendar), decided cases with their licences and lines,
individual licences exhausted by their one shipment or expired, numbers from the same
counters. What it leaves out: audit events (the chain is left as it was, so a case's timeline
is empty), documents and automated-check rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from rarex.applications.models import Application, ApplicationItem, InformationRequest
from rarex.core.calendar import calendar_for
from rarex.core.ids import Counter
from rarex.demo import clock, data, loader
from rarex.licences.models import Licence, LicenceLine
from rarex.parties.models import Party, PartyVersion
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine
from rarex.users.models import User

CHUNK = 2000
#: Working days after which a regular case is decided; younger ones are still open.
OPEN_FOR = 44
PORTS = ["CNTSN", "CNNGB", "CNSHA", "CNXMN", "CNSZX"]


@dataclass
class GenerateResult:
    applications: int = 0
    open_cases: int = 0
    licences: int = 0
    shipments: int = 0


def _bump(session: Session, name: str, n: int) -> int:
    """Reserve ``n`` values of counter ``name``; returns the first."""
    current = session.execute(select(Counter.value).where(Counter.name == name)).scalar_one_or_none()
    if current is None:
        session.execute(insert(Counter).values(name=name, value=n))
        return 1
    session.execute(update(Counter).where(Counter.name == name).values(value=current + n))
    return current + 1


def _next_id(session: Session, model) -> int:
    return (session.execute(select(func.max(model.id))).scalar() or 0) + 1


def _insert(session: Session, model, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[i:i + CHUNK])


def _fix_sequences(session: Session, models) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for m in models:
        t = m.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT coalesce(max(id), 1) FROM {t}))"))


def generate(session: Session, applications: int, shipments: int, *, today: dt.date | None = None, seed: int = 1,
             progress: Callable[[int, int], None] | None = None) -> GenerateResult:
    """Write ``applications`` cases over the demo's history window (up to ``today``) and up to
    ``shipments`` shipments, one per approved individual licence that has had time to ship."""
    pack = get_pack()
    today = today or pack.today()
    if not loader.is_loaded(session):
        loader.load(session, today=today)
    rng = random.Random(seed)
    cal = calendar_for(pack.calendar)
    tz = pack.tz
    start = clock.history_start(today, loader.controlled_from(pack))
    wdays = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    wdays = [d for d in wdays if cal.is_working_day(d)]
    last = len(wdays) - 1  # index of the last working day up to today
    total_steps = applications + shipments + 1
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total_steps), total_steps)

    users = dict(session.execute(select(User.username, User.id)).all())
    exporters = dict(session.execute(select(User.org_id, User.id).where(User.org_id.is_not(None))).all())
    versions = dict(session.execute(select(PartyVersion.party_id, func.max(PartyVersion.id)).group_by(PartyVersion.party_id)).all())
    parties: dict[int, list[int]] = {}
    for party_id, org_id in session.execute(select(Party.id, Party.org_id).order_by(Party.id)):
        parties.setdefault(org_id, []).append(party_id)
    orgs = sorted(o for o in parties if o in exporters)
    officers, seniors = [users["officer1"], users["officer2"]], [users["senior1"], users["senior2"]]

    # the submission days, oldest first, and what became of each case
    picks = sorted(rng.randint(0, last) for _ in range(applications))
    years: dict[int, int] = {}
    for j in picks:
        years[wdays[j].year] = years.get(wdays[j].year, 0) + 1
    first_ref = {y: _bump(session, f"application:{y}", n) for y, n in sorted(years.items())}
    app_id, item_id, req_id = _next_id(session, Application), _next_id(session, ApplicationItem), _next_id(session, InformationRequest)
    apps_rows: list[dict] = []
    item_rows: list[dict] = []
    req_rows: list[dict] = []
    approved: list[tuple[dict, list[dict]]] = []  # (application row, its items)
    result = GenerateResult()
    for j in picks:
        day = wdays[j]
        org = orgs[rng.randrange(len(orgs))]
        mine = parties[org]
        consignee, end_user = rng.choice(mine), rng.choice(mine)
        year = day.year
        ref = f"A{year}-{first_ref[year]:06d}"
        first_ref[year] += 1
        submitted = clock.at(day, tz, 11)
        row = dict(id=app_id, reference=ref, org_id=org, licence_type="individual", consignee_id=consignee,
                   end_user_id=end_user, consignee_version_id=versions.get(consignee), end_user_version_id=versions.get(end_user),
                   end_use=rng.choice(data.END_USES), end_use_category="civil", requested_validity_months=rng.choice([6, 6, 12]),
                   created_by=exporters[org], created_at=submitted - dt.timedelta(hours=2), submitted_at=submitted,
                   accepted_at=None, recommended_at=None, decided_at=None, withdrawn_at=None, accepted_on=None,
                   decided_on=None, deemed_accepted=False, assigned_officer_id=None, recommended_by=None,
                   recommendation=None, recommendation_reasons=None, decided_by=None, decision=None,
                   decision_reasons=None, conditions=[], status="submitted")
        items = []
        for line_no, (code, hs, desc, unit, typical, price) in enumerate(rng.sample(data.ITEMS, rng.choice([1, 1, 1, 2])), 1):
            qty = Decimal(max(1, round(typical * rng.uniform(0.2, 1.6))))
            items.append(dict(id=item_id, application_id=app_id, line_no=line_no, control_code=code, hs_code=hs,
                              description=desc, quantity=qty, unit=unit, value=(qty * price).quantize(Decimal("0.01")),
                              currency="USD", end_user_id=None, end_user_version_id=None))
            item_id += 1
        item_rows += items
        age = last - j
        officer = rng.choice(officers)
        if age > 3:  # accepted 1-3 working days after receipt (younger ones wait, inside the 5 days)
            acc = j + rng.randint(1, min(3, age - 1))
            row.update(status="under_review", accepted_at=clock.at(wdays[acc], tz), accepted_on=wdays[acc],
                       assigned_officer_id=officer)
            if age <= OPEN_FOR:  # open, inside the 45 working days from acceptance
                r = rng.random()
                if r < 0.25:
                    row["status"] = "information_requested"
                    req_rows.append(dict(id=req_id, application_id=app_id, requested_by=officer, response=None,
                                         request="Please provide the end user's signed end-use certificate.",
                                         requested_at=clock.at(wdays[min(last, acc + 1)], tz)))
                    req_id += 1
                elif r < 0.4 and last - acc > 1:
                    row.update(status="recommended", recommended_by=officer, recommendation="approve",
                               recommendation_reasons="Civil end use verified; end user known.",
                               recommended_at=clock.at(wdays[last - 1], tz))
                result.open_cases += 1
            else:  # decided within the 45 working days
                dec = min(last - 1, acc + rng.randint(10, 40))
                rec = dec - rng.randint(1, 5)
                r = rng.random()
                outcome = "withdrawn" if r < 0.05 else "approved" if r < 0.05 + 0.95 * 0.7 else "refused"
                if outcome == "withdrawn":
                    row.update(status="withdrawn", withdrawn_at=clock.at(wdays[rec], tz))
                else:
                    decision = "approve" if outcome == "approved" else "refuse"
                    reasons = "Civil end use verified; end user known." if decision == "approve" else rng.choice(data.REFUSAL_REASONS)
                    row.update(status=outcome, recommended_by=officer, recommendation=decision, recommendation_reasons=reasons,
                               recommended_at=clock.at(wdays[rec], tz), decided_by=rng.choice(seniors), decision=decision,
                               decision_reasons="Countersigned: " + reasons, decided_at=clock.at(wdays[dec], tz, 15),
                               decided_on=wdays[dec])
                    if outcome == "approved":
                        approved.append((row, items))
        else:
            result.open_cases += 1
        apps_rows.append(row)
        app_id += 1
        if len(apps_rows) >= CHUNK:
            _insert(session, Application, apps_rows)
            _insert(session, ApplicationItem, item_rows)
            apps_rows, item_rows = [], []
            tick(CHUNK)
    _insert(session, Application, apps_rows)
    _insert(session, ApplicationItem, item_rows)
    _insert(session, InformationRequest, req_rows)
    tick(len(apps_rows))
    result.applications = applications

    result.licences, result.shipments = _licences(session, rng, pack, approved, today, shipments, users, tick)
    _fix_sequences(session, [Application, ApplicationItem, InformationRequest, Licence, LicenceLine, Shipment, ShipmentLine])
    tick(1)
    return result


def _licences(session: Session, rng: random.Random, pack, approved, today: dt.date, shipments: int, users: dict,
              tick: Callable[[int], None]) -> tuple[int, int]:
    """The individual licences the approvals issued, and one shipment each for up to ``shipments``
    of them (which then are exhausted: an individual licence ends when used, DUR Art. 15)."""
    lt = pack.licence_types["individual"]
    tz = pack.tz
    years: dict[int, int] = {}
    for app, _ in approved:
        years[app["decided_on"].year] = years.get(app["decided_on"].year, 0) + 1
    first_no = {y: _bump(session, f"licence:individual:{y}", n) for y, n in sorted(years.items())}
    lic_id, line_id = _next_id(session, Licence), _next_id(session, LicenceLine)
    ship_id, sline_id = _next_id(session, Shipment), _next_id(session, ShipmentLine)
    yesterday = today - dt.timedelta(days=1)
    shippable = [k for k, (app, _) in enumerate(approved) if app["decided_on"] + dt.timedelta(days=3) <= yesterday]
    to_ship = set(rng.sample(shippable, min(shipments, len(shippable))))
    lic_rows: list[dict] = []
    line_rows: list[dict] = []
    ship_rows: list[dict] = []
    sline_rows: list[dict] = []
    customs = users["customs1"]
    for k, (app, items) in enumerate(approved):
        decided = app["decided_on"]
        valid_to = lt.valid_to(decided, app["requested_validity_months"])
        number = pack.licence_number("individual", decided.year, first_no[decided.year])
        first_no[decided.year] += 1
        ship = k in to_ship
        status = "exhausted" if ship else "expired" if valid_to < today else "active"
        issued = clock.at(decided, tz, 15)
        lic_rows.append(dict(id=lic_id, number=number, licence_type="individual", status=status, org_id=app["org_id"],
                             application_id=app["id"], consignee_id=app["consignee_id"], end_user_id=app["end_user_id"],
                             consignee_version_id=app["consignee_version_id"], end_user_version_id=app["end_user_version_id"],
                             end_use=app["end_use"], end_use_category="civil", conditions=[],
                             valid_from=decided, valid_to=valid_to, issued_by=users["senior1"], issued_at=issued,
                             status_reason=None if status == "active" else
                             "the one export the licence allows was made" if ship else f"validity ended on {valid_to}"))
        lines = []
        for it in items:
            lines.append(dict(id=line_id, licence_id=lic_id, line_no=it["line_no"], control_code=it["control_code"],
                              hs_code=it["hs_code"], description=it["description"], unit=it["unit"],
                              licensed=it["quantity"], value=it["value"], currency=it["currency"], drawn=it["quantity"] if ship else Decimal(0), end_user_id=app["end_user_id"],
                              end_user_version_id=app["end_user_version_id"]))
            line_id += 1
        line_rows += lines
        if ship:
            day = min(valid_to, yesterday, decided + dt.timedelta(days=rng.randint(3, 30)))
            declaration = f"5566{day:%Y}{ship_id:010d}"
            ship_rows.append(dict(id=ship_id, declaration=declaration, licence_id=lic_id, status="recorded", shipped_on=day,
                                  port=rng.choice(PORTS), recorded_at=clock.at(day, tz, 14), recorded_by=customs,
                                  recorded_by_name="customs1",
                                  content_hash=hashlib.sha256(f"{number}|{declaration}".encode()).hexdigest()))
            lic_rows[-1]["exhausted_at"] = clock.at(day, tz, 14)
            for ln in lines:
                sline_rows.append(dict(id=sline_id, shipment_id=ship_id, line_no=ln["line_no"], licence_line_id=ln["id"],
                                       item=ln["control_code"], end_user=str(app["end_user_id"]), quantity=ln["licensed"], unit=ln["unit"],
                                       drawn=ln["licensed"], drawn_unit=ln["unit"]))
                sline_id += 1
            ship_id += 1
        lic_id += 1
    for r in lic_rows:
        r.setdefault("exhausted_at", None)
    _insert(session, Licence, lic_rows)
    _insert(session, LicenceLine, line_rows)
    _insert(session, Shipment, ship_rows)
    _insert(session, ShipmentLine, sline_rows)
    tick(shipments)
    return len(lic_rows), len(ship_rows)
