"""Locale and time zone selection, dates in one format per language, translations in templates, language names."""

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache

import flask_babel
from babel import Locale
from babel.dates import DateTimePattern, get_date_format, get_datetime_format, get_time_format, tokenize_pattern
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import (
    LazyString,
    format_date,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    to_user_timezone,
)
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


@cache
def _parsed_locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


def select_babel_locale() -> Locale:
    """`select_locale()` for Flask-Babel, parsed once per language (parsing looks for the language's data on disk)."""
    return _parsed_locale(select_locale())


def select_timezone() -> str:
    """The person's time zone, then the current coalition's, then UTC."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    coalition = getattr(g, "coalition", None)
    if coalition is not None and coalition.timezone:
        return coalition.timezone
    return "UTC"


def viewer_zone() -> str:
    """`select_timezone()`, chosen once per request: Flask-Babel keeps the choice (until `flask_babel.refresh()`)."""
    if not has_request_context():
        return select_timezone()
    return _viewer_zone_info().key


def _viewer_zone_info() -> zoneinfo.ZoneInfo:
    """The viewer's zone (in a request), read where Flask-Babel keeps its choice for the request (one look-up of `g`
    instead of three; `flask_babel.refresh()` forgets it), as a ZoneInfo: a list converts a date or two per row, and
    Flask-Babel's pytz conversion (`to_user_timezone`) took ~20 µs each, ZoneInfo's ~1 µs."""
    kept = getattr(g._get_current_object().__dict__.get("_flask_babel"), "babel_tzinfo", None)
    return _zone_info((kept if kept is not None else get_timezone()).zone)


@cache
def _zone_info(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def to_zone(value: datetime, tz_name: str | None = None) -> datetime:
    """Convert an aware datetime to the named IANA zone (default: the viewer's)."""
    if tz_name is None and has_request_context():
        return value.astimezone(_viewer_zone_info())
    return value.astimezone(_zone_info(tz_name or viewer_zone()))


# --- Dates: Babel's medium date, short time (no seconds), in the viewer's language and time zone --------------
#
# Long lists show a date or two on every row. Flask-Babel's format_date looks up the locale, the time zone, the
# configured format and the language's pattern on every call; here the patterns are kept per language and the
# texts of dates and clock times already made are kept, so a row costs one time-zone conversion and two look-ups.
# The texts are Babel's own: each is made once by the same pattern, and tests compare them with Flask-Babel's.

#: Fields of a time pattern that show nothing but the hour, the minute and the part of the day.
_CLOCK_FIELDS = frozenset("hHkKmaBb")


@dataclass(frozen=True)
class _Patterns:
    locale: Locale
    date: DateTimePattern  # the medium date
    time: DateTimePattern  # the short time
    #: How the language joins a date and a time ("{1}, {0}").
    join: str
    #: The short time shows only the clock (no seconds, no zone): its text depends on the hour and minute alone.
    clock_only: bool


@cache
def _patterns(identifier: str) -> _Patterns:
    locale = Locale.parse(identifier)
    time_pattern = get_time_format("short", locale=locale)
    fields = {value[0] for kind, value in tokenize_pattern(time_pattern.pattern) if kind == "field"}
    return _Patterns(
        locale=locale,
        date=get_date_format("medium", locale=locale),
        time=time_pattern,
        join=get_datetime_format("medium", locale=locale),
        clock_only=fields <= _CLOCK_FIELDS,
    )


@lru_cache(maxsize=8192)
def _day_text(identifier: str, day: date) -> str:
    patterns = _patterns(identifier)
    return patterns.date.apply(day, patterns.locale)


@lru_cache(maxsize=4096)
def _clock_text(identifier: str, hour: int, minute: int) -> str:
    patterns = _patterns(identifier)
    return patterns.time.apply(time(hour, minute, tzinfo=UTC), patterns.locale)


def _language() -> str | None:
    """The identifier of the language of this request (or of force_locale), None outside one.

    Asked for every translated text and date of a page: Flask-Babel's choice is read where Flask-Babel keeps it for
    the request (one look-up of `g` instead of three), and its identifier is made once per language."""
    if not has_app_context():
        return None
    kept = getattr(g._get_current_object().__dict__.get("_flask_babel"), "babel_locale", None)
    locale = kept if kept is not None else get_locale()
    return _identifier(locale) if locale is not None else None


@cache
def _identifier(locale: Locale) -> str:
    return str(locale)


def _in_zone(value, zone: str | None):
    return value.astimezone(_zone_info(zone)) if zone and isinstance(value, datetime) else value


def _local(value: datetime, zone: str | None) -> datetime:
    """`value` in `zone`; with no zone, in the viewer's, as Flask-Babel rebases it (naive means UTC)."""
    if zone is not None:
        return _in_zone(value, zone)
    if not has_request_context():
        return to_user_timezone(value)
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(_viewer_zone_info())


def date_text(value: date | datetime | None, zone: str | None = None) -> str:
    """A date as Babel's medium date ('Jan 5, 2026', '5 ene 2026'); a datetime in the viewer's (or `zone`'s) zone."""
    if value is None:
        return ""
    language = _language()
    if language is None:
        return format_date(_in_zone(value, zone), "medium", rebase=zone is None)
    day = _local(value, zone).date() if isinstance(value, datetime) else value
    return _day_text(language, day)


def time_text(value: datetime | None, zone: str | None = None) -> str:
    """A time as Babel's short time, without seconds ('3:04 PM', '15:04')."""
    if value is None:
        return ""
    language = _language()
    if language is None or not isinstance(value, datetime) or not _patterns(language).clock_only:
        return format_time(_in_zone(value, zone), "short", rebase=zone is None)
    local = _local(value, zone)
    return _clock_text(language, local.hour, local.minute)


def datetime_text(value: datetime | None, zone: str | None = None) -> str:
    """A date and time as the language joins medium date and short time ('Jan 5, 2026, 3:04 PM')."""
    if value is None:
        return ""
    language = _language()
    if language is None or not _patterns(language).clock_only:
        pattern = get_datetime_format("medium", locale=get_locale())
        return pattern.replace("{1}", date_text(value, zone)).replace("{0}", time_text(value, zone))
    local = _local(value, zone)
    day, clock = _day_text(language, local.date()), _clock_text(language, local.hour, local.minute)
    return _patterns(language).join.replace("{1}", day).replace("{0}", clock)


# --- Translations in templates ---------------------------------------------------------------------------------


def install_template_gettext(app: Flask) -> None:
    """Give templates a _() that finds the catalog once per language, not through Flask-Babel's look-ups each call.

    The texts and rules are Flask-Babel's and Jinja's ("new style": the text is always %-formatted and its variables
    escaped); only the search for the catalog is kept per language, and `_` is gettext itself rather than an alias
    that looks gettext up again on every call. Run after Flask-Babel's init_app.
    """
    catalogs: dict[str, NullTranslations] = app.extensions.setdefault(_CATALOGS, {})

    def catalog() -> NullTranslations:
        return _catalog(catalogs)

    app.jinja_env.install_gettext_callables(
        gettext=lambda string: catalog().ugettext(string),
        ngettext=lambda singular, plural, num: catalog().ungettext(singular, plural, num),
        pgettext=lambda context, string: catalog().upgettext(context, string),
        npgettext=lambda context, singular, plural, num: catalog().unpgettext(context, singular, plural, num),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]


_CATALOGS = "coalition.template_catalogs"


def _catalog(catalogs: dict[str, NullTranslations]) -> NullTranslations:
    language = _language()
    if language is None:
        return get_translations()
    found = catalogs.get(language)
    if found is None:
        found = catalogs[language] = get_translations()
    return found


def template_catalog() -> NullTranslations:
    """The catalog of this request's language that templates' _() uses (one object per language and app)."""
    return _catalog(current_app.extensions[_CATALOGS])


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext (the same catalogs and %-formatting), with the catalog found as templates find it: once
    per language, not through Flask-Babel's three look-ups on every call (a list's row labels, a timeline's entries).
    The code's `_()` is this function."""
    if not has_app_context() or _CATALOGS not in current_app.extensions:
        return flask_babel.gettext(string, **variables)
    text = template_catalog().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """`gettext` when the text is used, not when it is written (labels defined at import time: `_l`)."""
    return LazyString(gettext, string, **variables)


class PageLabels:
    """Groups of choice names (lazy strings) for a page's template, each group translated once, when first used.

    `PageLabels(stances=STANCE_LABELS)` in a template context: `labels.stances[target.stance]` is then a dict
    look-up instead of a translation per row. Make one per rendered page (the language is the page's).
    """

    def __init__(self, **groups: Mapping) -> None:
        self._groups = groups

    def __getattr__(self, name: str) -> dict:
        try:
            group = self._groups[name]
        except KeyError:
            raise AttributeError(name) from None
        translated = {key: str(label) for key, label in group.items()}
        setattr(self, name, translated)
        return translated


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
