"""Accounts created by invitation: the account exists at once, its first password is set by the
invited person through a one-time link, so nobody else ever knows it.

Used for buyer accounts (rarex.buyers): an exporter invites its foreign end user. The token is
random, shown once to whoever invited, stored only as a SHA-256, valid for
:data:`INVITATION_DAYS` days and once. Until it is used the account has no usable password
(``password_hash`` is no argon2 hash, so every sign-in fails like a wrong password).
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, Role
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, InvalidInput
from rarex.users import passwords
from rarex.users.models import AccountInvitation, User
from rarex.users.service import check_username, hash_token

INVITATION_DAYS = 7
#: What an invited account holds instead of a password hash: argon2 never verifies it.
NO_PASSWORD = "!invited"
#: The page an invited person opens; the token follows as ``?token=``.
SET_PASSWORD_PATH = "/invitation"


def invite(session: Session, actor: Principal, *, username: str, display_name: str, role: Role,
           org_id: int | None = None, party_id: int | None = None) -> tuple[User, str, dt.datetime]:
    """Create the account and its one-time token; the caller has checked that ``actor`` may.

    Returns the user, the token (shown once) and when it expires."""
    username = check_username(username)
    if session.execute(select(User.id).where(User.username == username)).first():
        raise Conflict(f"username {username!r} is taken", field="username")
    user = User(username=username, display_name=display_name.strip()[:200] or username, role=role, org_id=org_id,
                party_id=party_id, password_hash=NO_PASSWORD, active=True)
    session.add(user)
    session.flush()
    token = "rxi_" + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(days=INVITATION_DAYS)
    session.add(AccountInvitation(user_id=user.id, token_hash=hash_token(token), invited_by=actor.user_id,
                                  invited_by_name=actor.username[:120], expires_at=expires))
    session.flush()
    audit.record(session, type="user.invited", actor=actor, subject_type="user", subject_id=user.id,
                 after={"username": username, "role": role, "org_id": org_id, "party_id": party_id,
                        "expires_at": expires.isoformat()})
    return user, token, expires


def invitation_user(session: Session, token: str, *, lock: bool = True) -> User:
    """The account a live, unused token invites to; the same 422 for any token that is not one.

    ``lock`` holds the invitation for the transaction (to spend it); a page that only looks passes False."""
    stmt = select(AccountInvitation).where(AccountInvitation.token_hash == hash_token(token))
    row = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise InvalidInput("this invitation link is not valid: it was used, has expired or never existed; "
                           "ask for a new one", field="token")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise InvalidInput("this invitation link is not valid: the account is deactivated", field="token")
    return user


def accept(session: Session, token: str, password: str) -> User:
    """Set the invited account's first password and spend the token."""
    user = invitation_user(session, token)
    passwords.check_policy(password, user.username)
    user.password_hash = passwords.hash_password(password)
    row = session.execute(select(AccountInvitation).where(AccountInvitation.token_hash == hash_token(token))).scalar_one()
    row.used_at = utcnow()
    principal = Principal(user_id=user.id, username=user.username, role=user.role)
    audit.record(session, type="user.invitation_accepted", actor=principal, subject_type="user", subject_id=user.id,
                 after={"password_set": True})
    return user
