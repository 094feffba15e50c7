"""Official working days, from the ``holidays`` library — never from a hand-written list.

Legal deadlines in the CN regime run in working days (DUR Art. 17: 45 working days; Art. 18:
20). A Chinese working day is not simply Monday to Friday: the State Council publishes, late
each year, the next year's arrangement, which moves some weekends into working days
(``weekend_workdays``, e.g. Saturday 2026-02-14) and some weekdays into days off.

The library only knows that arrangement up to the last year it has been told about
(:attr:`WorkingCalendar.official_through`). For later years it still knows the fixed public
holidays but not the swapped days, so any answer touching such a year carries a caveat.
Dates outside the years the library covers at all are refused rather than answered wrongly.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache

import holidays

_ONE_DAY = dt.timedelta(days=1)
#: Most answers of each kind remembered per calendar (a queue of 10,000 open cases asks about
#: a few thousand distinct pairs of days; the bound keeps a long-running process small).
_MEMO = 200_000


class WorkingCalendar:
    """Working days of one country's official calendar."""

    def __init__(self, country: str):
        try:
            self._holidays = holidays.country_holidays(country)
        except NotImplementedError as exc:
            raise ValueError(f"no holiday calendar for country {country!r}") from exc
        self.country = country
        cls = type(self._holidays)
        self._first_year: int = getattr(cls, "start_year", dt.MINYEAR)
        self._last_year: int = getattr(cls, "end_year", dt.MAXYEAR)
        # The library fills years lazily; one lock keeps a shared (cached) calendar thread-safe.
        self._lock = threading.Lock()
        # Answers already given: the officers' queue asks about the same few hundred days a
        # million times (45 working days for each of thousands of open cases), and the
        # library's lookup is the slow part. A day's answer never changes within a process.
        self._known: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._between: dict[tuple[dt.date, dt.date], int] = {}
        special = getattr(self._holidays, "special_public_holidays", None) or {}
        years = [y for y in special if isinstance(y, int)]
        #: First and last year whose official arrangement (adjusted days) the library knows.
        self.official_from: int | None = min(years) if years else None
        self.official_through: int | None = max(years) if years else None

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.country!r}, official_through={self.official_through})"

    def _check(self, d: dt.date) -> None:
        if not self._first_year <= d.year <= self._last_year:
            raise ValueError(
                f"{d.isoformat()} is outside the years the {self.country} calendar covers "
                f"({self._first_year}–{self._last_year})"
            )

    def is_working_day(self, d: dt.date) -> bool:
        known = self._known.get(d)
        if known is not None:
            return known
        self._check(d)
        with self._lock:
            known = self._known[d] = self._holidays.is_working_day(d)
        return known

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself is not counted); n=0 gives start."""
        if n < 0:
            raise ValueError("the number of working days must be 0 or more")
        done = self._added.get((start, n))
        if done is not None:
            return done
        d = start
        self._check(d)
        left = n
        while left:
            d += _ONE_DAY
            if self.is_working_day(d):
                left -= 1
        if len(self._added) < _MEMO:
            self._added[(start, n)] = d
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: 0 when end <= start."""
        if end <= start:
            return 0
        done = self._between.get((start, end))
        if done is not None:
            return done
        self._check(start)
        self._check(end)
        count, d = 0, start
        while d < end:
            d += _ONE_DAY
            count += self.is_working_day(d)
        if len(self._between) < _MEMO:
            self._between[(start, end)] = count
        return count

    def caveat(self, *dates: dt.date) -> str | None:
        """A sentence when any date falls in a year without a known official arrangement."""
        if self.official_through is None:
            return (
                f"The {self.country} calendar has no official arrangement of adjusted working days; "
                "only weekends and fixed public holidays were counted."
            )
        late = sorted({d.year for d in dates if d.year > self.official_through})
        early = sorted({d.year for d in dates if self.official_from is not None and d.year < self.official_from})
        if not late and not early:
            return None
        years = ", ".join(str(y) for y in early + late)
        return (
            f"The official {self.country} holiday arrangement is known only for "
            f"{self.official_from}–{self.official_through}; for {years} only weekends and fixed public "
            "holidays were counted, and the date may move once the official arrangement is published."
        )


@lru_cache
def calendar_for(country: str) -> WorkingCalendar:
    """The shared calendar of one country."""
    return WorkingCalendar(country)
