"""Consent: the storyteller's choices, each change kept in the consent history with its time, author and channel.

Only the storyteller (logged in, or holding the private link) may change consent; nobody else ever does.
"""

from coalition.accounts.models import User
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.stories.display import LinkHolder
from coalition.stories.errors import StoryError
from coalition.stories.models import CONSENT_FIELDS, Attribution, ConsentChange, Story, StoryVisibility


def consent_text(value) -> str | None:
    """How a consent choice is written in the history ("yes", "no", or the choice's name)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def set_consent(story: Story, choices: dict, by: User | None, via: str) -> list[str]:
    """Apply consent choices, keeping one history entry per changed choice; returns the changed fields."""
    changed = []
    for name in CONSENT_FIELDS:
        if choices.get(name) is None:
            continue
        new = {"visibility": StoryVisibility, "attribution": Attribution}.get(name, bool)(choices[name])
        old = getattr(story, name) if story.consent_changes else None
        if old == new:
            continue
        setattr(story, name, new)
        story.consent_changes.append(
            ConsentChange(
                coalition_id=story.coalition_id,
                changed_by_id=by.id if by else None,
                via=via,
                field=name,
                old_value=consent_text(old),
                new_value=consent_text(new),
                created_at=utcnow(),
            )
        )
        changed.append(name)
    return changed


def acting_as_storyteller(story: Story, actor) -> str:
    """How `actor` controls the story ("storyteller" or "visitor_link"); StoryError for anyone else."""
    if isinstance(actor, LinkHolder) and actor.story_id == story.id:
        return "visitor_link"
    if story.is_owned_by(actor):
        return "storyteller"
    raise StoryError(_("Only the person who told this story can do this."))


def user_of(actor) -> User | None:
    """The account acting, or None for a holder of the private link."""
    return actor if isinstance(actor, User) else None


def change_consent(story: Story, actor, **choices) -> list[str]:
    """The storyteller changes their consent choices; every change is kept in the consent history."""
    via = acting_as_storyteller(story, actor)
    if story.is_gone:
        raise StoryError(_("This story was withdrawn."))
    changed = set_consent(story, choices, user_of(actor), via)
    if changed:
        record_audit("story.consent", actor=user_of(actor), coalition=story.coalition, obj=story, fields=changed)
    return changed
