"""Quantities with units, and currencies: exact Decimal arithmetic, no floats anywhere."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pycountry

from rarex.core.errors import InvalidInput

#: unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, Decimal]] = {
    "g": ("mass", Decimal("0.001")),
    "kg": ("mass", Decimal(1)),
    "t": ("mass", Decimal(1000)),
    "pieces": ("count", Decimal(1)),
}
QUANTITY_PLACES = 6
MONEY_PLACES = 2


def _exponent(d: Decimal) -> int:
    """The exponent of a finite decimal (as_tuple() gives a letter for NaN and infinity)."""
    exponent = d.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{d} is not a finite number")
    return exponent


def plain(d: Decimal) -> Decimal:
    """Drop trailing zeros without exponent form: 1500.000 -> 1500 (normalize() gives 1.5E+3,
    which would reach JSON, CSV and the audit log as "1.5E+3")."""
    d = d.normalize()
    return d.quantize(Decimal(1)) if _exponent(d) > 0 else d


def check_unit(unit: str) -> str:
    u = unit.strip().lower()
    if u in ("pcs", "piece", "pc"):
        u = "pieces"
    if u not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}", field="unit")
    return u


def convert(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Exact conversion between units of one dimension (kg <-> t); refuses mass <-> pieces."""
    d1, f1 = UNITS[check_unit(from_unit)]
    d2, f2 = UNITS[check_unit(to_unit)]
    if d1 != d2:
        raise InvalidInput(f"cannot convert {from_unit} to {to_unit}", field="unit")
    return plain(quantity * f1 / f2)


def check_decimal(value, *, field: str, places: int, positive: bool = False) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{field} must be a decimal number, got {value!r}", field=field) from None
    if not d.is_finite():
        raise InvalidInput(f"{field} must be a finite number", field=field)
    if positive and d <= 0 or d < 0:
        raise InvalidInput(f"{field} must be {'greater than zero' if positive else 'zero or more'}", field=field)
    if _exponent(d) < -places:
        raise InvalidInput(f"{field} has more than {places} decimal places", field=field)
    if d >= Decimal(10) ** 12:
        raise InvalidInput(f"{field} is too large", field=field)
    return d


def check_currency(code: str) -> str:
    c = code.strip().upper()
    if len(c) != 3 or pycountry.currencies.get(alpha_3=c) is None:
        raise InvalidInput(f"unknown currency {code!r}; use an ISO 4217 code such as CNY or USD", field="currency")
    return c
