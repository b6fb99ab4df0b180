"""Changing the password: the current session stays, every other session ends."""

from sqlalchemy import select

from coalition.accounts.models import LoginSession
from tests.conftest import DEFAULT_PASSWORD

NEW = {"current_password": DEFAULT_PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"}


def test_change_password_ends_the_other_sessions_and_keeps_the_current_one(app, make_user, login):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user, remember=True)
    response = here.post("/account/password", data=NEW)
    assert response.status_code == 302
    assert here.get("/account/profile").status_code == 200
    assert elsewhere.get("/account/profile").status_code == 302


def test_change_password_leaves_exactly_one_server_session(db, app, make_user, login):
    user = make_user()
    for _ in range(3):
        login(app.test_client(), user)
    here = app.test_client()
    login(here, user)
    here.post("/account/password", data=NEW)
    assert len(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all()) == 1


def test_new_password_works_and_old_one_does_not(app, client, make_user, login):
    user = make_user()
    login(client, user)
    client.post("/account/password", data=NEW)
    login(app.test_client(), user, password=NEW["password"])
    old = app.test_client().post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert old.status_code == 200


def test_change_password_with_wrong_current_password_changes_nothing(app, client, make_user, login):
    user = make_user()
    other = app.test_client()
    login(client, user)
    login(other, user)
    response = client.post("/account/password", data={**NEW, "current_password": "not my password at all"})
    assert b"This is not your current password." in response.data
    assert other.get("/account/profile").status_code == 200
    login(app.test_client(), user)


def test_too_short_password_is_refused_with_a_message(client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/account/password", data={**NEW, "password": "short", "confirm": "short"})
    assert b"A few words make a good passphrase." in response.data


def test_long_passphrase_of_200_characters_is_accepted(app, client, make_user, login):
    user = make_user()
    login(client, user)
    passphrase = ("correct horse battery staple " * 8)[:200]
    response = client.post("/account/password", data={**NEW, "password": passphrase, "confirm": passphrase})
    assert response.status_code == 302
    login(app.test_client(), user, password=passphrase)


def test_passwords_are_hashed_with_argon2id(db, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in user.password_hash
