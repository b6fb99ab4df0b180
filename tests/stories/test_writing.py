"""Members write stories: drafts, submission, review with a note, edits, withdrawal and deletion."""

from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.models import Attribution, ConsentChange, Story, StoryStatus, StoryVisibility


def _new(client, coalition, **data):
    form = {"title": "Leaking roof", "body": "Water comes *through* the ceiling.", "language": "en", "campaign_id": "0"}
    form.update(data)
    return client.post(f"/c/{coalition.slug}/stories/new", data=form)


def test_new_story_form_shows_default_consent_team_only_and_anonymous(client_for, coalition, people):
    client = client_for(people["storyteller"])
    page = client.get(f"/c/{coalition.slug}/stories/new").get_data(as_text=True)
    assert '<input checked id="visibility-0" name="visibility" type="radio" value="team">' in page
    assert '<input checked id="attribution-0" name="attribution" type="radio" value="anonymous">' in page


def test_member_saves_a_draft_with_default_consent_recorded_in_history(client_for, coalition, people):
    client = client_for(people["storyteller"])
    response = _new(client, coalition, save_draft="Save as draft")
    assert response.status_code == 302
    story = db.session.scalar(select(Story))
    assert story.status == StoryStatus.DRAFT
    assert story.visibility == StoryVisibility.TEAM and story.attribution == Attribution.ANONYMOUS
    assert not story.share_with_decision_makers and not story.press_ok
    fields = {c.field for c in db.session.scalars(select(ConsentChange))}
    assert fields == {"visibility", "attribution", "share_with_decision_makers", "press_ok"}
    assert client.get(response.location).status_code == 200


def test_member_submits_then_organizer_approves_and_storyteller_is_mailed(client_for, coalition, people, outbox):
    client = client_for(people["storyteller"])
    _new(client, coalition, submit="Submit for review")
    story = db.session.scalar(select(Story))
    assert story.status == StoryStatus.SUBMITTED
    client = client_for(people["organizer"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "approve"})
    db.session.refresh(story)
    assert story.status == StoryStatus.APPROVED
    assert len(outbox(to=people["storyteller"].email, kind="story_decision")) == 1


def test_returning_a_story_needs_a_note_that_the_storyteller_then_sees(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], status="submitted")
    client = client_for(people["organizer"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "return"})
    db.session.refresh(story)
    assert story.status == StoryStatus.SUBMITTED
    client.post(
        f"/c/{coalition.slug}/stories/{story.id}/review",
        data={"decision": "return", "note": "Please remove the address."},
    )
    db.session.refresh(story)
    assert story.status == StoryStatus.RETURNED
    client = client_for(people["storyteller"])
    page = client.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "Please remove the address." in page
    client.post(f"/c/{coalition.slug}/stories/{story.id}/submit")
    db.session.refresh(story)
    assert story.status == StoryStatus.SUBMITTED


def test_storyteller_who_turned_story_mail_off_gets_no_decision_mail(client_for, make_story, coalition, people, outbox):
    people["storyteller"].notify_stories = False
    db.session.commit()
    story = make_story(coalition, people["storyteller"], status="submitted")
    client = client_for(people["organizer"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "approve"})
    assert outbox(kind="story_decision") == []


def test_editing_the_text_of_an_approved_story_sends_it_back_to_review(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], visibility="members")
    client = client_for(people["storyteller"])
    response = client.post(
        f"/c/{coalition.slug}/stories/{story.id}/edit",
        data={"title": "New title", "body": "New text", "language": "en", "campaign_id": "0"},
    )
    assert response.status_code == 302
    db.session.refresh(story)
    assert story.title == "New title" and story.status == StoryStatus.SUBMITTED


def test_organizer_cannot_edit_someone_elses_story(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"])
    client = client_for(people["organizer"])
    response = client.post(
        f"/c/{coalition.slug}/stories/{story.id}/edit", data={"title": "Changed", "body": "Changed", "language": "en"}
    )
    assert response.status_code == 403
    db.session.refresh(story)
    assert story.title == "Mold in the bedroom"


def test_deleting_erases_text_and_answers_but_keeps_consent_history(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], body="Secret details")
    client = client_for(people["storyteller"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/delete")
    db.session.expire_all()
    story = db.session.get(Story, story.id)
    assert story.body == "" and story.title == "" and story.deleted_at is not None
    assert story.consent_changes
    assert client.get(f"/c/{coalition.slug}/stories/{story.id}").status_code == 404
    assert "Secret details" not in client.get(f"/c/{coalition.slug}/stories/?mine=1").get_data(as_text=True)


def test_storyteller_sees_own_withdrawn_story_marked_withdrawn(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], visibility="members")
    client = client_for(people["storyteller"])
    client.post(f"/c/{coalition.slug}/stories/{story.id}/withdraw")
    page = client.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "You withdrew this story" in page
    assert "Withdrawn" in client.get(f"/c/{coalition.slug}/stories/?mine=1").get_data(as_text=True)


def test_title_is_required_and_nothing_is_stored_without_it(client_for, coalition, people):
    client = client_for(people["storyteller"])
    response = _new(client, coalition, title="", submit="Submit for review")
    assert response.status_code == 200
    assert "Please give your story a title." in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None


def test_member_form_asks_the_chosen_campaigns_questions_and_needs_required_answers(
    client_for, coalition, people, make_campaign
):
    campaign = make_campaign(coalition, questions=[("number", "How many months?", [], True)])
    client = client_for(people["storyteller"])
    assert "How many months?" in client.get(f"/c/{coalition.slug}/stories/new?campaign={campaign.id}").get_data(
        as_text=True
    )
    field = f"q_{campaign.questions[0].id}"
    response = _new(client, coalition, campaign_id=campaign.id, submit="y")
    assert response.status_code == 200 and "Please answer this question." in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None
    assert _new(client, coalition, campaign_id=campaign.id, submit="y", **{field: "4"}).status_code == 302
    story = db.session.scalar(select(Story))
    assert story.campaign_id == campaign.id and [a.value for a in story.answers] == ["4"]


def test_a_campaign_of_another_coalition_cannot_be_chosen(client_for, coalition, people, make_campaign, make_coalition):
    foreign = make_campaign(make_coalition("Other"), title="Foreign")
    response = _new(client_for(people["storyteller"]), coalition, campaign_id=foreign.id, submit="y")
    assert response.status_code == 200
    assert db.session.scalar(select(Story)) is None
