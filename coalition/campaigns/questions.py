"""Storyteller questions of a campaign: saving, deleting and ordering them; answered questions are locked.

Functions add and flush; the request (or CLI command) commits once.
"""

from flask_babel import ngettext

from coalition.accounts.models import User
from coalition.campaigns.errors import CampaignError
from coalition.campaigns.models import Campaign, CampaignQuestion, QuestionKind
from coalition.campaigns.providers import answer_counts
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.extensions import db

MAX_CHOICES = 20


def parse_choices(text: str | list[str] | None) -> list[str]:
    """Choices entered one per line to a clean, de-duplicated list."""
    lines = text if isinstance(text, list) else (text or "").splitlines()
    choices = []
    for line in lines:
        choice = " ".join(line.split())[:100]
        if choice and choice.lower() not in {c.lower() for c in choices}:
            choices.append(choice)
    return choices


def _check_answered_question(question: CampaignQuestion, kind: QuestionKind, choices: list[str]) -> None:
    """Stored answers refer to a question's kind and to its choices' text: once answered, keep both readable."""
    answered = answer_counts([question.id]).get(question.id, 0)
    if not answered:
        return
    if kind != question.kind:
        raise CampaignError(
            ngettext(
                "%(num)d story has answered this question, so its kind can no longer change. "
                "Add a new question instead.",
                "%(num)d stories have answered this question, so its kind can no longer change. "
                "Add a new question instead.",
                answered,
            ),
            "kind",
        )
    dropped = [choice for choice in question.choices or [] if choice not in choices]
    if dropped:
        raise CampaignError(
            ngettext(
                "%(num)d story has answered this question, so its choices can no longer be removed or renamed "
                "(missing: %(choices)s). You can still add choices.",
                "%(num)d stories have answered this question, so its choices can no longer be removed or renamed "
                "(missing: %(choices)s). You can still add choices.",
                answered,
                choices=", ".join(dropped),
            ),
            "choices",
        )


def save_question(
    campaign: Campaign,
    by: User | None,
    question: CampaignQuestion | None = None,
    *,
    kind: str,
    prompt: str,
    choices=None,
    required: bool = False,
) -> CampaignQuestion:
    """Add a question at the end of the list, or change one; a choice question needs at least two choices.

    Once a story has answered the question, its kind stays and its choices can only be added to.
    """
    kind = QuestionKind(kind)
    prompt = " ".join((prompt or "").split())
    if not prompt:
        raise CampaignError(_("Please enter the question."), "prompt")
    choices = parse_choices(choices) if kind == QuestionKind.CHOICE else []
    if kind == QuestionKind.CHOICE and len(choices) < 2:
        raise CampaignError(_("A choice question needs at least two choices, one per line."), "choices")
    if len(choices) > MAX_CHOICES:
        raise CampaignError(_("Please offer at most %(n)d choices.", n=MAX_CHOICES), "choices")
    if question is not None:
        _check_answered_question(question, kind, choices)
    if question is None:
        question = CampaignQuestion(coalition_id=campaign.coalition_id, position=len(campaign.questions) + 1)
        campaign.questions.append(question)
    question.kind, question.prompt, question.choices, question.required = kind, prompt, choices, bool(required)
    db.session.flush()
    record_audit("campaign.question", actor=by, coalition=campaign.coalition, obj=campaign, question_id=question.id)
    return question


def delete_question(question: CampaignQuestion, by: User | None) -> None:
    """Remove a question that no story has answered yet; the ones after it move up."""
    answered = answer_counts([question.id]).get(question.id, 0)
    if answered:
        raise CampaignError(
            ngettext(
                "%(num)d story has answered this question, so it can no longer be deleted. "
                "You can still correct its wording.",
                "%(num)d stories have answered this question, so it can no longer be deleted. "
                "You can still correct its wording.",
                answered,
            )
        )
    campaign = question.campaign
    campaign.questions.remove(question)
    _renumber(campaign)
    db.session.flush()
    record_audit(
        "campaign.question_delete", actor=by, coalition=campaign.coalition, obj=campaign, prompt=question.prompt
    )


def move_question(question: CampaignQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1) in the list; at either end nothing changes."""
    questions = list(question.campaign.questions)
    index = questions.index(question)
    target = index + offset
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
        _renumber(question.campaign, questions)
        db.session.flush()


def _renumber(campaign: Campaign, ordered: list[CampaignQuestion] | None = None) -> None:
    for position, item in enumerate(ordered if ordered is not None else campaign.questions, start=1):
        item.position = position
