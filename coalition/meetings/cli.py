"""`flask meetings remind`: queue reminder mail for meetings starting soon (once, or as a worker with --loop)."""

import time

import click

from coalition.extensions import db
from coalition.meetings import bp
from coalition.meetings.notify import queue_reminders


@bp.cli.command("remind")
@click.option("--loop", is_flag=True, help="Keep running, queueing every --interval seconds.")
@click.option("--interval", default=60, show_default=True, help="Seconds between rounds with --loop.")
def remind_command(loop, interval):
    """Queue reminders for yes and maybe RSVPs (each coalition's lead time; safe to run often and in parallel)."""
    while True:
        queued = queue_reminders()
        db.session.commit()
        click.echo(f"queued {queued} reminder(s)")
        if not loop:
            return
        db.session.remove()  # a fresh session each round: nothing read in one round is trusted in the next
        time.sleep(interval)
