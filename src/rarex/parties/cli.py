"""``rarex orgs`` and ``rarex parties``: exporters and their foreign parties, for operators."""

from __future__ import annotations

import typer
from rich.table import Table

from rarex.cli.common import JsonOpt, cli_principal, console, print_json, transaction
from rarex.core.db import MAX_ROW_ID
from rarex.parties import service, verification
from rarex.parties.schemas import ComplianceProfileOut, OrganisationOut, PartyOut, PartyVersionOut

orgs_app = typer.Typer(help="Exporters: organisations, compliance profiles, violations.", no_args_is_help=True)
parties_app = typer.Typer(help="Foreign consignees and end users kept by exporters.", no_args_is_help=True)


@orgs_app.command("list")
def orgs_list(json_out: bool = JsonOpt) -> None:
    """List organisations."""
    with transaction() as session:
        orgs = [OrganisationOut.model_validate(o) for o in service.list_organisations(session, cli_principal())]
    if json_out:
        print_json(orgs)
        return
    table = Table("id")
    table.add_column("uscc", no_wrap=True, min_width=18)  # an identifier is never truncated
    for heading in ("name (zh)", "name (en)", "ICP", "violations"):
        table.add_column(heading)
    for o in orgs:
        table.add_row(str(o.id), o.uscc, o.name_zh, o.name_en, "yes" if o.profile and o.profile.has_icp else "no",
                      str(len(o.violations)))
    console.print(table)


@orgs_app.command("show")
def orgs_show(
    ref: str = typer.Argument(..., metavar="ID_OR_USCC", help="Organisation id or unified social credit code"),
    json_out: bool = JsonOpt,
) -> None:
    """Show one organisation with its compliance profile and violations."""
    with transaction() as session:
        org = OrganisationOut.model_validate(service.find_organisation(session, cli_principal(), ref))
    if json_out:
        print_json(org)
        return
    console.print(f"[bold]{org.name_zh}[/bold] / {org.name_en}  (id {org.id}, USCC {org.uscc})", highlight=False)
    console.print(f"address: {org.address or '-'}\ncontact: {org.contact_name or '-'} {org.contact_email} {org.contact_phone}",
                  highlight=False)
    if org.profile:
        p = org.profile
        console.print(
            f"ICP: {'yes' if p.has_icp else 'no'} (established {p.icp_established_on or '-'}, last audit "
            f"{p.icp_last_audit_on or '-'}); experience {p.export_experience_years} years; briefings "
            f"{p.briefings_attended} (last {p.last_briefing_on or '-'}); stable channels: {'yes' if p.stable_channels else 'no'}",
            highlight=False,
        )
        if p.unverified:
            console.print(f"not verified by an officer: {', '.join(p.unverified)} (rarex orgs verify-profile)", highlight=False)
    for v in org.violations:
        console.print(f"violation {v.id}: {v.kind} on {v.decided_on} {v.legal_ref} — {v.description}", highlight=False)


@orgs_app.command("create")
def orgs_create(
    name_zh: str = typer.Option(..., "--name-zh", help="Registered name in Chinese"),
    name_en: str = typer.Option(..., "--name-en", help="Name in English"),
    uscc: str = typer.Option(..., "--uscc", help="Unified social credit code (18 characters)"),
    address: str = typer.Option("", "--address", help="Registered address"),
    json_out: bool = JsonOpt,
) -> None:
    """Register an exporter with a default compliance profile."""
    with transaction() as session:
        org = service.create_organisation(session, cli_principal(), name_zh=name_zh, name_en=name_en, uscc=uscc, address=address)
        out = OrganisationOut.model_validate(org)
    if json_out:
        print_json(out)
    else:
        console.print(f"created organisation [bold]{out.name_en}[/bold] id {out.id} (USCC {out.uscc})", highlight=False)


@orgs_app.command("verify-profile")
def orgs_verify_profile(
    ref: str = typer.Argument(..., metavar="ID_OR_USCC", help="Organisation id or unified social credit code"),
    note: str = typer.Option("", "--note", help="What the facts were checked against (audit report, past licences)"),
    json_out: bool = JsonOpt,
) -> None:
    """Verify the compliance facts general-licence eligibility reads, as the profile states them now."""
    with transaction() as session:
        actor = cli_principal()
        org_id = service.find_organisation(session, actor, ref).id
        out = ComplianceProfileOut.model_validate(verification.verify_profile(session, actor, org_id, note=note))
    if json_out:
        print_json(out)
        return
    facts = ", ".join(f"{k}={v}" for k, v in out.verified_values.items())
    console.print(f"verified the compliance profile of organisation {out.org_id}: {facts}", highlight=False)


@parties_app.command("list")
def parties_list(
    org: str = typer.Option(None, "--org", help="Only this organisation's parties (id or unified social credit code)"),
    country: str = typer.Option(None, "--country", help="Only parties in this country (ISO code, e.g. DE)"),
    json_out: bool = JsonOpt,
) -> None:
    """List foreign parties."""
    with transaction() as session:
        actor = cli_principal()
        org_id = service.find_organisation(session, actor, org).id if org else None
        parties = [PartyOut.model_validate(p) for p in
                   service.list_parties(session, actor, org_id=org_id, country=country, limit=None)]
    if json_out:
        print_json(parties)
        return
    table = Table("id", "org")
    table.add_column("country", no_wrap=True)
    for heading in ("name", "name (local)", "business"):
        table.add_column(heading)
    for p in parties:
        table.add_row(str(p.id), str(p.org_id), p.country, p.name, p.name_local, p.business)
    console.print(table)


@parties_app.command("versions")
def parties_versions(
    party_id: int = typer.Argument(..., metavar="ID", min=1, max=MAX_ROW_ID, help="The party's id"),
    json_out: bool = JsonOpt,
) -> None:
    """Every version of a party, oldest first: what each case and licence froze is one of these
    (--json adds business, website and who made each version)."""
    with transaction() as session:
        versions = [PartyVersionOut.model_validate(v) for v in service.party_versions(session, cli_principal(), party_id)]
    if json_out:
        print_json(versions)
        return
    table = Table("version", "created")
    table.add_column("country", no_wrap=True)
    for heading in ("name", "name (local)", "address"):
        table.add_column(heading)
    for v in versions:
        table.add_row(str(v.version), v.created_at.date().isoformat(), v.country, v.name, v.name_local, v.address)
    console.print(table)
