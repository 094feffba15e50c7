"""``rarex screening import / lists / versions`` as an operator or a scheduled job runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = [{"id": f"e{i}", "schema": "Company", "properties": {"name": [f"测试公司{i}", f"Test Company {i}"]}} for i in range(3)]
SANCTION = {"id": "s1", "schema": "Sanction", "properties": {}}


def bad(i: int) -> dict:
    return {"id": f"bad{i}", "schema": "Company", "properties": {"name": [f"Bad {i}"], "country": ["Atlantis"]}}


def write(tmp_path: Path, name: str, records: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def flat(text: str) -> str:
    """Rich wraps lines at the terminal's width; compare words."""
    return " ".join(text.split())


def imp(cli, path: Path, *extra: str):
    return cli("screening", "import", str(path), "--list", "cli-list", "--format", "ftm", *extra)


def test_import_json_then_unchanged_then_listed(cli, tmp_path):
    path = write(tmp_path, "v1.jsonl", [*GOOD, SANCTION, bad(1)])
    r = imp(cli, path, "--title", "CLI list", "--publisher", "Test Ministry", "--published-on", "2025-10-09", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)  # the progress bar is on stderr: stdout is the JSON alone
    assert (out["list"], out["unchanged"], out["entries"], out["skipped"], out["rejected_count"]) == (
        "cli-list", False, 3, {"schema Sanction": 1}, 1)
    assert out["rejected"] == [{"row": 5, "id": "bad1",
                                "reason": "country 'Atlantis' is not an ISO 3166 country code or a country name"}]
    assert out["version"]["version"] == 1 and out["version"]["published_on"] == "2025-10-09"
    assert out["version"]["checksum"] == out["checksum"] and len(out["checksum"]) == 64

    again = imp(cli, path, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["unchanged"] is True
    r = imp(cli, path)
    assert r.exit_code == 0 and "nothing imported; --force imports it again" in flat(r.stdout)

    listed = json.loads(cli("screening", "lists", "--json").stdout)
    assert [(x["name"], x["title"], x["version_count"], x["latest"]["entry_count"]) for x in listed] == [
        ("cli-list", "CLI list", 1, 3)]
    versions = json.loads(cli("screening", "versions", "cli-list", "--json").stdout)
    assert [(v["version"], v["source"], v["publisher"], v["rejected_count"]) for v in versions["versions"]] == [
        (1, "v1.jsonl", "Test Ministry", 1)]
    table = cli("screening", "versions", "cli-list")
    assert table.exit_code == 0 and "cli-list: CLI list" in table.stdout and "v1.jsonl" in table.stdout


def test_table_output_shows_the_first_rejections_and_counts_the_rest(cli, tmp_path):
    path = write(tmp_path, "v1.jsonl", [*GOOD, *(bad(i) for i in range(25))])
    r = imp(cli, path)
    assert r.exit_code == 0, r.output
    assert "Rejected records (25)" in r.stdout and "bad19" in r.stdout and "bad20" not in r.stdout
    assert "… and 5 more: --json lists them all" in flat(r.stdout)
    assert "cli-list version 1: 3 entities from v1.jsonl, 25 rejected" in flat(r.stdout)
    assert len(json.loads(imp(cli, path, "--json", "--force").stdout)["rejected"]) == 25


def test_nothing_importable_exits_1_and_creates_no_version(cli, tmp_path):
    path = write(tmp_path, "bad.jsonl", [bad(1), SANCTION])
    r = imp(cli, path, "--json")
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["version"] is None and out["rejected_count"] == 1 and out["entries"] == 0
    assert "nothing imported from bad.jsonl" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert json.loads(cli("screening", "lists", "--json").stdout) == []


@pytest.mark.parametrize("args,message", [
    (["--format", "ftm", "--map", "entity_id=a,name=b"], "applies to the csv format only"),
    (["--format", "csv"], "needs a column mapping"),
    (["--format", "csv", "--map", "name=b"], "must name the column of entity_id"),
    (["--format", "csv", "--map", "entity_id=a,name=b", "--encoding", "utf-16"], "encoding utf-16 is not supported"),
    (["--format", "ftm", "--list", "Bad Name"], "is not a slug"),
])
def test_bad_arguments_exit_2_with_one_line(cli, tmp_path, args, message):
    path = write(tmp_path, "v1.jsonl", GOOD)
    base = ["screening", "import", str(path)] + (["--list", "cli-list"] if "--list" not in args else [])
    r = cli(*base, *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert json.loads(cli("screening", "lists", "--json").stdout) == []


def test_missing_file_unknown_format_and_unknown_list_exit_2(cli, tmp_path):
    r = cli("screening", "import", str(tmp_path / "nope.jsonl"), "--list", "cli-list", "--format", "ftm")
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = cli("screening", "import", str(tmp_path / "nope.jsonl"), "--list", "cli-list", "--format", "xml")
    assert r.exit_code == 2 and "xml" in r.output
    r = cli("screening", "versions", "no-such-list")
    assert r.exit_code == 2 and "screening list 'no-such-list' not found" in r.stderr


def test_gb18030_csv_with_a_mapping(cli, tmp_path):
    path = tmp_path / "uel.csv"
    path.write_bytes("序号,名称,国家\n1,洛克测试马丁公司,美国\n".encode("gb18030"))
    r = cli("screening", "import", str(path), "--list", "cn-uel", "--format", "csv", "--map", "entity_id=序号,name=名称,"
            "countries=国家", "--encoding", "gb18030", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["entries"] == 1
    r = cli("screening", "import", str(path), "--list", "cn-uel", "--format", "csv", "--map", "entity_id=序号,name=名称",
            "--force")
    assert r.exit_code == 2 and "--encoding gb18030" in r.stderr


def test_progress_reports_bytes_read(db, tmp_path, monkeypatch):
    """The bar advances by bytes; the whole file is reported at the end."""
    from rarex.core.authz import Principal
    from rarex.core.db import unit_of_work
    from rarex.screening import importers, list_import

    monkeypatch.setattr(importers.Source, "PROGRESS_EVERY", 100)
    path = write(tmp_path, "v1.jsonl", GOOD + [{"id": f"x{i}", "schema": "Company", "properties": {"name": [f"X {i}"]}}
                                                  for i in range(20)])
    seen: list[tuple[int, int]] = []
    with unit_of_work() as s:
        list_import.import_list(s, Principal.system("t"), path, list_name="p", format="ftm", progress=lambda d, t: seen.append((d, t)))
    size = path.stat().st_size
    assert len(seen) > 3 and seen[-1] == (size, size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
