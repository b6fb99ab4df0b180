"""Profile, export of my data, deletion of my account."""

import json

from sqlalchemy import select

from coalition.accounts.models import LoginSession, User
from coalition.coalitions.models import Membership
from tests.conftest import DEFAULT_PASSWORD

PROFILE = {
    "display_name": "Ana Martínez",
    "pronouns": "she/her",
    "locale": "es",
    "timezone": "America/Chicago",
    "notify_meetings": "y",
}


def test_profile_edit_saves_every_field(db, client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/account/profile", data=PROFILE)
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.pronouns, user.locale, user.timezone) == (
        "Ana Martínez",
        "she/her",
        "es",
        "America/Chicago",
    )
    assert user.notify_meetings and not user.notify_stories


def test_profile_with_unknown_time_zone_shows_message_and_changes_nothing(db, client, make_user, login):
    user = make_user(name="Before Name")
    login(client, user)
    response = client.post("/account/profile", data={**PROFILE, "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert b"Please choose a time zone from the list." in response.data
    db.session.refresh(user)
    assert (user.display_name, user.timezone, user.locale) == ("Before Name", None, None)


def test_profile_with_unknown_language_shows_message_and_changes_nothing(db, client, make_user, login):
    user = make_user(name="Before Name")
    login(client, user)
    response = client.post("/account/profile", data={**PROFILE, "locale": "xx"})
    assert response.status_code == 200
    assert b'class="error"' in response.data
    db.session.refresh(user)
    assert user.display_name == "Before Name"


def test_profile_empty_optional_fields_are_stored_as_null(db, client, make_user, login):
    user = make_user(pronouns="they/them", timezone="Europe/Paris")
    login(client, user)
    client.post("/account/profile", data={**PROFILE, "pronouns": "", "timezone": "", "locale": ""})
    db.session.refresh(user)
    assert (user.pronouns, user.timezone, user.locale) == (None, None, None)


def test_export_my_data_returns_json_with_account_and_memberships(
    client, make_user, make_coalition, make_member, login
):
    coalition = make_coalition(name="Riverside Tenants")
    user = make_member(coalition, "organizer", email="ana@example.org")
    login(client, user)
    response = client.post("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "ana@example.org"
    assert data["memberships"] == [
        {
            "coalition": "Riverside Tenants",
            "role": "organizer",
            "status": "active",
            "partner_organization": None,
            "since": data["memberships"][0]["since"],
        }
    ]
    assert len(data["sessions"]) == 1


def test_export_is_not_available_by_get(client, make_user, login):
    login(client, make_user())
    assert client.get("/account/export").status_code == 405


def test_export_needs_a_login(client):
    response = client.post("/account/export")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_delete_account_with_wrong_password_deletes_nothing(db, client, make_coalition, make_member, login):
    coalition = make_coalition()
    user = make_member(coalition, "member")
    login(client, user)
    response = client.post("/account/delete", data={"stories": "anonymise", "password": "not my password at all"})
    assert response.status_code == 200
    assert b"This is not your password." in response.data
    db.session.expire_all()
    assert db.session.get(User, user.id) is not None
    assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)) is not None
    assert client.get("/account/profile").status_code == 200


def test_delete_account_without_a_choice_for_stories_shows_message(db, client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert b"Please choose what happens to your stories." in response.data
    assert db.session.get(User, user.id) is not None


def test_delete_account_removes_user_sessions_and_memberships(app, db, client, make_coalition, make_member, login):
    coalition = make_coalition()
    user = make_member(coalition, "member")
    user_id = user.id
    other_device = app.test_client()
    login(other_device, user)
    login(client, user)
    copied = client.get_cookie("coalition_session").value
    response = client.post("/account/delete", data={"stories": "delete", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id)).all() == []
    assert db.session.scalars(select(Membership).where(Membership.user_id == user_id)).all() == []
    thief = app.test_client()
    thief.set_cookie("coalition_session", copied)
    assert thief.get("/account/profile").status_code == 302
    assert other_device.get("/account/profile").status_code == 302


def test_only_lead_cannot_delete_account_and_nothing_is_deleted(db, client, make_coalition, make_member, login):
    coalition = make_coalition(name="Riverside Tenants")
    lead = make_member(coalition, "lead")
    login(client, lead)
    response = client.post("/account/delete", data={"stories": "delete", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert b"You are the only lead of Riverside Tenants." in response.data
    db.session.expire_all()
    assert db.session.get(User, lead.id) is not None
    assert client.get("/account/profile").status_code == 200


def test_one_of_two_leads_can_delete_account(db, client, make_coalition, make_member, login):
    coalition = make_coalition()
    lead = make_member(coalition, "lead")
    make_member(coalition, "lead")
    lead_id = lead.id
    login(client, lead)
    response = client.post("/account/delete", data={"stories": "anonymise", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, lead_id) is None
