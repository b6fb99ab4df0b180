"""`flask decisions remind`: close decisions whose time has come, and queue reminders before the close."""

import time

import click

from coalition.decisions import bp, notify, services
from coalition.extensions import db


@bp.cli.command("remind")
@click.option("--loop", is_flag=True, help="Keep running, every --interval seconds.")
@click.option("--interval", default=60, show_default=True, help="Seconds between rounds with --loop.")
def remind_command(loop, interval):
    """Close due decisions and remind, once each, the people who have not answered (safe to run twice)."""
    while True:
        closed = services.close_due()
        db.session.commit()
        queued = notify.queue_reminders()
        db.session.commit()
        click.echo(f"closed {closed} decision(s), queued {queued} reminder(s)")
        if not loop:
            return
        db.session.remove()  # a fresh session each round: nothing read in one round is trusted in the next
        time.sleep(interval)
