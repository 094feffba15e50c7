"""The sign-in throttle's rules, on both sides of every limit and window edge (time passed in)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rarex.core.db import get_sessionmaker, unit_of_work
from rarex.core.errors import TooManyRequests
from rarex.users import throttle
from rarex.users.models import LoginAttempt
from rarex.users.throttle import Failures, Limits, wait_for

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
S = dt.timedelta(seconds=1)
LIMITS = Limits(window=dt.timedelta(seconds=900), per_account_address=5, per_address=30, per_account=30,
                backoff_after=2, backoff=dt.timedelta(seconds=1))


def at(*seconds: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(seconds=s) for s in seconds]


def fails(pair=(), address=None, account=None) -> Failures:
    pair = at(*pair)
    return Failures(pair=pair, address=pair if address is None else address, account=pair if account is None else account)


def test_no_failures_no_wait():
    assert wait_for(fails(), LIMITS, T0) is None


def test_below_backoff_no_wait():
    assert wait_for(fails((0,)), LIMITS, T0 + S) is None


def test_backoff_starts_at_its_count_and_ends_on_time():
    f = fails((0, 1))  # two failures: the next waits 1 s after the last
    assert wait_for(f, LIMITS, T0 + 1.5 * S) == 0.5 * S
    assert wait_for(f, LIMITS, T0 + 2 * S) is None


def test_backoff_doubles_per_failure():
    f = fails((0, 1, 2, 3))  # four failures: 2 ** (4 - 2) = 4 s after the last
    assert wait_for(f, LIMITS, T0 + 3 * S) == 4 * S
    assert wait_for(f, LIMITS, T0 + 7 * S - dt.timedelta(microseconds=1)) is not None
    assert wait_for(f, LIMITS, T0 + 7 * S) is None


def test_backoff_never_exceeds_the_window():
    limits = Limits(window=10 * S, per_account_address=50, per_address=100, per_account=100, backoff_after=1, backoff=S)
    f = fails(tuple(range(20)))
    assert wait_for(f, limits, T0 + 19 * S) == 10 * S


def test_pair_limit_locks_until_the_oldest_failure_leaves_the_window():
    f = fails((0, 10, 20, 30, 40))  # the fifth failure: locked
    assert wait_for(f, LIMITS, T0 + 100 * S) == 800 * S
    assert wait_for(f, LIMITS, T0 + 900 * S - dt.timedelta(microseconds=1)) is not None
    assert wait_for(f, LIMITS, T0 + 900 * S) is None  # the window is (now - 900 s, now]


def test_one_below_the_pair_limit_is_only_backoff():
    f = fails((0, 10, 20, 30))
    assert wait_for(f, LIMITS, T0 + 34 * S) is None  # 2 ** 2 = 4 s after the last


def test_over_the_limit_waits_for_enough_failures_to_leave():
    f = fails((0, 1, 2, 3, 4, 5, 6))  # 7 (a parallel burst): 3 must leave to be below 5
    assert wait_for(f, LIMITS, T0 + 10 * S) == 892 * S


@pytest.mark.parametrize("count, refused", [(29, False), (30, True)])
def test_address_limit_over_all_accounts(count, refused):
    f = Failures(pair=[], address=at(*range(count)), account=[])
    assert (wait_for(f, LIMITS, T0 + 60 * S) is not None) is refused


@pytest.mark.parametrize("count, refused", [(29, False), (30, True)])
def test_account_limit_over_all_addresses(count, refused):
    f = Failures(pair=[], address=[], account=at(*range(count)))
    assert (wait_for(f, LIMITS, T0 + 60 * S) is not None) is refused


def test_an_attacked_account_is_open_to_its_owner_at_another_address():
    """The attacker's address and pair are locked; the owner's pair is empty and the account
    limit is not reached, so the owner goes ahead."""
    attacker = Failures(pair=at(*range(5)), address=at(*range(30)), account=at(*range(25)))
    owner = Failures(pair=[], address=[], account=attacker.account)
    assert wait_for(attacker, LIMITS, T0 + 60 * S) is not None
    assert wait_for(owner, LIMITS, T0 + 60 * S) is None


# --- in the database -------------------------------------------------------------------------


def _attempts() -> int:
    with get_sessionmaker()() as s:
        return s.execute(select(func.count()).select_from(LoginAttempt)).scalar_one()


def _reserve(username: str, address: str, now: dt.datetime) -> int:
    with unit_of_work() as s:
        return throttle.reserve(s, username, address, LIMITS, now).id


def _settle(attempt_id: int, ok: bool) -> None:
    with unit_of_work() as s:
        throttle.settle(s, attempt_id, ok)


def test_pending_checks_count_so_a_burst_cannot_slip_past(db):
    _reserve("ana", "10.0.0.1", T0)
    _reserve("ana", "10.0.0.1", T0)  # neither settled yet
    with pytest.raises(TooManyRequests) as exc:
        _reserve("ana", "10.0.0.1", T0)
    assert exc.value.retry_after == 1 and exc.value.extra["retry_after"] == 1
    assert _attempts() == 2, "a refused try writes nothing"


def test_a_success_clears_the_pair_but_not_the_address(db):
    for _ in range(2):
        _settle(_reserve("ana", "10.0.0.1", T0), False)
    with pytest.raises(TooManyRequests):
        _reserve("ana", "10.0.0.1", T0 + 0.5 * S)
    _settle(_reserve("ana", "10.0.0.1", T0 + 2 * S), True)
    _reserve("ana", "10.0.0.1", T0 + 2.5 * S)  # no backoff after the success
    with get_sessionmaker()() as s:
        f = throttle.failures(s, "ana", "10.0.0.1", LIMITS, T0 + 3 * S)
    assert (len(f.pair), len(f.address), len(f.account)) == (1, 3, 3)


def test_failures_elsewhere_do_not_touch_another_pair(db):
    for i in range(5):
        _settle(_reserve("ana", "10.0.0.66", T0 + i * 100 * S), False)
    with pytest.raises(TooManyRequests):
        _reserve("ana", "10.0.0.66", T0 + 500 * S)
    _reserve("ana", "10.0.0.1", T0 + 500 * S)  # the owner, at home


def test_prune_removes_only_older_rows(db):
    _settle(_reserve("ana", "10.0.0.1", T0), False)
    _settle(_reserve("bob", "10.0.0.2", T0 + 10 * S), False)
    with unit_of_work() as s:
        assert throttle.prune(s, T0 + 10 * S) == 1
    assert _attempts() == 1
