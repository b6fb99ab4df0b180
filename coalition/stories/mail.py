"""Mail to storytellers: in their language, to members who want story mail, and to visitors at their address."""

from flask import current_app

from coalition.accounts.models import User
from coalition.coalitions.models import Coalition
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.outbox import queue_mail
from coalition.stories.models import Story


def manage_link(coalition: Coalition, raw: str) -> str:
    """The absolute private link through which a storyteller without account manages their story."""
    return site_link(f"/c/{coalition.slug}/stories/manage/{raw}")


def visitor_locale(story: Story) -> str:
    """The language to write to a storyteller without an account: their story's, if the site speaks it."""
    if story.language in current_app.config["LANGUAGES"]:
        return story.language
    return story.coalition.default_locale


def notify_storyteller(story: Story, subject: str, template: str, *, kind: str, **context) -> None:
    """Mail the storyteller about their story (members who turned story mail off get none)."""
    person = story.storyteller
    if person is not None:
        if not person.notify_stories:
            return
        to, locale = person.email, person.locale
        link = site_link(f"/c/{story.coalition.slug}/stories/{story.id}")
    elif story.intake_email:
        # Only a hash of the private link is kept, so the mail points to the link they received.
        to, locale, link = story.intake_email, visitor_locale(story), None
    else:
        return
    queue_mail(
        to, subject, template, kind=kind, locale=locale, story=story, coalition=story.coalition, link=link, **context
    )


def mail_recorded(story: Story, organizer: User, raw: str | None) -> None:
    """Tell the person an organizer recorded their story (with their private link when they have no account)."""
    if story.storyteller is not None:
        to, locale, link = (
            story.storyteller.email,
            story.storyteller.locale,
            site_link(f"/c/{story.coalition.slug}/stories/{story.id}"),
        )
    elif story.intake_email:
        to, locale, link = story.intake_email, visitor_locale(story), manage_link(story.coalition, raw)
    else:
        return
    queue_mail(
        to,
        _l("%(name)s recorded your story", name=organizer.display_name),
        "stories/recorded",
        kind="story_recorded",
        locale=locale,
        story=story,
        coalition=story.coalition,
        organizer=organizer,
        link=link,
    )
