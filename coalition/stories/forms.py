"""Story forms: writing, consent, recording on someone's behalf, public intake, review and excerpts.

Consent fields appear only in forms the storyteller fills in (and in the recording form, where the organizer
confirms the person's consent); the review and excerpt forms have no consent fields at all.
"""

from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from coalition.campaigns.models import QuestionKind
from coalition.core.forms import BaseForm
from coalition.core.i18n import lazy_gettext as _l
from coalition.stories.answers import validate_answer
from coalition.stories.errors import StoryError
from coalition.stories.models import BODY_MAX, SHORT_ANSWER_MAX, TITLE_MAX, Attribution, StoryVisibility

#: Languages a story may be told in (its own language, not the interface's).
STORY_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("ht", "Kreyòl ayisyen"),
    ("zh", "中文"),
    ("vi", "Tiếng Việt"),
    ("ko", "한국어"),
    ("tl", "Tagalog"),
    ("ar", "العربية"),
    ("so", "Soomaali"),
    ("ru", "Русский"),
    ("other", _l("Another language")),
]
LANGUAGE_CODES = {code for code, _label in STORY_LANGUAGES}


def visibility_choices():
    return [
        (StoryVisibility.TEAM.value, _l("Only the organizing team")),
        (StoryVisibility.MEMBERS.value, _l("Members of the coalition")),
        (StoryVisibility.PUBLIC.value, _l("Public: anyone, on the coalition's public pages")),
    ]


def attribution_choices():
    return [
        (Attribution.ANONYMOUS.value, _l("Anonymous")),
        (Attribution.FIRST_INITIAL.value, _l("My first name and initial (like “Ana M.”)")),
        (Attribution.FULL.value, _l("My full name")),
    ]


class StoryFields(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(message=_l("Please give your story a title.")),
            Length(max=TITLE_MAX, message=_l("Please keep the title under %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Your story"),
        description=_l("Plain text. You may use *emphasis*, lists and links. Up to 20,000 characters."),
        validators=[
            InputRequired(message=_l("Please write your story.")),
            Length(max=BODY_MAX, message=_l("Please keep your story under 20,000 characters.")),
        ],
    )
    content_note = StringField(
        _l("Content note (optional)"),
        description=_l("Warn readers about difficult content, e.g. “eviction, violence”."),
        validators=[Optional(), Length(max=300)],
    )
    language = SelectField(_l("Language of the story"), choices=STORY_LANGUAGES, default="en")
    tags = StringField(
        _l("Tags (optional)"), description=_l("Separated by commas, e.g. mold, repairs"), validators=[Length(max=400)]
    )
    location = StringField(
        _l("Neighbourhood or postal code (optional)"),
        description=_l("Keep it coarse: never a street address."),
        validators=[Optional(), Length(max=120)],
    )


class ConsentFields(BaseForm):
    visibility = RadioField(
        _l("Who may read this story?"), choices=visibility_choices, default=StoryVisibility.TEAM.value
    )
    attribution = RadioField(
        _l("How should you be named?"), choices=attribution_choices, default=Attribution.ANONYMOUS.value
    )
    share_with_decision_makers = BooleanField(_l("It may be shared with decision-makers (officials, agencies)"))
    press_ok = BooleanField(_l("It may be used by the press"))

    def consent(self) -> dict:
        return {
            name: self[name].data for name in ("visibility", "attribution", "share_with_decision_makers", "press_ok")
        }


class NewStoryForm(StoryFields, ConsentFields):
    campaign_id = SelectField(_l("Campaign"), coerce=int, default=0)
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))


class EditStoryForm(StoryFields):
    campaign_id = SelectField(_l("Campaign"), coerce=int, default=0)
    submit = SubmitField(_l("Save changes"))


class ConsentForm(ConsentFields):
    submit = SubmitField(_l("Save my choices"))


class RecordForm(StoryFields, ConsentFields):
    storyteller_id = SelectField(
        _l("Whose story is it?"),
        coerce=int,
        description=_l("A member of the coalition, or someone without an account (then enter their name below)."),
    )
    name = StringField(_l("Their name (if not a member)"), validators=[Optional(), Length(max=120)])
    email = EmailField(
        _l("Their email (optional)"),
        description=_l("They receive the private link to see, change or withdraw their story."),
        validators=[
            Optional(),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )
    campaign_id = SelectField(_l("Campaign"), coerce=int, default=0)
    consent_confirmed = BooleanField(
        _l("This person gave consent to these choices"),
        validators=[InputRequired(message=_l("Please confirm that this person gave consent to these choices."))],
    )
    submit = SubmitField(_l("Record the story"))


class IntakeForm(StoryFields, ConsentFields):
    name = StringField(
        _l("Your name (optional)"),
        description=_l("Used only if you choose to be named."),
        validators=[Optional(), Length(max=120)],
    )
    email = EmailField(
        _l("Your email (optional)"),
        description=_l("We mail you a private link to see, change or withdraw your story. Nobody else sees it."),
        validators=[
            Optional(),
            Length(max=320),
            Email(message=_l("This does not look like an email address."), check_deliverability=False),
        ],
    )
    submit = SubmitField(_l("Share my story"))


class ReviewForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=[("approve", _l("Approve")), ("return", _l("Return to the storyteller with a note"))],
        validators=[InputRequired(message=_l("Please choose a decision."))],
    )
    note = TextAreaField(
        _l("Note to the storyteller"),
        description=_l("Needed when you return the story."),
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save decision"))


class ExcerptForm(BaseForm):
    body = TextAreaField(
        _l("Proposed excerpt"),
        description=_l("The storyteller decides; it is shown in place of their text only if they accept it."),
        validators=[
            InputRequired(message=_l("Please write the excerpt.")),
            Length(max=BODY_MAX, message=_l("Please keep the excerpt under 20,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Propose to the storyteller"))


# --- Questions of a campaign, added to a form class at request time ------------------------------------------


def _answer_validator(question):
    def check(form, field):
        try:
            validate_answer(question, field.data)
        except StoryError as error:
            raise ValidationError(str(error)) from None

    return check


def _question_field(question):
    required = InputRequired(message=_l("Please answer this question.")) if question.required else Optional()
    validators = [required, _answer_validator(question)]
    label = question.prompt
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.YES_NO:
        return RadioField(
            label, choices=[("yes", _l("Yes")), ("no", _l("No"))], validators=validators, validate_choice=False
        )
    if kind == QuestionKind.CHOICE:
        return RadioField(
            label, choices=[(c, c) for c in question.choices or []], validators=validators, validate_choice=False
        )
    if kind == QuestionKind.NUMBER:
        return StringField(label, validators=validators, render_kw={"inputmode": "decimal"})
    return StringField(label, validators=[*validators, Length(max=SHORT_ANSWER_MAX)])


def with_questions(form_class, questions):
    """A subclass of `form_class` with one field `q_<id>` per campaign question."""
    fields = {f"q_{q.id}": _question_field(q) for q in questions}
    return type(form_class.__name__, (form_class,), fields) if fields else form_class


def answers_from(form, questions) -> dict[int, str | None]:
    """The answers given in a form built by `with_questions()`, keyed by question id."""
    return {q.id: form[f"q_{q.id}"].data for q in questions if f"q_{q.id}" in form}
