"""Users and their accounts: creation, activation, passwords set by an admin, bearer tokens.

Tokens are random and stored only as hashes. Sign-in and a user's change of their own password
live in users/signin.py: they verify a hash, which must happen outside any transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, Role, require
from rarex.core.db import affected, utcnow
from rarex.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from rarex.core.settings import get_settings
from rarex.parties.models import Organisation
from rarex.users import passwords
from rarex.users.models import ApiToken, User

ORG_ROLES = {Role.exporter}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    actor: Principal,
    *,
    username: str,
    role: Role | str,
    password: str,
    org_id: int | None = None,
    display_name: str = "",
) -> User:
    require(actor, "user.manage")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(r.value for r in Role)}", field="role") from None
    if role == Role.buyer:
        raise InvalidInput("a buyer account is invited for one end user (rarex buyers invite), not created", field="role")
    username = check_username(username)
    passwords.check_policy(password, username)
    if role in ORG_ROLES and org_id is None:
        raise InvalidInput(f"a {role} user must belong to an organisation (--org)", field="org")
    if role not in ORG_ROLES and org_id is not None:
        raise InvalidInput(f"a {role} user belongs to the authority, not to an organisation", field="org")
    if org_id is not None and session.get(Organisation, org_id) is None:
        raise NotFound(f"organisation {org_id} not found", field="org")
    if session.execute(select(User.id).where(User.username == username)).first():
        raise Conflict(f"username {username!r} is taken", field="username")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        org_id=org_id,
        password_hash=passwords.hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        type="user.created",
        actor=actor,
        subject_type="user",
        subject_id=user.id,
        after={"username": username, "role": role, "org_id": org_id},
    )
    return user


def check_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-@" for c in username):
        raise InvalidInput("username must be 1-64 letters, digits or . _ - @", field="username")
    return username


def issue_token(session: Session, user: User) -> tuple[str, dt.datetime]:
    """Return a new random token (shown once) and its expiry; only its hash is stored."""
    token = "rx_" + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(minutes=get_settings().token_ttl_minutes)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), expires_at=expires))
    session.flush()
    return token, expires


def revoke_token(session: Session, token: str) -> None:
    row = session.execute(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).scalar_one_or_none()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def principal_for(user: User) -> Principal:
    return Principal(user_id=user.id, username=user.username, role=user.role, org_id=user.org_id,
                     must_change_password=user.must_change_password, party_id=user.party_id)


def principal_for_token(session: Session, token: str) -> Principal | None:
    row = session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
    ).scalar_one_or_none()
    if row is None or not row.active:
        return None
    return principal_for(row)


def get_user(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def list_users(session: Session, actor: Principal) -> list[User]:
    require(actor, "user.read")
    return list(session.execute(select(User).order_by(User.id)).scalars())


def _user(session: Session, actor: Principal, user_id: int) -> User:
    require(actor, "user.manage")
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def revoke_all_tokens(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """Revoke every live token of the user (but the token ``keep``); returns how many."""
    stmt = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
    if keep is not None:
        stmt = stmt.where(ApiToken.token_hash != hash_token(keep))
    return affected(session.execute(stmt.values(revoked_at=utcnow())))


def set_active(session: Session, actor: Principal, user_id: int, active: bool) -> User:
    """Deactivate (revoking every token at once) or activate a user."""
    user = _user(session, actor, user_id)
    action = "activate" if active else "deactivate"
    if user.active == active:
        raise InvalidTransition(f"user {user.username}", "active" if user.active else "inactive", action)
    if not active and user.id == actor.user_id:
        raise Conflict("you cannot deactivate your own account; another admin can", field="id")
    user.active = active
    revoked = 0 if active else revoke_all_tokens(session, user.id)
    audit.record(session, type=f"user.{action}d", actor=actor, subject_type="user", subject_id=user.id,
                 before={"active": not active}, after={"active": active, "tokens_revoked": revoked})
    return user


def revoke_tokens(session: Session, actor: Principal, user_id: int) -> int:
    """Sign the user out everywhere; returns how many tokens were revoked."""
    user = _user(session, actor, user_id)
    revoked = revoke_all_tokens(session, user.id)
    audit.record(session, type="user.tokens_revoked", actor=actor, subject_type="user", subject_id=user.id,
                 after={"tokens_revoked": revoked})
    return revoked


def reset_password(session: Session, actor: Principal, user_id: int, new_password: str) -> User:
    """An admin sets a password the user must replace at once; the user is signed out everywhere.

    Hashed inside the admin's transaction: an admin action is rare and throttled by nobody's
    guessing, unlike a sign-in (users/signin.py).
    """
    user = _user(session, actor, user_id)
    passwords.check_policy(new_password, user.username, field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = True
    revoked = revoke_all_tokens(session, user.id)
    audit.record(session, type="user.password_reset", actor=actor, subject_type="user", subject_id=user.id,
                 after={"must_change_password": True, "tokens_revoked": revoked})
    return user
