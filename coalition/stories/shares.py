"""Where a story went: every share with someone outside the coalition, refused unless the storyteller allows it."""

from coalition.accounts.models import User
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.errors import StoryError
from coalition.stories.models import Story, StoryShare, StoryStatus


def record_story_share(
    story: Story, *, recipient_name: str, recipient_organization: str | None, shared_by: User, note=None, packet_id=None
) -> StoryShare:
    """Record that a story was shared outside the coalition; refused unless its storyteller allows it."""
    if story.is_gone or story.status != StoryStatus.APPROVED:
        raise StoryError(_("This story is not available any more."))
    if not story.share_with_decision_makers:
        raise StoryError(_("The storyteller has not agreed to share this story with decision-makers."))
    share = StoryShare(
        coalition_id=story.coalition_id,
        story=story,
        recipient_name=(recipient_name or "").strip()[:200],
        recipient_organization=(recipient_organization or "").strip()[:200] or None,
        shared_by_id=shared_by.id if shared_by else None,
        shared_at=utcnow(),
        note=note,
        packet_id=packet_id,
    )
    db.session.add(share)
    db.session.flush()
    record_audit("story.share", actor=shared_by, coalition=story.coalition, obj=story, recipient=share.recipient_name)
    return share
