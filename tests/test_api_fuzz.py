"""Nothing a user can send makes the API answer 5xx, and every refusal is a problem document.

Two parts:

- **Schemathesis** generates requests from the app's own OpenAPI document for every operation,
  as an admin, an officer and an exporter (and a senior officer or customs where only they may
  act; public operations once, without a token): data that fits the schema (positive, mostly
  aimed at real objects in every state, so the services run and not just the validators) and
  data that does not (negative). No 5xx; every 4xx is ``application/problem+json`` with
  ``type``, ``title``, ``status`` and ``detail``. SQLite only, deterministic (derandomized
  Hypothesis), bounded.
- **Hand-written** malformed requests on a handful of endpoints of every router: broken JSON,
  the wrong content type, huge and negative ids, NUL and other junk, broken multipart. Each is
  a 4xx problem document and changes nothing: every table's row count, the audit log included,
  is the same afterwards. These run on both databases (PostgreSQL is the stricter one).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rarex.core.authz import Principal, Role
from rarex.core.db import get_engine, unit_of_work
from rarex.core.models import metadata
from rarex.core.settings import get_settings
from rarex.demo.restricted import FILE as DEMO_LIST
from rarex.policy.service import get_pack
from rarex.screening.list_import import import_list
from rarex.users.models import User
from rarex.web.app import create_app
from tests.applications.helpers import PDF, build_world
from tests.conftest import _wipe
from tests.factories import bearer, make_party, make_user, valid_uscc

API = "/api/v1"
HUGE = "99999999999999999999"

#: One app for the schema and every generated request; its database is whichever the
#: ``backend`` fixture points rarex at when a request arrives.
APP = create_app(run_startup_jobs=False)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
# Each run sends its role's token; generated (or deliberately broken) Authorization headers
# would only turn requests into 401s before they reach anything worth fuzzing.
SCHEMA.config.generation.update(with_security_parameters=False)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}

FUZZ_ROLES = ["admin", "officer", "exporter"]
#: Operations only a senior officer or customs may perform: fuzzed as that role too, so that
#: generated requests get past the 403.
EXTRA_ROLE = {"/decide": "senior", "/suspend": "senior", "/reinstate": "senior", "/revoke": "senior",
              "/order-amendment": "senior", "POST /api/v1/licences/{number}/withdraw": "senior",
              "/sign-revocation": "senior",
              "POST /api/v1/licences/{number}/shipments": "customs", "/cancel": "customs"}
#: Examples per operation, role and mode: 3 roles x (12 + 6) = 54 requests per operation.
#: Negative data is nearly always stopped by validation (a 422), so it gets fewer.
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}


# --- the world -------------------------------------------------------------------------------


@dataclass
class World:
    client: TestClient
    session: Session
    headers: dict[str, dict[str, str]]
    users: dict[str, str]  # role -> username
    real: dict[str, list[Any]]  # path parameter -> ids of real objects
    # Objects of the hand-written checks, kept out of ``real`` so generated requests never
    # move them on (a withdrawn draft would turn a refused upload into a 409 for the wrong reason).
    app_id: int  # a draft with its documents
    org_id: int
    party_id: int
    licence: str  # active
    protected_users: frozenset[int] = frozenset()  # never the target of account administration

    def fresh(self, role: str) -> dict[str, str]:
        """A token of its own, for a request that spends it (POST /auth/logout)."""
        user = self.session.execute(select(User).where(User.username == self.users[role])).scalar_one()
        return bearer(self.session, user)


@pytest.fixture(scope="module")
def world(backend):
    """Objects in every state, built through the API once per backend."""
    _wipe(get_engine())
    session = Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
    with TestClient(APP, raise_server_exceptions=False) as client:
        w = build_world(client, session)
        other_party = make_party(session, w.other_org, country="JP")
        session.commit()
        draft = w.to_state("draft")
        w.upload_required(draft["id"])
        doc = client.get(f"{API}/applications/{draft['id']}", headers=w.exporter).json()["documents"][0]["id"]
        apps = [draft] + [w.to_state(s) for s in ("submitted", "under_review", "information_requested", "recommended", "approved")]
        licence = apps[-1]["licence_number"]
        suspended = w.to_state("approved")["licence_number"]
        hand_draft = w.to_state("draft")
        w.upload_required(hand_draft["id"])
        hand_licence = w.to_state("approved")["licence_number"]
        r = client.post(f"{API}/licences/{suspended}/suspend", json={"reason": "under re-examination", "ground": "factors_changed"},
                        headers=w.senior)
        assert r.status_code == 200, r.text
        amended = w.to_state("approved")["licence_number"]
        r = client.post(f"{API}/licences/{amended}/amendments", headers=w.exporter, json={
            "changes": [{"kind": "change_quantity", "line_no": 1, "quantity": "1000"}], "reason": "smaller order"})
        assert r.status_code == 201, r.text
        amendment = r.json()["id"]
        shipped = w.to_state("approved")["licence_number"]
        r = client.post(f"{API}/licences/{shipped}/shipments", headers=w.customs, json={
            "declaration": "FUZZ-1", "date": get_pack().today().isoformat(), "port": "CNTSN",
            "lines": [{"item": "1C905.b", "end_user": str(w.end_user), "quantity": "1", "unit": "kg"}]})
        assert r.status_code == 201, r.text
        with unit_of_work() as s:
            import_list(s, Principal.system("fuzz"), DEMO_LIST, list_name="fuzz-list", format="ftm")
        real = {
            "app_id": [a["id"] for a in apps],
            "doc_id": [doc],
            "org_id": [w.org.id, w.other_org.id],
            "party_id": [w.consignee, other_party.id],
            "number": [licence, suspended, amended, shipped],
            "amendment_id": [amendment],
            "declaration": ["FUZZ-1"],
            "name": ["fuzz-list"],  # a restricted-party list
            "version": [1],
            # Account administration aims at a user of its own: deactivating or signing out the
            # world's users would turn every later request into a 401.
            "user_id": [make_user(session, Role.officer, username="fuzz-target").id],
        }
        session.commit()
        protected = frozenset(session.execute(select(User.id).where(User.username != "fuzz-target")).scalars())
        yield World(
            client, session,
            headers={"admin": w.admin, "officer": w.officer, "exporter": w.exporter, "senior": w.senior, "customs": w.customs},
            users={"admin": "adm", "officer": "off", "exporter": "exp", "senior": "sen", "customs": "cus"},
            real=real, app_id=hand_draft["id"], org_id=w.org.id, party_id=w.end_user, licence=hand_licence,
            protected_users=protected,
        )
    session.close()


@pytest.fixture
def sqlite_world(world, backend):
    if backend != "sqlite":
        pytest.skip("schemathesis runs on SQLite only; the hand-written checks cover PostgreSQL")
    return world


# --- what every answer must be ---------------------------------------------------------------


def _header(headers, name: str) -> str:
    value = headers.get(name) or headers.get(name.lower()) or ""
    return value[0] if isinstance(value, list) else value


def assert_sound(status: int, headers, body_json, where: str) -> None:
    """No 5xx; a 4xx is an RFC 9457 problem document that agrees with the status line."""
    assert status < 500, f"{where}: server error {status}"
    if 400 <= status < 500:
        ctype = _header(headers, "content-type")
        assert ctype.startswith("application/problem+json"), f"{where}: {status} with content type {ctype!r}"
        body = body_json()
        assert isinstance(body, dict), f"{where}: problem body is {body!r}"
        missing = {"type", "title", "status", "detail"} - body.keys()
        assert not missing, f"{where}: problem document lacks {sorted(missing)}: {body}"
        assert body["status"] == status, f"{where}: status {status} but problem says {body['status']}"
        assert isinstance(body["detail"], str) and body["detail"], f"{where}: empty detail: {body}"


# --- schemathesis ----------------------------------------------------------------------------


def _real_path_combos(world: World, op) -> list[dict[str, Any]]:
    names = [p.name for p in op.path_parameters]
    if not names or any(n not in world.real for n in names):
        return []  # nothing to aim at (or a new kind of object this world does not build yet)
    return [dict(zip(names, values)) for values in itertools.product(*(world.real[n] for n in names))]


def _strategy(world: World, op, mode: GenerationMode):
    strategies = [op.as_strategy(generation_mode=mode)]
    # Generated ids almost never exist; aim positive data at real objects too, so that the
    # services (state machines, checks, storage) run on it, not only the validators.
    if mode == GenerationMode.POSITIVE:
        strategies += [op.as_strategy(generation_mode=mode, path_parameters=c) for c in _real_path_combos(world, op)]
    strategy = st.one_of(strategies)
    if any(p.name == "user_id" for p in op.path_parameters):
        protected = {str(i) for i in world.protected_users}
        strategy = strategy.filter(lambda case: str((case.path_parameters or {}).get("user_id")).strip() not in protected)
    return strategy


def _roles(label: str, op) -> list[str]:
    """Public operations (no security requirement in the schema) answer everyone alike: one role."""
    if not getattr(op.definition, "raw", {}).get("security"):
        return ["anonymous"]
    return FUZZ_ROLES + [extra for suffix, extra in EXTRA_ROLE.items() if label.endswith(suffix)]


def _modes(op) -> list[GenerationMode]:
    """Negative data needs something to break: an operation without parameters or body has none."""
    return list(EXAMPLES) if (list(op.iter_parameters()) or op.body) else [GenerationMode.POSITIVE]


FUZZ_CASES = [
    pytest.param(label, role, mode, id=f"{label} [{role}, {mode.value}]")
    for label, op in OPERATIONS.items()
    for role in _roles(label, op)
    for mode in _modes(op)
]


@pytest.mark.parametrize("label,role,mode", FUZZ_CASES)
def test_no_server_error_for_generated_requests(sqlite_world: World, label: str, role: str, mode: GenerationMode):
    world = sqlite_world
    op = OPERATIONS[label]
    spends_token = label == f"POST {API}/auth/logout"

    @settings(
        max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(world, op, mode))
    def run(case):
        headers = world.fresh(role) if spends_token else world.headers.get(role, {})
        try:
            resp = case.call(headers=headers)
        except Exception as exc:  # the in-process transport re-raises what the app did not handle
            raise AssertionError(f"{label} as {role}: the app raised {exc!r}\n{case.as_curl_command(headers=headers)}") from exc
        shown = resp.content[:500].decode("utf-8", "replace")  # a PDF download is not text
        where = f"{label} as {role} ({mode.value})\n{case.as_curl_command(headers=headers)}\n{shown}"
        assert_sound(resp.status_code, resp.headers, resp.json, where)

    run()


# --- hand-written malformed requests ---------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows of every table, and the files in the document store (uploads land there first)."""
    with get_engine().connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}
    store = get_settings().documents_dir
    counts["stored files"] = sum(1 for p in store.rglob("*") if p.is_file()) if store.exists() else 0
    return counts


