"""A request body over MAX_CONTENT_LENGTH gets the 413 page, never a 500: error pages never read the request body
(issue 12, item 3)."""

import io

import pytest

from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.extensions import db

FIVE_MB = 5 * 1024 * 1024


@pytest.fixture
def setting(make_coalition, make_member):
    """A coalition with a public campaign, an organizer and a member."""
    coalition = make_coalition()
    campaign = Campaign(
        coalition_id=coalition.id, title="Safe Homes", slug="safe-homes", status=CampaignStatus.ACTIVE, public_page=True
    )
    db.session.add(campaign)
    db.session.commit()
    return {
        "base": f"/c/{coalition.slug}",
        "member": make_member(coalition, "member"),
        "organizer": make_member(coalition, "organizer"),
    }


def _form(size=FIVE_MB) -> dict:
    return {"title": "A story", "body": "x" * size}


def _upload(size=FIVE_MB) -> dict:
    return {"file": (io.BytesIO(b"Name\n" + b"x" * size), "big.csv")}


#: (who, where, what is sent): a form and an upload, for a visitor and a member.
CASES = [
    ("visitor", "/stories/share/safe-homes", "form"),
    ("visitor", "/stories/share/safe-homes", "upload"),
    ("member", "/stories/new", "form"),
    ("organizer", "/stakeholders/import", "upload"),
]


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
@pytest.mark.parametrize(("who", "path", "kind"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_body_over_the_limit_gets_the_413_page(app, client, login, setting, who, path, kind, csrf):
    if who != "visitor":
        login(client, setting[who])
    app.config["WTF_CSRF_ENABLED"] = csrf
    try:
        if kind == "form":
            response = client.post(setting["base"] + path, data=_form())
        else:
            response = client.post(setting["base"] + path, data=_upload(), content_type="multipart/form-data")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "What you sent is too large." in page
    if who != "visitor":
        assert 'action="/account/logout"' in page  # the page is the member's, with its header


def test_a_body_under_the_limit_still_reaches_the_form(client, login, setting):
    login(client, setting["member"])
    response = client.post(setting["base"] + "/stories/new", data=_form(size=1000))
    assert response.status_code in (200, 302)
