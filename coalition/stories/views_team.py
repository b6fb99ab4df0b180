"""Story pages for the organizing team: recording a story on someone's behalf, and the CSV export."""

from flask import g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.csvexport import csv_response
from coalition.core.i18n import gettext as _
from coalition.core.once import claim_submission, submission_led_to
from coalition.core.permissions import require
from coalition.core.scoping import db_id, member_required
from coalition.core.work import unit_of_work
from coalition.extensions import db
from coalition.stories import bp, services
from coalition.stories.answers import answers_by_question
from coalition.stories.display import present_story
from coalition.stories.forms import RecordForm, answers_from, with_questions
from coalition.stories.loading import list_filters, questions_for, with_campaign_choices
from coalition.stories.models import Story, StoryAnswer
from coalition.stories.queries import search_stories


@bp.route("/record", methods=["GET", "POST"])
@member_required
def record():
    """Organizers record a story on someone's behalf, confirming that person's consent."""
    require("story.record_for_other", g.coalition)
    campaign_id = request.form.get("campaign_id", type=db_id) or request.args.get("campaign", type=db_id)
    questions = questions_for(campaign_id)
    form = with_campaign_choices(with_questions(RecordForm, questions)(campaign_id=campaign_id or 0))
    form.storyteller_id.choices = [(0, _("Someone without an account"))] + _member_choices()
    if form.validate_on_submit():
        with unit_of_work(form, success=_("The story was recorded and submitted for review.")) as work:
            claim_submission(form)
            story, _raw = services.record_story(
                g.coalition,
                current_user,
                {name: form[name].data for name in services.STORY_FIELDS},
                storyteller=db.session.get(User, form.storyteller_id.data) if form.storyteller_id.data else None,
                name=form.name.data,
                email=form.email.data,
                consent_confirmed=form.consent_confirmed.data,
                campaign_id=form.campaign_id.data or None,
                answers=answers_from(form, questions),
                consent=form.consent(),
            )
            shown = submission_led_to(form, url_for("stories.show", story_id=story.id))
        if work.ok:
            return redirect(shown)
    return render_template("stories/record.html", form=form, questions=questions)


def _member_choices() -> list[tuple[int, str]]:
    return [(user.id, user.display_name) for user in db.session.scalars(active_members(g.coalition))]


@bp.route("/export.csv")
@member_required
def export():
    """Organizers download the stories they may see as CSV, with attribution applied and no contact data."""
    require("story.export", g.coalition)
    statement = search_stories(current_user, g.coalition, **list_filters()).options(
        selectinload(Story.answers).joinedload(StoryAnswer.question),
        joinedload(Story.campaign).selectinload(Campaign.questions),
    )
    rows = []
    for story in db.session.scalars(statement):
        display = present_story(story, current_user, purpose="export")
        if display is not None:
            rows.append(_csv_row(story, display))
    with unit_of_work():
        record_audit("story.export", actor=current_user, coalition=g.coalition, count=len(rows), filters=list_filters())
    header = [
        _("Id"), _("Title"), _("Text"), _("Excerpt"), _("Named as"), _("Campaign"), _("Status"), _("Visibility"),
        _("Decision-makers"), _("Press"), _("Language"), _("Tags"), _("Location"), _("Content note"),
        _("Submitted"), _("Approved"), _("Answers"),
    ]  # fmt: skip
    return csv_response(f"stories-{g.coalition.slug}.csv", header, rows)


def _csv_row(story: Story, display) -> list:
    answers = "; ".join(f"{q.prompt}: {value}" for q, value in answers_by_question(story))
    return [
        display.id,
        display.title,
        display.body_text,
        _("yes") if display.is_excerpt else _("no"),
        display.author_label,
        display.campaign_title or "",
        str(story.status),
        str(story.visibility),
        _("yes") if story.share_with_decision_makers else _("no"),
        _("yes") if story.press_ok else _("no"),
        display.language,
        ", ".join(display.tags),
        display.location or "",
        display.content_note or "",
        story.submitted_at.isoformat() if story.submitted_at else "",
        story.approved_at.isoformat() if story.approved_at else "",
        answers,
    ]
