"""Campaign rules: saving and archiving campaigns, updates and followers (questions: campaigns.questions).

Functions add and flush; the request (or CLI command) commits once.
"""

from datetime import date
from functools import cache

from sqlalchemy import String, bindparam, case, cast, delete, func, select
from sqlalchemy.exc import IntegrityError

from coalition.accounts.models import User
from coalition.campaigns.errors import CampaignError
from coalition.campaigns.models import (
    Campaign,
    CampaignFollower,
    CampaignStatus,
    CampaignUpdate,
)
from coalition.campaigns.tallies import counted_stories, tallies_of
from coalition.coalitions.models import Coalition
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.outbox import queue_mail
from coalition.core.suppression import Count, suppress_count
from coalition.core.tags import normalize_tag, parse_tags
from coalition.core.text import slugify
from coalition.extensions import db

CAMPAIGN_FIELDS = (
    "title",
    "slug",
    "summary",
    "goal",
    "decision_sought",
    "decision_maker",
    "status",
    "starts_on",
    "ends_on",
    "issue_tags",
    "public_page",
    "story_prompt",
    "story_goal",
)
MAX_TAGS = 12


# --- Lookups other domains use -------------------------------------------------------------------------------


def campaign_choices(coalition: Coalition) -> list[tuple[int, str]]:
    """(id, title) of the coalition's campaigns that are not archived, for other domains' select fields."""
    return [(row.id, row.title) for row in db.session.execute(_choices_statement(), {"coalition_id": coalition.id})]


@cache
def _choices_statement():
    """Built once (every story list and form asks): the campaigns of :coalition_id that are not archived."""
    return (
        select(Campaign.id, Campaign.title)
        .where(Campaign.coalition_id == bindparam("coalition_id"), Campaign.status != CampaignStatus.ARCHIVED)
        .order_by(Campaign.title, Campaign.id)
    )


def get_public_campaign(coalition: Coalition, slug: str) -> Campaign | None:
    """The campaign with this slug if its public page is on and it is not archived."""
    if not slug:
        return None
    return db.session.scalar(
        select(Campaign).where(
            Campaign.coalition_id == coalition.id,
            Campaign.slug == slug,
            Campaign.public_page.is_(True),
            Campaign.status != CampaignStatus.ARCHIVED,
        )
    )


def campaigns_statement(coalition: Coalition, *, status: str | None = None, tag: str | None = None):
    """A select() of a coalition's campaigns, newest first; archived ones only when `status` asks for them."""
    statement = select(Campaign).where(Campaign.coalition_id == coalition.id)
    if status in {s.value for s in CampaignStatus}:
        statement = statement.where(Campaign.status == status)
    else:
        statement = statement.where(Campaign.status != CampaignStatus.ARCHIVED)
    tag = normalize_tag(tag or "")
    if tag:
        # Tags are normalised to [a-z0-9-], so the quoted tag matches exactly one JSON array element.
        statement = statement.where(cast(Campaign.issue_tags, String).like(f'%"{tag}"%'))
    return statement.order_by(Campaign.created_at.desc(), Campaign.id.desc())


def active_campaigns(coalition: Coalition, limit: int = 5) -> list[Campaign]:
    """The coalition's active campaigns, most recently started first."""
    return list(db.session.scalars(_active_statement(), {"coalition_id": coalition.id, "limit": limit}))


@cache
def _active_statement():
    """Built once (every dashboard asks): the active campaigns of :coalition_id, at most :limit."""
    return (
        select(Campaign)
        .where(Campaign.coalition_id == bindparam("coalition_id"), Campaign.status == CampaignStatus.ACTIVE)
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        .limit(bindparam("limit"))
    )


def goal_percent(campaign: Campaign, collected: int) -> int | None:
    """How far the story goal is reached, 0–100, or None without a goal."""
    if not campaign.story_goal:
        return None
    return min(100, round(100 * collected / campaign.story_goal))


