"""The rules for exporters (organisations), their compliance profiles and violations, and the
foreign parties each exporter keeps on file.

Every function takes the caller's :class:`Principal`, checks it through :mod:`rarex.core.authz`
and never commits. Every change writes one audit event in the caller's transaction, with only
the fields that changed in ``before``/``after``. Events about an organisation, its profile
and its violations share the stream ``organisation:<id>``, so one stream tells an auditor (and
the general-licence eligibility check) the exporter's whole history; each party has its own
stream ``party:<id>``.

Input is validated here, not only in the API's schemas, because the CLI and other services
call these functions directly. Bad input raises :class:`InvalidInput` before anything is
written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import pycountry
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from rarex.core import audit
from rarex.core.authz import Principal, ensure_visible, require, scope
from rarex.core.db import MAX_ROW_ID
from rarex.core.errors import Conflict, InvalidInput, NotFound
from rarex.parties import hooks
from rarex.parties.models import ComplianceProfile, Organisation, Party, PartyVersion, Violation
from rarex.parties.schemas import (
    EMAIL_MAX,
    LEGAL_REF_MAX,
    NAME_MAX,
    PARTY_NAME_MAX,
    PHONE_MAX,
    TEXT_MAX,
    URL_MAX,
    ViolationKind,
)
from rarex.parties.versions import add_version, list_versions
from rarex.policy.service import get_pack

#: The exporting country (organisations are identified by Chinese credit codes): a party there
#: is not a foreign consignee or end user.
HOME_COUNTRY = "CN"
#: Ids are INTEGER columns: 32-bit on PostgreSQL.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def regime_today() -> dt.date:
    """Today where the regime sits (the policy pack's time zone), not in UTC: legal dates such
    as a penalty decision or an ICP audit are dates there, and at 07:00 in Beijing it is still
    yesterday in UTC."""
    return get_pack().today()


# --- field checks ----------------------------------------------------------------------------


def _text(value: Any, field: str, max_len: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field} is required and may not be blank", field=field)
    if len(value) > max_len:
        raise InvalidInput(f"{field} is {len(value)} characters long; at most {max_len} are allowed", field=field)
    return value


def _email(value: Any) -> str:
    value = _text(value, "contact_email", EMAIL_MAX)
    if value and not _EMAIL.match(value):
        raise InvalidInput(f"contact_email {value!r} is not an e-mail address", field="contact_email")
    return value


def _website(value: Any) -> str:
    value = _text(value, "website", URL_MAX)
    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput(f"website {value!r} must be an http:// or https:// address", field="website")
    return value


def _past_date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    """A legal date that has already happened (in the regime's time zone)."""
    if value is None:
        if required:
            raise InvalidInput(f"{field} is required", field=field)
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{field} {value!r} is not a date (YYYY-MM-DD)", field=field) from None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD)", field=field)
    if value > regime_today():
        raise InvalidInput(f"{field} {value.isoformat()} is in the future", field=field)
    return value


def _int(value: Any, field: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(f"{field} must be a whole number from {lo} to {hi}", field=field)
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false", field=field)
    return value


def _optional_bool(value: Any, field: str) -> bool | None:
    """true, false, or None for "not stated" (a question the exporter has not answered yet)."""
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true, false or null (not stated)", field=field)
    return value


def normalise_uscc(value: str) -> str:
    """Return the code compact and upper-case, or say exactly what is wrong with it."""
    if not isinstance(value, str):
        raise InvalidInput("uscc must be text", field="uscc")
    try:
        return stdnum_uscc.validate(value)
    except InvalidLength:
        n = len(stdnum_uscc.compact(value))
        raise InvalidInput(f"unified social credit code {value!r} has {n} characters; it must have 18", field="uscc") from None
    except InvalidChecksum:
        raise InvalidInput(f"unified social credit code {value!r} has a wrong check digit", field="uscc") from None
    except ValidationError:
        raise InvalidInput(
            f"unified social credit code {value!r} has an invalid format: 8 digits, then 10 digits or capital "
            "letters other than I, O, S, V and Z",
            field="uscc",
        ) from None


def normalise_country(value: Any, field: str = "country") -> str:
    """ISO 3166-1 alpha-2 from an alpha-2 or alpha-3 code in any case; unknown is 422."""
    code = value.strip().upper() if isinstance(value, str) else ""
    country = None
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise InvalidInput(f"{field} {value!r} is not an ISO 3166-1 country code (e.g. DE or DEU)", field=field)
    return country.alpha_2


def _foreign_country(value: Any) -> str:
    code = normalise_country(value)
    if code == HOME_COUNTRY:
        raise InvalidInput("country CN is China itself; a party here is a foreign consignee or end user", field="country")
    return code


def _clean(changes: dict[str, Any], cleaners: dict[str, Callable[[Any], Any]], what: str) -> dict[str, Any]:
    unknown = changes.keys() - cleaners.keys()
    if unknown:
        raise InvalidInput(f"{', '.join(sorted(unknown))} of a {what} cannot be set here", field=sorted(unknown)[0])
    return {k: cleaners[k](v) for k, v in changes.items()}


def apply_changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the values that differ; return (before, after) of just those fields."""
    before, after = {}, {}
    for k, v in values.items():
        if getattr(obj, k) != v:
            before[k], after[k] = getattr(obj, k), v
            setattr(obj, k, v)
    return before, after


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# --- organisations ---------------------------------------------------------------------------

ORG_CONTACT: dict[str, Callable[[Any], Any]] = {
    "address": lambda v: _text(v, "address", TEXT_MAX),
    "contact_name": lambda v: _text(v, "contact_name", NAME_MAX),
    "contact_email": _email,
    "contact_phone": lambda v: _text(v, "contact_phone", PHONE_MAX),
}
ORG_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name_zh": lambda v: _text(v, "name_zh", NAME_MAX, required=True),
    "name_en": lambda v: _text(v, "name_en", NAME_MAX, required=True),
    "uscc": normalise_uscc,
    **ORG_CONTACT,
}
#: The safe defaults: a new exporter claims nothing that would make it eligible for a general licence.
PROFILE_DEFAULTS: dict[str, Any] = dict(
    has_icp=False, icp_established_on=None, icp_last_audit_on=None, export_experience_years=0,
    briefings_attended=0, last_briefing_on=None, stable_channels=False, foreign_control_list_affiliate=None, notes="",
)


def create_organisation(session: Session, actor: Principal, **fields: Any) -> Organisation:
    """Register an exporter (admin) with a default compliance profile.

    Fields: ``name_zh``, ``name_en``, ``uscc`` (required); ``address``, ``contact_name``,
    ``contact_email``, ``contact_phone``.
    """
    require(actor, "organisation.create")
    for required in ("name_zh", "name_en", "uscc"):
        fields.setdefault(required, "")
    values = _clean(fields, ORG_FIELDS, "organisation")
    org = Organisation(**{**dict.fromkeys(ORG_CONTACT, ""), **values})
    org.profile = ComplianceProfile(**PROFILE_DEFAULTS)
    try:
        # The unique index decides, not a prior SELECT: two admins registering the same code at
        # once both pass a SELECT. The savepoint keeps the caller's transaction usable.
        with session.begin_nested():
            session.add(org)
            session.flush()
    except IntegrityError:
        raise Conflict(f"an organisation with unified social credit code {values['uscc']} already exists", field="uscc") from None
    audit.record(
        session, type="organisation.created", actor=actor, subject_type="organisation", subject_id=org.id,
        after={**_snapshot(org, ORG_FIELDS), "profile": PROFILE_DEFAULTS},
    )
    return org


def get_organisation(session: Session, actor: Principal, org_id: int) -> Organisation:
    require(actor, "organisation.read")
    return _visible_org(session, actor, org_id)


def _visible_org(session: Session, actor: Principal, org_id: int) -> Organisation:
    # Same detail for "another exporter's" and "no such" organisation, so ids cannot be probed.
    ensure_visible(actor, org_id, f"organisation {org_id}")
    org = session.get(Organisation, org_id) if 0 < org_id <= MAX_ROW_ID else None
    if org is None:
        raise NotFound(f"organisation {org_id} not found")
    return org


def find_organisation(session: Session, actor: Principal, ref: str) -> Organisation:
    """Look an organisation up by id or by unified social credit code (CLI arguments)."""
    require(actor, "organisation.read")
    ref = ref.strip()
    compact = stdnum_uscc.compact(ref)
    if len(compact) == 18:
        stmt = scope(select(Organisation).where(Organisation.uscc == compact), actor, Organisation.id)
        org = session.execute(stmt).scalar_one_or_none()
        if org is None:
            raise NotFound(f"organisation {ref} not found")
        return org
    if ref.isdigit() and len(ref) < 10:
        return _visible_org(session, actor, int(ref))
    raise InvalidInput(f"{ref!r} is neither an organisation id nor an 18-character unified social credit code")


def list_organisations(session: Session, actor: Principal) -> list[Organisation]:
    require(actor, "organisation.read")
    stmt = scope(select(Organisation).order_by(Organisation.id), actor, Organisation.id)
    return list(session.execute(stmt).scalars())


def update_organisation(session: Session, actor: Principal, org_id: int, **changes: Any) -> Organisation:
    """Change address and contact details (the exporter itself, or an admin); names and code are fixed."""
    require(actor, "organisation.update")
    org = _visible_org(session, actor, org_id)
    before, after = apply_changes(org, _clean(changes, ORG_CONTACT, "organisation"))
    if after:
        audit.record(session, type="organisation.updated", actor=actor, subject_type="organisation",
                     subject_id=org.id, before=before, after=after)
    session.flush()
    return org


# --- compliance profile ----------------------------------------------------------------------

PROFILE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "has_icp": lambda v: _bool(v, "has_icp"),
    "icp_established_on": lambda v: _past_date(v, "icp_established_on"),
    "icp_last_audit_on": lambda v: _past_date(v, "icp_last_audit_on"),
    "export_experience_years": lambda v: _int(v, "export_experience_years", 0, 100),
    "briefings_attended": lambda v: _int(v, "briefings_attended", 0, 10_000),
    "last_briefing_on": lambda v: _past_date(v, "last_briefing_on"),
    "stable_channels": lambda v: _bool(v, "stable_channels"),
    "foreign_control_list_affiliate": lambda v: _optional_bool(v, "foreign_control_list_affiliate"),
    "notes": lambda v: _text(v, "notes", TEXT_MAX),
}


def get_compliance_profile(session: Session, actor: Principal, org_id: int) -> ComplianceProfile:
    return profile_of(session, get_organisation(session, actor, org_id))


def profile_of(session: Session, org: Organisation) -> ComplianceProfile:
    """The organisation's profile; no access check (callers have done theirs)."""
    if org.profile is None:  # an organisation inserted without one (e.g. by hand) gets the defaults
        org.profile = ComplianceProfile(**PROFILE_DEFAULTS)
        session.flush()
    return org.profile


def update_compliance_profile(session: Session, actor: Principal, org_id: int, **changes: Any) -> ComplianceProfile:
    """Change the given profile fields (the exporter itself, or an admin); the API's PUT sends all."""
    require(actor, "organisation.update")
    org = _visible_org(session, actor, org_id)
    profile = profile_of(session, org)
    values = _clean(changes, PROFILE_FIELDS, "compliance profile")
    merged = {**_snapshot(profile, PROFILE_FIELDS), **values}
    established, audited = merged["icp_established_on"], merged["icp_last_audit_on"]
    if established and audited and audited < established:
        raise InvalidInput("icp_last_audit_on is before icp_established_on", field="icp_last_audit_on")
    if merged["last_briefing_on"] and merged["briefings_attended"] == 0:
        raise InvalidInput("last_briefing_on is set but briefings_attended is 0", field="briefings_attended")
    before, after = apply_changes(profile, values)
    if after:
        audit.record(session, type="compliance_profile.updated", actor=actor, subject_type="organisation",
                     subject_id=org.id, before=before, after=after)
    session.flush()
    if after.get("foreign_control_list_affiliate"):
        hooks.exclusion_fact_recorded(session, actor, org.id, "the compliance profile now states a tie to a foreign "
                                                              "control-list party")
    return profile


# --- violations ------------------------------------------------------------------------------


def _kind(value: Any) -> ViolationKind:
    try:
        return ViolationKind(value)
    except ValueError:
        raise InvalidInput(f"kind {value!r} is not one of {', '.join(k.value for k in ViolationKind)}", field="kind") from None


def record_violation(
    session: Session, actor: Principal, org_id: int, *, kind: ViolationKind | str, decided_on: dt.date | str,
    description: str, legal_ref: str = "",
) -> Violation:
    """Record a past penalty (admin only): it bears on general-licence eligibility (DUR Art. 20)."""
    require(actor, "violation.record")
    org = _visible_org(session, actor, org_id)
    values = dict(
        kind=_kind(kind).value,
        decided_on=_past_date(decided_on, "decided_on", required=True),
        description=_text(description, "description", TEXT_MAX, required=True),
        legal_ref=_text(legal_ref, "legal_ref", LEGAL_REF_MAX),
    )
    violation = Violation(org_id=org.id, **values)
    org.violations.append(violation)
    session.flush()
    audit.record(session, type="violation.recorded", actor=actor, subject_type="organisation", subject_id=org.id,
                 after={"violation_id": violation.id, **values})
    hooks.exclusion_fact_recorded(session, actor, org.id, f"{values['kind']} penalty {violation.id} recorded "
                                                          f"(decided {values['decided_on']})")
    return violation


def list_violations(
    session: Session, actor: Principal, org_id: int, *, kinds: Iterable[ViolationKind | str] | None = None,
    decided_on_or_after: dt.date | None = None,
) -> list[Violation]:
    """An organisation's violations, oldest first; filter by kind and date for eligibility rules
    such as "no serious administrative penalty in the last 5 years"."""
    require(actor, "organisation.read")
    _visible_org(session, actor, org_id)
    stmt = select(Violation).where(Violation.org_id == org_id).order_by(Violation.decided_on, Violation.id)
    if kinds is not None:
        stmt = stmt.where(Violation.kind.in_([_kind(k).value for k in kinds]))
    if decided_on_or_after is not None:
        stmt = stmt.where(Violation.decided_on >= decided_on_or_after)
    return list(session.execute(stmt).scalars())


# --- parties ---------------------------------------------------------------------------------

def end_user_category(value: Any, field: str = "end_user_category") -> str:
    """A code of the pack's end-user categories (the vocabulary prohibitions are written in)."""
    known = get_pack().end_user_categories
    if not isinstance(value, str) or value.strip() not in known:
        raise InvalidInput(f"{field} {value!r} is not an end-user category; known: {', '.join(known)}", field=field)
    return value.strip()


PARTY_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: _text(v, "name", PARTY_NAME_MAX, required=True),
    "name_local": lambda v: _text(v, "name_local", PARTY_NAME_MAX),
    "country": _foreign_country,
    "address": lambda v: _text(v, "address", TEXT_MAX),
    "business": lambda v: _text(v, "business", TEXT_MAX),
    "website": _website,
    "end_user_category": end_user_category,
}


def create_party(session: Session, actor: Principal, *, org_id: int | None = None, **fields: Any) -> Party:
    """Put a foreign consignee or end user on the exporter's file.

    An exporter always creates for its own organisation (``org_id`` may be left out); the
    system principal must name the organisation. Fields: ``name``, ``country`` (required);
    ``name_local``, ``address``, ``business``, ``website``, ``end_user_category`` (a code of the
    pack's end-user categories; left out: the pack's default, ``unknown``).
    """
    require(actor, "party.write")
    if actor.org_bound:
        org_id = actor.org_id if org_id is None else org_id
    if org_id is None:
        raise InvalidInput("name the organisation the party belongs to", field="org_id")
    org = _visible_org(session, actor, org_id)
    for required in ("name", "country"):
        fields.setdefault(required, "")
    if fields.get("end_user_category") is None:
        fields["end_user_category"] = get_pack().default_end_user_category
    values = _clean(fields, PARTY_FIELDS, "party")
    party = Party(org_id=org.id, **{**dict.fromkeys(PARTY_FIELDS, ""), **values})
    session.add(party)
    session.flush()
    add_version(session, party, actor)
    audit.record(session, type="party.created", actor=actor, subject_type="party", subject_id=party.id,
                 after={"org_id": org.id, "version": party.version, **_snapshot(party, PARTY_FIELDS)})
    return party


def get_party(session: Session, actor: Principal, party_id: int, *, action: str = "party.read") -> Party:
    require(actor, action)
    party = None
    if 0 < party_id <= MAX_ROW_ID:  # another service may pass any int; PostgreSQL rejects > 32 bits
        stmt = scope(select(Party).where(Party.id == party_id), actor, Party.org_id)
        party = session.execute(stmt).scalar_one_or_none()
    if party is None:
        raise NotFound(f"party {party_id} not found")
    return party


def get_party_for_org(session: Session, principal: Principal, party_id: int, org_id: int) -> Party:
    """The party, if the caller may see it and it is on ``org_id``'s file; else NotFound.

    Applications use this so an exporter can only name its own consignees and end users.
    """
    party = get_party(session, principal, party_id)
    if party.org_id != org_id:
        raise NotFound(f"party {party_id} not found among organisation {org_id}'s parties", field="party_id")
    return party


def list_parties(
    session: Session, actor: Principal, *, org_id: int | None = None, country: str | None = None,
    q: str | None = None, after_id: int = 0, limit: int | None = 100,
) -> list[Party]:
    """Parties the caller may see, by id; ``q`` matches part of the name in either script."""
    require(actor, "party.read")
    if after_id >= MAX_ROW_ID:  # nothing lies beyond; PostgreSQL would reject the number for an INTEGER id
        return []
    stmt = scope(select(Party).where(Party.id > after_id).order_by(Party.id), actor, Party.org_id)
    if org_id is not None:
        stmt = stmt.where(Party.org_id == org_id)
    if country:
        stmt = stmt.where(Party.country == normalise_country(country))
    if q and q.strip():
        needle = q.strip()
        stmt = stmt.where(or_(Party.name.icontains(needle, autoescape=True), Party.name_local.icontains(needle, autoescape=True)))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())


def party_versions(session: Session, actor: Principal, party_id: int) -> list[PartyVersion]:
    """Every version of a party, oldest first; visible exactly where the party is."""
    party = get_party(session, actor, party_id)
    return list_versions(session, party.id)


def clean_party_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The edit's fields, validated as on creation (for :mod:`rarex.party_edits`)."""
    return _clean(changes, PARTY_FIELDS, "party")

