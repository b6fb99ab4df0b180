"""The frame of every page: a favicon, a script that only enhances, and no inline script or style."""

import re


def test_every_page_links_the_favicon_and_it_is_served(client):
    html = client.get("/account/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    response = client.get(href)
    assert response.status_code == 200 and response.data.startswith(b"<svg")


def test_the_enhancing_script_is_a_static_file_loaded_deferred(client):
    html = client.get("/").get_data(as_text=True)
    src = re.search(r'<script src="([^"]+)" defer></script>', html).group(1)
    assert client.get(src).status_code == 200
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_confirmation_and_error_pages_have_no_inline_script_or_style(
    app, db, client, make_coalition, make_member, login
):
    from sqlalchemy import select

    from coalition.coalitions.models import Membership

    coalition = make_coalition()
    member = make_member(coalition, "member")
    lead = app.test_client()
    login(lead, make_member(coalition, "lead"))
    membership_id = db.session.scalar(select(Membership.id).where(Membership.user_id == member.id))
    pages = [
        client.post("/account/login", data={"email": "", "password": ""}).get_data(as_text=True),
        lead.get(f"/c/{coalition.slug}/members/{membership_id}/remove").get_data(as_text=True),
    ]
    assert "error-summary" in pages[0] and "No, go back" in pages[1]
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\sstyle\s*=", html) and "<style" not in html
        assert not re.search(r"\son[a-z]+\s*=", html)
