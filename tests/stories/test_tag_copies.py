"""Tag rows copy their story's status, visibility and dates, and the copies stay right after every change."""

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories import services
from coalition.stories.consent import change_consent
from coalition.stories.models import TAG_COPIES, StoryTag
from coalition.stories.queries import visible_story_ids


def _copies(story) -> dict[str, tuple]:
    """{tag: copies} as stored, read afresh from the database."""
    db.session.expire_all()
    columns = [getattr(StoryTag, name) for name in TAG_COPIES]
    rows = db.session.execute(select(StoryTag.tag, *columns).where(StoryTag.story_id == story.id))
    return {tag: tuple(copied) for tag, *copied in rows}


def _story_state(story) -> tuple:
    db.session.refresh(story)
    values = [getattr(story, name) for name in TAG_COPIES]
    return tuple(str(v) if name in ("status", "visibility") else v for name, v in zip(TAG_COPIES, values, strict=True))


def _assert_copies_right(story, tags):
    copies = _copies(story)
    assert sorted(copies) == sorted(tags)
    assert all(copied == _story_state(story) for copied in copies.values())


def _tag_list(viewer, coalition, tag="mould") -> list[int]:
    return list(db.session.scalars(visible_story_ids(viewer, coalition, tag=tag)(None)))


@pytest.fixture
def written(coalition, people):
    """A story the storyteller wrote and sent, tagged, for members to see once approved."""
    story = services.create_story(
        coalition,
        people["storyteller"],
        {"title": "Mould again", "body": "The wall is black.", "tags": "mould, heat"},
        consent={"visibility": "members"},
        submit=True,
    )
    db.session.commit()
    return story


def test_a_new_story_s_tag_rows_copy_it(written):
    _assert_copies_right(written, ["mould", "heat"])
    assert _copies(written)["mould"][0] == "submitted"


def test_approval_reaches_the_copies_and_the_members_tag_list(written, coalition, people):
    assert _tag_list(people["member"], coalition) == []
    services.review_story(written, people["organizer"], approve=True)
    db.session.commit()
    _assert_copies_right(written, ["mould", "heat"])
    assert _tag_list(people["member"], coalition) == [written.id]


def test_returning_a_story_reaches_the_copies(written, coalition, people):
    services.review_story(written, people["organizer"], approve=False, note="Please add the month.")
    db.session.commit()
    _assert_copies_right(written, ["mould", "heat"])
    assert _tag_list(people["organizer"], coalition) == [written.id]
    assert _tag_list(people["member"], coalition) == []


def test_a_narrower_visibility_takes_the_story_out_of_the_members_tag_list(written, coalition, people):
    services.review_story(written, people["organizer"], approve=True)
    db.session.commit()
    change_consent(written, people["storyteller"], visibility="team")
    db.session.commit()
    _assert_copies_right(written, ["mould", "heat"])
    assert _tag_list(people["member"], coalition) == []
    assert _tag_list(people["organizer"], coalition) == [written.id]


def test_withdrawal_takes_the_story_out_of_everyone_else_s_tag_list(written, coalition, people):
    services.review_story(written, people["organizer"], approve=True)
    db.session.commit()
    services.withdraw_story(written, people["storyteller"])
    db.session.commit()
    _assert_copies_right(written, ["mould", "heat"])
    assert _tag_list(people["member"], coalition) == _tag_list(people["organizer"], coalition) == []
    assert _tag_list(people["storyteller"], coalition) == [written.id]


def test_deletion_removes_the_tag_rows(written, coalition, people):
    services.delete_story(written, people["storyteller"])
    db.session.commit()
    assert _copies(written) == {}
    assert _tag_list(people["storyteller"], coalition) == []


def test_a_tag_added_later_copies_the_story_as_it_is_then(written, coalition, people):
    services.review_story(written, people["organizer"], approve=True)
    db.session.commit()
    services.update_story(written, people["storyteller"], {"tags": "heat, rats"})
    db.session.commit()
    _assert_copies_right(written, ["heat", "rats"])
    assert _tag_list(people["member"], coalition, "rats") == [written.id]


def test_moving_the_story_to_a_campaign_and_language_reaches_the_filtered_tag_list(
    written, coalition, people, make_campaign
):
    campaign = make_campaign(coalition)
    services.review_story(written, people["organizer"], approve=True)
    db.session.commit()
    services.update_story(written, people["storyteller"], {"language": "es"}, campaign_id=campaign.id)
    db.session.commit()
    _assert_copies_right(written, ["mould", "heat"])
    by_campaign = visible_story_ids(people["member"], coalition, tag="mould", campaign_id=campaign.id, language="es")
    assert list(db.session.scalars(by_campaign(None))) == [written.id]
    in_english = visible_story_ids(people["member"], coalition, tag="mould", language="en")
    assert list(db.session.scalars(in_english(None))) == []
