"""Exclusion revokes general licences (DUR Art. 20 para. 2).

When a fact is recorded that may bring a holder under an Art. 20 exclusion (a criminal or
serious administrative penalty, a stated tie to a foreign control-list party), the holder is
judged again against the exclusions of every licence type it holds a live licence of, as the
pack lists them (licence_types.yaml, conditions of kind ``exclusion`` about the exporter) and
as :mod:`rarex.eligibility` evaluates them. For each exclusion that has arisen, every live
licence of a type it rules out (general licences and registrations; an individual licence's
type has no exclusions) is suspended at once, in the recording transaction, on the pack ground
that stands for the condition (grounds.yaml ``exclusion_conditions``), so customs is refused
from that moment; and a revocation on that ground is proposed, to be signed by a senior
officer (:func:`rarex.licences.service.sign_revocation`).

Parties sits below licences: it calls :func:`rarex.parties.hooks.exclusion_fact_recorded`,
and this module registers :func:`on_exclusion_fact` there when it is imported.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.core.db import utcnow
from rarex.eligibility.schemas import ConditionStatus
from rarex.eligibility.service import evaluate
from rarex.licences import hooks as licence_hooks
from rarex.licences.flows import LICENCE
from rarex.licences.models import Licence
from rarex.licences.models import LicenceStatus as L
from rarex.licences.service import _event
from rarex.parties import hooks as party_hooks
from rarex.parties.models import Organisation
from rarex.policy.service import get_pack

#: Statuses an exclusion reaches: those a suspension starts from, and suspended ones (whose
#: revocation is still proposed).
REACHED = LICENCE.table["suspend"].sources | {L.suspended}


def on_exclusion_fact(session: Session, actor: Principal, org_id: int, what: str,
                      at: dt.datetime | None = None) -> list[Licence]:
    """Suspend and propose the revocation of every licence an exclusion now rules out; return them."""
    pack = get_pack()
    now = at or utcnow()
    today = now.astimezone(pack.tz).date()
    lics = list(session.execute(
        select(Licence).where(Licence.org_id == org_id, Licence.status.in_(list(REACHED)))
        .order_by(Licence.id).with_for_update()
    ).scalars())
    types = {lic.licence_type for lic in lics if pack.licence_types.get(lic.licence_type)
             and pack.exclusions(lic.licence_type)}
    if not types:
        return []
    org = session.get_one(Organisation, org_id)
    arisen: dict[str, list] = {}
    for lt in types:
        result = evaluate(session, org, lt, today, pack=pack)
        arisen[lt] = [c for c in result.conditions
                      if c.kind == "exclusion" and c.subject == "exporter" and c.status == ConditionStatus.not_met]
    touched = []
    for lic in lics:
        found = arisen.get(lic.licence_type)
        if not found or lic.revocation_pending:
            continue
        cond = found[0]
        ground = pack.exclusion_ground(cond.code)
        if ground is None:  # the loader makes every exporter exclusion a ground's; a pack that does not is refused
            raise RuntimeError(f"pack {pack.id} has no ground for exclusion condition {cond.code}")
        reason = (f"{cond.label_en} ({cond.legal_ref}): {cond.reason}. Arose when {what}; a holder that falls under "
                  f"an exclusion loses its general licences and registrations ({ground.legal_ref})")
        cited = {"ground": ground.code, "ground_label": ground.label_en, "legal_ref": ground.legal_ref,
                 "condition": cond.code, "condition_legal_ref": cond.legal_ref}
        if lic.status != L.suspended:
            before = lic.status
            lic.status, lic.suspended_at = L.suspended, now
            lic.status_reason, lic.status_ground = reason, ground.code
            session.flush()
            _event(session, actor, lic, "licence.suspended", before={"status": before},
                   after={"status": lic.status, **cited}, reason=reason)
            if before == L.under_amendment:
                licence_hooks.lapse_amendment(session, actor, lic, f"licence suspended: {reason}", now)
        lic.revocation_proposed_at, lic.revocation_ground, lic.revocation_reason = now, ground.code, reason
        session.flush()
        _event(session, actor, lic, "licence.revocation_proposed", after={"status": lic.status, **cited,
                                                                          "awaits": "a senior officer's signature"},
               reason=reason)
        touched.append(lic)
    return touched


party_hooks.on_exclusion_fact(on_exclusion_fact)
