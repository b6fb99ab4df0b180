"""Password reset by mail: link from SITE_URL, single use, expiring, same answer for every email."""

from datetime import timedelta

from sqlalchemy import select

from coalition.accounts.models import AccountToken, LoginSession
from coalition.core.models import utcnow
from tests.accounts.helpers import mail_link, mail_path

NEW_PASSWORD = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}


def _reset_path(client, outbox, email):
    client.post("/account/reset", data={"email": email})
    return mail_path(outbox(kind="password_reset")[-1], "/account/reset/")


def test_reset_mail_link_uses_site_url_not_the_request_host(client, make_user, outbox):
    user = make_user()
    client.post("/account/reset", data={"email": user.email}, headers={"Host": "evil.example"})
    (message,) = outbox(to=user.email, kind="password_reset")
    link = mail_link(message, "/account/reset/")
    assert link.startswith("http://coalition.test/account/reset/")
    assert "evil.example" not in message.body_text


def test_reset_answer_is_identical_for_known_and_unknown_emails(client, make_user, outbox):
    make_user(email="known@example.org")
    known = client.post("/account/reset", data={"email": "known@example.org"})
    unknown = client.post("/account/reset", data={"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.data.replace(b"known@example.org", b"X") == unknown.data.replace(b"unknown@example.org", b"X")
    assert [m.to_address for m in outbox()] == ["known@example.org"]


def test_reset_sets_the_new_password(client, make_user, outbox, login):
    user = make_user()
    path = _reset_path(client, outbox, user.email)
    response = client.post(path, data=NEW_PASSWORD)
    assert response.headers["Location"] == "/account/login"
    login(client, user, password=NEW_PASSWORD["password"])


def test_reset_token_works_only_once(client, make_user, outbox):
    user = make_user()
    path = _reset_path(client, outbox, user.email)
    client.post(path, data=NEW_PASSWORD)
    again = client.post(path, data={"password": "a third passphrase!", "confirm": "a third passphrase!"})
    assert again.status_code == 302
    assert again.headers["Location"] == "/account/reset"
    refused = client.post("/account/login", data={"email": user.email, "password": "a third passphrase!"})
    assert refused.status_code == 200


def test_expired_reset_token_is_refused(db, client, make_user, outbox, login):
    user = make_user()
    path = _reset_path(client, outbox, user.email)
    token = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(path, data=NEW_PASSWORD, follow_redirects=True)
    assert b"This reset link has expired or was already used" in response.data
    login(client, user)  # the old password still works


def test_reset_ends_every_session(app, db, make_user, outbox, login):
    user = make_user()
    laptop, phone, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user, remember=True)
    path = _reset_path(anonymous, outbox, user.email)
    anonymous.post(path, data=NEW_PASSWORD)
    assert laptop.get("/account/profile").status_code == 302
    assert phone.get("/account/profile").status_code == 302
    assert db.session.scalars(select(LoginSession)).all() == []


def test_reset_with_mismatched_passwords_shows_message_and_keeps_token(client, make_user, outbox, login):
    user = make_user()
    path = _reset_path(client, outbox, user.email)
    response = client.post(path, data={"password": "a brand new passphrase", "confirm": "something else"})
    assert b"The two passwords are not the same." in response.data
    assert client.get(path).status_code == 200
    login(client, user)
