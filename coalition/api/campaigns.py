"""OSDI advocacy campaigns: the coalition's campaigns with their targets (stakeholders) and stances."""

from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.api import bp, hal
from coalition.campaigns.models import Campaign
from coalition.extensions import db
from coalition.stakeholders.models import CampaignTarget


def target_json(target: CampaignTarget) -> dict:
    """An OSDI advocacy target, with the stance the coalition recorded."""
    stakeholder = target.stakeholder
    return {
        "identifiers": hal.identifiers(target),
        "title": stakeholder.title,
        "organization": stakeholder.organization,
        "given_name": stakeholder.name,
        "family_name": "",
        "coalition:stance": str(target.stance),
        "coalition:priority": str(target.priority),
        "coalition:influence": target.influence,
    }


def campaign_json(campaign: Campaign, targets: list[CampaignTarget]) -> dict:
    """An OSDI advocacy campaign."""
    path = f"advocacy_campaigns/{campaign.public_id}"
    return {
        "identifiers": hal.identifiers(campaign),
        "created_date": hal.iso(campaign.created_at),
        "modified_date": hal.iso(campaign.updated_at),
        "title": campaign.title,
        "description": campaign.summary,
        "coalition:status": str(campaign.status),
        "coalition:goal": campaign.goal,
        "coalition:decision_sought": campaign.decision_sought,
        "targets": [target_json(t) for t in targets],
        "_links": {"self": hal.href(path), "osdi:outreaches": hal.href(f"{path}/outreaches")},
    }


def targets_by_campaign(campaign_ids) -> dict[int, list[CampaignTarget]]:
    """{campaign id: targets with their stakeholder} for a page of campaigns, in one query."""
    ids = list(campaign_ids)
    result: dict[int, list[CampaignTarget]] = {i: [] for i in ids}
    if ids:
        rows = db.session.scalars(
            select(CampaignTarget)
            .where(CampaignTarget.campaign_id.in_(ids))
            .options(joinedload(CampaignTarget.stakeholder))
            .order_by(CampaignTarget.id)
        )
        for target in rows:
            result[target.campaign_id].append(target)
    return result


def campaign_or_404(campaign_id: str) -> Campaign:
    """A campaign of the key's coalition by public id, or 404."""
    campaign = db.session.scalar(
        select(Campaign).where(
            Campaign.coalition_id == g.coalition.id, Campaign.public_id == hal.public_id(campaign_id)
        )
    )
    if campaign is None:
        abort(404, description="No such advocacy campaign.")
    return campaign


@bp.get("/advocacy_campaigns")
def list_campaigns():
    """List the coalition's campaigns, oldest first."""
    statement = select(Campaign).where(Campaign.coalition_id == g.coalition.id).order_by(Campaign.id)
    statement = hal.apply_filter(statement, {"modified_date": Campaign.updated_at, "created_date": Campaign.created_at})
    rows, total, page, per_page = hal.paginate(statement)
    targets = targets_by_campaign(c.id for c in rows)
    items = [campaign_json(c, targets[c.id]) for c in rows]
    return hal.collection("advocacy_campaigns", "advocacy_campaigns", items, total, page, per_page)


@bp.get("/advocacy_campaigns/<campaign_id>")
def show_campaign(campaign_id):
    """One campaign with its targets."""
    campaign = campaign_or_404(campaign_id)
    return hal.hal(campaign_json(campaign, targets_by_campaign([campaign.id])[campaign.id]))
