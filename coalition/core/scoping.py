"""Coalition-scoped blueprints and queries: cross-coalition access is impossible by construction.

A blueprint made with `coalition_blueprint()` lives under `/c/<coalition_slug>/...`; the slug is resolved once
into `g.coalition` (404 if unknown) and filled in automatically by `url_for`. Every object is then loaded with
`get_scoped_or_404(Model, id)`, which adds `Model.coalition_id == g.coalition.id` to the query: an id from
another coalition is simply not found.
"""

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app, g
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from coalition.core.permissions import is_member_of
from coalition.extensions import db

MAX_ID = 2**31 - 1

#: (slug, person or None) -> coalition or None; registered by the coalitions domain (core knows no domain model).
_coalition_loader: list[Callable] = []


def register_coalition_loader(loader: Callable) -> None:
    """Register `loader(slug, user) -> Coalition | None`, which resolves the `<coalition_slug>` of every scoped URL
    (`user`: the logged-in person, or None)."""
    _coalition_loader[:] = [loader]


def db_id(value) -> int:
    """Parse an id from a query string or form (`request.args.get("x", type=db_id)`): a positive integer the
    database can hold, else ValueError — so Werkzeug returns the default instead of PostgreSQL failing."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(f"not an id: {value!r}")
    return number


def coalition_blueprint(name: str, import_name: str, url_prefix: str | None = None) -> Blueprint:
    """Create a blueprint whose routes live under /c/<coalition_slug>/<name>."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix or f"/c/<coalition_slug>/{name}")

    @bp.url_value_preprocessor
    def load_coalition(endpoint, values):
        slug = (values or {}).pop("coalition_slug", None)
        # The person is loaded here, not later: their coalitions come with their log-in session.
        user = current_user._get_current_object() if current_user.is_authenticated else None
        coalition = _coalition_loader[0](slug, user) if slug else None
        if coalition is None:
            abort(404)
        g.coalition = coalition

    @bp.url_defaults
    def add_coalition_slug(endpoint, values):
        if "coalition_slug" not in values and getattr(g, "coalition", None) is not None:
            if current_app.url_map.is_endpoint_expecting(endpoint, "coalition_slug"):
                values["coalition_slug"] = g.coalition.slug

    return bp


def scoped(model, *, built_once: bool = False):
    """`select(model)` limited to the current coalition. `built_once`: for a statement built once per process, the
    coalition is a bound parameter, which `scoped_values()` sets to the current coalition's id."""
    if built_once:
        return select(model).where(model.coalition_id == bindparam(_CURRENT_COALITION))
    return select(model).where(model.coalition_id == g.coalition.id)


_CURRENT_COALITION = "current_coalition_id"


def scoped_values(**values) -> dict:
    """The values to execute a statement made with `scoped(..., built_once=True)` with: `values`, and the current
    coalition's id."""
    return {**values, _CURRENT_COALITION: g.coalition.id}


def id_or_404(object_id) -> int:
    """`object_id` as an int when it can be a row's id (1..MAX_ID), else abort 404 (no query is run for it)."""
    if object_id is None or not 0 < int(object_id) <= MAX_ID:
        abort(404)
    return int(object_id)


def first_or_404(statement, values: dict | None = None):
    """The first row of `statement` (a scoped select, executed with `values`), or abort 404."""
    row = db.session.execute(statement, values).first()
    if row is None:
        abort(404)
    return row


def get_scoped_or_404(model, object_id: int, *options):
    """Load `model` by id within the current coalition, or abort 404."""
    statement = scoped(model).where(model.id == id_or_404(object_id)).options(*options)
    return first_or_404(statement)[0]


def member_required(view):
    """Decorator: the current user must be logged in and an active member of g.coalition (else 404)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not is_member_of(g.coalition, current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapped
