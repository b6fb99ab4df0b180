"""Log in, log out and server-side sessions."""


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
    assert wrong.data.replace(user.email.encode(), b"X") == unknown.data.replace(b"nobody@example.org", b"X")


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