def assert_refused(world: World, method: str, url: str, *, role: str | None = "admin", expect: int | None = None, **kwargs):
    """The request is a 4xx problem document and every table is as it was."""
    before = row_counts()
    headers = {**(world.headers[role] if role else {}), **kwargs.pop("headers", {})}
    resp = world.client.request(method, url, headers=headers, **kwargs)
    where = f"{method} {url} as {role}: {resp.status_code} {resp.text[:300]}"
    assert 400 <= resp.status_code < 500, where
    if expect is not None:
        assert resp.status_code == expect, where
    assert_sound(resp.status_code, resp.headers, resp.json, where)
    after = row_counts()
    assert after == before, f"{where}: rows changed: " + ", ".join(
        f"{t} {before[t]}->{after[t]}" for t in before if before[t] != after[t])
    return resp.json()


#: (method, path, role) of JSON endpoints from every router; {app}, {org}, {party}, {licence} are real.
JSON_ENDPOINTS = [
    ("POST", "/auth/token", None),
    ("POST", "/users", "admin"),
    ("POST", "/policy/classify", None),
    ("POST", "/policy/determine", "officer"),
    ("POST", "/organisations", "admin"),
    ("PATCH", "/organisations/{org}", "admin"),
    ("PUT", "/organisations/{org}/compliance-profile", "exporter"),
    ("POST", "/organisations/{org}/violations", "admin"),
    ("POST", "/parties", "exporter"),
    ("PATCH", "/parties/{party}", "exporter"),
    ("POST", "/applications", "exporter"),
    ("PATCH", "/applications/{app}", "exporter"),
    ("POST", "/applications/{app}/withdraw", "exporter"),
    ("POST", "/applications/{app}/request-information", "officer"),
    ("POST", "/applications/{app}/stop-clock", "officer"),
    ("POST", "/applications/{app}/refer", "senior"),
    ("POST", "/licences/{licence}/suspend", "senior"),
    ("POST", "/licences/{licence}/amendments", "exporter"),
    ("POST", "/licences/{licence}/shipments", "customs"),
]


