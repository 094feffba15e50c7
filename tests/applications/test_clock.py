"""Acceptance and the decision clock on real cases (FACTS.md 1.6): deemed acceptance on day 6
(not day 5), a return refused once the window has passed, late acceptance dated on receipt; a
request for information leaves the clock running; an expert opinion stops it; a State Council
referral removes the deadline. Every forbidden move is a 409, every role's access is checked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rarex.applications import service
from rarex.applications.deadline import acceptance_due
from rarex.applications.models import Application, ClockStop
from rarex.applications.models import ApplicationStatus as S
from rarex.core.audit import AuditEvent
from rarex.core.authz import Principal, Role
from rarex.core.calendar import calendar_for
from rarex.policy.service import get_pack
from rarex.users.models import User
from tests.applications.helpers import build_world

D = dt.date
API = "/api/v1/applications"


@pytest.fixture
def world(client, session):
    return build_world(client, session)


def actor(session, username: str, role: Role) -> Principal:
    u = session.execute(select(User).where(User.username == username)).scalar_one()
    return Principal(u.id, u.username, role, u.org_id)


def noon(day: dt.date) -> dt.datetime:
    """Noon in Beijing on ``day``."""
    return dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)


def submitted_on(w, session, day: dt.date) -> int:
    """A complete application, received on ``day``."""
    app = w.draft()
    w.upload_required(app["id"])
    service.submit(session, actor(session, "exp", Role.exporter), app["id"], at=noon(day))
    session.commit()
    return app["id"]


def events(session, app_id: int, type: str) -> list[AuditEvent]:
    return list(session.execute(select(AuditEvent).where(AuditEvent.stream == f"application:{app_id}",
                                                         AuditEvent.type == type)).scalars())


# --- acceptance: day 5 and day 6 around National Day 2025 -------------------------------------

RECEIVED, DAY_5, DAY_6 = D(2025, 9, 25), D(2025, 10, 9), D(2025, 10, 10)


def test_the_job_records_deemed_acceptance_on_day_6_not_day_5(world, session, cli):
    app_id = submitted_on(world, session, RECEIVED)
    assert acceptance_due(get_pack(), RECEIVED) == DAY_5
    r = cli("deem-accepted", "--on", DAY_5.isoformat(), "--json")
    assert r.exit_code == 0 and '"count": 0' in r.output, r.output
    session.expire_all()
    assert session.get(Application, app_id).status == S.submitted and not events(session, app_id, "application.deemed_accepted")
    r = cli("deem-accepted", "--on", DAY_6.isoformat(), "--json")
    assert r.exit_code == 0 and '"count": 1' in r.output and '"accepted_on": "2025-09-25"' in r.output, r.output
    session.expire_all()
    row = session.get(Application, app_id)
    assert (row.status, row.accepted_on, row.deemed_accepted) == (S.under_review, RECEIVED, True)
    (ev,) = events(session, app_id, "application.deemed_accepted")
    assert ev.after["accepted_on"] == "2025-09-25" and ev.after["acceptance_due"] == "2025-10-09"
    assert ev.actor.startswith("cli:") and "Art. 32" in ev.reason
    # done once: a second run finds nothing
    assert '"count": 0' in cli("deem-accepted", "--on", "2025-10-20", "--json").output


def test_a_return_within_the_window_works_and_the_resubmission_is_a_new_receipt(world, session):
    app_id = submitted_on(world, session, RECEIVED)
    officer = actor(session, "off", Role.officer)
    service.return_to_applicant(session, officer, app_id, "incomplete", ["sign the end-user statement", "add the contract"],
                                at=noon(DAY_5))
    (ev,) = events(session, app_id, "application.returned")
    assert ev.after["corrections"] == ["sign the end-user statement", "add the contract"]
    # resubmitted on 13 Oct: a new window to Mon 20 Oct; nothing is deemed before then
    service.submit(session, actor(session, "exp", Role.exporter), app_id, at=noon(D(2025, 10, 13)))
    assert service.deem_accept_due(session, Principal.system("t"), D(2025, 10, 20)) == []
    (done,) = service.deem_accept_due(session, Principal.system("t"), D(2025, 10, 21))
    assert done.accepted_on == D(2025, 10, 13)


def test_a_return_after_the_window_is_refused_naming_the_deemed_acceptance(world, session):
    app_id = submitted_on(world, session, RECEIVED)
    officer = actor(session, "off", Role.officer)
    with pytest.raises(Exception) as exc:
        service.return_to_applicant(session, officer, app_id, "incomplete", at=noon(DAY_6))
    assert exc.value.status == 409 and "deemed accepted on 2025-09-25" in exc.value.detail
    session.rollback()
    # over the API too, today: a case received weeks ago was deemed accepted long since
    old = pack_today() - dt.timedelta(days=30)
    app_id = submitted_on(world, session, old)
    r = world.client.post(f"{API}/{app_id}/return", json={"reason": "incomplete"}, headers=world.officer)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    p = r.json()
    assert p["current_state"] == "submitted" and p["deemed_accepted_on"] == old.isoformat()
    assert f"deemed accepted on {old}" in p["detail"]
    shown = world.client.get(f"{API}/{app_id}", headers=world.exporter).json()
    assert shown["status"] == "submitted" and shown["deadline_info"]["clock_state"] == "running"
    assert shown["deadline_info"]["deemed_accepted"] is True and shown["deadline_info"]["accepted_on"] == old.isoformat()
    assert "return" not in shown["allowed_actions"] and "accept" in shown["allowed_actions"]


def pack_today() -> dt.date:
    return get_pack().today()


def test_an_officer_accepting_late_gets_acceptance_dated_on_receipt(world, session):
    app_id = submitted_on(world, session, RECEIVED)
    officer = actor(session, "off", Role.officer)
    app = service.accept(session, officer, app_id, at=noon(DAY_6))
    assert (app.accepted_on, app.deemed_accepted) == (RECEIVED, True)
    (ev,) = events(session, app_id, "application.accepted")
    assert ev.after["accepted_on"] == "2025-09-25" and ev.after["deemed"] is True


def test_an_officer_accepting_on_day_5_starts_the_clock_that_day(world, session):
    app_id = submitted_on(world, session, RECEIVED)
    app = service.accept(session, actor(session, "off", Role.officer), app_id, at=noon(DAY_5))
    assert (app.accepted_on, app.deemed_accepted) == (DAY_5, False)


# --- after acceptance: information requests, clock stops, referral ---------------------------


def test_a_request_for_information_leaves_the_clock_running(world, session):
    w = world
    app = w.to_state("under_review")
    left = app["deadline_info"]["working_days_left"]
    app = w.act(app["id"], "request-information", w.officer, {"request": "Send the signed end-use certificate"})
    d = app["deadline_info"]
    assert app["status"] == "information_requested" and d["clock_state"] == "running" and d["clock_running"]
    assert d["working_days_left"] == left and d["stopped_working_days"] == 0 and app["clock_stops"] == []
    assert app["information_requests"][0]["request"] == "Send the signed end-use certificate"
    assert "waiting for the applicant" in d["explanation_en"].lower()
    # the old clock-stop kind is gone from the pack: it cannot be used to stop the clock
    r = w.client.post(f"{API}/{app['id']}/stop-clock", json={"kind": "information_request", "reason": "more please"},
                      headers=w.officer)
    assert r.status_code == 422 and "does not stop the clock" in r.json()["detail"]
    app = w.act(app["id"], "respond", w.exporter, {"response": "Certificate uploaded"})
    assert app["status"] == "under_review" and app["information_requests"][0]["response"] == "Certificate uploaded"


def test_an_expert_opinion_stops_the_clock_and_records_start_and_end(world, session, cli):
    w = world
    app = w.to_state("under_review")
    i = app["id"]
    cal = calendar_for(get_pack().calendar)
    app = w.act(i, "stop-clock", w.officer, {"kind": "expert_opinion", "reason": "ask the magnet panel about coercivity"})
    d = app["deadline_info"]
    assert d["clock_state"] == "stopped" and d["stopped_by"] == "expert_opinion" and d["deadline"] is None
    assert d["stopped_since"] == pack_today().isoformat() and "restart_clock" in app["allowed_actions"]
    assert "stop_clock" not in app["allowed_actions"] and "recommend" not in app["allowed_actions"]
    (stop,) = app["clock_stops"]
    assert stop["kind"] == "expert_opinion" and stop["ended_on"] is None
    (ev,) = events(session, i, "application.clock_stopped")
    assert ev.after["kind"] == "expert_opinion" and ev.reason == "ask the magnet panel about coercivity"
    # as if accepted 17 days ago and stopped 7 days ago: the working days since the stop do not count
    session.expire_all()
    row = session.get(Application, i)
    row.clock_stops[0].started_on = pack_today() - dt.timedelta(days=7)
    row.accepted_on = pack_today() - dt.timedelta(days=17)
    session.commit()
    during = w.client.get(f"{API}/{i}", headers=w.officer).json()["deadline_info"]
    assert during["working_days_used"] == cal.working_days_between(row.accepted_on, row.clock_stops[0].started_on)
    assert during["working_days_left"] == 45 - during["working_days_used"]
    r = cli("applications", "restart-clock", str(i), "--outcome", "panel: within 1C902", "--json")
    assert r.exit_code == 0, r.output
    session.expire_all()
    row = session.get(Application, i)
    s = row.clock_stops[0]
    assert s.ended_on == pack_today() and s.response == "panel: within 1C902"
    (ev,) = events(session, i, "application.clock_restarted")
    assert ev.after["working_days_stopped"] == cal.working_days_between(s.started_on, s.ended_on)
    shown = w.client.get(f"{API}/{i}", headers=w.exporter).json()["deadline_info"]
    assert shown["clock_state"] == "running" and shown["stopped_working_days"] == ev.after["working_days_stopped"]
    assert shown["deadline"] == cal.add_working_days(row.accepted_on, 45 + shown["stopped_working_days"]).isoformat()


def test_clock_stops_forbidden_moves_are_409s(world, session):
    w = world
    body = {"kind": "on_site_check", "reason": "visit the end user's plant"}
    for state in ("draft", "submitted", "recommended", "approved", "refused", "withdrawn"):
        app = w.to_state(state)
        for path, b in (("stop-clock", body), ("restart-clock", {"outcome": "done"})):
            r = w.client.post(f"{API}/{app['id']}/{path}", json=b, headers=w.officer)
            assert r.status_code == 409 and r.json()["current_state"] == state, (state, path, r.text)
    app = w.to_state("under_review")
    r = w.client.post(f"{API}/{app['id']}/restart-clock", json={"outcome": "done"}, headers=w.officer)
    assert r.status_code == 409 and "not stopped" in r.json()["detail"]
    w.act(app["id"], "stop-clock", w.officer, body)
    before = session.scalar(select(func.count()).select_from(ClockStop))
    session.rollback()
    r = w.client.post(f"{API}/{app['id']}/stop-clock", json={"kind": "expert_opinion", "reason": "second"}, headers=w.officer)
    assert r.status_code == 409 and "already stopped for on_site_check" in r.json()["detail"]
    r = w.client.post(f"{API}/{app['id']}/recommend", json={"recommendation": "approve", "reasons": "fine"}, headers=w.officer)
    assert r.status_code == 409 and "clock is stopped" in r.json()["detail"]
    assert session.scalar(select(func.count()).select_from(ClockStop)) == before
    r = w.client.post(f"{API}/{app['id']}/stop-clock", json={"kind": "coffee", "reason": "x" * 5}, headers=w.officer)
    assert r.status_code == 422


def test_a_state_council_referral_removes_the_deadline(world, session, cli):
    w = world
    app = w.to_state("under_review")
    i = app["id"]
    r = w.client.post(f"{API}/{i}/refer", json={"reason": "major effect on national security"}, headers=w.officer)
    assert r.status_code == 403
    app = w.act(i, "refer", w.senior, {"reason": "major effect on national security"})
    d = app["deadline_info"]
    assert d["clock_state"] == "no_deadline" and d["no_deadline_case"] == "state_council_referral"
    assert d["deadline"] is None and d["working_days_left"] is None and d["legal_ref"] == "DUR Art. 17 para. 2"
    assert app["referred_on"] == pack_today().isoformat() and app["referral_reason"] == "major effect on national security"
    assert "refer" not in app["allowed_actions"]
    (ev,) = events(session, i, "application.referred_to_state_council")
    assert ev.actor == "sen" and ev.after["referred_on"] == pack_today().isoformat()
    session.rollback()
    r = w.client.post(f"{API}/{i}/refer", json={"reason": "again"}, headers=w.senior)
    assert r.status_code == 409 and "already referred" in r.json()["detail"]
    listed = w.client.get(API, headers=w.officer).json()["items"]
    assert next(x for x in listed if x["id"] == i)["clock_state"] == "no_deadline"
    # the case can still be decided; the decision closes it
    w.act(i, "recommend", w.officer, {"recommendation": "refuse", "reasons": "the State Council refused"})
    out = w.act(i, "decide", w.senior, {"decision": "refuse", "reasons": "the State Council refused"})
    assert out["deadline_info"]["clock_state"] == "decided"
    # from the CLI, on another case; not on a case not yet accepted
    other = w.to_state("under_review")["id"]
    r = cli("applications", "refer", str(other), "--reason", "national security", "--json")
    assert r.exit_code == 0 and '"clock_state": "no_deadline"' in r.output, r.output
    sub = w.to_state("submitted")["id"]
    r = cli("applications", "refer", str(sub), "--reason", "national security")
    assert r.exit_code != 0 and "submitted" in r.output


@pytest.mark.parametrize("role,want", [
    (Role.exporter, 403), (Role.officer, 200), (Role.senior_officer, 200), (Role.customs, 403),
    (Role.auditor, 403), (Role.admin, 403),
])
def test_who_may_stop_the_clock(world, as_role, role, want):
    app = world.to_state("under_review")
    r = world.client.post(f"{API}/{app['id']}/stop-clock", json={"kind": "technical_identification", "reason": "lab test"},
                          headers=as_role(role))
    assert r.status_code == want, r.text


@pytest.mark.parametrize("role,want", [
    (Role.officer, 403), (Role.senior_officer, 200), (Role.customs, 403), (Role.auditor, 403), (Role.admin, 403),
])
def test_who_may_refer(world, as_role, role, want):
    app = world.to_state("under_review")
    r = world.client.post(f"{API}/{app['id']}/refer", json={"reason": "national security"}, headers=as_role(role))
    assert r.status_code == want, r.text


def test_the_cli_shows_what_the_clock_is_doing_and_sorts_the_queue(world, session, cli):
    w = world
    waiting = submitted_on(w, session, pack_today())
    old = submitted_on(w, session, pack_today() - dt.timedelta(days=100))  # deemed accepted long ago: overdue
    w.to_state("under_review")
    r = cli("applications", "show", str(waiting))
    out = " ".join(r.output.split())  # the console wraps long lines
    assert r.exit_code == 0 and "clock awaiting_acceptance" in out and "应于" in out, out
    assert "Administrative Licensing Law Art. 32" in out
    out = " ".join(cli("applications", "show", str(old)).output.split())
    assert "clock running" in out and "deemed accepted on" in out and "OVERDUE" in out, out
    r = cli("applications", "list", "--by-days-left", "--json")
    assert r.exit_code == 0, r.output
    import json
    rows = json.loads(r.stdout)
    assert rows[0]["id"] == old and rows[0]["working_days_left"] < 0 and rows[-1]["working_days_left"] is None
    assert [x["clock_state"] for x in rows] == ["running", "running", "awaiting_acceptance"]
