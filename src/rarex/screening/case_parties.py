"""The parties an application names, as screening and eligibility both read them.

Screening screens them on submission (:mod:`rarex.screening.cases`) and eligibility checks them
against the watch list (:mod:`rarex.eligibility.service`). The function lives in screening,
the lower of the two domains, so that eligibility builds on screening and never the other way.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rarex.parties.versions import PartyView, Ref, resolve


def application_parties(session: Session, app) -> list[tuple[str, PartyView]]:
    """The consignee and every end user an application names, each once, in the order named,
    as the version the case froze on submission (the newest version while it is a draft)."""
    refs: list[tuple[str, Ref]] = []
    if app.consignee_id:
        refs.append(("consignee", (app.consignee_id, app.consignee_version_id)))
    named = [(app.end_user_id, app.end_user_version_id),
             *((i.end_user_id, i.end_user_version_id) for i in app.items)]
    for ref in named:
        if ref[0] and ref[0] not in {r[0] for role, r in refs if role == "end_user"}:
            refs.append(("end_user", ref))
    found = resolve(session, (r for _, r in refs))
    return [(role, found[r]) for role, r in refs if r in found]
