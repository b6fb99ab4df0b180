"""What campaigns contribute elsewhere: the dashboard panel, "export my data" and "delete my account"."""

from sqlalchemy import delete, select, update

from coalition.accounts.models import User
from coalition.campaigns.models import Campaign, CampaignFollower, CampaignUpdate
from coalition.campaigns.services import active_campaigns, progress_of
from coalition.extensions import db


def active_campaigns_panel(coalition, user) -> dict | None:
    """Active campaigns with their story progress, for everyone in the coalition (two queries)."""
    campaigns = active_campaigns(coalition)
    if not campaigns:
        return None
    return {"campaigns": campaigns, "progress": progress_of(campaigns)}


# --- Personal data -------------------------------------------------------------------------------------------


def export_campaign_follows(user: User) -> dict:
    """The campaigns I follow and the updates I wrote, for "export my data"."""
    follows = db.session.execute(
        select(Campaign.title, CampaignFollower.created_at)
        .join(CampaignFollower, CampaignFollower.campaign_id == Campaign.id)
        .where(CampaignFollower.user_id == user.id)
        .order_by(CampaignFollower.created_at)
    )
    updates = db.session.execute(
        select(Campaign.title, CampaignUpdate.body, CampaignUpdate.created_at)
        .join(CampaignUpdate, CampaignUpdate.campaign_id == Campaign.id)
        .where(CampaignUpdate.author_id == user.id)
        .order_by(CampaignUpdate.created_at)
    )
    return {
        "following": [{"campaign": row.title, "since": row.created_at.isoformat()} for row in follows],
        "updates_written": [
            {"campaign": row.title, "body": row.body, "posted_at": row.created_at.isoformat()} for row in updates
        ],
    }


def erase_campaign_follows(user: User, keep_stories_anonymised: bool) -> None:
    """Forget whom a deleted account followed; their updates stay on the timeline without an author."""
    db.session.execute(delete(CampaignFollower).where(CampaignFollower.user_id == user.id))
    db.session.execute(update(CampaignUpdate).where(CampaignUpdate.author_id == user.id).values(author_id=None))
