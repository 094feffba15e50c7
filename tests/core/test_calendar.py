"""The CN working-day calendar against the State Council's published arrangements."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rarex.core.calendar import WorkingCalendar, calendar_for

D = dt.date.fromisoformat
CN = calendar_for("CN")


@pytest.mark.parametrize(
    "day, working",
    [
        ("2026-02-14", True),   # Saturday worked for Spring Festival
        ("2026-02-28", True),   # Saturday worked for Spring Festival
        ("2026-02-16", False),  # Spring Festival eve
        ("2026-02-20", False),  # weekday off in exchange
        ("2026-02-23", False),  # Monday off in exchange
        ("2026-02-24", True),
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-09-20", True),   # Sunday worked for National Day
        ("2026-10-01", False),
        ("2026-10-07", False),
        ("2026-10-08", True),
        ("2026-10-10", True),   # Saturday worked for National Day
        ("2025-09-28", True),
        ("2025-10-08", False),
    ],
)
def test_known_days(day, working):
    assert CN.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    "start, n, deadline",
    [
        ("2026-02-02", 45, "2026-04-13"),  # across Spring Festival 2026 and Qingming
        ("2026-09-01", 45, "2026-11-09"),  # across Mid-Autumn and National Day 2026
        ("2025-09-15", 45, "2025-11-21"),  # across National Day 2025
        ("2025-01-20", 10, "2025-02-08"),  # ends on the Saturday worked after Spring Festival 2025
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 0, "2026-02-13"),
    ],
)
def test_add_working_days_by_hand(start, n, deadline):
    assert CN.add_working_days(D(start), n) == D(deadline)


def test_working_days_between():
    assert CN.working_days_between(D("2026-02-13"), D("2026-02-24")) == 2
    assert CN.working_days_between(D("2026-09-30"), D("2026-10-08")) == 1
    assert CN.working_days_between(D("2026-03-01"), D("2026-03-01")) == 0
    assert CN.working_days_between(D("2026-03-10"), D("2026-03-01")) == 0


@settings(max_examples=50, deadline=None)
@given(st.dates(dt.date(2024, 1, 1), dt.date(2026, 6, 30)), st.integers(0, 60))
def test_between_inverts_add(start, n):
    assert CN.working_days_between(start, CN.add_working_days(start, n)) == n


def test_official_through_and_caveat():
    known = holidays.country_holidays("CN").special_public_holidays
    assert CN.official_through == max(known) >= 2026
    assert CN.caveat(D("2026-12-31")) is None
    late = CN.caveat(D("2026-12-01"), D(f"{CN.official_through + 1}-02-10"))
    assert late and str(CN.official_through + 1) in late


def test_refuses_what_it_cannot_know():
    with pytest.raises(ValueError, match="0 or more"):
        CN.add_working_days(D("2026-01-01"), -1)
    with pytest.raises(ValueError, match="outside the years"):
        CN.is_working_day(D("2150-01-01"))
    with pytest.raises(ValueError, match="no holiday calendar"):
        WorkingCalendar("XX")


def test_calendar_is_cached():
    assert calendar_for("CN") is CN and CN.country == "CN"
