"""``rarex orgs`` and ``rarex parties`` with ``--json``, and their one-line errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rarex.cli.main import app
from rarex.core.audit import AuditEvent
from tests.factories import make_org, make_party, valid_uscc
from tests.parties.helpers import counts


@pytest.fixture
def run(db):
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, list(args))

    return _run


def test_orgs_create_json_normalises_code_and_audits(run, session):
    code = valid_uscc(555)
    r = run("orgs", "create", "--name-zh", "赣州稀土", "--name-en", "Ganzhou RE", "--uscc", code.lower(),
            "--address", "Ganzhou", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["uscc"] == code and out["name_zh"] == "赣州稀土" and out["profile"]["has_icp"] is False
    ev = session.execute(select(AuditEvent).where(AuditEvent.type == "organisation.created")).scalar_one()
    assert ev.actor.startswith("cli:") and ev.subject_id == str(out["id"])
    session.commit()


def test_orgs_create_bad_code_is_one_line_exit_2_and_writes_nothing(run, session):
    before = counts(session)
    r = run("orgs", "create", "--name-zh", "甲", "--name-en", "A", "--uscc", valid_uscc(9)[:-1] + "Y", "--json")
    assert r.exit_code == 2
    assert "check digit" in r.stderr and len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    assert counts(session) == before


def test_orgs_create_duplicate_is_exit_2(run, session):
    org = make_org(session)
    session.commit()
    r = run("orgs", "create", "--name-zh", "甲", "--name-en", "A", "--uscc", org.uscc)
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_orgs_list_and_show_json(run, session):
    a, b = make_org(session), make_org(session)
    session.commit()
    r = run("orgs", "list", "--json")
    assert r.exit_code == 0, r.output
    assert [o["id"] for o in json.loads(r.stdout)] == [a.id, b.id]
    for ref in (str(b.id), b.uscc, b.uscc.lower()):
        r = run("orgs", "show", ref, "--json")
        assert r.exit_code == 0, r.output
        shown = json.loads(r.stdout)
        assert shown["id"] == b.id and shown["profile"]["export_experience_years"] == 5 and shown["violations"] == []


def test_orgs_show_unknown_is_exit_2(run, session):
    for ref in ("4711", valid_uscc(4711), "acme"):
        r = run("orgs", "show", ref)
        assert r.exit_code == 2 and r.stderr.startswith("error:"), r.output


def test_orgs_commands_print_tables_without_json(run, session):
    org = make_org(session, name="Table Test Co")
    session.commit()
    r = run("orgs", "list")
    assert r.exit_code == 0 and org.uscc in r.stdout
    r = run("orgs", "show", org.uscc)
    assert r.exit_code == 0 and "Table Test Co" in r.stdout


def test_parties_list_json_with_filters(run, session):
    a, b = make_org(session), make_org(session)
    pa_de, pa_jp, pb_de = make_party(session, a, country="DE"), make_party(session, a, country="JP"), make_party(session, b)
    session.commit()
    r = run("parties", "list", "--json")
    assert r.exit_code == 0, r.output
    assert [p["id"] for p in json.loads(r.stdout)] == [pa_de.id, pa_jp.id, pb_de.id]
    r = run("parties", "list", "--org", a.uscc, "--country", "deu", "--json")
    assert [p["id"] for p in json.loads(r.stdout)] == [pa_de.id]
    r = run("parties", "list", "--org", str(b.id), "--json")
    assert [p["id"] for p in json.loads(r.stdout)] == [pb_de.id]
    r = run("parties", "list")
    assert r.exit_code == 0 and "JP" in r.stdout and "Magnetwerk" in r.stdout


def test_parties_list_bad_country_is_exit_2(run, session):
    r = run("parties", "list", "--country", "XX")
    assert r.exit_code == 2 and "'XX'" in r.stderr
