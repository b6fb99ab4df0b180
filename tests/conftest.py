"""Test fixtures: a clean database for every test, maker fixtures, query counting, a real SMTP server.

The suite runs on SQLite (a temporary file) and, when TEST_DATABASE_URL is set, on PostgreSQL — in a private
database created for the run and dropped afterwards, so concurrent runs never see each other's data.
"""

import contextvars
import itertools
import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from coalition import create_app
from coalition.extensions import db as _db
from coalition.extensions import limiter

DEFAULT_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@contextmanager
def private_database(sqlite_dir, prefix="coalition_test"):
    """Yield the URL of an empty database: a SQLite file in `sqlite_dir`, or, when TEST_DATABASE_URL is set, a new
    PostgreSQL database on that server, dropped afterwards (so concurrent runs never share data)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{sqlite_dir / (prefix + '.db')}"
        return
    base = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The database of this test run."""
    with private_database(tmp_path_factory.mktemp("db")) as url:
        yield url


class RequestIsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context (own `g`, own database session), as in
    production. Otherwise requests would reuse the test's app context, and `g` — the logged-in user, cached
    memberships, the current coalition — would leak from one request, and one client, to the next."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    """The application, configured for testing, with the schema created once."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """An app context and a clean database for every test."""
    ctx = app.app_context()
    ctx.push()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    _truncate_all()
    limiter.reset()
    if "page_cache" in app.extensions:
        app.extensions["page_cache"].clear()
    ctx.pop()


def _truncate_all():
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    """Turn CSRF protection on for one test (it is off for the rest of the suite, for brevity)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def rate_limits(app):
    """Set tight rate limits for one test: `rate_limits(RATELIMIT_LOGIN="3 per minute")`."""
    names = ("RATELIMIT_LOGIN", "RATELIMIT_LOGIN_ACCOUNT", "RATELIMIT_SENSITIVE", "RATELIMIT_PUBLIC_FORM")
    saved = {name: app.config[name] for name in names}
    limiter.reset()

    def tighten(**limits):
        app.config.update(limits)

    yield tighten
    app.config.update(saved)
    limiter.reset()


def query_plan(statement, sqlite_indexed_by: tuple[str, str] | None = None, bitmaps: bool = False) -> str:
    """The plan the database makes for `statement` (its values written in), as one line of text. On PostgreSQL,
    sequential scans (and bitmap scans unless `bitmaps`) are turned off: a near-empty test table would otherwise
    hide which index the planner can use. On SQLite, `sqlite_indexed_by=(table, index)` asks for that index (SQLite
    refuses the statement when the index cannot serve it, e.g. a partial index whose condition the statement does
    not state): with empty tables it may pick either of two equally good indexes."""
    sql = str(statement.compile(_db.engine, compile_kwargs={"literal_binds": True}))
    with _db.engine.connect() as connection:
        if _db.engine.dialect.name == "sqlite":
            if sqlite_indexed_by:
                table, index = sqlite_indexed_by
                sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
            return " ".join(str(row[-1]) for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))
        connection.execute(text("SET enable_seqscan = off"))
        if not bitmaps:
            connection.execute(text("SET enable_bitmapscan = off"))
        return " ".join(connection.scalars(text("EXPLAIN " + sql)))


# --- Makers ---------------------------------------------------------------------------------------------------


@pytest.fixture
def make_user():
    """Create (and commit) a verified account."""
    from coalition.accounts.services import create_user

    def make(email=None, password=DEFAULT_PASSWORD, name=None, verified=True, **fields):
        n = next(_counter)
        user = create_user(
            email or f"person{n}@example.org", password, name or f"Person {n} Example", verified=verified
        )
        for key, value in fields.items():
            setattr(user, key, value)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_coalition():
    """Create (and commit) a coalition."""
    from coalition.coalitions.services import create_coalition

    def make(name=None, **fields):
        n = next(_counter)
        coalition = create_coalition(name or f"Coalition {n}", slug=fields.pop("slug", None) or f"coalition-{n}")
        for key, value in fields.items():
            setattr(coalition, key, value)
        _db.session.commit()
        return coalition

    return make


@pytest.fixture
def make_member(make_user):
    """Create (and commit) a person with a role in a coalition; returns the User."""
    from coalition.coalitions.services import add_member
    from coalition.core.permissions import Role

    def make(coalition, role="member", user=None, **user_fields):
        user = user or make_user(**user_fields)
        add_member(coalition, user, Role(role))
        _db.session.commit()
        return user

    return make


@pytest.fixture
def login():
    """Log a user in through the real log-in form."""

    def do_login(client, user, password=DEFAULT_PASSWORD, remember=False):
        response = client.post(
            "/account/login", data={"email": user.email, "password": password, "remember": "y" if remember else ""}
        )
        assert response.status_code == 302, "log-in failed"
        return response

    return do_login


@pytest.fixture
def last_seen_due(monkeypatch):
    """Ten minutes from now, as the log-in sessions see it: every session is due its five-minute 'last seen' note on
    its next request. Returns that moment (the note it writes). Nothing is written to login_sessions, so pages kept
    in the page cache stay kept."""
    from datetime import timedelta

    from coalition.accounts import services
    from coalition.core.models import utcnow

    later = utcnow() + timedelta(minutes=10)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    return later


@pytest.fixture
def outbox():
    """The queued mail: `outbox()` returns the OutboxMessage rows, oldest first."""
    from sqlalchemy import select

    from coalition.core.outbox import OutboxMessage

    def messages(to=None, kind=None):
        _db.session.expire_all()
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            statement = statement.where(OutboxMessage.to_address == to)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        return list(_db.session.scalars(statement))

    return messages


# --- Query counting --------------------------------------------------------------------------------------------


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: ...` then `counter.count` is the number of SQL statements run.

    What a page's rendering runs: pages are neither served from nor kept in the page cache meanwhile (a served
    page runs fewer statements, whatever its own cost)."""

    class Counter:
        count = 0
        statements: list

    @contextmanager
    def counting():
        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", before)
        kept, app.config["PAGE_CACHE_ENABLED"] = app.config["PAGE_CACHE_ENABLED"], False
        try:
            yield counter
        finally:
            app.config["PAGE_CACHE_ENABLED"] = kept
            event.remove(_db.engine, "before_cursor_execute", before)

    return counting


# --- A real SMTP server ---------------------------------------------------------------------------------------


class SMTPServer:
    """An in-process aiosmtpd server that keeps what it receives; can be stopped and started again."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        server = self

        class Handler:
            async def handle_DATA(self, smtp_server, session, envelope):
                server.messages.append(envelope)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
            time.sleep(0.05)

    def texts(self):
        import email

        return [email.message_from_bytes(m.content) for m in self.messages]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A running SMTP server on a free port, with the app's MAIL_* settings pointed at it."""
    server = SMTPServer(_free_port())
    server.start()
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", server.port
    _reinit_mail(app)
    yield server
    server.stop()
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
    _reinit_mail(app)


def _reinit_mail(app):
    from coalition.extensions import mail

    mail.init_app(app)


def run_in_threads(target, count):
    """Run `target(index)` in `count` threads started together; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def runner(i):
        barrier.wait()
        try:
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001
            results[i] = exc

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
