from __future__ import annotations

import pytest
from typer.testing import CliRunner

from rarex.core.authz import Role
from rarex.users.service import issue_token
from tests.factories import make_org, make_user


@pytest.fixture
def cli(db):
    """Run ``rarex ...`` in-process against the test database (it reads RAREX_DATABASE_URL)."""
    from rarex.cli.main import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def as_role(session):
    """``as_role(role)`` -> Authorization headers of a new user with that role.

    The token is issued directly, not through POST /auth/token: tests of who may do what
    should not each pay for an argon2 verification (sign-in has tests of its own).
    """
    org = None

    def headers(role: Role) -> dict[str, str]:
        nonlocal org
        if role == Role.exporter and org is None:
            org = make_org(session)
        user = make_user(session, role, org if role == Role.exporter else None, username=f"u-{role.value}")
        token, _ = issue_token(session, user)
        session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers
