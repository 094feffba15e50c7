"""Every API route against every kind of caller, as the one table in core/authz says.

``ROUTES`` maps each ``/api/v1`` route (method + path template) to the authz action it needs
(a key of :data:`rarex.core.authz.PERMISSIONS`) or to ``PUBLIC``. A route the app has and the
table lacks fails ``test_table_covers_exactly_the_apps_routes``, so a new endpoint cannot ship
without a line here.

Each route is called by nine callers against real objects of one exporting organisation (the
"owner"), built once per backend through the API (tests/applications/helpers.build_world):

- anonymous                      -> 401 on anything not public
- a role PERMISSIONS leaves out  -> 403 (a buyer, tied to the owner's end user, almost everywhere)
- another organisation's exporter, where exporters may act but the object is the owner's
                                 -> 404, exactly as for an id that does not exist
- a role PERMISSIONS lets in     -> 2xx, or a 409 problem document when an earlier allowed
                                    caller already moved the object on (the officer accepted
                                    the case, so the senior officer's accept finds it under
                                    review): proof that authorisation passed
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rarex.core.authz import PERMISSIONS, Principal, Role
from rarex.core.db import get_engine, unit_of_work, utcnow
from rarex.demo.restricted import FILE as DEMO_LIST
from rarex.licences.models import Licence, LicenceStatus
from rarex.policy.service import get_pack
from rarex.screening.list_import import import_list
from rarex.users.models import User
from rarex.web.app import create_app
from tests.applications.helpers import PDF, build_world
from tests.conftest import _wipe
from tests.factories import PASSWORD, bearer, make_party, make_user, valid_uscc

PUBLIC = "public"
API = "/api/v1"

# --- the table -------------------------------------------------------------------------------

_seq = itertools.count(1)


def _unique() -> int:
    return next(_seq)


ITEM = {"control_code": "1C905.b", "hs_code": "2846901993", "description": "Dysprosium oxide 99.5%",
        "quantity": "10", "unit": "kg", "value": "2500.00", "currency": "USD"}


def _json(body: dict) -> Callable[[Any], dict]:
    return lambda world: {"json": body}


def _upload(world) -> dict:
    return {"data": {"doc_type": "contract"}, "files": {"file": ("contract.pdf", PDF, "application/pdf")}}


def _new_org(world) -> dict:
    n = 7_000_000 + _unique()
    return {"json": {"name_zh": f"矩阵测试公司{n}", "name_en": f"Matrix Test Co {n}", "uscc": valid_uscc(n)}}


def _new_user(world) -> dict:
    return {"json": {"username": f"matrix-user-{_unique()}", "role": "officer", "password": "long-enough-password"}}


def _new_shipment(world) -> dict:
    return {"json": shipment_body(world.ids["end_user"], f"MATRIX{_unique():06d}")}


def shipment_body(end_user: int, declaration: str) -> dict:
    """One kilogram of the licensed item to the licence's end user, declared today."""
    return {"declaration": declaration, "date": get_pack().today().isoformat(), "port": "CNTSN",
            "lines": [{"item": ITEM["control_code"], "end_user": str(end_user), "quantity": "1", "unit": "kg"}]}


#: An amendment request: lower the first line's quantity (a non-key element).
AMENDMENT = {"changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], "reason": "smaller order"}


def _new_application(world) -> dict:
    # Names the owner's parties: another organisation's exporter must not be able to use them.
    return {"json": {"licence_type": "individual", "consignee_id": world.ids["party"], "end_user_id": world.ids["end_user"],
                     "end_use": "magnet production", "items": [ITEM]}}


def _determine(world) -> dict:
    return {"json": {"element": "Dy", "form": "oxide", "destination": "JP", "end_user_category": "civil",
                     "end_use_category": "civil", "org": world.ids["org.uscc"]}}


REASON = {"reason": "matrix test reason"}


def _invitation_token(world) -> str:
    """A fresh one-time token for a buyer of the owner's end user, as an admin's invitation gives it."""
    from rarex.buyers.service import invite

    with unit_of_work() as s:
        return invite(s, Principal.system("matrix"), party_id=world.ids["end_user"],
                      username=f"matrix-invited-{_unique()}").token

#: A draft amendment that ends nothing and adds one suspension of No. 57 for a day.
IMPACT_DRAFT = """code: matrix-draft
description_en: A one-day suspension of No. 57
description_zh: 暂停实施第57号公告一日
effective_from: 2026-01-01
legal_ref: matrix draft
amendments:
  - {code: matrix-suspension, kind: suspension, announcement: "2025-70", description_en: x, description_zh: x,
     suspends_announcements: ["2025-57"], from: 2026-01-01, until: 2026-01-01, until_inclusive: true,
     legal_ref: matrix draft, confidence: unconfirmed}
"""


def _reapply(world) -> dict:
    # Puts one of the owner's parties in place of the licence's end user.
    return {"json": {"end_users": [{"end_user_id": world.ids["party"], "replaces_end_user_id": world.ids["end_user"]}]}}
PROFILE = {"has_icp": True, "export_experience_years": 5, "briefings_attended": 2, "stable_channels": True}
VIOLATION = {"kind": "administrative", "decided_on": "2019-03-01", "description": "late report", "legal_ref": "DUR Art. 40"}


def _owner_only(key: str) -> Callable[[Any, Any], bool]:
    """A list's leak check: no row of the owner organisation is in the other exporter's answer."""

    def no_owner_rows(body: Any, owner_org: int) -> bool:
        rows = body["items"] if isinstance(body, dict) else body
        return all(row[key] != owner_org for row in rows)

    return no_owner_rows


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # template, exactly as the app declares it
    action: str  # a PERMISSIONS key, or PUBLIC
    ids: dict[str, str] = field(default_factory=dict)  # path parameter -> key of World.ids
    body: Callable[[Any], dict] | None = None  # world -> keyword arguments for client.request
    owned: bool = False  # names the owner's object outside the path (in the body)
    leak_check: Callable[[Any, int], bool] | None = None  # for lists: nothing of the owner's
    fresh_token: bool = False  # the call spends the caller's token
    # path parameter -> value naming an object no organisation owns (a restricted-party list):
    # every allowed caller reaches it alike, so it does not make the route scoped
    shared: dict[str, str] = field(default_factory=dict)

    @property
    def scoped(self) -> bool:
        """The request reaches for a particular object of the owner organisation."""
        return bool(self.ids) or self.owned

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


APP = API + "/applications/{app_id}"
LIC = API + "/licences/{number}"
ORG = API + "/organisations/{org_id}"
LISTS = API + "/screening/lists"
MATRIX_LIST = "matrix-list"

ROUTES: list[Route] = [
    # users
    Route("POST", API + "/auth/token", PUBLIC, body=_json({"username": "exp", "password": PASSWORD})),
    # Any signed-in user may sign out: the same set of roles as me.read (all of them).
    Route("POST", API + "/auth/logout", "me.read", fresh_token=True),
    Route("GET", API + "/me", "me.read"),
    Route("GET", API + "/users", "user.read"),
    Route("POST", API + "/users", "user.manage", body=_new_user),
    # Account administration acts on a user of its own (never one of the callers).
    Route("POST", API + "/me/password", "me.password", body=_json({"current_password": PASSWORD,
                                                                   "new_password": "matrix-new-passphrase"})),
    Route("POST", API + "/users/{user_id}/deactivate", "user.manage", ids={"user_id": "user.to_deactivate"}),
    Route("POST", API + "/users/{user_id}/activate", "user.manage", ids={"user_id": "user.to_activate"}),
    Route("POST", API + "/users/{user_id}/password", "user.manage", ids={"user_id": "user.to_reset"},
          body=_json({"new_password": "matrix-reset-passphrase"})),
    Route("POST", API + "/users/{user_id}/revoke-tokens", "user.manage", ids={"user_id": "user.to_revoke"}),
    # policy: the law is public
    Route("GET", API + "/policy/control-list", PUBLIC),
    Route("POST", API + "/policy/classify", PUBLIC, body=_json({"element": "Dy", "form": "oxide"})),
    Route("GET", API + "/policy/licence-types", PUBLIC),
    Route("GET", API + "/policy/grounds", PUBLIC),
    Route("GET", API + "/calendar/deadline?from=2025-06-03&working_days=45", PUBLIC),
    # determination names the owner's organisation: its eligibility is the owner's to see
    Route("POST", API + "/policy/determine", "determination.run", body=_determine, owned=True),
    # the impact of a draft amendment reads every organisation's cases: the ministry's only
    Route("POST", API + "/policy/impact", "policy.impact", body=lambda world: {"content": IMPACT_DRAFT}),
    # the buyer's view of an end user (the owner's): the buyer tied to it, its exporter, the ministry
    Route("GET", API + "/buyer/cover", "buyer.cover.read", body=lambda world: {"params": {"party_id": world.ids["end_user"]}},
          owned=True),
    Route("POST", API + "/buyer/invitations", "buyer.invite", body=lambda world: {"json": {
        "party_id": world.ids["end_user"], "username": f"matrix-buyer-{_unique()}"}}, owned=True),
    # the invitation token is the credential: setting the first password needs no sign-in
    Route("POST", API + "/auth/invitation", PUBLIC, body=lambda world: {"json": {
        "token": _invitation_token(world), "password": "matrix-buyer-passphrase"}}),
    # organisations and parties
    Route("GET", API + "/organisations", "organisation.read", leak_check=_owner_only("id")),
    Route("POST", API + "/organisations", "organisation.create", body=_new_org),
    Route("GET", ORG, "organisation.read", ids={"org_id": "org"}),
    Route("PATCH", ORG, "organisation.update", ids={"org_id": "org"}, body=_json({"contact_phone": "+86 472 111 2222"})),
    Route("GET", ORG + "/compliance-profile", "organisation.read", ids={"org_id": "org"}),
    Route("PUT", ORG + "/compliance-profile", "organisation.update", ids={"org_id": "org"}, body=_json(PROFILE)),
    Route("POST", ORG + "/compliance-profile/verify", "compliance_profile.verify", ids={"org_id": "org"},
          body=_json({"note": "ICP audit report seen"})),
    Route("GET", ORG + "/violations", "organisation.read", ids={"org_id": "org"}),
    Route("POST", ORG + "/violations", "violation.record", ids={"org_id": "org"}, body=_json(VIOLATION)),
    Route("GET", ORG + "/eligibility", "eligibility.read", ids={"org_id": "org"}),
    Route("GET", API + "/parties", "party.read", leak_check=_owner_only("org_id")),
    Route("POST", API + "/parties", "party.write", body=_json({"name": "Nordmagnet AB", "country": "SE"})),
    Route("GET", API + "/parties/{party_id}", "party.read", ids={"party_id": "party"}),
    Route("GET", API + "/parties/{party_id}/versions", "party.read", ids={"party_id": "party"}),
    Route("PATCH", API + "/parties/{party_id}", "party.write", ids={"party_id": "party"},
          body=_json({"business": "magnet maker"})),
    # applications
    Route("GET", API + "/applications", "application.read", leak_check=_owner_only("org_id")),
    Route("POST", API + "/applications", "application.draft", body=_new_application, owned=True),
    Route("GET", APP, "application.read", ids={"app_id": "app.draft"}),
    Route("GET", APP + "/events", "application.read", ids={"app_id": "app.draft"}),
    Route("PATCH", APP, "application.draft", ids={"app_id": "app.draft"}, body=_json({"end_use": "magnet production"})),
    Route("POST", APP + "/documents", "application.draft", ids={"app_id": "app.draft"}, body=_upload),
    Route("GET", APP + "/documents/{doc_id}", "application.read", ids={"app_id": "app.draft", "doc_id": "doc"}),
    Route("DELETE", APP + "/documents/{doc_id}", "application.draft",
          ids={"app_id": "app.to_remove_doc", "doc_id": "doc.to_remove"}),
    Route("GET", APP + "/precheck", "application.read", ids={"app_id": "app.draft"}),
    Route("POST", APP + "/submit", "application.draft", ids={"app_id": "app.to_submit"}),
    Route("POST", APP + "/return", "application.review", ids={"app_id": "app.to_return"}, body=_json(REASON)),
    Route("POST", APP + "/accept", "application.review", ids={"app_id": "app.to_accept"}),
    Route("POST", APP + "/request-information", "application.review", ids={"app_id": "app.to_request"},
          body=_json({"request": "send the end-use certificate"})),
    Route("POST", APP + "/respond", "application.draft", ids={"app_id": "app.to_respond"},
          body=_json({"response": "certificate attached"})),
    Route("POST", APP + "/stop-clock", "application.review", ids={"app_id": "app.to_stop"},
          body=_json({"kind": "expert_opinion", "reason": "ask the magnet panel"})),
    Route("POST", APP + "/restart-clock", "application.review", ids={"app_id": "app.to_restart"},
          body=_json({"outcome": "the panel answered"})),
    Route("POST", APP + "/refer", "application.refer", ids={"app_id": "app.to_refer"}, body=_json(REASON)),
    Route("POST", APP + "/recommend", "application.review", ids={"app_id": "app.to_recommend"},
          body=_json({"recommendation": "approve", "reasons": "civil end use"})),
    Route("POST", APP + "/decide", "application.decide", ids={"app_id": "app.to_decide"},
          body=_json({"decision": "approve", "reasons": "agree"})),
    Route("POST", APP + "/withdraw", "application.draft", ids={"app_id": "app.to_withdraw"}, body=_json(REASON)),
    # licences
    Route("GET", API + "/licences", "licence.read", leak_check=_owner_only("org_id")),
    Route("GET", LIC, "licence.read", ids={"number": "licence"}),
    Route("GET", LIC + "/usage-report", "licence.read", ids={"number": "licence"}),
    Route("GET", LIC + "/events", "licence.read", ids={"number": "licence"}),
    Route("GET", LIC + "/document.pdf", "licence.read", ids={"number": "licence"}),
    Route("GET", API + "/verify/{number}", PUBLIC, ids={"number": "licence"}),
    Route("GET", API + "/licences/pending-revocations", "licence.read", leak_check=_owner_only("org_id")),
    Route("POST", LIC + "/suspend", "licence.control", ids={"number": "licence.to_suspend"},
          body=_json({**REASON, "ground": "factors_changed"})),
    Route("POST", LIC + "/reinstate", "licence.control", ids={"number": "licence.to_reinstate"},
          body=_json({**REASON, "ground": "checks_cleared"})),
    Route("POST", LIC + "/order-amendment", "licence.control", ids={"number": "licence.to_order"},
          body=_json({**REASON, "ground": "amendment_needed"})),
    Route("POST", LIC + "/withdraw", "licence.control", ids={"number": "licence.to_withdraw"},
          body=_json({**REASON, "ground": "factors_changed"})),
    Route("POST", LIC + "/revoke", "licence.control", ids={"number": "licence.to_revoke"},
          body=_json({**REASON, "ground": "fraud_or_bribery"})),
    Route("POST", LIC + "/sign-revocation", "licence.control", ids={"number": "licence.to_sign"}, body=_json(REASON)),
    Route("POST", LIC + "/reapply", "application.draft", ids={"number": "licence.to_reapply"}, body=_reapply),
    # amendments
    Route("POST", LIC + "/amendments", "amendment.request", ids={"number": "licence.to_amend"}, body=_json(AMENDMENT)),
    Route("GET", LIC + "/versions", "licence.read", ids={"number": "licence"}),
    Route("GET", API + "/amendments", "amendment.read", leak_check=_owner_only("org_id")),
    Route("GET", API + "/amendments/{amendment_id}", "amendment.read", ids={"amendment_id": "amendment"}),
    Route("GET", API + "/amendments/{amendment_id}/events", "amendment.read", ids={"amendment_id": "amendment"}),
    Route("POST", API + "/amendments/{amendment_id}/accept", "amendment.review",
          ids={"amendment_id": "amendment.to_accept"}),
    Route("POST", API + "/amendments/{amendment_id}/recommend", "amendment.review",
          ids={"amendment_id": "amendment.to_recommend"}, body=_json({"recommendation": "approve", "reasons": "fits"})),
    Route("POST", API + "/amendments/{amendment_id}/decide", "amendment.decide",
          ids={"amendment_id": "amendment.to_decide"}, body=_json({"decision": "approve", "reasons": "agree"})),
    Route("POST", API + "/amendments/{amendment_id}/withdraw", "amendment.withdraw",
          ids={"amendment_id": "amendment.to_withdraw"}, body=_json(REASON)),
    # shipments
    Route("POST", LIC + "/shipments", "shipment.record", ids={"number": "licence.to_ship"}, body=_new_shipment),
    Route("GET", LIC + "/shipments", "shipment.read", ids={"number": "licence"}),
    Route("GET", API + "/shipments/{declaration}", "shipment.read", ids={"declaration": "shipment"}),
    Route("POST", API + "/shipments/{declaration}/cancel", "shipment.cancel", ids={"declaration": "shipment.to_cancel"},
          body=_json(REASON)),
    # restricted-party lists: no organisation's own
    Route("GET", LISTS, "screening.list.read"),
    Route("GET", LISTS + "/{name}", "screening.list.read", shared={"name": MATRIX_LIST}),
    Route("GET", LISTS + "/{name}/versions/{version}/entities", "screening.list.read",
          shared={"name": MATRIX_LIST, "version": "1"}),
    # screening: search, and the hits on cases
    Route("POST", API + "/screening/search", "screening.search", body=_json({"name": "Shenzhen Star River Voyager"})),
    Route("GET", API + "/screening/hits", "screening.hits.read"),
    Route("GET", API + "/screening/hits/{hit_id}", "screening.hits.read", ids={"hit_id": "hit"}),
    Route("POST", API + "/screening/hits/{hit_id}/resolve", "screening.resolve", ids={"hit_id": "hit.to_resolve"},
          body=_json({"resolution": "false_positive", "reason": "matrix test reason"})),
    # audit
    Route("GET", API + "/audit/events", "audit.read"),
    Route("GET", API + "/audit/verify", "audit.verify"),
]

#: Ids that exist for no one, per path parameter (in range, so the answer is a lookup's).
MISSING = {"app_id": "999999", "doc_id": "999999", "org_id": "999999", "party_id": "999999", "number": "CNDU-I2099-999999",
           "declaration": "NOSUCHDECLARATION", "amendment_id": "999999", "hit_id": "999999",
           "user_id": "999999"}

CALLERS = ["anonymous", "exporter", "other_exporter", "officer", "senior_officer", "customs", "auditor", "admin", "buyer"]
ROLE_OF = {"exporter": Role.exporter, "other_exporter": Role.exporter, **{r.value: r for r in Role if r != Role.exporter}}
USERNAME = {"exporter": "exp", "other_exporter": "exp_b", "officer": "off", "senior_officer": "sen", "customs": "cus",
            "auditor": "aud", "admin": "adm", "buyer": "buy"}


def expected(route: Route, caller: str) -> int | str:
    """401, 403, 404, or "ok" (2xx, or a 409 once an earlier allowed caller moved the state on)."""
    if route.action == PUBLIC:
        return "ok"
    if caller == "anonymous":
        return 401
    if ROLE_OF[caller] not in PERMISSIONS[route.action]:
        return 403
    if caller == "other_exporter" and route.scoped:
        return 404
    return "ok"


# --- the world -------------------------------------------------------------------------------


@dataclass
class Matrix:
    client: TestClient
    session: Session
    ids: dict[str, Any]
    headers: dict[str, dict[str, str]]
    owner_org: int

    def auth(self, caller: str, *, fresh: bool = False) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if not fresh:
            return self.headers[caller]
        user = self.session.execute(select(User).where(User.username == USERNAME[caller])).scalar_one()
        return bearer(self.session, user)

    def url(self, route: Route, values: dict[str, Any] | None = None) -> str:
        if values is None:
            values = {param: self.ids[key] for param, key in route.ids.items()}
        return route.path.format(**route.shared, **values)

    def call(self, route: Route, caller: str, *, url: str | None = None):
        kwargs = route.body(self) if route.body else {}
        return self.client.request(route.method, url or self.url(route),
                                   headers=self.auth(caller, fresh=route.fresh_token), **kwargs)


@pytest.fixture(scope="module")
def matrix(backend):
    """One owner organisation with an object in the right state for each route, per backend."""
    _wipe(get_engine())
    session = Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
    with TestClient(create_app(run_startup_jobs=False), raise_server_exceptions=False) as client:
        w = build_world(client, session)
        draft = w.to_state("draft")
        w.upload_required(draft["id"])
        doc = client.get(f"{API}/applications/{draft['id']}", headers=w.exporter).json()["documents"][0]["id"]
        with_doc = w.to_state("draft")
        w.upload_required(with_doc["id"])
        to_remove = client.get(f"{API}/applications/{with_doc['id']}", headers=w.exporter).json()["documents"][0]["id"]
        ids: dict[str, Any] = {
            "org": w.org.id, "org.uscc": w.org.uscc, "party": w.consignee, "end_user": w.end_user,
            "app.draft": draft["id"], "doc": doc,
            "app.to_remove_doc": with_doc["id"], "doc.to_remove": to_remove,
            "app.to_submit": w.to_state("draft")["id"],
            "app.to_withdraw": w.to_state("draft")["id"],
            "app.to_return": w.to_state("submitted")["id"],
            "app.to_accept": w.to_state("submitted")["id"],
            "app.to_request": w.to_state("under_review")["id"],
            "app.to_recommend": w.to_state("under_review")["id"],
            "app.to_stop": w.to_state("under_review")["id"],
            "app.to_restart": w.to_state("under_review")["id"],
            "app.to_refer": w.to_state("under_review")["id"],
            "app.to_respond": w.to_state("information_requested")["id"],
            "app.to_decide": w.to_state("recommended")["id"],
        }
        for key in ("licence", "licence.to_suspend", "licence.to_reinstate", "licence.to_revoke", "licence.to_amend",
                    "licence.to_ship", "licence.to_order", "licence.to_withdraw", "licence.to_sign", "licence.to_reapply"):
            ids[key] = w.to_state("approved")["licence_number"]
            assert ids[key], "approval issues a licence"
        w.act(ids["app.to_restart"], "stop-clock", w.officer, {"kind": "on_site_check", "reason": "visit the plant"})
        for key in ("amendment", "amendment.to_accept", "amendment.to_recommend", "amendment.to_decide",
                    "amendment.to_withdraw"):
            number = w.to_state("approved")["licence_number"]
            r = client.post(f"{API}/licences/{number}/amendments", json=AMENDMENT, headers=w.exporter)
            assert r.status_code == 201, r.text
            ids[key] = r.json()["id"]
        for key in ("amendment.to_recommend", "amendment.to_decide"):
            r = client.post(f"{API}/amendments/{ids[key]}/accept", headers=w.officer)
            assert r.status_code == 200, r.text
        r = client.post(f"{API}/amendments/{ids['amendment.to_decide']}/recommend",
                        json={"recommendation": "approve", "reasons": "fits"}, headers=w.officer)
        assert r.status_code == 200, r.text
        for key in ("licence.to_reinstate", "licence.to_order", "licence.to_withdraw"):
            r = client.post(f"{API}/licences/{ids[key]}/suspend", json={**REASON, "ground": "factors_changed"},
                            headers=w.senior)
            assert r.status_code == 200, r.text
        # A revocation proposed on an exclusion (as rarex.licences.exclusion leaves it), to be signed.
        session.execute(update(Licence).where(Licence.number == ids["licence.to_sign"]).values(
            status=LicenceStatus.suspended, revocation_proposed_at=utcnow(), revocation_ground="art20_exclusion",
            revocation_reason="criminal penalty recorded"))
        session.commit()
        for key in ("shipment", "shipment.to_cancel"):  # each on a licence of its own: one export ends it
            ids[key] = f"MATRIX-{key.upper().replace('.', '-')}"
            number = w.to_state("approved")["licence_number"]
            r = client.post(f"{API}/licences/{number}/shipments", json=shipment_body(w.end_user, ids[key]), headers=w.customs)
            assert r.status_code == 201, r.text
        with unit_of_work() as s:
            import_list(s, Principal.system("matrix"), DEMO_LIST, list_name=MATRIX_LIST, format="ftm")
        # An end user named like a listed entity: its application's screening finds a hit.
        listed = make_party(session, w.org, name="Shenzhen Star River Voyager Electronics Trading Co., Ltd.", country="CN")
        session.commit()
        for key in ("hit", "hit.to_resolve"):
            app = w.draft(end_user_id=listed.id)
            w.upload_required(app["id"])
            w.act(app["id"], "submit", w.exporter)
            r = client.get(f"{API}/screening/hits", params={"application_id": app["id"]}, headers=w.officer)
            assert r.status_code == 200 and r.json()["items"], r.text
            ids[key] = r.json()["items"][0]["id"]
        for key in ("user.to_deactivate", "user.to_activate", "user.to_reset", "user.to_revoke"):
            ids[key] = make_user(session, Role.officer, username=f"matrix-{key.split('.')[1]}").id
        session.execute(update(User).where(User.id == ids["user.to_activate"]).values(active=False))
        session.commit()
        # A buyer account tied to the owner's end user (invited buyers are tied to exactly one party).
        buyer = make_user(session, Role.buyer, username=USERNAME["buyer"])
        session.execute(update(User).where(User.id == buyer.id).values(party_id=w.end_user))
        session.commit()
        headers = {"exporter": w.exporter, "other_exporter": w.other_exporter, "officer": w.officer,
                   "senior_officer": w.senior, "customs": w.customs, "auditor": w.auditor, "admin": w.admin,
                   "buyer": bearer(session, buyer)}
        yield Matrix(client, session, ids, headers, w.org.id)
    session.close()


def assert_problem(resp, status: int) -> dict:
    assert resp.status_code == status, f"{resp.status_code} {resp.text[:500]}"
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body = resp.json()
    assert body["status"] == status and body["type"] and body["title"] and body["detail"], body
    return body


# --- the table itself ------------------------------------------------------------------------


def app_api_routes() -> set[tuple[str, str]]:
    """(method, path) of every API route of a fresh app; FastAPI keeps included routers nested."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI flattens included routers into app.routes
        def iter_route_contexts(routes):
            return routes

    found = set()
    for route in iter_route_contexts(create_app(run_startup_jobs=False).routes):
        path = getattr(route, "path", None) or ""
        if not path.startswith(API + "/"):
            continue  # pages, /healthz, /static, /openapi.json and the docs
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, path))
    return found


def test_table_covers_exactly_the_apps_routes():
    table = {(r.method, r.path.split("?")[0]) for r in ROUTES}
    app = app_api_routes()
    assert len(table) == len(ROUTES), "a route is listed twice"
    assert not app - table, f"routes without an entry in ROUTES: {sorted(app - table)}"
    assert not table - app, f"ROUTES lists routes the app does not have: {sorted(table - app)}"


def test_table_names_only_known_actions():
    assert {r.action for r in ROUTES} - {PUBLIC} <= set(PERMISSIONS)


# --- every route x every caller --------------------------------------------------------------

CASES = [pytest.param(route, caller, id=f"{route.label} [{caller}]") for route in ROUTES for caller in CALLERS]


@pytest.mark.parametrize("route,caller", CASES)
def test_access(matrix, route: Route, caller: str):
    resp = matrix.call(route, caller)
    want = expected(route, caller)
    if want == "ok":
        if resp.status_code == 409:
            assert_problem(resp, 409)  # a state conflict, after authorisation passed
        else:
            assert 200 <= resp.status_code < 300, f"{route.label} as {caller}: {resp.status_code} {resp.text[:500]}"
        if caller == "other_exporter" and route.leak_check and resp.status_code == 200:
            assert route.leak_check(resp.json(), matrix.owner_org), f"{route.label} shows the owner's rows to another exporter"
    else:
        body = assert_problem(resp, want)
        if want == 401:
            assert resp.headers["www-authenticate"] == "Bearer"
        if want == 403:
            assert body.get("action") == route.action, body


# --- refusals say nothing about existence ---------------------------------------------------

OBJECT_CASES = [
    pytest.param(route, caller, id=f"{route.label} [{caller}]")
    for route in ROUTES if route.ids
    for caller in CALLERS if caller != "anonymous" and expected(route, caller) in (403, 404)
]


@pytest.mark.parametrize("route,caller", OBJECT_CASES)
def test_refusal_is_the_same_for_a_missing_object(matrix, route: Route, caller: str):
    """A caller turned away from the owner's object gets the answer it gets for no object at all."""
    real = matrix.call(route, caller)
    missing = matrix.call(route, caller, url=matrix.url(route, {p: MISSING[p] for p in route.ids}))
    want = expected(route, caller)
    a, b = assert_problem(real, want), assert_problem(missing, want)
    assert (a["type"], a["title"]) == (b["type"], b["title"])


# --- a password an admin reset opens nothing but its own change ------------------------------

#: What a user whose password was reset may still do: change it, or sign out.
AFTER_RESET = {"me.password", PUBLIC}
RESET_CASES = [pytest.param(route, id=route.label) for route in ROUTES
               if route.action not in AFTER_RESET and route.path != API + "/auth/logout"]


@pytest.fixture(scope="module")
def must_change(matrix) -> dict[Role, dict[str, str]]:
    """Per role, the headers of a user of that role whose password an admin reset."""
    headers = {}
    for role in Role:
        user = make_user(matrix.session, role, None, username=f"reset-{role.value}")
        matrix.session.execute(update(User).where(User.id == user.id).values(
            must_change_password=True, org_id=matrix.owner_org if role == Role.exporter else None))
        matrix.session.commit()
        headers[role] = bearer(matrix.session, user)
    return headers


@pytest.mark.parametrize("route", RESET_CASES)
def test_a_reset_password_must_be_changed_first(matrix, must_change, route: Route):
    role = next(r for r in Role if r in PERMISSIONS[route.action])  # a role the table lets in
    kwargs = route.body(matrix) if route.body else {}
    resp = matrix.client.request(route.method, matrix.url(route), headers=must_change[role], **kwargs)
    body = assert_problem(resp, 403)
    assert body["type"].endswith("/password-change-required") and "/api/v1/me/password" in body["detail"], body
