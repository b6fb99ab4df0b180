"""`flask coalition create` for the operator."""

from sqlalchemy import select

from coalition.coalitions.models import Coalition, Invitation, Membership
from coalition.core.permissions import Role


def _create(app, *args):
    return app.test_cli_runner().invoke(args=["coalition", "create", *args])


def test_create_with_existing_account_makes_it_the_lead(app, db, make_user):
    user = make_user(email="lena@example.org")
    result = _create(app, "--name", "Riverside Tenants", "--lead-email", "Lena@Example.org")
    assert result.exit_code == 0, result.output
    assert "lena@example.org is the lead of Riverside Tenants" in result.output
    coalition = db.session.scalar(select(Coalition).where(Coalition.slug == "riverside-tenants"))
    membership = db.session.scalar(select(Membership).where(Membership.coalition_id == coalition.id))
    assert (membership.user_id, membership.role) == (user.id, Role.LEAD)


def test_create_with_unknown_email_queues_invitation_and_prints_link(app, db, outbox):
    result = _create(app, "--name", "Clinic Access Alliance", "--lead-email", "new.lead@example.org")
    assert result.exit_code == 0, result.output
    (message,) = outbox(to="new.lead@example.org", kind="invitation")
    link = next(word for word in result.output.split() if word.startswith("http://coalition.test/invitations/"))
    assert link in message.body_text
    invitation = db.session.scalar(select(Invitation))
    assert invitation.role == Role.LEAD
    assert db.session.scalars(select(Membership)).all() == []


def test_invited_first_lead_registers_through_the_printed_link(app, db, client):
    result = _create(app, "--name", "Clinic Access Alliance", "--lead-email", "new.lead@example.org")
    token = result.output.rsplit("/invitations/", 1)[1].strip()
    client.post(
        f"/account/register?invite={token}",
        data={
            "display_name": "New Lead",
            "email": "new.lead@example.org",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    assert client.get("/c/clinic-access-alliance/settings").status_code == 200


def test_create_with_duplicate_slug_fails_and_creates_nothing(app, db, make_coalition, outbox):
    make_coalition(name="Riverside Tenants", slug="riverside-tenants")
    result = _create(app, "--name", "Riverside Tenants", "--lead-email", "someone@example.org")
    assert result.exit_code != 0
    assert "already taken" in result.output
    assert len(db.session.scalars(select(Coalition)).all()) == 1
    assert outbox() == []


def test_create_with_unknown_time_zone_fails_and_creates_nothing(app, db):
    result = _create(app, "--name", "X", "--lead-email", "a@example.org", "--timezone", "Mars/Olympus")
    assert result.exit_code != 0
    assert db.session.scalars(select(Coalition)).all() == []


def test_create_requires_a_lead_email(app, db):
    result = _create(app, "--name", "Riverside Tenants")
    assert result.exit_code != 0
    assert db.session.scalars(select(Coalition)).all() == []


def test_list_shows_coalitions(app, make_coalition):
    make_coalition(name="Riverside Tenants", slug="riverside")
    result = app.test_cli_runner().invoke(args=["coalition", "list"])
    assert "riverside\tRiverside Tenants" in result.output
