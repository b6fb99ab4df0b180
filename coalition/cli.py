"""Operator commands (above every domain): `flask coalition create`, `flask seed-demo`, `flask outbox send`."""

import time
import zoneinfo

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from coalition.accounts.services import find_user_by_email
from coalition.coalitions import services
from coalition.coalitions.models import Coalition
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from coalition.core.links import site_link
from coalition.core.outbox import deliver_outbox
from coalition.core.permissions import Role
from coalition.demo import seed_demo
from coalition.extensions import db

coalition_cli = AppGroup("coalition", help="Create and list coalitions.")
outbox_cli = AppGroup("outbox", help="Deliver queued mail.")


@coalition_cli.command("create")
@click.option("--name", required=True, help="The coalition's name.")
@click.option("--lead-email", required=True, help="Email of the first coalition lead.")
@click.option("--slug", default=None, help="Address of the coalition (default: from the name).")
@click.option("--timezone", default="UTC", show_default=True, help="IANA time zone, e.g. America/Chicago.")
def create_coalition_command(name, lead_email, slug, timezone):
    """Create a coalition and its first lead (an existing account, or an emailed invitation)."""
    if timezone not in zoneinfo.available_timezones():
        raise click.BadParameter(f"unknown time zone {timezone!r}", param_hint="--timezone")
    try:
        coalition = services.create_coalition(name, slug=slug, timezone=timezone)
    except services.CoalitionError as error:
        raise click.ClickException(str(error)) from error
    user = find_user_by_email(lead_email)
    if user is not None:
        services.add_member(coalition, user, Role.LEAD)
        message = f"{user.email} is the lead of {coalition.name} (/c/{coalition.slug}/)."
    else:
        raw = services.invite(coalition, lead_email, Role.LEAD, invited_by=None)
        message = f"Invitation for the first lead queued to {lead_email}: {site_link('/invitations/' + raw)}"
    db.session.commit()
    click.echo(f"Created coalition {coalition.name!r} at /c/{coalition.slug}/")
    click.echo(message)


@coalition_cli.command("list")
def list_coalitions_command():
    """List the coalitions of this installation."""
    for coalition in db.session.scalars(select(Coalition).order_by(Coalition.name)):
        click.echo(f"{coalition.slug}\t{coalition.name}")


@outbox_cli.command("send")
@click.option("--batch", default=100, show_default=True, help="Messages per round.")
@click.option("--loop", is_flag=True, help="Keep running, polling every --interval seconds.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds with --loop.")
def send_outbox_command(batch, loop, interval):
    """Deliver due mail from the outbox (safe to run in several processes at once)."""
    while True:
        counts = deliver_outbox(batch)
        click.echo(f"sent {counts['sent']}, will retry {counts['retry']}, failed {counts['failed']}")
        if not loop:
            break
        time.sleep(interval)


@click.command("seed-demo")
def seed_demo_command():
    """Create the demo coalition with its three accounts and sample data (once; safe to run again)."""
    if seed_demo():
        db.session.commit()
        click.echo(f"Demo data created. Log in with any of these (password: {DEMO_PASSWORD}):")
        for role, (email, _name) in DEMO_ACCOUNTS.items():
            click.echo(f"  {role:10} {email}")
    else:
        click.echo("Demo data already present; nothing changed.")


def register_commands(app: Flask) -> None:
    """Register the site-wide CLI commands (domains register theirs on their blueprints; wsgi.py adds seed-bench)."""
    app.cli.add_command(coalition_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_demo_command)
