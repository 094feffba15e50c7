"""An exporter's applications through the pages: the step-by-step draft (each step's errors beside
the field with the input kept), documents, check your answers and submit; the list; the
application's page with its actions (answer a request for information, withdraw, correct a
returned application); and who is refused (another organisation: 404; another role: 403;
a missing or forged form token: 403)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rarex.applications.models import Application, ApplicationDocument
from tests.applications.helpers import PDF, build_world
from tests.ui.helpers import HTML, csrf_of, post_form, sign_in


@pytest.fixture
def w(client, session):
    w = build_world(client, session)
    sign_in(client, "exp")
    return w


def _app(session, app_id: int) -> Application:
    session.expire_all()
    return session.get(Application, app_id)


def _new(client) -> int:
    r = post_form(client, "/applications/new", "/applications/new", licence_type="individual",
                  end_use_category="civil", end_use="NdFeB magnets for EV traction motors", requested_validity_months="6")
    assert r.status_code == 303, r.text
    return int(r.headers["location"].split("/")[2])


ITEM = {"rows": "1", "items-0-control_code": "1C905.b", "items-0-description": "Dysprosium oxide 99.5%",
        "items-0-quantity": "100", "items-0-unit": "kg", "items-0-value": "25000.00", "items-0-currency": "USD",
        "items-0-hs_code": "", "action": "save"}


def _upload(client, app_id: int, doc_type: str, name: str = "doc.pdf", data: bytes = PDF, media: str = "application/pdf",
            path: str | None = None, token: str | None = None):
    page = client.get(f"/applications/{app_id}/documents", headers=HTML)
    return client.post(path or f"/applications/{app_id}/documents", headers=HTML, follow_redirects=False,
                       data={"csrf_token": token if token is not None else csrf_of(page.text), "doc_type": doc_type},
                       files={"file": (name, data, media)})


def test_a_draft_goes_step_by_step_to_submission(client, w, session):
    app_id = _new(client)
    assert _app(session, app_id).end_use_category == "civil"
    r = post_form(client, f"/applications/{app_id}/items", f"/applications/{app_id}/items", **ITEM)
    assert r.status_code == 303 and r.headers["location"] == f"/applications/{app_id}/parties"
    assert [i.control_code for i in _app(session, app_id).items] == ["1C905.b"]
    r = post_form(client, f"/applications/{app_id}/parties", f"/applications/{app_id}/parties",
                  consignee_id=str(w.consignee), end_user_id=str(w.end_user))
    assert r.status_code == 303 and _app(session, app_id).end_user_id == w.end_user
    docs = client.get(f"/applications/{app_id}/documents", headers=HTML).text
    assert 'data-testid="required"' in docs and "Missing" in docs
    from rarex.policy.service import get_pack
    for doc_type in get_pack().required_documents("individual"):
        assert _upload(client, app_id, doc_type, f"{doc_type}.pdf").status_code == 303
    check = client.get(f"/applications/{app_id}/check", headers=HTML)
    assert check.status_code == 200 and 'data-testid="check-completeness"' in check.text
    assert 'data-testid="missing"' not in check.text and "Dysprosium oxide" in check.text
    r = post_form(client, f"/applications/{app_id}/submit", f"/applications/{app_id}/check")
    assert r.status_code == 303 and r.headers["location"] == f"/applications/{app_id}?done=submitted"
    assert str(_app(session, app_id).status) == "submitted"
    page = client.get(f"/applications/{app_id}?done=submitted", headers=HTML).text
    assert 'data-testid="clock"' in page and "Submitted" in page and "Withdraw the application" in page
    # a submitted case is no longer a draft: its steps lead back to its page
    assert client.get(f"/applications/{app_id}/items", headers=HTML, follow_redirects=False).status_code == 303


def test_the_start_step_keeps_what_was_typed_beside_each_error(client, w, session):
    before = session.scalar(select(Application.id).order_by(Application.id.desc()).limit(1))
    r = post_form(client, "/applications/new", "/applications/new", licence_type="", end_use_category="",
                  end_use="xy", requested_validity_months="abc")
    assert r.status_code == 400
    for field in ("licence_type", "end_use_category", "end_use", "requested_validity_months"):
        assert f'id="{field}-error"' in r.text
    assert 'value="abc"' in r.text and ">xy</textarea>" in r.text
    r = post_form(client, "/applications/new", "/applications/new", licence_type="individual", end_use_category="civil",
                  end_use="Magnets for motors", requested_validity_months="24")
    assert r.status_code == 400 and 'id="requested_validity_months-error"' in r.text  # an individual licence: 12 at most
    assert session.scalar(select(Application.id).order_by(Application.id.desc()).limit(1)) == before


def test_items_rows_are_added_and_removed_without_script_and_errors_sit_beside_the_field(client, w, session):
    app_id = _new(client)
    path = f"/applications/{app_id}/items"
    added = post_form(client, path, path, **{**ITEM, "action": "add"})
    assert added.status_code == 200 and 'name="items-1-control_code"' in added.text and 'value="Dysprosium oxide 99.5%"' in added.text
    assert _app(session, app_id).items == []  # adding a line saves nothing yet
    two = {**ITEM, "rows": "2", "items-1-control_code": "1C904.a", "items-1-description": "Terbium metal",
           "items-1-quantity": "-3", "items-1-unit": "kg", "items-1-value": "x", "items-1-currency": "USD"}
    bad = post_form(client, path, path, **two)
    assert bad.status_code == 400
    assert 'id="items-1-quantity-error"' in bad.text and 'id="items-1-value-error"' in bad.text
    assert 'value="-3"' in bad.text and 'id="items-0-quantity-error"' not in bad.text
    assert _app(session, app_id).items == []
    removed = post_form(client, path, path, **{**two, "action": "remove-1"})
    assert removed.status_code == 200 and 'name="items-1-control_code"' not in removed.text
    twice = post_form(client, path, path, **{**two, "items-1-control_code": "1C905.b", "items-1-quantity": "3",
                                             "items-1-value": "10"})
    assert twice.status_code == 400 and 'id="items-1-control_code-error"' in twice.text  # same item, same end user
    empty = post_form(client, path, path, rows="1", action="save", **{"items-0-unit": "kg", "items-0-currency": "USD"})
    assert empty.status_code == 400 and 'id="items-0-control_code-error"' in empty.text


def test_parties_must_be_chosen_from_the_organisations_own(client, w, session):
    app_id = _new(client)
    path = f"/applications/{app_id}/parties"
    page = client.get(path, headers=HTML).text
    assert "Magnetwerk Test GmbH" in page and 'href="/parties/new"' in page
    r = post_form(client, path, path, consignee_id="", end_user_id="")
    assert r.status_code == 400 and 'id="consignee_id-error"' in r.text and 'id="end_user_id-error"' in r.text
    from tests.factories import make_party
    foreign = make_party(session, w.other_org, name="Not Ours Ltd")
    session.commit()
    r = post_form(client, path, path, consignee_id=str(w.consignee), end_user_id=str(foreign.id))
    assert r.status_code == 400 and _app(session, app_id).end_user_id is None


def test_uploads_are_checked_and_a_document_can_be_removed(client, w, session):
    app_id = _new(client)
    bad = _upload(client, app_id, "contract", "contract.pdf", b"MZ\x90\x00 not a pdf")
    assert bad.status_code == 400 and 'id="file-error"' in bad.text
    no_type = _upload(client, app_id, "", "contract.pdf")
    assert no_type.status_code == 400 and 'id="doc_type-error"' in no_type.text
    assert _upload(client, app_id, "contract", "contract.pdf").status_code == 303
    doc = session.scalars(select(ApplicationDocument).where(ApplicationDocument.application_id == app_id)).one()
    r = post_form(client, f"/applications/{app_id}/documents/{doc.id}/remove", f"/applications/{app_id}/documents")
    assert r.status_code == 303
    assert session.scalars(select(ApplicationDocument).where(ApplicationDocument.application_id == app_id)).all() == []


def test_a_document_larger_than_other_forms_is_taken_and_one_over_the_limit_is_refused_beside_the_field(
        client, w, session, monkeypatch):
    from rarex.core.settings import get_settings

    app_id = _new(client)
    big = PDF + b"0" * (1536 * 1024)  # over the 1 MiB every other form is allowed
    assert _upload(client, app_id, "contract", "contract.pdf", big).status_code == 303
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 4096)
    r = _upload(client, app_id, "photographs", "photo.pdf", PDF + b"0" * 5000)
    assert r.status_code == 400 and 'id="file-error"' in r.text and "too large" in r.text
    assert [d.filename for d in _app(session, app_id).documents] == ["contract.pdf"]


def test_forms_without_or_with_a_forged_token_are_refused(client, w, session):
    app_id = _new(client)
    path = f"/applications/{app_id}/items"
    assert client.post(path, data=ITEM, headers=HTML).status_code == 403
    assert client.post(path, data={**ITEM, "csrf_token": "forged"}, headers=HTML).status_code == 403
    assert client.post("/applications/new", data={"licence_type": "individual"}, headers=HTML).status_code == 403
    assert _upload(client, app_id, "contract", token="forged").status_code == 403
    assert client.post(f"/applications/{app_id}/withdraw", data={"reason": "no", "csrf_token": ""}, headers=HTML).status_code == 403
    assert _app(session, app_id).items == [] and _app(session, app_id).documents == []
    assert str(_app(session, app_id).status) == "draft"


def test_another_organisation_finds_nothing_and_other_roles_are_refused(client, w, session):
    mine = w.to_state("information_requested")
    client.cookies.clear()
    sign_in(client, "exp_b")
    for path in (f"/applications/{mine['id']}", f"/applications/{mine['id']}/items", f"/applications/{mine['id']}/check",
                 f"/applications/{mine['id']}/start"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and "Magnetwerk" not in r.text, path
    r = post_form(client, f"/applications/{mine['id']}/respond", "/applications", response="not mine to answer")
    assert r.status_code == 404
    assert mine["reference"] not in client.get("/applications", headers=HTML).text
    client.cookies.clear()
    sign_in(client, "cus")
    assert client.get("/applications", headers=HTML).status_code == 403
    assert client.get("/applications/new", headers=HTML).status_code == 403
    assert client.get(f"/applications/{mine['id']}", headers=HTML).status_code == 403
    client.cookies.clear()
    sign_in(client, "off")  # the ministry's page of a case is /cases/{id}
    r = client.get(f"/applications/{mine['id']}", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{mine['id']}"
    assert client.get("/applications/new", headers=HTML).status_code == 403


def test_the_exporter_answers_a_request_with_a_document(client, w, session):
    case = w.to_state("information_requested")
    path = f"/applications/{case['id']}"
    page = client.get(path, headers=HTML).text
    assert 'data-testid="request"' in page and "Send the end-use certificate" in page
    assert "screening" not in page or "any match is reviewed by the ministry" in page  # no deliberation shown
    r = _upload(client, case["id"], "end_use_certificate", "signed.pdf", path=f"{path}/respond/documents",
                token=csrf_of(page))
    assert r.status_code == 303
    assert "signed.pdf" in client.get(path, headers=HTML).text
    empty = post_form(client, f"{path}/respond", path, response="")
    assert empty.status_code == 400 and 'id="response-error"' in empty.text
    assert post_form(client, f"{path}/respond", path, response="Signed certificate attached").status_code == 303
    assert str(_app(session, case["id"]).status) == "under_review"
    assert "Information provided" in client.get(path, headers=HTML).text


def test_withdraw_needs_a_reason(client, w, session):
    case = w.to_state("submitted")
    path = f"/applications/{case['id']}"
    r = post_form(client, f"{path}/withdraw", path, reason="")
    assert r.status_code == 400 and 'id="reason-error"' in r.text and str(_app(session, case["id"]).status) == "submitted"
    assert post_form(client, f"{path}/withdraw", path, reason="The buyer cancelled").status_code == 303
    assert str(_app(session, case["id"]).status) == "withdrawn"


def test_a_returned_application_shows_every_correction_and_is_corrected_through_the_steps(client, w, session):
    case = w.to_state("submitted")
    w.act(case["id"], "return", w.officer, {"reason": "Incomplete", "corrections": ["Sign the contract copy"]})
    page = client.get(f"/applications/{case['id']}", headers=HTML).text
    assert 'data-testid="returned"' in page and "Sign the contract copy" in page
    assert f'href="/applications/{case["id"]}/start"' in page
    assert client.get(f"/applications/{case['id']}/start", headers=HTML).status_code == 200


def test_the_list_sorts_pages_and_exports_csv(client, w, session):
    first = w.to_state("submitted")
    second = w.to_state("draft")
    page = client.get("/applications", headers=HTML).text
    assert page.index(second["reference"]) < page.index(first["reference"])  # newest first
    by_ref = client.get("/applications", params={"sort": "reference"}, headers=HTML).text
    assert by_ref.index(first["reference"]) < by_ref.index(second["reference"])
    drafts = client.get("/applications", params={"status": "draft"}, headers=HTML).text
    assert second["reference"] in drafts and first["reference"] not in drafts
    assert f'href="/applications/{second["id"]}"' in drafts  # a draft is resumed from the list
    resume = client.get(f"/applications/{second['id']}", headers=HTML).text
    assert f'href="/applications/{second["id"]}/check" data-testid="continue"' in resume
    csv = client.get("/applications", params={"format": "csv", "sort": "status"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("id,reference") and len(lines) == 3 and second["reference"] in lines[1]


def test_the_pages_in_chinese(client, w):
    app_id = _new(client)
    for path in ("/applications", f"/applications/{app_id}/items", f"/applications/{app_id}/check", f"/applications/{app_id}"):
        page = client.get(path, params={"lang": "zh"}, headers=HTML).text
        assert "Save and continue" not in page and "Your applications" not in page and "Check your answers" not in page
    assert "核对" in client.get(f"/applications/{app_id}/check", params={"lang": "zh"}, headers=HTML).text
