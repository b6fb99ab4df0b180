"""Meeting forms: shape of input only."""

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, AnyOf, DataRequired, Email, Length, NumberRange, Optional

from coalition.core.forms import BaseForm, KeptOptionsSelect, LanguageListField, timezone_choices
from coalition.core.i18n import language_name
from coalition.core.i18n import lazy_gettext as _l
from coalition.meetings.models import ActionStatus, MeetingKind, MeetingVisibility, RsvpResponse


def kind_choices():
    return [
        (MeetingKind.COALITION_MEETING.value, _l("Coalition meeting")),
        (MeetingKind.COMMUNITY_MEETING.value, _l("Community meeting")),
        (MeetingKind.SMALL_GATHERING.value, _l("Small gathering (house meeting)")),
        (MeetingKind.WORKSHOP.value, _l("Workshop or training")),
        (MeetingKind.STAKEHOLDER_MEETING.value, _l("Stakeholder meeting")),
        (MeetingKind.PUBLIC_ACTION.value, _l("Public action or hearing")),
    ]


def visibility_choices():
    return [
        (MeetingVisibility.MEMBERS.value, _l("Members of the coalition")),
        (MeetingVisibility.PUBLIC.value, _l("Public: anyone with the link may see it and RSVP")),
        (MeetingVisibility.INVITE_ONLY.value, _l("Invite-only: invited members and organizers")),
    ]


def _required(message):
    """Required, after surrounding whitespace was stripped (a blank answer is no answer)."""
    return DataRequired(message=message)


