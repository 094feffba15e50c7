"""Timelines carry who may read what: exporters (and customs, on a licence) see that a check
is under review, not the ministry's deliberation (hits, lists, scores, reasons, recommendations)."""

from __future__ import annotations

import json

import pytest

from rarex.core.authz import Principal
from rarex.core.db import unit_of_work
from rarex.screening import cases
from tests.applications.helpers import build_world
from tests.screening.helpers import make_list

LISTED = {"id": "ent-1", "name": "Antriebstechnik Test GmbH", "countries": ["de"]}
RESOLUTION = "checked the registry entry and address"
RECOMMENDATION = "internal: the end user's parent is on a watch list, but the contract is civil"
SECRETS = ("test-list", "ent-1", RESOLUTION, RECOMMENDATION, "score", "overrides_recommendation")


@pytest.fixture
def w(client, session):
    return build_world(client, session)


def _events(w, url: str, who: dict) -> list[dict]:
    r = w.client.get(url, headers=who)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def decided(w, session):
    """An application whose screening hit an officer cleared, recommended and approved."""
    make_list(session, "test-list", [LISTED])
    app = w.draft()
    w.upload_required(app["id"])
    w.act(app["id"], "submit", w.exporter)
    (hit,) = w.client.get("/api/v1/screening/hits", params={"application_id": app["id"]}, headers=w.officer).json()["items"]
    r = w.client.post(f"/api/v1/screening/hits/{hit['id']}/resolve", headers=w.officer,
                      json={"resolution": "false_positive", "reason": RESOLUTION})
    assert r.status_code == 200, r.text
    w.act(app["id"], "accept", w.officer)
    w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": RECOMMENDATION})
    return w.act(app["id"], "decide", w.senior, {"decision": "approve", "reasons": "agree with the officer"})


def test_the_exporter_sees_that_screening_was_reviewed_not_the_deliberation(w, decided):
    shown = _events(w, f"/api/v1/applications/{decided['id']}/events", w.exporter)
    text = json.dumps(shown)
    assert not [s for s in SECRETS if s in text]
    reviewed = next(e for e in shown if e["type"] == "screening.reviewed")
    assert reviewed["redacted"] and (reviewed["before"], reviewed["after"], reviewed["reason"]) == (None, None, None)
    recommended = next(e for e in shown if e["type"] == "application.recommended")
    assert recommended["redacted"] and recommended["reason"] is None and recommended["after"] == {"status": "recommended"}
    approved = next(e for e in shown if e["type"] == "application.approved")
    assert approved["reason"] == "agree with the officer" and approved["after"]["decision"] == "approve"
    drafted = next(e for e in shown if e["type"] == "application.drafted")
    assert not drafted["redacted"] and drafted["after"]["items"]


@pytest.mark.parametrize("who", ["officer", "senior", "auditor"])
def test_the_ministry_reads_the_whole_deliberation(w, decided, who):
    shown = _events(w, f"/api/v1/applications/{decided['id']}/events", getattr(w, who))
    assert not any(e["redacted"] for e in shown)
    hit = next(e for e in shown if e["type"] == "screening.hit_false_positive")
    assert hit["reason"] == RESOLUTION and hit["after"]["list"] == "test-list" and float(hit["after"]["score"]) >= 0.85
    recommended = next(e for e in shown if e["type"] == "application.recommended")
    assert recommended["reason"] == RECOMMENDATION and recommended["after"]["recommendation"] == "approve"


def test_who_may_read_a_case_timeline_at_all(w, decided):
    url = f"/api/v1/applications/{decided['id']}/events"
    assert w.client.get(url, headers=w.other_exporter).status_code == 404
    assert w.client.get(url, headers=w.customs).status_code == 403
    assert w.client.get(url, headers=w.admin).status_code == 403
    assert w.client.get(url).status_code == 401


@pytest.fixture
def flagged(w, session):
    """An issued licence whose end user a new list version then matched."""
    number = w.to_state("approved")["licence_number"]
    version = make_list(session, "test-list", [LISTED])
    with unit_of_work() as s:
        assert cases.rescreen_licences(s, Principal.system(), s.merge(version))
    return number


@pytest.mark.parametrize("who", ["exporter", "customs"])
def test_a_licence_timeline_shows_others_a_review_not_the_hits(w, flagged, who):
    shown = _events(w, f"/api/v1/licences/{flagged}/events", getattr(w, who))
    assert [e["type"] for e in shown] == ["licence.issued", "licence.screening_review"]
    assert not shown[0]["redacted"] and shown[0]["after"]["lines"]
    assert shown[1]["redacted"] and (shown[1]["after"], shown[1]["reason"]) == (None, None)
    assert not [s for s in SECRETS if s in json.dumps(shown)]


@pytest.mark.parametrize("who", ["officer", "senior", "auditor"])
def test_the_ministry_reads_a_licence_timeline_whole(w, flagged, who):
    shown = _events(w, f"/api/v1/licences/{flagged}/events", getattr(w, who))
    assert [e["type"] for e in shown] == ["licence.issued", "licence.screening_flagged"]
    assert shown[1]["after"]["list"] == "test-list" and "test-list" in shown[1]["reason"]
    assert not any(e["redacted"] for e in shown)


def test_who_may_read_a_licence_timeline_at_all(w, flagged):
    url = f"/api/v1/licences/{flagged}/events"
    assert w.client.get(url, headers=w.other_exporter).status_code == 404
    assert w.client.get(url, headers=w.admin).status_code == 403
    assert w.client.get(url).status_code == 401
    assert w.client.get("/api/v1/licences/CNDU-I2099-999999/events", headers=w.officer).status_code == 404


# --- the case itself -----------------------------------------------------------------------


def test_the_exporter_s_view_of_the_case_says_screening_ran_not_what_matched(w, decided):
    shown = w.client.get(f"/api/v1/applications/{decided['id']}", headers=w.exporter).json()
    check = next(c for c in shown["checks"] if c["check"] == "screening")
    assert check["message"].startswith("every party was screened") and check["details"] is None
    assert (shown["recommendation"], shown["recommendation_reasons"], shown["recommended_by"]) == (None, None, None)
    assert shown["decision_reasons"] == "agree with the officer"
    assert not [s for s in SECRETS if s in json.dumps(shown)]


@pytest.mark.parametrize("who", ["officer", "senior", "auditor"])
def test_the_ministry_s_view_of_the_case_is_whole(w, decided, who):
    shown = w.client.get(f"/api/v1/applications/{decided['id']}", headers=getattr(w, who)).json()
    check = next(c for c in shown["checks"] if c["check"] == "screening")
    assert check["message"] == "1 screening hit(s) cleared as false positives" and check["details"]
    assert shown["recommendation_reasons"] == RECOMMENDATION and shown["recommended_by"] == "off"
