"""``rarex users``: create, list and administer users; prune the sign-in throttle's records."""

from __future__ import annotations

import datetime as dt
import sys

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, fail, print_json, transaction
from rarex.core.authz import Role
from rarex.core.db import utcnow
from rarex.core.settings import get_settings
from rarex.parties.service import find_organisation
from rarex.users import service, throttle
from rarex.users.schemas import TokensRevoked, UserOut

app = typer.Typer(help="Users and their roles.", no_args_is_help=True)


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Sign-in name, e.g. exporter1"),
    role: Role = typer.Option(..., "--role", help="exporter, officer, senior_officer, customs, auditor or admin"),
    org: str = typer.Option(None, "--org", help="Organisation id or unified social credit code (exporters only)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input"),
    display_name: str = typer.Option("", "--name", help="Full name shown in the interface"),
    json_out: bool = JsonOpt,
) -> None:
    """Create a user. Example: ``echo 's3cret-pass' | rarex users create ana --role officer --password-stdin``."""
    if not password_stdin:
        fail("pass the password on standard input with --password-stdin (never on the command line)")
    password = sys.stdin.readline().rstrip("\r\n")
    with transaction() as session:
        org_id = find_organisation(session, cli_principal(), org).id if org else None
        user = service.create_user(
            session, cli_principal(), username=username, role=role, password=password, org_id=org_id,
            display_name=display_name,
        )
        out = UserOut.model_validate(user)
    if json_out:
        print_json(out)
    else:
        console.print(f"created user [bold]{out.username}[/bold] ({out.role}) id {out.id}")


@app.command("list")
def list_(json_out: bool = JsonOpt) -> None:
    """List users with their roles and organisations."""
    with transaction() as session:
        users = [UserOut.model_validate(u) for u in service.list_users(session, cli_principal())]
    if json_out:
        print_json(users)
        return
    table = Table("id", "username", "role", "org", "active")
    for u in users:
        table.add_row(str(u.id), u.username, u.role, str(u.org_id or ""), "yes" if u.active else "no")
    console.print(table)


def _show(out: UserOut, json_out: bool, what: str) -> None:
    if json_out:
        print_json(out)
    else:
        console.print(f"{what} user [bold]{out.username}[/bold] (id {out.id})")


@app.command("deactivate")
def deactivate(username: str = typer.Argument(..., help="Sign-in name"), json_out: bool = JsonOpt) -> None:
    """Deactivate a user: they can no longer sign in, and every token of theirs is revoked."""
    _set_active(username, False, json_out)


@app.command("activate")
def activate(username: str = typer.Argument(..., help="Sign-in name"), json_out: bool = JsonOpt) -> None:
    """Activate a deactivated user (they sign in again with their password)."""
    _set_active(username, True, json_out)


def _set_active(username: str, active: bool, json_out: bool) -> None:
    with transaction() as session:
        user = service.get_user(session, username)
        out = UserOut.model_validate(service.set_active(session, cli_principal(), user.id, active))
    _show(out, json_out, "activated" if active else "deactivated")


@app.command("reset-password")
def reset_password(
    username: str = typer.Argument(..., help="Sign-in name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the new password from standard input"),
    json_out: bool = JsonOpt,
) -> None:
    """Set a new password the user must change before doing anything else; revokes their tokens.

    Example: ``echo 'a-new-long-password' | rarex users reset-password ana --password-stdin``.
    """
    if not password_stdin:
        fail("pass the new password on standard input with --password-stdin (never on the command line)")
    password = sys.stdin.readline().rstrip("\r\n")
    with transaction() as session:
        user = service.get_user(session, username)
        out = UserOut.model_validate(service.reset_password(session, cli_principal(), user.id, password))
    _show(out, json_out, "reset the password of")


@app.command("revoke-tokens")
def revoke_tokens(username: str = typer.Argument(..., help="Sign-in name"), json_out: bool = JsonOpt) -> None:
    """Sign a user out everywhere: revoke every live token of theirs."""
    with transaction() as session:
        user = service.get_user(session, username)
        out = TokensRevoked(user_id=user.id, tokens_revoked=service.revoke_tokens(session, cli_principal(), user.id))
    if json_out:
        print_json(out)
    else:
        console.print(f"revoked {out.tokens_revoked} token(s) of [bold]{username}[/bold]")


@app.command("prune-logins")
def prune_logins(
    older_than_days: int = typer.Option(None, "--older-than-days", min=1,
                                        help="Age of the attempts to remove (default RAREX_LOGIN_RETENTION_DAYS)"),
    json_out: bool = JsonOpt,
) -> None:
    """Remove old sign-in attempts. Attempts still inside the throttle window are always kept."""
    settings = get_settings()
    now = utcnow()
    age = dt.timedelta(days=older_than_days or settings.login_retention_days)
    before = now - max(age, dt.timedelta(seconds=settings.login_window_seconds))
    with transaction() as session:
        deleted = throttle.prune(session, before)
    if json_out:
        print_json({"deleted": deleted, "before": before})
    else:
        console.print(f"removed {deleted} sign-in attempt(s) older than {before:%Y-%m-%d %H:%M} UTC")
