"""Pagination of select() statements: one count query and one page query, whatever the data size."""

from flask import current_app, request


def page_number() -> int:
    """The `page` query argument, clamped to a sane positive integer."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), 100_000)


def paginate(statement, per_page: int | None = None):
    """Paginate a select() with Flask-SQLAlchemy; out-of-range pages give an empty page, not an error."""
    from coalition.extensions import db

    return db.paginate(
        statement,
        page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
