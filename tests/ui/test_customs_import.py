"""The customs desk's file import over HTTP: a result per row, totals, CSV; a bad file changes nothing."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from rarex.core.authz import Role
from rarex.core.jobs import Job
from rarex.shipments.models import Shipment
from rarex.web import jobs as runner
from tests.factories import make_org, make_party, make_user
from tests.shipments.helpers import drawn, make_licence, today
from tests.ui.helpers import HTML, csrf_of, sign_in

DY, ND = "1C905.b", "1C902.a"
HEADER = "declaration,licence,date,port,item,end_user,quantity,unit\n"


@pytest.fixture
def lic(client, session):
    org = make_org(session)
    eu = make_party(session, org)
    lic = make_licence(session, org.id, [(DY, eu.id, "100", "kg"), (ND, eu.id, "2", "t")])
    lic.eu = eu.id
    make_user(session, Role.customs, username="hai")
    session.commit()
    return lic


def _upload(client, content: bytes | str, name: str = "customs.csv", token: str | None = None):
    if token is None:
        token = csrf_of(client.get("/customs/import", headers=HTML).text)
    data = content.encode() if isinstance(content, str) else content
    return client.post("/customs/import", data={"csrf_token": token}, files={"file": (name, data, "text/csv")},
                       headers=HTML, follow_redirects=False)


def _finished(client, response):
    assert response.status_code == 303, response.text[:500]
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    runner.wait(job_id)
    return response.headers["location"]


def _file(lic) -> str:
    d, eu = today().isoformat(), str(lic.eu)
    rows = [
        ["IMP-1", lic.number, d, "CNTSN", DY, eu, "10", "kg"],           # row 2 \ one declaration
        ["IMP-1", lic.number, d, "CNTSN", ND, eu, "0.5", "t"],           # row 3 /
        ["IMP-3", lic.number, d, "CNTSN", DY, eu, "1", "kg"],            # row 4 \ refused together:
        ["IMP-3", lic.number, d, "CNTSN", "9Z999", eu, "1", "kg"],       # row 5 / unknown item
        ["IMP-4", lic.number, d, "CNTSN", DY, eu, "1000", "kg"],         # row 6: over what remains
        ["IMP-5", lic.number, "2025-13-01", "CNTSN", DY, eu, "1", "kg"],  # row 7: bad date
        ["IMP-7", "CNDU-G2099-000000", d, "CNTSN", DY, eu, "1", "kg"],   # row 8: no such licence
    ]
    return HEADER + "".join(",".join(r) + "\n" for r in rows)


def test_each_row_has_its_result_with_the_precise_reason(client, session, lic):
    sign_in(client, "hai")
    page = client.get(_finished(client, _upload(client, _file(lic))), headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert re.search(r'data-testid="total-rows">7<', text) and re.search(r'data-testid="total-recorded">2<', text)
    assert re.search(r'data-testid="total-refused">5<', text) and re.search(r'data-testid="total-already">0<', text)
    row = {n: text.split(f'data-testid="row-{n}"')[1].split("</tr>")[0] for n in range(2, 9)}
    assert "Recorded" in row[2] and "Recorded" in row[3]
    assert "Item 9Z999 is not on licence" in row[5] and "Not recorded: row 5 of the same declaration" in row[4]
    assert "1000 kg is more than the 90 kg that remain on licence line 1." in row[6]
    assert "&#34;2025-13-01&#34; is not a date" in row[7] or "\"2025-13-01\" is not a date" in row[7]
    assert "There is no licence CNDU-G2099-000000." in row[8]
    assert drawn(session, lic.number) == [Decimal(10), Decimal("0.5")]

    # The same file again: nothing drawn twice, the good rows are "already recorded".
    again = client.get(_finished(client, _upload(client, _file(lic))), headers=HTML).text
    assert re.search(r'data-testid="total-already">2<', again) and re.search(r'data-testid="total-recorded">0<', again)
    assert drawn(session, lic.number) == [Decimal(10), Decimal("0.5")]


def test_results_page_filter_sort_csv_and_chinese(client, session, lic):
    sign_in(client, "hai")
    url = _finished(client, _upload(client, _file(lic)))
    refused = client.get(url, params={"show": "refused"}, headers=HTML).text
    assert 'data-testid="row-2"' not in refused and 'data-testid="row-6"' in refused
    by_result = client.get(url, params={"sort": "result"}, headers=HTML).text
    assert by_result.index('data-testid="row-3"') < by_result.index('data-testid="row-4"')
    out = client.get(url, params={"format": "csv"})
    assert out.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(out.text)))
    assert [r["row"] for r in rows] == [str(n) for n in range(2, 9)]
    assert rows[0]["result"] == "recorded" and rows[4]["result"] == "refused" and "remain on licence line 1" in rows[4]["reason"]
    zh = client.get(url, params={"lang": "zh"}, headers=HTML).text
    assert "未予登记" in zh and "许可证第 1 行剩余" in zh


@pytest.mark.parametrize(("name", "content", "words"), [
    ("x.txt", HEADER, "Choose a file ending in .csv"),
    ("hdr.csv", "declaration,licence\nA,B\n", "missing: date,port,item,end_user,quantity,unit"),
    ("empty.csv", "", "The file is empty"),
    ("latin.csv", (HEADER + "Ä,x,2025-01-01,,a,1,1,kg\n").encode("latin-1"), "not UTF-8"),
])
def test_an_unusable_file_is_refused_beside_the_field_and_nothing_is_written(client, session, lic, name, content, words):
    sign_in(client, "hai")
    r = _upload(client, content, name)
    assert r.status_code in (400, 415) and words in r.text and 'id="file-error"' in r.text
    assert session.scalar(select(func.count()).select_from(Shipment)) == 0
    assert session.scalar(select(func.count()).select_from(Job)) == 0


def test_missing_or_forged_token_and_other_roles_are_refused(client, session, lic):
    make_user(session, Role.officer, username="olga")
    session.commit()
    sign_in(client, "hai")
    assert _upload(client, _file(lic), token="forged").status_code == 403
    r = client.post("/customs/import", files={"file": ("c.csv", _file(lic).encode(), "text/csv")}, headers=HTML)
    assert r.status_code == 403
    assert session.scalar(select(func.count()).select_from(Job)) == 0
    url = _finished(client, _upload(client, _file(lic)))
    client.post("/sign-out", data={"csrf_token": csrf_of(client.get("/home", headers=HTML).text)}, headers=HTML)
    sign_in(client, "olga")
    assert client.get("/customs/import", headers=HTML).status_code == 403
    assert client.get(url, headers=HTML).status_code == 403
    token = csrf_of(client.get("/home", headers=HTML).text)
    assert _upload(client, _file(lic), token=token).status_code == 403
    assert session.scalar(select(func.count()).select_from(Job)) == 1


def test_signed_out_upload_goes_to_sign_in(client, lic):
    r = client.post("/customs/import", files={"file": ("c.csv", b"x", "text/csv")}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sign-in")
