"""Stakeholder forms: contact, filters, targets, outreach, CSV upload, packet delivery."""

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, NumberRange, Optional

from coalition.core.forms import BaseForm
from coalition.core.i18n import lazy_gettext as _l
from coalition.stakeholders.labels import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    PRIORITY_LABELS,
    RESPONSE_LABELS,
    STANCE_LABELS,
)
from coalition.stakeholders.models import Channel, Priority, Response, Stance


def _choices(labels):
    return [(key.value, label) for key, label in labels.items()]


class StakeholderForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Please enter a name.")), Length(max=200)])
    title = StringField(_l("Title or role"), validators=[Optional(), Length(max=200)])
    organization = StringField(_l("Organization or agency"), validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), choices=lambda: _choices(CATEGORY_LABELS))
    jurisdiction = StringField(_l("Jurisdiction or district"), validators=[Optional(), Length(max=200)])
    email = EmailField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    website = URLField(
        _l("Website"),
        validators=[Optional(), Length(max=300), URL(message=_l("Please enter a full address starting with https://"))],
    )
    tags = StringField(
        _l("Tags"),
        description=_l("Separated by commas, e.g. council, housing."),
        validators=[Optional(), Length(max=500)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save stakeholder"))
    create_anyway = SubmitField(_l("Create anyway"))


class StakeholderFilterForm(BaseForm):
    """The search and filters above the list (GET, no CSRF)."""

    form_nonce = None

    class Meta(BaseForm.Meta):
        csrf = False

    q = StringField(_l("Search name, organization or email"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), validators=[Optional()])
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=40)])
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[Optional()])

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("All categories"))] + _choices(CATEGORY_LABELS)
        self.campaign.choices = [(0, _l("All campaigns"))] + list(campaigns)


class TargetForm(BaseForm):
    campaign_id = SelectField(_l("Campaign"), coerce=int)
    stance = SelectField(_l("Stance"), choices=lambda: _choices(STANCE_LABELS), default=Stance.UNKNOWN.value)
    influence = IntegerField(
        _l("Influence (1 = little, 5 = decides)"),
        default=3,
        validators=[
            InputRequired(message=_l("Please give an influence from 1 to 5.")),
            NumberRange(min=1, max=5, message=_l("Influence goes from 1 to 5.")),
        ],
    )
    priority = SelectField(_l("Priority"), choices=lambda: _choices(PRIORITY_LABELS), default=Priority.MEDIUM.value)
    ask = TextAreaField(_l("Our ask"), validators=[Optional(), Length(max=2000)])
    owner_id = SelectField(_l("Owner"), coerce=int)
    submit = SubmitField(_l("Save target"))

    def __init__(self, *args, campaigns=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_id.choices = list(campaigns)
        self.owner_id.choices = [(0, _l("Nobody yet"))] + [(u.id, u.display_name) for u in owners]


class OutreachForm(BaseForm):
    occurred_at = DateTimeLocalField(
        _l("Date and time"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        validators=[InputRequired(message=_l("Please give the date and time."))],
    )
    channel = SelectField(_l("Channel"), choices=lambda: _choices(CHANNEL_LABELS), default=Channel.CALL.value)
    campaign_id = SelectField(_l("Campaign (optional)"), coerce=int, default=0)
    participants = SelectMultipleField(_l("Who took part from our side"), coerce=int)
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(message=_l("Please write a short summary.")), Length(max=10000)]
    )
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])
    response = SelectField(_l("Response"), choices=lambda: _choices(RESPONSE_LABELS), default=Response.AWAITING.value)
    new_stance = SelectField(
        _l("New stance in the campaign (optional)"),
        description=_l("Only when a campaign is chosen and this person is one of its targets."),
        default="",
    )
    follow_up_on = DateField(_l("Follow up on (optional)"), validators=[Optional()])
    follow_up_owner_id = SelectField(_l("Follow-up owner"), coerce=int, default=0)
    meeting_id = HiddenField()
    submit = SubmitField(_l("Save outreach"))

    def __init__(self, *args, campaigns=(), members=(), owners=(), with_stance=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_id.choices = [(0, _l("None"))] + list(campaigns)
        self.participants.choices = [(u.id, u.display_name) for u in members]
        self.follow_up_owner_id.choices = [(0, _l("Nobody"))] + [(u.id, u.display_name) for u in owners]
        self.new_stance.choices = [("", _l("Unchanged"))] + _choices(STANCE_LABELS)
        if not with_stance:
            del self.new_stance
            del self.campaign_id


class ImportForm(BaseForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Please choose a CSV file."))])
    submit = SubmitField(_l("Check the file"))


def import_choices(formdata) -> tuple[dict[int, str], dict[str, str]]:
    """What the import preview asked for: an action per row (`row-<number>`) and per kind of row (`all-<status>`).

    Unknown names and values are left out; the service checks each action against what its row allows.
    """
    choices, defaults = {}, {}
    for name, value in formdata.items():
        if name.startswith("row-") and name[4:].isdigit() and len(name) < 12:
            choices[int(name[4:])] = value
        elif name in ("all-new", "all-changed", "all-unchanged"):
            defaults[name[4:]] = value
    return choices, defaults


class PowerMapForm(BaseForm):
    """The date from which the map shows movement (GET, no CSRF)."""

    form_nonce = None

    class Meta(BaseForm.Meta):
        csrf = False

    since = DateField(_l("Show movement since"), validators=[Optional()])
    show = SubmitField(_l("Show"))


class DeliverPacketForm(BaseForm):
    stakeholder_id = SelectField(_l("Deliver to"), coerce=int)
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Deliver the packet"))
