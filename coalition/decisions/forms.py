"""Decision forms: shape of input only."""

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coalition.core.forms import BaseForm
from coalition.core.i18n import lazy_gettext as _l
from coalition.decisions.models import Audience, DecisionKind, Privacy


def kind_choices():
    """The kinds of decision, with what each asks."""
    return [
        (DecisionKind.PROPOSAL.value, _l("Proposal: agree, abstain, disagree or block")),
        (DecisionKind.POLL.value, _l("Poll: choose among options")),
        (DecisionKind.SCORE.value, _l("Score: rate each option")),
        (DecisionKind.RANKED.value, _l("Ranked choice: rank the options (instant runoff)")),
        (DecisionKind.TIME_POLL.value, _l("Time poll: when can people meet?")),
    ]


def privacy_choices():
    """The ballot privacy choices, in words."""
    return [
        (Privacy.OPEN.value, _l("Open: everyone sees who answered what")),
        (Privacy.ORGANIZERS.value, _l("Organizers see names: members see only totals")),
        (Privacy.ANONYMOUS.value, _l("Anonymous: nobody can link an answer to a person")),
    ]


def audience_choices():
    """Who a decision can be for."""
    return [
        (Audience.MEMBERS.value, _l("All members")),
        (Audience.TEAM.value, _l("The organizing team")),
        (Audience.INVITED.value, _l("People invited by name")),
    ]


class DecisionForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=kind_choices, default=DecisionKind.PROPOSAL.value)
    privacy = RadioField(
        _l("Ballot privacy (cannot be changed later)"), choices=privacy_choices, default=Privacy.ORGANIZERS.value
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please enter a title.")), Length(max=200)])
    body = TextAreaField(_l("The question or proposal (Markdown)"), validators=[Optional(), Length(max=20000)])
    links = TextAreaField(_l("Background links (one per line)"), validators=[Optional(), Length(max=5000)])
    campaign_id = SelectField(_l("Campaign (optional)"), coerce=int, default=0)
    meeting_id = SelectField(_l("Meeting (optional)"), coerce=int, default=0)
    audience = SelectField(_l("Who may take part"), choices=audience_choices, default=Audience.MEMBERS.value)
    invitees = SelectMultipleField(_l("People invited by name"), coerce=int, default=[])
    invite_tag = StringField(_l("…and everyone tagged"), validators=[Optional(), Length(max=40)])
    results_hidden = BooleanField(_l("Hide the results until the close"))
    options = TextAreaField(
        _l("Options, one per line"),
        validators=[Optional(), Length(max=10000)],
    )
    max_choices = IntegerField(
        _l("Poll: how many options one may choose"), default=1, validators=[Optional(), NumberRange(min=1, max=20)]
    )
    score_max = IntegerField(_l("Score: highest score"), default=5, validators=[Optional(), NumberRange(min=1, max=10)])
    duration_minutes = IntegerField(
        _l("Time poll: how long the meeting lasts (minutes)"),
        default=90,
        validators=[Optional(), NumberRange(min=15, max=24 * 60)],
    )
    opens_at = DateTimeLocalField(_l("Opens at"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(
        _l("Closes at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Please enter the closing time."))]
    )
    reminder_hours = IntegerField(
        _l("Remind those who have not answered this many hours before the close"),
        default=24,
        validators=[Optional(), NumberRange(min=1, max=24 * 14)],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, campaigns=(), meetings=(), members=(), zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.options.description = _l(
            "For a time poll: one date and time per line, in %(zone)s time, like 2026-12-03 18:30 (or 2026-12-03 "
            "6:30 pm).",
            zone=zone,
        )
        self.opens_at.description = _l("In %(zone)s time; leave empty to open as soon as it is opened.", zone=zone)
        self.closes_at.description = _l("In %(zone)s time.", zone=zone)
        self.campaign_id.choices = [(0, _l("None"))] + list(campaigns)
        self.meeting_id.choices = [(0, _l("None"))] + list(meetings)
        self.invitees.choices = list(members)


class CloseTimeForm(BaseForm):
    closes_at = DateTimeLocalField(
        _l("New closing time"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(_l("Please enter the closing time."))]
    )
    submit = SubmitField(_l("Save"))


class OutcomeForm(BaseForm):
    outcome = TextAreaField(
        _l("Outcome: what was decided and what happens next"),
        validators=[DataRequired(_l("Please say what was decided.")), Length(max=20000)],
    )
    submit = SubmitField(_l("Save and mail it to everyone"))


class ScheduleForm(BaseForm):
    option_id = SelectField(_l("Chosen time"), coerce=int)
    venue = StringField(_l("Venue (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Schedule the meeting and invite those who said yes"))


class CheckinSetupForm(BaseForm):
    every_weeks = IntegerField(_l("Ask every … weeks"), default=4, validators=[NumberRange(min=1, max=52)])
    question = StringField(_l("Question"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Start the check-in"))


class CheckinForm(BaseForm):
    rating = RadioField(
        _l("1 = worried, 5 = very good"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[DataRequired(_l("Please choose from 1 to 5."))],
    )
    comment = TextAreaField(_l("Anything to add? (anonymous)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Send"))
