"""The CLI (rarex.cli.common.transaction) beside a busy server: reading commands do not wait for writers, and a write that
cannot get the lock in time is one line on stderr, not a traceback."""

from __future__ import annotations

from tests.busy import short_waits, writer_holding_the_lock

__all__ = ["short_waits"]


def test_audit_verify_runs_while_a_writer_holds_the_lock(cli, short_waits):
    with writer_holding_the_lock():
        result = cli("audit", "verify")
        events = cli("audit", "events")
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.output
    assert events.exit_code == 0, events.output


def test_a_command_that_cannot_get_the_write_lock_fails_in_one_line(cli, short_waits):
    with writer_holding_the_lock():
        result = cli("audit", "checkpoint")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "the database is busy" in result.output
    assert "Traceback" not in result.output
