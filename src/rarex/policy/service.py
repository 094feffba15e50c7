"""The policy pack as other packages see it: the loaded pack, classification, control list, deadlines.

Packs are read once per process and cached (they are package data, not database rows); every
answer is for a date, defaulting to today in the pack's time zone. A rule elsewhere in rarex
asks this module, never hard-codes a code, a date or a number of days.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from rarex.core.calendar import calendar_for
from rarex.core.settings import get_settings
from rarex.policy.classify import Classification, classify
from rarex.policy.loader import PACKS_DIR, PackError, load_pack
from rarex.policy.models import (
    ClockStopKind,
    Condition,
    ControlEntry,
    Deadlines,
    DocumentType,
    LicenceType,
    NoDeadlineCase,
    Pack,
)
from rarex.policy.schemas import ControlListOut, DeadlineOut, EntryOut, LicenceTypeOut, NotInForceOut

__all__ = [
    "Classification", "ClockStopKind", "Condition", "ControlEntry", "Deadlines", "DocumentType", "LicenceType",
    "NoDeadlineCase", "Pack", "PackError", "classify", "control_list", "deadline", "get_pack", "licence_types",
    "load_pack",
]


def get_pack(name: str | None = None) -> Pack:
    """The named pack (default: settings.policy_pack), loaded once per process."""
    return _cached(name or get_settings().policy_pack)


@lru_cache
def _cached(name: str) -> Pack:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", name):
        raise PackError([f"{name!r} is not a policy pack name"])
    pack = load_pack(PACKS_DIR / name)
    if pack.id != name:
        raise PackError([f"pack.yaml:1: id: {pack.id!r} differs from the pack's directory name {name!r}"])
    return pack


def control_list(pack: Pack, on: dt.date) -> ControlListOut:
    """Entries in force on ``on`` and, separately, those that are not, with why."""
    in_force, not_in_force = [], []
    for e in pack.entries:
        st = pack.status(e, on)
        if st.in_force:
            in_force.append(EntryOut.of(pack, e))
        else:
            not_in_force.append(NotInForceOut.of_status(pack, e, st))
    return ControlListOut(
        pack=pack.id, on=on, pack_reviewed_until=pack.reviewed_until, caveat=pack.caveat(on),
        entries=in_force, not_in_force=not_in_force,
    )


def licence_types(pack: Pack) -> list[LicenceTypeOut]:
    return [LicenceTypeOut.of(pack, code) for code in pack.licence_types]


def deadline(pack: Pack, start: dt.date, working_days: int) -> DeadlineOut:
    """The date ``working_days`` official working days after ``start`` in the pack's calendar.

    Raises ValueError for a negative count or dates the calendar cannot cover.
    """
    cal = calendar_for(pack.calendar)
    end = cal.add_working_days(start, working_days)
    return DeadlineOut(deadline=end, from_=start, working_days=working_days, calendar=cal.country, caveat=cal.caveat(start, end))
