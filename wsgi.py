"""WSGI entry point: `gunicorn wsgi:app`; also the app of the `flask` command (FLASK_APP=wsgi.py).

`flask seed-bench` is registered here, not in `create_app`: the benchmark seeder (bench/seed.py) sits above the
`coalition` package and imports its domains, so the package must not import it back.
"""

from bench.seed import seed_bench_command
from coalition import create_app

app = create_app()
app.cli.add_command(seed_bench_command)
