"""`flask webhooks send`: deliver queued webhooks (safe to run in several processes)."""

import time

import click
from flask.cli import AppGroup

from coalition.api.delivery import deliver_webhooks

webhooks_cli = AppGroup("webhooks", help="Deliver queued webhooks.")


@webhooks_cli.command("send")
@click.option("--batch", default=100, show_default=True, help="Deliveries per round.")
@click.option("--loop", is_flag=True, help="Keep running, polling every --interval seconds.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds with --loop.")
def send_webhooks_command(batch, loop, interval):
    """Send due webhook deliveries once each, with retries and backoff."""
    while True:
        counts = deliver_webhooks(batch)
        click.echo(f"sent {counts['sent']}, retry {counts['retry']}, failed {counts['failed']}")
        if not loop:
            return
        time.sleep(interval)