def _url(world: World, path: str) -> str:
    return API + path.format(app=world.app_id, org=world.org_id, party=world.party_id, licence=world.licence)


def _ids(rows):
    return [f"{m} {p}" for m, p, _ in rows]


@pytest.mark.parametrize("method,path,role", JSON_ENDPOINTS, ids=_ids(JSON_ENDPOINTS))
def test_malformed_json_is_refused(world, method, path, role):
    for raw in ('{"a":', "{", "[1, 2", '{"name": "x",}', "null", "[]", '"text"', "\xff\xfe", ""):
        assert_refused(world, method, _url(world, path), role=role, expect=422, content=raw.encode("latin-1"),
                       headers={"content-type": "application/json"})


@pytest.mark.parametrize("method,path,role", JSON_ENDPOINTS, ids=_ids(JSON_ENDPOINTS))
def test_wrong_content_type_is_refused(world, method, path, role):
    for ctype, content in (("text/plain", b'{"reason": "valid json, wrong type"}'),
                           ("application/x-www-form-urlencoded", b"reason=form+data"),
                           ("application/xml", b"<reason>xml</reason>")):
        assert_refused(world, method, _url(world, path), role=role, content=content, headers={"content-type": ctype})


#: Text that is never acceptable in stored text: NUL (PostgreSQL cannot hold it, so it must be
#: refused on both databases alike) and lone surrogates (not UTF-8 at all). As JSON source.
NUL = ['"a\\u0000b"', '"\\u0000"']
SURROGATES = ['"\\ud800"', '"x\\udfff\\ud800y"']

