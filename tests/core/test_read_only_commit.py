"""A request that only read ends its transaction with COMMIT (psycopg forgets its prepared statements at every
ROLLBACK); a request that wrote without committing is still rolled back (core.work.end_read_only)."""

import pytest
from sqlalchemy import event, func, select, text

from coalition.accounts.models import User
from coalition.core.work import end_read_only


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
    prepared = []
    connections = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        for connection in connections:
            prepared += connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    finally:
        for connection in connections:
            connection.close()
    assert any("memberships" in statement for statement in prepared)


def test_postgresql_plans_every_statement_for_its_own_values(db):
    """A prepared statement could otherwise be switched to a generic plan made without its values (story search at
    scale 3: 19 ms → 58 ms)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    db.session.rollback()  # the setting outlives any transaction of the connection
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
