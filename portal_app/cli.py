"""Command-line tasks: `flask create-admin`, `flask audit-verify`, `flask audit-seal`, `flask demo`,
`flask outbox-worker`, `flask seal-cert`,
`flask messaging-recount-unread`, `flask needs-review-rebuild`, `flask programs import|export`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from . import audit
from .extensions import db


@click.command("create-admin")
@click.option("--operator", is_flag=True, help="A deployment operator (creates agencies, sees no client data).")
@click.option("--email", prompt=True)
@click.option("--first-name", prompt=True)
@click.option("--last-name", prompt=True)
@click.option("--organization", "organization_name", default=None, help="The agency (asked unless --operator).")
@click.password_option(help="At least 12 characters.")
def create_admin(operator: bool, email: str, first_name: str, last_name: str, organization_name: str | None,
                 password: str) -> None:
    """Create the first administrator (and the agency), or with --operator a deployment operator."""
    from .accounts.bootstrap import AdminExists, create_first_admin, create_operator
    from .accounts.services import PasswordPolicyError

    try:
        if operator:
            user = create_operator(email, password, first_name, last_name)
        else:
            organization_name = organization_name or click.prompt("Agency name")
            user = create_first_admin(email, password, first_name, last_name, organization_name)
    except (AdminExists, PasswordPolicyError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()
    if operator:
        click.echo(f"Deployment operator {user.email} created: sign in on /staff to create agencies.")
    else:
        click.echo(f"Administrator {user.email} created for {user.organization.name}.")


@click.command("audit-verify")
def audit_verify() -> None:
    """Check every audit row's HMAC, the chain and its head against the latest checkpoint; exit 1 on failure."""
    report = audit.verify_chain()
    if not report.ok:
        click.echo(f"Audit trail BROKEN ({report.checked} events checked):", err=True)
        for sentence in report.sentences():
            click.echo(f"- {sentence}", err=True)
        raise SystemExit(1)
    checkpoint = report.checkpoint
    anchor = (f"the chain matches the checkpoint of {checkpoint.at} (#{checkpoint.seq})" if checkpoint
              else "no checkpoint yet")
    click.echo(f"Audit trail intact: {report.checked} events verified ({report.sealed} sealed, "
               f"{report.unsealed} awaiting sealing); {anchor}.")


@click.command("audit-seal")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True)
def audit_seal(batch_size: int) -> None:
    """Seal every waiting audit event now and write a signed checkpoint (the worker does this too)."""
    from .worker import run_sealing_pass

    total, seal = 0, None
    while (step := run_sealing_pass(batch_size)) is not None:
        total, seal = total + step.sealed, step
        if step.sealed < batch_size:
            break
    if seal is None:
        click.echo("Nothing to seal (or another sealer is at work).")
        return
    click.echo(f"Sealed {total} events; the chain head is #{seal.seq}.")


@click.command("messaging-recount-unread")
def messaging_recount_unread() -> None:
    """Count every reader's unread badge again, and what waits for each staff member on their home (after a
    bulk load or an upgrade; readers without a count get one)."""
    from .messaging.unread import recount_all

    readers = recount_all()
    db.session.commit()
    click.echo(f"Counted the unread conversations of {readers} readers.")


@click.command("needs-review-rebuild")
def needs_review_rebuild() -> None:
    """Make every case manager's Needs Review entries again from the contacts and care teams (after a bulk load
    that bypassed the application; the application keeps them as contacts and care teams change)."""
    from .sharing.models import rebuild_review_waiting

    entries = rebuild_review_waiting()
    db.session.commit()
    click.echo(f"Needs Review entries of case managers: {entries}.")


@click.command("welcome")
@click.option("--port", default=5000, show_default=True)
def welcome(port: int) -> None:
    """Print the four sites' addresses and the demo logins."""
    from .demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PORTAL_LOGINS

    base = f"http://127.0.0.1:{port}"
    click.echo("\nCaseport is starting:")
    for name, path in (("Staff", "/staff/"), ("Partners", "/partner/"), ("Client portal", "/portal/"), ("Kiosk", "/kiosk/")):
        click.echo(f"  {name:<14} {base}{path}")
    click.echo(f"\nDemo logins (password {DEMO_PASSWORD}):")
    for login, role, site in DEMO_LOGINS + DEMO_PORTAL_LOGINS:
        click.echo(f"  {login:<28} {role:<40} {base}/{site}/")
    click.echo("Emails are written to instance/outbox/.\n")


programs_cli = AppGroup("programs", help="The programs directory: HSDS 3.0 import and export.")


@programs_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--agency", "agency_name", default=None, help="The agency that manages organizations created here.")
def programs_import(path: str, agency_name: str | None) -> None:
    """Import an HSDS 3.0 data package (JSON, or the CSV tables in a zip); again updates, never duplicates."""
    from .programs.packages import PackageError, import_file

    try:
        click.echo(import_file(path, agency_name))
    except PackageError as err:
        raise click.ClickException(str(err)) from err
    db.session.commit()


@programs_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def programs_export(path: str) -> None:
    """Write the directory as an HSDS 3.0 data package: JSON, or CSV tables when PATH ends in .zip."""
    from .programs.packages import PackageError, export_file

    try:
        click.echo(export_file(path))
    except PackageError as err:
        raise click.ClickException(str(err)) from err


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(audit_verify)
    app.cli.add_command(audit_seal)
    app.cli.add_command(welcome)
    app.cli.add_command(messaging_recount_unread)
    app.cli.add_command(needs_review_rebuild)
    from . import demo, worker

    app.cli.add_command(demo.demo_command)
    app.cli.add_command(worker.worker_command)
    app.cli.add_command(worker.appointments_remind_command)
    from .documents.seal import seal_cert_command

    app.cli.add_command(seal_cert_command)
    app.cli.add_command(programs_cli)
