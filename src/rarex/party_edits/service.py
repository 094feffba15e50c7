"""Editing a party on file (its exporter): each change is a new party version.

A party nothing live names edits freely. Once a submitted case or a live licence names it,
its key elements (the names it goes by, its country and its end-user category) were screened
and decided on: changing them goes through a new application, never silently, so
the edit is refused with a 409 naming what blocks it. Any other change (address, business,
website) is a new version, screened at once against the lists in force; an alert becomes an
open hit on each live licence that names the party, so officers see it. Cases and licences
keep showing the version they froze (:mod:`rarex.parties.versions`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal
from rarex.core.errors import Conflict
from rarex.parties.models import Party
from rarex.parties.service import apply_changes, clean_party_changes, get_party
from rarex.parties.versions import add_version, current, current_version_id
from rarex.party_edits.blockers import LiveUse, live_use
from rarex.screening.cases import screen_licence_parties

#: What a decision rests on: changing one of these on a live case or licence is a new application.
#: The end user's category is one: prohibitions and control measures are judged on it.
KEY_FIELDS = ("name", "name_local", "country", "end_user_category")


def edit_party(session: Session, actor: Principal, party_id: int, **changes: Any) -> Party:
    """Apply the changes as the party's next version (its own exporter only); see the module."""
    party = get_party(session, actor, party_id, action="party.write")
    values = clean_party_changes(changes)
    changed = {k: v for k, v in values.items() if getattr(party, k) != v}
    if not changed:
        return party
    use = live_use(session, party)
    key = [k for k in KEY_FIELDS if k in changed]
    if key and use:
        raise _key_change_refused(session, party, key, use)
    current_version_id(session, party)  # a party on file from before versions gets its version 1 first
    before, after = apply_changes(party, changed)
    try:
        with session.begin_nested():
            add_version(session, party, actor)
    except IntegrityError:  # another edit took the same version number first
        raise Conflict(f"party {party.id} was changed by someone else at the same time; read it and try again") from None
    audit.record(session, type="party.updated", actor=actor, subject_type="party", subject_id=party.id,
                 before=before, after={**after, "version": party.version})
    if use.licences:
        _screen_on_licences(session, actor, party, use)
    return party


def _key_change_refused(session: Session, party: Party, key: list[str], use: LiveUse) -> Conflict:
    named = ([f"licence {lic.number} ({lic.status})" for lic in use.licences]
             + [f"case {app.reference} ({app.status})" for app in use.applications])
    return Conflict(
        f"{' and '.join(key)} of party {party.id} {'is a key element' if len(key) == 1 else 'are key elements'} "
        f"that {', '.join(named)} {'was' if len(named) == 1 else 'were'} screened and decided on: nothing was changed. "
        "Put the party on file again with the new details and apply again (a new application) naming it.",
        slug="party-in-use", title="Party named on a live case or licence",
        fields=key, licences=[lic.number for lic in use.licences],
        applications=[app.reference for app in use.applications],
    )


def _screen_on_licences(session: Session, actor: Principal, party: Party, use: LiveUse) -> None:
    """Screen the new version now; each new alert is an open hit on a live licence naming the party."""
    view = current(session, [party.id])[party.id]
    for lic, roles in use.licences.items():
        new = screen_licence_parties(session, lic, [view], role=",".join(roles))
        if new:
            audit.record(session, type="licence.screening_flagged", actor=actor, subject_type="licence",
                         subject_id=lic.number, reason=f"party {party.id} version {party.version} matches a list",
                         after={"party_id": party.id, "party_version": party.version,
                                "hits": [{"hit": h.id, "list": h.list_name, "entity_id": h.entity_id, "score": h.score}
                                         for h in new]})
