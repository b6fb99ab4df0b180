"""OSDI outreaches: the outreach log of a campaign; writing one goes through the web form's service."""

from datetime import datetime

from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.api import bp, hal
from coalition.api.campaigns import campaign_or_404
from coalition.api.keys import audit_api
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stakeholders.models import CampaignTarget, Channel, Outreach, Response
from coalition.stakeholders.outreach import log_outreach


def outreach_json(outreach: Outreach, campaign, target: CampaignTarget | None) -> dict:
    """An OSDI outreach: which target was contacted, how, and what came of it."""
    stakeholder = outreach.stakeholder
    target_item = {"title": stakeholder.title, "organization": stakeholder.organization, "given_name": stakeholder.name}
    if target is not None:
        target_item["identifiers"] = hal.identifiers(target)
    return {
        "identifiers": hal.identifiers(outreach),
        "created_date": hal.iso(outreach.created_at),
        "modified_date": hal.iso(outreach.updated_at),
        "type": str(outreach.channel),
        "subject": "",
        "message": outreach.summary,
        "action_date": hal.iso(outreach.occurred_at),
        "targets": [target_item],
        "coalition:outcome": outreach.outcome,
        "coalition:response": str(outreach.response),
        "_links": {
            "self": hal.href(f"advocacy_campaigns/{campaign.public_id}/outreaches/{outreach.public_id}"),
            "osdi:advocacy_campaign": hal.href(f"advocacy_campaigns/{campaign.public_id}"),
        },
    }


def _targets_of(campaign) -> dict[int, CampaignTarget]:
    rows = db.session.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign.id))
    return {t.stakeholder_id: t for t in rows}


@bp.get("/advocacy_campaigns/<campaign_id>/outreaches")
def list_outreaches(campaign_id):
    """The outreach logged for a campaign, oldest first."""
    campaign = campaign_or_404(campaign_id)
    statement = (
        select(Outreach)
        .where(Outreach.coalition_id == g.coalition.id, Outreach.campaign_id == campaign.id)
        .options(joinedload(Outreach.stakeholder))
        .order_by(Outreach.id)
    )
    statement = hal.apply_filter(statement, {"modified_date": Outreach.updated_at, "created_date": Outreach.created_at})
    rows, total, page, per_page = hal.paginate(statement)
    targets = _targets_of(campaign)
    items = [outreach_json(o, campaign, targets.get(o.stakeholder_id)) for o in rows]
    path = f"advocacy_campaigns/{campaign.public_id}/outreaches"
    return hal.collection("outreaches", path, items, total, page, per_page)


def _choice(body: dict, name: str, enum_cls, default):
    value = hal.typed(body, name, str, default) or default
    if value not in {member.value for member in enum_cls}:
        abort(422, description=f"'{name}' must be one of: {', '.join(m.value for m in enum_cls)}.")
    return value


def _moment(body: dict) -> datetime:
    text = hal.typed(body, "action_date", str)
    if not text:
        return utcnow()
    return hal.parse_moment(text)


@bp.post("/advocacy_campaigns/<campaign_id>/outreaches")
def create_outreach(campaign_id):
    """Log an outreach to one of the campaign's targets: `{"targets": [{"identifiers": ["coalition:<id>"]}], …}`."""
    campaign = campaign_or_404(campaign_id)
    body = hal.json_body()
    targets = hal.typed(body, "targets", list, []) or []
    first = targets[0] if targets and isinstance(targets[0], dict) else {}
    ids = hal.string_list(first, "identifiers")
    if not ids:
        abort(422, description="Name the target by its identifier in 'targets'.")
    target = db.session.scalar(
        select(CampaignTarget).where(
            CampaignTarget.campaign_id == campaign.id, CampaignTarget.public_id == hal.public_id(ids[0])
        )
    )
    if target is None:
        abort(404, description="No such target in this campaign.")
    outreach = log_outreach(
        target.stakeholder,
        g.api_actor,
        campaign_id=campaign.id,
        occurred_at=_moment(body),
        channel=_choice(body, "type", Channel, Channel.CALL.value),
        summary=(hal.typed(body, "message", str) or "")[:5000],
        outcome=(hal.typed(body, "coalition:outcome", str) or "")[:5000],
        response=_choice(body, "coalition:response", Response, Response.NONE.value),
        follow_up_on=None,
        follow_up_owner=None,
        participant_ids=[],
    )
    audit_api("outreach.log", obj=outreach)
    return hal.hal(outreach_json(outreach, campaign, target), 201)
