"""What the stakeholder pages load besides their own objects: campaign choices, a campaign, a chosen member."""

from flask import g

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign
from coalition.campaigns.services import campaign_choices
from coalition.core.scoping import get_scoped_or_404
from coalition.extensions import db


def campaigns() -> list[tuple[int, str]]:
    """The current coalition's campaigns as (id, title) choices."""
    return campaign_choices(g.coalition)


def campaign_or_404(campaign_id) -> Campaign:
    """The current coalition's campaign with this id, or 404."""
    return get_scoped_or_404(Campaign, campaign_id)


def user_or_none(user_id) -> User | None:
    """The person chosen in a form (0 or empty: nobody)."""
    return db.session.get(User, user_id) if user_id else None
