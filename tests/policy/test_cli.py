"""``rarex classify``, ``rarex policy ...``, ``rarex calendar deadline``: no database needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarex.cli.main import app
from tests.policy.conftest import line_of

runner = CliRunner()
RAREX = Path(sys.executable).with_name("rarex")


def run(*args: str):
    return runner.invoke(app, list(args))


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.skipif(not RAREX.exists(), reason="console script not installed")
def test_installed_classify_prints_the_json_shape():
    out = subprocess.run(
        [str(RAREX), "classify", "--hs", "2846901940", "--element", "Sm", "--form", "oxide", "--on", "2026-01-15", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["controlled"] is True
    assert data["pack_reviewed_until"] == "2026-04-01" and data["caveat"] is None
    (entry,) = data["entries"]
    assert entry["code"] == "1C902.b" and entry["legal_ref"] == "MOFCOM/GAC Ann. 2025 No. 18, annex, 1C902.b"
    assert entry["matched_on"] == ["element", "form", "hs_code"]


def test_classify_after_review_date_has_caveat():
    r = run("classify", "--element", "Nd", "--on", "2026-11-11", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["controlled"] is False and data["entries"] == []
    assert "2026-04-01" in data["caveat"]


def test_classify_table():
    r = run("classify", "--element", "Dy", "--form", "oxide", "--on", "2026-01-15")
    assert r.exit_code == 0 and "1C905.b" in r.stdout and "controlled" in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--element", "Xx"], "unknown element 'Xx'"),
        (["--element", "Dy", "--on", "2026-02-30"], "--on: '2026-02-30' is not a date"),
        (["--hs", "12"], "must be 4 to 10 digits"),
        ([], "give at least one of"),
    ],
)
def test_classify_errors_are_one_line(args, message):
    assert message in one_line_error(run("classify", *args))


def test_calendar_deadline_json():
    r = run("calendar", "deadline", "--from", "2026-09-01", "--working-days", "45", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == {
        "deadline": "2026-11-09", "from": "2026-09-01", "working_days": 45, "calendar": "CN", "caveat": None,
    }


def test_calendar_deadline_caveat_and_errors():
    data = json.loads(run("calendar", "deadline", "--from", "2026-12-01", "--working-days", "45", "--json").stdout)
    assert data["caveat"] and "2027" in data["caveat"]
    assert "0 or more" in one_line_error(run("calendar", "deadline", "--from", "2026-01-01", "--working-days", "-1"))
    assert "is not a date" in one_line_error(run("calendar", "deadline", "--from", "soon", "--working-days", "3"))


def test_control_list_json_and_table():
    r = run("policy", "control-list", "--on", "2025-11-07", "--json")
    data = json.loads(r.stdout)
    assert [e["code"] for e in data["entries"]][:1] == ["1C902.a"] and len(data["entries"]) == 21
    statuses = {e["code"]: e["status"] for e in data["not_in_force"]}
    assert statuses["1E902.a"] == "suspended" and statuses["1C909.a"] == "not_yet_effective"
    table = run("policy", "control-list", "--on", "2025-11-07")
    assert table.exit_code == 0 and "1E902.a" in table.stdout


def test_validate_ok_and_broken(pack_copy):
    ok = run("policy", "validate")
    assert ok.exit_code == 0 and "ok: pack cn-dual-use" in ok.stdout
    root = pack_copy(control_list=("    effective_from: 2025-04-04\n", "    effective_from: 2025-04-31\n"))
    bad = run("policy", "validate", str(root))
    line = line_of(root / "control_list.yaml", "2025-04-31")
    assert one_line_error(bad) == f"error: control_list.yaml:{line}: entries[0].effective_from: Input should be a valid date"


def test_validate_prints_pack_text_verbatim(pack_copy):
    root = pack_copy(control_list=("    element: Gd\n", '    element: "[/x]"\n'))
    assert "unknown element '[/x]'" in one_line_error(run("policy", "validate", str(root)))
