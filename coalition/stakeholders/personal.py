"""What the stakeholder domain holds about a person: exported on request, unlinked when the account goes."""

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from coalition.extensions import db
from coalition.stakeholders.models import (
    CampaignTarget,
    Outreach,
    OutreachParticipant,
    Packet,
    Stakeholder,
    StakeholderImport,
    StanceChange,
)


def export_outreach(user) -> list[dict]:
    """The outreach entries the person took part in: when, with whom, what was said."""
    entries = db.session.scalars(
        select(Outreach)
        .join(OutreachParticipant, OutreachParticipant.outreach_id == Outreach.id)
        .where(OutreachParticipant.user_id == user.id)
        .options(selectinload(Outreach.stakeholder))
        .order_by(Outreach.occurred_at)
    )
    return [
        {
            "occurred_at": entry.occurred_at.isoformat(),
            "channel": str(entry.channel),
            "stakeholder": entry.stakeholder.name,
            "summary": entry.summary,
            "outcome": entry.outcome,
        }
        for entry in entries
    ]


def erase_outreach_links(user, keep_stories_anonymised: bool) -> None:
    """Unlink the person from targets, follow-ups, stance history and outreach (the coalition's records stay)."""
    for model, column in (
        (CampaignTarget, CampaignTarget.owner_id),
        (Outreach, Outreach.follow_up_owner_id),
        (Outreach, Outreach.logged_by_id),
        (StanceChange, StanceChange.changed_by_id),
        (Stakeholder, Stakeholder.created_by_id),
        (Packet, Packet.delivered_by_id),
    ):
        db.session.execute(update(model).where(column == user.id).values({column.key: None}))
    db.session.execute(delete(OutreachParticipant).where(OutreachParticipant.user_id == user.id))
    db.session.execute(StakeholderImport.__table__.delete().where(StakeholderImport.created_by_id == user.id))
