"""Control-list parties (ECL Art. 18; DUR Arts. 28-30): a listing bans a deal or needs a senior
officer's special approval (and a report on the deal); it bars general licences; the list is
read as it stood on the date."""

from __future__ import annotations

import datetime as dt

import pytest

from rarex.applications.checks import CheckContext, control_list
from rarex.applications.models import Application
from rarex.core.authz import Principal
from rarex.eligibility.service import evaluate_application
from rarex.parties.versions import current
from rarex.policy.service import get_pack
from rarex.screening.control_list import listings
from rarex.screening.list_import import import_list
from tests.applications.helpers import build_world
from tests.screening.helpers import make_list
from tests.screening.test_cases import get_app, hits, resolve

LIST = "cn-control-list"
REF = "ECL Art. 18; DUR Arts. 28-30"
LISTED_ON = dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC)  # 10:00 on 1 March 2026 in Beijing


def entity(effect: str | None) -> dict:
    return {"id": "cl-1", "name": "Antriebstechnik Test GmbH", "countries": ["de"],
            "programs": [effect] if effect else ["MOFCOM control list"]}


@pytest.fixture
def w(client, session):
    return build_world(client, session)


def checks(app: dict) -> dict:
    return {c["check"]: c for c in app["checks"]}


def submitted(w) -> dict:
    app = w.draft(end_use_category="civil")
    w.upload_required(app["id"])
    w.act(app["id"], "submit", w.exporter)
    return get_app(w, app["id"])


def recommended_after_confirming(w, app: dict) -> dict:
    for h in hits(w, app["id"]):
        resolve(w, h["id"], "confirmed")
    w.act(app["id"], "accept", w.officer)
    return w.act(app["id"], "recommend", w.officer, {"recommendation": "approve", "reasons": "end use verified"})


def decide(w, app_id: int, **extra):
    return w.client.post(f"/api/v1/applications/{app_id}/decide", headers=w.senior,
                         json={"decision": "approve", "reasons": "agree with the officer", **extra})


def test_a_banned_deal_fails_its_check_and_cannot_be_accepted(w, session):
    make_list(session, LIST, [entity("ban")], imported_at=LISTED_ON)
    app = submitted(w)
    c = checks(app)["control_list"]
    assert c["outcome"] == "fail" and c["message"].startswith("banned:") and REF in c["message"]
    [listing] = c["details"]["listings"]
    assert (listing["effect"], listing["resolution"], listing["effect_stated"]) == ("ban", "unresolved", True)
    for h in hits(w, app["id"]):
        resolve(w, h["id"], "confirmed")
    r = w.client.post(f"/api/v1/applications/{app['id']}/accept", headers=w.officer)
    assert r.status_code == 409 and "control_list" in r.json()["failed_checks"]


def test_a_listing_that_states_no_effect_is_read_as_a_ban(w, session):
    make_list(session, LIST, [entity(None)], imported_at=LISTED_ON)
    c = checks(submitted(w))["control_list"]
    assert c["outcome"] == "fail" and "states no effect" in c["message"]
    assert c["details"]["listings"][0]["effect"] == "ban" and not c["details"]["listings"][0]["effect_stated"]


def test_a_listing_after_acceptance_bans_the_approval(w, session):
    app = submitted(w)
    assert "control_list" not in checks(app)  # no control list imported yet: the check does not apply
    app = recommended_after_confirming(w, app)
    make_list(session, LIST, [entity("ban")])
    r = decide(w, app["id"])
    assert r.status_code == 409 and r.json()["type"].endswith("/control-list-ban") and r.json()["legal_refs"] == [REF]
    assert get_app(w, app["id"])["status"] == "recommended"


def test_special_approval_is_recorded_and_the_licence_requires_a_report(w, session):
    make_list(session, LIST, [entity("special_approval")], imported_at=LISTED_ON)
    app = submitted(w)
    c = checks(app)["control_list"]
    assert c["outcome"] == "warn" and "special approval" in c["message"]
    app = recommended_after_confirming(w, app)
    r = decide(w, app["id"])
    assert r.status_code == 409 and r.json()["type"].endswith("/special-approval-required")
    r = decide(w, app["id"], special_approval=True)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "approved" and out["special_approval"]["by"] == "sen"
    assert out["special_approval"]["listings"][0]["resolution"] == "confirmed"
    lic = w.client.get(f"/api/v1/licences/{out['licence_number']}", headers=w.exporter).json()
    assert lic["report_required"] is True and "cl-1" in lic["report_reason"] and REF in lic["report_reason"]


