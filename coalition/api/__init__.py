"""The OSDI / Action Network–compatible API, signed webhooks and people import: the top layer, which calls the
domains' services and display functions and has no business rules of its own."""

from flask import Blueprint, Flask, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException

from coalition.api import keys
from coalition.core import signals
from coalition.core.errors import DomainError, register_error_renderer
from coalition.core.i18n import gettext as _
from coalition.core.scoping import coalition_blueprint
from coalition.core.sections import register_section
from coalition.extensions import csrf, db, limiter

bp = Blueprint("api", __name__, url_prefix="/api/osdi/v1")
#: The leads' settings pages: API keys, webhooks, people import.
settings_bp = coalition_blueprint("api_settings", __name__, url_prefix="/c/<coalition_slug>/settings")

#: Endpoints anyone may read without a key (they describe the API and hold no data).
PUBLIC_ENDPOINTS = {"api.openapi_document"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_request
def authenticate():
    """Find the key behind `OSDI-API-Token`: 401 without a valid one, 403 when a read key tries to write."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    key = keys.find_active_key(request.headers.get(keys.TOKEN_HEADER))
    if key is None:
        abort(401, description="Send a valid API key in the OSDI-API-Token header.")
    g.api_key, g.coalition, g.api_actor = key, key.coalition, keys.ApiActor(key)
    if request.method not in READ_METHODS and not key.can_write:
        abort(403, description="This API key may only read.")


@bp.after_request
def finish(response):
    """One unit of work per request: commit what succeeded (and the key's last use), roll back the rest."""
    key = g.get("api_key")
    if response.status_code < 400 and key is not None:
        keys.note_use(key)
        db.session.commit()
    else:
        db.session.rollback()
    return response


@bp.errorhandler(DomainError)
def refuse(error: DomainError):
    """A business rule said no: 422 with the rule's message, nothing changed."""
    db.session.rollback()
    return error_response(422, str(error), field=error.field)


ERROR_NAMES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    422: "unprocessable",
    429: "too_many_requests",
    500: "server_error",
}


def error_response(code: int, message: str | None, error: HTTPException | None = None, field: str | None = None):
    """An API error as JSON: {"error": …, "message": …} with the status code."""
    db.session.rollback()
    body = {"error": ERROR_NAMES.get(code, "error"), "message": message or _("The request failed.")}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = code
    headers = dict(error.get_headers()) if error is not None else {}
    for name in ("Allow", "Retry-After"):
        if name in headers:
            response.headers[name] = headers[name]
    return response


def _render_api_error(code: int, description: str | None, error: HTTPException | None):
    if code == 500:
        description = "An error occurred on our side; nothing was changed."
    return error_response(code, description, error)


from coalition.api import (  # noqa: E402
    campaigns,
    cli,
    events,
    openapi,
    outreaches,
    people,
    sections,
    stories,
    tags,
    views_import,
    views_keys,
    views_webhooks,
    webhooks,
)

#: The modules whose routes `bp` and `settings_bp` carry.
ROUTE_MODULES = (
    openapi,
    people,
    tags,
    events,
    campaigns,
    outreaches,
    stories,
    views_keys,
    views_webhooks,
    views_import,
)

#: signal -> receiver that queues the webhook deliveries in the same transaction.
RECEIVERS = (
    (signals.member_joined, webhooks.on_member_joined),
    (signals.member_left, webhooks.on_member_left),
    (signals.rsvp_changed, webhooks.on_rsvp_changed),
    (signals.story_submitted, webhooks.on_story_submitted),
    (signals.outreach_logged, webhooks.on_outreach_logged),
    (signals.meeting_cancelled, webhooks.on_meeting_cancelled),
)


def register(app: Flask) -> None:
    """Register the API (token auth, no CSRF, JSON errors, a rate limit per key), the settings pages, the webhook
    receivers, the links to the settings pages and `flask webhooks send`."""
    csrf.exempt(bp)
    limiter.limit(keys.rate_limit, key_func=keys.rate_limit_key)(bp)
    app.register_blueprint(bp)
    app.register_blueprint(settings_bp)
    register_error_renderer(bp.url_prefix, _render_api_error)
    register_section("coalitions.settings", 50, "api/_settings_links.html", sections.settings_links)
    register_section("coalitions.members", 50, "api/_people_links.html", sections.people_links)
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, weak=False)
    app.cli.add_command(cli.webhooks_cli)
