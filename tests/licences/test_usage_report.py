"""The holder's usage report, built from the shipments customs recorded: per line licensed, drawn
in the period, drawn to date and remaining, with the declarations; cancelled ones never count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from rarex.applications.models import Application, ApplicationStatus
from rarex.cli.main import app as cli
from rarex.core.authz import Principal
from rarex.licences import usage
from rarex.licences.models import Licence, LicenceLine, LicenceStatus
from rarex.policy.models import UsageReport
from rarex.policy.service import get_pack
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus
from tests.applications.general_helpers import GeneralWorld
from tests.factories import make_org, make_party

runner = CliRunner()


# --- the reporting period ----------------------------------------------------------------------


def test_the_pack_sets_a_quarterly_unconfirmed_period_for_general_licences():
    rule = get_pack().licence_types["general"].usage_report
    assert (rule.period_months, rule.confidence, rule.legal_ref) == (3, "unconfirmed", "DUR Art. 18 para. 1")
    assert rule.period_of(dt.date(2026, 2, 15)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert rule.period_of(dt.date(2026, 12, 31)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert UsageReport(period_months=12, legal_ref="x", confidence="unconfirmed").period_of(dt.date(2026, 7, 4)) == (
        dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValidationError, match="must divide a year"):
        UsageReport(period_months=5, legal_ref="x", confidence="unconfirmed")


# --- a past licence with shipments arranged as rows -------------------------------------------


def _licence(session, org, end_user, *, valid_from, valid_to, status=LicenceStatus.active) -> Licence:
    app = Application(reference=f"U{valid_from:%Y%m%d}{org.id:06d}", org_id=org.id, licence_type="general",
                      status=ApplicationStatus.approved, conditions=[])
    session.add(app)
    session.flush()
    lic = Licence(number=f"CNDU-G{valid_from.year}-8{org.id:05d}", licence_type="general", status=status, org_id=org.id,
                  application_id=app.id, end_use="magnets", conditions=[], valid_from=valid_from, valid_to=valid_to)
    lic.lines = [
        LicenceLine(line_no=1, control_code="1C905.b", description="Dy oxide", end_user_id=end_user.id, unit="kg",
                    licensed=Decimal("100"), value=Decimal("1000.00"), currency="USD"),
        LicenceLine(line_no=2, control_code="1C906.a", description="Tb metal", end_user_id=end_user.id, unit="kg",
                    licensed=Decimal("50"), value=Decimal("1000.00"), currency="USD"),
    ]
    session.add(lic)
    session.flush()
    return lic


def _ship(session, lic, declaration, on, line_no, drawn, status=ShipmentStatus.recorded, quantity=None, unit="kg"):
    target = next(x for x in lic.lines if x.line_no == line_no)
    sh = Shipment(declaration=declaration, licence_id=lic.id, status=status, shipped_on=on, port="CNNGB", content_hash="0" * 64,
                  recorded_at=dt.datetime(on.year, on.month, on.day, 2, tzinfo=dt.UTC), recorded_by_name="customs",
                  lines=[ShipmentLine(line_no=1, licence_line_id=target.id, item=target.control_code,
                                      end_user=str(target.end_user_id), quantity=Decimal(quantity or drawn), unit=unit,
                                      drawn=Decimal(drawn), drawn_unit="kg")])
    session.add(sh)
    if status == ShipmentStatus.recorded:
        target.drawn += Decimal(drawn)
    session.flush()


@pytest.fixture
def past(session):
    """A general licence valid 2025-02-10 to 2026-02-09 with shipments either side of 1 April 2025."""
    org = make_org(session)
    eu = make_party(session, org, name="Nordmagnet AB", country="SE")
    lic = _licence(session, org, eu, valid_from=dt.date(2025, 2, 10), valid_to=dt.date(2026, 2, 9),
                   status=LicenceStatus.expired)
    _ship(session, lic, "D-Q1-LAST", dt.date(2025, 3, 31), 1, "10")
    _ship(session, lic, "D-Q2-FIRST", dt.date(2025, 4, 1), 1, "5")
    _ship(session, lic, "D-Q2-CANCELLED", dt.date(2025, 4, 2), 1, "7", status=ShipmentStatus.cancelled)
    _ship(session, lic, "D-Q2-TONNES", dt.date(2025, 6, 30), 2, "20", quantity="0.02", unit="t")
    _ship(session, lic, "D-LAST-DAY", dt.date(2026, 2, 9), 1, "3")
    session.commit()
    return lic


def report(number, **kw):
    from rarex.core.db import unit_of_work

    with unit_of_work() as s:
        return usage.usage_report(s, Principal.system(), number, **kw)


def by_line(r):
    return {line.line_no: line for line in r.lines}


def test_a_period_counts_its_own_recorded_shipments_and_everything_before_it_to_date(past):
    r = report(past.number, date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 6, 30))
    assert (r.period_from, r.period_to, r.basis.period_months) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30), 3)
    one, two = by_line(r)[1], by_line(r)[2]
    assert (one.licensed, one.drawn_in_period, one.drawn_to_date, one.remaining) == (100, 5, 15, 85)
    assert [s.declaration for s in one.shipments] == ["D-Q2-FIRST"]  # not the cancelled one, not March's
    assert (two.drawn_in_period, two.drawn_to_date, two.remaining, two.unit) == (20, 20, 30, "kg")
    s = two.shipments[0]
    assert (s.declaration, s.shipped_on, s.port, s.quantity, s.unit, s.drawn) == (
        "D-Q2-TONNES", dt.date(2025, 6, 30), "CNNGB", Decimal("0.02"), "t", Decimal(20))


def test_missing_bounds_default_to_the_reporting_period_clipped_to_validity(past):
    r = report(past.number, date_to=dt.date(2025, 3, 31))
    assert (r.period_from, r.period_to) == (dt.date(2025, 2, 10), dt.date(2025, 3, 31))
    assert by_line(r)[1].drawn_in_period == 10 and by_line(r)[1].shipments[0].declaration == "D-Q1-LAST"
    r = report(past.number, date_from=dt.date(2025, 5, 15))
    assert (r.period_from, r.period_to) == (dt.date(2025, 5, 15), dt.date(2025, 6, 30))
    # after validity ended, the default is the last period: 2026-01-01 to the last valid day
    r = report(past.number, today=dt.date(2026, 11, 23))
    assert (r.period_from, r.period_to) == (dt.date(2026, 1, 1), dt.date(2026, 2, 9))
    one = by_line(r)[1]
    assert (one.drawn_in_period, one.drawn_to_date, one.remaining) == (3, 18, 82)
    # the whole validity: drawn to date agrees with what the licence line holds
    r = report(past.number, date_from=past.valid_from, date_to=past.valid_to)
    assert [(x.drawn_in_period, x.drawn_to_date) for x in r.lines] == [(18, 18), (20, 20)]
    assert [x.drawn for x in sorted(past.lines, key=lambda x: x.line_no)] == [18, 20]


def test_from_after_to_is_refused(past):
    from rarex.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="after"):
        report(past.number, date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 5, 1))


def test_cli_json_and_csv(past):
    r = runner.invoke(cli, ["licences", "usage-report", past.number, "--from", "2025-04-01", "--to", "2025-06-30", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["period_from"], out["period_to"]) == ("2025-04-01", "2025-06-30")
    assert [(x["drawn_in_period"], x["drawn_to_date"], x["remaining"]) for x in out["lines"]] == [("5", "15", "85"), ("20", "20", "30")]
    r = runner.invoke(cli, ["licences", "usage-report", past.number, "--from", "2025-04-01", "--to", "2025-06-30", "--csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["line_no"], x["declaration"], x["drawn"]) for x in rows] == [("1", "D-Q2-FIRST", "5"), ("2", "D-Q2-TONNES", "20")]
    r = runner.invoke(cli, ["licences", "usage-report", past.number, "--from", "2025-04-01", "--to", "2025-06-30"])
    assert r.exit_code == 0 and "D-Q2-FIRST" in r.stdout
    r = runner.invoke(cli, ["licences", "usage-report", "CNDU-G1999-000000"])
    assert r.exit_code == 2 and "not found" in r.stderr


# --- a general licence issued and drawn through the API ----------------------------------------


@pytest.fixture
def drawn(client, session):
    """The four-line, three-end-user general licence, with customs declarations this period and next."""
    g = GeneralWorld(client, session)
    number = g.approved()["licence_number"]
    lic = client.get(f"/api/v1/licences/{number}", headers=g.w.exporter).json()
    lines = lic["lines"]
    rule = get_pack().licence_types["general"].usage_report
    today = dt.date.fromisoformat(lic["valid_from"])
    this_period = rule.period_of(today)
    next_start = this_period[1] + dt.timedelta(days=1)

    def declare(declaration, date, *entries):
        body = {"declaration": declaration, "date": date.isoformat(), "port": "CNTSN",
                "lines": [{"item": lines[i]["item"], "end_user": lines[i]["end_user"], "quantity": q, **({"unit": u} if u else {})}
                          for i, q, u in entries]}
        r = client.post(f"/api/v1/licences/{number}/shipments", json=body, headers=g.w.customs)
        assert r.status_code == 201, r.text

    declare("223420260000000001", today, (0, "200", None), (1, "0.3", "t"))
    declare("223420260000000002", today, (3, "100", None))
    r = client.post("/api/v1/shipments/223420260000000002/cancel", json={"reason": "declaration withdrawn"}, headers=g.w.customs)
    assert r.status_code == 200, r.text
    declare("223420260000000003", next_start, (0, "100", None))
    return g, number, today, this_period, next_start


def test_usage_report_of_a_general_licence_over_the_api(drawn):
    g, number, today, (start, end), next_start = drawn
    r = g.client.get(f"/api/v1/licences/{number}/usage-report", headers=g.w.exporter)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["period_from"], body["period_to"]) == (today.isoformat(), end.isoformat())  # current period, from issue
    assert body["basis"] == {"period_months": 3, "legal_ref": "DUR Art. 18 para. 1", "confidence": "unconfirmed"}
    got = [(x["item"], x["end_user"], x["licensed"], x["drawn_in_period"], x["drawn_to_date"], x["remaining"], x["unit"],
            [s["declaration"] for s in x["shipments"]]) for x in body["lines"]]
    eu = [str(e) for e in g.end_users]
    assert got == [
        ("1C905.b", eu[0], "1200", "200", "200", "1000", "kg", ["223420260000000001"]),
        ("1C905.b", eu[1], "800.5", "300", "300", "500.5", "kg", ["223420260000000001"]),
        ("1C902.a", eu[1], "2", "0", "0", "2", "t", []),
        ("1C906.a", eu[2], "350", "0", "0", "350", "kg", []),  # its only declaration was cancelled
    ]
    s = body["lines"][1]["shipments"][0]
    assert (s["shipped_on"], s["port"], s["quantity"], s["unit"], s["drawn"]) == (today.isoformat(), "CNTSN", "0.3", "t", "300")

    body = g.client.get(f"/api/v1/licences/{number}/usage-report?from={next_start}", headers=g.w.officer).json()
    first = body["lines"][0]
    assert (first["drawn_in_period"], first["drawn_to_date"], first["remaining"]) == ("100", "300", "900")
    assert body["lines"][1]["drawn_in_period"] == "0" and body["lines"][1]["drawn_to_date"] == "300"


def test_usage_report_as_csv(drawn):
    g, number, today, _, _ = drawn
    r = g.client.get(f"/api/v1/licences/{number}/usage-report?format=csv", headers=g.w.exporter)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["line_no"], x["declaration"], x["quantity"], x["quantity_unit"], x["drawn"], x["remaining"]) for x in rows] == [
        ("1", "223420260000000001", "200", "kg", "200", "1000"),
        ("2", "223420260000000001", "0.3", "t", "300", "500.5"),
        ("3", "", "", "", "", "2"),
        ("4", "", "", "", "", "350"),
    ]


def test_usage_report_access(drawn):
    g, number, _, _, _ = drawn
    url = f"/api/v1/licences/{number}/usage-report"
    for who in (g.w.exporter, g.w.officer, g.w.senior, g.w.customs, g.w.auditor):
        assert g.client.get(url, headers=who).status_code == 200
    r = g.client.get(url, headers=g.w.other_exporter)
    assert r.status_code == 404
    assert g.client.get(url, headers=g.w.admin).status_code == 403
    assert g.client.get(url).status_code == 401
    r = g.client.get(url + "?from=2027-06-01&to=2027-05-01", headers=g.w.exporter)
    assert r.status_code == 422 and r.json()["field"] == "from"