def test_no_match_needs_no_special_approval_and_refuses_one(w, session):
    make_list(session, LIST, [{"id": "cl-9", "name": "Volga Rare Metals JSC", "countries": ["ru"], "programs": ["ban"]}],
              imported_at=LISTED_ON)
    app = submitted(w)
    assert checks(app)["control_list"]["outcome"] == "pass"
    app = recommended_after_confirming(w, app)
    r = decide(w, app["id"], special_approval=True)
    assert r.status_code == 422 and r.json()["field"] == "special_approval"
    r = decide(w, app["id"])
    assert r.status_code == 200 and r.json()["special_approval"] is None
    lic = w.client.get(f"/api/v1/licences/{r.json()['licence_number']}", headers=w.exporter).json()
    assert lic["report_required"] is False and lic["report_reason"] is None


def test_a_hit_cleared_as_a_false_positive_is_no_match(w, session):
    make_list(session, LIST, [entity("ban")], imported_at=LISTED_ON)
    app = submitted(w)
    for h in hits(w, app["id"]):
        resolve(w, h["id"], "false_positive")
    row = session.get(Application, app["id"])
    session.refresh(row)
    pack = get_pack()
    assert control_list(CheckContext(row, pack, dt.date(2026, 3, 2), session)).outcome == "pass"
    party = current(session, [w.end_user])[w.end_user]
    assert listings(session, pack, [("end_user", party)], dt.date(2026, 3, 2), application_id=row.id) == []
    assert len(listings(session, pack, [("end_user", party)], dt.date(2026, 3, 2))) == 1  # another case: not cleared


def test_the_list_is_read_as_it_stood_on_the_date(w, session):
    make_list(session, LIST, [entity("special_approval")], imported_at=LISTED_ON)
    pack = get_pack()
    party = current(session, [w.end_user])[w.end_user]
    before = listings(session, pack, [("end_user", party)], dt.date(2026, 2, 28))
    after = listings(session, pack, [("end_user", party)], dt.date(2026, 3, 1))
    assert before == [] and [x.effect for x in after] == ["special_approval"]
    app = w.draft(end_use_category="civil")
    row = session.get(Application, app["id"])
    assert control_list(CheckContext(row, pack, dt.date(2026, 2, 28), session)) is None
    assert control_list(CheckContext(row, pack, dt.date(2026, 3, 1), session)).outcome == "warn"


@pytest.mark.parametrize("effect", ["ban", "special_approval"])
def test_a_control_list_match_bars_general_licences(w, session, effect):
    make_list(session, LIST, [entity(effect)], imported_at=LISTED_ON)
    app = w.draft(licence_type="general", end_use_category="civil")
    row = session.get(Application, app["id"])
    pack = get_pack()
    for on, status in ((dt.date(2026, 2, 28), "cannot_evaluate"), (dt.date(2026, 3, 1), "not_met")):
        elig = evaluate_application(session, row, on, pack)
        cond = next(c for c in elig.conditions if c.code == "control_list_party")
        assert cond.status == status, (on, cond.reason)
    assert "control-list match" in cond.reason and "control_list_party" in elig.failing


def test_no_match_meets_the_general_licence_condition(w, session):
    make_list(session, LIST, [{"id": "cl-9", "name": "Volga Rare Metals JSC", "countries": ["ru"]}], imported_at=LISTED_ON)
    row = session.get(Application, w.draft(licence_type="general", end_use_category="civil")["id"])
    elig = evaluate_application(session, row, dt.date(2026, 3, 1), get_pack())
    cond = next(c for c in elig.conditions if c.code == "control_list_party")
    assert cond.status == "met" and "no importer or end user matches the control list" in cond.reason


def test_the_effect_travels_in_an_imported_csv_column(w, session, tmp_path):
    path = tmp_path / "control.csv"
    path.write_text("id,name,country,effect\ncl-1,Antriebstechnik Test GmbH,DE,special_approval\n", encoding="utf-8")
    import_list(session, Principal.system(), path, list_name=LIST, format="csv",
                mapping={"entity_id": "id", "name": "name", "countries": "country", "programs": "effect"})
    session.commit()
    party = current(session, [w.end_user])[w.end_user]
    [x] = listings(session, get_pack(), [("end_user", party)], get_pack().today())
    assert (x.effect, x.kind, x.effect_stated, x.report_required) == ("special_approval", "special_approval", True, True)
