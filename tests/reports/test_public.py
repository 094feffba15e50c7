"""The public page: aggregates only, no cell from fewer than three exporters, and no withheld
cell that could be worked out from a total; and who may see the internal dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rarex.core.authz import Role
from rarex.reports import service
from rarex.reports.suppression import PRIMARY, SECONDARY, TOTAL, Matrix, suppress
from tests.factories import make_org, make_party
from tests.reports.history import Builder, at, month_starts


def test_primary_and_secondary_suppression_in_two_dimensions():
    cells = {("Dy", "DE"): (100, 5), ("Dy", "JP"): (7, 1), ("Dy", "US"): (40, 4), ("Dy", TOTAL): (147, 6),
             ("Tb", "DE"): (50, 3), ("Tb", "JP"): (60, 3), ("Tb", "US"): (30, 3), ("Tb", TOTAL): (140, 5),
             (TOTAL, "DE"): (150, 6), (TOTAL, "JP"): (67, 4), (TOTAL, "US"): (70, 5), (TOTAL, TOTAL): (287, 8)}
    m = suppress(Matrix(dict(cells)))
    assert m.suppressed[("Dy", "JP")] == PRIMARY
    # Row Dy: the next smallest is Dy/US; column JP: Tb/JP is the only other cell.
    assert m.suppressed[("Dy", "US")] == SECONDARY
    assert m.suppressed[("Tb", "JP")] == SECONDARY
    # Each row and column now has two withheld cells or none.
    for line in ("Dy", "Tb"):
        assert sum((line, c) in m.suppressed for c in ("DE", "JP", "US")) in (0, 2)
    for col in ("DE", "JP", "US"):
        assert sum((r, col) in m.suppressed for r in ("Dy", "Tb")) in (0, 2)
    assert (TOTAL, TOTAL) not in m.suppressed


def test_a_line_with_no_other_cell_to_withhold_withholds_its_total():
    m = suppress(Matrix({("a", "x"): (5, 1), ("b", "x"): (0, 0), (TOTAL, "x"): (5, 1)}))
    assert m.suppressed[("a", "x")] == PRIMARY and m.suppressed[(TOTAL, "x")] == PRIMARY
    m = suppress(Matrix({("a", "x"): (5, 2), ("b", "x"): (0, 0), (TOTAL, "x"): (5, 4)}))
    assert m.suppressed[(TOTAL, "x")] == SECONDARY


@pytest.fixture
def public_world(session):
    """Shipments to three destinations: US and FR by exporters E, F, G; KR by E alone."""
    today = service.get_pack().today()
    _, m, _ = month_starts(today)
    bl = Builder(session)
    for name, amounts in (("E", {"US": "900", "FR": "300", "KR": "50"}), ("F", {"US": "800", "FR": "200"}),
                          ("G", {"US": "700", "FR": "100"})):
        org = make_org(session, name=f"Exporter {name}")
        for country, kg in amounts.items():
            a = bl.app(org, make_party(session, org, country=country), submitted=at(m, 3), element="Dy",
                       status="approved", accepted_on=m, decided_on=m + dt.timedelta(days=5))
            lic = bl.licence(a, issued_at=at(m + dt.timedelta(days=6), 2), element="Dy", licensed="1000", drawn=kg)
            bl.ship(lic, m + dt.timedelta(days=7), kg)
    session.commit()
    return m


def _cells(html: str, key: str) -> str:
    start = html.index(f'data-testid="table-{key}"')
    return html[start:html.index("</table>", start)]


def test_public_page_withholds_small_cells_and_the_next_smallest(client, public_world):
    r = client.get("/statistics")
    assert r.status_code == 200
    table = _cells(r.text, "volumes_by_destination")
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table))
    # KR (exporter E alone) is withheld; FR, the next smallest shipped, is withheld too, since
    # the published total less US would give KR away. US stays.
    assert 'data-withheld="primary"' in rows["KR"]
    assert 'data-withheld="secondary"' in rows["FR"]
    assert "2,400" in rows["US"] and "data-withheld" not in rows["US"]
    assert ">50<" not in rows["KR"]
    assert "3,050" in rows["Total"]
    csv = client.get("/statistics/volumes_by_destination.csv").text
    assert "KR,," in csv.replace('"', "") and "US,3000,2400" in csv.replace('"', "")


def test_public_page_never_shows_exporter_counts_and_lists_general_licence_holders(client, session, history):
    r = client.get("/statistics")
    assert r.status_code == 200 and "_exporters" not in r.text
    assert "Exporter C" in _cells(r.text, "general_licence_holders")
    # The internal figures are not on the public page and cannot be downloaded from it.
    assert "cases_at_risk" not in r.text
    assert client.get("/statistics/licence_utilisation.csv").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_every_download_format_reads_back(client, history, fmt):
    import io

    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    r = client.get(f"/statistics/volumes_by_month.{fmt}")
    assert r.status_code == 200
    if fmt == "parquet":
        assert pq.read_table(io.BytesIO(r.content)).column_names == ["key", "licensed_kg", "shipped_kg", "shipped_change_pct"]
    elif fmt == "xlsx":
        ws = load_workbook(io.BytesIO(r.content)).active
        assert [c.value for c in ws[1]] == ["key", "licensed_kg", "shipped_kg", "shipped_change_pct"]
    else:
        assert r.text.lstrip("\ufeff").startswith('"key","licensed_kg"')


@pytest.mark.parametrize("role,allowed", [(Role.officer, True), (Role.senior_officer, True), (Role.auditor, True),
                                          (Role.exporter, False), (Role.customs, False), (Role.admin, False)])
def test_who_sees_the_internal_dashboard(client, session, history, role, allowed):
    from rarex.users.service import issue_token
    from tests.factories import make_org as _org
    from tests.factories import make_user

    user = make_user(session, role, _org(session) if role == Role.exporter else None)
    token, _ = issue_token(session, user)
    session.commit()
    client.cookies.set("rarex_session", token)
    r = client.get("/reports", follow_redirects=False)
    assert r.status_code == (200 if allowed else 403)
    if allowed:
        assert 'data-testid="table-cases_at_risk"' in r.text and "<svg" in r.text
    d = client.get("/reports/licence_utilisation.csv", follow_redirects=False)
    assert d.status_code == (200 if allowed else 403)


def test_anonymous_reads_statistics_but_not_the_dashboard(client, history):
    assert client.get("/statistics").status_code == 200
    r = client.get("/reports", follow_redirects=False)
    assert r.status_code in (302, 303) and "/sign-in" in r.headers["location"]


def test_a_bad_period_is_a_clear_error(client):
    r = client.get("/statistics?from=2026-13-01")
    assert r.status_code == 422
    assert client.get("/statistics?from=2026-05-01&to=2026-04-01").status_code == 422
