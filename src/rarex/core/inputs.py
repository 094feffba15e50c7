"""Input types every request body, query parameter and CLI option shares.

Dates: one type, :data:`InputDate` (API) and :func:`date_parser` (CLI), bounded to
:data:`MIN_DATE`..:data:`MAX_DATE`. A licensing system has no business with 9999-12-31, and
arithmetic on such a date (a reporting period's end, a list version "as of the end of the day")
overflows ``datetime`` and surfaced as a 500; the bound makes it a 422 (or a CLI usage error)
that names the field and the range. The OpenAPI schema carries the bound as
``formatMinimum``/``formatMaximum``, which is also how tests/core/test_inputs.py finds a date
input that does not use this type.

Text: :class:`InputModel` refuses a NUL character (U+0000) in any string of a body, however
deeply nested. The engine refuses NUL in plain text columns already (core/db.py), but a string
stored inside a JSON column (an amendment's requested changes) passes as an escape and only
fails later, when it is applied; refusing it at the request keeps a bad value out of the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import typer
from pydantic import AfterValidator, BaseModel, ConfigDict, WithJsonSchema, field_validator

MIN_DATE = dt.date(1950, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
DATE_RANGE = f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}"


def check_date(value: dt.date) -> dt.date:
    """``value`` if it lies within the accepted range; else ValueError naming the range."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"date {value.isoformat()} is outside the accepted range {DATE_RANGE}")
    return value


DATE_SCHEMA = {"type": "string", "format": "date", "formatMinimum": MIN_DATE.isoformat(),
               "formatMaximum": MAX_DATE.isoformat()}

#: A date sent to the API (body field or query parameter), within 1950..2099.
InputDate = Annotated[dt.date, AfterValidator(check_date), WithJsonSchema(DATE_SCHEMA)]


def date_parser(option: str) -> Callable[[Any], dt.date]:
    """The parser of a CLI date option: YYYY-MM-DD within the same range as the API's.

    Use as ``typer.Option(None, "--on", parser=date_parser("--on"), metavar=DATE_METAVAR)``.
    A bad date is one line on stderr naming the option, and exit 2, like every CLI error.
    """

    def parse(value: Any) -> dt.date:
        try:
            return check_date(value if isinstance(value, dt.date) else _iso_date(value))
        except ValueError as exc:
            typer.echo(f"error: {option}: {exc}", err=True)
            raise typer.Exit(2) from None

    parse.bounded_date = True  # type: ignore[attr-defined]  # what tests/core/test_inputs.py looks for
    return parse


def _iso_date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{str(value)!r} is not a date (YYYY-MM-DD)") from None


DATE_METAVAR = "YYYY-MM-DD"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_nul(v) for v in value)
    return False


class InputModel(BaseModel):
    """Base of request bodies: unknown fields and NUL characters are refused (422).

    Nested models check their own fields when they derive from this class too; the check also
    walks plain lists and dicts of strings.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("text must not contain NUL (U+0000) characters")
        return value
