"""Error pages: 400/403/404/405/413/429/500, never a traceback."""

import io
from collections.abc import Callable

from flask import Flask, has_request_context, render_template, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from coalition.core.i18n import lazy_gettext as _l
from coalition.extensions import db


class DomainError(ValueError):
    """A business rule said no: `message` is shown to the person, next to `field` on the form when given."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Not found"), _l("There is nothing here, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is too large. Please shorten it and try again.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a little and try again.")),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. Nothing you sent was half-saved; please try again."),
    ),
}


def _forget_body() -> None:
    """Make a body that was not read yet look empty, so that nothing on an error page can read it.

    Reading an oversized body raises 413 again: inside the error handler (a form built for the page's header, say)
    that would turn the 413 page into a 500. Werkzeug keeps parsed form data in the request's `__dict__` and reads
    the body only when `form` is missing from it.
    """
    if not has_request_context():
        return
    current = request._get_current_object()
    if "form" not in current.__dict__:
        current.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict(), stream=io.BytesIO())


#: URL prefix -> renderer(code, description) for parts of the site that answer errors in another format (the API).
ERROR_RENDERERS: dict[str, Callable] = {}


def register_error_renderer(prefix: str, renderer: Callable) -> None:
    """Answer errors under `prefix` with `renderer(code, description)` instead of the HTML page."""
    ERROR_RENDERERS[prefix] = renderer


def _renderer_for_request() -> Callable | None:
    return next((r for prefix, r in ERROR_RENDERERS.items() if request.path.startswith(prefix)), None)


def render_error(code: int):
    """Render the error page for an HTTP status code, without touching the request body."""
    _forget_body()
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register_errorhandlers(app: Flask) -> None:
    """Answer every HTTP error with a friendly page, and unexpected exceptions with a 500."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308):
            return error
        _forget_body()
        renderer = _renderer_for_request()
        if renderer is not None:
            return renderer(error.code or 500, error.description, error)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled exception")
        _forget_body()
        renderer = _renderer_for_request()
        if renderer is not None:
            return renderer(500, None, None)
        return render_error(500)
