"""Apply again from a licence (DUR Art. 18 para. 2): the end user is a key element, so another
end user is a new application; the licence stops while it is pending, carries on if it is
refused or withdrawn, and is handed back when it is granted."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rarex.cli.main import app as cli_app
from rarex.core.audit import AuditEvent
from tests.amendments.helpers import amend_world
from tests.applications.general_helpers import GeneralWorld
from tests.factories import make_party
from tests.licences.helpers import control_body
from tests.test_access_matrix import shipment_body

API = "/api/v1"


@pytest.fixture
def aw(client, session):
    return amend_world(client, session)


def reapply(aw, number: str, end_users: list[dict], expect: int = 201, who=None) -> dict:
    r = aw.client.post(f"{API}/licences/{number}/reapply", json={"end_users": end_users}, headers=who or aw.w.exporter)
    assert r.status_code == expect, r.text
    return r.json()


def replacing(aw, number: str, drawn: str | None = "200.5") -> tuple[dict, int]:
    """A draft replacing the licence's end user with a new one, after ``drawn`` was shipped."""
    if drawn:
        aw.set_drawn(number, 1, drawn)
        aw.session.commit()
    newcomer = aw.party("DE")
    return reapply(aw, number, [{"end_user_id": newcomer, "replaces_end_user_id": aw.w.end_user}]), newcomer


def submit(aw, app: dict) -> dict:
    aw.w.upload_required(app["id"], app["licence_type"])
    return aw.w.act(app["id"], "submit", aw.w.exporter)


def decide(aw, app: dict, decision: str) -> dict:
    aw.w.act(app["id"], "accept", aw.w.officer)
    aw.w.act(app["id"], "recommend", aw.w.officer, {"recommendation": decision, "reasons": "checked"})
    return aw.w.act(app["id"], "decide", aw.w.senior, {"decision": decision, "reasons": "countersigned"})


def ship(aw, number: str, end_user: int, declaration: str):
    return aw.client.post(f"{API}/licences/{number}/shipments", json=shipment_body(end_user, declaration),
                          headers=aw.w.customs)


def events(aw, stream: str) -> list[str]:
    aw.session.expire_all()
    return list(aw.session.execute(select(AuditEvent.type).where(AuditEvent.stream == stream)
                                   .order_by(AuditEvent.seq)).scalars())


def test_the_draft_carries_the_licence_with_remaining_quantities_and_the_new_end_user(aw):
    n = aw.licence()
    app, newcomer = replacing(aw, n)
    assert app["status"] == "draft" and app["replaces_licence"] == n and app["licence_type"] == "individual"
    lic = aw.get_licence(n)
    (item,) = app["items"]
    assert (item["control_code"], item["quantity"], item["unit"]) == ("1C905.b", "1050", "kg")
    assert item["value"] == "262500.00"  # 312625.00 pro rata to 1050 of 1250.5
    assert app["end_user"]["id"] == newcomer and app["consignee"]["id"] == aw.w.consignee
    assert app["end_use"] == lic["end_use"]
    # A draft stops nothing: exports under the licence go on until the new application is filed.
    assert lic["status"] == "active"
    assert "application.reapplied" in events(aw, f"application:{app['id']}")


def test_submission_stops_the_licence_and_refusal_lets_it_carry_on(aw):
    n = aw.licence()
    app, _ = replacing(aw, n)
    submit(aw, app)
    lic = aw.get_licence(n)
    assert lic["status"] == "replacement_pending" and app["reference"] in lic["status_reason"]
    assert lic["allowed_actions"] == ["suspend", "revoke", "expire"]
    for action in ("reinstate", "withdraw", "order-amendment"):
        r = aw.client.post(f"{API}/licences/{n}/{action}", json=control_body(action), headers=aw.w.senior)
        assert r.status_code == 409 and r.json()["current_state"] == "replacement_pending", action
    r = ship(aw, n, aw.w.end_user, "REAPPLY-STOPPED")
    assert r.status_code == 409 and r.json()["current_state"] == "replacement_pending"
    # an amendment cannot run beside the replacement
    r = aw.client.post(f"{API}/licences/{n}/amendments", headers=aw.w.exporter,
                       json={"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1100"}], "reason": "more"})
    assert r.status_code == 409 and r.json()["current_state"] == "replacement_pending"
    assert decide(aw, app, "refuse")["status"] == "refused"
    lic = aw.get_licence(n)
    assert lic["status"] == "active" and lic["replaced_by"] is None
    assert ship(aw, n, aw.w.end_user, "REAPPLY-RESUMED").status_code == 201
    evs = events(aw, f"licence:{n}")
    i = evs.index("licence.replacement_requested")
    assert evs[i + 1] == "licence.replacement_closed"


