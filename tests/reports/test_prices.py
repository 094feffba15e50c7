"""Price series: CSV and XLSX imports, idempotent, every bad row named, nothing written on error;
through the service, the CLI and the page; and the prices charted beside shipped volumes."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from rarex.core.authz import Principal, Role
from rarex.core.errors import Forbidden
from rarex.reports import prices, service
from rarex.reports.models import PricePoint
from rarex.users.service import issue_token
from tests.factories import make_user

HEADER = "date,product,price,currency,unit,source\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(PricePoint))


def test_a_csv_imports_once_and_again_changes_nothing(session):
    who = Principal.system("test")
    data = csv_bytes("2026-10-02,NdPr oxide,562000,CNY,t,SMM", "2026-10-02,Dy oxide,1650.25,cny,kg,SMM")
    first = prices.import_file(session, who, "p.csv", data)
    session.commit()
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    again = prices.import_file(session, who, "p.csv", data)
    session.commit()
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    fixed = prices.import_file(session, who, "p.csv", csv_bytes("2026-10-02,Dy oxide,1651,CNY,kg,SMM"))
    session.commit()
    assert (fixed.inserted, fixed.updated) == (0, 1)
    assert count(session) == 2
    assert str(session.scalar(select(PricePoint.price).where(PricePoint.product == "Dy oxide"))) == "1651"


def test_an_xlsx_workbook_imports_like_a_csv(session):
    wb = Workbook()
    ws = wb.active
    ws.append(["Date", "Product", "Price", "Currency", "Unit", "Source"])
    ws.append([dt.date(2026, 11, 3), "NdPr oxide", 590500.5, "CNY", "t", "SMM"])
    buf = io.BytesIO()
    wb.save(buf)
    result = prices.import_file(session, Principal.system("test"), "p.xlsx", buf.getvalue())
    session.commit()
    assert result.inserted == 1 and count(session) == 1


def test_every_bad_row_is_named_and_nothing_is_written(session):
    data = csv_bytes("2026-10-02,NdPr oxide,562000,CNY,t,SMM", "2026-13-01,NdPr oxide,1,CNY,t,SMM",
                     "2026-10-03,Dy oxide,-5,CNY,kg,SMM", "2026-10-03,Dy oxide,5,ZZZ,kg,SMM",
                     "2026-10-04,,5,CNY,kg,SMM", "2026-10-02,NdPr oxide,1.00001,CNY,t,SMM",
                     "2026-10-02,NdPr oxide,563000,CNY,t,SMM")
    with pytest.raises(prices.PriceFileInvalid) as exc:
        prices.import_file(session, Principal.system("test"), "p.csv", data)
    errors = {(e["row"], e["column"]) for e in exc.value.extra["errors"]}
    assert errors == {(3, "date"), (4, "price"), (5, "currency"), (6, "product"), (7, "price"), (8, "price")}
    session.rollback()
    assert count(session) == 0


@pytest.mark.parametrize("content,why", [(b"", "empty"), (b"date,product,price\n", "header"),
                                         (b"\xff\xfe\x00", "not-utf8")])
def test_a_file_that_is_not_a_price_file_is_refused_whole(content, why):
    with pytest.raises(prices.PriceFileInvalid) as exc:
        prices.parse("p.csv", content)
    assert exc.value.extra["reason"] == why


def test_only_officers_and_admins_import(session):
    with pytest.raises(Forbidden):
        prices.import_file(session, Principal(user_id=1, username="x", role=Role.exporter), "p.csv", csv_bytes())


def test_the_cli_imports_and_reports_errors(cli, session, tmp_path):
    good = tmp_path / "p.csv"
    good.write_bytes(csv_bytes("2026-10-02,NdPr oxide,562000,CNY,t,SMM"))
    r = cli("reports", "prices", "import", str(good), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["inserted"] == 1
    r = cli("reports", "prices", "import", str(good), "--json")
    assert json.loads(r.stdout) == {"rows": 1, "inserted": 0, "updated": 0, "unchanged": 1}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("2026-10-02,NdPr oxide,abc,CNY,t,SMM"))
    r = cli("reports", "prices", "import", str(bad))
    assert r.exit_code == 2 and "row 2, price" in r.stderr
    assert count(session) == 1


def test_the_page_imports_and_lists_row_errors(client, session):
    officer = make_user(session, Role.officer)
    token, _ = issue_token(session, officer)
    session.commit()
    client.cookies.set("rarex_session", token)
    page = client.get("/reports/prices")
    assert page.status_code == 200
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/reports/prices", data={"csrf_token": csrf},
                    files={"file": ("p.csv", csv_bytes("2026-10-02,NdPr oxide,abc,CNY,t,SMM"), "text/csv")})
    assert r.status_code == 400 and 'data-testid="row-errors"' in r.text and "not a positive number" in r.text
    assert count(session) == 0
    r = client.post("/reports/prices", data={"csrf_token": csrf},
                    files={"file": ("p.csv", csv_bytes("2026-10-02,NdPr oxide,562000,CNY,t,SMM"), "text/csv")})
    assert r.status_code == 200 and 'data-testid="price-result"' in r.text
    assert count(session) == 1


def test_an_exporter_cannot_open_the_price_page(client, session):
    from tests.factories import make_org

    user = make_user(session, Role.exporter, make_org(session))
    token, _ = issue_token(session, user)
    session.commit()
    client.cookies.set("rarex_session", token)
    assert client.get("/reports/prices").status_code == 403


def test_prices_are_averaged_by_month_beside_shipped_volume(session, history):
    who = Principal.system("test")
    m = history.m
    prices.import_file(session, who, "p.csv", csv_bytes(
        f"{m.isoformat()},NdPr oxide,500000,CNY,t,SMM", f"{(m + dt.timedelta(days=7)).isoformat()},NdPr oxide,510000,CNY,t,SMM"))
    session.commit()
    figs = service.figures(session, service.Period(history.k, history.today), public=False)
    rows = [r for r in figs["prices_by_month"].rows if r["product"] == "NdPr oxide"]
    assert len(rows) == 1
    assert (rows[0]["key"], float(rows[0]["average_price"]), rows[0]["shipped_kg"]) == (m.strftime("%Y-%m"), 505000.0, 900)
