"""What the stories domain contributes elsewhere: "export my data" and "delete my account"."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.models import Attribution, ConsentChange, Story, StoryAnswer


def _iso(value):
    return value.isoformat() if value else None


def _export_story(story: Story) -> dict:
    return {
        "coalition": story.coalition.name,
        "campaign": story.campaign.title if story.campaign else None,
        "title": story.title,
        "text": story.body,
        "language": story.language,
        "tags": story.tags,
        "location": story.location,
        "content_note": story.content_note,
        "status": str(story.status),
        "created_at": _iso(story.created_at),
        "submitted_at": _iso(story.submitted_at),
        "approved_at": _iso(story.approved_at),
        "withdrawn_at": _iso(story.withdrawn_at),
        "deleted_at": _iso(story.deleted_at),
        "consent": {
            "visibility": str(story.visibility),
            "attribution": str(story.attribution),
            "share_with_decision_makers": story.share_with_decision_makers,
            "press_ok": story.press_ok,
        },
        "consent_history": [
            {"at": _iso(c.created_at), "via": c.via, "field": c.field, "from": c.old_value, "to": c.new_value}
            for c in story.consent_changes
        ],
        "answers": [{"question": a.question.prompt, "answer": a.value} for a in story.answers],
        "excerpts": [
            {"text": e.body, "status": str(e.status), "proposed_at": _iso(e.created_at)} for e in story.excerpts
        ],
        "shared_with": [
            {"recipient": s.recipient_name, "organization": s.recipient_organization, "at": _iso(s.shared_at)}
            for s in story.shares
        ],
    }


def _stories_of(user):
    return db.session.scalars(
        select(Story)
        .where(Story.storyteller_id == user.id)
        .options(
            selectinload(Story.consent_changes),
            selectinload(Story.answers).joinedload(StoryAnswer.question),
            selectinload(Story.excerpts),
            selectinload(Story.shares),
        )
        .order_by(Story.id)
    ).all()


def export_stories(user) -> list[dict]:
    """My stories with their consent history, answers, excerpts and where they were shared."""
    return [_export_story(story) for story in _stories_of(user)]


def erase_stories(user, keep_stories_anonymised: bool) -> None:
    """Delete the person's stories, or keep them anonymised (no link to the person, attribution anonymous)."""
    for story in _stories_of(user):
        if not keep_stories_anonymised:
            db.session.delete(story)
            continue
        if story.attribution != Attribution.ANONYMOUS:
            story.consent_changes.append(
                ConsentChange(
                    coalition_id=story.coalition_id,
                    via="system",
                    field="attribution",
                    old_value=str(story.attribution),
                    new_value=str(Attribution.ANONYMOUS),
                    created_at=utcnow(),
                )
            )
            story.attribution = Attribution.ANONYMOUS
        story.storyteller_id = None
    db.session.flush()
