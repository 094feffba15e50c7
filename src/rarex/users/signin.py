"""Sign-in and the change of one's own password: the argon2 check with no transaction open.

Each check runs in three steps. A short write transaction asks the throttle (users/throttle.py)
and reserves the attempt, reading the account; then the hash is verified with no session at
all, so the 0.1-0.2 s of argon2 hold no lock (on SQLite a sign-in used to hold the database's
write lock for that long, and 20 parallel guesses froze everyone); a second short transaction
records the outcome and, on success, issues the token or stores the new password. The account
is re-read there: if it was deactivated or its password changed during the check, the check
counts as failed.

These functions are an edge of their own (they open their own units of work), as the request
dependency is for other endpoints: the API calls them without a request session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import PASSWORD_CHANGE, Principal, require
from rarex.core.db import unit_of_work, utcnow
from rarex.core.errors import Conflict, Forbidden, InvalidInput, Unauthenticated
from rarex.core.settings import get_settings
from rarex.users import passwords, service, throttle
from rarex.users.models import User

WRONG = "wrong username or password"


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: dt.datetime
    must_change_password: bool


@dataclass(frozen=True)
class _Account:
    """What the hash check needs, read in the reserving transaction."""

    id: int
    password_hash: str
    active: bool


def _reserve(session: Session, username: str, address: str, now: dt.datetime) -> tuple[int, _Account | None]:
    attempt = throttle.reserve(session, username, address, throttle.Limits.from_settings(get_settings()), now)
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    return attempt.id, _Account(user.id, user.password_hash, user.active) if user else None


def _unchanged(session: Session, account: _Account) -> User | None:
    """The user, locked, if still active with the password that was just verified."""
    user = session.get(User, account.id, with_for_update=True)
    if user is None or not user.active or user.password_hash != account.password_hash:
        return None
    return user


def sign_in(username: str, password: str, address: str, now: dt.datetime | None = None) -> SignedIn:
    """A token for the right password; 401 for a wrong one or an unknown user; 429 when throttled."""
    now = now or utcnow()
    with unit_of_work() as session:
        attempt_id, account = _reserve(session, username, address, now)
    # Unknown users are checked against a dummy hash: both answers take one argon2 check.
    ok = passwords.verify(account.password_hash if account else passwords.dummy_hash(), password)
    ok = ok and account is not None and account.active
    signed_in = None
    with unit_of_work() as session:
        user = _unchanged(session, account) if ok and account is not None else None
        throttle.settle(session, attempt_id, user is not None)
        if user is not None:
            token, expires = service.issue_token(session, user)
            signed_in = SignedIn(token, expires, user.must_change_password)
    if signed_in is None:  # raised after the commit, so the failure stays counted
        raise Unauthenticated(WRONG)
    return signed_in


def change_own_password(token: str, current: str, new: str, address: str, now: dt.datetime | None = None) -> None:
    """The bearer of ``token`` replaces their password, proving the current one.

    Throttled like a sign-in (a stolen token must not become a way to guess the password).
    Clears an admin's must-change flag and revokes the user's other tokens; ``token`` stays valid.
    """
    now = now or utcnow()
    with unit_of_work() as session:
        principal = service.principal_for_token(session, token)
        if principal is None:
            raise Unauthenticated("the bearer token is invalid, revoked or expired")
        require(principal, PASSWORD_CHANGE)
        passwords.check_policy(new, principal.username, field="new_password")
        if new == current:
            raise InvalidInput("the new password must differ from the current one", field="new_password", reason="same_as_current")
        attempt_id, account = _reserve(session, principal.username, address, now)
    ok = account is not None and passwords.verify(account.password_hash, current)
    new_hash = passwords.hash_password(new) if ok else None
    with unit_of_work() as session:
        user = _unchanged(session, account) if ok and account is not None else None
        throttle.settle(session, attempt_id, user is not None)
        if user is not None and new_hash is not None:
            _store_own_password(session, principal, user, new_hash, keep=token)
    if not ok:
        raise Forbidden("the current password is wrong", slug="wrong-password", field="current_password")
    if user is None:
        raise Conflict("the account changed while the password was checked; try again")


def _store_own_password(session: Session, actor: Principal, user: User, new_hash: str, keep: str) -> None:
    was_required = user.must_change_password
    user.password_hash = new_hash
    user.must_change_password = False
    revoked = service.revoke_all_tokens(session, user.id, keep=keep)
    audit.record(session, type="user.password_changed", actor=actor, subject_type="user", subject_id=user.id,
                 after={"was_required": was_required, "other_tokens_revoked": revoked})
