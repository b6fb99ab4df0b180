"""Security baseline: CSRF, headers and CSP, no inline script or style, rate limits, input limits, error pages."""

import re

import pytest
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.coalitions.models import PartnerOrganization
from coalition.core.security import CSP
from tests.conftest import DEFAULT_PASSWORD


def _csrf_token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


# --- CSRF -------------------------------------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(client, make_user, csrf_enabled):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert client.get("/account/profile").status_code == 302


def test_login_with_csrf_token_works(client, make_user, csrf_enabled):
    user = make_user()
    token = _csrf_token(client.get("/account/login").data)
    response = client.post(
        "/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused_and_keeps_the_session(app, client, make_user, login):
    login(client, make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/account/logout")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert client.get("/account/profile").status_code == 200


def test_coalition_form_without_csrf_token_is_refused(app, db, client, make_coalition, make_member, login):
    coalition = make_coalition()
    login(client, make_member(coalition, "lead"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/c/{coalition.slug}/partners/new", data={"name": "Forged Partner"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert db.session.scalars(select(PartnerOrganization)).all() == []


# --- Headers ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/account/login", "/no-such-page", "/static/css/app.css", "/healthz"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
    assert "form-action 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_csp_constant_is_the_one_in_the_issue():
    assert CSP.startswith("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def test_personal_pages_are_not_cached(client, make_user, login):
    login(client, make_user())
    assert client.get("/account/profile").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(app, db, make_coalition, make_member, login):
    coalition = make_coalition()
    from coalition.coalitions.services import save_partner

    partner = save_partner(coalition, None, name="Tenant Union", website="https://union.example.org")
    db.session.commit()
    make_member(coalition, "member")
    visitor, lead = app.test_client(), app.test_client()
    login(lead, make_member(coalition, "lead"))
    pages = [visitor.get(p) for p in ("/", "/account/login", "/account/register", "/account/reset", "/nope")]
    pages += [
        lead.get(f"/c/{coalition.slug}{p}")
        for p in ("/", "/members", "/members/invite", "/invitations", "/settings", "/partners", "/audit")
    ]
    pages += [lead.get(f"/c/{coalition.slug}/partners/{partner.id}/edit")]
    pages += [lead.get(p) for p in ("/account/profile", "/account/password", "/account/delete")]
    for response in pages:
        html = response.data.decode()
        assert response.status_code in (200, 404), response.request.path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), response.request.path
        assert not re.search(r"\sstyle\s*=", html), response.request.path
        assert not re.search(r"\son[a-z]+\s*=", html), response.request.path
        assert "<style" not in html, response.request.path


# --- Rate limits ------------------------------------------------------------------------------------------------


def test_failed_logins_for_one_account_are_throttled_from_any_address(client, make_user, rate_limits):
    rate_limits(RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    user = make_user()
    codes = [
        client.post(
            "/account/login",
            data={"email": user.email, "password": "wrong password here"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        ).status_code
        for n in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]


def test_throttled_account_gets_the_friendly_429_page_even_with_the_right_password(client, make_user, rate_limits):
    rate_limits(RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    user = make_user()
    for _ in range(2):
        client.post("/account/login", data={"email": user.email, "password": "wrong password here"})
    response = client.post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.data


def test_logins_from_one_address_are_throttled_across_accounts(client, rate_limits):
    rate_limits(RATELIMIT_LOGIN="3 per minute")
    codes = [
        client.post(
            "/account/login",
            data={"email": f"guess{n}@example.org", "password": "wrong password here"},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_other_address_and_account_are_not_throttled_by_someone_elses_attempts(client, make_user, rate_limits):
    rate_limits(RATELIMIT_LOGIN="2 per minute", RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    user = make_user()
    for _ in range(3):
        client.post(
            "/account/login",
            data={"email": "attacked@example.org", "password": "x" * 12},
            environ_base={"REMOTE_ADDR": "10.1.1.1"},
        )
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.2.2"},
    )
    assert response.status_code == 302


def test_reset_requests_are_throttled(client, make_user, rate_limits):
    rate_limits(RATELIMIT_SENSITIVE="2 per minute")
    user = make_user()
    codes = [
        client.post(
            "/account/reset", data={"email": user.email}, environ_base={"REMOTE_ADDR": f"10.0.1.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_registrations_are_throttled(client, make_coalition, rate_limits):
    rate_limits(RATELIMIT_SENSITIVE="2 per minute")
    coalition = make_coalition(allow_join_requests=True)
    codes = [
        client.post(f"/account/register?coalition={coalition.slug}", data={"email": f"n{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


# --- Input limits -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Ana\x00Martínez", "Ana\x1bMartínez", "Ana\nMartínez", "Ana\x7f"])
def test_single_line_field_with_control_characters_shows_message_and_saves_nothing(db, client, make_user, login, bad):
    user = make_user(name="Before Name")
    login(client, user)
    response = client.post("/account/profile", data={"display_name": bad, "locale": "", "timezone": ""})
    assert response.status_code == 200
    assert b"This field cannot contain control characters or line breaks." in response.data
    db.session.refresh(user)
    assert user.display_name == "Before Name"


def test_nul_in_an_email_at_login_gets_a_message_not_a_crash(client):
    response = client.post("/account/login", data={"email": "ana\x00@example.org", "password": "whatever it is"})
    assert response.status_code == 200


def test_nul_in_a_registration_creates_nothing(db, client, make_coalition):
    coalition = make_coalition(allow_join_requests=True)
    response = client.post(
        f"/account/register?coalition={coalition.slug}",
        data={
            "display_name": "Nadia\x00",
            "email": "nadia@example.org",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    assert b"This field cannot contain control characters" in response.data
    assert db.session.scalars(select(User)).all() == []


def test_nul_in_a_url_token_is_not_found_not_a_crash(client):
    assert client.get("/invitations/abc%00def").status_code == 404
    assert client.post("/account/verify/abc%00def").status_code == 302


def test_over_large_body_gets_the_413_page(client, app):
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/login", data={"email": "a@example.org", "password": body})
    assert response.status_code == 413
    assert b"What you sent is too large." in response.data


def test_too_many_form_parts_are_refused(client, app):
    data = {f"field{n}": "x" for n in range(app.config["MAX_FORM_PARTS"] + 10)}
    response = client.post("/account/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


# --- Error pages ------------------------------------------------------------------------------------------------


def test_404_page_renders(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not found" in response.data
    assert b"Back to the start page" in response.data


def test_403_page_renders(client, make_coalition, make_member, login):
    coalition = make_coalition()
    login(client, make_member(coalition, "member"))
    response = client.get(f"/c/{coalition.slug}/settings")
    assert response.status_code == 403
    assert b"You do not have permission to do this." in response.data


def test_500_page_renders_without_traceback_and_rolls_back(app, client, monkeypatch):
    def broken():
        raise RuntimeError("secret internal detail")

    monkeypatch.setitem(app.view_functions, "core.healthz", broken)
    response = client.get("/healthz")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"Traceback" not in response.data
    assert b"secret internal detail" not in response.data


def test_405_page_renders(client):
    response = client.delete("/account/login")
    assert response.status_code == 405
    assert b"This page cannot be used that way." in response.data
