"""Export my data includes my stories; deleting my account deletes them or keeps them anonymised."""

from sqlalchemy import select

from coalition.accounts.services import delete_account, export_personal_data
from coalition.extensions import db
from coalition.stories.models import Attribution, ConsentChange, Story


def test_export_contains_my_stories_with_consent_history_answers_and_shares(coalition, people, make_story):
    make_story(coalition, people["storyteller"], title="My story", body="All of it")
    make_story(coalition, people["member"], title="Someone else's")
    data = export_personal_data(people["storyteller"])
    assert [s["title"] for s in data["stories"]] == ["My story"]
    exported = data["stories"][0]
    assert exported["text"] == "All of it"
    assert exported["consent"]["visibility"] == "team"
    assert exported["consent_history"] and "answers" in exported and "shared_with" in exported


def test_deleting_account_can_keep_stories_anonymised(coalition, people, make_story):
    story = make_story(coalition, people["storyteller"], attribution="full", visibility="members")
    story_id = story.id
    delete_account(people["storyteller"], keep_stories_anonymised=True)
    db.session.commit()
    story = db.session.get(Story, story_id)
    assert story.storyteller_id is None and story.attribution == Attribution.ANONYMOUS
    assert story.body and db.session.scalars(select(ConsentChange).where(ConsentChange.via == "system")).all()


def test_deleting_account_can_delete_stories_entirely(coalition, people, make_story):
    make_story(coalition, people["storyteller"])
    other = make_story(coalition, people["member"])
    delete_account(people["storyteller"], keep_stories_anonymised=False)
    db.session.commit()
    assert db.session.scalars(select(Story)).all() == [other]
