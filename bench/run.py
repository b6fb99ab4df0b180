"""Measure the main pages of Coalition on the large benchmark dataset.

    .venv/bin/python bench/run.py [--database-url URL] [--scale N] [--requests K] [--only TEXT]

Builds the schema if it is missing (Alembic migrations when they cover every model table, else `db.create_all()`
and the stories' search index), seeds the "bench" coalition if it is missing (`flask seed-bench --scale N`), logs
in through the log-in form as the bench lead, organizer and member, then requests each page of
`bench.seed.bench_pages()` K times (after one warm-up request). Prints median and p95 latency, the median CPU
time of this process per request (steadier than latency on a machine others share), the SQL statements per request
and the status; writes bench/results/latest.json. Flags pages over 300 ms median or over
30 statements. Exits 1 if a page does not answer 200.
"""

import argparse
import contextvars
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (`python bench/run.py`), Python puts bench/ on the path, not the repository with `bench.seed`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate
import sqlalchemy
from sqlalchemy import event, func, inspect, select
from sqlalchemy.engine import make_url

from bench.seed import BENCH_ACCOUNTS, BENCH_PASSWORD, BENCH_SLUG, bench_exists, bench_pages, seed_bench
from coalition import create_app
from coalition.coalitions.models import Coalition
from coalition.extensions import db
from coalition.stories.models import Story
from coalition.stories.search import install_search

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'bench' / 'bench.db'}"
RESULTS = ROOT / "bench" / "results" / "latest.json"
SLOW_MS = 300
MANY_QUERIES = 30


def make_app(database_url: str):
    """The application on `database_url`, with CSRF and rate limits off (the benchmark posts only the log-in), and
    every page rendered (never served from the page cache: what is measured is the page's own cost)."""
    return create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
        PAGE_CACHE_ENABLED=False,
    )


def _migrated_tables() -> set[str]:
    names = set()
    for script in (ROOT / "migrations" / "versions").glob("*.py"):
        names.update(re.findall(r"create_table\(\s*['\"](\w+)['\"]", script.read_text()))
    return names


def prepare_schema(app) -> str:
    """Create the schema when tables are missing; return how ("present", "migrations" or "create_all")."""
    with app.app_context():
        wanted = set(db.metadata.tables)
        if wanted <= set(inspect(db.engine).get_table_names()):
            return "present"
        if wanted <= _migrated_tables():
            flask_migrate.upgrade()
            how = "migrations"
        else:
            # The migrations do not cover every domain yet: build from the models, as the test suite does.
            db.create_all()
            how = "create_all"
        with db.engine.begin() as connection:
            install_search(connection)
        return how


def ensure_seeded(app, scale: float) -> float | None:
    """Seed the benchmark coalition unless it exists; return the seconds it took (None if already there)."""
    with app.app_context():
        if bench_exists():
            return None
        started = time.perf_counter()
        seed_bench(scale, echo=print)
        return time.perf_counter() - started


def _isolated(func, *args, **kwargs):
    """Run one request in its own context, as in production: nothing in `g` or the session leaks between them."""
    return contextvars.Context().run(func, *args, **kwargs)


def log_in(app, role: str):
    """A test client logged in as the bench account of `role` through the real log-in form."""
    client = app.test_client()
    response = _isolated(
        client.post, "/account/login", data={"email": BENCH_ACCOUNTS[role], "password": BENCH_PASSWORD}
    )
    if response.status_code != 302:
        raise RuntimeError(f"log-in as {role} failed ({response.status_code})")
    return client


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(app, requests: int = 20, only: str | None = None) -> list[dict]:
    """Request every benchmark page `requests` times; return one result dict per page."""
    with app.app_context():
        pages = [p for p in bench_pages() if not only or only.lower() in p.name.lower()]
        engine = db.engine
    clients = {role: log_in(app, role) if role != "visitor" else app.test_client() for role in {p.role for p in pages}}
    statements: list[list] = []  # [sql, started, ms] of the current request

    def before(_conn, _cursor, sql, *_args):
        statements.append([sql, time.perf_counter(), None])

    def after(_conn, _cursor, sql, *_args):
        if statements and statements[-1][0] == sql:
            statements[-1][2] = (time.perf_counter() - statements[-1][1]) * 1000

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        return [_measure_page(clients[page.role], page, requests, statements) for page in pages]
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _slowest(statements: list[list], top: int = 3) -> list[dict]:
    ranked = sorted((s for s in statements if s[2] is not None), key=lambda s: s[2], reverse=True)[:top]
    return [{"ms": round(ms, 1), "sql": " ".join(sql.split())[:400]} for sql, _started, ms in ranked]


