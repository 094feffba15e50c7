"""The demo's fictional restricted-party list, and how its officers resolved the hits it gave.

A few entries resemble the demo's end users (src/rarex/demo/data.py) without being them, so
screening raises alerts an officer must look at and clear; one is an end user under another
spelling, and its alerts are confirmed. The list is imported before any application, since
every application is screened when it is submitted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.screening import cases
from rarex.screening.list_import import import_list
from rarex.screening.models import HitStatus

FILE = Path(__file__).with_name("restricted_parties.ftm.jsonl")
LIST_NAME = "demo-restricted-parties"
#: The entry for the end user Morava Laser Optics s.r.o. It is on a watch list: a confirmed match
#: calls for a closer look at the end use, not a refusal.
SAME_AS_DEMO_PARTY = "demo-rp-037"


def import_demo_list(session: Session, actor: Principal) -> None:
    import_list(session, actor, FILE, list_name=LIST_NAME, format="ftm", title="Demo restricted parties (fictional)",
                publisher="rarex demo data")


def clear_hits(session: Session, officer: Principal, app_id: int, at: dt.datetime) -> None:
    """Resolve a case's open screening hits as its officer did before accepting it."""
    for hit in cases.list_hits(session, officer, application_id=app_id, status=HitStatus.open):
        if hit.entity_id == SAME_AS_DEMO_PARTY:
            cases.resolve(session, officer, hit.id, HitStatus.confirmed, "Same company: name, Olomouc address and "
                          "laser-optics business agree. Watch list: end use verified with the end-use certificate.", at=at)
        else:
            cases.resolve(session, officer, hit.id, HitStatus.false_positive, f"Not the listed company: {hit.query} "
                          f"differs from {hit.entity_name} in name, country or business.", at=at)
