"""Editing a party that cases and licences name (issue 10, frozen parties): through the API,
as the exporter, officers and customs meet it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rarex.parties.models import Party, PartyVersion
from rarex.screening.models import ScreeningHit
from tests.amendments.helpers import amend_world
from tests.applications.general_helpers import GeneralWorld
from tests.applications.helpers import build_world
from tests.screening.helpers import make_list

RESTRICTED = {"id": "ent-9", "name": "Volga Rare Metals JSC", "countries": ["ru"]}
#: The attack of the issue: an end user renamed to a listed name and moved to its country.
ATTACK = {"name": "Volga Rare Metals JSC", "country": "RU"}


@pytest.fixture
def w(client, session):
    return build_world(client, session)


def patch(w, party_id: int, body: dict, expect: int, who=None) -> dict:
    r = w.client.patch(f"/api/v1/parties/{party_id}", json=body, headers=who or w.exporter)
    assert r.status_code == expect, r.text
    return r.json()


def versions(w, party_id: int) -> list[dict]:
    r = w.client.get(f"/api/v1/parties/{party_id}/versions", headers=w.officer)
    assert r.status_code == 200, r.text
    return r.json()


def licence(w, number: str) -> dict:
    r = w.client.get(f"/api/v1/licences/{number}", headers=w.officer)
    assert r.status_code == 200, r.text
    return r.json()


def application(w, app_id: int) -> dict:
    r = w.client.get(f"/api/v1/applications/{app_id}", headers=w.officer)
    assert r.status_code == 200, r.text
    return r.json()


def licence_hits(w, number: str) -> list[dict]:
    r = w.client.get("/api/v1/screening/hits", params={"licence": number}, headers=w.officer)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def party_row(session, party_id: int) -> Party:
    session.expire_all()
    return session.get(Party, party_id)


# --- the attack: key elements under a live licence or an open case ----------------------------


def test_renaming_an_end_user_of_an_active_general_licence_is_refused_and_changes_nothing(client, session):
    g = GeneralWorld(client, session)
    w = g.w
    number = g.approved()["licence_number"]
    make_list(session, "cn-unreliable-entity-list", [RESTRICTED])
    end_user = g.end_users[1]
    before = licence(w, number)

    problem = patch(w, end_user, ATTACK, 409)

    assert problem["status"] == 409 and problem["licences"] == [number]
    assert set(problem["fields"]) == {"name", "country"} and "apply again" in problem["detail"]
    assert problem["type"].endswith("party-in-use")
    party = party_row(session, end_user)
    assert (party.name, party.country, party.version) == ("Nordmagnet AB", "SE", 1)
    after = licence(w, number)
    assert after == before and after["version"] == 1 and after["status"] == "active"
    assert licence_hits(w, number) == []
    # Customs draws against the licence's end user as it was decided on.
    assert {line["end_user_name"] for line in after["lines"] if line["end_user"] == str(end_user)} == {"Nordmagnet AB"}


@pytest.mark.parametrize("state", ["submitted", "under_review", "recommended"])
def test_renaming_a_party_of_an_open_case_is_refused_and_changes_nothing(w, session, state):
    app = w.to_state(state)
    before = application(w, app["id"])

    problem = patch(w, w.end_user, {"name": "Volga Rare Metals JSC"}, 409)

    assert problem["applications"] == [app["reference"]] and problem["licences"] == [] and problem["fields"] == ["name"]
    assert party_row(session, w.end_user).name == "Antriebstechnik Test AG"
    assert application(w, app["id"]) == before
    assert patch(w, w.consignee, {"country": "AT"}, 409)["applications"] == [app["reference"]]


def test_accepted_case_approved_after_a_refused_rename_names_the_party_as_screened(w):
    app = w.to_state("under_review")
    patch(w, w.end_user, ATTACK, 409)
    w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": "civil end use verified"})
    decided = w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "agree"})
    lic = licence(w, decided["licence_number"])
    assert {line["end_user_name"] for line in lic["lines"]} == {"Antriebstechnik Test AG"}


def test_an_end_user_a_replacing_application_adds_is_frozen_while_the_case_is_open(client, session):
    """Another end user is a new application (DUR Art. 18 para. 2), not an amendment: the case
    names the newcomer, so its key elements are frozen while the case is open."""
    aw = amend_world(client, session)
    number = aw.licence()
    newcomer = aw.party("DE")
    r = client.post(f"/api/v1/licences/{number}/reapply", headers=aw.w.exporter,
                    json={"end_users": [{"end_user_id": newcomer, "replaces_end_user_id": aw.w.end_user}]})
    assert r.status_code == 201, r.text
    app = r.json()
    aw.w.upload_required(app["id"])
    aw.w.act(app["id"], "submit", aw.w.exporter)
    problem = patch(aw.w, newcomer, {"name": "Volga Rare Metals JSC"}, 409)
    assert problem["applications"] == [app["reference"]] and problem["licences"] == []
    aw.w.act(app["id"], "accept", aw.w.officer)
    aw.w.act(app["id"], "recommend", aw.w.officer, {"recommendation": "approve", "reasons": "new end user verified"})
    new_number = aw.w.act(app["id"], "decide", aw.w.senior, {"decision": "approve", "reasons": "agree"})["licence_number"]
    old_name = party_row(session, newcomer).name
    r = client.post(f"/api/v1/licences/{new_number}/revoke", json={"reason": "contract ended", "ground": "fraud_or_bribery"},
                    headers=aw.w.senior)
    assert r.status_code == 200, r.text
    patch(aw.w, newcomer, {"name": "Renamed Later GmbH"}, 200)
    assert [line["end_user_name"] for line in licence(aw.w, new_number)["lines"]] == [old_name]


def test_a_party_nothing_live_names_edits_freely_with_a_new_version_each_time(w):
    w.to_state("withdrawn")  # a withdrawn case no longer holds its parties
    patch(w, w.end_user, {"name": "Antriebstechnik Neu AG"}, 200)
    out = patch(w, w.end_user, {"country": "AT", "address": "Ring 1, Wien"}, 200)
    assert out["version"] == 3
    assert [(v["version"], v["name"], v["country"]) for v in versions(w, w.end_user)] == [
        (1, "Antriebstechnik Test AG", "DE"), (2, "Antriebstechnik Neu AG", "DE"), (3, "Antriebstechnik Neu AG", "AT")]


def test_an_edit_that_changes_nothing_makes_no_version(w):
    out = patch(w, w.end_user, {"name": "Antriebstechnik Test AG"}, 200)
    assert out["version"] == 1 and versions(w, w.end_user) == []


# --- non-key edits: a new version, screened at once ----------------------------------------------


def test_a_non_key_edit_under_a_live_licence_is_a_new_version_screened_onto_the_licence(w, session):
    number = w.to_state("approved")["licence_number"]
    assert licence_hits(w, number) == []
    # The list changed after the licence was issued; the new version is screened against it at once.
    make_list(session, "cn-unreliable-entity-list", [{"id": "ent-1", "name": "Antriebstechnik Test GmbH", "countries": ["de"]}])

    out = patch(w, w.end_user, {"address": "Werkstrasse 9, Stuttgart"}, 200)

    assert out["version"] == 2 and out["address"] == "Werkstrasse 9, Stuttgart"
    v2 = session.execute(select(PartyVersion).where(PartyVersion.party_id == w.end_user, PartyVersion.version == 2)).scalar_one()
    [hit] = licence_hits(w, number)
    assert (hit["party_id"], hit["party_version_id"], hit["entity_id"], hit["status"]) == (w.end_user, v2.id, "ent-1", "open")
    # A second edit raises no second hit for the same party, list and entity.
    patch(w, w.end_user, {"business": "traction motors"}, 200)
    assert len(licence_hits(w, number)) == 1


def test_a_non_key_edit_that_matches_no_list_raises_no_hit(w, session):
    number = w.to_state("approved")["licence_number"]
    make_list(session, "cn-unreliable-entity-list", [RESTRICTED])
    assert patch(w, w.end_user, {"website": "https://antrieb.example.de"}, 200)["version"] == 2
    assert licence_hits(w, number) == [] and session.execute(select(ScreeningHit)).first() is None


# --- what a case and a licence show after an edit ------------------------------------------------


def test_licence_and_case_keep_showing_version_1_after_the_party_is_edited(w, session):
    app = w.to_state("approved")
    number = app["licence_number"]
    lic_before, app_before = licence(w, number), application(w, app["id"])
    r = w.client.get(f"/api/v1/licences/{number}/usage-report", headers=w.exporter)
    assert r.status_code == 200, r.text
    usage_before = r.json()["lines"]
    r = w.client.post(f"/api/v1/licences/{number}/revoke", json={"reason": "end user no longer trades", "ground": "fraud_or_bribery"},
                      headers=w.senior)
    assert r.status_code == 200, r.text

    # Revoked, the licence no longer holds its parties: they may be renamed, and it still shows them as decided.
    patch(w, w.end_user, {"name": "Antriebstechnik Umbenannt AG", "country": "AT"}, 200)
    patch(w, w.consignee, {"name": "Magnetwerk Umbenannt GmbH"}, 200)

    lic = licence(w, number)
    assert lic["consignee"] == lic_before["consignee"] == "Magnetwerk Test GmbH"
    assert [line["end_user_name"] for line in lic["lines"]] == [line["end_user_name"] for line in lic_before["lines"]]
    assert {line["end_user_name"] for line in lic["lines"]} == {"Antriebstechnik Test AG"}
    shown = application(w, app["id"])
    assert shown["end_user"] == app_before["end_user"] == {"id": w.end_user, "name": "Antriebstechnik Test AG",
                                                             "country": "DE", "end_user_category": "unknown", "version": 1}
    assert shown["consignee"]["name"] == "Magnetwerk Test GmbH"
    r = w.client.get(f"/api/v1/licences/{number}/usage-report", headers=w.exporter)
    assert [line["end_user_name"] for line in r.json()["lines"]] == [line["end_user_name"] for line in usage_before]


def test_a_submitted_case_keeps_its_version_while_a_non_key_detail_changes(w):
    app = w.to_state("submitted")
    assert patch(w, w.end_user, {"address": "Neue Strasse 2"}, 200)["version"] == 2
    assert application(w, app["id"])["end_user"]["version"] == 1


def test_a_draft_follows_the_party_until_it_is_submitted(w):
    app = w.draft()
    assert application(w, app["id"])["end_user"]["version"] == 1
    patch(w, w.end_user, {"name": "Antriebstechnik Neu AG"}, 200)
    shown = application(w, app["id"])["end_user"]
    assert (shown["name"], shown["version"]) == ("Antriebstechnik Neu AG", 2)
    w.upload_required(app["id"])
    w.act(app["id"], "submit", w.exporter)
    patch(w, w.end_user, {"address": "Neue Strasse 2"}, 200)
    shown = application(w, app["id"])["end_user"]
    assert (shown["name"], shown["version"]) == ("Antriebstechnik Neu AG", 2)
    patch(w, w.end_user, {"name": "Antriebstechnik Dritte AG"}, 409)


def test_a_case_returned_to_the_applicant_follows_the_party_again(w):
    app = w.to_state("submitted")
    w.act(app["id"], "return", w.officer, {"reason": "the end-use statement is missing a signature"})
    patch(w, w.end_user, {"name": "Antriebstechnik Korrigiert AG"}, 200)
    assert application(w, app["id"])["end_user"]["name"] == "Antriebstechnik Korrigiert AG"


# --- who may edit --------------------------------------------------------------------------------


def test_only_the_parties_exporter_may_edit(w, session):
    for who, expect in ((w.other_exporter, 404), (w.officer, 403), (w.senior, 403), (w.customs, 403),
                        (w.auditor, 403), (w.admin, 403)):
        patch(w, w.end_user, {"address": "Elsewhere 1"}, expect, who=who)
    r = w.client.patch(f"/api/v1/parties/{w.end_user}", json={"address": "Elsewhere 1"})
    assert r.status_code == 401
    assert party_row(session, w.end_user).version == 1
