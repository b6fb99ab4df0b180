"""What the story pages share: the list filters, loading a story the person may see, the campaign field."""

from flask import abort, g, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from coalition.campaigns.models import Campaign
from coalition.campaigns.services import campaign_choices
from coalition.core.i18n import gettext as _
from coalition.core.permissions import require
from coalition.core.scoping import db_id, get_scoped_or_404
from coalition.extensions import db
from coalition.stories.forms import LANGUAGE_CODES
from coalition.stories.models import Story, StoryAnswer
from coalition.stories.queries import display_options
from coalition.stories.rules import may_view


def list_filters() -> dict:
    """The list filters from the query string, cleaned."""
    language = request.args.get("language", "")
    return {
        "q": request.args.get("q", "")[:200],
        "campaign_id": request.args.get("campaign", type=db_id),
        "tag": request.args.get("tag", "")[:40],
        "status": request.args.get("status", ""),
        "language": language if language in LANGUAGE_CODES else "",
    }


def load_story(story_id: int, *, for_action: str | None = None) -> Story:
    """Load a story of this coalition the current person may see (404 otherwise), then check `for_action`."""
    story = get_scoped_or_404(
        Story, story_id, *display_options(), selectinload(Story.answers).joinedload(StoryAnswer.question)
    )
    if not may_view(story, current_user):
        abort(404)
    if for_action:
        require(for_action, story)
    return story


def questions_for(campaign_id):
    """The questions of the campaign chosen in the form (posted, asked for, or the story's)."""
    if not campaign_id:
        return []
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.coalition_id != g.coalition.id:
        return []
    return list(campaign.questions)


def with_campaign_choices(form, selected=None):
    """Offer the coalition's campaigns in the form's campaign field."""
    form.campaign_id.choices = [(0, _("No campaign"))] + campaign_choices(g.coalition)
    return form
