"""Registration: by invitation link, openly where a coalition allows it, and for an email already known."""

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.coalitions.services import invite
from coalition.core.permissions import Role
from tests.accounts.helpers import mail_path

NEW = {"display_name": "Nadia Flores", "password": "a long enough passphrase", "confirm": "a long enough passphrase"}


def _invite(db, coalition, email, role=Role.ORGANIZER):
    raw = invite(coalition, email, role, invited_by=None)
    db.session.commit()
    return raw


def test_register_by_invitation_creates_verified_member_with_invited_role_and_logs_in(
    db, client, make_coalition, outbox
):
    coalition = make_coalition()
    raw = _invite(db, coalition, "nadia@example.org")
    path = mail_path(outbox(kind="invitation")[0], "/invitations/")
    assert path == f"/invitations/{raw}"
    response = client.post(f"/account/register?invite={raw}", data={**NEW, "email": "ignored@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{coalition.slug}/"
    user = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
    assert user.is_verified
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.role, membership.status) == (Role.ORGANIZER, MembershipStatus.ACTIVE)
    assert client.get(f"/c/{coalition.slug}/").status_code == 200


def test_invitation_link_cannot_register_twice(db, client, make_coalition):
    coalition = make_coalition()
    raw = _invite(db, coalition, "nadia@example.org")
    first = client.post(f"/account/register?invite={raw}", data={**NEW, "email": "nadia@example.org"})
    assert first.status_code == 302
    other = client.application.test_client()
    response = other.post(f"/account/register?invite={raw}", data={**NEW, "email": "nadia@example.org"})
    assert b"Accounts are created from an invitation" in response.data
    assert db.session.scalar(select(User).where(User.email == "nadia@example.org")) is not None
    assert len(db.session.scalars(select(User)).all()) == 1


def test_register_without_invitation_or_open_coalition_creates_nothing(db, client):
    response = client.post("/account/register", data={**NEW, "email": "nadia@example.org"})
    assert response.status_code == 200
    assert b"Accounts are created from an invitation" in response.data
    assert db.session.scalars(select(User)).all() == []


def test_open_registration_creates_pending_join_request_and_mails_verification(
    db, client, make_coalition, make_member, outbox
):
    coalition = make_coalition(allow_join_requests=True)
    lead = make_member(coalition, "lead")
    response = client.post(f"/account/register?coalition={coalition.slug}", data={**NEW, "email": "Nadia@Example.org"})
    assert response.status_code == 200
    assert b"Check your email" in response.data
    user = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
    assert not user.is_verified
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.status == MembershipStatus.PENDING
    assert len(outbox(to="nadia@example.org", kind="verify")) == 1
    assert len(outbox(to=lead.email, kind="join_request")) == 1


def test_open_registration_is_refused_for_a_coalition_without_join_requests(db, client, make_coalition):
    coalition = make_coalition(allow_join_requests=False)
    client.post(f"/account/register?coalition={coalition.slug}", data={**NEW, "email": "nadia@example.org"})
    assert db.session.scalars(select(User)).all() == []


def test_lead_approving_join_request_activates_membership_and_mails_the_person(
    db, client, app, make_coalition, make_member, login, outbox
):
    coalition = make_coalition(allow_join_requests=True)
    lead = make_member(coalition, "lead")
    client.post(f"/account/register?coalition={coalition.slug}", data={**NEW, "email": "nadia@example.org"})
    membership = db.session.scalar(select(Membership).where(Membership.status == MembershipStatus.PENDING))
    lead_client = app.test_client()
    login(lead_client, lead)
    pending = lead_client.get(f"/c/{coalition.slug}/members?status=pending")
    assert b"Nadia Flores" in pending.data
    response = lead_client.post(f"/c/{coalition.slug}/members/{membership.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).status == MembershipStatus.ACTIVE
    approved = outbox(to="nadia@example.org", kind="join_approved")
    assert len(approved) == 1
    assert f"http://coalition.test/c/{coalition.slug}/" in approved[0].body_text


def test_register_with_existing_email_answers_like_new_one_and_mails_the_owner(
    db, client, make_coalition, make_user, outbox
):
    coalition = make_coalition(allow_join_requests=True)
    owner = make_user(email="taken@example.org")
    known = client.post(f"/account/register?coalition={coalition.slug}", data={**NEW, "email": "taken@example.org"})
    unknown = client.post(f"/account/register?coalition={coalition.slug}", data={**NEW, "email": "fresh@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.data.replace(b"taken@example.org", b"X") == unknown.data.replace(b"fresh@example.org", b"X")
    assert [m.kind for m in outbox(to=owner.email)] == ["already_registered"]
    assert db.session.scalars(select(Membership).where(Membership.user_id == owner.id)).all() == []
    db.session.refresh(owner)
    assert owner.display_name != NEW["display_name"]
