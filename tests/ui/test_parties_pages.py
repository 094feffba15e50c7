"""The exporter's parties through the pages: list, search, put on file, edit as a new version,
and a key edit of a party a live licence names refused beside the field."""

from __future__ import annotations

import csv
import io

import pytest

from rarex.core.authz import Role
from tests.factories import make_org, make_party, make_user
from tests.shipments.helpers import make_licence
from tests.ui.helpers import HTML, post_form, sign_in


@pytest.fixture
def exp(client, session):
    org = make_org(session)
    other = make_org(session)
    make_party(session, org, name="Magnetwerk GmbH", country="DE")
    make_party(session, org, name="Seoul Motors Co", country="KR")
    make_party(session, other, name="Hidden Buyer Ltd", country="US")
    make_user(session, Role.exporter, org, username="exp")
    session.commit()
    sign_in(client, "exp")
    return org


def test_an_exporter_sees_only_its_own_parties_and_searches_them(client, exp):
    page = client.get("/parties", headers=HTML).text
    assert "Magnetwerk GmbH" in page and "Seoul Motors Co" in page and "Hidden Buyer Ltd" not in page
    found = client.get("/parties", params={"country": "KR"}, headers=HTML).text
    assert "Seoul Motors Co" in found and "Magnetwerk GmbH" not in found
    rows = list(csv.DictReader(io.StringIO(client.get("/parties", params={"q": "magnet", "format": "csv"}, headers=HTML).text)))
    assert [r["name"] for r in rows] == ["Magnetwerk GmbH"]


def test_another_organisations_party_is_not_found(client, exp, session):
    from sqlalchemy import select

    from rarex.parties.models import Party

    hidden = session.scalar(select(Party).where(Party.name == "Hidden Buyer Ltd"))
    assert client.get(f"/parties/{hidden.id}", headers=HTML).status_code == 404


def test_putting_a_party_on_file_shows_errors_beside_fields_and_keeps_input(client, exp):
    r = post_form(client, "/parties/new", "/parties/new", name="", country="DE", website="not a url")
    assert r.status_code == 400 and ('id="name-error"' in r.text or 'id="website-error"' in r.text)
    r = post_form(client, "/parties/new", "/parties/new", name="Kyoto Precision KK", country="", address="1 Kyoto")
    assert 'id="country-error"' in r.text and 'value="Kyoto Precision KK"' in r.text and 'value="1 Kyoto"' in r.text
    missing = post_form(client, "/parties/new", "/parties/new", name="Kyoto Precision KK", country="JP")
    assert missing.status_code == 400 and 'id="end_user_category-error"' in missing.text  # chosen, never assumed
    ok = post_form(client, "/parties/new", "/parties/new", name="Kyoto Precision KK", country="JP", end_user_category="civil")
    assert ok.status_code == 303 and "done=created" in ok.headers["location"]


def test_an_edit_is_a_new_version(client, exp, session):
    ok = post_form(client, "/parties/new", "/parties/new", name="Lyon Aimants SA", country="FR", end_user_category="civil")
    path = ok.headers["location"].split("?")[0]
    saved = post_form(client, path, path, name="Lyon Aimants SA", country="FR", end_user_category="civil",
                  address="2 rue du Port, Lyon")
    assert saved.status_code == 303
    page = client.get(path, headers=HTML).text
    assert 'data-testid="version-2"' in page and 'value="2 rue du Port, Lyon"' in page


def test_a_key_edit_of_a_party_on_a_live_licence_is_refused_beside_the_field(client, exp, session):
    eu = make_party(session, exp, name="Volga Motors", country="DE")
    make_licence(session, exp.id, [("1C905.a", eu.id, "100", "kg")])
    session.commit()
    r = post_form(client, f"/parties/{eu.id}", f"/parties/{eu.id}", name="Volga Rare Metals JSC", country="RU",
              end_user_category="military")
    assert r.status_code == 409
    assert 'id="name-error"' in r.text and 'id="country-error"' in r.text and 'id="end_user_category-error"' in r.text
    assert "apply again" in r.text
    session.expire_all()
    from rarex.parties.models import Party

    assert session.get(Party, eu.id).name == "Volga Motors"


def test_officers_read_parties_but_cannot_write(client, session, exp):
    make_user(session, Role.officer, username="off")
    session.commit()
    client.cookies.clear()
    sign_in(client, "off")
    page = client.get("/parties", headers=HTML)
    assert page.status_code == 200 and "Hidden Buyer Ltd" in page.text and "/parties/new" not in page.text
    assert client.get("/parties/new", headers=HTML).status_code == 403


def test_customs_reach_no_party_page(client, session):
    make_user(session, Role.customs, username="cus")
    session.commit()
    sign_in(client, "cus")
    assert client.get("/parties", headers=HTML).status_code == 403
