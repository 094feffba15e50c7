"""Counters hand out each number once, even to the first takers of a new counter at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from rarex.core.db import unit_of_work
from rarex.core.ids import next_value


def _take(name: str, barrier: Barrier) -> int:
    barrier.wait(timeout=60)
    with unit_of_work() as session:
        return next_value(session, name)


def test_first_takers_of_a_new_counter_at_once_get_distinct_numbers(db):
    clients = 8
    barrier = Barrier(clients)
    with ThreadPoolExecutor(clients) as pool:
        values = list(pool.map(lambda _: _take("application:2031", barrier), range(clients)))
    assert sorted(values) == list(range(1, clients + 1))


def test_counters_are_independent_and_continue_from_their_last_value(db):
    with unit_of_work() as session:
        assert [next_value(session, "licence:general:2031") for _ in range(3)] == [1, 2, 3]
        assert next_value(session, "licence:individual:2031") == 1
    with unit_of_work() as session:
        assert next_value(session, "licence:general:2031") == 4


def test_a_rolled_back_number_is_handed_out_again(db):
    try:
        with unit_of_work() as session:
            assert next_value(session, "application:2032") == 1
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    with unit_of_work() as session:
        assert next_value(session, "application:2032") == 1
