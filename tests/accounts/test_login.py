"""Log in, log out and server-side sessions."""

import re

import pytest

from tests.conftest import DEFAULT_PASSWORD


def test_demo_style_login_reaches_home(client, make_user, login):
    user = make_user()
    response = login(client, user)
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/account/login", data={"email": user.email, "password": "not the password at all"})
    unknown = client.post("/account/login", data={"email": "nobody@example.org", "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 200
    assert b"The email or the password is not right." in wrong.data
    same = [re.sub(rb'name="form_nonce" type="hidden" value="[^"]*"', b"", page) for page in (wrong.data, unknown.data)]
    assert same[0].replace(user.email.encode(), b"X") == same[1].replace(b"nobody@example.org", b"X")


def test_session_cookie_copied_before_logout_stops_working(app, client, make_user, make_coalition, make_member, login):
    coalition = make_coalition()
    user = make_member(coalition, "member")
    login(client, user)
    cookie = client.get_cookie("coalition_session").value
    assert client.get(f"/c/{coalition.slug}/").status_code == 200
    client.post("/account/logout")
    thief = app.test_client()
    thief.set_cookie("coalition_session", cookie)
    response = thief.get(f"/c/{coalition.slug}/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def _set_cookie(response, name):
    """The Set-Cookie header line for cookie `name`."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie set")


def test_remember_me_cookie_lasts_two_weeks_and_is_httponly_and_lax(client, make_user, login):
    from email.utils import parsedate_to_datetime

    from coalition.core.models import utcnow

    response = login(client, make_user(), remember=True)
    cookie = _set_cookie(response, "coalition_remember")
    attributes = {part.split("=", 1)[0].strip().lower(): part.split("=", 1)[-1] for part in cookie.split(";")[1:]}
    lifetime = parsedate_to_datetime(attributes["expires"]) - utcnow()
    assert 13.9 < lifetime.total_seconds() / 86400 <= 14
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"


def test_session_cookie_is_httponly_and_lax(client, make_user, login):
    cookie = _set_cookie(login(client, make_user()), "coalition_session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_without_remember_sets_no_remember_cookie(client, make_user, login):
    response = login(client, make_user())
    assert not any(h.startswith("coalition_remember=") for h in response.headers.getlist("Set-Cookie"))


def test_remember_cookie_alone_logs_the_person_back_in(app, client, make_user, login):
    user = make_user()
    login(client, user, remember=True)
    returning = app.test_client()
    returning.set_cookie("coalition_remember", client.get_cookie("coalition_remember").value)
    assert returning.get("/account/profile").status_code == 200


def test_remember_cookie_copied_before_logout_stops_working(app, client, make_user, login):
    user = make_user()
    login(client, user, remember=True)
    remember = client.get_cookie("coalition_remember").value
    client.post("/account/logout")
    thief = app.test_client()
    thief.set_cookie("coalition_remember", remember)
    response = thief.get("/account/profile")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_logout_logs_out_the_current_client(client, make_user, login):
    login(client, make_user())
    response = client.post("/account/logout", follow_redirects=True)
    assert b"You are logged out." in response.data
    assert client.get("/account/profile").status_code == 302


def test_logout_by_get_is_not_allowed(client, make_user, login):
    login(client, make_user())
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/profile").status_code == 200


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com", "http:/evil.com", "javascript:x"])
def test_next_redirect_to_another_site_goes_home(client, make_user, target):
    user = make_user()
    response = client.post(
        "/account/login", query_string={"next": target}, data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_redirect_within_the_site_is_followed(client, make_user):
    user = make_user()
    response = client.post(
        "/account/login",
        query_string={"next": "/account/profile?tab=1"},
        data={"email": user.email, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/account/profile?tab=1"


def test_login_page_links_back_through_next_after_login_required(client, make_user):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


def test_email_is_matched_case_insensitively_at_login(client, make_user):
    user = make_user(email="ana@example.org")
    response = client.post("/account/login", data={"email": " ANA@Example.org ", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert user.email == "ana@example.org"


def test_a_signed_in_page_reads_the_session_and_its_person_in_one_statement(
    client, make_user, make_coalition, make_member, login, count_queries
):
    user = make_user()
    coalition = make_coalition()
    make_member(coalition, user=user)
    login(client, user)
    with count_queries() as counter:
        assert client.get(f"/c/{coalition.slug}/members").status_code == 200
    reads = [s for s in counter.statements if "FROM login_sessions" in s or "FROM users" in s.split("WHERE")[0]]
    assert len([s for s in reads if "FROM login_sessions" in s]) == 1
    assert not [s for s in reads if "FROM login_sessions" not in s and "users.id = " in s]
