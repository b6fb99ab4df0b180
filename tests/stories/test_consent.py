"""Only the storyteller controls consent: organizers cannot widen it through any form or request."""

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.models import Attribution, ConsentChange, Story, StoryStatus, StoryVisibility

WIDEN = {
    "visibility": "public",
    "attribution": "full",
    "share_with_decision_makers": "y",
    "press_ok": "y",
}


def _consent(story):
    db.session.expire_all()
    story = db.session.get(Story, story.id)
    return (story.visibility, story.attribution, story.share_with_decision_makers, story.press_ok)


PRIVATE = (StoryVisibility.TEAM, Attribution.ANONYMOUS, False, False)


@pytest.mark.parametrize("role", ["organizer", "lead"])
@pytest.mark.parametrize(
    "path",
    ["/{id}/review", "/{id}/edit", "/{id}/consent", "/{id}/excerpt", "/{id}/submit", "/record", "/new"],
)
def test_organizer_cannot_widen_consent_through_any_endpoint(client_for, coalition, people, make_story, role, path):
    story = make_story(coalition, people["storyteller"], status="submitted")
    client = client_for(people[role])
    data = {
        **WIDEN,
        "decision": "approve",
        "title": "Changed",
        "body": "Changed",
        "language": "en",
        "story_id": story.id,
        "id": story.id,
    }
    client.post(f"/c/{coalition.slug}/stories" + path.format(id=story.id), data=data)
    assert _consent(story) == PRIVATE


def test_approval_never_changes_consent(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], status="submitted")
    client_for(people["organizer"]).post(
        f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "approve", **WIDEN}
    )
    db.session.expire_all()
    assert db.session.get(Story, story.id).status == StoryStatus.APPROVED
    assert _consent(story) == PRIVATE


def test_organizer_consent_page_is_forbidden(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], status="submitted")
    assert client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/{story.id}/consent").status_code == 403


def test_storyteller_widens_and_narrows_consent_and_each_change_is_kept(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"])
    client = client_for(people["storyteller"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/consent", data=WIDEN)
    assert _consent(story) == (StoryVisibility.PUBLIC, Attribution.FULL, True, True)
    client.post(
        f"/c/{coalition.slug}/stories/{story.id}/consent", data={"visibility": "team", "attribution": "anonymous"}
    )
    assert _consent(story) == PRIVATE
    changes = db.session.scalars(
        select(ConsentChange)
        .where(ConsentChange.story_id == story.id, ConsentChange.via == "storyteller")
        .order_by(ConsentChange.id)
    ).all()[-8:]
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("visibility", "team", "public"),
        ("attribution", "anonymous", "full"),
        ("share_with_decision_makers", "no", "yes"),
        ("press_ok", "no", "yes"),
        ("visibility", "public", "team"),
        ("attribution", "full", "anonymous"),
        ("share_with_decision_makers", "yes", "no"),
        ("press_ok", "yes", "no"),
    ]
    assert all(c.changed_by_id == people["storyteller"].id for c in changes)


def test_storyteller_sees_the_consent_history_on_the_story_page(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"])
    client = client_for(people["storyteller"])
    client.post(
        f"/c/{coalition.slug}/stories/{story.id}/consent", data={"visibility": "members", "attribution": "full"}
    )
    page = client.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "History of your choices" in page and "Members of the coalition" in page


def test_recording_needs_the_consent_confirmation(client_for, coalition, people):
    client = client_for(people["organizer"])
    data = {"storyteller_id": people["member"].id, "title": "Told at the clinic", "body": "Text", "language": "en"}
    response = client.post(f"/c/{coalition.slug}/stories/record", data={**data, "campaign_id": 0})
    assert "Please confirm that this person gave consent" in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None


def test_recording_for_a_member_keeps_the_organizer_as_author_of_the_consent(client_for, coalition, people, outbox):
    client = client_for(people["organizer"])
    data = {
        "storyteller_id": people["member"].id,
        "title": "Told at the clinic",
        "body": "Text",
        "language": "en",
        "campaign_id": 0,
        "visibility": "members",
        "attribution": "first_initial",
        "consent_confirmed": "y",
    }
    assert client.post(f"/c/{coalition.slug}/stories/record", data=data).status_code == 302
    story = db.session.scalar(select(Story))
    assert story.storyteller_id == people["member"].id and story.recorded_by_id == people["organizer"].id
    assert story.status == StoryStatus.SUBMITTED and story.visibility == StoryVisibility.MEMBERS
    assert {(c.via, c.changed_by_id) for c in story.consent_changes} == {("organizer_record", people["organizer"].id)}
    assert len(outbox(to=people["member"].email, kind="story_recorded")) == 1
    # From now on only the member controls it.
    member = client_for(people["member"])
    member.post(f"/c/{coalition.slug}/stories/{story.id}/consent", data={"visibility": "team", "attribution": "full"})
    assert _consent(story)[:2] == (StoryVisibility.TEAM, Attribution.FULL)


def test_recording_for_someone_without_account_mails_them_the_private_link(client_for, coalition, people, outbox):
    client = client_for(people["organizer"])
    data = {
        "storyteller_id": 0,
        "name": "Dolores Ruiz",
        "email": "dolores@example.org",
        "title": "Told at the clinic",
        "body": "Text",
        "language": "en",
        "campaign_id": 0,
        "visibility": "team",
        "attribution": "anonymous",
        "consent_confirmed": "y",
    }
    client.post(f"/c/{coalition.slug}/stories/record", data=data)
    mail = outbox(to="dolores@example.org", kind="story_recorded")[0]
    link = next(line for line in mail.body_text.splitlines() if "/stories/manage/" in line)
    path = "/c/" + link.split("/c/", 1)[1].strip()
    assert "Told at the clinic" in client_for(None).get(path).get_data(as_text=True)


def test_members_cannot_record_for_others(client_for, coalition, people):
    assert client_for(people["member"]).get(f"/c/{coalition.slug}/stories/record").status_code == 403
