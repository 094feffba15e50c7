"""One record of a list file as rarex keeps it, whatever format it came in.

Every parser hands its fields to :func:`build` as lists of strings and gets back either a
:class:`ParsedEntity` or a :class:`RowError` with the reason, so a record is checked the same
way in every format: values stripped, empties and duplicates dropped, lengths within what the
columns hold, countries made ISO 3166-1 alpha-2 in lower case, dates made dates. A record
that fails a check is refused whole rather than imported with a field dropped: a screening
list that silently lost a country or an alias would match differently from the list its
publisher issued, and nobody would know.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

#: The longest value each field may hold (the column sizes of ListEntity for the scalar ones).
LIMITS = {"entity_id": 200, "schema": 40, "name": 1000, "aliases": 1000, "programs": 1000, "identifiers": 200,
          "addresses": 1000}
DEFAULT_SCHEMA = "LegalEntity"


@dataclass(frozen=True, slots=True)
class ParsedEntity:
    row: int  # the line of the file the record starts on (a CSV header is line 1)
    entity_id: str
    schema: str
    name: str
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    listed_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    reason: str
    entity_id: str | None = None

    def as_dict(self) -> dict:
        out: dict = {"row": self.row, "reason": self.reason}
        if self.entity_id:
            out["id"] = self.entity_id
        return out


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is not a party (a FollowTheMoney Sanction, Address, ...) or not itself listed."""

    row: int
    what: str  # "schema Sanction", "not a target": what the import summary counts


class Refused(ValueError):
    """A value a record cannot be imported with; its message is the row error's reason."""


def clean(values: Iterable[str], field: str) -> list[str]:
    """Stripped, non-empty, first occurrence only, each within the field's limit."""
    out: list[str] = []
    for value in values:
        value = value.strip()
        if not value or value in out:
            continue
        if "\x00" in value:
            raise Refused(f"{field} contains a NUL character (U+0000)")
        if len(value) > LIMITS[field]:
            raise Refused(f"{field} value is {len(value)} characters long; at most {LIMITS[field]} are allowed")
        out.append(value)
    return out


# --- countries -------------------------------------------------------------------------------

#: Not a country: FollowTheMoney's and CLDR's code for an unknown or global territory.
NO_COUNTRY = "zz"


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Lower-cased codes and names -> ISO 3166-1 alpha-2, lower case.

    pycountry gives the ISO codes and English names; Babel (CLDR) adds the names people write
    ("Russia", "North Korea"), Chinese names in both scripts ("美国", "俄羅斯", as Chinese
    government lists give them), and the codes ISO reserves for use outside the standard that
    sanctions lists use (XK Kosovo, EU European Union). pycountry's historic countries map their
    ISO 3166-3 codes (SUHH, as FollowTheMoney writes the Soviet Union) to their former alpha-2.
    """
    import pycountry
    from babel import Locale

    index: dict[str, str] = {}
    for locale in ("en", "zh", "zh_Hant"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                index[code.lower()] = index[name.lower()] = code.lower()
    for c in pycountry.historic_countries:
        index[c.alpha_4.lower()] = index[c.alpha_3.lower()] = c.alpha_2.lower()
    for c in pycountry.countries:
        code = c.alpha_2.lower()
        for key in (c.alpha_2, c.alpha_3, c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if key:
                index[key.lower()] = code
    return index


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 in lower case for a code or name; ``None`` for "no country" (ZZ).

    FollowTheMoney's codes of territories within a state (``ua-cri`` for Crimea, ``ge-ab``)
    become the state's code, as do ISO 3166-2 subdivision codes (``CN-XJ``).
    """
    key = value.strip().lower()
    index = _country_index()
    code = index.get(key)
    if code is None and "-" in key:
        code = index.get(key.split("-", 1)[0]) if len(key.split("-", 1)[0]) == 2 else None
    if code is None:
        raise Refused(f"country {value!r} is not an ISO 3166 country code or a country name")
    return None if code == NO_COUNTRY else code


def countries(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value.strip() and (code := country_code(value)) and code not in out:
            out.append(code)
    return out


# --- dates -----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.+\-Z]*)?")


def parse_date(value: str, field: str) -> dt.date:
    """An ISO 8601 date, or a time stamp's date; a year or year-month stands for its first day,
    as FollowTheMoney reads such partial dates."""
    m = _DATE.fullmatch(value.strip())
    try:
        if not m:
            raise ValueError
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise Refused(f"{field} {value!r} is not a date (YYYY-MM-DD)") from None


def earliest_date(values: Iterable[str], field: str) -> dt.date | None:
    dates = [parse_date(v, field) for v in values if v.strip()]
    return min(dates) if dates else None


# --- the record ------------------------------------------------------------------------------


def build(row: int, *, entity_id: str, schema: str, names: list[str], aliases: Iterable[str] = (),
          countries_: Iterable[str] = (), programs: Iterable[str] = (), identifiers: Iterable[str] = (),
          addresses: Iterable[str] = (), dates: Iterable[str] = (), date_field: str = "listed_on") -> ParsedEntity | RowError:
    """Check and clean one record's fields. ``names[0]`` is the entity's name; other names join
    its aliases."""
    entity_id = entity_id.strip()
    try:
        if not entity_id:
            raise Refused("missing id")
        ids = clean([entity_id], "entity_id")
        kind = clean([schema], "schema") or [DEFAULT_SCHEMA]
        all_names = clean(names, "name")
        if not all_names:
            raise Refused("missing name")
        other_names = clean([*all_names[1:], *aliases], "aliases")
        return ParsedEntity(
            row=row, entity_id=ids[0], schema=kind[0], name=all_names[0],
            aliases=tuple(a for a in other_names if a != all_names[0]),
            countries=tuple(countries(countries_)),
            programs=tuple(clean(programs, "programs")),
            identifiers=tuple(clean(identifiers, "identifiers")),
            addresses=tuple(clean(addresses, "addresses")),
            listed_on=earliest_date(dates, date_field),
        )
    except Refused as exc:
        shown = entity_id[:LIMITS["entity_id"]] if "\x00" not in entity_id else None  # a NUL cannot be stored
        return RowError(row, str(exc), shown or None)
