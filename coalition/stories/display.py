"""THE one way a story is shown: every page, feed, packet and export goes through `present_story()`.

It applies, in one place, visibility (who may see it for which purpose), attribution (how the storyteller is
named), withdrawal and deletion (gone for everyone but the storyteller) and excerpts (an accepted excerpt is shown
in place of the original). Contact details are never part of what it returns.
"""

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from coalition.core.i18n import gettext as _
from coalition.core.permissions import ROLE_PERMISSIONS, Role, real_user
from coalition.core.text import excerpt, render_markdown
from coalition.stories.models import Attribution, Story, StoryStatus
from coalition.stories.rules import TEAM_STATUSES, is_public, may_view, viewer_role

PURPOSES = {"list", "page", "public", "packet", "export", "owner"}


class LinkHolder:
    """The viewer who opened a story's private manage link (a storyteller without account)."""

    is_authenticated = False

    def __init__(self, story: Story):
        self.story_id = story.id


@dataclass(frozen=True)
class StoryDisplay:
    """What may be shown of a story to one viewer for one purpose."""

    id: int
    title: str
    body_html: Markup
    #: The text shown (accepted excerpt or original), as plain text, for CSV and short summaries.
    body_text: str
    author_label: str
    content_note: str | None
    language: str
    tags: list[str] = field(default_factory=list)
    location: str | None = None
    campaign_title: str | None = None
    campaign_id: int | None = None
    is_excerpt: bool = False
    status: StoryStatus = StoryStatus.APPROVED
    is_withdrawn: bool = False
    submitted_at: datetime | None = None
    approved_at: datetime | None = None

    @property
    def summary(self) -> str:
        return excerpt(self.body_text, 240)


def author_label(story: Story) -> str:
    """The storyteller's name as they chose to be credited: full name, "Ana M." or "Anonymous"."""
    name = story.storyteller.display_name if story.storyteller is not None else (story.intake_name or "")
    name = " ".join(name.split())
    if not name or story.attribution == Attribution.ANONYMOUS:
        return _("Anonymous")
    if story.attribution == Attribution.FULL:
        return name
    parts = name.split()
    return f"{parts[0]} {parts[-1][0]}." if len(parts) > 1 else parts[0]


def _team_may(viewer, story: Story, action: str) -> bool:
    role = viewer_role(viewer, story.coalition_id)
    return role is not None and action in ROLE_PERMISSIONS[Role(role)]


def may_present(story: Story, viewer, purpose: str) -> bool:
    """May `viewer` be shown `story` for `purpose`?"""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if story.is_deleted:
        return False
    if purpose == "owner":
        if isinstance(viewer, LinkHolder):
            return viewer.story_id == story.id
        return story.is_owned_by(viewer)
    if purpose in ("list", "page"):
        return may_view(story, viewer)
    if story.is_withdrawn:
        return False
    if purpose == "public":
        return is_public(story)
    if purpose == "packet":
        return (
            story.status == StoryStatus.APPROVED
            and story.share_with_decision_makers
            and _team_may(viewer, story, "packet.build")
        )
    # export
    return story.status in TEAM_STATUSES and _team_may(viewer, story, "story.export")


def present_story(story: Story, viewer, *, purpose: str) -> StoryDisplay | None:
    """Return what `viewer` may see of `story` for `purpose` ("list", "page", "public", "packet", "export",
    "owner"), or None when they may not see it at all."""
    viewer = real_user(viewer)
    if not may_present(story, viewer, purpose):
        return None
    chosen = story.accepted_excerpt if purpose != "owner" else None
    text = chosen.body if chosen is not None else story.body
    campaign = story.campaign
    return StoryDisplay(
        id=story.id,
        title=story.title,
        body_html=render_markdown(text),
        body_text=text,
        author_label=author_label(story),
        content_note=story.content_note,
        language=story.language,
        tags=list(story.tags or []),
        location=story.location,
        campaign_title=campaign.title if campaign is not None else None,
        campaign_id=story.campaign_id,
        is_excerpt=chosen is not None,
        status=story.status,
        is_withdrawn=story.is_withdrawn,
        submitted_at=story.submitted_at,
        approved_at=story.approved_at,
    )
