"""Where my story went, decision-maker stories, and present_story() for packets and other purposes."""

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.display import present_story
from coalition.stories.errors import StoryError
from coalition.stories.models import StoryShare
from coalition.stories.queries import decision_maker_stories
from coalition.stories.shares import record_story_share


def test_storyteller_sees_where_their_story_went(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], share_with_decision_makers=True)
    record_story_share(
        story,
        recipient_name="Council member Diaz",
        recipient_organization="City Council",
        shared_by=people["organizer"],
    )
    db.session.commit()
    page = client_for(people["storyteller"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "Where my story went" in page and "Council member Diaz" in page and "City Council" in page


def test_other_members_do_not_see_where_a_story_went(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], visibility="members", share_with_decision_makers=True)
    record_story_share(story, recipient_name="Council member Diaz", recipient_organization=None, shared_by=None)
    db.session.commit()
    page = client_for(people["member"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "Council member Diaz" not in page


@pytest.mark.parametrize(
    "settings",
    [dict(share_with_decision_makers=False), dict(share_with_decision_makers=True, withdrawn=True),
     dict(share_with_decision_makers=True, status="submitted")],
)  # fmt: skip
def test_a_share_is_refused_without_consent_or_once_withdrawn(coalition, people, make_story, settings):
    story = make_story(coalition, people["storyteller"], **settings)
    with pytest.raises(StoryError):
        record_story_share(story, recipient_name="Mayor", recipient_organization=None, shared_by=people["organizer"])
    assert db.session.scalar(select(StoryShare)) is None


def test_decision_maker_stories_only_lists_consenting_approved_stories(coalition, people, make_story):
    yes = make_story(coalition, people["storyteller"], title="Yes", share_with_decision_makers=True)
    make_story(coalition, people["storyteller"], title="No")
    make_story(coalition, people["storyteller"], title="Gone", share_with_decision_makers=True, withdrawn=True)
    make_story(coalition, people["storyteller"], title="Draft", share_with_decision_makers=True, status="draft")
    assert db.session.scalars(decision_maker_stories(coalition)).all() == [yes]


@pytest.mark.parametrize(
    ("attribution", "label"), [("full", "Ana Martinez"), ("first_initial", "Ana M."), ("anonymous", "Anonymous")]
)
def test_packet_display_applies_the_chosen_attribution(coalition, people, make_story, attribution, label):
    story = make_story(coalition, people["storyteller"], attribution=attribution, share_with_decision_makers=True)
    assert present_story(story, people["organizer"], purpose="packet").author_label == label


def test_packet_display_is_refused_to_members_and_for_stories_not_allowed_there(coalition, people, make_story):
    allowed = make_story(coalition, people["storyteller"], share_with_decision_makers=True)
    refused = make_story(coalition, people["storyteller"])
    assert present_story(allowed, people["member"], purpose="packet") is None
    assert present_story(refused, people["organizer"], purpose="packet") is None


def test_visitor_without_account_is_credited_by_the_name_they_gave(coalition, make_story):
    story = make_story(coalition, None, intake_name="Rosa Delgado", attribution="first_initial", visibility="public")
    assert present_story(story, None, purpose="public").author_label == "Rosa D."


def test_unknown_purpose_is_a_programming_error(coalition, people, make_story):
    story = make_story(coalition, people["storyteller"])
    with pytest.raises(ValueError, match="unknown purpose"):
        present_story(story, people["organizer"], purpose="feed")
