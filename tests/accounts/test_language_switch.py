"""English | Español in the header of every page: kept in the session for visitors, in the profile for members."""

import re

import pytest

from coalition.extensions import db


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def _switch(html: str, method: str = "get") -> str:
    """The header's switch: a GET form for visitors, a POST form with its CSRF token for people logged in."""
    pattern = rf'<form method="{method}" action="/account/language" class="language-switch".*?</form>'
    match = re.search(pattern, html, re.S)
    assert match, "no language switch"
    return match.group(0)


@pytest.mark.parametrize("path", ["/", "/account/login", "/account/reset", "/no-such-page"])
def test_every_page_has_the_language_switch_in_its_header(client, path):
    switch = _switch(client.get(path).get_data(as_text=True))
    assert '<button type="submit" name="language" value="en" lang="en"' in switch
    assert '<button type="submit" name="language" value="es" lang="es"' in switch
    assert f'name="next" value="{path}"' in switch


def test_switch_marks_the_language_of_the_page(client):
    switch = _switch(client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True))
    assert re.search(r'value="es" lang="es" class="link-button" aria-current="true">Español<', switch)


def test_visitor_on_an_english_phone_gets_the_public_forms_in_spanish(client, make_coalition):
    coalition = make_coalition()
    english = {"Accept-Language": "en-US,en;q=0.9"}
    login_page = "/account/login?next=/c/" + coalition.slug + "/"
    response = client.post("/account/language", data={"language": "es", "next": "/account/login"}, headers=english)
    assert response.status_code == 302 and response.location == "/account/login"
    assert _lang(client.get(login_page, headers=english)) == "es"
    assert "Iniciar sesión" in client.get("/account/login", headers=english).get_data(as_text=True)
    client.post("/account/language", data={"language": "en", "next": "/"}, headers=english)
    assert _lang(client.get("/", headers={"Accept-Language": "es"})) == "en"


def test_member_choice_is_kept_in_the_profile(client, make_user, login):
    user = make_user(locale=None)
    login(client, user)
    client.post("/account/language", data={"language": "es", "next": "/account/profile"})
    db.session.refresh(user)
    assert user.locale == "es"
    assert _lang(client.get("/account/profile", headers={"Accept-Language": "en"})) == "es"


def test_unknown_language_changes_nothing(client, make_user, login):
    user = make_user(locale="en")
    login(client, user)
    client.post("/account/language", data={"language": "xx", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_switch_goes_back_to_the_page_with_its_query(client):
    page = "http://localhost/account/login?next=/c/x/"
    response = client.post(
        "/account/language", data={"language": "es", "next": "/account/login"}, headers={"Referer": page}
    )
    assert response.location == page


def test_switch_never_sends_a_visitor_to_another_site(client):
    response = client.post(
        "/account/language",
        data={"language": "es", "next": "https://evil.example/"},
        headers={"Referer": "https://evil.example/page"},
    )
    assert response.location == "/"


def test_member_switch_is_a_form_with_a_csrf_token(app, client, make_user, login):
    login(client, make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        html = client.get("/account/profile").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert 'name="csrf_token"' in _switch(html, "post")


def test_visitor_switch_sets_no_cookie_and_changes_only_the_session(client, csrf_enabled):
    response = client.get("/")
    assert "Set-Cookie" not in response.headers  # the same page for every visitor: it can be kept and served again
    assert 'name="csrf_token"' not in _switch(response.get_data(as_text=True))
    switched = client.get("/account/language?language=es&next=/account/login", headers={"Accept-Language": "en"})
    assert switched.status_code == 302 and switched.location == "/account/login"
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "es"
    client.get("/account/language?language=xx&next=/")
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "es"


def test_visitor_switch_never_sends_to_another_site(client):
    assert client.get("/account/language?language=es&next=https://evil.example/").location == "/"


def test_a_link_cannot_change_a_members_saved_language(client, make_user, login):
    user = make_user(locale="en")
    login(client, user)
    client.get("/account/language?language=es&next=/")
    db.session.refresh(user)
    assert user.locale == "en"
    assert _lang(client.get("/account/profile")) == "en"


def test_switch_without_csrf_token_is_refused(client, csrf_enabled):
    assert client.post("/account/language", data={"language": "es", "next": "/"}).status_code == 400
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "en"
