"""A decision for "people invited by name" can also invite everyone carrying a member tag."""

from sqlalchemy import select

from coalition.coalitions.models import Membership
from coalition.coalitions.tagging import create_tag, tag_member
from coalition.decisions.models import CollectiveDecision, DecisionInvitee
from coalition.extensions import db


def _form(**fields):
    data = {
        "kind": "proposal",
        "privacy": "organizers",
        "title": "Rent strike in building A?",
        "campaign_id": "0",
        "meeting_id": "0",
        "audience": "invited",
        "closes_at": "2030-01-01T18:00",
    }
    data.update(fields)
    return data


def _tag(coalition, user, name):
    membership = db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )
    tag_member(membership, create_tag(coalition, name))


def test_everyone_tagged_is_invited_with_those_chosen_by_name(client, login, coalition, organizer, members):
    _tag(coalition, members[0], "Building A")
    _tag(coalition, members[1], "Building A")
    _tag(coalition, members[2], "Building B")
    db.session.commit()
    login(client, organizer)
    data = _form(invite_tag="building-a", invitees=[str(members[3].id)])
    response = client.post(f"/c/{coalition.slug}/decisions/new", data=data)
    assert response.status_code == 302
    decision = db.session.scalar(select(CollectiveDecision))
    invited = set(db.session.scalars(select(DecisionInvitee.user_id).where(DecisionInvitee.decision_id == decision.id)))
    assert invited == {members[0].id, members[1].id, members[3].id}


def test_an_unknown_tag_is_refused_and_no_decision_is_made(client, login, coalition, organizer, members):
    login(client, organizer)
    response = client.post(f"/c/{coalition.slug}/decisions/new", data=_form(invite_tag="no-such-tag"))
    assert b"Unknown tag: no-such-tag" in response.data
    assert db.session.scalar(select(CollectiveDecision)) is None
