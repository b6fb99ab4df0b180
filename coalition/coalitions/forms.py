"""Coalition forms: settings, partners, invitations, roles, member tags."""

from flask import current_app
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, Email, InputRequired, Length, NumberRange, Optional

from coalition.core.forms import BaseForm, KeptOptionsSelect, timezone_choices
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.permissions import Role
from coalition.core.tags import MAX_TAG_LENGTH


def role_choices():
    return [
        (Role.MEMBER.value, _l("Member")),
        (Role.ORGANIZER.value, _l("Organizer")),
        (Role.LEAD.value, _l("Coalition lead")),
    ]


def role_label(role) -> str:
    """The translated name of a role ("Organizer"), for templates and mail."""
    return str(dict(role_choices()).get(Role(role).value, role))


class SettingsForm(BaseForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Please enter a name.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    default_locale = SelectField(_l("Default language"))
    timezone = SelectField(
        _l("Time zone"),
        description=_l("Meetings are shown in this time zone unless a person chose their own."),
        widget=KeptOptionsSelect(),
    )
    allow_join_requests = BooleanField(_l("People with an account may ask to join (a lead approves each request)"))
    reminder_hours = IntegerField(
        _l("Send meeting reminders this many hours before"),
        validators=[
            InputRequired(message=_l("Please enter a number of hours.")),
            NumberRange(min=1, max=24 * 14, message=_l("Between 1 hour and 14 days.")),
        ],
    )
    no_response_days = IntegerField(
        _l("Flag stakeholders with no response after this many days"),
        validators=[
            InputRequired(message=_l("Please enter a number of days.")),
            NumberRange(min=1, max=365, message=_l("Between 1 and 365 days.")),
        ],
    )
    suppression_threshold = IntegerField(
        _l("Hide counts smaller than"),
        description=_l(
            "In the evidence report, its CSV and charts, and campaign progress shown to members or the public, "
            'a smaller count reads "fewer than N" so that it cannot point to a person. 1 shows every count.'
        ),
        validators=[
            InputRequired(message=_l("Please enter a number.")),
            NumberRange(min=1, max=50, message=_l("Between 1 (show every count) and 50.")),
        ],
    )
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_locale.choices = list(current_app.config["LANGUAGES"].items())
        self.timezone.choices = timezone_choices()


class PartnerForm(BaseForm):
    name = StringField(
        _l("Organization name"), validators=[InputRequired(message=_l("Please enter a name.")), Length(max=200)]
    )
    website = URLField(
        _l("Website (optional)"),
        validators=[Optional(), Length(max=300), URL(message=_l("Please enter a full address starting with https://"))],
    )
    contact_name = StringField(_l("Contact person (optional)"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact email (optional)"),
        validators=[
            Optional(),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Save partner"))


class InviteForm(BaseForm):
    email = EmailField(
        _l("Email"),
        validators=[
            InputRequired(message=_l("Please enter an email address.")),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.MEMBER.value)
    partner_id = SelectField(_l("Partner organization (optional)"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("Send invitation"))


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change role"))


class TagForm(BaseForm):
    name = StringField(
        _l("Tag"),
        validators=[InputRequired(message=_l("Please give the tag a name.")), Length(max=MAX_TAG_LENGTH)],
        description=_l("A building, a skill, a language…"),
    )
    submit = SubmitField(_l("Add tag"))
