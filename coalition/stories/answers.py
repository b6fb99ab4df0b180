"""Answers to a campaign's questions: validated per kind of question (number, yes/no, choice, short text)."""

from decimal import Decimal, InvalidOperation

from coalition.campaigns.models import CampaignQuestion, QuestionKind
from coalition.core.i18n import gettext as _
from coalition.extensions import db
from coalition.stories.errors import StoryError
from coalition.stories.models import SHORT_ANSWER_MAX, Story, StoryAnswer


def validate_answer(question: CampaignQuestion, raw) -> str | None:
    """The stored form of an answer to `question`, None when unanswered; StoryError when it does not fit."""
    value = str(raw).strip() if raw is not None else ""
    if not value:
        return None
    field = f"q_{question.id}"
    kind = QuestionKind(question.kind)
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) >= 10**12:
            raise StoryError(_("Please enter a number."), field=field)
        return format(number.normalize(), "f")
    if kind == QuestionKind.YES_NO:
        if value not in ("yes", "no"):
            raise StoryError(_("Please answer yes or no."), field=field)
        return value
    if kind == QuestionKind.CHOICE:
        if value not in (question.choices or []):
            raise StoryError(_("Please choose one of the options."), field=field)
        return value
    if len(value) > SHORT_ANSWER_MAX:
        raise StoryError(_("Please keep this answer under %(count)d characters.", count=SHORT_ANSWER_MAX), field=field)
    return value


def set_answers(story: Story, answers: dict | None) -> None:
    """Replace the story's answers with those given for its campaign's questions (others are ignored)."""
    questions = list(story.campaign.questions) if story.campaign is not None else []
    values = {}
    for question in questions:
        value = validate_answer(question, (answers or {}).get(question.id))
        if value is not None:
            values[question.id] = value
    if story.answers:
        story.answers.clear()
        db.session.flush()
    for question_id, value in values.items():
        story.answers.append(StoryAnswer(coalition_id=story.coalition_id, question_id=question_id, value=value))


def missing_answers(story: Story) -> list[CampaignQuestion]:
    """The required questions of the story's campaign that it does not answer."""
    if story.campaign is None:
        return []
    answered = {a.question_id for a in story.answers}
    return [q for q in story.campaign.questions if q.required and q.id not in answered]


def answers_by_question(story: Story) -> list[tuple[CampaignQuestion, str]]:
    """(question, answer) pairs in the campaign's question order."""
    values = {a.question_id: a.value for a in story.answers}
    questions = story.campaign.questions if story.campaign is not None else []
    return [(q, values[q.id]) for q in questions if q.id in values]
