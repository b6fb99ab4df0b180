"""Members: invitations, accepting them, roles, removal, join requests, and the last lead."""

import pytest
from sqlalchemy import select

from coalition.coalitions.models import Invitation, Membership, MembershipStatus
from coalition.coalitions.services import request_to_join
from coalition.core.permissions import Role
from tests.accounts.helpers import mail_path


def _membership(db, coalition, user):
    db.session.expire_all()
    return db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )


def test_lead_invites_by_email_and_the_mail_carries_the_link(db, coalition, as_role, outbox):
    client, lead = as_role("lead")
    response = client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "New@Example.org", "role": "organizer", "partner_id": "0"}
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.email, invitation.role, invitation.invited_by_id) == ("new@example.org", Role.ORGANIZER, lead.id)
    (message,) = outbox(to="new@example.org", kind="invitation")
    assert mail_path(message, "/invitations/").startswith("/invitations/")
    assert "http://coalition.test/invitations/" in message.body_text
    assert b"new@example.org" in client.get(f"/c/{coalition.slug}/invitations").data


def test_inviting_an_active_member_shows_message_and_sends_nothing(db, coalition, as_role, make_member, outbox):
    client, _ = as_role("lead")
    member = make_member(coalition, "member")
    response = client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": member.email, "role": "member", "partner_id": "0"}
    )
    assert response.status_code == 200
    assert b"This person is already a member of the coalition." in response.data
    assert db.session.scalars(select(Invitation)).all() == []
    assert outbox() == []


def test_invite_with_unknown_role_is_refused(db, coalition, as_role):
    client, _ = as_role("lead")
    response = client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "x@example.org", "role": "admin", "partner_id": "0"}
    )
    assert response.status_code == 200
    assert db.session.scalars(select(Invitation)).all() == []


def test_revoked_invitation_link_no_longer_works(app, db, coalition, as_role, outbox):
    client, _ = as_role("lead")
    client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "x@example.org", "role": "member", "partner_id": "0"}
    )
    path = mail_path(outbox(kind="invitation")[0], "/invitations/")
    invitation = db.session.scalar(select(Invitation))
    assert app.test_client().get(path).status_code == 200
    response = client.post(f"/c/{coalition.slug}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert b"No open invitations." in client.get(f"/c/{coalition.slug}/invitations").data


def test_logged_in_person_with_invited_email_accepts_invitation(app, db, coalition, as_role, make_user, login, outbox):
    lead_client, _ = as_role("lead")
    invited = make_user(email="ana@example.org")
    lead_client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "ana@example.org", "role": "organizer", "partner_id": "0"}
    )
    path = mail_path(outbox(kind="invitation")[0], "/invitations/")
    client = app.test_client()
    login(client, invited)
    assert b"Accept the invitation" in client.get(path).data
    response = client.post(path)
    assert response.headers["Location"] == f"/c/{coalition.slug}/"
    membership = _membership(db, coalition, invited)
    assert (membership.role, membership.status) == (Role.ORGANIZER, MembershipStatus.ACTIVE)
    assert client.post(path).status_code == 404  # used


