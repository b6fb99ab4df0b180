"""Form base class and shared fields: every single-line field refuses control characters."""

import re
import secrets
import zoneinfo
from functools import cache

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, PasswordField, SelectChoice, StringField, TextAreaField
from wtforms.fields.choices import Choice
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import ListWidget, Select, html_params

from coalition.core.i18n import language_codes, language_names
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.pagecache import note_nonce

_SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(form, field):
    """Reject NUL and other control characters in a single-line field (PostgreSQL refuses NUL)."""
    if isinstance(field.data, str) and _SINGLE_LINE_FORBIDDEN.search(field.data):
        raise ValidationError(_l("This field cannot contain control characters or line breaks."))


def no_binary_characters(form, field):
    """Reject NUL and other control characters, but keep line breaks and tabs, in a multi-line field."""
    if isinstance(field.data, str) and _MULTI_LINE_FORBIDDEN.search(field.data):
        raise ValidationError(_l("This text contains characters that cannot be stored."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def new_form_nonce() -> str:
    """A fresh single-use nonce for a form being shown (see core.once: what it creates, it creates once)."""
    return note_nonce(secrets.token_urlsafe(24))


@cache
def _wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """WTForms' own messages ("Not a valid integer value.") in the request's language.

    Flask-WTF reads the catalog from disk for every request that builds a form (every page does: the log-out
    button); here each language's catalog is read once per process.
    """

    def gettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = _WTFormsTranslations()


class PlainSelect(Select):
    """WTForms' <select>, each option without attributes of its own written directly: WTForms looks up the signature
    of `render_option` on every render and builds each option through `html_params` (~1.5 ms of a filter form of 30
    options). The HTML is WTForms' own (tests/core/test_kept_options.py compares them); `BaseForm` gives every plain
    select field this widget."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        # Escaped as html_params() and render_option() escape them.
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704

    @classmethod
    def _dispatch_render_option(cls):
        return cls.render_option


PLAIN_SELECT = PlainSelect()


class BaseForm(FlaskForm):
    """Every form derives from this: CSRF, a single-use nonce, whitespace stripped, control characters refused.

    Forms sent with GET (filters) set `form_nonce = None`: they create nothing and keep their addresses short.
    """

    #: No id: a page may hold several forms, and ids must be unique.
    form_nonce = HiddenField(default=new_form_nonce, render_kw={"id": False})

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _WTFORMS_TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Strip surrounding whitespace of text inputs (not passwords), unless filters were given positionally.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                if len(unbound_field.args) < 3:
                    options["filters"] = [_strip, *unbound_field.kwargs.get("filters", ())]
            # WTForms' own single <select> widget, unless the field names its own: the same HTML, made faster.
            if type(getattr(field_class, "widget", None)) is Select and not field_class.widget.multiple:
                if "widget" not in unbound_field.kwargs:
                    options["widget"] = PLAIN_SELECT
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        """Validate, adding the control-character checks to every text field."""
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, TextAreaField):
                extra.setdefault(name, []).append(no_binary_characters)
            elif isinstance(field, StringField):
                extra.setdefault(name, []).append(no_control_characters)
        return super().validate(extra_validators=extra)


class LanguageListField(StringField):
    """Languages typed by name in any of the site's languages ('Spanish, vietnamita'), kept as language codes
    ('es, vi') and shown by name in the viewer's language; a name it does not know is kept as typed."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return language_names(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        """Turn the typed names into codes."""
        super().process_formdata(valuelist)
        self.data = language_codes(self.data)


class ActionForm(BaseForm):
    """An empty form for buttons that change state (log-out, remove, approve): it carries only the CSRF token."""


class KeptChoices(list):
    """Select choices that are the same for everyone reading one language (the ~550 time zones), named by `key`:
    `KeptOptionsSelect` renders their options once per language and key."""

    def __init__(self, choices, key: tuple):
        super().__init__(choices)
        self.key = key


class KeptOptionsSelect(PlainSelect):
    """A <select> whose many options (`KeptChoices`) are rendered once per language and list, then only the chosen
    one is marked: WTForms would parse and render every option on each page (~30 ms for the time zones). The HTML is
    the same as WTForms' own (tests/core/test_kept_options.py compares them). Other choices are rendered as usual."""

    _made: dict[tuple, str] = {}
    MAX_LISTS = 64

    def __call__(self, field, **kwargs):
        key = getattr(field.choices, "key", None)
        if key is None or self.multiple:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        made_key = (str(get_locale()), key)
        options = self._made.get(made_key)
        if options is None:
            if len(self._made) >= self.MAX_LISTS:
                self._made.clear()
            options = self._made[made_key] = self._options(field)
        if field.data is not None:
            value = escape(field.data)
            options = options.replace(f'<option value="{value}">', f'<option selected value="{value}">', 1)
        # Every part is escaped as WTForms escapes it: html_params() and render_option() escape each value.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704

    def _options(self, field) -> str:
        """Every option, none selected, in WTForms' markup (optgroups included)."""
        unselected = field._choices_from_input(field.choices)
        html, group = [], None
        for choice in unselected:
            if choice.optgroup != group:
                if group is not None:
                    html.append("</optgroup>")
                group = choice.optgroup
                if group is not None:
                    html.append(f"<optgroup {html_params(label=group)}>")
            html.append(self.render_option(Choice(choice.value, choice.label, False, choice.render_kw)))
        if group is not None:
            html.append("</optgroup>")
        return "".join(html)


@cache
def timezone_choices() -> KeptChoices:
    """All IANA time zone names, sorted, as select choices."""
    return KeptChoices(
        [
            (name, name.replace("_", " "))
            for name in sorted(zoneinfo.available_timezones())
            if "/" in name or name == "UTC"
        ],
        key=("zones",),
    )


#: The regions of the IANA time zone names, as the time-zone list groups them (others go under "Other").
TIMEZONE_REGIONS = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}


def grouped_timezone_choices(first: list[str] = (), blank: str | None = None) -> KeptChoices:
    """The time zones grouped by region (<optgroup>), with the zones in `first` (e.g. the person's coalitions') in a
    group of their own at the top, after an optional empty choice labelled `blank`."""
    regions = list(TIMEZONE_REGIONS)
    known = dict(timezone_choices())
    top = [zone for zone in dict.fromkeys(first) if zone in known]
    choices = [SelectChoice("", blank)] if blank is not None else []
    choices += [SelectChoice(zone, known[zone], optgroup=_l("Your coalitions")) for zone in top]

    def region(zone: str) -> str:
        prefix = zone.split("/")[0]
        return prefix if prefix in TIMEZONE_REGIONS else ""

    rest = sorted(
        (zone for zone in known if zone not in top),
        key=lambda z: (regions.index(r) if (r := region(z)) else len(regions), z),
    )
    for zone in rest:
        choices.append(SelectChoice(zone, known[zone], optgroup=TIMEZONE_REGIONS.get(region(zone), _l("Other"))))
    return KeptChoices(choices, key=("grouped", tuple(top), None if blank is None else str(blank)))


def _anchor(field) -> str:
    """The id of the element a summary link should jump to: the first option of a group of radios/checkboxes."""
    if isinstance(field.widget, ListWidget):
        options = list(field)
        return options[0].id if options else field.id
    return field.id


def _field_errors(field) -> list[tuple[str | None, str]]:
    if field.type == "FormField":
        return [item for sub in field.form for item in _field_errors(sub)]
    if field.type == "FieldList":
        return [item for entry in field.entries for item in _field_errors(entry)]
    if field.type in ("HiddenField", "CSRFTokenField"):
        return [(None, str(message)) for message in field.errors]
    return [(_anchor(field), str(message)) for message in field.errors]


def error_summary(forms) -> list[tuple[str | None, str]]:
    """Every error of `forms` in page order as (id of the field or None, message): the error summary's items."""
    items: list[tuple[str | None, str]] = []
    for form in forms:
        items.extend((None, str(message)) for message in getattr(form, "form_errors", ()))
        for field in form:
            items.extend(_field_errors(field))
    return items
