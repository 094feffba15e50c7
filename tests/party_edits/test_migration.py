"""Migration afc045a135b7 on a database holding data: every party gets version 1 and every
reference beside a party id on a submitted case, a licence, its lines, its earlier versions and
a screening hit points at it; a draft keeps following the party (no version)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from rarex.core import migrate
from tests.conftest import BACKENDS, PG_ADMIN_URL

BEFORE, AFTER = "a29c762f4a3d", "afc045a135b7"
NOW = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 5, 1)


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path) -> Iterator:
    """An empty database of its own (not the suite's), on each backend."""
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield eng
        eng.dispose()
        return
    name = f"{os.environ.get('RAREX_TEST_DB_PREFIX', 'rarex_test')}_migrate_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = create_engine(make_url(PG_ADMIN_URL).set(database=name))
    yield eng
    eng.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fill(conn) -> dict[str, int]:
    """One exporter, three parties, a draft and an approved case with its licence (one line,
    one earlier version) and a screening hit, as rows stood at a29c762f4a3d."""
    t = MetaData()
    t.reflect(conn)
    T = t.tables

    def add(table: str, **values) -> int:
        return conn.execute(insert(T[table]).values(**values).returning(T[table].c.id)).scalar_one()

    org = add("organisations", name_zh="包头测试", name_en="Baotou Test", uscc="91150200MA0N000000", address="",
              contact_name="", contact_email="", contact_phone="", created_at=NOW)
    party = {"org_id": org, "name_local": "", "address": "Strasse 1", "business": "", "website": "", "created_at": NOW}
    consignee = add("parties", name="Magnetwerk GmbH", country="DE", **party)
    end_user = add("parties", name="Antrieb AG", country="DE", **party)
    unused = add("parties", name="Kobe Motors KK", country="JP", **party)
    app = {"org_id": org, "licence_type": "individual", "end_use": "magnets", "created_at": NOW, "conditions": [],
           "consignee_id": consignee, "end_user_id": end_user}
    draft = add("applications", reference="APP-1", status="draft", **app)
    approved = add("applications", reference="APP-2", status="approved", **app)
    item = {"line_no": 1, "control_code": "1C905.b", "hs_code": "", "description": "Dy oxide", "quantity": 1,
            "unit": "kg", "value": 1, "currency": "USD", "end_user_id": end_user}
    add("application_items", application_id=draft, **item)
    add("application_items", application_id=approved, **item)
    lic = add("licences", number="CNDU-I2026-000001", licence_type="individual", status="active", org_id=org,
              application_id=approved, end_use="magnets", conditions=[], valid_from=DAY, valid_to=DAY,
              consignee_address_note="", version=2, issued_at=NOW, consignee_id=consignee, end_user_id=end_user)
    add("licence_lines", licence_id=lic, line_no=1, control_code="1C905.b", hs_code="", description="Dy oxide",
        unit="kg", licensed=1, drawn=0, value=1, currency="USD", end_user_id=end_user)
    am = add("licence_amendments", licence_id=lic, org_id=org, status="approved", base_version=1, changes=[],
             reason="more", requested_at=NOW, requested_on=DAY)
    add("licence_versions", licence_id=lic, version=1, valid_from=DAY, valid_to=DAY, conditions=[],
        consignee_address_note="", lines=[], started_at=NOW, superseded_by_amendment_id=am, superseded_at=NOW)
    lst = add("screening_lists", name="cn-list", title="", created_at=NOW)
    ver = add("screening_list_versions", list_id=lst, version=1, source="f", publisher="", format="ftm", checksum="0",
              entry_count=1, rejected_count=0, rejected=[], imported_at=NOW, imported_by="")
    ent = add("screening_entities", version_id=ver, entity_id="e1", schema="Company", name="Antrieb", aliases=[],
              countries=[], programs=[], identifiers=[], addresses=[])
    add("screening_hits", application_id=approved, org_id=org, party_id=end_user, party_role="end_user",
        query="Antrieb AG", entity_ref=ent, version_id=ver, list_name="cn-list", entity_id="e1", entity_name="Antrieb",
        score=0.9, alert=True, explanation="", status="open", screened_at=NOW)
    return {"consignee": consignee, "end_user": end_user, "unused": unused, "draft": draft, "approved": approved}


def test_backfill_gives_every_party_version_1_and_points_every_decided_reference_at_it(engine):
    migrate.upgrade(engine, BEFORE)
    with engine.begin() as conn:
        ids = _fill(conn)
    migrate.upgrade(engine, AFTER)

    with engine.connect() as conn:
        v1 = dict(conn.execute(text("SELECT party_id, id FROM party_versions WHERE version = 1")).all())
        assert set(v1) == {ids["consignee"], ids["end_user"], ids["unused"]}
        assert conn.execute(text("SELECT count(*) FROM party_versions")).scalar_one() == 3
        assert conn.execute(text("SELECT DISTINCT version FROM parties")).scalars().all() == [1]
        row = conn.execute(text("SELECT name, country, address, created_by FROM party_versions WHERE party_id = :p"),
                           {"p": ids["end_user"]}).one()
        assert tuple(row) == ("Antrieb AG", "DE", "Strasse 1", None)

        apps = dict(conn.execute(text("SELECT id, end_user_version_id FROM applications")).all())
        assert apps == {ids["draft"]: None, ids["approved"]: v1[ids["end_user"]]}
        assert conn.execute(text("SELECT consignee_version_id FROM applications WHERE id = :a"),
                            {"a": ids["approved"]}).scalar_one() == v1[ids["consignee"]]
        items = dict(conn.execute(text("SELECT application_id, end_user_version_id FROM application_items")).all())
        assert items == {ids["draft"]: None, ids["approved"]: v1[ids["end_user"]]}
        assert tuple(conn.execute(text("SELECT consignee_version_id, end_user_version_id FROM licences")).one()) == (
            v1[ids["consignee"]], v1[ids["end_user"]])
        assert conn.execute(text("SELECT end_user_version_id FROM licence_lines")).scalar_one() == v1[ids["end_user"]]
        assert tuple(conn.execute(text("SELECT consignee_version_id, end_user_version_id FROM licence_versions")).one()) == (
            v1[ids["consignee"]], v1[ids["end_user"]])
        assert conn.execute(text("SELECT party_version_id FROM screening_hits")).scalar_one() == v1[ids["end_user"]]

    migrate.downgrade(engine, BEFORE)  # and back: the version columns and table go, the data stays
    with engine.connect() as conn:
        assert conn.execute(select(text("count(*)")).select_from(text("parties"))).scalar_one() == 3
