from rarex.core.authz import Role
from tests.factories import login, make_org, make_user


def test_token_and_me(client, session):
    org = make_org(session)
    make_user(session, Role.exporter, org, username="exp")
    session.commit()
    headers = login(client, "exp")
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 200 and r.json()["username"] == "exp" and r.json()["org_id"] == org.id


def test_me_without_token_is_401_problem(client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
