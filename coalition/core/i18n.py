"""Locale and time zone selection, and date formatting in the viewer's time zone."""

import zoneinfo
from datetime import datetime

from flask import current_app, g, has_request_context, request
from flask_login import current_user


def select_locale() -> str:
    """The person's preferred language, then the browser's, then the default."""
    languages = list(current_app.config["LANGUAGES"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if not has_request_context():  # CLI commands and workers: mail is rendered with force_locale anyway
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The person's time zone, then the current coalition's, then UTC."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    coalition = getattr(g, "coalition", None)
    if coalition is not None and coalition.timezone:
        return coalition.timezone
    return "UTC"


def to_zone(value: datetime, tz_name: str | None = None) -> datetime:
    """Convert an aware datetime to the named IANA zone (default: the viewer's)."""
    return value.astimezone(zoneinfo.ZoneInfo(tz_name or select_timezone()))


def browser_locale() -> str | None:
    """The language the browser asks for among the site's languages (for a new account), or None."""
    return request.accept_languages.best_match(list(current_app.config["LANGUAGES"]))
