"""Dates of the demo history, all relative to the day it is loaded.

The history covers about twenty months up to ``today`` but never starts before the items it
uses came under control (MOFCOM/GAC Ann. 2025 No. 18, in force 2025-04-04, read from the
pack): loaded in December 2026 it starts in April 2025 and its first months follow the 2025
export figures; loaded in 2030 it is simply the last twenty months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rarex.core.calendar import WorkingCalendar
from rarex.policy.models import _add_months

#: Months of history up to the day of loading.
HISTORY_MONTHS = 20
#: Submissions per month from the start of the history, by month index. The first nine are
#: shaped like the 2025 export volumes after No. 18 took effect (FACTS.md section 5: a dip in
#: May, a rise through the summer, easing in December); after that the figures run out and the
#: level holds near the late-2025 one.
SHAPE = [24, 22, 34, 40, 38, 40, 36, 36, 30]
PLATEAU = [32, 30, 35, 34, 36, 33, 31, 35, 34, 36, 33]
#: The first general licences for rare-earth items were reported around 2 December 2025
#: (FACTS.md section 4); none is granted in the demo before that day.
FIRST_GENERAL_LICENCES = dt.date(2025, 12, 2)


def at(day: dt.date, tz, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment of ``day`` in the regime's time zone, in UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz).astimezone(dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same calendar day ``months`` later (or earlier, with a negative count)."""
    return _add_months(day, months)


def working_days_back(cal: WorkingCalendar, today: dt.date, n: int) -> dt.date:
    """The n-th working day before ``today`` (n=0: today itself)."""
    d = today
    while n:
        d -= dt.timedelta(days=1)
        if cal.is_working_day(d):
            n -= 1
    return d


def next_working_day(cal: WorkingCalendar, day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the next one."""
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def history_start(today: dt.date, controlled_from: dt.date) -> dt.date:
    return max(add_months(today, -HISTORY_MONTHS), controlled_from)


@dataclass(frozen=True)
class Month:
    index: int
    first: dt.date
    last: dt.date  # inclusive
    submissions: int


def months(start: dt.date, today: dt.date, scale: float = 1.0) -> list[Month]:
    """The history's months from ``start`` to the day before ``today``, each with how many
    applications were submitted in it (a month cut short gets its share)."""
    out: list[Month] = []
    k, first = 0, start
    end = today - dt.timedelta(days=1)
    while first <= end:
        nxt = add_months(start, k + 1)
        last = min(nxt - dt.timedelta(days=1), end)
        level = SHAPE[k] if k < len(SHAPE) else PLATEAU[(k - len(SHAPE)) % len(PLATEAU)]
        share = ((last - first).days + 1) / (nxt - first).days
        out.append(Month(k, first, last, max(1, round(level * share * scale))))
        k, first = k + 1, nxt
    return out


def first_general_grant(first_grant: dt.date, start: dt.date) -> dt.date:
    """The grant day of a holder's general licence in force when the history starts: an
    anniversary of its first licence (``first_grant``), or that first one if it came later."""
    grant = first_grant
    while add_months(grant, 12) <= start:
        grant = add_months(grant, 12)
    return grant