def progress_of(campaigns, threshold: int = 0) -> dict[int, tuple[Count, int | None]]:
    """{campaign id: (stories collected, percent of the goal or None)} in one query; counts under `threshold`
    suppressed (then without a percentage, which would give the count away)."""
    counts = counted_stories(tallies_of(c.id for c in campaigns))
    result = {}
    for campaign in campaigns:
        collected = suppress_count(counts.get(campaign.id, 0), threshold)
        result[campaign.id] = (collected, None if collected.suppressed else goal_percent(campaign, collected.value))
    return result


# --- Saving and archiving ------------------------------------------------------------------------------------


def campaign_slug(text: str) -> str:
    """A URL-safe slug for a campaign ('Safe Homes Now!' -> 'safe-homes-now'); 'campaign' if nothing is left."""
    slug = slugify(text)
    return "campaign" if slug == "coalition" and "coalition" not in text.lower() else slug


def _check_campaign(coalition: Coalition, campaign: Campaign | None, fields: dict) -> None:
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        raise CampaignError(_("The end date must be on or after the start date."), "ends_on")
    if len(fields["issue_tags"]) > MAX_TAGS:
        raise CampaignError(_("Please use at most %(n)d tags.", n=MAX_TAGS), "issue_tags")
    if fields.get("story_goal") is not None and fields["story_goal"] < 1:
        raise CampaignError(_("The story goal must be at least 1, or left empty."), "story_goal")
    clash = db.session.scalar(
        select(Campaign.id).where(
            Campaign.coalition_id == coalition.id,
            Campaign.slug == fields["slug"],
            Campaign.id != (campaign.id if campaign else -1),
        )
    )
    if clash is not None:
        raise CampaignError(_slug_taken(fields["slug"]), "slug")


def _slug_taken(slug: str) -> str:
    return _("Another campaign already uses the address %(slug)s. Please choose another.", slug=slug)


def save_campaign(coalition: Coalition, by: User | None, campaign: Campaign | None = None, **fields) -> Campaign:
    """Create or update a campaign; the slug comes from the title when empty and is unique in the coalition."""
    fields = {name: value for name, value in fields.items() if name in CAMPAIGN_FIELDS}
    fields["title"] = (fields.get("title") or "").strip()
    if not fields["title"]:
        raise CampaignError(_("Please enter a title."), "title")
    fields["slug"] = campaign_slug(fields.get("slug") or fields["title"])
    fields["issue_tags"] = parse_tags(fields.get("issue_tags"))
    fields["status"] = CampaignStatus(fields.get("status") or (campaign.status if campaign else "planning"))
    _check_campaign(coalition, campaign, fields)
    creating = campaign is None
    if creating:
        campaign = Campaign(coalition_id=coalition.id)
    old_status = campaign.status
    try:
        # Two people saving the same slug at once: the unique constraint decides, with the same message.
        with db.session.begin_nested():
            for name, value in fields.items():
                setattr(campaign, name, value)
            db.session.add(campaign)
    except IntegrityError:
        raise CampaignError(_slug_taken(fields["slug"]), "slug") from None
    if creating:
        record_audit("campaign.create", actor=by, coalition=coalition, obj=campaign, title=campaign.title)
    elif old_status != campaign.status:
        record_audit(
            "campaign.status",
            actor=by,
            coalition=coalition,
            obj=campaign,
            old=str(old_status),
            new=str(campaign.status),
        )
    return campaign


def archive_campaign(campaign: Campaign, by: User | None) -> None:
    """Archive a campaign: it leaves the lists, its public page and the other domains' choices."""
    if campaign.is_archived:
        raise CampaignError(_("This campaign is already archived."))
    old_status = campaign.status
    campaign.status = CampaignStatus.ARCHIVED
    db.session.flush()
    record_audit("campaign.archive", actor=by, coalition=campaign.coalition, obj=campaign, old=str(old_status))


# --- Updates and followers -----------------------------------------------------------------------------------