def test_withdrawal_after_submission_lets_the_licence_carry_on_and_a_draft_withdrawn_never_stopped_it(aw):
    n = aw.licence()
    app, newcomer = replacing(aw, n, drawn=None)
    aw.w.act(app["id"], "withdraw", aw.w.exporter, {"reason": "buyer stayed"})
    assert aw.get_licence(n)["status"] == "active"
    assert "licence.replacement_closed" not in events(aw, f"licence:{n}")
    again = reapply(aw, n, [{"end_user_id": newcomer, "replaces_end_user_id": aw.w.end_user}])
    submit(aw, again)
    assert aw.get_licence(n)["status"] == "replacement_pending"
    aw.w.act(again["id"], "withdraw", aw.w.exporter, {"reason": "buyer stayed after all"})
    assert aw.get_licence(n)["status"] == "active"


def test_grant_hands_the_licence_back_with_its_drawn_quantities_and_links_both_ways(aw):
    n = aw.licence()
    app, newcomer = replacing(aw, n)
    submit(aw, app)
    decided = decide(aw, app, "approve")
    new = aw.get_licence(decided["licence_number"])
    old = aw.get_licence(n)
    assert old["status"] == "handed_back" and old["handed_back_at"] and old["replaced_by"] == new["number"]
    assert new["replaces"] == n and new["status"] == "active"
    assert (old["lines"][0]["licensed"], old["lines"][0]["drawn"]) == ("1250.5", "200.5")
    assert [(x["end_user"], x["licensed"]) for x in new["lines"]] == [(str(newcomer), "1050")]
    assert old["allowed_actions"] == []
    for action in ("suspend", "reinstate", "revoke", "withdraw", "order-amendment"):
        r = aw.client.post(f"{API}/licences/{n}/{action}", json=control_body(action), headers=aw.w.senior)
        assert r.status_code == 409 and r.json()["current_state"] == "handed_back", action
    assert ship(aw, n, aw.w.end_user, "REAPPLY-OLD").status_code == 409
    assert events(aw, f"licence:{n}")[-1] == "licence.handed_back"
    assert "licence.replaces" in events(aw, f"licence:{new['number']}")
    reapply(aw, n, [{"end_user_id": aw.party("DE"), "replaces_end_user_id": newcomer}], expect=409)


def test_a_licence_suspended_meanwhile_returns_to_waiting_for_its_replacement(aw):
    n = aw.licence()
    app, _ = replacing(aw, n)
    submit(aw, app)
    r = aw.client.post(f"{API}/licences/{n}/suspend", json=control_body("suspend"), headers=aw.w.senior)
    assert r.json()["status"] == "suspended"
    r = aw.client.post(f"{API}/licences/{n}/reinstate", json=control_body("reinstate"), headers=aw.w.senior)
    assert r.json()["status"] == "replacement_pending", "use stays stopped while the replacement is pending"
    r = aw.client.post(f"{API}/licences/{n}/suspend", json=control_body("suspend"), headers=aw.w.senior)
    decided = decide(aw, app, "approve")
    old = aw.get_licence(n)
    assert old["status"] == "handed_back" and old["replaced_by"] == decided["licence_number"]