JUNK_CASES = [
    ("POST", "/auth/token", None, "username", {"password": "long-enough-password"}, NUL + SURROGATES),
    ("POST", "/users", "admin", "display_name", {"username": "junk", "role": "officer", "password": "long-enough-password"},
     NUL + SURROGATES),
    ("POST", "/organisations", "admin", "name_en", {"name_zh": "测试公司", "uscc": valid_uscc(8_765_432)}, NUL + SURROGATES),
    ("PATCH", "/organisations/{org}", "admin", "address", {}, NUL + SURROGATES),
    ("POST", "/parties", "exporter", "name", {"country": "DE"}, NUL + SURROGATES),
    ("PATCH", "/parties/{party}", "exporter", "business", {}, NUL + SURROGATES),
    ("PATCH", "/applications/{app}", "exporter", "end_use", {}, NUL + SURROGATES),
    ("POST", "/applications/{app}/withdraw", "exporter", "reason", {}, NUL + SURROGATES),
    ("POST", "/licences/{licence}/suspend", "senior", "reason", {"ground": "factors_changed"}, NUL + SURROGATES),
    # Classification stores nothing, so NUL there is harmless; broken UTF-8 is still refused.
    ("POST", "/policy/classify", None, "description", {}, SURROGATES),
    ("POST", "/policy/determine", "officer", "end_use", {"element": "Dy", "destination": "JP", "end_user_category": "civil"},
     SURROGATES),
]


@pytest.mark.parametrize("method,path,role,field,body,junk", JUNK_CASES, ids=[f"{m} {p} {f}" for m, p, _, f, _, _ in JUNK_CASES])
def test_unicode_junk_in_text_is_refused(world, method, path, role, field, body, junk):
    for text in junk:
        raw = json.dumps(body)[:-1] + (", " if body else "") + f'"{field}": {text}' + "}"
        assert_refused(world, method, _url(world, path), role=role, expect=422, content=raw.encode(),
                       headers={"content-type": "application/json"})


