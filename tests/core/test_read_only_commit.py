"""A request that only read ends its transaction with COMMIT (psycopg forgets its prepared statements at every
ROLLBACK); a request that wrote without committing is still rolled back (core.work.end_read_only)."""

import pytest
from sqlalchemy import event, func, select, text

from coalition.accounts.models import User
from coalition.core.plans import FOR_ITS_VALUES
from coalition.core.work import end_read_only
from coalition.extensions import db


@pytest.fixture
def transaction_ends(db):
    """The ends of transactions on the app's engine, in order: "commit" or "rollback"."""
    ends = []

    def on_commit(_connection):
        ends.append("commit")

    def on_rollback(_connection):
        ends.append("rollback")

    event.listen(db.engine, "commit", on_commit)
    event.listen(db.engine, "rollback", on_rollback)
    yield ends
    event.remove(db.engine, "commit", on_commit)
    event.remove(db.engine, "rollback", on_rollback)


@pytest.fixture
def member_client(client, make_coalition, make_member, login):
    coalition = make_coalition()
    user = make_member(coalition)
    login(client, user)
    return client, coalition


def test_a_page_that_only_reads_ends_with_commit(member_client, transaction_ends):
    client, coalition = member_client
    transaction_ends.clear()
    assert client.get(f"/c/{coalition.slug}/members").status_code == 200
    assert transaction_ends == ["commit"]


def test_a_missing_page_that_only_read_ends_with_commit_too(member_client, transaction_ends):
    client, coalition = member_client
    transaction_ends.clear()
    assert client.get(f"/c/{coalition.slug}/stories/999999").status_code == 404
    assert "rollback" not in transaction_ends


def _users():
    return select(func.count()).select_from(User)


def test_a_write_the_view_did_not_commit_is_rolled_back(app, db, make_user):
    before = db.session.scalar(_users())
    with app.test_request_context():
        db.session.add(User(email="flushed@example.org", display_name="Flushed", password_hash="x"))
        db.session.flush()  # written, never committed by the view
        end_read_only(None)
        assert db.session().in_transaction()  # left open, for the usual rollback
        db.session.rollback()
    assert db.session.scalar(_users()) == before


def test_a_change_not_yet_flushed_is_never_committed(app, db, make_user):
    user = make_user(name="Ana Ortiz")
    with app.test_request_context():
        db.session.get(User, user.id).display_name = "Changed for display only"
        end_read_only(None)
        db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "Ana Ortiz"


def test_a_request_that_failed_is_not_committed(app, db, transaction_ends):
    with app.test_request_context():
        db.session.execute(select(1))
        transaction_ends.clear()
        end_read_only(RuntimeError("the view failed"))
        assert transaction_ends == []
        db.session.rollback()


def test_statements_stay_prepared_across_requests_on_postgresql(member_client, db):
    """The point of it: psycopg prepares a statement on its fifth run on a connection, and forgot them all at the
    ROLLBACK that ended every page. Now a page's statements are prepared once and reused."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client, coalition = member_client
    idle = db.engine.pool.checkedin() + 1
    for _ in range(5 * idle + 5):  # the pool hands its idle connections out in turn: each gets five or more
        assert client.get(f"/c/{coalition.slug}/members").status_code == 200
    assert any("memberships" in statement for statement in _prepared_statements())


def test_a_connection_keeps_more_statements_prepared_than_psycopgs_default_on_postgresql(db):
    """Mixed traffic runs more statements than psycopg keeps by default (100; the benchmark's pages alone run 98):
    the least recently run were forgotten, with their run counts, before they were ever prepared."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    statements = [text(f"SELECT {number} + :one AS n") for number in range(150)]
    with db.engine.connect() as connection:
        for _ in range(6):  # psycopg prepares a statement on its fifth run
            for statement in statements:
                connection.execute(statement, {"one": 1})
        prepared = connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
        connection.rollback()
    assert sum(1 for statement in prepared if "AS n" in statement) == len(statements)


def _prepared_statements() -> list[str]:
    """The statements prepared on every idle connection of the pool."""
    prepared = []
    connections = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        for connection in connections:
            prepared += connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    finally:
        for connection in connections:
            connection.close()
    return prepared


@pytest.mark.parametrize(
    ("path", "statement_of"),
    [
        ("/stories/?q=heating", "to_tsquery"),  # a rare word reads the index, a frequent one walks the dates
        ("/stories/", "ORDER BY anon_1.created_at DESC"),  # a member's list: 13× slower with a generic plan
        ("/", "meeting_rsvps.response IN"),  # "my next meetings" on the dashboard: 2× slower
    ],
)
def test_statements_whose_generic_plan_was_slow_are_planned_for_their_values_on_postgresql(
    member_client, db, count_queries, path, statement_of
):
    """Other statements stay prepared, and PostgreSQL may keep a generic plan of them; these are never prepared, so
    they are planned for their values every time (bench/plans.py found them far slower with a generic plan)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    client, coalition = member_client
    idle = db.engine.pool.checkedin() + 1
    with count_queries() as counter:
        for _ in range(5 * idle + 5):
            assert client.get(f"/c/{coalition.slug}{path}").status_code == 200
    wanted = [statement for statement in counter.statements if statement_of in statement]
    assert wanted and all(FOR_ITS_VALUES in statement for statement in wanted)
    prepared = _prepared_statements()
    assert any("login_sessions" in statement for statement in prepared)
    assert not any(FOR_ITS_VALUES in statement for statement in prepared)