class MeetingForm(BaseForm):
    kind = SelectField(_l("Kind of meeting"), choices=kind_choices)
    title = StringField(_l("Title"), validators=[_required(_l("Please enter a title.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    campaign_id = SelectField(_l("Campaign (optional)"), coerce=int, default=0)
    start_date = DateField(_l("Date"), validators=[_required(_l("Please enter the date."))])
    start_time = TimeField(_l("Starts at"), validators=[_required(_l("Please enter the start time."))])
    end_date = DateField(
        _l("End date (optional)"), validators=[Optional()], description=_l("Only for meetings over several days.")
    )
    end_time = TimeField(_l("Ends at"), validators=[_required(_l("Please enter the end time."))])
    timezone = SelectField(
        _l("Time zone"),
        description=_l("The date and times above are local times in this zone."),
        widget=KeptOptionsSelect(),
    )
    venue = StringField(
        _l("Venue (shown to everyone who can see the meeting)"), validators=[Optional(), Length(max=200)]
    )
    address = StringField(_l("Exact address (only for people coming)"), validators=[Optional(), Length(max=500)])
    access_notes = TextAreaField(
        _l("Access notes (only for people coming)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Step-free entrance, elevator, parking, public transport…"),
    )
    online_url = URLField(
        _l("Online link (only for people coming)"),
        validators=[Optional(), Length(max=500), URL(message=_l("Please enter a full address starting with https://"))],
    )
    capacity = IntegerField(
        _l("Capacity (optional)"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Between 1 and 100,000 places."))],
        description=_l("Guests count too. When it is full, new RSVPs join the waitlist."),
    )
    visibility = SelectField(_l("Who can see it"), choices=visibility_choices, default=MeetingVisibility.MEMBERS.value)
    languages = LanguageListField(
        _l("Languages spoken"),
        validators=[Optional(), Length(max=200)],
        description=_l("Separate languages with commas, e.g. English, Spanish."),
    )
    interpretation = LanguageListField(
        _l("Interpretation offered"),
        validators=[Optional(), Length(max=200)],
        description=_l("Separate languages with commas, e.g. Spanish, Vietnamese."),
    )
    childcare = BooleanField(_l("Childcare offered"))
    food = StringField(_l("Food"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save meeting"))

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.campaign_id.choices = [(0, _l("None"))] + list(campaigns)


class RsvpForm(BaseForm):
    """One-click answer (the button pressed sets `response`) with optional needs."""

    response = StringField(
        validators=[AnyOf([r.value for r in RsvpResponse], message=_l("Please answer yes, maybe or no."))]
    )
    guests = IntegerField(
        _l("Guests coming with you"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=20, message=_l("Between 0 and 20 guests."))],
    )
    interpretation_language = SelectField(_l("Interpretation"), default="")
    children = IntegerField(
        _l("Children who need childcare"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=20, message=_l("Between 0 and 20 children."))],
    )
    access_needs = StringField(_l("Access needs"), validators=[Optional(), Length(max=500)])
    dietary = StringField(_l("Dietary needs"), validators=[Optional(), Length(max=300)])

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        languages = meeting.interpretation_languages if meeting is not None else []
        self.interpretation_language.choices = [("", _l("No interpretation needed"))] + [
            (code, language_name(code)) for code in languages
        ]

    def needs(self) -> dict:
        return {
            "guests": self.guests.data or 0,
            "interpretation_language": self.interpretation_language.data or "",
            "children": self.children.data or 0,
            "access_needs": self.access_needs.data or "",
            "dietary": self.dietary.data or "",
        }


class VisitorRsvpForm(RsvpForm):
    name = StringField(_l("Your name"), validators=[_required(_l("Please enter your name.")), Length(max=120)])
    email = EmailField(
        _l("Your email"),
        validators=[
            _required(_l("Please enter your email address.")),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
        description=_l("We send you a private link to change or cancel your answer."),
    )


class AgendaItemForm(BaseForm):
    title = StringField(_l("Agenda item"), validators=[_required(_l("Please enter a title.")), Length(max=200)])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=10,
        validators=[Optional(), NumberRange(min=0, max=600, message=_l("0 to 600 minutes."))],
    )
    facilitator = StringField(_l("Facilitator (optional)"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Save item"))


class InviteForm(BaseForm):
    user_id = SelectField(_l("Member"), coerce=int)
    submit = SubmitField(_l("Invite"))


class InviteTaggedForm(BaseForm):
    tag = SelectField(_l("Everyone tagged"))
    submit = SubmitField(_l("Invite everyone tagged"))


class WalkInForm(BaseForm):
    name = StringField(_l("Name of the walk-in"), validators=[_required(_l("Please enter a name.")), Length(max=120)])
    submit = SubmitField(_l("Add walk-in"))


class MinutesForm(BaseForm):
    minutes = TextAreaField(
        _l("Minutes"), validators=[Optional(), Length(max=50000)], description=_l("Markdown: *emphasis*, lists, links.")
    )
    submit = SubmitField(_l("Save minutes"))


class DecisionForm(BaseForm):
    text = StringField(_l("Decision"), validators=[_required(_l("Please write the decision.")), Length(max=1000)])
    submit = SubmitField(_l("Add decision"))


def status_choices():
    return [(ActionStatus.OPEN.value, _l("Open")), (ActionStatus.DONE.value, _l("Done"))]


class ActionItemForm(BaseForm):
    title = StringField(_l("Action item"), validators=[_required(_l("Please enter a title.")), Length(max=200)])
    owner_id = SelectField(_l("Owner"), coerce=int, default=0)
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=status_choices, default=ActionStatus.OPEN.value)
    submit = SubmitField(_l("Save action item"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = [(0, _l("Nobody yet"))] + [(u.id, u.display_name) for u in members]


class ActionStatusForm(BaseForm):
    status = SelectField(_l("Status"), choices=status_choices)


class FeedbackForm(BaseForm):
    rating = RadioField(
        _l("How was the meeting? (1 = poor, 5 = great)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[_required(_l("Please choose a rating from 1 to 5."))],
    )
    worked = TextAreaField(_l("What worked?"), validators=[Optional(), Length(max=5000)])
    change = TextAreaField(_l("What should we change?"), validators=[Optional(), Length(max=5000)])
    anonymous = BooleanField(_l("Give this feedback anonymously (your name is not stored with it)"))
    submit = SubmitField(_l("Send feedback"))
