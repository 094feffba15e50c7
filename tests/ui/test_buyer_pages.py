"""The buyer's pages over HTTP: its own cover, the exporter's view and invitation, the set-password link."""

from __future__ import annotations

import re

import pytest

from rarex.core.authz import Role
from tests.buyers.test_cover import data  # noqa: F401  (the fixed data set, as a fixture)
from tests.factories import make_user
from tests.ui.helpers import HTML, csrf_of, sign_in

PASSPHRASE = "a-long-and-unusual-buyer-passphrase"


@pytest.fixture
def buyer(client, session, data):  # noqa: F811
    user = make_user(session, Role.buyer, username="page-buyer")
    user.party_id = data["x"].id
    session.commit()
    assert sign_in(client, "page-buyer").status_code == 303
    return client


def test_the_buyer_sees_its_lines_with_bars_and_cover(buyer, data):  # noqa: F811
    r = buyer.get("/buyer", headers=HTML)
    assert r.status_code == 200
    assert f'data-testid="line-{data["l1"].number}-1"' in r.text and f'data-testid="line-{data["l2"].number}-1"' in r.text
    assert data["l3"].number not in r.text and data["l5"].number not in r.text
    assert "150 days" in r.text and "No recent drawdown" in r.text and "<progress" in r.text
    assert f'data-testid="expiring-{data["l2"].number}"' in r.text
    assert 'href="/licences/' not in r.text  # a buyer has no licence pages to go to
    zh = buyer.get("/buyer?lang=zh", headers=HTML)
    assert "150天" in zh.text and "近期无核销" in zh.text


@pytest.mark.parametrize("path, status", [("/applications", 403), ("/parties", 403), ("/licences", 403),
                                          ("/organisation", 403), ("/policy/impact", 403)])
def test_the_buyer_reaches_no_exporter_page(buyer, path, status):
    assert buyer.get(path, headers=HTML).status_code == status


def test_the_buyer_cannot_see_another_party(buyer, data):  # noqa: F811
    assert buyer.get(f"/parties/{data['y'].id}/cover", headers=HTML).status_code == 404
    assert buyer.get(f"/parties/{data['x'].id}/cover", headers=HTML).status_code == 200


def test_exporter_views_an_end_user_and_invites_it(client, session, data):  # noqa: F811
    make_user(session, Role.exporter, data["a"], username="page-exporter")
    session.commit()
    sign_in(client, "page-exporter")
    page = client.get(f"/parties/{data['x'].id}/cover", headers=HTML)
    assert page.status_code == 200 and 'data-testid="invite-form"' in page.text and "142 days" in page.text
    r = client.post(f"/parties/{data['x'].id}/cover", data={"csrf_token": csrf_of(page.text), "username": "has space"},
                    headers=HTML)
    assert r.status_code == 400 and "Use 1 to 64 letters" in r.text
    r = client.post(f"/parties/{data['x'].id}/cover", data={"csrf_token": csrf_of(page.text), "username": "x-buyer"},
                    headers=HTML)
    assert r.status_code == 200
    link = re.search(r'data-testid="invitation-link">([^<]+)<', r.text).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/sign-out", data={"csrf_token": csrf_of(r.text)}, headers=HTML)
    form = client.get("/" + path, headers=HTML)
    assert form.status_code == 200 and "x-buyer" in form.text
    token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
    bad = client.post("/invitation", data={"csrf_token": csrf_of(form.text), "token": token, "password": PASSPHRASE,
                                           "password_again": PASSPHRASE + "!"}, headers=HTML)
    assert bad.status_code == 400 and "The two passwords differ." in bad.text
    ok = client.post("/invitation", data={"csrf_token": csrf_of(form.text), "token": token, "password": PASSPHRASE,
                                          "password_again": PASSPHRASE}, headers=HTML, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/sign-in?next=/buyer"
    assert client.get("/" + path, headers=HTML).status_code == 404  # spent
    assert sign_in(client, "x-buyer", PASSPHRASE, "/buyer").headers["location"] == "/buyer"
    assert client.get("/buyer", headers=HTML).status_code == 200


def test_another_exporter_sees_and_invites_nothing(client, session, data):  # noqa: F811
    make_user(session, Role.exporter, data["b"], username="page-other")
    session.commit()
    sign_in(client, "page-other")
    assert client.get(f"/parties/{data['x'].id}/cover", headers=HTML).status_code == 404
    own = client.get(f"/parties/{data['z'].id}/cover", headers=HTML)
    r = client.post(f"/parties/{data['x'].id}/cover", data={"csrf_token": csrf_of(own.text), "username": "steal"}, headers=HTML)
    assert r.status_code == 404


def test_an_admin_invites_from_any_end_users_page(client, session, data):  # noqa: F811
    make_user(session, Role.admin, username="page-admin")
    session.commit()
    sign_in(client, "page-admin")
    page = client.get(f"/parties/{data['z'].id}/cover", headers=HTML)
    assert page.status_code == 200 and 'data-testid="invite-form"' in page.text
    r = client.post(f"/parties/{data['z'].id}/cover", data={"csrf_token": csrf_of(page.text), "username": "z-buyer"},
                    headers=HTML)
    assert r.status_code == 200 and 'data-testid="invitation-link"' in r.text
