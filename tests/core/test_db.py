"""The shared column types: exact decimals and UTC timestamps, on both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import literal, select

from rarex.core.db import ExactDecimal, UTCDateTime


def _roundtrip(session, value, type_):
    return session.execute(select(literal(value, type_))).scalar_one()


@pytest.mark.parametrize("text", ["100", "1500", "0.1", "0.000001", "12.5", "-20", "0", "999999999999.999999"])
def test_exact_decimal_round_trips_and_prints_plainly(session, text):
    """A licence cap of 1500 kg reads back as "1500", never "1.5E+3", on both databases."""
    got = _roundtrip(session, Decimal(text), ExactDecimal(6))
    assert got == Decimal(text)
    assert str(got) == text


def test_exact_decimal_keeps_tenths_exact(session):
    """0.1 t is exactly 100 kg: no float drift in storage."""
    got = _roundtrip(session, Decimal("0.1"), ExactDecimal(6))
    assert got * 1000 == Decimal(100)


def test_exact_decimal_refuses_more_places_than_its_scale():
    with pytest.raises(ValueError, match="decimal places"):
        ExactDecimal(2).process_bind_param(Decimal("1.005"), None)


def test_utc_datetime_comes_back_aware(session):
    when = dt.datetime(2025, 4, 4, 8, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    got = _roundtrip(session, when, UTCDateTime())
    assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)
    assert got == when


def test_utc_datetime_refuses_naive_values():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(dt.datetime(2025, 1, 1), None)
