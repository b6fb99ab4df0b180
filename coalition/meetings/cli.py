"""`flask meetings remind`: queue reminder mail for meetings starting soon."""

import click

from coalition.extensions import db
from coalition.meetings import bp
from coalition.meetings.notify import queue_reminders


@bp.cli.command("remind")
def remind_command():
    """Queue reminders for yes and maybe RSVPs (each coalition's lead time; safe to run often and in parallel)."""
    queued = queue_reminders()
    db.session.commit()
    click.echo(f"queued {queued} reminder(s)")
