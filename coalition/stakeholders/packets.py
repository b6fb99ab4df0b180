"""Testimony packets: stories whose storytellers allow sharing with decision-makers, delivered to a stakeholder.

Every story is shown through the stories domain's `present_story(purpose="packet")`, which applies attribution,
accepted excerpts and withdrawal; this module never reads a story's text itself. Delivery records a share on
each story (the storyteller sees it on "where my story went") and an outreach of channel "stories delivered".
"""

from dataclasses import dataclass

from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stakeholders.models import (
    CampaignTarget,
    Channel,
    Packet,
    PacketItem,
    Response,
    Stakeholder,
)
from coalition.stakeholders.outreach import log_outreach
from coalition.stakeholders.services import StakeholderError, coalition_of
from coalition.stories.display import present_story
from coalition.stories.errors import StoryError
from coalition.stories.models import Story
from coalition.stories.queries import decision_maker_stories, display_options
from coalition.stories.shares import record_story_share

MAX_STORIES = 50


@dataclass
class PacketEntry:
    """A story as it appears in a packet: its display, or the reason it is no longer shown."""

    story_id: int
    display: object | None
    #: "shown", "withdrawn" (by the storyteller) or "unavailable" (deleted, or consent to share taken back).
    state: str


def packet_candidates(coalition, campaign, *, limit: int = 200):
    """The stories of a campaign that may go into a packet (approved, not withdrawn, consented)."""
    return list(db.session.scalars(decision_maker_stories(coalition, campaign).limit(limit)))


def shareable_stories(coalition, campaign, story_ids) -> list:
    """The chosen stories, in the order given; refuses any that may not (or no longer) be shared."""
    wanted = list(dict.fromkeys(int(i) for i in story_ids or []))
    if not wanted:
        raise StakeholderError(_("Please choose at least one story."))
    if len(wanted) > MAX_STORIES:
        raise StakeholderError(_("A packet holds at most %(max)d stories.", max=MAX_STORIES))
    found = {
        s.id: s for s in db.session.scalars(decision_maker_stories(coalition, campaign).where(Story.id.in_(wanted)))
    }
    if len(found) != len(wanted):
        raise StakeholderError(
            _("A chosen story can no longer be shared (withdrawn, or its storyteller changed their consent).")
        )
    return [found[i] for i in wanted]


def present(stories, viewer) -> list[PacketEntry]:
    """How each chosen story appears in the packet preview."""
    entries = []
    for story in stories:
        display = present_story(story, viewer, purpose="packet")
        entries.append(PacketEntry(story.id, display, "shown" if display is not None else "unavailable"))
    return entries


def packet_recipients(campaign) -> list[Stakeholder]:
    """The stakeholders a campaign's packet can be delivered to: its targets."""
    return list(
        db.session.scalars(
            select(Stakeholder)
            .join(CampaignTarget, CampaignTarget.stakeholder_id == Stakeholder.id)
            .where(CampaignTarget.campaign_id == campaign.id)
            .order_by(Stakeholder.name)
        )
    )


def deliver_packet(campaign, stakeholder, story_ids, by, *, note: str = "") -> Packet:
    """Deliver a packet: record it, log the outreach, and record a share on every story."""
    coalition = coalition_of(stakeholder)
    if campaign.coalition_id != coalition.id:
        raise StakeholderError(_("Please choose a campaign of this coalition."))
    stories = shareable_stories(coalition, campaign, story_ids)
    outreach = log_outreach(
        stakeholder,
        by,
        campaign_id=campaign.id,
        occurred_at=utcnow(),
        channel=Channel.STORIES_DELIVERED,
        summary=ngettext(
            "Delivered a packet of %(num)d story.", "Delivered a packet of %(num)d stories.", len(stories)
        ),
        outcome="",
        response=Response.AWAITING,
        follow_up_on=None,
        follow_up_owner=None,
        participant_ids=[by.id],
    )
    packet = Packet(
        coalition_id=coalition.id,
        campaign_id=campaign.id,
        stakeholder_id=stakeholder.id,
        outreach_id=outreach.id,
        title=_("Testimonies for %(name)s", name=stakeholder.name)[:200],
        note=note or "",
        delivered_by_id=by.id,
        delivered_at=utcnow(),
    )
    db.session.add(packet)
    db.session.flush()
    for position, story in enumerate(stories):
        try:
            share = record_story_share(
                story,
                recipient_name=stakeholder.name,
                recipient_organization=stakeholder.organization or None,
                shared_by=by,
                note=note or None,
                packet_id=packet.id,
            )
        except StoryError as error:
            raise StakeholderError(str(error)) from error
        db.session.add(
            PacketItem(
                coalition_id=packet.coalition_id,
                packet_id=packet.id,
                story_id=story.id,
                share_id=share.id,
                position=position,
            )
        )
    db.session.flush()
    record_audit("packet.deliver", actor=by, coalition=coalition, obj=packet, stories=[s.id for s in stories])
    return packet


def packet_entries(packet: Packet, viewer) -> list[PacketEntry]:
    """The stories of a delivered packet as they may be shown today: a withdrawn story shows no text."""
    items = db.session.scalars(
        select(PacketItem)
        .where(PacketItem.packet_id == packet.id)
        .options(selectinload(PacketItem.story).options(*display_options()))
        .order_by(PacketItem.position)
    ).all()
    entries = []
    for item in items:
        story = item.story
        if story.is_withdrawn and not story.is_deleted:
            entries.append(PacketEntry(item.story_id, None, "withdrawn"))
            continue
        display = present_story(story, viewer, purpose="packet")
        entries.append(PacketEntry(item.story_id, display, "shown" if display is not None else "unavailable"))
    return entries