#: GETs with absurd path or query values: huge, negative, not numbers, NUL, surrogate bytes.
BAD_READS = [
    ("/applications/" + HUGE, "officer"),
    ("/applications/-1", "officer"),
    ("/applications/0", "officer"),
    ("/applications/1e3", "officer"),
    ("/applications/{app}/documents/" + HUGE, "exporter"),
    ("/applications/{app}/documents/-7", "exporter"),
    ("/applications?org_id=" + HUGE, "officer"),
    ("/applications?limit=" + HUGE, "officer"),
    ("/applications?limit=-1", "officer"),
    ("/applications?status=%F0%9F%92%A9", "officer"),
    ("/applications?cursor=" + HUGE, "officer"),
    ("/organisations/" + HUGE, "admin"),
    ("/organisations/-5/violations", "admin"),
    ("/parties/" + HUGE, "exporter"),
    ("/parties/-1", "exporter"),
    ("/parties?org_id=" + HUGE, "admin"),
    ("/parties?q=%00", "exporter"),
    ("/parties?country=%ED%A0%80", "exporter"),
    ("/parties?limit=" + HUGE, "exporter"),
    ("/licences/%00", "officer"),
    ("/licences/" + "9" * 41, "officer"),
    ("/licences?org_id=-1", "officer"),
    ("/licences?limit=" + HUGE, "officer"),
    ("/licences?status=%00", "officer"),
    ("/licences/{licence}/shipments?limit=" + HUGE, "officer"),
    ("/shipments/%00", "officer"),
    ("/shipments/" + "9" * 41, "officer"),
    ("/amendments/" + HUGE, "officer"),
    ("/amendments?licence=%00", "officer"),
    ("/organisations/{org}/eligibility?on=" + HUGE, "officer"),
    ("/audit/events?limit=" + HUGE, "admin"),
    ("/audit/events?stream=%00", "admin"),
    ("/audit/events?cursor=%ED%A0%80", "admin"),
    ("/calendar/deadline?from=2025-01-01&working_days=" + HUGE, None),
    ("/calendar/deadline?from=2025-01-01&working_days=-1", None),
    ("/calendar/deadline?from=99999999-01-01&working_days=1", None),
    ("/policy/control-list?on=" + HUGE, None),
    ("/policy/control-list?on=%00", None),
    ("/screening/lists/%00", "officer"),
    ("/screening/lists/" + "x" * 81, "officer"),
    ("/screening/lists/no-such-list", "exporter"),
    ("/screening/lists/fuzz-list/versions/" + HUGE + "/entities", "officer"),
    ("/screening/lists/fuzz-list/versions/-1/entities", "officer"),
    ("/screening/lists/fuzz-list/versions/9/entities", "officer"),
    ("/screening/lists/fuzz-list/versions/1/entities?limit=" + HUGE, "officer"),
    ("/screening/lists/fuzz-list/versions/1/entities?cursor=%ED%A0%80", "officer"),
    ("/screening/lists/fuzz-list/versions/1/entities?cursor=" + HUGE, "officer"),
]


@pytest.mark.parametrize("path,role", BAD_READS, ids=[p for p, _ in BAD_READS])
def test_absurd_ids_and_query_values_are_refused(world, path, role):
    assert_refused(world, "GET", _url(world, path), role=role)


#: Writes aimed at absurd ids: refused before anything is looked up or written.
BAD_WRITES = [
    ("POST", "/applications/" + HUGE + "/submit", "exporter", None),
    ("POST", "/applications/-1/withdraw", "exporter", {"reason": "no longer needed"}),
    ("PATCH", "/applications/" + HUGE, "exporter", {"end_use": "x"}),
    ("POST", "/applications", "exporter", {"consignee_id": int(HUGE), "items": []}),
    ("POST", "/applications", "exporter", {"end_user_id": -3, "items": []}),
    ("POST", "/users", "admin", {"username": "huge-org", "role": "exporter", "password": "long-enough-password", "org_id": int(HUGE)}),
    ("POST", "/users", "admin", {"username": "neg-org", "role": "exporter", "password": "long-enough-password", "org_id": -1}),
    ("PATCH", "/organisations/" + HUGE, "admin", {"address": "x"}),
    ("POST", "/organisations/-1/violations", "admin",
     {"kind": "administrative", "decided_on": "2019-03-01", "description": "late report"}),
    ("PUT", "/organisations/{org}/compliance-profile", "admin",
     {"has_icp": True, "export_experience_years": int(HUGE), "briefings_attended": 0, "stable_channels": True}),
    ("PATCH", "/parties/" + HUGE, "exporter", {"business": "x"}),
    ("POST", "/licences/%00/revoke", "senior", {"reason": "nul in the number"}),
    ("POST", "/licences/" + HUGE + "/suspend", "senior", {"reason": "no such licence"}),
    ("POST", "/amendments/-1/withdraw", "exporter", {"reason": "no such amendment"}),
    ("POST", "/shipments/%00/cancel", "customs", {"reason": "nul in the declaration"}),
    ("POST", "/licences/{licence}/shipments", "customs",
     {"declaration": "FUZZ-HUGE", "date": "2026-01-01", "lines": [{"item": "1C905.b", "end_user": HUGE, "quantity": "1"}]}),
]


