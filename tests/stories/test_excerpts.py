"""Excerpts: proposed by organizers, shown in place of the original only once the storyteller accepts."""

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.models import ExcerptStatus, StoryExcerpt

ORIGINAL = "My landlord, Mr. Whitcombe at 12 Elm Street, ignored the mould."
SHORTER = "My landlord ignored the mould."


@pytest.fixture
def story(make_story, coalition, people):
    return make_story(coalition, people["storyteller"], visibility="members", body=ORIGINAL)


def _propose(client_for, people, coalition, story):
    organizer = client_for(people["organizer"])
    organizer.post(f"/c/{coalition.slug}/stories/{story.id}/excerpt", data={"body": SHORTER})
    return db.session.scalar(select(StoryExcerpt))


def test_proposed_excerpt_is_not_shown_until_accepted(client_for, coalition, people, story, outbox):
    excerpt = _propose(client_for, people, coalition, story)
    assert excerpt.status == ExcerptStatus.PROPOSED
    assert len(outbox(to=people["storyteller"].email, kind="story_excerpt")) == 1
    page = client_for(people["member"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "Whitcombe" in page and "An excerpt, approved by the storyteller" not in page


def test_accepted_excerpt_replaces_the_original_everywhere(client_for, coalition, people, story):
    excerpt = _propose(client_for, people, coalition, story)
    storyteller = client_for(people["storyteller"])
    storyteller.post(f"/c/{coalition.slug}/stories/{story.id}/excerpt/{excerpt.id}/accept")
    member, organizer = client_for(people["member"]), client_for(people["organizer"])
    for client, path in (
        (member, f"/{story.id}"),
        (member, "/"),
        (organizer, f"/{story.id}"),
        (organizer, "/export.csv"),
    ):
        page = client.get(f"/c/{coalition.slug}/stories{path}").get_data(as_text=True)
        assert "Whitcombe" not in page, path
        assert SHORTER in page, path
    # The storyteller still sees their own original text.
    assert "Whitcombe" in storyteller.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)


def test_declined_excerpt_is_never_shown(client_for, coalition, people, story):
    excerpt = _propose(client_for, people, coalition, story)
    client_for(people["storyteller"]).post(f"/c/{coalition.slug}/stories/{story.id}/excerpt/{excerpt.id}/decline")
    db.session.refresh(excerpt)
    assert excerpt.status == ExcerptStatus.DECLINED
    assert "Whitcombe" in client_for(people["member"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(
        as_text=True
    )


def test_organizer_cannot_accept_an_excerpt_for_the_storyteller(client_for, coalition, people, story):
    excerpt = _propose(client_for, people, coalition, story)
    response = client_for(people["organizer"]).post(
        f"/c/{coalition.slug}/stories/{story.id}/excerpt/{excerpt.id}/accept"
    )
    assert response.status_code == 403
    db.session.refresh(excerpt)
    assert excerpt.status == ExcerptStatus.PROPOSED


def test_members_cannot_propose_excerpts(client_for, coalition, people, story):
    response = client_for(people["member"]).post(
        f"/c/{coalition.slug}/stories/{story.id}/excerpt", data={"body": SHORTER}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(StoryExcerpt)) is None


def test_only_one_excerpt_waits_at_a_time(client_for, coalition, people, story):
    _propose(client_for, people, coalition, story)
    response = client_for(people["organizer"]).post(
        f"/c/{coalition.slug}/stories/{story.id}/excerpt", data={"body": "Another"}
    )
    assert response.status_code == 403
    assert len(db.session.scalars(select(StoryExcerpt)).all()) == 1


def test_lists_show_each_storys_latest_accepted_excerpt_read_with_the_stories(
    client_for, make_story, coalition, people, count_queries
):
    from datetime import timedelta

    from coalition.core.models import utcnow

    now = utcnow()
    edited = make_story(coalition, people["storyteller"], visibility="public", title="Edited", body=ORIGINAL)
    plain = make_story(
        coalition, people["storyteller"], visibility="public", title="Plain", body="Heat off all winter."
    )
    for body, status, days_ago in (
        ("An older accepted cut.", ExcerptStatus.ACCEPTED, 9),
        (SHORTER, ExcerptStatus.ACCEPTED, 3),
        ("A declined cut.", ExcerptStatus.DECLINED, 2),
        ("A proposed cut.", ExcerptStatus.PROPOSED, 1),
    ):
        decided = now - timedelta(days=days_ago)
        db.session.add(
            StoryExcerpt(
                story=edited,
                coalition_id=coalition.id,
                body=body,
                status=status,
                created_at=decided,
                decided_at=decided,
            )
        )
    db.session.add(StoryExcerpt(story=plain, coalition_id=coalition.id, body="Never accepted.", created_at=now))
    db.session.commit()
    member = client_for(people["member"])
    for client, path in (
        (member, "/stories/"),
        (member, "/stories/?tag=&status=approved"),
        (client_for(None), "/stories/public"),
    ):
        with count_queries() as counter:
            page = client.get(f"/c/{coalition.slug}{path}").get_data(as_text=True)
        assert SHORTER in page and "Heat off all winter." in page, path
        for hidden in ("Whitcombe", "An older accepted cut.", "A declined cut.", "A proposed cut.", "Never accepted."):
            assert hidden not in page, (path, hidden)
        # The excerpts come in the statement that loads the page's stories, not in one of their own.
        assert not [s for s in counter.statements if s.lstrip().startswith("SELECT story_excerpts")], path
