"""The ``rarex`` command: the same services as the API, for operators and scripts.

Every listing command takes ``--json``; errors are one line on stderr with a non-zero exit.
"""

from __future__ import annotations

import typer

from rarex import __version__
from rarex.amendments import cli as amendments_cli
from rarex.applications import cli as applications_cli
from rarex.audit import cli as audit_cli
from rarex.buyers import cli as buyers_cli
from rarex.cli import db as db_cli
from rarex.demo import cli as demo_cli
from rarex.determination import cli as determination_cli
from rarex.documents import cli as documents_cli
from rarex.eligibility import cli as eligibility_cli
from rarex.impact import cli as impact_cli
from rarex.licences import cli as licences_cli
from rarex.parties import cli as parties_cli
from rarex.policy import cli as policy_cli
from rarex.reports import cli as reports_cli
from rarex.screening import cli as screening_cli
from rarex.screening import search_cli as screening_search_cli
from rarex.shipments import cli as shipments_cli
from rarex.users import cli as users_cli

app = typer.Typer(
    name="rarex",
    help="rarex: export-control licensing for dual-use items. Settings come from RAREX_* environment variables.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_cli.app, name="db")
app.add_typer(users_cli.app, name="users")
app.add_typer(audit_cli.app, name="audit")
app.command("classify")(policy_cli.classify)
app.command("determine")(determination_cli.determine)
policy_cli.policy_app.command("impact")(impact_cli.impact)
app.add_typer(policy_cli.policy_app, name="policy")
app.add_typer(policy_cli.calendar_app, name="calendar")
parties_cli.orgs_app.command("eligibility")(eligibility_cli.eligibility)
app.add_typer(parties_cli.orgs_app, name="orgs")
app.add_typer(parties_cli.parties_app, name="parties")
app.add_typer(applications_cli.app, name="applications")
licences_cli.app.command("versions")(amendments_cli.licence_versions)
licences_cli.app.command("reapply")(applications_cli.reapply)
licences_cli.app.command("document")(documents_cli.document)
licences_cli.app.command("issue-documents")(documents_cli.issue_missing)
app.add_typer(documents_cli.keys_app, name="keys")
app.command("verify")(documents_cli.verify)
app.add_typer(licences_cli.app, name="licences")
app.add_typer(amendments_cli.app, name="amendments")
app.command("deem-accepted")(amendments_cli.deem_accepted)
app.add_typer(shipments_cli.app, name="shipments")
screening_search_cli.register(screening_cli.app)
app.add_typer(screening_cli.app, name="screening")
app.add_typer(demo_cli.app, name="demo")
app.add_typer(buyers_cli.app, name="buyers")
app.add_typer(reports_cli.app, name="reports")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes"),
) -> None:
    """Serve the web app and API (docs at /docs). Marks licences past validity as expired first."""
    import uvicorn

    # proxy_headers=False: the client address is web/clients.py's to decide (RAREX_TRUSTED_PROXIES).
    uvicorn.run("rarex.web.app:create_app", factory=True, host=host, port=port, workers=workers, proxy_headers=False)


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)