@pytest.mark.parametrize("method,path,role,body", BAD_WRITES, ids=[f"{m} {p}" for m, p, _, _ in BAD_WRITES])
def test_writes_to_absurd_ids_are_refused(world, method, path, role, body):
    assert_refused(world, method, _url(world, path), role=role, json=body)


# --- multipart upload ------------------------------------------------------------------------


def _upload_url(world: World) -> str:
    return f"{API}/applications/{world.app_id}/documents"


#: A valid PDF stored nowhere yet: a refused upload of it must not leave it in the store.
NEW_PDF = PDF + b"% never stored\n"


def _raw_upload(filename: bytes, doc_type: bytes = b"contract") -> dict:
    """Multipart written by hand: HTTP clients escape control characters in file names."""
    body = (b'--xx\r\nContent-Disposition: form-data; name="doc_type"\r\n\r\n' + doc_type + b"\r\n"
            b'--xx\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            b"Content-Type: application/pdf\r\n\r\n" + NEW_PDF + b"\r\n--xx--\r\n")
    return dict(content=body, headers={"content-type": "multipart/form-data; boundary=xx"})


MULTIPART_CASES = {
    "missing file": dict(data={"doc_type": "contract"}),
    "missing doc_type": dict(files={"file": ("contract.pdf", NEW_PDF, "application/pdf")}),
    "file sent as a text field": dict(data={"doc_type": "contract", "file": "not a file"}),
    "both missing": dict(data={"other": "x"}),
    "json instead of multipart": dict(json={"doc_type": "contract", "file": "JVBERi0xLjQK"}),
    "multipart without boundary": dict(content=b"--x\r\n", headers={"content-type": "multipart/form-data"}),
    "multipart cut short": dict(content=b'--xx\r\nContent-Disposition: form-data; name="doc_type"\r\n\r\ncontr',
                                headers={"content-type": "multipart/form-data; boundary=xx"}),
    "unknown doc_type": dict(data={"doc_type": "💩\u202e"}, files={"file": ("contract.pdf", NEW_PDF, "application/pdf")}),
    "doc_type too long": dict(data={"doc_type": "c" * 41}, files={"file": ("contract.pdf", NEW_PDF, "application/pdf")}),
    "NUL in doc_type": dict(data={"doc_type": "contract\x00"}, files={"file": ("contract.pdf", NEW_PDF, "application/pdf")}),
    "empty file": dict(data={"doc_type": "contract"}, files={"file": ("contract.pdf", b"", "application/pdf")}),
    "no file name": dict(data={"doc_type": "contract"}, files={"file": ("", NEW_PDF, "application/pdf")}),
    "path in file name": dict(data={"doc_type": "contract"}, files={"file": ("../../etc/contract.pdf", NEW_PDF, "application/pdf")}),
    "control character in name": _raw_upload(b"con\ttract.pdf"),
    "NUL in name": _raw_upload(b"con\x00tract.pdf"),
    "dot file": _raw_upload(b".contract.pdf"),
    "NUL in raw doc_type": _raw_upload(b"contract.pdf", doc_type=b"contract\x00"),
    "not the type it claims": dict(data={"doc_type": "contract"}, files={"file": ("contract.pdf", b"MZ\x90\x00", "application/pdf")}),
    "type not accepted": dict(data={"doc_type": "contract"}, files={"file": ("contract.exe", b"MZ\x90\x00", "application/x-msdownload")}),
}


@pytest.mark.parametrize("case", list(MULTIPART_CASES))
def test_malformed_upload_is_refused(world, case):
    assert_refused(world, "POST", _upload_url(world), role="exporter", **MULTIPART_CASES[case])


def test_upload_to_absurd_application_is_refused(world):
    for app_id in (HUGE, "-1", "0", "%00"):
        assert_refused(world, "POST", f"{API}/applications/{app_id}/documents", role="exporter",
                       data={"doc_type": "contract"}, files={"file": ("contract.pdf", NEW_PDF, "application/pdf")})


def test_a_wellformed_upload_still_works(world):
    """The refusals above are about the input, not the endpoint."""
    before = row_counts()
    resp = world.client.post(_upload_url(world), headers=world.headers["exporter"], data={"doc_type": "contract"},
                             files={"file": ("contract.pdf", PDF, "application/pdf")})
    assert resp.status_code == 201, resp.text
    after = row_counts()
    assert after["application_documents"] == before["application_documents"] + 1
    assert after["audit_events"] == before["audit_events"] + 1
