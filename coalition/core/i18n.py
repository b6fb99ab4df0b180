"""Locale and time zone selection, dates in one format per language, and language names."""

import zoneinfo
from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import get_datetime_format
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_time, get_locale
from flask_login import current_user

#: Where a visitor's choice of language is kept (members keep it in their profile).
SESSION_LOCALE_KEY = "locale"


def select_locale() -> str:
    """The person's preferred language, then the one a visitor chose here, then the browser's, then the default."""
    languages = list(current_app.config["LANGUAGES"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if not has_request_context():  # CLI commands and workers: mail is rendered with force_locale anyway
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if session.get(SESSION_LOCALE_KEY) in languages:
        return session[SESSION_LOCALE_KEY]
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


# --- Dates: Babel's medium date, short time (no seconds), in the viewer's language and time zone --------------


def _in_zone(value, zone: str | None):
    return value.astimezone(zoneinfo.ZoneInfo(zone)) if zone and isinstance(value, datetime) else value


def date_text(value: date | datetime | None, zone: str | None = None) -> str:
    """A date as Babel's medium date ('Jan 5, 2026', '5 ene 2026'); a datetime in the viewer's (or `zone`'s) zone."""
    if value is None:
        return ""
    return format_date(_in_zone(value, zone), "medium", rebase=zone is None)


def time_text(value: datetime | None, zone: str | None = None) -> str:
    """A time as Babel's short time, without seconds ('3:04 PM', '15:04')."""
    if value is None:
        return ""
    return format_time(_in_zone(value, zone), "short", rebase=zone is None)


def datetime_text(value: datetime | None, zone: str | None = None) -> str:
    """A date and time as the language joins medium date and short time ('Jan 5, 2026, 3:04 PM')."""
    if value is None:
        return ""
    pattern = get_datetime_format("medium", locale=get_locale())
    return pattern.replace("{1}", date_text(value, zone)).replace("{0}", time_text(value, zone))


# --- Language names and codes ---------------------------------------------------------------------------------


def language_name(code: str) -> str:
    """The name of a language code in the viewer's language ('es' → 'Spanish' or 'español'); other text unchanged."""
    if not code:
        return ""
    return (get_locale() or Locale("en")).languages.get(code) or Locale("en").languages.get(code) or code


def language_names(codes: str) -> str:
    """A comma-separated list of language codes as names in the viewer's language."""
    return ", ".join(language_name(code) for code in split_languages(codes))


def split_languages(text: str | None) -> list[str]:
    """The parts of a comma-separated list of languages, stripped, empty ones left out."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


#: Languages often spoken in community meetings, whose own names are recognised too (any name in English or Spanish is).
OWN_NAMES = "am ar bn de en es fa fil fr hi ht it ja km ko ne pl pt ru so sw uk ur vi yo zh".split()


@cache
def _codes_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale_code in ("en", "es"):
        for code, name in Locale(locale_code).languages.items():
            names.setdefault(name.casefold(), code)
    for code in OWN_NAMES:  # a language's own name, as its speakers may type it: "Español", "Tiếng Việt"
        names.setdefault(Locale(code).get_language_name(code).casefold(), code)
    return names


@cache
def _codes() -> dict[str, str]:
    return {code.casefold(): code for code in Locale("en").languages}


def language_code(text: str) -> str:
    """The code of a language given by code or by name in English, Spanish or itself; unknown text unchanged."""
    key = text.strip().casefold()
    return _codes().get(key) or _codes_by_name().get(key) or text.strip()


def language_codes(text: str | None) -> str:
    """A typed list of languages ('Spanish, vietnamita, ASL') as codes ('es, vi, ase'), unknown names kept."""
    codes: list[str] = []
    for part in split_languages(text):
        code = language_code(part)
        if code not in codes:
            codes.append(code)
    return ", ".join(codes)


def browser_locale() -> str | None:
    """The language the browser asks for among the site's languages (for a new account), or None."""
    return request.accept_languages.best_match(list(current_app.config["LANGUAGES"]))
