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

from flask import flash

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
