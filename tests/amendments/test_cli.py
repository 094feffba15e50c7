"""``rarex amendments list/show`` and ``rarex licences versions`` with --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rarex.cli.main import app as cli

runner = CliRunner()


def run(*args):
    return runner.invoke(cli, list(args))


def test_list_show_and_versions(aw):
    n = aw.licence()
    aw.set_drawn(n, 1, "250")
    done = aw.approve(n, [{"kind": "change_quantity", "line_no": 1, "quantity": "2000"}])
    pending = aw.ask(n, [{"kind": "correct_detail", "field": "consignee_address_note", "value": "Gate 4"}])

    r = run("amendments", "list", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["id"], x["status"], x["licence"]) for x in rows] == [(done["id"], "approved", n), (pending["id"], "pending", n)]
    assert [x["id"] for x in json.loads(run("amendments", "list", "--status", "pending", "--json").stdout)] == [pending["id"]]
    assert run("amendments", "list").exit_code == 0

    shown = json.loads(run("amendments", "show", str(pending["id"]), "--json").stdout)
    assert shown["changes"][0]["field"] == "consignee_address_note" and shown["deadline_info"]["working_days_allowed"] == 20
    r = run("amendments", "show", str(done["id"]))
    assert r.exit_code == 0 and "approved" in r.stdout and "change_quantity" in r.stdout

    versions = json.loads(run("licences", "versions", n, "--json").stdout)
    assert [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    assert versions[0]["lines"][0]["licensed"] == "1250.5" and versions[1]["lines"][0]["drawn"] == "250"
    assert run("licences", "versions", n).exit_code == 0

    r = run("amendments", "show", "999999")
    assert r.exit_code == 2 and "not found" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("licences", "versions", "CNDU-I1999-000000")
    assert r.exit_code == 2 and "not found" in r.stderr
    r = run("amendments", "list", "--status", "bogus")
    assert r.exit_code != 0