def _measure_page(client, page, requests: int, statements: list[list]) -> dict:
    _isolated(client.get, page.url)  # warm-up: templates compiled, caches filled
    times, cpu_times, counts, statuses = [], [], [], set()
    for _ in range(requests):
        statements.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = _isolated(client.get, page.url)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        counts.append(len(statements))
        statuses.add(response.status_code)
    median = statistics.median(times)
    result = {
        "page": page.name,
        "role": page.role,
        "url": page.url,
        "status": sorted(statuses)[-1] if len(statuses) == 1 else sorted(statuses),
        "median_ms": round(median, 1),
        "p95_ms": round(_p95(times), 1),
        #: CPU time of this process (the app's Python; not the database server's work on PostgreSQL).
        "cpu_ms": round(statistics.median(cpu_times), 1),
        "queries": max(counts),
        #: The slowest SQL statements of the last request, to find what makes a page slow.
        "slowest_sql": _slowest(statements),
    }
    flags = []
    if statuses != {200}:
        flags.append("STATUS")
    if median > SLOW_MS:
        flags.append("SLOW")
    if max(counts) > MANY_QUERIES:
        flags.append("QUERIES")
    result["flags"] = flags
    return result


def format_table(results: list[dict]) -> str:
    """The results as a fixed-width text table (also valid Markdown)."""
    header = ("page", "role", "status", "median ms", "p95 ms", "CPU ms", "queries", "flags")
    rows = [
        (r["page"], r["role"], str(r["status"]), f"{r['median_ms']:.0f}", f"{r['p95_ms']:.0f}", f"{r['cpu_ms']:.0f}")
        + (str(r["queries"]), " ".join(r["flags"]))
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def describe(app, database_url: str, scale: float, requests: int, schema: str, seed_seconds) -> dict:
    """What was measured, where: database, data size, machine."""
    with app.app_context():
        coalition_id = db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG))
        stories = db.session.scalar(select(func.count(Story.id)).where(Story.coalition_id == coalition_id))
        server = db.session.connection().dialect.server_version_info
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": make_url(database_url).render_as_string(hide_password=True),
        "database_version": ".".join(str(part) for part in server or ()),
        "schema": schema,
        #: The scale of this run's seeding; None when the data was already there (see "stories" for its size).
        "scale_seeded": scale if seed_seconds is not None else None,
        "stories": stories,
        "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else None,
        "requests_per_page": requests,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="dataset size when seeding (1 = 100,000 stories)")
    parser.add_argument("--requests", type=int, default=20, help="measured requests per page")
    parser.add_argument("--only", default=None, help="measure only the pages whose name contains this text")
    args = parser.parse_args(argv)

    app = make_app(args.database_url)
    schema = prepare_schema(app)
    print(f"schema: {schema}")
    seed_seconds = ensure_seeded(app, args.scale)
    print(f"seeded in {seed_seconds:.1f} s" if seed_seconds is not None else "benchmark data already present")
    results = measure(app, args.requests, args.only)
    meta = describe(app, args.database_url, args.scale, args.requests, schema, seed_seconds)
    print(json.dumps(meta, indent=2))
    print(format_table(results))
    flagged = [r for r in results if r["flags"]]
    for r in flagged:
        print(f"FLAG {' '.join(r['flags'])}: {r['page']} ({r['url']}) {r['median_ms']} ms, {r['queries']} queries")
        for statement in r["slowest_sql"][:2]:
            print(f"    {statement['ms']:>7.1f} ms  {statement['sql'][:300]}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 1 if any("STATUS" in r["flags"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
