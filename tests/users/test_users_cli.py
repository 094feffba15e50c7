"""``rarex users``: the operator's way to create users; errors are one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rarex.core.audit import AuditEvent
from rarex.core.authz import Role
from rarex.core.db import get_sessionmaker
from rarex.users.models import User
from tests.factories import make_org, make_user

PW = "a-long-enough-password\n"


def _users(session) -> int:
    """Committed users, counted in a short session of its own (see tests/users/test_users_api.py)."""
    with get_sessionmaker()() as fresh:
        return fresh.execute(select(func.count()).select_from(User)).scalar_one()


def _one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_create_officer(cli, session):
    r = cli("users", "create", "ana", "--role", "officer", "--password-stdin", "--name", "Ana Li", input=PW)
    assert r.exit_code == 0, r.stderr
    assert "created user ana (officer)" in r.stdout
    user = session.execute(select(User).where(User.username == "ana")).scalar_one()
    assert user.role == Role.officer and user.display_name == "Ana Li"
    assert user.password_hash.startswith("$argon2id$")
    ev = session.execute(select(AuditEvent).where(AuditEvent.type == "user.created")).scalar_one()
    assert ev.actor.startswith("cli:") and ev.actor_user_id is None


def test_json_output(cli, session):
    r = cli("users", "create", "ana", "--role", "auditor", "--password-stdin", "--json", input=PW)
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["username"] == "ana" and out["role"] == "auditor" and out["org_id"] is None and out["active"] is True
    assert out["must_change_password"] is False
    assert isinstance(out["id"], int) and "password" not in json.dumps({k: v for k, v in out.items() if k != "must_change_password"})


def test_created_user_can_sign_in(cli, client):
    cli("users", "create", "ana", "--role", "officer", "--password-stdin", input=PW)
    r = client.post("/api/v1/auth/token", json={"username": "ana", "password": PW.strip()})
    assert r.status_code == 200


def test_short_password_is_one_line_exit_2(cli, session):
    line = _one_line_error(cli("users", "create", "ana", "--role", "officer", "--password-stdin", input="short\n"))
    assert "at least 12 characters" in line
    assert _users(session) == 0


def test_password_only_from_stdin(cli, session):
    line = _one_line_error(cli("users", "create", "ana", "--role", "officer"))
    assert "--password-stdin" in line
    assert _users(session) == 0


def test_exporter_needs_an_organisation(cli, session):
    line = _one_line_error(cli("users", "create", "exp", "--role", "exporter", "--password-stdin", input=PW))
    assert "organisation" in line
    assert _users(session) == 0


@pytest.mark.parametrize("by", ["id", "uscc", "uscc-lower"])
def test_exporter_in_an_organisation(cli, session, by):
    org = make_org(session)
    session.commit()
    ref = {"id": str(org.id), "uscc": org.uscc, "uscc-lower": org.uscc.lower()}[by]
    r = cli("users", "create", "exp", "--role", "exporter", "--org", ref, "--password-stdin", "--json", input=PW)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["org_id"] == org.id


@pytest.mark.parametrize("ref", ["999999", "91110000MA0000000X", "[bold]x[/bold]", "[/x]"])
def test_unknown_organisation_is_named_verbatim(cli, session, ref):
    """The reference is printed as typed: brackets are not taken for Rich markup."""
    line = _one_line_error(cli("users", "create", "exp", "--role", "exporter", "--org", ref, "--password-stdin", input=PW))
    assert ref in line and "organisation" in line
    assert _users(session) == 0


def test_staff_cannot_belong_to_an_organisation(cli, session):
    org = make_org(session)
    session.commit()
    _one_line_error(cli("users", "create", "ana", "--role", "officer", "--org", str(org.id), "--password-stdin", input=PW))
    assert _users(session) == 0


def test_duplicate_username_is_refused(cli, session):
    make_user(session, Role.officer, username="ana")
    session.commit()
    line = _one_line_error(cli("users", "create", "ana", "--role", "auditor", "--password-stdin", input=PW))
    assert "taken" in line
    assert _users(session) == 1


def test_bad_username_is_refused(cli, session):
    _one_line_error(cli("users", "create", "two words", "--role", "officer", "--password-stdin", input=PW))
    assert _users(session) == 0


def test_unknown_role_is_a_usage_error(cli, session):
    r = cli("users", "create", "ana", "--role", "emperor", "--password-stdin", input=PW)
    assert r.exit_code == 2
    assert _users(session) == 0


def test_list_users_json(cli, session):
    make_user(session, Role.admin, username="root1")
    session.commit()
    r = cli("users", "list", "--json")
    assert r.exit_code == 0
    assert [u["username"] for u in json.loads(r.stdout)] == ["root1"]


def _rarex_script() -> Path:
    script = Path(sys.executable).parent / "rarex"
    if not script.exists():
        pytest.skip("the rarex console script is not installed next to this Python")
    return script


def test_installed_command_in_a_subprocess(db, session):
    """The real entry point, in its own process, reading RAREX_DATABASE_URL from the environment."""
    script = _rarex_script()
    proc = subprocess.run(
        [str(script), "users", "create", "ana", "--role", "officer", "--password-stdin", "--json"],
        input=PW, capture_output=True, text=True, env=os.environ.copy(), timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["username"] == "ana"
    proc = subprocess.run(
        [str(script), "users", "create", "bob", "--role", "officer", "--password-stdin"],
        input="short\n", capture_output=True, text=True, env=os.environ.copy(), timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "at least 12 characters" in proc.stderr
    assert _users(session) == 1
