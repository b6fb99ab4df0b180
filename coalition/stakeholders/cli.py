"""`flask stakeholders digest`: the weekly follow-up digest."""

import click

from coalition.extensions import db
from coalition.stakeholders import bp
from coalition.stakeholders.followups import send_weekly_digest


@bp.cli.command("digest")
def digest_command():
    """Queue this week's follow-up digest for every organizer and lead (at most once per ISO week)."""
    count = send_weekly_digest()
    db.session.commit()
    click.echo(f"Queued {count} follow-up digest(s).")
