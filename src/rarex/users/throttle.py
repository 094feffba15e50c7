"""The sign-in brake: how many failed password checks an account and an address may have.

Policy (the limits are ``RAREX_LOGIN_*`` settings; a failure counts for one window):

- **One account from one address** (``login_per_account_address``, default 5): after
  ``login_backoff_after`` failures each further try waits ``login_backoff_seconds``, doubling per
  failure; at the limit the pair is refused until its oldest failure leaves the window. A success
  from that address clears the pair's count, so an owner who mistyped is not kept waiting.
- **One address over all accounts** (``login_per_address``, default 30): stops one client from
  trying a password against many accounts.
- **One account over all addresses** (``login_per_account``, default 30): the brake on a
  distributed guess at one account.

Why keyed so: an attacker at one address locks only that address and its pair with the victim;
the owner, at their own address, keeps signing in. Only an attack from many addresses at once
reaches the account-wide limit, and then the owner is refused for at most one window after the
last counted failure. Refused tries are not recorded (they cost no hash and write nothing), so
hammering a locked account cannot stretch its lock; only checks actually made count.

Every count lives in ``login_attempts``, so the limits hold across workers and hosts. A check
is reserved (a ``pending`` row, counted as a failure) before its hash, in a transaction that
serialises with other reservations of the same account or address (SQLite's ``BEGIN IMMEDIATE``;
advisory transaction locks on PostgreSQL): a burst of parallel guesses cannot all see a count
below the limit. The rules themselves (:func:`wait_for`) are pure, with the time passed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from rarex.core.db import affected
from rarex.core.errors import TooManyRequests
from rarex.core.settings import Settings
from rarex.users.models import LoginAttempt

PENDING, FAILED, SUCCEEDED = "pending", "failed", "succeeded"
_COUNTED = (PENDING, FAILED)


@dataclass(frozen=True)
class Limits:
    window: dt.timedelta
    per_account_address: int
    per_address: int
    per_account: int
    backoff_after: int
    backoff: dt.timedelta

    @classmethod
    def from_settings(cls, s: Settings) -> Limits:
        return cls(
            window=dt.timedelta(seconds=s.login_window_seconds),
            per_account_address=s.login_per_account_address,
            per_address=s.login_per_address,
            per_account=s.login_per_account,
            backoff_after=s.login_backoff_after,
            backoff=dt.timedelta(seconds=s.login_backoff_seconds),
        )


@dataclass(frozen=True)
class Failures:
    """Times of the failures that count now, oldest first."""

    pair: list[dt.datetime]  # this account from this address, since the pair's last success
    address: list[dt.datetime]  # this address, any account
    account: list[dt.datetime]  # this account, any address


def wait_for(failures: Failures, limits: Limits, now: dt.datetime) -> dt.timedelta | None:
    """How long the next try must wait, or None if it may go ahead now."""
    waits = []
    for times, limit in ((failures.pair, limits.per_account_address), (failures.address, limits.per_address),
                         (failures.account, limits.per_account)):
        if len(times) >= limit:  # until enough failures leave the window to fall below the limit
            waits.append(times[len(times) - limit] + limits.window - now)
    n = len(failures.pair)
    if limits.backoff_after <= n < limits.per_account_address:
        delay = min(limits.backoff * 2 ** (n - limits.backoff_after), limits.window)
        waits.append(failures.pair[-1] + delay - now)
    wait = max(waits, default=dt.timedelta(0))
    return wait if wait > dt.timedelta(0) else None


def _lock_key(kind: str, value: str) -> int:
    return int.from_bytes(hashlib.sha256(f"login:{kind}:{value}".encode()).digest()[:8], "big", signed=True)


def _serialise(session: Session, username: str, address: str) -> None:
    """Make reservations of this account or address wait for each other (see the module doc)."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the transaction began with BEGIN IMMEDIATE, which already serialises
    for key in sorted({_lock_key("account", username), _lock_key("address", address)}):  # one order: no deadlock
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _times(session: Session, *where) -> list[dt.datetime]:
    stmt = select(LoginAttempt.at).where(LoginAttempt.outcome.in_(_COUNTED), *where).order_by(LoginAttempt.at)
    return list(session.execute(stmt).scalars())


def failures(session: Session, username: str, address: str, limits: Limits, now: dt.datetime) -> Failures:
    since = now - limits.window
    last_success = session.execute(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.address == address,
            LoginAttempt.outcome == SUCCEEDED, LoginAttempt.at > since,
        )
    ).scalar_one()
    pair_since = max(since, last_success) if last_success else since
    return Failures(
        pair=_times(session, LoginAttempt.username == username, LoginAttempt.address == address,
                    LoginAttempt.at > pair_since),
        address=_times(session, LoginAttempt.address == address, LoginAttempt.at > since),
        account=_times(session, LoginAttempt.username == username, LoginAttempt.at > since),
    )


def reserve(session: Session, username: str, address: str, limits: Limits, now: dt.datetime) -> LoginAttempt:
    """Record a pending check, or raise 429 with ``Retry-After`` (writing nothing)."""
    _serialise(session, username, address)
    wait = wait_for(failures(session, username, address, limits, now), limits, now)
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise TooManyRequests(f"too many failed sign-ins; try again in {seconds} s", retry_after=seconds)
    attempt = LoginAttempt(at=now, username=username, address=address, outcome=PENDING)
    session.add(attempt)
    session.flush()
    return attempt


def settle(session: Session, attempt_id: int, succeeded: bool) -> None:
    """Record how a reserved check ended."""
    attempt = session.get(LoginAttempt, attempt_id)
    if attempt is not None:  # pruned meanwhile: nothing left to settle
        attempt.outcome = SUCCEEDED if succeeded else FAILED


def prune(session: Session, before: dt.datetime) -> int:
    """Delete attempts older than ``before``; returns how many."""
    return affected(session.execute(delete(LoginAttempt).where(LoginAttempt.at < before)))
