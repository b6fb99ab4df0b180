"""Who may do what with campaigns: visitor, member, organizer, lead, member of another coalition."""

import pytest
from sqlalchemy import func, select

from coalition.campaigns.models import Campaign, CampaignFollower, CampaignStatus, CampaignUpdate
from coalition.extensions import db

ROLES = ["visitor", "member", "organizer", "lead", "outsider"]

#: action -> (method, path under the campaign or the list, form data)
ACTIONS = {
    "view": ("GET", "/{id}", None),
    "list": ("GET", "/", None),
    "create": ("POST", "/new", {"title": "Brand new", "status": "planning"}),
    "edit": ("POST", "/{id}/edit", {"title": "Renamed", "status": "active"}),
    "questions": ("POST", "/{id}/questions", {"kind": "yes_no", "prompt": "Evicted?"}),
    "archive": ("POST", "/{id}/archive", {}),
    "post_update": ("POST", "/{id}/updates", {"body": "News"}),
    "follow": ("POST", "/{id}/follow", {}),
}
ALLOWED = {
    "view": {"member", "organizer", "lead"},
    "list": {"member", "organizer", "lead"},
    "create": {"organizer", "lead"},
    "edit": {"organizer", "lead"},
    "questions": {"organizer", "lead"},
    "archive": {"organizer", "lead"},
    "post_update": {"organizer", "lead"},
    "follow": {"member", "organizer", "lead"},
}


def changed(action, campaign) -> bool:
    """Did the action leave a trace in the database?"""
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    return {
        "create": lambda: db.session.scalar(select(func.count(Campaign.id))) > 1,
        "edit": lambda: campaign.title == "Renamed",
        "questions": lambda: len(campaign.questions) == 1,
        "archive": lambda: campaign.status == CampaignStatus.ARCHIVED,
        "post_update": lambda: db.session.scalar(select(func.count(CampaignUpdate.id))) == 1,
        "follow": lambda: db.session.scalar(select(func.count(CampaignFollower.id))) == 1,
    }.get(action, lambda: False)()


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(client, make_coalition, make_member, make_campaign, login, role, action):
    coalition = make_coalition()
    campaign = make_campaign(coalition, title="Safe Homes Now")
    if role == "outsider":
        login(client, make_member(make_coalition(), "lead"))
    elif role != "visitor":
        login(client, make_member(coalition, role))
    method, path, data = ACTIONS[action]
    url = f"/c/{coalition.slug}/campaigns" + path.format(id=campaign.id)
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    if role in ALLOWED[action]:
        assert response.status_code in (200, 302)
        assert method == "GET" or changed(action, campaign)
    else:
        expected = {"visitor": (302,), "outsider": (404,)}.get(role, (403,))
        assert response.status_code in expected
        if role == "visitor":
            assert "/account/login" in response.headers["Location"]
        assert not changed(action, campaign)


@pytest.mark.parametrize(
    "path", ["/{id}", "/{id}/edit", "/{id}/questions", "/{id}/archive", "/{id}/updates", "/{id}/follow"]
)
def test_another_coalitions_campaign_id_is_404_even_for_its_lead(
    client, make_coalition, make_member, make_campaign, login, path
):
    mine, theirs = make_coalition(), make_coalition()
    login(client, make_member(mine, "lead"))
    campaign = make_campaign(theirs)
    url = f"/c/{mine.slug}/campaigns" + path.format(id=campaign.id)
    response = client.get(url) if path.count("/") == 1 or path.endswith(("edit", "questions")) else client.post(url)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).status == CampaignStatus.ACTIVE


def test_members_see_no_edit_controls(client, make_coalition, make_member, make_campaign, login):
    coalition = make_coalition()
    campaign = make_campaign(coalition)
    login(client, make_member(coalition, "member"))
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "/edit" not in page and "/archive" not in page and "Post update" not in page
    assert "Follow this campaign" in page