def is_following(campaign: Campaign, user: User) -> bool:
    """Does `user` follow `campaign`?"""
    return (
        db.session.scalar(
            select(CampaignFollower.id).where(
                CampaignFollower.campaign_id == campaign.id, CampaignFollower.user_id == user.id
            )
        )
        is not None
    )


def followed_ids(user: User, campaign_ids) -> set[int]:
    """Which of `campaign_ids` does `user` follow (one query)?"""
    ids = list(campaign_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(CampaignFollower.campaign_id).where(
                CampaignFollower.user_id == user.id, CampaignFollower.campaign_id.in_(ids)
            )
        )
    )


def follow_campaign(campaign: Campaign, user: User) -> None:
    """Follow a campaign to get its updates by mail; following twice changes nothing."""
    if campaign.is_archived:
        raise CampaignError(_("This campaign is archived and sends no more updates."))
    if is_following(campaign, user):
        return
    try:
        # A double click can race the check above; the unique pair settles it.
        with db.session.begin_nested():
            db.session.add(
                CampaignFollower(coalition_id=campaign.coalition_id, campaign_id=campaign.id, user_id=user.id)
            )
    except IntegrityError:
        pass


def unfollow_campaign(campaign: Campaign, user: User) -> None:
    """Stop following a campaign."""
    db.session.execute(
        delete(CampaignFollower).where(CampaignFollower.campaign_id == campaign.id, CampaignFollower.user_id == user.id)
    )


def post_update(campaign: Campaign, by: User, body: str) -> CampaignUpdate:
    """Add an update to the campaign's timeline and mail it to followers who want campaign mail."""
    if campaign.is_archived:
        raise CampaignError(_("This campaign is archived. Change its status to post an update."), "body")
    body = (body or "").strip()
    if not body:
        raise CampaignError(_("Please write the update."), "body")
    entry = CampaignUpdate(campaign=campaign, coalition_id=campaign.coalition_id, author_id=by.id, body=body)
    db.session.add(entry)
    db.session.flush()
    for follower in _followers_to_mail(campaign, exclude=by):
        queue_mail(
            follower.email,
            _l("Update on %(title)s", title=campaign.title),  # lazy: translated in the follower's language
            "campaigns/update",
            kind="campaign_update",
            locale=follower.locale,
            dedupe_key=f"campaign-update:{entry.id}:{follower.id}",
            coalition=campaign.coalition,
            campaign=campaign,
            update=entry,
            recipient_name=follower.display_name,
            author_name=by.display_name,
            campaign_url=site_link(f"/c/{campaign.coalition.slug}/campaigns/{campaign.id}"),
            profile_url=site_link("/account/profile"),
        )
    record_audit("campaign.update", actor=by, coalition=campaign.coalition, obj=campaign, update_id=entry.id)
    return entry


def _followers_to_mail(campaign: Campaign, exclude: User | None) -> list[User]:
    """Followers who are still active members and have campaign mail switched on."""
    statement = (
        active_members(campaign.coalition_id)
        .join(CampaignFollower, CampaignFollower.user_id == User.id)
        .where(
            CampaignFollower.campaign_id == campaign.id,
            User.notify_campaigns.is_(True),
            User.id != (exclude.id if exclude else -1),
        )
        .order_by(None)
        .order_by(User.id)
    )
    return list(db.session.scalars(statement))


def updates_statement(campaign: Campaign):
    """A select() of a campaign's updates, newest first."""
    return (
        select(CampaignUpdate)
        .where(CampaignUpdate.campaign_id == campaign.id)
        .order_by(CampaignUpdate.created_at.desc(), CampaignUpdate.id.desc())
    )


def followers_of(campaign: Campaign, user: User) -> tuple[bool, int]:
    """(Does `user` follow `campaign`?, how many people follow it), in one query."""
    mine = func.sum(case((CampaignFollower.user_id == user.id, 1), else_=0))
    count, following = db.session.execute(
        select(func.count(CampaignFollower.id), mine).where(CampaignFollower.campaign_id == campaign.id)
    ).one()
    return bool(following), count
