"""The audit chain detects edits and deletions: through the service, ``rarex audit verify`` and
``GET /api/v1/audit/verify``.

Each tampering test changes the database with raw SQL, as someone with database access (and
no rarex code) would.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from rarex.core import audit
from rarex.core.audit import AuditEvent, AuditHead
from rarex.core.authz import Principal, Role
from rarex.core.db import get_engine, get_sessionmaker

ACTOR = Principal(user_id=None, username="test", role=None)


def _record(session, subject_type: str, subject_id, n: int) -> list[int]:
    ids = []
    for i in range(n):
        ev = audit.record(
            session, type=f"{subject_type}.changed", actor=ACTOR, subject_type=subject_type, subject_id=subject_id,
            before={"step": i}, after={"step": i + 1, "qty": "12.5", "note": "稀土"}, reason=f"step {i + 1}",
        )
        ids.append(ev.id)
    return ids


@pytest.fixture
def streams(session) -> dict[str, list[int]]:
    """Three streams with interleaved events, committed; returns event ids per stream."""
    out: dict[str, list[int]] = {"licence:1": [], "licence:2": [], "application:7": []}
    for _ in range(3):
        out["licence:1"] += _record(session, "licence", 1, 1)
        out["licence:2"] += _record(session, "licence", 2, 1)
        out["application:7"] += _record(session, "application", 7, 1)
    session.commit()
    return out


def _sql(session, statement: str, **params) -> None:
    """Change the database behind rarex's back, on a connection of its own, and commit."""
    with get_engine().begin() as conn:
        conn.execute(text(statement), params)


def _verify(session) -> audit.VerifyResult:
    """Verify in a fresh session, as an auditor would: nothing cached from the arranging session."""
    with get_sessionmaker()() as fresh:
        return audit.verify(fresh)


def _json(session) -> str:
    return "CAST(:v AS JSON)" if session.bind.dialect.name == "postgresql" else ":v"


def _edit_after(session, event_id: int) -> None:
    _sql(session, f'UPDATE audit_events SET "after" = {_json(session)} WHERE id = :id', v='{"step": 99}', id=event_id)


def _load_event(event_id: int) -> AuditEvent:
    with get_sessionmaker()() as fresh:
        return fresh.get(AuditEvent, event_id)


# --- the service ----------------------------------------------------------------------------


def test_intact_log_verifies(session, streams):
    result = _verify(session)
    assert result.ok, result.findings
    assert (result.events, result.streams) == (9, 3)


def test_empty_log_verifies(session):
    assert _verify(session).ok


def test_edited_event_is_named(session, streams):
    victim = streams["licence:2"][1]
    _edit_after(session, victim)
    result = _verify(session)
    assert not result.ok
    assert result.first_bad.event_id == victim
    assert "edited" in result.first_bad.reason


def test_edited_event_with_recomputed_hash_breaks_the_next_link(session, streams):
    """A tamperer who also fixes the edited event's hash is caught by the event after it."""
    victim, nxt = streams["licence:1"][0], streams["licence:1"][1]
    _edit_after(session, victim)
    _sql(session, "UPDATE audit_events SET hash = :h WHERE id = :id", h=_load_event(victim).compute_hash(), id=victim)
    result = _verify(session)
    assert result.first_bad.event_id == nxt
    assert "link" in result.first_bad.reason


def test_deleted_middle_event_is_named_by_the_next_event(session, streams):
    middle, nxt = streams["application:7"][1], streams["application:7"][2]
    _sql(session, "DELETE FROM audit_events WHERE id = :id", id=middle)
    result = _verify(session)
    assert not result.ok
    assert result.first_bad.event_id == nxt
    assert "missing" in result.first_bad.reason


def test_deleted_last_event_is_caught_by_the_stream_head(session, streams):
    last = streams["licence:2"][-1]
    _sql(session, "DELETE FROM audit_events WHERE id = :id", id=last)
    result = _verify(session)
    assert not result.ok
    assert result.first_bad.stream == "licence:2" and result.first_bad.seq == 3
    assert "deleted" in result.first_bad.reason


def _truncate_stream(session, stream: str, last_id: int) -> None:
    """Delete a stream's last event and rewind its head to the event before: the chain alone looks fine."""
    _sql(session, "DELETE FROM audit_events WHERE id = :id", id=last_id)
    with get_sessionmaker()() as fresh:
        prev = fresh.execute(
            select(AuditEvent).where(AuditEvent.stream == stream).order_by(AuditEvent.seq.desc()).limit(1)
        ).scalar_one()
    _sql(session, "UPDATE audit_heads SET seq = :s, hash = :h WHERE stream = :st", s=prev.seq, h=prev.hash, st=stream)


def test_truncated_stream_without_checkpoint_goes_unseen(session, streams):
    """Why checkpoints exist: deleting the tail and rewinding the head is invisible to the chain."""
    _truncate_stream(session, "licence:1", streams["licence:1"][-1])
    assert _verify(session).ok


