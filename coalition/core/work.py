"""One way to fail a request, and one place that commits it.

Services raise `DomainError(message, field=None)` and never commit. A view runs a service inside
`unit_of_work(...)`: when the block ends normally the request's changes are committed (and a success message
flashed); when it raises a `DomainError` everything is rolled back and the message is shown next to its field on the
form, or flashed when it concerns no field. Any other exception propagates (the error handler rolls back).

    with unit_of_work(form, success=_("Campaign saved.")) as work:
        campaign = services.save_campaign(...)
    if work.ok:
        return redirect(...)
"""

from flask import Flask, flash, g
from sqlalchemy.exc import SQLAlchemyError

from coalition.core import pagecache
from coalition.core.errors import DomainError
from coalition.extensions import db


def show_error(error: DomainError, form=None) -> None:
    """Show a service's error next to its field on `form`, or as a flashed message when it concerns no field."""
    field = getattr(error, "field", None)
    if form is not None and field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        flash(str(error), "error")


class unit_of_work:  # noqa: N801 - used as a statement: `with unit_of_work(form) as work:`
    """Commit the block's changes, or roll them back and show the `DomainError` it raised."""

    def __init__(self, form=None, success=None, flash_errors: bool = False):
        self.form = None if flash_errors else form
        self.success = success
        self.ok = False
        self.error: DomainError | None = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            db.session.commit()
            self.ok = True
            if self.success:
                flash(str(self.success), "success")
            return False
        db.session.rollback()
        if isinstance(exc, DomainError):
            self.error = exc
            show_error(exc, self.form)
            return True
        return False


def commit() -> None:
    """Commit the request's unit of work (for views whose services cannot fail)."""
    db.session.commit()


def commit_with_response() -> None:
    """Keep what this read added (an audit entry of private stories read) together with the page that shows them.

    Nothing is committed in the middle of the request: the entry is one INSERT in the request's own transaction,
    committed after the page is rendered and before it is sent. If that commit fails, the page is not sent (the
    error handler answers 500), so no private story is ever shown without its audit entry.
    """
    g.commit_with_response = True


def register_commit_with_response(app: Flask) -> None:
    """Commit the request's transaction after a successful response that asked for it (`commit_with_response`), and
    end a transaction that wrote nothing with COMMIT (`end_read_only`)."""

    app.teardown_request(end_read_only)

    @app.after_request
    def _commit_with_response(response):
        if g.pop("commit_with_response", False):
            if response.status_code < 400:
                db.session.commit()
            else:
                db.session.rollback()
        return response


def end_read_only(_exc=None) -> None:
    """At the end of a request: close a transaction that wrote nothing with COMMIT, not ROLLBACK.

    The two are the same for a transaction that only read, but psycopg forgets every prepared statement at each
    ROLLBACK. Ended with COMMIT, a page's statements stay prepared on their connection, so PostgreSQL stops planning
    them again on every request (a dashboard's 22 statements spent more time being planned than run). A
    transaction that wrote anything, or has changes not yet flushed, is left to be rolled back as before: a request
    never commits what its view did not commit itself.
    """
    session = db.session()
    if _exc is not None or not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    if has_written():
        return
    try:
        session.commit()
    except SQLAlchemyError:  # the answer is sent and nothing was written: the connection is dropped, as before
        session.rollback()


def has_written() -> bool:
    """Has the request's open transaction written anything (an INSERT, UPDATE or DELETE sent, not yet committed)?
    Until it ends, SQLite then holds its write lock for it: another connection of this process that writes waits
    for a lock that this request holds, and fails after the busy timeout."""
    session = db.session()
    return session.in_transaction() and pagecache.has_written(session.connection())  # the transaction's connection
