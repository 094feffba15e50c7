"""Verified compliance facts: what the exporter states, and what an officer has checked.

General-licence eligibility (:mod:`rarex.eligibility.service`) rests on facts of the compliance
profile that the exporter itself writes: that it runs an internal compliance programme and when
it was last audited, how many years it has exported, that its channels are stable, that it is
not a branch of a foreign control-list party. Were the statement enough, an exporter could make
itself eligible by editing its own profile. So an officer verifies the facts (against the audit
report, past licences, the statement on export channels), and the profile keeps the values as
verified: a fact whose value differs from them, because the exporter or anyone changed it since,
is the exporter's statement only, and eligibility says so.

Violations are not among these facts: they are recorded by the ministry (``violation.record``),
never stated by the exporter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, require
from rarex.core.db import utcnow
from rarex.core.errors import Conflict, InvalidInput
from rarex.parties.models import VERIFIED_FACTS, ComplianceProfile
from rarex.parties.schemas import TEXT_MAX
from rarex.parties.service import get_organisation, profile_of


def verify_profile(session: Session, actor: Principal, org_id: int, *, note: str = "",
                   expected: dict[str, Any] | None = None) -> ComplianceProfile:
    """Record that an officer has verified the profile's facts as they stand, with who and when.

    ``expected`` holds the values the officer checked (any of :data:`VERIFIED_FACTS`): if the
    profile says otherwise now (the exporter changed it meanwhile), nothing is verified (409).
    """
    require(actor, "compliance_profile.verify")
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise InvalidInput(f"note is {len(note)} characters long; at most {TEXT_MAX} are allowed", field="note")
    unknown = sorted(set(expected or {}) - set(VERIFIED_FACTS))
    if unknown:
        raise InvalidInput(f"not a verified fact: {', '.join(unknown)}; one of {', '.join(VERIFIED_FACTS)}", field="values")
    org = get_organisation(session, actor, org_id)
    profile = profile_of(session, org)
    session.refresh(profile, with_for_update=True)  # what the row says under the lock
    values = profile.fact_values()
    changed = {f: {"expected": v, "now": values[f]} for f, v in (expected or {}).items() if values[f] != v}
    if changed:
        raise Conflict("the compliance profile changed since it was checked: "
                       + "; ".join(f"{f} is {c['now']!r}, not {c['expected']!r}" for f, c in changed.items())
                       + "; read it again and verify what it says now", slug="profile-changed", changed=changed)
    before = {"verified_values": profile.verified_values or {}, "unverified": profile.unverified}
    profile.verified_values = values
    profile.verified_at = utcnow()
    profile.verified_by = actor.user_id
    profile.verified_by_name = actor.username
    session.flush()
    audit.record(session, type="compliance_profile.verified", actor=actor, subject_type="organisation",
                 subject_id=org.id, before=before, after={"verified_values": values, "note": note})
    return profile