def test_a_general_licence_gets_an_added_end_user_beside_the_remaining_lines(client, session):
    g = GeneralWorld(client, session)
    number = g.approved()["licence_number"]
    added = make_party(session, g.w.org, name="Ostsee Magnet GmbH", country="DE").id
    session.commit()
    r = client.post(f"{API}/licences/{number}/reapply", headers=g.w.exporter, json={"end_users": [{
        "end_user_id": added, "items": [{"control_code": "1C905.b", "hs_code": "2846901993", "description": "Dy oxide",
                                         "quantity": "100", "unit": "kg", "value": "5000.00", "currency": "USD"}]}]})
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["licence_type"] == "general"
    lines = [(i["control_code"], i["end_user_id"], i["quantity"]) for i in app["items"]]
    a, b, c = g.end_users
    assert lines == [("1C905.b", a, "1200"), ("1C905.b", b, "800.5"), ("1C902.a", b, "2"), ("1C906.a", c, "350"),
                     ("1C905.b", added, "100")]


@pytest.mark.parametrize("case", ["already_on_licence", "not_on_licence", "no_items", "named_twice"])
def test_bad_requests_are_422_and_draft_nothing(aw, case):
    n = aw.licence()
    p = aw.party("DE")
    body = {
        "already_on_licence": [{"end_user_id": aw.w.end_user, "items": []}],
        "not_on_licence": [{"end_user_id": p, "replaces_end_user_id": aw.w.consignee}],
        "no_items": [{"end_user_id": p}],
        "named_twice": [{"end_user_id": p, "replaces_end_user_id": aw.w.end_user}, {"end_user_id": p, "items": []}],
    }[case]
    before = aw.client.get(f"{API}/applications", headers=aw.w.exporter).json()["items"]
    r = aw.client.post(f"{API}/licences/{n}/reapply", json={"end_users": body}, headers=aw.w.exporter)
    assert r.status_code == 422 and r.json()["title"] == "Invalid input", r.text
    assert aw.client.get(f"{API}/applications", headers=aw.w.exporter).json()["items"] == before


def test_forbidden_reapplications(aw):
    n = aw.licence()
    newcomer = aw.party("DE")
    body = [{"end_user_id": newcomer, "replaces_end_user_id": aw.w.end_user}]
    reapply(aw, n, body, expect=404, who=aw.w.other_exporter)
    for role in ("officer", "senior", "customs", "auditor", "admin"):
        reapply(aw, n, body, expect=403, who=getattr(aw.w, role))
    first = reapply(aw, n, body)
    p = reapply(aw, n, body, expect=409)
    assert first["reference"] in p["detail"]
    aw.client.post(f"{API}/licences/{n}/suspend", json=control_body("suspend"), headers=aw.w.senior)
    aw.w.act(first["id"], "withdraw", aw.w.exporter, {"reason": "not now"})
    assert reapply(aw, n, body, expect=409)["current_state"] == "suspended"
    aw.client.post(f"{API}/licences/{n}/revoke", json=control_body("revoke"), headers=aw.w.senior)
    assert reapply(aw, n, body, expect=409)["current_state"] == "revoked"


def test_submitting_a_replacement_of_a_licence_suspended_since_the_draft_is_refused(aw):
    n = aw.licence()
    app, _ = replacing(aw, n)
    aw.client.post(f"{API}/licences/{n}/suspend", json=control_body("suspend"), headers=aw.w.senior)
    aw.w.upload_required(app["id"])
    p = aw.w.act(app["id"], "submit", aw.w.exporter, expect=409)
    assert p["current_state"] == "suspended"
    assert aw.client.get(f"{API}/applications/{app['id']}", headers=aw.w.exporter).json()["status"] == "draft"


def test_cli_reapply(aw):
    n = aw.licence()
    newcomer = aw.party("DE")
    r = CliRunner().invoke(cli_app, ["licences", "reapply", n, "--replace", f"{aw.w.end_user}:{newcomer}", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["replaces_licence"] == n and out["end_user"]["id"] == newcomer and out["status"] == "draft"
    r = CliRunner().invoke(cli_app, ["licences", "reapply", n, "--replace", "nonsense"])
    assert r.exit_code == 2 and "OLD:NEW" in r.stderr
