"""The `coalition:stories` extension: exactly what a visitor may see of the coalition's stories, produced by the
stories' one display function — no other story appears, whatever the key."""

from flask import abort, g

from coalition.api import bp, hal
from coalition.extensions import db
from coalition.stories.display import present_story
from coalition.stories.models import Story
from coalition.stories.queries import display_options
from coalition.stories.rules import public_stories

#: The viewer the API shows stories to: a visitor, whatever the key may do elsewhere.
VISITOR = None


def story_json(story: Story) -> dict | None:
    """What a visitor may see of a story (None when they may not see it)."""
    shown = present_story(story, VISITOR, purpose="public")
    if shown is None:
        return None
    item = {
        "identifiers": hal.identifiers(story),
        "created_date": hal.iso(story.submitted_at or story.created_at),
        "modified_date": hal.iso(story.updated_at),
        "title": shown.title,
        "body": shown.body_text,
        "author": shown.author_label,
        "content_note": shown.content_note,
        "language": shown.language,
        "tags": shown.tags,
        "location": shown.location,
        "is_excerpt": shown.is_excerpt,
        "_links": {"self": hal.href(f"stories/{story.public_id}")},
    }
    if story.campaign is not None:
        item["_links"]["osdi:advocacy_campaign"] = hal.href(f"advocacy_campaigns/{story.campaign.public_id}")
    return item


def _statement():
    return public_stories(g.coalition).options(*display_options()).order_by(Story.id)


@bp.get("/stories")
def list_stories():
    """List the coalition's public stories."""
    statement = hal.apply_filter(_statement(), {"modified_date": Story.updated_at, "created_date": Story.created_at})
    rows, total, page, per_page = hal.paginate(statement)
    items = [item for item in map(story_json, rows) if item is not None]
    return hal.collection("stories", "stories", items, total, page, per_page)


@bp.get("/stories/<story_id>")
def show_story(story_id):
    """One public story, or 404 for any other."""
    story = db.session.scalar(_statement().where(Story.public_id == hal.public_id(story_id)))
    item = story_json(story) if story is not None else None
    if item is None:
        abort(404, description="No such story.")
    return hal.hal(item)
