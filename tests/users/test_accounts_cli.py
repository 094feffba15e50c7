"""``rarex users deactivate|activate|reset-password|revoke-tokens|prune-logins``, with --json."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from rarex.core.audit import AuditEvent
from rarex.core.authz import Role
from rarex.core.db import get_sessionmaker, unit_of_work, utcnow
from rarex.users.models import ApiToken, LoginAttempt, User
from rarex.users.service import issue_token
from tests.factories import make_user


def _fresh(stmt):
    with get_sessionmaker()() as s:
        return s.execute(stmt).scalar_one()


def _ana(session) -> User:
    user = make_user(session, Role.officer, username="ana")
    issue_token(session, user)
    session.commit()
    return user


def _error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    return result.stderr


def test_deactivate_and_activate(cli, session):
    ana = _ana(session)
    r = cli("users", "deactivate", "ana", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["active"] is False
    assert _fresh(select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))) == 0
    assert "inactive" in _error(cli("users", "deactivate", "ana"))
    r = cli("users", "activate", "ana")
    assert r.exit_code == 0 and "activated user ana" in r.stdout
    assert _fresh(select(User.active).where(User.id == ana.id)) is True
    ev = _fresh(select(AuditEvent).where(AuditEvent.type == "user.deactivated"))
    assert ev.actor.startswith("cli:") and ev.subject_id == str(ana.id)


def test_reset_password(cli, session):
    ana = _ana(session)
    r = cli("users", "reset-password", "ana", "--password-stdin", "--json", input="a-new-long-passphrase\n")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["must_change_password"] is True
    assert _fresh(select(func.count()).select_from(AuditEvent).where(AuditEvent.type == "user.password_reset")) == 1
    assert _fresh(select(User.must_change_password).where(User.id == ana.id)) is True


def test_reset_password_refuses_weak_ones_and_the_command_line(cli, session):
    _ana(session)
    assert "12 characters" in _error(cli("users", "reset-password", "ana", "--password-stdin", input="short\n"))
    assert "--password-stdin" in _error(cli("users", "reset-password", "ana"))
    assert _fresh(select(User.must_change_password).where(User.username == "ana")) is False


def test_revoke_tokens(cli, session):
    _ana(session)
    r = cli("users", "revoke-tokens", "ana", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["tokens_revoked"] == 1


def test_unknown_user_is_one_line(cli, db):
    for command in ("deactivate", "activate", "revoke-tokens"):
        assert "user 'nobody' not found" in _error(cli("users", command, "nobody"))


def test_prune_logins_keeps_recent_attempts(cli, db):
    now = utcnow()
    with unit_of_work() as s:
        s.add_all([LoginAttempt(at=now - dt.timedelta(days=40), username="a", address="x", outcome="failed"),
                   LoginAttempt(at=now - dt.timedelta(days=2), username="a", address="x", outcome="failed"),
                   LoginAttempt(at=now, username="a", address="x", outcome="failed")])
    r = cli("users", "prune-logins", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["deleted"] == 1
    r = cli("users", "prune-logins", "--older-than-days", "1")
    assert r.exit_code == 0 and "removed 1 sign-in attempt" in r.stdout
    assert _fresh(select(func.count()).select_from(LoginAttempt)) == 1, "an attempt inside the window stays"
