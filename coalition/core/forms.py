"""Form base class and shared fields: every single-line field refuses control characters."""

import re
import secrets
import zoneinfo
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

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
    return secrets.token_urlsafe(24)


class BaseForm(FlaskForm):
    """Every form derives from this: CSRF, a single-use nonce, whitespace stripped, control characters refused.

    Forms sent with GET (filters) set `form_nonce = None`: they create nothing and keep their addresses short.
    """

    #: No id: a page may hold several forms, and ids must be unique.
    form_nonce = HiddenField(default=new_form_nonce, render_kw={"id": False})

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Strip surrounding whitespace of text inputs (not passwords), unless filters were given positionally.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                if len(unbound_field.args) < 3:
                    options["filters"] = [_strip, *unbound_field.kwargs.get("filters", ())]
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


class ActionForm(BaseForm):
    """An empty form for buttons that change state (log-out, remove, approve): it carries only the CSRF token."""


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """All IANA time zone names, sorted, as select choices."""
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name or name == "UTC"
    ]
