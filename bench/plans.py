"""Which statements of the benchmark pages must be planned for their values on PostgreSQL.

    .venv/bin/python bench/plans.py [--database-url URL] [--only TEXT]   (or: make bench-plans)

PostgreSQL may run a prepared statement with a generic plan, made once without its values (`coalition.core.plans`).
For every SELECT that each benchmark page runs (on the seeded benchmark database, PostgreSQL), this runs it
prepared with a generic plan, with a custom plan (planned for its values, each time), and as PostgreSQL chooses by
itself after a dozen runs, and prints the median time of each. A statement is flagged when its generic plan is far
slower than its custom plan (`much_slower`), and "CHOSEN" when PostgreSQL's own choice was slow too: such a
statement must carry `core.plans.FOR_ITS_VALUES` ("marked"), or it will sometimes run with that plan. Exits 1 when
a statement PostgreSQL's choice made slow is not marked. Timings on a shared machine are noisy: run it twice.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench.compare import database_url
from bench.run import _isolated, log_in, make_app
from bench.seed import bench_pages
from coalition.core.plans import FOR_ITS_VALUES
from coalition.extensions import db

#: Flagged when the slower plan takes this many times as long as the custom plan, and this much longer.
SLOWER_RATIO = 1.5
SLOWER_MS = 0.3


def much_slower(ms: float, custom_ms: float) -> bool:
    """Whether `ms` is far slower than the custom plan's `custom_ms` (not a difference the machine's noise makes)."""
    return ms > SLOWER_RATIO * custom_ms and ms - custom_ms > SLOWER_MS


def _timed(connection, sql: str, params, mode: str, runs: int, last: int) -> float:
    """The median ms of the `last` of `runs` prepared runs of `sql` with `plan_cache_mode = mode`."""
    connection.execute(f"SET plan_cache_mode = {mode}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        cursor = connection.cursor()
        cursor.execute(sql, params, prepare=True)
        cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    connection.rollback()
    return statistics.median(times[-last:])


def page_statements(app, client, url: str) -> list[tuple[str, object]]:
    """The SELECT statements (SQL and parameters, as sent) of one request of `url`, after a warm-up request."""
    _isolated(client.get, url)
    seen = []

    def before(_connection, _cursor, sql, params, *_args):
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        _isolated(client.get, url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", database_url("postgresql", 1)))
    parser.add_argument("--only", default=None, help="only the pages whose name contains this text")
    args = parser.parse_args(argv)
    app = make_app(args.database_url)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            print("plans are PostgreSQL's: give --database-url postgresql+psycopg://...")
            return 2
        pages = [page for page in bench_pages() if not args.only or args.only.lower() in page.name.lower()]
        raw = db.engine.raw_connection()
    connection = raw.driver_connection
    clients, unmarked = {}, []
    try:
        for page in pages:
            if page.role not in clients:
                clients[page.role] = app.test_client() if page.role == "visitor" else log_in(app, page.role)
            for sql, params in page_statements(app, clients[page.role], page.url):
                generic = _timed(connection, sql, params, "force_generic_plan", runs=7, last=5)
                custom = _timed(connection, sql, params, "force_custom_plan", runs=7, last=5)
                chosen = _timed(connection, sql, params, "auto", runs=14, last=5)
                marked = FOR_ITS_VALUES in sql
                flag = ""
                if much_slower(generic, custom):
                    flag = "slower generic"
                    if much_slower(chosen, custom):
                        flag += ", CHOSEN"
                        if not marked:
                            unmarked.append((page.name, sql))
                    flag += ", marked" if marked else ""
                times = f"generic {generic:7.2f}  custom {custom:7.2f}  chosen {chosen:7.2f}"
                print(f"{page.name[:36]:36} {times}  {flag:30} {' '.join(sql.split())[:100]}")
    finally:
        raw.close()
    for name, sql in unmarked:
        print(f"\nNOT MARKED ({name}): {' '.join(sql.split())}")
    return 1 if unmarked else 0


if __name__ == "__main__":
    sys.exit(main())
