"""Email verification: the link shows a button (GET changes nothing), the POST confirms, once."""

from coalition.accounts.services import send_verification
from tests.accounts.helpers import mail_path


def _verification_path(db, make_user, outbox):
    user = make_user(verified=False)
    send_verification(user)
    db.session.commit()
    return user, mail_path(outbox(kind="verify")[-1], "/account/verify/")


def test_verification_link_uses_site_url(db, make_user, outbox):
    _verification_path(db, make_user, outbox)
    assert "http://coalition.test/account/verify/" in outbox(kind="verify")[0].body_text


def test_opening_verification_link_shows_a_button_and_verifies_nothing(db, client, make_user, outbox):
    user, path = _verification_path(db, make_user, outbox)
    response = client.get(path)
    assert response.status_code == 200
    assert b"Confirm my email address" in response.data
    assert b'method="post"' in response.data
    db.session.refresh(user)
    assert not user.is_verified


def test_posting_verification_confirms_the_address(db, client, make_user, outbox):
    user, path = _verification_path(db, make_user, outbox)
    response = client.post(path, follow_redirects=True)
    assert b"Your email address is confirmed" in response.data
    db.session.refresh(user)
    assert user.is_verified


def test_verification_link_works_only_once(db, client, make_user, outbox):
    user, path = _verification_path(db, make_user, outbox)
    client.post(path)
    response = client.post(path, follow_redirects=True)
    assert b"expired or was already used" in response.data


def test_unknown_verification_token_is_refused(client):
    response = client.post("/account/verify/not-a-real-token", follow_redirects=True)
    assert b"expired or was already used" in response.data


def test_unverified_login_is_refused_and_a_new_link_is_mailed(db, client, make_user, outbox, login):
    user = make_user(verified=False)
    response = client.post("/account/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 200
    assert b"Please confirm your email address first" in response.data
    assert len(outbox(to=user.email, kind="verify")) == 1
    assert client.get("/account/profile").status_code == 302


def test_verified_person_can_log_in_after_following_the_new_link(db, client, make_user, outbox, login):
    user = make_user(verified=False)
    client.post("/account/login", data={"email": user.email, "password": "correct horse battery staple"})
    client.post(mail_path(outbox(kind="verify")[0], "/account/verify/"))
    login(client, user)
    assert client.get("/account/profile").status_code == 200
