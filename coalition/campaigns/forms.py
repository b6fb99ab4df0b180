"""Campaign forms: the campaign itself, storyteller questions, updates, and the list filter."""

from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coalition.campaigns.models import CampaignStatus, QuestionKind
from coalition.core.forms import BaseForm
from coalition.core.i18n import lazy_gettext as _l


def status_choices():
    return [
        (CampaignStatus.PLANNING.value, _l("Planning")),
        (CampaignStatus.ACTIVE.value, _l("Active")),
        (CampaignStatus.PAUSED.value, _l("Paused")),
        (CampaignStatus.WON.value, _l("Won")),
        (CampaignStatus.LOST.value, _l("Lost")),
        (CampaignStatus.ARCHIVED.value, _l("Archived")),
    ]


def kind_choices():
    return [
        (QuestionKind.SHORT_TEXT.value, _l("Short text")),
        (QuestionKind.NUMBER.value, _l("Number")),
        (QuestionKind.YES_NO.value, _l("Yes or no")),
        (QuestionKind.CHOICE.value, _l("Choice from a list")),
    ]


class CampaignForm(BaseForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=_l("Please enter a title.")), Length(max=200)])
    slug = StringField(
        _l("Web address name (optional)"),
        validators=[Optional(), Length(max=80)],
        description=_l("Used in the public page's address. Made from the title when left empty."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    goal = TextAreaField(_l("Goal"), validators=[Optional(), Length(max=5000)])
    decision_sought = TextAreaField(_l("Decision we are seeking"), validators=[Optional(), Length(max=5000)])
    decision_maker = StringField(
        _l("From whom (decision-maker)"),
        validators=[Optional(), Length(max=200)],
        description=_l("For example: City Council, Housing Authority."),
    )
    status = SelectField(_l("Status"), choices=status_choices, default=CampaignStatus.PLANNING.value)
    starts_on = DateField(_l("Start date (optional)"), validators=[Optional()])
    ends_on = DateField(_l("End date (optional)"), validators=[Optional()])
    issue_tags = StringField(
        _l("Issue areas (optional)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Separate tags with commas, for example: housing, repairs."),
    )
    story_goal = IntegerField(
        _l("Stories wanted (optional)"),
        validators=[Optional(), NumberRange(min=1, max=1_000_000, message=_l("Enter a number from 1 up."))],
    )
    story_prompt = TextAreaField(
        _l("Story prompt"),
        validators=[Optional(), Length(max=2000)],
        description=_l("The invitation storytellers read above the story form."),
    )
    public_page = BooleanField(_l("Show a public page that anyone with the link can read"))
    submit = SubmitField(_l("Save campaign"))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_submitted():
            self.issue_tags.data = ", ".join(obj.issue_tags or [])


class QuestionForm(BaseForm):
    kind = SelectField(_l("Kind of answer"), choices=kind_choices, default=QuestionKind.SHORT_TEXT.value)
    prompt = StringField(
        _l("Question"), validators=[InputRequired(message=_l("Please enter the question.")), Length(max=300)]
    )
    choices = TextAreaField(
        _l("Choices (for a choice question)"),
        validators=[Optional(), Length(max=3000)],
        description=_l("One choice per line; at least two."),
    )
    required = BooleanField(_l("Storytellers must answer this question"))
    submit = SubmitField(_l("Save question"))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_submitted():
            self.choices.data = "\n".join(obj.choices or [])


class UpdateForm(BaseForm):
    body = TextAreaField(
        _l("Update"),
        validators=[InputRequired(message=_l("Please write the update.")), Length(max=10000)],
        description=_l("Followers get it by email. Simple formatting: *emphasis*, lists, links."),
    )
    submit = SubmitField(_l("Post update"))
