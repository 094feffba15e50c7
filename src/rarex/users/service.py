"""Users and sign-in: argon2 password hashes, random bearer tokens stored only as hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, Role, require
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from rarex.core.settings import get_settings
from rarex.parties.models import Organisation
from rarex.users.models import ApiToken, User

_PROFILES = {"rfc9106": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}


@lru_cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(_PROFILES[profile])


def hasher() -> PasswordHasher:
    """The argon2 hasher for new hashes; verification reads the parameters from each hash."""
    return _hasher(get_settings().password_hashing)


@lru_cache
def _dummy_hash(profile: str) -> str:
    """Verified against when the username does not exist, so both paths cost one argon2 check."""
    return _hasher(profile).hash("rarex-no-such-user")
MIN_PASSWORD = 10
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
    username = username.strip()
    if not username or len(username) > 64 or not all(c.isalnum() or c in "._-@" for c in username):
        raise InvalidInput("username must be 1-64 letters, digits or . _ - @", field="username")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters", field="password")
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
        password_hash=hasher().hash(password),
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


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    try:
        hasher().verify(user.password_hash if user else _dummy_hash(get_settings().password_hashing), password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise Unauthenticated("wrong username or password")
    return user


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
    return Principal(user_id=user.id, username=user.username, role=user.role, org_id=user.org_id)


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
