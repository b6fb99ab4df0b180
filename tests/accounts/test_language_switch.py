"""English | Español in the header of every page: kept in the session for visitors, in the profile for members."""

import re

import pytest

from coalition.extensions import db


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def _switch(html: str) -> str:
    match = re.search(r'<form method="post" action="/account/language" class="language-switch".*?</form>', html, re.S)
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


def test_switch_carries_a_csrf_token(client, csrf_enabled):
    assert 'name="csrf_token"' in _switch(client.get("/").get_data(as_text=True))


def test_switch_without_csrf_token_is_refused(client, csrf_enabled):
    assert client.post("/account/language", data={"language": "es", "next": "/"}).status_code == 400
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "en"