def test_invitation_accepted_by_someone_with_another_email_is_refused(
    app, db, coalition, as_role, make_user, login, outbox
):
    lead_client, _ = as_role("lead")
    lead_client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "ana@example.org", "role": "lead", "partner_id": "0"}
    )
    path = mail_path(outbox(kind="invitation")[0], "/invitations/")
    stranger = make_user(email="mallory@example.org")
    client = app.test_client()
    login(client, stranger)
    response = client.post(path, follow_redirects=True)
    assert b"This invitation was sent to another email address." in response.data
    assert _membership(db, coalition, stranger) is None
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_anonymous_visitor_cannot_accept_an_invitation_by_post(app, db, coalition, as_role, outbox):
    lead_client, _ = as_role("lead")
    lead_client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "ana@example.org", "role": "member", "partner_id": "0"}
    )
    path = mail_path(outbox(kind="invitation")[0], "/invitations/")
    response = app.test_client().post(path)
    assert b"Create my account" in response.data
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_lead_changes_a_role(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    member = make_member(coalition, "member")
    membership = _membership(db, coalition, member)
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/role", data={"role": "organizer"})
    assert response.status_code == 302
    assert _membership(db, coalition, member).role == Role.ORGANIZER


def test_change_to_unknown_role_is_refused(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    member = make_member(coalition, "member")
    membership = _membership(db, coalition, member)
    response = client.post(
        f"/c/{coalition.slug}/members/{membership.id}/role", data={"role": "admin"}, follow_redirects=True
    )
    assert b"Please choose a role from the list." in response.data
    assert _membership(db, coalition, member).role == Role.MEMBER


def test_lead_removes_a_member_who_then_loses_access(app, db, coalition, as_role, make_member, login):
    client, _ = as_role("lead")
    member = make_member(coalition, "member")
    member_client = app.test_client()
    login(member_client, member)
    assert member_client.get(f"/c/{coalition.slug}/").status_code == 200
    membership = _membership(db, coalition, member)
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/remove")
    assert response.status_code == 302
    assert _membership(db, coalition, member).status == MembershipStatus.REMOVED
    assert member_client.get(f"/c/{coalition.slug}/").status_code == 404


def test_last_lead_cannot_demote_themselves(db, coalition, as_role):
    client, lead = as_role("lead")
    membership = _membership(db, coalition, lead)
    response = client.post(
        f"/c/{coalition.slug}/members/{membership.id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert b"A coalition needs at least one lead." in response.data
    assert _membership(db, coalition, lead).role == Role.LEAD


def test_last_lead_cannot_be_removed(db, coalition, as_role):
    client, lead = as_role("lead")
    membership = _membership(db, coalition, lead)
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/remove", follow_redirects=True)
    assert b"A coalition needs at least one lead." in response.data
    assert _membership(db, coalition, lead).status == MembershipStatus.ACTIVE


def test_one_of_two_leads_can_be_demoted(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    other = make_member(coalition, "lead")
    membership = _membership(db, coalition, other)
    client.post(f"/c/{coalition.slug}/members/{membership.id}/role", data={"role": "organizer"})
    assert _membership(db, coalition, other).role == Role.ORGANIZER


@pytest.mark.parametrize(("action", "status"), [("approve", MembershipStatus.ACTIVE), ("decline", "removed")])
def test_lead_answers_a_join_request(db, coalition, as_role, make_user, outbox, action, status):
    coalition.allow_join_requests = True
    requester = make_user()
    request_to_join(coalition, requester)
    db.session.commit()
    client, _ = as_role("lead")
    membership = _membership(db, coalition, requester)
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/{action}")
    assert response.status_code == 302
    assert _membership(db, coalition, requester).status == status
    assert len(outbox(to=requester.email, kind="join_approved")) == (1 if action == "approve" else 0)


def test_approving_an_active_membership_is_refused(db, coalition, as_role, make_member):
    client, _ = as_role("lead")
    member = make_member(coalition, "member")
    membership = _membership(db, coalition, member)
    response = client.post(f"/c/{coalition.slug}/members/{membership.id}/approve", follow_redirects=True)
    assert b"There is no pending request to approve." in response.data


def test_logged_in_person_asks_to_join_an_open_coalition(app, db, coalition, make_user, make_member, login, outbox):
    coalition.allow_join_requests = True
    db.session.commit()
    lead = make_member(coalition, "lead")
    person = make_user()
    client = app.test_client()
    login(client, person)
    assert client.get(f"/c/{coalition.slug}/join").status_code == 200
    client.post(f"/c/{coalition.slug}/join")
    assert _membership(db, coalition, person).status == MembershipStatus.PENDING
    assert len(outbox(to=lead.email, kind="join_request")) == 1
    assert client.get(f"/c/{coalition.slug}/").status_code == 404


def test_join_page_of_a_closed_coalition_is_not_found(app, coalition, make_user, login):
    client = app.test_client()
    login(client, make_user())
    assert client.get(f"/c/{coalition.slug}/join").status_code == 404
    assert client.post(f"/c/{coalition.slug}/join").status_code == 404


def test_pending_requests_list_is_for_leads_only(db, coalition, as_role, make_user):
    requester = make_user(name="Pending Person")
    coalition.allow_join_requests = True
    request_to_join(coalition, requester)
    db.session.commit()
    organizer, _ = as_role("organizer")
    lead, _ = as_role("lead")
    assert b"Pending Person" not in organizer.get(f"/c/{coalition.slug}/members?status=pending").data
    assert b"Pending Person" in lead.get(f"/c/{coalition.slug}/members?status=pending").data