def test_truncated_stream_after_a_checkpoint_is_caught(session, streams):
    audit.checkpoint(session)
    session.commit()
    _truncate_stream(session, "licence:1", streams["licence:1"][-1])
    result = _verify(session)
    assert not result.ok
    assert any("checkpoint" in f.reason and f.stream == "licence:1" and f.seq == 3 for f in result.findings)


def test_edited_checkpoint_is_caught(session, streams):
    cp = audit.checkpoint(session)
    session.commit()
    heads = dict(cp.heads)
    heads["licence:1"] = [2, heads["licence:1"][1]]
    _sql(session, f"UPDATE audit_checkpoints SET heads = {_json(session)} WHERE id = :id", v=json.dumps(heads), id=cp.id)
    result = _verify(session)
    assert not result.ok
    assert any(f"checkpoint {cp.id} was altered" in f.reason for f in result.findings)


def test_deleted_head_row_is_caught(session, streams):
    _sql(session, "DELETE FROM audit_heads WHERE stream = 'licence:2'")
    result = _verify(session)
    assert not result.ok and result.first_bad.stream == "licence:2"


def test_new_events_after_a_checkpoint_still_verify(session, streams):
    audit.checkpoint(session)
    _record(session, "licence", 1, 2)
    _record(session, "licence", 3, 1)
    audit.checkpoint(session)
    session.commit()
    result = _verify(session)
    assert result.ok, result.findings
    assert result.checkpoints == 2 and result.streams == 4


def test_events_on_different_streams_chain_independently(session, streams):
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    for stream, ids in streams.items():
        chain = [r for r in rows if r.stream == stream]
        assert [r.id for r in chain] == ids and [r.seq for r in chain] == [1, 2, 3]
        assert chain[0].prev_hash == audit.GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:]))
        head = session.get(AuditHead, stream)
        assert (head.seq, head.hash) == (3, chain[-1].hash)


# --- the CLI --------------------------------------------------------------------------------


def test_cli_verify_intact_exits_0(cli, streams):
    r = cli("audit", "verify")
    assert r.exit_code == 0, r.stderr
    assert "intact: 9 events in 3 streams" in r.stdout


def test_cli_verify_names_the_first_bad_event_and_exits_1(cli, session, streams):
    first, later = streams["licence:1"][1], streams["application:7"][2]
    _edit_after(session, later)
    _edit_after(session, first)
    r = cli("audit", "verify")
    assert r.exit_code == 1
    head = r.stderr.splitlines()[0]
    assert head.startswith(f"audit log TAMPERED: first bad event {first} (licence:1 #2)")
    assert f"event {later}" in r.stderr


def test_cli_verify_json(cli, session, streams):
    middle, nxt = streams["licence:2"][1], streams["licence:2"][2]
    _sql(session, "DELETE FROM audit_events WHERE id = :id", id=middle)
    r = cli("audit", "verify", "--json")
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["first_bad_event"]["event_id"] == nxt and out["events"] == 8


def test_cli_verify_json_intact(cli, streams):
    r = cli("audit", "verify", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["ok"] is True


def test_cli_verify_names_a_truncated_stream(cli, session, streams):
    _sql(session, "DELETE FROM audit_events WHERE id = :id", id=streams["licence:2"][-1])
    r = cli("audit", "verify")
    assert r.exit_code == 1 and "licence:2" in r.stderr


def test_cli_checkpoint_then_truncation_is_caught(cli, session, streams):
    r = cli("audit", "checkpoint", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["streams"] == 3
    _truncate_stream(session, "application:7", streams["application:7"][-1])
    r = cli("audit", "verify")
    assert r.exit_code == 1 and "checkpoint" in r.stderr


def test_cli_events_json_and_table(cli, session, streams):
    _record(session, "licence", 9, 1)
    session.commit()
    _sql(session, "UPDATE audit_events SET reason = '[/x] odd [bold]reason' WHERE stream = 'licence:9'")
    r = cli("audit", "events", "--stream", "licence:1", "--json")
    assert r.exit_code == 0
    assert [e["id"] for e in json.loads(r.stdout)] == streams["licence:1"]
    table = cli("audit", "events", "--stream", "licence:9")
    assert table.exit_code == 0, table.stderr
    # Shown as typed (the table may wrap it), not parsed as Rich markup.
    assert "[/x]" in table.stdout and "[bold]reason" in table.stdout


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def auditor(as_role):
    return as_role(Role.auditor)


@pytest.mark.parametrize("role", list(Role))
def test_api_verify_by_role(client, as_role, role):
    r = client.get("/api/v1/audit/verify", headers=as_role(role))
    if role in (Role.auditor, Role.admin):
        assert r.status_code == 200
        assert r.json()["ok"] is True
    else:
        assert r.status_code == 403
        assert r.headers["content-type"].startswith("application/problem+json")


def test_api_verify_anonymous_is_401(client):
    assert client.get("/api/v1/audit/verify").status_code == 401


def test_api_verify_reports_the_first_bad_event(client, session, auditor, streams):
    victim = streams["licence:1"][2]
    _edit_after(session, victim)
    body = client.get("/api/v1/audit/verify", headers=auditor).json()
    assert body["ok"] is False
    assert body["first_bad_event"]["event_id"] == victim
    assert body["first_bad_event"]["stream"] == "licence:1"
