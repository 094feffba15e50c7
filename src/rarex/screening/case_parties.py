"""The parties an application names, as screening and eligibility both read them.

Screening screens them on submission (:mod:`rarex.screening.cases`) and eligibility checks them
against the watch list (:mod:`rarex.eligibility.service`). The function lives in screening,
the lower of the two domains, so that eligibility builds on screening and never the other way.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.parties.models import Party


def application_parties(session: Session, app) -> list[tuple[str, Party]]:
    """The consignee and every end user an application names, each once, in the order named."""
    ids: list[tuple[str, int]] = []
    if app.consignee_id:
        ids.append(("consignee", app.consignee_id))
    for pid in [app.end_user_id, *(i.end_user_id for i in app.items)]:
        if pid and ("end_user", pid) not in ids:
            ids.append(("end_user", pid))
    found = {p.id: p for p in session.execute(select(Party).where(Party.id.in_({pid for _, pid in ids}))).scalars()} if ids else {}
    return [(role, found[pid]) for role, pid in ids if pid in found]
