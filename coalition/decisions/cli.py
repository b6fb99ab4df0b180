"""`flask decisions remind`: close decisions whose time has come, and queue reminders before the close."""

import click

from coalition.decisions import bp, notify, services
from coalition.extensions import db


@bp.cli.command("remind")
def remind_command():
    """Close due decisions and remind, once each, the people who have not answered (safe to run twice)."""
    closed = services.close_due()
    db.session.commit()
    queued = notify.queue_reminders()
    db.session.commit()
    click.echo(f"closed {closed} decision(s), queued {queued} reminder(s)")
