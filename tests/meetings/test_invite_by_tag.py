"""Inviting members to a meeting by tag: the member list filtered by a tag, and "invite everyone tagged X"."""

import pytest
from sqlalchemy import select

from coalition.coalitions.models import Membership
from coalition.coalitions.tagging import create_tag, tag_member
from coalition.extensions import db
from coalition.meetings.models import MeetingInvite


def _tag(coalition, user, name):
    membership = db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )
    tag_member(membership, create_tag(coalition, name))
    db.session.commit()


@pytest.fixture
def people(coalition, make_member):
    """Two members tagged building-a, one tagged building-b."""
    a1, a2 = make_member(coalition, name="Ana Building A"), make_member(coalition, name="Alex Building A")
    b = make_member(coalition, name="Bo Building B")
    for user, name in ((a1, "Building A"), (a2, "Building A"), (b, "Building B")):
        _tag(coalition, user, name)
    return {"a": [a1, a2], "b": b}


def _invited(meeting):
    db.session.expire_all()
    return set(db.session.scalars(select(MeetingInvite.user_id).where(MeetingInvite.meeting_id == meeting.id)))


def test_invite_form_lists_only_members_with_the_chosen_tag(client, login, coalition, organizer, people, make_meeting):
    meeting = make_meeting(visibility="invite_only")
    login(client, organizer)
    page = client.get(f"/c/{coalition.slug}/meetings/{meeting.id}/invites?tag=building-a").get_data(as_text=True)
    assert "Ana Building A" in page and "Alex Building A" in page and "Bo Building B" not in page
    everyone = client.get(f"/c/{coalition.slug}/meetings/{meeting.id}/invites").get_data(as_text=True)
    assert "Bo Building B" in everyone and "Invite everyone tagged" in everyone


def test_inviting_everyone_tagged_invites_and_mails_each_of_them_once(
    client, login, coalition, organizer, people, make_meeting, outbox
):
    meeting = make_meeting(visibility="invite_only")
    login(client, organizer)
    already = people["a"][0]
    db.session.add(MeetingInvite(coalition_id=coalition.id, meeting_id=meeting.id, user_id=already.id))
    db.session.commit()
    response = client.post(
        f"/c/{coalition.slug}/meetings/{meeting.id}/invites/tagged", data={"tag": "building-a"}, follow_redirects=True
    )
    assert b"1 invitation sent." in response.data
    assert _invited(meeting) == {u.id for u in people["a"]}
    assert len(outbox(kind="meeting_invite")) == 1
    assert len(outbox(to=people["a"][1].email, kind="meeting_invite")) == 1


def test_an_unknown_tag_invites_nobody(client, login, coalition, organizer, people, make_meeting, outbox):
    meeting = make_meeting(visibility="invite_only")
    login(client, organizer)
    response = client.post(
        f"/c/{coalition.slug}/meetings/{meeting.id}/invites/tagged", data={"tag": "nope"}, follow_redirects=True
    )
    assert b"Please choose a tag." in response.data
    assert _invited(meeting) == set() and outbox(kind="meeting_invite") == []


def test_members_tagged_in_another_coalition_are_not_invited(
    client, login, coalition, organizer, people, make_meeting, make_coalition, make_member
):
    other = make_coalition()
    stranger = make_member(other)
    _tag(other, stranger, "Building A")
    meeting = make_meeting(visibility="invite_only")
    login(client, organizer)
    client.post(f"/c/{coalition.slug}/meetings/{meeting.id}/invites/tagged", data={"tag": "building-a"})
    assert stranger.id not in _invited(meeting) and len(_invited(meeting)) == 2


def test_a_member_cannot_invite_by_tag(client, login, coalition, member, people, make_meeting):
    meeting = make_meeting(visibility="invite_only")
    login(client, member)
    response = client.post(f"/c/{coalition.slug}/meetings/{meeting.id}/invites/tagged", data={"tag": "building-a"})
    assert response.status_code in (403, 404)
    assert _invited(meeting) == set()
