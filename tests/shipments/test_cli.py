"""``rarex shipments record / cancel / show / list / import`` with --json, as an operator or a
script at the customs office would use them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from rarex.cli.main import app as cli
from tests.factories import make_org, make_party
from tests.shipments.helpers import drawn, make_licence, status, today

runner = CliRunner()
DY, ND = "1C905.b", "1C902.a"


def run(*args):
    return runner.invoke(cli, [str(a) for a in args])


@pytest.fixture
def lic(session):
    org = make_org(session)
    eu = make_party(session, org)
    lic = make_licence(session, org.id, [(DY, eu.id, "100", "kg"), (ND, eu.id, "2", "t")])
    lic.eu = eu.id
    return lic


def test_record_replay_show_list_and_cancel(lic, session):
    today_ = today().isoformat()
    args = ["shipments", "record", "--licence", lic.number, "--declaration", "223420250000000001",
            "--line", f"{DY}:{lic.eu}:40kg", "--line", f"{ND}:{lic.eu}:0.25 t", "--date", today_, "--port", "CNTSN", "--json"]
    r = run(*args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["outcome"] == "recorded" and out["licence"] == lic.number and out["port"] == "CNTSN"
    assert [(x["quantity"], x["unit"], x["drawn"], x["drawn_unit"]) for x in out["lines"]] == [
        ("40", "kg", "40", "kg"), ("0.25", "t", "0.25", "t")]
    again = json.loads(run(*args).stdout)
    assert again.pop("outcome") == "already_recorded" and again == {k: v for k, v in out.items() if k != "outcome"}
    assert drawn(session, lic.number) == [Decimal(40), Decimal("0.25")]

    shown = json.loads(run("licences", "show", lic.number, "--json").stdout)
    assert [(x["item"], x["end_user"], x["remaining"]) for x in shown["lines"]] == [(DY, str(lic.eu), "60"), (ND, str(lic.eu), "1.75")]
    assert json.loads(run("shipments", "show", "223420250000000001", "--json").stdout)["status"] == "recorded"
    listed = json.loads(run("shipments", "list", "--licence", lic.number, "--json").stdout)
    assert [s["declaration"] for s in listed] == ["223420250000000001"]

    r = run("shipments", "cancel", "223420250000000001", "--reason", "broker withdrew the declaration", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "cancelled"
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]
    r = run("shipments", "cancel", "223420250000000001", "--reason", "again")
    assert r.exit_code == 2 and "cancelled" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run(*args)
    assert r.exit_code == 2 and "cannot be used again" in r.stderr


def test_record_refusals_are_one_line_on_stderr(lic, session):
    base = ["shipments", "record", "--licence", lic.number, "--date", today().isoformat()]
    cases = [
        (["--declaration", "D1", "--line", f"{DY}:{lic.eu}:101kg"], "remaining"),
        (["--declaration", "D2", "--line", f"{DY}:{lic.eu}:1pieces"], "cannot be drawn"),
        (["--declaration", "D3", "--line", f"{DY}:{lic.eu}:0kg"], "greater than 0"),
        (["--declaration", "D4", "--line", f"{DY}:{lic.eu}"], "ITEM:END_USER:QUANTITY"),
        (["--declaration", "D5", "--line", f"9Z999:{lic.eu}:1"], "not on licence"),
        (["--declaration", "bad decl", "--line", f"{DY}:{lic.eu}:1"], "declaration"),
    ]
    for extra, words in cases:
        r = run(*base, *extra)
        assert r.exit_code == 2, r.output
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = run("shipments", "record", "--licence", "CNDU-G2099-000000", "--declaration", "D6", "--line", f"{DY}:1:1",
            "--date", today().isoformat())
    assert r.exit_code == 2 and "not found" in r.stderr
    assert drawn(session, lic.number) == [Decimal(0), Decimal(0)]


def write_csv(path, rows):
    path.write_text("declaration,licence,date,port,item,end_user,quantity,unit\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


def test_import_records_good_rows_reports_bad_ones_and_is_safe_to_rerun(lic, session, tmp_path):
    d, eu = today().isoformat(), str(lic.eu)
    f = write_csv(tmp_path / "customs.csv", [
        ["IMP-1", lic.number, d, "CNTSN", DY, eu, "10", "kg"],          # row 2 \ one shipment
        ["IMP-1", lic.number, d, "CNTSN", ND, eu, "0.5", "t"],          # row 3 /
        ["IMP-2", lic.number, d, "", DY, eu, "5", ""],                  # row 4: unit from the line
        ["IMP-3", lic.number, d, "CNTSN", DY, eu, "1", "kg"],           # row 5 \ rejected together:
        ["IMP-3", lic.number, d, "CNTSN", "9Z999", eu, "1", "kg"],      # row 6 / unknown item
        ["IMP-4", lic.number, d, "CNTSN", DY, eu, "1000", "kg"],        # row 7: over remaining
        ["IMP-5", lic.number, "2025-13-01", "CNTSN", DY, eu, "1", "kg"],  # row 8: bad date
        ["IMP-6", lic.number, d, "CNTSN", DY, eu, "-1", "kg"],          # row 9: bad quantity
        ["IMP-7", "CNDU-G2099-000000", d, "CNTSN", DY, eu, "1", "kg"],  # row 10: no such licence
        ["IMP-8", lic.number, d, "CNTSN", DY, eu, "1", "kg"],           # row 11 \ disagree on port
        ["IMP-8", lic.number, d, "CNSHA", DY, eu, "1", "kg"],           # row 12 /
    ])
    r = run("shipments", "import", f, "--json")
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert (out["rows"], out["declarations"], out["recorded"], out["already_recorded"], out["rejected"]) == (11, 8, 2, 0, 6)
    assert out["recorded_declarations"] == ["IMP-1", "IMP-2"]
    rejected = {row["row"]: (row["declaration"], row["reason"]) for row in out["rejected_rows"]}
    assert sorted(rejected) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert rejected[6][0] == "IMP-3" and "9Z999 is not on licence" in rejected[6][1]
    assert "row 6 of the same declaration" in rejected[5][1]
    assert "remaining" in rejected[7][1] and "not a date" in rejected[8][1] and "greater than 0" in rejected[9][1]
    assert "not found" in rejected[10][1] and "port" in rejected[12][1]
    assert drawn(session, lic.number) == [Decimal(15), Decimal("0.5")]

    again = json.loads(run("shipments", "import", f, "--json").stdout)
    assert (again["recorded"], again["already_recorded"], again["rejected"]) == (0, 2, 6)
    assert drawn(session, lic.number) == [Decimal(15), Decimal("0.5")]

    plain = run("shipments", "import", f)
    assert plain.exit_code == 1 and "0 recorded, 2 already recorded, 6 rejected" in plain.stdout


def test_import_of_an_all_good_file_exits_0_and_can_exhaust_the_licence(lic, session, tmp_path):
    d, eu = today().isoformat(), str(lic.eu)
    f = write_csv(tmp_path / "ok.csv", [[f"OK-{i}", lic.number, d, "CNTSN", DY, eu, "25", "kg"] for i in range(4)]
                  + [["OK-9", lic.number, d, "CNTSN", ND, eu, "2000", "kg"]])
    r = run("shipments", "import", f, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["recorded"] == 5
    assert status(session, lic.number) == "exhausted"


@pytest.mark.parametrize("name,content,words", [
    ("x.txt", "declaration\n", ".csv"),
    ("hdr.csv", "declaration,licence\nA,B\n", "missing"),
    ("extra.csv", "declaration,licence,date,port,item,end_user,quantity,unit,colour\n", "unknown: colour"),
    ("empty.csv", "", "empty"),
])
def test_an_unusable_file_changes_nothing_and_exits_2(lic, tmp_path, name, content, words):
    f = tmp_path / name
    f.write_text(content)
    r = run("shipments", "import", f)
    assert r.exit_code == 2 and words in r.stderr, r.output
    r = run("shipments", "import", tmp_path / "missing.csv")
    assert r.exit_code == 2


def test_import_rejects_non_utf8(lic, tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes("declaration,licence,date,port,item,end_user,quantity,unit\nÄ,x,2025-01-01,,a,1,1,kg\n".encode("latin-1"))
    r = run("shipments", "import", f)
    assert r.exit_code == 2 and "UTF-8" in r.stderr


def test_licences_list_filters_by_type(session):
    org = make_org(session)
    eu = make_party(session, org)
    g = make_licence(session, org.id, [(DY, eu.id, "1", "kg")], licence_type="general")
    i = make_licence(session, org.id, [(DY, eu.id, "1", "kg")], licence_type="individual")
    assert [x["number"] for x in json.loads(run("licences", "list", "--type", "general", "--json").stdout)] == [g.number]
    assert [x["number"] for x in json.loads(run("licences", "list", "--type", "individual", "--json").stdout)] == [i.number]
    assert json.loads(run("licences", "list", "--status", "exhausted", "--json").stdout) == []
