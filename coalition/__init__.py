"""Coalition: a Flask platform for coalitions and community organizing."""

import os

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import pass_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from wtforms import Form

from coalition import accounts, api, campaigns, cli, coalitions, decisions, meetings, stakeholders, stories
from coalition.accounts.services import load_session_user
from coalition.coalitions.forms import role_label
from coalition.core import audit, errors, once, pagecache, plans, security, work
from coalition.core import views as core_views
from coalition.core.forms import error_summary
from coalition.core.i18n import (
    date_text,
    datetime_text,
    install_template_gettext,
    language_name,
    language_names,
    lazy_gettext,
    select_babel_locale,
    select_timezone,
    time_text,
    to_zone,
)
from coalition.core.links import RowURL, query_args
from coalition.core.navigation import Menu, MenuItem, fixed_url
from coalition.core.permissions import can
from coalition.core.sections import sections_for
from coalition.core.text import excerpt, render_markdown
from coalition.extensions import babel, csrf, db, limiter, login_manager, mail
from config import INSTANCE_DIR, WEAK_SECRET_KEYS, config_for

#: The domains, lowest layer first: each may import the ones before it, never the ones after it.
DOMAINS = (accounts, coalitions, campaigns, stories, stakeholders, meetings, decisions, api)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that never matches ids beyond what the database stores: too large ids are a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Create and configure the application."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), template_folder="../templates", static_folder="../static")
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    _check_production_config(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.url_map.converters["int"] = BoundedIntConverter
    _trust_proxies(app)
    register_extensions(app)
    register_domains(app)
    errors.register_errorhandlers(app)
    register_template_helpers(app)
    cli.register_commands(app)
    return app


def _check_production_config(app: Flask) -> None:
    if app.config.get("ENV_NAME") != "production":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key in WEAK_SECRET_KEYS or len(key) < 32:
        raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters in production.")
    if "DATABASE_URL" not in os.environ and not app.config.get("SQLALCHEMY_DATABASE_URI", "").startswith("postgresql"):
        raise RuntimeError("DATABASE_URL must point to PostgreSQL in production.")
    app.config["DEBUG"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record):
    """Settings of every new database connection.

    SQLite: enforce foreign keys; WAL so readers and the writer do not block each other. (PostgreSQL: how its
    prepared statements are planned is `core.plans`.)
    """
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _trust_proxies(app: Flask) -> None:
    """Behind reverse proxies, take the client's address and scheme from the headers they set (and only then)."""
    count = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    db.init_app(app)
    plans.install()
    if app.config.get("MIGRATIONS_ENABLED", True) or os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        register_migrations(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_babel_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(token):
        return load_session_user(token)

    security.register_security_headers(app)
    pagecache.register_page_cache(app)
    pagecache.register_replayer("audit", audit.replay_audit, {"audit_entries"})
    once.register_repeat_check(app)
    work.register_commit_with_response(app)


def register_migrations(app: Flask) -> None:
    """Flask-Migrate for `flask db ...`. Imported here, not at the top: a production web worker never migrates and
    does not carry Alembic (see ProductionConfig.MIGRATIONS_ENABLED)."""
    from flask_migrate import Migrate  # noqa: PLC0415 - lazy on purpose, see above

    Migrate(app, db, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))


def register_domains(app: Flask) -> None:
    """Register the site-wide blueprint, then each domain by name: its blueprints and what it contributes."""
    app.register_blueprint(core_views.bp)
    for domain in DOMAINS:
        domain.register(app)


#: The coalition's menu in the header of its pages: (page, label, the action a person needs to see it).
MAIN_MENU = Menu(
    [
        MenuItem("coalitions.dashboard", lazy_gettext("Dashboard"), "coalition.view"),
        MenuItem("campaigns.index", lazy_gettext("Campaigns"), "campaign.view"),
        MenuItem("stories.index", lazy_gettext("Stories"), "story.view"),
        MenuItem("meetings.index", lazy_gettext("Meetings"), "meeting.view"),
        MenuItem("decisions.index", lazy_gettext("Decisions"), "decision.view"),
        MenuItem("stakeholders.index", lazy_gettext("Stakeholders"), "stakeholder.view"),
        MenuItem("stakeholders.follow_ups", lazy_gettext("Follow-ups"), "outreach.log"),
        MenuItem("coalitions.members", lazy_gettext("People"), "member.directory"),
        MenuItem("coalitions.partners", lazy_gettext("Partners"), "coalition.view"),
        MenuItem("coalitions.settings", lazy_gettext("Settings"), "coalition.manage"),
        MenuItem("coalitions.audit", lazy_gettext("Audit log"), "audit.view"),
    ],
    also={
        "coalitions.dashboard": ["coalitions.join"],
        "campaigns.index": ["evidence.report"],
        "coalitions.members": ["coalitions.invite", "coalitions.invitations", "coalitions.confirm_remove_member"],
        "coalitions.partners": ["coalitions.edit_partner"],
        "coalitions.settings": ["api_settings.*"],
    },
)


def register_template_helpers(app: Flask) -> None:
    """Make can(), the current coalition and formatting helpers available to every template."""

    def has_endpoint(endpoint: str) -> bool:
        return endpoint in app.view_functions

    def main_menu(coalition) -> list:
        """The header's menu of `coalition` for the viewer: (address, label, is the current page's) per item."""
        return MAIN_MENU.links(coalition, request.endpoint, can)

    @app.context_processor
    def inject():
        coalition = getattr(g, "coalition", None)
        membership = None
        if coalition is not None and current_user.is_authenticated:
            membership = current_user.active_memberships().get(coalition.id)
        return {"current_coalition": coalition, "current_membership": membership}

    @pass_context
    def page_errors(context):
        """The errors of every form the page was given, for the error summary at its top."""
        forms = {id(value): value for value in context.get_all().values() if isinstance(value, Form)}
        return error_summary(forms.values())

    install_template_gettext(app)
    app.jinja_env.globals.update(
        can=can,
        has_endpoint=has_endpoint,
        sections_for=sections_for,
        languages=app.config["LANGUAGES"],
        get_locale=get_locale,
        page_errors=page_errors,
        main_menu=main_menu,
        fixed_url=fixed_url,
        row_url=RowURL,
        query_args=query_args,
    )
    app.jinja_env.filters.update(
        markdown=render_markdown,
        excerpt=excerpt,
        datetime=datetime_text,
        date=date_text,
        time=time_text,
        language_name=language_name,
        language_names=language_names,
        in_zone=to_zone,
        role_label=role_label,
    )
