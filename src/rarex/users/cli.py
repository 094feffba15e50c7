"""``rarex users``: create and list users."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, fail, print_json, transaction
from rarex.core.authz import Role
from rarex.parties.service import find_organisation
from rarex.users import service
from rarex.users.schemas import UserOut

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
