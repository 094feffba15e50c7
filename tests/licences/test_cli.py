"""``rarex licences`` and ``rarex applications`` from the command line, with --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rarex.cli.main import app as cli
from tests.applications.helpers import build_world

runner = CliRunner()


def run(*args):
    return runner.invoke(cli, list(args))


def test_list_show_and_control_licences(client, session):
    w = build_world(client, session)
    number = w.to_state("approved")["licence_number"]
    w.to_state("under_review")

    r = run("licences", "list", "--json")
    assert r.exit_code == 0, r.output
    assert [x["number"] for x in json.loads(r.stdout)] == [number]
    assert json.loads(run("licences", "list", "--status", "suspended", "--json").stdout) == []
    assert json.loads(run("licences", "list", "--type", "general", "--json").stdout) == []

    shown = json.loads(run("licences", "show", number, "--json").stdout)
    assert shown["number"] == number and shown["type"] == "individual" and shown["status"] == "active"
    assert {"valid_from", "valid_to", "lines"} <= shown.keys()
    assert {"item", "end_user", "unit", "licensed", "drawn", "remaining"} <= shown["lines"][0].keys()

    r = run("licences", "suspend", number, "--reason", "end user under investigation", "--json")
    assert r.exit_code == 2 and "ground" in r.stderr and "factors_changed" in r.stderr, "a suspension names its ground"
    r = run("licences", "suspend", number, "--ground", "factors_changed", "--reason", "end user under investigation",
            "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "suspended"
    assert json.loads(r.stdout)["status_ground"]["legal_ref"] == "DUR Art. 18 para. 4; ECL Art. 13"
    r = run("licences", "suspend", number, "--ground", "factors_changed", "--reason", "again")
    assert r.exit_code == 2 and "suspended" in r.stderr and len(r.stderr.strip().splitlines()) == 1

    r = run("licences", "show", "CNDU-I1999-000000")
    assert r.exit_code == 2 and "not found" in r.stderr

    r = run("licences", "expire", "--on", shown["valid_to"], "--json")
    assert json.loads(r.stdout)["count"] == 0
    import datetime as dt

    after = (dt.date.fromisoformat(shown["valid_to"]) + dt.timedelta(days=1)).isoformat()
    r = run("licences", "expire", "--on", after, "--json")
    assert json.loads(r.stdout) == {"expired": [number], "count": 1}

    apps = json.loads(run("applications", "list", "--json").stdout)
    assert {a["status"] for a in apps} == {"approved", "under_review"}
    detail = json.loads(run("applications", "show", str(apps[1]["id"]), "--json").stdout)
    assert detail["deadline_info"]["working_days_allowed"] == 45
