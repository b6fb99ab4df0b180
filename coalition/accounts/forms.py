"""Account forms: shape of input and friendly messages only."""

from flask import current_app
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from coalition.core.forms import BaseForm, KeptOptionsSelect, grouped_timezone_choices, timezone_choices
from coalition.core.i18n import lazy_gettext as _l

PASSWORD_MIN, PASSWORD_MAX = 10, 256


def _password_field(label):
    return PasswordField(
        label,
        validators=[
            InputRequired(message=_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use between %(min)d and %(max)d characters. A few words make a good passphrase.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
        description=_l("At least %(min)d characters. Long passphrases are welcome.", min=PASSWORD_MIN),
    )


def _email_field():
    return EmailField(
        _l("Email"),
        validators=[
            InputRequired(message=_l("Please enter your email address.")),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )


class LoginForm(BaseForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Please enter your password.")), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField(_l("Keep me logged in on this device (two weeks)"))
    submit = SubmitField(_l("Log in"))


class RegisterForm(BaseForm):
    display_name = StringField(
        _l("Your name"),
        validators=[InputRequired(message=_l("Please tell us what to call you.")), Length(max=120)],
        description=_l("Shown to the people in your coalition. It can be a first name only."),
    )
    email = _email_field()
    password = _password_field(_l("Password"))
    confirm = PasswordField(
        _l("Repeat the password"), validators=[EqualTo("password", message=_l("The two passwords are not the same."))]
    )
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(BaseForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(BaseForm):
    password = _password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Please enter your current password.")), Length(max=PASSWORD_MAX)],
    )
    password = _password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    submit = SubmitField(_l("Change password"))


def _language_choices():
    return [("", _l("Same as my browser"))] + list(current_app.config["LANGUAGES"].items())


def _valid_timezone(form, field):
    if field.data and field.data not in dict(timezone_choices()):
        raise ValidationError(_l("Please choose a time zone from the list."))


class ProfileForm(BaseForm):
    display_name = StringField(
        _l("Display name"), validators=[InputRequired(message=_l("Please enter a name.")), Length(max=120)]
    )
    pronouns = StringField(
        _l("Pronouns (optional)"),
        validators=[Optional(), Length(max=40)],
        description=_l("For example: she/her, they/them."),
    )
    locale = SelectField(_l("Language"), validate_choice=True)
    timezone = SelectField(
        _l("Time zone"),
        validators=[_valid_timezone],
        validate_choice=False,
        description=_l("Meeting times are shown in this time zone."),
        widget=KeptOptionsSelect(),
    )
    notify_meetings = BooleanField(_l("Email me about meetings I am invited to or going to"))
    notify_stories = BooleanField(_l("Email me about decisions on my stories"))
    notify_campaigns = BooleanField(_l("Email me updates of campaigns I follow"))
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, coalition_zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = _language_choices()
        self.timezone.choices = grouped_timezone_choices(coalition_zones, blank=_l("The coalition's time zone"))


class DeleteAccountForm(BaseForm):
    stories = RadioField(
        _l("What should happen to your stories?"),
        choices=[
            (
                "anonymise",
                _l("Keep them, anonymised: your name is removed and they stay as evidence where you allowed it."),
            ),
            ("delete", _l("Delete them for good.")),
        ],
        validators=[InputRequired(message=_l("Please choose what happens to your stories."))],
    )
    password = PasswordField(
        _l("Your password, to confirm"),
        validators=[InputRequired(message=_l("Please enter your password.")), Length(max=PASSWORD_MAX)],
    )
    submit = SubmitField(_l("Delete my account"))
