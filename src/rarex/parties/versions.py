"""Party versions: each party as it stood from one edit to the next.

A draft names the party and follows its newest version; submission freezes the version the
case is screened and decided on (:func:`freeze`), and the licence, its lines and every
screening hit keep that version. Views render a reference through :func:`resolve`, so a later
edit of the party never changes what a case or licence shows (DESIGN rule 10).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal
from rarex.parties.models import Party, PartyVersion

#: The fields a version keeps: everything that identifies the party.
VERSIONED_FIELDS = ("name", "name_local", "country", "address", "business", "website", "end_user_category")


@dataclass(frozen=True)
class PartyView:
    """A party as one version gives it; ``id`` is the party's id, so screening and eligibility
    read it as they read a :class:`Party`. ``version_id`` is None only for a party that has no
    version row yet (inserted by hand before versions existed)."""

    id: int
    org_id: int
    version: int
    version_id: int | None
    name: str
    name_local: str
    country: str
    address: str
    business: str
    website: str
    end_user_category: str


#: A reference as cases and licences hold it: (party id, frozen version id or None for "newest").
Ref = tuple[int, int | None]


def add_version(session: Session, party: Party, actor: Principal | None) -> PartyVersion:
    """Record the party's current fields as its next version (version 1 for a new party)."""
    if party.id is None:
        session.flush()
    last = session.execute(select(PartyVersion.version).where(PartyVersion.party_id == party.id)
                           .order_by(PartyVersion.version.desc()).limit(1)).scalar_one_or_none()
    number = 1 if last is None else last + 1
    row = PartyVersion(party_id=party.id, version=number, created_by=actor.user_id if actor else None,
                       **{f: getattr(party, f) for f in VERSIONED_FIELDS})
    party.version = number
    session.add(row)
    session.flush()
    return row


def current_version_id(session: Session, party: Party) -> int:
    """The id of the party's newest version, recording it first if the party has none."""
    found = session.execute(select(PartyVersion.id).where(
        PartyVersion.party_id == party.id, PartyVersion.version == party.version)).scalar_one_or_none()
    return found if found is not None else add_version(session, party, None).id


def freeze(session: Session, party_id: int | None) -> int | None:
    """The version id to store beside ``party_id`` when a case is submitted."""
    if party_id is None:
        return None
    party = session.get(Party, party_id)
    return None if party is None else current_version_id(session, party)


def list_versions(session: Session, party_id: int) -> list[PartyVersion]:
    return list(session.execute(select(PartyVersion).where(PartyVersion.party_id == party_id)
                                .order_by(PartyVersion.version)).scalars())


def _view(party: Party, v: PartyVersion | None) -> PartyView:
    src = v if v is not None else party
    return PartyView(id=party.id, org_id=party.org_id, version=v.version if v is not None else party.version,
                     version_id=v.id if v is not None else None, **{f: getattr(src, f) for f in VERSIONED_FIELDS})


def resolve(session: Session, refs: Iterable[Ref]) -> dict[Ref, PartyView]:
    """Each (party id, version id) as it is to be shown: the frozen version where one is named,
    the newest version where none is (a draft). Unknown parties are left out."""
    refs = {r for r in refs if r[0]}
    if not refs:
        return {}
    party_ids = {pid for pid, _ in refs}
    newest = session.execute(
        select(Party, PartyVersion).outerjoin(PartyVersion, and_(PartyVersion.party_id == Party.id,
                                                                  PartyVersion.version == Party.version))
        .where(Party.id.in_(party_ids))).all()
    parties = {p.id: p for p, _ in newest}
    current = {p.id: _view(p, v) for p, v in newest}
    frozen_ids = {vid for _, vid in refs if vid is not None}
    frozen = {v.id: v for v in session.execute(select(PartyVersion).where(PartyVersion.id.in_(frozen_ids))).scalars()
              } if frozen_ids else {}
    out: dict[Ref, PartyView] = {}
    for pid, vid in refs:
        if pid not in parties:
            continue
        out[(pid, vid)] = _view(parties[pid], frozen[vid]) if vid in frozen else current[pid]
    return out


def current(session: Session, party_ids: Iterable[int]) -> dict[int, PartyView]:
    """Each party as its newest version gives it."""
    return {pid: view for (pid, _), view in resolve(session, ((pid, None) for pid in party_ids)).items()}
