"""Searching the lists: the API and the CLI give the same hits, as the issue spells them;
replay against the lists of a past date; batch screening of a file."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from rarex.core.authz import Role
from tests.screening.helpers import make_list

ENTITIES = [
    {"id": "cn-1", "name": "北京中科三环高技术股份有限公司", "aliases": ["Beijing Zhongke Sanhuan Hi-Tech Co., Ltd."],
     "countries": ["cn"]},
    {"id": "ru-1", "name": "Volga Rare Metals JSC", "countries": ["ru"]},
]


@pytest.fixture
def listed(session):
    return make_list(session, "test-list", ENTITIES)


def search(client, headers, expect: int = 200, **body):
    r = client.post("/api/v1/screening/search", json=body, headers=headers)
    assert r.status_code == expect, r.text
    return r.json()


@pytest.mark.parametrize("query", ["Beijing Zhongke Sanhuan Hi-Tech", "北京中科三環高技術", "beijing zhongke sanhuan gaojishu"])
def test_search_finds_the_entity_in_any_script(client, as_role, listed, query):
    out = search(client, as_role(Role.officer), name=query, country="CN")
    assert out["threshold"] == 0.85 and out["lists"] == [{"list": "test-list", "version": 1}]
    top = out["hits"][0]
    assert set(top) >= {"entity_id", "list", "name", "score", "alert", "explanation"}
    assert (top["entity_id"], top["list"], top["alert"]) == ("cn-1", "test-list", True)
    assert 0.85 <= top["score"] <= 1 and "cn-1" in top["explanation"]


def test_hits_are_best_first_and_an_unrelated_name_finds_nothing(client, as_role, listed):
    exporter = as_role(Role.exporter)
    out = search(client, exporter, name="Volga Rare Metals")
    assert [h["entity_id"] for h in out["hits"]][:1] == ["ru-1"]
    assert [h["score"] for h in out["hits"]] == sorted((h["score"] for h in out["hits"]), reverse=True)
    assert search(client, exporter, name="Magnetwerk Stuttgart")["hits"] == []


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"), ({"name": "   "}, "name"), ({"name": "x" * 501}, "name"),
    ({"name": "Volga", "country": "RUS"}, "country"), ({"name": "Volga", "country": "1!"}, "country"),
    ({"name": "Volga", "limit": 0}, "limit"), ({"country": "ru"}, "name"),
])
def test_bad_queries_are_422_problems(client, as_role, listed, body, field):
    p = search(client, as_role(Role.officer), expect=422, **body)
    assert field in json.dumps(p)


def test_anonymous_may_not_search(client, listed):
    assert client.post("/api/v1/screening/search", json={"name": "Volga"}).status_code == 401


def test_replay_uses_the_lists_of_the_date(client, as_role, session):
    make_list(session, "test-list", [ENTITIES[1]], imported_at=dt.datetime(2025, 3, 1, 4, tzinfo=dt.UTC))
    make_list(session, "test-list", ENTITIES, imported_at=dt.datetime(2025, 6, 1, 4, tzinfo=dt.UTC))
    headers = as_role(Role.officer)
    before = search(client, headers, name="Beijing Zhongke Sanhuan Hi-Tech", on="2025-05-31")
    after = search(client, headers, name="Beijing Zhongke Sanhuan Hi-Tech", on="2025-06-01")
    assert before["lists"] == [{"list": "test-list", "version": 1}] and not any(h["alert"] for h in before["hits"])
    assert after["lists"] == [{"list": "test-list", "version": 2}] and after["hits"][0]["entity_id"] == "cn-1"
    assert search(client, headers, name="Volga Rare Metals", on="2025-02-28") == {"threshold": 0.85, "lists": [], "hits": []}


def test_cli_search_json_matches_the_api(client, as_role, cli, listed):
    r = cli("screening", "search", "Beijing Zhongke Sanhuan Hi-Tech", "--country", "cn", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == search(client, as_role(Role.officer), name="Beijing Zhongke Sanhuan Hi-Tech", country="cn")


def test_cli_search_bad_country_exits_2(cli, listed):
    r = cli("screening", "search", "Volga", "--country", "Russia")
    assert r.exit_code == 2 and "alpha-2" in r.output


def test_batch_writes_a_row_per_hit_and_one_for_no_hit(cli, listed, tmp_path):
    infile, outfile = tmp_path / "in.csv", tmp_path / "out.csv"
    infile.write_text("id,name,country\nq1,北京中科三环高技术,CN\nq2,Magnetwerk Stuttgart,\nq3,,DE\nq4,Volga Rare Metals,RUS\n",
                      encoding="utf-8")
    r = cli("screening", "batch", str(infile), str(outfile), "--top", "2", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert summary["queries"] == 2 and summary["with_alert"] == 1
    assert [(x["row"], x["id"]) for x in summary["rejected"]] == [(4, "q3"), (5, "q4")]
    rows = list(csv.DictReader(outfile.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "rank", "entity_id", "list", "score", "alert", "explanation"]
    q1 = [r for r in rows if r["id"] == "q1"]
    assert (q1[0]["rank"], q1[0]["entity_id"], q1[0]["alert"]) == ("1", "cn-1", "true")
    assert [(r["entity_id"], r["alert"]) for r in rows if r["id"] == "q2"] == [("", "false")]


def test_batch_refuses_a_file_without_the_columns(cli, listed, tmp_path):
    infile = tmp_path / "in.csv"
    infile.write_text("ref,company\n1,Foo\n", encoding="utf-8")
    r = cli("screening", "batch", str(infile), str(tmp_path / "out.csv"))
    assert r.exit_code == 2 and "id,name" in r.output
    assert not (tmp_path / "out.csv").exists()


def test_warm_up_builds_the_matcher_for_the_lists_in_force(listed, session):
    from rarex.screening import index_store, service

    service._cache.clear()
    service.warm_up().join(timeout=60)
    key = (index_store.key_of(listed),)
    assert index_store.is_ready(key[0])
    assert key in service._cache and len(service._cache[key]) == len(ENTITIES)
