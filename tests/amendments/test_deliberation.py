"""The holder sees its amendment's decision, not the officer's recommendation before it; the
ministry sees both (deliberation.read), in the amendment and in its timeline."""

from __future__ import annotations

import pytest

from tests.amendments.helpers import API

REASONS = "non-key change, documents in order"


@pytest.fixture
def recommended(aw):
    am = aw.ask(aw.licence(), [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}])
    return aw.recommend(am["id"])


def test_the_holder_does_not_see_the_recommendation(aw, recommended):
    shown = aw.client.get(f"{API}/amendments/{recommended['id']}", headers=aw.w.exporter).json()
    assert shown["status"] == "recommended"
    assert (shown["recommendation"], shown["recommendation_reasons"], shown["recommended_by"]) == (None, None, None)
    events = aw.client.get(f"{API}/amendments/{recommended['id']}/events", headers=aw.w.exporter).json()
    event = next(e for e in events if e["type"] == "amendment.recommended")
    assert event["redacted"] and event["reason"] is None and event["after"] == {"status": "recommended"}


@pytest.mark.parametrize("who", ["officer", "senior", "auditor"])
def test_the_ministry_sees_the_recommendation(aw, recommended, who):
    shown = aw.client.get(f"{API}/amendments/{recommended['id']}", headers=getattr(aw.w, who)).json()
    assert (shown["recommendation"], shown["recommendation_reasons"]) == ("approve", REASONS)
    events = aw.client.get(f"{API}/amendments/{recommended['id']}/events", headers=getattr(aw.w, who)).json()
    event = next(e for e in events if e["type"] == "amendment.recommended")
    assert not event["redacted"] and event["reason"] == REASONS and event["after"]["recommendation"] == "approve"
