"""How PostgreSQL plans the statements each connection keeps prepared.

psycopg prepares a statement on its fifth run on a connection (and requests end with COMMIT, so they stay prepared:
`core.work.end_read_only`). PostgreSQL plans a prepared statement's first five runs for their values, then keeps a
generic plan when it costs no more than those: the statement is no longer planned on every run. Planning cost more
than running for most pages' statements (the organizer's dashboard at scale 1: 2.6 ms of planning, 2.0 ms of
running).

A statement whose best plan depends on its values carries `FOR_ITS_VALUES` in its SQL (`for_its_values()`: a
comment, kept when the statement is wrapped in a count or a subquery) and is sent unprepared, so it is planned for
its own values on every run. Story search is one: a rare word reads the full-text index, a frequent one walks the
stories by date, and a generic plan made without the words made the organizers' search 3× slower at scale 3 (58 ms
against 19 ms). `bench/plans.py` finds the others: the story lists' ids, the evidence report's quotes and answers,
"my next meetings" (13×, 17×, 2× slower with a generic plan at scale 0.1 or 1).
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine

FOR_ITS_VALUES = "/* planned for its values */"

#: How many statements each connection keeps prepared, and counts the runs of before preparing them. psycopg's
#: default (100) is fewer than the app runs: the benchmark's 41 pages alone run 98 statements that may be prepared
#: (114 on one connection after mixed traffic), and psycopg forgot the least recently run ones, with their run
#: counts, before they were prepared, so under mixed traffic they were planned again on every run. Each prepared
#: statement costs its PostgreSQL connection about 70 KB (measured on PostgreSQL 15: 8 MB for 114), so at most
#: 35 MB a connection.
PREPARED_MAX = 500


def for_its_values(sql: str) -> str:
    """`sql` (a fragment of a statement) marked so that every statement it ends up in is planned for its values."""
    return f"{FOR_ITS_VALUES} {sql}"


def planned_for_its_values(statement):
    """`statement` (a select()) marked: on PostgreSQL it, and any statement it becomes part of, is planned for its
    values on every run. For statements whose generic plan was found far slower (`bench/plans.py`)."""
    return statement.prefix_with(FOR_ITS_VALUES, dialect="postgresql")


def install() -> None:
    """Send marked statements unprepared, and keep up to PREPARED_MAX prepared on each psycopg connection, on every
    engine (once, however many apps are made)."""
    if not event.contains(Engine, "do_execute", _execute_unprepared_when_marked):
        event.listen(Engine, "do_execute", _execute_unprepared_when_marked)
    if not event.contains(Engine, "connect", _keep_more_prepared):
        event.listen(Engine, "connect", _keep_more_prepared)


def _keep_more_prepared(dbapi_connection, _connection_record) -> None:
    if hasattr(dbapi_connection, "prepared_max"):  # psycopg's; SQLite prepares nothing across statements
        dbapi_connection.prepared_max = PREPARED_MAX


def _execute_unprepared_when_marked(cursor, statement, parameters, context):
    """Send a marked statement unprepared on psycopg (PostgreSQL then plans it for its values); leave the rest."""
    if FOR_ITS_VALUES in statement and context.dialect.driver == "psycopg":
        cursor.execute(statement, parameters, prepare=False)
        return True
    return None
