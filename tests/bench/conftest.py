"""The benchmark's command on the test application, registered as wsgi.py registers it (create_app does not)."""

import pytest

from bench.seed import seed_bench_command


@pytest.fixture(autouse=True)
def seed_bench_cli(app):
    """Offer `flask seed-bench` on the test application."""
    app.cli.add_command(seed_bench_command)
