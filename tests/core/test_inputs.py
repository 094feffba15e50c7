"""One bounded date type for every date the API and CLI take, and no NUL in any body.

The walks below read the OpenAPI schema and the CLI's commands, so a date parameter added
later without :mod:`rarex.core.inputs` fails here rather than as a 500 on 9999-12-31.
"""

from __future__ import annotations

import datetime as dt

import pytest
import typer
from pydantic import ValidationError

from rarex.amendments.schemas import AmendmentIn
from rarex.core.authz import Role
from rarex.core.inputs import MAX_DATE, MIN_DATE, InputModel
from rarex.web.app import create_app
from tests.amendments.helpers import API
from tests.applications.helpers import build_world

#: CLI date options left to their owners: the list import belongs to the screening-imports work.
CLI_ALLOWLIST = {("screening import", "--published-on")}
DATE_OPTIONS = ("--on", "--from", "--to", "--date", "--valid-to")


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _dates(schema, components: dict, where: str, seen: set[str]):
    """Yield (where, node) for every date node reachable from ``schema``."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref:
            if ref in seen:
                return
            seen = seen | {ref}
            yield from _dates(_resolve(schema, components), components, f"{where}->{ref.rsplit('/', 1)[-1]}", seen)
            return
        if schema.get("format") in ("date", "date-time"):
            yield where, schema
        for key, value in schema.items():
            yield from _dates(value, components, f"{where}.{key}", seen)
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _dates(value, components, f"{where}[{i}]", seen)


def _input_dates():
    spec = create_app(run_startup_jobs=False).openapi()
    components = spec.get("components", {}).get("schemas", {})
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                yield from _dates(p.get("schema", {}), components, f"{method.upper()} {path} ?{p['name']}", set())
            for content in op.get("requestBody", {}).get("content", {}).values():
                yield from _dates(content.get("schema", {}), components, f"{method.upper()} {path} body", set())


def test_every_date_the_api_takes_is_bounded():
    found = list(_input_dates())
    assert any("usage-report ?to" in where for where, _ in found)  # the walk sees query parameters
    assert any("screening/search body" in where for where, _ in found)  # and bodies
    unbounded = [where for where, node in found
                 if (node.get("formatMinimum"), node.get("formatMaximum")) != (MIN_DATE.isoformat(), MAX_DATE.isoformat())]
    assert unbounded == []


def _commands(command, name: str = ""):
    yield name, command
    for sub_name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{name} {sub_name}".strip())


def test_every_date_the_cli_takes_is_bounded():
    from rarex.cli.main import app

    bad, seen = [], 0
    for name, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            descriptor = param.type_descriptor
            if getattr(descriptor.parameter_info.parser, "bounded_date", False):
                seen += 1
                continue
            looks_like_date = descriptor.annotation in (dt.date, dt.datetime) or bool(set(param.opts) & set(DATE_OPTIONS)) \
                or any(o.endswith("-on") for o in param.opts)
            if looks_like_date and not any((name, o) in CLI_ALLOWLIST for o in param.opts):
                bad.append(f"{name} {'/'.join(param.opts)}")
    assert bad == [] and seen >= 8


@pytest.fixture
def w(client, session):
    return build_world(client, session)


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "1949-12-31"])
def test_far_dates_are_a_422_naming_the_range(w, day):
    number = w.to_state("approved")["licence_number"]
    r = w.client.get(f"{API}/licences/{number}/usage-report?to={day}", headers=w.exporter)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert f"date {day} is outside the accepted range 1950-01-01..2099-12-31" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "query.to"
    r = w.client.post(f"{API}/screening/search", json={"name": "Volga", "on": day}, headers=w.officer)
    assert r.status_code == 422 and "outside the accepted range" in r.json()["detail"]


def test_the_edges_of_the_range_are_accepted(client, as_role):
    officer = as_role(Role.officer)
    for day in ("2099-12-31", "1950-01-01"):
        r = client.post(f"{API}/screening/search", json={"name": "Volga", "on": day}, headers=officer)
        assert r.status_code == 200, r.text


def test_the_cli_refuses_a_far_date_naming_the_range(cli):
    r = cli("screening", "search", "Volga", "--on", "9999-12-31")
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: --on: date 9999-12-31 is outside the accepted range 1950-01-01..2099-12-31"
    r = cli("policy", "control-list", "--on", "2099-12-31", "--json")
    assert r.exit_code == 0, r.output
    r = cli("policy", "control-list", "--on", "31/12/2026")
    assert r.exit_code == 2 and r.stderr.strip() == "error: --on: '31/12/2026' is not a date (YYYY-MM-DD)"


class _Nested(InputModel):
    names: list[str]
    notes: dict[str, str] = {}


def test_input_models_refuse_nul_anywhere_and_accept_clean_text():
    assert _Nested(names=["Volga", "伏尔加"], notes={"a": "b"}).names == ["Volga", "伏尔加"]
    for bad in ({"names": ["Vol\x00ga"]}, {"names": [], "notes": {"k\x00": "v"}}, {"names": [], "notes": {"k": "\x00"}}):
        with pytest.raises(ValidationError, match="NUL"):
            _Nested(**bad)


def test_a_nul_in_an_amendment_value_is_refused_at_request_and_nothing_is_written(client, session):
    from tests.amendments.helpers import amend_world

    aw = amend_world(client, session)
    number = aw.licence()
    before = aw.counts()
    change = {"kind": "correct_detail", "field": "description", "line_no": 1, "value": "Dysprosium\x00 oxide"}
    r = client.post(f"{API}/licences/{number}/amendments", headers=aw.w.exporter,
                    json={"changes": [change], "reason": "contract changed"})
    assert r.status_code == 422 and "NUL" in r.json()["detail"], r.text
    assert aw.counts() == before
    change["value"] = "Dysprosium oxide"
    assert AmendmentIn(changes=[change], reason="contract changed").changes[0].value == "Dysprosium oxide"
